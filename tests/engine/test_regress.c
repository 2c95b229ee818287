/* test_regress.c — regression tests for findings of the fuzzers and fault
 * tests, and a replay of the fuzz seed corpora through the readers in
 * the ordinary (and sanitizer) test builds, so every input that once mattered
 * keeps being run without libFuzzer. */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "checkpoint.h"
#include "../test_util.h"
#include "dataset.h"

/* ---- helpers ---------------------------------------------------------------- */

static void put_crc(uint8_t *b, size_t len) {
    uint32_t c = (uint32_t)crc32(crc32(0L, Z_NULL, 0), b, (uInt)(len - 4));
    for (int i = 0; i < 4; i++)
        b[len - 4 + (size_t)i] = (uint8_t)(c >> (8 * i));
}

/* A small valid RT checkpoint (with Adam) in memory. */
static uint8_t *tiny_ckpt(size_t *len) {
    ModelConfig c;
    model_config_default(&c, ARCH_RT, 1, 2, 3, 2);
    c.L = 2, c.B = 2, c.H = 3;
    Model m;
    Adam a;
    RtErr e;
    cr_assert_eq(model_init(&m, &c, 3, &e), 0, "%s", e.msg);
    cr_assert_eq(adam_init(&a, m.n, 1e-3f, &e), 0, "%s", e.msg);
    char path[] = "/tmp/rtviz-regress-XXXXXX";
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    close(fd);
    cr_assert_eq(ckpt_save(path, &m, &a, NULL, &e), 0, "%s", e.msg);
    uint8_t *b = slurp(path, len);
    unlink(path);
    model_free(&m);
    adam_free(&a);
    return b;
}

static const char *corpus_dir(const char *name, char *buf, size_t n) {
    const char *root = getenv("RTVIZ_ROOT");
    snprintf(buf, n, "%s/tests/fuzz/corpus/%s", root ? root : ".", name);
    return buf;
}

/* ---- findings ------------------------------------------------------------------ */

/* BUGS.md "[reli] checkpoint with NaN/Inf weights loads": a CRC-valid file
 * whose weights hold a NaN loads, and then eval reports 0% and train halves
 * the learning rate forever. The loader rejects non-finite numbers. */
Test(regress, ckpt_nan_weight_rejected) {
    size_t len;
    uint8_t *b = tiny_ckpt(&len);
    float nan = NAN;
    memcpy(b + len - 8, &nan, 4); /* the last weight */
    put_crc(b, len);
    Model m;
    Adam a;
    RtErr e = {{0}};
    cr_assert_eq(ckpt_load_mem(b, len, "nan.ckpt", &m, &a, NULL, &e), -1,
                 "a checkpoint with a NaN weight loaded");
    cr_assert(strstr(e.msg, "nan.ckpt") != NULL, "message does not name the file: %s", e.msg);
    free(b);
}

Test(regress, ckpt_inf_adam_rejected) {
    size_t len;
    uint8_t *b = tiny_ckpt(&len);
    /* Adam's v comes right before the weights: poison the first of the three
     * arrays' last quarter instead of computing offsets: the first float after
     * the header is adam.m[0]; find n from the tail: weights n, m n, v n. */
    float inf = INFINITY;
    /* for this config the parameter count is known from a load */
    Model m0;
    RtErr e = {{0}};
    cr_assert_eq(ckpt_load_mem(b, len, "x", &m0, NULL, NULL, &e), 0, "%s", e.msg);
    size_t n = m0.n;
    model_free(&m0);
    memcpy(b + len - 4 - 4 * n - 4, &inf, 4); /* v[n-1] */
    put_crc(b, len);
    Model m;
    Adam a;
    cr_assert_eq(ckpt_load_mem(b, len, "inf.ckpt", &m, &a, NULL, &e), -1,
                 "a checkpoint with an infinite Adam moment loaded");
    free(b);
}

/* ---- corpus replay ---------------------------------------------------------------- */

Test(regress, ckpt_corpus_replay) {
    char dir[4096];
    DIR *d = opendir(corpus_dir("fuzz_ckpt", dir, sizeof dir));
    if (!d) cr_skip_test("no corpus at %s", dir);
    struct dirent *de;
    int files = 0, ok = 0;
    while ((de = readdir(d))) {
        if (de->d_name[0] == '.') continue;
        char path[8192];
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        size_t len;
        uint8_t *b = slurp(path, &len);
        if (len < 1) {
            free(b);
            continue;
        }
        uint8_t *f = b + 1; /* the harness's mode byte */
        size_t flen = len - 1;
        if ((b[0] & 1) && flen >= 4) put_crc(f, flen);
        Model m;
        Adam a;
        RtErr e = {{0}};
        int rc = ckpt_load_mem(f, flen, de->d_name, &m, &a, NULL, &e);
        files++;
        if (rc == 0) {
            ok++;
            cr_assert_eq(model_config_check(&m.cfg, &e), 0, "%s: %s", de->d_name, e.msg);
            model_free(&m);
            adam_free(&a);
        } else {
            cr_assert_eq(rc, -1);
            cr_assert(e.msg[0] != 0 && !strchr(e.msg, '\n'), "%s: bad message", de->d_name);
        }
        free(b);
    }
    closedir(d);
    cr_assert_gt(files, 10);
    cr_assert_geq(ok, 7, "the 7 valid seeds must load (%d did)", ok);
}

Test(regress, idx_corpus_replay) {
    char dir[4096];
    DIR *d = opendir(corpus_dir("fuzz_idx", dir, sizeof dir));
    if (!d) cr_skip_test("no corpus at %s", dir);
    char tmp[] = "/tmp/rtviz-regress-idx-XXXXXX";
    int fd = mkstemp(tmp);
    cr_assert(fd >= 0);
    close(fd);
    struct dirent *de;
    int files = 0, ok = 0;
    while ((de = readdir(d))) {
        if (de->d_name[0] == '.') continue;
        char path[8192];
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        size_t len;
        uint8_t *b = slurp(path, &len);
        if (len < 2 || (b[0] & 6)) { /* gzip-wrapped and preloaded modes: fuzz-smoke covers them */
            free(b);
            continue;
        }
        FILE *f = fopen(tmp, "wb");
        fwrite(b + 2, 1, len - 2, f);
        fclose(f);
        DataSplit s;
        memset(&s, 0, sizeof s);
        RtErr e = {{0}};
        int rc = (b[0] & 1) ? idx_load_labels(tmp, &s, 1 + b[1], &e) : idx_load_images(tmp, &s, &e);
        files++;
        if (rc == 0) {
            ok++;
            cr_assert_gt(s.n, 0);
        } else {
            cr_assert(strstr(e.msg, tmp) != NULL, "%s: message does not name the file: %s",
                      de->d_name, e.msg);
        }
        data_split_free(&s);
        free(b);
    }
    closedir(d);
    unlink(tmp);
    cr_assert_gt(files, 10);
    cr_assert_geq(ok, 4);
}
