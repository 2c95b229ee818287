/* app.h — the terminal UI's state and its parts: the key table (keys.c), the
 * terminal (term.c) and the loop (app.c). One App per run. */
#ifndef RTVIZ_TUI_APP_H
#define RTVIZ_TUI_APP_H

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>

#include "checkpoint.h"
#include "cmd/opts.h"
#include "dataset.h"
#include "trainer.h"
#include "tui.h"

typedef struct App {
    /* --- start settings and the engine (rebuilt by `R`) --- */
    Opts o;                /* parsed flags */
    Dataset ds;            /* the data (kept across restarts) */
    ModelConfig mc;        /* network shape */
    Model model;           /* the network, borrowed by the trainer */
    Adam adam0;            /* optimiser state from --model (if any) */
    int have_adam0;        /* adam0 is valid */
    TrainConfig tc;        /* trainer settings (seed, floor, ...) */
    Trainer *t;            /* the stepwise trainer */
    const ViewState *vs;   /* trainer_view(t) */
    const char *save_path; /* `S` writes here */
    char notice[256];      /* start-up notice (dataset fallback) */

    /* --- UI state --- */
    TuiView v;                  /* what the panes need besides the ViewState */
    int index;                  /* traced test index */
    int manual_step;            /* the user moved θ by hand: keep v.step */
    double anim_next;           /* time of the next animation step */
    double retrace_next;        /* time of the next refresh of the trace */
    int step_ms;                /* sweep animation pace */
    int help;                   /* `?` overlay shown */
    int help_scroll;            /* its first line shown */
    int quit;                   /* leave the loop */
    int full_redraw;            /* Ctrl-L / resize: repaint everything */
    uint8_t canvas[VS_MAX_PIX]; /* draw mode image */
    int painting;               /* mouse button held in draw mode */
    char status[256];           /* status line */
    double status_until;        /* when it expires */
    long eval_mark;             /* step count when the running test pass began */
    int eval_fresh;             /* last full pass saw the current weights */

    /* --- screen --- */
    Layout lo;               /* current layout */
    WINDOW *win[PANE_COUNT]; /* one window per pane */
    WINDOW *help_win;        /* the overlay */
    int mouse;               /* mouse enabled */
    NetPane net;             /* panes: own copies of what they draw */
    GaugePane gauge;
    ImagePane img;
    GalleryPane gal;
    ConfPane conf;
    StatsPane stats;

    /* --- the training thread (app.c) --- */
    pthread_t th;        /* runs trainer_step back to back */
    pthread_mutex_t mu;  /* guards the engine and this struct's engine fields */
    pthread_cond_t cv;   /* wakes the thread: resumed, UI done, stop */
    atomic_int ui_wants; /* the UI waits for the lock: yield after this minibatch */
    int th_stop;         /* leave the thread */

    /* --- timing (RTVIZ_FRAME_STATS) --- */
    FILE *fstats;                    /* frame log or NULL */
    double t_start;                  /* cmd_ui entry */
    double t_first_frame;            /* first doupdate, 0 before */
    long frames;                     /* frames drawn */
    double train_s, eval_s, draw_s;  /* time spent in each */
    double run_wall_s;               /* wall time while training (unpaused) */
    long samples;                    /* samples trained in this UI */
    double avg_step_s;               /* moving average of one trainer_step */
    double avg_draw_s;               /* moving average of a draw */
    double key_lat_sum, key_lat_max; /* key press → doupdate */
    long keys;                       /* keys handled */

    /* --- the alert (pane_alert.c): why training stopped, what to do --- */
    char alert[768];       /* its text (set under the lock), "" none */
    int alert_bad;         /* an error (red) rather than a notice */
    char alert_drawn[768]; /* the copy render() draws from */
    int alert_drawn_bad;   /* alert_bad of that copy */
    WINDOW *alert_win;     /* its window, NULL when none */
    Rect alert_r;          /* where alert_win is */
} App;

/* ---- keys.c: the one key table (dispatch, key line and help overlay) ---- */

enum { KM_ANY = 0, KM_NORMAL = 1, KM_DRAW = 2 }; /* mode a key works in */

typedef void (*KeyFn)(App *a, int key);
typedef struct {
    int key, key2;     /* curses key codes (key2 = alternative, 0 none) */
    int mode;          /* KM_ANY / KM_NORMAL / KM_DRAW */
    const char *name;  /* as shown: "space", "+/-" */
    const char *label; /* short, for the key line ("" = help only) */
    const char *help;  /* one line for the `?` overlay */
    KeyFn fn;          /* handler */
} KeyDef;

extern const KeyDef KEYS[];
extern const int NKEYS;

/* Legend lines of the help overlay (what everything on screen means). */
extern const char *const LEGEND[];
extern const int NLEGEND;

/* The help overlay's lines (pane_help.c): keys, then the legend, wrapped to
 * width cells. Fills up to max; returns the count of all. Pure. */
typedef struct {
    const char *key;  /* key name on its first line, else NULL */
    const char *text; /* start of this line's text */
    int len;          /* its length in bytes */
    int indent;       /* cells before the text */
    int role;         /* ColorRole of the text */
} HelpLine;
int help_lines(HelpLine *out, int max, int width);
/* Largest useful scroll offset of the overlay in rectangle r (0: all fits). */
int help_max_scroll(Rect r);

/* Find and run the handler of key ch; returns 1 if one ran. */
int keys_dispatch(App *a, int ch);

/* ---- app.c ---- */
void app_status(App *a, int bad, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Trace test image i (wraps) and animate its sweep. */
void app_trace_test(App *a, int i);
/* Trace the canvas (draw mode), showing its stop at once. */
void app_trace_canvas(App *a);
void app_replay(App *a);
void app_set_mouse(App *a);
int app_restart(App *a);
void app_save(App *a);
void app_paint(App *a, int py, int px, int strong);
void app_train_one(App *a); /* `.` while paused */
/* React to a trainer_step result: on a NaN/Inf rollback (rc 1) or an error
 * (rc -1) pause training and raise the alert that explains it; returns 1 then,
 * 0 for rc 0. Caller holds the lock. */
int app_step_result(App *a, int rc, const RtErr *e);
/* Hide the alert (training resumed, restarted, or Esc). */
void app_alert_clear(App *a);

/* Build model + trainer from the settings (a->o, a->mc, a->tc, a->ds). */
int app_engine_start(App *a, RtErr *e);
/* The loop, until `q` or a signal: 0, or -1 (message in a->notice). */
int app_run(App *a);
void app_free(App *a);

/* ---- term.c: terminal discipline ---- */
extern volatile sig_atomic_t tui_signal; /* SIGINT / SIGTERM seen */
/* Start curses (stderr goes to $RTVIZ_LOG or /dev/null meanwhile); 0 or -1
 * with msg filled. */
int tui_term_init(int no_color, int mouse, char *msg, size_t msglen);
/* Restore the terminal and stderr; safe to call twice (atexit does too). */
void tui_term_done(void);

#endif
