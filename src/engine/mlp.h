/* mlp.h — the dense MLP baseline (ReLU hidden layers, softmax cross-entropy),
 * trained by the same engine (docs/DESIGN.md §1.7). */
#ifndef RTVIZ_MLP_H
#define RTVIZ_MLP_H

#include <stdint.h>

#include "dataset.h"
#include "model.h"
#include "optim.h"

typedef struct MlpWork MlpWork;
MlpWork *mlp_work_new(const Model *m, int maxN, RtErr *e);
void mlp_work_free(MlpWork *w);
/* Split each call over at most nthreads pool workers (0 = all of them, the
 * default). 1 runs inline on the caller in one part (from inside a pool task
 * the parts run inline anyway, pool.h). Results are reproducible bit for bit
 * for a fixed (pool size, nthreads). */
void mlp_work_set_threads(MlpWork *w, int nthreads);

/* Forward of a batch X (N x D), N <= maxN; probs (N x C) = softmax of the
 * logits (probs may be NULL). X is copied: it need not outlive the call. */
void mlp_forward(const Model *m, MlpWork *w, const float *X, int N, float *probs);
/* mlp_forward of the samples idx[0..N) of s (idx NULL: 0..N-1), which each
 * pool task converts for its own rows with data_batch_float (the same floats
 * as one conversion before the call, in parallel). */
void mlp_forward_samples(const Model *m, MlpWork *w, const DataSplit *s, const int *idx, int N,
                         float *probs);

/* Backward of Σ_n weight[n] * -log(p_n[y_n] + RT_EPS) for the last forward,
 * accumulating into m->g. Returns the weighted loss. */
double mlp_backward(Model *m, MlpWork *w, const uint8_t *y, const float *weight);

/* mlp_backward in its two halves, for a trainer that checks the loss before
 * it steps: mlp_backward_loss computes the loss and the per-sample gradients
 * (workspace only, m->g untouched) and returns the loss; then
 * mlp_backward_params with s == NULL accumulates the parameter gradients into
 * m->g, the same as mlp_backward. With s from adam_begin (optim.h) it
 * overwrites m->g instead (no zeroing needed) and runs adam_range on every
 * part of the buffer as soon as that part's gradient is final, while it is
 * in cache: with adam_end, the same bits as model_zero_grad, mlp_backward and
 * adam_step_undoable. The thread index of each pool task is its Adam slot. */
double mlp_backward_loss(Model *m, MlpWork *w, const uint8_t *y, const float *weight);
void mlp_backward_params(Model *m, MlpWork *w, AdamStep *s);

#endif
