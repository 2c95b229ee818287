/* eval.c — whole-split evaluation (eval.h): the sweep's answer and cost per
 * sample, the full network's loss at θ = 0, and the summary statistics
 * (accuracy, activation, Spearman, easiest/hardest tenth; docs/DESIGN.md §1.4). */
#include "eval.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mlp.h"
#include "rtnet.h"

#define EVAL_BATCH 256 /* samples per forward */

/* ------------------------------------------------------------- statistics */

typedef struct {
    float v; /* value */
    int i;   /* original position */
} Ranked;

static int cmp_ranked(const void *a, const void *b) {
    const Ranked *x = a, *y = b;
    if (x->v != y->v) return x->v < y->v ? -1 : 1;
    return (x->i > y->i) - (x->i < y->i);
}

/* rank[i] (1-based) of a[i]; ties get the mean of their ranks. r is scratch (n). */
static void mean_ranks(const float *a, int n, Ranked *r, double *rank) {
    for (int i = 0; i < n; i++)
        r[i] = (Ranked){a[i], i};
    qsort(r, (size_t)n, sizeof *r, cmp_ranked);
    for (int s = 0; s < n;) {
        int e = s + 1;
        while (e < n && r[e].v == r[s].v)
            e++;
        double mr = 0.5 * (double)(s + 1 + e); /* mean of ranks s+1 .. e */
        for (int k = s; k < e; k++)
            rank[r[k].i] = mr;
        s = e;
    }
}

double spearman(const float *a, const float *b, int n) {
    if (n < 2) return NAN;
    Ranked *r = malloc((size_t)n * sizeof *r);
    double *ra = malloc((size_t)n * sizeof *ra), *rb = malloc((size_t)n * sizeof *rb);
    double rho = NAN;
    if (r && ra && rb) {
        mean_ranks(a, n, r, ra);
        mean_ranks(b, n, r, rb);
        double m = 0.5 * (n + 1), sab = 0.0, saa = 0.0, sbb = 0.0;
        for (int i = 0; i < n; i++) {
            double x = ra[i] - m, y = rb[i] - m;
            sab += x * y;
            saa += x * x;
            sbb += y * y;
        }
        if (saa > 0.0 && sbb > 0.0) rho = sab / sqrt(saa * sbb);
    }
    free(r);
    free(ra);
    free(rb);
    return rho; /* NaN when undefined (n < 2 or a constant input) */
}

/* Error % of the k = max(1, n/10) samples with the least (hardest = 0) or the
 * most (hardest = 1) activation. The tie group straddling the cut counts with
 * its mean error rate (what any random tie break gives on average), so the
 * result does not depend on sample order. err[i] is 0 or 1. */
static double tenth_error(const float *act, const uint8_t *err, int n, int hardest, Ranked *r) {
    for (int i = 0; i < n; i++)
        r[i] = (Ranked){hardest ? -act[i] : act[i], i};
    qsort(r, (size_t)n, sizeof *r, cmp_ranked);
    int k = RT_MAX(1, n / 10);
    double errs = 0.0;
    int taken = 0;
    for (int s = 0; s < n && taken < k;) {
        int e = s + 1;
        while (e < n && r[e].v == r[s].v)
            e++;
        int ge = 0;
        for (int j = s; j < e; j++)
            ge += err[r[j].i];
        int g = e - s, need = k - taken;
        if (g <= need) {
            errs += ge;
            taken += g;
        } else {
            errs += (double)ge * need / g;
            taken = k;
        }
        s = e;
    }
    return 100.0 * errs / k;
}

double eval_tenth_error(const float *act, const uint8_t *err, int n, int hardest) {
    if (n < 1) return NAN;
    Ranked *r = malloc((size_t)n * sizeof *r);
    if (!r) return NAN;
    double x = tenth_error(act, err, n, hardest, r);
    free(r);
    return x;
}

/* ------------------------------------------------------------------- eval */

void eval_free(EvalReport *r) {
    free(r->act);
    free(r->active);
    free(r->pred);
    free(r->loss0);
    memset(r, 0, sizeof *r);
}

static int argmax(const float *p, int C) {
    int best = 0;
    for (int c = 1; c < C; c++)
        if (p[c] > p[best]) best = c;
    return best;
}

int eval_model(const Model *m, const DataSplit *s, float tau, float floor, int limit, EvalReport *r,
               RtErr *e) {
    memset(r, 0, sizeof *r);
    const ModelConfig *c = &m->cfg;
    const int C = c->C, D = c->D, is_rt = c->arch == ARCH_RT;
    if (s->d != D) return rt_err(e, "data has %d inputs per sample, the model %d", s->d, D);
    int n = limit > 0 ? RT_MIN(limit, s->n) : s->n;
    if (n < 1) return rt_err(e, "nothing to evaluate (0 samples)");
    for (int i = 0; i < n; i++)
        if (s->y[i] >= C)
            return rt_err(e, "sample %d has label %d, the model %d classes", i, s->y[i], C);
    int bs = RT_MIN(EVAL_BATCH, n);

    RtWork *rw = NULL;
    MlpWork *mw = NULL;
    float *X = rt_calloc((size_t)bs * D, sizeof(float), "eval inputs", e);
    float *P = X ? rt_calloc((size_t)bs * C, sizeof(float), "eval probabilities", e) : NULL;
    float *P0 = P ? rt_calloc((size_t)bs * C, sizeof(float), "eval probabilities", e) : NULL;
    float *mass = P0 ? rt_calloc((size_t)bs, sizeof(float), "eval mass", e) : NULL;
    float *th0 = mass ? rt_calloc((size_t)bs, sizeof(float), "eval thetas", e) : NULL;
    RtSweepOut *so = th0 ? rt_calloc((size_t)bs, sizeof *so, "eval sweep", e) : NULL;
    uint8_t *err = so ? rt_calloc((size_t)n, 1, "eval errors", e) : NULL;
    Ranked *rk = err ? rt_calloc((size_t)n, sizeof *rk, "eval ranking", e) : NULL;
    int ok = rk != NULL;
    ok = ok && (r->act = rt_calloc((size_t)n, sizeof(float), "eval activation", e));
    ok = ok && (r->active = rt_calloc((size_t)n, sizeof(int), "eval blocks", e));
    ok = ok && (r->pred = rt_calloc((size_t)n, sizeof(int), "eval predictions", e));
    ok = ok && (r->loss0 = rt_calloc((size_t)n, sizeof(float), "eval losses", e));
    if (ok && is_rt) ok = (rw = rt_work_new(m, bs, e)) != NULL;
    if (ok && !is_rt) ok = (mw = mlp_work_new(m, bs, e)) != NULL;

    if (ok) {
        long correct = 0, correct0 = 0;
        double act = 0.0, blocks = 0.0, used = 0.0;
        for (int b0 = 0; b0 < n; b0 += bs) {
            int k = RT_MIN(bs, n - b0);
            /* rows b0..b0+k-1 */
            int idx[EVAL_BATCH];
            for (int j = 0; j < k; j++)
                idx[j] = b0 + j;
            data_batch_float(s, idx, k, X);
            if (is_rt) {
                rt_sweep(m, rw, X, k, tau, floor, so, P);
                rt_forward(m, rw, X, k, th0, P0, mass);
            } else {
                mlp_forward(m, mw, X, k, P0);
            }
            for (int j = 0; j < k; j++) {
                int i = b0 + j, y = s->y[i];
                const float *p0 = P0 + (size_t)j * C;
                int pred0 = argmax(p0, C);
                int pred;
                if (is_rt) {
                    pred = so[j].reached ? so[j].pred : -1;
                    r->act[i] = so[j].act_pct;
                    r->active[i] = so[j].active;
                    used += (double)so[j].used;
                    if (!so[j].reached) r->unreached++;
                } else {
                    pred = pred0;
                    r->act[i] = 100.0f;
                    r->active[i] = 0;
                    used += (double)m->n;
                }
                r->pred[i] = pred;
                r->loss0[i] = -logf(p0[y] + RT_EPS);
                err[i] = pred != y;
                correct += pred == y;
                correct0 += pred0 == y;
                act += r->act[i];
                blocks += r->active[i];
            }
        }
        r->n = n;
        r->accuracy = 100.0 * correct / n;
        r->accuracy_theta0 = 100.0 * correct0 / n;
        r->activation_mean = act / n;
        r->blocks_mean = blocks / n;
        r->params_total = (long)m->n;
        r->params_used_mean = used / n;
        for (int i = 0; i < n; i++)
            rk[i] = (Ranked){r->act[i], i};
        qsort(rk, (size_t)n, sizeof *rk, cmp_ranked);
        r->activation_median =
            n % 2 ? rk[n / 2].v : 0.5 * ((double)rk[n / 2 - 1].v + (double)rk[n / 2].v);
        r->spearman_activation_loss = spearman(r->act, r->loss0, n);
        r->error_easiest_tenth = tenth_error(r->act, err, n, 0, rk);
        r->error_hardest_tenth = tenth_error(r->act, err, n, 1, rk);
    }
    rt_work_free(rw);
    mlp_work_free(mw);
    free(X);
    free(P);
    free(P0);
    free(mass);
    free(th0);
    free(so);
    free(err);
    free(rk);
    if (!ok) {
        eval_free(r);
        return -1;
    }
    return 0;
}
