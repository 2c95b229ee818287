/* specialty.h — what one block of a RayTracing network is for: the test
 * images it fires hardest for at their sweep's stop, and its share of each
 * class (the projector window shows it when a block is clicked). */
#ifndef RTVIZ_SPECIALTY_H
#define RTVIZ_SPECIALTY_H

#include <stdint.h>

#include "common.h"
#include "dataset.h"
#include "model.h"

#define SPEC_TOP     12            /* images listed */
#define SPEC_MAX_PIX (3 * 32 * 32) /* pixels kept per image (the view's limit) */

typedef struct {
    int l, i;                                /* the block: layer, index (from 0) */
    int n;                                   /* test images looked at */
    int nactive;                             /* of them, with the block active at their stop */
    int ntop;                                /* images in top (<= SPEC_TOP; only active ones) */
    int top[SPEC_TOP];                       /* their test indices, highest rate first */
    float top_rate[SPEC_TOP];                /* the block's firing rate r at their stop */
    int top_label[SPEC_TOP];                 /* their true labels */
    uint8_t top_pix[SPEC_TOP][SPEC_MAX_PIX]; /* their pixels, ch*h*w */
    int C;                                   /* classes */
    int class_n[RT_MAX_C];                   /* test images of each class looked at */
    int class_active[RT_MAX_C];              /* of them, with the block active at their stop */
} RtSpecialty;

/* Sweep the first `limit` test images of s (0 = all) with τ and the θ floor
 * and fill out for block (l, i): the SPEC_TOP images with the highest rate
 * r_i at their stop among those for which it is active (ties: lower index
 * first), and per class how many images had it active. An RT model only.
 * 0, or -1 with e filled (bad block, an MLP, out of memory). */
int rt_specialty(const Model *m, const DataSplit *s, float tau, float floor, int l, int i,
                 int limit, RtSpecialty *out, RtErr *e);

#endif
