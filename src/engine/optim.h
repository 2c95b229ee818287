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
 * count; from inside a pool task the slices run inline, pool.h). */
void adam_step(Adam *a, Model *m);

/* What undoes one step: the weights, moments and step count before it. The
 * buffers (n floats each) are owned by the AdamUndo; adam_step_undoable and
 * adam_restore swap the moment buffers with the Adam's instead of copying. */
typedef struct {
    float *w;     /* (n) weights before the step */
    float *m, *v; /* (n each) moments before the step */
    long t;       /* step count before the step */
} AdamUndo;

int adam_undo_init(AdamUndo *u, size_t n, RtErr *e); /* allocates; 0 or -1 */
void adam_undo_free(AdamUndo *u);

#define ADAM_BAD_GRAD   1 /* a gradient was Inf or NaN */
#define ADAM_BAD_WEIGHT 2 /* a new weight is Inf or NaN */
/* adam_step's update (the same bits) in one pass that also fills u with the
 * state before it (u's old contents are lost) and checks the gradient and the
 * new weights. Returns 0, or ADAM_BAD_GRAD | ADAM_BAD_WEIGHT: the step was
 * taken anyway; adam_restore(a, m, u) takes it back exactly. */
int adam_step_undoable(Adam *a, Model *m, AdamUndo *u);
/* Back to the state u holds (weights copied, moments swapped, t); u's moment
 * buffers then hold the moments it replaced (scratch for the next step). */
void adam_restore(Adam *a, Model *m, AdamUndo *u);

#endif
