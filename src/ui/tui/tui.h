/* tui.h — the terminal front end: colour schemes, layout, drawing helpers and
 * the pane renderers. The pane models and their updates live in the view
 * model (viewmodel.h, curses-free); `*_draw` here draws a pane model only.
 *
 * Everything here except the drawing functions and tui_colors_init is pure
 * and unit tested (tests/ui/). */
#ifndef RTVIZ_TUI_H
#define RTVIZ_TUI_H

#include <stdint.h>

#define NCURSES_WIDECHAR 1
#include <curses.h>

#include "palette.h"
#include "viewmodel.h"

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

/* ---------------------------------------------------------------- helpers */

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

/* ---------------------------------------------------------------- panes */

/* Each draws its pane model (viewmodel.h) into rectangle r of window w. */
void net_draw(const NetPane *p, WINDOW *w, Rect r);
void gauge_draw(const GaugePane *p, WINDOW *w, Rect r);
void image_draw(const ImagePane *p, WINDOW *w, Rect r);
void gallery_draw(const GalleryPane *p, WINDOW *w, Rect r);
void conf_draw(const ConfPane *p, WINDOW *w, Rect r);
void stats_draw(const StatsPane *p, WINDOW *w, Rect r);

/* The alert: a boxed note over the middle of the screen (a NaN/Inf rollback
 * paused training, or an engine error). */
/* The alert box for text, centred in a rows×cols screen. Pure. */
Rect tui_alert_rect(int rows, int cols, const char *text);
void alert_draw(WINDOW *w, Rect r, const char *title, const char *text, int bad);
/* Key line and help overlay: both generated from the key table (keys.c). */
/* page: UiState.keys_page (taken modulo the pages). */
void keys_draw_line(WINDOW *w, Rect r, int draw_mode, int page);
/* Pages the key line needs at `width` cells (1: every key fits before
 * `? help  q quit`; else Tab pages through them). Pure. */
int keys_line_pages(int width, int draw_mode);
/* scroll: first line shown (clamped); see help_lines / help_max_scroll in app.h. */
void help_draw(WINDOW *w, Rect r, int draw_mode, int scroll);
/* "enlarge to W×H" centred in an otherwise empty screen. */
void tui_draw_too_small(WINDOW *w, int rows, int cols);

#endif
