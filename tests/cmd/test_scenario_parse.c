/* test_scenario_parse.c — chapter headers validated by the option table, and
 * options into a Scenario (src/cmd/scenario_parse.c). */
#include <criterion/criterion.h>
#include <string.h>

#include "cmd/opts.h"

static Scenario sc; /* large */

Test(scenario_parse, a_full_header) {
    const char *text = "title: Easy and hard images\r\n"
                       "dataset: sample\n"
                       "model: assets/models/rt.ckpt\n"
                       "tau:   0.8  \n"
                       "floor: 0.05\n"
                       "seed: 4\n"
                       "view: gallery\n"
                       "image: 17\n"
                       "theta: 3\n"
                       "steps: 200\n"
                       "paused: yes\n"
                       "fact: trousers stop at θ = 0.2\n"
                       "fact: shirts light up every block\n"
                       "\n"
                       "Some text: with a colon.\n";
    RtErr e = {{0}};
    cr_assert_eq(scenario_parse(text, "03-easy.md", &sc, &e), 0, "%s", e.msg);
    cr_assert_str_eq(sc.title, "Easy and hard images");
    cr_assert_str_eq(sc.dataset, "sample");
    cr_assert_eq(sc.dataset_fallback, 0);
    cr_assert_str_eq(sc.model, "assets/models/rt.ckpt");
    cr_assert(sc.flags.given & MF_TAU);
    cr_assert_float_eq(sc.flags.tau, 0.8f, 1e-7);
    cr_assert_float_eq(sc.tc.floor, 0.05f, 1e-7);
    cr_assert(sc.flags.given & MF_SEED);
    cr_assert_eq(sc.flags.seed, 4);
    cr_assert_eq(sc.tc.seed, 4);
    cr_assert_eq(sc.view, SCN_VIEW_GALLERY);
    cr_assert_eq(sc.trace_index, 17);
    cr_assert_eq(sc.theta_step, 2, "theta: 3 is the third step");
    cr_assert_eq(sc.train_steps, 200);
    cr_assert_eq(sc.paused, 1);
    cr_assert_eq(sc.nfacts, 2);
    cr_assert_str_eq(sc.facts[1], "shirts light up every block");
    cr_assert_eq(sc.body_line, 15);
    cr_assert_str_eq(text + sc.body_off, "Some text: with a colon.\n");
    cr_assert_not(sc.flags.given & MF_SHAPE);
}

Test(scenario_parse, defaults_match_the_flags_and_the_table) {
    RtErr e = {{0}};
    cr_assert_eq(scenario_parse("\nonly text\n", "x.md", &sc, &e), 0, "%s", e.msg);
    Scenario d;
    scenario_default(&d);
    cr_assert_str_eq(sc.dataset, d.dataset);
    cr_assert_eq(sc.step_ms, d.step_ms);
    cr_assert_eq(sc.tc.batch, d.tc.batch);
    cr_assert_eq(sc.theta_step, -1);
    cr_assert_eq(sc.body_line, 2);
    Opts o;
    opts_default(&o);
    cr_assert_eq(d.step_ms, o.step_ms, "one default, from the table");
    cr_assert_eq(d.dataset_fallback, 1);
    cr_assert_eq(d.nhidden, -1);
    /* a fresh network's shape is marked given */
    cr_assert_eq(scenario_parse("layers: 2\nwidth: 16\n\n", "x.md", &sc, &e), 0, "%s", e.msg);
    cr_assert_eq(sc.layers, 2);
    cr_assert_eq(sc.width, 16);
    cr_assert_eq(sc.blocks, 0, "not given: the default");
    cr_assert(sc.flags.given & MF_SHAPE);
}

/* Every bad header line: one line naming the file, the line and the key. */
Test(scenario_parse, every_bad_line_names_file_line_and_key) {
    struct {
        const char *text;
        const char *want;
    } cases[] = {
        {"title: a\nflor: 0.1\n\n", "ch.md:2: unknown key 'flor'"},
        {"Title: a\n\n", "ch.md:1: unknown key 'Title'"},
        {"json: yes\n\n", "ch.md:1: unknown key 'json'"}, /* an option, not a scenario's */
        {"floor: 0.7\n\n", "ch.md:1: floor: 0.7 is out of range [0, 0.5)"},
        {"floor: 0.9999999\n\n", "ch.md:1: floor: 0.9999999 is out of range"},
        {"tau: 1e-50\n\n", "ch.md:1: tau: 1e-50 is out of range (0, 1] once stored"},
        {"layers: 9\n\n", "ch.md:1: layers: 9 is out of range (1-8)"},
        {"seed:  -1\n\n", "ch.md:1: seed: '-1' is not a non-negative whole number"},
        {"schedule: 0.5,0.6,0\n\n", "ch.md:1: schedule: values must strictly decrease"},
        {"policy: fixed:0.99999999\n\n", "ch.md:1: policy: 'fixed:0.99999999': fixed:X needs X"},
        {"arch: cnn\n\n", "ch.md:1: arch: 'cnn' is not rt or mlp"},
        {"hidden: 64,,32\n\n", "ch.md:1: hidden: bad list"},
        {"title: a\ntitle: b\n\n", "ch.md:2: title: given twice (first on line 1)"},
        {"floor: 0.1\ntau: 0.5\nfloor: 0.2\n\n", "ch.md:3: floor: given twice (first on line 1)"},
        {"title: a\ntau: 0.5\n", "ch.md:2: the header does not end with a blank line"},
        {"title: a\nThis is the text.\n",
         "ch.md:2: 'This is the text.' is not a `key: value` line"},
        {"title:\n\n", "ch.md:1: title: needs a value"},
        {"view: wide\n\n", "ch.md:1: view: 'wide' is not network, gallery, confusion or draw"},
        {"image: -3\n\n", "ch.md:1: image: '-3' is not a whole number"},
        {"image: 7x\n\n", "ch.md:1: image: '7x' is not a whole number"},
        {"theta: 0\n\n", "ch.md:1: theta: 0 is out of range (1-32)"},
        {"theta: high\n\n",
         "ch.md:1: theta: 'high' is not a θ step number (1 = the first) or stop"},
        {"steps: 1e3\n\n", "ch.md:1: steps: '1e3' is not a whole number"},
        {"paused: maybe\n\n", "ch.md:1: paused: 'maybe' is not yes or no"},
        {"title: a\x1b[31m\n\n", "ch.md:1: title: the value holds a control character"},
        {"model: m.ckpt\nlayers: 2\n\n",
         "ch.md:2: layers: cannot change the network of the model given on line 1"},
        {"floor: 0.3\n\n", "ch.md:1: floor 0.3: at θ ≥ 1/(L+1) = 0.25 no ray reaches the output"},
        {"layers: 1\npolicy: fixed:0.45\nfloor: 0.1\n\n", NULL}, /* fine: 1/(1+1) = 0.5 */
        {"layers: 2\npolicy: fixed:0.4\n\n", "ch.md:2: policy fixed:X 0.4: at θ ≥ 1/(L+1)"},
    };
    char fact[512] = "fact: ";
    memset(fact + 6, 'x', 300);
    strcpy(fact + 306, "\n\n");
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        RtErr e = {{0}};
        int rc = scenario_parse(cases[i].text, "ch.md", &sc, &e);
        if (!cases[i].want) {
            cr_assert_eq(rc, 0, "case %zu: %s", i, e.msg);
            continue;
        }
        cr_assert_eq(rc, -1, "case %zu accepted: %s", i, cases[i].text);
        cr_assert(!strncmp(e.msg, cases[i].want, strlen(cases[i].want)), "case %zu: '%s'", i,
                  e.msg);
        cr_assert_null(strchr(e.msg, '\n'), "case %zu: more than one line", i);
    }
    RtErr e = {{0}};
    cr_assert_eq(scenario_parse(fact, "ch.md", &sc, &e), -1);
    cr_assert_str_eq(e.msg, "ch.md:1: fact: longer than 255 bytes");
    char many[4096] = "";
    for (int i = 0; i < 17; i++)
        strcat(many, "fact: f\n");
    strcat(many, "\n");
    cr_assert_eq(scenario_parse(many, "ch.md", &sc, &e), -1);
    cr_assert_str_eq(e.msg, "ch.md:17: fact: more than 16 fact lines");
    cr_assert_eq(scenario_parse("", "ch.md", &sc, &e), -1, "an empty file has no blank line");
    cr_assert(strstr(e.msg, "does not end with a blank line"), "%s", e.msg);
}

/* Options into a Scenario: what was given is marked, strings are copied. */
Test(scenario_parse, opts_into_a_scenario) {
    Opts o;
    RtErr e = {{0}};
    char ds[] = "mnist";
    char *argv[] = {"--dataset", ds, "--tau", "0.7", "--hidden", "64,32", "--step-ms", "40"};
    opts_default(&o);
    cr_assert_eq(opts_parse(&o, 8, argv, ~0ull, 0, &e), 0, "%s", e.msg);
    opts_scenario(&o, &sc);
    ds[0] = 'X'; /* copied, not pointed at */
    cr_assert_str_eq(sc.dataset, "mnist");
    cr_assert_eq(sc.dataset_fallback, 0);
    cr_assert_eq(sc.flags.given, MF_TAU | MF_SHAPE);
    cr_assert_float_eq(sc.flags.tau, 0.7f, 1e-7);
    cr_assert_eq(sc.nhidden, 2);
    cr_assert_eq(sc.hidden[1], 32);
    cr_assert_eq(sc.step_ms, 40);
    cr_assert_eq(sc.layers, 0, "not given: the default");
}
