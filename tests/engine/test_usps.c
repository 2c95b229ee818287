/* test_usps.c — the USPS LIBSVM reader (src/engine/usps.c). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "dataset.h"

static char tmpdir[64];

static void setup(void) {
    strcpy(tmpdir, "/tmp/rtviz-test-usps-XXXXXX");
    cr_assert_not_null(mkdtemp(tmpdir));
}

static void teardown(void) {
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    cr_assert_eq(system(cmd), 0);
}

TestSuite(usps, .init = setup, .fini = teardown);

static const char *write_text(const char *name, const char *text) {
    static char path[4][256];
    static int k;
    k = (k + 1) % 4;
    snprintf(path[k], sizeof path[k], "%s/%s", tmpdir, name);
    FILE *f = fopen(path[k], "wb");
    cr_assert_not_null(f);
    fputs(text, f);
    cr_assert_eq(fclose(f), 0);
    return path[k];
}

static void expect_fail(const char *name, const char *text, const char *what) {
    const char *path = write_text(name, text);
    DataSplit s = {0};
    RtErr e = {{0}};
    cr_assert_eq(usps_load(path, &s, &e), -1, "%s: expected failure", what);
    cr_assert_not_null(strstr(e.msg, path), "%s: message does not name the file: %s", what, e.msg);
    cr_assert_null(s.x);
}

Test(usps, parses_and_maps) {
    const char *p = write_text("usps", "1 1:-1 2:1 256:0.5\n"
                                       "\n"
                                       "10 3:-0.0039 17:1.0\r\n"
                                       "5.0\n");
    DataSplit s = {0};
    RtErr e = {{0}};
    cr_assert_eq(usps_load(p, &s, &e), 0, "%s", e.msg);
    cr_assert_eq(s.n, 3);
    cr_assert_eq(s.ch, 1);
    cr_assert_eq(s.h, 16);
    cr_assert_eq(s.w, 16);
    cr_assert_eq(s.d, 256);
    cr_assert_eq(s.y[0], 0);
    cr_assert_eq(s.y[1], 9);
    cr_assert_eq(s.y[2], 4);
    cr_assert_eq(s.x[0], 0);     /* -1 */
    cr_assert_eq(s.x[1], 255);   /* 1 */
    cr_assert_eq(s.x[2], 128);   /* missing = 0 */
    cr_assert_eq(s.x[255], 191); /* 0.5 -> 191.25 */
    cr_assert_eq(s.x[256 + 2], 127);
    cr_assert_eq(s.x[256 + 16], 255);
    for (int j = 0; j < 256; j++)
        cr_assert_eq(s.x[512 + j], 128);
    data_split_free(&s);
}

Test(usps, rejects_malformed) {
    expect_fail("l0", "0 1:0.5\n", "label 0");
    expect_fail("l11", "11 1:0.5\n", "label 11");
    expect_fail("lx", "x 1:0.5\n", "label not a number");
    expect_fail("lf", "2.5 1:0.5\n", "fractional label");
    expect_fail("i0", "1 0:0.5\n", "index 0");
    expect_fail("i257", "1 257:0.5\n", "index 257");
    expect_fail("order", "1 5:0.5 4:0.1\n", "indices not increasing");
    expect_fail("dup", "1 5:0.5 5:0.1\n", "duplicate index");
    expect_fail("range", "1 5:1.5\n", "value above 1");
    expect_fail("nan", "1 5:nan\n", "value nan");
    expect_fail("nocolon", "1 5\n", "no colon");
    expect_fail("noval", "1 5:\n", "no value");
    expect_fail("blank", "\n\n  \n", "no samples");
    expect_fail("empty", "", "empty file");
    expect_fail("bz2", "BZh91AY&SY....", "bzip2");
    DataSplit s = {0};
    RtErr e = {{0}};
    cr_assert_eq(usps_load(tmpdir, &s, &e), -1, "directory");
    cr_assert_not_null(strstr(e.msg, tmpdir));
}

Test(usps, error_names_line) {
    const char *p = write_text("line", "1 1:0\n2 2:0\n3 3:7\n");
    DataSplit s = {0};
    RtErr e = {{0}};
    cr_assert_eq(usps_load(p, &s, &e), -1);
    char want[300];
    snprintf(want, sizeof want, "%s:3:", p);
    cr_assert_not_null(strstr(e.msg, want), "%s", e.msg);
}

Test(usps, registry_loads_and_checks_bz2) {
    char dir[300];
    snprintf(dir, sizeof dir, "%s/usps", tmpdir);
    cr_assert_eq(mkdir(dir, 0755), 0);
    write_text("usps/usps", "3 1:1\n4 2:1\n");
    write_text("usps/usps.t.bz2", "BZh91AY&SY....");
    setenv("RTVIZ_DATA", tmpdir, 1);
    Dataset ds;
    RtErr e = {{0}};
    cr_assert_eq(dataset_load("usps", &ds, &e), -1);
    cr_assert_not_null(strstr(e.msg, "bunzip2"), "%s", e.msg);
    write_text("usps/usps.t", "1 1:1\n");
    cr_assert_eq(dataset_load("usps", &ds, &e), 0, "%s", e.msg);
    cr_assert_eq(ds.train.n, 2);
    cr_assert_eq(ds.test.n, 1);
    cr_assert_str_eq(ds.class_names[2], "2");
    dataset_free(&ds);
}

/* 8 MB of "1" lines would be 4 M samples (1 GB): refused at the cap. */
Test(usps, sample_cap) {
    char path[300];
    snprintf(path, sizeof path, "%s/many", tmpdir);
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f);
    for (int i = 0; i <= USPS_MAX_SAMPLES; i++)
        fputs("1\n", f);
    cr_assert_eq(fclose(f), 0);
    DataSplit s = {0};
    RtErr e = {{0}};
    cr_assert_eq(usps_load(path, &s, &e), -1);
    char want[64];
    snprintf(want, sizeof want, ":%d: more than %d samples", USPS_MAX_SAMPLES + 1,
             USPS_MAX_SAMPLES);
    cr_assert_not_null(strstr(e.msg, want), "%s", e.msg);
    cr_assert_null(s.x);
    /* exactly at the cap: accepted */
    f = fopen(path, "wb");
    for (int i = 0; i < USPS_MAX_SAMPLES; i++)
        fputs("1\n", f);
    cr_assert_eq(fclose(f), 0);
    cr_assert_eq(usps_load(path, &s, &e), 0, "%s", e.msg);
    cr_assert_eq(s.n, USPS_MAX_SAMPLES);
    data_split_free(&s);
}
