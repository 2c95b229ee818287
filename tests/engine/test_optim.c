/* test_optim.c — Adam against hand-computed steps. */
#include <criterion/criterion.h>
#include <math.h>

#include "optim.h"
#include "pool.h"

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
