/* test_rttrain.c — the training kernels' tiles: every row count and output
 * count gives each element the bits it gets computed alone. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "rtkern.h"

static float val(int k, int m) { return (float)((k * 7919 + m * 104729) % 2003) / 1001.0f - 1.0f; }

/* rk_outer: O output rows at once equal each row alone, at every level. */
Test(rttrain, outer_tiles_match_single_rows) {
    enum { N = 24, D = 53 };
    static float x[N * D], dp[N * 20], g1[20 * D], g2[20 * D];
    int idx[N];
    for (int k = 0; k < N * D; k++)
        x[k] = val(k, 1);
    for (int k = 0; k < N * 20; k++)
        dp[k] = val(k, 2);
    for (int a = 0; a < N; a++)
        idx[a] = (a * 5) % N;
    int top = rk_level(-1);
    for (int lv = 0; lv <= top; lv++) {
        rk_level(lv);
        for (int O = 1; O <= 20; O++)
            for (int na = 1; na <= N; na += 7) {
                for (int k = 0; k < O * D; k++)
                    g1[k] = g2[k] = val(k, 3);
                rk_outer(na, idx, x, D, D, dp, 20, O, g1);
                for (int o = 0; o < O; o++)
                    rk_outer(na, idx, x, D, D, dp + o, 20, 1, g2 + (size_t)o * D);
                cr_assert(!memcmp(g1, g2, sizeof(float) * O * D), "level %d O %d na %d", lv, O, na);
            }
    }
    rk_level(top);
}

/* rk_dot: na rows at once equal each row alone (every tile shape). */
Test(rttrain, dot_rows_match_single_rows) {
    enum { N = 16, K = 77, O = 37 };
    static float x[N * K], W[O * K], b[O], y1[N * O], y2[N * O];
    int idx[N];
    for (int k = 0; k < N * K; k++)
        x[k] = val(k, 4);
    for (int k = 0; k < O * K; k++)
        W[k] = val(k, 5);
    for (int k = 0; k < O; k++)
        b[k] = val(k, 6);
    for (int a = 0; a < N; a++)
        idx[a] = (a * 3) % N;
    int top = rk_level(-1);
    for (int lv = 0; lv <= top; lv++) {
        rk_level(lv);
        for (int na = 1; na <= N; na++) {
            memset(y1, 0, sizeof y1), memset(y2, 0, sizeof y2);
            rk_dot(na, idx, x, K, K, W, O, b, 1, y1, O);
            for (int a = 0; a < na; a++)
                rk_dot(1, idx + a, x, K, K, W, O, b, 1, y2, O);
            cr_assert(!memcmp(y1, y2, sizeof y1), "level %d na %d", lv, na);
        }
    }
    rk_level(top);
}
