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
