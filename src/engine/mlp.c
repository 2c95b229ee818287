/* mlp.c — the dense MLP baseline: ReLU hidden layers, softmax cross-entropy.
 * See mlp.h.
 *
 * Layer j maps width[j] -> width[j+1] (j = 0..nl-1, nl = nhidden + 1):
 *   Z_j = A_j W_j^T + b_j,  A_{j+1} = ReLU(Z_j) (j < nl-1),  P = softmax(Z_{nl-1})
 * with A_0 = X. Everything goes through mm_sgemm with OpenBLAS at one thread;
 * the work is split on the pool (pool.h) in three phases per training step:
 *   forward      rows (samples) split: each task runs its rows through every
 *                layer, bias+ReLU fused after each product, softmax at the end;
 *   backward A   rows split: dlogits and the loss in one pass, then
 *                dZ_{j-1} = (dZ_j W_j) * [A_j > 0] down to layer 1 (row-local);
 *   backward B   output units split: dW_j += dZ_j^T A_j and db_j += Σ_n dZ_j
 *                over the whole batch, each slice of g written by one task;
 *                for the trainer (mlp_backward_params with an AdamStep) the
 *                slice is overwritten and Adam steps it at once, in cache.
 * The trainer's minibatch is converted from uint8 in the forward's tasks
 * (mlp_forward_samples), each task its own rows.
 * Task boundaries depend only on N and the thread count, so results are
 * bitwise reproducible for a fixed thread count. No allocation after
 * mlp_work_new. */
#include "mlp.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "blas.h"
#include "optim.h"
#include "pool.h"
#include "rtnet.h" /* RT_EPS */

#define MLP_MAX_TASKS 64

struct MlpWork {
    int maxN;                      /* capacity in samples */
    int N;                         /* samples of the last forward */
    int nl;                        /* layers: nhidden + 1 */
    int width[MLP_MAX_HIDDEN + 2]; /* D, hidden..., C */
    int nthreads;                  /* 0 = pool_threads() */
    float *A[MLP_MAX_HIDDEN + 1]; /* A[j] is (maxN, width[j]): input of layer j; A[0] = copy of X */
    float *P;                     /* (maxN, C) probabilities of the last forward */
    float *
        dZ[MLP_MAX_HIDDEN + 1]; /* dZ[j] is (maxN, width[j+1]): dloss/d pre-activation of layer j */
    /* per-call arguments for the pool tasks */
    const Model *m;             /* model of the current call */
    const float *X;             /* input of the current forward */
    const DataSplit *src;       /* or: the split whose samples idx[] the tasks convert */
    const int *idx;             /* (N) sample indices into src */
    const uint8_t *y;           /* labels of the current backward */
    const float *weight;        /* sample weights (NULL = 1) */
    Model *gm;                  /* model receiving gradients */
    AdamStep *adam;             /* backward B: step each gradient part once final, or NULL */
    int ntasks;                 /* tasks of the current phase split */
    double loss[MLP_MAX_TASKS]; /* per-task loss of backward A */
};

MlpWork *mlp_work_new(const Model *m, int maxN, RtErr *e) {
    if (m->cfg.arch != ARCH_MLP) {
        rt_err(e, "mlp: model is not an MLP");
        return NULL;
    }
    if (maxN < 1) {
        rt_err(e, "mlp: batch capacity %d must be positive", maxN);
        return NULL;
    }
    MlpWork *w = rt_calloc(1, sizeof *w, "mlp workspace", e);
    if (!w) return NULL;
    w->maxN = maxN;
    w->nl = m->cfg.nhidden + 1;
    memcpy(w->width, m->width, sizeof w->width);
    int ok = 1;
    for (int j = 0; j < w->nl && ok; j++) {
        w->A[j] =
            rt_calloc((size_t)maxN * (size_t)w->width[j], sizeof(float), "mlp activations", e);
        w->dZ[j] =
            rt_calloc((size_t)maxN * (size_t)w->width[j + 1], sizeof(float), "mlp gradients", e);
        ok = w->A[j] && w->dZ[j];
    }
    if (ok)
        ok = (w->P = rt_calloc((size_t)maxN * (size_t)w->width[w->nl], sizeof(float),
                               "mlp probabilities", e)) != NULL;
    if (!ok) {
        mlp_work_free(w);
        return NULL;
    }
    return w;
}

void mlp_work_free(MlpWork *w) {
    if (!w) return;
    for (int j = 0; j <= MLP_MAX_HIDDEN; j++) {
        free(w->A[j]);
        free(w->dZ[j]);
    }
    free(w->P);
    free(w);
}

void mlp_work_set_threads(MlpWork *w, int nthreads) { w->nthreads = nthreads < 0 ? 0 : nthreads; }

/* Number of tasks for a split: the pool size, capped by the workspace setting. */
static int split_tasks(const MlpWork *w) {
    int t = pool_threads();
    if (w->nthreads > 0 && w->nthreads < t) t = w->nthreads;
    return RT_MAX(1, RT_MIN(t, MLP_MAX_TASKS));
}

/* [*a, *b) = part `t` of `parts` of [0, total), boundaries multiples of align
 * when that still leaves every part non-empty. */
static void chunk(int total, int parts, int t, int align, int *a, int *b) {
    if (total < align * parts) align = 1;
    int units = (total + align - 1) / align;
    int lo = (int)((long)units * t / parts) * align,
        hi = (int)((long)units * (t + 1) / parts) * align;
    *a = RT_MIN(lo, total);
    *b = RT_MIN(hi, total);
}

/* Z (rows, out) += b; then ReLU in place (a NaN becomes 0). Written as a
 * select on restrict rows so that GCC vectorises it: a branch per element is
 * mispredicted half the time on ReLU features. */
static void bias_relu(float *Z, const float *restrict b, int rows, int out) {
    for (int n = 0; n < rows; n++) {
        float *restrict z = Z + (size_t)n * out;
        for (int o = 0; o < out; o++) {
            float v = z[o] + b[o];
            z[o] = v > 0.0f ? v : 0.0f;
        }
    }
}

/* D (cnt) *= [A > 0]: the ReLU's backward mask, as a select (see bias_relu). */
static void relu_mask(float *restrict D, const float *restrict A, size_t cnt) {
    for (size_t k = 0; k < cnt; k++)
        D[k] = A[k] > 0.0f ? D[k] : 0.0f;
}

/* Z (rows, C) += b; then softmax of each row in place. */
static void bias_softmax(float *Z, const float *b, int rows, int C) {
    for (int n = 0; n < rows; n++) {
        float *z = Z + (size_t)n * C;
        float mx = -INFINITY;
        for (int c = 0; c < C; c++) {
            z[c] += b[c];
            if (z[c] > mx) mx = z[c];
        }
        float s = 0.0f;
        for (int c = 0; c < C; c++) {
            z[c] = expf(z[c] - mx);
            s += z[c];
        }
        float inv = 1.0f / s;
        for (int c = 0; c < C; c++)
            z[c] *= inv;
    }
}

/* forward of rows [n0, n1) through every layer. */
static void fwd_task(void *ctx, int task, int thread) {
    (void)thread;
    MlpWork *w = ctx;
    const Model *m = w->m;
    int n0, n1;
    chunk(w->N, w->ntasks, task, 4, &n0, &n1);
    int rows = n1 - n0;
    if (rows <= 0) return;
    int D = w->width[0];
    if (w->src) /* each task converts its own rows: the conversion runs in parallel */
        data_batch_float(w->src, w->idx + n0, rows, w->A[0] + (size_t)n0 * D);
    else if (w->X != w->A[0]) /* mlp_forward_samples converted them there already */
        memcpy(w->A[0] + (size_t)n0 * D, w->X + (size_t)n0 * D, (size_t)rows * D * sizeof(float));
    for (int j = 0; j < w->nl; j++) {
        int in = w->width[j], out = w->width[j + 1];
        int last = j == w->nl - 1;
        const float *Ain = w->A[j] + (size_t)n0 * in;              /* (rows, in) */
        float *Z = (last ? w->P : w->A[j + 1]) + (size_t)n0 * out; /* (rows, out) */
        /* Z = Ain W_j^T, W_j is (out, in) */
        mm_sgemm(0, 1, rows, out, in, 1.0f, Ain, in, m->mW[j], in, 0.0f, Z, out);
        if (last)
            bias_softmax(Z, m->mb[j], rows, out);
        else
            bias_relu(Z, m->mb[j], rows, out);
    }
}

void mlp_forward(const Model *m, MlpWork *w, const float *X, int N, float *probs) {
    if (N < 0) N = 0;
    if (N > w->maxN) N = w->maxN; /* caller error: never write past the workspace */
    w->N = N;
    if (N == 0) return;
    w->m = m;
    w->X = X;
    w->ntasks = RT_MIN(split_tasks(w), (N + 3) / 4);
    pool_run(fwd_task, w, w->ntasks);
    w->X = NULL;
    if (probs) memcpy(probs, w->P, (size_t)N * w->width[w->nl] * sizeof(float));
}

void mlp_forward_samples(const Model *m, MlpWork *w, const DataSplit *s, const int *idx, int N,
                         float *probs) {
    if (N > w->maxN) N = w->maxN;
    if (!idx && N > 0) { /* samples 0..N-1: convert in one piece */
        data_batch_float(s, NULL, N, w->A[0]);
        mlp_forward(m, w, w->A[0], N, probs);
        return;
    }
    w->src = s;
    w->idx = idx;
    mlp_forward(m, w, w->A[0], N, probs);
    w->src = NULL;
    w->idx = NULL;
}

/* backward A for rows [n0, n1): dlogits + loss, then dZ down to layer 0. */
static void bwd_rows_task(void *ctx, int task, int thread) {
    (void)thread;
    MlpWork *w = ctx;
    const Model *m = w->gm;
    int n0, n1;
    chunk(w->N, w->ntasks, task, 4, &n0, &n1);
    int rows = n1 - n0;
    w->loss[task] = 0.0;
    if (rows <= 0) return;
    int nl = w->nl, C = w->width[nl];
    double loss = 0.0;
    for (int n = n0; n < n1; n++) {
        const float *p = w->P + (size_t)n * C;
        float *d = w->dZ[nl - 1] + (size_t)n * C;
        float wt = w->weight ? w->weight[n] : 1.0f;
        int y = w->y[n];
        if (wt == 0.0f || y >= C) { /* no gradient (an out-of-range label is skipped) */
            memset(d, 0, (size_t)C * sizeof(float));
            continue;
        }
        float py = p[y];
        loss -= (double)wt * log((double)py + RT_EPS);
        /* d/dz_c of -log(p_y + eps) = p_y / (p_y + eps) * (p_c - [c == y]) */
        float s = wt * (py / (py + RT_EPS));
        for (int c = 0; c < C; c++)
            d[c] = s * p[c];
        d[y] -= s;
    }
    w->loss[task] = loss;
    for (int j = nl - 1; j >= 1; j--) {
        int in = w->width[j], out = w->width[j + 1];
        const float *Dj = w->dZ[j] + (size_t)n0 * out; /* (rows, out) */
        float *Dp = w->dZ[j - 1] + (size_t)n0 * in;    /* (rows, in) */
        /* dA_j = dZ_j W_j, W_j is (out, in) */
        mm_sgemm(0, 0, rows, in, out, 1.0f, Dj, out, m->mW[j], in, 0.0f, Dp, in);
        relu_mask(Dp, w->A[j] + (size_t)n0 * in, (size_t)rows * in);
    }
}

/* backward B, task = j * ntasks + t: output units [o0, o1) of layer j.
 * With w->adam, the part's gradient (rows o0..o1 of dW_j, b_j[o0..o1]) is
 * overwritten instead of accumulated and Adam steps it at once, while it is
 * still in cache: the same operations as zeroing, accumulating and a
 * separate Adam pass, so the same bits. */
static void bwd_params_task(void *ctx, int task, int thread) {
    MlpWork *w = ctx;
    Model *m = w->gm;
    int j = task / w->ntasks, t = task % w->ntasks;
    int in = w->width[j], out = w->width[j + 1], N = w->N;
    int o0, o1;
    chunk(out, w->ntasks, t, 8, &o0, &o1);
    if (o1 <= o0) return;
    const float *Dj = w->dZ[j]; /* (N, out) */
    const float *Aj = w->A[j];  /* (N, in) */
    size_t wo = (size_t)(m->mW[j] - m->w) + (size_t)o0 * in, bo = (size_t)(m->mb[j] - m->w);
    float *gW = m->g + wo; /* rows o0..o1 of (out, in) */
    float *gb = m->g + bo; /* (out) */
    size_t nw = (size_t)(o1 - o0) * in;
    if (w->adam) {
        memset(gW, 0, nw * sizeof(float));
        memset(gb + o0, 0, (size_t)(o1 - o0) * sizeof(float));
    }
    /* dW_j[o0:o1] += dZ_j[:, o0:o1]^T A_j */
    mm_sgemm(1, 0, o1 - o0, in, N, 1.0f, Dj + o0, out, Aj, in, 1.0f, gW, in);
    for (int n = 0; n < N; n++) {
        const float *d = Dj + (size_t)n * out;
        for (int o = o0; o < o1; o++)
            gb[o] += d[o];
    }
    if (w->adam) {
        /* tasks on one thread run one after the other: its slot is its own */
        adam_range(w->adam, wo, wo + nw, thread);
        adam_range(w->adam, bo + o0, bo + o1, thread);
    }
}

double mlp_backward_loss(Model *m, MlpWork *w, const uint8_t *y, const float *weight) {
    if (w->N == 0) return 0.0;
    w->gm = m;
    w->y = y;
    w->weight = weight;
    w->ntasks = RT_MIN(split_tasks(w), (w->N + 3) / 4);
    int rows_tasks = w->ntasks;
    pool_run(bwd_rows_task, w, rows_tasks);
    double loss = 0.0;
    for (int t = 0; t < rows_tasks; t++)
        loss += w->loss[t];
    w->y = NULL;
    w->weight = NULL;
    return loss;
}

void mlp_backward_params(Model *m, MlpWork *w, AdamStep *s) {
    if (w->N == 0) {
        if (s) { /* nothing learnt: a step on zero gradients */
            memset(m->g, 0, s->n * sizeof(float));
            adam_range(s, 0, s->n, 0);
        }
        return;
    }
    w->gm = m;
    w->adam = s;
    w->ntasks = split_tasks(w);
    pool_run(bwd_params_task, w, w->nl * w->ntasks);
    w->adam = NULL;
}

double mlp_backward(Model *m, MlpWork *w, const uint8_t *y, const float *weight) {
    double loss = mlp_backward_loss(m, w, y, weight);
    mlp_backward_params(m, w, NULL);
    return loss;
}
