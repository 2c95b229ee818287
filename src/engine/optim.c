/* optim.c — Adam over the flat parameter buffer (one loop). See optim.h. */
#include "optim.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int adam_init(Adam *a, size_t n, float lr, RtErr *e) {
    memset(a, 0, sizeof *a);
    a->lr = lr;
    a->beta1 = 0.9f;
    a->beta2 = 0.999f;
    a->eps = 1e-8f;
    a->n = n;
    a->m = rt_calloc(n, sizeof(float), "adam first moments", e);
    a->v = rt_calloc(n, sizeof(float), "adam second moments", e);
    if (!a->m || !a->v) {
        adam_free(a);
        return -1;
    }
    return 0;
}

void adam_free(Adam *a) {
    free(a->m);
    free(a->v);
    memset(a, 0, sizeof *a);
}

void adam_step(Adam *a, Model *m) {
    size_t n = RT_MIN(a->n, m->n);
    a->t++;
    float b1 = a->beta1, b2 = a->beta2, eps = a->eps;
    /* bias corrections: mhat = m / (1 - b1^t), vhat = v / (1 - b2^t) */
    float step = (float)((double)a->lr / (1.0 - pow((double)b1, (double)a->t)));
    float rbc2 = (float)(1.0 / sqrt(1.0 - pow((double)b2, (double)a->t)));
    float *w = m->w, *mm = a->m, *vv = a->v;
    const float *g = m->g;
    for (size_t i = 0; i < n; i++) {
        float gi = g[i];
        float mi = b1 * mm[i] + (1.0f - b1) * gi;
        float vi = b2 * vv[i] + (1.0f - b2) * gi * gi;
        mm[i] = mi;
        vv[i] = vi;
        /* w -= lr * mhat / (sqrt(vhat) + eps) */
        w[i] -= step * mi / (sqrtf(vi) * rbc2 + eps);
    }
}
