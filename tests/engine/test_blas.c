/* test_blas.c — mm_sgemm (OpenBLAS) against the reference triple loop, every
 * transpose combination, odd sizes, padded strides, alpha and beta. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "blas.h"
#include "rng.h"

static float *rand_buf(Rng *r, size_t n) {
    float *x = malloc(n * sizeof(float));
    for (size_t i = 0; i < n; i++)
        x[i] = 2.0f * rng_uniform(r) - 1.0f;
    return x;
}

static void check_case(Rng *r, int ta, int tb, int M, int N, int K, float alpha, float beta) {
    /* stored shapes: A is (M,K) or (K,M) when transposed; padded row strides */
    int ar = ta ? K : M, ac = ta ? M : K, br = tb ? N : K, bc = tb ? K : N;
    int lda = ac + 3, ldb = bc + 1, ldc = N + 2;
    float *A = rand_buf(r, (size_t)ar * lda), *B = rand_buf(r, (size_t)br * ldb);
    float *C0 = rand_buf(r, (size_t)M * ldc);
    float *C1 = malloc((size_t)M * ldc * sizeof(float));
    memcpy(C1, C0, (size_t)M * ldc * sizeof(float));
    mm_sgemm(ta, tb, M, N, K, alpha, A, lda, B, ldb, beta, C0, ldc);
    mm_sgemm_ref(ta, tb, M, N, K, alpha, A, lda, B, ldb, beta, C1, ldc);
    for (int i = 0; i < M; i++)
        for (int j = 0; j < ldc; j++) {
            float a = C0[(size_t)i * ldc + j], b = C1[(size_t)i * ldc + j];
            cr_assert(fabsf(a - b) <= 1e-5f * (float)(K + 1),
                      "ta=%d tb=%d M=%d N=%d K=%d: C[%d][%d] %g vs %g", ta, tb, M, N, K, i, j, a,
                      b);
        }
    free(A), free(B), free(C0), free(C1);
}

Test(blas, sgemm_matches_reference_all_transposes) {
    Rng r;
    rng_seed(&r, 3);
    const int sizes[][3] = {{1, 1, 1},   {7, 5, 3},  {13, 17, 31},
                            {33, 9, 65}, {2, 40, 1}, {50, 3, 77}};
    for (int ta = 0; ta < 2; ta++)
        for (int tb = 0; tb < 2; tb++)
            for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
                check_case(&r, ta, tb, sizes[s][0], sizes[s][1], sizes[s][2], 1.0f, 0.0f);
                check_case(&r, ta, tb, sizes[s][0], sizes[s][1], sizes[s][2], 0.5f, 1.0f);
                check_case(&r, ta, tb, sizes[s][0], sizes[s][1], sizes[s][2], -2.0f, 0.25f);
            }
}

Test(blas, reference_is_a_real_product) {
    /* (2x3) x (3x2), hand-computed */
    float A[] = {1, 2, 3, 4, 5, 6}, B[] = {7, 8, 9, 10, 11, 12}, C[4] = {1, 1, 1, 1};
    mm_sgemm_ref(0, 0, 2, 2, 3, 1.0f, A, 3, B, 2, 1.0f, C, 2);
    cr_assert_eq(C[0], 59.0f);
    cr_assert_eq(C[1], 65.0f);
    cr_assert_eq(C[2], 140.0f);
    cr_assert_eq(C[3], 155.0f);
    float D[4] = {0};
    mm_sgemm(1, 1, 2, 2, 3, 1.0f, A, 2, B, 3, 0.0f, D, 2); /* A^T (2x3 stored 3x2), B^T */
    /* A stored (3,2) = [[1,2],[3,4],[5,6]], B stored (2,3) = [[7,8,9],[10,11,12]] */
    cr_assert_eq(D[0], 1 * 7 + 3 * 8 + 5 * 9);
    cr_assert_eq(D[1], 1 * 10 + 3 * 11 + 5 * 12);
    cr_assert_eq(D[2], 2 * 7 + 4 * 8 + 6 * 9);
    cr_assert_eq(D[3], 2 * 10 + 4 * 11 + 6 * 12);
}

Test(blas, reference_switch_and_empty_k) {
    Rng r;
    rng_seed(&r, 4);
    mm_use_reference(1);
    check_case(&r, 0, 1, 9, 4, 11, 1.0f, 0.0f);
    mm_use_reference(0);
    /* K = 0: C = beta * C */
    float C[2] = {3, 4}, A[1] = {0}, B[1] = {0};
    mm_sgemm(0, 0, 1, 2, 0, 1.0f, A, 1, B, 2, 0.5f, C, 2);
    cr_assert_eq(C[0], 1.5f);
    cr_assert_eq(C[1], 2.0f);
    blas_init();
    blas_init(); /* idempotent */
}

/* A generic core is replaced by the best the CPU runs; a core OpenBLAS knows
 * is kept, whatever the CPU. */
Test(blas, a_generic_openblas_core_is_upgraded_a_known_one_kept) {
    cr_assert_str_eq(blas_core_pick("Prescott", 1, 1), "SkylakeX");
    cr_assert_str_eq(blas_core_pick("Prescott", 1, 0), "Haswell");
    cr_assert_str_eq(blas_core_pick("Nehalem", 1, 0), "Haswell");
    cr_assert_str_eq(blas_core_pick("Sandybridge", 1, 1), "SkylakeX");
    cr_assert_null(blas_core_pick("Prescott", 0, 0), "a CPU without AVX2 keeps what it has");
    cr_assert_null(blas_core_pick("Haswell", 1, 1));
    cr_assert_null(blas_core_pick("Zen", 1, 0));
    cr_assert_null(blas_core_pick("SkylakeX", 1, 1));
    cr_assert_null(blas_core_pick("cooperlake", 1, 1), "names are compared without case");
    cr_assert_null(blas_core_pick(NULL, 1, 1));
    cr_assert_str_neq(blas_core(), "", "OpenBLAS names its core");
}
