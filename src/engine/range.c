/* range.c — see range.h. */
#include "range.h"

#include <math.h>
#include <stdio.h>

#include "model.h"

const RtRange RANGE_LAYERS = {1, RT_MAX_L, 0, 0, 1};
const RtRange RANGE_BLOCKS = {1, RT_MAX_B, 0, 0, 1};
const RtRange RANGE_WIDTH = {1, 4096, 0, 0, 1};
const RtRange RANGE_HIDDEN = {1, 8192, 0, 0, 1};
const RtRange RANGE_TAU = {0, 1, 1, 0, 0};
const RtRange RANGE_SCHED = {0, 1, 0, 1, 0};
const RtRange RANGE_THETA = {0, 0.5, 0, 1, 0};
const RtRange RANGE_BATCH = {1, 4096, 0, 0, 1};
const RtRange RANGE_LR = {0, 1, 1, 0, 0};
const RtRange RANGE_THREADS = {0, 64, 0, 0, 1};

double range_theta_max(int arch, int L) {
    double reach = arch == 0 && L > 0 ? 1.0 / (L + 1) : 1.0;
    return reach < RANGE_THETA.hi ? reach : RANGE_THETA.hi;
}

float range_theta_clamp(float f, int arch, int L) {
    double top = range_theta_max(arch, L);
    if (!(f >= 0.0f)) return 0.0f;
    if (f < top) return f;
    return (float)(ceil(top * 100.0 - 1.0 - 1e-9) / 100.0);
}

int range_has(const RtRange *r, double v) {
    if (!(v == v)) return 0;
    if (r->lo_open ? !(v > r->lo) : !(v >= r->lo)) return 0;
    if (r->hi_open ? !(v < r->hi) : !(v <= r->hi)) return 0;
    return 1;
}

const char *range_str(const RtRange *r, char *buf, size_t n) {
    if (r->integer)
        snprintf(buf, n, "%.0f-%.0f", r->lo, r->hi);
    else
        snprintf(buf, n, "%c%g, %g%c", r->lo_open ? '(' : '[', r->lo, r->hi,
                 r->hi_open ? ')' : ']');
    return buf;
}
