/* test_optim.c — Adam against hand-computed steps. */
#include <criterion/criterion.h>
#include <math.h>

#include "optim.h"
#include "pool.h"
#include "rtkern.h"

#include <string.h>

static void small_model(Model *m) {
    ModelConfig c;
    model_config_default(&c, ARCH_MLP, 1, 1, 2, 2);
    c.nhidden = 0; /* fc0.W (2x2) + fc0.b (2): 6 parameters */
    cr_assert_eq(model_init(m, &c, 1, NULL), 0);
    cr_assert_eq(m->n, 6);
}

Test(optim, defaults_and_first_step) {
    Model m;
    small_model(&m);
    Adam a;
    RtErr e;
    cr_assert_eq(adam_init(&a, m.n, 0.1f, &e), 0, "%s", e.msg);
    cr_assert_eq(a.beta1, 0.9f);
    cr_assert_eq(a.beta2, 0.999f);
    cr_assert_eq(a.eps, 1e-8f);
    cr_assert_eq(a.t, 0);
    const float w0[6] = {1.0f, -2.0f, 0.5f, 0.0f, 3.0f, -1.0f};
    const float g[6] = {0.5f, -0.25f, 2.0f, 0.0f, 1e-3f, -4.0f};
    for (int i = 0; i < 6; i++) {
        m.w[i] = w0[i];
        m.g[i] = g[i];
    }
    adam_step(&a, &m);
    cr_assert_eq(a.t, 1);
    for (int i = 0; i < 6; i++) {
        /* t = 1: m = 0.1 g, v = 0.001 g², mhat = g, vhat = g²:
         * w -= 0.1 * g / (|g| + 1e-8) */
        double expect = w0[i] - 0.1 * g[i] / (fabs(g[i]) + 1e-8);
        cr_assert(fabs(m.w[i] - expect) < 1e-6, "w[%d] = %.9g, expected %.9g", i, m.w[i], expect);
        cr_assert(fabsf(a.m[i] - 0.1f * g[i]) < 1e-7f);
        cr_assert(fabsf(a.v[i] - 0.001f * g[i] * g[i]) <= 1e-4f * 0.001f * g[i] * g[i]);
        cr_assert_eq(m.g[i], g[i], "adam_step must not zero the gradient");
    }
    adam_free(&a);
    model_free(&m);
}

Test(optim, second_step_bias_correction) {
    Model m;
    small_model(&m);
    Adam a;
    cr_assert_eq(adam_init(&a, m.n, 1e-3f, NULL), 0);
    for (size_t i = 0; i < m.n; i++)
        m.w[i] = 0.0f;
    m.g[0] = 1.0f;
    adam_step(&a, &m);
    m.g[0] = -3.0f;
    adam_step(&a, &m);
    /* by hand: m1 = 0.1, v1 = 0.001; w1 = -1e-3 * 1 / (1 + 1e-8)
     * m2 = 0.09 - 0.3 = -0.21, v2 = 0.000999 + 0.009 = 0.009999
     * mhat = -0.21 / 0.19, vhat = 0.009999 / 0.001999 */
    double w1 = -1e-3 / (1.0 + 1e-8);
    double mhat = -0.21 / 0.19, vhat = 0.009999 / (1 - 0.999 * 0.999);
    double w2 = w1 - 1e-3 * mhat / (sqrt(vhat) + 1e-8);
    cr_assert(fabs(m.w[0] - w2) < 1e-8, "w = %.10g, expected %.10g", m.w[0], w2);
    cr_assert_eq(m.w[1], 0.0f, "zero gradient must not move a weight");
    adam_free(&a);
    cr_assert_null(a.m);
    model_free(&m);
}

/* A large model is split over the pool: the same bits as one thread. */
Test(optim, pool_split_matches_single_thread) {
    ModelConfig c;
    model_config_default(&c, ARCH_MLP, 1, 28, 28, 10); /* 269k parameters: split */
    Model m1, m2;
    cr_assert_eq(model_init(&m1, &c, 1, NULL), 0);
    cr_assert_eq(model_init(&m2, &c, 1, NULL), 0);
    Adam a1, a2;
    cr_assert_eq(adam_init(&a1, m1.n, 1e-3f, NULL), 0);
    cr_assert_eq(adam_init(&a2, m2.n, 1e-3f, NULL), 0);
    for (size_t i = 0; i < m1.n; i++)
        m1.g[i] = m2.g[i] = sinf((float)i * 0.37f);
    for (int s = 0; s < 3; s++) {
        pool_init(1);
        adam_step(&a1, &m1);
        pool_init(2);
        adam_step(&a2, &m2);
    }
    pool_done();
    cr_assert_eq(memcmp(m1.w, m2.w, m1.n * sizeof(float)), 0);
    cr_assert_eq(memcmp(a1.v, a2.v, m1.n * sizeof(float)), 0);
    adam_free(&a1);
    adam_free(&a2);
    model_free(&m1);
    model_free(&m2);
}

/* adam_begin / adam_range / adam_end in uneven pieces and slots, at the
 * portable and the best kernel level, against adam_step_undoable: the same
 * bits in the weights, the moments and the undo; a NaN gradient or an
 * overflowing weight in one piece is reported. */
Test(optim, ranges_match_undoable_step_at_every_level) {
    ModelConfig c;
    model_config_default(&c, ARCH_MLP, 1, 28, 28, 10);
    Model m1, m2;
    cr_assert_eq(model_init(&m1, &c, 1, NULL), 0);
    cr_assert_eq(model_init(&m2, &c, 1, NULL), 0);
    size_t n = m1.n;
    Adam a1, a2;
    AdamUndo u1, u2;
    cr_assert_eq(adam_init(&a1, n, 1e-3f, NULL), 0);
    cr_assert_eq(adam_init(&a2, n, 1e-3f, NULL), 0);
    cr_assert_eq(adam_undo_init(&u1, n, NULL), 0);
    cr_assert_eq(adam_undo_init(&u2, n, NULL), 0);
    int top = rk_level(-1);
    pool_init(2);
    for (int s = 0; s < 3; s++) {
        for (size_t i = 0; i < n; i++)
            m1.g[i] = m2.g[i] = sinf((float)i * 0.37f + (float)s);
        rk_level(0);
        cr_assert_eq(adam_step_undoable(&a1, &m1, &u1), 0);
        rk_level(top);
        AdamStep st;
        adam_begin(&a2, &m2, &u2, &st);
        size_t cut1 = 1001, cut2 = n / 2 + 3; /* not multiples of any vector width */
        adam_range(&st, cut2, n, 0);
        adam_range(&st, 0, cut1, 5);
        adam_range(&st, cut1, cut2, 0);
        cr_assert_eq(adam_end(&a2, &u2, &st), 0);
        cr_assert_eq(a1.t, a2.t);
        cr_assert_eq(u1.t, u2.t);
        cr_assert_eq(memcmp(m1.w, m2.w, n * sizeof(float)), 0, "weights differ at step %d", s);
        cr_assert_eq(memcmp(a1.m, a2.m, n * sizeof(float)), 0);
        cr_assert_eq(memcmp(a1.v, a2.v, n * sizeof(float)), 0);
        cr_assert_eq(memcmp(u1.w, u2.w, n * sizeof(float)), 0);
        cr_assert_eq(memcmp(u1.m, u2.m, n * sizeof(float)), 0);
        cr_assert_eq(memcmp(u1.v, u2.v, n * sizeof(float)), 0);
    }
    /* a NaN gradient in the middle piece, then an overflow in the last one */
    AdamStep st;
    m2.g[5000] = NAN;
    adam_begin(&a2, &m2, &u2, &st);
    adam_range(&st, 0, 4000, 1);
    adam_range(&st, 4000, 6000, 2);
    adam_range(&st, 6000, n, 3);
    cr_assert_eq(adam_end(&a2, &u2, &st), ADAM_BAD_GRAD | ADAM_BAD_WEIGHT);
    adam_restore(&a2, &m2, &u2);
    cr_assert_eq(memcmp(m1.w, m2.w, n * sizeof(float)), 0, "restore did not undo the step");
    m2.g[5000] = 0.0f;
    m2.w[n - 1] = 3.3e38f;
    m2.g[n - 1] = -1.0f; /* from zero moments the step pushes it past FLT_MAX */
    a2.m[n - 1] = a2.v[n - 1] = 0.0f;
    a2.lr = 1e38f;
    adam_begin(&a2, &m2, &u2, &st);
    adam_range(&st, 0, n - 7, 0);
    adam_range(&st, n - 7, n, 1);
    cr_assert_eq(adam_end(&a2, &u2, &st), ADAM_BAD_WEIGHT);
    rk_level(top);
    pool_done();
    adam_undo_free(&u1);
    adam_undo_free(&u2);
    adam_free(&a1);
    adam_free(&a2);
    model_free(&m1);
    model_free(&m2);
}
