/* mlp.h — the dense MLP baseline (ReLU hidden layers, softmax cross-entropy),
 * trained by the same engine (DESIGN.md §1 Baseline). */
#ifndef RTVIZ_MLP_H
#define RTVIZ_MLP_H

#include <stdint.h>

#include "model.h"

typedef struct MlpWork MlpWork;
MlpWork *mlp_work_new(const Model *m, int maxN, RtErr *e);
void     mlp_work_free(MlpWork *w);

/* Forward of a batch X (N x D); probs (N x C) = softmax of the logits. */
void mlp_forward(const Model *m, MlpWork *w, const float *X, int N, float *probs);

/* Backward of Σ_n weight[n] * -log(p_n[y_n] + RT_EPS) for the last forward,
 * accumulating into m->g. Returns the weighted loss. */
double mlp_backward(Model *m, MlpWork *w, const uint8_t *y, const float *weight);

#endif
