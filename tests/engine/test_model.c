/* test_model.c — configuration checks, schedule parsing, the tensor table and
 * deterministic initialisation (model.h). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "model.h"

static void rt_cfg(ModelConfig *c) {
    model_config_default(c, ARCH_RT, 1, 5, 7, 4); /* D = 35 */
    c->L = 3;
    c->B = 5;
    c->H = 6;
}

/* Tensors are contiguous, in order, and cover the buffer exactly. */
static void check_cover(const Model *m) {
    size_t off = 0;
    for (int k = 0; k < m->nt; k++) {
        const Tensor *t = &m->t[k];
        cr_assert_eq(t->off, off, "%s starts at %zu, expected %zu", t->name, t->off, off);
        cr_assert_eq(t->n, (size_t)t->shape[0] * (size_t)t->shape[1], "%s", t->name);
        cr_assert_gt(t->n, 0);
        off += t->n;
    }
    cr_assert_eq(off, m->n);
}

Test(model, rt_table_covers_buffer_and_matches_config) {
    ModelConfig c;
    rt_cfg(&c);
    Model m;
    RtErr e;
    cr_assert_eq(model_init(&m, &c, 1, &e), 0, "%s", e.msg);
    check_cover(&m);
    cr_assert_eq(m.nt, 2 + 4 * c.L * c.B);
    cr_assert_str_eq(m.t[0].name, "router.W");
    cr_assert_eq(m.t[0].shape[0], c.B);
    cr_assert_eq(m.t[0].shape[1], c.D);
    cr_assert_eq(m.t[1].shape[0], c.B);
    cr_assert_eq(m.t[1].ndim, 1);
    cr_assert_eq(m.router_n, (size_t)c.B * c.D + c.B);
    cr_assert_eq(m.Wr, m.w + m.t[0].off);
    cr_assert_eq(m.br, m.w + m.t[1].off);
    size_t blocks = 0;
    for (int l = 0; l < c.L; l++)
        for (int i = 0; i < c.B; i++) {
            int k = l * c.B + i, din = l == 0 ? c.D : c.H, K = l < c.L - 1 ? c.B : c.C;
            const Tensor *t = &m.t[2 + 4 * k];
            const RtBlock *b = &m.blk[k];
            char name[48];
            snprintf(name, sizeof name, "L%d.B%d.W1", l, i);
            cr_assert_str_eq(t[0].name, name);
            cr_assert_eq(t[0].shape[0], c.H);
            cr_assert_eq(t[0].shape[1], din);
            cr_assert_eq(t[1].shape[0], c.H);
            cr_assert_eq(t[2].shape[0], K);
            cr_assert_eq(t[2].shape[1], c.H);
            cr_assert_eq(t[3].shape[0], K);
            cr_assert_eq(b->din, din);
            cr_assert_eq(b->K, K);
            cr_assert_eq(b->W1, m.w + t[0].off);
            cr_assert_eq(b->b1, m.w + t[1].off);
            cr_assert_eq(b->W2, m.w + t[2].off);
            cr_assert_eq(b->b2, m.w + t[3].off);
            cr_assert_eq(b->off, t[0].off);
            cr_assert_eq(b->n, (size_t)c.H * din + c.H + (size_t)K * c.H + K);
            blocks += b->n;
        }
    cr_assert_eq(m.router_n + blocks, m.n);
    model_free(&m);
}

Test(model, mlp_table_covers_buffer_and_matches_config) {
    ModelConfig c;
    model_config_default(&c, ARCH_MLP, 1, 4, 4, 3);
    c.nhidden = 2;
    c.hidden[0] = 9;
    c.hidden[1] = 5;
    Model m;
    RtErr e;
    cr_assert_eq(model_init(&m, &c, 1, &e), 0, "%s", e.msg);
    check_cover(&m);
    cr_assert_eq(m.nt, 6);
    int widths[] = {16, 9, 5, 3};
    for (int j = 0; j < 3; j++) {
        cr_assert_eq(m.width[j], widths[j]);
        cr_assert_eq(m.t[2 * j].shape[0], widths[j + 1]);
        cr_assert_eq(m.t[2 * j].shape[1], widths[j]);
        cr_assert_eq(m.mW[j], m.w + m.t[2 * j].off);
        cr_assert_eq(m.mb[j], m.w + m.t[2 * j + 1].off);
    }
    cr_assert_eq(m.width[3], 3);
    model_free(&m);
}

Test(model, init_is_deterministic_from_seed) {
    ModelConfig c;
    rt_cfg(&c);
    Model a, b, d;
    cr_assert_eq(model_init(&a, &c, 42, NULL), 0);
    cr_assert_eq(model_init(&b, &c, 42, NULL), 0);
    cr_assert_eq(model_init(&d, &c, 43, NULL), 0);
    cr_assert_eq(memcmp(a.w, b.w, a.n * sizeof(float)), 0);
    cr_assert_neq(memcmp(a.w, d.w, a.n * sizeof(float)), 0);
    /* biases zero, weights non-zero and within the init bound, gradients zero */
    for (int k = 0; k < a.nt; k++) {
        const Tensor *t = &a.t[k];
        float mx = 0;
        for (size_t i = 0; i < t->n; i++) {
            float v = a.w[t->off + i];
            mx = v > mx ? v : (-v > mx ? -v : mx);
        }
        if (t->ndim == 1)
            cr_assert_eq(mx, 0.0f, "%s", t->name);
        else {
            cr_assert_gt(mx, 0.0f, "%s", t->name);
            cr_assert_leq(mx, 2.5f, "%s", t->name);
        }
    }
    for (size_t i = 0; i < a.n; i++)
        cr_assert_eq(a.g[i], 0.0f);
    model_free(&a);
    model_free(&b);
    model_free(&d);
}

Test(model, zero_grad_clears_gradients) {
    ModelConfig c;
    rt_cfg(&c);
    Model m;
    cr_assert_eq(model_init(&m, &c, 1, NULL), 0);
    for (size_t i = 0; i < m.n; i++)
        m.g[i] = 1.0f;
    model_zero_grad(&m);
    for (size_t i = 0; i < m.n; i++)
        cr_assert_eq(m.g[i], 0.0f);
    model_free(&m);
}

Test(model, schedule_parsing) {
    ModelConfig c;
    rt_cfg(&c);
    RtErr e;
    cr_assert_eq(model_parse_schedule(&c, "0.4,0.2,0.1,0", &e), 0, "%s", e.msg);
    cr_assert_eq(c.nsched, 4);
    cr_assert_float_eq(c.sched[0], 0.4f, 1e-7);
    cr_assert_eq(c.sched[3], 0.0f);
    cr_assert_eq(model_parse_schedule(&c, "0", &e), 0);
    cr_assert_eq(c.nsched, 1);
    const char *bad[] = {"0.2,0.3,0",   /* increasing */
                         "0.3,0.3,0",   /* not strictly decreasing */
                         "0.5,0.2",     /* not ending at 0 */
                         "",            /* empty */
                         "0.5,,0",      /* not numbers */
                         "abc",         /* not numbers */
                         "1.0,0",       /* out of [0, 1) */
                         "0.5,-0.1,0"}; /* negative */
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ModelConfig k = c;
        e.msg[0] = 0;
        cr_assert_eq(model_parse_schedule(&k, bad[i], &e), -1, "accepted '%s'", bad[i]);
        cr_assert_neq(e.msg[0], 0, "no message for '%s'", bad[i]);
        cr_assert_eq(k.nsched, c.nsched, "'%s' changed the config", bad[i]);
    }
    char many[512] = "";
    for (int i = SCHED_MAX; i >= 0; i--) /* SCHED_MAX + 1 values */
        snprintf(many + strlen(many), sizeof many - strlen(many), "%s%g", i < SCHED_MAX ? "," : "",
                 i * 0.01);
    cr_assert_eq(model_parse_schedule(&c, many, &e), -1);
}

Test(model, config_check_rejects_out_of_range) {
    ModelConfig c, k;
    rt_cfg(&c);
    RtErr e;
    cr_assert_eq(model_config_check(&c, &e), 0, "%s", e.msg);
#define REJECT(field, value, word)                                                                 \
    do {                                                                                           \
        k = c;                                                                                     \
        k.field = value;                                                                           \
        e.msg[0] = 0;                                                                              \
        cr_assert_eq(model_config_check(&k, &e), -1, #field " = " #value " accepted");             \
        cr_assert(strstr(e.msg, word) != NULL, "message '%s' should name '%s'", e.msg, word);      \
    } while (0)
    REJECT(L, 0, "layers");
    REJECT(L, RT_MAX_L + 1, "layers");
    REJECT(B, 0, "blocks");
    REJECT(B, RT_MAX_B + 1, "blocks");
    REJECT(H, 0, "width");
    REJECT(C, 1, "classes");
    REJECT(C, RT_MAX_C + 1, "classes");
    REJECT(tau, 0.0f, "tau");
    REJECT(tau, 1.5f, "tau");
    REJECT(D, 36, "shape");
    REJECT(arch, 7, "architecture");
    REJECT(nsched, 0, "schedule");
    REJECT(nsched, SCHED_MAX + 1, "schedule");
    REJECT(sched[c.nsched - 1], 0.001f, "schedule");
    REJECT(sched[1], 0.9f, "schedule");
#undef REJECT
    Model m;
    k = c;
    k.B = 0;
    cr_assert_eq(model_init(&m, &k, 1, &e), -1);
    cr_assert_null(m.w);
}
