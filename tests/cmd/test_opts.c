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
