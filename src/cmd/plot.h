/* plot.h — figures for slides and reports, drawn with cairo: a scatter/line
 * chart (the paper's Figure 2) and an image grid (Figure 3), rendered to PNG
 * in memory and written atomically.
 *
 * Text is cairo's toy text API with "DejaVu Sans" (Debian's fonts-dejavu-core,
 * found through fontconfig), anti-aliased. Nothing here prints or exits:
 * functions return 0 or -1 with an RtErr. */
#ifndef RTVIZ_PLOT_H
#define RTVIZ_PLOT_H

#include <stddef.h>
#include <stdint.h>

#include "common.h"

#define PLOT_FONT       "DejaVu Sans"
#define PLOT_MAX_SERIES 16
#define PLOT_MAX_POINTS 32
#define PLOT_MAX_COLORS 8

enum { PLOT_CIRCLE = 0, PLOT_TRIANGLE = 1 };

typedef struct {
    double x, y;     /* the point (x > 0 on a log axis) */
    double xlo, xhi; /* horizontal error bar; NAN (either) for none */
    double ylo, yhi; /* vertical error bar; NAN (either) for none */
} PlotPoint;

typedef struct {
    char label[64];                /* legend text */
    int marker;                    /* PLOT_CIRCLE or PLOT_TRIANGLE */
    int color;                     /* palette index, 0..PLOT_MAX_COLORS-1 (wraps) */
    int dashed;                    /* joining line dashed */
    int n;                         /* points, joined in the order given */
    PlotPoint pt[PLOT_MAX_POINTS]; /* n of them */
} PlotSeries;

typedef struct {
    int width, height; /* pixels (at least 320 x 240) */
    char title[128];   /* drawn at the top */
    char xlabel[96];   /* under the x axis */
    char ylabel[96];   /* beside the y axis, rotated */
    char caption[512]; /* small text under the chart, word-wrapped; "" for none */
    int logx;          /* x axis logarithmic (every x must be > 0) */
    int nseries;       /* series */
    PlotSeries s[PLOT_MAX_SERIES];
} PlotChart;

/* One picture of an image grid: the image and a line of text above and under it. */
typedef struct {
    const uint8_t *pix; /* ch*h*w bytes, channel-major (CHW), 0..255; borrowed */
    char top[32];       /* e.g. "12.4%" */
    char bottom[64];    /* e.g. "Sneaker" or "Shirt → Coat" */
    int alert;          /* draw the bottom line in the alert colour (a wrong answer) */
} PlotCell;

#define PLOT_GRID_GROUPS 2
#define PLOT_GRID_CELLS  12
#define PLOT_GRID_COLS   6

/* Groups of up to 12 images, each drawn as rows of 6 under its own heading. */
typedef struct {
    char title[128];                    /* drawn at the top */
    char caption[768];                  /* under the grid, word-wrapped */
    int ch, h, w;                       /* image shape (ch 1 or 3, h, w <= 64) */
    int ngroups;                        /* 1..PLOT_GRID_GROUPS */
    char heading[PLOT_GRID_GROUPS][96]; /* each group's heading */
    int ncells[PLOT_GRID_GROUPS];       /* 0..PLOT_GRID_CELLS */
    PlotCell cell[PLOT_GRID_GROUPS][PLOT_GRID_CELLS];
} PlotGrid;

/* The palette colour i (wraps), as 0..1 RGB. */
void plot_color(int i, double rgb[3]);

/* "Nice" tick values for a linear axis covering [lo, hi]: about `want` ticks
 * at a step of 1, 2, 2.5 or 5 x 10^k. Writes up to max values, returns the
 * count; *step gets the step. */
int plot_ticks_linear(double lo, double hi, int want, double *out, int max, double *step);

/* Ticks of a log axis covering [lo, hi] (0 < lo < hi): 1, 2, 5 x 10^k, or
 * every 1..9 x 10^k when that gives fewer than 3. Returns the count. */
int plot_ticks_log(double lo, double hi, double *out, int max);

/* A tick label: "20k", "1.5M", "0.25", "88". step is the tick step (linear),
 * or 0 for a log axis (SI suffixes). */
void plot_tick_label(double v, double step, char *buf, size_t n);

/* Render to PNG bytes: *png is malloc'd (free it), *len its size. */
int plot_chart_png(const PlotChart *c, uint8_t **png, size_t *len, RtErr *e);
int plot_grid_png(const PlotGrid *g, uint8_t **png, size_t *len, RtErr *e);

/* The pixel size plot_grid_png will produce for g. */
void plot_grid_size(const PlotGrid *g, int *width, int *height);

/* Render and write to path atomically (aw_write_file, atomicio.h). */
int plot_chart_write(const PlotChart *c, const char *path, RtErr *e);
int plot_grid_write(const PlotGrid *g, const char *path, RtErr *e);

#endif
