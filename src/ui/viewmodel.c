/* viewmodel.c — pane models, derived values and geometry (viewmodel.h).
 * Pure: no curses, no SDL, no engine calls. */
#ifndef _XOPEN_SOURCE
#define _XOPEN_SOURCE 700 /* wcwidth */
#endif
#include "viewmodel.h"

#include <math.h>
#include <wchar.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define IMG_TEXT_W 24 /* cells the label, numbers and bars need beside the image */

/* ---------------------------------------------------------------- UI state */

void ui_state_init(UiState *u, int step_ms) {
    memset(u, 0, sizeof *u);
    u->step_ms = step_ms > 0 ? step_ms : 150;
    u->gallery_sel = -1;
    u->help_page = 1;
    u->saved_step = -1;
}

static const int PACES[] = {1, 2, 5, 10, 20, 50, 100, 200, 0};   /* 0 = full speed, the top */
static const int SWEEPS[] = {2000, 1000, 600, 300, 150, 80, 40}; /* slow → fast */
#define NPACES  ((int)(sizeof PACES / sizeof PACES[0]))
#define NSWEEPS ((int)(sizeof SWEEPS / sizeof SWEEPS[0]))

int vm_pace_next(int pace, int dir) {
    const int nf = NPACES - 1; /* finite rungs; PACES[nf] = 0 is full speed */
    if (dir > 0) {
        if (pace <= 0) return 0;
        for (int i = 0; i < nf; i++)
            if (PACES[i] > pace) return PACES[i];
        return 0;
    }
    if (dir < 0) {
        if (pace <= 0) return PACES[nf - 1];
        for (int i = nf - 1; i >= 0; i--)
            if (PACES[i] < pace) return PACES[i];
        return PACES[0];
    }
    return pace;
}

int vm_sweep_next(int step_ms, int dir) {
    int i = 0; /* the rung nearest step_ms */
    for (int k = 1; k < NSWEEPS; k++)
        if (abs(SWEEPS[k] - step_ms) < abs(SWEEPS[i] - step_ms)) i = k;
    i += dir > 0 ? 1 : dir < 0 ? -1 : 0;
    if (i < 0) i = 0;
    if (i > NSWEEPS - 1) i = NSWEEPS - 1;
    return SWEEPS[i];
}

void vm_fmt_pace(char *buf, size_t n, int pace) {
    if (pace <= 0)
        snprintf(buf, n, "full speed");
    else
        snprintf(buf, n, "%d/s", pace);
}

void ui_status(UiState *u, double now, int bad, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(u->status, sizeof u->status, fmt, ap);
    va_end(ap);
    u->status_bad = bad;
    u->status_until = now + UI_STATUS_S;
}

const char *ui_status_shown(const UiState *u, const ViewState *vs, double now, int *bad) {
    *bad = 0;
    if (u->status[0] && now < u->status_until) {
        *bad = u->status_bad;
        return u->status;
    }
    static char text[768], brief[256];
    const char *title;
    int abad;
    uint64_t key;
    if (vm_alert(vs, u, text, sizeof text, &title, &abad, brief, sizeof brief, &key)) {
        *bad = 1;
        return brief;
    }
    static char warn[256];
    if (vm_unreached_warning(vs, warn, sizeof warn)) {
        *bad = 1;
        return warn;
    }
    if (u->notice[0]) return u->notice;
    return vs->message;
}

int vm_unreached_warning(const ViewState *vs, char *buf, size_t n) {
    if (vs->arch != ARCH_RT || !(vs->unreached_share > 0.5f) || vs->step < 1) return 0;
    char cliff[48] = "";
    if (vs->floor_cliff >= 0.0f)
        snprintf(cliff, sizeof cliff, " (the cliff is at %.2f)", (double)vs->floor_cliff);
    snprintf(buf, n,
             "%d%% of training images reach no output: at floor %.2f the network learns "
             "nothing. - lowers the floor%s",
             (int)(vs->unreached_share * 100.0f + 0.5f), (double)vs->floor, cliff);
    return 1;
}

void ui_start_anim(UiState *u, const ViewState *vs, double now) {
    u->step = 0;
    if (u->sweep_manual) { /* step mode: θ waits at its first step for → */
        u->animating = 0;
        u->manual_step = 1;
        return;
    }
    u->animating = vs->trace.nsteps > 1 && vs->trace.stop > 0;
    if (!u->animating) u->step = vs->trace.stop;
    u->manual_step = 0;
    u->anim_next = now + u->step_ms / 1000.0;
}

int ui_animate(UiState *u, const ViewState *vs, double now) {
    int old = u->step;
    if (vs->trace_serial != u->trace_seen) {
        u->trace_seen = vs->trace_serial;
        if (u->anim_pending == 1)
            ui_start_anim(u, vs, now);
        else if (u->anim_pending == 2) {
            u->animating = 0;
            u->manual_step = 0;
            u->step = vs->trace.stop;
        } else if (!u->animating && !u->manual_step)
            u->step = vs->trace.stop;
        u->anim_pending = 0;
        if (u->step >= vs->trace.nsteps) u->step = vs->trace.nsteps - 1;
        if (u->step < 0) u->step = 0;
    }
    if (u->animating && now >= u->anim_next) {
        u->step++;
        u->anim_next = now + u->step_ms / 1000.0;
        if (u->step >= vs->trace.stop) {
            u->step = vs->trace.stop;
            u->animating = 0;
        }
    }
    return u->step != old;
}

int ui_retrace_due(UiState *u, const ViewState *vs, double now) {
    if (u->animating || vs->run_state != VS_RUNNING || now < u->retrace_next) return 0;
    u->retrace_next = now + 1.0;
    return 1;
}

void ui_observe(UiState *u, const ViewState *vs, double now) {
    if (u->status[0] && now < u->status_until) return; /* news waits for the line to expire */
    if (vs->lr_serial != u->lr_serial) {
        if (u->lr_serial != 0 || vs->lr_serial != 0)
            ui_status(u, now, 0,
                      "test accuracy has not improved for %d passes: learning rate halved to %.2g",
                      vs->plateau_limit, (double)vs->lr);
        u->lr_serial = vs->lr_serial;
    }
}

/* ---------------------------------------------------------------- values */

int vm_argmax(const float *p, int n) { return rt_argmax(p, n); }

int vm_trace_pred(const RtTrace *t, int s) {
    if (s < 0 || s >= t->nsteps || !(t->mass[s] > 0.0f)) return -1;
    return vm_argmax(t->prob[s], t->C);
}

void vm_fmt_theta(char *buf, size_t n, float th) {
    if (th == 0.0f)
        snprintf(buf, n, "0");
    else if (th >= 0.1f)
        snprintf(buf, n, ".%02d", (int)(th * 100.0f + 0.5f));
    else {
        char t[16];
        snprintf(t, sizeof t, "%.3f", (double)th);
        snprintf(buf, n, "%s", t[0] == '0' ? t + 1 : t); /* ".005" */
    }
}

/* ---------------------------------------------------------------- alert */

static const char *const NAN_WHAT[] = {"the output", "the loss", "a gradient", "a weight"};

int vm_nan_notice(const VsNanEvent *ev, char *out, size_t n, char *brief, size_t bn) {
    const char *why = ev->what >= 0 && ev->what < 4 ? NAN_WHAT[ev->what] : "a number";
    snprintf(out, n,
             "Training is paused: at step %ld %s became NaN or infinite (a number overflowed).\n\n"
             "%s The learning rate was halved, %g -> %g.%s\n\n"
             "space resumes at the lower rate  ·  . tries one minibatch  ·  R restarts from the "
             "start  ·  Esc hides this note",
             ev->step, why,
             ev->restored ? "That step was undone: the weights are back to the last ones that "
                            "gave finite numbers."
                          : "The step was skipped: no update was made, the weights are as they "
                            "were.",
             (double)ev->lr_before, (double)ev->lr_after,
             ev->restored ? ""
                          : " If it happens again at once, the weights themselves overflow: R "
                            "restarts (a --model checkpoint may be broken).");
    snprintf(brief, bn, "paused: NaN/Inf at step %ld, learning rate halved to %g", ev->step,
             (double)ev->lr_after);
    return 1;
}

int vm_pause_notice(const char *msg, char *out, size_t n, char *brief, size_t bn) {
    snprintf(out, n,
             "Training is paused: %s\n\nspace resumes  ·  . tries one minibatch  ·  "
             "R restarts  ·  Esc hides this note",
             msg);
    snprintf(brief, bn, "paused: %s", msg);
    return 0;
}

int vm_alert(const ViewState *vs, const UiState *u, char *text, size_t n, const char **title,
             int *bad, char *brief, size_t bn, uint64_t *key) {
    if (vs->run_state == VS_STOPPED) {
        *key = (1ull << 63) | (uint64_t)vs->step;
        if (u->alert_hidden == *key) return 0;
        snprintf(text, n,
                 "Training stopped on an error: %.300s\n\nS saves the weights as they are  ·  R "
                 "restarts from the start  ·  q quits  ·  Esc hides this note",
                 vs->run_error);
        snprintf(brief, bn, "training error: %.200s", vs->run_error);
        *title = "training stopped";
        *bad = 1;
        return 1;
    }
    if (vs->run_state == VS_PAUSED && vs->pause_why == VS_PAUSE_NAN && vs->nan.serial) {
        *key = vs->nan.serial;
        if (u->alert_hidden == *key) return 0;
        vm_nan_notice(&vs->nan, text, n, brief, bn);
        *title = "training paused";
        *bad = 0;
        return 1;
    }
    return 0;
}

/* ---------------------------------------------------------------- geometry */

int rect_contains(Rect r, int y, int x) {
    return y >= r.y && y < r.y + r.h && x >= r.x && x < r.x + r.w;
}

int rect_overlap(Rect a, Rect b) {
    return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

int vm_sparkline(const float *v, int n, int width, float lo, float hi, int *idx) {
    if (width <= 0) return 0;
    for (int i = 0; i < width; i++)
        idx[i] = -1;
    if (n <= 0) return 0;
    int k = n < width ? n : width; /* the last k values, right-aligned */
    const float *s = v + (n - k);
    if (!(lo < hi)) {
        lo = hi = s[0];
        for (int i = 1; i < k; i++) {
            if (s[i] < lo) lo = s[i];
            if (s[i] > hi) hi = s[i];
        }
    }
    float span = hi - lo;
    for (int i = 0; i < k; i++) {
        float t = span > 0.0f ? (s[i] - lo) / span : 0.5f;
        int lv = (int)(t * 7.0f + 0.5f);
        if (!(t == t)) lv = 0; /* NaN */
        idx[width - k + i] = lv < 0 ? 0 : lv > 7 ? 7 : lv;
    }
    return k;
}

void vm_resample(const uint8_t *pix, int ch, int h, int w, uint8_t *out, int oh, int ow) {
    for (int oy = 0; oy < oh; oy++) {
        int y0 = oy * h / oh, y1 = (oy + 1) * h / oh;
        if (y1 <= y0) y1 = y0 + 1;
        for (int ox = 0; ox < ow; ox++) {
            int x0 = ox * w / ow, x1 = (ox + 1) * w / ow;
            if (x1 <= x0) x1 = x0 + 1;
            unsigned long sum = 0, cnt = 0;
            for (int c = 0; c < ch; c++)
                for (int y = y0; y < y1 && y < h; y++)
                    for (int x = x0; x < x1 && x < w; x++) {
                        sum += pix[(size_t)c * h * w + (size_t)y * w + x];
                        cnt++;
                    }
            out[oy * ow + ox] = cnt ? (uint8_t)(sum / cnt) : 0;
        }
    }
}

/* ---------------------------------------------------------------- text width */

int vm_ascii = 0;

/* What a glyph becomes without UTF-8 (any other non-ASCII one: "?"). */
static const struct {
    uint32_t cp;
    const char *a;
} ASCII_OF[] = {
    {0x03B8, "theta"}, {0x03C4, "tau"}, {0x2192, "->"},  {0x2190, "<-"}, {0x2191, "^"},
    {0x2193, "v"},     {0x2194, "<->"}, {0x2713, "ok"},  {0x2717, "x"},  {0x2022, "*"},
    {0x00B7, "."},     {0x25C6, "S"},   {0x2026, "..."}, {0x2500, "-"},  {0x2501, "="},
    {0x2502, "|"},     {0x2503, "#"},   {0x2571, "/"},   {0x2572, "\\"}, {0x2580, "#"},
    {0x2588, "#"},     {0x2592, "+"},   {0x2595, "["},   {0x258F, "]"},  {0x2265, ">="},
    {0x2264, "<="},    {0x03A3, "sum"}, {0x00D7, "x"},   {0x2014, "-"},  {0x2013, "-"},
    {0x00A0, " "},     {0x2248, "~"},   {0x0394, "d"},
};

/* The code point at s (UTF-8; a stray byte is itself) and its length. */
static int u8_next(const char *s, uint32_t *cp) {
    const unsigned char *u = (const unsigned char *)s;
    int n = u[0] < 0x80             ? 1
            : (u[0] & 0xE0) == 0xC0 ? 2
            : (u[0] & 0xF0) == 0xE0 ? 3
            : (u[0] & 0xF8) == 0xF0 ? 4
                                    : 1;
    uint32_t c = n == 1 ? u[0] : n == 2 ? u[0] & 0x1F : n == 3 ? u[0] & 0x0F : u[0] & 0x07;
    for (int i = 1; i < n; i++) {
        if ((u[i] & 0xC0) != 0x80) { /* broken: one byte */
            *cp = u[0];
            return 1;
        }
        c = (c << 6) | (u[i] & 0x3F);
    }
    *cp = c;
    return n;
}

static const char *ascii_of(uint32_t cp) {
    for (size_t i = 0; i < sizeof ASCII_OF / sizeof ASCII_OF[0]; i++)
        if (ASCII_OF[i].cp == cp) return ASCII_OF[i].a;
    return "?";
}

/* Cells of one code point: its ASCII stand-in's length without UTF-8, else
 * wcwidth (2 for wide characters; 1 when unknown). */
static int cp_width(uint32_t cp) {
    if (cp < 0x80) return 1;
    if (vm_ascii) return (int)strlen(ascii_of(cp));
    int w = wcwidth((wchar_t)cp);
    return w < 0 ? 1 : w;
}

int vm_strwidth(const char *s) {
    int n = 0;
    uint32_t cp;
    while (*s) {
        s += u8_next(s, &cp);
        n += cp_width(cp);
    }
    return n;
}

size_t vm_to_ascii(const char *in, size_t len, char *out, size_t n) {
    size_t o = 0;
    if (n == 0) return 0;
    for (size_t i = 0; i < len && in[i];) {
        uint32_t cp;
        i += (size_t)u8_next(in + i, &cp);
        const char *a = cp < 0x80 ? NULL : ascii_of(cp);
        size_t al = a ? strlen(a) : 1;
        if (o + al >= n) break;
        if (a)
            memcpy(out + o, a, al);
        else
            out[o] = (char)cp;
        o += al;
    }
    out[o] = 0;
    return o;
}

int vm_prefix_bytes(const char *s, int cells) {
    int c = 0, i = 0;
    uint32_t cp;
    while (s[i]) {
        int k = u8_next(s + i, &cp), w = cp_width(cp);
        if (c + w > cells) break;
        c += w;
        i += k;
    }
    return i;
}

static int cut_cells(const char *s, int from, int to, int cells) {
    int i = from, c = 0;
    uint32_t cp;
    while (i < to) {
        int k = u8_next(s + i, &cp), w = cp_width(cp);
        if (c + w > cells && c > 0) break;
        c += w;
        i += k;
    }
    return i;
}

static int wrap_par(const char *s, int p, int q, int width, int *start, int *len, int max, int n) {
    int pos = p;
    while (pos < q && s[pos] == ' ')
        pos++;
    if (pos >= q) { /* an empty paragraph is one empty line */
        if (n < max) start[n] = p, len[n] = 0;
        return n + 1;
    }
    while (pos < q) {
        int j = pos, end = -1, cells = 0;
        for (;;) { /* cells counts from pos to j, spaces between words included */
            int w0 = j, need = cells;
            while (j < q && s[j] != ' ') {
                uint32_t cp;
                int k = u8_next(s + j, &cp);
                need += cp_width(cp);
                j += k;
            }
            if (need > width) {
                if (end < 0) end = cut_cells(s, w0, j, width); /* a word longer than a line */
                break;
            }
            end = j;
            cells = need;
            while (j < q && s[j] == ' ')
                j++, cells++;
            if (j >= q) break;
        }
        if (n < max) start[n] = pos, len[n] = end - pos;
        n++;
        pos = end;
        while (pos < q && s[pos] == ' ')
            pos++;
    }
    return n;
}

int vm_wrap(const char *s, int width, int *start, int *len, int max) {
    if (width < 1) width = 1;
    int n = 0, p = 0;
    for (;;) {
        int q = p;
        while (s[q] && s[q] != '\n')
            q++;
        n = wrap_par(s, p, q, width, start, len, max, n);
        if (!s[q]) break;
        p = q + 1;
    }
    return n;
}

long vm_block_params(int l, int L, int B, int H, int D, int C) {
    long din = l == 0 ? D : H, K = l == L - 1 ? C : B;
    return din * H + H + (long)H * K + K;
}

long vm_router_params(int B, int D) { return (long)D * B + B; }

void net_update(NetPane *p, const ViewState *vs, const UiState *v) {
    const RtTrace *t = &vs->trace;
    p->router_params = vm_router_params(vs->B, vs->D);
    for (int l = 0; l < RT_MAX_L; l++)
        p->block_params[l] = l < vs->L ? vm_block_params(l, vs->L, vs->B, vs->H, vs->D, vs->C) : 0;
    p->arch = vs->arch;
    p->L = vs->L;
    p->B = vs->B;
    p->C = vs->C;
    p->valid = t->nsteps > 0;
    p->params = vs->params_total;
    p->D = vs->D;
    memcpy(p->width, vs->mlp_width, sizeof p->width);
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
    p->pred = vm_trace_pred(t, s);
}

int net_col_x(int c, int ncols, int inner_w, int blk_w, int cls_w) {
    int L = ncols - 2, rw = 3;
    int gap = (inner_w - rw - L * blk_w - cls_w) / (L + 1);
    if (gap < 1) gap = 1;
    if (c <= 0) return 0;
    if (c > L) return inner_w - cls_w;
    return rw + gap * c + blk_w * (c - 1);
}

int net_spread(int i, int n, int avail) {
    if (n <= 1) return avail / 2;
    int slot = avail / n;
    return i * avail / n + (slot > 1 ? (slot - 1) / 2 : 0);
}

void vm_fmt_rate(char *buf, size_t n, float r) {
    if (r > 0.0f && r < 0.005f) /* above 0 but under a hundredth: never ".00" */
        snprintf(buf, n, "<.01");
    else if (r >= 0.995f)
        snprintf(buf, n, "1.0");
    else
        snprintf(buf, n, ".%02d", (int)(r * 100.0f + 0.5f));
}

void gauge_update(GaugePane *p, const ViewState *vs, const UiState *v) {
    const RtTrace *t = &vs->trace;
    p->nsched = vs->nsched;
    memcpy(p->sched, vs->sched, sizeof p->sched);
    p->tau = vs->tau;
    p->floor = vs->floor;
    p->animating = v->animating;
    p->floor_changed = v->floor_changed;
    p->arch = vs->arch;
    p->step_ms = v->step_ms;
    p->sweep_manual = v->sweep_manual;
    p->cliff = vs->floor_cliff;
    if (t->nsteps > 0) { /* the trace's own steps (it was made under its floor) */
        p->nsched = t->nsteps;
        memcpy(p->sched, t->theta, sizeof p->sched);
        p->step = v->step < 0 ? 0 : v->step >= t->nsteps ? t->nsteps - 1 : v->step;
        p->stop = t->stop;
        p->theta = t->theta[p->step];
    } else {
        p->step = p->stop = -1;
        p->theta = p->nsched > 0 ? p->sched[0] : 0.0f;
    }
}

int gauge_x(int step, int nsteps, int width) {
    if (nsteps <= 1 || width <= 1) return 0;
    if (step < 0) step = 0;
    if (step >= nsteps) step = nsteps - 1;
    return step * (width - 1) / (nsteps - 1);
}

void image_update(ImagePane *p, const ViewState *vs, const UiState *v) {
    const RtTrace *t = &vs->trace;
    p->ch = vs->ch;
    p->h = vs->h;
    p->w = vs->w;
    p->C = vs->C;
    memcpy(p->names, vs->class_names, sizeof p->names);
    memcpy(p->pix, vs->trace_pix, sizeof p->pix);
    p->label = vs->trace_label;
    p->index = vs->trace_index;
    p->nblocks = vs->L * vs->B;
    p->draw_mode = v->draw_mode;
    p->arch = vs->arch;
    p->cur_y = v->cur_y;
    p->cur_x = v->cur_x;
    p->valid = t->nsteps > 0;
    p->note[0] = 0;
    p->source[0] = 0;
    if (v->draw_mode)
        snprintf(p->source, sizeof p->source, "%.60s%s", v->loaded[0] ? v->loaded : "drawn",
                 v->loaded[0] && !v->loaded_live ? ", retouched" : "");
    if (v->draw_mode)
        snprintf(p->note, sizeof p->note, "%s",
                 vs->run_state == VS_RUNNING ? "prediction is live: it follows training"
                                             : "prediction is live (training paused)");
    if (!p->valid) return;
    int s = v->step < 0 ? 0 : v->step >= t->nsteps ? t->nsteps - 1 : v->step;
    p->step = s;
    p->stop = t->stop;
    p->theta = t->theta[s];
    p->stop_theta = t->theta[t->stop];
    memcpy(p->prob, t->prob[s], sizeof p->prob);
    p->mass = t->mass[s];
    p->act_pct = t->act_pct[s];
    p->nactive = t->nactive[s];
    p->pred = vm_trace_pred(t, s);
}

void image_geom(const ImagePane *p, Rect r, int *gy, int *gx, int *rows, int *cols) {
    int ih = r.h - 2, iw = r.w - 2;
    int h = p->h > 0 ? p->h : 28, w = p->w > 0 ? p->w : 28;
    /* twice the size when the pane has room for it and the numbers (200×60) */
    int sc = iw - 2 * w - 2 >= IMG_TEXT_W && ih >= h && 2 * h * 2 * w <= 2 * 64 * 64 ? 2 : 1;
    int rw = (sc * h + 1) / 2;
    if (rw > ih) rw = ih;
    int cw = rw * 2 * w / h;
    if (cw > iw / 2 + 2 && iw < 40) cw = iw / 2 + 2;
    if (cw > sc * w) cw = sc * w;
    /* leave the numbers beside it room (compact screens): a smaller image,
     * except for the canvas, which keeps a cell per pixel column */
    if (!p->draw_mode && iw - cw - 2 < IMG_TEXT_W) {
        cw = iw - 2 - IMG_TEXT_W;
        if (cw < 14) cw = 14;
        if (cw > w) cw = w;
    }
    if (rw * 2 * w / h > cw) rw = (cw * h + w) / (2 * w); /* keep the aspect */
    *gy = r.y + 1;
    *gx = r.x + 1;
    *rows = rw < 1 ? 1 : rw;
    *cols = cw < 1 ? 1 : cw;
}

int image_hit(const ImagePane *p, Rect r, int y, int x, int *py, int *px) {
    int gy, gx, rows, cols;
    image_geom(p, r, &gy, &gx, &rows, &cols);
    if (y < gy || y >= gy + rows || x < gx || x >= gx + cols) return -1;
    *py = (y - gy) * p->h / rows;
    *px = (x - gx) * p->w / cols;
    return 0;
}

void gallery_update(GalleryPane *p, const ViewState *vs, const UiState *v) {
    p->valid = vs->gallery_valid;
    p->ch = vs->ch;
    p->h = vs->h;
    p->w = vs->w;
    p->sel = -1;
    p->arch = vs->arch;
    memcpy(p->names, vs->class_names, sizeof p->names);
    if (!p->valid) return;
    memcpy(p->item, vs->easy, sizeof vs->easy);
    memcpy(p->item + VS_GALLERY, vs->hard, sizeof vs->hard);
    /* The selection marks the traced test image, wherever the latest test pass
     * put it: the clicked cell while it still holds that image, else the cell
     * it moved to, else none (it left the twelve). A cell's place alone would
     * name another image once the gallery changes under it. */
    int sel = v->gallery_sel, want = vs->subject.index;
    if (sel < 0 || sel >= 2 * VS_GALLERY || vs->subject.kind != VS_SUBJ_TEST) return;
    if (p->item[sel].index == want) {
        p->sel = sel;
        return;
    }
    for (int k = 0; k < 2 * VS_GALLERY; k++)
        if (p->item[k].index == want) {
            p->sel = k;
            return;
        }
}

void gallery_geom(Rect r, GalleryGeom *g) {
    memset(g, 0, sizeof *g);
    int iw = r.w - 2, ih = r.h - 2;
    g->per_row = VS_GALLERY;
    g->rows_per_group = 1;
    g->shown = VS_GALLERY;
    int tw = iw / VS_GALLERY - 1;
    if (tw > 14) tw = 14;
    int th = (tw + 1) / 2;
    int maxth = (ih / 2 - 1) / g->rows_per_group - 1; /* header + rows of (thumb + caption) */
    if (th > maxth) th = maxth;
    if (th < 1) th = 1;
    if (tw > 2 * th + 1) tw = 2 * th + 1;
    if (tw < 8) { /* too small to recognise (80×24): fewer, bigger, with readable captions */
        th = maxth > 6 ? 6 : maxth;
        if (th < 2) th = 2;
        tw = 2 * th;
        int cw = tw + 1 > 12 ? tw + 1 : 12; /* a caption like "100%✗Sandal" */
        g->per_row = iw / cw;
        if (g->per_row < 1) g->per_row = 1;
        if (g->per_row > VS_GALLERY) g->per_row = VS_GALLERY;
        g->shown = g->per_row;
        g->cell_w = cw;
    }
    if (tw < 1) tw = 1;
    g->tw = tw;
    g->th = th;
    if (!g->cell_w) {
        g->cell_w = (iw / g->per_row) < tw + 1 ? tw + 1 : iw / g->per_row;
        if (g->cell_w > tw + 4) g->cell_w = tw + 4;
    }
    g->cell_h = th + 1;
    g->x0 = r.x + 1;
    g->y0[0] = r.y + 2;
    g->y0[1] = g->y0[0] + g->rows_per_group * g->cell_h + 1;
}

int gallery_hit(Rect r, int y, int x) {
    GalleryGeom g;
    gallery_geom(r, &g);
    for (int grp = 0; grp < 2; grp++) {
        int dy = y - g.y0[grp], dx = x - g.x0;
        if (dy < 0 || dy >= g.rows_per_group * g.cell_h || dx < 0 || dx >= g.per_row * g.cell_w)
            continue;
        if (dx % g.cell_w >= g.tw) return -1; /* the gap between cells */
        int cell = (dy / g.cell_h) * g.per_row + dx / g.cell_w;
        return cell < g.shown ? grp * VS_GALLERY + cell : -1;
    }
    return -1;
}

void conf_update(ConfPane *p, const ViewState *vs, const UiState *v) {
    (void)v;
    p->valid = vs->gallery_valid && vs->test_n > 0;
    p->C = vs->C;
    p->n = vs->test_n;
    p->acc = vs->test_acc;
    memcpy(p->names, vs->class_names, sizeof p->names);
    memcpy(p->m, vs->confusion, sizeof p->m);
    memcpy(p->class_act, vs->class_act, sizeof p->class_act);
    p->maxoff = 1;
    for (int t = 0; t < p->C && t < RT_MAX_C; t++)
        for (int q = 0; q < p->C && q < RT_MAX_C; q++)
            if (t != q && p->m[t][q] > p->maxoff) p->maxoff = p->m[t][q];
}

void stats_update(StatsPane *p, const ViewState *vs, const UiState *v, const char *status,
                  int bad) {
    p->epoch = vs->epoch;
    p->epoch_frac = vs->epoch_frac;
    p->step = vs->step;
    p->paused = vs->run_state != VS_RUNNING;
    p->sps = vs->samples_per_s;
    p->loss = vs->loss;
    p->train_acc = vs->train_acc;
    p->test_acc = vs->test_acc;
    p->act_mean = vs->act_mean;
    p->lr = vs->lr;
    p->floor = vs->floor;
    p->unreached = vs->unreached;
    p->unreached_total = vs->unreached_total;
    p->nloss = vs->nloss < VS_HIST ? vs->nloss : VS_HIST;
    p->nacc = vs->nacc < VS_HIST ? vs->nacc : VS_HIST;
    memcpy(p->loss_hist, vs->loss_hist, sizeof p->loss_hist);
    memcpy(p->acc_hist, vs->acc_hist, sizeof p->acc_hist);
    p->floor_changed = v->floor_changed;
    p->message_bad = 0;
    snprintf(p->message, sizeof p->message, "%s", status ? status : "");
    p->message_bad = bad;
    snprintf(p->dataset, sizeof p->dataset, "%s", vs->dataset);
    p->params_total = vs->params_total;
    p->arch = vs->arch;
    p->L = vs->L;
    p->B = vs->B;
    p->pace = v->pace;
    p->unreached_since = vs->unreached_since;
    p->lr_cuts = vs->lr_cuts;
    p->plateau = vs->plateau;
    p->plateau_limit = vs->plateau_limit;
}
void net_geom(const NetPane *p, Rect in, NetGeom *g) {
    memset(g, 0, sizeof *g);
    int mlp = p->arch == ARCH_MLP;
    int L = mlp ? (p->L < 1 ? 1 : p->L) : p->L, B = p->B, C = p->C;
    if (mlp) {
        g->bw = in.w >= 90 ? 9 : in.w >= 44 ? 7 : 5;
        g->cls_w = in.w >= 90 ? 16 : in.w >= 44 ? 9 : 5;
    } else {
        g->bw = in.w >= 90 ? 7 : in.w >= 44 ? 5 : in.w >= 30 ? 4 : 3; /* 4: "<.01" */
        g->cls_w = in.w >= 90 ? 16 : in.w >= 44 ? 9 : in.w >= 30 ? 7 : 5;
    }
    g->avail = in.h - 1; /* last row: caption */
    g->two_rows = g->avail >= 2 * B;
    for (int i = 0; i < B && i < RT_MAX_B; i++)
        g->by[i] = in.y + net_spread(i, B, g->avail);
    for (int c = 0; c < C && c < RT_MAX_C; c++)
        g->cy[c] = in.y + net_spread(c, C, g->avail);
    g->ry = in.y + (g->avail - 1) / 2;
    for (int c = 0; c <= L + 1 && c < RT_MAX_L + 2; c++)
        g->cx[c] = in.x + net_col_x(c, L + 2, in.w, g->bw, g->cls_w);
    g->top = in.y + 2; /* MLP: the columns' rows (labels above, below) */
    g->bot = in.y + g->avail - 2;
    if (g->bot < g->top) g->top = in.y, g->bot = in.y + g->avail - 1;
}

ColorRole conf_role(const ConfPane *p, int t, int q) {
    int v = p->m[t][q];
    return !v ? CLR_DIM : t == q ? CLR_CONF_DIAG : v * 3 > p->maxoff ? CLR_CONF_HOT : CLR_CONF_OFF;
}

void vm_update(VmPanes *p, const ViewState *vs, const UiState *u, double now) {
    int bad;
    const char *status = ui_status_shown(u, vs, now, &bad);
    net_update(&p->net, vs, u);
    gauge_update(&p->gauge, vs, u);
    image_update(&p->img, vs, u);
    gallery_update(&p->gal, vs, u);
    conf_update(&p->conf, vs, u);
    stats_update(&p->stats, vs, u, status, bad);
    char brief[256];
    uint64_t key;
    p->alert = vm_alert(vs, u, p->alert_text, sizeof p->alert_text, &p->alert_title, &p->alert_bad,
                        brief, sizeof brief, &key);
    if (!p->alert) {
        p->alert_text[0] = 0;
        p->alert_title = "";
        p->alert_bad = 0;
    }
}
