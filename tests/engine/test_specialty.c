/* test_specialty.c — rt_specialty agrees with rt_trace image by image: the
 * top list is the active images with the highest rate at their stop, in
 * order, and the class counts add up; bad blocks and the MLP are refused. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "dataset.h"
#include "rtnet.h"
#include "specialty.h"

static Dataset ds;
static Model m;

static void setup(void) {
    RtErr e = {{0}};
    cr_assert_eq(dataset_load("sample", &ds, &e), 0, "%s", e.msg);
    ModelConfig c;
    model_config_default(&c, ARCH_RT, ds.test.ch, ds.test.h, ds.test.w, ds.classes);
    c.H = 12;
    cr_assert_eq(model_init(&m, &c, 7, &e), 0, "%s", e.msg);
}

static void teardown(void) {
    model_free(&m);
    dataset_free(&ds);
}

Test(specialty, matches_traces, .init = setup, .fini = teardown) {
    RtErr e = {{0}};
    const int N = 200, l = 1, i = 3;
    static RtSpecialty sp;
    cr_assert_eq(rt_specialty(&m, &ds.test, m.cfg.tau, 0.0f, l, i, N, &sp, &e), 0, "%s", e.msg);
    cr_assert_eq(sp.n, N);
    /* the same by hand */
    float *x = calloc((size_t)m.cfg.D, sizeof *x), *rate = calloc(N, sizeof *rate);
    RtTrace *tr = calloc(1, sizeof *tr);
    int active = 0, per_class[RT_MAX_C] = {0}, seen[RT_MAX_C] = {0};
    for (int j = 0; j < N; j++) {
        data_batch_float(&ds.test, &j, 1, x);
        rt_trace(&m, x, m.cfg.tau, 0.0f, tr, NULL);
        seen[ds.test.y[j]]++;
        rate[j] = -1.0f;
        if (tr->active[tr->stop][l][i]) {
            active++;
            per_class[ds.test.y[j]]++;
            rate[j] = tr->rate[tr->stop][l][i];
        }
    }
    cr_assert_eq(sp.nactive, active);
    int sum = 0;
    for (int c = 0; c < ds.classes; c++) {
        cr_assert_eq(sp.class_n[c], seen[c]);
        cr_assert_eq(sp.class_active[c], per_class[c]);
        sum += sp.class_active[c];
    }
    cr_assert_eq(sum, active);
    cr_assert_eq(sp.ntop, active < SPEC_TOP ? active : SPEC_TOP);
    cr_assert_gt(sp.ntop, 0, "an untrained block is active for some image at its stop");
    for (int k = 0; k < sp.ntop; k++) {
        int j = sp.top[k];
        cr_assert_float_eq(sp.top_rate[k], rate[j], 0.0f);
        cr_assert_eq(sp.top_label[k], ds.test.y[j]);
        cr_assert_eq(memcmp(sp.top_pix[k], ds.test.x + (size_t)j * ds.test.d, ds.test.d), 0);
        if (k > 0) cr_assert_geq(sp.top_rate[k - 1], sp.top_rate[k], "sorted by rate");
        /* nothing left out ranks above the last one listed */
    }
    float last = sp.top_rate[sp.ntop - 1];
    int above = 0;
    for (int j = 0; j < N; j++)
        if (rate[j] > last) above++;
    cr_assert_leq(above, sp.ntop);
    free(x);
    free(rate);
    free(tr);
}

Test(specialty, refuses_bad_blocks_and_mlp, .init = setup, .fini = teardown) {
    RtErr e = {{0}};
    static RtSpecialty sp;
    cr_assert_eq(rt_specialty(&m, &ds.test, 0.9f, 0.0f, m.cfg.L, 0, 10, &sp, &e), -1);
    cr_assert(strstr(e.msg, "does not exist"), "%s", e.msg);
    cr_assert_eq(rt_specialty(&m, &ds.test, 0.9f, 0.0f, 0, -1, 10, &sp, &e), -1);
    Model mlp;
    ModelConfig c;
    model_config_default(&c, ARCH_MLP, ds.test.ch, ds.test.h, ds.test.w, ds.classes);
    cr_assert_eq(model_init(&mlp, &c, 1, &e), 0, "%s", e.msg);
    cr_assert_eq(rt_specialty(&mlp, &ds.test, 0.9f, 0.0f, 0, 0, 10, &sp, &e), -1);
    cr_assert(strstr(e.msg, "MLP"), "%s", e.msg);
    model_free(&mlp);
}
