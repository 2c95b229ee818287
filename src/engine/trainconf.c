/* trainconf.c — TrainConfig defaults and the θ-policy parser (trainer.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "range.h"
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
        /* X as the trainer stores it: in RANGE_THETA as written and as a float */
        const char *x0 = s + 6;
        char *end, r[32];
        double x = (*x0 >= '0' && *x0 <= '9') || *x0 == '.' ? strtod(x0, &end) : NAN;
        if (!isfinite(x) || *end || !range_has(&RANGE_THETA, x) ||
            !range_has(&RANGE_THETA, (float)x))
            return rt_err(e, "--policy: '%s': fixed:X needs X in %s", s,
                          range_str(&RANGE_THETA, r, sizeof r));
        tc->policy = POL_FIXED;
        tc->fixed_theta = (float)x;
    } else
        return rt_err(e, "--policy: '%s' is not unfold, zero, random or fixed:X", s);
    return 0;
}
