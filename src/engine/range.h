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

/* 1 when v lies in r (a NaN never does). */
int range_has(const RtRange *r, double v);

/* r as text: "1-8" for whole numbers, "(0, 1]" / "[0, 0.5)" otherwise.
 * Returns buf. */
const char *range_str(const RtRange *r, char *buf, size_t n);

#endif
