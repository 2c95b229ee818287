/* test_modelflags.c — the one merge of command-line settings into a loaded
 * network (src/engine/modelflags.c), used by `rtviz train` and the UI. */
#include <criterion/criterion.h>
#include <string.h>

#include "modelflags.h"

static Dataset ds;
static Model m;

static void setup(void) {
    RtErr e = {{0}};
    cr_assert_eq(dataset_load("sample", &ds, &e), 0, "%s", e.msg);
    ModelConfig c;
    model_config_default(&c, ARCH_RT, ds.train.ch, ds.train.h, ds.train.w, ds.classes);
    c.B = 2;
    c.H = 4;
    cr_assert_eq(model_init(&m, &c, 1, &e), 0, "%s", e.msg);
}

static void teardown(void) {
    model_free(&m);
    dataset_free(&ds);
}

TestSuite(modelflags, .init = setup, .fini = teardown);

Test(modelflags, seed_rule) {
    CkptMeta meta = {.seed = 5, .epoch = 2};
    ModelFlags f;
    memset(&f, 0, sizeof f);
    uint64_t seed = 0;
    int usage = -1;
    RtErr e = {{0}};
    cr_assert_eq(model_flags_merge(&m, "m.ckpt", &meta, &ds, &f, &seed, &usage, &e), 0, "%s",
                 e.msg);
    cr_assert_eq(seed, 7, "the checkpoint's seed plus its epochs: a new data order");
    cr_assert_eq(usage, 0);
    f.given = MF_SEED;
    f.seed = 42;
    cr_assert_eq(model_flags_merge(&m, "m.ckpt", &meta, &ds, &f, &seed, &usage, &e), 0);
    cr_assert_eq(seed, 42, "--seed wins");
}

Test(modelflags, tau_and_schedule_apply) {
    CkptMeta meta = {0};
    ModelFlags f;
    memset(&f, 0, sizeof f);
    f.given = MF_TAU | MF_SCHEDULE;
    f.tau = 0.6f;
    f.nsched = 3;
    f.sched[0] = 0.4f;
    f.sched[1] = 0.1f;
    f.sched[2] = 0.0f;
    uint64_t seed;
    RtErr e = {{0}};
    cr_assert_eq(model_flags_merge(&m, "m.ckpt", &meta, &ds, &f, &seed, NULL, &e), 0, "%s", e.msg);
    cr_assert_float_eq(m.cfg.tau, 0.6f, 0.0f);
    cr_assert_eq(m.cfg.nsched, 3);
    cr_assert_float_eq(m.cfg.sched[1], 0.1f, 0.0f);
    cr_assert_eq(m.cfg.B, 2, "the shape stays");
}

Test(modelflags, refusals) {
    CkptMeta meta = {0};
    ModelFlags f;
    memset(&f, 0, sizeof f);
    f.given = MF_SHAPE;
    uint64_t seed;
    int usage = 0;
    RtErr e = {{0}};
    cr_assert_eq(model_flags_merge(&m, "m.ckpt", &meta, &ds, &f, &seed, &usage, &e), -1);
    cr_assert_eq(usage, 1, "shape flags are a usage error");
    cr_assert_str_eq(e.msg, MF_SHAPE_REFUSED);
    /* a model of another image size does not fit the data: a runtime error */
    f.given = 0;
    ModelConfig c = m.cfg;
    Model other;
    model_config_default(&c, ARCH_RT, 1, 16, 16, ds.classes);
    cr_assert_eq(model_init(&other, &c, 1, &e), 0, "%s", e.msg);
    cr_assert_eq(model_flags_merge(&other, "o.ckpt", &meta, &ds, &f, &seed, &usage, &e), -1);
    cr_assert_eq(usage, 0);
    cr_assert(strstr(e.msg, "o.ckpt") && strstr(e.msg, "1x16x16"), "%s", e.msg);
    model_free(&other);
    /* a bad τ is refused and the model keeps its own */
    float tau = m.cfg.tau;
    f.given = MF_TAU;
    f.tau = 1.5f;
    cr_assert_eq(model_flags_merge(&m, "m.ckpt", &meta, &ds, &f, &seed, &usage, &e), -1);
    cr_assert_eq(usage, 1);
    cr_assert_float_eq(m.cfg.tau, tau, 0.0f);
}
