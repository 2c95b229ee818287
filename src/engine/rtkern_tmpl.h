/* rtkern_tmpl.h — the row kernels of rtkern.h, written once for every vector
 * width. rtkern.c includes this file once per level, after defining:
 *
 *   RK(f)            f with the level's suffix
 *   RK_FN, RK_INL    attributes of the entry points / of the always-inlined
 *                    tiles (static, the instruction set's target)
 *   VW, vf           lanes, the vector type
 *   V_ZERO()  V_SET1(x)  V_LOAD(p)  V_STORE(p, v)  V_ADD(a, b)  V_MUL(a, b)
 *   V_LOADN(p, n)    the first n < VW lanes, the others 0
 *   V_STOREN(p, v, n) store the first n < VW lanes
 *   V_FMA(a, b, c)   a * b + c (fused where the level has FMA)
 *   V_RELU(v)        max(v, 0), 0 for NaN
 *   V_HSUM(v)        the lanes' sum by a fixed tree
 *   V_KEEP(v)        keep v in a register (no value change)
 *   DOT_RMAX         rows per pass of rk_dot over W (4 or 8)
 *   DOT_T(R)         outputs per tile of rk_dot for R rows
 *   AXPY_WIDE        rk_axpy outputs of more than this many vectors are "wide"
 *   AXPY_R_WIDE, AXPY_V_WIDE, AXPY_R_NARROW, AXPY_V_NARROW
 *                    rows x vectors per tile, wide and narrow (V at most 6)
 *   OUTER_T          output rows per tile of rk_outer (4 or 8)
 *                    (the tile sizes default to those for 16 vector registers)
 * It undefines them at its end, but for the operations V_ZERO .. V_KEEP
 * (the x86 levels share theirs).
 *
 * Tile shapes only decide which elements are computed together (registers:
 * R x T accumulators + T weights); each element's own sequence of operations
 * is fixed, so the shapes never change a result. The R and V arguments of
 * the tiles are constants at every call, so the tiles' arrays live in
 * registers. */

#ifndef DOT_RMAX /* 16 vector registers: R x T accumulators + T weights <= 16 */
#define DOT_RMAX      4
#define DOT_T(R)      ((R) >= 3 ? 3 : (R) == 2 ? 4 : 6)
#define AXPY_WIDE     3
#define AXPY_R_WIDE   2
#define AXPY_V_WIDE   6
#define AXPY_R_NARROW 4
#define AXPY_V_NARROW 3
#define OUTER_T       4
#endif

/* RK_BY_CONST(n, MAX, CALL): CALL(k) for the k = n, 1 <= n <= MAX <= 7, with k
 * a constant, so that the tile it calls keeps its arrays in registers; CALL is
 * a one-argument macro naming the call (defined beside the use). */
// clang-format off
#define RK_CONST_CASE(k, MAX, CALL) case k: if ((k) <= (MAX)) CALL(k); break;
#define RK_BY_CONST(n, MAX, CALL)                                                          \
    switch (n) {                                                                           \
    RK_CONST_CASE(1, MAX, CALL) RK_CONST_CASE(2, MAX, CALL) RK_CONST_CASE(3, MAX, CALL)    \
    RK_CONST_CASE(4, MAX, CALL) RK_CONST_CASE(5, MAX, CALL) RK_CONST_CASE(6, MAX, CALL)    \
    RK_CONST_CASE(7, MAX, CALL)                                                            \
    }
// clang-format on

/* ---- rk_dot: y_a = act(W x_a + b), W (O, K) as stored ------------------- */

/* R rows x T outputs starting at o0. */
RK_INL void RK(dot_tile)(int R, int T, const float *const *x, const float *W, int K, int o0,
                         const float *b, int relu, float *const *y) {
    vf acc[DOT_RMAX][6];
    const float *w[6];
#pragma GCC unroll 8
    for (int r = 0; r < R; r++)
#pragma GCC unroll 6
        for (int t = 0; t < T; t++)
            acc[r][t] = V_ZERO();
#pragma GCC unroll 6
    for (int t = 0; t < T; t++)
        w[t] = W + (size_t)(o0 + t) * K;
    const int KV = K / VW * VW;
    for (int k = 0; k < KV; k += VW) {
        vf wv[6];
#pragma GCC unroll 6
        for (int t = 0; t < T; t++)
            wv[t] = V_LOAD(w[t] + k);
#pragma GCC unroll 8
        for (int r = 0; r < R; r++) {
            vf xv = V_LOAD(x[r] + k);
            V_KEEP(xv);
#pragma GCC unroll 6
            for (int t = 0; t < T; t++)
                acc[r][t] = V_FMA(xv, wv[t], acc[r][t]);
        }
    }
#pragma GCC unroll 8
    for (int r = 0; r < R; r++)
#pragma GCC unroll 6
        for (int t = 0; t < T; t++) {
            float s = V_HSUM(acc[r][t]);
            for (int k = KV; k < K; k++)
                s += x[r][k] * w[t][k];
            s += b[o0 + t];
            y[r][o0 + t] = relu && !(s > 0.0f) ? 0.0f : s;
        }
}

/* R rows (a .. a+R-1) through all O outputs, DOT_T(R) at a time, the rest one by one. */
RK_INL void RK(dot_rows)(int R, int a, const int *idx, const float *x0, size_t xs, int K,
                         const float *W, int O, const float *b, int relu, float *y0, size_t ys) {
    const float *x[DOT_RMAX];
    float *y[DOT_RMAX];
    for (int r = 0; r < R; r++) {
        x[r] = x0 + (size_t)idx[a + r] * xs;
        y[r] = y0 + (size_t)idx[a + r] * ys;
    }
    const int T = DOT_T(R);
    int o = 0;
    for (; o + T <= O; o += T)
        RK(dot_tile)(R, T, x, W, K, o, b, relu, y);
    for (; o < O; o++)
        RK(dot_tile)(R, 1, x, W, K, o, b, relu, y);
}

RK_FN void RK(rk_dot)(int na, const int *idx, const float *x0, size_t xs, int K, const float *W,
                      int O, const float *b, int relu, float *y0, size_t ys) {
    int a = 0;
    for (; a + DOT_RMAX <= na; a += DOT_RMAX)
        RK(dot_rows)(DOT_RMAX, a, idx, x0, xs, K, W, O, b, relu, y0, ys);
#define DOT_REST(R) RK(dot_rows)(R, a, idx, x0, xs, K, W, O, b, relu, y0, ys)
    /* the rest in one pass over W (W is long: each pass reads it again) */
    RK_BY_CONST(na - a, DOT_RMAX - 1, DOT_REST);
#undef DOT_REST
}

/* ---- rk_axpy: y_a = act(x_a WT + bp), or y_a += x_a WT ------------------------ */

/* R rows x V vectors (VW outputs each, from vector v0). */
RK_INL void RK(axpy_tile)(int R, int V, const float *const *x, const float *WT, int K, int Op,
                          int v0, int O, const float *bp, int relu, float *const *y) {
    vf acc[8][6];
#pragma GCC unroll 8
    for (int r = 0; r < R; r++)
#pragma GCC unroll 6
        for (int v = 0; v < V; v++)
            acc[r][v] = V_ZERO();
    const float *wk = WT + (size_t)v0 * VW;
    for (int k = 0; k < K; k++, wk += Op) {
        vf wv[6];
#pragma GCC unroll 6
        for (int v = 0; v < V; v++)
            wv[v] = V_LOAD(wk + VW * v);
#pragma GCC unroll 8
        for (int r = 0; r < R; r++) {
            vf xv = V_SET1(x[r][k]);
#pragma GCC unroll 6
            for (int v = 0; v < V; v++)
                acc[r][v] = V_FMA(xv, wv[v], acc[r][v]);
        }
    }
#pragma GCC unroll 8
    for (int r = 0; r < R; r++)
#pragma GCC unroll 6
        for (int v = 0; v < V; v++) {
            int o = (v0 + v) * VW, n = O - o; /* n < VW: the last, partial vector */
            vf s;
            if (bp)
                s = V_ADD(acc[r][v], V_LOAD(bp + o));
            else
                s = V_ADD(n >= VW ? V_LOAD(y[r] + o) : V_LOADN(y[r] + o, n), acc[r][v]);
            if (relu) s = V_RELU(s);
            if (n >= VW)
                V_STORE(y[r] + o, s);
            else
                V_STOREN(y[r] + o, s, n);
        }
}

/* axpy_tile with V as a constant (1..6). */
RK_INL void RK(axpy_tilev)(int R, int V, const float *const *x, const float *WT, int K, int Op,
                           int v0, int O, const float *bp, int relu, float *const *y) {
#define AXPY_TILE(V_) RK(axpy_tile)(R, V_, x, WT, K, Op, v0, O, bp, relu, y)
    RK_BY_CONST(V, AXPY_V_WIDE > AXPY_V_NARROW ? AXPY_V_WIDE : AXPY_V_NARROW, AXPY_TILE);
#undef AXPY_TILE
}

/* R rows (a .. a+R-1) through all Op / VW vectors, VM at a time. */
RK_INL void RK(axpy_rows)(int R, int VM, int a, const int *idx, const float *x0, size_t xs, int K,
                          const float *WT, int Op, int O, const float *bp, int relu, float *y0,
                          size_t ys) {
    const float *x[8];
    float *y[8];
    for (int r = 0; r < R; r++) {
        x[r] = x0 + (size_t)idx[a + r] * xs;
        y[r] = y0 + (size_t)idx[a + r] * ys;
    }
    const int nv = Op / VW;
    for (int v = 0; v < nv; v += VM)
        RK(axpy_tilev)(R, RT_MIN(VM, nv - v), x, WT, K, Op, v, O, bp, relu, y);
}

RK_FN void RK(rk_axpy)(int na, const int *idx, const float *x0, size_t xs, int K, const float *WT,
                       int Op, int O, const float *bp, int relu, float *y0, size_t ys) {
    int a = 0;
    if (Op / VW > AXPY_WIDE) {
        for (; a + AXPY_R_WIDE <= na; a += AXPY_R_WIDE)
            RK(axpy_rows)(AXPY_R_WIDE, AXPY_V_WIDE, a, idx, x0, xs, K, WT, Op, O, bp, relu, y0, ys);
#define AXPY_REST(R) RK(axpy_rows)(R, AXPY_V_WIDE, a, idx, x0, xs, K, WT, Op, O, bp, relu, y0, ys)
        RK_BY_CONST(na - a, AXPY_R_WIDE - 1, AXPY_REST); /* the rest in one tile */
#undef AXPY_REST
    } else {
        for (; a + AXPY_R_NARROW <= na; a += AXPY_R_NARROW)
            RK(axpy_rows)
        (AXPY_R_NARROW, AXPY_V_NARROW, a, idx, x0, xs, K, WT, Op, O, bp, relu, y0, ys);
#define AXPY_REST(R) RK(axpy_rows)(R, AXPY_V_NARROW, a, idx, x0, xs, K, WT, Op, O, bp, relu, y0, ys)
        RK_BY_CONST(na - a, AXPY_R_NARROW - 1, AXPY_REST);
#undef AXPY_REST
    }
}

/* ---- rk_outer: gW += Σ_a dp_a^T x_a ------------------------------------------ */

#define OUTER_PF 6 /* rows ahead for the prefetch of x (below) */

/* Output rows o0 .. o0+T-1 x V vectors of columns from d0; the last vector
 * of the row holds nlast <= VW columns. */
RK_INL void RK(outer_tile)(int T, int V, int nlast, int na, const int *idx, const float *x0,
                           size_t xs, int D, const float *dP, size_t dps, int o0, int d0,
                           float *gW) {
    vf acc[8][3];
#pragma GCC unroll 8
    for (int t = 0; t < T; t++)
#pragma GCC unroll 3
        for (int v = 0; v < V; v++)
            acc[t][v] = V_ZERO();
            /* Prefetches (they change no value): the tile's gW lines, read once
             * after the long sum (a layer-1 block's dW1 is out of cache by then);
             * and in the first tile of a column slab, the next slab's columns of
             * the x rows OUTER_PF rows ahead: gathered rows are no pattern the
             * hardware prefetcher follows. */
#pragma GCC unroll 8
    for (int t = 0; t < T; t++) {
        const float *g = gW + (size_t)(o0 + t) * D + d0;
        __builtin_prefetch(g, 1, 3);
        __builtin_prefetch(g + VW * V - 1, 1, 3);
        if (VW * V > 16) __builtin_prefetch(g + 16, 1, 3);
    }
    for (int a = 0; a < na; a++) {
        const float *x = x0 + (size_t)idx[a] * xs + d0, *dp = dP + (size_t)idx[a] * dps + o0;
        if (o0 == 0 && a + OUTER_PF < na && d0 + VW * V < D) {
            const float *xn = x0 + (size_t)idx[a + OUTER_PF] * xs + d0 + VW * V;
            __builtin_prefetch(xn, 0, 3);
            __builtin_prefetch(xn + VW * V - 1, 0, 3);
            if (VW * V > 16) __builtin_prefetch(xn + 16, 0, 3);
        }
        vf xv[3];
#pragma GCC unroll 3
        for (int v = 0; v < V; v++)
            xv[v] = v == V - 1 && nlast < VW ? V_LOADN(x + VW * v, nlast) : V_LOAD(x + VW * v);
#pragma GCC unroll 8
        for (int t = 0; t < T; t++) {
            vf bv = V_SET1(dp[t]);
#pragma GCC unroll 3
            for (int v = 0; v < V; v++)
                acc[t][v] = V_FMA(bv, xv[v], acc[t][v]);
        }
    }
#pragma GCC unroll 8
    for (int t = 0; t < T; t++)
#pragma GCC unroll 3
        for (int v = 0; v < V; v++) {
            float *g = gW + (size_t)(o0 + t) * D + d0 + VW * v;
            if (v == V - 1 && nlast < VW)
                V_STOREN(g, V_ADD(V_LOADN(g, nlast), acc[t][v]), nlast);
            else
                V_STORE(g, V_ADD(V_LOAD(g), acc[t][v]));
        }
}

/* outer_tile over all output rows for the V vectors of columns from d0,
 * OUTER_T rows at a time. Columns outside, output rows inside: the rows'
 * slices of x (na x V vectors) stay in L1 while every output row uses them
 * (rows outside read all of x from L2 once per OUTER_T output rows: 1.5x
 * slower on a layer-1 block's dW1, 48 x 784 over 80 rows). */
RK_INL void RK(outer_cols)(int V, int nlast, int na, const int *idx, const float *x0, size_t xs,
                           int D, const float *dP, size_t dps, int O, int d0, float *gW) {
    int o = 0;
    for (; o + OUTER_T <= O; o += OUTER_T)
        RK(outer_tile)(OUTER_T, V, nlast, na, idx, x0, xs, D, dP, dps, o, d0, gW);
#define OUTER_REST(T) RK(outer_tile)(T, V, nlast, na, idx, x0, xs, D, dP, dps, o, d0, gW)
    /* the rest in one tile (H = 37: 4 x 8 + 5, not 5 single rows) */
    RK_BY_CONST(O - o, OUTER_T - 1, OUTER_REST);
#undef OUTER_REST
}

RK_FN void RK(rk_outer)(int na, const int *idx, const float *x0, size_t xs, int D, const float *dP,
                        size_t dps, int O, float *gW) {
    const int nvec = (D + VW - 1) / VW;
    for (int v0 = 0; v0 < nvec; v0 += 3) {
        int V = RT_MIN(3, nvec - v0), d0 = VW * v0, nlast = RT_MIN(VW, D - d0 - VW * (V - 1));
        if (V == 3)
            RK(outer_cols)(3, nlast, na, idx, x0, xs, D, dP, dps, O, d0, gW);
        else if (V == 2)
            RK(outer_cols)(2, nlast, na, idx, x0, xs, D, dP, dps, O, d0, gW);
        else
            RK(outer_cols)(1, nlast, na, idx, x0, xs, D, dP, dps, O, d0, gW);
    }
}

/* ---- rk_mix: the gate-weighted mean z -------------------------------------------- */

/* V vectors of z from column k (the last may be partial: H - k - VW * (V - 1)
 * columns), over the ns sources: the sources inside, so each weight is
 * broadcast once per tile and the V sums are independent chains. */
RK_INL void RK(mix_tile)(int V, int ns, const float *c, const int *src, const float *hp, int H,
                         int k, float *z) {
    vf acc[6];
#pragma GCC unroll 6
    for (int v = 0; v < V; v++)
        acc[v] = V_ZERO();
    const int nlast = H - k - VW * (V - 1); /* < VW: the last vector is partial */
    for (int u = 0; u < ns; u++) {
        const vf cu = V_SET1(c[u]);
        const float *h = hp + (size_t)src[u] * H + k;
#pragma GCC unroll 6
        for (int v = 0; v < V; v++)
            acc[v] = V_FMA(
                cu, v == V - 1 && nlast < VW ? V_LOADN(h + VW * v, nlast) : V_LOAD(h + VW * v),
                acc[v]);
    }
#pragma GCC unroll 6
    for (int v = 0; v < V; v++) {
        if (v == V - 1 && nlast < VW)
            V_STOREN(z + k + VW * v, acc[v], nlast);
        else
            V_STORE(z + k + VW * v, acc[v]);
    }
}

RK_FN void RK(rk_mix)(const RkMix *g, int na, const int *idx) {
    const int B = g->B, H = g->H, KM = g->KM, i = g->i, nvec = (H + VW - 1) / VW;
    for (int a = 0; a < na; a++) {
        size_t n = (size_t)idx[a];
        const uint8_t *ap = g->act0 + n * B;
        const float *sp = g->s0 + n * g->ss + i, *hp = g->h0 + n * g->hs;
        float *z = g->z0 + n * g->hs, r = g->r0[n * B + i], c[RK_MAX_B];
        int src[RK_MAX_B], ns = 0;
        for (int j = 0; j < B; j++) /* the weights s_j[i] / r_i, each in [0, 1] */
            if (ap[j]) c[ns] = sp[(size_t)j * KM] / r, src[ns++] = j;
        /* per element: 0, then + c_u h_u in source order (tiles only group elements) */
        int v = 0;
        for (; v + 6 <= nvec; v += 6)
            RK(mix_tile)(6, ns, c, src, hp, H, VW * v, z);
#define MIX_REST(V) RK(mix_tile)(V, ns, c, src, hp, H, VW * v, z)
        /* the rest in one tile: one pass over the sources */
        RK_BY_CONST(nvec - v, 5, MIX_REST);
#undef MIX_REST
    }
}

/* ---- end of the instance ---------------------------------------------------------- */
#undef RK
#undef RK_FN
#undef RK_INL
#undef VW
#undef vf
#undef VBITS
#undef V_LOADN
#undef V_STOREN
#undef V_HSUM
#undef DOT_RMAX
#undef DOT_T
#undef AXPY_WIDE
#undef AXPY_R_WIDE
#undef AXPY_V_WIDE
#undef AXPY_R_NARROW
#undef AXPY_V_NARROW
#undef OUTER_T
#undef OUTER_PF
#undef RK_CONST_CASE
#undef RK_BY_CONST
