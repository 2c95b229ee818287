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

/* -------------------------------------------------------------- evaluator */

struct Evaluator {
    const Model *m;     /* borrowed */
    const DataSplit *s; /* borrowed */
    int n;              /* samples in a pass */
    int slice;          /* samples per slice */
    unsigned flags;     /* EV_* */
    int is_rt;          /* m->cfg.arch == ARCH_RT */
    int pos;            /* next sample of the running pass */
    int passes;         /* completed passes */
    RtWork *rw;         /* RT workspace for slice samples */
    MlpWork *mw;        /* MLP workspace */
    float *X;           /* (slice, D) inputs */
    float *P;           /* (slice, C) probabilities at the stop */
    float *P0;          /* (slice, C) probabilities at θ = 0 (EV_THETA0, and the MLP) */
    float *mass;        /* (slice) */
    float *th0;         /* (slice) zeros */
    RtSweepOut *so;     /* (slice) */
    int *idx;           /* (slice) sample indices */
    float *act;         /* (n) activation % */
    int *active;        /* (n) active blocks */
    int *pred;          /* (n) prediction at the stop, -1 unreached */
    int *pred0;         /* (n) EV_THETA0 */
    float *loss0;       /* (n) EV_THETA0 */
    double *used;       /* (n) parameters used */
    int *stop;          /* (n) the step of the effective schedule the sweep stopped at */
    float *conf;        /* (n) max p at the stop (0 unreached) */
};

void evaluator_free(Evaluator *ev) {
    if (!ev) return;
    rt_work_free(ev->rw);
    mlp_work_free(ev->mw);
    free(ev->X);
    free(ev->P);
    free(ev->P0);
    free(ev->mass);
    free(ev->th0);
    free(ev->so);
    free(ev->idx);
    free(ev->act);
    free(ev->active);
    free(ev->pred);
    free(ev->pred0);
    free(ev->loss0);
    free(ev->used);
    free(ev->stop);
    free(ev->conf);
    free(ev);
}

Evaluator *evaluator_new(const Model *m, const DataSplit *s, int slice, int limit, unsigned flags,
                         RtErr *e) {
    const ModelConfig *c = &m->cfg;
    const int C = c->C, D = c->D;
    if (s->d != D) {
        rt_err(e, "data has %d inputs per sample, the model %d", s->d, D);
        return NULL;
    }
    int n = limit > 0 ? RT_MIN(limit, s->n) : s->n;
    if (n < 1) {
        rt_err(e, "nothing to evaluate (0 samples)");
        return NULL;
    }
    for (int i = 0; i < n; i++)
        if (s->y[i] >= C) {
            rt_err(e, "sample %d has label %d, the model %d classes", i, s->y[i], C);
            return NULL;
        }
    Evaluator *ev = rt_calloc(1, sizeof *ev, "evaluator", e);
    if (!ev) return NULL;
    ev->m = m;
    ev->s = s;
    ev->n = n;
    ev->slice = RT_MIN(slice > 0 ? slice : 256, n);
    ev->flags = flags;
    ev->is_rt = c->arch == ARCH_RT;
    const int S = ev->slice;
    int ok = 1;
    ok = ok && (ev->X = rt_calloc((size_t)S * D, sizeof(float), "eval inputs", e));
    ok = ok && (ev->P = rt_calloc((size_t)S * C, sizeof(float), "eval probabilities", e));
    ok = ok && (ev->P0 = rt_calloc((size_t)S * C, sizeof(float), "eval probabilities", e));
    ok = ok && (ev->mass = rt_calloc((size_t)S, sizeof(float), "eval mass", e));
    ok = ok && (ev->th0 = rt_calloc((size_t)S, sizeof(float), "eval thetas", e));
    ok = ok && (ev->so = rt_calloc((size_t)S, sizeof(RtSweepOut), "eval sweep", e));
    ok = ok && (ev->idx = rt_calloc((size_t)S, sizeof(int), "eval indices", e));
    ok = ok && (ev->act = rt_calloc((size_t)n, sizeof(float), "eval activation", e));
    ok = ok && (ev->active = rt_calloc((size_t)n, sizeof(int), "eval blocks", e));
    ok = ok && (ev->pred = rt_calloc((size_t)n, sizeof(int), "eval predictions", e));
    ok = ok && (ev->used = rt_calloc((size_t)n, sizeof(double), "eval parameters", e));
    ok = ok && (ev->stop = rt_calloc((size_t)n, sizeof(int), "eval stop steps", e));
    ok = ok && (ev->conf = rt_calloc((size_t)n, sizeof(float), "eval confidences", e));
    if (flags & EV_THETA0) {
        ok = ok && (ev->pred0 = rt_calloc((size_t)n, sizeof(int), "eval predictions", e));
        ok = ok && (ev->loss0 = rt_calloc((size_t)n, sizeof(float), "eval losses", e));
    }
    if (ok && ev->is_rt) ok = (ev->rw = rt_work_new(m, S, e)) != NULL;
    if (ok && !ev->is_rt) ok = (ev->mw = mlp_work_new(m, S, e)) != NULL;
    if (!ok) {
        evaluator_free(ev);
        return NULL;
    }
    return ev;
}

int evaluator_slice(Evaluator *ev, float tau, float floor) {
    const Model *m = ev->m;
    const DataSplit *s = ev->s;
    const int C = m->cfg.C;
    const int b0 = ev->pos, k = RT_MIN(ev->slice, ev->n - b0);
    for (int j = 0; j < k; j++)
        ev->idx[j] = b0 + j;
    data_batch_float(s, ev->idx, k, ev->X);
    const int theta0 = (ev->flags & EV_THETA0) != 0;
    if (ev->is_rt) {
        rt_sweep(m, ev->rw, ev->X, k, tau, floor, ev->so, ev->P);
        if (theta0) rt_forward(m, ev->rw, ev->X, k, ev->th0, ev->P0, ev->mass);
    } else {
        mlp_forward(m, ev->mw, ev->X, k, ev->P0);
    }
    for (int j = 0; j < k; j++) {
        int i = b0 + j, y = s->y[i];
        const float *p0 = ev->P0 + (size_t)j * C;
        if (ev->is_rt) {
            ev->pred[i] = ev->so[j].reached ? ev->so[j].pred : -1;
            ev->act[i] = ev->so[j].act_pct;
            ev->active[i] = ev->so[j].active;
            ev->used[i] = (double)ev->so[j].used;
            ev->stop[i] = ev->so[j].stop;
            ev->conf[i] = ev->so[j].reached ? ev->so[j].conf : 0.0f;
        } else {
            ev->pred[i] = rt_argmax(p0, C);
            ev->act[i] = 100.0f;
            ev->active[i] = 0;
            ev->used[i] = (double)m->n;
            ev->stop[i] = 0;
            ev->conf[i] = p0[ev->pred[i]];
        }
        if (theta0) {
            ev->pred0[i] = rt_argmax(p0, C);
            ev->loss0[i] = -logf(p0[y] + RT_EPS);
        }
    }
    ev->pos += k;
    if (ev->pos < ev->n) return 0;
    ev->pos = 0;
    ev->passes++;
    return 1;
}

int evaluator_progress(const Evaluator *ev, int *total) {
    if (total) *total = ev->n;
    return ev->pos;
}

void evaluator_pass(const Evaluator *ev, EvalPass *p) {
    memset(p, 0, sizeof *p);
    p->n = ev->n;
    p->act = ev->act;
    p->active = ev->active;
    p->pred = ev->pred;
    p->pred0 = ev->pred0;
    p->loss0 = ev->loss0;
    p->y = ev->s->y;
    p->params_total = (long)ev->m->n;
    p->used = ev->used;
    p->stop = ev->stop;
    p->conf = ev->conf;
    double u = 0.0;
    for (int i = 0; i < ev->n; i++)
        u += ev->used[i];
    p->used_sum = u;
}

/* ------------------------------------------------------------- summaries */

void eval_free(EvalReport *r) {
    free(r->act);
    free(r->active);
    free(r->pred);
    free(r->loss0);
    memset(r, 0, sizeof *r);
}

int eval_summarize(const EvalPass *p, EvalReport *r, RtErr *e) {
    memset(r, 0, sizeof *r);
    const int n = p->n;
    if (n < 1) return rt_err(e, "nothing to evaluate (0 samples)");
    uint8_t *err = rt_calloc((size_t)n, 1, "eval errors", e);
    Ranked *rk = err ? rt_calloc((size_t)n, sizeof *rk, "eval ranking", e) : NULL;
    int ok = rk != NULL;
    ok = ok && (r->act = rt_calloc((size_t)n, sizeof(float), "eval activation", e));
    ok = ok && (r->active = rt_calloc((size_t)n, sizeof(int), "eval blocks", e));
    ok = ok && (r->pred = rt_calloc((size_t)n, sizeof(int), "eval predictions", e));
    ok = ok && (r->loss0 = rt_calloc((size_t)n, sizeof(float), "eval losses", e));
    if (ok) {
        long correct = 0, correct0 = 0;
        double act = 0.0, blocks = 0.0;
        for (int i = 0; i < n; i++) {
            int y = p->y[i], pred = p->pred[i];
            r->act[i] = p->act[i];
            r->active[i] = p->active[i];
            r->pred[i] = pred;
            r->loss0[i] = p->loss0 ? p->loss0[i] : NAN;
            if (pred < 0) r->unreached++;
            err[i] = pred != y;
            correct += pred == y;
            correct0 += p->pred0 ? p->pred0[i] == y : pred == y;
            act += r->act[i];
            blocks += r->active[i];
        }
        r->n = n;
        r->accuracy = 100.0 * correct / n;
        r->accuracy_theta0 = 100.0 * correct0 / n;
        r->activation_mean = act / n;
        r->blocks_mean = blocks / n;
        r->params_total = p->params_total;
        r->params_used_mean = p->used_sum / n;
        for (int i = 0; i < n; i++)
            rk[i] = (Ranked){r->act[i], i};
        qsort(rk, (size_t)n, sizeof *rk, cmp_ranked);
        r->activation_median =
            n % 2 ? rk[n / 2].v : 0.5 * ((double)rk[n / 2 - 1].v + (double)rk[n / 2].v);
        r->spearman_activation_loss = p->loss0 ? spearman(r->act, r->loss0, n) : NAN;
        r->error_easiest_tenth = tenth_error(r->act, err, n, 0, rk);
        r->error_hardest_tenth = tenth_error(r->act, err, n, 1, rk);
    }
    free(err);
    free(rk);
    if (!ok) {
        eval_free(r);
        return -1;
    }
    return 0;
}

void eval_confusion(const EvalPass *p, int C, int conf[RT_MAX_C][RT_MAX_C],
                    float class_act[RT_MAX_C], double *acc, double *act_mean) {
    long correct = 0;
    double act = 0.0, cact[RT_MAX_C] = {0};
    int ccount[RT_MAX_C] = {0};
    memset(conf, 0, sizeof(int) * RT_MAX_C * RT_MAX_C);
    for (int i = 0; i < p->n; i++) {
        int y = p->y[i], q = p->pred[i];
        if (q == y) correct++;
        if (q >= 0 && y < RT_MAX_C && q < RT_MAX_C) conf[y][q]++;
        act += p->act[i];
        if (y < RT_MAX_C) {
            cact[y] += p->act[i];
            ccount[y]++;
        }
    }
    for (int k = 0; k < RT_MAX_C; k++)
        class_act[k] = k < C && ccount[k] ? (float)(cact[k] / ccount[k]) : 0.0f;
    *acc = p->n ? 100.0 * correct / p->n : 0.0;
    *act_mean = p->n ? act / p->n : 0.0;
}

/* Gallery order. Hardest: the most parameters used, then the later stop
 * step, then the lower confidence at the stop, then the lower index; easiest
 * the reverse of the first three (fewest used, earliest stop, highest
 * confidence), then the lower index too. A missing key array counts as equal. */
static double used_of(const EvalPass *p, int i) {
    return p->used ? p->used[i] : p->act ? (double)p->act[i] : 0.0;
}

/* < 0 when sample i is harder than j (ranks before it in the hardest list). */
static int cmp_harder(const EvalPass *p, int i, int j) {
    double ui = used_of(p, i), uj = used_of(p, j);
    if (ui != uj) return ui > uj ? -1 : 1;
    if (p->stop && p->stop[i] != p->stop[j]) return p->stop[i] > p->stop[j] ? -1 : 1;
    if (p->conf && p->conf[i] != p->conf[j]) return p->conf[i] < p->conf[j] ? -1 : 1;
    return 0;
}

/* Insert i into best[0..*nb) (at most k, ordered best first) when it ranks
 * among the k best; sign = +1 hardest first, -1 easiest first. */
static void keep_best(const EvalPass *p, int *best, int *nb, int k, int i, int sign) {
    int at = *nb;
    while (at > 0) {
        int c = sign * cmp_harder(p, i, best[at - 1]);
        if (c == 0) c = i < best[at - 1] ? -1 : 1; /* the lower index first in both lists */
        if (c > 0) break;
        at--;
    }
    if (at >= k) return;
    int last = *nb < k ? *nb : k - 1;
    for (int q = last; q > at; q--)
        best[q] = best[q - 1];
    best[at] = i;
    if (*nb < k) (*nb)++;
}

int eval_rank(const EvalPass *p, int k, int *easy, int *hard, int *order) {
    (void)order;
    const int n = p->n;
    k = RT_MIN(k, n);
    if (k <= 0) return 0;
    int ne = 0, nh = 0;
    for (int i = 0; i < n; i++) {
        keep_best(p, hard, &nh, k, i, +1);
        keep_best(p, easy, &ne, k, i, -1);
    }
    return k;
}

/* ------------------------------------------------------------------- eval */

int eval_model(const Model *m, const DataSplit *s, float tau, float floor, int limit, EvalReport *r,
               RtErr *e) {
    memset(r, 0, sizeof *r);
    Evaluator *ev = evaluator_new(m, s, EVAL_BATCH, limit, EV_THETA0, e);
    if (!ev) return -1;
    while (evaluator_slice(ev, tau, floor) == 0) {
    }
    EvalPass p;
    evaluator_pass(ev, &p);
    int rc = eval_summarize(&p, r, e);
    evaluator_free(ev);
    return rc;
}
