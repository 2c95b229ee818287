/* actions.h — what a user can do, for every front end (htop's
 * Htop_Action → Htop_Reaction).
 *
 * One table names each action and says what it does; each front end has its
 * own bindings (tui/keys.c maps curses keys; an SDL window, mouse clicks and
 * tutorial chapters map their input) to action ids, and generates its key
 * line and help from this table and its bindings. action_run acts on the
 * Session and the UiState and returns reaction flags telling the front end
 * what to do next: redraw, lay out again, take a fresh snapshot, quit.
 * Actions never draw and never reach the engine except through the Session. */
#ifndef RTVIZ_ACTIONS_H
#define RTVIZ_ACTIONS_H

#include "session.h"
#include "viewmodel.h"

typedef enum {
    ACT_NONE = 0,
    ACT_PAUSE,        /* pause / resume training */
    ACT_STEP_ONE,     /* train one minibatch (while paused) */
    ACT_FLOOR,        /* θ floor ± 0.01 (arg.dir) */
    ACT_TAU,          /* τ ± 0.05 (arg.dir) */
    ACT_THETA,        /* θ step ± 1 along the traced sweep (arg.dir) */
    ACT_IMAGE,        /* next / previous test image (arg.dir) */
    ACT_TRACE_INDEX,  /* trace test image arg.index */
    ACT_GALLERY_PICK, /* trace gallery cell arg.index (0..2*VS_GALLERY-1) */
    ACT_REPLAY,       /* replay the sweep animation */
    ACT_GALLERY,      /* show the gallery (compact: toggle it) */
    ACT_CONFUSION,    /* confusion matrix ↔ gallery */
    ACT_DRAW,         /* enter / leave draw mode */
    ACT_CURSOR,       /* draw mode: move the cursor (arg.dy, arg.dx) */
    ACT_PAINT,        /* draw mode: paint at the cursor */
    ACT_PAINT_AT,     /* draw mode: paint at pixel (arg.y, arg.x) and move the cursor there */
    ACT_CLEAR,        /* draw mode: clear the canvas */
    ACT_SAVE,         /* save a checkpoint */
    ACT_RESTART,      /* restart from scratch with the same seed */
    ACT_HELP,         /* show / hide the help */
    ACT_HELP_SCROLL,  /* scroll the help by arg.dir lines (arg.page: pages; arg.index 1/2: home/end)
                       */
    ACT_REDRAW,       /* repaint everything */
    ACT_DISMISS,      /* hide the alert */
    ACT_QUIT,         /* leave */
    ACT_CHAPTER,      /* tutorial: next / previous chapter (arg.dir) */
    ACT_ANSWER,       /* tutorial: show / hide the chapter's answer */
    ACT_TUT_SCROLL,   /* tutorial: scroll the chapter's text by arg.dir pages */
    ACT_TUT_PANE,     /* tutorial: hide / show the chapter pane (what it covers shows) */
    ACT_PACE,         /* training pace one rung slower / faster (arg.dir) */
    ACT_SWEEP_SPEED,  /* sweep animation one rung slower / faster (arg.dir) */
    ACT_SWEEP_MODE,   /* step mode on / off: the sweep waits for → at every θ */
    ACT_KEYS_PAGE,    /* the key line's next page (when it does not fit) */
    ACT_LOAD,         /* load an image file onto the canvas (arg.path; NULL: ask for one) */
    ACT_COUNT
} ActionId;

/* Reaction flags (action_run's result). */
typedef enum {
    RE_NONE = 0,
    RE_REDRAW = 1 << 0,   /* something on screen changed: draw a frame now */
    RE_RELAYOUT = 1 << 1, /* the panes shown changed: lay out and repaint everything */
    RE_RETRACE = 1 << 2,  /* the trace changed: take a fresh snapshot first */
    RE_QUIT = 1 << 3,     /* leave the loop */
    RE_POINTER = 1 << 4,  /* pointer reporting must change (draw mode toggled) */
    RE_FAILED = 1 << 5,   /* the action failed fatally (restart): leave with an error */
    RE_CHAPTER = 1 << 6   /* the tutorial's chapter changed: open its scenario (tutorial.h) */
} Reaction;

typedef struct {
    ActionId id;      /* the action */
    const char *name; /* short, for a key line ("pause"; "" = help only) */
    const char *help; /* one line for the help overlay */
} ActionDef;

/* The action table, indexed by ActionId. */
extern const ActionDef ACTIONS[ACT_COUNT];

typedef struct {
    int dir;          /* ACT_FLOOR, ACT_TAU, ACT_THETA, ACT_IMAGE, ACT_HELP_SCROLL: +1 / -1 */
    int dy, dx;       /* ACT_CURSOR */
    int y, x;         /* ACT_PAINT_AT: pixel */
    int index;        /* ACT_TRACE_INDEX, ACT_GALLERY_PICK; ACT_HELP_SCROLL: 1 home, 2 end */
    int page;         /* ACT_HELP_SCROLL: dir counts pages */
    const char *path; /* ACT_LOAD: the image file (NULL: the front end asks for one) */
} ActionArg;

struct Tutorial;

typedef struct {
    Session *s;           /* the run (may be NULL in tests of UI-only actions) */
    struct Tutorial *tut; /* the tutorial shown (tutorial.h), NULL when none */
    UiState *ui;          /* the UI state the action changes */
    ViewState *vs;        /* the latest snapshot; actions refresh it after changing the run */
    double now;           /* the time (rt_now) */
    char error[256];      /* RE_FAILED: why */
} ActionCtx;

/* Run action id with arg (NULL: none) and return what to do. The caller
 * holds session_lock for the duration when it wants one engine pause. */
Reaction action_run(ActionCtx *c, ActionId id, const ActionArg *arg);

/* Show what a scenario asks for at its start (a run opened from it, or a
 * tutorial chapter entered): its view (gallery, confusion matrix, draw
 * mode) and, when theta_step >= 0, that θ step of the traced image. Runs
 * the actions that do it and returns their reactions. */
Reaction action_apply_scenario(ActionCtx *c, const Scenario *sc);

/* The name / help of an action (ACTIONS[id]); "" when out of range. */
const char *action_name(ActionId id);
const char *action_help(ActionId id);

#endif
