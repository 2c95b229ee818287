/* trainconf.c — TrainConfig defaults and the θ-policy parser (trainer.h). */
#include <stdlib.h>
#include <string.h>
#include <math.h>

#include "trainer.h"

void train_config_default(TrainConfig *tc) {
    memset(tc, 0, sizeof *tc);
    tc->batch = 128;
    tc->lr = 1e-3f;
    tc->policy = POL_UNFOLD;
    tc->fixed_theta = 0.0f;
    tc->floor = 0.0f;
    tc->seed = 1;
    tc->threads = 0;
    tc->test_slice = 500;
}

int train_parse_policy(TrainConfig *tc, const char *s, RtErr *e) {
    if (!strcmp(s, "unfold"))
        tc->policy = POL_UNFOLD;
    else if (!strcmp(s, "zero"))
        tc->policy = POL_ZERO;
    else if (!strcmp(s, "random"))
        tc->policy = POL_RANDOM;
    else if (!strncmp(s, "fixed:", 6)) {
        char *end;
        double x = strtod(s + 6, &end);
        if (end == s + 6 || *end || !isfinite(x) || x < 0.0 || x >= 1.0)
            return rt_err(e, "--policy: '%s': fixed:X needs X in [0-1)", s);
        tc->policy = POL_FIXED;
        tc->fixed_theta = (float)x;
    } else
        return rt_err(e, "--policy: '%s' is not unfold, zero, random or fixed:X", s);
    return 0;
}
