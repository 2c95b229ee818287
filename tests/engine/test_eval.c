/* test_eval.c — Spearman with ties, the easiest / hardest tenth, and the
 * evaluator: slices give the whole pass's bits, its summaries (accuracy,
 * confusion, ranking) match eval_model's, the MLP uses everything. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dataset.h"
#include "eval.h"
#include "rtnet.h"
#include "model.h"

Test(eval, spearman_perfect) {
    float a[6] = {1, 2, 3, 4, 5, 6}, up[6] = {10, 20, 25, 40, 41, 90}, down[6];
    for (int i = 0; i < 6; i++)
        down[i] = -up[i];
    cr_assert_float_eq(spearman(a, up, 6), 1.0, 1e-12);
    cr_assert_float_eq(spearman(a, down, 6), -1.0, 1e-12);
}

Test(eval, spearman_known) {
    /* Wikipedia's worked example (IQ vs hours of TV): rho = -29/165 */
    float iq[10] = {106, 86, 100, 101, 99, 103, 97, 113, 112, 110};
    float tv[10] = {7, 0, 27, 50, 28, 29, 20, 12, 6, 17};
    cr_assert_float_eq(spearman(iq, tv, 10), -29.0 / 165.0, 1e-9);
}

Test(eval, spearman_ties_mean_ranks) {
    /* ranks of a: 1, 2.5, 2.5, 4 -> rho = 4.5 / sqrt(4.5 * 5) */
    float a[4] = {1, 2, 2, 3}, b[4] = {1, 2, 3, 4};
    cr_assert_float_eq(spearman(a, b, 4), 4.5 / sqrt(22.5), 1e-12);
    /* symmetric in its arguments */
    cr_assert_float_eq(spearman(b, a, 4), 4.5 / sqrt(22.5), 1e-12);
}

Test(eval, spearman_undefined) {
    float c[5] = {3, 3, 3, 3, 3}, b[5] = {1, 2, 3, 4, 5};
    cr_assert(isnan(spearman(c, b, 5)));
    cr_assert(isnan(spearman(b, b, 1)));
}

Test(eval, tenth_distinct) {
    float act[20];
    uint8_t err[20] = {0};
    for (int i = 0; i < 20; i++)
        act[i] = (float)((i * 7) % 20); /* a permutation of 0..19 */
    /* least active two: act 0 (i=0) and act 1 (i=3); most: act 19 (i=17), act 18 (i=14) */
    err[3] = 1;
    err[17] = 1;
    err[14] = 1;
    err[5] = 1; /* act 15: in neither tenth */
    cr_assert_float_eq(eval_tenth_error(act, err, 20, 0), 50.0, 1e-9);
    cr_assert_float_eq(eval_tenth_error(act, err, 20, 1), 100.0, 1e-9);
}

Test(eval, tenth_ties_share_the_cut) {
    /* 20 samples, tenth = 2; the four least active tie (act 5), one of them wrong:
     * any tie break gives 2 * 1/4 = 0.5 expected errors -> 25% */
    float act[20];
    uint8_t err[20] = {0};
    for (int i = 0; i < 20; i++)
        act[i] = i < 4 ? 5.0f : 10.0f + i;
    err[2] = 1;
    cr_assert_float_eq(eval_tenth_error(act, err, 20, 0), 25.0, 1e-9);
    /* the result does not depend on which of the tied samples is wrong */
    err[2] = 0;
    err[0] = 1;
    cr_assert_float_eq(eval_tenth_error(act, err, 20, 0), 25.0, 1e-9);
    /* fewer than 10 samples: the tenth is one sample */
    float a3[3] = {1, 2, 3};
    uint8_t e3[3] = {0, 0, 1};
    cr_assert_float_eq(eval_tenth_error(a3, e3, 3, 1), 100.0, 1e-9);
    cr_assert_float_eq(eval_tenth_error(a3, e3, 3, 0), 0.0, 1e-9);
}

/* ------------------------------------------------------- the evaluator */

#include "blas.h"
#include "pool.h"

static Dataset g_ds;
static Model g_m;

static void small_model(int arch) {
    RtErr e = {{0}};
    cr_assert_eq(dataset_load("sample", &g_ds, &e), 0, "%s", e.msg);
    ModelConfig c;
    model_config_default(&c, arch, g_ds.test.ch, g_ds.test.h, g_ds.test.w, g_ds.classes);
    c.B = 4;
    c.H = 8;
    c.nhidden = 1;
    c.hidden[0] = 16;
    cr_assert_eq(model_init(&g_m, &c, 11, &e), 0, "%s", e.msg);
    cr_assert_eq(pool_init(1), 0);
    blas_init();
}

static void small_free(void) {
    model_free(&g_m);
    dataset_free(&g_ds);
}

Test(eval, slices_give_the_whole_pass, .fini = small_free) {
    small_model(ARCH_RT);
    RtErr e = {{0}};
    EvalReport r;
    cr_assert_eq(eval_model(&g_m, &g_ds.test, 0.9f, 0.0f, 0, &r, &e), 0, "%s", e.msg);
    Evaluator *ev = evaluator_new(&g_m, &g_ds.test, 7, 0, 0, &e);
    cr_assert_not_null(ev, "%s", e.msg);
    int total = 0, slices = 0, done = 0;
    cr_assert_eq(evaluator_progress(ev, &total), 0);
    cr_assert_eq(total, g_ds.test.n);
    while (!done) {
        done = evaluator_slice(ev, 0.9f, 0.0f);
        slices++;
        if (!done) cr_assert_eq(evaluator_progress(ev, NULL), 7 * slices);
    }
    cr_assert_eq(slices, (total + 6) / 7, "a pass is complete after its last slice, not before");
    cr_assert_eq(evaluator_progress(ev, NULL), 0, "the next pass starts at 0");
    EvalPass p;
    evaluator_pass(ev, &p);
    cr_assert_eq(p.n, r.n);
    for (int i = 0; i < p.n; i++) {
        cr_assert_eq(p.act[i], r.act[i], "sample %d: the same bits whatever the slice", i);
        cr_assert_eq(p.active[i], r.active[i]);
        cr_assert_eq(p.pred[i], r.pred[i]);
    }
    cr_assert_null(p.loss0, "no θ = 0 pass unless asked");
    EvalReport r2;
    cr_assert_eq(eval_summarize(&p, &r2, &e), 0, "%s", e.msg);
    cr_assert_float_eq(r2.accuracy, r.accuracy, 0.0);
    cr_assert_float_eq(r2.activation_mean, r.activation_mean, 0.0);
    cr_assert_float_eq(r2.params_used_mean, r.params_used_mean, 0.0);
    cr_assert(isnan(r2.spearman_activation_loss), "no loss at θ = 0: no Spearman");
    /* the confusion matrix counts every answered sample once */
    int conf[RT_MAX_C][RT_MAX_C];
    float cact[RT_MAX_C];
    double acc, act;
    eval_confusion(&p, g_m.cfg.C, conf, cact, &acc, &act);
    long sum = 0, diag = 0;
    for (int t = 0; t < RT_MAX_C; t++)
        for (int q = 0; q < RT_MAX_C; q++) {
            sum += conf[t][q];
            if (t == q) diag += conf[t][q];
        }
    cr_assert_eq(sum, p.n - r.unreached);
    cr_assert_float_eq(acc, 100.0 * diag / p.n, 1e-9);
    cr_assert_float_eq(acc, r.accuracy, 1e-9, "the UI's test accuracy is eval's");
    cr_assert_float_eq(act, r.activation_mean, 1e-6);
    /* the ranking: least activation first, most first */
    int easy[12], hard[12], *order = malloc(sizeof(int) * (size_t)p.n);
    int k = eval_rank(&p, 12, easy, hard, order);
    cr_assert_eq(k, 12);
    for (int i = 1; i < k; i++) {
        cr_assert_leq(p.act[easy[i - 1]], p.act[easy[i]]);
        cr_assert_geq(p.act[hard[i - 1]], p.act[hard[i]]);
    }
    for (int i = 0; i < p.n; i++) {
        cr_assert_geq(p.act[i], p.act[easy[0]]);
        cr_assert_leq(p.act[i], p.act[hard[0]]);
    }
    free(order);
    eval_free(&r);
    eval_free(&r2);
    evaluator_free(ev);
}

Test(eval, mlp_uses_everything, .fini = small_free) {
    small_model(ARCH_MLP);
    RtErr e = {{0}};
    Evaluator *ev = evaluator_new(&g_m, &g_ds.test, 50, 30, EV_THETA0, &e);
    cr_assert_not_null(ev, "%s", e.msg);
    cr_assert_eq(evaluator_slice(ev, 0.9f, 0.0f), 1, "30 samples in one slice of 50");
    EvalPass p;
    evaluator_pass(ev, &p);
    cr_assert_eq(p.n, 30, "--limit");
    for (int i = 0; i < p.n; i++) {
        cr_assert_float_eq(p.act[i], 100.0f, 0.0f);
        cr_assert_eq(p.pred[i], p.pred0[i], "the MLP's answer is its full network's");
        cr_assert(p.loss0[i] >= 0.0f);
    }
    cr_assert_float_eq(p.used_sum, 30.0 * (double)g_m.n, 0.0);
    evaluator_free(ev);
    /* a split that does not fit is refused with a message */
    DataSplit bad = g_ds.test;
    bad.d = 5;
    cr_assert_null(evaluator_new(&g_m, &bad, 10, 0, 0, &e));
    cr_assert(strstr(e.msg, "5 inputs"), "%s", e.msg);
}

/* The gallery's ranking with constructed ties: hardest = most parameters
 * used, then the later stop, then the lower confidence, then the index;
 * easiest = fewest used, earliest stop, highest confidence, then index. */
Test(eval, rank_breaks_ties_by_stop_then_confidence) {
    /*                 0     1     2     3     4     5     6     7     8 */
    double used[] = {500, 900, 900, 900, 900, 100, 100, 100, 900};
    int stop[] = {3, 10, 10, 7, 10, 2, 2, 4, 10};
    float conf[] = {.9f, .6f, .4f, .3f, .4f, .95f, .99f, .99f, .6f};
    EvalPass p;
    memset(&p, 0, sizeof p);
    p.n = 9;
    p.used = used;
    p.stop = stop;
    p.conf = conf;
    int easy[9], hard[9];
    cr_assert_eq(eval_rank(&p, 9, easy, hard, NULL), 9);
    /* 900 used: stop 10 before stop 7; at stop 10 the least sure first (2, 4 at .4: by
     * index), then 1 and 8 at .6 (by index); then 3 (stop 7); then 0; then the 100s */
    int want_hard[] = {2, 4, 1, 8, 3, 0, 7, 5, 6};
    for (int i = 0; i < 9; i++)
        cr_assert_eq(hard[i], want_hard[i], "hard[%d] = %d, want %d", i, hard[i], want_hard[i]);
    /* 100 used: stop 2 before 4; at stop 2 the surest first (6 at .99, then 5) */
    int want_easy[] = {6, 5, 7, 0, 3, 1, 8, 2, 4};
    for (int i = 0; i < 9; i++)
        cr_assert_eq(easy[i], want_easy[i], "easy[%d] = %d, want %d", i, easy[i], want_easy[i]);
    /* k smaller than n: the first k of the same order */
    int e3[3], h3[3];
    cr_assert_eq(eval_rank(&p, 3, e3, h3, NULL), 3);
    for (int i = 0; i < 3; i++) {
        cr_assert_eq(h3[i], want_hard[i]);
        cr_assert_eq(e3[i], want_easy[i]);
    }
    /* without stop and confidence (an old caller): used, then index */
    p.stop = NULL;
    p.conf = NULL;
    int e4[4];
    eval_rank(&p, 4, e4, hard, NULL);
    cr_assert_eq(hard[0], 1);
    cr_assert_eq(hard[1], 2);
    cr_assert_eq(hard[2], 3);
    cr_assert_eq(hard[3], 4);
    /* a whole tie (everything equal): index order in both lists */
    double same[9] = {0};
    p.used = same;
    eval_rank(&p, 3, e3, h3, NULL);
    for (int i = 0; i < 3; i++) {
        cr_assert_eq(e3[i], i);
        cr_assert_eq(h3[i], i);
    }
}

/* A pass of the evaluator carries each sample's stop step and confidence:
 * they are the sweep's (rt_sweep on the same samples, one at a time). */
Test(eval, pass_carries_stop_and_confidence, .fini = small_free) {
    small_model(ARCH_RT);
    RtErr e = {{0}};
    Evaluator *ev = evaluator_new(&g_m, &g_ds.test, 16, 40, 0, &e);
    cr_assert_not_null(ev, "%s", e.msg);
    while (evaluator_slice(ev, 0.9f, 0.0f) == 0) {
    }
    EvalPass p;
    evaluator_pass(ev, &p);
    cr_assert_not_null(p.stop);
    cr_assert_not_null(p.conf);
    cr_assert_not_null(p.used);
    RtWork *w = rt_work_new(&g_m, 1, &e);
    cr_assert_not_null(w, "%s", e.msg);
    float *x = malloc(sizeof(float) * (size_t)g_ds.test.d), prob[RT_MAX_C];
    int later = 0;
    for (int i = 0; i < p.n; i++) {
        int idx = i;
        data_batch_float(&g_ds.test, &idx, 1, x);
        RtSweepOut so;
        rt_sweep(&g_m, w, x, 1, 0.9f, 0.0f, &so, prob);
        cr_assert_eq(p.stop[i], so.stop, "sample %d", i);
        cr_assert_float_eq(p.conf[i], so.reached ? so.conf : 0.0f, 0.0f, "sample %d", i);
        cr_assert_float_eq(p.used[i], (double)so.used, 0.0, "sample %d", i);
        later += so.stop > 0;
    }
    cr_assert_gt(later, 0, "some sweep went past its first step");
    free(x);
    rt_work_free(w);
    evaluator_free(ev);
}
