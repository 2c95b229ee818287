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

/* The kernel set ("core") OpenBLAS chose for this CPU, as it names it:
 * "Haswell", "SkylakeX", "Prescott", ... */
const char *blas_core(void);

/* OpenBLAS picks its core once, when the library loads (OPENBLAS_CORETYPE
 * overrides the choice). An OpenBLAS older than the CPU does not recognise it
 * and falls back to a generic SSE core: Debian 12's 0.3.21 runs Prescott's
 * kernels on an Emerald Rapids Xeon, its sgemm 5x slower than SkylakeX's.
 * blas_core_pick() names the core to ask for instead: given the core chosen
 * and what the CPU can run (avx2_fma: AVX2 and FMA; avx512: AVX-512
 * F/CD/BW/DQ/VL), "SkylakeX" or "Haswell" when `chosen` is a pre-AVX2
 * core and the CPU can do better, else NULL (a core OpenBLAS knows is kept).
 * blas_core_upgrade() applies it to this process: NULL as well when
 * OPENBLAS_CORETYPE is already set (the user's choice is kept). main() then
 * sets OPENBLAS_CORETYPE and re-executes rtviz before anything runs. */
const char *blas_core_pick(const char *chosen, int avx2_fma, int avx512);
const char *blas_core_upgrade(void);

#endif
