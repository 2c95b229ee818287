/* plot.c — see plot.h. */
#define _POSIX_C_SOURCE 200809L
#include "plot.h"

#include "atomicio.h"

#include <cairo.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Okabe-Ito colours (distinguishable with the common colour-vision
 * deficiencies), yellow swapped for a dark grey that reads on white */
static const unsigned char PALETTE[PLOT_MAX_COLORS][3] = {
    {0, 114, 178},   {230, 159, 0},  {0, 158, 115}, {213, 94, 0},
    {204, 121, 167}, {86, 180, 233}, {90, 90, 90},  {0, 0, 0},
};
static const double ALERT_RGB[3] = {0.80, 0.10, 0.10};

void plot_color(int i, double rgb[3]) {
    int k = ((i % PLOT_MAX_COLORS) + PLOT_MAX_COLORS) % PLOT_MAX_COLORS;
    for (int c = 0; c < 3; c++)
        rgb[c] = PALETTE[k][c] / 255.0;
}

/* ------------------------------------------------------------------ ticks */

int plot_ticks_linear(double lo, double hi, int want, double *out, int max, double *step) {
    if (!(hi > lo)) {
        double d = fabs(lo) > 0 ? fabs(lo) * 0.1 : 1.0;
        lo -= d;
        hi += d;
    }
    if (want < 2) want = 2;
    double raw = (hi - lo) / want;
    double mag = pow(10.0, floor(log10(raw)));
    static const double M[] = {1.0, 2.0, 2.5, 5.0, 10.0};
    double st = 10.0 * mag;
    for (int i = 0; i < 5; i++)
        if (M[i] * mag >= raw) {
            st = M[i] * mag;
            break;
        }
    if (step) *step = st;
    int n = 0;
    for (double v = ceil(lo / st - 1e-9) * st; v <= hi + st * 1e-9 && n < max; v += st)
        out[n++] = fabs(v) < st * 1e-9 ? 0.0 : v;
    return n;
}

int plot_ticks_log(double lo, double hi, double *out, int max) {
    int n = 0;
    if (!(lo > 0) || !(hi > lo)) return 0;
    static const double M125[] = {1, 2, 5};
    int k0 = (int)floor(log10(lo)), k1 = (int)ceil(log10(hi));
    for (int pass = 0; pass < 2; pass++) {
        n = 0;
        for (int k = k0; k <= k1; k++) {
            int nm = pass == 0 ? 3 : 9;
            for (int j = 0; j < nm && n < max; j++) {
                double v = (pass == 0 ? M125[j] : (double)(j + 1)) * pow(10.0, k);
                if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9)) out[n++] = v;
            }
        }
        if (n >= 3) break;
    }
    return n;
}

void plot_tick_label(double v, double step, char *buf, size_t n) {
    if (step > 0) {
        int dec = 0;
        double s = step;
        while (dec < 6 && fabs(s - round(s)) > 1e-9 * fmax(1.0, fabs(s))) {
            s *= 10.0;
            dec++;
        }
        snprintf(buf, n, "%.*f", dec, v);
        return;
    }
    static const struct {
        double div;
        const char *suf;
    } SI[] = {{1e9, "G"}, {1e6, "M"}, {1e3, "k"}, {1.0, ""}};
    double a = fabs(v);
    for (int i = 0; i < 4; i++)
        if (a >= SI[i].div || i == 3) {
            double q = v / SI[i].div;
            if (a < 1.0 && i == 3)
                snprintf(buf, n, "%g", v);
            else if (fabs(q - round(q)) < 1e-6)
                snprintf(buf, n, "%.0f%s", q, SI[i].suf);
            else
                snprintf(buf, n, "%.1f%s", q, SI[i].suf);
            return;
        }
}

/* ------------------------------------------------------------------- text */

static void font(cairo_t *cr, double size, int bold) {
    cairo_select_font_face(cr, PLOT_FONT, CAIRO_FONT_SLANT_NORMAL,
                           bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, size);
}

static double text_w(cairo_t *cr, const char *s) {
    cairo_text_extents_t te;
    cairo_text_extents(cr, s, &te);
    return te.x_advance;
}

/* Text at (x, y baseline) aligned: 0 left, 0.5 centre, 1 right. */
static void text_at(cairo_t *cr, double x, double y, double align, const char *s) {
    cairo_move_to(cr, x - align * text_w(cr, s), y);
    cairo_show_text(cr, s);
}

/* Word-wrap s into lines of at most maxw pixels; draws them from baseline y
 * (line height lh) when draw is set. Returns the number of lines. */
static int wrapped(cairo_t *cr, const char *s, double x, double y, double maxw, double lh,
                   int draw) {
    char line[1024];
    int lines = 0;
    const char *p = s;
    while (*p) {
        while (*p == ' ')
            p++;
        if (!*p) break;
        size_t len = 0, fit = 0;
        const char *q = p, *next = p;
        while (*q && *q != '\n') {
            const char *w = q;
            while (*q && *q != ' ' && *q != '\n')
                q++;
            size_t add = (size_t)(q - w);
            if (len + add + 1 >= sizeof line) break;
            memcpy(line + len, w, add);
            line[len + add] = 0;
            if (fit > 0 && text_w(cr, line) > maxw) break;
            len += add;
            fit = len;
            next = q;
            if (*q == ' ') {
                line[len++] = ' ';
                q++;
            }
        }
        if (fit == 0) { /* one word longer than the line: take it whole */
            q = p;
            while (*q && *q != ' ' && *q != '\n')
                q++;
            fit = RT_MIN((size_t)(q - p), sizeof line - 1);
            memcpy(line, p, fit);
            next = q;
        }
        line[fit] = 0;
        if (draw) text_at(cr, x, y + lines * lh, 0.0, line);
        lines++;
        p = next;
        if (*p == '\n') p++;
    }
    return lines;
}

static void fit_text(cairo_t *cr, double cx, double y, double maxw, double size, int bold,
                     const char *s);

/* ------------------------------------------------------------ PNG to memory */

typedef struct {
    uint8_t *buf;
    size_t len, cap;
    int oom;
} MemBuf;

static cairo_status_t mem_write(void *closure, const unsigned char *data, unsigned int n) {
    MemBuf *m = closure;
    if (m->len + n > m->cap) {
        size_t cap = m->cap ? m->cap : 65536;
        while (cap < m->len + n)
            cap *= 2;
        uint8_t *b = realloc(m->buf, cap);
        if (!b) {
            m->oom = 1;
            return CAIRO_STATUS_WRITE_ERROR;
        }
        m->buf = b;
        m->cap = cap;
    }
    memcpy(m->buf + m->len, data, n);
    m->len += n;
    return CAIRO_STATUS_SUCCESS;
}

/* Finish: check cairo's state, encode the surface as PNG into *png. Destroys
 * cr and the surface. */
static int finish_png(cairo_t *cr, cairo_surface_t *sf, const char *what, uint8_t **png,
                      size_t *len, RtErr *e) {
    cairo_status_t st = cairo_status(cr);
    cairo_destroy(cr);
    if (st != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(sf);
        return rt_err(e, "%s: drawing failed: %s", what, cairo_status_to_string(st));
    }
    cairo_surface_flush(sf);
    MemBuf m = {0};
    st = cairo_surface_write_to_png_stream(sf, mem_write, &m);
    cairo_surface_destroy(sf);
    if (st != CAIRO_STATUS_SUCCESS) {
        free(m.buf);
        return rt_err(e, "%s: PNG encoding failed: %s", what,
                      m.oom ? "out of memory" : cairo_status_to_string(st));
    }
    *png = m.buf;
    *len = m.len;
    return 0;
}

static int new_canvas(int w, int h, const char *what, cairo_surface_t **sf, cairo_t **cr,
                      RtErr *e) {
    *sf = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
    if (cairo_surface_status(*sf) != CAIRO_STATUS_SUCCESS) {
        rt_err(e, "%s: cannot make a %dx%d image: %s", what, w, h,
               cairo_status_to_string(cairo_surface_status(*sf)));
        cairo_surface_destroy(*sf);
        return -1;
    }
    *cr = cairo_create(*sf);
    cairo_set_source_rgb(*cr, 1, 1, 1);
    cairo_paint(*cr);
    cairo_set_antialias(*cr, CAIRO_ANTIALIAS_BEST);
    return 0;
}

/* ------------------------------------------------------------------ chart */

static void marker(cairo_t *cr, int shape, double x, double y, double r, const double rgb[3]) {
    if (shape == PLOT_TRIANGLE) {
        double h = r * 1.25;
        cairo_move_to(cr, x, y - h);
        cairo_line_to(cr, x + h * 0.9, y + h * 0.6);
        cairo_line_to(cr, x - h * 0.9, y + h * 0.6);
        cairo_close_path(cr);
    } else {
        cairo_new_sub_path(cr);
        cairo_arc(cr, x, y, r, 0, 2 * M_PI);
    }
    cairo_set_source_rgb(cr, rgb[0], rgb[1], rgb[2]);
    cairo_fill_preserve(cr);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_set_line_width(cr, 1.2);
    cairo_stroke(cr);
}

typedef struct {
    double x0, x1, y0, y1;     /* data range of the axes */
    double px0, px1, py0, py1; /* pixel box: left, right, bottom, top */
    int logx;
} Axes;

static double map_x(const Axes *a, double x) {
    double t = a->logx ? (log10(x) - log10(a->x0)) / (log10(a->x1) - log10(a->x0))
                       : (x - a->x0) / (a->x1 - a->x0);
    return a->px0 + t * (a->px1 - a->px0);
}
static double map_y(const Axes *a, double y) {
    return a->py0 + (y - a->y0) / (a->y1 - a->y0) * (a->py1 - a->py0);
}

static int chart_check(const PlotChart *c, RtErr *e) {
    if (c->width < 320 || c->height < 240 || c->width > 8000 || c->height > 8000)
        return rt_err(e, "chart: size %dx%d is out of range (320x240 to 8000x8000)", c->width,
                      c->height);
    if (c->nseries < 1 || c->nseries > PLOT_MAX_SERIES)
        return rt_err(e, "chart: %d series (1-%d)", c->nseries, PLOT_MAX_SERIES);
    int any = 0;
    for (int i = 0; i < c->nseries; i++) {
        const PlotSeries *s = &c->s[i];
        if (s->n < 0 || s->n > PLOT_MAX_POINTS)
            return rt_err(e, "chart: series '%s' has %d points (0-%d)", s->label, s->n,
                          PLOT_MAX_POINTS);
        for (int j = 0; j < s->n; j++) {
            const PlotPoint *p = &s->pt[j];
            if (!isfinite(p->x) || !isfinite(p->y))
                return rt_err(e, "chart: series '%s' point %d is not finite", s->label, j);
            if (c->logx && !(p->x > 0))
                return rt_err(e, "chart: series '%s' point %d has x = %g on a log axis", s->label,
                              j, p->x);
            any = 1;
        }
    }
    if (!any) return rt_err(e, "chart: no points to draw");
    return 0;
}

int plot_chart_png(const PlotChart *c, uint8_t **png, size_t *len, RtErr *e) {
    *png = NULL;
    *len = 0;
    if (chart_check(c, e)) return -1;
    cairo_surface_t *sf;
    cairo_t *cr;
    if (new_canvas(c->width, c->height, "chart", &sf, &cr, e)) return -1;
    const double W = c->width, H = c->height;
    const double fs = fmax(11.0, H / 52.0); /* base font size */

    /* data range, error bars included */
    double xmin = INFINITY, xmax = -INFINITY, ymin = INFINITY, ymax = -INFINITY;
    for (int i = 0; i < c->nseries; i++)
        for (int j = 0; j < c->s[i].n; j++) {
            const PlotPoint *p = &c->s[i].pt[j];
            double xs[3] = {p->x, p->xlo, p->xhi}, ys[3] = {p->y, p->ylo, p->yhi};
            int hasx = isfinite(p->xlo) && isfinite(p->xhi) && (!c->logx || p->xlo > 0);
            int hasy = isfinite(p->ylo) && isfinite(p->yhi);
            for (int k = 0; k < (hasx ? 3 : 1); k++) {
                xmin = fmin(xmin, xs[k]);
                xmax = fmax(xmax, xs[k]);
            }
            for (int k = 0; k < (hasy ? 3 : 1); k++) {
                ymin = fmin(ymin, ys[k]);
                ymax = fmax(ymax, ys[k]);
            }
        }
    Axes a = {.logx = c->logx};
    if (c->logx) {
        double l0 = log10(xmin), l1 = log10(xmax);
        if (l1 - l0 < 0.3) {
            double mid = 0.5 * (l0 + l1);
            l0 = mid - 0.15;
            l1 = mid + 0.15;
        }
        double pad = 0.06 * (l1 - l0);
        a.x0 = pow(10.0, l0 - pad);
        a.x1 = pow(10.0, l1 + pad);
    } else {
        double pad = xmax > xmin ? 0.05 * (xmax - xmin) : fmax(fabs(xmax) * 0.1, 1.0);
        a.x0 = xmin - pad;
        a.x1 = xmax + pad;
        if (xmin >= 0 && a.x0 < 0) a.x0 = 0;
    }
    double yt[64], ystep;
    {
        double pad = ymax > ymin ? 0.06 * (ymax - ymin) : fmax(fabs(ymax) * 0.02, 0.5);
        int n = plot_ticks_linear(ymin - pad, ymax + pad, 6, yt, 64, &ystep);
        (void)n;
        a.y0 = floor((ymin - pad) / ystep) * ystep;
        a.y1 = ceil((ymax + pad) / ystep) * ystep;
    }
    int nyt = plot_ticks_linear(a.y0, a.y1, 6, yt, 64, &ystep);
    double xt[64], xstep = 0;
    int nxt = c->logx ? plot_ticks_log(a.x0, a.x1, xt, 64)
                      : plot_ticks_linear(a.x0, a.x1, 7, xt, 64, &xstep);

    /* legend width */
    font(cr, fs, 0);
    double legw = 0;
    for (int i = 0; i < c->nseries; i++)
        legw = fmax(legw, text_w(cr, c->s[i].label));
    legw += fs * 4.2;

    /* caption lines */
    font(cr, fs * 0.85, 0);
    int caplines = c->caption[0] ? wrapped(cr, c->caption, 0, 0, W - 2 * fs * 2, fs * 1.2, 0) : 0;

    /* the tick labels' width sets the left margin */
    font(cr, fs, 0);
    double ylabw = 0;
    char buf[64];
    for (int i = 0; i < nyt; i++) {
        plot_tick_label(yt[i], ystep, buf, sizeof buf);
        ylabw = fmax(ylabw, text_w(cr, buf));
    }
    a.px0 = fs * 3.0 + ylabw;
    a.px1 = W - legw - fs * 2.0;
    a.py1 = fs * 3.6;
    a.py0 = H - fs * 4.2 - caplines * fs * 1.05;
    if (a.px1 - a.px0 < 100 || a.py0 - a.py1 < 80) {
        cairo_destroy(cr);
        cairo_surface_destroy(sf);
        return rt_err(e, "chart: %dx%d is too small for its labels and legend", c->width,
                      c->height);
    }

    /* title */
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    fit_text(cr, 0.5 * (a.px0 + a.px1), fs * 2.1, W - 2 * fs, fs * 1.35, 1, c->title);

    /* grid and ticks */
    cairo_set_line_width(cr, 1.0);
    font(cr, fs, 0);
    for (int i = 0; i < nyt; i++) {
        double y = round(map_y(&a, yt[i])) + 0.5;
        cairo_set_source_rgb(cr, 0.88, 0.88, 0.88);
        cairo_move_to(cr, a.px0, y);
        cairo_line_to(cr, a.px1, y);
        cairo_stroke(cr);
        cairo_set_source_rgb(cr, 0.15, 0.15, 0.15);
        plot_tick_label(yt[i], ystep, buf, sizeof buf);
        text_at(cr, a.px0 - fs * 0.5, y + fs * 0.35, 1.0, buf);
    }
    for (int i = 0; i < nxt; i++) {
        double x = round(map_x(&a, xt[i])) + 0.5;
        cairo_set_source_rgb(cr, 0.88, 0.88, 0.88);
        cairo_move_to(cr, x, a.py0);
        cairo_line_to(cr, x, a.py1);
        cairo_stroke(cr);
        cairo_set_source_rgb(cr, 0.15, 0.15, 0.15);
        cairo_move_to(cr, x, a.py0);
        cairo_line_to(cr, x, a.py0 + fs * 0.4);
        cairo_stroke(cr);
        plot_tick_label(xt[i], c->logx ? 0.0 : xstep, buf, sizeof buf);
        text_at(cr, x, a.py0 + fs * 1.5, 0.5, buf);
    }
    cairo_set_source_rgb(cr, 0.15, 0.15, 0.15);
    cairo_rectangle(cr, round(a.px0) + 0.5, round(a.py1) + 0.5, round(a.px1 - a.px0),
                    round(a.py0 - a.py1));
    cairo_stroke(cr);

    /* axis labels */
    font(cr, fs * 1.05, 0);
    text_at(cr, 0.5 * (a.px0 + a.px1), a.py0 + fs * 3.0, 0.5, c->xlabel);
    cairo_save(cr);
    cairo_translate(cr, fs * 1.3, 0.5 * (a.py0 + a.py1));
    cairo_rotate(cr, -M_PI / 2);
    text_at(cr, 0, 0, 0.5, c->ylabel);
    cairo_restore(cr);

    /* series: lines, error bars, markers (clipped to the plot box) */
    cairo_save(cr);
    cairo_rectangle(cr, a.px0, a.py1, a.px1 - a.px0, a.py0 - a.py1);
    cairo_clip(cr);
    double mr = fs * 0.42;
    for (int i = 0; i < c->nseries; i++) {
        const PlotSeries *s = &c->s[i];
        double rgb[3];
        plot_color(s->color, rgb);
        cairo_set_source_rgb(cr, rgb[0], rgb[1], rgb[2]);
        cairo_set_line_width(cr, 1.8);
        if (s->dashed) {
            double d[2] = {7, 4};
            cairo_set_dash(cr, d, 2, 0);
        }
        for (int j = 0; j < s->n; j++) {
            double x = map_x(&a, s->pt[j].x), y = map_y(&a, s->pt[j].y);
            if (j == 0)
                cairo_move_to(cr, x, y);
            else
                cairo_line_to(cr, x, y);
        }
        cairo_stroke(cr);
        cairo_set_dash(cr, NULL, 0, 0);
        cairo_set_line_width(cr, 1.3);
        for (int j = 0; j < s->n; j++) {
            const PlotPoint *p = &s->pt[j];
            double x = map_x(&a, p->x), y = map_y(&a, p->y), cap = mr * 0.8;
            if (isfinite(p->ylo) && isfinite(p->yhi) && p->yhi > p->ylo) {
                double y0 = map_y(&a, p->ylo), y1 = map_y(&a, p->yhi);
                cairo_move_to(cr, x, y0);
                cairo_line_to(cr, x, y1);
                cairo_move_to(cr, x - cap, y0);
                cairo_line_to(cr, x + cap, y0);
                cairo_move_to(cr, x - cap, y1);
                cairo_line_to(cr, x + cap, y1);
            }
            if (isfinite(p->xlo) && isfinite(p->xhi) && p->xhi > p->xlo &&
                (!c->logx || p->xlo > 0)) {
                double x0 = map_x(&a, p->xlo), x1 = map_x(&a, p->xhi);
                cairo_move_to(cr, x0, y);
                cairo_line_to(cr, x1, y);
                cairo_move_to(cr, x0, y - cap);
                cairo_line_to(cr, x0, y + cap);
                cairo_move_to(cr, x1, y - cap);
                cairo_line_to(cr, x1, y + cap);
            }
            cairo_stroke(cr);
        }
        for (int j = 0; j < s->n; j++)
            marker(cr, s->marker, map_x(&a, s->pt[j].x), map_y(&a, s->pt[j].y), mr, rgb);
    }
    cairo_restore(cr);

    /* legend, right of the plot box */
    double lx = a.px1 + fs * 1.2, ly = a.py1 + fs * 0.6, lh = fs * 1.6;
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_rectangle(cr, lx, ly, legw, lh * c->nseries + fs * 0.6);
    cairo_fill_preserve(cr);
    cairo_set_source_rgb(cr, 0.6, 0.6, 0.6);
    cairo_set_line_width(cr, 1.0);
    cairo_stroke(cr);
    font(cr, fs, 0);
    for (int i = 0; i < c->nseries; i++) {
        const PlotSeries *s = &c->s[i];
        double rgb[3], y = ly + fs * 0.3 + lh * (i + 0.5);
        plot_color(s->color, rgb);
        cairo_set_source_rgb(cr, rgb[0], rgb[1], rgb[2]);
        cairo_set_line_width(cr, 1.8);
        if (s->dashed) {
            double d[2] = {7, 4};
            cairo_set_dash(cr, d, 2, 0);
        }
        cairo_move_to(cr, lx + fs * 0.5, y);
        cairo_line_to(cr, lx + fs * 2.7, y);
        cairo_stroke(cr);
        cairo_set_dash(cr, NULL, 0, 0);
        marker(cr, s->marker, lx + fs * 1.6, y, mr, rgb);
        cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
        text_at(cr, lx + fs * 3.4, y + fs * 0.35, 0.0, s->label);
    }

    /* caption */
    if (caplines) {
        cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
        font(cr, fs * 0.85, 0);
        wrapped(cr, c->caption, fs * 2, H - fs * 0.9 - (caplines - 1) * fs * 1.05 - fs * 0.2,
                W - 2 * fs * 2, fs * 1.05, 1);
    }
    return finish_png(cr, sf, "chart", png, len, e);
}

/* ------------------------------------------------------------------- grid */

typedef struct {
    int scale;     /* integer zoom of each image */
    int iw, ih;    /* zoomed image size */
    int cw, chh;   /* cell width, height */
    int margin;    /* outer margin */
    int title_h;   /* title band */
    int head_h;    /* group heading band */
    int cap_lines; /* caption lines */
    int cap_lh;    /* caption line height */
    int width, height;
} GridLayout;

#define GRID_IMG 112 /* target pixel size of an image */

static void grid_layout(const PlotGrid *g, cairo_t *cr, GridLayout *L) {
    int m = RT_MAX(g->h, g->w);
    if (m < 1) m = 1;
    L->scale = RT_MAX(1, GRID_IMG / m);
    L->iw = g->w * L->scale;
    L->ih = g->h * L->scale;
    L->cw = RT_MAX(L->iw, 100) + 18;
    L->chh = 22 + L->ih + 24;
    L->margin = 24;
    L->title_h = 52;
    L->head_h = 32;
    L->width = 2 * L->margin + PLOT_GRID_COLS * L->cw;
    L->cap_lh = 16;
    font(cr, 12.5, 0);
    L->cap_lines =
        g->caption[0] ? wrapped(cr, g->caption, 0, 0, L->width - 2 * L->margin, L->cap_lh, 0) : 0;
    int h = L->title_h;
    for (int k = 0; k < g->ngroups; k++) {
        int rows = RT_MAX(1, (g->ncells[k] + PLOT_GRID_COLS - 1) / PLOT_GRID_COLS);
        h += L->head_h + rows * L->chh;
    }
    L->height = h + 10 + L->cap_lines * L->cap_lh + L->margin;
}

void plot_grid_size(const PlotGrid *g, int *width, int *height) {
    cairo_surface_t *sf = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 4, 4);
    cairo_t *cr = cairo_create(sf);
    GridLayout L;
    grid_layout(g, cr, &L);
    cairo_destroy(cr);
    cairo_surface_destroy(sf);
    *width = L.width;
    *height = L.height;
}

/* One image (CHW bytes) as a cairo surface. */
static cairo_surface_t *image_surface(const PlotGrid *g, const uint8_t *pix) {
    cairo_surface_t *im = cairo_image_surface_create(CAIRO_FORMAT_RGB24, g->w, g->h);
    if (cairo_surface_status(im) != CAIRO_STATUS_SUCCESS) return im;
    cairo_surface_flush(im);
    unsigned char *d = cairo_image_surface_get_data(im);
    int stride = cairo_image_surface_get_stride(im), hw = g->h * g->w;
    for (int y = 0; y < g->h; y++) {
        uint32_t *row = (uint32_t *)(void *)(d + (size_t)y * (size_t)stride);
        for (int x = 0; x < g->w; x++) {
            int i = y * g->w + x;
            uint32_t r, gg, b;
            if (g->ch == 3) {
                r = pix[i];
                gg = pix[hw + i];
                b = pix[2 * hw + i];
            } else {
                r = gg = b = pix[i];
            }
            row[x] = 0xFF000000u | r << 16 | gg << 8 | b;
        }
    }
    cairo_surface_mark_dirty(im);
    return im;
}

/* Text centred at (cx, y) in at most maxw pixels: shrinks the font down to
 * 9 px, then cuts the text with an ellipsis. */
static void fit_text(cairo_t *cr, double cx, double y, double maxw, double size, int bold,
                     const char *s) {
    char buf[96];
    snprintf(buf, sizeof buf, "%s", s);
    for (; size > 9.0; size -= 0.5) {
        font(cr, size, bold);
        if (text_w(cr, buf) <= maxw) break;
    }
    font(cr, size, bold);
    size_t n = strlen(buf);
    while (n > 1 && text_w(cr, buf) > maxw) {
        n--;
        while (n > 1 && ((unsigned char)buf[n] & 0xC0) == 0x80) /* keep UTF-8 whole */
            n--;
        memcpy(buf + n, "…", sizeof "…");
    }
    text_at(cr, cx, y, 0.5, buf);
}

int plot_grid_png(const PlotGrid *g, uint8_t **png, size_t *len, RtErr *e) {
    *png = NULL;
    *len = 0;
    if (g->ch != 1 && g->ch != 3) return rt_err(e, "image grid: %d channels (1 or 3)", g->ch);
    if (g->h < 1 || g->w < 1 || g->h > 64 || g->w > 64)
        return rt_err(e, "image grid: images of %dx%d (1-64 pixels a side)", g->w, g->h);
    if (g->ngroups < 1 || g->ngroups > PLOT_GRID_GROUPS)
        return rt_err(e, "image grid: %d groups (1-%d)", g->ngroups, PLOT_GRID_GROUPS);
    for (int k = 0; k < g->ngroups; k++) {
        if (g->ncells[k] < 0 || g->ncells[k] > PLOT_GRID_CELLS)
            return rt_err(e, "image grid: group %d has %d images (0-%d)", k, g->ncells[k],
                          PLOT_GRID_CELLS);
        for (int j = 0; j < g->ncells[k]; j++)
            if (!g->cell[k][j].pix)
                return rt_err(e, "image grid: image %d of group %d missing", j, k);
    }
    cairo_surface_t *sf0 = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 4, 4);
    cairo_t *cr0 = cairo_create(sf0);
    GridLayout L;
    grid_layout(g, cr0, &L);
    cairo_destroy(cr0);
    cairo_surface_destroy(sf0);

    cairo_surface_t *sf;
    cairo_t *cr;
    if (new_canvas(L.width, L.height, "image grid", &sf, &cr, e)) return -1;
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    fit_text(cr, L.width / 2.0, 34, L.width - 2 * L.margin, 19, 1, g->title);
    int y = L.title_h;
    for (int k = 0; k < g->ngroups; k++) {
        cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
        font(cr, 15, 1);
        text_at(cr, L.margin, y + 22, 0.0, g->heading[k]);
        y += L.head_h;
        int rows = RT_MAX(1, (g->ncells[k] + PLOT_GRID_COLS - 1) / PLOT_GRID_COLS);
        for (int j = 0; j < g->ncells[k]; j++) {
            const PlotCell *c = &g->cell[k][j];
            int col = j % PLOT_GRID_COLS, row = j / PLOT_GRID_COLS;
            double x0 = L.margin + col * L.cw, y0 = y + row * L.chh;
            double cx = x0 + L.cw / 2.0, ix = round(cx - L.iw / 2.0), iy = y0 + 22;
            cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
            fit_text(cr, cx, y0 + 16, L.cw - 6, 14, 1, c->top);
            cairo_surface_t *im = image_surface(g, c->pix);
            if (cairo_surface_status(im) == CAIRO_STATUS_SUCCESS) {
                cairo_save(cr);
                cairo_translate(cr, ix, iy);
                cairo_scale(cr, L.scale, L.scale);
                cairo_set_source_surface(cr, im, 0, 0);
                cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_NEAREST);
                cairo_paint(cr);
                cairo_restore(cr);
            }
            cairo_surface_destroy(im);
            cairo_set_source_rgb(cr, 0.75, 0.75, 0.75);
            cairo_set_line_width(cr, 1.0);
            cairo_rectangle(cr, ix - 0.5, iy - 0.5, L.iw + 1, L.ih + 1);
            cairo_stroke(cr);
            if (c->alert)
                cairo_set_source_rgb(cr, ALERT_RGB[0], ALERT_RGB[1], ALERT_RGB[2]);
            else
                cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
            fit_text(cr, cx, iy + L.ih + 17, L.cw - 6, 12.5, 0, c->bottom);
        }
        y += rows * L.chh;
    }
    if (L.cap_lines) {
        cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
        font(cr, 12.5, 0);
        wrapped(cr, g->caption, L.margin, y + 10 + 12, L.width - 2 * L.margin, L.cap_lh, 1);
    }
    return finish_png(cr, sf, "image grid", png, len, e);
}

/* ------------------------------------------------------------------ files */

int plot_chart_write(const PlotChart *c, const char *path, RtErr *e) {
    uint8_t *png;
    size_t n;
    if (plot_chart_png(c, &png, &n, e)) return -1;
    int rc = aw_write_file(path, png, n, e);
    free(png);
    return rc;
}

int plot_grid_write(const PlotGrid *g, const char *path, RtErr *e) {
    uint8_t *png;
    size_t n;
    if (plot_grid_png(g, &png, &n, e)) return -1;
    int rc = aw_write_file(path, png, n, e);
    free(png);
    return rc;
}
