/* optim.c — Adam over the flat parameter buffer (one loop). See optim.h. */
#include "optim.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pool.h"
#include "rtkern.h" /* rk_level: the instruction set in use */

#define ADAM_SPLIT_MIN 65536 /* parameters per pool task worth a split */
#define ADAM_MAX_TASKS 64    /* slices at most (the pool's size) */

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

/* One plain step's constants, shared by the pool tasks. */
typedef struct {
    float *w, *m, *v;  /* parameters, moments (n each), updated */
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
static void adam_range_plain(size_t n, float *restrict w, float *restrict mm, float *restrict vv,
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

/* The exponent field of x: 0xff << 23 exactly when x is Inf or NaN. */
static inline uint32_t exp_bits(float x) {
    uint32_t u;
    memcpy(&u, &x, sizeof u);
    return u & 0x7f800000u;
}

/* The same update as adam_range_plain in one pass that also keeps what an undo
 * needs and checks the result: the old weights into w0, the new moments into
 * m1, v1 (mm, vv untouched), and the largest exponent field of the gradient
 * and of the new weights into *eg, *ew, which it raises (integer maxima:
 * vectorised, and the order does not matter). The float operations are those
 * of adam_range_plain. Inlined into one function per instruction set. */
static inline __attribute__((always_inline)) void
undoable_body(size_t n, float *restrict w, const float *restrict mm, const float *restrict vv,
              const float *restrict g, float *restrict w0, float *restrict m1, float *restrict v1,
              const AdamStep *j, uint32_t *eg, uint32_t *ew) {
    const float b1 = j->b1, b2 = j->b2, eps = j->eps, c1 = 1.0f - b1, c2 = 1.0f - b2;
    const float step = j->step, rbc2 = j->rbc2;
    uint32_t xg = *eg, xw = *ew;
    for (size_t i = 0; i < n; i++) {
        float gi = g[i], wi = w[i];
        float mi = b1 * mm[i] + c1 * gi;
        float vi = b2 * vv[i] + c2 * gi * gi;
        float wn = wi - step * mi / (sqrtf(vi) * rbc2 + eps);
        w0[i] = wi;
        m1[i] = mi;
        v1[i] = vi;
        w[i] = wn;
        uint32_t a = exp_bits(gi), b = exp_bits(wn);
        xg = a > xg ? a : xg;
        xw = b > xw ? b : xw;
    }
    *eg = xg;
    *ew = xw;
}

#define UNDOABLE_ARGS                                                                              \
    size_t n, float *restrict w, const float *restrict mm, const float *restrict vv,               \
        const float *restrict g, float *restrict w0, float *restrict m1, float *restrict v1,       \
        const AdamStep *j, uint32_t *eg, uint32_t *ew

/* Portable (SSE2 on x86-64, 4 lanes). */
static void adam_range_undoable(UNDOABLE_ARGS) {
    undoable_body(n, w, mm, vv, g, w0, m1, v1, j, eg, ew);
}

#if defined(__x86_64__) || defined(__i386__)
#define ADAM_X86 1
#include <immintrin.h>

/* The same update at 8 lanes, used at kernel level >= 1 (rtkern.h): AVX2
 * without FMA, each operation the correctly rounded IEEE multiply, add,
 * divide or square root of undoable_body, in its order, so the same bits
 * (tests/engine/test_optim.c compares the levels). Written out rather than
 * left to the vectoriser for one reason: the undo copy of the weights goes
 * out with non-temporal stores. It is read only when a step is taken back,
 * and ordinary stores would first read every line they write and push the
 * live buffers out of cache; gcc has no way to ask for such stores from C.
 * MLP training, where Adam is a fifth of the step, ran 6-10% faster for it
 * on a 2-vCPU Zen 4 (bench/README.md). The first elements, up to w0's
 * 32-byte boundary, and the last n % 8 go through undoable_body. */
__attribute__((target("avx2"))) static void adam_range_undoable_avx2(UNDOABLE_ARGS) {
    size_t h = (size_t)((32u - ((uintptr_t)w0 & 31u)) & 31u) / sizeof(float);
    if (((uintptr_t)w0 & 3u) || h > n) h = n;
    undoable_body(h, w, mm, vv, g, w0, m1, v1, j, eg, ew);
    size_t i = h, nv = h + (n - h) / 8 * 8;
    if (nv > h) {
        const __m256 b1 = _mm256_set1_ps(j->b1), b2 = _mm256_set1_ps(j->b2);
        const __m256 c1 = _mm256_set1_ps(1.0f - j->b1), c2 = _mm256_set1_ps(1.0f - j->b2);
        const __m256 step = _mm256_set1_ps(j->step), rbc2 = _mm256_set1_ps(j->rbc2);
        const __m256 eps = _mm256_set1_ps(j->eps);
        const __m256i ex = _mm256_set1_epi32(0x7f800000);
        __m256i xg = _mm256_set1_epi32((int)*eg), xw = _mm256_set1_epi32((int)*ew);
        for (; i < nv; i += 8) {
            __m256 gi = _mm256_loadu_ps(g + i), wi = _mm256_loadu_ps(w + i);
            __m256 mi = /* b1 * m + c1 * g */
                _mm256_add_ps(_mm256_mul_ps(b1, _mm256_loadu_ps(mm + i)), _mm256_mul_ps(c1, gi));
            __m256 vi = /* b2 * v + c2 * g * g */
                _mm256_add_ps(_mm256_mul_ps(b2, _mm256_loadu_ps(vv + i)),
                              _mm256_mul_ps(_mm256_mul_ps(c2, gi), gi));
            __m256 wn = /* w - step * m / (sqrt(v) * rbc2 + eps) */
                _mm256_sub_ps(
                    wi, _mm256_div_ps(_mm256_mul_ps(step, mi),
                                      _mm256_add_ps(_mm256_mul_ps(_mm256_sqrt_ps(vi), rbc2), eps)));
            _mm256_stream_ps(w0 + i, wi);
            _mm256_storeu_ps(m1 + i, mi);
            _mm256_storeu_ps(v1 + i, vi);
            _mm256_storeu_ps(w + i, wn);
            xg = _mm256_max_epu32(xg, _mm256_and_si256(_mm256_castps_si256(gi), ex));
            xw = _mm256_max_epu32(xw, _mm256_and_si256(_mm256_castps_si256(wn), ex));
        }
        _mm_sfence(); /* the streamed stores ordered before anything after the step */
        uint32_t lg[8], lw[8];
        _mm256_storeu_si256((__m256i *)lg, xg);
        _mm256_storeu_si256((__m256i *)lw, xw);
        for (int k = 0; k < 8; k++) {
            *eg = lg[k] > *eg ? lg[k] : *eg;
            *ew = lw[k] > *ew ? lw[k] : *ew;
        }
    }
    undoable_body(n - i, w + i, mm + i, vv + i, g + i, w0 + i, m1 + i, v1 + i, j, eg, ew);
}
#else
#define ADAM_X86 0
#endif

static void adam_slice(void *ctx, int task, int thread) {
    (void)thread;
    AdamJob *j = ctx;
    size_t i = j->n * (size_t)task / (size_t)j->ntasks & ~(size_t)3;
    size_t i1 =
        task == j->ntasks - 1 ? j->n : j->n * (size_t)(task + 1) / (size_t)j->ntasks & ~(size_t)3;
    adam_range_plain(i1 - i, j->w + i, j->m + i, j->v + i, j->g + i, j);
}

/* Pool slices of a buffer of n parameters. */
static int adam_tasks(size_t n) {
    size_t slices = n / ADAM_SPLIT_MIN;
    return (int)RT_MAX(1, RT_MIN(RT_MIN(slices, (size_t)pool_threads()), ADAM_MAX_TASKS));
}

static void adam_run(Adam *a, Model *m, AdamJob *j) {
    a->t++;
    j->w = m->w;
    j->m = a->m;
    j->v = a->v;
    j->g = m->g;
    j->n = RT_MIN(a->n, m->n);
    j->b1 = a->beta1;
    j->b2 = a->beta2;
    j->eps = a->eps;
    j->step = (float)((double)a->lr / (1.0 - pow((double)a->beta1, (double)a->t)));
    j->rbc2 = (float)(1.0 / sqrt(1.0 - pow((double)a->beta2, (double)a->t)));
    j->ntasks = adam_tasks(j->n);
    pool_run(adam_slice, j, j->ntasks);
}

void adam_step(Adam *a, Model *m) {
    AdamJob j = {0};
    adam_run(a, m, &j);
}

void adam_begin(Adam *a, Model *m, AdamUndo *u, AdamStep *s) {
    memset(s, 0, sizeof *s);
    s->t0 = a->t;
    a->t++;
    s->w = m->w;
    s->m = a->m;
    s->v = a->v;
    s->g = m->g;
    s->w0 = u->w;
    s->m1 = u->m;
    s->v1 = u->v;
    s->n = RT_MIN(a->n, m->n);
    s->b1 = a->beta1;
    s->b2 = a->beta2;
    s->eps = a->eps;
    s->step = (float)((double)a->lr / (1.0 - pow((double)a->beta1, (double)a->t)));
    s->rbc2 = (float)(1.0 / sqrt(1.0 - pow((double)a->beta2, (double)a->t)));
}

void adam_range(AdamStep *s, size_t i0, size_t i1, int slot) {
    if (i1 > s->n) i1 = s->n;
    if (i0 >= i1 || slot < 0 || slot >= ADAM_MAX_SLOTS) return;
    size_t n = i1 - i0;
#if ADAM_X86
    if (rk_level(-1) >= 1) {
        adam_range_undoable_avx2(n, s->w + i0, s->m + i0, s->v + i0, s->g + i0, s->w0 + i0,
                                 s->m1 + i0, s->v1 + i0, s, &s->eg[slot], &s->ew[slot]);
        return;
    }
#endif
    adam_range_undoable(n, s->w + i0, s->m + i0, s->v + i0, s->g + i0, s->w0 + i0, s->m1 + i0,
                        s->v1 + i0, s, &s->eg[slot], &s->ew[slot]);
}

int adam_end(Adam *a, AdamUndo *u, AdamStep *s) {
    uint32_t eg = 0, ew = 0;
    for (int k = 0; k < ADAM_MAX_SLOTS; k++) {
        eg = s->eg[k] > eg ? s->eg[k] : eg;
        ew = s->ew[k] > ew ? s->ew[k] : ew;
    }
    /* the new moments become the optimiser's, the old ones the undo's */
    float *om = a->m, *ov = a->v;
    a->m = u->m;
    a->v = u->v;
    u->m = om;
    u->v = ov;
    u->t = s->t0;
    return (eg == 0x7f800000u ? ADAM_BAD_GRAD : 0) | (ew == 0x7f800000u ? ADAM_BAD_WEIGHT : 0);
}

typedef struct {
    AdamStep *s;
    int ntasks;
} UndoJob;

static void undo_slice(void *ctx, int task, int thread) {
    (void)thread;
    UndoJob *j = ctx;
    size_t n = j->s->n;
    size_t i = n * (size_t)task / (size_t)j->ntasks & ~(size_t)3;
    size_t i1 = task == j->ntasks - 1 ? n : n * (size_t)(task + 1) / (size_t)j->ntasks & ~(size_t)3;
    adam_range(j->s, i, i1, task);
}

int adam_step_undoable(Adam *a, Model *m, AdamUndo *u) {
    AdamStep s;
    adam_begin(a, m, u, &s);
    UndoJob j = {&s, adam_tasks(s.n)};
    pool_run(undo_slice, &j, j.ntasks);
    return adam_end(a, u, &s);
}

void adam_restore(Adam *a, Model *m, AdamUndo *u) {
    size_t n = RT_MIN(a->n, m->n);
    memcpy(m->w, u->w, n * sizeof(float));
    float *om = a->m, *ov = a->v;
    a->m = u->m;
    a->v = u->v;
    u->m = om;
    u->v = ov;
    a->t = u->t;
}

int adam_undo_init(AdamUndo *u, size_t n, RtErr *e) {
    memset(u, 0, sizeof *u);
    u->w = rt_calloc(n, sizeof(float), "weight backup", e);
    u->m = rt_calloc(n, sizeof(float), "optimiser backup", e);
    u->v = rt_calloc(n, sizeof(float), "optimiser backup", e);
    if (!u->w || !u->m || !u->v) {
        adam_undo_free(u);
        return -1;
    }
    return 0;
}

void adam_undo_free(AdamUndo *u) {
    free(u->w);
    free(u->m);
    free(u->v);
    memset(u, 0, sizeof *u);
}
