/* pane_network.c — the network: the router at the left, layers as columns of
 * blocks (brightness = firing rate, dark = inactive), gates as lines whose
 * weight shows the gate value, class nodes with their flows at the right. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui.h"

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

/* A gate line as a staircase of flat and upright pieces, so that its weight
 * (─ │ light, ━ ┃ heavy) reads on every cell; gates under VM_GATE_MIN are not
 * drawn (min_lv 1), the MLP's class lines keep the dotted weakest level. */
static void draw_seg_lv(WINDOW *w, const Seg *s, Rect clip, int min_lv) {
    int lv = palette_gate_level(s->g);
    if (lv < min_lv || lv < 0 || s->x1 <= s->x0) return;
    wattrset(w, tui_attr((ColorRole)(CLR_GATE_0 + lv)));
    int dx = s->x1 - s->x0;
    int prev = s->y0;
    for (int x = s->x0; x <= s->x1; x++) {
        int t = x - s->x0;
        int y = s->y0 + ((s->y1 - s->y0) * t * 2 + (s->y1 > s->y0 ? dx : -dx)) / (2 * dx);
        if (t == 0) y = s->y0;
        if (x == s->x1) y = s->y1;
        if (y == prev) {
            if (rect_contains(clip, y, x)) mvwaddstr(w, y, x, gate_glyph(lv, 0));
        } else /* the rise: an upright piece from the row it leaves to the row it reaches */
            for (int yy = prev;; yy += (y > prev ? 1 : -1)) {
                if (rect_contains(clip, yy, x)) mvwaddstr(w, yy, x, gate_glyph(lv, 3));
                if (yy == y) break;
            }
        prev = y;
    }
    wattrset(w, A_NORMAL);
}

static void draw_seg(WINDOW *w, const Seg *s, Rect clip) { draw_seg_lv(w, s, clip, 0); }

static int seg_cmp(const void *a, const void *b) {
    float ga = ((const Seg *)a)->g, gb = ((const Seg *)b)->g;
    return ga < gb ? -1 : ga > gb;
}

/* Class nodes in column x, rows cy[], cls_w wide: name and flow, the
 * prediction highlighted. */
static void draw_classes(const NetPane *p, WINDOW *w, const int *cy, int x, int cls_w) {
    char buf[32];
    for (int c = 0; c < p->C; c++) {
        char num[8];
        vm_fmt_rate(num, sizeof num, p->flow[c]);
        snprintf(buf, sizeof buf, "%-*.*s%s", cls_w - 4, cls_w - 4, p->names[c], num);
        attr_t a = c == p->pred        ? tui_attr(CLR_CLASS_TOP)
                   : p->flow[c] > 0.0f ? tui_attr(CLR_CLASS)
                                       : tui_attr(CLR_DIM);
        tui_text(w, cy[c], x, cls_w, a, buf);
    }
}

/* The dense MLP (the ViewState shows it as L hidden layers of one block):
 * each hidden layer one tall, always-lit column (every unit computes for
 * every image), dense all-to-all bundles between them, and lines to the
 * classes whose weight is the class probability. */
static void net_draw_mlp(const NetPane *p, WINDOW *w, Rect in) {
    int L = p->L < 1 ? 1 : p->L, C = p->C;
    NetGeom g;
    net_geom(p, in, &g);
    int bw = g.bw, avail = g.avail, top = g.top, bot = g.bot, ry = g.ry;
    const int *cy = g.cy, *cx = g.cx;
    Rect clip = {in.y, in.x, avail, in.w};
    /* input → layer 1 and layer l → l+1: dense bundles (gate 1 everywhere) */
    for (int l = 0; l < L; l++) {
        int x0 = l == 0 ? cx[0] + 3 : cx[l] + bw, x1 = cx[l + 1] - 1;
        for (int y = top; y <= bot; y++) {
            Seg s = {1.0f, l == 0 ? ry : y, x0, y, x1};
            if (l == 0 && (y - top) % 2) continue; /* a fan from the input */
            draw_seg(w, &s, clip);
        }
    }
    /* last layer → classes: line weight = p_c */
    static Seg seg[RT_MAX_C];
    for (int c = 0; c < C; c++) {
        int y0 = cy[c] < top ? top : cy[c] > bot ? bot : cy[c];
        seg[c] = (Seg){p->flow[c], y0, cx[L] + bw, cy[c], cx[L + 1] - 1};
    }
    qsort(seg, (size_t)C, sizeof seg[0], seg_cmp);
    for (int c = 0; c < C; c++)
        draw_seg(w, &seg[c], clip);
    /* the input node and the layer columns */
    char buf[48];
    tui_text(w, ry, cx[0], 3, tui_attr(CLR_ROUTER), "in ");
    if (ry + 1 < in.y + avail && p->D > 0)
        tui_textf(w, ry + 1, cx[0], 5, tui_attr(CLR_DIM), "%d", p->D);
    attr_t lit = tui_attr(palette_lit_role(1.0f));
    for (int l = 0; l < L; l++) {
        snprintf(buf, sizeof buf, "fc%d", l + 1);
        tui_textf(w, top - 1 >= in.y ? top - 1 : top, cx[l + 1], bw, tui_attr(CLR_TITLE), "%-*s",
                  bw, buf);
        for (int y = top; y <= bot; y++)
            tui_textf(w, y, cx[l + 1], bw, lit, "%*s", bw, "");
        if (p->width[l] > 0) { /* its width, in the middle of the column */
            snprintf(buf, sizeof buf, "%d", p->width[l]);
            int n = (int)strlen(buf);
            tui_text(w, (top + bot) / 2, cx[l + 1] + (bw - n) / 2, n, lit, buf);
        }
        if (bot + 1 < in.y + avail)
            tui_text(w, bot + 1, cx[l + 1] + (bw - 4) / 2, 4, tui_attr(CLR_DIM), "100%");
    }
    draw_classes(p, w, cy, cx[L + 1], g.cls_w);
    tui_textf(w, in.y + in.h - 1, in.x, in.w, tui_attr(CLR_DIM),
              "dense MLP: every layer computes for every image, 100%% of %ld parameters  "
              "lines to classes: p",
              p->params);
}

void net_draw(const NetPane *p, WINDOW *w, Rect r) {
    tui_box(w, r,
            p->arch == ARCH_MLP ? "network · right: p per class" : "network · right: flow o_c", 0);
    Rect in = {r.y + 1, r.x + 1, r.h - 2, r.w - 2};
    if (in.h < 3 || in.w < 10) return;
    if (!p->valid) {
        tui_text(w, in.y + in.h / 2, in.x + 1, in.w - 2, tui_attr(CLR_DIM), "tracing…");
        return;
    }
    if (p->arch == ARCH_MLP) {
        net_draw_mlp(p, w, in);
        return;
    }
    int L = p->L, B = p->B, C = p->C;
    NetGeom g;
    net_geom(p, in, &g);
    int bw = g.bw, cls_w = g.cls_w, avail = g.avail, two_rows = g.two_rows, ry = g.ry;
    const int *by = g.by, *cy = g.cy, *cx = g.cx;

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
        if (seg[i].g >= VM_GATE_MIN) draw_seg_lv(w, &seg[i], clip, 1);

    /* parameters per block of each layer, over its column (when a row is free;
     * else the caption says them) */
    int hdr = by[0] > in.y && bw >= 5;
    if (hdr) {
        char pb[24];
        snprintf(pb, sizeof pb, "%ld", p->router_params);
        tui_text(w, in.y, cx[0], cx[1] - cx[0] - 1, tui_attr(CLR_DIM), pb);
        for (int l = 0; l < L; l++) {
            snprintf(pb, sizeof pb, "%ld/blk", p->block_params[l]);
            int room = (l + 2 <= L ? cx[l + 2] : cx[L + 1]) - cx[l + 1] - 1;
            tui_text(w, in.y, cx[l + 1], room, tui_attr(CLR_DIM), pb);
        }
        tui_text(w, in.y, cx[L + 1], cls_w, tui_attr(CLR_DIM), "flow o_c");
    }

    /* router */
    tui_text(w, ry, cx[0], 3, tui_attr(CLR_ROUTER), "in ");
    /* blocks */
    char buf[32];
    for (int l = 0; l < L; l++)
        for (int i = 0; i < B; i++) {
            float rate = p->rate[l][i];
            char num[8];
            vm_fmt_rate(num, sizeof num, rate);
            if (p->active[l][i] && bw >= 5 && rate < 0.995f && rate >= 0.005f &&
                (int)(rate * 100.0f + 0.5f) <= (int)(p->theta * 100.0f + 0.5f))
                snprintf(num, sizeof num, ".%03d", (int)(rate * 1000.0f + 0.5f)); /* > θ shows */
            if (p->active[l][i]) {
                int nl = (int)strlen(num), pad = bw - nl;
                if (pad < 0) pad = 0;
                snprintf(buf, sizeof buf, "%*s%s%*s", pad / 2, "", bw >= 3 ? num : "",
                         pad - pad / 2, "");
                tui_text(w, by[i], cx[l + 1], bw, tui_attr(palette_lit_role(rate)), buf);
            } else if (rate > 0.0f && bw >= 5) {
                int nl = (int)strlen(num), pad = bw - 2 - nl;
                if (pad >= 0) /* [.03] */
                    snprintf(buf, sizeof buf, "[%*s%s%*s]", pad / 2, "", num, pad - pad / 2, "");
                else /* "<.01" leaves no room for the brackets: the dark colour says it */
                    snprintf(buf, sizeof buf, "%*s%s%*s", (bw - nl) / 2 > 0 ? (bw - nl) / 2 : 0, "",
                             num, bw - nl - (bw - nl) / 2 > 0 ? bw - nl - (bw - nl) / 2 : 0, "");
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
    draw_classes(p, w, cy, cx[L + 1], cls_w);
    /* caption */
    if (hdr)
        tui_textf(w, in.y + in.h - 1, in.x, in.w, tui_attr(CLR_DIM),
                  "θ %.3f  active %d/%d blocks  lit: rate > θ, brighter = higher rate%s",
                  (double)p->theta, p->nactive, L * B, two_rows ? "  n% = share of training" : "");
    else {
        char cap[160];
        int n = snprintf(cap, sizeof cap, "θ %.3f  params per block", (double)p->theta);
        for (int l = 0; l < L && n < (int)sizeof cap - 24; l++)
            n += snprintf(cap + n, sizeof cap - (size_t)n, " L%d %ld", l + 1, p->block_params[l]);
        snprintf(cap + n, sizeof cap - (size_t)n, " router %ld", p->router_params);
        tui_text(w, in.y + in.h - 1, in.x, in.w, tui_attr(CLR_DIM), cap);
    }
}
