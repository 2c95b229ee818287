/* fuzz_scenario.c — libFuzzer harness for chapter headers (scenario_parse,
 * src/cmd/scenario_parse.c).
 *
 * Input: the chapter's text (cut at the first NUL). After a successful parse
 * every value must be inside its range and the body offset inside the text;
 * after a failure the message must be one non-empty line starting with the
 * file name. A violated invariant aborts (a finding). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/opts.h"

#define CHECK(c)                                                                                   \
    do {                                                                                           \
        if (!(c)) abort();                                                                         \
    } while (0)

static Scenario sc;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char *text = malloc(size + 1);
    if (!text) return 0;
    memcpy(text, data, size);
    text[size] = 0;
    RtErr e = {{0}};
    if (scenario_parse(text, "ch.md", &sc, &e) == 0) {
        CHECK(sc.body_off <= strlen(text));
        CHECK(sc.body_line >= 2);
        CHECK(strlen(sc.title) < SCN_TITLE_MAX);
        CHECK(sc.nfacts >= 0 && sc.nfacts <= SCN_FACTS_MAX);
        CHECK(sc.view >= SCN_VIEW_NETWORK && sc.view <= SCN_VIEW_DRAW);
        CHECK(sc.theta_step >= -1 && sc.theta_step < SCHED_MAX);
        CHECK(sc.train_steps >= 0 && sc.trace_index >= 0);
        CHECK(sc.paused == 0 || sc.paused == 1);
        CHECK(range_has(&RANGE_THETA, sc.tc.floor));
        CHECK(range_has(&RANGE_TAU, sc.flags.tau));
        CHECK(sc.layers == 0 || range_has(&RANGE_LAYERS, sc.layers));
        if (!sc.model[0] && sc.arch == ARCH_RT)
            CHECK(sc.tc.floor < range_theta_max(ARCH_RT, sc.layers ? sc.layers : 3));
        for (int i = 0; i < sc.nfacts; i++)
            CHECK(strlen(sc.facts[i]) < SCN_FACT_MAX);
    } else {
        size_t n = strnlen(e.msg, sizeof e.msg);
        CHECK(n > 0 && n < sizeof e.msg);
        CHECK(!strncmp(e.msg, "ch.md:", 6));
        CHECK(!strchr(e.msg, '\n'));
    }
    free(text);
    return 0;
}
