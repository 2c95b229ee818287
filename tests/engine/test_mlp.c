/* test_mlp.c — the dense MLP baseline: gradients against double-precision
 * central differences, BLAS against the reference path, learning, and
 * determinism at a fixed thread count. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "adam_check.h"
#include "blas.h"
#include "mlp.h"
#include "optim.h"
#include "pool.h"
#include "rtkern.h"
#include "rng.h"
#include "rtnet.h"

/* A tiny MLP: D = 6 (1x2x3), hidden 5, 4, C = 3. */
static void tiny(Model *m, uint64_t seed) {
    ModelConfig c;
    model_config_default(&c, ARCH_MLP, 1, 2, 3, 3);
    c.nhidden = 2;
    c.hidden[0] = 5;
    c.hidden[1] = 4;
    RtErr e = {{0}};
    cr_assert_eq(model_init(m, &c, seed, &e), 0, "%s", e.msg);
    /* non-zero biases so their gradients are exercised properly */
    Rng r;
    rng_seed(&r, seed + 99);
    for (int j = 0; j <= c.nhidden; j++)
        for (int o = 0; o < m->width[j + 1]; o++)
            m->mb[j][o] = 0.2f * rng_uniform(&r) - 0.05f;
}

static void fill(float *x, size_t n, uint64_t seed) {
    Rng r;
    rng_seed(&r, seed);
    for (size_t i = 0; i < n; i++)
        x[i] = rng_uniform(&r);
}

/* Σ_n weight[n] * -log(p_y + eps) in double, with parameter k moved by dk;
 * also reports the smallest |pre-activation| of a hidden unit (kink distance). */
static double ref_loss(const Model *m, const float *X, int N, const uint8_t *y, const float *wt,
                       size_t k, double dk, double *kink) {
    double *p = malloc(m->n * sizeof *p);
    for (size_t i = 0; i < m->n; i++)
        p[i] = m->w[i];
    p[k] += dk;
    int nl = m->cfg.nhidden + 1;
    double loss = 0.0, a[64], z[64];
    *kink = INFINITY;
    for (int n = 0; n < N; n++) {
        int in = m->width[0];
        for (int i = 0; i < in; i++)
            a[i] = X[n * in + i];
        for (int j = 0; j < nl; j++) {
            int out = m->width[j + 1];
            const double *W = p + (m->mW[j] - m->w), *b = p + (m->mb[j] - m->w);
            for (int o = 0; o < out; o++) {
                double s = b[o];
                for (int i = 0; i < in; i++)
                    s += W[o * in + i] * a[i];
                z[o] = s;
            }
            if (j < nl - 1)
                for (int o = 0; o < out; o++) {
                    if (fabs(z[o]) < *kink) *kink = fabs(z[o]);
                    a[o] = z[o] > 0 ? z[o] : 0;
                }
            else
                for (int o = 0; o < out; o++)
                    a[o] = z[o];
            in = out;
        }
        double mx = a[0], s = 0;
        for (int c = 1; c < in; c++)
            mx = fmax(mx, a[c]);
        for (int c = 0; c < in; c++)
            s += exp(a[c] - mx);
        double py = exp(a[y[n]] - mx) / s;
        loss += wt[n] * -log(py + (double)RT_EPS);
    }
    free(p);
    return loss;
}

Test(mlp, gradient_matches_finite_differences) {
    Model m;
    tiny(&m, 7);
    enum { N = 5 };
    float X[N * 6], probs[N * 3];
    uint8_t y[N] = {0, 2, 1, 2, 0};
    float wt[N] = {1.0f, 0.5f, 2.0f, 0.0f, 1.0f};
    fill(X, N * 6, 3);
    RtErr e;
    MlpWork *w = mlp_work_new(&m, N, &e);
    cr_assert_not_null(w, "%s", e.msg);
    model_zero_grad(&m);
    mlp_forward(&m, w, X, N, probs);
    double loss = mlp_backward(&m, w, y, wt);
    double kink;
    double l0 = ref_loss(&m, X, N, y, wt, 0, 0.0, &kink);
    cr_assert(kink > 1e-3, "a hidden unit sits on the ReLU kink (%g): pick another seed", kink);
    cr_assert(fabs(loss - l0) < 1e-5 * (1 + fabs(l0)), "loss %g vs reference %g", loss, l0);
    for (int t = 0; t < m.nt; t++) {
        const Tensor *T = &m.t[t];
        for (size_t i = 0; i < T->n; i++) {
            size_t k = T->off + i;
            double h = 1e-6, kp, km;
            double num =
                (ref_loss(&m, X, N, y, wt, k, h, &kp) - ref_loss(&m, X, N, y, wt, k, -h, &km)) /
                (2 * h);
            double ana = m.g[k];
            cr_assert(fabs(num - ana) <= 2e-4 + 2e-3 * fabs(num), "%s[%zu]: analytic %g numeric %g",
                      T->name, i, ana, num);
        }
    }
    mlp_work_free(w);
    model_free(&m);
}

Test(mlp, probabilities_sum_to_one_and_backward_accumulates) {
    Model m;
    tiny(&m, 11);
    enum { N = 9 };
    float X[N * 6], probs[N * 3];
    uint8_t y[N] = {0, 1, 2, 0, 1, 2, 0, 1, 2};
    fill(X, N * 6, 5);
    MlpWork *w = mlp_work_new(&m, N, NULL);
    mlp_forward(&m, w, X, N, probs);
    for (int n = 0; n < N; n++) {
        float s = probs[n * 3] + probs[n * 3 + 1] + probs[n * 3 + 2];
        cr_assert(fabsf(s - 1.0f) < 1e-5f, "row %d sums to %g", n, s);
    }
    model_zero_grad(&m);
    double l1 = mlp_backward(&m, w, y, NULL); /* NULL weights = 1 each */
    float *g1 = malloc(m.n * sizeof *g1);
    memcpy(g1, m.g, m.n * sizeof *g1);
    double l2 = mlp_backward(&m, w, y, NULL);
    cr_assert_eq(l1, l2);
    for (size_t i = 0; i < m.n; i++)
        cr_assert(fabsf(m.g[i] - 2 * g1[i]) <= 1e-6f * (1 + fabsf(g1[i])), "g[%zu] not accumulated",
                  i);
    free(g1);
    mlp_work_free(w);
    model_free(&m);
}

/* Forward + backward of a wider net under BLAS or the reference path. */
static void run_wide(int ref, int threads, float *probs, float **grads, size_t *n) {
    ModelConfig c;
    model_config_default(&c, ARCH_MLP, 1, 5, 7, 10);
    c.nhidden = 2;
    c.hidden[0] = 33;
    c.hidden[1] = 17;
    Model m;
    cr_assert_eq(model_init(&m, &c, 5, NULL), 0);
    enum { N = 37 };
    float X[N * 35];
    uint8_t y[N];
    float wt[N];
    fill(X, N * 35, 9);
    for (int i = 0; i < N; i++) {
        y[i] = (uint8_t)(i % 10);
        wt[i] = 1.0f / N;
    }
    mm_use_reference(ref);
    MlpWork *w = mlp_work_new(&m, 64, NULL);
    mlp_work_set_threads(w, threads);
    model_zero_grad(&m);
    mlp_forward(&m, w, X, N, probs);
    mlp_backward(&m, w, y, wt);
    mm_use_reference(0);
    *grads = malloc(m.n * sizeof **grads);
    memcpy(*grads, m.g, m.n * sizeof **grads);
    *n = m.n;
    mlp_work_free(w);
    model_free(&m);
}

Test(mlp, blas_matches_reference) {
    pool_init(2);
    float pb[37 * 10], pr[37 * 10];
    float *gb, *gr;
    size_t n;
    run_wide(0, 0, pb, &gb, &n);
    run_wide(1, 0, pr, &gr, &n);
    for (int i = 0; i < 37 * 10; i++)
        cr_assert(fabsf(pb[i] - pr[i]) < 1e-5f, "p[%d] %g vs %g", i, pb[i], pr[i]);
    for (size_t i = 0; i < n; i++)
        cr_assert(fabsf(gb[i] - gr[i]) < 1e-5f + 1e-4f * fabsf(gr[i]), "g[%zu] %g vs %g", i, gb[i],
                  gr[i]);
    free(gb);
    free(gr);
    pool_done();
}

Test(mlp, deterministic_at_fixed_thread_count) {
    pool_init(2);
    float p1[37 * 10], p2[37 * 10], p3[37 * 10];
    float *g1, *g2, *g3;
    size_t n;
    run_wide(0, 0, p1, &g1, &n);
    run_wide(0, 0, p2, &g2, &n);
    cr_assert_eq(memcmp(p1, p2, sizeof p1), 0, "probabilities differ between identical runs");
    cr_assert_eq(memcmp(g1, g2, n * sizeof *g1), 0, "gradients differ between identical runs");
    /* one thread: not necessarily the same bits, but the same numbers */
    run_wide(0, 1, p3, &g3, &n);
    for (size_t i = 0; i < n; i++)
        cr_assert(fabsf(g1[i] - g3[i]) < 1e-5f + 1e-4f * fabsf(g3[i]));
    free(g1);
    free(g2);
    free(g3);
    pool_done();
}

Test(mlp, learns_a_separable_problem) {
    pool_init(2);
    ModelConfig c;
    model_config_default(&c, ARCH_MLP, 1, 1, 8, 4);
    c.nhidden = 1;
    c.hidden[0] = 16;
    Model m;
    cr_assert_eq(model_init(&m, &c, 1, NULL), 0);
    enum { N = 64 };
    float X[N * 8];
    uint8_t y[N];
    Rng r;
    rng_seed(&r, 42);
    for (int n = 0; n < N; n++) { /* class k: features 2k, 2k+1 high */
        y[n] = (uint8_t)(n % 4);
        for (int i = 0; i < 8; i++)
            X[n * 8 + i] = 0.3f * rng_uniform(&r) + (i / 2 == y[n] ? 0.7f : 0.0f);
    }
    MlpWork *w = mlp_work_new(&m, N, NULL);
    Adam a;
    cr_assert_eq(adam_init(&a, m.n, 1e-2f, NULL), 0);
    double first = 0, last = 0;
    float probs[N * 4];
    for (int it = 0; it < 100; it++) {
        model_zero_grad(&m);
        mlp_forward(&m, w, X, N, probs);
        double l = mlp_backward(&m, w, y, NULL) / N;
        if (it == 0) first = l;
        last = l;
        adam_step(&a, &m);
    }
    cr_assert(last < 0.2 * first, "loss %g -> %g", first, last);
    int correct = 0;
    for (int n = 0; n < N; n++) {
        int best = 0;
        for (int k = 1; k < 4; k++)
            if (probs[n * 4 + k] > probs[n * 4 + best]) best = k;
        correct += best == y[n];
    }
    cr_assert_eq(correct, N);
    adam_free(&a);
    mlp_work_free(w);
    model_free(&m);
    pool_done();
}

Test(mlp, rejects_rt_model_and_bad_capacity) {
    ModelConfig c;
    model_config_default(&c, ARCH_RT, 1, 2, 3, 3);
    c.L = 1;
    c.B = 2;
    c.H = 3;
    Model m;
    cr_assert_eq(model_init(&m, &c, 1, NULL), 0);
    RtErr e;
    cr_assert_null(mlp_work_new(&m, 8, &e));
    cr_assert(strstr(e.msg, "not an MLP"), "%s", e.msg);
    model_free(&m);
    tiny(&m, 1);
    cr_assert_null(mlp_work_new(&m, 0, &e));
    model_free(&m);
}

/* The trainer's path (mlp_forward_samples converting uint8 rows in the pool
 * tasks, mlp_backward_loss, then mlp_backward_params stepping Adam part by
 * part) against the separate passes (data_batch_float, mlp_forward,
 * model_zero_grad, mlp_backward, adam_step_undoable): the same bits in the
 * weights, moments and undo buffers over several steps, at 1 and 2 threads. */
Test(mlp, fused_step_matches_separate_passes) {
    enum { NS = 90, N = 37, D = 35 };
    uint8_t px[NS * D], lab[NS];
    Rng r;
    rng_seed(&r, 17);
    for (int i = 0; i < NS * D; i++)
        px[i] = (uint8_t)rng_below(&r, 256);
    for (int i = 0; i < NS; i++)
        lab[i] = (uint8_t)(i % 10);
    DataSplit ds = {.n = NS, .ch = 1, .h = 5, .w = 7, .d = D, .x = px, .y = lab};
    ModelConfig c;
    model_config_default(&c, ARCH_MLP, 1, 5, 7, 10);
    c.nhidden = 2;
    c.hidden[0] = 33;
    c.hidden[1] = 17;
    for (int threads = 1; threads <= 2; threads++) {
        pool_init(threads);
        Model m1, m2;
        cr_assert_eq(model_init(&m1, &c, 5, NULL), 0);
        cr_assert_eq(model_init(&m2, &c, 5, NULL), 0);
        MlpWork *w1 = mlp_work_new(&m1, 64, NULL), *w2 = mlp_work_new(&m2, 64, NULL);
        Adam a1, a2;
        AdamUndo u1, u2;
        cr_assert_eq(adam_init(&a1, m1.n, 1e-2f, NULL), 0);
        cr_assert_eq(adam_init(&a2, m2.n, 1e-2f, NULL), 0);
        cr_assert_eq(adam_undo_init(&u1, m1.n, NULL), 0);
        cr_assert_eq(adam_undo_init(&u2, m2.n, NULL), 0);
        float X[N * D], p1[N * 10], p2[N * 10], wt[N];
        uint8_t y[N];
        int idx[N];
        for (int s = 0; s < 4; s++) {
            for (int i = 0; i < N; i++) {
                idx[i] = (i * 7 + s * 11) % NS;
                y[i] = lab[idx[i]];
                wt[i] = 1.0f / N;
            }
            data_batch_float(&ds, idx, N, X);
            mlp_forward(&m1, w1, X, N, p1);
            model_zero_grad(&m1);
            double l1 = mlp_backward(&m1, w1, y, wt);
            cr_assert_eq(adam_step_undoable(&a1, &m1, &u1), 0);

            mlp_forward_samples(&m2, w2, &ds, idx, N, p2);
            for (size_t i = 0; i < m2.n; i++)
                m2.g[i] = 1e30f; /* the fused path overwrites the gradient */
            double l2 = mlp_backward_loss(&m2, w2, y, wt);
            AdamStep st;
            adam_begin(&a2, &m2, &u2, &st);
            mlp_backward_params(&m2, w2, &st);
            cr_assert_eq(adam_end(&a2, &u2, &st), 0);

            cr_assert_eq(memcmp(p1, p2, sizeof p1), 0, "probabilities differ, step %d", s);
            cr_assert_eq(l1, l2);
            assert_same_step(&m1, &m2, &a1, &a2, &u1, &u2, s);
        }
        adam_undo_free(&u1);
        adam_undo_free(&u2);
        adam_free(&a1);
        adam_free(&a2);
        mlp_work_free(w1);
        mlp_work_free(w2);
        model_free(&m1);
        model_free(&m2);
        pool_done();
    }
}

/* The minibatch conversion gives k / 255 exactly at every kernel level, for
 * every byte value, with or without an index, on rows of odd length. */
Test(mlp, batch_conversion_is_exact_at_every_level) {
    enum { D = 37, N = 9 };
    static uint8_t x[N * D];
    for (int i = 0; i < N * D; i++)
        x[i] = (uint8_t)(i * 7 + 3);
    DataSplit s = {.n = N, .ch = 1, .h = 1, .w = D, .d = D, .x = x};
    int idx[N];
    for (int i = 0; i < N; i++)
        idx[i] = N - 1 - i;
    float out[N * D];
    int top = rk_level(-1);
    for (int lv = 0; lv <= top; lv++) {
        rk_level(lv);
        data_batch_float(&s, idx, N, out);
        for (int i = 0; i < N; i++)
            for (int j = 0; j < D; j++)
                cr_assert_eq(out[i * D + j], (float)x[idx[i] * D + j] / 255.0f, "level %d", lv);
        data_batch_float(&s, NULL, N, out);
        for (int k = 0; k < N * D; k++)
            cr_assert_eq(out[k], (float)x[k] / 255.0f, "level %d", lv);
    }
    rk_level(top);
}
