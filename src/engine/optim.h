/* optim.h — Adam over the model's flat parameter buffer. */
#ifndef RTVIZ_OPTIM_H
#define RTVIZ_OPTIM_H

#include <stddef.h>

#include "common.h"
#include "model.h"

typedef struct {
    float lr, beta1, beta2, eps; /* 1e-3, 0.9, 0.999, 1e-8 */
    long t;                      /* steps taken */
    size_t n;                    /* parameters */
    float *m, *v;                /* first / second moments, n each */
} Adam;

int adam_init(Adam *a, size_t n, float lr, RtErr *e);
void adam_free(Adam *a);
/* w -= lr * mhat / (sqrt(vhat) + eps), from m->g; does not zero g. Large
 * models are split over the pool (elementwise: the same bits at any thread
 * count); like every pool user, call it from outside pool tasks. */
void adam_step(Adam *a, Model *m);

#endif
