/* optim.h — Adam over the model's flat parameter buffer. */
#ifndef RTVIZ_OPTIM_H
#define RTVIZ_OPTIM_H

#include <stddef.h>
#include <stdint.h>

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
/* The undoable step in pieces, for a caller that updates each part of the
 * buffer as soon as its gradient is final (the MLP's backward, mlp.h):
 * adam_begin takes the step (t, bias corrections) and names the buffers;
 * adam_range updates [i0, i1) exactly as adam_step_undoable does (the same
 * bits: the update is elementwise) and keeps the part's largest exponent
 * fields in slot (< ADAM_MAX_SLOTS; slots start clear, a slot may serve
 * several ranges, ranges must not overlap and must together cover [0, n));
 * adam_end returns what adam_step_undoable returns and leaves the same
 * state. Ranges in different slots may run on different threads. */
#define ADAM_MAX_SLOTS 64
typedef struct {
    float *w, *m, *v;    /* parameters, moments before the step (n each) */
    const float *g;      /* gradients (n) */
    float *w0, *m1, *v1; /* undo: weights before; the new moments (n each) */
    size_t n;            /* elements */
    float b1, b2, eps;   /* Adam hyper-parameters */
    float step, rbc2;    /* lr / (1 - b1^t), 1 / sqrt(1 - b2^t) */
    long t0;             /* step count before the step */
    uint32_t eg[ADAM_MAX_SLOTS], ew[ADAM_MAX_SLOTS]; /* per slot: largest exponent of g, new w */
} AdamStep;
void adam_begin(Adam *a, Model *m, AdamUndo *u, AdamStep *s);
void adam_range(AdamStep *s, size_t i0, size_t i1, int slot);
int adam_end(Adam *a, AdamUndo *u, AdamStep *s);

/* Back to the state u holds (weights copied, moments swapped, t); u's moment
 * buffers then hold the moments it replaced (scratch for the next step). */
void adam_restore(Adam *a, Model *m, AdamUndo *u);

#endif
