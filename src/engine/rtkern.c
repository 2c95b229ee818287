/* rtkern.c — the row kernels (rtkern.h): rtkern_tmpl.h compiled once per
 * level, and the dispatch. */
#include "rtkern.h"

#include <stdlib.h>
#include <string.h>

#include "common.h"

/* ---- level 0: portable C, GCC vector extensions ---------------------------------
 * 4 lanes (SSE2 on x86-64, NEON on ARM, scalar code elsewhere). Built without
 * -ffp-contract (ISO C mode), so V_FMA is a multiply, then an add. */
typedef float v4f __attribute__((vector_size(16)));
typedef int v4i __attribute__((vector_size(16)));

static inline v4f v4_load(const float *p) {
    v4f v;
    memcpy(&v, p, sizeof v);
    return v;
}
static inline v4f v4_loadn(const float *p, int n) {
    v4f v = {0};
    memcpy(&v, p, (size_t)(n & 3) * sizeof(float)); /* n < 4 */
    return v;
}
static inline void v4_store(float *p, v4f v) { memcpy(p, &v, sizeof v); }
static inline void v4_storen(float *p, v4f v, int n) {
    memcpy(p, &v, (size_t)(n & 3) * sizeof(float));
}
static inline v4f v4_relu(v4f v) { /* v > 0 keeps v; 0 and NaN give 0 */
    v4f zero = {0};
    return (v4f)((v4i)v & (v4i)(v > zero));
}
static inline float v4_hsum(v4f v) { return (v[0] + v[2]) + (v[1] + v[3]); }

#define RK(f)             f##_c
#define RK_FN             static
#define RK_INL            __attribute__((always_inline)) static inline
#define VW                4
#define vf                v4f
#define V_ZERO()          ((v4f){0})
#define V_SET1(x)         ((v4f){(x), (x), (x), (x)})
#define V_LOAD(p)         v4_load(p)
#define V_LOADN(p, n)     v4_loadn(p, n)
#define V_STORE(p, v)     v4_store(p, v)
#define V_STOREN(p, v, n) v4_storen(p, v, n)
#define V_ADD(a, b)       ((a) + (b))
#define V_MUL(a, b)       ((a) * (b))
#define V_FMA(a, b, c)    ((a) * (b) + (c))
#define V_RELU(v)         v4_relu(v)
#define V_KEEP(v)         ((void)0)
#define V_HSUM(v)         v4_hsum(v)
#include "rtkern_tmpl.h"
#undef V_ZERO
#undef V_SET1
#undef V_LOAD
#undef V_STORE
#undef V_ADD
#undef V_MUL
#undef V_FMA
#undef V_RELU
#undef V_KEEP

#if defined(__GNUC__) && defined(__x86_64__)
#define RK_X86 1
#include <immintrin.h>

/* The x86 levels' operations: _mm256_OP_ps or _mm512_OP_ps by VBITS. */
#define X_CAT3(a, b, c) a##b##c
#define X_OP(w, op)     X_CAT3(_mm, w, _##op##_ps)
#define V_ZERO()        X_OP(VBITS, setzero)()
#define V_SET1(x)       X_OP(VBITS, set1)(x)
#define V_LOAD(p)       X_OP(VBITS, loadu)(p)
#define V_STORE(p, v)   X_OP(VBITS, storeu)(p, v)
#define V_ADD(a, b)     X_OP(VBITS, add)(a, b)
#define V_MUL(a, b)     X_OP(VBITS, mul)(a, b)
#define V_FMA(a, b, c)  X_OP(VBITS, fmadd)(a, b, c)
#define V_RELU(v)       X_OP(VBITS, max)(v, V_ZERO()) /* the second operand (0) for NaN */
/* v stays in a register: its loads are not folded into every FMA that uses it */
#define V_KEEP(v) __asm__("" : "+v"(v))

/* ---- level 1: AVX2 + FMA, 8 lanes ------------------------------------------------ */
#define T_AVX2 __attribute__((target("avx2,fma")))

/* The first n < 8 lanes by a mask (lanes n.. are neither read nor written):
 * the same values as copying them through memory, without the store
 * forwarding stall a copy costs on every partial vector. */
static const int32_t a2_masks[16] = {-1, -1, -1, -1, -1, -1, -1, -1, 0, 0, 0, 0, 0, 0, 0, 0};
T_AVX2 static inline __m256i a2_mask(int n) {
    return _mm256_loadu_si256((const __m256i *)(a2_masks + 8 - (n & 7)));
}
T_AVX2 static inline __m256 a2_loadn(const float *p, int n) {
    return _mm256_maskload_ps(p, a2_mask(n)); /* n < 8 */
}
T_AVX2 static inline void a2_storen(float *p, __m256 v, int n) {
    _mm256_maskstore_ps(p, a2_mask(n), v);
}
T_AVX2 static inline float a2_hsum(__m256 v) { /* ((l0+l4)+(l2+l6)) + ((l1+l5)+(l3+l7)) */
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_shuffle_ps(s, s, 1));
    return _mm_cvtss_f32(s);
}

#define RK(f)             f##_avx2
#define RK_FN             T_AVX2 static
#define RK_INL            __attribute__((target("avx2,fma"), always_inline)) static inline
#define VW                8
#define vf                __m256
#define VBITS             256
#define V_LOADN(p, n)     a2_loadn(p, n)
#define V_STOREN(p, v, n) a2_storen(p, v, n)
#define V_HSUM(v)         a2_hsum(v)
#include "rtkern_tmpl.h"

/* ---- level 2: AVX-512F, 16 lanes (32 registers: larger tiles) ------------------------ */
#define T_AVX512 __attribute__((target("avx512f,avx2,fma")))

T_AVX512 static inline __mmask16 a5_mask(int n) { return (__mmask16)((1u << (n & 15)) - 1u); }
T_AVX512 static inline float a5_hsum(__m512 v) { /* halves, then the AVX2 tree */
    __m256 lo = _mm512_castps512_ps256(v);
    __m256 hi = _mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(v), 1));
    return a2_hsum(_mm256_add_ps(lo, hi));
}

#define RK(f)             f##_avx512
#define RK_FN             T_AVX512 static
#define RK_INL            __attribute__((target("avx512f,avx2,fma"), always_inline)) static inline
#define VW                16
#define vf                __m512
#define VBITS             512
#define V_LOADN(p, n)     _mm512_maskz_loadu_ps(a5_mask(n), p)
#define V_STOREN(p, v, n) _mm512_mask_storeu_ps(p, a5_mask(n), v)
#define V_HSUM(v)         a5_hsum(v)
#define DOT_RMAX          8
#define DOT_T(R)          ((R) >= 7 ? 3 : (R) >= 5 ? 4 : 6)
#define AXPY_WIDE         2
#define AXPY_R_WIDE       4
#define AXPY_V_WIDE       3
#define AXPY_R_NARROW     8
#define AXPY_V_NARROW     3
#define OUTER_T           8
#include "rtkern_tmpl.h"
#else
#define RK_X86 0
#endif

/* ---- dispatch ----------------------------------------------------------------------- */

static int level = -1;    /* in use */
static int level_max = 0; /* what the CPU has */

static void kern_init(void) {
    if (level >= 0) return;
    int lv = 0;
#if RK_X86
    __builtin_cpu_init();
    lv = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    if (lv && __builtin_cpu_supports("avx512f")) lv = 2;
#endif
    level_max = lv;
    const char *env = getenv("RTVIZ_SIMD"); /* a cap, for comparisons and debugging */
    if (env && *env >= '0' && *env <= '2' && *env - '0' < lv) lv = *env - '0';
    level = lv;
}

int rk_level(int set) {
    kern_init();
    if (set >= 0) level = RT_MIN(set, level_max);
    return level;
}

int rk_width(void) {
    kern_init();
    return level == 2 ? 16 : level == 1 ? 8 : 4;
}

#if RK_X86
#define RK_DISPATCH(f, ...)                                                                        \
    do {                                                                                           \
        if (level == 2)                                                                            \
            f##_avx512(__VA_ARGS__);                                                               \
        else if (level == 1)                                                                       \
            f##_avx2(__VA_ARGS__);                                                                 \
        else                                                                                       \
            f##_c(__VA_ARGS__);                                                                    \
    } while (0)
#else
#define RK_DISPATCH(f, ...) f##_c(__VA_ARGS__)
#endif

void rk_dot(int na, const int *idx, const float *x0, size_t xs, int K, const float *W, int O,
            const float *b, int relu, float *y0, size_t ys) {
    kern_init();
    RK_DISPATCH(rk_dot, na, idx, x0, xs, K, W, O, b, relu, y0, ys);
}

void rk_axpy(int na, const int *idx, const float *x0, size_t xs, int K, const float *WT, int Op,
             int O, const float *bp, int relu, float *y0, size_t ys) {
    kern_init();
    RK_DISPATCH(rk_axpy, na, idx, x0, xs, K, WT, Op, O, bp, relu, y0, ys);
}

void rk_outer(int na, const int *idx, const float *x0, size_t xs, int D, const float *dP,
              size_t dps, int O, float *gW) {
    kern_init();
    RK_DISPATCH(rk_outer, na, idx, x0, xs, D, dP, dps, O, gW);
}

void rk_mix(const RkMix *g, int na, const int *idx) {
    kern_init();
    RK_DISPATCH(rk_mix, g, na, idx);
}
