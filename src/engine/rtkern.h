/* rtkern.h — the RayTracing network's row kernels: the products of a block
 * on the handful of samples (rows) that are active for it, read and written
 * in place (row a of an operand is base + idx[a] * stride; no gather, no
 * scatter).
 *
 * Every output element is computed by the same sequence of float operations
 * whatever rows it is batched with, so a sample gets the same bits alone, in
 * a batch, in any chunk and on any thread. Three levels, chosen once at start
 * (the best the CPU has, capped by the environment variable RTVIZ_SIMD):
 *   0  portable C (GCC vector extensions, 4 lanes, multiply then add)
 *   1  AVX2 + FMA (8 lanes)
 *   2  AVX-512F (16 lanes)
 * One template (rtkern_tmpl.h) is compiled once per level. Levels differ in
 * rounding only; within a level results are deterministic. */
#ifndef RTVIZ_RTKERN_H
#define RTVIZ_RTKERN_H

#include <stddef.h>
#include <stdint.h>

/* The level in use (see above); set >= 0 selects one, capped at what the CPU
 * has (tests compare the levels; not while a kernel runs). */
int rk_level(int set);

/* Lanes of the level's vectors: packed weights (rk_axpy's WT, bp) have rows
 * padded with zeros to a multiple of it. */
int rk_width(void);

/* Pad n up to the vector width. */
static inline int rk_pad(int n) {
    int v = rk_width();
    return (n + v - 1) / v * v;
}

/* y_a = act(W x_a + b) for rows a < na: x_a = x0 + idx[a] * xs (K floats),
 * y_a = y0 + idx[a] * ys (O floats), W (O, K) as stored, b (O), act = ReLU
 * when relu (a NaN becomes 0) else identity. For long inputs (layer 1 and
 * the router, K = D): per element, lane sums over k, a fixed reduction tree,
 * then the k tail in order, then + b. */
void rk_dot(int na, const int *idx, const float *x0, size_t xs, int K, const float *W, int O,
            const float *b, int relu, float *y0, size_t ys);

/* y_a = act(x_a WT + bp) for WT (K, Op) = W^T packed with Op = rk_pad(O)
 * (zero padded), bp (Op); with bp = NULL it accumulates: y_a += x_a WT (no
 * act). For short inputs (K = H): per element one running sum over k in
 * order, then the bias (or y). */
void rk_axpy(int na, const int *idx, const float *x0, size_t xs, int K, const float *WT, int Op,
             int O, const float *bp, int relu, float *y0, size_t ys);

/* gW (O, D) += Σ_a dp_a^T x_a, dp_a = dP + idx[a] * dps (O floats), x_a =
 * x0 + idx[a] * xs (D floats): per element one running sum over a in order,
 * then added to gW. */
void rk_outer(int na, const int *idx, const float *x0, size_t xs, int D, const float *dP,
              size_t dps, int O, float *gW);

/* Softmax of one row v (K floats) in place, the same values as the scalar
 * loop: the max by v[k] > max in order, e_k = expf(v[k] - max) summed in
 * order, then v[k] = e_k / sum. On the AVX-512 level the exponentials are
 * computed 8 at a time by libm's algorithm (glibc's expf, the FMA variant
 * libm picks on such CPUs), used only when a check at start finds the same
 * bits as libm's expf; otherwise, and on other levels, libm's expf. */
void rk_softmax(float *v, int K);

/* rk_softmax of the na rows base + idx[a] * stride (K floats each, rows
 * disjoint), the same bits; on the AVX-512 level 16 rows at a time, a row a
 * lane. */
void rk_softmax_rows(float *base, const int *idx, int na, size_t stride, int K);

/* 1 when rk_softmax uses its vector exponential (tests). */
int rk_softmax_vector(void);

#define RK_MAX_B 16 /* blocks per layer (RT_MAX_B) */

/* The gate-weighted mean of block i's inputs (DESIGN §1), for rows a < na of
 * sample n = idx[a]:  z = Σ_j (s_j[i] / r_i) h_j  over the active j of the
 * layer before, in j order. The weights s_j[i] / r_i lie in [0, 1] whatever
 * the size of r_i (r_i = Σ_j s_j[i] >= s_j[i]): a rate that has underflowed
 * to a denormal (active at θ = 0) gives the same bounded mean, where
 * (Σ_j s_j[i] h_j) * (1 / r_i) multiplied by an overflowed 1 / r_i = inf.
 * Pointers are sample 0's, strides per sample: */
typedef struct {
    int B, H, KM, i;     /* blocks per layer, width, row stride of s, receiving block */
    const float *s0;     /* s(l-1, n, j)[k] at s0 + n*ss + j*KM + k */
    const float *h0;     /* h(l-1, n, j) at h0 + n*hs + j*H */
    const float *r0;     /* r(l, n)[i] at r0 + n*B + i */
    const uint8_t *act0; /* activity of layer l-1: act0 + n*B + j */
    float *z0;           /* z(l, n, i) at z0 + n*hs */
    size_t ss, hs;       /* per-sample strides of s and of h, z */
} RkMix;
void rk_mix(const RkMix *g, int na, const int *idx);

#endif
