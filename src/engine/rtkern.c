/* rtkern.c — the row kernels (rtkern.h): rtkern_tmpl.h compiled once per
 * level, and the dispatch. */
#include "rtkern.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
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

/* ---- the softmax's exponential, 8 lanes of doubles ------------------------------------
 * glibc's expf (sysdeps/ieee754/flt-32/e_expf.c, the FMA build libm selects
 * on CPUs with AVX2 and FMA): x*N/ln2 = k + r, 2^(k/N) from a table of N =
 * 32, a cubic in r, rounded once to float. Its constants (__exp2f_data): */
static const uint64_t ex_tab[32] = {
    0x3ff0000000000000, 0x3fefd9b0d3158574, 0x3fefb5586cf9890f, 0x3fef9301d0125b51,
    0x3fef72b83c7d517b, 0x3fef54873168b9aa, 0x3fef387a6e756238, 0x3fef1e9df51fdee1,
    0x3fef06fe0a31b715, 0x3feef1a7373aa9cb, 0x3feedea64c123422, 0x3feece086061892d,
    0x3feebfdad5362a27, 0x3feeb42b569d4f82, 0x3feeab07dd485429, 0x3feea47eb03a5585,
    0x3feea09e667f3bcd, 0x3fee9f75e8ec5f74, 0x3feea11473eb0187, 0x3feea589994cce13,
    0x3feeace5422aa0db, 0x3feeb737b0cdc5e5, 0x3feec49182a3f090, 0x3feed503b23e255d,
    0x3feee89f995ad3ad, 0x3feeff76f2fb5e47, 0x3fef199bdd85529c, 0x3fef3720dcef9069,
    0x3fef5818dcfba487, 0x3fef7c97337b9b5f, 0x3fefa4afa2a490da, 0x3fefd0765b6e4540};
static const uint64_t ex_invln2n = 0x40471547652b82fe, ex_shift = 0x4338000000000000;
static const uint64_t ex_c0 = 0x3ebc6af84b912394, ex_c1 = 0x3f2ebfce50fac4f3,
                      ex_c2 = 0x3f962e42ff0c52d6;

static inline double ex_d(uint64_t u) {
    double d;
    memcpy(&d, &u, sizeof d);
    return d;
}

/* expf of the 8 floats x (|x| < 88, not NaN: the caller's test) as doubles rounded to float. */
T_AVX512 static inline __m256 a5_expf8(__m256 x) {
    const __m512d xd = _mm512_cvtps_pd(x), inv = _mm512_set1_pd(ex_d(ex_invln2n));
    const __m512d shift = _mm512_set1_pd(ex_d(ex_shift));
    __m512d kd = _mm512_fmadd_pd(inv, xd, shift);
    const __m512i ki = _mm512_castpd_si512(kd);
    kd = _mm512_sub_pd(kd, shift);
    const __m512d r = _mm512_fmsub_pd(inv, xd, kd);
    const __m512i *tb = (const __m512i *)ex_tab;
    const __m512i lo =
        _mm512_permutex2var_epi64(_mm512_loadu_si512(tb), ki, _mm512_loadu_si512(tb + 1));
    const __m512i hi =
        _mm512_permutex2var_epi64(_mm512_loadu_si512(tb + 2), ki, _mm512_loadu_si512(tb + 3));
    const __m512i t =
        _mm512_mask_blend_epi64(_mm512_test_epi64_mask(ki, _mm512_set1_epi64(16)), lo, hi);
    const __m512d s = _mm512_castsi512_pd(_mm512_add_epi64(t, _mm512_slli_epi64(ki, 47)));
    const __m512d p = _mm512_fmadd_pd(r, _mm512_set1_pd(ex_d(ex_c0)), _mm512_set1_pd(ex_d(ex_c1)));
    const __m512d r2 = _mm512_mul_pd(r, r);
    const __m512d q = _mm512_fmadd_pd(r, _mm512_set1_pd(ex_d(ex_c2)), _mm512_set1_pd(1.0));
    return _mm512_cvtpd_ps(_mm512_mul_pd(_mm512_fmadd_pd(p, r2, q), s));
}

/* expf of the 16 floats x (lanes of mk; the others 0), libm's bits; the
 * upper 8 lanes only when hi (else 0). */
T_AVX512 static inline __m512 a5_expx16(__m512 x, __mmask16 mk, int hi) {
    const __m256 xlo = _mm512_castps512_ps256(x);
    const __m256 xhi = _mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(x), 1));
    const __m256 elo = a5_expf8(xlo), ehi = hi ? a5_expf8(xhi) : _mm256_setzero_ps();
    __m512 e = _mm512_castpd_ps(_mm512_insertf64x4(_mm512_castpd256_pd512(_mm256_castps_pd(elo)),
                                                   _mm256_castps_pd(ehi), 1));
    /* |x| >= 88 (abstop > 0x42a, as libm tests) or NaN: libm's own path, lane by lane */
    const __m512i top =
        _mm512_and_si512(_mm512_srli_epi32(_mm512_castps_si512(x), 20), _mm512_set1_epi32(0x7ff));
    __mmask16 big = _mm512_mask_cmpgt_epi32_mask(mk, top, _mm512_set1_epi32(0x42a));
    for (int k = 0; big; k++, big >>= 1)
        if (big & 1) {
            const float xk = _mm512_cvtss_f32(_mm512_permutexvar_ps(_mm512_set1_epi32(k), x));
            e = _mm512_mask_mov_ps(e, (__mmask16)(1u << k), _mm512_set1_ps(expf(xk)));
        }
    return _mm512_maskz_mov_ps(mk, e);
}

/* The exponentials of n <= 16 floats e = expf(v - mx) (lanes n.. are 0). */
T_AVX512 static inline __m512 a5_expf16(const float *v, int n, float mx) {
    const __mmask16 mk = a5_mask(n) | (n >= 16 ? 0xffff : 0);
    return a5_expx16(_mm512_sub_ps(_mm512_maskz_loadu_ps(mk, v), _mm512_set1_ps(mx)), mk, n > 8);
}

/* r[0..15] transposed in place (a 16 x 16 tile of floats): unpacks within
 * 128-bit lanes, then a 4 x 4 transpose of the lanes. */
T_AVX512 static inline void a5_transpose16(__m512 *r) {
    __m512 t[16], u[16];
    for (int i = 0; i < 16; i += 4) {
        t[i] = _mm512_unpacklo_ps(r[i], r[i + 1]);     /* a0 b0 a1 b1 per lane */
        t[i + 1] = _mm512_unpackhi_ps(r[i], r[i + 1]); /* a2 b2 a3 b3 */
        t[i + 2] = _mm512_unpacklo_ps(r[i + 2], r[i + 3]);
        t[i + 3] = _mm512_unpackhi_ps(r[i + 2], r[i + 3]);
    }
#define A5_PD(x) _mm512_castps_pd(x)
#define A5_PS(x) _mm512_castpd_ps(x)
    for (int i = 0; i < 16; i += 4) { /* u[i + c], lane j: rows i..i+3 of column 4j + c */
        u[i] = A5_PS(_mm512_unpacklo_pd(A5_PD(t[i]), A5_PD(t[i + 2])));
        u[i + 1] = A5_PS(_mm512_unpackhi_pd(A5_PD(t[i]), A5_PD(t[i + 2])));
        u[i + 2] = A5_PS(_mm512_unpacklo_pd(A5_PD(t[i + 1]), A5_PD(t[i + 3])));
        u[i + 3] = A5_PS(_mm512_unpackhi_pd(A5_PD(t[i + 1]), A5_PD(t[i + 3])));
    }
#undef A5_PD
#undef A5_PS
    for (int c = 0; c < 4; c++) {
        const __m512 v0 = _mm512_shuffle_f32x4(u[c], u[4 + c], 0x44);
        const __m512 v1 = _mm512_shuffle_f32x4(u[c], u[4 + c], 0xEE);
        const __m512 v2 = _mm512_shuffle_f32x4(u[8 + c], u[12 + c], 0x44);
        const __m512 v3 = _mm512_shuffle_f32x4(u[8 + c], u[12 + c], 0xEE);
        r[c] = _mm512_shuffle_f32x4(v0, v2, 0x88);
        r[4 + c] = _mm512_shuffle_f32x4(v0, v2, 0xDD);
        r[8 + c] = _mm512_shuffle_f32x4(v1, v3, 0x88);
        r[12 + c] = _mm512_shuffle_f32x4(v1, v3, 0xDD);
    }
}

/* The softmax of up to 16 rows at once (K <= 16 floats each), a row a lane:
 * row a starts at base + idx[a] * stride (a < n). The rows are loaded, turned
 * into columns in registers, and turned back to be stored (no gathers or
 * scatters: those are slow on some CPUs). Per lane the operations and their
 * order are those of the one-row loop (max in order, exponentials summed in
 * order, then each divided), so the same bits. */
T_AVX512 static void softmax16_avx512(float *base, const int *idx, int n, size_t stride, int K) {
    const __mmask16 km = a5_mask(K) | (K >= 16 ? 0xffff : 0);
    __m512 x[16];
    for (int a = 0; a < 16; a++)
        x[a] =
            a < n ? _mm512_maskz_loadu_ps(km, base + (size_t)idx[a] * stride) : _mm512_setzero_ps();
    a5_transpose16(x); /* x[k], lane a: element k of row a */
    __m512 mx = x[0], sum = _mm512_setzero_ps();
    for (int k = 1; k < K; k++)
        mx = _mm512_mask_blend_ps(_mm512_cmp_ps_mask(x[k], mx, _CMP_GT_OQ), mx, x[k]);
    for (int k = 0; k < K; k++) {
        x[k] = a5_expx16(_mm512_sub_ps(x[k], mx), 0xffff, 1);
        sum = _mm512_add_ps(sum, x[k]);
    }
    for (int k = 0; k < K; k++)
        x[k] = _mm512_div_ps(x[k], sum);
    a5_transpose16(x); /* back: x[a] is row a */
    for (int a = 0; a < n; a++)
        _mm512_mask_storeu_ps(base + (size_t)idx[a] * stride, km, x[a]);
}

T_AVX512 static void softmax_rows_avx512(float *base, const int *idx, int na, size_t stride,
                                         int K) {
    for (int a = 0; a < na; a += 16)
        softmax16_avx512(base, idx + a, RT_MIN(16, na - a), stride, K);
}

T_AVX512 static void softmax_avx512(float *v, int K) {
    float mx = v[0], sum = 0.0f;
    for (int k = 1; k < K; k++)
        mx = v[k] > mx ? v[k] : mx;
    for (int k0 = 0; k0 < K; k0 += 16) {
        const int n = RT_MIN(16, K - k0);
        _mm512_mask_storeu_ps(v + k0, a5_mask(n) | (n >= 16 ? 0xffff : 0),
                              a5_expf16(v + k0, n, mx));
        for (int k = 0; k < n; k++)
            sum += v[k0 + k];
    }
    const __m512 sv = _mm512_set1_ps(sum);
    for (int k0 = 0; k0 < K; k0 += 16) {
        const __mmask16 mk = a5_mask(K - k0) | (K - k0 >= 16 ? 0xffff : 0);
        _mm512_mask_storeu_ps(v + k0, mk, _mm512_div_ps(_mm512_maskz_loadu_ps(mk, v + k0), sv));
    }
}

T_AVX512 __attribute__((noinline)) static void expf16_into(const float *v, float *e) {
    _mm512_storeu_ps(e, a5_expf16(v, 16, 0.0f));
}

/* Whether a5_expf16 gives libm's bits: on a spread of inputs of every
 * exponent (both signs, the libm path included), at start. The arrays live
 * in a function built for the base ISA: gcc gives 64-byte local arrays of
 * an AVX-512 function 64-byte alignment, which AddressSanitizer's fake
 * stack (detect_stack_use_after_return) does not honour, so the AVX-512
 * functions here keep no such arrays. */
static int expf_check_avx512(void) {
    float v[16], e[16];
    for (uint32_t b = 0, k = 0; b < 0xffffffffu - 40503u; b += 40503u) {
        memcpy(&v[k], &b, sizeof b);
        if (++k < 16) continue;
        k = 0;
        expf16_into(v, e);
        for (int j = 0; j < 16; j++) {
            float ref = expf(v[j]);
            if (memcmp(&ref, &e[j], sizeof ref) != 0 && !(isnan(ref) && isnan(e[j]))) return 0;
        }
    }
    return 1;
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

static int level = -1;        /* in use */
static int level_max = 0;     /* what the CPU has */
static int vexp = 0;          /* level 2's vector expf matches libm's (expf_check_avx512) */
static atomic_int kern_ready; /* kern_detect has run */

/* Once per process, whichever thread gets here first (pool threads reach the
 * kernels together): the CPU's level, the expf check, the RTVIZ_SIMD cap. */
static void kern_detect(void) {
    int lv = 0;
#if RK_X86
    __builtin_cpu_init();
    lv = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    if (lv && __builtin_cpu_supports("avx512f")) lv = 2;
#endif
    level_max = lv;
#if RK_X86
    if (lv == 2) vexp = expf_check_avx512();
#endif
    const char *env = getenv("RTVIZ_SIMD"); /* a cap, for comparisons and debugging */
    if (env && *env >= '0' && *env <= '2' && *env - '0' < lv) lv = *env - '0';
    level = lv;
    atomic_store_explicit(&kern_ready, 1, memory_order_release);
}

/* Every kernel call comes here: after the first, one plain load (acquire). */
static inline void kern_init(void) {
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    if (!atomic_load_explicit(&kern_ready, memory_order_acquire)) pthread_once(&once, kern_detect);
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

/* The scalar softmax (rk_softmax). */
static void softmax_c(float *v, int K) {
    float mx = v[0], sum = 0.0f;
    for (int k = 1; k < K; k++)
        mx = v[k] > mx ? v[k] : mx;
    for (int k = 0; k < K; k++)
        sum += (v[k] = expf(v[k] - mx));
    for (int k = 0; k < K; k++)
        v[k] /= sum;
}

int rk_softmax_vector(void) {
    kern_init();
    return level == 2 && vexp;
}

void rk_softmax_rows(float *base, const int *idx, int na, size_t stride, int K) {
    kern_init();
#if RK_X86
    if (level == 2 && vexp && K > 0 && K <= 16) {
        softmax_rows_avx512(base, idx, na, stride, K);
        return;
    }
#endif
    for (int a = 0; a < na; a++)
        rk_softmax(base + (size_t)idx[a] * stride, K);
}

void rk_softmax(float *v, int K) {
    kern_init();
#if RK_X86
    if (level == 2 && vexp) {
        softmax_avx512(v, K);
        return;
    }
#endif
    softmax_c(v, K);
}
