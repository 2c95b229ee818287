/* test_dataset.c — the registry: search paths, the embedded sample set,
 * mixed directories, data_batch_float (src/engine/dataset.c). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "dataset.h"

static char tmpdir[64];

static void setup(void) {
    strcpy(tmpdir, "/tmp/rtviz-test-ds-XXXXXX");
    cr_assert_not_null(mkdtemp(tmpdir));
}

static void teardown(void) {
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    cr_assert_eq(system(cmd), 0);
}

TestSuite(dataset, .init = setup, .fini = teardown);

static void put_be32(uint8_t *p, uint32_t v) {
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

/* Write dir/name (gzip if it ends in .gz) holding an IDX image file of n
 * side x side images (pixel = index % 251) or, side == 0, n labels i % 10. */
static void write_idx(const char *dir, const char *name, uint32_t n, uint32_t side) {
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    size_t body = side ? (size_t)n * side * side : n, head = side ? 16 : 8;
    uint8_t *buf = malloc(head + body);
    cr_assert_not_null(buf);
    put_be32(buf, side ? 0x803 : 0x801);
    put_be32(buf + 4, n);
    if (side) {
        put_be32(buf + 8, side);
        put_be32(buf + 12, side);
    }
    for (size_t i = 0; i < body; i++)
        buf[head + i] = (uint8_t)(side ? i % 251 : i % 10);
    size_t len = strlen(name);
    if (len > 3 && !strcmp(name + len - 3, ".gz")) {
        gzFile g = gzopen(path, "wb");
        cr_assert_not_null(g);
        cr_assert_eq(gzwrite(g, buf, (unsigned)(head + body)), (int)(head + body));
        cr_assert_eq(gzclose(g), Z_OK);
    } else {
        FILE *f = fopen(path, "wb");
        cr_assert_not_null(f);
        cr_assert_eq(fwrite(buf, 1, head + body, f), head + body);
        cr_assert_eq(fclose(f), 0);
    }
    free(buf);
}

/* A dataset directory tmpdir/name with train (ntr) and test (nte) images. */
static const char *make_idx_dir(const char *name, int ntr, int nte, int side_tr, int side_te) {
    static char dir[256];
    snprintf(dir, sizeof dir, "%s/%s", tmpdir, name);
    cr_assert_eq(mkdir(dir, 0755), 0);
    write_idx(dir, "train-images-idx3-ubyte.gz", (uint32_t)ntr, (uint32_t)side_tr);
    write_idx(dir, "train-labels-idx1-ubyte.gz", (uint32_t)ntr, 0);
    write_idx(dir, "t10k-images.idx3-ubyte", (uint32_t)nte, (uint32_t)side_te); /* '.' variant */
    write_idx(dir, "t10k-labels.idx1-ubyte", (uint32_t)nte, 0);
    return dir;
}

Test(dataset, registry_lists_all_with_instructions) {
    const char *want[] = {"fashionmnist", "mnist", "usps", "cifar10", "sample"};
    cr_assert_eq(dataset_count(), 5);
    for (int i = 0; i < 5; i++) {
        const DatasetInfo *d = dataset_lookup(want[i]);
        cr_assert_not_null(d, "%s missing", want[i]);
        cr_assert_gt(strlen(d->title), 0u);
        cr_assert_gt(strlen(d->how_to_get), 0u);
    }
    cr_assert_null(dataset_lookup("imagenet"));
    cr_assert_null(dataset_info(5));
    cr_assert_null(dataset_info(-1));
    cr_assert_not_null(strstr(dataset_lookup("fashionmnist")->how_to_get, "dataset-fashion-mnist"));
    cr_assert_not_null(strstr(dataset_lookup("mnist")->how_to_get, "datasets/fetch mnist"));
}

Test(dataset, unknown_name_errors) {
    Dataset ds;
    RtErr e = {{0}};
    cr_assert_eq(dataset_load("imagenet", &ds, &e), -1);
    cr_assert_not_null(strstr(e.msg, "imagenet"), "%s", e.msg);
    char dir[256];
    cr_assert_eq(dataset_locate("imagenet", dir, sizeof dir, &e), -1);
}

Test(dataset, sample_loads_balanced) {
    Dataset ds;
    RtErr e = {{0}};
    cr_assert_eq(dataset_load("sample", &ds, &e), 0, "%s", e.msg);
    cr_assert_str_eq(ds.name, "sample");
    cr_assert_eq(ds.classes, 10);
    cr_assert_eq(ds.train.n, 5000);
    cr_assert_eq(ds.test.n, 1000);
    cr_assert_eq(ds.train.ch, 1);
    cr_assert_eq(ds.train.h, 28);
    cr_assert_eq(ds.train.w, 28);
    cr_assert_eq(ds.train.d, 784);
    cr_assert_eq(ds.test.d, 784);
    int ctr[10] = {0}, cte[10] = {0};
    for (int i = 0; i < ds.train.n; i++)
        ctr[ds.train.y[i]]++;
    for (int i = 0; i < ds.test.n; i++)
        cte[ds.test.y[i]]++;
    for (int c = 0; c < 10; c++) {
        cr_assert_eq(ctr[c], 500, "class %d: %d training images", c, ctr[c]);
        cr_assert_eq(cte[c], 100, "class %d: %d test images", c, cte[c]);
        cr_assert_not_null(ds.class_names[c]);
        cr_assert_leq(strlen(ds.class_names[c]), 15u);
    }
    cr_assert_str_eq(ds.class_names[0], "T-shirt/top");
    cr_assert_str_eq(ds.class_names[9], "Ankle boot");
    /* real images, not blank: mean pixel of Fashion-MNIST is about 73 */
    double sum = 0;
    for (size_t i = 0; i < (size_t)ds.train.n * 784; i++)
        sum += ds.train.x[i];
    double mean = sum / (ds.train.n * 784.0);
    cr_assert(mean > 50 && mean < 100, "mean pixel %.1f", mean);
    dataset_free(&ds);
    cr_assert_null(ds.train.x);
}

Test(dataset, rtviz_data_is_honoured) {
    make_idx_dir("mnist", 30, 20, 28, 28);
    setenv("RTVIZ_DATA", tmpdir, 1);
    char cands[8][DS_PATH_MAX];
    int n = dataset_candidates("mnist", cands, 8);
    cr_assert_geq(n, 2);
    char want[300];
    snprintf(want, sizeof want, "%s/mnist", tmpdir);
    cr_assert_str_eq(cands[0], want);
    Dataset ds;
    RtErr e = {{0}};
    cr_assert_eq(dataset_load("mnist", &ds, &e), 0, "%s", e.msg);
    cr_assert_str_eq(ds.dir, want);
    cr_assert_eq(ds.train.n, 30);
    cr_assert_eq(ds.test.n, 20);
    cr_assert_eq(ds.train.y[13], 3);
    cr_assert_str_eq(ds.class_names[7], "7");
    dataset_free(&ds);
}

/* cifar10 (never fetched automatically) stands for a missing dataset; these
 * skip if a developer has copied it in. */
Test(dataset, missing_dataset_says_where_and_how) {
    setenv("RTVIZ_DATA", tmpdir, 1);
    char dir[DS_PATH_MAX];
    RtErr e = {{0}};
    if (dataset_locate("cifar10", dir, sizeof dir, &e) == 0)
        cr_skip_test("cifar10 is installed in %s; cannot test its absence", dir);
    cr_assert_not_null(strstr(e.msg, tmpdir), "%s", e.msg);
    cr_assert_not_null(strstr(e.msg, "datasets/cifar10"), "%s", e.msg);
    cr_assert_not_null(strstr(e.msg, "not obtainable automatically"), "%s", e.msg);
}

Test(dataset, incomplete_directory_named) {
    char dir[300];
    snprintf(dir, sizeof dir, "%s/cifar10", tmpdir);
    cr_assert_eq(mkdir(dir, 0755), 0);
    snprintf(dir, sizeof dir, "%s/cifar10/data_batch_1.bin", tmpdir);
    FILE *f = fopen(dir, "wb");
    cr_assert_not_null(f);
    fclose(f);
    setenv("RTVIZ_DATA", tmpdir, 1);
    char got[DS_PATH_MAX];
    RtErr e = {{0}};
    if (dataset_locate("cifar10", got, sizeof got, &e) == 0)
        cr_skip_test("cifar10 is installed in %s", got);
    cr_assert_not_null(strstr(e.msg, "lacks data_batch_2.bin"), "%s", e.msg);
}

/* A half-filled directory earlier in the search order is an error, not a
 * silent fall-through to a complete copy further down (here: the system's). */
Test(dataset, incomplete_directory_shadows_later_copies) {
    char dir[300];
    snprintf(dir, sizeof dir, "%s/fashionmnist", tmpdir);
    cr_assert_eq(mkdir(dir, 0755), 0);
    write_idx(dir, "train-images-idx3-ubyte.gz", 10, 28);
    write_idx(dir, "train-labels-idx1-ubyte.gz", 10, 0);
    setenv("RTVIZ_DATA", tmpdir, 1);
    char got[DS_PATH_MAX];
    RtErr e = {{0}};
    cr_assert_eq(dataset_locate("fashionmnist", got, sizeof got, &e), -1, "found %s", got);
    cr_assert_not_null(strstr(e.msg, dir), "%s", e.msg);
    cr_assert_not_null(strstr(e.msg, "incomplete"), "%s", e.msg);
    cr_assert_not_null(strstr(e.msg, "t10k-images"), "%s", e.msg);
}

Test(dataset, mixed_shapes_rejected) {
    make_idx_dir("mnist", 10, 10, 28, 32);
    setenv("RTVIZ_DATA", tmpdir, 1);
    Dataset ds;
    RtErr e = {{0}};
    cr_assert_eq(dataset_load("mnist", &ds, &e), -1);
    cr_assert_not_null(strstr(e.msg, tmpdir), "%s", e.msg);
    cr_assert_not_null(strstr(e.msg, "28x28"), "%s", e.msg);
    cr_assert_not_null(strstr(e.msg, "32x32"), "%s", e.msg);
    cr_assert_null(ds.train.x);
}

Test(dataset, mixed_counts_rejected) {
    char dir[300];
    snprintf(dir, sizeof dir, "%s/mnist", tmpdir);
    cr_assert_eq(mkdir(dir, 0755), 0);
    write_idx(dir, "train-images-idx3-ubyte", 12, 4);
    write_idx(dir, "train-labels-idx1-ubyte", 11, 0);
    write_idx(dir, "t10k-images-idx3-ubyte", 5, 4);
    write_idx(dir, "t10k-labels-idx1-ubyte", 5, 0);
    setenv("RTVIZ_DATA", tmpdir, 1);
    Dataset ds;
    RtErr e = {{0}};
    cr_assert_eq(dataset_load("mnist", &ds, &e), -1);
    cr_assert_not_null(strstr(e.msg, "train-labels-idx1-ubyte"), "%s", e.msg);
}

Test(dataset, assets_dir_env) {
    setenv("RTVIZ_ASSETS", tmpdir, 1);
    cr_assert_str_eq(rtviz_assets_dir(), tmpdir);
    Dataset ds;
    RtErr e = {{0}};
    cr_assert_eq(dataset_load("sample", &ds, &e), -1, "sample found outside RTVIZ_ASSETS");
    cr_assert_not_null(strstr(e.msg, tmpdir), "%s", e.msg);
    unsetenv("RTVIZ_ASSETS");
    const char *a = rtviz_assets_dir();
    cr_assert_gt(strlen(a), 0u);
    cr_assert_neq(strcmp(a, tmpdir), 0);
}

Test(dataset, fashionmnist_installed) {
    char dir[DS_PATH_MAX];
    RtErr e = {{0}};
    if (dataset_locate("fashionmnist", dir, sizeof dir, &e))
        cr_skip_test("Fashion-MNIST not installed (sudo apt-get install dataset-fashion-mnist)");
    Dataset ds;
    cr_assert_eq(dataset_load("fashionmnist", &ds, &e), 0, "%s", e.msg);
    cr_assert_eq(ds.train.n, 60000);
    cr_assert_eq(ds.test.n, 10000);
    cr_assert_eq(ds.train.d, 784);
    int count[10] = {0};
    for (int i = 0; i < ds.test.n; i++)
        count[ds.test.y[i]]++;
    for (int c = 0; c < 10; c++)
        cr_assert_eq(count[c], 1000);
    dataset_free(&ds);
}

Test(dataset, batch_float_scales) {
    uint8_t x[3 * 4] = {0, 255, 51, 102, 1, 2, 3, 4, 200, 100, 50, 25};
    uint8_t y[3] = {0, 1, 2};
    DataSplit s = {.n = 3, .ch = 1, .h = 2, .w = 2, .d = 4, .x = x, .y = y};
    float out[2 * 4];
    data_batch_float(&s, NULL, 2, out);
    cr_assert_eq(out[0], 0.0f);
    cr_assert_eq(out[1], 1.0f);
    cr_assert_float_eq(out[2], 0.2f, 1e-7);
    cr_assert_float_eq(out[3], 0.4f, 1e-7);
    cr_assert_eq(out[4], 1.0f / 255.0f);
    int idx[2] = {2, 0};
    data_batch_float(&s, idx, 2, out);
    cr_assert_eq(out[0], 200.0f / 255.0f);
    cr_assert_eq(out[3], 25.0f / 255.0f);
    cr_assert_eq(out[5], 1.0f);
    for (int i = 0; i < 8; i++)
        cr_assert(out[i] >= 0.0f && out[i] <= 1.0f);
}

/* Something that is not a usable file where a data file should be: the
 * reader names the real cause, not "lacks FILE". */
Test(dataset, real_cause_not_lacks) {
    setenv("RTVIZ_DATA", tmpdir, 1);
    const char *dir = make_idx_dir("mnist", 4, 2, 28, 28);
    char p[512];
    snprintf(p, sizeof p, "%s/t10k-labels.idx1-ubyte", dir);
    cr_assert_eq(unlink(p), 0);
    snprintf(p, sizeof p, "%s/t10k-labels-idx1-ubyte", dir);
    cr_assert_eq(mkdir(p, 0755), 0);
    Dataset ds;
    RtErr e = {{0}};
    cr_assert_eq(dataset_load("mnist", &ds, &e), -1);
    cr_assert(strstr(e.msg, p) && strstr(e.msg, "is a directory"), "%s", e.msg);
    cr_assert_null(strstr(e.msg, "lacks"), "%s", e.msg);
    cr_assert_eq(rmdir(p), 0);
    cr_assert_eq(symlink("t10k-labels-idx1-ubyte", p), 0);
    cr_assert_eq(dataset_load("mnist", &ds, &e), -1);
    cr_assert(strstr(e.msg, p) && strstr(e.msg, "symlink loop"), "%s", e.msg);
    cr_assert_eq(unlink(p), 0);
    cr_assert_eq(mkfifo(p, 0600), 0);
    cr_assert_eq(dataset_load("mnist", &ds, &e), -1);
    cr_assert(strstr(e.msg, p) && strstr(e.msg, "is a FIFO"), "%s", e.msg);
}

Test(dataset, peek_gives_the_shape_from_the_header) {
    setenv("RTVIZ_DATA", tmpdir, 1);
    make_idx_dir("mnist", 5, 2, 12, 12);
    DataShape sh;
    RtErr e = {{0}};
    cr_assert_eq(dataset_peek("mnist", &sh, &e), 0, "%s", e.msg);
    cr_assert(sh.ch == 1 && sh.h == 12 && sh.w == 12 && sh.n == 5 && sh.classes == 10);
    cr_assert_not_null(strstr(sh.file, "train-images-idx3-ubyte.gz"), "%s", sh.file);
    cr_assert_eq(dataset_peek("imagenet", &sh, &e), -1);
}
