/* test_opts.c — the one option table and parser (src/cmd/opts.c). */
#include <criterion/criterion.h>
#include <string.h>

#include "cmd/opts.h"

static int parse(Opts *o, uint64_t allowed, int max_pos, RtErr *e, int argc, char **argv) {
    opts_default(o);
    return opts_parse(o, argc, argv, allowed, max_pos, e);
}

Test(opts, defaults_match_the_engine) {
    Opts o;
    opts_default(&o);
    ModelConfig mc, d;
    RtErr e = {{0}};
    cr_assert_eq(opts_model_config(&o, &mc, 1, 28, 28, 10, &e), 0, "%s", e.msg);
    model_config_default(&d, ARCH_RT, 1, 28, 28, 10);
    cr_assert_eq(mc.L, d.L);
    cr_assert_eq(mc.B, d.B);
    cr_assert_eq(mc.H, d.H);
    cr_assert_float_eq(mc.tau, d.tau, 1e-9);
    /* the usage text shows each default: it must be the engine's */
    char buf[8192];
    FILE *f = fmemopen(buf, sizeof buf, "w");
    opts_usage(f, OPTS_UI);
    fclose(f);
    char want[64];
    snprintf(want, sizeof want, "(default %d)", d.H);
    cr_assert_not_null(strstr(strstr(buf, "--width"), want), "%s", buf);
    snprintf(want, sizeof want, "(default %d)", d.L);
    cr_assert_not_null(strstr(strstr(buf, "--layers"), want), "%s", buf);
    snprintf(want, sizeof want, "(default %d)", d.B);
    cr_assert_not_null(strstr(strstr(buf, "--blocks"), want), "%s", buf);
}

Test(opts, values_and_forms) {
    Opts o;
    RtErr e = {{0}};
    char *argv[] = {"--dataset",
                    "mnist",
                    "--width=64",
                    "--tau",
                    "0.8",
                    "--policy",
                    "fixed:0.1",
                    "--hidden",
                    "128,64",
                    "--seed",
                    "18446744073709551615",
                    "--json"};
    cr_assert_eq(parse(&o, ~0ull, 0, &e, 12, argv), 0, "%s", e.msg);
    cr_assert_str_eq(o.dataset, "mnist");
    cr_assert_eq(o.width, 64);
    cr_assert_float_eq(o.tau, 0.8f, 1e-6);
    cr_assert_eq(o.tc.policy, POL_FIXED);
    cr_assert_float_eq(o.tc.fixed_theta, 0.1f, 1e-6);
    cr_assert_eq(o.nhidden, 2);
    cr_assert_eq(o.hidden[1], 64);
    cr_assert_eq(o.tc.seed, UINT64_MAX);
    cr_assert(o.json);
    cr_assert(o.given & OPTBIT(OPT_WIDTH));
    cr_assert_not(o.given & OPTBIT(OPT_LAYERS));
}

/* Each bad input is rejected with one line naming the flag. */
Test(opts, bad_values_name_the_flag) {
    struct {
        char *a[3];
        int n;
        const char *flag;
    } cases[] = {
        {{"--layers", "0"}, 2, "--layers"},
        {{"--layers", "9"}, 2, "--layers"},
        {{"--blocks", "17"}, 2, "--blocks"},
        {{"--width", "x"}, 2, "--width"},
        {{"--tau", "0"}, 2, "--tau"},
        {{"--tau", "1.5"}, 2, "--tau"},
        {{"--tau", "nan"}, 2, "--tau"},
        {{"--lr", "-1"}, 2, "--lr"},
        {{"--floor", "1"}, 2, "--floor"},
        {{"--seed", "-3"}, 2, "--seed"},
        {{"--policy", "sometimes"}, 2, "--policy"},
        {{"--policy", "fixed:1"}, 2, "--policy"},
        {{"--hidden", "1,,2"}, 2, "--hidden"},
        {{"--schedule", "0.1,0.2,0"}, 2, "--schedule"},
        {{"--schedule", "0.5,0.1"}, 2, "--schedule"},
        {{"--arch", "cnn"}, 2, "--arch"},
        {{"--epochs"}, 1, "--epochs"},
        {{"--bogus"}, 1, "--bogus"},
        {{"-x"}, 1, "-x"},
        {{"--json=1"}, 1, "--json"},
        {{"--threads", "65"}, 2, "--threads"},
        {{"--lr-schedule", "step"}, 2, "--lr-schedule"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        Opts o;
        RtErr e = {{0}};
        cr_assert_eq(parse(&o, ~0ull, 0, &e, cases[i].n, cases[i].a), -1, "case %zu accepted", i);
        cr_assert_not_null(strstr(e.msg, cases[i].flag), "case %zu: %s", i, e.msg);
        cr_assert_null(strchr(e.msg, '\n'), "case %zu: more than one line", i);
    }
}

Test(opts, allowed_mask_and_positionals) {
    Opts o;
    RtErr e = {{0}};
    char *a1[] = {"--json"};
    cr_assert_eq(parse(&o, OPTBIT(OPT_MODEL), 0, &e, 1, a1), -1);
    cr_assert_not_null(strstr(e.msg, "unknown option '--json'"), "%s", e.msg);
    char *a2[] = {"img.png", "--", "--not-a-flag.png"};
    cr_assert_eq(parse(&o, 0, 5, &e, 3, a2), 0, "%s", e.msg);
    cr_assert_eq(o.npos, 2);
    cr_assert_str_eq(o.pos[1], "--not-a-flag.png");
    opts_free(&o);
    char *a3[] = {"stray"};
    cr_assert_eq(parse(&o, 0, 0, &e, 1, a3), -1);
    cr_assert_not_null(strstr(e.msg, "stray"), "%s", e.msg);
    char *a4[] = {"--help", "--version"};
    cr_assert_eq(parse(&o, 0, 0, &e, 2, a4), 0);
    cr_assert(o.help && o.version);
}

Test(opts, tutorial_takes_an_optional_number) {
    Opts o;
    RtErr e = {{0}};
    char *a1[] = {"--tutorial", "3", "--sdl"};
    cr_assert_eq(parse(&o, OPTS_UI, 0, &e, 3, a1), 0, "%s", e.msg);
    cr_assert_eq(o.tutorial, 3);
    cr_assert(o.sdl);
    char *a2[] = {"--tutorial", "--no-mouse"};
    cr_assert_eq(parse(&o, OPTS_UI, 0, &e, 2, a2), 0, "%s", e.msg);
    cr_assert_eq(o.tutorial, 1);
    cr_assert(o.no_mouse);
}

/* Values the old parser let through into a silent no-op run, or read wrongly. */
Test(opts, values_that_round_or_hide_a_sign_are_refused) {
    struct {
        char *a[2];
        const char *want;
    } cases[] = {
        {{"--floor", "0.9999999"}, "--floor: 0.9999999 is out of range [0, 0.5)"},
        {{"--floor", "0.5"}, "--floor: 0.5 is out of range [0, 0.5)"},
        {{"--policy", "fixed:0.99999999"}, "fixed:X needs X in [0, 0.5)"},
        {{"--policy", "fixed: 0.1"}, "fixed:X needs X in"},
        {{"--schedule", "0.99999999,0"}, "rounds to 1 as a float"},
        {{"--tau", "1e-50"}, "rounds to 0 as a float"},
        {{"--lr", "1e-46"}, "rounds to 0 as a float"},
        {{"--seed", " -1"}, "--seed: ' -1' is not a non-negative whole number"},
        {{"--seed", "-1"}, "not a non-negative whole number"},
        {{"--seed", "+1"}, "not a non-negative whole number"},
        {{"--seed", "18446744073709551616"}, "not a non-negative whole number"},
        {{"--layers", " 3"}, "--layers: ' 3' is not a whole number"},
        {{"--layers", "+3"}, "is not a whole number"},
        {{"--layers", "3 "}, "is not a whole number"},
        {{"--tau", " 0.5"}, "--tau: ' 0.5' is not a number"},
        {{"--tau", "0.5 "}, "is not a number"},
        {{"--tau", "inf"}, "is not a number"},
        {{"--batch", "99999999999999999999"}, "out of range"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        Opts o;
        RtErr e = {{0}};
        cr_assert_eq(parse(&o, ~0ull, 0, &e, 2, cases[i].a), -1, "%s %s accepted", cases[i].a[0],
                     cases[i].a[1]);
        cr_assert_not_null(strstr(e.msg, cases[i].want), "%s %s: '%s'", cases[i].a[0],
                           cases[i].a[1], e.msg);
    }
    /* and the edges that are fine */
    Opts o;
    RtErr e = {{0}};
    char *ok[] = {"--floor", "0.49",   "--policy", "fixed:0",    "--tau",
                  "1",       "--seed", "0",        "--schedule", "0.9999999,0"};
    cr_assert_eq(parse(&o, ~0ull, 0, &e, 10, ok), 0, "%s", e.msg);
    cr_assert_float_eq(o.tc.floor, 0.49f, 1e-7);
    cr_assert_lt(o.sched[0], 1.0f);
}

/* A floor or fixed θ the network cannot pass is refused once its depth is known. */
Test(opts, theta_beyond_reach_of_the_network) {
    Opts o;
    RtErr e = {{0}};
    ModelConfig mc;
    char *a[] = {"--floor", "0.25"};
    cr_assert_eq(parse(&o, ~0ull, 0, &e, 2, a), 0, "%s", e.msg);
    model_config_default(&mc, ARCH_RT, 1, 28, 28, 10); /* L = 3: reach 1/4 */
    cr_assert_eq(opts_check_theta(&o, &mc, &e), -1);
    cr_assert_not_null(strstr(e.msg, "--floor 0.25"), "%s", e.msg);
    mc.L = 2; /* reach 1/3 */
    cr_assert_eq(opts_check_theta(&o, &mc, &e), 0, "%s", e.msg);
    char *b[] = {"--policy", "fixed:0.4"};
    cr_assert_eq(parse(&o, ~0ull, 0, &e, 2, b), 0, "%s", e.msg);
    cr_assert_eq(opts_check_theta(&o, &mc, &e), -1);
    cr_assert_not_null(strstr(e.msg, "fixed:X"), "%s", e.msg);
    mc.arch = ARCH_MLP; /* no θ at all */
    cr_assert_eq(opts_check_theta(&o, &mc, &e), 0, "%s", e.msg);
}

/* --help prints, for every option with a default, the value opts_default sets. */
Test(opts, usage_shows_the_values_the_code_uses) {
    Opts o;
    opts_default(&o);
    TrainConfig tc;
    train_config_default(&tc);
    char buf[16384];
    FILE *f = fmemopen(buf, sizeof buf, "w");
    opts_usage(f, ~0ull);
    fclose(f);
    char want[128];
    struct {
        const char *flag;
        const char *fmt;
        double v;
    } num[] = {
        {"--epochs", "(default %.0f)", o.epochs},
        {"--batch", "(default %.0f)", tc.batch},
        {"--lr", "(default %g)", tc.lr},
        {"--floor", "(default %g)", tc.floor},
        {"--tau", "(default %g)", o.tau},
        {"--threads", "(default %.0f)", tc.threads},
        {"--step-ms", "(default %.0f)", o.step_ms},
        {"--seed", "(default %.0f)", (double)tc.seed},
    };
    for (size_t i = 0; i < sizeof num / sizeof num[0]; i++) {
        char *line = strstr(buf, num[i].flag);
        cr_assert_not_null(line, "%s missing", num[i].flag);
        snprintf(want, sizeof want, num[i].fmt, num[i].v);
        char *eol = strchr(line, '\n');
        cr_assert_not_null(eol);
        *eol = 0;
        cr_assert_not_null(strstr(line, want), "'%s' lacks %s", line, want);
        *eol = '\n';
    }
    /* the schedule, from model.c, every step */
    ModelConfig mc;
    model_config_default(&mc, ARCH_RT, 1, 28, 28, 10);
    size_t k = (size_t)snprintf(want, sizeof want, "(default ");
    for (int i = 0; i < mc.nsched; i++)
        k += (size_t)snprintf(want + k, sizeof want - k, "%s%g", i ? "," : "", (double)mc.sched[i]);
    cr_assert_not_null(strstr(buf, want), "%s", want);
    /* ranges come from range.h */
    cr_assert_not_null(strstr(buf, "RT hidden layers, 1-8"), "%s", buf);
    cr_assert_not_null(strstr(buf, "below, in [0, 0.5)"), "%s", buf);
    cr_assert_null(strstr(buf, "%R"), "%s", buf);
    cr_assert_null(strstr(buf, "(default )"), "%s", buf);
    cr_assert_null(strstr(buf, "(default -1)"), "%s", buf);
}

/* opts_set: one option by name, as a header line gives it. */
Test(opts, set_by_name_with_a_label) {
    Opts o;
    RtErr e = {{0}};
    opts_default(&o);
    cr_assert_eq(opts_set(&o, "width", "64", ~0ull, "ch.md:2: width", &e), 0, "%s", e.msg);
    cr_assert_eq(o.width, 64);
    cr_assert(o.given & OPTBIT(OPT_WIDTH));
    cr_assert_eq(opts_set(&o, "floor", "0.7", ~0ull, "ch.md:3: floor", &e), -1);
    cr_assert_str_eq(e.msg, "ch.md:3: floor: 0.7 is out of range [0, 0.5)");
    cr_assert_eq(opts_set(&o, "schedule", "0.5,0.6,0", ~0ull, "ch.md:4: schedule", &e), -1);
    cr_assert(!strncmp(e.msg, "ch.md:4: schedule: values must strictly decrease", 48), "%s", e.msg);
    cr_assert_eq(opts_set(&o, "policy", "often", ~0ull, "ch.md:5: policy", &e), -1);
    cr_assert(!strncmp(e.msg, "ch.md:5: policy: 'often'", 24), "%s", e.msg);
    cr_assert_eq(opts_set(&o, "no-mouse", "yes", ~0ull, "x", &e), 0, "%s", e.msg);
    cr_assert_eq(o.no_mouse, 1);
    cr_assert_eq(opts_set(&o, "no-mouse", "no", ~0ull, "x", &e), 0, "%s", e.msg);
    cr_assert_eq(o.no_mouse, 0);
    cr_assert_eq(opts_set(&o, "no-mouse", "maybe", ~0ull, "x: no-mouse", &e), -1);
    cr_assert_eq(opts_set(&o, "bogus", "1", ~0ull, "ch.md:6: bogus", &e), -1);
    cr_assert_str_eq(e.msg, "ch.md:6: bogus: unknown setting");
    cr_assert_eq(opts_set(&o, "json", "yes", OPTBIT(OPT_WIDTH), "ch.md:7: json", &e), -1);
    cr_assert_eq(opts_set(&o, "width", "", ~0ull, "ch.md:8: width", &e), -1);
    cr_assert_not_null(strstr(e.msg, "needs a value"), "%s", e.msg);
}
