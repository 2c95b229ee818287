/* pane_network.c — the network: the router at the left, layers as columns of
 * blocks (brightness = firing rate, dark = inactive), gates as lines whose
 * weight shows the gate value, class nodes with their flows at the right. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui.h"

void net_update(NetPane *p, const ViewState *vs, const TuiView *v) {
    const RtTrace *t = &vs->trace;
    p->arch = vs->arch;
    p->L = vs->L;
    p->B = vs->B;
    p->C = vs->C;
    p->valid = t->nsteps > 0 && vs->arch == ARCH_RT;
    memcpy(p->names, vs->class_names, sizeof p->names);
    memcpy(p->share, vs->block_share, sizeof p->share);
    if (!p->valid) return;
    int s = v->step < 0 ? 0 : v->step >= t->nsteps ? t->nsteps - 1 : v->step;
    p->theta = t->theta[s];
    memcpy(p->router, t->router[s], sizeof p->router);
    memcpy(p->rate, t->rate[s], sizeof p->rate);
    memcpy(p->active, t->active[s], sizeof p->active);
    memcpy(p->gate, t->gate[s], sizeof p->gate);
    memcpy(p->flow, t->flow[s], sizeof p->flow);
    p->nactive = t->nactive[s];
    p->pred = -1;
    if (t->mass[s] > 0.0f) {
        p->pred = 0;
        for (int c = 1; c < p->C; c++)
            if (t->prob[s][c] > t->prob[s][p->pred]) p->pred = c;
    }
}

int net_col_x(int c, int ncols, int inner_w, int blk_w, int cls_w) {
    int L = ncols - 2, rw = 3;
    int gap = (inner_w - rw - L * blk_w - cls_w) / (L + 1);
    if (gap < 1) gap = 1;
    if (c <= 0) return 0;
    if (c > L) return inner_w - cls_w;
    return rw + gap * c + blk_w * (c - 1);
}

/* Row of item i of n spread over rows [0, avail). */
static int spread(int i, int n, int avail) {
    if (n <= 1) return avail / 2;
    int slot = avail / n;
    return i * avail / n + (slot > 1 ? (slot - 1) / 2 : 0);
}

/* Glyphs by weight level and direction: flat, down, up, vertical. */
static const char *gate_glyph(int lv, int dir) {
    static const char *U[3][4] = {{"·", "·", "·", "·"}, {"─", "╲", "╱", "│"}, {"━", "╲", "╱", "┃"}};
    static const char *A[3][4] = {
        {".", ".", ".", "."}, {"-", "\\", "/", "|"}, {"=", "\\", "/", "#"}};
    return tui_utf8 ? U[lv][dir] : A[lv][dir];
}

#define NET_TOP 3 /* gates drawn per block */

typedef struct {
    float g;            /* gate value */
    int y0, x0, y1, x1; /* from (right of source) to (left of target) */
} Seg;

static void draw_seg(WINDOW *w, const Seg *s, Rect clip) {
    int lv = palette_gate_level(s->g);
    if (lv < 0 || s->x1 <= s->x0) return;
    wattrset(w, tui_attr((ColorRole)(CLR_GATE_0 + lv)));
    int dx = s->x1 - s->x0;
    int prev = s->y0;
    for (int x = s->x0; x <= s->x1; x++) {
        int t = x - s->x0;
        int y = s->y0 + ((s->y1 - s->y0) * t * 2 + (s->y1 > s->y0 ? dx : -dx)) / (2 * dx);
        if (t == 0) y = s->y0;
        if (x == s->x1) y = s->y1;
        int dir = y > prev ? 1 : y < prev ? 2 : 0;
        /* vertical run between prev and y (steep lines) */
        for (int yy = prev + (y > prev ? 1 : -1); y != prev && yy != y; yy += (y > prev ? 1 : -1))
            if (rect_contains(clip, yy, x)) mvwaddstr(w, yy, x, gate_glyph(lv, 3));
        if (rect_contains(clip, y, x)) mvwaddstr(w, y, x, gate_glyph(lv, dir));
        prev = y;
    }
    wattrset(w, A_NORMAL);
}

static int seg_cmp(const void *a, const void *b) {
    float ga = ((const Seg *)a)->g, gb = ((const Seg *)b)->g;
    return ga < gb ? -1 : ga > gb;
}

static void fmt_rate(char *buf, size_t n, float r) {
    if (r >= 0.995f)
        snprintf(buf, n, "1.0");
    else
        snprintf(buf, n, ".%02d", (int)(r * 100.0f + 0.5f));
}

void net_draw(const NetPane *p, WINDOW *w, Rect r) {
    tui_box(w, r, "network", 0);
    Rect in = {r.y + 1, r.x + 1, r.h - 2, r.w - 2};
    if (in.h < 3 || in.w < 10) return;
    if (p->arch == ARCH_MLP) {
        tui_text(w, in.y + in.h / 2, in.x + 1, in.w - 2, tui_attr(CLR_DIM),
                 "dense MLP baseline: every parameter is used for every image");
        return;
    }
    if (!p->valid) {
        tui_text(w, in.y + in.h / 2, in.x + 1, in.w - 2, tui_attr(CLR_DIM), "tracing…");
        return;
    }
    int L = p->L, B = p->B, C = p->C;
    int bw = in.w >= 90 ? 7 : in.w >= 44 ? 5 : 3;
    int cls_w = in.w >= 90 ? 16 : in.w >= 44 ? 9 : 5;
    int avail = in.h - 1; /* last row: caption */
    int two_rows = avail >= 2 * B;
    int by[RT_MAX_B], cy[RT_MAX_C];
    for (int i = 0; i < B; i++)
        by[i] = in.y + spread(i, B, avail);
    for (int c = 0; c < C; c++)
        cy[c] = in.y + spread(c, C, avail);
    int ry = in.y + (avail - 1) / 2;
    int cx[RT_MAX_L + 2] = {0};
    for (int c = 0; c <= L + 1; c++)
        cx[c] = in.x + net_col_x(c, L + 2, in.w, bw, cls_w);

    /* gates, weakest first so strong ones are on top */
    static Seg seg[RT_MAX_B * (RT_MAX_L + 1) * RT_MAX_C];
    int ns = 0;
    Rect clip = {in.y, in.x, avail, in.w};
    for (int i = 0; i < B; i++)
        seg[ns++] = (Seg){p->router[i], ry, cx[0] + 3, by[i], cx[1] - 1};
    for (int l = 0; l < L; l++)
        for (int i = 0; i < B; i++) {
            if (!p->active[l][i]) continue;
            int K = l < L - 1 ? B : C;
            /* the NET_TOP strongest gates of each block: all would be a blur */
            int ord[RT_MAX_C > RT_MAX_B ? RT_MAX_C : RT_MAX_B];
            for (int k = 0; k < K; k++) {
                int j = k;
                for (; j > 0 && p->gate[l][i][k] > p->gate[l][i][ord[j - 1]]; j--)
                    ord[j] = ord[j - 1];
                ord[j] = k;
            }
            int nt = K < NET_TOP ? K : NET_TOP;
            const int *top = ord;
            for (int q = 0; q < nt; q++) {
                int k = top[q];
                seg[ns++] = (Seg){p->gate[l][i][k], by[i], cx[l + 1] + bw,
                                  l < L - 1 ? by[k] : cy[k], cx[l + 2] - 1};
            }
        }
    qsort(seg, (size_t)ns, sizeof seg[0], seg_cmp);
    for (int i = 0; i < ns; i++)
        draw_seg(w, &seg[i], clip);

    /* router */
    tui_text(w, ry, cx[0], 3, tui_attr(CLR_ROUTER) | A_REVERSE, "in ");
    /* blocks */
    char buf[32];
    for (int l = 0; l < L; l++)
        for (int i = 0; i < B; i++) {
            float rate = p->rate[l][i];
            char num[8];
            fmt_rate(num, sizeof num, rate);
            if (p->active[l][i]) {
                int pad = bw - 3;
                snprintf(buf, sizeof buf, "%*s%s%*s", pad / 2, "", bw >= 3 ? num : "",
                         pad - pad / 2, "");
                tui_text(w, by[i], cx[l + 1], bw, tui_attr(palette_lit_role(rate)) | A_REVERSE,
                         buf);
            } else if (rate > 0.0f && bw >= 5) {
                snprintf(buf, sizeof buf, "[%*s%s%*s]", (bw - 5) / 2, "", num,
                         bw - 5 - (bw - 5) / 2, "");
                tui_text(w, by[i], cx[l + 1], bw, tui_attr(CLR_BLOCK_DARK), buf);
            } else {
                snprintf(buf, sizeof buf, "[%*s%s%*s]", (bw - 3) / 2, "", tui_utf8 ? "·" : ".",
                         bw - 3 - (bw - 3) / 2, "");
                tui_text(w, by[i], cx[l + 1], bw, tui_attr(CLR_BLOCK_DARK), buf);
            }
            if (two_rows && by[i] + 1 < in.y + avail) {
                snprintf(buf, sizeof buf, "%3d%%", (int)(p->share[l][i] * 100.0f + 0.5f));
                tui_text(w, by[i] + 1, cx[l + 1] + (bw - 4) / 2, 4, tui_attr(CLR_DIM), buf);
            }
        }
    /* class nodes */
    float maxf = 0.0f;
    for (int c = 0; c < C; c++)
        if (p->flow[c] > maxf) maxf = p->flow[c];
    for (int c = 0; c < C; c++) {
        char num[8];
        fmt_rate(num, sizeof num, p->flow[c]);
        snprintf(buf, sizeof buf, "%-*.*s%s", cls_w - 4, cls_w - 4, p->names[c], num);
        attr_t a = c == p->pred        ? tui_attr(CLR_BAR_TOP) | A_BOLD
                   : p->flow[c] > 0.0f ? tui_attr(CLR_CLASS)
                                       : tui_attr(CLR_DIM);
        tui_text(w, cy[c], cx[L + 1], cls_w, a, buf);
    }
    /* caption */
    tui_textf(w, in.y + in.h - 1, in.x, in.w, tui_attr(CLR_DIM),
              "θ %.3f  active %d/%d blocks  lit: rate > θ, brighter = higher rate%s",
              (double)p->theta, p->nactive, L * B, two_rows ? "  n% = share of training" : "");
}
