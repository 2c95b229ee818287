/* blas.h — the one matrix-multiply wrapper of the engine (row-major), with a
 * plain-C reference path kept beside it; tests compare the two.
 *
 * Threading (docs/DESIGN.md §2.3): OpenBLAS's own threads make the small
 * products of this engine (128x32x784) ~50x slower on 2-core machines, so
 * blas_init() pins OpenBLAS to one thread and the engine parallelises across
 * blocks / row slices on its own pool (pool.h). */
#ifndef RTVIZ_BLAS_H
#define RTVIZ_BLAS_H

/* C(M,N) = alpha * op(A)(M,K) * op(B)(K,N) + beta * C.  ta/tb: 0 = as stored,
 * 1 = transposed. lda/ldb/ldc are row strides of the stored matrices. */
void mm_sgemm(int ta, int tb, int M, int N, int K, float alpha, const float *A, int lda,
              const float *B, int ldb, float beta, float *C, int ldc);

/* Reference triple loop, same contract. */
void mm_sgemm_ref(int ta, int tb, int M, int N, int K, float alpha, const float *A, int lda,
                  const float *B, int ldb, float beta, float *C, int ldc);

/* Route mm_sgemm through the reference path (tests, debugging). */
void mm_use_reference(int on);

/* Pin OpenBLAS to one thread. Safe to call more than once. */
void blas_init(void);

#endif
