/* range.h — the value range of every setting the engine checks, written
 * once (docs/DESIGN.md §3.2). The option table (src/cmd/opts.c), scenario
 * headers, model_config_check and the trainer all test against these, and
 * --help prints them, so a limit cannot differ between two places. */
#ifndef RTVIZ_RANGE_H
#define RTVIZ_RANGE_H

#include <stddef.h>

typedef struct {
    double lo, hi;         /* bounds */
    unsigned char lo_open; /* 1: lo itself is outside */
    unsigned char hi_open; /* 1: hi itself is outside */
    unsigned char integer; /* 1: whole numbers (printed "1-8") */
} RtRange;

extern const RtRange RANGE_LAYERS;  /* RT hidden layers L: 1-RT_MAX_L */
extern const RtRange RANGE_BLOCKS;  /* RT blocks per layer B: 1-RT_MAX_B */
extern const RtRange RANGE_WIDTH;   /* RT block width H: 1-4096 */
extern const RtRange RANGE_HIDDEN;  /* an MLP hidden width: 1-8192 */
extern const RtRange RANGE_TAU;     /* sweep stop confidence τ: (0, 1] */
extern const RtRange RANGE_SCHED;   /* a θ schedule step: [0, 1) */
extern const RtRange RANGE_THETA;   /* a θ training runs at (floor, fixed:X): [0, 0.5);
                                       at θ ≥ 1/2 no block can fire (r ≤ 1 − θ ≤ θ) */
extern const RtRange RANGE_BATCH;   /* minibatch size: 1-4096 */
extern const RtRange RANGE_LR;      /* Adam learning rate: (0, 1] */
extern const RtRange RANGE_THREADS; /* worker threads, 0 = all cores: 0-64 */

/* The θ from which no ray can reach the output of an RT network of L
 * layers: 1/(L+1), or RANGE_THETA's 1/2 if that is lower (docs/DESIGN.md
 * §1.5); 1/2 for the MLP (arch != 0), which has no θ. A floor or fixed θ
 * must stay below it. */
double range_theta_max(int arch, int L);

/* f moved into [0, range_theta_max(arch, L)): below 0 it becomes 0, at or
 * above the bound the largest multiple of 0.01 below it (the UI's floor
 * steps). */
float range_theta_clamp(float f, int arch, int L);

/* 1 when v lies in r (a NaN never does). */
int range_has(const RtRange *r, double v);

/* r as text: "1-8" for whole numbers, "(0, 1]" / "[0, 0.5)" otherwise.
 * Returns buf. */
const char *range_str(const RtRange *r, char *buf, size_t n);

#endif
