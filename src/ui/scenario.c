/* scenario.c — the default Scenario and the network shape it asks for
 * (scenario.h). */
#include "scenario.h"

#include <stdio.h>
#include <string.h>

void scenario_default(Scenario *sc) {
    memset(sc, 0, sizeof *sc);
    snprintf(sc->dataset, sizeof sc->dataset, "fashionmnist");
    sc->dataset_fallback = 1;
    sc->arch = ARCH_RT;
    sc->nhidden = -1;
    train_config_default(&sc->tc);
    sc->flags.seed = sc->tc.seed;
    sc->view = SCN_VIEW_NETWORK;
    sc->theta_step = -1;
    sc->step_ms = 150;
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
