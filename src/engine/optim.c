/* optim.c — Adam over the flat parameter buffer (one loop). See optim.h. */
#include "optim.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pool.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

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

/* w -= step * m / (sqrt(v) * rbc2 + eps) over [i0, i1): exactly
 * lr * mhat / (sqrt(vhat) + eps) up to rounding. The SSE path performs the same
 * IEEE operations in the same order as the scalar one (no FMA), so both give
 * the same bits whatever the split; it exists because sqrtf's errno handling
 * keeps compilers from vectorising the plain loop. */
static void adam_slice(void *ctx, int task, int thread) {
    (void)thread;
    const AdamJob *j = ctx;
    size_t i = j->n * (size_t)task / (size_t)j->ntasks & ~(size_t)3;
    size_t i1 =
        task == j->ntasks - 1 ? j->n : j->n * (size_t)(task + 1) / (size_t)j->ntasks & ~(size_t)3;
    const float b1 = j->b1, b2 = j->b2, eps = j->eps, c1 = 1.0f - b1, c2 = 1.0f - b2;
    const float step = j->step, rbc2 = j->rbc2;
    float *w = j->w, *mm = j->m, *vv = j->v;
    const float *g = j->g;
#if defined(__SSE2__)
    const __m128 vb1 = _mm_set1_ps(b1), vb2 = _mm_set1_ps(b2), vc1 = _mm_set1_ps(c1),
                 vc2 = _mm_set1_ps(c2), vstep = _mm_set1_ps(step), vr = _mm_set1_ps(rbc2),
                 veps = _mm_set1_ps(eps);
    for (; i + 4 <= i1; i += 4) {
        __m128 gi = _mm_loadu_ps(g + i);
        __m128 mi = _mm_add_ps(_mm_mul_ps(vb1, _mm_loadu_ps(mm + i)), _mm_mul_ps(vc1, gi));
        __m128 vi =
            _mm_add_ps(_mm_mul_ps(vb2, _mm_loadu_ps(vv + i)), _mm_mul_ps(_mm_mul_ps(vc2, gi), gi));
        _mm_storeu_ps(mm + i, mi);
        _mm_storeu_ps(vv + i, vi);
        __m128 den = _mm_add_ps(_mm_mul_ps(_mm_sqrt_ps(vi), vr), veps);
        __m128 upd = _mm_div_ps(_mm_mul_ps(vstep, mi), den);
        _mm_storeu_ps(w + i, _mm_sub_ps(_mm_loadu_ps(w + i), upd));
    }
#endif
    for (; i < i1; i++) {
        float gi = g[i];
        float mi = b1 * mm[i] + c1 * gi;
        float vi = b2 * vv[i] + c2 * gi * gi;
        mm[i] = mi;
        vv[i] = vi;
        w[i] -= step * mi / (sqrtf(vi) * rbc2 + eps);
    }
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
