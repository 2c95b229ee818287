/* rtnet.c — the RayTracing network (docs/DESIGN.md §1), batched. See rtnet.h.
 *
 * The model, for one sample x at threshold θ (L layers of B blocks; block i
 * of layer l has W1 (H, din), b1 (H), W2 (K, H), b2 (K); din = D for layer 1
 * else H, K = B or C for the last layer):
 *
 *   router   g = softmax(Wr x + br)                                    (B)
 *   rates    r_i = (1 - θ)+ g_i in layer 1, r_i = Σ_j s_j[i] after it
 *            block i is active iff r_i > θ; a dark block computes nothing
 *   mean     z_i = x in layer 1, z_i = Σ_j (s_j[i] / r_i) h_j after it  (din)
 *   block    h_i = ReLU(W1 z_i + b1),  q_i = softmax(W2 h_i + b2)       (H), (K)
 *   gates    s_i = (r_i - θ) q_i when active, else 0                    (K)
 *   output   o = Σ_j s_j over the last layer, M = Σ_c o_c, p = o / M    (C)
 *   loss     -log(p_y + ε)
 *
 * Each step is a *_forward / *_backward pair below, in this order, on the
 * workspace arrays named in RtWork (shapes in [..]); backward accumulates
 * (+=) into Model.g. Then the drivers: rt_forward (every sample at its own
 * θ), the θ sweep and the one-sample trace, which share one stop rule, and
 * rt_backward. The products run in the row kernels (rtkern.h): each block
 * works on exactly the samples it is active for, in place, so a dark block
 * costs a sample nothing and a sample's bits never depend on its batch.
 *
 * Parallelism (pool.h); results are bit-identical for any number of threads:
 *   rt_forward   the blocks of a layer, one task each;
 *   rt_sweep     chunks of samples, each running the whole sweep (one barrier
 *                per sweep instead of one per layer and step);
 *   rt_backward  one job per layer: per block, its ds and dh gathered from
 *                all receivers of the layer after in block order, then its
 *                own parameter gradients, dr, dz; layer 1's job goes on
 *                with its blocks' dW1 in row parts beside the router's, each
 *                waiting only for the item it needs; items go to whichever
 *                thread is free, largest first (and, for the trainer, each
 *                steps Adam on the parameters it finished);
 *   router       fixed parts (rows of X forward, columns of X backward).
 * Every task writes only its own rows / block / columns: no atomics on
 * results (backward's items are handed out by one atomic counter, and in
 * layer 1's job flags say which blocks and whether da are done).
 *
 * rt_forward / rt_sweep copy X into the workspace (rt_backward needs it for
 * the W1 and router gradients) and pack the weights the kernels read. N
 * larger than the workspace's maxN is clamped to maxN: samples beyond it are
 * not touched. */
#include "rtnet.h"

#include <math.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "blas.h"
#include "pool.h"
#include "rtkern.h"

_Static_assert(RK_MAX_B >= RT_MAX_B, "rk_mix holds a layer's blocks");

/* The workspace. Per-sample activations live in dense arrays indexed
 * [layer][sample][block][...]; shapes below use maxN for the sample axis. */
struct RtWork {
    int maxN;          /* capacity in samples */
    int N;             /* samples of the last forward / sweep */
    int D, C, L, B, H; /* model dimensions */
    int KM;            /* row stride of q, s, ds: max(B, C) */
    float *X;          /* (maxN, D) copy of the last input */
    float *theta;      /* (maxN) per-sample θ of the last forward */
    float *g;          /* (maxN, B) router softmax */
    float *r;          /* (L, maxN, B) firing rates */
    uint8_t *act;      /* (L, maxN, B) 1 = active */
    float *h;          /* (L, maxN, B, H) block features (valid where active) */
    float *z;          /* (L, maxN, B, H) block inputs for l >= 1 (valid where active) */
    float *q;          /* (L, maxN, B, KM) softmax(F) (valid where active) */
    float *s;          /* (L, maxN, B, KM) gates, zero where dark */
    float *p;          /* (maxN, C) prediction p = o / M (zeros when M = 0) */
    float *mass;       /* (maxN) output mass M */
    int *live;         /* (maxN) a sweep chunk's samples not stopped yet, from n0 */
    int *sl;           /* (maxN) the samples a sweep round works on, from a chunk's n0 */
    int *tn;           /* (maxN) a sweep sample's own θ step */
    int *wait;         /* (maxN) its layer-1 rows still queued (-1: its step not started) */
    int *q1;           /* (B, maxN) a sweep's layer-1 queues, block i's from i*maxN + n0 */
    int *sq;           /* (maxN, B) a sweep round's q rows (n*B + i) for one softmax pass */
    uint8_t *done0;    /* (maxN, B) layer-1 block already computed for this sample */
    long *macs;        /* (maxN) multiply-adds performed for each sample since the entry */
    /* backward */
    uint8_t *bw; /* (maxN) sample takes part in backward */
    float *ds;   /* (L, maxN, B, KM) dL/ds */
    float *dh;   /* (L, maxN, B, H) dL/dh */
    /* dr, dz, dzz: two slots, layer l in slot l % 2: the blocks of layer l
     * write theirs while the weighted means of layer l+1 read the other */
    float *dr;  /* (2, maxN, B) dL/dr */
    float *dz;  /* (2, maxN, B, H) dL/dz */
    float *dzz; /* (2, maxN, B) <dz_i, z_i> */
    float *da;  /* (maxN, B) dL/d(router logits) */
    /* per-block scratch, block i owns slice i */
    int *idx;         /* (B, maxN) the sample indices each block works on */
    int nb[RT_MAX_B]; /* backward: samples listed in block i's index row */
    int *all;         /* (maxN) 0, 1, ..., maxN-1: every sample (the router) */
    float *bk;        /* (B, maxN, KM) dF, row n for sample n */
    /* forward weights packed for rk_axpy, refreshed by every forward entry */
    float *pk;      /* per block: [l >= 1: W1^T (H, Hp), b1 (Hp)] W2^T (H, Kp), b2 (Kp),
                       then for backward W2 (K, Hp) [l >= 1: W1 (H, Hp)], rows padded */
    float *zero;    /* (round16(H)) zeros: the bias of dz = dpre W1 */
    size_t *pk_off; /* (L*B) offset of each block's part of pk */
};

/* ---- indexing: sample n's rows ------------------------------------------------ */

static inline size_t ix_nb(const RtWork *w, int l, int n) {
    return ((size_t)l * (size_t)w->maxN + (size_t)n) * (size_t)w->B;
}
static inline float *at_r(const RtWork *w, int l, int n) { return w->r + ix_nb(w, l, n); }
static inline uint8_t *at_act(const RtWork *w, int l, int n) { return w->act + ix_nb(w, l, n); }
static inline float *at_h(const RtWork *w, int l, int n, int i) {
    return w->h + (ix_nb(w, l, n) + (size_t)i) * (size_t)w->H;
}
static inline float *at_z(const RtWork *w, int l, int n, int i) {
    return w->z + (ix_nb(w, l, n) + (size_t)i) * (size_t)w->H;
}
static inline float *at_dh(const RtWork *w, int l, int n, int i) {
    return w->dh + (ix_nb(w, l, n) + (size_t)i) * (size_t)w->H;
}
static inline float *at_q(const RtWork *w, int l, int n, int i) {
    return w->q + (ix_nb(w, l, n) + (size_t)i) * (size_t)w->KM;
}
static inline float *at_s(const RtWork *w, int l, int n, int i) {
    return w->s + (ix_nb(w, l, n) + (size_t)i) * (size_t)w->KM;
}
static inline float *at_ds(const RtWork *w, int l, int n, int i) {
    return w->ds + (ix_nb(w, l, n) + (size_t)i) * (size_t)w->KM;
}
/* Backward's per-layer slots (layer l in slot l % 2), sample 0's row. */
static inline float *at_dr(const RtWork *w, int l) {
    return w->dr + (size_t)(l & 1) * (size_t)w->maxN * (size_t)w->B;
}
static inline float *at_dzz(const RtWork *w, int l) {
    return w->dzz + (size_t)(l & 1) * (size_t)w->maxN * (size_t)w->B;
}
static inline float *at_dz(const RtWork *w, int l) {
    return w->dz + (size_t)(l & 1) * (size_t)w->maxN * (size_t)w->B * (size_t)w->H;
}

/* Packed rows are padded to a multiple of the kernels' vector width (at most 16). */
static inline int round16(int n) { return (n + 15) & ~15; }

static inline float *grad_of(Model *m, const float *param) { return m->g + (param - m->w); }

static void pack_block(const Model *m, RtWork *w, int k);

/* ---- small helpers --------------------------------------------------------------- */

/* Vector helpers unrolled by 8 so that gcc -O2 (SLP) vectorises them; the
 * order of operations is fixed, so results do not depend on the caller. */
static void vaxpy(int n, float a, const float *restrict x, float *restrict y) { // y += a x
    int k = 0;
    for (; k + 8 <= n; k += 8)
        for (int u = 0; u < 8; u++)
            y[k + u] += a * x[k + u];
    for (; k < n; k++)
        y[k] += a * x[k];
}

static void vadd(int n, const float *restrict x, float *restrict y) { // y += x
    int k = 0;
    for (; k + 8 <= n; k += 8)
        for (int u = 0; u < 8; u++)
            y[k + u] += x[k + u];
    for (; k < n; k++)
        y[k] += x[k];
}

static void vscale(int n, float a, const float *restrict x, float *restrict y) { // y = a x
    int k = 0;
    for (; k + 8 <= n; k += 8)
        for (int u = 0; u < 8; u++)
            y[k + u] = a * x[k + u];
    for (; k < n; k++)
        y[k] = a * x[k];
}

static void vzero(int n, float *y) { // y = 0 (inline: a gate row is a few floats)
    int k = 0;
    for (; k + 8 <= n; k += 8)
        for (int u = 0; u < 8; u++)
            y[k + u] = 0.0f;
    for (; k < n; k++)
        y[k] = 0.0f;
}

static float vdot(int n, const float *restrict x, const float *restrict y) {
    float acc[8] = {0};
    int k = 0;
    for (; k + 8 <= n; k += 8)
        for (int u = 0; u < 8; u++)
            acc[u] += x[k + u] * y[k + u];
    float s = ((acc[0] + acc[4]) + (acc[1] + acc[5])) + ((acc[2] + acc[6]) + (acc[3] + acc[7]));
    for (; k < n; k++)
        s += x[k] * y[k];
    return s;
}

/* d = d ⊙ [h > 0] over n elements. */
static void relu_mask(size_t n, float *restrict d, const float *restrict h) {
    size_t k = 0;
    for (; k + 8 <= n; k += 8)
        for (int u = 0; u < 8; u++)
            d[k + u] = h[k + u] > 0.0f ? d[k + u] : 0.0f;
    for (; k < n; k++)
        d[k] = h[k] > 0.0f ? d[k] : 0.0f;
}

static void softmax_rows(float *x, int rows, int K, int ld) { // x is (rows, K), row stride ld
    for (int a = 0; a < rows; a++)
        rk_softmax(x + (size_t)a * (size_t)ld, K);
}

/* The router's products run as RT_ROUTER_PARTS fixed parts (rows of X
 * forward, columns of X backward): parallel, and split the same way for any
 * thread count. */
#define RT_ROUTER_PARTS 4

typedef struct {
    const Model *m;       /* the network */
    RtWork *w;            /* workspace */
    int N;                /* samples */
    const float *X;       /* forward: the caller's input (N, D), copied into w->X */
    float *gWr;           /* router weight gradient (backward) */
    const DataSplit *src; /* forward, instead of X: rows idx[0..N) of this split, as uint8 */
    const int *idx;
} RouterCtx;

/* ==== router: g = softmax(Wr x + br) ================================================ */

/* Part k of g (N, B) = softmax(X Wr^T + br) for X (N, D), Wr (B, D), br (B):
 * rows [n0, n1). Every forward entry starts with all parts (router_forward),
 * so part k also copies its rows of the input into the workspace (rt_backward
 * needs them) and packs the weights of blocks k, k + RT_ROUTER_PARTS, ...
 * (pack_block): no serial pass before the parallel ones. */
static void router_fwd_part(void *vctx, int k, int thread) {
    (void)thread;
    RouterCtx *cx = vctx;
    RtWork *w = cx->w;
    for (int b = k; b < w->L * w->B; b += RT_ROUTER_PARTS)
        pack_block(cx->m, w, b);
    int B = w->B, D = w->D, n0 = (int)((long)cx->N * k / RT_ROUTER_PARTS);
    int n1 = (int)((long)cx->N * (k + 1) / RT_ROUTER_PARTS);
    if (n1 <= n0) return;
    if (cx->src) /* converted here, in parallel, rather than in a pass of their own */
        data_batch_float(cx->src, cx->idx + n0, n1 - n0, w->X + (size_t)n0 * D);
    else
        memcpy(w->X + (size_t)n0 * D, cx->X + (size_t)n0 * D,
               (size_t)(n1 - n0) * D * sizeof(float));
    /* the row kernel, not OpenBLAS: a sample's logits must not depend on the
     * rows they are computed with */
    rk_dot(n1 - n0, w->all + n0, w->X, (size_t)D, D, cx->m->Wr, B, cx->m->br, 0, w->g, (size_t)B);
    softmax_rows(w->g + (size_t)n0 * B, n1 - n0, B, B);
}

/* A forward entry's input: X (N, D), or rows idx of the split src. */
typedef struct {
    const float *X;
    const DataSplit *src;
    const int *idx;
} RtIn;

/* Every forward entry starts here: the input, the packed weights and the
 * router. */
static void router_forward(const Model *m, RtWork *w, RtIn in, int N) {
    w->N = N;
    RouterCtx cx = {m, w, N, in.X, NULL, in.src, in.idx};
    pool_run(router_fwd_part, &cx, RT_ROUTER_PARTS);
}

/* Part k of dWr += da^T X: columns [d0, d1) of X and dWr. */
static void router_bwd_part(void *vctx, int k, int thread) {
    (void)thread;
    RouterCtx *cx = vctx;
    RtWork *w = cx->w;
    int B = w->B, D = w->D, d0 = (int)((long)D * k / RT_ROUTER_PARTS);
    int d1 = (int)((long)D * (k + 1) / RT_ROUTER_PARTS);
    if (d1 <= d0) return;
    mm_sgemm(1, 0, B, d1 - d0, cx->N, 1.0f, w->da, B, w->X + d0, D, 1.0f, cx->gWr + d0,
             D); // (N,B)^T x (N,d)
}

/* Router backward, first part: ds_in[i] = dr_i (the rate's gradient, active
 * i), dg (B) = (1-θ)+ ds_in, da (N, B) = g ⊙ (dg - <dg, g>); dbr += Σ_n da.
 * Then router_bwd_part: dWr (B, D) += da^T X. */
static void router_backward_da(Model *m, RtWork *w) {
    const int N = w->N, B = w->B;
    float *da = w->da, *gbr = grad_of(m, m->br);
    for (int n = 0; n < N; n++) {
        float *dan = da + (size_t)n * B;
        if (!w->bw[n]) {
            memset(dan, 0, (size_t)B * sizeof(float));
            continue;
        }
        const float *g = w->g + (size_t)n * B, *dr = at_dr(w, 0) + (size_t)n * B;
        const uint8_t *ap = at_act(w, 0, n);
        float c = fmaxf(0.0f, 1.0f - w->theta[n]), dot = 0.0f;
        for (int i = 0; i < B; i++) {
            dan[i] = ap[i] ? c * dr[i] : 0.0f; // dg
            dot += dan[i] * g[i];
        }
        for (int i = 0; i < B; i++)
            dan[i] = g[i] * (dan[i] - dot);
        for (int i = 0; i < B; i++)
            gbr[i] += dan[i];
    }
}

/* ==== rates: r_i = (1-θ)+ g_i, or Σ_j s_j[i]; active iff r_i > θ ====================== */

/* Rates r [N, B] and activity act [N, B] of every block of layer l for the
 * nl samples sl (within a range from n0): r_i = (1-θ)+ g_i for layer 1, else
 * r_i = Σ_j s_j[i] summed over the active j of layer l-1 in order (a dark j's
 * gates are exactly +0, whose sum would add nothing: the same value). Also
 * block i's list of samples to compute (active, and for layer 1 not computed
 * yet: done0), appended to its row of rows (B, maxN) from i*maxN + n0 (na[i]
 * long: the caller sets it, to 0 for a fresh list; rows is w->idx, which
 * block_forward reads, but for the sweep's layer-1 queues), in the order of
 * sl (disjoint ranges use disjoint rows), and their multiply-adds (macs).
 * The backward of the rates: dr_i reaches every s_j[i] in mean_backward and
 * the router in router_backward. */
static void rates_rows(RtWork *w, int l, int n0, const int *sl, int nl, int *rows,
                       int *na) { // na (B)
    const int B = w->B;
    int *idx0 = rows + n0;
    /* multiply-adds of a new active block, but for the weighted mean's H per source */
    const long mac0 = (long)w->H * (l == 0 ? w->D : w->H) + (long)w->H * (l < w->L - 1 ? B : w->C);
    int sink; /* where a block that is not listed writes its entry */
    for (int a = 0; a < nl; a++) {
        const int n = sl[a];
        float th = w->theta[n], *r = at_r(w, l, n), acc[RT_MAX_B];
        uint8_t *act = at_act(w, l, n);
        int nsrc = 0; /* active blocks of the layer before: the weighted mean's terms */
        if (l == 0) {
            const float c = fmaxf(0.0f, 1.0f - th), *g = w->g + (size_t)n * B;
            for (int i = 0; i < B; i++)
                acc[i] = c * g[i];
        } else {
            const uint8_t *src = at_act(w, l - 1, n);
            for (int i = 0; i < B; i++)
                acc[i] = 0.0f;
            for (int j = 0; j < B; j++) {
                if (!src[j]) continue;
                vadd(B, at_s(w, l - 1, n, j), acc);
                nsrc++;
            }
        }
        const uint8_t *done = w->done0 + (size_t)n * B;
        const long macs = mac0 + (l == 0 ? 0 : (long)w->H * nsrc);
        long add = 0;
        for (int i = 0; i < B; i++) { /* the list append without a branch */
            const int on = acc[i] > th, list = on & !(l == 0 && done[i]);
            r[i] = acc[i];
            act[i] = (uint8_t)on;
            int *slot = list ? &idx0[(size_t)i * w->maxN + na[i]] : &sink;
            *slot = n;
            na[i] += list;
            add += list ? macs : 0;
        }
        w->macs[n] += add;
    }
}

/* rates_rows for every sample of [n0, n1). */
static void rates_forward(RtWork *w, int l, int n0, int n1, int *na) {
    for (int i = 0; i < w->B; i++)
        na[i] = 0;
    rates_rows(w, l, n0, w->all + n0, n1 - n0, w->idx, na);
}

/* ==== mean and block: z_i, h_i = ReLU(W1 z_i + b1), q_i = softmax(W2 h_i + b2) ========= */

/* A list of q rows (n*B + i, of one layer) whose softmax is still to come:
 * a sweep round gathers its blocks' rows so that one rk_softmax_rows call
 * takes them 16 at a time (the AVX-512 softmax costs the same for 1 row as
 * for 16, and a round's block has a few rows each). */
typedef struct {
    int *row; /* rows so far */
    int n;
} SoftList;

/* Block i of layer l for the na samples rates_forward listed (index rows
 * from i*maxN + n0): z (layer >= 2: the weighted mean of the layer before's
 * h [N, B, H] by its gates s [N, B, KM]), h [N, B, H], q [N, B, KM]. X is
 * (N, D). Disjoint (block, range) pairs can run concurrently. The forward,
 * the sweep and the trace all come here; q's softmax is rk_softmax_rows
 * (at the AVX-512 level 16 rows at once, with vector exponentials: libm's
 * bits), here when sl is NULL, else the rows join sl for the caller's
 * softmax_list (each row's softmax is its own: the same bits). */
static void block_forward(const Model *m, RtWork *w, int l, int i, int n0, int na, SoftList *sl) {
    int B = w->B, H = w->H;
    const RtBlock *bk = &m->blk[l * B + i];
    int din = bk->din, K = bk->K;
    const int *idx = w->idx + (size_t)i * w->maxN + (size_t)n0;
    if (na > 0) {
        /* sample n's rows of block i: h, z at + n * B*H, q at + n * B*KM */
        const size_t hs = (size_t)B * H, qs = (size_t)B * w->KM;
        float *h0 = at_h(w, l, 0, i), *q0 = at_q(w, l, 0, i);
        const float *pk = w->pk + w->pk_off[l * B + i];
        const int Hp = rk_pad(H), Kp = rk_pad(K);
        if (l == 0) {
            rk_dot(na, idx, w->X, (size_t)din, din, bk->W1, H, bk->b1, 1, h0, hs);
        } else {
            RkMix g = {.B = B,
                       .H = H,
                       .KM = w->KM,
                       .i = i,
                       .s0 = at_s(w, l - 1, 0, 0),
                       .h0 = at_h(w, l - 1, 0, 0),
                       .r0 = at_r(w, l, 0),
                       .act0 = at_act(w, l - 1, 0),
                       .z0 = at_z(w, l, 0, i),
                       .ss = qs,
                       .hs = hs};
            rk_mix(&g, na, idx);
            rk_axpy(na, idx, at_z(w, l, 0, i), hs, H, pk, Hp, H, pk + (size_t)H * Hp, 1, h0, hs);
            pk += (size_t)(H + 1) * Hp;
        }
        rk_axpy(na, idx, h0, hs, H, pk, Kp, K, pk + (size_t)H * Kp, 0, q0, qs);
        if (sl)
            for (int a = 0; a < na; a++)
                sl->row[sl->n++] = idx[a] * B + i;
        else
            rk_softmax_rows(q0, idx, na, qs, K);
        if (l == 0)
            for (int a = 0; a < na; a++)
                w->done0[(size_t)idx[a] * B + i] = 1;
    }
}

/* The softmax of the rows block_forward listed in sl (layer l), then sl empty. */
static void softmax_list(const Model *m, RtWork *w, int l, SoftList *sl) {
    rk_softmax_rows(at_q(w, l, 0, 0), sl->row, sl->n, (size_t)w->KM, m->blk[l * w->B].K);
    sl->n = 0;
}

/* Block i of layer l backward, with its gates, for the na samples idx:
 * from ds [N, B, KM] (dL/ds_i) and dh [N, B, H] (dL/dh_i from the next
 * layer): the gates' dq = (r_i - θ) ds and dr_i = <ds, q> (into dr [N, B]),
 * dF = q ⊙ (dq - <dq, q>) (into bk [B, N, KM]), db2 += dF, dW2 (K, H) +=
 * dF^T h, dh += dF W2, dpre = dh ⊙ [h > 0] (in place), db1 += dpre, dW1
 * (H, din) += dpre^T z (layer 1: block_backward_dw1, afterwards), and for
 * layer >= 2 dz = dpre W1 (into dz [N, B, H]) with <dz, z> (dzz [N, B]) for
 * mean_backward. */
static void block_backward(Model *m, RtWork *w, int l, int i, int na, const int *idx) {
    const int B = w->B, H = w->H, KM = w->KM, Hp = rk_pad(H);
    const RtBlock *bk = &m->blk[l * B + i];
    const int din = bk->din, K = bk->K;
    const size_t hs = (size_t)B * H;
    float *dF0 = w->bk + (size_t)i * w->maxN * KM; // row n: dL/dF of sample n
    float *h0 = at_h(w, l, 0, i), *dh0 = at_dh(w, l, 0, i);
    float *gW1 = grad_of(m, bk->W1), *gb1 = grad_of(m, bk->b1);
    float *gW2 = grad_of(m, bk->W2), *gb2 = grad_of(m, bk->b2);
    const float *pk = w->pk + w->pk_off[l * B + i];
    if (l > 0) pk += (size_t)(H + 1) * Hp;
    pk += (size_t)(H + 1) * rk_pad(K);
    const float *W2p = pk, *W1p = pk + (size_t)K * Hp; // (K, Hp), (H, Hp)
    for (int a = 0; a < na; a++) {
        int n = idx[a];
        const float *ds = at_ds(w, l, n, i), *q = at_q(w, l, n, i);
        float c = at_r(w, l, n)[i] - w->theta[n], dr = 0.0f, dqq = 0.0f;
        float *df = dF0 + (size_t)n * KM;
        for (int k = 0; k < K; k++) {
            dr += ds[k] * q[k];
            df[k] = c * ds[k]; // dq
            dqq += df[k] * q[k];
        }
        for (int k = 0; k < K; k++) {
            df[k] = q[k] * (df[k] - dqq);
            gb2[k] += df[k];
        }
        at_dr(w, l)[(size_t)n * B + i] = dr;
    }
    rk_outer(na, idx, h0, hs, H, dF0, (size_t)KM, K, gW2); // dW2 += dF^T h
    /* dh += dF W2; the last layer's dh has nothing else in it: dh = dF W2 + 0
     * (the bits of 0 + dF W2), and output_backward need not zero it */
    rk_axpy(na, idx, dF0, (size_t)KM, K, W2p, Hp, H, l == w->L - 1 ? w->zero : NULL, 0, dh0, hs);
    for (int a = 0; a < na; a++) { // dpre = dh ⊙ [pre > 0], in place
        float *d = dh0 + (size_t)idx[a] * hs;
        relu_mask((size_t)H, d, h0 + (size_t)idx[a] * hs);
        vadd(H, d, gb1);
    }
    if (l == 0) return; /* dW1 += dpre^T x: block_backward_dw1 */
    rk_outer(na, idx, at_z(w, l, 0, i), hs, din, dh0, hs, H, gW1); // dW1 += dpre^T z
    float *dz0 = at_dz(w, l) + (size_t)i * H;                      // row n at + n * B*H
    rk_axpy(na, idx, dh0, hs, H, W1p, Hp, H, w->zero, 0, dz0, hs); // dz = dpre W1
    float *dzz = at_dzz(w, l);
    for (int a = 0; a < na; a++) {
        int n = idx[a];
        dzz[(size_t)n * B + i] = vdot(H, dz0 + (size_t)n * hs, at_z(w, l, n, i));
    }
}

/* Rows [o0, o1) of a layer-1 block's dW1 (H, D) += dpre^T x over its na
 * samples idx (dpre in dh, from block_backward). Each element is one running
 * sum over the samples in order whatever rows go with it (rtkern.h), so the
 * rows can be split among tasks. */
static void block_backward_dw1(Model *m, RtWork *w, int i, int o0, int o1, int na, const int *idx) {
    const RtBlock *bk = &m->blk[i];
    const size_t hs = (size_t)w->B * (size_t)w->H;
    float *gW1 = grad_of(m, bk->W1) + (size_t)o0 * (size_t)w->D;
    rk_outer(na, idx, w->X, (size_t)w->D, w->D, at_dh(w, 0, 0, i) + o0, hs, o1 - o0, gW1);
}

/* The weighted mean's backward, source block j of layer l-1 for the na
 * samples idx it was active for: its ds_j [N, B, KM] and dh_j [N, B, H] from
 * the active receivers i of layer l, in block order: ds_j[i] = <dz_i, h_j -
 * z_i> / r_i + dr_i, dh_j = Σ_i (s_j[i] / r_i) dz_i. */
static void mean_backward(RtWork *w, int l, int j, int na, const int *idx) {
    const int B = w->B, H = w->H;
    const float *dz0 = at_dz(w, l), *dzz = at_dzz(w, l), *dr = at_dr(w, l);
    for (int a = 0; a < na; a++) {
        int n = idx[a];
        float *ds = at_ds(w, l - 1, n, j), *dh = at_dh(w, l - 1, n, j);
        const float *hj = at_h(w, l - 1, n, j), *sj = at_s(w, l - 1, n, j);
        const uint8_t *ap = at_act(w, l, n);
        memset(dh, 0, (size_t)H * sizeof(float));
        for (int i = 0; i < B; i++) {
            if (!ap[i]) {
                ds[i] = 0.0f; // a dark receiver passes nothing back
                continue;
            }
            /* z_i = Σ_j (s_j[i] / r_i) h_j: dz_i/ds_j[i] = (h_j - z_i) / r_i, and
             * the rate r_i = Σ_j s_j[i] passes dr_i to each s_j[i]. Divided, not
             * multiplied by 1 / r_i, which overflows for a denormal r_i (active at
             * θ = 0): dz_i scales with r_i (through s_i = (r_i - θ) q_i), so the
             * quotient stays finite. */
            const float r = at_r(w, l, n)[i], *dz = dz0 + ((size_t)n * B + i) * H;
            ds[i] = (vdot(H, dz, hj) - dzz[(size_t)n * B + i]) / r + dr[(size_t)n * B + i];
            vaxpy(H, sj[i] / r, dz, dh);
        }
    }
}

/* Backward work items, one pool job per layer: the items go to whichever
 * thread is free, largest first. Every item writes only its own block's (or
 * router part's) gradients and rows, in a fixed order, so the results do not
 * depend on which thread takes it or when. */
enum { BI_BLOCK, BI_DW1, BI_ROUTER, BI_ADAM };
#define RT_DW1_PARTS   2 /* row parts of a layer-1 block's dW1 */
#define RT_BACK_ITEMS  (RT_MAX_B * (RT_DW1_PARTS + 1) + RT_ROUTER_PARTS)
#define BI(kind, a, b) ((kind) << 16 | (a) << 8 | (b))

typedef struct {
    Model *m;                 /* the network (gradients written into m->g) */
    RtWork *w;                /* workspace */
    AdamStep *adam;           /* Adam on each part once its gradient is final, or NULL; */
                              /* with it, each item first zeroes the gradient it sums */
    int l;                    /* layer of the BI_BLOCK items */
    int nitems;               /* items, largest first (after the first nhead) */
    int nhead;                /* the leading items that back_add keeps in front */
    int item[RT_BACK_ITEMS];  /* BI(kind, block or part, row part) */
    long cost[RT_BACK_ITEMS]; /* their multiply-adds, for the order */
    atomic_int next;          /* the next item to take */
    /* the last job (layer 1): its blocks' items come first; a block's dW1
     * parts wait for its item, the router's parts for da, which the thread
     * finishing the last block item computes */
    atomic_int done[RT_MAX_B]; /* layer-1 block i's item finished */
    atomic_int left;           /* layer-1 block items not finished */
    atomic_int da_ready;       /* router_backward_da done */
} BackCtx;

/* Row range of part p of dW1's H rows (cut at a multiple of 8: whole tiles). */
static void dw1_rows(int H, int p, int *o0, int *o1) {
    int cut = H >= 16 ? (H / 2 + 7) / 8 * 8 : H;
    *o0 = p == 0 ? 0 : cut;
    *o1 = p == 0 ? cut : H;
}

/* With an AdamStep, the gradient of the parameters [p, p + n) starts at zero
 * in the item that sums it, just before (rt_backward_params writes m->g
 * rather than adding to it: no separate pass over the whole buffer first). */
static void grad_clear(BackCtx *cx, const float *p, size_t n) {
    if (cx->adam) memset(grad_of(cx->m, p), 0, n * sizeof(float));
}

/* Adam on the parameters [p, p + n) of the network, in the thread's slot. */
static void adam_part(BackCtx *cx, const float *p, size_t n, int thread) {
    if (!cx->adam) return;
    size_t i0 = (size_t)(p - cx->m->w);
    adam_range(cx->adam, i0, i0 + n, thread);
}

/* Wait for another item of the job to set *flag. It is always one that a
 * thread has already taken (the items it waits for come before it), so this
 * ends; with one thread they have run. */
static void back_wait(atomic_int *flag) {
    while (!atomic_load_explicit(flag, memory_order_acquire))
#if defined(__x86_64__) || defined(__i386__)
        __builtin_ia32_pause();
#else
        ;
#endif
}

/* One item; with cx->adam, Adam then steps the parameters whose gradient it
 * finished (a block's: layer 1's b1, W2, b2 here, its W1 rows with BI_DW1). */
static void back_item(BackCtx *cx, int it, int thread) {
    RtWork *w = cx->w;
    const Model *m = cx->m;
    int kind = it >> 16, a = (it >> 8) & 0xff, b = it & 0xff, l = cx->l;
    const int *idx = w->idx + (size_t)a * w->maxN;
    const int D = w->D, H = w->H;
    if (kind == BI_BLOCK) {
        /* block a of layer l: its ds and dh from layer l+1, then its own backward */
        const RtBlock *bk = &m->blk[l * w->B + a];
        size_t w1 = l == 0 ? (size_t)H * D : 0; /* layer 1's W1: BI_DW1 */
        grad_clear(cx, bk->W1 + w1, bk->n - w1);
        if (l < w->L - 1) mean_backward(w, l + 1, a, w->nb[a], idx);
        block_backward(cx->m, w, l, a, w->nb[a], idx);
        adam_part(cx, bk->W1 + w1, bk->n - w1, thread);
        if (l == 0) {
            atomic_store(&cx->done[a], 1);
            if (atomic_fetch_sub(&cx->left, 1) == 1) { /* the last: every dr is in */
                grad_clear(cx, m->br, (size_t)w->B);
                router_backward_da(cx->m, w);
                adam_part(cx, m->br, (size_t)w->B, thread);
                atomic_store(&cx->da_ready, 1);
            }
        }
    } else if (kind == BI_DW1) {
        int o0, o1;
        dw1_rows(H, b, &o0, &o1);
        back_wait(&cx->done[a]); /* its dpre: from block a's item */
        grad_clear(cx, m->blk[a].W1 + (size_t)o0 * D, (size_t)(o1 - o0) * D);
        block_backward_dw1(cx->m, w, a, o0, o1, w->nb[a], idx);
        adam_part(cx, m->blk[a].W1 + (size_t)o0 * D, (size_t)(o1 - o0) * D, thread);
    } else if (kind == BI_ROUTER) {
        int d0 = (int)((long)D * a / RT_ROUTER_PARTS),
            d1 = (int)((long)D * (a + 1) / RT_ROUTER_PARTS);
        for (int i = 0; i < w->B && d1 > d0; i++)
            grad_clear(cx, m->Wr + (size_t)i * D + d0, (size_t)(d1 - d0));
        back_wait(&cx->da_ready);
        RouterCtx rcx = {cx->m, w, w->N, NULL, grad_of(cx->m, cx->m->Wr), NULL, NULL};
        router_bwd_part(&rcx, a, 0); // dWr += da^T X, columns [d0, d1) of part a
        for (int i = 0; i < w->B && d1 > d0; i++)
            adam_part(cx, m->Wr + (size_t)i * D + d0, (size_t)(d1 - d0), thread);
    } else { /* block a of layer b, dark for every sample of the batch: zero gradient */
        const RtBlock *bk = &m->blk[b * w->B + a];
        grad_clear(cx, bk->W1, bk->n);
        adam_part(cx, bk->W1, bk->n, thread);
    }
}

static void back_task(void *vctx, int task, int thread) {
    (void)task;
    BackCtx *cx = vctx;
    for (int k; (k = atomic_fetch_add(&cx->next, 1)) < cx->nitems;)
        back_item(cx, cx->item[k], thread);
}

static void back_add(BackCtx *cx, int item, long cost) {
    int k = cx->nitems++; /* insertion: largest cost first, ties in order */
    while (k > cx->nhead && cx->cost[k - 1] < cost) {
        cx->item[k] = cx->item[k - 1];
        cx->cost[k] = cx->cost[k - 1];
        k--;
    }
    cx->item[k] = item;
    cx->cost[k] = cost;
}

static void back_run(BackCtx *cx) {
    atomic_store(&cx->next, 0);
    pool_run(back_task, cx, RT_MIN(pool_threads(), cx->nitems));
    cx->nitems = cx->nhead = 0;
}

/* Block i's samples in backward for layer l into its index row (nb[i]). */
static void back_list(RtWork *w, int l, int i) {
    int *idx = w->idx + (size_t)i * w->maxN, na = 0;
    for (int n = 0; n < w->N; n++)
        if (w->bw[n] && at_act(w, l, n)[i]) idx[na++] = n;
    w->nb[i] = na;
}

/* ==== gates: s_i = (r_i - θ) q_i (backward: in block_backward) ============================ */

/* Gates of layer l, s_i = ReLU(r_i - θ) softmax(F_i), zero when dark, for
 * the nl samples sl (after the layer's blocks). */
static void gates_rows(RtWork *w, int l, const int *sl, int nl) { // s [N, B, KM]
    const int B = w->B, K = l < w->L - 1 ? B : w->C;
    for (int a = 0; a < nl; a++) {
        const int n = sl[a];
        const uint8_t *act = at_act(w, l, n);
        const float *r = at_r(w, l, n), th = w->theta[n];
        for (int i = 0; i < B; i++) {
            float *s = at_s(w, l, n, i);
            if (act[i])
                vscale(K, r[i] - th, at_q(w, l, n, i), s);
            else
                vzero(K, s);
        }
    }
}

/* gates_rows for every sample of [n0, n1). */
static void gates_forward(RtWork *w, int l, int n0, int n1) {
    gates_rows(w, l, w->all + n0, n1 - n0);
}

/* ==== output: o = Σ_j s_j, M = Σ o, p = o / M; loss -log(p_y + ε) ======================= */

/* Class flows o, mass M and p = o / M for the nl samples sl. */
static void output_rows(RtWork *w, const int *sl, int nl) { // p [N, C], mass [N]
    int L = w->L, B = w->B, C = w->C;
    for (int a = 0; a < nl; a++) {
        const int n = sl[a];
        float *p = w->p + (size_t)n * C, M = 0.0f;
        const uint8_t *ap = at_act(w, L - 1, n);
        for (int c = 0; c < C; c++)
            p[c] = 0.0f;
        for (int j = 0; j < B; j++) {
            if (!ap[j]) continue;
            const float *s = at_s(w, L - 1, n, j);
            for (int c = 0; c < C; c++)
                p[c] += s[c];
        }
        for (int c = 0; c < C; c++)
            M += p[c];
        w->mass[n] = M;
        if (M > 0.0f)
            for (int c = 0; c < C; c++)
                p[c] /= M;
        else
            for (int c = 0; c < C; c++)
                p[c] = 0.0f;
    }
}

/* output_rows for every sample of [n0, n1). */
static void output_forward(RtWork *w, int n0, int n1) { output_rows(w, w->all + n0, n1 - n0); }

/* The loss Σ_n weight[n] -log(p_y + ε) (returned) and its gradient into the
 * last layer's ds [N, B, KM]: dp_c = -w/(p_y+ε) [c = y], do = (dp - <dp, p>) / M
 * (the last layer's dh is block_backward's alone). Marks the samples that
 * take part (bw). */
static double output_backward(RtWork *w, const uint8_t *y, const float *weight) {
    const int N = w->N, L = w->L, B = w->B, C = w->C;
    double loss = 0.0;
    for (int n = 0; n < N; n++) {
        float wt = weight ? weight[n] : 1.0f;
        w->bw[n] = wt != 0.0f && w->mass[n] > 0.0f && y[n] < C;
        if (!w->bw[n]) continue;
        const float *p = w->p + (size_t)n * C;
        float py = p[y[n]], M = w->mass[n];
        loss += (double)wt * -log((double)py + RT_EPS);
        float a = -wt / (py + RT_EPS), base = -a * py; // dp_y, -<dp,p>
        /* do_c = (dp_c - <dp,p>) / M takes two values: c = y and the rest */
        const float dy = (base + a) / M, dn = (base + 0.0f) / M;
        const uint8_t *ap = at_act(w, L - 1, n);
        for (int j = 0; j < B; j++) {
            if (!ap[j]) continue;
            float *ds = at_ds(w, L - 1, n, j);
            for (int c = 0; c < C; c++)
                ds[c] = c == y[n] ? dy : dn;
        }
    }
    return loss;
}

/* ==== the drivers: forward at θ, the sweep, the trace, backward ========================= */

typedef struct {
    const Model *m; /* the network */
    RtWork *w;      /* workspace */
    int l;          /* layer */
    const int *na;  /* (B) samples listed per block */
} LayerCtx;

static void block_forward_task(void *vctx, int i, int thread) {
    (void)thread;
    LayerCtx *cx = vctx;
    block_forward(cx->m, cx->w, cx->l, i, 0, cx->na[i], NULL);
}

/* Layers and output for the nl samples sl of the range from n0, on the
 * calling thread (a sweep chunk, a trace). */
static void forward_serial(const Model *m, RtWork *w, int n0, const int *sl, int nl) {
    int na[RT_MAX_B];
    for (int l = 0; l < w->L; l++) {
        for (int i = 0; i < w->B; i++)
            na[i] = 0;
        rates_rows(w, l, n0, sl, nl, w->idx, na);
        for (int i = 0; i < w->B; i++)
            if (na[i] > 0) block_forward(m, w, l, i, n0, na[i], NULL);
        gates_rows(w, l, sl, nl);
    }
    output_rows(w, sl, nl);
}

/* rt_forward: the blocks of a layer in parallel, one task each. */
static void forward_in(const Model *m, RtWork *w, RtIn in, int N, const float *theta, float *probs,
                       float *mass) {
    if (N > w->maxN) N = w->maxN;
    if (N < 0) N = 0;
    router_forward(m, w, in, N);
    for (int n = 0; n < N; n++)
        w->theta[n] = theta[n];
    memset(w->done0, 0, (size_t)N * (size_t)w->B);
    for (int n = 0; n < N; n++)
        w->macs[n] = (long)w->B * w->D;
    int na[RT_MAX_B];
    for (int l = 0; l < w->L; l++) {
        LayerCtx cx = {m, w, l, na};
        rates_forward(w, l, 0, N, na);
        pool_run(block_forward_task, &cx, w->B);
        gates_forward(w, l, 0, N);
    }
    output_forward(w, 0, N);
    if (probs) memcpy(probs, w->p, (size_t)N * (size_t)w->C * sizeof(float));
    if (mass) memcpy(mass, w->mass, (size_t)N * sizeof(float));
}

void rt_forward(const Model *m, RtWork *w, const float *X, int N, const float *theta, float *probs,
                float *mass) {
    forward_in(m, w, (RtIn){X, NULL, NULL}, N, theta, probs, mass);
}

void rt_forward_samples(const Model *m, RtWork *w, const DataSplit *s, const int *idx, int N,
                        const float *theta, float *probs, float *mass) {
    forward_in(m, w, (RtIn){NULL, s, idx}, N, theta, probs, mass);
}

/* Accounting of sample n from the workspace. */
static void account(const Model *m, const RtWork *w, int n, int *active, long *used) {
    int na = 0;
    long u = (long)m->router_n;
    for (int l = 0; l < w->L; l++) {
        const uint8_t *ap = at_act(w, l, n);
        for (int i = 0; i < w->B; i++)
            if (ap[i]) na++, u += (long)m->blk[l * w->B + i].n;
    }
    *active = na;
    *used = u;
}

/* The sweep's stop rule (DESIGN §1), for the sweep and the trace alike: stop
 * at the first θ where M > 0 and max_c p_c >= τ (the last step stops
 * regardless: the caller's test). conf (max p, 0 when M = 0) and arg (its
 * class) are filled either way. */
static int stop_rule(float M, const float *p, int C, float tau, float *conf, int *arg) {
    int a = 0;
    for (int c = 1; c < C; c++)
        if (p[c] > p[a]) a = c;
    *arg = a;
    *conf = M > 0.0f ? p[a] : 0.0f;
    return M > 0.0f && *conf >= tau;
}

typedef struct {
    const Model *m;  /* the network */
    RtWork *w;       /* workspace */
    int N, nchunks;  /* samples, chunks */
    atomic_int next; /* the next chunk to claim */
    float tau;       /* stop confidence */
    int T;           /* effective schedule length */
    const float *th; /* effective schedule */
    RtSweepOut *out; /* (N) results */
    float *probs;    /* (N, C) p at the stop, or NULL */
} SweepCtx;

/* Layer-1 rows are computed for a block once at least this many samples
 * wait for it (or when every sample waits): a pass over a layer-1 W1 costs
 * about as much for one row as for four (the kernel streams W1 from L2). */
#define RT_SWEEP_ROWS 4

/* One chunk of samples [n0, n1) through the whole sweep. Every sample runs
 * the schedule on its own (its own θ step, tn), since nothing of a sample
 * depends on the others: in each round a sample starts its step (its newly
 * firing layer-1 blocks join those blocks' queues), the queues of at least
 * RT_SWEEP_ROWS rows are computed (all of them when no sample could go on
 * otherwise), and the samples whose layer-1 rows are all there run the
 * deeper layers and the stop rule. So a layer-1 block's rows from several θ
 * steps share a pass over its W1, yet a sample computes only the blocks of
 * the steps it reaches, exactly as a step-by-step sweep would (the same
 * values, multiply-adds and results). One task per chunk: a sweep is many
 * small dependent layers, so one pool barrier per sweep rather than one per
 * layer and step. Chunks use disjoint rows of the workspace and of every
 * block's scratch. */
static void sweep_chunk(SweepCtx *cx, int ch) {
    const Model *m = cx->m;
    RtWork *w = cx->w;
    const int C = w->C, B = w->B, L = w->L, T = cx->T;
    const int n0 = (int)((long)cx->N * ch / cx->nchunks);
    const int n1 = (int)((long)cx->N * (ch + 1) / cx->nchunks);
    int nlive = n1 - n0, *live = w->live + n0, *sl = w->sl + n0; /* in sample order */
    int nq[RT_MAX_B] = {0}, na[RT_MAX_B];                        /* layer-1 queue lengths */
    SoftList soft = {w->sq + (size_t)n0 * B, 0};                 /* a layer's q rows */
    for (int n = n0; n < n1; n++) {
        live[n - n0] = n;
        w->tn[n] = 0;
        w->wait[n] = -1; /* -1: to start its step; else layer-1 rows still queued */
    }
    long total = rt_params_total(m);
    while (nlive > 0) {
        for (int a = 0; a < nlive; a++) { /* start the step of each sample that needs one */
            const int n = live[a];
            if (w->wait[n] >= 0) continue;
            /* A step at which none of a sample's layer-1 blocks fires leaves it dark
             * throughout (M = 0): it cannot stop there unless it is the last, so it
             * is skipped (the rates' own test). */
            int t = w->tn[n];
            const float *g = w->g + (size_t)n * B;
            for (int fires = 0; t < T - 1; t++) {
                const float th = cx->th[t], c1 = fmaxf(0.0f, 1.0f - th);
                for (int i = 0; i < B && !fires; i++)
                    fires = c1 * g[i] > th;
                if (fires) break;
            }
            w->tn[n] = t;
            w->theta[n] = cx->th[t];
            int before = 0, after = 0;
            for (int i = 0; i < B; i++)
                before += nq[i];
            rates_rows(w, 0, n0, &n, 1, w->q1, nq);
            for (int i = 0; i < B; i++)
                after += nq[i];
            w->wait[n] = after - before;
        }
        for (int pass = 0; pass < 2; pass++) { /* full queues, then all if nobody is ready */
            int ready = 0;
            for (int a = 0; pass == 1 && a < nlive && !ready; a++)
                ready = w->wait[live[a]] == 0;
            if (ready) break;
            for (int i = 0; i < B; i++) {
                if (nq[i] == 0 || (pass == 0 && nq[i] < RT_SWEEP_ROWS)) continue;
                const int *q = w->q1 + (size_t)i * w->maxN + n0;
                memcpy(w->idx + (size_t)i * w->maxN + n0, q, (size_t)nq[i] * sizeof(int));
                block_forward(m, w, 0, i, n0, nq[i], &soft);
                for (int a = 0; a < nq[i]; a++)
                    w->wait[q[a]]--;
                nq[i] = 0;
            }
            softmax_list(m, w, 0, &soft);
        }
        int nsel = 0;
        for (int a = 0; a < nlive; a++)
            if (w->wait[live[a]] == 0) sl[nsel++] = live[a];
        gates_rows(w, 0, sl, nsel);
        for (int l = 1; l < L; l++) {
            for (int i = 0; i < B; i++)
                na[i] = 0;
            rates_rows(w, l, n0, sl, nsel, w->idx, na);
            for (int i = 0; i < B; i++)
                if (na[i] > 0) block_forward(m, w, l, i, n0, na[i], &soft);
            softmax_list(m, w, l, &soft);
            gates_rows(w, l, sl, nsel);
        }
        output_rows(w, sl, nsel);
        int keep = 0;
        for (int a = 0; a < nlive; a++) {
            const int n = live[a], t = w->tn[n];
            if (w->wait[n] != 0) {
                live[keep++] = n; /* its layer-1 rows still queued */
                continue;
            }
            const float *p = w->p + (size_t)n * C;
            float M = w->mass[n];
            int arg;
            float conf;
            if (!stop_rule(M, p, C, cx->tau, &conf, &arg) && t < T - 1) {
                w->tn[n] = t + 1;
                w->wait[n] = -1;
                live[keep++] = n;
                continue;
            }
            RtSweepOut *o = &cx->out[n];
            o->stop = t;
            o->theta = cx->th[t];
            o->reached = M > 0.0f;
            o->pred = M > 0.0f ? arg : -1;
            o->conf = conf;
            o->mass = M;
            account(m, w, n, &o->active, &o->used);
            o->act_pct = total > 0 ? 100.0f * (float)o->used / (float)total : 0.0f;
            o->macs = w->macs[n];
            if (cx->probs) memcpy(cx->probs + (size_t)n * C, p, (size_t)C * sizeof(float));
        }
        nlive = keep;
    }
}

/* A pool task: chunks claimed one after another until none is left, so a
 * thread that starts late or meets harder samples takes fewer (the chunks'
 * results do not depend on who runs them). */
static void sweep_task(void *vctx, int task, int thread) {
    (void)task, (void)thread;
    SweepCtx *cx = vctx;
    for (int ch; (ch = atomic_fetch_add(&cx->next, 1)) < cx->nchunks;)
        sweep_chunk(cx, ch);
}

/* Sweep chunks: one per pool thread (at least RT_SWEEP_MIN_CHUNK samples
 * each), claimed by the threads as they go (a thread that starts late finds
 * its chunk taken rather than the other waiting for it). The row kernels
 * compute every sample the same way whatever chunk it is in, so the chunking
 * does not affect results (test_rtnet checks a batch sweep against
 * single-sample sweeps bit for bit). Fewer, larger chunks share each pass
 * over a layer-1 W1 among more rows; two chunks per thread (for balance)
 * measured no better with two threads on a loaded machine. A barrier per
 * layer and step instead (pool over blocks) fell to about half speed with two
 * threads while another process held a core, so a chunk still runs the whole
 * sweep. */
#define RT_SWEEP_SPLIT     1 /* chunks per thread */
#define RT_SWEEP_MIN_CHUNK 16

static void sweep_in(const Model *m, RtWork *w, RtIn in, int N, float tau, float floor,
                     RtSweepOut *out, float *probs) {
    if (N > w->maxN) N = w->maxN;
    if (N < 0) N = 0;
    float th[SCHED_MAX];
    int T = rt_schedule(&m->cfg, floor, th);
    router_forward(m, w, in, N);
    memset(w->done0, 0, (size_t)N * (size_t)w->B);
    for (int n = 0; n < N; n++)
        w->macs[n] = (long)w->B * w->D; /* the router */
    SweepCtx cx = {.m = m,
                   .w = w,
                   .N = N,
                   .nchunks =
                       RT_MAX(1, RT_MIN(RT_SWEEP_SPLIT * pool_threads(), N / RT_SWEEP_MIN_CHUNK)),
                   .tau = tau,
                   .T = T,
                   .th = th,
                   .out = out,
                   .probs = probs};
    atomic_init(&cx.next, 0);
    pool_run(sweep_task, &cx, RT_MIN(pool_threads(), cx.nchunks));
}

void rt_sweep(const Model *m, RtWork *w, const float *X, int N, float tau, float floor,
              RtSweepOut *out, float *probs) {
    sweep_in(m, w, (RtIn){X, NULL, NULL}, N, tau, floor, out, probs);
}

void rt_sweep_samples(const Model *m, RtWork *w, const DataSplit *s, const int *idx, int N,
                      float tau, float floor, RtSweepOut *out, float *probs) {
    sweep_in(m, w, (RtIn){NULL, s, idx}, N, tau, floor, out, probs);
}

/* Backward: the output (rt_backward_loss), then (rt_backward_params) per
 * layer from the last one pool job whose item for block j is the weighted
 * mean's backward into j from the layer after (none for the last) followed by
 * j's own backward. Layer 1's job has more items after its blocks': their dW1
 * (the largest products, in row parts, each after its block's item) beside
 * the router's dWr parts (after the router's da, which the thread finishing
 * the last block item computes). L jobs. With an AdamStep each item steps
 * what it finished, and a block no sample of the batch reached is stepped (on
 * its zero gradient) by an item of its layer's job, so that the ranges cover
 * the buffer once. */
double rt_backward_loss(Model *m, RtWork *w, const uint8_t *y, const float *weight) {
    (void)m;
    return output_backward(w, y, weight);
}

void rt_backward_params(Model *m, RtWork *w, AdamStep *s) {
    const int L = w->L, B = w->B, H = w->H, D = w->D;
    BackCtx cx = {.m = m, .w = w, .adam = s};
    for (int l = L - 1; l >= 1; l--) {
        cx.l = l;
        for (int i = 0; i < B; i++) {
            back_list(w, l, i);
            if (w->nb[i] > 0)
                back_add(&cx, BI(BI_BLOCK, i, 0), w->nb[i]);
            else if (s)
                back_add(&cx, BI(BI_ADAM, i, l), 0);
        }
        back_run(&cx);
    }
    /* the last job: layer 1's blocks first, then their dW1 parts, the
     * router's parts (after da, from the thread that finishes the last block)
     * and the dark blocks' Adam: no barrier and no serial pass between */
    cx.l = 0;
    int nblk = 0;
    for (int i = 0; i < B; i++) {
        back_list(w, 0, i);
        atomic_store(&cx.done[i], w->nb[i] == 0);
        if (w->nb[i] > 0) back_add(&cx, BI(BI_BLOCK, i, 0), w->nb[i]), nblk++;
    }
    cx.nhead = cx.nitems;
    atomic_store(&cx.left, nblk);
    atomic_store(&cx.da_ready, 0);
    if (nblk == 0) { /* no sample reached layer 1: da now */
        grad_clear(&cx, m->br, (size_t)B);
        router_backward_da(m, w);
        adam_part(&cx, m->br, (size_t)B, 0); /* no pool job runs meanwhile */
        atomic_store(&cx.da_ready, 1);
    }
    for (int i = 0; i < B; i++) {
        if (w->nb[i] == 0 && s) back_add(&cx, BI(BI_ADAM, i, 0), 0);
        for (int p = 0; p < RT_DW1_PARTS && w->nb[i] > 0; p++) {
            int o0, o1;
            dw1_rows(H, p, &o0, &o1);
            if (o1 > o0) back_add(&cx, BI(BI_DW1, i, p), (long)w->nb[i] * (o1 - o0) * D);
        }
    }
    for (int k = 0; k < RT_ROUTER_PARTS; k++)
        back_add(&cx, BI(BI_ROUTER, k, 0), (long)w->N * B * (D / RT_ROUTER_PARTS));
    back_run(&cx);
}

double rt_backward(Model *m, RtWork *w, const uint8_t *y, const float *weight) {
    double loss = rt_backward_loss(m, w, y, weight);
    rt_backward_params(m, w, NULL);
    return loss;
}

void rt_block_counts(const RtWork *w, int *count) {
    int L = w->L, B = w->B;
    for (int k = 0; k < L * B; k++)
        count[k] = 0;
    for (int l = 0; l < L; l++)
        for (int n = 0; n < w->N; n++) {
            const uint8_t *ap = at_act(w, l, n);
            for (int i = 0; i < B; i++)
                count[l * B + i] += ap[i];
        }
}

/* One sample, every step of the effective schedule, on the calling thread. */
int rt_trace(const Model *m, const float *x, float tau, float floor, RtTrace *tr, RtErr *e) {
    memset(tr, 0, sizeof *tr);
    const ModelConfig *c = &m->cfg;
    tr->L = c->L, tr->B = c->B, tr->C = c->C;
    RtWork *w = rt_work_new(m, 1, e);
    if (!w) return -1; /* nsteps = 0: nothing to show */
    int T = rt_schedule(c, floor, tr->theta), L = c->L, B = c->B, C = c->C;
    long total = rt_params_total(m);
    tr->nsteps = T;
    tr->stop = T - 1;
    int stopped = 0;
    /* one sample on the calling thread (no pool barriers: the trainer traces
     * a few samples every step), layer 1 computed once across the steps */
    w->N = 1;
    RouterCtx rcx = {m, w, 1, x, NULL, NULL, NULL};
    for (int k = 0; k < RT_ROUTER_PARTS; k++)
        router_fwd_part(&rcx, k, 0);
    memset(w->done0, 0, (size_t)B);
    for (int t = 0; t < T; t++) {
        float th = tr->theta[t], mass;
        w->theta[0] = th;
        forward_serial(m, w, 0, w->all, 1);
        mass = w->mass[0];
        memcpy(tr->prob[t], w->p, (size_t)C * sizeof(float));
        for (int i = 0; i < B; i++)
            tr->router[t][i] = fmaxf(0.0f, 1.0f - th) * w->g[i];
        for (int l = 0; l < L; l++) {
            int K = l < L - 1 ? B : C;
            for (int i = 0; i < B; i++) {
                tr->rate[t][l][i] = at_r(w, l, 0)[i];
                tr->active[t][l][i] = at_act(w, l, 0)[i];
                memcpy(tr->gate[t][l][i], at_s(w, l, 0, i), (size_t)K * sizeof(float));
            }
        }
        for (int j = 0; j < B; j++) /* o_c = Σ_j s_j[c] (tr is zeroed) */
            if (at_act(w, L - 1, 0)[j])
                for (int k = 0; k < C; k++)
                    tr->flow[t][k] += at_s(w, L - 1, 0, j)[k];
        tr->mass[t] = mass;
        account(m, w, 0, &tr->nactive[t], &tr->used[t]);
        tr->act_pct[t] = total > 0 ? 100.0f * (float)tr->used[t] / (float)total : 0.0f;
        int arg;
        float conf;
        if (!stopped && stop_rule(mass, tr->prob[t], C, tau, &conf, &arg)) {
            tr->stop = t;
            stopped = 1;
        }
    }
    rt_work_free(w);
    return 0;
}

/* ==== workspace, schedule, accounting, packed weights =================================== */

RtWork *rt_work_new(const Model *m, int maxN, RtErr *e) {
    const ModelConfig *c = &m->cfg;
    if (c->arch != ARCH_RT || !m->blk) {
        rt_err(e, "rt_work_new: not a RayTracing model");
        return NULL;
    }
    if (maxN < 1) {
        rt_err(e, "rt_work_new: batch size %d must be at least 1", maxN);
        return NULL;
    }
    RtWork *w = rt_calloc(1, sizeof *w, "rt workspace", e);
    if (!w) return NULL;
    w->maxN = maxN;
    w->D = c->D, w->C = c->C, w->L = c->L, w->B = c->B, w->H = c->H;
    w->KM = RT_MAX(c->B, c->C);
    size_t N = (size_t)maxN, L = (size_t)c->L, B = (size_t)c->B, H = (size_t)c->H;
    size_t KM = (size_t)w->KM, D = (size_t)c->D;
    int ok = 1;
#define RT_ALLOC(f, cnt) ok = ok && (w->f = rt_calloc((cnt), sizeof *w->f, "rt workspace " #f, e))
    RT_ALLOC(X, N * D);
    RT_ALLOC(theta, N);
    RT_ALLOC(g, N * B);
    RT_ALLOC(r, L * N * B);
    RT_ALLOC(act, L * N * B);
    RT_ALLOC(h, L * N * B * H);
    RT_ALLOC(z, L * N * B * H);
    RT_ALLOC(q, L * N * B * KM);
    RT_ALLOC(s, L * N * B * KM);
    RT_ALLOC(p, N * (size_t)c->C);
    RT_ALLOC(mass, N);
    RT_ALLOC(live, N);
    RT_ALLOC(sl, N);
    RT_ALLOC(tn, N);
    RT_ALLOC(wait, N);
    RT_ALLOC(q1, B * N);
    RT_ALLOC(sq, N * B);
    RT_ALLOC(done0, N * B);
    RT_ALLOC(macs, N);
    RT_ALLOC(bw, N);
    RT_ALLOC(ds, L * N * B * KM);
    RT_ALLOC(dh, L * N * B * H);
    RT_ALLOC(dr, 2 * N * B);
    RT_ALLOC(dz, 2 * N * B * H);
    RT_ALLOC(dzz, 2 * N * B);
    RT_ALLOC(da, N * B);
    RT_ALLOC(idx, B * N);
    RT_ALLOC(all, N);
    RT_ALLOC(bk, B * N * KM);
    RT_ALLOC(pk_off, L * B);
    size_t npk = 0;
    for (int k = 0; ok && k < c->L * c->B; k++) {
        int l = k / c->B, K = l < c->L - 1 ? c->B : c->C;
        w->pk_off[k] = npk;
        if (l > 0) npk += (H + 1) * (size_t)round16(c->H) + H * (size_t)round16(c->H);
        npk += (H + 1) * (size_t)round16(K) + (size_t)K * round16(c->H);
    }
    RT_ALLOC(pk, npk);
    RT_ALLOC(zero, (size_t)round16(c->H));
#undef RT_ALLOC
    if (!ok) {
        rt_work_free(w);
        return NULL;
    }
    for (int n = 0; n < maxN; n++)
        w->all[n] = n;
    return w;
}

void rt_work_free(RtWork *w) {
    if (!w) return;
    free(w->X), free(w->theta), free(w->g), free(w->r), free(w->act), free(w->h), free(w->z);
    free(w->q), free(w->s), free(w->p), free(w->mass), free(w->live), free(w->sl), free(w->tn),
        free(w->wait), free(w->q1), free(w->sq), free(w->done0), free(w->macs), free(w->bw);
    free(w->ds), free(w->dh), free(w->dr), free(w->dz), free(w->dzz), free(w->da), free(w->idx);
    free(w->all), free(w->bk), free(w->pk), free(w->pk_off), free(w->zero);
    free(w);
}

int rt_simd_level(int set) { return rk_level(set); }

int rt_schedule(const ModelConfig *c, float floor, float *out) {
    if (!(floor > 0.0f)) floor = 0.0f; /* negative or NaN: no floor */
    int n = 0;
    for (int t = 0; t < c->nsched && t < SCHED_MAX; t++)
        if (c->sched[t] > floor && n < SCHED_MAX - 1) out[n++] = c->sched[t];
    out[n++] = floor;
    return n;
}

long rt_params_total(const Model *m) { return (long)m->n; }

long rt_full_macs(const Model *m) {
    const ModelConfig *c = &m->cfg;
    long H = c->H, B = c->B, macs = B * c->D; /* router */
    for (int l = 0; l < c->L; l++)
        macs += B * (H * (l == 0 ? c->D : H + B) + H * (l < c->L - 1 ? B : c->C));
    return macs;
}

/* WT (K, Op) = W^T for W (O, K), bp (Op) = b, zero padded. */
static void pack_t(const float *W, const float *b, int O, int K, int Op, float *WT, float *bp) {
    for (int k = 0; k < K; k++) {
        float *row = WT + (size_t)k * Op;
        for (int o = 0; o < O; o++)
            row[o] = W[(size_t)o * K + k];
        for (int o = O; o < Op; o++)
            row[o] = 0.0f;
    }
    for (int o = 0; o < Op; o++)
        bp[o] = o < O ? b[o] : 0.0f;
}

/* P (rows, Cp) = A (rows, cols), each row zero padded to Cp. */
static void pad_rows(const float *A, int rows, int cols, int Cp, float *P) {
    for (int r = 0; r < rows; r++) {
        memcpy(P + (size_t)r * Cp, A + (size_t)r * cols, (size_t)cols * sizeof(float));
        for (int c = cols; c < Cp; c++)
            P[(size_t)r * Cp + c] = 0.0f;
    }
}

/* The weights of block k that rk_axpy reads, from the model's current
 * values (every forward entry packs all blocks, in the router's parts: the
 * weights change between calls). */
static void pack_block(const Model *m, RtWork *w, int k) {
    int H = w->H, Hp = rk_pad(H);
    const RtBlock *bk = &m->blk[k];
    float *pk = w->pk + w->pk_off[k];
    if (k >= w->B) {
        pack_t(bk->W1, bk->b1, H, H, Hp, pk, pk + (size_t)H * Hp);
        pk += (size_t)(H + 1) * Hp;
    }
    int Kp = rk_pad(bk->K);
    pack_t(bk->W2, bk->b2, bk->K, H, Kp, pk, pk + (size_t)H * Kp);
    pk += (size_t)(H + 1) * Kp;
    pad_rows(bk->W2, bk->K, H, Hp, pk);
    if (k >= w->B) pad_rows(bk->W1, H, H, Hp, pk + (size_t)bk->K * Hp);
}
