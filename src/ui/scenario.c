/* scenario.c — the default Scenario and the network shape it asks for
 * (scenario.h). */
#include "scenario.h"

#include "cmd/opts.h"

#include <stdio.h>
#include <string.h>

void scenario_default(Scenario *sc) {
    Opts o;
    opts_default(&o);
    opts_scenario(&o, sc);
}

int scenario_model_config(const Scenario *sc, int ch, int h, int w, int C, ModelConfig *mc,
                          RtErr *e) {
    model_config_default(mc, sc->arch, ch, h, w, C);
    if (sc->layers > 0) mc->L = sc->layers;
    if (sc->blocks > 0) mc->B = sc->blocks;
    if (sc->width > 0) mc->H = sc->width;
    if (sc->nhidden >= 0) {
        mc->nhidden = sc->nhidden;
        memcpy(mc->hidden, sc->hidden, sizeof mc->hidden);
    }
    if (sc->flags.given & MF_TAU) mc->tau = sc->flags.tau;
    if (sc->flags.given & MF_SCHEDULE) {
        mc->nsched = sc->flags.nsched;
        memcpy(mc->sched, sc->flags.sched, sizeof mc->sched);
    }
    return model_config_check(mc, e);
}
