/* trainer.c — the stepwise trainer (trainer.h): minibatches on demand, test
 * evaluation in slices, traces into the view-state. Never prints, never exits.
 *
 * Determinism: one Rng seeded from tc.seed draws the data order (a fresh
 * shuffle per epoch) and the θ of the `random` policy; nothing that depends
 * on wall time touches the weights, so the same seed, inputs and thread count
 * give the same weights bit for bit. */
#include "trainer.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "blas.h"
#include "eval.h"
#include "mlp.h"
#include "pool.h"
#include "range.h"
#include "rng.h"
#include "rtnet.h"

#define EMA_ALPHA    0.05f /* weight of the newest minibatch in the running stats */
#define HIST_TICK0   10    /* minibatches per loss-history point at the start */
#define RECENT_STEPS 16    /* window of the "recent" unreached count */
#define SPS_WINDOW   0.5   /* seconds of training per samples/s update */

struct Trainer {
    Model *m;          /* borrowed network */
    const Dataset *ds; /* borrowed data */
    TrainConfig tc;    /* live config (floor, lr updated by the setters) */
    Adam adam;         /* owned optimiser state */
    Rng rng;           /* data order and θ sampling */
    int is_rt;         /* m->cfg.arch == ARCH_RT */

    /* training batch */
    RtWork *rw;     /* RT workspace for tc.batch samples */
    MlpWork *mw;    /* MLP workspace for tc.batch samples */
    int *order;     /* train.n indices, the current epoch's shuffle */
    int pos;        /* next position in order */
    uint8_t *y;     /* (batch) labels */
    float *probs;   /* (batch, C) */
    float *mass;    /* (batch) output mass */
    float *theta;   /* (batch) per-sample training θ */
    float *weight;  /* (batch) loss weights */
    RtSweepOut *so; /* (batch) sweep results */
    AdamUndo bak;   /* the last weights and Adam state with a finite forward and backward */
    AdamUndo spare; /* filled by each Adam step: the state before it */
    int have_bak;   /* bak holds weights not yet restored */

    /* evaluation (eval.h: the one evaluator) */
    Evaluator *ev;         /* the test split in tc.test_slice slices */
    MlpWork *mwe;          /* MLP workspace for one traced image */
    float *pe;             /* (C) the traced image's probabilities (MLP) */
    int *sorted;           /* (test.n) scratch for the gallery */
    float xtr[VS_MAX_PIX]; /* one traced image as floats */

    /* stats */
    int nstats;                   /* steps counted in the EMAs (0 = uninitialised) */
    double sps_t;                 /* training seconds in the current samples/s window */
    long sps_n;                   /* samples in that window */
    int recent_unr[RECENT_STEPS]; /* unreached per recent step (ring) */
    int tick;                     /* minibatches per loss-history point */
    int tick_n;                   /* minibatches in the current point */
    double tick_sum;              /* their loss sum */

    ViewState vs; /* what the front ends read */
};

/* ---------------------------------------------------------------- helpers */

static int all_finite(const float *a, size_t n) {
    /* x - x is 0 for finite x and NaN for Inf/NaN; summing keeps a NaN. Eight
     * independent sums (vectorised by gcc -O2) instead of one serial chain:
     * the scan over every weight and gradient runs each step. */
    float acc[8] = {0};
    size_t i = 0;
    for (; i + 8 <= n; i += 8)
        for (int u = 0; u < 8; u++)
            acc[u] += a[i + u] - a[i + u];
    for (; i < n; i++)
        acc[0] += a[i] - a[i];
    float s = 0.0f;
    for (int u = 0; u < 8; u++)
        s += acc[u];
    return s == 0.0f;
}

/* Append v to a history of *n points (cap VS_HIST); when full, halve it by
 * averaging pairs. Returns 1 when it halved. */
static int hist_push(float *h, int *n, float v) {
    int halved = 0;
    if (*n == VS_HIST) {
        for (int i = 0; i < VS_HIST / 2; i++)
            h[i] = 0.5f * (h[2 * i] + h[2 * i + 1]);
        *n = VS_HIST / 2;
        halved = 1;
    }
    h[(*n)++] = v;
    return halved;
}

static void update_schedule(Trainer *t) {
    t->vs.floor = t->tc.floor;
    if (t->is_rt) {
        t->vs.nsched = rt_schedule(&t->m->cfg, t->tc.floor, t->vs.sched);
    } else {
        t->vs.nsched = 1;
        t->vs.sched[0] = 0.0f;
    }
}

static void set_message(Trainer *t, const char *msg) {
    snprintf(t->vs.message, sizeof t->vs.message, "%s", msg);
    t->vs.message_serial++;
}

/* ------------------------------------------------------------ create/free */

void trainer_free(Trainer *t) {
    if (!t) return;
    rt_work_free(t->rw);
    evaluator_free(t->ev);
    mlp_work_free(t->mw);
    mlp_work_free(t->mwe);
    adam_free(&t->adam);
    free(t->order);
    free(t->y);
    free(t->probs);
    free(t->mass);
    free(t->theta);
    free(t->weight);
    free(t->so);
    adam_undo_free(&t->bak);
    adam_undo_free(&t->spare);
    free(t->pe);
    free(t->sorted);
    free(t);
}

static void fill_static_view(Trainer *t) {
    const Model *m = t->m;
    const ModelConfig *c = &m->cfg;
    ViewState *v = &t->vs;
    v->arch = c->arch;
    if (t->is_rt) {
        v->L = c->L;
        v->B = c->B;
    } else {
        /* the MLP is shown as one always-active "block" per hidden layer */
        v->L = RT_MIN(RT_MAX(c->nhidden, 1), RT_MAX_L);
        v->B = 1;
    }
    v->H = t->is_rt ? c->H : 0;
    memset(v->mlp_width, 0, sizeof v->mlp_width);
    if (!t->is_rt)
        for (int l = 0; l < c->nhidden && l < RT_MAX_L; l++)
            v->mlp_width[l] = c->hidden[l];
    v->C = c->C;
    v->D = c->D;
    v->ch = c->ch;
    v->h = c->h;
    v->w = c->w;
    v->params_total = (long)m->n;
    snprintf(v->dataset, sizeof v->dataset, "%s", t->ds->name);
    for (int k = 0; k < c->C && k < RT_MAX_C; k++) {
        const char *nm = k < DS_MAX_CLASSES ? t->ds->class_names[k] : NULL;
        if (nm)
            snprintf(v->class_names[k], sizeof v->class_names[k], "%s", nm);
        else
            snprintf(v->class_names[k], sizeof v->class_names[k], "%d", k);
    }
    v->tau = c->tau;
    v->lr = t->tc.lr;
    v->test_acc = -1.0f;
    evaluator_progress(t->ev, &v->eval_total);
    v->trace_index = -1;
    v->trace_label = -1;
    update_schedule(t);
}

Trainer *trainer_new(Model *m, const Dataset *ds, const TrainConfig *tc, const Adam *adam_in,
                     RtErr *e) {
    const ModelConfig *c = &m->cfg;
    if (tc->batch < 1) {
        rt_err(e, "batch size %d must be at least 1", tc->batch);
        return NULL;
    }
    if (!(tc->lr > 0.0f) || !isfinite(tc->lr)) {
        rt_err(e, "learning rate %g must be positive", tc->lr);
        return NULL;
    }
    if (!range_has(&RANGE_SCHED, tc->floor)) {
        char r[32];
        rt_err(e, "θ floor %g out of range %s", tc->floor, range_str(&RANGE_SCHED, r, sizeof r));
        return NULL;
    }
    if (ds->train.n < 1 || ds->test.n < 1) {
        rt_err(e, "dataset %s: empty train or test split", ds->name);
        return NULL;
    }
    if (ds->train.d != c->D || ds->test.d != c->D || ds->classes != c->C) {
        rt_err(
            e,
            "dataset %s (%d inputs, %d classes) does not match the model (%d inputs, %d classes)",
            ds->name, ds->train.d, ds->classes, c->D, c->C);
        return NULL;
    }
    if (c->D > VS_MAX_PIX) {
        rt_err(e, "dataset %s: %d inputs per image, the view holds at most %d", ds->name, c->D,
               VS_MAX_PIX);
        return NULL;
    }
    if (adam_in && adam_in->m && adam_in->n != m->n) {
        rt_err(e, "optimiser state holds %zu parameters, the model %zu", adam_in->n, m->n);
        return NULL;
    }
    if (pool_init(tc->threads) != 0) {
        rt_err(e, "cannot start %d worker threads", tc->threads);
        return NULL;
    }
    blas_init();

    Trainer *t = rt_calloc(1, sizeof *t, "trainer", e);
    if (!t) return NULL;
    t->m = m;
    t->ds = ds;
    t->tc = *tc;
    if (t->tc.test_slice < 1) t->tc.test_slice = 500;
    t->is_rt = c->arch == ARCH_RT;
    rng_seed(&t->rng, tc->seed);
    t->tick = HIST_TICK0;

    const int N = tc->batch, S = t->tc.test_slice, C = c->C;
    const int ntr = ds->train.n, nte = ds->test.n;
    int ok = 1;
    ok = ok && (t->order = rt_calloc((size_t)ntr, sizeof(int), "data order", e));
    ok = ok && (t->y = rt_calloc((size_t)N, 1, "batch labels", e));
    ok = ok && (t->probs = rt_calloc((size_t)N * C, sizeof(float), "batch probabilities", e));
    ok = ok && (t->mass = rt_calloc((size_t)N, sizeof(float), "batch mass", e));
    ok = ok && (t->theta = rt_calloc((size_t)N, sizeof(float), "batch thetas", e));
    ok = ok && (t->weight = rt_calloc((size_t)N, sizeof(float), "batch weights", e));
    ok = ok && (t->so = rt_calloc((size_t)N, sizeof(RtSweepOut), "batch sweep", e));
    ok = ok && adam_undo_init(&t->bak, m->n, e) == 0;
    ok = ok && adam_undo_init(&t->spare, m->n, e) == 0;
    ok = ok && (t->pe = rt_calloc((size_t)C, sizeof(float), "trace probabilities", e));
    ok = ok && (t->sorted = rt_calloc((size_t)nte, sizeof(int), "test ranking", e));
    if (ok && t->is_rt) {
        ok = ok && (t->rw = rt_work_new(m, N, e));
    } else if (ok) {
        ok = ok && (t->mw = mlp_work_new(m, N, e));
        ok = ok && (t->mwe = mlp_work_new(m, 1, e));
    }
    ok = ok && (t->ev = evaluator_new(m, &ds->test, S, 0, 0, e));
    ok = ok && adam_init(&t->adam, m->n, tc->lr, e) == 0;
    if (!ok) {
        trainer_free(t);
        return NULL;
    }
    if (adam_in && adam_in->m && adam_in->v) {
        memcpy(t->adam.m, adam_in->m, m->n * sizeof(float));
        memcpy(t->adam.v, adam_in->v, m->n * sizeof(float));
        t->adam.t = adam_in->t;
        if (adam_in->beta1 > 0.0f) {
            t->adam.beta1 = adam_in->beta1;
            t->adam.beta2 = adam_in->beta2;
            t->adam.eps = adam_in->eps;
        }
    }
    for (int i = 0; i < ntr; i++)
        t->order[i] = i;
    rng_shuffle(&t->rng, t->order, ntr);
    fill_static_view(t);
    return t;
}

/* ------------------------------------------------------------------- step */

/* Block activity of the whole batch at its training θ (each sample's stop θ
 * under `unfold`), read from the forward / sweep just run: vs.block_share
 * follows it by EMA. Returns the batch's mean activation %. */
static float update_block_share(Trainer *t, int N) {
    const Model *m = t->m;
    const ModelConfig *c = &m->cfg;
    int cnt[RT_MAX_L * RT_MAX_B];
    rt_block_counts(t->rw, cnt);
    if (N < 1) return 0.0f;
    double used = (double)m->router_n * N;
    float a = t->nstats ? EMA_ALPHA : 1.0f;
    for (int l = 0; l < c->L; l++)
        for (int i = 0; i < c->B; i++) {
            int k = l * c->B + i;
            used += (double)cnt[k] * (double)m->blk[k].n;
            t->vs.block_share[l][i] += a * ((float)cnt[k] / (float)N - t->vs.block_share[l][i]);
        }
    return (float)(100.0 * used / ((double)N * (double)rt_params_total(m)));
}

/* Advance the data order past a batch of N samples. */
static void consume(Trainer *t, int N) {
    const DataSplit *tr = &t->ds->train;
    t->pos += N;
    if (t->pos >= tr->n) {
        t->pos = 0;
        t->vs.epoch++;
        rng_shuffle(&t->rng, t->order, tr->n);
    }
    t->vs.epoch_frac = (double)t->pos / tr->n;
}

/* A NaN/Inf appeared. The backup holds the last weights (and Adam state)
 * whose forward and backward were finite: the weights before this step's
 * Adam update when that update overflowed, or before the previous step's
 * update when this step's forward already failed (the previous update made
 * the weights blow up; keeping them would fail again at any learning rate).
 * Restore them, halve the learning rate, skip the batch, say so. */
static int rollback(Trainer *t, VsNanWhat kind, int N, double t0, RtErr *e) {
    static const char *const WHY[] = {"the output", "the loss", "a gradient", "a weight"};
    const char *why = WHY[kind];
    Model *m = t->m;
    const char *what = "nothing to undo";
    if (t->have_bak) {
        adam_restore(&t->adam, m, &t->bak);
        t->have_bak = 0;
        what = "weights restored";
    }
    model_zero_grad(m);
    float old = t->adam.lr;
    trainer_set_lr(t, old * 0.5f);
    VsNanEvent *ev = &t->vs.nan;
    ev->step = t->vs.step + 1;
    ev->what = (int)kind;
    ev->restored = strcmp(what, "weights restored") == 0;
    ev->lr_before = old;
    ev->lr_after = t->adam.lr;
    ev->serial++;
    char msg[256];
    snprintf(msg, sizeof msg, "step %ld: %s became NaN/Inf; %s, learning rate halved %g -> %g",
             t->vs.step + 1, why, what, old, t->adam.lr);
    set_message(t, msg);
    rt_err(e, "%s", msg);
    consume(t, N);
    t->sps_t += rt_now() - t0;
    return 1;
}

/* One minibatch. Returns 0, or 1 after a NaN/Inf rollback (message in e). */
static int step_one(Trainer *t, RtErr *e) {
    Model *m = t->m;
    const ModelConfig *c = &m->cfg;
    const DataSplit *tr = &t->ds->train;
    const int C = c->C;
    const float floor = t->tc.floor, tau = c->tau;
    double t0 = rt_now();

    int N = RT_MIN(t->tc.batch, tr->n - t->pos);
    const int *idx = t->order + t->pos;
    for (int n = 0; n < N; n++)
        t->y[n] = tr->y[idx[n]];

    /* forward: every sample's θ, probabilities and mass */
    double act_sum = 0.0;
    if (t->is_rt) {
        if (t->tc.policy == POL_UNFOLD) {
            rt_sweep_samples(m, t->rw, tr, idx, N, tau, floor, t->so, t->probs);
            for (int n = 0; n < N; n++) {
                t->theta[n] = t->so[n].theta;
                t->mass[n] =
                    t->so[n].reached ? t->so[n].mass : (isfinite(t->so[n].mass) ? 0.0f : NAN);
                act_sum += t->so[n].act_pct;
            }
        } else {
            float sched[SCHED_MAX];
            int ns = rt_schedule(c, floor, sched);
            for (int n = 0; n < N; n++) {
                float th = 0.0f;
                if (t->tc.policy == POL_FIXED)
                    th = t->tc.fixed_theta;
                else if (t->tc.policy == POL_RANDOM)
                    th = sched[rng_below(&t->rng, (uint32_t)ns)];
                t->theta[n] = RT_MAX(th, floor);
            }
            rt_forward_samples(m, t->rw, tr, idx, N, t->theta, t->probs, t->mass);
        }
    } else {
        mlp_forward_samples(m, t->mw, tr, idx, N, t->probs);
        for (int n = 0; n < N; n++)
            t->mass[n] = 1.0f;
        act_sum = 100.0 * N;
    }

    /* A NaN/Inf output must not pass for an unreached sample. M = 0 at θ = 0
     * cannot happen in exact arithmetic (softmax gates are positive); the
     * forward turns a NaN rate into a dark block, so it is the sign of one. */
    int bad_out = !all_finite(t->mass, (size_t)N) || !all_finite(t->probs, (size_t)N * C);
    for (int n = 0; n < N && !bad_out && t->is_rt; n++)
        bad_out = t->theta[n] == 0.0f && !(t->mass[n] > 0.0f);
    if (bad_out) return rollback(t, VS_NAN_OUTPUT, N, t0, e);

    int reached = 0, correct = 0;
    for (int n = 0; n < N; n++) {
        if (t->mass[n] > 0.0f) {
            reached++;
            if (rt_argmax(t->probs + (size_t)n * C, C) == t->y[n]) correct++;
        }
    }
    int unreached = N - reached;
    for (int n = 0; n < N; n++)
        t->weight[n] = t->mass[n] > 0.0f ? 1.0f / (float)reached : 0.0f;

    /* backward and the guarded Adam step */
    double loss = 0.0;
    int why = -1; /* VsNanWhat */
    if (reached > 0) {
        /* neither backward needs m->g zeroed: with an AdamStep both write it */
        if (t->is_rt)
            loss = rt_backward_loss(m, t->rw, t->y, t->weight);
        else
            loss = mlp_backward_loss(m, t->mw, t->y, t->weight);
        if (!isfinite(loss)) {
            why = VS_NAN_LOSS;
        } else {
            /* One pass: the Adam update, the state before it kept in spare,
             * the gradient and the new weights checked. Both backwards step
             * each part of the buffer as soon as its gradient is final
             * (rtnet.h, mlp.h). */
            AdamStep s;
            adam_begin(&t->adam, m, &t->spare, &s);
            if (t->is_rt)
                rt_backward_params(m, t->rw, &s);
            else
                mlp_backward_params(m, t->mw, &s);
            int bad = adam_end(&t->adam, &t->spare, &s);
            if (bad & ADAM_BAD_GRAD) {
                /* as if the step had not been taken; the rollback goes on
                 * to the backup */
                adam_restore(&t->adam, m, &t->spare);
                why = VS_NAN_GRADIENT;
            } else {
                /* the weights before the step just gave a finite forward and
                 * backward: they are the ones to come back to if a later step
                 * (or this one) blows up */
                AdamUndo u = t->bak;
                t->bak = t->spare;
                t->spare = u;
                t->have_bak = 1;
                if (bad & ADAM_BAD_WEIGHT) why = VS_NAN_WEIGHT;
            }
        }
    }
    if (why >= 0) return rollback(t, (VsNanWhat)why, N, t0, e);

    /* the batch is done: advance the data order */
    consume(t, N);
    ViewState *v = &t->vs;
    v->step++;

    /* stats (never feed back into the weights) */
    float act = (float)(act_sum / N);
    if (t->is_rt) {
        float a2 = update_block_share(t, N);
        if (t->tc.policy != POL_UNFOLD) act = a2;
    } else if (!t->is_rt) {
        for (int l = 0; l < v->L; l++)
            v->block_share[l][0] = 1.0f;
    }
    float bl = reached > 0 ? (float)loss : v->loss;
    float acc = reached > 0 ? 100.0f * correct / reached : v->train_acc;
    if (t->nstats == 0) {
        v->loss = bl;
        v->train_acc = acc;
        v->act_mean = act;
    } else {
        v->loss += EMA_ALPHA * (bl - v->loss);
        v->train_acc += EMA_ALPHA * (acc - v->train_acc);
        v->act_mean += EMA_ALPHA * (act - v->act_mean);
    }
    t->nstats++;
    t->recent_unr[v->step % RECENT_STEPS] = unreached;
    long ru = 0;
    for (int i = 0; i < RECENT_STEPS; i++)
        ru += t->recent_unr[i];
    v->unreached = ru;
    v->unreached_total += unreached;
    if (reached > 0) {
        t->tick_sum += loss;
        t->tick_n++;
    }
    if (t->tick_n >= t->tick) {
        if (hist_push(v->loss_hist, &v->nloss, (float)(t->tick_sum / t->tick_n))) t->tick *= 2;
        t->tick_sum = 0.0;
        t->tick_n = 0;
    }
    t->sps_t += rt_now() - t0;
    t->sps_n += N;
    if (t->sps_t >= SPS_WINDOW || v->samples_per_s == 0.0f) {
        if (t->sps_t > 0.0) v->samples_per_s = (float)(t->sps_n / t->sps_t);
        if (t->sps_t >= SPS_WINDOW) {
            t->sps_t = 0.0;
            t->sps_n = 0;
        }
    }
    return 0;
}

int trainer_step(Trainer *t, int n, RtErr *e) {
    for (int i = 0; i < n; i++) {
        int r = step_one(t, e);
        if (r) return r;
    }
    return 0;
}

/* ------------------------------------------------------------------- eval */

static void gallery_item(Trainer *t, const EvalPass *p, int i, VsGalleryItem *g) {
    const DataSplit *s = &t->ds->test;
    g->index = i;
    g->act_pct = p->act[i];
    g->active = p->active[i];
    g->pred = p->pred[i];
    g->label = s->y[i];
    memset(g->pix, 0, sizeof g->pix);
    memcpy(g->pix, s->x + (size_t)i * s->d, (size_t)RT_MIN(s->d, VS_MAX_PIX));
}

/* A pass completed: test accuracy, confusion matrix, per-class activation
 * and the gallery from the evaluator's results. */
static void finish_pass(Trainer *t) {
    ViewState *v = &t->vs;
    EvalPass p;
    evaluator_pass(t->ev, &p);
    double acc, act;
    eval_confusion(&p, t->m->cfg.C, v->confusion, v->class_act, &acc, &act);
    v->test_acc = (float)acc;
    hist_push(v->acc_hist, &v->nacc, v->test_acc);
    v->test_act_mean = (float)act;
    v->test_n = p.n;
    int easy[VS_GALLERY], hard[VS_GALLERY];
    int g = eval_rank(&p, VS_GALLERY, easy, hard, t->sorted);
    memset(v->easy, 0, sizeof v->easy);
    memset(v->hard, 0, sizeof v->hard);
    for (int k = 0; k < g; k++) {
        gallery_item(t, &p, easy[k], &v->easy[k]);
        gallery_item(t, &p, hard[k], &v->hard[k]);
    }
    v->gallery_valid = 1;
    v->eval_passes++;
    v->eval_serial++;
}

int trainer_eval_slice(Trainer *t) {
    const Model *m = t->m;
    int done = evaluator_slice(t->ev, m->cfg.tau, t->tc.floor);
    if (done) finish_pass(t);
    t->vs.eval_done = evaluator_progress(t->ev, &t->vs.eval_total);
    return done;
}

/* ---------------------------------------------------------------- setters */

void trainer_set_floor(Trainer *t, float floor) {
    if (!(floor >= 0.0f)) floor = 0.0f;
    if (!range_has(&RANGE_SCHED, floor)) floor = 0.99f; /* the engine's θ domain, [0, 1) */
    t->tc.floor = floor;
    update_schedule(t);
}

void trainer_set_tau(Trainer *t, float tau) {
    if (!(tau > 0.0f)) tau = 0.01f;
    if (tau > 1.0f) tau = 1.0f;
    t->m->cfg.tau = tau;
    t->vs.tau = tau;
}

void trainer_set_lr(Trainer *t, float lr) {
    if (!(lr > 0.0f) || !isfinite(lr)) return;
    t->tc.lr = lr;
    t->adam.lr = lr;
    t->vs.lr = lr;
}

/* ------------------------------------------------------------------ trace */

static void trace_x(Trainer *t, const float *x) {
    const Model *m = t->m;
    RtTrace *tr = &t->vs.trace;
    if (t->is_rt) {
        rt_trace(m, x, m->cfg.tau, t->tc.floor, tr, NULL);
    } else {
        const int C = m->cfg.C;
        memset(tr, 0, sizeof *tr);
        mlp_forward(m, t->mwe, x, 1, t->pe);
        tr->L = t->vs.L;
        tr->B = 1;
        tr->C = C;
        tr->nsteps = 1;
        tr->stop = 0;
        tr->theta[0] = 0.0f;
        tr->router[0][0] = 1.0f;
        for (int l = 0; l < tr->L; l++) {
            tr->rate[0][l][0] = 1.0f;
            tr->active[0][l][0] = 1;
            if (l + 1 < tr->L) tr->gate[0][l][0][0] = 1.0f;
        }
        for (int c = 0; c < C; c++) {
            tr->flow[0][c] = t->pe[c];
            tr->prob[0][c] = t->pe[c];
            if (tr->L > 0) tr->gate[0][tr->L - 1][0][c] = t->pe[c];
        }
        tr->mass[0] = 1.0f;
        tr->nactive[0] = tr->L;
        tr->used[0] = (long)m->n;
        tr->act_pct[0] = 100.0f;
    }
    t->vs.trace_serial++;
}

void trainer_trace_test(Trainer *t, int index) {
    const DataSplit *s = &t->ds->test;
    if (index < 0 || index >= s->n) return;
    data_batch_float(s, &index, 1, t->xtr);
    t->vs.trace_index = index;
    t->vs.trace_label = s->y[index];
    memset(t->vs.trace_pix, 0, sizeof t->vs.trace_pix);
    memcpy(t->vs.trace_pix, s->x + (size_t)index * s->d, (size_t)RT_MIN(s->d, VS_MAX_PIX));
    trace_x(t, t->xtr);
}

void trainer_trace_image(Trainer *t, const uint8_t *img, int label) {
    const int D = t->m->cfg.D;
    for (int i = 0; i < D; i++)
        t->xtr[i] = img[i] / 255.0f;
    t->vs.trace_index = -1;
    t->vs.trace_label = label >= 0 && label < t->m->cfg.C ? label : -1;
    memset(t->vs.trace_pix, 0, sizeof t->vs.trace_pix);
    memcpy(t->vs.trace_pix, img, (size_t)RT_MIN(D, VS_MAX_PIX));
    trace_x(t, t->xtr);
}

/* --------------------------------------------------------------- accessors */

const ViewState *trainer_view(Trainer *t) { return &t->vs; }
Model *trainer_model(Trainer *t) { return t->m; }
const Adam *trainer_adam(const Trainer *t) { return &t->adam; }
