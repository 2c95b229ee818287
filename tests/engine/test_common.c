/* test_common.c — error reporting helpers (src/engine/common.c). */
#include <criterion/criterion.h>
#include <stdint.h>
#include <string.h>

#include "common.h"

Test(common, rt_err_formats_and_returns_minus_one) {
    RtErr e = {{0}};
    cr_assert_eq(rt_err(&e, "%s: truncated at %d", "x.gz", 12), -1);
    cr_assert_str_eq(e.msg, "x.gz: truncated at 12");
    cr_assert_eq(rt_err(NULL, "ignored"), -1);
    char long_name[2 * RT_ERRLEN];
    memset(long_name, 'a', sizeof long_name - 1);
    long_name[sizeof long_name - 1] = 0;
    rt_err(&e, "%s", long_name);
    cr_assert_eq(strlen(e.msg), RT_ERRLEN - 1);
}

Test(common, rt_calloc_refuses_overflow) {
    RtErr e = {{0}};
    cr_assert_null(rt_calloc(SIZE_MAX / 2, 4, "weights", &e));
    cr_assert_not_null(strstr(e.msg, "weights"), "%s", e.msg);
    int *p = rt_calloc(4, sizeof *p, "small", &e);
    cr_assert_not_null(p);
    cr_assert_eq(p[3], 0);
    free(p);
}

Test(common, clock_is_monotonic) {
    double a = rt_now(), b = rt_now();
    cr_assert_geq(b, a);
}

Test(common, rt_escape_makes_outside_text_safe) {
    char b[64];
    cr_assert_str_eq(rt_escape(b, sizeof b, "plain/path-1.ckpt"), "plain/path-1.ckpt");
    cr_assert_str_eq(rt_escape(b, sizeof b, "a\nb\rc\td\x1b[2Je"), "a\\nb\\rc\\td\\e[2Je");
    cr_assert_str_eq(rt_escape(b, sizeof b, "bell\x07 del\x7f"), "bell\\x07 del\\x7f");
    /* UTF-8 is kept; C1 controls (U+009B is CSI), stray and overlong bytes are not */
    cr_assert_str_eq(rt_escape(b, sizeof b, "caf\xc3\xa9 \xe2\x80\x94"),
                     "caf\xc3\xa9 \xe2\x80\x94");
    cr_assert_str_eq(rt_escape(b, sizeof b,
                               "x\xc2\x9b"
                               "2J"),
                     "x\\xc2\\x9b2J");
    cr_assert_str_eq(rt_escape(b, sizeof b, "\x9b\xff\xc0\xaf"), "\\x9b\\xff\\xc0\\xaf");
    cr_assert_str_eq(rt_escape(b, sizeof b, "cut\xe2\x80"), "cut\\xe2\\x80");
    cr_assert_str_eq(rt_escape(b, sizeof b, NULL), "(null)");
    /* too long: cut with "...", always terminated, never beyond cap */
    char s[8];
    cr_assert_str_eq(rt_escape(s, sizeof s, "abcdefg"), "abcdefg");
    cr_assert_str_eq(rt_escape(s, sizeof s, "abcdefgh"), "abcd...");
    cr_assert_str_eq(rt_escape(s, sizeof s, "\x01\x02"), "\\x01...");
    for (size_t cap = 1; cap < 12; cap++) {
        char t[12];
        memset(t, 'Z', sizeof t);
        rt_escape(t, cap, "\x1b\x1b\x1b\x1b");
        cr_assert_lt(strlen(t), cap);
        cr_assert_null(strchr(t, 0x1b));
    }
}

Test(common, rt_strerror_is_lower_case) {
    cr_assert_str_eq(rt_strerror(2), "no such file or directory");
}
