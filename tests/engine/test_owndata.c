/* test_owndata.c — own data behind --dataset PATH: the CSV reader (header,
 * scale detection, shape, every refusal with its line), the split, IDX
 * directories with classes.txt, class folders of images, and the hooks in
 * dataset_load / dataset_peek. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dataset.h"
#include "image.h"
#include "owndata.h"

static char tmpdir[256];

static void mk_tmp(void) {
    snprintf(tmpdir, sizeof tmpdir, "/tmp/rtviz-own-XXXXXX");
    cr_assert_not_null(mkdtemp(tmpdir));
    owndata_set_test_split(OD_SPLIT_DEF);
}

static void rm_tmp(void) {
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    cr_assert_eq(system(cmd), 0);
    owndata_set_test_split(OD_SPLIT_DEF);
}

static const char *tpath(const char *name) {
    static char p[4][512];
    static int k;
    k = (k + 1) & 3;
    snprintf(p[k], sizeof p[k], "%s/%s", tmpdir, name);
    return p[k];
}

static void put(const char *path, const char *text) {
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f, "%s", path);
    fputs(text, f);
    fclose(f);
}

TestSuite(owndata, .init = mk_tmp, .fini = rm_tmp);

static int parse(const char *text, DataSplit *s, int *C, int *v255, RtErr *e) {
    return owndata_parse_csv((const uint8_t *)text, strlen(text), "x.csv", s, C, v255, e);
}

static void parse_fails(const char *text, const char *what) {
    DataSplit s;
    int C, v;
    RtErr e = {{0}};
    cr_assert_eq(parse(text, &s, &C, &v, &e), -1, "accepted: %s", text);
    cr_assert(strstr(e.msg, what), "'%s' lacks '%s'", e.msg, what);
    cr_assert_eq(strncmp(e.msg, "x.csv: ", 7), 0, "%s", e.msg);
}

Test(owndata, csv_header_scale_and_shape) {
    DataSplit s;
    int C, v;
    RtErr e = {{0}};
    cr_assert_eq(parse("label,a,b,c,d\n0,0,10,20,255\n2,1,2,3,4\n", &s, &C, &v, &e), 0, "%s",
                 e.msg);
    cr_assert_eq(s.n, 2);
    cr_assert_eq(C, 3);
    cr_assert_eq(v, 1);
    cr_assert_eq(s.ch, 1);
    cr_assert_eq(s.h, 2);
    cr_assert_eq(s.w, 2);
    cr_assert_eq(s.x[3], 255);
    cr_assert_eq(s.y[1], 2);
    data_split_free(&s);
    /* 0-1 values scaled; CRLF, spaces, blank lines */
    cr_assert_eq(parse("1, 0.5 ,1,0,0.25\r\n\r\n0,1.0,0,0,0\r\n", &s, &C, &v, &e), 0, "%s", e.msg);
    cr_assert_eq(v, 0);
    cr_assert_eq(s.x[0], 128);
    cr_assert_eq(s.x[1], 255);
    cr_assert_eq(s.x[3], 64);
    cr_assert_eq(C, 2);
    data_split_free(&s);
    /* 12 pixels = RGB 2x2 */
    cr_assert_eq(
        parse("0,1,2,3,4,5,6,7,8,9,10,11,12\n1,1,2,3,4,5,6,7,8,9,10,11,12\n", &s, &C, &v, &e), 0);
    cr_assert_eq(s.ch, 3);
    cr_assert_eq(s.h, 2);
    data_split_free(&s);
}

Test(owndata, csv_refusals_name_the_line) {
    parse_fails("0,1,2,3,4\n1,1,2,3\n", "line 2: 3 pixel values, but line 1 has 4");
    parse_fails("h,a,b,c,d\n0,1,2,3,4\n1,1,2,3,4,5\n", "line 3: 5 pixel values, but line 2 has 4");
    parse_fails("0,1,2,3,4\n16,1,2,3,4\n", "line 2: label 16 is out of range (0-15)");
    parse_fails("0,1,2,3,4\n-1,1,2,3,4\n", "line 2: label -1 is out of range");
    parse_fails("0,1,2,3,4\n1.5,1,2,3,4\n", "line 2: label '1.5' is not a whole number");
    parse_fails("0,1,2,3,4\ncat,1,2,3,4\n", "line 2: label 'cat' is not a whole number");
    parse_fails("0,1,2,3,4\n1,1,2,300,4\n", "line 2, field 4: value 300 is out of range");
    parse_fails("0,1,2,3,4\n1,1,2,,4\n", "line 2, field 4: '' is not a number");
    parse_fails("0,1,2,3,4\n1,1,2,1e3,4\n", "line 2, field 4: '1e3' is not a number");
    parse_fails("0,1,2,3,4,5\n1,1,2,3,4,5\n", "line 1: 5 pixels is not a square image");
    parse_fails("0\n1\n", "line 1: a label and no pixels");
    parse_fails("label,a,b\n", "no data rows");
    parse_fails("0,1,2,3,4\n0,1,2,3,4\n", "every label is 0");
    parse_fails("0,1,2,3,4\n1,1,\0002,3,4\n", "line 2, field 3"); /* the NUL cuts the text */
    DataSplit s;
    int C, v;
    RtErr e = {{0}};
    const char nul[] = "0,1,2,3,4\n1,1,2\0003,4\n";
    cr_assert_eq(owndata_parse_csv((const uint8_t *)nul, sizeof nul - 1, "x.csv", &s, &C, &v, &e),
                 -1);
    cr_assert(strstr(e.msg, "line 2: a NUL byte"), "%s", e.msg);
}

Test(owndata, csv_split_is_deterministic_and_follows_the_fraction) {
    char *text = malloc(200000), *p = text;
    for (int r = 0; r < 1000; r++)
        p += sprintf(p, "%d,%d,%d,%d,%d\n", r % 4, r % 256, (r * 3) % 256, 7, 9);
    put(tpath("d.csv"), text);
    free(text);
    Dataset a, b;
    RtErr e = {{0}};
    char note[RT_ERRLEN];
    owndata_set_test_split(0.25f);
    cr_assert_eq(owndata_load(tpath("d.csv"), &a, note, sizeof note, &e), 0, "%s", e.msg);
    cr_assert(strstr(note, "values 0-255"), "%s", note);
    cr_assert_eq(a.train.n + a.test.n, 1000);
    cr_assert(a.test.n > 200 && a.test.n < 300, "test %d of 1000 at 0.25", a.test.n);
    cr_assert_eq(a.classes, 4);
    cr_assert_str_eq(a.class_names[3], "3");
    cr_assert_eq(owndata_load(tpath("d.csv"), &b, NULL, 0, &e), 0);
    cr_assert_eq(a.test.n, b.test.n);
    cr_assert_eq(memcmp(a.test.x, b.test.x, (size_t)a.test.n * a.test.d), 0, "not deterministic");
    dataset_free(&b);
    owndata_set_test_split(0.5f);
    cr_assert_eq(owndata_load(tpath("d.csv"), &b, NULL, 0, &e), 0);
    cr_assert(b.test.n > 450 && b.test.n < 550, "test %d of 1000 at 0.5", b.test.n);
    dataset_free(&b);
    dataset_free(&a);
    /* two rows: one each */
    put(tpath("two.csv"), "0,1,2,3,4\n1,1,2,3,4\n");
    cr_assert_eq(owndata_load(tpath("two.csv"), &a, NULL, 0, &e), 0, "%s", e.msg);
    cr_assert_eq(a.train.n, 1);
    cr_assert_eq(a.test.n, 1);
    dataset_free(&a);
}

Test(owndata, the_dataset_hooks_take_a_path) {
    put(tpath("h.csv"), "0,1,2,3,4,5,6,7,8,9\n1,1,2,3,4,5,6,7,8,9\n2,0,0,0,0,0,0,0,0,0\n");
    Dataset ds;
    RtErr e = {{0}};
    cr_assert(owndata_is_path(tpath("h.csv")));
    cr_assert(owndata_is_path("mine.csv"));
    cr_assert_not(owndata_is_path("fashionmnist"));
    cr_assert_eq(dataset_load(tpath("h.csv"), &ds, &e), 0, "%s", e.msg);
    cr_assert_eq(ds.classes, 3);
    cr_assert_eq(ds.train.h, 3);
    cr_assert_str_eq(ds.dir, tpath("h.csv"));
    dataset_free(&ds);
    DataShape sh;
    cr_assert_eq(dataset_peek(tpath("h.csv"), &sh, &e), 0, "%s", e.msg);
    cr_assert_eq(sh.classes, 3);
    cr_assert_eq(sh.h, 3);
    cr_assert_eq(sh.ch, 1);
    cr_assert_eq(dataset_load(tpath("nope.csv"), &ds, &e), -1);
    cr_assert(strstr(e.msg, "nope.csv: No such file") || strstr(e.msg, "nope.csv: no such file"),
              "%s", e.msg);
    const char *fifo = tpath("p.csv");
    cr_assert_eq(mkfifo(fifo, 0600), 0);
    cr_assert_eq(dataset_load(fifo, &ds, &e), -1);
    cr_assert(strstr(e.msg, "is a FIFO"), "%s", e.msg);
}

/* an IDX image file of n images h x w (value i for image i) and a label file */
static void write_idx(const char *dir, const char *split, int n, int h, int w, int classes) {
    char p[600];
    snprintf(p, sizeof p, "%s/%s-images-idx3-ubyte", dir, split);
    FILE *f = fopen(p, "wb");
    cr_assert_not_null(f);
    uint8_t hd[16] = {0, 0, 8,          3, 0, 0, (uint8_t)(n >> 8), (uint8_t)n, 0,
                      0, 0, (uint8_t)h, 0, 0, 0, (uint8_t)w};
    fwrite(hd, 1, 16, f);
    for (int i = 0; i < n * h * w; i++)
        fputc(i / (h * w), f);
    fclose(f);
    snprintf(p, sizeof p, "%s/%s-labels-idx1-ubyte", dir, split);
    f = fopen(p, "wb");
    uint8_t hl[8] = {0, 0, 8, 1, 0, 0, (uint8_t)(n >> 8), (uint8_t)n};
    fwrite(hl, 1, 8, f);
    for (int i = 0; i < n; i++)
        fputc(i % classes, f);
    fclose(f);
}

Test(owndata, idx_directory_any_size_and_classes_txt) {
    const char *d = tpath("idx");
    cr_assert_eq(mkdir(d, 0755), 0);
    write_idx(d, "train", 12, 5, 7, 3);
    write_idx(d, "t10k", 6, 5, 7, 3);
    Dataset ds;
    RtErr e = {{0}};
    char note[RT_ERRLEN];
    cr_assert_eq(owndata_load(d, &ds, note, sizeof note, &e), 0, "%s", e.msg);
    cr_assert_eq(ds.train.h, 5);
    cr_assert_eq(ds.train.w, 7);
    cr_assert_eq(ds.classes, 3);
    cr_assert_str_eq(ds.class_names[2], "2");
    cr_assert(strstr(note, "no classes.txt"), "%s", note);
    dataset_free(&ds);
    char p[600];
    snprintf(p, sizeof p, "%s/classes.txt", d);
    put(p, "red\r\ngreen\nblue\nspare\n\n");
    cr_assert_eq(owndata_load(d, &ds, NULL, 0, &e), 0, "%s", e.msg);
    cr_assert_eq(ds.classes, 4); /* classes.txt may name more classes than the labels use */
    cr_assert_str_eq(ds.class_names[0], "red");
    cr_assert_str_eq(ds.class_names[3], "spare");
    dataset_free(&ds);
    char names[4][32] = {"", "", "", ""};
    cr_assert_eq(owndata_class_names(d, 4, names), 4);
    cr_assert_str_eq(names[1], "green");
    put(p, "red\ngreen\n");
    cr_assert_eq(owndata_load(d, &ds, NULL, 0, &e), -1);
    cr_assert(strstr(e.msg, "classes.txt: names 2 classes, but a label is 2"), "%s", e.msg);
    put(p, "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\nm\nn\no\np\nq\n");
    cr_assert_eq(owndata_load(d, &ds, NULL, 0, &e), -1);
    cr_assert(strstr(e.msg, "line 17: more than 16 classes"), "%s", e.msg);
    put(p, "a\nthis name is far too long for a class, really\nc\n");
    cr_assert_eq(owndata_load(d, &ds, NULL, 0, &e), -1);
    cr_assert(strstr(e.msg, "line 2: class name longer than 31"), "%s", e.msg);
    unlink(p);
    write_idx(d, "t10k", 6, 5, 6, 3);
    cr_assert_eq(owndata_load(d, &ds, NULL, 0, &e), -1);
    cr_assert(strstr(e.msg, "training images are 5x7 but test images 5x6"), "%s", e.msg);
}

/* a w x h grey PNG with a bright square of side k at (x, y) on black */
static void png_square(const char *path, int w, int h, int x, int y, int k) {
    uint8_t *pix = calloc((size_t)w * h, 1);
    for (int r = y; r < y + k && r < h; r++)
        for (int c = x; c < x + k && c < w; c++)
            pix[r * w + c] = 255;
    RtErr e = {{0}};
    cr_assert_eq(image_write_png(path, pix, w, h, 1, &e), 0, "%s", e.msg);
    free(pix);
}

Test(owndata, class_folders_of_images) {
    const char *d = tpath("img");
    char p[700];
    cr_assert_eq(mkdir(d, 0755), 0);
    const char *cls[3] = {"b-square", "a-dot", "c-big"};
    for (int k = 0; k < 3; k++) {
        snprintf(p, sizeof p, "%s/%s", d, cls[k]);
        cr_assert_eq(mkdir(p, 0755), 0);
        for (int i = 0; i < 5; i++) {
            snprintf(p, sizeof p, "%s/%s/%d.png", d, cls[k], i);
            png_square(p, 20, 20, 2 + i, 3, 4 + 4 * k);
        }
    }
    snprintf(p, sizeof p, "%s/c-big/z-other-size.png", d);
    png_square(p, 50, 30, 5, 5, 20);
    snprintf(p, sizeof p, "%s/a-dot/.hidden", d);
    put(p, "not an image, but hidden: skipped");
    Dataset ds;
    RtErr e = {{0}};
    char note[RT_ERRLEN];
    owndata_set_test_split(0.3f);
    cr_assert_eq(owndata_load(d, &ds, note, sizeof note, &e), 0, "%s", e.msg);
    cr_assert_eq(ds.classes, 3);
    cr_assert_str_eq(ds.class_names[0], "a-dot"); /* sorted */
    cr_assert_str_eq(ds.class_names[2], "c-big");
    cr_assert_eq(ds.train.n + ds.test.n, 16);
    cr_assert_gt(ds.test.n, 0);
    cr_assert_eq(ds.train.ch, 1);
    cr_assert_eq(ds.train.h, 20);
    cr_assert_eq(ds.train.w, 20);
    cr_assert(strstr(note, "16 images converted to 1x20x20"), "%s", note);
    cr_assert(strstr(note, "1 of another size resized"), "%s", note);
    dataset_free(&ds);
    char names[3][32];
    cr_assert_eq(owndata_class_names(d, 3, names), 3);
    cr_assert_str_eq(names[1], "b-square");
    /* an empty class folder */
    snprintf(p, sizeof p, "%s/d-empty", d);
    cr_assert_eq(mkdir(p, 0755), 0);
    cr_assert_eq(owndata_load(d, &ds, NULL, 0, &e), -1);
    cr_assert(strstr(e.msg, "d-empty: empty class folder"), "%s", e.msg);
    /* a file that is not an image */
    snprintf(p, sizeof p, "%s/d-empty/notes.txt", d);
    put(p, "hello");
    cr_assert_eq(owndata_load(d, &ds, NULL, 0, &e), -1);
    cr_assert(strstr(e.msg, "d-empty/notes.txt: not an image"), "%s", e.msg);
    unlink(p);
    snprintf(p, sizeof p, "%s/d-empty", d);
    rmdir(p);
    /* a single class folder */
    const char *one = tpath("one");
    cr_assert_eq(mkdir(one, 0755), 0);
    snprintf(p, sizeof p, "%s/only", one);
    cr_assert_eq(mkdir(p, 0755), 0);
    snprintf(p, sizeof p, "%s/only/a.png", one);
    png_square(p, 8, 8, 1, 1, 3);
    cr_assert_eq(owndata_load(one, &ds, NULL, 0, &e), -1);
    cr_assert(strstr(e.msg, "1 class folder: at least 2 are needed"), "%s", e.msg);
}

Test(owndata, first_image_larger_than_the_cap_fixes_a_scaled_size) {
    const char *d = tpath("big");
    char p[700];
    cr_assert_eq(mkdir(d, 0755), 0);
    for (int k = 0; k < 2; k++) {
        snprintf(p, sizeof p, "%s/%c", d, 'a' + k);
        cr_assert_eq(mkdir(p, 0755), 0);
        for (int i = 0; i < 3; i++) {
            snprintf(p, sizeof p, "%s/%c/%d.png", d, 'a' + k, i);
            png_square(p, 1024, 512, 100 * i, 50, 200 + 100 * k);
        }
    }
    Dataset ds;
    RtErr e = {{0}};
    cr_assert_eq(owndata_load(d, &ds, NULL, 0, &e), 0, "%s", e.msg);
    cr_assert_eq(ds.train.w, OD_MAX_SIDE);
    cr_assert_eq(ds.train.h, OD_MAX_SIDE / 2);
    dataset_free(&ds);
}
