/* xsmm_bench.c — Debian's libxsmm behind the row kernels' entry points
 * (rtkern.h), measured against them on the RT network's shapes (`make
 * bench-xsmm`; the record is in bench/README.md).
 *
 * A block's forward at one θ step works on the na samples whose rows are
 * scattered through the workspace (row a at base + idx[a] * stride). The
 * libxsmm version of rk_dot / rk_axpy gathers those rows into a dense
 * operand, runs one JIT small-GEMM kernel (column-major C = A B with
 * A = W^T, B = the gathered rows^T, beta = 0), adds the bias (and the ReLU)
 * and scatters the result back: the same contract as the row kernels.
 *
 * For each shape and row count it prints µs per call of both, their ratio,
 * and whether the results are bit-identical, and whether libxsmm itself gives
 * a row the same bits alone as in the batch (the batch-independence the RT
 * inference path needs). Timings are medians of interleaved repeats. */
#include <libxsmm.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "rtkern.h"

typedef struct {
    const char *what;
    int K, O; /* y (O) = W (O, K) x (K) + b */
    int dot;  /* 1: rk_dot (W as stored), 0: rk_axpy (W^T packed) */
} Shape;

static const Shape SHAPES[] = {
    {"layer-1 block W1, 784 -> 48 (rk_dot)", 784, 48, 1},
    {"deeper block W1, 48 -> 48 (rk_axpy)", 48, 48, 0},
    {"gates W2, 48 -> 8 (rk_axpy)", 48, 8, 0},
};
static const int ROWS[] = {1, 4, 16, 64};
#define NMAX   128
#define STRIDE 2048 /* row stride of the scattered operands, floats */
#define REPS   31

static float urand(unsigned *s) {
    *s = *s * 1664525u + 1013904223u;
    return (float)(*s >> 8) / 16777216.0f - 0.5f;
}

static int cmpd(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* gather, one libxsmm kernel, bias + act, scatter: the rk_* contract */
static void xsmm_rows(libxsmm_smmfunction f, int na, const int *idx, const float *x0, size_t xs,
                      int K, const float *WT, int O, const float *b, int relu, float *y0, size_t ys,
                      float *Xg, float *Yg) {
    for (int a = 0; a < na; a++)
        memcpy(Xg + (size_t)a * K, x0 + (size_t)idx[a] * xs, (size_t)K * sizeof(float));
    f(WT, Xg, Yg); /* column-major C (O x na) = A (O x K, lda Op) B (K x na): y_a = W x_a */
    for (int a = 0; a < na; a++) {
        float *y = y0 + (size_t)idx[a] * ys;
        const float *c = Yg + (size_t)a * O;
        for (int o = 0; o < O; o++) {
            float s = c[o] + b[o];
            y[o] = relu && !(s > 0.0f) ? 0.0f : s;
        }
    }
}

int main(void) {
    libxsmm_init();
    unsigned seed = 12345;
    float *X = malloc((size_t)NMAX * STRIDE * sizeof(float));
    float *Y1 = malloc((size_t)NMAX * STRIDE * sizeof(float));
    float *Y2 = malloc((size_t)NMAX * STRIDE * sizeof(float));
    float *Y3 = malloc((size_t)NMAX * STRIDE * sizeof(float));
    float *Xg = malloc((size_t)NMAX * 1024 * sizeof(float)), *Yg = malloc((size_t)NMAX * 64 * 4);
    float *W = malloc(64 * 1024 * sizeof(float)), *WT = malloc(64 * 1024 * sizeof(float));
    float *b = calloc(64, sizeof(float)); /* zero padded to Op: rk_axpy's bp too */
    int idx[NMAX];
    for (size_t i = 0; i < (size_t)NMAX * STRIDE; i++)
        X[i] = urand(&seed) + 0.5f;
    for (int n = 0; n < NMAX; n++)
        idx[n] = (n * 37) % NMAX; /* scattered rows */
    printf("rtkern level %d (%d lanes); libxsmm %s\n", rk_level(-1), rk_width(), LIBXSMM_VERSION);
    printf("%-40s %5s %10s %10s %7s %10s %10s\n", "shape", "rows", "rtkern us", "libxsmm us",
           "ratio", "same bits", "xsmm batch");
    for (size_t s = 0; s < sizeof SHAPES / sizeof SHAPES[0]; s++) {
        const Shape *sh = &SHAPES[s];
        int K = sh->K, O = sh->O, Op = rk_pad(O);
        for (int i = 0; i < O * K; i++)
            W[i] = urand(&seed) * 0.1f;
        for (int o = 0; o < O; o++)
            b[o] = urand(&seed) * 0.1f;
        for (int k = 0; k < K; k++) /* WT (K, Op) = W^T, zero padded: rk_axpy's and libxsmm's A */
            for (int o = 0; o < Op; o++)
                WT[(size_t)k * Op + o] = o < O ? W[(size_t)o * K + k] : 0.0f;
        for (size_t r = 0; r < sizeof ROWS / sizeof ROWS[0]; r++) {
            int na = ROWS[r];
            float alpha = 1.0f, beta = 0.0f;
            libxsmm_blasint lda = Op, ldb = K, ldc = O;
            libxsmm_smmfunction f =
                libxsmm_smmdispatch(O, na, K, &lda, &ldb, &ldc, &alpha, &beta, NULL, NULL);
            libxsmm_smmfunction f1 =
                libxsmm_smmdispatch(O, 1, K, &lda, &ldb, &ldc, &alpha, &beta, NULL, NULL);
            if (!f || !f1) {
                printf("%-40s %5d   libxsmm has no kernel for this shape\n", sh->what, na);
                continue;
            }
            double t1[REPS], t2[REPS];
            int calls = na >= 16 ? 200 : 2000;
            for (int rep = 0; rep < REPS; rep++) {
                double t0 = rt_now();
                for (int c = 0; c < calls; c++)
                    if (sh->dot)
                        rk_dot(na, idx, X, STRIDE, K, W, O, b, 1, Y1, STRIDE);
                    else
                        rk_axpy(na, idx, X, STRIDE, K, WT, Op, O, b, 1, Y1, STRIDE);
                t1[rep] = (rt_now() - t0) / calls * 1e6;
                t0 = rt_now();
                for (int c = 0; c < calls; c++)
                    xsmm_rows(f, na, idx, X, STRIDE, K, WT, O, b, 1, Y2, STRIDE, Xg, Yg);
                t2[rep] = (rt_now() - t0) / calls * 1e6;
            }
            qsort(t1, REPS, sizeof(double), cmpd);
            qsort(t2, REPS, sizeof(double), cmpd);
            /* bits: rtkern vs libxsmm, and libxsmm one row at a time vs the batch */
            int same = 1, batch = 1;
            for (int a = 0; a < na; a++) {
                xsmm_rows(f1, 1, idx + a, X, STRIDE, K, WT, O, b, 1, Y3, STRIDE, Xg, Yg);
                size_t off = (size_t)idx[a] * STRIDE;
                same &= memcmp(Y1 + off, Y2 + off, (size_t)O * sizeof(float)) == 0;
                batch &= memcmp(Y3 + off, Y2 + off, (size_t)O * sizeof(float)) == 0;
            }
            printf("%-40s %5d %10.3f %10.3f %7.2f %10s %10s\n", sh->what, na, t1[REPS / 2],
                   t2[REPS / 2], t2[REPS / 2] / t1[REPS / 2], same ? "yes" : "no",
                   batch ? "yes" : "no");
        }
    }
    libxsmm_finalize();
    free(X), free(Y1), free(Y2), free(Y3), free(Xg), free(Yg), free(W), free(WT), free(b);
    return 0;
}
