/* app.h — the terminal front end's state and its parts: the key bindings
 * (keys.c: curses keys → actions), the terminal (term.c) and the loop
 * (app.c). It sees the engine only through the Session and the view model. */
#ifndef RTVIZ_TUI_APP_H
#define RTVIZ_TUI_APP_H

#include <signal.h>
#include <stdio.h>

#include "actions.h"
#include "prompt.h"
#include "sdl/window.h"
#include "session.h"
#include "tui.h"
#include "tutorial.h"
#include "viewmodel.h"

typedef struct App {
    Session *s;   /* the run */
    ViewState vs; /* the latest snapshot (session_snapshot) */
    UiState u;    /* what is shown and how */
    VmPanes pm;   /* the pane models drawn (vm_update) */
    int quit;     /* leave the loop (2: with an error, in err) */
    char err[256];

    /* --- screen --- */
    Layout lo;               /* current layout */
    WINDOW *win[PANE_COUNT]; /* one window per pane */
    WINDOW *help_win;        /* the overlay */
    WINDOW *alert_win;       /* the alert's window, NULL when none */
    Rect alert_r;            /* where alert_win is */
    int full_redraw;         /* Ctrl-L / resize / relayout: repaint everything */
    int mouse;               /* mouse enabled */

    /* --- the path prompt of `l` (prompt.h), over the key line --- */
    Prompt pr;                 /* its text, completion and list */
    int pr_dirty;              /* redraw the key line (the prompt opened, changed or closed) */
    WINDOW *list_win;          /* the list of matches above it, NULL when not listed */
    Rect list_r;               /* where list_win is */
    char load_dir[PROMPT_MAX]; /* the directory of the last path loaded (the next prompt's text) */

    /* --- the tutorial (rtviz --tutorial; pane_tutorial.c) --- */
    Tutorial *tut;       /* the chapters, NULL without --tutorial */
    Scenario base;       /* the command line's settings a chapter keeps (pace, threads, save) */
    WINDOW *tut_win;     /* the chapter pane */
    SdlWin *sdl;         /* --sdl: the projector window on a->s, NULL without */
    SdlWinOpts sdl_opts; /* how it was opened (a chapter reopens it on its new Session) */
    Rect tut_r;          /* where it is */
    int tut_show;        /* it is on screen */
    int tut_dirty;       /* redraw it */
    int chapter_pending; /* a chapter was chosen: open its scenario after the key */

    /* --- timing (RTVIZ_FRAME_STATS) --- */
    FILE *fstats;                    /* frame log or NULL */
    double t_start;                  /* cmd_ui entry */
    double t_first_frame;            /* first doupdate, 0 before */
    long frames;                     /* frames drawn */
    double draw_s;                   /* time spent drawing */
    double avg_draw_s;               /* moving average of a draw */
    double key_lat_sum, key_lat_max; /* key press → doupdate */
    long keys;                       /* keys handled */
} App;

/* ---- keys.c: curses keys → actions (the key line and help come from
 * these bindings and the action table) ---- */

enum { KM_ANY = 0, KM_NORMAL = 1, KM_DRAW = 2, KM_HELP = 3 }; /* mode a key works in */

typedef struct {
    int key, key2;       /* curses key codes (key2 = alternative, 0 none) */
    int mode;            /* KM_ANY / KM_NORMAL / KM_DRAW / KM_HELP (help overlay open) */
    const char *name;    /* as shown: "space", "+/-" ("" = neither key line nor help) */
    ActionId act;        /* what it does */
    ActionArg arg, arg2; /* the argument for key, for key2 */
} KeyBinding;

extern const KeyBinding KEYS[];
extern const int NKEYS;

/* Legend lines of the help overlay (what everything on screen means). */
extern const char *const LEGEND[];
extern const int NLEGEND;

/* The binding of key ch in mode (KM_NORMAL / KM_DRAW / KM_HELP), NULL if
 * none; *arg gets its argument. */
const KeyBinding *keys_find(int ch, int mode, ActionArg *arg);
/* A key as a person names it: "x", "space", "Enter", "^A", "key 265". */
void keys_char_name(int ch, char *buf, size_t n);

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

/* ---- app.c ---- */
/* The loop, until `q` or a signal, starting as sc says (view, θ step):
 * 0, or -1 (message in a->err). */
int app_run(App *a, const Scenario *sc);
void app_free(App *a);

/* ---- pane_tutorial.c: the chapter pane ---- */
/* Make room for the chapter pane in a->lo (after tui_layout): beside the
 * live view when the terminal is wide enough, else in the network's place. */
void tut_layout(App *a, int rows, int cols);
/* Draw the pane into a->tut_win. */
void tut_draw(App *a);
/* Enter the tutorial's current chapter: a fresh Session on its scenario
 * (the old one closed only once the new one opened), its view and θ step,
 * started. 0, or -1 with err filled (the old run goes on). */
int tut_enter(App *a, char *err, size_t n);

/* ---- term.c: terminal discipline ---- */
extern volatile sig_atomic_t tui_signal; /* SIGINT / SIGTERM seen */
/* Start curses (stderr goes to $RTVIZ_LOG or /dev/null meanwhile); 0 or -1
 * with msg filled. */
int tui_term_init(int no_color, int mouse, char *msg, size_t msglen);
/* Restore the terminal and stderr; safe to call twice (atexit does too). */
void tui_term_done(void);

#endif
