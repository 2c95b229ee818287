/* tui.h — the terminal front end: colour schemes, layout, drawing helpers and
 * the panes (htop-style meters: `*_update` copies what a pane needs from the
 * ViewState into the pane's own values, `*_draw` draws from those only).
 *
 * Everything here except the `*_draw` functions and tui_colors_init is pure
 * and unit tested (tests/ui/). */
#ifndef RTVIZ_TUI_H
#define RTVIZ_TUI_H

#include <stdint.h>

#define NCURSES_WIDECHAR 1
#include <curses.h>

#include "palette.h"
#include "viewstate.h"

/* ---------------------------------------------------------------- colours */

typedef enum { SCHEME_MONO = 0, SCHEME_8, SCHEME_256 } TuiScheme;

/* --no-color or a non-empty NO_COLOR → mono; else by the terminal's colours. */
TuiScheme tui_scheme_select(int no_color_flag, const char *no_color_env, int has_colors,
                            int ncolors);
/* Nearest xterm-256 palette index (cube 16..231 or grey 232..255) of an RGB. */
int tui_rgb_to_xterm256(Rgb c);
/* Set up colour pairs for a scheme (after initscr). */
void tui_colors_init(TuiScheme s);
TuiScheme tui_scheme(void);
/* Attributes (pair + A_BOLD/A_DIM/A_REVERSE) that draw a role in the scheme. */
attr_t tui_attr(ColorRole r);
/* Image pixels: grey levels, and the pair for a half-block cell (top pixel as
 * foreground, bottom as background). 0 when the scheme has no grey ramp. */
#define TUI_GREYS 12
int tui_grey_level(uint8_t v); /* 0..TUI_GREYS-1 */
attr_t tui_grey_pair(int top, int bottom);
/* 1 when the terminal can show UTF-8 glyphs. */
extern int tui_utf8;

/* ---------------------------------------------------------------- layout */

typedef struct {
    int y, x, h, w; /* top-left corner and size in cells */
} Rect;

typedef enum {
    PANE_GAUGE = 0, /* θ / τ / floor gauge, across the top */
    PANE_NETWORK,   /* layers of blocks, gates, router and class nodes */
    PANE_IMAGE,     /* the traced image, its bars and numbers (draw canvas) */
    PANE_STATS,     /* training numbers and sparklines */
    PANE_LOWER,     /* gallery or confusion matrix */
    PANE_KEYS,      /* the key line, bottom row */
    PANE_COUNT
} PaneId;

typedef enum { LAYOUT_TOO_SMALL = 0, LAYOUT_COMPACT, LAYOUT_FULL } LayoutMode;

#define LAYOUT_MIN_W   64 /* below this (or LAYOUT_MIN_H) "enlarge to W×H" */
#define LAYOUT_MIN_H   20
#define LAYOUT_FULL_W  120
#define LAYOUT_FULL_H  40
#define LAYOUT_RIGHT_W 58 /* right column (image, stats) in the full layout */

typedef struct {
    LayoutMode mode;      /* full, compact or too small */
    int rows, cols;       /* terminal size it was made for */
    int show[PANE_COUNT]; /* 1 if the pane is on screen */
    Rect r[PANE_COUNT];   /* its rectangle (valid when shown) */
    Rect help;            /* the `?` overlay, centred */
} Layout;

/* Pane rectangles for a rows×cols terminal. lower_view: in the compact layout
 * the gallery / confusion matrix replaces network and image (`g`); in the full
 * layout it always has its strip. Pure. */
void tui_layout(Layout *lo, int rows, int cols, int lower_view);
int rect_contains(Rect r, int y, int x);
int rect_overlap(Rect a, Rect b);

/* ---------------------------------------------------------------- helpers */

/* 8-level sparkline of the last values of v[n] into idx[width] (0..7, -1 for
 * no data, right-aligned). lo/hi: scale; when lo >= hi the data's own range
 * is used. Returns the number of cells filled. Pure. */
int tui_sparkline(const float *v, int n, int width, float lo, float hi, int *idx);

/* Box-average resample of a ch×h×w uint8 image (grey = channel mean) into
 * oh×ow. Pure. */
void tui_resample(const uint8_t *pix, int ch, int h, int w, uint8_t *out, int oh, int ow);

/* Draw helpers (window-relative coordinates). */
/* The box lines of r in attribute a (no title). */
void tui_frame(WINDOW *win, Rect r, attr_t a);
void tui_box(WINDOW *win, Rect r, const char *title, int focus);
void tui_text(WINDOW *win, int y, int x, int maxw, attr_t a, const char *s);
void tui_textf(WINDOW *win, int y, int x, int maxw, attr_t a, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
/* Half-block image of oh*2 × ow pixels (already resampled) at y, x: ow cells
 * wide, oh cells high. ASCII shading when the scheme has no grey ramp. */
void tui_image(WINDOW *win, int y, int x, const uint8_t *px, int oh2, int ow);
/* A horizontal bar of value v in [0,1] over width cells (eighth blocks). */
void tui_bar(WINDOW *win, int y, int x, int width, float v, attr_t a);
/* The glyph of sparkline level k (0..7). */
const char *tui_spark_glyph(int k);
/* Display width of a UTF-8 string (each code point counts one cell). */
int tui_strwidth(const char *s);

/* ---------------------------------------------------------------- UI state */

/* What the panes need besides the ViewState: the UI's own state. */
typedef struct {
    int step;                /* trace step shown (animation or ←/→) */
    int animating;           /* sweep animation running */
    int paused;              /* training paused */
    int draw_mode;           /* `d`: painting an image */
    int cur_y, cur_x;        /* draw-mode cursor (pixel) */
    int lower_view;          /* compact: gallery/confusion replaces network+image */
    int confusion;           /* lower slot shows the confusion matrix instead of the gallery */
    int gallery_sel;         /* gallery cell traced (0..23) or -1 */
    int floor_changed;       /* the floor was changed by the user (say so) */
    const char *status;      /* status line text ("" none) */
    int status_bad;          /* status is an error */
    int mlp_width[RT_MAX_L]; /* MLP: hidden layer widths (from the model config), 0 unknown */
} TuiView;

/* ---------------------------------------------------------------- panes */

typedef struct {
    int valid;              /* a trace is there */
    int arch;               /* ARCH_RT / ARCH_MLP */
    int L, B, C;            /* shape */
    float theta;            /* θ of the shown step */
    float router[RT_MAX_B]; /* input gates into layer 1 */
    float rate[RT_MAX_L][RT_MAX_B];
    uint8_t active[RT_MAX_L][RT_MAX_B];
    float gate[RT_MAX_L][RT_MAX_B][RT_MAX_C > RT_MAX_B ? RT_MAX_C : RT_MAX_B];
    float flow[RT_MAX_C];            /* class flows o_c */
    float share[RT_MAX_L][RT_MAX_B]; /* training activity share per block */
    int nactive;                     /* active blocks at this step */
    int pred;                        /* argmax p (-1 none) */
    char names[RT_MAX_C][16];        /* class names */
    int width[RT_MAX_L];             /* MLP: hidden layer widths (0 unknown) */
    long params;                     /* parameters in all */
    int D;                           /* inputs */
} NetPane;
void net_update(NetPane *p, const ViewState *vs, const TuiView *v);
void net_draw(const NetPane *p, WINDOW *w, Rect r);
/* Column x (relative to the pane's inner left) of layer column c (0 router,
 * 1..L layers, L+1 classes) for an inner width; pure, used by draw and tests. */
int net_col_x(int c, int ncols, int inner_w, int blk_w, int cls_w);

typedef struct {
    int nsched;             /* effective schedule length */
    float sched[SCHED_MAX]; /* its θ values */
    float theta;            /* θ of the shown step */
    int step, stop;         /* shown step, stop step */
    float tau, floor;       /* τ, θ floor */
    int animating;          /* sweep running */
    int floor_changed;      /* say that training continues under the new floor */
    int arch;               /* ARCH_MLP: no θ to show */
} GaugePane;
void gauge_update(GaugePane *p, const ViewState *vs, const TuiView *v);
void gauge_draw(const GaugePane *p, WINDOW *w, Rect r);
/* Column of schedule step `step` (of nsteps, evenly spaced) on a gauge of
 * `width` cells. Pure. */
int gauge_x(int step, int nsteps, int width);

typedef struct {
    int valid;                   /* a trace is there */
    int ch, h, w;                /* image shape */
    uint8_t pix[VS_MAX_PIX];     /* the image */
    int label, index;            /* true label (-1 none), test index (-1 drawn) */
    int C;                       /* classes */
    char names[RT_MAX_C][16];    /* class names */
    float prob[RT_MAX_C];        /* p at the shown step */
    float mass;                  /* M at the shown step */
    int pred;                    /* argmax (-1 unreached) */
    float act_pct;               /* activation % at the shown step */
    int nactive, nblocks;        /* active / all blocks */
    float theta, stop_theta;     /* shown θ, θ at the stop */
    int step, stop;              /* shown step, stop step */
    int draw_mode, cur_y, cur_x; /* canvas and its cursor */
    int arch;                    /* ARCH_MLP: layers instead of blocks, no sweep */
} ImagePane;
void image_update(ImagePane *p, const ViewState *vs, const TuiView *v);
void image_draw(const ImagePane *p, WINDOW *w, Rect r);
/* Pixel under a click at pane-relative (y, x), for the canvas; -1 if none.
 * Pure (uses the same geometry as image_draw). */
int image_hit(const ImagePane *p, Rect r, int y, int x, int *py, int *px);

typedef struct {
    int valid;                          /* gallery filled by a test pass */
    int ch, h, w;                       /* image shape */
    VsGalleryItem item[2 * VS_GALLERY]; /* easy 0..11, hard 12..23 */
    int sel;                            /* highlighted cell or -1 */
    char names[RT_MAX_C][16];           /* class names */
    int arch;                           /* ARCH_MLP: one group (no easy / hard split) */
} GalleryPane;
typedef struct {
    int cell_w, cell_h; /* one cell: thumbnail + caption */
    int tw, th;         /* thumbnail size in cells (th rows = 2*th pixels) */
    int per_row;        /* cells per row (VS_GALLERY when it fits) */
    int rows_per_group; /* rows of cells per group (easy / hard) */
    int y0[2], x0;      /* first cell of each group, pane-relative */
} GalleryGeom;
void gallery_update(GalleryPane *p, const ViewState *vs, const TuiView *v);
void gallery_draw(const GalleryPane *p, WINDOW *w, Rect r);
void gallery_geom(Rect r, GalleryGeom *g);
/* Gallery cell (0..23) at pane-relative (y, x), -1 if none. Pure. */
int gallery_hit(Rect r, int y, int x);

typedef struct {
    int valid;                 /* a test pass is done */
    int C;                     /* classes */
    int m[RT_MAX_C][RT_MAX_C]; /* [true][pred] */
    float class_act[RT_MAX_C]; /* mean activation % per true class */
    char names[RT_MAX_C][16];  /* class names */
    int n;                     /* samples in the pass */
    float acc;                 /* test accuracy % */
} ConfPane;
void conf_update(ConfPane *p, const ViewState *vs, const TuiView *v);
void conf_draw(const ConfPane *p, WINDOW *w, Rect r);

typedef struct {
    int epoch;                                                 /* completed epochs */
    double epoch_frac;                                         /* progress within the epoch */
    long step;                                                 /* minibatches */
    int paused;                                                /* paused */
    float sps, loss, train_acc, test_acc, act_mean, lr, floor; /* numbers shown */
    long unreached, unreached_total;                           /* samples without an answer */
    int nloss, nacc;                                           /* history lengths */
    float loss_hist[VS_HIST], acc_hist[VS_HIST];
    char message[256]; /* engine notice or UI status */
    int message_bad;   /* draw the message as an error */
    int floor_changed; /* training continues under the new floor */
    char dataset[32];  /* dataset name */
    long params_total; /* parameters */
    int arch, L, B;    /* shape */
} StatsPane;
void stats_update(StatsPane *p, const ViewState *vs, const TuiView *v);
void stats_draw(const StatsPane *p, WINDOW *w, Rect r);

/* The alert: a boxed note over the middle of the screen (a NaN/Inf rollback
 * paused training, or an engine error). */
/* Word-wrap s into lines of at most width cells; '\n' breaks a line ("\n\n"
 * leaves an empty one). Line i is s[start[i], start[i] + len[i]) (bytes);
 * only the first max are stored, the count of all is returned. Pure. */
int tui_wrap(const char *s, int width, int *start, int *len, int max);
/* The alert box for text, centred in a rows×cols screen. Pure. */
Rect tui_alert_rect(int rows, int cols, const char *text);
void alert_draw(WINDOW *w, Rect r, const char *title, const char *text, int bad);
/* The explanation of an engine NaN/Inf message ("step N: WHAT became NaN/Inf;
 * UNDO, learning rate halved A -> B") for the alert (out) and the status line
 * (brief). Returns 1 when the message had that form. Pure. */
int tui_nan_notice(const char *engine_msg, char *out, size_t n, char *brief, size_t bn);

/* Key line and help overlay: both generated from the key table (keys.c). */
void keys_draw_line(WINDOW *w, Rect r, int draw_mode);
/* scroll: first line shown (clamped); see help_lines / help_max_scroll in app.h. */
void help_draw(WINDOW *w, Rect r, int draw_mode, int scroll);
/* "enlarge to W×H" centred in an otherwise empty screen. */
void tui_draw_too_small(WINDOW *w, int rows, int cols);

#endif
