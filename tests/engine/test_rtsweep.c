/* test_rtsweep.c — the θ sweep's own kernels: rk_softmax against the scalar
 * softmax (libm's expf) bit for bit at every kernel level. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "rng.h"
#include "rtkern.h"

/* The scalar softmax every level must match (rtkern.c's softmax_c). */
static void softmax_ref(float *v, int K) {
    float mx = v[0], sum = 0.0f;
    for (int k = 1; k < K; k++)
        mx = v[k] > mx ? v[k] : mx;
    for (int k = 0; k < K; k++)
        sum += (v[k] = expf(v[k] - mx));
    for (int k = 0; k < K; k++)
        v[k] /= sum;
}

static int same_bits(const float *a, const float *b, int K) {
    for (int k = 0; k < K; k++)
        if (memcmp(&a[k], &b[k], sizeof(float)) != 0 && !(isnan(a[k]) && isnan(b[k]))) return 0;
    return 1;
}

/* Rows of every length 1..40 (more than two vectors), logits of every scale
 * (to beyond libm's |x| >= 88 path), and rows with -inf, NaN and ±0. */
Test(rtsweep, softmax_matches_scalar_at_every_level) {
    const int top = rk_level(-1);
    Rng r;
    rng_seed(&r, 5);
    for (int lv = 0; lv <= top; lv++) {
        cr_assert_eq(rk_level(lv), lv);
        long rows = 0;
        for (int K = 1; K <= 40; K++)
            for (int rep = 0; rep < 400; rep++) {
                float a[40], b[40], scale = ldexpf(1.0f, rep % 12 - 4);
                for (int k = 0; k < K; k++)
                    a[k] = (rng_uniform(&r) - 0.5f) * scale;
                if (rep % 50 == 1) a[rep % K] = -INFINITY;
                if (rep % 50 == 2) a[rep % K] = NAN;
                if (rep % 50 == 3) a[0] = -0.0f, a[K - 1] = 0.0f;
                if (rep % 50 == 4) a[rep % K] = -95.0f; /* libm's own path */
                memcpy(b, a, sizeof a);
                rk_softmax(a, K);
                softmax_ref(b, K);
                cr_assert(same_bits(a, b, K), "level %d K %d row %d", lv, K, rep);
                rows++;
            }
        cr_assert_eq(rows, 40 * 400);
    }
    rk_level(top);
}

/* Many rows at once, as a block's softmax runs: a list of rows (not in
 * order, some skipped) in a strided buffer, 1..40 rows of every length
 * 1..24 with the same special values; the floats between rows untouched. */
Test(rtsweep, softmax_rows_match_scalar_rows_at_every_level) {
    enum { MAXR = 40, MAXK = 24, STRIDE = 27 };
    const int top = rk_level(-1);
    static float a[MAXR * 2 * STRIDE], b[MAXR * 2 * STRIDE];
    Rng r;
    rng_seed(&r, 9);
    for (int lv = 0; lv <= top; lv++) {
        cr_assert_eq(rk_level(lv), lv);
        for (int K = 1; K <= MAXK; K++)
            for (int na = 1; na <= MAXR; na++) {
                int idx[MAXR];
                for (int q = 0; q < na; q++) /* rows 2q+1 of 2*na, last first */
                    idx[q] = 2 * (na - 1 - q) + (q % 3 == 0);
                const float scale = ldexpf(1.0f, (K + na) % 12 - 4);
                for (int k = 0; k < MAXR * 2 * STRIDE; k++)
                    a[k] = (rng_uniform(&r) - 0.5f) * scale;
                if (na % 5 == 1) a[idx[na / 2] * STRIDE + K / 2] = -INFINITY;
                if (na % 5 == 2) a[idx[0] * STRIDE] = NAN;
                if (na % 5 == 3) a[idx[na - 1] * STRIDE + K - 1] = -95.0f;
                memcpy(b, a, sizeof a);
                rk_softmax_rows(a, idx, na, STRIDE, K);
                for (int q = 0; q < na; q++)
                    softmax_ref(b + (size_t)idx[q] * STRIDE, K);
                cr_assert(same_bits(a, b, MAXR * 2 * STRIDE), "level %d K %d rows %d", lv, K, na);
            }
    }
    rk_level(top);
}

/* Every float <= 0 in a stride (the differences v - max a softmax sees),
 * 15 to a row beside a 0: the exponentials themselves, each lane. */
Test(rtsweep, softmax_exponentials_match_libm, .timeout = 120) {
    const int top = rk_level(-1);
    float a[16], b[16];
    for (uint32_t u = 0x80000000u; u >= 0x80000000u && u < 0xff800000u - 16u * 4099u;) {
        a[0] = 0.0f;
        for (int k = 1; k < 16; k++, u += 4099u)
            memcpy(&a[k], &u, sizeof u);
        memcpy(b, a, sizeof a);
        rk_softmax(a, 16);
        softmax_ref(b, 16);
        cr_assert(same_bits(a, b, 16), "level %d near bits %08x", top, u);
    }
    if (top == 2) cr_log_info("rk_softmax vector exponential: %d", rk_softmax_vector());
}
