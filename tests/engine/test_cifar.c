/* test_cifar.c — the CIFAR-10 binary reader (src/engine/cifar.c). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dataset.h"

#define REC 3073

static char tmpdir[64];

static void setup(void) {
    strcpy(tmpdir, "/tmp/rtviz-test-cifar-XXXXXX");
    cr_assert_not_null(mkdtemp(tmpdir));
}

static void teardown(void) {
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    cr_assert_eq(system(cmd), 0);
}

TestSuite(cifar, .init = setup, .fini = teardown);

/* Write tmpdir/name with n records (label (first + i) % 10, pixels i + j) and
 * extra trailing bytes. */
static const char *write_batch(const char *name, int n, int first, int extra) {
    static char path[8][256];
    static int k;
    k = (k + 1) % 8;
    snprintf(path[k], sizeof path[k], "%s/%s", tmpdir, name);
    FILE *f = fopen(path[k], "wb");
    cr_assert_not_null(f);
    for (int i = 0; i < n; i++) {
        fputc((first + i) % 10, f);
        for (int j = 0; j < REC - 1; j++)
            fputc((i + j) & 0xff, f);
    }
    for (int i = 0; i < extra; i++)
        fputc(0, f);
    cr_assert_eq(fclose(f), 0);
    return path[k];
}

Test(cifar, reads_and_concatenates) {
    const char *paths[2] = {write_batch("a.bin", 3, 0, 0), write_batch("b.bin", 2, 7, 0)};
    DataSplit s = {0};
    RtErr e = {{0}};
    cr_assert_eq(cifar_load(paths, 2, &s, &e), 0, "%s", e.msg);
    cr_assert_eq(s.n, 5);
    cr_assert_eq(s.ch, 3);
    cr_assert_eq(s.h, 32);
    cr_assert_eq(s.w, 32);
    cr_assert_eq(s.d, 3072);
    uint8_t want_y[5] = {0, 1, 2, 7, 8};
    cr_assert_eq(memcmp(s.y, want_y, 5), 0);
    cr_assert_eq(s.x[0], 0);
    cr_assert_eq(s.x[3072 + 5], 6);        /* record 1, pixel 5 = 1 + 5 */
    cr_assert_eq(s.x[3 * 3072 + 1024], 0); /* b.bin record 0: green plane starts at 1024 */
    cr_assert_eq(s.x[4 * 3072 + 3071], (1 + 3071) & 0xff);
    data_split_free(&s);
}

Test(cifar, rejects_malformed) {
    const char *bad[] = {write_batch("trunc.bin", 2, 0, 0), NULL};
    /* cut the file in the middle of a record */
    cr_assert_eq(truncate(bad[0], REC + 100), 0);
    DataSplit s = {0};
    RtErr e = {{0}};
    cr_assert_eq(cifar_load(bad, 1, &s, &e), -1);
    cr_assert_not_null(strstr(e.msg, bad[0]), "%s", e.msg);
    const char *trail[] = {write_batch("trail.bin", 1, 0, 5)};
    cr_assert_eq(cifar_load(trail, 1, &s, &e), -1);
    cr_assert_not_null(strstr(e.msg, trail[0]), "%s", e.msg);
    const char *lab[] = {write_batch("label.bin", 2, 9, 0)};
    FILE *f = fopen(lab[0], "r+b");
    cr_assert_not_null(f);
    fseek(f, REC, SEEK_SET);
    fputc(10, f); /* record 1 gets label 10 */
    fclose(f);
    cr_assert_eq(cifar_load(lab, 1, &s, &e), -1);
    cr_assert_not_null(strstr(e.msg, "label 10"), "%s", e.msg);
    const char *empty[] = {write_batch("empty.bin", 0, 0, 0)};
    cr_assert_eq(cifar_load(empty, 1, &s, &e), -1);
    cr_assert_not_null(strstr(e.msg, empty[0]), "%s", e.msg);
    const char *dir[] = {tmpdir};
    cr_assert_eq(cifar_load(dir, 1, &s, &e), -1);
    cr_assert_not_null(strstr(e.msg, tmpdir), "%s", e.msg);
    /* a good file then a bad one: nothing is left behind */
    const char *mix[] = {write_batch("good.bin", 1, 0, 0), trail[0]};
    cr_assert_eq(cifar_load(mix, 2, &s, &e), -1);
    cr_assert_null(s.x);
}

Test(cifar, registry_finds_batches_subdir) {
    char dir[300];
    snprintf(dir, sizeof dir, "%s/cifar10", tmpdir);
    cr_assert_eq(mkdir(dir, 0755), 0);
    snprintf(dir, sizeof dir, "%s/cifar10/cifar-10-batches-bin", tmpdir);
    cr_assert_eq(mkdir(dir, 0755), 0);
    char name[64];
    for (int i = 1; i <= 5; i++) {
        snprintf(name, sizeof name, "cifar10/cifar-10-batches-bin/data_batch_%d.bin", i);
        write_batch(name, 2, i, 0);
    }
    setenv("RTVIZ_DATA", tmpdir, 1);
    Dataset ds;
    RtErr e = {{0}};
    cr_assert_eq(dataset_load("cifar10", &ds, &e), -1, "test_batch.bin is missing");
    write_batch("cifar10/cifar-10-batches-bin/test_batch.bin", 3, 0, 0);
    cr_assert_eq(dataset_load("cifar10", &ds, &e), 0, "%s", e.msg);
    cr_assert_str_eq(ds.dir, dir);
    cr_assert_eq(ds.train.n, 10);
    cr_assert_eq(ds.test.n, 3);
    cr_assert_eq(ds.train.y[2], 2); /* batch 2, record 0 */
    cr_assert_str_eq(ds.class_names[0], "airplane");
    dataset_free(&ds);
}

/* A batch file beyond CIFAR_MAX_RECS records (the real ones hold 10,000) is refused. */
Test(cifar, record_cap) {
    char path[300];
    snprintf(path, sizeof path, "%s/huge.bin", tmpdir);
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f);
    cr_assert_eq(ftruncate(fileno(f), (off_t)(CIFAR_MAX_RECS + 1) * REC), 0); /* sparse zeros */
    cr_assert_eq(fclose(f), 0);
    const char *paths[1] = {path};
    DataSplit s = {0};
    RtErr e = {{0}};
    cr_assert_eq(cifar_load(paths, 1, &s, &e), -1);
    cr_assert(strstr(e.msg, path) && strstr(e.msg, "larger than"), "%s", e.msg);
    cr_assert_null(s.x);
}
