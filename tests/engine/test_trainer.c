/* test_trainer.c — the stepwise trainer on the `sample` dataset: determinism,
 * learning, the θ floor and unreached samples, the NaN guard, evaluation
 * slices (gallery, confusion matrix), traces and the setters. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dataset.h"
#include "eval.h"
#include "model.h"
#include "rtnet.h"
#include "trainer.h"

static Dataset ds;
static Model m;

static void load_sample(void) {
    RtErr e = {{0}};
    memset(&ds, 0, sizeof ds);
    memset(&m, 0, sizeof m);
    if (dataset_load("sample", &ds, &e))
        cr_assert_fail("cannot load the sample dataset: %s", e.msg);
}

static void teardown(void) {
    model_free(&m);
    dataset_free(&ds);
}

/* A fresh network for ds, initialised from seed. */
static void new_model(Model *mm, int arch, uint64_t seed) {
    RtErr e = {{0}};
    ModelConfig c;
    model_config_default(&c, arch, ds.train.ch, ds.train.h, ds.train.w, ds.classes);
    if (arch == ARCH_MLP) {
        c.nhidden = 1;
        c.hidden[0] = 64;
    }
    cr_assert_eq(model_init(mm, &c, seed, &e), 0, "%s", e.msg);
}

static Trainer *new_trainer(Model *mm, int batch, float lr, uint64_t seed, int threads) {
    RtErr e = {{0}};
    TrainConfig tc;
    train_config_default(&tc);
    tc.batch = batch;
    tc.lr = lr;
    tc.seed = seed;
    tc.threads = threads;
    Trainer *t = trainer_new(mm, &ds, &tc, NULL, &e);
    cr_assert_not_null(t, "trainer_new: %s", e.msg);
    return t;
}

static int run_pass(Trainer *t) {
    int slices = 0;
    while (!trainer_eval_slice(t))
        cr_assert_lt(++slices, 10000, "eval pass never completes");
    return slices + 1;
}

static int weights_finite(const Model *mm) {
    for (size_t i = 0; i < mm->n; i++)
        if (!isfinite(mm->w[i])) return 0;
    return 1;
}

/* The timeout guards against a hang, not speed: 300 RT steps and an
 * evaluation take 40-50 s in the sanitizer build on a loaded 2-core machine. */
TestSuite(trainer, .init = load_sample, .fini = teardown, .timeout = 180);

Test(trainer, same_seed_same_bits) {
    Model a, b, c;
    new_model(&a, ARCH_RT, 7);
    new_model(&b, ARCH_RT, 7);
    new_model(&c, ARCH_RT, 7);
    RtErr e = {{0}};
    Trainer *ta = new_trainer(&a, 32, 1e-3f, 7, 2);
    cr_assert_eq(trainer_step(ta, 25, &e), 0, "%s", e.msg);
    trainer_free(ta);
    Trainer *tb = new_trainer(&b, 32, 1e-3f, 7, 2);
    cr_assert_eq(trainer_step(tb, 25, &e), 0, "%s", e.msg);
    trainer_free(tb);
    cr_assert_eq(memcmp(a.w, b.w, a.n * sizeof(float)), 0, "same seed gave different weights");
    /* another data seed (same initial weights) must train differently */
    Trainer *tc = new_trainer(&c, 32, 1e-3f, 8, 2);
    cr_assert_eq(trainer_step(tc, 25, &e), 0, "%s", e.msg);
    trainer_free(tc);
    cr_assert_neq(memcmp(a.w, c.w, a.n * sizeof(float)), 0, "another seed gave the same weights");
    model_free(&a);
    model_free(&b);
    model_free(&c);
}

Test(trainer, learns_sample_and_fills_gallery) {
    new_model(&m, ARCH_RT, 1);
    RtErr e = {{0}};
    Trainer *t = new_trainer(&m, 64, 2e-3f, 1, 0);
    const ViewState *v = trainer_view(t);
    cr_assert_eq(v->test_acc, -1.0f);
    cr_assert_eq(v->gallery_valid, 0);
    cr_assert_eq(trainer_step(t, 1, &e), 0, "%s", e.msg);
    float first = v->loss;
    cr_assert(isfinite(first) && first > 1.5f, "initial loss %g", first);
    cr_assert_eq(trainer_step(t, 299, &e), 0, "%s", e.msg);
    cr_assert_eq(v->step, 300);
    cr_assert_eq(v->epoch, 300 * 64 / ds.train.n);
    cr_assert_lt(v->loss, 0.6f * first, "loss %g -> %g", first, v->loss);
    cr_assert_eq(v->nloss, 30, "one loss point per 10 steps, got %d", v->nloss);
    cr_assert_lt(v->loss_hist[29], v->loss_hist[0]);
    cr_assert(v->samples_per_s > 0.0f);
    cr_assert(v->act_mean > 0.0f && v->act_mean <= 100.0f);
    float share = 0.0f;
    for (int l = 0; l < v->L; l++)
        for (int i = 0; i < v->B; i++) {
            cr_assert(v->block_share[l][i] >= 0.0f && v->block_share[l][i] <= 1.0f);
            share += v->block_share[l][i];
        }
    cr_assert_gt(share, 0.0f);

    run_pass(t);
    cr_assert_gt(v->test_acc, 60.0f, "test accuracy %g%%", v->test_acc);
    cr_assert_eq(v->nacc, 1);
    cr_assert_eq(v->test_n, ds.test.n);
    cr_assert_eq(v->gallery_valid, 1);
    /* the slice evaluation agrees with eval_model */
    EvalReport r;
    cr_assert_eq(eval_model(&m, &ds.test, m.cfg.tau, 0.0f, 0, &r, &e), 0, "%s", e.msg);
    cr_assert_float_eq(v->test_acc, r.accuracy, 1e-3);
    cr_assert_float_eq(v->test_act_mean, r.activation_mean, 1e-2);
    /* gallery: 12 + 12, sorted, pixels copied */
    for (int k = 0; k < VS_GALLERY; k++) {
        const VsGalleryItem *g = &v->easy[k], *h = &v->hard[k];
        cr_assert_float_eq(g->act_pct, r.act[g->index], 1e-4);
        cr_assert_float_eq(h->act_pct, r.act[h->index], 1e-4);
        cr_assert_eq(g->label, ds.test.y[g->index]);
        cr_assert_eq(memcmp(g->pix, ds.test.x + (size_t)g->index * ds.test.d, (size_t)ds.test.d),
                     0);
        cr_assert_eq(memcmp(h->pix, ds.test.x + (size_t)h->index * ds.test.d, (size_t)ds.test.d),
                     0);
        if (k > 0) {
            const VsGalleryItem *gp = &v->easy[k - 1], *hp = &v->hard[k - 1];
            /* ties: the stop step, then the confidence (eval_rank, tests/engine/test_eval.c) */
            cr_assert_leq(gp->act_pct, g->act_pct);
            cr_assert_geq(hp->act_pct, h->act_pct);
        }
    }
    /* nothing is less active than easy[0] nor more than hard[0] */
    for (int i = 0; i < r.n; i++) {
        cr_assert_leq(r.act[i], v->hard[0].act_pct);
        cr_assert_geq(r.act[i], v->easy[0].act_pct);
    }
    long sum = 0, diag = 0;
    for (int a = 0; a < v->C; a++)
        for (int b = 0; b < v->C; b++) {
            sum += v->confusion[a][b];
            if (a == b) diag += v->confusion[a][b];
        }
    cr_assert_eq(sum, v->test_n - r.unreached);
    cr_assert_float_eq(100.0 * diag / v->test_n, v->test_acc, 1e-3);
    eval_free(&r);

    /* at a high floor some test images go unreached: the matrix leaves them out */
    float floors[] = {0.05f, 0.08f, 0.12f, 0.2f, 0.3f};
    int found = 0;
    for (int k = 0; k < 5 && !found; k++) {
        trainer_set_floor(t, floors[k]);
        cr_assert_eq(eval_model(&m, &ds.test, m.cfg.tau, floors[k], 0, &r, &e), 0, "%s", e.msg);
        if (r.unreached > 0) {
            found = 1;
            run_pass(t);
            sum = 0;
            for (int a = 0; a < v->C; a++)
                for (int b = 0; b < v->C; b++)
                    sum += v->confusion[a][b];
            cr_assert_eq(sum, v->test_n - r.unreached);
            cr_assert_eq(v->nacc, 2);
        }
        eval_free(&r);
    }
    cr_assert(found, "no floor up to 0.3 left a test image unreached");
    trainer_free(t);
}

Test(trainer, floor_unreached_get_no_gradient) {
    new_model(&m, ARCH_RT, 3);
    RtErr e = {{0}};
    Trainer *t = new_trainer(&m, 64, 2e-3f, 3, 0);
    const ViewState *v = trainer_view(t);
    cr_assert_eq(trainer_step(t, 60, &e), 0, "%s", e.msg);
    cr_assert_eq(v->unreached_total, 0, "no floor, yet %ld unreached", v->unreached_total);

    /* floor 0.6: the router sends at most 1 - 0.6 = 0.4 < θ to any block, so no
     * ray gets through: every sample is unreached and the weights stay put */
    trainer_set_floor(t, 0.6f);
    cr_assert_float_eq(v->floor, 0.6f, 1e-7);
    cr_assert_float_eq(v->sched[v->nsched - 1], 0.6f, 1e-7);
    float *w0 = malloc(m.n * sizeof(float));
    memcpy(w0, m.w, m.n * sizeof(float));
    long before = v->unreached_total;
    cr_assert_eq(trainer_step(t, 3, &e), 0, "%s", e.msg);
    cr_assert_eq(v->unreached_total - before, 3 * 64);
    cr_assert_eq(memcmp(w0, m.w, m.n * sizeof(float)), 0, "unreached samples changed the weights");

    /* a floor where only part of a batch is reached: the gradient is the mean
     * over the reached samples only. A batch of the whole (16-image) training
     * split makes the batch known whatever the shuffle. */
    Dataset small = ds;
    small.train.n = 16;
    float fl = -1.0f;
    float *X = malloc((size_t)16 * m.cfg.D * sizeof(float));
    RtSweepOut so[16];
    RtWork *w = rt_work_new(&m, 16, &e);
    cr_assert_not_null(w);
    data_batch_float(&small.train, NULL, 16, X);
    for (float f = 0.02f; f < 0.5f && fl < 0; f += 0.02f) {
        rt_sweep(&m, w, X, 16, m.cfg.tau, f, so, NULL);
        int r = 0;
        for (int n = 0; n < 16; n++)
            r += so[n].reached;
        if (r > 0 && r < 16) fl = f;
    }
    cr_assert_geq(fl, 0.0f, "no floor gives a partly reached batch");
    /* reference gradient: reached samples weighted 1/n_reached */
    rt_sweep(&m, w, X, 16, m.cfg.tau, fl, so, NULL);
    float wt[16];
    int nr = 0;
    for (int n = 0; n < 16; n++)
        nr += so[n].reached;
    for (int n = 0; n < 16; n++)
        wt[n] = so[n].reached ? 1.0f / nr : 0.0f;
    model_zero_grad(&m);
    rt_backward(&m, w, small.train.y, wt);
    float *gref = malloc(m.n * sizeof(float));
    memcpy(gref, m.g, m.n * sizeof(float));

    TrainConfig tc;
    train_config_default(&tc);
    tc.batch = 16;
    tc.floor = fl;
    Trainer *t2 = trainer_new(&m, &small, &tc, NULL, &e);
    cr_assert_not_null(t2, "%s", e.msg);
    cr_assert_eq(trainer_step(t2, 1, &e), 0, "%s", e.msg);
    cr_assert_eq(trainer_view(t2)->unreached_total, 16 - nr);
    double num = 0.0, den = 0.0;
    for (size_t i = 0; i < m.n; i++) {
        num += (m.g[i] - gref[i]) * (double)(m.g[i] - gref[i]);
        den += gref[i] * (double)gref[i];
    }
    cr_assert_gt(den, 0.0);
    cr_assert_lt(sqrt(num / den), 1e-4, "gradient differs from the reached-only mean (%g)",
                 sqrt(num / den));
    trainer_free(t2);
    rt_work_free(w);
    free(gref);
    free(X);
    free(w0);
    trainer_free(t);
}

/* lr 1e30 blows the weights up within a few steps; the guard must restore
 * the last finite ones and halve lr (the MLP steps Adam inside its backward). */
static void nan_guard(int arch) {
    new_model(&m, arch, 5);
    RtErr e = {{0}};
    /* Adam moves every weight by about lr on its first step: 1e30 makes the next
     * forward overflow (logits ~ 1e30 * 32 * 1e33) */
    Trainer *t = new_trainer(&m, 32, 1e30f, 5, 0);
    const ViewState *v = trainer_view(t);
    float *prev = malloc(m.n * sizeof(float)), *cur = malloc(m.n * sizeof(float));
    memcpy(prev, m.w, m.n * sizeof(float));
    memcpy(cur, m.w, m.n * sizeof(float));
    int hit = 0;
    for (int k = 0; k < 10 && !hit; k++) {
        float lr = v->lr;
        uint64_t serial = v->message_serial;
        long step = v->step;
        memcpy(prev, cur, m.n * sizeof(float));
        memcpy(cur, m.w, m.n * sizeof(float));
        int r = trainer_step(t, 1, &e);
        cr_assert_geq(r, 0);
        if (r == 1) {
            hit = 1;
            /* back to the last weights whose forward was finite: those before the
             * update that blew up (the previous call's, or this one's) */
            cr_assert(!memcmp(m.w, prev, m.n * sizeof(float)) ||
                          !memcmp(m.w, cur, m.n * sizeof(float)),
                      "weights were not restored");
            cr_assert(weights_finite(&m));
            cr_assert_float_eq(v->lr, lr * 0.5f, lr * 1e-6f);
            cr_assert_eq(trainer_adam(t)->lr, v->lr);
            cr_assert_eq(v->message_serial, serial + 1);
            cr_assert_str_eq(v->message, e.msg);
            cr_assert_not_null(strstr(e.msg, "NaN"), "message: %s", e.msg);
            cr_assert_eq(v->step, step, "a rolled-back step counts as trained");
        }
    }
    cr_assert(hit, "lr 1e30 never triggered the NaN guard");
    /* training goes on afterwards with finite weights */
    trainer_set_lr(t, 1e-3f);
    cr_assert_eq(trainer_step(t, 3, &e), 0, "%s", e.msg);
    cr_assert(weights_finite(&m));
    free(prev);
    free(cur);
    trainer_free(t);
}

Test(trainer, nan_guard_rolls_back_and_halves_lr) { nan_guard(ARCH_RT); }

Test(trainer, nan_guard_rolls_back_the_mlp) { nan_guard(ARCH_MLP); }

Test(trainer, trace_and_setters) {
    new_model(&m, ARCH_RT, 2);
    RtErr e = {{0}};
    Trainer *t = new_trainer(&m, 32, 1e-3f, 2, 0);
    const ViewState *v = trainer_view(t);
    cr_assert_eq(v->arch, ARCH_RT);
    cr_assert_eq(v->L, m.cfg.L);
    cr_assert_eq(v->B, m.cfg.B);
    cr_assert_eq(v->params_total, (long)m.n);
    cr_assert_str_eq(v->dataset, "sample");
    cr_assert_str_eq(v->class_names[1], ds.class_names[1]);
    cr_assert_eq(v->nsched, m.cfg.nsched);
    cr_assert_eq(trainer_step(t, 20, &e), 0, "%s", e.msg);

    uint64_t s0 = v->trace_serial;
    trainer_trace_test(t, 7);
    cr_assert_eq(v->trace_serial, s0 + 1);
    cr_assert_eq(v->trace_index, 7);
    cr_assert_eq(v->trace_label, ds.test.y[7]);
    cr_assert_eq(memcmp(v->trace_pix, ds.test.x + 7 * (size_t)ds.test.d, (size_t)ds.test.d), 0);
    cr_assert_eq(v->trace.nsteps, v->nsched);
    cr_assert(v->trace.stop >= 0 && v->trace.stop < v->trace.nsteps);
    RtTrace *ref = malloc(sizeof *ref);
    float x[VS_MAX_PIX];
    int i7 = 7;
    data_batch_float(&ds.test, &i7, 1, x);
    rt_trace(&m, x, m.cfg.tau, 0.0f, ref, NULL);
    cr_assert_eq(memcmp(ref, &v->trace, sizeof *ref), 0, "trace differs from rt_trace");

    trainer_trace_image(t, ds.test.x + 9 * (size_t)ds.test.d, -1);
    cr_assert_eq(v->trace_serial, s0 + 2);
    cr_assert_eq(v->trace_index, -1);
    cr_assert_eq(v->trace_label, -1);
    trainer_trace_test(t, ds.test.n); /* out of range: ignored */
    cr_assert_eq(v->trace_serial, s0 + 2);

    trainer_set_tau(t, 0.5f);
    cr_assert_float_eq(v->tau, 0.5f, 1e-7);
    cr_assert_float_eq(m.cfg.tau, 0.5f, 1e-7);
    trainer_set_floor(t, 0.1f);
    float sched[SCHED_MAX];
    int ns = rt_schedule(&m.cfg, 0.1f, sched);
    cr_assert_eq(v->nsched, ns);
    cr_assert_eq(memcmp(v->sched, sched, (size_t)ns * sizeof(float)), 0);
    trainer_trace_test(t, 7);
    cr_assert_eq(v->trace.nsteps, ns);
    trainer_set_lr(t, 5e-4f);
    cr_assert_float_eq(v->lr, 5e-4f, 1e-10);
    cr_assert_float_eq(trainer_adam(t)->lr, 5e-4f, 1e-10);
    cr_assert_eq(trainer_step(t, 2, &e), 0, "%s", e.msg);
    cr_assert_eq(trainer_model(t), &m);
    free(ref);
    trainer_free(t);
}

Test(trainer, policies_train) {
    const char *pol[] = {"zero", "fixed:0.01", "random"};
    for (int k = 0; k < 3; k++) {
        Model mm;
        new_model(&mm, ARCH_RT, 4);
        RtErr e = {{0}};
        TrainConfig tc;
        train_config_default(&tc);
        tc.batch = 64;
        tc.lr = 2e-3f;
        cr_assert_eq(train_parse_policy(&tc, pol[k], &e), 0, "%s", e.msg);
        Trainer *t = trainer_new(&mm, &ds, &tc, NULL, &e);
        cr_assert_not_null(t, "%s", e.msg);
        cr_assert_eq(trainer_step(t, 1, &e), 0, "%s", e.msg);
        float first = trainer_view(t)->loss;
        cr_assert_eq(trainer_step(t, 80, &e), 0, "%s", e.msg);
        cr_assert_lt(trainer_view(t)->loss, first, "policy %s: loss %g -> %g", pol[k], first,
                     trainer_view(t)->loss);
        trainer_free(t);
        model_free(&mm);
    }
}

/* block_share and act_mean come from the whole batch's own forward: at θ = 0
 * every block is active for every sample (share exactly 1, activation 100%);
 * with policy fixed at 0.9 nothing fires (share 0, only the router is used).
 * The option parser refuses fixed:0.9 (no block can fire at θ ≥ 1/2): set it
 * directly, as a trainer must still cope with it. */
Test(trainer, block_share_from_the_batch) {
    const char *pol[] = {"zero", "fixed:0.4"};
    for (int k = 0; k < 2; k++) {
        Model mm;
        new_model(&mm, ARCH_RT, 6);
        RtErr e = {{0}};
        TrainConfig tc;
        train_config_default(&tc);
        tc.batch = 48;
        cr_assert_eq(train_parse_policy(&tc, pol[k], &e), 0, "%s", e.msg);
        if (tc.policy == POL_FIXED) tc.fixed_theta = 0.9f;
        Trainer *t = trainer_new(&mm, &ds, &tc, NULL, &e);
        cr_assert_not_null(t, "%s", e.msg);
        trainer_step(t, 1, &e);
        const ViewState *v = trainer_view(t);
        for (int l = 0; l < v->L; l++)
            for (int i = 0; i < v->B; i++)
                cr_assert_eq(v->block_share[l][i], k == 0 ? 1.0f : 0.0f,
                             "policy %s block %d.%d: %g", pol[k], l, i, v->block_share[l][i]);
        float want = k == 0 ? 100.0f : 100.0f * (float)mm.router_n / (float)mm.n;
        cr_assert_float_eq(v->act_mean, want, 1e-3, "policy %s: act_mean %g", pol[k], v->act_mean);
        trainer_free(t);
        model_free(&mm);
    }
}

Test(trainer, mlp_baseline) {
    new_model(&m, ARCH_MLP, 1);
    RtErr e = {{0}};
    Trainer *t = new_trainer(&m, 64, 2e-3f, 1, 0);
    const ViewState *v = trainer_view(t);
    cr_assert_eq(v->arch, ARCH_MLP);
    cr_assert_eq(trainer_step(t, 1, &e), 0, "%s", e.msg);
    float first = v->loss;
    cr_assert_eq(trainer_step(t, 150, &e), 0, "%s", e.msg);
    cr_assert_lt(v->loss, 0.6f * first);
    cr_assert_float_eq(v->act_mean, 100.0f, 1e-3);
    run_pass(t);
    cr_assert_gt(v->test_acc, 60.0f);
    cr_assert_float_eq(v->test_act_mean, 100.0f, 1e-3);
    trainer_trace_test(t, 3);
    cr_assert_eq(v->trace.nsteps, 1);
    cr_assert_eq(v->trace.stop, 0);
    cr_assert_float_eq(v->trace.act_pct[0], 100.0f, 1e-4);
    float s = 0.0f;
    for (int c = 0; c < v->C; c++)
        s += v->trace.prob[0][c];
    cr_assert_float_eq(s, 1.0f, 1e-4);
    trainer_free(t);
}
