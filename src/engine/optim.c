/* optim.c — Adam over the flat parameter buffer (one loop). See optim.h. */
#include "optim.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pool.h"

#define ADAM_SPLIT_MIN 65536 /* parameters per pool task worth a split */

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

/* One step's constants, and the slice update shared by the pool tasks. */
typedef struct {
    float *w, *m, *v;  /* parameters, moments (n each) */
    const float *g;    /* gradients (n) */
    size_t n;          /* elements */
    int ntasks;        /* slices */
    float b1, b2, eps; /* Adam hyper-parameters */
    float step, rbc2;  /* lr / (1 - b1^t), 1 / sqrt(1 - b2^t) */
} AdamJob;

/* w -= step * m / (sqrt(v) * rbc2 + eps) over n elements: exactly
 * lr * mhat / (sqrt(vhat) + eps) up to rounding, element by element, so the
 * same bits whatever the split. The Makefile builds this file with
 * -fno-math-errno (sqrtf needs no errno path) and the cheap vectoriser cost
 * model, so the compiler vectorises the loop: the same IEEE operations in the
 * same order (no FMA), hence the same bits as the scalar loop. */
static void adam_range(size_t n, float *restrict w, float *restrict mm, float *restrict vv,
                       const float *restrict g, const AdamJob *j) {
    const float b1 = j->b1, b2 = j->b2, eps = j->eps, c1 = 1.0f - b1, c2 = 1.0f - b2;
    const float step = j->step, rbc2 = j->rbc2;
    for (size_t i = 0; i < n; i++) {
        float gi = g[i];
        float mi = b1 * mm[i] + c1 * gi;
        float vi = b2 * vv[i] + c2 * gi * gi;
        mm[i] = mi;
        vv[i] = vi;
        w[i] -= step * mi / (sqrtf(vi) * rbc2 + eps);
    }
}

static void adam_slice(void *ctx, int task, int thread) {
    (void)thread;
    const AdamJob *j = ctx;
    size_t i = j->n * (size_t)task / (size_t)j->ntasks & ~(size_t)3;
    size_t i1 =
        task == j->ntasks - 1 ? j->n : j->n * (size_t)(task + 1) / (size_t)j->ntasks & ~(size_t)3;
    adam_range(i1 - i, j->w + i, j->m + i, j->v + i, j->g + i, j);
}

void adam_step(Adam *a, Model *m) {
    a->t++;
    AdamJob j = {.w = m->w,
                 .m = a->m,
                 .v = a->v,
                 .g = m->g,
                 .n = RT_MIN(a->n, m->n),
                 .b1 = a->beta1,
                 .b2 = a->beta2,
                 .eps = a->eps};
    j.step = (float)((double)a->lr / (1.0 - pow((double)a->beta1, (double)a->t)));
    j.rbc2 = (float)(1.0 / sqrt(1.0 - pow((double)a->beta2, (double)a->t)));
    size_t slices = j.n / ADAM_SPLIT_MIN;
    j.ntasks = (int)RT_MAX(1, RT_MIN(slices, (size_t)pool_threads()));
    pool_run(adam_slice, &j, j.ntasks);
}
