/* test_rtnet.c — the RayTracing network: gradients against double-precision
 * finite differences of an independent reference forward (docs/DESIGN.md §1),
 * dark blocks, sweep / forward / trace agreement, floor semantics, BLAS vs
 * reference path, thread-count independence, accounting. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "adam_check.h"
#include "blas.h"
#include "model.h"
#include "optim.h"
#include "pool.h"
#include "rng.h"
#include "rtnet.h"

/* ---- fixtures --------------------------------------------------------------- */

static void tiny_config(ModelConfig *c, int D, int C, int L, int B, int H) {
    model_config_default(c, ARCH_RT, 1, 1, D, C);
    c->L = L;
    c->B = B;
    c->H = H;
}

/* A model with random (non-zero) biases too, so nothing is trivially symmetric. */
static void make_model(Model *m, const ModelConfig *c, uint64_t seed) {
    RtErr e;
    cr_assert_eq(model_init(m, c, seed, &e), 0, "%s", e.msg);
    Rng r;
    rng_seed(&r, seed + 17);
    for (int k = 0; k < m->nt; k++)
        if (m->t[k].ndim == 1)
            for (size_t i = 0; i < m->t[k].n; i++)
                m->w[m->t[k].off + i] = rng_uniform(&r) - 0.5f;
}

static float *make_input(int N, int D, uint64_t seed) {
    float *X = malloc((size_t)N * D * sizeof(float));
    Rng r;
    rng_seed(&r, seed);
    for (int i = 0; i < N * D; i++)
        X[i] = rng_uniform(&r);
    return X;
}

/* ---- independent double-precision reference forward (one sample) ------------- */

typedef struct {
    double p[RT_MAX_C], M;
    uint8_t act[RT_MAX_L][RT_MAX_B];
    double margin; /* min |r - θ| over all blocks */
    double kink;   /* min |pre-activation| over active blocks */
} Ref;

static void ref_forward(const Model *m, const double *P, const float *x, double th, Ref *o) {
    const ModelConfig *c = &m->cfg;
    int D = c->D, C = c->C, L = c->L, B = c->B, H = c->H;
    const double *Wr = P + (m->Wr - m->w), *br = P + (m->br - m->w);
    double sprev[RT_MAX_B][RT_MAX_C > RT_MAX_B ? RT_MAX_C : RT_MAX_B], hprev[RT_MAX_B][64];
    double sin[RT_MAX_B], mx = -1e300, sum = 0;
    uint8_t aprev[RT_MAX_B];
    memset(o, 0, sizeof *o);
    o->margin = o->kink = 1e300;
    for (int i = 0; i < B; i++) {
        double a = br[i];
        for (int d = 0; d < D; d++)
            a += Wr[i * D + d] * x[d];
        sin[i] = a;
        if (a > mx) mx = a;
    }
    for (int i = 0; i < B; i++)
        sum += (sin[i] = exp(sin[i] - mx));
    for (int i = 0; i < B; i++)
        sin[i] *= fmax(0.0, 1.0 - th) / sum;
    double scur[RT_MAX_B][RT_MAX_C > RT_MAX_B ? RT_MAX_C : RT_MAX_B], hcur[RT_MAX_B][64];
    for (int l = 0; l < L; l++) {
        int K = l < L - 1 ? B : C;
        for (int i = 0; i < B; i++) {
            const RtBlock *bk = &m->blk[l * B + i];
            const double *W1 = P + (bk->W1 - m->w), *b1 = P + (bk->b1 - m->w);
            const double *W2 = P + (bk->W2 - m->w), *b2 = P + (bk->b2 - m->w);
            double r = 0, z[1024];
            int din = bk->din;
            if (l == 0)
                r = sin[i];
            else
                for (int j = 0; j < B; j++)
                    if (aprev[j]) r += sprev[j][i];
            o->margin = fmin(o->margin, fabs(r - th));
            o->act[l][i] = r > th;
            if (!o->act[l][i]) {
                for (int k = 0; k < K; k++)
                    scur[i][k] = 0;
                continue;
            }
            if (l == 0)
                for (int d = 0; d < din; d++)
                    z[d] = x[d];
            else {
                for (int d = 0; d < din; d++)
                    z[d] = 0;
                for (int j = 0; j < B; j++)
                    if (aprev[j])
                        for (int d = 0; d < din; d++)
                            z[d] += sprev[j][i] * hprev[j][d] / r;
            }
            for (int k = 0; k < H; k++) {
                double a = b1[k];
                for (int d = 0; d < din; d++)
                    a += W1[k * din + d] * z[d];
                o->kink = fmin(o->kink, fabs(a));
                hcur[i][k] = a > 0 ? a : 0;
            }
            double f[RT_MAX_C > RT_MAX_B ? RT_MAX_C : RT_MAX_B], fm = -1e300, fs = 0;
            for (int k = 0; k < K; k++) {
                f[k] = b2[k];
                for (int d = 0; d < H; d++)
                    f[k] += W2[k * H + d] * hcur[i][d];
                if (f[k] > fm) fm = f[k];
            }
            for (int k = 0; k < K; k++)
                fs += (f[k] = exp(f[k] - fm));
            for (int k = 0; k < K; k++)
                scur[i][k] = (r - th) * f[k] / fs;
        }
        memcpy(sprev, scur, sizeof scur);
        memcpy(hprev, hcur, sizeof hcur);
        memcpy(aprev, o->act[l], sizeof aprev);
    }
    for (int c2 = 0; c2 < C; c2++) {
        o->p[c2] = 0;
        for (int j = 0; j < B; j++)
            if (aprev[j]) o->p[c2] += sprev[j][c2];
        o->M += o->p[c2];
    }
    for (int c2 = 0; c2 < C; c2++)
        o->p[c2] = o->M > 0 ? o->p[c2] / o->M : 0;
}

static double ref_loss(const Model *m, const double *P, const float *X, int N, const float *th,
                       const uint8_t *y, const float *wt) {
    double loss = 0;
    for (int n = 0; n < N; n++) {
        Ref o;
        ref_forward(m, P, X + (size_t)n * m->cfg.D, th[n], &o);
        if (o.M > 0 && wt[n] != 0) loss += wt[n] * -log(o.p[y[n]] + (double)RT_EPS);
    }
    return loss;
}

/* ---- gradient check ------------------------------------------------------------- */

/* Forward at θ (per sample) and backward of m on X against the reference:
 * mass and p within 1e-5, the loss, and every parameter's gradient against
 * the double-precision finite difference. what names the case. */
static void check_against_reference(Model *m, const double *P0, RtWork *w, const float *X, int N,
                                    const float *th, const uint8_t *y, const float *wt,
                                    const char *what) {
    const ModelConfig *c = &m->cfg;
    double *P = malloc(m->n * sizeof(double));
    memcpy(P, P0, m->n * sizeof(double));
    float *probs = malloc((size_t)N * c->C * sizeof(float)), *mass = malloc(N * sizeof(float));
    model_zero_grad(m);
    rt_forward(m, w, X, N, th, probs, mass);
    for (int n = 0; n < N; n++) {
        Ref o;
        ref_forward(m, P, X + n * c->D, th[n], &o);
        cr_assert_float_eq(mass[n], o.M, 1e-5, "%s: mass of sample %d", what, n);
        for (int k = 0; k < c->C; k++)
            cr_assert_float_eq(probs[n * c->C + k], o.p[k], 1e-5, "%s: p of sample %d", what, n);
    }
    double loss = rt_backward(m, w, y, wt);
    double rl = ref_loss(m, P, X, N, th, y, wt);
    cr_assert_float_eq(loss, rl, 1e-4 * fmax(1.0, fabs(rl)), "%s: loss %g vs %g", what, loss, rl);
    double hstep = 1e-6;
    for (int t = 0; t < m->nt; t++)
        for (size_t k = m->t[t].off; k < m->t[t].off + m->t[t].n; k++) {
            double save = P[k];
            P[k] = save + hstep;
            double lp = ref_loss(m, P, X, N, th, y, wt);
            P[k] = save - hstep;
            double lm = ref_loss(m, P, X, N, th, y, wt);
            P[k] = save;
            double fd = (lp - lm) / (2 * hstep), an = m->g[k];
            cr_assert(fabs(fd - an) <= 2e-4 + 2e-3 * fabs(fd),
                      "%s %s[%zu]: analytic %.7g vs finite difference %.7g", what, m->t[t].name,
                      k - m->t[t].off, an, fd);
        }
    free(P);
    free(probs);
    free(mass);
}

/* The gradient check at one kernel level (rt_simd_level). */
static void gradient_check(int level) {
    cr_assert_eq(rt_simd_level(level), level);
    ModelConfig c;
    tiny_config(&c, 6, 3, 3, 3, 4);
    Model m;
    make_model(&m, &c, 7);
    enum { N = 5 };
    float *X = make_input(N, c.D, 99);
    uint8_t y[N] = {0, 1, 2, 1, 0};
    float wt[N] = {1.0f, 0.5f, 2.0f, 1.0f, 0.0f}; /* one sample with weight 0 */
    double *P = malloc(m.n * sizeof(double));
    for (size_t k = 0; k < m.n; k++)
        P[k] = m.w[k];
    RtWork *w = rt_work_new(&m, N, NULL);
    cr_assert_not_null(w);
    /* per-sample θ: several settings, some with dark blocks */
    const float thetas[][N] = {{0, 0, 0, 0, 0},
                               {0.1f, 0.1f, 0.1f, 0.1f, 0.092f},
                               {0.09f, 0.1f, 0.095f, 0.1f, 0.0f},
                               {0.03f, 0.1f, 0.05f, 0.097f, 0.102f}};
    int saw_dark = 0, dark_receiver = 0, nset = (int)(sizeof thetas / sizeof thetas[0]);
    for (int ts = 0; ts < nset; ts++) {
        const float *th = thetas[ts];
        int reached = 0;
        for (int n = 0; n < N; n++) {
            Ref o;
            ref_forward(&m, P, X + n * c.D, th[n], &o);
            cr_assert_gt(o.margin, 1e-3, "set %d sample %d: θ too close to a cut (%g)", ts, n,
                         o.margin);
            cr_assert_gt(o.kink, 1e-4, "set %d sample %d: ReLU kink too close", ts, n);
            int na = 0;
            for (int l = 0; l < c.L; l++)
                for (int i = 0; i < c.B; i++) {
                    na += o.act[l][i];
                    /* a dark receiver fed by an active block of the layer before */
                    if (l > 0 && !o.act[l][i] && o.M > 0 && wt[n] != 0)
                        for (int j = 0; j < c.B; j++)
                            dark_receiver += o.act[l - 1][j];
                }
            if (na > 0 && na < c.L * c.B) saw_dark++;
            reached += o.M > 0 && wt[n] != 0;
        }
        cr_assert_gt(reached, 0, "set %d: no sample reaches the output", ts);
        char what[64];
        snprintf(what, sizeof what, "level %d set %d", level, ts);
        check_against_reference(&m, P, w, X, N, th, y, wt, what);
    }
    cr_assert_gt(saw_dark, 3, "the θ settings must leave some blocks dark and some active");
    cr_assert_gt(dark_receiver, 0, "no dark block in a deeper layer of a sample with gradient");
    rt_work_free(w);
    free(P);
    free(X);
    model_free(&m);
}

/* Every kernel level the CPU has (plain C, AVX2, AVX-512): forward and
 * backward paths differ per level, the semantics must not. */
Test(rtnet, gradient_matches_finite_differences) {
    int top = rt_simd_level(-1);
    for (int lv = 0; lv <= top; lv++)
        gradient_check(lv);
    rt_simd_level(top);
}

/* Blocks wide enough (H >= 16) that a layer-1 block's dW1 is computed in two
 * row parts by separate backward items, and two deeper layers whose weighted
 * means' backward runs inside the receiving-layer-before's items: the
 * gradient still matches the finite differences at every level, and is the
 * same bits on 1, 2 and 3 threads. */
Test(rtnet, backward_items_match_finite_differences_and_threads) {
    ModelConfig c;
    tiny_config(&c, 7, 3, 3, 3, 21);
    Model m;
    make_model(&m, &c, 31);
    enum { N = 5 };
    float *X = make_input(N, c.D, 32);
    uint8_t y[N] = {2, 0, 1, 1, 0};
    float wt[N] = {1.0f, 0.5f, 1.0f, 2.0f, 1.0f}, th[N] = {0.0f, 0.02f, 0.0f, 0.01f, 0.03f};
    double *P = malloc(m.n * sizeof(double));
    for (size_t k = 0; k < m.n; k++)
        P[k] = m.w[k];
    RtWork *w = rt_work_new(&m, N, NULL);
    cr_assert_not_null(w);
    for (int n = 0; n < N; n++) {
        Ref o;
        ref_forward(&m, P, X + n * c.D, th[n], &o);
        cr_assert_gt(o.margin, 1e-3, "sample %d: θ too close to a cut (%g)", n, o.margin);
        cr_assert_gt(o.kink, 1e-4, "sample %d: ReLU kink too close", n);
    }
    int top = rt_simd_level(-1);
    float *g1 = malloc(m.n * sizeof(float));
    for (int lv = 0; lv <= top; lv++) {
        rt_simd_level(lv);
        char what[64];
        snprintf(what, sizeof what, "H 21, level %d", lv);
        check_against_reference(&m, P, w, X, N, th, y, wt, what);
        for (int nt = 1; nt <= 3; nt++) {
            pool_init(nt);
            model_zero_grad(&m);
            rt_forward(&m, w, X, N, th, NULL, NULL);
            rt_backward(&m, w, y, wt);
            if (nt == 1)
                memcpy(g1, m.g, m.n * sizeof(float));
            else
                cr_assert_eq(memcmp(g1, m.g, m.n * sizeof(float)), 0, "level %d, %d threads", lv,
                             nt);
        }
        pool_done();
    }
    rt_simd_level(top);
    free(g1);
    rt_work_free(w);
    free(P);
    free(X);
    model_free(&m);
}

/* A rate that underflows. Layer-1 blocks whose gate logit to block 1 of
 * layer 2 is 95 below the other send it s_j[1] = r_j e^-95 ≈ 1e-42, a float
 * denormal: at θ = 0 that block is active (r > 0) with a denormal rate, and
 * 1 / r overflows to inf. The forward and backward must stay finite and
 * exact: the gradients match the double-precision finite differences. (Long
 * training on Fashion-MNIST met this: a gradient became NaN/Inf.) */
static void denormal_rate_check(int level) {
    cr_assert_eq(rt_simd_level(level), level);
    ModelConfig c;
    tiny_config(&c, 5, 3, 2, 2, 4);
    Model m;
    make_model(&m, &c, 41);
    for (int j = 0; j < c.B; j++) { /* layer 1 -> layer 2 gates */
        const RtBlock *bk = &m.blk[j];
        for (int k = 0; k < c.H; k++)
            bk->W2[1 * c.H + k] = 0.0f, bk->W2[0 * c.H + k] *= 0.1f;
        bk->b2[0] = 0.0f;
        bk->b2[1] = -95.0f;
    }
    enum { N = 4 };
    float *X = make_input(N, c.D, 43), th[N] = {0}, wt[N] = {1, 1, 1, 1}, probs[N * 3];
    uint8_t y[N] = {0, 1, 2, 1};
    double *P = malloc(m.n * sizeof(double));
    for (size_t k = 0; k < m.n; k++)
        P[k] = m.w[k];
    RtWork *w = rt_work_new(&m, N, NULL);
    cr_assert_not_null(w);
    for (int n = 0; n < N; n++) {
        Ref o;
        ref_forward(&m, P, X + n * c.D, 0.0, &o);
        cr_assert(o.act[1][1], "block 1 of layer 2 must be active at θ = 0");
    }
    char what[64];
    snprintf(what, sizeof what, "level %d, a denormal rate", level);
    check_against_reference(&m, P, w, X, N, th, y, wt, what);
    /* the sweep ends at θ = 0 for τ = 1, through the same block */
    RtSweepOut out[N];
    rt_sweep(&m, w, X, N, 1.0f, 0.0f, out, probs);
    for (int n = 0; n < N; n++) {
        cr_assert_eq(out[n].theta, 0.0f);
        cr_assert(out[n].reached && isfinite(out[n].mass) && isfinite(out[n].conf));
    }
    rt_work_free(w);
    free(P);
    free(X);
    model_free(&m);
}

Test(rtnet, denormal_rate_stays_finite_and_exact) {
    int top = rt_simd_level(-1);
    for (int lv = 0; lv <= top; lv++)
        denormal_rate_check(lv);
    rt_simd_level(top);
}

/* Each sample alone: the blocks dark for it get exactly zero gradient. */
Test(rtnet, dark_blocks_get_exactly_zero_gradient) {
    ModelConfig c;
    tiny_config(&c, 6, 3, 3, 4, 5);
    Model m;
    make_model(&m, &c, 11);
    enum { N = 6 };
    float *X = make_input(N, c.D, 5);
    uint8_t y[N] = {0, 1, 2, 0, 1, 2};
    float th[N];
    for (int n = 0; n < N; n++)
        th[n] = 0.07f + 0.002f * n;
    RtWork *w = rt_work_new(&m, N, NULL);
    float mass[N];
    int checked_dark = 0, checked_live = 0;
    for (int one = 0; one < N; one++) {
        float wt[N] = {0};
        wt[one] = 1.0f;
        model_zero_grad(&m);
        rt_forward(&m, w, X, N, th, NULL, mass);
        rt_backward(&m, w, y, wt);
        if (!(mass[one] > 0)) continue;
        /* activity of this sample from the reference forward */
        double *P = malloc(m.n * sizeof(double));
        for (size_t k = 0; k < m.n; k++)
            P[k] = m.w[k];
        Ref o;
        ref_forward(&m, P, X + one * c.D, th[one], &o);
        for (int l = 0; l < c.L; l++)
            for (int i = 0; i < c.B; i++) {
                const RtBlock *bk = &m.blk[l * c.B + i];
                double sum = 0;
                for (size_t k = 0; k < bk->n; k++)
                    sum += fabs(m.g[bk->off + k]);
                if (!o.act[l][i]) {
                    cr_assert_eq(sum, 0.0, "dark block L%d.B%d has gradient %g", l, i, sum);
                    checked_dark++;
                } else {
                    checked_live += sum > 0;
                }
            }
        free(P);
    }
    cr_assert_gt(checked_dark, 0, "no dark block was checked");
    cr_assert_gt(checked_live, 0, "no active block got gradient");
    rt_work_free(w);
    free(X);
    model_free(&m);
}

/* ---- sweep, forward, trace -------------------------------------------------------- */

typedef struct {
    Model m;
    float *X;
    int N;
} Fix;

static void fix_make(Fix *f, int N, uint64_t seed) {
    ModelConfig c;
    tiny_config(&c, 20, 4, 3, 5, 7);
    c.tau = 0.5f;
    /* an untrained net loses θ of rate at every block, so rays reach the
     * output only at small θ: a finer schedule there */
    cr_assert_eq(model_parse_schedule(&c, "0.1,0.07,0.06,0.05,0.04,0.03,0.02,0.01,0", NULL), 0);
    make_model(&f->m, &c, seed);
    /* sharper class gates, so confidence (and the stop) varies by sample */
    for (int i = 0; i < c.B; i++) {
        const RtBlock *bk = &f->m.blk[(c.L - 1) * c.B + i];
        for (int k = 0; k < c.C * c.H; k++)
            bk->W2[k] *= 6.0f;
    }
    f->N = N;
    f->X = make_input(N, c.D, seed * 3 + 1);
}

static void fix_free(Fix *f) {
    free(f->X);
    model_free(&f->m);
}

Test(rtnet, sweep_stop_matches_forward_and_backward) {
    Fix f;
    fix_make(&f, 40, 3);
    Model *m = &f.m;
    int N = f.N, C = m->cfg.C;
    RtWork *w = rt_work_new(m, N, NULL);
    RtSweepOut out[40];
    float probs[40 * 4], probs2[40 * 4], mass[40], th[40];
    uint8_t y[40];
    float wt[40];
    for (int n = 0; n < N; n++)
        y[n] = (uint8_t)(n % C), wt[n] = 1.0f + (n % 3);
    rt_sweep(m, w, f.X, N, m->cfg.tau, 0.0f, out, probs);
    int stops[SCHED_MAX] = {0};
    for (int n = 0; n < N; n++)
        th[n] = out[n].theta, stops[out[n].stop]++;
    int distinct = 0;
    for (int t = 0; t < SCHED_MAX; t++)
        distinct += stops[t] > 0;
    cr_assert_geq(distinct, 2, "samples should stop at different steps");
    model_zero_grad(m);
    double l1 = rt_backward(m, w, y, wt);
    float *g1 = malloc(m->n * sizeof(float));
    memcpy(g1, m->g, m->n * sizeof(float));
    model_zero_grad(m);
    rt_forward(m, w, f.X, N, th, probs2, mass);
    double l2 = rt_backward(m, w, y, wt);
    for (int n = 0; n < N; n++) {
        cr_assert_float_eq(mass[n], out[n].mass, 1e-6 * fmaxf(1, mass[n]), "mass %d", n);
        for (int k = 0; k < C; k++)
            cr_assert_float_eq(probs[n * C + k], probs2[n * C + k], 1e-6, "p %d", n);
        int arg = 0;
        for (int k = 1; k < C; k++)
            if (probs2[n * C + k] > probs2[n * C + arg]) arg = k;
        cr_assert_eq(out[n].pred, arg);
        cr_assert(out[n].stop == SCHED_MAX - 1 || out[n].conf >= m->cfg.tau ||
                  out[n].stop == m->cfg.nsched - 1);
    }
    cr_assert_float_eq(l1, l2, 1e-5 * fabs(l2));
    for (size_t k = 0; k < m->n; k++)
        cr_assert_float_eq(g1[k], m->g[k], 1e-5 + 1e-4 * fabsf(m->g[k]), "grad %zu", k);
    free(g1);
    rt_work_free(w);
    fix_free(&f);
}

/* With the reference matmul every element is computed independently of the
 * batch it is in, so the sweep's workspace equals rt_forward's bit for bit. */
Test(rtnet, sweep_then_backward_is_bit_exact_with_reference_blas) {
    mm_use_reference(1);
    Fix f;
    fix_make(&f, 150, 4); /* 150: the sweep runs in two chunks */
    Model *m = &f.m;
    int N = f.N;
    RtWork *w = rt_work_new(m, N, NULL);
    RtSweepOut out[150];
    float th[150], wt[150];
    uint8_t y[150];
    for (int n = 0; n < N; n++)
        y[n] = (uint8_t)(n % m->cfg.C), wt[n] = 1.0f;
    rt_sweep(m, w, f.X, N, m->cfg.tau, 0.0f, out, NULL);
    for (int n = 0; n < N; n++)
        th[n] = out[n].theta;
    model_zero_grad(m);
    double l1 = rt_backward(m, w, y, wt);
    float *g1 = malloc(m->n * sizeof(float));
    memcpy(g1, m->g, m->n * sizeof(float));
    model_zero_grad(m);
    rt_forward(m, w, f.X, N, th, NULL, NULL);
    double l2 = rt_backward(m, w, y, wt);
    cr_assert_eq(l1, l2);
    cr_assert_eq(memcmp(g1, m->g, m->n * sizeof(float)), 0);
    free(g1);
    rt_work_free(w);
    fix_free(&f);
    mm_use_reference(0);
}

/* The gradients of a backward from workspace w1 and from w2 are equal bit for
 * bit (g1: scratch of m->n floats). */
static void assert_same_backward(Model *m, RtWork *w1, RtWork *w2, const uint8_t *y,
                                 const float *wt, float *g1, const char *after) {
    size_t nb = m->n * sizeof(float);
    model_zero_grad(m);
    rt_backward(m, w1, y, wt);
    memcpy(g1, m->g, nb);
    model_zero_grad(m);
    rt_backward(m, w2, y, wt);
    cr_assert_eq(memcmp(g1, m->g, nb), 0, "gradients after the %s differ", after);
}

/* rt_sweep_samples / rt_forward_samples (uint8 rows converted inside the
 * router's parts) against data_batch_float then rt_sweep / rt_forward: the
 * same results, and the same workspace (the gradients of a backward after
 * it), at 1 and 2 threads, with rows picked out of order and twice. */
Test(rtnet, sample_rows_entries_match_converted_input) {
    Fix f;
    fix_make(&f, 50, 4);
    Model *m = &f.m;
    const int N = f.N, D = m->cfg.D, C = m->cfg.C, NS = 70;
    uint8_t *px = malloc((size_t)NS * D), lab[70];
    Rng r;
    rng_seed(&r, 23);
    for (int i = 0; i < NS * D; i++)
        px[i] = (uint8_t)rng_below(&r, 256);
    for (int i = 0; i < NS; i++)
        lab[i] = (uint8_t)(i % C);
    DataSplit ds = {.n = NS, .ch = 1, .h = 1, .w = D, .d = D, .x = px, .y = lab};
    int idx[50];
    uint8_t y[50];
    float wt[50], th[50], *X = malloc(sizeof(float) * (size_t)N * D);
    for (int n = 0; n < N; n++) {
        idx[n] = (int)((n * 37 + 11) % NS); /* out of order */
        if (n == N - 1) idx[n] = idx[0];    /* and one row twice */
        y[n] = lab[idx[n]], wt[n] = 1.0f / N, th[n] = 0.02f * (float)(n % 4);
    }
    data_batch_float(&ds, idx, N, X);
    float *g1 = malloc(m->n * sizeof(float));
    for (int threads = 1; threads <= 2; threads++) {
        pool_init(threads);
        RtWork *w1 = rt_work_new(m, N, NULL), *w2 = rt_work_new(m, N, NULL);
        RtSweepOut o1[50], o2[50];
        float p1[50 * RT_MAX_C], p2[50 * RT_MAX_C], m1[50], m2[50];
        rt_sweep(m, w1, X, N, m->cfg.tau, 0.0f, o1, p1);
        rt_sweep_samples(m, w2, &ds, idx, N, m->cfg.tau, 0.0f, o2, p2);
        for (int n = 0; n < N; n++) {
            cr_assert(o1[n].stop == o2[n].stop && o1[n].theta == o2[n].theta &&
                          o1[n].pred == o2[n].pred && o1[n].conf == o2[n].conf &&
                          o1[n].mass == o2[n].mass && o1[n].used == o2[n].used &&
                          o1[n].macs == o2[n].macs,
                      "sweep results differ, sample %d", n);
        }
        cr_assert_eq(memcmp(p1, p2, sizeof(float) * (size_t)N * C), 0);
        assert_same_backward(m, w1, w2, y, wt, g1, "sweeps");
        rt_forward(m, w1, X, N, th, p1, m1);
        rt_forward_samples(m, w2, &ds, idx, N, th, p2, m2);
        cr_assert_eq(memcmp(p1, p2, sizeof(float) * (size_t)N * C), 0);
        cr_assert_eq(memcmp(m1, m2, sizeof(float) * (size_t)N), 0);
        assert_same_backward(m, w1, w2, y, wt, g1, "forwards");
        rt_work_free(w1);
        rt_work_free(w2);
        pool_done();
    }
    free(g1);
    free(X);
    free(px);
    fix_free(&f);
}

/* The trainer's fused step (rt_backward_loss, then rt_backward_params with an
 * AdamStep) leaves the same bits as rt_backward followed by the separate
 * undoable Adam step: gradients, weights, moments and the undo state, over
 * several steps, with one and two threads, after a sweep (some samples stop
 * early) and at a fixed θ that leaves whole blocks dark for the batch (their
 * parameters are stepped on a zero gradient). The fused step starts from a
 * gradient buffer of NaNs: it writes every gradient, so none may survive. */
Test(rtnet, fused_adam_step_matches_separate_step) {
    Fix f1, f2;
    fix_make(&f1, 60, 9);
    fix_make(&f2, 60, 9);
    Model *m1 = &f1.m, *m2 = &f2.m;
    const int N = f1.N, L = m1->cfg.L, B = m1->cfg.B;
    m1->br[0] = m2->br[0] = -20.0f; /* layer 1's block 0: dark at any θ > 0 */
    for (int j = 0; j < B; j++)     /* and layer 2's block 1: no rays sent to it */
        m1->blk[j].b2[1] = m2->blk[j].b2[1] = -20.0f;
    uint8_t y[60];
    float wt[60], th[60];
    for (int n = 0; n < N; n++)
        y[n] = (uint8_t)(n % m1->cfg.C), wt[n] = 1.0f / N;
    int dark1 = 0, dark_deep = 0; /* blocks dark for a whole batch, layer 1 / after */
    for (int threads = 1; threads <= 2; threads++) {
        pool_init(threads);
        RtWork *w1 = rt_work_new(m1, N, NULL), *w2 = rt_work_new(m2, N, NULL);
        Adam a1, a2;
        AdamUndo u1, u2;
        cr_assert_eq(adam_init(&a1, m1->n, 1e-2f, NULL), 0);
        cr_assert_eq(adam_init(&a2, m2->n, 1e-2f, NULL), 0);
        cr_assert_eq(adam_undo_init(&u1, m1->n, NULL), 0);
        cr_assert_eq(adam_undo_init(&u2, m2->n, NULL), 0);
        RtSweepOut out[60];
        for (int step = 0; step < 6; step++) {
            int sweep = step % 2 == 0;
            if (sweep) {
                rt_sweep(m1, w1, f1.X, N, m1->cfg.tau, 0.0f, out, NULL);
                rt_sweep(m2, w2, f2.X, N, m2->cfg.tau, 0.0f, out, NULL);
            } else {
                for (int n = 0; n < N; n++)
                    th[n] = 0.06f;
                rt_forward(m1, w1, f1.X, N, th, NULL, NULL);
                rt_forward(m2, w2, f2.X, N, th, NULL, NULL);
            }
            int count[RT_MAX_L * RT_MAX_B];
            rt_block_counts(w2, count);
            for (int k = 0; k < L * B; k++)
                *(k < B ? &dark1 : &dark_deep) += count[k] == 0;

            model_zero_grad(m1);
            double l1 = rt_backward(m1, w1, y, wt);
            int bad1 = adam_step_undoable(&a1, m1, &u1);

            for (size_t k = 0; k < m2->n; k++) /* the fused step writes m->g: no zeroing */
                m2->g[k] = NAN;
            double l2 = rt_backward_loss(m2, w2, y, wt);
            AdamStep st;
            adam_begin(&a2, m2, &u2, &st);
            rt_backward_params(m2, w2, &st);
            int bad2 = adam_end(&a2, &u2, &st);

            cr_assert_eq(l1, l2, "loss, step %d", step);
            cr_assert_eq(bad1, bad2);
            assert_same_step(m1, m2, &a1, &a2, &u1, &u2, step);
        }
        adam_undo_free(&u1);
        adam_undo_free(&u2);
        adam_free(&a1);
        adam_free(&a2);
        rt_work_free(w1);
        rt_work_free(w2);
        pool_done();
    }
    cr_assert_gt(dark1, 0, "no layer-1 block was dark for a whole batch");
    cr_assert_gt(dark_deep, 0, "no deeper block was dark for a whole batch");
    fix_free(&f1);
    fix_free(&f2);
}

Test(rtnet, trace_agrees_with_sweep) {
    Fix f;
    fix_make(&f, 30, 5);
    Model *m = &f.m;
    int N = f.N, C = m->cfg.C, D = m->cfg.D;
    RtWork *w = rt_work_new(m, N, NULL);
    RtSweepOut out[30];
    RtTrace *tr = malloc(sizeof *tr);
    const float floors[] = {0.0f, 0.05f};
    for (int fi = 0; fi < 2; fi++) {
        rt_sweep(m, w, f.X, N, m->cfg.tau, floors[fi], out, NULL);
        for (int n = 0; n < N; n++) {
            cr_assert_eq(rt_trace(m, f.X + n * D, m->cfg.tau, floors[fi], tr, NULL), 0);
            float sched[SCHED_MAX];
            cr_assert_eq(tr->nsteps, rt_schedule(&m->cfg, floors[fi], sched));
            cr_assert_eq(tr->stop, out[n].stop, "sample %d: trace stop %d, sweep stop %d", n,
                         tr->stop, out[n].stop);
            int t = tr->stop, arg = 0;
            cr_assert_eq(tr->theta[t], out[n].theta);
            for (int k = 1; k < C; k++)
                if (tr->prob[t][k] > tr->prob[t][arg]) arg = k;
            cr_assert_eq(out[n].reached ? arg : -1, out[n].pred);
            cr_assert_float_eq(tr->act_pct[t], out[n].act_pct, 1e-4);
            cr_assert_eq(tr->nactive[t], out[n].active);
            cr_assert_eq(tr->used[t], out[n].used);
            cr_assert_float_eq(tr->mass[t], out[n].mass, 1e-5);
            /* internal consistency of every step */
            for (int s = 0; s < tr->nsteps; s++) {
                float M = 0;
                for (int k = 0; k < C; k++)
                    M += tr->flow[s][k];
                cr_assert_float_eq(M, tr->mass[s], 1e-5);
                int na = 0;
                for (int l = 0; l < tr->L; l++)
                    for (int i = 0; i < tr->B; i++) {
                        na += tr->active[s][l][i];
                        cr_assert_eq(tr->active[s][l][i], tr->rate[s][l][i] > tr->theta[s]);
                    }
                cr_assert_eq(na, tr->nactive[s]);
                for (int i = 0; i < tr->B; i++)
                    cr_assert_float_eq(tr->router[s][i], tr->rate[s][0][i], 1e-7);
                if (s > 0) /* layer-1 activity is monotone as θ falls */
                    for (int i = 0; i < tr->B; i++)
                        cr_assert_geq(tr->active[s][0][i], tr->active[s - 1][0][i]);
            }
        }
    }
    free(tr);
    rt_work_free(w);
    fix_free(&f);
}

/* ---- floor semantics --------------------------------------------------------------- */

Test(rtnet, effective_schedule_with_floor) {
    ModelConfig c;
    tiny_config(&c, 4, 2, 1, 2, 2);
    float s[SCHED_MAX];
    int n = rt_schedule(&c, 0.0f, s);
    cr_assert_eq(n, c.nsched);
    cr_assert_eq(memcmp(s, c.sched, (size_t)n * sizeof(float)), 0);
    n = rt_schedule(&c, 0.2f, s); /* a schedule value: cut at it, then the floor itself */
    cr_assert_eq(n, 3);
    cr_assert_eq(s[0], 0.5f);
    cr_assert_eq(s[1], 0.3f);
    cr_assert_eq(s[2], 0.2f);
    n = rt_schedule(&c, 0.25f, s);
    cr_assert_eq(n, 3);
    cr_assert_eq(s[2], 0.25f);
    n = rt_schedule(&c, 0.7f, s);
    cr_assert_eq(n, 1);
    cr_assert_eq(s[0], 0.7f);
    n = rt_schedule(&c, -1.0f, s);
    cr_assert_eq(n, c.nsched);
    cr_assert_eq(s[n - 1], 0.0f);
}

Test(rtnet, floor_bounds_sweep_and_allows_unreached) {
    Fix f;
    fix_make(&f, 16, 6);
    Model *m = &f.m;
    int N = f.N, C = m->cfg.C;
    RtWork *w = rt_work_new(m, N, NULL);
    RtSweepOut out[16];
    float probs[16 * 4];
    rt_sweep(m, w, f.X, N, 1.0f, 0.06f, out, probs); /* τ = 1: runs to the floor */
    for (int n = 0; n < N; n++) {
        cr_assert_eq(out[n].theta, 0.06f);
        cr_assert_eq(out[n].stop, 2); /* 0.1, 0.07, 0.06 */
    }
    /* floor 0.9: (1-θ) g_i <= 0.1 < θ, nothing fires, nothing reaches the output */
    rt_sweep(m, w, f.X, N, m->cfg.tau, 0.9f, out, probs);
    for (int n = 0; n < N; n++) {
        cr_assert_eq(out[n].stop, 0);
        cr_assert_eq(out[n].theta, 0.9f);
        cr_assert_eq(out[n].reached, 0);
        cr_assert_eq(out[n].pred, -1);
        cr_assert_eq(out[n].mass, 0.0f);
        cr_assert_eq(out[n].active, 0);
        cr_assert_eq(out[n].used, (long)m->router_n);
        for (int k = 0; k < C; k++)
            cr_assert_eq(probs[n * C + k], 0.0f);
    }
    /* an unreached sample is skipped by backward */
    uint8_t y[16] = {0};
    model_zero_grad(m);
    double loss = rt_backward(m, w, y, NULL);
    cr_assert_eq(loss, 0.0);
    for (size_t k = 0; k < m->n; k++)
        cr_assert_eq(m->g[k], 0.0f);
    rt_work_free(w);
    fix_free(&f);
}

/* ---- implementation paths ------------------------------------------------------------- */

typedef struct {
    float *probs, *mass, *g;
    RtSweepOut out[160];
    double loss;
} Run;

/* Forward at mixed θ + backward, and an unfold sweep + backward. */
static void run_all(Model *m, const float *X, int N, Run *r) {
    RtWork *w = rt_work_new(m, N, NULL);
    float th[160], wt[160];
    uint8_t y[160];
    for (int n = 0; n < N; n++)
        th[n] = (n % 4) * 0.015f, y[n] = (uint8_t)(n % m->cfg.C), wt[n] = 1.0f;
    r->probs = malloc((size_t)N * m->cfg.C * sizeof(float));
    r->mass = malloc((size_t)N * sizeof(float));
    r->g = malloc(m->n * 2 * sizeof(float));
    model_zero_grad(m);
    rt_forward(m, w, X, N, th, r->probs, r->mass);
    r->loss = rt_backward(m, w, y, wt);
    memcpy(r->g, m->g, m->n * sizeof(float));
    model_zero_grad(m);
    rt_sweep(m, w, X, N, 0.3f, 0.0f, r->out, NULL);
    r->loss += rt_backward(m, w, y, wt);
    memcpy(r->g + m->n, m->g, m->n * sizeof(float));
    rt_work_free(w);
}

static void run_free(Run *r) {
    free(r->probs);
    free(r->mass);
    free(r->g);
}

static void mid_model(Model *m, float **X, int N) {
    ModelConfig c;
    tiny_config(&c, 97, 10, 3, 6, 13); /* odd sizes */
    cr_assert_eq(model_parse_schedule(&c, "0.1,0.07,0.05,0.04,0.03,0.02,0.01,0", NULL), 0);
    make_model(m, &c, 21);
    for (int i = 0; i < c.B; i++) {
        const RtBlock *bk = &m->blk[(c.L - 1) * c.B + i];
        for (int k = 0; k < c.C * c.H; k++)
            bk->W2[k] *= 6.0f;
    }
    *X = make_input(N, c.D, 22);
}

Test(rtnet, blas_and_reference_paths_agree) {
    Model m;
    float *X;
    int N = 131; /* the sweep runs in two uneven chunks */
    mid_model(&m, &X, N);
    Run a, b;
    run_all(&m, X, N, &a);
    mm_use_reference(1);
    run_all(&m, X, N, &b);
    mm_use_reference(0);
    for (int i = 0; i < N * m.cfg.C; i++)
        cr_assert_float_eq(a.probs[i], b.probs[i], 1e-5);
    for (int n = 0; n < N; n++) {
        cr_assert_float_eq(a.mass[n], b.mass[n], 1e-5);
        cr_assert_eq(a.out[n].stop, b.out[n].stop);
    }
    cr_assert_float_eq(a.loss, b.loss, 1e-5 * fabs(b.loss));
    float gmax = 0;
    for (size_t k = 0; k < 2 * m.n; k++)
        gmax = fmaxf(gmax, fabsf(b.g[k]));
    cr_assert_gt(gmax, 0);
    for (size_t k = 0; k < 2 * m.n; k++)
        cr_assert_float_eq(a.g[k], b.g[k], 1e-5 * (1 + gmax), "grad %zu: %g vs %g", k, a.g[k],
                           b.g[k]);
    run_free(&a);
    run_free(&b);
    free(X);
    model_free(&m);
}

/* Every kernel level against plain C (level 0): the same results up to
 * rounding, and the same stops. */
Test(rtnet, kernel_levels_agree) {
    Model m;
    float *X;
    int N = 131;
    mid_model(&m, &X, N);
    int top = rt_simd_level(-1);
    Run ref;
    rt_simd_level(0);
    run_all(&m, X, N, &ref);
    for (int lv = 1; lv <= top; lv++) {
        Run a;
        rt_simd_level(lv);
        run_all(&m, X, N, &a);
        for (int i = 0; i < N * m.cfg.C; i++)
            cr_assert_float_eq(a.probs[i], ref.probs[i], 1e-5, "level %d", lv);
        for (int n = 0; n < N; n++)
            cr_assert_eq(a.out[n].stop, ref.out[n].stop, "level %d sample %d", lv, n);
        cr_assert_float_eq(a.loss, ref.loss, 1e-5 * fabs(ref.loss));
        float gmax = 0;
        for (size_t k = 0; k < 2 * m.n; k++)
            gmax = fmaxf(gmax, fabsf(ref.g[k]));
        for (size_t k = 0; k < 2 * m.n; k++)
            cr_assert_float_eq(a.g[k], ref.g[k], 1e-5 * (1 + gmax), "level %d grad %zu", lv, k);
        run_free(&a);
    }
    rt_simd_level(top);
    run_free(&ref);
    free(X);
    model_free(&m);
}

/* A batch sweep equals each sample swept alone, bit for bit (stop, mass,
 * confidence, p), and rt_forward at the stop θ equals the sweep; also with
 * two threads (other chunks). rt_block_counts agrees with the per-sample
 * accounting. At kernel level lv. */
static void check_batch_independent(Model *m, const float *X, int N, float tau, int lv) {
    const int C = m->cfg.C, L = m->cfg.L, B = m->cfg.B, D = m->cfg.D;
    cr_assert_eq(rt_simd_level(lv), lv);
    RtWork *w = rt_work_new(m, N, NULL), *w1 = rt_work_new(m, 1, NULL);
    cr_assert(w && w1);
    RtSweepOut *out = malloc((size_t)N * sizeof *out), *out2 = malloc((size_t)N * sizeof *out2);
    RtSweepOut o1;
    float *probs = malloc((size_t)N * C * sizeof(float)), p1[RT_MAX_C];
    float *probs2 = malloc((size_t)N * C * sizeof(float)), *th = malloc((size_t)N * sizeof(float));
    rt_sweep(m, w, X, N, tau, 0.0f, out, probs);
    int count[RT_MAX_L * RT_MAX_B], total = 0, active = 0, stops[SCHED_MAX] = {0}, distinct = 0;
    rt_block_counts(w, count);
    for (int k = 0; k < L * B; k++)
        total += count[k];
    for (int n = 0; n < N; n++) {
        active += out[n].active;
        th[n] = out[n].theta;
        stops[out[n].stop]++;
        rt_sweep(m, w1, X + (size_t)n * D, 1, tau, 0.0f, &o1, p1);
        cr_assert_eq(o1.stop, out[n].stop, "level %d sample %d: stop", lv, n);
        cr_assert_eq(o1.mass, out[n].mass, "level %d sample %d: mass %a batched, %a alone", lv, n,
                     out[n].mass, o1.mass);
        cr_assert_eq(o1.conf, out[n].conf, "level %d sample %d", lv, n);
        cr_assert_eq(o1.macs, out[n].macs, "level %d sample %d: multiply-adds", lv, n);
        cr_assert_eq(o1.active, out[n].active, "level %d sample %d", lv, n);
        cr_assert_eq(memcmp(p1, probs + (size_t)n * C, (size_t)C * sizeof(float)), 0,
                     "level %d sample %d: p", lv, n);
    }
    for (int t = 0; t < SCHED_MAX; t++)
        distinct += stops[t] > 0;
    cr_assert_geq(distinct, 2, "level %d, D = %d: every sample stopped at step %d", lv, D,
                  out[0].stop);
    cr_assert_eq(total, active, "block counts %d, active blocks %d", total, active);
    rt_forward(m, w, X, N, th, probs2, NULL);
    cr_assert_eq(memcmp(probs, probs2, (size_t)N * C * sizeof(float)), 0, "level %d", lv);
    int count2[RT_MAX_L * RT_MAX_B];
    rt_block_counts(w, count2);
    cr_assert_eq(memcmp(count, count2, (size_t)(L * B) * sizeof(int)), 0);
    pool_init(2); /* two chunks */
    rt_sweep(m, w, X, N, tau, 0.0f, out2, probs2);
    pool_done();
    cr_assert_eq(memcmp(probs, probs2, (size_t)N * C * sizeof(float)), 0, "level %d", lv);
    for (int n = 0; n < N; n++) {
        cr_assert_eq(out[n].mass, out2[n].mass, "level %d sample %d, two threads", lv, n);
        cr_assert_eq(out[n].macs, out2[n].macs, "level %d sample %d, two threads", lv, n);
    }
    rt_work_free(w);
    rt_work_free(w1);
    free(out), free(out2), free(probs), free(probs2), free(th);
}

/* The Fashion-MNIST shape: D = 784, C = 10, default L, B, H; an untrained net
 * with sharper class gates so that samples stop at different steps. */
static void fmnist_model(Model *m, float **X, int N) {
    ModelConfig c;
    model_config_default(&c, ARCH_RT, 1, 28, 28, 10);
    cr_assert_eq(model_parse_schedule(&c, "0.1,0.07,0.05,0.04,0.03,0.02,0.01,0", NULL), 0);
    make_model(m, &c, 31);
    for (int i = 0; i < c.B; i++) {
        const RtBlock *bk = &m->blk[(c.L - 1) * c.B + i];
        for (int k = 0; k < c.C * c.H; k++)
            bk->W2[k] *= 12.0f;
    }
    *X = make_input(N, c.D, 32);
}

/* Every level, or with RTVIZ_SIMD set only the level it selects (the
 * process-level test below runs this one under each level and each OpenBLAS
 * core type). */
Test(rtnet, sweep_is_batch_independent) {
    int top = rt_simd_level(-1), lo = getenv("RTVIZ_SIMD") ? top : 0;
    Model m, f;
    float *X, *XF;
    int N = 131, NF = 500;
    mid_model(&m, &X, N);
    fmnist_model(&f, &XF, NF);
    for (int lv = lo; lv <= top; lv++) {
        check_batch_independent(&m, X, N, 0.3f, lv);
        check_batch_independent(&f, XF, NF, 0.3f, lv);
    }
    rt_simd_level(top);
    free(X);
    free(XF);
    model_free(&m);
    model_free(&f);
}

/* OpenBLAS picks its kernels by CPU (OPENBLAS_CORETYPE overrides it), once
 * per process: the test above, re-run in a child process under each core type
 * this CPU can execute (SkylakeX needs AVX-512F) and each RTVIZ_SIMD level. */
Test(rtnet, batch_independent_under_each_openblas_core, .timeout = 600) {
    char self[4096];
    ssize_t len = readlink("/proc/self/exe", self, sizeof self - 1);
    cr_assert_gt(len, 0, "cannot find the test binary");
    self[len] = 0;
    const char *cores[2] = {"Haswell", NULL};
#if defined(__x86_64__)
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f")) cores[1] = "SkylakeX";
#endif
    if (!cores[1]) cr_log_info("no AVX-512F: OpenBLAS's SkylakeX kernels cannot run on this CPU");
    int top = rt_simd_level(-1), runs = 0;
    for (int c = 0; c < 2 && cores[c]; c++)
        for (int lv = 0; lv <= top; lv++) {
            char cmd[4400], line[512];
            snprintf(cmd, sizeof cmd,
                     "env -i OPENBLAS_CORETYPE=%s RTVIZ_SIMD=%d '%s' --filter "
                     "'rtnet/sweep_is_batch_independent' 2>&1",
                     cores[c], lv, self);
            FILE *p = popen(cmd, "r");
            cr_assert_not_null(p);
            int passed = 0;
            while (fgets(line, sizeof line, p))
                passed |= strstr(line, "Tested: 1 | Passing: 1 | Failing: 0") != NULL;
            int st = pclose(p);
            cr_assert(st == 0 && passed, "OPENBLAS_CORETYPE=%s RTVIZ_SIMD=%d: the test failed",
                      cores[c], lv);
            runs++;
        }
    cr_assert_eq(runs, (cores[1] ? 2 : 1) * (top + 1));
}

/* At every kernel level (the chunking of a sweep differs between them). */
Test(rtnet, bit_identical_for_one_and_two_threads) {
    Model m;
    float *X;
    int N = 131; /* the sweep runs in two uneven chunks */
    mid_model(&m, &X, N);
    int top = rt_simd_level(-1);
    for (int lv = 0; lv <= top; lv++) {
        rt_simd_level(lv);
        Run a, b;
        pool_init(1);
        run_all(&m, X, N, &a);
        pool_init(2);
        run_all(&m, X, N, &b);
        pool_done();
        cr_assert_eq(memcmp(a.probs, b.probs, (size_t)N * m.cfg.C * sizeof(float)), 0);
        cr_assert_eq(memcmp(a.mass, b.mass, (size_t)N * sizeof(float)), 0);
        cr_assert_eq(memcmp(a.g, b.g, 2 * m.n * sizeof(float)), 0, "level %d", lv);
        cr_assert_eq(a.loss, b.loss);
        for (int n = 0; n < N; n++) {
            cr_assert_eq(a.out[n].stop, b.out[n].stop);
            cr_assert_eq(a.out[n].pred, b.out[n].pred);
            cr_assert_eq(a.out[n].conf, b.out[n].conf);
            cr_assert_eq(a.out[n].mass, b.out[n].mass);
            cr_assert_eq(a.out[n].used, b.out[n].used);
        }
        run_free(&a);
        run_free(&b);
    }
    rt_simd_level(top);
    free(X);
    model_free(&m);
}

/* ---- accounting -------------------------------------------------------------------------- */

Test(rtnet, accounting_all_active_at_zero_is_total) {
    Fix f;
    fix_make(&f, 8, 9);
    Model *m = &f.m;
    const ModelConfig *c = &m->cfg;
    long blocks = 0;
    for (int k = 0; k < c->L * c->B; k++)
        blocks += (long)m->blk[k].n;
    cr_assert_eq(rt_params_total(m), (long)m->router_n + blocks);
    cr_assert_eq(rt_params_total(m), (long)m->n);
    RtWork *w = rt_work_new(m, f.N, NULL);
    RtSweepOut out[8];
    rt_sweep(m, w, f.X, f.N, 1.0f, 0.0f, out, NULL); /* τ = 1: ends at θ = 0 */
    for (int n = 0; n < f.N; n++) {
        cr_assert_eq(out[n].theta, 0.0f);
        cr_assert_eq(out[n].active, c->L * c->B);
        cr_assert_eq(out[n].used, rt_params_total(m));
        cr_assert_float_eq(out[n].act_pct, 100.0f, 1e-4);
        cr_assert_float_eq(out[n].mass, 1.0f, 1e-5); /* θ = 0: all rays arrive */
        /* every step recomputes the active deeper blocks; layer 1 once */
        cr_assert_geq(out[n].macs, rt_full_macs(m));
    }
    /* at a high θ fewer parameters are used */
    rt_sweep(m, w, f.X, f.N, 0.01f, 0.0f, out, NULL); /* τ tiny: stops at the first step */
    int fewer = 0;
    for (int n = 0; n < f.N; n++)
        fewer += out[n].used < rt_params_total(m);
    cr_assert_gt(fewer, 0);
    rt_work_free(w);
    fix_free(&f);
}

/* The multiply-adds a sweep reports: one step at θ = 0 is the full forward;
 * stopping at the first step of a longer schedule costs less. */
Test(rtnet, sweep_counts_multiply_adds) {
    Fix f;
    fix_make(&f, 8, 9);
    Model *m = &f.m;
    const ModelConfig *c = &m->cfg;
    long H = c->H, B = c->B, full = B * c->D;
    for (int l = 0; l < c->L; l++)
        full += B * (H * (l == 0 ? c->D : H + B) + H * (l < c->L - 1 ? B : c->C));
    cr_assert_eq(rt_full_macs(m), full);
    RtWork *w = rt_work_new(m, f.N, NULL);
    RtSweepOut out[8];
    rt_sweep(m, w, f.X, f.N, 0.9f, 0.1f, out, NULL); /* floor 0.1: the one step θ = 0.1 */
    int fewer = 0;
    for (int n = 0; n < f.N; n++) {
        cr_assert_eq(out[n].stop, 0);
        cr_assert_leq(out[n].macs, full, "sample %d: %ld of %ld", n, out[n].macs, full);
        if (out[n].active < c->L * c->B) {
            fewer++;
            cr_assert_lt(out[n].macs, full, "sample %d: %ld", n, out[n].macs);
        }
    }
    cr_assert_gt(fewer, 0);
    ModelConfig c0 = *c;
    model_free(m);
    rt_work_free(w);
    cr_assert_eq(model_parse_schedule(&c0, "0", NULL), 0);
    make_model(m, &c0, 9);
    w = rt_work_new(m, f.N, NULL);
    rt_sweep(m, w, f.X, f.N, 0.9f, 0.0f, out, NULL);
    for (int n = 0; n < f.N; n++)
        cr_assert_eq(out[n].macs, full, "sample %d: %ld of %ld", n, out[n].macs, full);
    rt_work_free(w);
    fix_free(&f);
}

/* A sample's multiply-adds are exactly those of the steps it reaches, read
 * from its trace: the router, each layer-1 block once at the first step it is
 * active, and at every step the sweep computes (a layer-1 block fires, or the
 * last) the deeper layers' active blocks. So the sweep computes no block of a
 * step after the sample's stop, however it groups the rows; with two threads
 * too. */
Test(rtnet, sweep_macs_follow_the_trace) {
    Model m;
    float *X;
    int N = 300;
    fmnist_model(&m, &X, N);
    const ModelConfig *c = &m.cfg;
    const long H = c->H, B = c->B, D = c->D;
    RtWork *w = rt_work_new(&m, N, NULL);
    RtSweepOut *out = malloc((size_t)N * sizeof *out);
    RtTrace *tr = malloc(sizeof *tr);
    for (int threads = 1; threads <= 2; threads++) {
        pool_init(threads);
        rt_sweep(&m, w, X, N, c->tau, 0.0f, out, NULL);
        pool_done();
        int late = 0;
        for (int n = 0; n < N; n++) {
            cr_assert_eq(rt_trace(&m, X + (size_t)n * D, c->tau, 0.0f, tr, NULL), 0);
            cr_assert_eq(tr->stop, out[n].stop, "sample %d", n);
            long macs = B * D;
            for (int t = 0; t <= tr->stop; t++) {
                int fires = t == tr->nsteps - 1;
                for (int i = 0; i < B; i++)
                    fires |= tr->active[t][0][i];
                if (!fires) continue;
                for (int l = 0; l < c->L; l++) {
                    long K = l < c->L - 1 ? B : c->C, nsrc = 0;
                    for (int j = 0; l > 0 && j < B; j++)
                        nsrc += tr->active[t][l - 1][j];
                    for (int i = 0; i < B; i++) {
                        if (!tr->active[t][l][i]) continue;
                        if (l == 0 && t > 0 && tr->active[t - 1][0][i]) continue; /* once */
                        macs += H * (l == 0 ? D : H + nsrc) + H * K;
                    }
                }
            }
            cr_assert_eq(out[n].macs, macs, "%d threads, sample %d (stop %d): %ld, trace %ld",
                         threads, n, out[n].stop, out[n].macs, macs);
            late += out[n].stop > 1;
        }
        cr_assert_gt(late, 0, "every sample stopped at once");
    }
    free(tr);
    free(out);
    rt_work_free(w);
    free(X);
    model_free(&m);
}

Test(rtnet, work_new_rejects_bad_arguments) {
    Fix f;
    fix_make(&f, 2, 1);
    RtErr e = {{0}};
    cr_assert_null(rt_work_new(&f.m, 0, &e));
    cr_assert_neq(e.msg[0], 0);
    fix_free(&f);
}
