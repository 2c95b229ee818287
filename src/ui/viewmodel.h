/* viewmodel.h — what every front end draws, without curses or SDL.
 *
 * htop's meters: a pane model's `*_update` copies what the pane needs from a
 * ViewState snapshot (session_snapshot) and the front-end-neutral UiState
 * into the pane's own values; a renderer (tui/, later sdl/ and PNG) draws
 * from those only. Derived values (argmax, number formats, the alert's
 * wording) and geometry are computed here once, in abstract units: the
 * caller gives a rectangle in its own units (terminal cells, window pixels)
 * and gets positions in the same units, so the terminal, an SDL window and a
 * PNG renderer draw the same numbers.
 *
 * Everything here is pure and unit tested (tests/ui/). */
#ifndef RTVIZ_VIEWMODEL_H
#define RTVIZ_VIEWMODEL_H

#include <stddef.h>
#include <stdint.h>

#include "palette.h"
#include "viewstate.h"

/* ---------------------------------------------------------------- geometry */

typedef struct {
    int y, x, h, w; /* top-left corner and size, in the caller's units */
} Rect;

int rect_contains(Rect r, int y, int x);
int rect_overlap(Rect a, Rect b);

/* ---------------------------------------------------------------- UI state */

#define UI_STATUS_S 4.0 /* seconds a status message stays */

/* The front-end-neutral UI state: what is shown and how, besides the
 * ViewState. Actions (actions.h) change it; the pane updates read it. */
typedef struct {
    /* --- the sweep shown --- */
    int step;            /* trace step shown (animation or ←/→) */
    int animating;       /* sweep animation running */
    int manual_step;     /* θ moved by hand: keep `step` across re-traces */
    double anim_next;    /* time of the next animation step */
    double retrace_next; /* time of the next periodic re-trace */
    int step_ms;         /* animation pace, ms per θ step */
    int anim_pending;    /* on the next new trace: 1 animate its sweep, 2 show its stop */
    uint64_t trace_seen; /* trace_serial of the trace the shown step belongs to */

    /* --- the subject --- */
    int index;                  /* traced test index */
    int draw_mode;              /* painting an image */
    int cur_y, cur_x;           /* draw-mode cursor (pixel) */
    uint8_t canvas[VS_MAX_PIX]; /* the drawn image, ch*h*w */
    int painting;               /* pointer button held in draw mode */
    char loaded[64];            /* the image file the canvas was loaded from ("" drawn) */
    int loaded_live;            /* the canvas is that file as loaded (not retouched yet) */
    int load_ask;               /* `l`: the front end is to ask for a path (it clears this) */

    /* --- views --- */
    int compact;       /* the front end shows gallery/confusion instead of network+image */
    int lower_view;    /* compact: gallery/confusion replaces network and image */
    int confusion;     /* the lower slot shows the confusion matrix, not the gallery */
    int gallery_sel;   /* gallery cell traced (0..2*VS_GALLERY-1) or -1 */
    int floor_changed; /* the user changed the floor (say so) */
    int help;          /* the help overlay is shown */
    int help_scroll;   /* its first line shown */
    int help_page;     /* lines per page (the front end sets it) */
    int help_max;      /* largest useful help_scroll (the front end sets it) */
    int mouse;         /* pointer input is on */

    /* --- messages --- */
    char status[256];      /* the status line ("" none) */
    int status_bad;        /* it is an error */
    double status_until;   /* when it expires */
    char notice[256];      /* start-up notice (shown when no status) */
    uint64_t alert_hidden; /* alert key hidden by Esc (vm_alert), 0 none */
    uint64_t lr_serial;    /* the last plateau cut said */

    /* --- pace --- */
    int pace;         /* training minibatches per second, 0 = full speed (the Session's) */
    int sweep_manual; /* step mode: the sweep waits for → at every θ (no animation) */
    int keys_page;    /* the key line's page (Tab), taken modulo the pages there are */

    /* --- quitting and saving --- */
    long saved_step; /* training step last saved (or loaded); -1: nothing of this run saved */
    int quit_ask;    /* q was pressed with unsaved training: q or y again quits */
} UiState;

/* Defaults: test image 0, network view, nothing animating. */
void ui_state_init(UiState *u, int step_ms);
/* The training pace ladder ([ ]): minibatches per second, 0 = full speed
 * (the top); and the sweep speed ladder (< >): milliseconds per θ step.
 * vm_pace_next / vm_sweep_next step along them from any value (dir ±1). */
int vm_pace_next(int pace, int dir);
int vm_sweep_next(int step_ms, int dir);
/* "full speed" or "5/s": the pace as the screen says it. */
void vm_fmt_pace(char *buf, size_t n, int pace);
/* Set the status line (expires UI_STATUS_S after now). */
void ui_status(UiState *u, double now, int bad, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* The status shown now: a fresh status, else the alert's one-liner, else
 * the notice, else the engine's message. */
const char *ui_status_shown(const UiState *u, const ViewState *vs, double now, int *bad);
/* Start the sweep animation of the trace in vs (at step 0, or at its stop
 * when it has nothing to animate). */
void ui_start_anim(UiState *u, const ViewState *vs, double now);
/* Take in a fresh snapshot's trace (start the pending animation, or keep
 * the shown step valid after a re-trace), then advance the animation when
 * its step is due. Returns 1 when the shown step changed. */
int ui_animate(UiState *u, const ViewState *vs, double now);
/* 1 when the periodic re-trace (fresh weights on the same subject, every
 * second while training runs and no animation plays) is due; schedules the
 * next one. */
int ui_retrace_due(UiState *u, const ViewState *vs, double now);
/* React to news in a fresh snapshot (a plateau cut of the learning rate
 * becomes a status line). */
void ui_observe(UiState *u, const ViewState *vs, double now);

/* ---------------------------------------------------------------- values */

/* Index of the largest of p[0..n) (the first on ties), -1 when n < 1: the
 * engine's rt_argmax. */
int vm_argmax(const float *p, int n);
/* The prediction at trace step s: argmax p, -1 when no ray reached (M = 0). */
int vm_trace_pred(const RtTrace *t, int s);
/* A rate or probability in [0,1] in 3 characters: ".12", "1.0"; a value above
 * 0 but under .005 is "<.01" (4), never ".00". */
void vm_fmt_rate(char *buf, size_t n, float r);
/* A θ tick label: ".50", ".05" → ".050"... as the gauge shows it: "0" for 0,
 * ".NN" at or above 0.1, ".NNN" below. */
void vm_fmt_theta(char *buf, size_t n, float th);
/* 8-level sparkline of the last values of v[n] into idx[width] (0..7, -1 for
 * no data, right-aligned). lo/hi: scale; when lo >= hi the data's own range
 * is used. Returns the number of cells filled. */
int vm_sparkline(const float *v, int n, int width, float lo, float hi, int *idx);
/* Box-average resample of a ch×h×w uint8 image (grey = channel mean) into
 * oh×ow. */
void vm_resample(const uint8_t *pix, int ch, int h, int w, uint8_t *out, int oh, int ow);

/* The alert: why training stopped and what to do. Returns 1 when one is to
 * be shown (a NaN/Inf pause, or an engine error, not hidden by Esc), with
 * its text, title, whether it is an error, the one-line brief for the
 * status line, and its key (for UiState.alert_hidden). */
int vm_alert(const ViewState *vs, const UiState *u, char *text, size_t n, const char **title,
             int *bad, char *brief, size_t bn, uint64_t *key);
/* The wording of a NaN/Inf event for the alert (out) and the status line
 * (brief). Returns 1. */
int vm_nan_notice(const VsNanEvent *ev, char *out, size_t n, char *brief, size_t bn);
/* The wording of a pause for another reason (msg as it is). Returns 0. */
int vm_pause_notice(const char *msg, char *out, size_t n, char *brief, size_t bn);

/* Word-wrap s into lines of at most width cells; '\n' breaks a line ("\n\n"
 * leaves an empty one). Line i is s[start[i], start[i] + len[i]) (bytes);
 * only the first max are stored, the count of all is returned. */
int vm_wrap(const char *s, int width, int *start, int *len, int max);
/* Display width of a UTF-8 string in cells: wcwidth of each code point, or,
 * when vm_ascii is set (no UTF-8 terminal), the width of its ASCII stand-in
 * (θ "theta", τ "tau", → "->", ✓ "ok", ▀ "#", …). */
int vm_strwidth(const char *s);
extern int vm_ascii;
/* The first len bytes of in with every non-ASCII glyph replaced by its ASCII
 * stand-in, into out (n bytes, NUL-terminated); returns its length. */
size_t vm_to_ascii(const char *in, size_t len, char *out, size_t n);
/* Bytes of s that fill at most `cells` cells (never splitting a character). */
int vm_prefix_bytes(const char *s, int cells);

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
    long router_params;              /* the router's parameters */
    long block_params[RT_MAX_L];     /* parameters of one block of each layer */
} NetPane;
/* Gates weaker than this are not drawn (a network of near-uniform gates would
 * be a blur of lines). */
#define VM_GATE_MIN 0.05f
/* Parameters of one RT block of layer l (0-based) of a D-input network of L
 * layers of B blocks H wide and C classes: W1 din×H, b1, W2 H×K, b2 (K = B,
 * or C for the last layer); the router D×B + B. As the engine lays them out. */
long vm_block_params(int l, int L, int B, int H, int D, int C);
long vm_router_params(int B, int D);
void net_update(NetPane *p, const ViewState *vs, const UiState *u);
/* Column x (relative to the pane's inner left) of layer column c (0 router,
 * 1..L layers, L+1 classes) for an inner width; blocks blk_w wide, the class
 * column cls_w, the router 3. */
int net_col_x(int c, int ncols, int inner_w, int blk_w, int cls_w);
/* Row of item i of n spread over rows [0, avail). */
int net_spread(int i, int n, int avail);

/* Where the network's nodes go inside a rectangle `in` (absolute units). */
typedef struct {
    int bw, cls_w;        /* block and class column widths */
    int avail;            /* rows for nodes (the last row is the caption) */
    int two_rows;         /* a share row under each block fits */
    int ry;               /* the router's row */
    int by[RT_MAX_B];     /* block rows (the same in every layer) */
    int cy[RT_MAX_C];     /* class rows */
    int cx[RT_MAX_L + 2]; /* column x: 0 router, 1..L layers, L+1 classes */
    int top, bot;         /* MLP: the columns' first and last rows */
} NetGeom;
void net_geom(const NetPane *p, Rect in, NetGeom *g);

typedef struct {
    int nsched;             /* effective schedule length */
    float sched[SCHED_MAX]; /* its θ values */
    float theta;            /* θ of the shown step */
    int step, stop;         /* shown step, stop step */
    float tau, floor;       /* τ, θ floor */
    int animating;          /* sweep running */
    int floor_changed;      /* say that training continues under the new floor */
    int arch;               /* ARCH_MLP: no θ to show */
    int step_ms;            /* the sweep's speed, ms per θ step */
    int sweep_manual;       /* step mode: → shows the next θ */
    float cliff;            /* the floor's cliff (ViewState.floor_cliff), -1 unknown */
} GaugePane;
void gauge_update(GaugePane *p, const ViewState *vs, const UiState *u);
/* Position of schedule step `step` (of nsteps, evenly spaced) on a gauge
 * `width` units long: its tick. */
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
    char note[64];               /* draw mode: that the prediction is live ("" none) */
    char source[80];             /* draw mode: "drawn", "shoe.png", "shoe.png, retouched" */
} ImagePane;
void image_update(ImagePane *p, const ViewState *vs, const UiState *u);
/* Where the image goes inside pane rectangle r (top-left, size in units,
 * one unit column per pixel column at most, two pixel rows per unit row). */
void image_geom(const ImagePane *p, Rect r, int *gy, int *gx, int *rows, int *cols);
/* Pixel under pane-relative (y, x), for the canvas: 0 and *py, *px, or -1. */
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
    int tw, th;         /* thumbnail size (th rows = 2*th pixels) */
    int per_row;        /* cells per row (VS_GALLERY when it fits) */
    int rows_per_group; /* rows of cells per group (easy / hard) */
    int y0[2], x0;      /* first cell of each group, pane-relative */
    int shown;          /* cells shown per group: VS_GALLERY, or fewer and bigger when narrow */
} GalleryGeom;
void gallery_update(GalleryPane *p, const ViewState *vs, const UiState *u);
void gallery_geom(Rect r, GalleryGeom *g);
/* Gallery cell (0..23) at pane-relative (y, x), -1 if none. */
int gallery_hit(Rect r, int y, int x);

typedef struct {
    int valid;                 /* a test pass is done */
    int C;                     /* classes */
    int m[RT_MAX_C][RT_MAX_C]; /* [true][pred] */
    float class_act[RT_MAX_C]; /* mean activation % per true class */
    char names[RT_MAX_C][16];  /* class names */
    int n;                     /* samples in the pass */
    float acc;                 /* test accuracy % */
    int maxoff;                /* the largest off-diagonal count (at least 1) */
} ConfPane;
void conf_update(ConfPane *p, const ViewState *vs, const UiState *u);
/* Role of cell [t][q]: dim zero, a correct count, a large or small confusion. */
ColorRole conf_role(const ConfPane *p, int t, int q);

typedef struct {
    int epoch;                                                 /* completed epochs */
    double epoch_frac;                                         /* progress within the epoch */
    long step;                                                 /* minibatches */
    int paused;                                                /* paused or stopped */
    float sps, loss, train_acc, test_acc, act_mean, lr, floor; /* numbers shown */
    long unreached, unreached_total;                           /* samples without an answer */
    int nloss, nacc;                                           /* history lengths */
    float loss_hist[VS_HIST], acc_hist[VS_HIST];
    int lr_cuts;          /* plateau halvings so far */
    int plateau;          /* passes without a new best */
    int plateau_limit;    /* passes before a halving */
    char message[256];    /* engine notice or UI status */
    int message_bad;      /* draw the message as an error */
    int floor_changed;    /* training continues under the new floor */
    char dataset[32];     /* dataset name */
    long params_total;    /* parameters */
    int arch, L, B;       /* shape */
    int pace;             /* minibatches per second, 0 full speed */
    long unreached_since; /* step the unreached total counts from (0: the start) */
} StatsPane;
/* The warning when most training samples reach no output (a floor above the
 * cliff): what it means and the key that undoes it. 1 and text, or 0. */
int vm_unreached_warning(const ViewState *vs, char *buf, size_t n);
/* status: the line to show (ui_status_shown), bad: it is an error. */
void stats_update(StatsPane *p, const ViewState *vs, const UiState *u, const char *status, int bad);

/* All panes of one frame. */
typedef struct {
    NetPane net;
    GaugePane gauge;
    ImagePane img;
    GalleryPane gal;
    ConfPane conf;
    StatsPane stats;
    int alert;               /* an alert is shown */
    int alert_bad;           /* it is an error */
    const char *alert_title; /* its title */
    char alert_text[768];    /* its text */
} VmPanes;
/* Update every pane from vs and u at time now. */
void vm_update(VmPanes *p, const ViewState *vs, const UiState *u, double now);

#endif
