/* test_eval.c — Spearman with ties, the easiest / hardest tenth, and
 * eval_model's bookkeeping on a small MLP. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "dataset.h"
#include "eval.h"
#include "model.h"

Test(eval, spearman_perfect) {
    float a[6] = {1, 2, 3, 4, 5, 6}, up[6] = {10, 20, 25, 40, 41, 90}, down[6];
    for (int i = 0; i < 6; i++)
        down[i] = -up[i];
    cr_assert_float_eq(spearman(a, up, 6), 1.0, 1e-12);
    cr_assert_float_eq(spearman(a, down, 6), -1.0, 1e-12);
}

Test(eval, spearman_known) {
    /* Wikipedia's worked example (IQ vs hours of TV): rho = -29/165 */
    float iq[10] = {106, 86, 100, 101, 99, 103, 97, 113, 112, 110};
    float tv[10] = {7, 0, 27, 50, 28, 29, 20, 12, 6, 17};
    cr_assert_float_eq(spearman(iq, tv, 10), -29.0 / 165.0, 1e-9);
}

Test(eval, spearman_ties_mean_ranks) {
    /* ranks of a: 1, 2.5, 2.5, 4 -> rho = 4.5 / sqrt(4.5 * 5) */
    float a[4] = {1, 2, 2, 3}, b[4] = {1, 2, 3, 4};
    cr_assert_float_eq(spearman(a, b, 4), 4.5 / sqrt(22.5), 1e-12);
    /* symmetric in its arguments */
    cr_assert_float_eq(spearman(b, a, 4), 4.5 / sqrt(22.5), 1e-12);
}

Test(eval, spearman_undefined) {
    float c[5] = {3, 3, 3, 3, 3}, b[5] = {1, 2, 3, 4, 5};
    cr_assert(isnan(spearman(c, b, 5)));
    cr_assert(isnan(spearman(b, b, 1)));
}

Test(eval, tenth_distinct) {
    float act[20];
    uint8_t err[20] = {0};
    for (int i = 0; i < 20; i++)
        act[i] = (float)((i * 7) % 20); /* a permutation of 0..19 */
    /* least active two: act 0 (i=0) and act 1 (i=3); most: act 19 (i=17), act 18 (i=14) */
    err[3] = 1;
    err[17] = 1;
    err[14] = 1;
    err[5] = 1; /* act 15: in neither tenth */
    cr_assert_float_eq(eval_tenth_error(act, err, 20, 0), 50.0, 1e-9);
    cr_assert_float_eq(eval_tenth_error(act, err, 20, 1), 100.0, 1e-9);
}

Test(eval, tenth_ties_share_the_cut) {
    /* 20 samples, tenth = 2; the four least active tie (act 5), one of them wrong:
     * any tie break gives 2 * 1/4 = 0.5 expected errors -> 25% */
    float act[20];
    uint8_t err[20] = {0};
    for (int i = 0; i < 20; i++)
        act[i] = i < 4 ? 5.0f : 10.0f + i;
    err[2] = 1;
    cr_assert_float_eq(eval_tenth_error(act, err, 20, 0), 25.0, 1e-9);
    /* the result does not depend on which of the tied samples is wrong */
    err[2] = 0;
    err[0] = 1;
    cr_assert_float_eq(eval_tenth_error(act, err, 20, 0), 25.0, 1e-9);
    /* fewer than 10 samples: the tenth is one sample */
    float a3[3] = {1, 2, 3};
    uint8_t e3[3] = {0, 0, 1};
    cr_assert_float_eq(eval_tenth_error(a3, e3, 3, 1), 100.0, 1e-9);
    cr_assert_float_eq(eval_tenth_error(a3, e3, 3, 0), 0.0, 1e-9);
}
