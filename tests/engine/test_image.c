/* test_image.c — the images module: decoding and its refusals, the
 * conversion to a dataset image, and the PNG writer. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "image.h"
#include "../test_util.h"

static char tmpdir[256];

static void mk_tmp(void) {
    snprintf(tmpdir, sizeof tmpdir, "/tmp/rtviz-image-XXXXXX");
    cr_assert_not_null(mkdtemp(tmpdir));
}

static void rm_tmp(void) {
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    cr_assert_eq(system(cmd), 0);
}

static const char *tpath(const char *name) {
    static char p[2][512];
    static int k;
    k ^= 1;
    snprintf(p[k], sizeof p[k], "%s/%s", tmpdir, name);
    return p[k];
}

static void put(const char *path, const void *b, size_t n) {
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f);
    cr_assert_eq(fwrite(b, 1, n, f), n);
    fclose(f);
}

TestSuite(image, .init = mk_tmp, .fini = rm_tmp);

/* --- PNG round trip through the writer and the reader --- */

Test(image, png_roundtrip_every_channel_count) {
    for (int comp = 1; comp <= 4; comp++) {
        int w = 7, h = 5;
        uint8_t pix[7 * 5 * 4];
        for (int i = 0; i < w * h * comp; i++)
            pix[i] = (uint8_t)(i * 37 + comp);
        RtErr e = {{0}};
        const char *p = tpath("rt.png");
        cr_assert_eq(image_write_png(p, pix, w, h, comp, &e), 0, "%s", e.msg);
        Image im;
        cr_assert_eq(image_load(p, &im, &e), 0, "%s", e.msg);
        cr_assert_eq(im.w, w);
        cr_assert_eq(im.h, h);
        cr_assert_eq(im.comp, comp);
        cr_assert_eq(memcmp(im.pix, pix, (size_t)w * h * comp), 0, "comp %d", comp);
        image_free(&im);
    }
    /* no temporary file left beside it */
    char cmd[600];
    snprintf(cmd, sizeof cmd, "ls '%s' | grep -q tmp", tmpdir);
    cr_assert_neq(system(cmd), 0, "a temporary file was left behind");
}

Test(image, write_png_errors_name_the_file) {
    uint8_t pix[4] = {0};
    RtErr e = {{0}};
    cr_assert_eq(image_write_png(tpath("no/such/dir/x.png"), pix, 2, 2, 1, &e), -1);
    cr_assert(strstr(e.msg, "no/such/dir/x.png"), "%s", e.msg);
    const char *d = tpath("adir.png");
    cr_assert_eq(mkdir(d, 0755), 0);
    cr_assert_eq(image_write_png(d, pix, 2, 2, 1, &e), -1);
    cr_assert(strstr(e.msg, "not a regular file"), "%s", e.msg);
    cr_assert_eq(image_write_png(tpath("bad.png"), pix, 0, 2, 1, &e), -1);
}

/* --- refusals, each one line naming the file --- */

static void expect_fail(const uint8_t *b, size_t n, const char *what) {
    Image im;
    RtErr e = {{0}};
    cr_assert_eq(image_decode(b, n, "pic.x", 0, &im, &e), -1, "expected '%s'", what);
    cr_assert_null(im.pix);
    cr_assert_eq(strncmp(e.msg, "pic.x: ", 7), 0, "%s", e.msg);
    cr_assert_null(strchr(e.msg, '\n'));
    cr_assert(strstr(e.msg, what), "'%s' lacks '%s'", e.msg, what);
}

static void be32put(uint8_t *p, uint32_t v) {
    p[0] = (uint8_t)(v >> 24), p[1] = (uint8_t)(v >> 16), p[2] = (uint8_t)(v >> 8),
    p[3] = (uint8_t)v;
}

/* a PNG chunk at p: length, type, data, CRC; returns its size */
static size_t chunk(uint8_t *p, const char *type, const uint8_t *data, uint32_t n) {
    be32put(p, n);
    memcpy(p + 4, type, 4);
    if (n) memcpy(p + 8, data, n);
    be32put(p + 8 + n, (uint32_t)crc32(crc32(0, p + 4, 4), data, n));
    return 12 + n;
}

/* a grey 8-bit PNG of w x h whose IDAT is the zlib of raw (n bytes) */
static uint8_t *make_png(uint32_t w, uint32_t h, const uint8_t *raw, size_t n, size_t *len) {
    uLongf zl = compressBound((uLong)n);
    uint8_t *z = malloc(zl);
    cr_assert_eq(compress2(z, &zl, raw, (uLong)n, 9), Z_OK);
    uint8_t *b = malloc(64 + zl);
    memcpy(b, "\x89PNG\r\n\x1a\n", 8);
    uint8_t ihdr[13] = {0};
    be32put(ihdr, w);
    be32put(ihdr + 4, h);
    ihdr[8] = 8; /* depth */
    size_t o = 8 + chunk(b + 8, "IHDR", ihdr, 13);
    o += chunk(b + o, "IDAT", z, (uint32_t)zl);
    o += chunk(b + o, "IEND", NULL, 0);
    free(z);
    *len = o;
    return b;
}

Test(image, refuses_bad_input) {
    expect_fail((const uint8_t *)"", 0, "empty");
    expect_fail((const uint8_t *)"hello, world", 12, "not an image");
    expect_fail((const uint8_t *)"P2\n2 2\n255\n0 1 2 3\n", 19, "only binary PGM");
    const char big[] = "P5\n100000 100000\n255\n";
    expect_fail((const uint8_t *)big, sizeof big - 1, "too large");
    const char tall[] = "P5\n1 20000\n255\n";
    expect_fail((const uint8_t *)tall, sizeof tall - 1, "too large"); /* one side over the cap */
    uint8_t pgm[64] = "P5\n4 4\n255\n";
    expect_fail(pgm, 11 + 10, "truncated");

    /* PNG: a good one, then cut, then a header of 60000 x 60000 */
    uint8_t raw[4 * 5] = {0};
    size_t n;
    uint8_t *png = make_png(4, 4, raw, sizeof raw, &n);
    Image im;
    RtErr e = {{0}};
    cr_assert_eq(image_decode(png, n, "ok.png", 0, &im, &e), 0, "%s", e.msg);
    cr_assert_eq(im.w, 4);
    image_free(&im);
    expect_fail(png, n - 20, "truncated");
    be32put(png + 16, 60000);
    be32put(png + 20, 60000);
    expect_fail(png, n, "too large");
    free(png);
}

Test(image, refuses_a_png_that_inflates_past_its_size) {
    size_t big = 4 << 20, n; /* 4 MiB of zeros for an 8x8 image */
    uint8_t *raw = calloc(big, 1);
    uint8_t *png = make_png(8, 8, raw, big, &n);
    cr_assert_lt(n, 20000); /* it compresses to a few KiB */
    expect_fail(png, n, "expands past");
    free(raw);
    free(png);
}

Test(image, refuses_a_png_chunk_longer_than_the_file) {
    uint8_t raw[9 * 8] = {0};
    size_t n;
    uint8_t *png = make_png(8, 8, raw, sizeof raw, &n);
    /* a second IDAT after the complete stream, its header cut after the type */
    uint8_t *b2 = malloc(n + 8);
    memcpy(b2, png, n - 12); /* without IEND */
    memcpy(b2 + n - 12, "\x7f\xff\xff\xffIDAT", 8);
    expect_fail(b2, n - 4, "truncated PNG file (a IDAT chunk");
    free(b2);
    be32put(png + 33, 0x70000000u); /* the IDAT's length */
    expect_fail(png, n, "truncated");
    free(png);
}

Test(image, refuses_a_bad_jpeg_huffman_table) {
    /* SOI, a DHT whose 16 code counts add up to 1020 */
    uint8_t j[64] = {0xFF, 0xD8, 0xFF, 0xC4, 0x00, 0x13, 0x00};
    for (int k = 0; k < 4; k++)
        j[7 + k] = 255;
    expect_fail(j, 7 + 16 + 2, "Huffman");
}

Test(image, files_that_are_not_regular_are_refused_without_blocking) {
    Image im;
    RtErr e = {{0}};
    const char *fifo = tpath("pipe.png");
    cr_assert_eq(mkfifo(fifo, 0600), 0);
    cr_assert_eq(image_load(fifo, &im, &e), -1);
    cr_assert(strstr(e.msg, "pipe.png: is a FIFO"), "%s", e.msg);
    cr_assert_eq(image_load(tmpdir, &im, &e), -1);
    cr_assert(strstr(e.msg, "is a directory"), "%s", e.msg);
    cr_assert_eq(image_load(tpath("missing.png"), &im, &e), -1);
    cr_assert(strstr(e.msg, "missing.png: No such file"), "%s", e.msg);
    put(tpath("empty.png"), "", 0);
    cr_assert_eq(image_load(tpath("empty.png"), &im, &e), -1);
    cr_assert(strstr(e.msg, "empty"), "%s", e.msg);
    uint8_t *b;
    size_t n;
    put(tpath("ten.bin"), "0123456789", 10);
    cr_assert_eq(image_read_file(tpath("ten.bin"), 9, &b, &n, &e), -1);
    cr_assert(strstr(e.msg, "larger than"), "%s", e.msg);
    cr_assert_eq(image_read_file(tpath("ten.bin"), 10, &b, &n, &e), 0);
    cr_assert_eq(n, 10);
    free(b);
}

/* --- the conversion --- */

/* w x h grey, background bg, a filled rectangle of value fg at (x0,y0) size rw x rh */
static uint8_t *rect(int w, int h, int bg, int fg, int x0, int y0, int rw, int rh) {
    uint8_t *p = malloc((size_t)w * h);
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
            p[y * w + x] = (x >= x0 && x < x0 + rw && y >= y0 && y < y0 + rh) ? fg : bg;
    return p;
}

/* bounding box of pixels > thr in a h x w image */
static void bbox(const uint8_t *p, int w, int h, int thr, int *x0, int *y0, int *x1, int *y1) {
    *x0 = w, *y0 = h, *x1 = -1, *y1 = -1;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
            if (p[y * w + x] > thr) {
                if (x < *x0) *x0 = x;
                if (x > *x1) *x1 = x;
                if (y < *y0) *y0 = y;
                if (y > *y1) *y1 = y;
            }
}

Test(image, fashion_style_fills_the_frame_and_centres_the_box) {
    /* a 30x60 bright bar off-centre in a 200x100 dark image */
    uint8_t *src = rect(200, 100, 0, 255, 20, 10, 30, 60);
    ImagePrep p;
    image_prep_default(&p, "fashionmnist", 1, 28, 28);
    uint8_t out[28 * 28];
    RtErr e = {{0}};
    cr_assert_eq(image_prepare(src, 200, 100, 1, &p, out, &e), 0, "%s", e.msg);
    int x0, y0, x1, y1;
    bbox(out, 28, 28, 127, &x0, &y0, &x1, &y1);
    cr_assert_eq(y0, 0);
    cr_assert_eq(y1, 27);          /* the long side fills the frame */
    cr_assert_eq(x1 - x0 + 1, 14); /* aspect 1:2 kept */
    cr_assert_eq(x0, 7);           /* centred */
    cr_assert_eq(out[14 * 28 + 14], 255);
    free(src);
}

Test(image, light_background_is_inverted) {
    uint8_t *dark = rect(50, 40, 10, 240, 5, 5, 20, 30);
    uint8_t *light = rect(50, 40, 245, 15, 5, 5, 20, 30);
    ImagePrep p;
    image_prep_default(&p, "sample", 1, 28, 28);
    uint8_t a[784], b[784];
    RtErr e = {{0}};
    cr_assert_eq(image_prepare(dark, 50, 40, 1, &p, a, &e), 0);
    cr_assert_eq(image_prepare(light, 50, 40, 1, &p, b, &e), 0);
    int same = 0;
    for (int i = 0; i < 784; i++)
        same += abs(a[i] - b[i]) <= 2;
    cr_assert_eq(same, 784, "inverted input differs from the dark one");
    cr_assert_eq(a[0], 0); /* background levelled to 0 */
    free(dark);
    free(light);
}

Test(image, mnist_style_fits_20x20_and_centres_by_mass) {
    /* an L shape: its centre of mass is away from its box's centre */
    int w = 60, h = 60;
    uint8_t *src = rect(w, h, 0, 0, 0, 0, 0, 0);
    for (int y = 10; y < 50; y++)
        for (int x = 10; x < 50; x++)
            if (x < 20 || y >= 40) src[y * w + x] = 255;
    ImagePrep p;
    image_prep_default(&p, "mnist", 1, 28, 28);
    cr_assert_eq(p.mass, 1);
    uint8_t out[784];
    RtErr e = {{0}};
    cr_assert_eq(image_prepare(src, w, h, 1, &p, out, &e), 0);
    int x0, y0, x1, y1;
    bbox(out, 28, 28, 30, &x0, &y0, &x1, &y1);
    cr_assert_eq(x1 - x0 + 1, 20);
    cr_assert_eq(y1 - y0 + 1, 20);
    double m = 0, mx = 0, my = 0;
    for (int y = 0; y < 28; y++)
        for (int x = 0; x < 28; x++)
            m += out[y * 28 + x], mx += out[y * 28 + x] * (x + 0.5),
                my += out[y * 28 + x] * (y + 0.5);
    cr_assert_lt(fabs(mx / m - 14.0), 0.75, "centre of mass x %.2f", mx / m);
    cr_assert_lt(fabs(my / m - 14.0), 0.75, "centre of mass y %.2f", my / m);
    cr_assert_neq(x0, 4, "placed by its box, not by its mass");
    free(src);
}

Test(image, rgb_and_alpha_inputs_give_the_grey_result) {
    int w = 40, h = 40;
    uint8_t *grey = rect(w, h, 0, 200, 8, 4, 16, 30);
    uint8_t *rgb = malloc((size_t)w * h * 3), *rgba = malloc((size_t)w * h * 4);
    for (int i = 0; i < w * h; i++) {
        rgb[3 * i] = rgb[3 * i + 1] = rgb[3 * i + 2] = grey[i];
        /* black ink whose opacity is the grey value, over nothing */
        rgba[4 * i] = rgba[4 * i + 1] = rgba[4 * i + 2] = 0;
        rgba[4 * i + 3] = grey[i];
    }
    ImagePrep p;
    image_prep_default(&p, "mnist", 1, 28, 28);
    uint8_t a[784], b[784], c[784];
    RtErr e = {{0}};
    cr_assert_eq(image_prepare(grey, w, h, 1, &p, a, &e), 0);
    cr_assert_eq(image_prepare(rgb, w, h, 3, &p, b, &e), 0);
    cr_assert_eq(image_prepare(rgba, w, h, 4, &p, c, &e), 0);
    for (int i = 0; i < 784; i++) {
        cr_assert_leq(abs(a[i] - b[i]), 1, "rgb at %d", i);
        cr_assert_leq(abs(a[i] - c[i]), 2, "rgba at %d: %d vs %d", i, a[i], c[i]);
    }
    free(grey);
    free(rgb);
    free(rgba);
}

Test(image, photo_style_crops_the_middle_and_keeps_colour_channels) {
    /* 96x32: left third green, middle third red (left half) / blue (right half), right third green
     */
    int w = 96, h = 32;
    uint8_t *src = calloc((size_t)w * h * 3, 1);
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            uint8_t *q = src + ((size_t)y * w + x) * 3;
            if (x < 32 || x >= 64)
                q[1] = 255;
            else if (x < 48)
                q[0] = 255;
            else
                q[2] = 255;
        }
    ImagePrep p;
    image_prep_default(&p, "cifar10", 3, 32, 32);
    cr_assert_eq(p.crop, 0);
    cr_assert_eq(p.invert, 0);
    uint8_t out[3 * 32 * 32];
    RtErr e = {{0}};
    cr_assert_eq(image_prepare(src, w, h, 3, &p, out, &e), 0);
    const uint8_t *R = out, *G = out + 1024, *B = out + 2048; /* CHW */
    cr_assert_eq(R[5 * 32 + 4], 255);
    cr_assert_eq(B[5 * 32 + 4], 0);
    cr_assert_eq(B[5 * 32 + 28], 255);
    cr_assert_eq(R[5 * 32 + 28], 0);
    cr_assert_eq(G[5 * 32 + 4], 0, "the green sides were cropped away");
    free(src);
}

Test(image, blank_and_large_images) {
    ImagePrep p;
    image_prep_default(&p, NULL, 1, 16, 16);
    uint8_t out[256];
    memset(out, 7, sizeof out);
    RtErr e = {{0}};
    uint8_t *blank = rect(30, 30, 255, 255, 0, 0, 0, 0);
    cr_assert_eq(image_prepare(blank, 30, 30, 1, &p, out, &e), 0);
    for (int i = 0; i < 256; i++)
        cr_assert_eq(out[i], 0);
    free(blank);
    /* a photo-sized image goes through the reduction first */
    uint8_t *big = rect(3000, 2000, 255, 0, 1000, 500, 1000, 1000);
    cr_assert_eq(image_prepare(big, 3000, 2000, 1, &p, out, &e), 0, "%s", e.msg);
    int x0, y0, x1, y1;
    bbox(out, 16, 16, 127, &x0, &y0, &x1, &y1);
    int side = (int)lround(16 * 20.0 / 28.0);
    cr_assert_leq(abs((x1 - x0 + 1) - side), 1);
    cr_assert_leq(abs((y1 - y0 + 1) - side), 1);
    free(big);
    cr_assert_eq(image_prepare(NULL, 3, 3, 1, &p, out, &e), -1);
    p.ch = 2;
    uint8_t one = 0;
    cr_assert_eq(image_prepare(&one, 1, 1, 1, &p, out, &e), -1);
}

/* --- findings of the fuzzer --- */

Test(image, stb_failure_text_is_made_printable) {
    /* an unknown critical chunk: stb puts its raw type bytes into its message */
    uint8_t raw[4 * 5] = {0};
    size_t n;
    uint8_t *png = make_png(4, 4, raw, sizeof raw, &n);
    uint8_t *b = malloc(n + 16);
    memcpy(b, png, 33); /* signature + IHDR */
    size_t o = 33 + chunk(b + 33, "A\n\x1b[", (const uint8_t *)"x", 1);
    memcpy(b + o, png + 33, n - 33);
    Image im;
    RtErr e = {{0}};
    cr_assert_eq(image_decode(b, o + n - 33, "odd.png", 0, &im, &e), -1);
    cr_assert_null(strchr(e.msg, '\n'), "%s", e.msg);
    cr_assert_null(strchr(e.msg, '\x1b'), "%s", e.msg);
    cr_assert(strstr(e.msg, "odd.png: corrupt PNG"), "%s", e.msg);
    free(b);
    free(png);
}

Test(image, pnm_numbers_stb_would_overflow_on) {
    const char h[] = "P5\n6553565535 2\n255\n";
    expect_fail((const uint8_t *)h, sizeof h - 1, "width too long");
    const char nomax[] = "P5\n8\n6553\x1b\x1b\x1b\x1b"; /* stb took this for a maxval of 0 */
    expect_fail((const uint8_t *)nomax, sizeof nomax - 1, "no maximum value");
    const char junk[] = "P5\n2 2\n255x\x01\x02\x03\x04";
    expect_fail((const uint8_t *)junk, sizeof junk - 1, "junk after the maximum value");
    const char mv[] = "P5\n2 2\n0\n\x01\x02\x03\x04";
    expect_fail((const uint8_t *)mv, sizeof mv - 1, "maximum value 0");
}

/* Every seed of the fuzz corpus replays here too (in the ordinary and the
 * sanitizer builds): the seeds are real images and must decode and convert;
 * anything else the fuzzer kept must fail cleanly or decode. */
Test(image, fuzz_corpus_replay) {
    char dir[4096];
    const char *root = getenv("RTVIZ_ROOT");
    snprintf(dir, sizeof dir, "%s/tests/fuzz/corpus/fuzz_image", root ? root : ".");
    DIR *d = opendir(dir);
    if (!d) cr_skip_test("no corpus at %s", dir);
    struct dirent *de;
    int seeds = 0;
    while ((de = readdir(d))) {
        if (de->d_name[0] == '.') continue;
        char path[8192];
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        size_t len;
        uint8_t *b = slurp(path, &len);
        Image im;
        RtErr e = {{0}};
        int rc = image_decode(b + 1, len - 1, de->d_name, 1L << 20, &im, &e);
        int seed = !strncmp(de->d_name, "seed-", 5);
        if (seed) {
            seeds++;
            cr_assert_eq(rc, 0, "%s: %s", de->d_name, e.msg);
        }
        if (rc == 0) {
            ImagePrep p;
            image_prep_default(&p, NULL, 1, 28, 28);
            uint8_t out[784];
            cr_assert_eq(image_prepare(im.pix, im.w, im.h, im.comp, &p, out, &e), 0);
            image_free(&im);
        } else
            cr_assert(strstr(e.msg, de->d_name) == e.msg, "%s", e.msg);
        free(b);
    }
    closedir(d);
    cr_assert_geq(seeds, 30);
}
