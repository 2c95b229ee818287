/* view.c — layout and drawing of the projector view (view.h). */
#include "view.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "tutorial.h"

/* ---------------------------------------------------------------- layout */

static SDL_FRect frect(float x, float y, float w, float h) { return (SDL_FRect){x, y, w, h}; }

static int shape_b(const ViewState *vs) {
    int B = vs->arch == ARCH_MLP ? 1 : vs->B;
    return B < 1 ? 1 : B > RT_MAX_B ? RT_MAX_B : B;
}

void sv_layout(SdlGeom *g, int w, int h, const ViewState *vs) {
    memset(g, 0, sizeof *g);
    g->w = w;
    g->h = h;
    g->out_w = w;
    g->L = vs->L < 1 ? 1 : vs->L > RT_MAX_L ? RT_MAX_L : vs->L;
    g->B = shape_b(vs);
    g->C = vs->C < 1 ? 1 : vs->C > RT_MAX_C ? RT_MAX_C : vs->C;
    g->nsteps = vs->trace.nsteps > 0 ? vs->trace.nsteps : vs->nsched;
    if (g->nsteps < 1) g->nsteps = 1;
    const float W = (float)w, H = (float)h;
    const float uw = W / 1920.0f, uh = H / 1080.0f, u = uw < uh ? uw : uh;
    const float m = 14.0f * u; /* margin between panes */

    const float top = 0.065f * H, mid = 0.655f * H, sl = 0.785f * H;
    const float split = 0.635f * W;
    g->header = frect(m, 0, W - 2 * m, top);
    g->net = frect(m, top, split - 1.5f * m, mid - top - m / 2);
    g->side = frect(split + m / 2, top, W - split - 1.5f * m, mid - top - m / 2);
    g->slider = frect(m, mid + m / 2, W - 2 * m, sl - mid - m);
    g->gallery = frect(m, sl + m / 2, split - 1.5f * m, H - sl - 1.5f * m);
    g->stats = frect(split + m / 2, sl + m / 2, W - split - 1.5f * m, H - sl - 1.5f * m);

    /* network: router column, L layer columns, class column (nodes + names) */
    const SDL_FRect n = g->net;
    const float title_h = 40.0f * u;
    const float names_w = 270.0f * u; /* class names and flows right of the nodes */
    const float y0 = n.y + title_h + 40.0f * u, avail = n.y + n.h - 10.0f * u - y0;
    const int L = g->L, B = g->B, C = g->C;
    float bh = avail / (float)B * 0.62f, bw = 120.0f * u;
    if (bh > 96.0f * u) bh = 96.0f * u;
    if (vs->arch == ARCH_MLP) bh = avail * 0.8f;
    const float rw = 70.0f * u, cw = 34.0f * u;
    const float xl = n.x + 10.0f * u, xr = n.x + n.w - names_w - cw;
    const float gap = (xr - xl - rw - (float)L * bw) / (float)(L + 1);
    if (gap < 20.0f * u && L > 0) bw = (xr - xl - rw - 20.0f * u * (L + 1)) / (float)L;
    const float gp = (xr - xl - rw - (float)L * bw) / (float)(L + 1);
    float rh = vs->arch == ARCH_MLP ? 96.0f * u : bh * 1.6f;
    if (rh > avail) rh = avail;
    g->router = frect(xl, y0 + avail / 2 - rh / 2, rw, rh);
    for (int l = 0; l < L; l++) {
        float x = xl + rw + gp * (float)(l + 1) + bw * (float)l;
        for (int i = 0; i < B; i++) {
            float cy = y0 + avail * ((float)i + 0.5f) / (float)B;
            g->block[l][i] = frect(x, cy - bh / 2, bw, bh);
        }
    }
    float ch = avail / (float)C * 0.7f;
    if (ch > cw) ch = cw;
    for (int c = 0; c < C; c++) {
        float cy = y0 + avail * ((float)c + 0.5f) / (float)C;
        g->cls[c] = frect(xr, cy - ch / 2, cw, ch);
    }

    /* traced image: a big square at the left, the class bars beside it, the
     * answer and its cost under both */
    const SDL_FRect s = g->side;
    float side = s.h - title_h - 5 * 44.0f * u;
    if (side > s.w * 0.46f) side = s.w * 0.46f;
    if (side < 8.0f) side = 8.0f;
    g->img = frect(s.x + 16.0f * u, s.y + title_h + 12.0f * u, side, side);
    float bx = g->img.x + side + 16.0f * u;
    g->bars = frect(bx, g->img.y, s.x + s.w - bx - 14.0f * u, side);

    /* slider: a label at the left, the track across */
    const SDL_FRect q = g->slider;
    const float lab = 330.0f * u;
    g->track = frect(q.x + lab, q.y + q.h * 0.42f, q.w - lab - 60.0f * u, 10.0f * u);

    /* gallery: two rows of 12 with their percentages */
    const SDL_FRect ga = g->gallery;
    const float rowlab = 150.0f * u;
    float cwid = (ga.w - rowlab - 10.0f * u) / (float)VS_GALLERY;
    float rowh = (ga.h - title_h) / 2.0f;
    float thumb = rowh - 34.0f * u;
    if (thumb > cwid * 0.86f) thumb = cwid * 0.86f;
    if (thumb < 4.0f) thumb = 4.0f;
    for (int r = 0; r < 2; r++)
        for (int k = 0; k < VS_GALLERY; k++)
            g->cell[r][k] = frect(ga.x + rowlab + cwid * (float)k + (cwid - thumb) / 2,
                                  ga.y + title_h + rowh * (float)r + 2.0f * u, thumb, thumb);

    /* stats: two lines of numbers, then the two plots side by side */
    const SDL_FRect st = g->stats;
    float py = st.y + title_h + 2 * 34.0f * u, ph = st.y + st.h - py - 30.0f * u;
    float pw = (st.w - 3 * 14.0f * u) / 2.0f;
    g->plot[0] = frect(st.x + 14.0f * u, py, pw, ph);
    g->plot[1] = frect(st.x + 28.0f * u + pw, py, pw, ph);
}

void sv_layout_out(SdlGeom *g, int w, int h, const ViewState *vs, int chapter) {
    int vw = chapter ? (int)lroundf((float)w * (1.0f - SV_CHAPTER_SHARE)) : w;
    sv_layout(g, vw, h, vs);
    g->out_w = w;
    if (chapter) {
        float u =
            (float)vw / 1920.0f < (float)h / 1080.0f ? (float)vw / 1920.0f : (float)h / 1080.0f;
        float m = 14.0f * u;
        g->chapter = (SDL_FRect){(float)vw - m / 2, m / 2, (float)(w - vw) - m / 2, (float)h - m};
    }
}

float sv_step_x(const SdlGeom *g, float pos) {
    if (g->nsteps <= 1) return g->track.x;
    if (pos < 0) pos = 0;
    if (pos > (float)(g->nsteps - 1)) pos = (float)(g->nsteps - 1);
    return g->track.x + g->track.w * pos / (float)(g->nsteps - 1);
}

float sv_x_step(const SdlGeom *g, float x) {
    if (g->nsteps <= 1 || g->track.w <= 0) return 0.0f;
    float p = (x - g->track.x) / g->track.w * (float)(g->nsteps - 1);
    return p < 0 ? 0 : p > (float)(g->nsteps - 1) ? (float)(g->nsteps - 1) : p;
}

static int in_rect(SDL_FRect r, float x, float y) {
    return x >= r.x && x < r.x + r.w && y >= r.y && y < r.y + r.h;
}

int sv_block_at(const SdlGeom *g, float x, float y, int *l, int *i) {
    for (int a = 0; a < g->L; a++)
        for (int b = 0; b < g->B; b++)
            if (in_rect(g->block[a][b], x, y)) {
                *l = a;
                *i = b;
                return 1;
            }
    return 0;
}

int sv_cell_at(const SdlGeom *g, float x, float y, int *row, int *k) {
    for (int r = 0; r < 2; r++)
        for (int c = 0; c < VS_GALLERY; c++)
            if (in_rect(g->cell[r][c], x, y)) {
                *row = r;
                *k = c;
                return 1;
            }
    return 0;
}

/* ------------------------------------------------------- interpolation */

static float lerp(float a, float b, float t) { return a + (b - a) * t; }

void sv_state(const RtTrace *t, float pos, SvState *s) {
    memset(s, 0, sizeof *s);
    if (t->nsteps < 1) return;
    if (!(pos >= 0.0f)) pos = 0.0f;
    if (pos > (float)(t->nsteps - 1)) pos = (float)(t->nsteps - 1);
    int a = (int)pos, b = a + 1 < t->nsteps ? a + 1 : a;
    float f = pos - (float)a;
    s->step = f < 0.5f ? a : b;
    const int L = t->L < RT_MAX_L ? t->L : RT_MAX_L, B = t->B < RT_MAX_B ? t->B : RT_MAX_B;
    const int C = t->C < RT_MAX_C ? t->C : RT_MAX_C;
    const int KM = RT_MAX_C > RT_MAX_B ? RT_MAX_C : RT_MAX_B;
    s->theta = lerp(t->theta[a], t->theta[b], f);
    for (int i = 0; i < B; i++)
        s->router[i] = lerp(t->router[a][i], t->router[b][i], f);
    for (int l = 0; l < L; l++)
        for (int i = 0; i < B; i++) {
            s->rate[l][i] = lerp(t->rate[a][l][i], t->rate[b][l][i], f);
            s->act[l][i] = lerp((float)t->active[a][l][i], (float)t->active[b][l][i], f);
            int K = l + 1 < L ? B : C;
            for (int k = 0; k < K && k < KM; k++)
                s->gate[l][i][k] = lerp(t->gate[a][l][i][k], t->gate[b][l][i][k], f);
        }
    for (int c = 0; c < C; c++) {
        s->flow[c] = lerp(t->flow[a][c], t->flow[b][c], f);
        s->prob[c] = lerp(t->prob[a][c], t->prob[b][c], f);
    }
    s->mass = lerp(t->mass[a], t->mass[b], f);
}

/* -------------------------------------------------------------- drawing */

static float clamp01(float v) { return v < 0.0f ? 0.0f : v > 1.0f ? 1.0f : v; }

/* Continuous brightness ramp over the palette's lit roles (rate in [0,1]). */
static Rgb lit_rgb(float rate) {
    float x = clamp01(rate) * (float)(CLR_LIT_LEVELS - 1);
    int k = (int)x;
    if (k >= CLR_LIT_LEVELS - 1) return gfx_role(CLR_BLOCK_LIT_LAST);
    return gfx_mix(gfx_role((ColorRole)(CLR_BLOCK_LIT_0 + k)),
                   gfx_role((ColorRole)(CLR_BLOCK_LIT_0 + k + 1)), x - (float)k);
}

static Rgb gate_rgb(float gv) {
    int lv = palette_gate_level(gv);
    return gfx_role((ColorRole)(CLR_GATE_0 + (lv < 0 ? 0 : lv)));
}

/* Drawing pass of a gate (its weight level; the faintest with level 0). */
static int gate_pass(float v) {
    int lv = palette_gate_level(v);
    return lv < 0 ? 0 : lv;
}

static void pane(Gfx *g, SDL_FRect r, const char *title) {
    float u = g->u;
    gfx_round_rect(g, r, 14.0f * u, gfx_scale(gfx_role(CLR_BORDER), 0.32f), 1.0f);
    gfx_round_frame(g, r, 14.0f * u, 1.5f * u, gfx_role(CLR_BORDER), 0.9f);
    if (title)
        gfx_text(g, FONT_LARGE, r.x + 18.0f * u, r.y + 4.0f * u, ALIGN_LEFT, gfx_role(CLR_TITLE),
                 title);
}

static int argmax(const float *p, int n) {
    int b = 0;
    for (int i = 1; i < n; i++)
        if (p[i] > p[b]) b = i;
    return b;
}

static const char *cname(const ViewState *vs, int c, char *buf, size_t n) {
    if (c >= 0 && c < RT_MAX_C && vs->class_names[c][0]) return vs->class_names[c];
    snprintf(buf, n, "%d", c);
    return buf;
}

static void draw_network(Gfx *g, const SdlGeom *geo, const ViewState *vs, const SvState *st,
                         const SvFrame *f, int bg) {
    const float u = g->u;
    const int L = geo->L, B = geo->B, C = geo->C;
    float bh = geo->block[0][0].h;
    if (bg) {
        pane(g, geo->net,
             vs->arch == ARCH_MLP ? "network — dense MLP (every unit computes)"
                                  : "network — blocks fire when their rate r > θ");
        Rgb rc = gfx_role(CLR_ROUTER);
        gfx_glow(g, geo->router, 12.0f * u, 22.0f * u, rc, 0.35f);
        gfx_round_rect(g, geo->router, 12.0f * u, rc, 1.0f);
        gfx_text(g, FONT_NORMAL, geo->router.x + geo->router.w / 2,
                 geo->router.y + geo->router.h / 2 - gfx_line_h(g, FONT_NORMAL) / 2, ALIGN_CENTER,
                 gfx_scale(rc, 0.2f), "in");
        for (int l = 0; l < L; l++) {
            SDL_FRect c0 = geo->block[l][0];
            gfx_textf(g, FONT_SMALL, c0.x + c0.w / 2, geo->net.y + 46.0f * u, ALIGN_CENTER,
                      gfx_role(CLR_DIM), "layer %d", l + 1);
        }
        gfx_text(g, FONT_SMALL, geo->cls[0].x, geo->net.y + 46.0f * u, ALIGN_LEFT,
                 gfx_role(CLR_DIM), "classes (flow)");
        return;
    }
    float tmax = bh * 0.45f; /* thickness of a gate of value 1 */
    if (tmax > 40.0f * u) tmax = 40.0f * u;
    if (vs->trace.nsteps <= 0) return;

    /* gates, weakest first so the strong ones lie on top */
    for (int pass = 0; pass < 3; pass++) {
        for (int i = 0; i < B; i++) { /* router → layer 1 */
            float v = st->router[i];
            if (palette_gate_level(v) < 0 || gate_pass(v) != pass) continue;
            SDL_FRect a = geo->router, b = geo->block[0][i];
            gfx_curve(g, a.x + a.w, a.y + a.h / 2, b.x, b.y + b.h / 2, v * tmax, gate_rgb(v),
                      0.55f + 0.4f * clamp01(v * 4));
        }
        for (int l = 0; l < L; l++)
            for (int i = 0; i < B; i++) {
                if (st->act[l][i] <= 0.0f) continue;
                int K = l + 1 < L ? B : C;
                SDL_FRect a = geo->block[l][i];
                for (int k = 0; k < K; k++) {
                    float v = st->gate[l][i][k];
                    if (palette_gate_level(v) < 0 || gate_pass(v) != pass) continue;
                    SDL_FRect b = l + 1 < L ? geo->block[l + 1][k] : geo->cls[k];
                    gfx_curve(g, a.x + a.w, a.y + a.h / 2, b.x, b.y + b.h / 2, v * tmax,
                              gate_rgb(v), (0.55f + 0.4f * clamp01(v * 4)) * st->act[l][i]);
                }
            }
    }

    /* blocks: dark, or glowing by their rate */
    float rad = (bh < geo->block[0][0].w ? bh : geo->block[0][0].w) * 0.22f;
    for (int l = 0; l < L; l++) {
        for (int i = 0; i < B; i++) {
            SDL_FRect r = geo->block[l][i];
            float act = clamp01(st->act[l][i]), rate = clamp01(st->rate[l][i]);
            Rgb dark = gfx_role(CLR_BLOCK_DARK);
            if (act > 0.0f) {
                Rgb lit = lit_rgb(rate);
                gfx_glow(g, r, rad, 36.0f * u, lit, (0.15f + 0.6f * rate) * act);
                gfx_round_rect(g, r, rad, gfx_mix(dark, lit, act), 1.0f);
            } else {
                gfx_round_rect(g, r, rad, dark, 1.0f);
                gfx_round_frame(g, r, rad, 1.5f * u, gfx_role(CLR_BORDER), 1.0f);
            }
            if (f->sel_l == l && f->sel_i == i)
                gfx_round_frame(g,
                                (SDL_FRect){r.x - 5 * u, r.y - 5 * u, r.w + 10 * u, r.h + 10 * u},
                                rad + 4 * u, 3.0f * u, gfx_role(CLR_CURSOR), 1.0f);
            if (r.h >= gfx_line_h(g, FONT_SMALL) * 0.9f && st->rate[l][i] >= 0.005f) {
                char buf[16];
                float rv = st->rate[l][i];
                if (rv >= 0.995f)
                    snprintf(buf, sizeof buf, "1.00");
                else
                    snprintf(buf, sizeof buf, ".%02d", (int)(rv * 100.0f + 0.5f));
                Rgb tc = act > 0.5f ? gfx_scale(lit_rgb(rate), 0.18f) : gfx_role(CLR_DIM);
                gfx_text(g, FONT_SMALL, r.x + r.w / 2,
                         r.y + r.h / 2 - gfx_line_h(g, FONT_SMALL) / 2, ALIGN_CENTER, tc, buf);
            }
        }
    }

    /* class nodes, names and flows */
    int pred = st->mass > 0.0f ? argmax(st->prob, C) : -1;
    for (int c = 0; c < C; c++) {
        SDL_FRect r = geo->cls[c];
        float fl = clamp01(st->flow[c] * 3.0f);
        Rgb cc = c == pred ? gfx_role(CLR_BAR_TOP) : gfx_role(CLR_CLASS);
        if (fl > 0.0f) gfx_glow(g, r, r.h / 2, 20.0f * u, cc, 0.6f * fl);
        gfx_round_rect(g, r, r.h / 2, gfx_mix(gfx_role(CLR_BLOCK_DARK), cc, 0.25f + 0.75f * fl),
                       1.0f);
        char nb[16], line[64];
        snprintf(line, sizeof line, "%s %.2f", cname(vs, c, nb, sizeof nb), st->flow[c]);
        FontStyle fs = C > 12 ? FONT_SMALL : FONT_NORMAL;
        gfx_text(g, fs, r.x + r.w + 10.0f * u, r.y + r.h / 2 - gfx_line_h(g, fs) / 2, ALIGN_LEFT,
                 c == pred ? gfx_role(CLR_BAR_TOP)
                 : fl > 0  ? gfx_role(CLR_TEXT)
                           : gfx_role(CLR_DIM),
                 line);
    }
}

static void draw_bars(Gfx *g, const SdlGeom *geo, const ViewState *vs, const SvState *st, int bg) {
    const float u = g->u;
    const int C = geo->C;
    char nb[16];
    int pred = st->mass > 0.0f ? argmax(st->prob, C) : -1;
    SDL_FRect b = geo->bars;
    float row = b.h / (float)C, bar_h = row * 0.62f;
    float name_w = 150.0f * u, val_w = 64.0f * u;
    float bw = b.w - name_w - val_w;
    FontStyle fs = row >= gfx_line_h(g, FONT_NORMAL) * 1.1f ? FONT_NORMAL : FONT_SMALL;
    for (int c = 0; c < C; c++) {
        float ry = b.y + row * (float)c;
        float ty = ry + row / 2 - gfx_line_h(g, fs) / 2;
        SDL_FRect track = {b.x + name_w, ry + (row - bar_h) / 2, bw, bar_h};
        if (bg) {
            gfx_round_rect(g, track, bar_h / 3, gfx_role(CLR_BLOCK_DARK), 0.6f);
            continue;
        }
        gfx_text(g, fs, b.x + name_w - 10.0f * u, ty, ALIGN_RIGHT,
                 c == pred ? gfx_role(CLR_BAR_TOP) : gfx_role(CLR_TEXT),
                 cname(vs, c, nb, sizeof nb));
        float p = clamp01(st->prob[c]);
        if (p > 0.0f) {
            SDL_FRect fill = track;
            fill.w = bw * p;
            gfx_round_rect(g, fill, bar_h / 3,
                           c == pred ? gfx_role(CLR_BAR_TOP) : gfx_role(CLR_BAR), 1.0f);
        }
        gfx_textf(g, fs, b.x + b.w, ty, ALIGN_RIGHT, gfx_role(CLR_DIM), "%.2f", st->prob[c]);
    }
}

enum { SIDE_IMAGE = 1, SIDE_BARS = 2, SIDE_ANSWER = 4, SIDE_ALL = 7 };

/* The lines under the traced image: what the answer region draws, and its
 * key (it is redrawn only when one of them changed). */
typedef struct {
    int pred, ok;   /* the answer (-1 none), whether it is right */
    char head[96];  /* "✓ shirt 93%" or "no ray reaches the output" */
    char wrong[64]; /* "(it is …)" after a wrong answer, "" none */
    char cost[128]; /* the parameters and blocks used, or the dense MLP's line */
    char stop[96];  /* where the sweep stops, "" none */
} SideAnswer;

static void side_answer(const SdlGeom *geo, const ViewState *vs, const SvState *st, SideAnswer *a) {
    const RtTrace *t = &vs->trace;
    char nb[16], nb2[16];
    memset(a, 0, sizeof *a);
    a->pred = st->mass > 0.0f ? argmax(st->prob, geo->C) : -1;
    if (a->pred >= 0) {
        a->ok = vs->trace_label < 0 || a->pred == vs->trace_label;
        const char *mark = vs->trace_label < 0 ? "→" : a->ok ? "✓" : "✗";
        snprintf(a->head, sizeof a->head, "%s %s %.0f%%", mark, cname(vs, a->pred, nb2, sizeof nb2),
                 100.0f * st->prob[a->pred]);
        if (vs->trace_label >= 0 && !a->ok)
            snprintf(a->wrong, sizeof a->wrong, "(it is %s)",
                     cname(vs, vs->trace_label, nb, sizeof nb));
    } else {
        snprintf(a->head, sizeof a->head, "no ray reaches the output");
    }
    int s = st->step;
    if (vs->arch == ARCH_MLP) {
        snprintf(a->cost, sizeof a->cost, "dense: every parameter, every image");
        return;
    }
    snprintf(a->cost, sizeof a->cost, "%.1f%% of the parameters · %d of %d blocks", t->act_pct[s],
             t->nactive[s], geo->L * geo->B);
    if (t->stop >= 0 && t->stop < t->nsteps)
        snprintf(a->stop, sizeof a->stop, "the sweep stops at θ %.3g (τ %.2f)", t->theta[t->stop],
                 vs->tau);
}

/* The traced image pane (bg: its box and bar tracks; else the parts asked for). */
static void draw_side(Gfx *g, const SdlGeom *geo, const ViewState *vs, const SvState *st, int bg,
                      int parts) {
    const float u = g->u;
    const RtTrace *t = &vs->trace;
    char title[64];
    if (bg) {
        if (vs->trace_index >= 0)
            snprintf(title, sizeof title, "traced image — test #%d", vs->trace_index);
        else
            snprintf(title, sizeof title, "traced image — your drawing");
        pane(g, geo->side, title);
        if (t->nsteps > 0) draw_bars(g, geo, vs, st, 1);
        return;
    }
    if (t->nsteps <= 0) return;
    if (parts & SIDE_IMAGE) {
        gfx_image(g, vs->trace_pix, vs->ch, vs->h, vs->w, geo->img);
        gfx_round_frame(g, geo->img, 4.0f * u, 2.0f * u, gfx_role(CLR_BORDER), 1.0f);
    }
    if (parts & SIDE_BARS) draw_bars(g, geo, vs, st, 0);
    if (!(parts & SIDE_ANSWER)) return;

    SideAnswer a;
    side_answer(geo, vs, st, &a);
    float x = geo->img.x, y = geo->img.y + geo->img.h + 14.0f * u, lh = 44.0f * u;
    if (a.pred >= 0) {
        float w = gfx_text(g, FONT_LARGE, x, y, ALIGN_LEFT,
                           a.ok ? gfx_role(CLR_GOOD) : gfx_role(CLR_BAD), a.head);
        if (a.wrong[0])
            gfx_text(g, FONT_NORMAL, x + w + 20 * u, y + 6 * u, ALIGN_LEFT, gfx_role(CLR_TEXT),
                     a.wrong);
    } else {
        gfx_text(g, FONT_LARGE, x, y, ALIGN_LEFT, gfx_role(CLR_BAD), a.head);
    }
    y += lh + 6 * u;
    gfx_text(g, FONT_NORMAL, x, y, ALIGN_LEFT, gfx_role(CLR_TEXT), a.cost);
    y += lh;
    if (a.stop[0]) gfx_text(g, FONT_NORMAL, x, y, ALIGN_LEFT, gfx_role(CLR_STOP), a.stop);
}

/* The schedule's tick discs (all, or only those at or left of x_max). */
static void slider_ticks(Gfx *g, const SdlGeom *geo, const RtTrace *t, int n, float x_max) {
    const float u = g->u;
    const SDL_FRect tr = geo->track;
    for (int s = 0; s < n; s++) {
        float x = sv_step_x(geo, (float)s);
        if (x > x_max) break;
        int is_stop = t->nsteps > 0 && s == t->stop;
        gfx_disc(g, x, tr.y + tr.h / 2, (is_stop ? 9.0f : 6.0f) * u,
                 is_stop ? gfx_role(CLR_STOP) : gfx_role(CLR_DIM), 1.0f);
    }
}

enum { SLIDER_THETA = 1, SLIDER_KNOB = 2, SLIDER_ALL = 3 };

/* The θ slider (bg: its box, track, ticks and labels; else the parts asked
 * for: the θ readout, the fill and knob). */
static void draw_slider(Gfx *g, const SdlGeom *geo, const ViewState *vs, const SvState *st,
                        float pos, int bg, int parts) {
    const float u = g->u;
    const RtTrace *t = &vs->trace;
    const SDL_FRect q = geo->slider, tr = geo->track;
    int n = t->nsteps > 0 ? t->nsteps : vs->nsched;
    const float *th = t->nsteps > 0 ? t->theta : vs->sched;
    float above = tr.y - 14.0f * u - gfx_line_h(g, FONT_SMALL);
    if (bg) {
        pane(g, geo->slider, NULL);
        gfx_round_rect(g, tr, tr.h / 2, gfx_role(CLR_BLOCK_DARK), 1.0f);
        if (n <= 0) return;
        if (vs->arch == ARCH_MLP) {
            gfx_text(g, FONT_NORMAL, tr.x, tr.y - 14.0f * u - gfx_line_h(g, FONT_NORMAL),
                     ALIGN_LEFT, gfx_role(CLR_DIM),
                     "a dense MLP has no θ: every unit computes for every image");
            return;
        }
        slider_ticks(g, geo, t, n, 1e9f);
        for (int s = 0; s < n; s++) {
            float x = sv_step_x(geo, (float)s);
            int is_stop = t->nsteps > 0 && s == t->stop;
            gfx_textf(g, FONT_SMALL, x, tr.y + tr.h + 12.0f * u, ALIGN_CENTER,
                      is_stop ? gfx_role(CLR_STOP) : gfx_role(CLR_TEXT), "%.3g", th[s]);
            if (is_stop)
                gfx_text(g, FONT_SMALL, x, above, ALIGN_CENTER, gfx_role(CLR_STOP), "stop");
        }
        if (vs->floor > 0.0f)
            gfx_textf(g, FONT_SMALL, q.x + q.w - 16.0f * u, q.y + 6.0f * u, ALIGN_RIGHT,
                      gfx_role(CLR_FLOOR), "θ floor %.3g", vs->floor);
        gfx_textf(g, FONT_SMALL, tr.x, above, ALIGN_LEFT, gfx_role(CLR_TAU), "τ %.2f", vs->tau);
        return;
    }
    if (parts & SLIDER_THETA)
        gfx_textf(g, FONT_HUGE, q.x + 24.0f * u, q.y + q.h / 2 - gfx_line_h(g, FONT_HUGE) / 2,
                  ALIGN_LEFT, gfx_role(CLR_THETA), "θ %.3f", st->theta);
    if (n <= 0 || vs->arch == ARCH_MLP || !(parts & SLIDER_KNOB)) return;
    float kx = sv_step_x(geo, pos);
    SDL_FRect done = tr;
    done.w = kx - tr.x;
    gfx_round_rect(g, done, tr.h / 2, gfx_scale(gfx_role(CLR_THETA), 0.75f), 1.0f);
    slider_ticks(g, geo, t, n, kx); /* the ticks the fill covered */
    Rgb kc = gfx_role(CLR_THETA);
    gfx_glow(g, (SDL_FRect){kx - 14 * u, tr.y + tr.h / 2 - 14 * u, 28 * u, 28 * u}, 14 * u, 16 * u,
             kc, 0.45f);
    gfx_disc(g, kx, tr.y + tr.h / 2, 14.0f * u, kc, 1.0f);
}

static void draw_gallery(Gfx *g, const SdlGeom *geo, const ViewState *vs, int bg) {
    const float u = g->u;
    if (!bg) return; /* all of it changes only with a test pass */
    pane(g, geo->gallery, "gallery — activation % per test image");
    if (!vs->gallery_valid) {
        gfx_text(g, FONT_NORMAL, geo->gallery.x + 24 * u, geo->gallery.y + 70 * u, ALIGN_LEFT,
                 gfx_role(CLR_DIM), "after the first full test pass");
        return;
    }
    static const char *const ROW[2] = {"easiest", "hardest"};
    for (int r = 0; r < 2; r++) {
        const VsGalleryItem *it = r == 0 ? vs->easy : vs->hard;
        SDL_FRect c0 = geo->cell[r][0];
        gfx_text(g, FONT_NORMAL, geo->gallery.x + 20 * u, c0.y + c0.h / 2 - 16 * u, ALIGN_LEFT,
                 gfx_role(CLR_TEXT), ROW[r]);
        for (int k = 0; k < VS_GALLERY; k++) {
            SDL_FRect c = geo->cell[r][k];
            gfx_image(g, it[k].pix, vs->ch, vs->h, vs->w, c);
            int ok = it[k].pred == it[k].label;
            gfx_round_frame(g, c, 3 * u, 2.5f * u, ok ? gfx_role(CLR_GOOD) : gfx_role(CLR_BAD),
                            0.9f);
            gfx_textf(g, FONT_SMALL, c.x + c.w / 2, c.y + c.h + 2 * u, ALIGN_CENTER,
                      gfx_role(CLR_TEXT), "%.0f%%", it[k].act_pct);
        }
    }
}

static void plot(Gfx *g, SDL_FRect r, const float *v, int n, Rgb c, const char *name, int pct,
                 int bg) {
    const float u = g->u;
    if (bg) {
        gfx_round_rect(g, r, 6 * u, gfx_scale(gfx_role(CLR_BORDER), 0.2f), 1.0f);
        gfx_text(g, FONT_SMALL, r.x + 8 * u, r.y + 4 * u, ALIGN_LEFT, c, name);
        return;
    }
    if (n < 1) {
        gfx_text(g, FONT_SMALL, r.x + r.w / 2, r.y + r.h / 2, ALIGN_CENTER, gfx_role(CLR_DIM),
                 "no history yet");
        return;
    }
    float lo = v[0], hi = v[0];
    for (int i = 1; i < n; i++) {
        if (v[i] < lo) lo = v[i];
        if (v[i] > hi) hi = v[i];
    }
    if (hi - lo < 1e-6f) {
        hi += 0.5f;
        lo -= 0.5f;
    }
    float lab = gfx_line_h(g, FONT_SMALL);
    SDL_FRect a = {r.x + 8 * u, r.y + lab + 8 * u, r.w - 16 * u, r.h - lab - 16 * u};
    enum { MAXP = 256 };
    SDL_FPoint p[MAXP];
    int m = n < MAXP ? n : MAXP;
    for (int i = 0; i < m; i++) {
        int j = n - m + i;
        p[i].x = a.x + (m > 1 ? a.w * (float)i / (float)(m - 1) : a.w / 2);
        p[i].y = a.y + a.h * (1.0f - (v[j] - lo) / (hi - lo));
    }
    if (m == 1)
        gfx_disc(g, p[0].x, p[0].y, 5 * u, c, 1.0f);
    else
        gfx_polyline(g, p, m, 3.0f * u, c, 1.0f);
    gfx_textf(g, FONT_SMALL, r.x + r.w - 8 * u, r.y + 4 * u, ALIGN_RIGHT, gfx_role(CLR_TEXT),
              pct ? "%.1f%%" : "%.3f", v[n - 1]);
}

static void draw_stats(Gfx *g, const SdlGeom *geo, const ViewState *vs, int bg) {
    const float u = g->u;
    if (bg) pane(g, geo->stats, "training");
    const SDL_FRect s = geo->stats;
    float x = s.x + 18 * u, y = s.y + 44 * u;
    if (!bg && vs->step > 0) {
        gfx_textf(g, FONT_NORMAL, x, y, ALIGN_LEFT, gfx_role(CLR_TEXT),
                  "epoch %d (%.0f%%) · step %ld · %.0f/s", vs->epoch, 100.0 * vs->epoch_frac,
                  vs->step, vs->samples_per_s);
        gfx_textf(g, FONT_NORMAL, x, y + 34 * u, ALIGN_LEFT, gfx_role(CLR_TEXT),
                  "loss %.3f · active %.1f%% · unreached %ld", vs->loss, vs->act_mean,
                  vs->unreached);
    } else if (!bg) {
        gfx_text(g, FONT_NORMAL, x, y, ALIGN_LEFT, gfx_role(CLR_DIM), "not training in this view");
        if (vs->test_n > 0)
            gfx_textf(g, FONT_NORMAL, x, y + 34 * u, ALIGN_LEFT, gfx_role(CLR_TEXT),
                      "test %.2f%% correct · %.1f%% active", vs->test_acc, vs->test_act_mean);
    }
    plot(g, geo->plot[0], vs->loss_hist, vs->nloss, gfx_role(CLR_SPARK_LOSS), "loss", 0, bg);
    plot(g, geo->plot[1], vs->acc_hist, vs->nacc, gfx_role(CLR_SPARK_ACC), "test accuracy", 1, bg);
}

static void draw_header(Gfx *g, const SdlGeom *geo, const ViewState *vs, const char *status,
                        int bg) {
    const float u = g->u;
    const SDL_FRect h = geo->header;
    char net[96], line[192];
    if (vs->arch == ARCH_MLP)
        snprintf(net, sizeof net, "dense MLP, %d hidden layers", vs->L);
    else
        snprintf(net, sizeof net, "RayTracing network %d layers × %d blocks", vs->L, vs->B);
    snprintf(line, sizeof line, "%s · %s · %ld parameters", vs->dataset, net, vs->params_total);
    float x1 = h.x + 8 * u + gfx_text_width(g, FONT_LARGE, "rtviz") + 24 * u;
    if (!bg) { /* the status, right-aligned in the room the title leaves */
        if (!status || !*status) return;
        float room = h.x + h.w - 8 * u - (x1 + gfx_text_width(g, FONT_NORMAL, line) + 30 * u);
        FontStyle fs = gfx_text_width(g, FONT_NORMAL, status) <= room ? FONT_NORMAL : FONT_SMALL;
        char cut[300];
        snprintf(cut, sizeof cut, "%s", status);
        for (size_t n = strlen(cut); n > 4 && gfx_text_width(g, fs, cut) > room; n--) {
            while (n > 4 && (cut[n - 1] & 0xC0) == 0x80) /* whole UTF-8 characters */
                n--;
            snprintf(cut + n - 1, sizeof cut - (n - 1), "…");
        }
        if (gfx_text_width(g, fs, cut) <= room)
            gfx_text(g, fs, h.x + h.w - 8 * u, h.y + h.h / 2 - gfx_line_h(g, fs) / 2, ALIGN_RIGHT,
                     gfx_role(CLR_WARN), cut);
        return;
    }
    float y = h.y + h.h / 2 - gfx_line_h(g, FONT_LARGE) / 2;
    gfx_text(g, FONT_LARGE, h.x + 8 * u, y, ALIGN_LEFT, gfx_role(CLR_TITLE), "rtviz");
    gfx_text(g, FONT_NORMAL, x1, h.y + h.h / 2 - gfx_line_h(g, FONT_NORMAL) / 2, ALIGN_LEFT,
             gfx_role(CLR_TEXT), line);
}

/* One layer of a frame: bg = 1 the parts that change only with the shape,
 * the trace's schedule and stop, and the gallery; bg = 0 the rest. */
static void draw_layer(Gfx *g, const SdlGeom *geo, const ViewState *vs, const SvFrame *f,
                       const SvState *st, float pos, int bg) {
    draw_header(g, geo, vs, f->status, bg);
    draw_network(g, geo, vs, st, f, bg);
    draw_side(g, geo, vs, st, bg, SIDE_ALL);
    draw_slider(g, geo, vs, st, pos, bg, SLIDER_ALL);
    draw_gallery(g, geo, vs, bg);
    draw_stats(g, geo, vs, bg);
}

static float clamp_pos(const ViewState *vs, float pos) {
    int n = vs->trace.nsteps;
    if (n <= 0) return 0.0f;
    if (!(pos >= 0.0f)) return 0.0f;
    return pos > (float)(n - 1) ? (float)(n - 1) : pos;
}

void sv_draw_chapter(Gfx *g, SDL_FRect r, const Tutorial *t, char *shown, size_t n,
                     int *max_scroll) {
    static const ColorRole ROLE[] = {
        [TL_TITLE] = CLR_TITLE,    [TL_INFO] = CLR_DIM,    [TL_TEXT] = CLR_TEXT,
        [TL_QUESTION] = CLR_LABEL, [TL_ANSWER] = CLR_GOOD, [TL_HINT] = CLR_KEY_LABEL,
        [TL_BLANK] = CLR_TEXT};
    const float u = g->u, pad = 18.0f * u;
    char pos[64];
    tutorial_position(t, pos, sizeof pos);
    pane(g, r, pos);
    if (shown) snprintf(shown, n, "%s", pos);
    if (max_scroll) *max_scroll = 0;
    const FontStyle fs = FONT_NORMAL;
    const float lh = gfx_line_h(g, fs) * 1.08f, inner_w = r.w - 2 * pad;
    const float top = r.y + 52.0f * u, bottom = r.y + r.h - 14.0f * u - lh; /* the PgDn line */
    if (inner_w < 40.0f || bottom - top < 3 * lh) return;
    static const char SAMPLE[] = "the quick brown fox jumps over the lazy dog, 0.12 θ τ";
    float avg = gfx_text_width(g, fs, SAMPLE) / (float)(sizeof SAMPLE - 4);
    enum { MAXL = 256 };
    static TutLine head[MAXL], body[MAXL], foot[MAXL]; /* one drawing thread: the window's */
    int nh = 0, nb = 0, nf = 0, cells = (int)(inner_w / (avg > 1.0f ? avg : 1.0f));
    /* the lines wrap by characters; a line the font draws wider than the pane wraps shorter */
    for (int tries = 0; tries < 6 && cells > 8; tries++, cells -= cells / 10 + 1) {
        tutorial_lines(t, cells, head, &nh, body, &nb, foot, &nf, MAXL);
        nh = nh < MAXL ? nh : MAXL;
        nb = nb < MAXL ? nb : MAXL;
        nf = nf < MAXL ? nf : MAXL;
        float wmax = 0;
        const TutLine *parts[3] = {head, body, foot};
        const int np[3] = {nh, nb, nf};
        for (int p = 0; p < 3; p++)
            for (int i = 0; i < np[p]; i++) {
                char buf[512];
                int len = parts[p][i].len < (int)sizeof buf - 1 ? parts[p][i].len : 511;
                memcpy(buf, parts[p][i].text, (size_t)len);
                buf[len] = 0;
                float lw = gfx_text_width(g, fs, buf);
                if (lw > wmax) wmax = lw;
            }
        if (wmax <= inner_w) break;
    }
    int rows = (int)((bottom - top) / lh);
    int footn = nf < rows ? nf : rows;
    int headn = nh < rows - footn ? nh : rows - footn;
    int room = rows - footn - headn - (headn > 0 ? 1 : 0) - 1;
    if (room < 0) room = 0;
    int maxs = nb - room > 0 ? nb - room : 0, scroll = t->scroll < maxs ? t->scroll : maxs;
    if (scroll < 0) scroll = 0;
    if (max_scroll) *max_scroll = maxs;
    float y = top;
    char buf[512];
#define LINE_TEXT(l)                                                                               \
    do {                                                                                           \
        int len_ = (l)->len < (int)sizeof buf - 1 ? (l)->len : (int)sizeof buf - 1;                \
        memcpy(buf, (l)->text, (size_t)len_);                                                      \
        buf[len_] = 0;                                                                             \
    } while (0)
    for (int i = 0; i < headn; i++, y += lh) {
        LINE_TEXT(&head[i]);
        gfx_text(g, fs, r.x + pad, y, ALIGN_LEFT, gfx_role(ROLE[head[i].kind]), buf);
        if (shown && head[i].kind == TL_TITLE) {
            size_t at = strlen(shown);
            snprintf(shown + at, n - at, "%s%s", strchr(shown, '|') ? " " : " | ", buf);
        }
    }
    if (headn > 0 && room > 0) y += lh;
    for (int i = 0; i < room && scroll + i < nb; i++, y += lh) {
        LINE_TEXT(&body[scroll + i]);
        gfx_text(g, fs, r.x + pad, y, ALIGN_LEFT, gfx_role(ROLE[body[scroll + i].kind]), buf);
    }
    y = top + lh * (float)(rows - footn);
    int answer = 0;
    for (int i = nf - footn; i < nf; i++, y += lh) {
        LINE_TEXT(&foot[i]);
        gfx_text(g, fs, r.x + pad, y, ALIGN_LEFT, gfx_role(ROLE[foot[i].kind]), buf);
        answer |= foot[i].kind == TL_ANSWER;
    }
    if (shown && answer) {
        size_t at = strlen(shown);
        snprintf(shown + at, n - at, " | answer shown");
    }
#undef LINE_TEXT
    if (nb > room && room > 0)
        gfx_textf(g, FONT_SMALL, r.x + r.w - pad, r.y + r.h - 10.0f * u - gfx_line_h(g, FONT_SMALL),
                  ALIGN_RIGHT, gfx_role(CLR_DIM), "PgDn / PgUp  lines %d-%d of %d", scroll + 1,
                  scroll + room < nb ? scroll + room : nb, nb);
}

void sv_draw(Gfx *g, const SdlGeom *geo, const ViewState *vs, const SvFrame *f) {
    SvState st;
    float pos = clamp_pos(vs, f->pos);
    sv_state(&vs->trace, pos, &st);
    gfx_begin(g);
    draw_layer(g, geo, vs, f, &st, pos, 1);
    draw_layer(g, geo, vs, f, &st, pos, 0);
    if (f->tut && geo->chapter.w > 0) sv_draw_chapter(g, geo->chapter, f->tut, NULL, 0, NULL);
    gfx_flush(g);
}

/* ------------------------------------------------------- cached canvas */

static uint64_t fnv(const void *p, size_t n, uint64_t h) {
    const uint8_t *b = p;
    for (size_t i = 0; i < n; i++) {
        h ^= b[i];
        h *= 1099511628211ull;
    }
    return h;
}

/* What the background layer depends on. */
static uint64_t bg_key(const SdlGeom *geo, const ViewState *vs) {
    uint64_t h = 1469598103934665603ull;
    const RtTrace *t = &vs->trace;
    int hdr[10] = {geo->w, geo->h,    vs->arch, vs->L,           vs->B,
                   vs->C,  t->nsteps, t->stop,  vs->trace_index, vs->gallery_valid};
    h = fnv(hdr, sizeof hdr, h);
    h = fnv(vs->dataset, sizeof vs->dataset, h);
    h = fnv(vs->class_names, sizeof vs->class_names, h);
    h = fnv(&vs->params_total, sizeof vs->params_total, h);
    h = fnv(t->theta, sizeof t->theta, h);
    h = fnv(&vs->tau, sizeof vs->tau, h);
    h = fnv(&vs->floor, sizeof vs->floor, h);
    h = fnv(vs->sched, sizeof vs->sched, h);
    if (vs->gallery_valid)
        for (int k = 0; k < VS_GALLERY; k++) {
            const VsGalleryItem *it[2] = {&vs->easy[k], &vs->hard[k]};
            for (int r = 0; r < 2; r++) {
                int v[3] = {it[r]->index, it[r]->pred, it[r]->label};
                h = fnv(v, sizeof v, h);
                h = fnv(&it[r]->act_pct, sizeof it[r]->act_pct, h);
            }
        }
    return h;
}

/* A pane's rectangle in whole pixels (outward), inside the surface. */
static SDL_Rect pix_rect(SDL_FRect r, int w, int h) {
    int x0 = (int)floorf(r.x), y0 = (int)floorf(r.y);
    int x1 = (int)ceilf(r.x + r.w), y1 = (int)ceilf(r.y + r.h);
    if (x0 < 0) x0 = 0;
    if (y0 < 0) y0 = 0;
    if (x1 > w) x1 = w;
    if (y1 > h) y1 = h;
    return (SDL_Rect){x0, y0, x1 > x0 ? x1 - x0 : 0, y1 > y0 ? y1 - y0 : 0};
}

/* Copy the w×h pixels at (sx, sy) of src to (dx, dy) of dst (same 32-bit format). */
static void copy_px(SDL_Surface *dst, int dx, int dy, const SDL_Surface *src, int sx, int sy, int w,
                    int h) {
    for (int y = 0; y < h; y++)
        memcpy((uint8_t *)dst->pixels + (size_t)(dy + y) * dst->pitch + (size_t)dx * 4,
               (const uint8_t *)src->pixels + (size_t)(sy + y) * src->pitch + (size_t)sx * 4,
               (size_t)w * 4);
}

static void net_pic_free(SvNetPic *p) {
    if (p->s) SDL_FreeSurface(p->s);
    memset(p, 0, sizeof *p);
}

int sv_canvas_init(SvCanvas *c, SDL_Surface *target, RtErr *e) {
    memset(c, 0, sizeof *c);
    return sv_canvas_resize(c, target, e);
}

int sv_canvas_resize(SvCanvas *c, SDL_Surface *target, RtErr *e) {
    if (c->bg) SDL_FreeSurface(c->bg);
    if (c->ns) SDL_FreeSurface(c->ns);
    for (int k = 0; k < SV_NETCACHE; k++)
        net_pic_free(&c->net[k]);
    c->bg = SDL_CreateRGBSurfaceWithFormat(0, target->w, target->h, 32, target->format->format);
    c->ns = SDL_CreateRGBSurfaceWithFormat(0, target->w, target->h, 32, target->format->format);
    if (!c->bg || !c->ns)
        return rt_err(e, "%dx%d: cannot allocate the background: %s", target->w, target->h,
                      SDL_GetError());
    SDL_SetSurfaceBlendMode(c->bg, SDL_BLENDMODE_NONE);
    c->key = 0;
    memset(c->rkey, 0, sizeof c->rkey);
    c->mix_a = c->mix_b = 0;
    c->net_ok = 0;
    c->knob_tk = 0;
    int fresh = !c->have;
    if (fresh ? gfx_init(&c->g, target, e) : gfx_set_surface(&c->g, target, e)) return -1;
    if (fresh ? gfx_init(&c->gb, c->bg, e) : gfx_set_surface(&c->gb, c->bg, e)) {
        if (fresh) gfx_free(&c->g);
        return -1;
    }
    if (fresh ? gfx_init(&c->gn, c->ns, e) : gfx_set_surface(&c->gn, c->ns, e)) {
        if (fresh) {
            gfx_free(&c->g);
            gfx_free(&c->gb);
        }
        return -1;
    }
    c->have = 1;
    c->target = target;
    return 0;
}

void sv_canvas_free(SvCanvas *c) {
    if (c->have) {
        gfx_free(&c->g);
        gfx_free(&c->gb);
        gfx_free(&c->gn);
    }
    for (int k = 0; k < SV_NETCACHE; k++)
        net_pic_free(&c->net[k]);
    if (c->bg) SDL_FreeSurface(c->bg);
    if (c->ns) SDL_FreeSurface(c->ns);
    memset(c, 0, sizeof *c);
}

/* Where region reg is drawn (within its pane). */
static SDL_FRect region_rect(const SdlGeom *geo, int reg) {
    const SDL_FRect s = geo->side, im = geo->img;
    const float u = (float)geo->h / 1080.0f < (float)geo->w / 1920.0f ? (float)geo->h / 1080.0f
                                                                      : (float)geo->w / 1920.0f;
    switch (reg) {
    case SV_REG_HEADER:
        return geo->header;
    case SV_REG_NET:
        return geo->net;
    case SV_REG_IMAGE:
        return (SDL_FRect){im.x - 1, im.y - 1, im.w + 2, im.h + 2};
    case SV_REG_BARS: {
        SDL_FRect b = geo->bars;
        float x0 = b.x - 2 * u, x1 = s.x + s.w - 2 * u;
        return (SDL_FRect){x0, b.y - 4 * u, x1 - x0, b.h + 8 * u};
    }
    case SV_REG_ANSWER: {
        float y0 = im.y + im.h + 4 * u;
        return (SDL_FRect){s.x + 2 * u, y0, s.w - 4 * u, s.y + s.h - 2 * u - y0};
    }
    case SV_REG_THETA: {
        const SDL_FRect q = geo->slider;
        return (SDL_FRect){q.x + 2 * u, q.y + 2 * u, geo->track.x - 34 * u - q.x, q.h - 4 * u};
    }
    case SV_REG_KNOB: {
        const SDL_FRect t = geo->track;
        float cy = t.y + t.h / 2;
        return (SDL_FRect){t.x - 32 * u, cy - 32 * u, t.w + 64 * u, 64 * u};
    }
    case SV_REG_CHAPTER:
        return geo->chapter;
    default:
        return geo->stats;
    }
}

/* Start redrawing region r of the target: its background back, drawing clipped to it. */
static void region_begin(SvCanvas *c, SDL_Rect r) {
    gfx_flush(&c->g);
    copy_px(c->target, r.x, r.y, c->bg, r.x, r.y, r.w, r.h);
    gfx_touched(&c->g);
    gfx_clip(&c->g, &r);
}

static void region_end(SvCanvas *c) {
    gfx_clip(&c->g, NULL);
    gfx_flush(&c->g);
}

/* The network pane at whole step `step` (cached): its picture, or NULL when
 * it cannot be kept (then the caller draws straight). */
static SvNetPic *net_pic(SvCanvas *c, const ViewState *vs, const SvFrame *f, SDL_Rect r, int step,
                         uint64_t base) {
    int v[3] = {step, f->sel_l, f->sel_i};
    uint64_t key = fnv(v, sizeof v, base) | 1;
    SvNetPic *lru = &c->net[0];
    for (int k = 0; k < SV_NETCACHE; k++) {
        SvNetPic *p = &c->net[k];
        if (p->key == key && p->s && p->s->w == r.w && p->s->h == r.h) {
            p->used = c->frame;
            return p;
        }
        if (p->used < lru->used) lru = p;
    }
    SvNetPic *p = lru;
    if (!p->s || p->s->w != r.w || p->s->h != r.h) {
        net_pic_free(p);
        p->s = SDL_CreateRGBSurfaceWithFormat(0, r.w, r.h, 32, c->target->format->format);
        if (!p->s) return NULL;
    }
    /* drawn over the background on a surface of its own (the target keeps the
     * last mix, which the next frame compares against), then kept */
    SvState st;
    sv_state(&vs->trace, (float)step, &st);
    gfx_flush(&c->gn);
    copy_px(c->ns, r.x, r.y, c->bg, r.x, r.y, r.w, r.h);
    gfx_touched(&c->gn);
    gfx_clip(&c->gn, &r);
    draw_network(&c->gn, &c->geo, vs, &st, f, 0);
    gfx_clip(&c->gn, NULL);
    gfx_flush(&c->gn);
    copy_px(p->s, 0, 0, c->ns, r.x, r.y, r.w, r.h);
    p->key = key;
    p->used = c->frame;
    c->net_draws++;
    return p;
}

/* d = a + (b - a) k / 128 for n bytes (k in 0..128): the blend of two pictures. */
static void mix_row(uint8_t *d, const uint8_t *a, const uint8_t *b, int n, int k) {
    int i = 0;
#ifdef __SSE2__
    const __m128i z = _mm_setzero_si128(), kk = _mm_set1_epi16((short)k);
    for (; i + 16 <= n; i += 16) {
        __m128i va = _mm_loadu_si128((const __m128i *)(a + i));
        __m128i vb = _mm_loadu_si128((const __m128i *)(b + i));
        __m128i al = _mm_unpacklo_epi8(va, z), ah = _mm_unpackhi_epi8(va, z);
        __m128i bl = _mm_unpacklo_epi8(vb, z), bh = _mm_unpackhi_epi8(vb, z);
        al = _mm_add_epi16(al, _mm_srai_epi16(_mm_mullo_epi16(_mm_sub_epi16(bl, al), kk), 7));
        ah = _mm_add_epi16(ah, _mm_srai_epi16(_mm_mullo_epi16(_mm_sub_epi16(bh, ah), kk), 7));
        _mm_storeu_si128((__m128i *)(d + i), _mm_packus_epi16(al, ah));
    }
#endif
    for (; i < n; i++)
        d[i] = (uint8_t)(a[i] + (((int)b[i] - (int)a[i]) * k >> 7));
}

/* Report the tiles of the network pane at r marked in tile_out: the runs of
 * each tile row, each merged with a run of the same columns just above it;
 * the bounding box when they are more than the frame can report. */
static void net_dirty(SvCanvas *c, SDL_Rect r) {
    const int first = c->ndirty;
    int over = 0, bx0 = r.x + r.w, by0 = r.y + r.h, bx1 = r.x, by1 = r.y;
    for (int ty = 0; ty < c->nty; ty++) {
        const uint8_t *row = &c->tile_out[ty * c->ntx];
        int y0 = r.y + ty * c->tile_h, y1 = r.y + (ty + 1) * c->tile_h;
        if (y1 > r.y + r.h) y1 = r.y + r.h;
        for (int tx = 0; tx < c->ntx;) {
            if (!row[tx]) {
                tx++;
                continue;
            }
            int t0 = tx;
            while (tx < c->ntx && row[tx])
                tx++;
            int x0 = r.x + t0 * c->tile_w, x1 = r.x + tx * c->tile_w;
            if (x1 > r.x + r.w) x1 = r.x + r.w;
            if (x0 < bx0) bx0 = x0;
            if (y0 < by0) by0 = y0;
            if (x1 > bx1) bx1 = x1;
            if (y1 > by1) by1 = y1;
            if (over) continue;
            int merged = 0;
            for (int k = first; k < c->ndirty && !merged; k++) {
                SDL_Rect *d = &c->dirty[k];
                if (d->x == x0 && d->w == x1 - x0 && d->y + d->h == y0) {
                    d->h = y1 - d->y;
                    merged = 1;
                }
            }
            if (merged) continue;
            if (c->ndirty < SV_MAXDIRTY - SV_NREG) /* room left for the other panes */
                c->dirty[c->ndirty++] = (SDL_Rect){x0, y0, x1 - x0, y1 - y0};
            else
                over = 1;
        }
    }
    if (over) {
        c->ndirty = first;
        c->dirty[c->ndirty++] = (SDL_Rect){bx0, by0, bx1 - bx0, by1 - by0};
    }
}

/* The network pane at pos: the pictures of steps a and a + 1 mixed at the
 * fraction reached. Only the tiles where the two differ change from one
 * frame to the next of the same pair; with a new pair, the other tiles are
 * copied from the first picture where the pane shows something else (the
 * step before's mix differs from it only where that pair's pictures did).
 * The tiles changed are reported in c->dirty (unless c->full). */
static void draw_net_region(SvCanvas *c, const ViewState *vs, const SvFrame *f, SDL_Rect r,
                            float pos, uint64_t base) {
    int a = (int)floorf(pos);
    int k = (int)lroundf((pos - (float)a) * 128.0f);
    if (k >= 128) {
        a++;
        k = 0;
    }
    SvNetPic *pa = net_pic(c, vs, f, r, a, base);
    SvNetPic *pb = k > 0 && pa ? net_pic(c, vs, f, r, a + 1, base) : pa;
    if (pa) pa->used = c->frame;             /* b's drawing must not have taken a's slot */
    if (!pa || !pb || (k > 0 && pb == pa)) { /* no cache: draw straight */
        SvState st;
        sv_state(&vs->trace, pos, &st);
        region_begin(c, r);
        draw_network(&c->g, &c->geo, vs, &st, f, 0);
        region_end(c);
        c->mix_a = c->mix_b = 0;
        c->net_ok = 0;
        if (!c->full && c->ndirty < SV_MAXDIRTY) c->dirty[c->ndirty++] = r;
        return;
    }
    gfx_flush(&c->g);
    const int pitch = c->target->pitch;
    uint8_t *dst = (uint8_t *)c->target->pixels + (size_t)r.y * pitch + (size_t)r.x * 4;
    int whole = c->mix_a != pa->key || c->mix_b != pb->key;
    /* the pane holds the last mix, on the same tiles */
    const int ok = c->net_ok && c->net_r.x == r.x && c->net_r.y == r.y && c->net_r.w == r.w &&
                   c->net_r.h == r.h;
    /* the step after the last pair's: the pane shows its first picture but where they differed */
    const int next = whole && ok && c->mix_b == pa->key;
    if (next) memcpy(c->tile_out, c->tile_diff, sizeof c->tile_out);
    if (whole) { /* a new pair: which tiles differ */
        c->tile_w = 32;
        c->tile_h = 8;
        for (;;) {
            c->ntx = (r.w + c->tile_w - 1) / c->tile_w;
            c->nty = (r.h + c->tile_h - 1) / c->tile_h;
            if (c->ntx * c->nty <= (int)sizeof c->tile_diff) break;
            c->tile_h *= 2;
        }
        memset(c->tile_diff, 0, sizeof c->tile_diff);
        if (pb != pa)
            for (int y = 0; y < r.h; y++) {
                const uint8_t *ra = (const uint8_t *)pa->s->pixels + (size_t)y * pa->s->pitch;
                const uint8_t *rb = (const uint8_t *)pb->s->pixels + (size_t)y * pb->s->pitch;
                uint8_t *td = &c->tile_diff[(y / c->tile_h) * c->ntx];
                for (int tx = 0; tx < c->ntx; tx++) {
                    if (td[tx]) continue;
                    int x0 = tx * c->tile_w, n = r.w - x0 < c->tile_w ? r.w - x0 : c->tile_w;
                    if (memcmp(ra + (size_t)x0 * 4, rb + (size_t)x0 * 4, (size_t)n * 4)) td[tx] = 1;
                }
            }
        c->mix_a = pa->key;
        c->mix_b = pb->key;
    }
    /* a new pair over the last mix: copy only the tiles that show something else */
    const int cmp = whole && ok && !next;
    for (int t = 0; t < c->ntx * c->nty; t++) /* next: the last pair's tiles, else none */
        c->tile_out[t] = (uint8_t)(next && c->tile_out[t]);
    for (int ty = 0; ty < c->nty; ty++)
        for (int tx = 0; tx < c->ntx; tx++) {
            int d = c->tile_diff[ty * c->ntx + tx];
            if (!d && !whole) continue;
            int x0 = tx * c->tile_w, y0 = ty * c->tile_h;
            int w = r.w - x0 < c->tile_w ? r.w - x0 : c->tile_w;
            int h = r.h - y0 < c->tile_h ? r.h - y0 : c->tile_h;
            if (next && !d && !c->tile_out[ty * c->ntx + tx]) continue; /* it shows pa already */
            int changed = d || !cmp;
            for (int y = y0; y < y0 + h; y++) {
                uint8_t *o = dst + (size_t)y * pitch + (size_t)x0 * 4;
                const uint8_t *ra =
                    (const uint8_t *)pa->s->pixels + (size_t)y * pa->s->pitch + (size_t)x0 * 4;
                const uint8_t *rb =
                    (const uint8_t *)pb->s->pixels + (size_t)y * pb->s->pitch + (size_t)x0 * 4;
                if (d)
                    mix_row(o, ra, rb, w * 4, k);
                else if (!cmp || memcmp(o, ra, (size_t)w * 4)) {
                    memcpy(o, ra, (size_t)w * 4);
                    changed = 1;
                }
            }
            if (changed) c->mix_px += (long)w * h;
            c->tile_out[ty * c->ntx + tx] = (uint8_t)changed;
        }
    gfx_touched(&c->g);
    c->net_ok = 1;
    c->net_r = r;
    if (!c->full) net_dirty(c, r);
}

void sv_render(SvCanvas *c, const ViewState *vs, const SvFrame *f) {
    SvState st;
    float pos = clamp_pos(vs, f->pos);
    const SdlGeom *geo = &c->geo;
    int chap = f->tut && !f->tut->hidden;
    sv_layout_out(&c->geo, c->target->w, c->target->h, vs, chap);
    /* text follows the live view's size (narrower beside the chapter pane) */
    float lu = (float)geo->w / 1920.0f < (float)geo->h / 1080.0f ? (float)geo->w / 1920.0f
                                                                 : (float)geo->h / 1080.0f;
    RtErr fe = {{0}};
    if (gfx_set_unit(&c->g, lu, &fe) > 0) c->key = 0;
    if (gfx_set_unit(&c->gb, lu, &fe) > 0) c->key = 0;
    if (gfx_set_unit(&c->gn, lu, &fe) > 0) c->key = 0;
    sv_state(&vs->trace, pos, &st);
    c->frame++;
    if (!chap) c->chapter_shown[0] = 0;
    c->full = 0;
    c->ndirty = 0;
    uint64_t key = bg_key(geo, vs);
    if (key != c->key) {
        gfx_begin(&c->gb);
        draw_layer(&c->gb, geo, vs, f, &st, pos, 1);
        gfx_flush(&c->gb);
        c->key = key;
        c->bg_draws++;
        c->force = 1;
    }
    if (c->force) { /* everything again: the background whole, every pane */
        gfx_flush(&c->g);
        copy_px(c->target, 0, 0, c->bg, 0, 0, c->target->w, c->target->h);
        gfx_touched(&c->g);
        memset(c->rkey, 0, sizeof c->rkey);
        c->mix_a = c->mix_b = 0;
        c->net_ok = 0;
        c->knob_tk = 0;
        c->full = 1;
        c->force = 0;
    }
    const int W = c->target->w, H = c->target->h;
    const uint64_t FNV0 = 1469598103934665603ull;
    const RtTrace *t = &vs->trace;
    /* what the trace-driven panes show: the background, the trace, the position */
    uint64_t tk = fnv(&key, sizeof key, FNV0);
    tk = fnv(&vs->trace_serial, sizeof vs->trace_serial, tk);
    int tv[4] = {t->nsteps, t->stop, vs->trace_label, vs->arch};
    tk = fnv(tv, sizeof tv, tk);
    uint64_t pk = fnv(&pos, sizeof pos, tk);
    for (int reg = 0; reg < SV_NREG; reg++) {
        SDL_Rect r = pix_rect(region_rect(geo, reg), W, H);
        if (r.w <= 0 || r.h <= 0) continue;
        uint64_t k;
        switch (reg) {
        case SV_REG_HEADER:
            k = fnv(&key, sizeof key, FNV0);
            if (f->status) k = fnv(f->status, strlen(f->status), k);
            break;
        case SV_REG_NET: {
            int sel[2] = {f->sel_l, f->sel_i};
            k = fnv(sel, sizeof sel, pk);
            break;
        }
        case SV_REG_IMAGE:
            k = fnv(vs->trace_pix, sizeof vs->trace_pix, tk);
            break;
        case SV_REG_ANSWER: { /* its lines, not the position: most frames of a sweep keep them */
            SideAnswer a;
            side_answer(geo, vs, &st, &a);
            k = fnv(&a, sizeof a, tk);
            break;
        }
        case SV_REG_THETA: { /* the readout's text */
            char th[32];
            snprintf(th, sizeof th, "%.3f", st.theta);
            k = fnv(th, strlen(th), tk);
            break;
        }
        case SV_REG_BARS:
        case SV_REG_KNOB:
            k = pk;
            break;
        case SV_REG_CHAPTER: {
            const Tutorial *tu = f->tut;
            int v[5] = {tu->cur, tu->revealed, tu->scroll, tu->hidden, tu->n};
            k = fnv(&key, sizeof key, FNV0);
            k = fnv(v, sizeof v, k);
            k = fnv(tu->notice, strlen(tu->notice), k);
            break;
        }
        default: {
            double d[3] = {vs->epoch_frac, vs->samples_per_s, vs->loss};
            long l[3] = {vs->step, vs->unreached, (long)vs->epoch};
            float fl[3] = {vs->act_mean, vs->test_acc, vs->test_act_mean};
            int n[3] = {vs->nloss, vs->nacc, vs->test_n};
            k = fnv(&key, sizeof key, FNV0);
            k = fnv(d, sizeof d, k);
            k = fnv(l, sizeof l, k);
            k = fnv(fl, sizeof fl, k);
            k = fnv(n, sizeof n, k);
            k = fnv(vs->loss_hist, sizeof vs->loss_hist, k);
            k = fnv(vs->acc_hist, sizeof vs->acc_hist, k);
            break;
        }
        }
        k |= 1;
        if (k == c->rkey[reg]) continue;
        if (reg == SV_REG_STATS && f->hold_stats && c->rkey[reg]) continue; /* drawn later */
        c->rkey[reg] = k;
        c->pane_draws[reg]++;
        if (reg == SV_REG_NET) {
            draw_net_region(c, vs, f, r, pos, tk);
            continue;
        }
        if (reg == SV_REG_KNOB) { /* only the span between the knob's last place and this one */
            float kx = sv_step_x(geo, pos);
            if (c->knob_tk == tk) {
                const float m = 33.0f * c->g.u; /* the glow's reach, and a pixel */
                float lo = (kx < c->knob_x ? kx : c->knob_x) - m;
                float hi = (kx > c->knob_x ? kx : c->knob_x) + m;
                SDL_Rect s = pix_rect((SDL_FRect){lo, (float)r.y, hi - lo, (float)r.h}, W, H);
                int x0 = s.x > r.x ? s.x : r.x, x1 = s.x + s.w < r.x + r.w ? s.x + s.w : r.x + r.w;
                r.x = x0;
                r.w = x1 > x0 ? x1 - x0 : 0;
            }
            c->knob_tk = tk;
            c->knob_x = kx;
            if (r.w <= 0) continue;
            if (!c->full && c->ndirty < SV_MAXDIRTY) c->dirty[c->ndirty++] = r;
            region_begin(c, r);
            draw_slider(&c->g, geo, vs, &st, pos, 0, SLIDER_KNOB);
            region_end(c);
            continue;
        }
        if (!c->full && c->ndirty < SV_MAXDIRTY) c->dirty[c->ndirty++] = r;
        region_begin(c, r);
        switch (reg) {
        case SV_REG_HEADER:
            draw_header(&c->g, geo, vs, f->status, 0);
            break;
        case SV_REG_IMAGE:
            draw_side(&c->g, geo, vs, &st, 0, SIDE_IMAGE);
            break;
        case SV_REG_BARS:
            draw_side(&c->g, geo, vs, &st, 0, SIDE_BARS);
            break;
        case SV_REG_ANSWER:
            draw_side(&c->g, geo, vs, &st, 0, SIDE_ANSWER);
            break;
        case SV_REG_THETA:
            draw_slider(&c->g, geo, vs, &st, pos, 0, SLIDER_THETA);
            break;
        case SV_REG_CHAPTER:
            sv_draw_chapter(&c->g, geo->chapter, f->tut, c->chapter_shown, sizeof c->chapter_shown,
                            &c->chapter_max_scroll);
            break;
        default:
            draw_stats(&c->g, geo, vs, 0);
            break;
        }
        region_end(c);
    }
    gfx_flush(&c->g);
}
