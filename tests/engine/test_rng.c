/* test_rng.c — the seeded generator (src/engine/rng.c). */
#include <criterion/criterion.h>
#include <math.h>

#include "rng.h"

Test(rng, same_seed_same_stream_other_seed_differs) {
    Rng a, b, c;
    rng_seed(&a, 42);
    rng_seed(&b, 42);
    rng_seed(&c, 43);
    int differ = 0;
    for (int i = 0; i < 1000; i++) {
        uint64_t x = rng_next(&a);
        cr_assert_eq(x, rng_next(&b));
        differ += x != rng_next(&c);
    }
    cr_assert_gt(differ, 990);
}

Test(rng, ranges_and_moments) {
    Rng r;
    rng_seed(&r, 7);
    double su = 0, sn = 0, sn2 = 0;
    int counts[10] = {0};
    const int N = 200000;
    for (int i = 0; i < N; i++) {
        float u = rng_uniform(&r);
        cr_assert(u >= 0.0f && u < 1.0f);
        su += u;
        float z = rng_normal(&r);
        cr_assert(isfinite(z));
        sn += z;
        sn2 += (double)z * z;
        uint32_t k = rng_below(&r, 10);
        cr_assert_lt(k, 10u);
        counts[k]++;
    }
    cr_assert_float_eq(su / N, 0.5, 0.01);
    cr_assert_float_eq(sn / N, 0.0, 0.02);
    cr_assert_float_eq(sn2 / N, 1.0, 0.02);
    for (int k = 0; k < 10; k++)
        cr_assert_float_eq(counts[k], N / 10.0, N / 100.0);
}

Test(rng, shuffle_is_a_permutation) {
    Rng r;
    rng_seed(&r, 1);
    int a[100], seen[100] = {0}, moved = 0;
    for (int i = 0; i < 100; i++)
        a[i] = i;
    rng_shuffle(&r, a, 100);
    for (int i = 0; i < 100; i++) {
        seen[a[i]]++;
        moved += a[i] != i;
    }
    for (int i = 0; i < 100; i++)
        cr_assert_eq(seen[i], 1);
    cr_assert_gt(moved, 80);
}
