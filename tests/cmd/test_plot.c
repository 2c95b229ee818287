/* test_plot.c — the cairo plot module (src/cmd/plot.c) and the gallery's
 * selection (src/cmd/gallery.c): nice ticks, labels, charts and image grids
 * rendered to PNGs of the stated size that are not blank and show their
 * series' colours, bad charts rejected, the atomic writer, and the tie
 * breaks of Figure 3. */
#include <cairo.h>
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd/plot.h"
#include "../test_util.h"
#include "cmd/report.h"

/* --- reading a PNG back with cairo --- */

typedef struct {
    const uint8_t *p;
    size_t n, off;
} Reader;

static cairo_status_t rd(void *c, unsigned char *data, unsigned int len) {
    Reader *r = c;
    if (r->off + len > r->n) return CAIRO_STATUS_READ_ERROR;
    memcpy(data, r->p + r->off, len);
    r->off += len;
    return CAIRO_STATUS_SUCCESS;
}

static cairo_surface_t *decode(const uint8_t *png, size_t n) {
    Reader r = {png, n, 0};
    cairo_surface_t *s = cairo_image_surface_create_from_png_stream(rd, &r);
    cr_assert_eq(cairo_surface_status(s), CAIRO_STATUS_SUCCESS, "not a PNG cairo can read");
    return s;
}

/* pixels exactly of colour rgb, and pixels that are not white */
static void count(cairo_surface_t *s, const unsigned char rgb[3], long *exact, long *ink) {
    cairo_surface_flush(s);
    int w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
    int stride = cairo_image_surface_get_stride(s);
    unsigned char *d = cairo_image_surface_get_data(s);
    *exact = *ink = 0;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            uint32_t v = *(uint32_t *)(void *)(d + (size_t)y * stride + 4 * x);
            unsigned r = v >> 16 & 255, g = v >> 8 & 255, b = v & 255;
            if (rgb && r == rgb[0] && g == rgb[1] && b == rgb[2]) (*exact)++;
            if (r < 250 || g < 250 || b < 250) (*ink)++;
        }
}

static void color255(int i, unsigned char out[3]) {
    double c[3];
    plot_color(i, c);
    for (int k = 0; k < 3; k++)
        out[k] = (unsigned char)lround(c[k] * 255.0);
}

static void two_series(PlotChart *c) {
    memset(c, 0, sizeof *c);
    c->width = 900;
    c->height = 600;
    c->logx = 1;
    snprintf(c->title, sizeof c->title, "Test accuracy against parameters used");
    snprintf(c->xlabel, sizeof c->xlabel, "parameters used");
    snprintf(c->ylabel, sizeof c->ylabel, "test accuracy (%%)");
    snprintf(c->caption, sizeof c->caption,
             "A caption long enough to wrap over more than one line "
             "of the chart so that the wrapping code runs and the "
             "lines stay inside the picture, which is checked.");
    c->nseries = 2;
    for (int s = 0; s < 2; s++) {
        PlotSeries *p = &c->s[s];
        snprintf(p->label, sizeof p->label, s ? "MLP" : "RT");
        p->marker = s ? PLOT_TRIANGLE : PLOT_CIRCLE;
        p->color = s;
        p->dashed = s;
        p->n = 4;
        for (int j = 0; j < 4; j++) {
            p->pt[j] = (PlotPoint){2e4 * pow(2.5, j) * (s ? 2 : 1),
                                   80 + 2 * j + s,
                                   NAN,
                                   NAN,
                                   79 + 2 * j + s,
                                   81 + 2 * j + s};
        }
    }
}

Test(plot, ticks_linear_are_nice) {
    double t[64], step;
    int n = plot_ticks_linear(31.2, 88.7, 6, t, 64, &step);
    cr_assert_float_eq(step, 10.0, 1e-12);
    cr_assert_eq(n, 5);
    cr_assert_float_eq(t[0], 40.0, 1e-9);
    cr_assert_float_eq(t[4], 80.0, 1e-9);
    n = plot_ticks_linear(0.0, 1.0, 4, t, 64, &step);
    cr_assert_float_eq(step, 0.25, 1e-12);
    cr_assert_eq(n, 5);
    cr_assert_float_eq(t[4], 1.0, 1e-12);
    /* a flat range still gives ticks around it */
    n = plot_ticks_linear(5.0, 5.0, 5, t, 64, &step);
    cr_assert_gt(n, 1);
    cr_assert(t[0] <= 5.0 && t[n - 1] >= 5.0);
}

Test(plot, ticks_log_125) {
    double t[64];
    int n = plot_ticks_log(15e3, 900e3, t, 64);
    /* 20k 50k 100k 200k 500k */
    cr_assert_eq(n, 5);
    cr_assert_float_eq(t[0], 2e4, 1e-6);
    cr_assert_float_eq(t[4], 5e5, 1e-6);
    /* less than a 1-2-5 step wide: every integer multiple */
    n = plot_ticks_log(3.0, 9.5, t, 64);
    cr_assert_geq(n, 3);
    cr_assert_float_eq(t[0], 3.0, 1e-9);
    cr_assert_eq(plot_ticks_log(0.0, 10.0, t, 64), 0);
}

Test(plot, tick_labels) {
    char b[32];
    plot_tick_label(20000, 0, b, sizeof b);
    cr_assert_str_eq(b, "20k");
    plot_tick_label(1500000, 0, b, sizeof b);
    cr_assert_str_eq(b, "1.5M");
    plot_tick_label(0.5, 0, b, sizeof b);
    cr_assert_str_eq(b, "0.5");
    plot_tick_label(87.5, 2.5, b, sizeof b);
    cr_assert_str_eq(b, "87.5");
    plot_tick_label(80, 10, b, sizeof b);
    cr_assert_str_eq(b, "80");
}

Test(plot, chart_png_size_ink_and_colors) {
    PlotChart c;
    two_series(&c);
    uint8_t *png;
    size_t n;
    RtErr e = {{0}};
    cr_assert_eq(plot_chart_png(&c, &png, &n, &e), 0, "%s", e.msg);
    cr_assert_gt(n, 1000);
    cr_assert_eq(memcmp(png, "\x89PNG\r\n\x1a\n", 8), 0);
    cairo_surface_t *s = decode(png, n);
    cr_assert_eq(cairo_image_surface_get_width(s), 900);
    cr_assert_eq(cairo_image_surface_get_height(s), 600);
    unsigned char c0[3], c1[3];
    color255(0, c0);
    color255(1, c1);
    long e0, e1, ink;
    count(s, c0, &e0, &ink);
    count(s, c1, &e1, &ink);
    /* both series' markers (and legend entries) are drawn, and text and axes */
    cr_assert_gt(e0, 50, "series 0 colour: %ld pixels", e0);
    cr_assert_gt(e1, 50, "series 1 colour: %ld pixels", e1);
    cr_assert_gt(ink, 900 * 600 / 100, "chart nearly blank: %ld inked pixels", ink);
    cr_assert_lt(ink, 900 * 600 / 2, "chart mostly ink: %ld", ink);
    cairo_surface_destroy(s);
    free(png);

    /* one series only: its colour is there, the other's is not */
    c.nseries = 1;
    cr_assert_eq(plot_chart_png(&c, &png, &n, &e), 0, "%s", e.msg);
    s = decode(png, n);
    count(s, c1, &e1, &ink);
    cr_assert_eq(e1, 0);
    cairo_surface_destroy(s);
    free(png);
}

Test(plot, chart_rejects_bad_input) {
    PlotChart c;
    uint8_t *png = (uint8_t *)"x";
    size_t n = 1;
    RtErr e = {{0}};
    two_series(&c);
    c.s[1].pt[2].x = 0.0; /* on a log axis */
    cr_assert_eq(plot_chart_png(&c, &png, &n, &e), -1);
    cr_assert_null(png);
    cr_assert_not_null(strstr(e.msg, "log axis"), "%s", e.msg);
    two_series(&c);
    c.s[0].pt[1].y = NAN;
    cr_assert_eq(plot_chart_png(&c, &png, &n, &e), -1);
    cr_assert_not_null(strstr(e.msg, "not finite"), "%s", e.msg);
    two_series(&c);
    c.s[0].n = c.s[1].n = 0;
    cr_assert_eq(plot_chart_png(&c, &png, &n, &e), -1);
    cr_assert_not_null(strstr(e.msg, "no points"), "%s", e.msg);
    two_series(&c);
    c.width = 100;
    cr_assert_eq(plot_chart_png(&c, &png, &n, &e), -1);
    cr_assert_not_null(strstr(e.msg, "size"), "%s", e.msg);
}

Test(plot, grid_png_size_and_images) {
    static uint8_t img[2][28 * 28];
    for (int i = 0; i < 28 * 28; i++) {
        img[0][i] = (uint8_t)(i % 28 < 14 ? 128 : 0); /* half grey */
        img[1][i] = 0;                                /* black */
    }
    PlotGrid *g = calloc(1, sizeof *g);
    snprintf(g->title, sizeof g->title, "Figure 3");
    snprintf(g->caption, sizeof g->caption, "caption");
    g->ch = 1;
    g->h = g->w = 28;
    g->ngroups = 2;
    for (int k = 0; k < 2; k++) {
        snprintf(g->heading[k], sizeof g->heading[k], k ? "Most blocks" : "Fewest blocks");
        g->ncells[k] = 12;
        for (int j = 0; j < 12; j++) {
            g->cell[k][j].pix = img[k];
            snprintf(g->cell[k][j].top, sizeof g->cell[k][j].top, "%d.0%%", 10 + j);
            snprintf(g->cell[k][j].bottom, sizeof g->cell[k][j].bottom,
                     j % 2 ? "Shirt → a class name far too long for one cell" : "Bag");
            g->cell[k][j].alert = j % 2;
        }
    }
    int w, h;
    plot_grid_size(g, &w, &h);
    cr_assert_gt(w, 6 * 112);
    uint8_t *png;
    size_t n;
    RtErr e = {{0}};
    cr_assert_eq(plot_grid_png(g, &png, &n, &e), 0, "%s", e.msg);
    cairo_surface_t *s = decode(png, n);
    cr_assert_eq(cairo_image_surface_get_width(s), w);
    cr_assert_eq(cairo_image_surface_get_height(s), h);
    /* the 24 images are drawn: black pixels are at least 12 whole black
     * images (112 x 112 each) plus the black halves of the other 12 */
    unsigned char black[3] = {0, 0, 0}, grey[3] = {128, 128, 128};
    long nb, ink, ng;
    count(s, black, &nb, &ink);
    cr_assert_geq(nb, 12L * 112 * 112 + 12L * 112 * 56, "black pixels %ld", nb);
    count(s, grey, &ng, &ink);
    cr_assert_geq(ng, 12L * 112 * 56, "grey pixels %ld", ng);
    cairo_surface_destroy(s);
    free(png);

    g->ch = 2;
    cr_assert_eq(plot_grid_png(g, &png, &n, &e), -1);
    cr_assert_not_null(strstr(e.msg, "channels"), "%s", e.msg);
    free(g);
}

Test(plot, chart_write_replaces_atomically) {
    char dir[] = "/tmp/rtviz-plot-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    char path[256], sub[256], cmd[512];
    snprintf(path, sizeof path, "%s/a.png", dir);
    PlotChart c;
    two_series(&c);
    RtErr e = {{0}};
    FILE *f = fopen(path, "w");
    fputs("old", f);
    fclose(f);
    cr_assert_eq(plot_chart_write(&c, path, &e), 0, "%s", e.msg);
    size_t n;
    uint8_t *png = slurp(path, &n);
    cairo_surface_t *s = decode(png, n);
    cr_assert_eq(cairo_image_surface_get_width(s), 900);
    cairo_surface_destroy(s);
    free(png);
    /* a directory is refused and kept; a bad chart leaves the old file */
    snprintf(sub, sizeof sub, "%s/d", dir);
    cr_assert_eq(mkdir(sub, 0755), 0);
    cr_assert_eq(plot_chart_write(&c, sub, &e), -1);
    cr_assert_not_null(strstr(e.msg, sub), "%s", e.msg);
    struct stat st;
    cr_assert_eq(stat(sub, &st), 0);
    cr_assert(S_ISDIR(st.st_mode));
    c.width = 10;
    cr_assert_eq(plot_chart_write(&c, path, &e), -1);
    png = slurp(path, &n);
    cr_assert_eq(memcmp(png, "\x89PNG", 4), 0, "the old PNG was lost");
    free(png);
    /* nothing but a.png and d are left (no temporary file) */
    snprintf(cmd, sizeof cmd, "test $(ls -A %s | wc -l) = 2", dir);
    cr_assert_eq(system(cmd), 0, "a temporary file was left in %s", dir);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    cr_assert_eq(system(cmd), 0);
}

Test(gallery, select_breaks_ties_by_stop_then_confidence) {
    /* activation ties everywhere: 0..3 at 10%, 4..7 at 90% */
    RtSweepOut so[8];
    uint8_t y[8] = {0, 1, 2, 3, 4, 5, 6, 7};
    memset(so, 0, sizeof so);
    const int stop[8] = {3, 2, 2, 2, 5, 6, 6, 6};
    const float conf[8] = {0.99f, 0.91f, 0.97f, 0.97f, 0.95f, 0.95f, 0.5f, 0.7f};
    for (int i = 0; i < 8; i++) {
        so[i].act_pct = i < 4 ? 10.0f : 90.0f;
        so[i].stop = stop[i];
        so[i].conf = conf[i];
        so[i].reached = 1;
        so[i].pred = i;
        so[i].active = i < 4 ? 3 : 20;
    }
    GalleryPick easy[8], hard[8];
    gallery_select(so, y, 8, 8, easy, hard);
    /* easy: 10% first; among them stop 2 before 3; among stop 2 the higher
     * confidence first; equal confidence by index */
    const int want_easy[8] = {2, 3, 1, 0, 4, 5, 7, 6};
    const int want_hard[8] = {6, 7, 5, 4, 0, 1, 2, 3};
    for (int i = 0; i < 8; i++) {
        cr_assert_eq(easy[i].index, want_easy[i], "easy[%d] = %d", i, easy[i].index);
        cr_assert_eq(hard[i].index, want_hard[i], "hard[%d] = %d", i, hard[i].index);
    }
    cr_assert_eq(easy[0].label, 2);
    cr_assert_float_eq(easy[0].act, 10.0f, 1e-6);
    cr_assert_eq(hard[0].active, 20);
    /* k larger than n is cut to n */
    gallery_select(so, y, 3, 12, easy, hard);
    cr_assert_eq(easy[0].index, 2);
    cr_assert_eq(hard[0].index, 0);
}
