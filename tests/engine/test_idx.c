/* test_idx.c — the IDX readers on valid and malformed files (src/engine/idx.c). */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include <zlib.h>

#include "../test_util.h"
#include "dataset.h"

static char tmpdir[64];

static void setup(void) {
    strcpy(tmpdir, "/tmp/rtviz-test-idx-XXXXXX");
    cr_assert_not_null(mkdtemp(tmpdir));
}

static void teardown(void) {
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    cr_assert_eq(system(cmd), 0);
}

TestSuite(idx, .init = setup, .fini = teardown);

static const char *tpath(const char *name) {
    static char p[4][256];
    static int k;
    k = (k + 1) % 4;
    snprintf(p[k], sizeof p[k], "%s/%s", tmpdir, name);
    return p[k];
}

static void put_be32(uint8_t *p, uint32_t v) {
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

static void write_raw(const char *path, const void *buf, size_t n) {
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f);
    cr_assert_eq(fwrite(buf, 1, n, f), n);
    cr_assert_eq(fclose(f), 0);
}

static void write_gz(const char *path, const void *buf, size_t n) {
    gzFile g = gzopen(path, "wb");
    cr_assert_not_null(g);
    cr_assert_eq(gzwrite(g, buf, (unsigned)n), (int)n);
    cr_assert_eq(gzclose(g), Z_OK);
}

/* An IDX image file of n images of rows x cols, pixel i of the file = i*7. */
static size_t make_images(uint8_t *buf, uint32_t magic, uint32_t n, uint32_t rows, uint32_t cols,
                          size_t body) {
    put_be32(buf, magic);
    put_be32(buf + 4, n);
    put_be32(buf + 8, rows);
    put_be32(buf + 12, cols);
    for (size_t i = 0; i < body; i++)
        buf[16 + i] = (uint8_t)(i * 7);
    return 16 + body;
}

static size_t make_labels(uint8_t *buf, uint32_t n, const uint8_t *labels, size_t body) {
    put_be32(buf, 0x00000801);
    put_be32(buf + 4, n);
    memcpy(buf + 8, labels, body);
    return 8 + body;
}

/* Assert that loading path as images fails with a message naming it. */
static void expect_images_fail(const char *path, const char *what) {
    DataSplit s = {0};
    RtErr e = {{0}};
    cr_assert_eq(idx_load_images(path, &s, &e), -1, "%s: expected failure", what);
    cr_assert_not_null(strstr(e.msg, path), "%s: message does not name the file: %s", what, e.msg);
    cr_assert_null(strchr(e.msg, '\n'), "%s: message is not one line", what);
    cr_assert_null(s.x, "%s: buffer left behind", what);
}

static void expect_labels_fail(const char *path, int classes, const char *what) {
    DataSplit s = {0};
    RtErr e = {{0}};
    cr_assert_eq(idx_load_labels(path, &s, classes, &e), -1, "%s: expected failure", what);
    cr_assert_not_null(strstr(e.msg, path), "%s: message does not name the file: %s", what, e.msg);
    cr_assert_null(s.y, "%s: buffer left behind", what);
}

Test(idx, valid_raw_and_gzip_load_identically) {
    uint8_t buf[16 + 3 * 4 * 5];
    size_t n = make_images(buf, 0x00000803, 3, 4, 5, 3 * 4 * 5);
    write_raw(tpath("img"), buf, n);
    write_gz(tpath("img.gz"), buf, n);
    uint8_t lb[8 + 3], labels[3] = {2, 0, 9};
    size_t ln = make_labels(lb, 3, labels, 3);
    write_raw(tpath("lab"), lb, ln);
    write_gz(tpath("lab.gz"), lb, ln);

    DataSplit a = {0}, b = {0};
    RtErr e = {{0}};
    cr_assert_eq(idx_load_images(tpath("img"), &a, &e), 0, "%s", e.msg);
    cr_assert_eq(idx_load_labels(tpath("lab"), &a, 10, &e), 0, "%s", e.msg);
    cr_assert_eq(idx_load_images(tpath("img.gz"), &b, &e), 0, "%s", e.msg);
    cr_assert_eq(idx_load_labels(tpath("lab.gz"), &b, 10, &e), 0, "%s", e.msg);
    cr_assert_eq(a.n, 3);
    cr_assert_eq(a.ch, 1);
    cr_assert_eq(a.h, 4);
    cr_assert_eq(a.w, 5);
    cr_assert_eq(a.d, 20);
    cr_assert_eq(b.n, a.n);
    cr_assert_eq(b.d, a.d);
    cr_assert_eq(memcmp(a.x, buf + 16, 60), 0);
    cr_assert_eq(memcmp(a.x, b.x, 60), 0);
    cr_assert_eq(memcmp(a.y, labels, 3), 0);
    cr_assert_eq(memcmp(b.y, labels, 3), 0);
    data_split_free(&a);
    data_split_free(&b);
    cr_assert_null(a.x);
    cr_assert_eq(a.n, 0);
}

Test(idx, large_file_grows_buffer) {
    /* 300 images of 28x28 = 235 KB: more than the first buffer, several doublings */
    size_t body = 300 * 784;
    uint8_t *buf = malloc(16 + body);
    cr_assert_not_null(buf);
    make_images(buf, 0x00000803, 300, 28, 28, body);
    write_gz(tpath("big.gz"), buf, 16 + body);
    DataSplit s = {0};
    RtErr e = {{0}};
    cr_assert_eq(idx_load_images(tpath("big.gz"), &s, &e), 0, "%s", e.msg);
    cr_assert_eq(s.n, 300);
    cr_assert_eq(memcmp(s.x, buf + 16, body), 0);
    data_split_free(&s);
    free(buf);
}

Test(idx, bad_magic) {
    uint8_t buf[16 + 4];
    size_t n = make_images(buf, 0x00000804, 1, 2, 2, 4);
    write_raw(tpath("bad"), buf, n);
    expect_images_fail(tpath("bad"), "bad magic");
}

Test(idx, label_file_as_images_says_so) {
    uint8_t lb[8 + 2], labels[2] = {1, 2};
    write_raw(tpath("lab"), lb, make_labels(lb, 2, labels, 2));
    DataSplit s = {0};
    RtErr e = {{0}};
    cr_assert_eq(idx_load_images(tpath("lab"), &s, &e), -1);
    cr_assert_not_null(strstr(e.msg, "label"), "%s", e.msg);
}

Test(idx, truncated_header) {
    uint8_t buf[16 + 4];
    make_images(buf, 0x00000803, 1, 2, 2, 4);
    write_raw(tpath("short"), buf, 10);
    expect_images_fail(tpath("short"), "truncated header");
    write_raw(tpath("short2"), buf, 3);
    expect_images_fail(tpath("short2"), "truncated magic");
}

Test(idx, truncated_data) {
    uint8_t buf[16 + 40];
    make_images(buf, 0x00000803, 10, 2, 2, 40);
    write_raw(tpath("trunc"), buf, 16 + 39);
    expect_images_fail(tpath("trunc"), "truncated data");
    write_gz(tpath("trunc.gz"), buf, 16 + 39);
    expect_images_fail(tpath("trunc.gz"), "truncated data, gzip");
    uint8_t lb[8 + 5], labels[5] = {0, 1, 2, 3, 4};
    make_labels(lb, 5, labels, 5);
    write_raw(tpath("ltrunc"), lb, 8 + 4);
    expect_labels_fail(tpath("ltrunc"), 10, "truncated labels");
}

Test(idx, huge_claims_in_tiny_file) {
    uint8_t buf[16 + 4];
    make_images(buf, 0x00000803, 0x80000000u, 28, 28, 4);
    write_raw(tpath("claim31"), buf, sizeof buf);
    expect_images_fail(tpath("claim31"), "2^31 images");
    /* within int range: must fail on the data actually there, not allocate 784 GB */
    make_images(buf, 0x00000803, 0x40000000u, 28, 28, 4);
    write_raw(tpath("claim30"), buf, sizeof buf);
    expect_images_fail(tpath("claim30"), "2^30 images");
    uint8_t lb[8 + 2], labels[2] = {1, 2};
    make_labels(lb, 0x7fffffffu, labels, 2);
    write_raw(tpath("lclaim"), lb, sizeof lb);
    expect_labels_fail(tpath("lclaim"), 10, "2^31-1 labels");
}

Test(idx, rows_cols_overflow) {
    uint8_t buf[16 + 4];
    make_images(buf, 0x00000803, 1, 0x10000u, 0x10000u, 4);
    write_raw(tpath("ovf"), buf, sizeof buf);
    expect_images_fail(tpath("ovf"), "rows*cols overflow 32 bits");
    make_images(buf, 0x00000803, 1, 0xffffffffu, 0xffffffffu, 4);
    write_raw(tpath("ovf2"), buf, sizeof buf);
    expect_images_fail(tpath("ovf2"), "rows*cols near 2^64");
    make_images(buf, 0x00000803, 1, 0, 5, 4);
    write_raw(tpath("zero"), buf, sizeof buf);
    expect_images_fail(tpath("zero"), "zero rows");
    make_images(buf, 0x00000803, 0, 2, 2, 0);
    write_raw(tpath("none"), buf, 16);
    expect_images_fail(tpath("none"), "zero images");
}

Test(idx, label_not_below_classes) {
    uint8_t lb[8 + 4], labels[4] = {0, 3, 10, 1};
    write_raw(tpath("lab"), lb, make_labels(lb, 4, labels, 4));
    expect_labels_fail(tpath("lab"), 10, "label 10 with 10 classes");
    DataSplit s = {0};
    RtErr e = {{0}};
    cr_assert_eq(idx_load_labels(tpath("lab"), &s, 11, &e), 0, "%s", e.msg);
    cr_assert_eq(s.y[2], 10);
    data_split_free(&s);
}

Test(idx, count_mismatch_images_vs_labels) {
    uint8_t buf[16 + 12];
    write_raw(tpath("img"), buf, make_images(buf, 0x00000803, 3, 2, 2, 12));
    uint8_t lb[8 + 2], labels[2] = {1, 2};
    write_raw(tpath("lab"), lb, make_labels(lb, 2, labels, 2));
    DataSplit s = {0};
    RtErr e = {{0}};
    cr_assert_eq(idx_load_images(tpath("img"), &s, &e), 0, "%s", e.msg);
    cr_assert_eq(idx_load_labels(tpath("lab"), &s, 10, &e), -1);
    cr_assert_not_null(strstr(e.msg, tpath("lab")), "%s", e.msg);
    cr_assert_null(s.y);
    data_split_free(&s);
    /* and the other way round */
    cr_assert_eq(idx_load_labels(tpath("lab"), &s, 10, &e), 0, "%s", e.msg);
    cr_assert_eq(idx_load_images(tpath("img"), &s, &e), -1);
    cr_assert_not_null(strstr(e.msg, tpath("img")), "%s", e.msg);
    data_split_free(&s);
}

Test(idx, trailing_garbage) {
    uint8_t buf[16 + 8 + 3];
    make_images(buf, 0x00000803, 2, 2, 2, 8 + 3);
    write_raw(tpath("trail"), buf, sizeof buf);
    expect_images_fail(tpath("trail"), "trailing garbage");
    write_gz(tpath("trail.gz"), buf, sizeof buf);
    expect_images_fail(tpath("trail.gz"), "trailing garbage, gzip");
}

Test(idx, empty_directory_missing_bzip2) {
    write_raw(tpath("empty"), "", 0);
    expect_images_fail(tpath("empty"), "empty file");
    write_gz(tpath("empty.gz"), "", 0);
    expect_images_fail(tpath("empty.gz"), "gzip of nothing");
    expect_images_fail(tmpdir, "directory");
    expect_labels_fail(tmpdir, 10, "directory (labels)");
    expect_images_fail(tpath("does-not-exist"), "missing file");
    write_raw(tpath("bz"), "BZh91AY&SY\x01\x02\x03\x04\x05\x06\x07\x08", 18);
    expect_images_fail(tpath("bz"), "bzip2");
    DataSplit s = {0};
    RtErr e = {{0}};
    idx_load_images(tpath("bz"), &s, &e);
    cr_assert_not_null(strstr(e.msg, "bunzip2"), "%s", e.msg);
}

Test(idx, corrupt_gzip) {
    uint8_t buf[16 + 400];
    size_t n = make_images(buf, 0x00000803, 100, 2, 2, 400);
    write_gz(tpath("ok.gz"), buf, n);
    FILE *f = fopen(tpath("ok.gz"), "rb");
    cr_assert_not_null(f);
    uint8_t z[2048];
    size_t zn = fread(z, 1, sizeof z, f);
    fclose(f);
    cr_assert_gt(zn, 30u);
    /* cut the gzip stream in the middle */
    write_raw(tpath("cut.gz"), z, zn / 2);
    expect_images_fail(tpath("cut.gz"), "gzip cut short");
    /* break the CRC at the end (data intact) */
    z[zn - 6] ^= 0xff;
    write_raw(tpath("crc.gz"), z, zn);
    expect_images_fail(tpath("crc.gz"), "gzip CRC");
}

Test(idx, read_file_limits) {
    uint8_t *b = NULL;
    size_t n = 0;
    RtErr e = {{0}};
    write_raw(tpath("ten"), "0123456789", 10);
    cr_assert_eq(ds_read_file(tpath("ten"), 10, &b, &n, &e), 0, "%s", e.msg);
    cr_assert_eq(n, 10u);
    cr_assert_eq(memcmp(b, "0123456789", 10), 0);
    free(b);
    cr_assert_eq(ds_read_file(tpath("ten"), 9, &b, &n, &e), -1);
    cr_assert_not_null(strstr(e.msg, tpath("ten")), "%s", e.msg);
}

/* ---- non-regular files, caps, gzip framing -------------------------------------- */

/* A FIFO without a writer would block open() for ever: refused at once. */
Test(idx, fifo_and_device_refused_without_blocking, .timeout = 20) {
    cr_assert_eq(mkfifo(tpath("fifo"), 0600), 0);
    expect_images_fail(tpath("fifo"), "FIFO");
    DataSplit s = {0};
    RtErr e = {{0}};
    idx_load_labels(tpath("fifo"), &s, 10, &e);
    cr_assert_not_null(strstr(e.msg, "is a FIFO, not a regular file"), "%s", e.msg);
    uint8_t *b = NULL;
    size_t n = 0;
    cr_assert_eq(ds_read_file(tpath("fifo"), 100, &b, &n, &e), -1);
    cr_assert_eq(symlink("loop", tpath("loop")), 0);
    expect_images_fail(tpath("loop"), "symlink loop");
    idx_load_images(tpath("loop"), &s, &e);
    cr_assert_not_null(strstr(e.msg, "symlink loop"), "%s", e.msg);
    if (mknod(tpath("zero"), S_IFCHR | 0600, makedev(1, 5)) == 0) {
        expect_images_fail(tpath("zero"), "character device (endless zeros)");
        idx_load_images(tpath("zero"), &s, &e);
        cr_assert_not_null(strstr(e.msg, "is a character device"), "%s", e.msg);
    } else
        cr_log_warn("mknod not permitted: device case not run");
}

/* The counts and sizes a header may claim are capped before anything is
 * read or allocated: a small gzip cannot make the reader grow towards 1 GB. */
Test(idx, header_claims_beyond_the_caps) {
    size_t body = 1 << 20; /* 1 MB of zeros: a gzip of 1 KB */
    uint8_t *buf = calloc(16 + body, 1);
    cr_assert_not_null(buf);
    make_images(buf, 0x00000803, 0x7fffffffu, 28, 28, 0);
    write_gz(tpath("claim.gz"), buf, 16 + body);
    DataSplit s = {0};
    RtErr e = {{0}};
    cr_assert_eq(idx_load_images(tpath("claim.gz"), &s, &e), -1);
    cr_assert_not_null(strstr(e.msg, "header claims 2147483647 images; rtviz accepts at most"),
                       "%s", e.msg);
    make_images(buf, 0x00000803, DS_MAX_ITEMS + 1, 1, 1, 0);
    write_gz(tpath("items.gz"), buf, 16 + body);
    expect_images_fail(tpath("items.gz"), "one image over the count cap");
    /* within the count cap, over the byte cap: 1,000,000 images of 32 x 32 */
    make_images(buf, 0x00000803, DS_MAX_ITEMS, 32, 32, 0);
    write_gz(tpath("bytes.gz"), buf, 16 + body);
    cr_assert_eq(idx_load_images(tpath("bytes.gz"), &s, &e), -1);
    cr_assert_not_null(strstr(e.msg, "rtviz accepts at most 268435456 bytes"), "%s", e.msg);
    uint8_t lb[8 + 2], labels[2] = {1, 2};
    make_labels(lb, DS_MAX_ITEMS + 1, labels, 2);
    write_raw(tpath("lcap"), lb, sizeof lb);
    expect_labels_fail(tpath("lcap"), 10, "labels over the count cap");
    free(buf);
}

static void append(const char *path, const void *p, size_t n) {
    FILE *f = fopen(path, "ab");
    cr_assert_not_null(f);
    cr_assert_eq(fwrite(p, 1, n, f), n);
    cr_assert_eq(fclose(f), 0);
}

/* zlib's gzread skips garbage after a gzip stream; the reader must not. */
Test(idx, trailing_bytes_after_the_gzip_stream) {
    uint8_t buf[16 + 8];
    make_images(buf, 0x00000803, 2, 2, 2, 8);
    write_gz(tpath("junk.gz"), buf, sizeof buf);
    append(tpath("junk.gz"), "junk", 4);
    expect_images_fail(tpath("junk.gz"), "4 bytes after the gzip stream");
    DataSplit s = {0};
    RtErr e = {{0}};
    idx_load_images(tpath("junk.gz"), &s, &e);
    cr_assert_not_null(strstr(e.msg, "trailing data after the end of the gzip stream"), "%s",
                       e.msg);
    write_gz(tpath("one.gz"), buf, sizeof buf);
    append(tpath("one.gz"), "\x1f", 1);
    expect_images_fail(tpath("one.gz"), "1 byte after the gzip stream");
    static const uint8_t zeros[512] = {0};
    write_gz(tpath("pad.gz"), buf, sizeof buf);
    append(tpath("pad.gz"), zeros, sizeof zeros);
    expect_images_fail(tpath("pad.gz"), "zero padding after the gzip stream");
    uint8_t lb[8 + 3], labels[3] = {1, 2, 3};
    make_labels(lb, 3, labels, 3);
    write_gz(tpath("l.gz"), lb, sizeof lb);
    append(tpath("l.gz"), "x", 1);
    expect_labels_fail(tpath("l.gz"), 10, "labels: trailing byte after the gzip stream");
    uint8_t *b = NULL;
    size_t n = 0;
    cr_assert_eq(ds_read_file(tpath("l.gz"), 1000, &b, &n, &e), -1, "ds_read_file");
}

/* Concatenated gzip members (pigz, `cat a.gz b.gz`) are one stream of data. */
Test(idx, concatenated_gzip_members_are_read) {
    uint8_t buf[16 + 40];
    make_images(buf, 0x00000803, 10, 2, 2, 40);
    write_gz(tpath("a.gz"), buf, 20);
    write_gz(tpath("b.gz"), buf + 20, sizeof buf - 20);
    size_t na, nb;
    uint8_t *a = slurp(tpath("a.gz"), &na), *b2 = slurp(tpath("b.gz"), &nb);
    write_raw(tpath("ab.gz"), a, na);
    append(tpath("ab.gz"), b2, nb);
    DataSplit s = {0};
    RtErr e = {{0}};
    cr_assert_eq(idx_load_images(tpath("ab.gz"), &s, &e), 0, "%s", e.msg);
    cr_assert_eq(s.n, 10);
    cr_assert_eq(memcmp(s.x, buf + 16, 40), 0);
    data_split_free(&s);
    /* a member cut short is still truncation */
    write_raw(tpath("cut.gz"), a, na);
    append(tpath("cut.gz"), b2, nb - 5);
    expect_images_fail(tpath("cut.gz"), "second member cut");
    free(a);
    free(b2);
}

Test(idx, peek_reads_the_header_only) {
    uint8_t buf[16 + 12];
    make_images(buf, 0x00000803, 3, 2, 2, 12);
    write_raw(tpath("img"), buf, sizeof buf - 1); /* the data is short: peek does not care */
    int n, h, w;
    RtErr e = {{0}};
    cr_assert_eq(idx_peek_images(tpath("img"), &n, &h, &w, &e), 0, "%s", e.msg);
    cr_assert(n == 3 && h == 2 && w == 2);
    make_images(buf, 0x00000803, 0x7fffffffu, 2, 2, 0);
    write_raw(tpath("big"), buf, 16);
    cr_assert_eq(idx_peek_images(tpath("big"), &n, &h, &w, &e), -1);
    cr_assert_not_null(strstr(e.msg, "at most"), "%s", e.msg);
}
