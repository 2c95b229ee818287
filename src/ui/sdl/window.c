/* window.c — the projector window (window.h).
 *
 * Threads: the window's loop runs in a thread of its own (--sdl) or on the
 * main thread (--sdl-only); it owns the SDL window and draws at up to 60
 * frames/s, only when something moved (an animation, a drag, a new
 * snapshot, input, a resize). A small feeder thread takes the Session's
 * snapshots (15 a second) so that the drawing loop never waits for the
 * engine lock, which the training thread yields only after its current
 * minibatch. Input takes the lock once per event, like the terminal's keys.
 *
 * Input → actions: BINDINGS maps keys to the action table (actions.h) or to
 * what only a window does (fullscreen, screenshot, brush, help, close);
 * mouse: drag the θ slider, click a block (its specialty), a gallery image
 * (trace it), paint on the canvas in draw mode; an image file dropped on the
 * window is loaded like the terminal's l (ACT_LOAD). */
#define _POSIX_C_SOURCE 200809L
#include "window.h"

#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <X11/Xlib.h>
#include <X11/Xproto.h>

#include "actions.h"
#include "gfx.h"
#include "png.h"
#include "tutorial.h"
#include "view.h"
#include "viewmodel.h"

#define FRAME_S   (1.0 / 60.0) /* frame cadence */
#define FEED_S    (1.0 / 15.0) /* snapshot cadence */
#define CATCH_UP  4            /* late ticks drawn at once, at most */
#define STATS_S   0.25         /* the training stats' redraws, this far apart at least */
#define BRUSH_MAX 4

/* --------------------------------------------------------------- bindings */

typedef enum {
    WIN_NONE = 0,
    WIN_FULLSCREEN, /* toggle fullscreen */
    WIN_SHOT,       /* PNG screenshot */
    WIN_BRUSH,      /* brush size ± arg.dir */
    WIN_HELP,       /* help overlay */
    WIN_ESCAPE,     /* close an overlay, else dismiss the alert */
    WIN_CLOSE,      /* close the window (--sdl-only: quit) */
} WinCmd;

typedef struct {
    const char *text; /* typed character(s) (SDL_TEXTINPUT), or NULL */
    SDL_Keycode sym;  /* or a key without text (arrows, Esc, F11), 0 none */
    const char *name; /* as the help shows it ("" = not listed) */
    ActionId act;     /* the action, or ACT_NONE for a window command */
    WinCmd cmd;       /* the window command */
    ActionArg arg;    /* its argument */
    int draw_only;    /* only in draw mode */
    const char *help; /* window commands' help line (actions: from ACTIONS) */
} WinBinding;

static const WinBinding BINDINGS[] = {
    {" ", 0, "space", ACT_PAUSE, WIN_NONE, {0}, 0, NULL},
    {".", 0, ".", ACT_STEP_ONE, WIN_NONE, {0}, 0, NULL},
    {"+", 0, "+ -", ACT_FLOOR, WIN_NONE, {.dir = 1}, 0, NULL},
    {"=", 0, "", ACT_FLOOR, WIN_NONE, {.dir = 1}, 0, NULL},
    {"-", 0, "", ACT_FLOOR, WIN_NONE, {.dir = -1}, 0, NULL},
    {"t", 0, "t T", ACT_TAU, WIN_NONE, {.dir = -1}, 0, NULL},
    {"T", 0, "", ACT_TAU, WIN_NONE, {.dir = 1}, 0, NULL},
    {NULL, SDLK_LEFT, "← →", ACT_THETA, WIN_NONE, {.dir = -1}, 0, NULL},
    {NULL, SDLK_RIGHT, "", ACT_THETA, WIN_NONE, {.dir = 1}, 0, NULL},
    {"n", 0, "n p", ACT_IMAGE, WIN_NONE, {.dir = 1}, 0, NULL},
    {"p", 0, "", ACT_IMAGE, WIN_NONE, {.dir = -1}, 0, NULL},
    {"r", 0, "r", ACT_REPLAY, WIN_NONE, {0}, 0, NULL},
    {"d", 0, "d", ACT_DRAW, WIN_NONE, {0}, 0, NULL},
    {"c", 0, "c", ACT_CLEAR, WIN_NONE, {0}, 1, NULL},
    {"[", 0, "[ ] (draw)", ACT_NONE, WIN_BRUSH, {.dir = -1}, 1, "brush size (draw mode)"},
    {"]", 0, "", ACT_NONE, WIN_BRUSH, {.dir = 1}, 1, NULL},
    {"]", 0, "[ ]", ACT_CHAPTER, WIN_NONE, {.dir = 1}, 0, NULL},
    {"[", 0, "", ACT_CHAPTER, WIN_NONE, {.dir = -1}, 0, NULL},
    {"a", 0, "a", ACT_ANSWER, WIN_NONE, {0}, 0, NULL},
    {NULL, SDLK_PAGEDOWN, "PgDn PgUp", ACT_TUT_SCROLL, WIN_NONE, {.dir = 1}, 0, NULL},
    {NULL, SDLK_PAGEUP, "", ACT_TUT_SCROLL, WIN_NONE, {.dir = -1}, 0, NULL},
    {"H", 0, "H", ACT_TUT_PANE, WIN_NONE, {0}, 0, NULL},
    {"S", 0, "S", ACT_SAVE, WIN_NONE, {0}, 0, NULL},
    {"R", 0, "R", ACT_RESTART, WIN_NONE, {0}, 0, NULL},
    {"F", 0, "F", ACT_NONE, WIN_FULLSCREEN, {0}, 0, "fullscreen on / off"},
    {NULL, SDLK_F11, "", ACT_NONE, WIN_FULLSCREEN, {0}, 0, NULL},
    {"P", 0, "P", ACT_NONE, WIN_SHOT, {0}, 0, "PNG screenshot (rtviz-shot-TIME.png here)"},
    {"?", 0, "?", ACT_NONE, WIN_HELP, {0}, 0, "this help"},
    {NULL, SDLK_ESCAPE, "Esc", ACT_NONE, WIN_ESCAPE, {0}, 0, "close help / block panel / alert"},
    {"q",
     0,
     "q",
     ACT_NONE,
     WIN_CLOSE,
     {0},
     0,
     "close the window (the terminal goes on; --sdl-only: quit, asking once if unsaved)"},
};
#define NBINDINGS ((int)(sizeof BINDINGS / sizeof BINDINGS[0]))

/* The mouse, for the help overlay. */
static const char *const MOUSE_HELP[][2] = {
    {"drag θ", "move θ along the traced sweep (smoothly)"},
    {"click block", "the 12 test images it fires hardest for, its share of each class"},
    {"click image", "trace that gallery image"},
    {"draw", "paint on the canvas (d): live sweep and prediction"},
    {"drop a file", "an image file dropped on the window is loaded and traced (as l)"},
};

/* The first binding of the key (draw-mode ones first: [ ] are the brush there). */
static const WinBinding *find_binding(const char *text, SDL_Keycode sym, int draw_mode) {
    for (int k = 0; k < NBINDINGS; k++) {
        const WinBinding *b = &BINDINGS[k];
        if (b->draw_only && !draw_mode) continue;
        if (text && b->text && !strcmp(text, b->text)) return b;
        if (!text && sym && b->sym == sym) return b;
    }
    return NULL;
}

/* ------------------------------------------------------------------ state */

typedef struct {
    pthread_t th;        /* the computing thread */
    atomic_int state;    /* 0 none, 1 running, 2 done, 3 failed */
    int l, i;            /* the block asked for */
    RtSpecialty out;     /* the answer */
    char err[RT_ERRLEN]; /* why it failed */
} SpecJob;

struct SdlWin {
    Session *s;
    SdlWinOpts o;
    SDL_Window *win;
    SDL_Surface *own;    /* own frame when the window surface is not 32-bit xRGB */
    SDL_Surface *target; /* what the canvas draws on */
    SvCanvas cv;
    int have_cv;
    ViewState vs; /* the window's snapshot */
    UiState u;    /* the window's UI state */

    /* the feeder */
    pthread_t feeder;
    int feeder_started;
    atomic_int feeder_stop; /* ask the feeder alone to stop (a chapter's new Session) */
    pthread_mutex_t mu;     /* guards shared and seq */
    ViewState fb, shared;   /* feeder's snapshot, the copy handed over */
    uint64_t seq, seen;     /* shared's sequence number, the one copied last */
    uint64_t fresh_from;    /* copies before this one may predate the last action: skipped */
    atomic_int stop;        /* ask the feeder and the loop to stop */

    /* the window thread (--sdl) */
    pthread_t th;
    int th_started;
    atomic_int open; /* the window is up */

    /* the tutorial */
    atomic_int tut_changed;   /* beside the terminal: what the tutorial keys changed */
    int chapter_enter;        /* --sdl-only: enter the tutorial's current chapter */
    Session **owner;          /* --sdl-only: where the caller keeps the Session */
    char chapter_logged[320]; /* the chapter pane's line last logged */
    uint64_t trace_logged;    /* the trace serial last logged */
    int step_logged;          /* "trained" was logged */
    char status_logged[sizeof(((UiState *)0)->status)]; /* the status line last logged */

    /* input */
    int dragging;         /* the θ slider is held */
    float drag_pos;       /* its position in steps */
    int brush;            /* brush size 1..BRUSH_MAX */
    int last_py, last_px; /* the last painted canvas pixel (-1 none) */
    int help;             /* help overlay shown */
    int fullscreen;       /* fullscreen on */
    int panel;            /* the block panel is shown */
    SpecJob job;          /* its data */
    int job_started;
    int job_seen;              /* job.state when last drawn */
    int subj_kind, subj_index; /* the subject of the last snapshot */
    uint64_t eval_seen;        /* its eval_serial */
    int run_seen;              /* its run_state */
    int dirty;                 /* draw a frame */
    double last_draw;          /* when the last frame was drawn */
    double stats_at;           /* when the training stats were drawn last */

    /* logs (RTVIZ_SDL_LOG: state lines; RTVIZ_SDL_STATS: frame summary) */
    FILE *log;
    char last[160];
    int geom_logged; /* the size whose geometry was logged */
    FILE *stats;
    int continuous;  /* RTVIZ_SDL_CONTINUOUS: 1 the sweep animates over and over, a frame
                      * every tick; full: and every frame whole (benchmarks) */
    int overlay_was; /* the last frame had an overlay (help, panel, draw mode) */
    double px_sent;  /* pixels sent to the display (statistics) */
    long rects;      /* rectangles sent (statistics) */
    long frames;
    double t_open, draw_s, draw_max;
    double t_first, t_last; /* starts of the first and the last frame */
    long late;              /* ticks drawn more than half a frame after their time */
    double cpu_s;           /* CPU time of the drawing thread in render() */
    double *ft;             /* frame times for the percentile (ring) */
    long nft;
};

/* --------------------------------------------------------------- feeder */

static void *feeder_main(void *arg) {
    SdlWin *w = arg;
    while (!atomic_load(&w->stop) && !atomic_load(&w->feeder_stop)) {
        session_snapshot(w->s, &w->fb);
        pthread_mutex_lock(&w->mu);
        memcpy(&w->shared, &w->fb, sizeof w->shared);
        w->seq++;
        pthread_mutex_unlock(&w->mu);
        struct timespec ts = {0, (long)(FEED_S * 1e9)};
        nanosleep(&ts, NULL);
    }
    return NULL;
}

/* Take the feeder's latest snapshot if it is newer. 1 when it was. */
static int pull_snapshot(SdlWin *w) {
    int got = 0;
    pthread_mutex_lock(&w->mu);
    if (w->seq != w->seen && w->seq >= w->fresh_from) {
        memcpy(&w->vs, &w->shared, sizeof w->vs);
        w->seen = w->seq;
        got = 1;
    }
    pthread_mutex_unlock(&w->mu);
    return got;
}

/* --------------------------------------------------------------- actions */

static Reaction run_action(SdlWin *w, ActionId id, const ActionArg *arg) {
    session_lock(w->s); /* the terminal's keys take it too: actions never interleave */
    ActionCtx c = {.s = w->s, .tut = w->o.tut, .ui = &w->u, .vs = &w->vs, .now = rt_now()};
    Reaction r = action_run(&c, id, arg);
    session_unlock(w->s);
    if (r & RE_CHAPTER) { /* a fresh Session on the chapter: the terminal's, or ours alone */
        if (w->o.standalone)
            w->chapter_enter = 1;
        else
            atomic_fetch_or(&w->tut_changed, SDLWIN_TUT_CHAPTER);
    } else if (w->o.tut && (id == ACT_ANSWER || id == ACT_TUT_SCROLL || id == ACT_TUT_PANE))
        atomic_fetch_or(&w->tut_changed, SDLWIN_TUT_PANE);
    if (id == ACT_TUT_SCROLL && w->o.standalone && w->o.tut && /* no terminal clamps it */
        w->o.tut->scroll > w->cv.chapter_max_scroll)
        w->o.tut->scroll = w->cv.chapter_max_scroll;
    pthread_mutex_lock(&w->mu); /* the feeder may hold a snapshot from before the action */
    w->fresh_from = w->seq + 2;
    pthread_mutex_unlock(&w->mu);
    if (r & RE_QUIT) atomic_store(&w->stop, 1);
    if (r & RE_FAILED) {
        ui_status(&w->u, rt_now(), 1, "%s", c.error);
        if (w->o.standalone) atomic_store(&w->stop, 1);
    }
    w->dirty = 1;
    return r;
}

/* Set the shown θ step to target through the θ action (one step at a time). */
static void set_step(SdlWin *w, int target) {
    int n = w->vs.trace.nsteps;
    if (n <= 0) return;
    if (target < 0) target = 0;
    if (target > n - 1) target = n - 1;
    for (int guard = 0; guard < 2 * SCHED_MAX && w->u.step != target; guard++) {
        ActionArg a = {.dir = target > w->u.step ? 1 : -1};
        run_action(w, ACT_THETA, &a);
    }
}

static void *spec_main(void *arg) {
    SdlWin *w = arg;
    RtErr e = {{0}};
    if (session_specialty(w->s, w->job.l, w->job.i, 0, &w->job.out, &e)) {
        snprintf(w->job.err, sizeof w->job.err, "%s", e.msg);
        atomic_store(&w->job.state, 3);
    } else
        atomic_store(&w->job.state, 2);
    return NULL;
}

static void ask_specialty(SdlWin *w, int l, int i) {
    if (w->panel && w->job.l == l && w->job.i == i) { /* the same block again: close */
        w->panel = 0;
        return;
    }
    if (atomic_load(&w->job.state) == 1) {
        ui_status(&w->u, rt_now(), 0, "still looking at block L%d.B%d", w->job.l + 1, w->job.i);
        return;
    }
    if (w->job_started) pthread_join(w->job.th, NULL);
    w->job_started = 0;
    w->job.l = l;
    w->job.i = i;
    atomic_store(&w->job.state, 1);
    if (pthread_create(&w->job.th, NULL, spec_main, w) != 0) {
        atomic_store(&w->job.state, 3);
        snprintf(w->job.err, sizeof w->job.err, "cannot start a thread");
    } else
        w->job_started = 1;
    w->panel = 1;
}

/* ------------------------------------------------------------------ input */

static void screenshot(SdlWin *w) {
    char path[64];
    time_t t = time(NULL);
    struct tm tm;
    localtime_r(&t, &tm);
    strftime(path, sizeof path, "rtviz-shot-%Y%m%d-%H%M%S.png", &tm);
    RtErr e = {{0}};
    if (png_write_surface(path, w->target, &e))
        ui_status(&w->u, rt_now(), 1, "screenshot: %s", e.msg);
    else
        ui_status(&w->u, rt_now(), 0, "screenshot: %s (%dx%d)", path, w->target->w, w->target->h);
}

static void run_binding(SdlWin *w, const WinBinding *b) {
    if (w->help && b->cmd != WIN_HELP && b->cmd != WIN_CLOSE && b->cmd != WIN_SHOT) {
        w->help = 0; /* any other key closes the help */
        w->dirty = 1;
        if (b->cmd == WIN_ESCAPE) return;
    }
    if (b->act != ACT_NONE) {
        run_action(w, b->act, &b->arg);
        return;
    }
    w->dirty = 1;
    switch (b->cmd) {
    case WIN_FULLSCREEN:
        w->fullscreen = !w->fullscreen;
        SDL_SetWindowFullscreen(w->win, w->fullscreen ? SDL_WINDOW_FULLSCREEN_DESKTOP : 0);
        break;
    case WIN_SHOT:
        screenshot(w);
        break;
    case WIN_BRUSH:
        w->brush += b->arg.dir;
        if (w->brush < 1) w->brush = 1;
        if (w->brush > BRUSH_MAX) w->brush = BRUSH_MAX;
        ui_status(&w->u, rt_now(), 0, "brush size %d", w->brush);
        break;
    case WIN_HELP:
        w->help = !w->help;
        break;
    case WIN_ESCAPE:
        if (w->panel)
            w->panel = 0;
        else
            run_action(w, ACT_DISMISS, NULL);
        break;
    case WIN_CLOSE: /* --sdl-only: quit as the terminal's q does (it asks about unsaved training) */
        if (w->o.standalone)
            run_action(w, ACT_QUIT, NULL); /* RE_QUIT stops the loop */
        else
            atomic_store(&w->stop, 1);
        break;
    case WIN_NONE:
        break;
    }
}

/* Window coordinates → output pixels (HiDPI: the drawable may be larger). */
static void to_pixels(SdlWin *w, int x, int y, float *px, float *py) {
    int ww, wh;
    SDL_GetWindowSize(w->win, &ww, &wh);
    *px = ww > 0 ? (float)x * (float)w->target->w / (float)ww : (float)x;
    *py = wh > 0 ? (float)y * (float)w->target->h / (float)wh : (float)y;
}

static int in_rect(SDL_FRect r, float x, float y) {
    return x >= r.x && x < r.x + r.w && y >= r.y && y < r.y + r.h;
}

/* Paint at output pixel (x, y) if it is on the image: the brush's extra
 * pixels go straight into the canvas, the centre through the paint action
 * (which traces the canvas once). */
static void paint_px(SdlWin *w, int py, int px) {
    int rad = w->brush - 1, H = w->vs.h, W = w->vs.w, ch = w->vs.ch;
    for (int dy = -rad; dy <= rad; dy++)
        for (int dx = -rad; dx <= rad; dx++) {
            int yy = py + dy, xx = px + dx;
            if (dy * dy + dx * dx > rad * rad || yy < 0 || yy >= H || xx < 0 || xx >= W) continue;
            for (int k = 0; k < ch; k++) {
                size_t at = (size_t)k * H * W + (size_t)yy * W + xx;
                if (at < sizeof w->u.canvas) w->u.canvas[at] = 255;
            }
        }
    ActionArg a = {.y = py, .x = px};
    run_action(w, ACT_PAINT_AT, &a);
}

/* Paint at output pixel (x, y) if it is on the image, along the line from
 * the last painted pixel while the button stays down (fast strokes skip
 * pixels between motion events). */
static void paint_at(SdlWin *w, float x, float y, int first) {
    SDL_FRect r = w->cv.geo.img;
    if (!in_rect(r, x, y) || w->vs.h < 1 || w->vs.w < 1) {
        w->last_py = -1;
        return;
    }
    int py = (int)((y - r.y) / r.h * (float)w->vs.h), px = (int)((x - r.x) / r.w * (float)w->vs.w);
    if (first || w->last_py < 0) {
        paint_px(w, py, px);
    } else {
        int dy = py - w->last_py, dx = px - w->last_px;
        int n = abs(dy) > abs(dx) ? abs(dy) : abs(dx);
        for (int k = 1; k <= n; k++)
            paint_px(w, w->last_py + (dy * k + (dy > 0 ? n / 2 : -n / 2)) / n,
                     w->last_px + (dx * k + (dx > 0 ? n / 2 : -n / 2)) / n);
    }
    w->last_py = py;
    w->last_px = px;
}

static void on_press(SdlWin *w, float x, float y) {
    const SdlGeom *g = &w->cv.geo;
    w->dirty = 1;
    if (w->help) {
        w->help = 0;
        return;
    }
    int l, i, row, k;
    if (w->u.draw_mode && in_rect(g->img, x, y)) {
        w->u.painting = 1;
        paint_at(w, x, y, 1);
    } else if (in_rect(g->slider, x, y) && w->vs.arch != ARCH_MLP && w->vs.trace.nsteps > 0) {
        w->dragging = 1;
        w->drag_pos = sv_x_step(g, x);
    } else if (w->vs.arch != ARCH_MLP && sv_block_at(g, x, y, &l, &i)) {
        ask_specialty(w, l, i);
    } else if (w->panel && (in_rect(g->gallery, x, y) || in_rect(g->stats, x, y))) {
        w->panel = 0; /* a click on the panel closes it */
    } else if (sv_cell_at(g, x, y, &row, &k)) {
        ActionArg a = {.index = row * VS_GALLERY + k};
        run_action(w, ACT_GALLERY_PICK, &a);
    }
}

static void on_release(SdlWin *w) {
    if (w->dragging) {
        w->dragging = 0;
        set_step(w, (int)lroundf(w->drag_pos));
    }
    w->u.painting = 0;
    w->dirty = 1;
}

static int handle_event(SdlWin *w, const SDL_Event *ev) {
    float x, y;
    switch (ev->type) {
    case SDL_QUIT:
        atomic_store(&w->stop, 1);
        break;
    case SDL_WINDOWEVENT:
        if (ev->window.event == SDL_WINDOWEVENT_CLOSE) atomic_store(&w->stop, 1);
        if (ev->window.event == SDL_WINDOWEVENT_SIZE_CHANGED ||
            ev->window.event == SDL_WINDOWEVENT_RESIZED)
            return 1;                    /* the caller gets the new surface */
        if (w->have_cv) w->cv.force = 1; /* exposed, shown, moved: the whole frame again */
        w->dirty = 1;
        break;
    case SDL_TEXTINPUT: {
        const WinBinding *b = find_binding(ev->text.text, 0, w->u.draw_mode);
        if (b) run_binding(w, b);
        break;
    }
    case SDL_KEYDOWN: {
        const WinBinding *b = find_binding(NULL, ev->key.keysym.sym, w->u.draw_mode);
        if (b) run_binding(w, b);
        break;
    }
    case SDL_MOUSEBUTTONDOWN:
        if (ev->button.button != SDL_BUTTON_LEFT) break;
        to_pixels(w, ev->button.x, ev->button.y, &x, &y);
        on_press(w, x, y);
        break;
    case SDL_DROPFILE: /* an image file dropped on the window: loaded and traced, as l does */
        if (ev->drop.file) {
            ActionArg a = {.path = ev->drop.file};
            run_action(w, ACT_LOAD, &a);
            SDL_free(ev->drop.file);
        }
        break;
    case SDL_MOUSEBUTTONUP:
        if (ev->button.button == SDL_BUTTON_LEFT) on_release(w);
        break;
    case SDL_MOUSEMOTION:
        to_pixels(w, ev->motion.x, ev->motion.y, &x, &y);
        if (w->dragging) {
            w->drag_pos = sv_x_step(&w->cv.geo, x);
            w->dirty = 1;
        } else if (w->u.painting && (ev->motion.state & SDL_BUTTON_LMASK))
            paint_at(w, x, y, 0);
        break;
    }
    return 0;
}

/* ---------------------------------------------------------------- drawing */

/* The sweep position shown: the drag, else the animation between its
 * current step and the next, else the shown step. */
static float shown_pos(const SdlWin *w, double now) {
    if (w->dragging) return w->drag_pos;
    const UiState *u = &w->u;
    float pos = (float)u->step;
    if (u->animating && u->step < w->vs.trace.stop) {
        double dt = u->step_ms / 1000.0;
        double f = 1.0 - (u->anim_next - now) / dt;
        if (f < 0) f = 0;
        if (f > 1) f = 1;
        pos += (float)f;
    }
    return pos;
}

static void draw_panel(SdlWin *w) {
    Gfx *g = &w->cv.g;
    const SdlGeom *geo = &w->cv.geo;
    const ViewState *vs = &w->vs;
    const float u = g->u;
    SDL_FRect p = {geo->gallery.x, geo->gallery.y, geo->stats.x + geo->stats.w - geo->gallery.x,
                   geo->gallery.h};
    gfx_round_rect(g, p, 14 * u, gfx_scale(gfx_role(CLR_BORDER), 0.3f), 1.0f);
    gfx_round_frame(g, p, 14 * u, 3 * u, gfx_role(CLR_CURSOR), 1.0f);
    int st = atomic_load(&w->job.state);
    const RtSpecialty *sp = &w->job.out;
    if (st == 1) {
        gfx_textf(g, FONT_LARGE, p.x + 20 * u, p.y + 8 * u, ALIGN_LEFT, gfx_role(CLR_TITLE),
                  "block L%d.B%d — sweeping the test set…", w->job.l + 1, w->job.i);
        return;
    }
    if (st == 3) {
        gfx_textf(g, FONT_NORMAL, p.x + 20 * u, p.y + 12 * u, ALIGN_LEFT, gfx_role(CLR_BAD),
                  "block L%d.B%d: %s", w->job.l + 1, w->job.i, w->job.err);
        return;
    }
    if (st != 2) return;
    gfx_textf(g, FONT_LARGE, p.x + 20 * u, p.y + 8 * u, ALIGN_LEFT, gfx_role(CLR_TITLE),
              "block L%d.B%d: active for %d of %d test images", sp->l + 1, sp->i, sp->nactive,
              sp->n);
    float left_w = p.w * 0.62f, top = p.y + 58 * u;
    float cw = (left_w - 30 * u) / (float)SPEC_TOP, th = cw * 0.8f;
    if (th > p.h - 58 * u - 60 * u) th = p.h - 58 * u - 60 * u;
    for (int k = 0; k < sp->ntop; k++) {
        SDL_FRect c = {p.x + 20 * u + cw * (float)k + (cw - th) / 2, top, th, th};
        gfx_image(g, sp->top_pix[k], vs->ch, vs->h, vs->w, c);
        gfx_textf(g, FONT_SMALL, c.x + c.w / 2, c.y + c.h + 4 * u, ALIGN_CENTER, gfx_role(CLR_TEXT),
                  "r %.2f", sp->top_rate[k]);
        int lab = sp->top_label[k];
        const char *name = lab >= 0 && lab < RT_MAX_C ? vs->class_names[lab] : "?";
        if (gfx_text_width(g, FONT_SMALL, name) < cw - 4 * u)
            gfx_text(g, FONT_SMALL, c.x + c.w / 2, c.y + c.h + 4 * u + gfx_line_h(g, FONT_SMALL),
                     ALIGN_CENTER, gfx_role(CLR_DIM), name);
    }
    if (sp->ntop == 0)
        gfx_text(g, FONT_NORMAL, p.x + 20 * u, top + 20 * u, ALIGN_LEFT, gfx_role(CLR_DIM),
                 "it is not active for any test image at its stop");
    /* share of each class: two columns of bars */
    float bx = p.x + left_w + 10 * u, bw = p.x + p.w - bx - 20 * u;
    int C = sp->C, rows = (C + 1) / 2;
    float rh = (p.h - 58 * u - 10 * u) / (float)(rows > 0 ? rows : 1);
    gfx_text(g, FONT_SMALL, p.x + p.w - 20 * u, p.y + 14 * u, ALIGN_RIGHT, gfx_role(CLR_DIM),
             "the share of each class it is active for");
    for (int c = 0; c < C; c++) {
        float colx = bx + (c / rows) * (bw / 2), y = top + rh * (float)(c % rows);
        float share = sp->class_n[c] ? (float)sp->class_active[c] / (float)sp->class_n[c] : 0;
        float name_w = 130 * u, barw = bw / 2 - name_w - 70 * u;
        float ty = y + rh / 2 - gfx_line_h(g, FONT_SMALL) / 2;
        gfx_text(g, FONT_SMALL, colx + name_w - 8 * u, ty, ALIGN_RIGHT, gfx_role(CLR_TEXT),
                 vs->class_names[c]);
        SDL_FRect tr = {colx + name_w, y + rh * 0.25f, barw, rh * 0.5f};
        gfx_round_rect(g, tr, tr.h / 3, gfx_role(CLR_BLOCK_DARK), 1.0f);
        if (share > 0) {
            SDL_FRect f = tr;
            f.w = barw * share;
            gfx_round_rect(g, f, tr.h / 3, gfx_role(CLR_BAR_TOP), 1.0f);
        }
        gfx_textf(g, FONT_SMALL, tr.x + barw + 8 * u, ty, ALIGN_LEFT, gfx_role(CLR_DIM), "%.0f%%",
                  100.0f * share);
    }
}

static void draw_help(SdlWin *w) {
    Gfx *g = &w->cv.g;
    const float u = g->u;
    SDL_FRect p = {g->w * 0.12f, g->h * 0.1f, g->w * 0.76f, g->h * 0.8f};
    gfx_round_rect(g, p, 16 * u, gfx_scale(gfx_role(CLR_BORDER), 0.25f), 0.97f);
    gfx_round_frame(g, p, 16 * u, 2 * u, gfx_role(CLR_TITLE), 1.0f);
    gfx_text(g, FONT_LARGE, p.x + 24 * u, p.y + 12 * u, ALIGN_LEFT, gfx_role(CLR_TITLE),
             "projector window — keys and mouse (any key closes)");
    float lh = gfx_line_h(g, FONT_NORMAL) * 1.15f, y0 = p.y + 70 * u, y = y0;
    float col = p.x + 24 * u, key_w = 150 * u;
    int n = 0;
    for (int k = 0; k < NBINDINGS; k++) {
        const WinBinding *b = &BINDINGS[k];
        if (!b->name[0]) continue;
        const char *h = b->act != ACT_NONE ? action_help(b->act) : b->help;
        if (y + lh > p.y + p.h - 10 * u) {
            y = y0;
            col += p.w / 2;
        }
        gfx_text(g, FONT_NORMAL, col, y, ALIGN_LEFT, gfx_role(CLR_THETA), b->name);
        gfx_text(g, FONT_SMALL, col + key_w, y + 4 * u, ALIGN_LEFT, gfx_role(CLR_TEXT), h ? h : "");
        y += lh;
        n++;
    }
    for (size_t k = 0; k < sizeof MOUSE_HELP / sizeof MOUSE_HELP[0]; k++) {
        if (y + lh > p.y + p.h - 10 * u) {
            y = y0;
            col += p.w / 2;
        }
        gfx_text(g, FONT_NORMAL, col, y, ALIGN_LEFT, gfx_role(CLR_TAU), MOUSE_HELP[k][0]);
        gfx_text(g, FONT_SMALL, col + key_w + 40 * u, y + 4 * u, ALIGN_LEFT, gfx_role(CLR_TEXT),
                 MOUSE_HELP[k][1]);
        y += lh;
    }
}

static void log_state(SdlWin *w, float pos) {
    if (!w->log) return;
    const RtTrace *t = &w->vs.trace;
    int s = (int)lroundf(pos);
    float th = t->nsteps > 0 && s >= 0 && s < t->nsteps ? t->theta[s] : 0.0f;
    char line[160];
    snprintf(line, sizeof line,
             "sdl step %d theta %.4f floor %.4f tau %.3f state %d draw %d anim %d drag %d\n", s, th,
             w->vs.floor, w->vs.tau, w->vs.run_state, w->u.draw_mode,
             w->u.animating || w->u.anim_pending, w->dragging);
    if (strcmp(line, w->last)) {
        fputs(line, w->log);
        fflush(w->log);
        snprintf(w->last, sizeof w->last, "%s", line);
    }
    if (!w->step_logged && w->vs.step > 0) { /* once: tests wait for training to have run */
        fprintf(w->log, "sdl trained %ld steps\n", w->vs.step);
        fflush(w->log);
        w->step_logged = 1;
    }
    if (strcmp(w->u.status, w->status_logged)) { /* the status line, as the header shows it */
        fprintf(w->log, "sdl status %s\n", w->u.status);
        fflush(w->log);
        snprintf(w->status_logged, sizeof w->status_logged, "%s", w->u.status);
    }
}

static double thread_cpu(void) {
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void render(SdlWin *w, double now) {
    double t0 = rt_now(), c0 = thread_cpu();
    /* ui_status_shown's rule, with buffers of the window's own (that function's are
     * static, and the terminal's thread uses them too) */
    const char *st = w->vs.message;
    char text[768], brief[256];
    const char *title;
    int bad = 0;
    uint64_t key;
    if (w->u.status[0] && now < w->u.status_until)
        st = w->u.status;
    else if (vm_alert(&w->vs, &w->u, text, sizeof text, &title, &bad, brief, sizeof brief, &key))
        st = brief;
    else if (w->u.notice[0])
        st = w->u.notice;
    char status[300];
    if (st && st[0])
        snprintf(status, sizeof status, "%.290s", st);
    else
        snprintf(status, sizeof status, "%s",
                 w->vs.run_state == VS_RUNNING ? "training" : "paused (space resumes)");
    float pos = shown_pos(w, now);
    /* the training numbers change with every snapshot (15 a second): redrawn
     * at most STATS_S apart, which is as often as anyone reads them */
    SvFrame f = {.pos = pos,
                 .status = status,
                 .sel_l = w->panel ? w->job.l : -1,
                 .sel_i = w->panel ? w->job.i : -1,
                 .tut = w->o.tut,
                 .hold_stats = now - w->stats_at < STATS_S};
    long stats_drawn = w->cv.pane_draws[SV_REG_STATS];
    /* overlays lie over several panes: while one shows (and the frame after), whole frames */
    int overlay = w->u.draw_mode || w->panel || w->help;
    if (overlay || w->overlay_was || w->continuous == 2) w->cv.force = 1;
    w->overlay_was = overlay;
    sv_render(&w->cv, &w->vs, &f);
    if (w->cv.pane_draws[SV_REG_STATS] != stats_drawn) w->stats_at = now;
    Gfx *g = &w->cv.g;
    if (w->u.draw_mode) {
        SDL_FRect r = w->cv.geo.img;
        gfx_round_frame(g, (SDL_FRect){r.x - 4, r.y - 4, r.w + 8, r.h + 8}, 6, 4 * g->u,
                        gfx_role(CLR_CURSOR), 1.0f);
        SDL_FRect sp = w->cv.geo.side;
        gfx_textf(g, FONT_SMALL, sp.x + sp.w - 16 * g->u, sp.y + 12 * g->u, ALIGN_RIGHT,
                  gfx_role(CLR_CURSOR), "brush %d ([ ])  c clears  d back", w->brush);
    }
    if (w->panel) draw_panel(w);
    if (w->help) draw_help(w);
    gfx_flush(g);
    /* to the display: the whole frame, or only the panes that changed */
    const SvCanvas *cv = &w->cv;
    if (cv->full) {
        if (w->own) SDL_BlitSurface(w->own, NULL, SDL_GetWindowSurface(w->win), NULL);
        SDL_UpdateWindowSurface(w->win);
    } else if (cv->ndirty > 0) {
        if (w->own)
            for (int k = 0; k < cv->ndirty; k++) {
                SDL_Rect r = cv->dirty[k];
                SDL_BlitSurface(w->own, &r, SDL_GetWindowSurface(w->win), &r);
            }
        SDL_UpdateWindowSurfaceRects(w->win, cv->dirty, cv->ndirty);
    }
    w->px_sent += cv->full ? (double)w->target->w * w->target->h : 0.0;
    for (int k = 0; !cv->full && k < cv->ndirty; k++)
        w->px_sent += (double)cv->dirty[k].w * cv->dirty[k].h;
    w->rects += cv->full ? 1 : cv->ndirty;
    if (w->log && w->geom_logged != (w->target->w << 16 | w->target->h)) {
        const SdlGeom *g2 = &w->cv.geo;
        SDL_FRect t = g2->track, b = g2->block[0][0], im = g2->img;
        float ky = (float)w->target->h, kx = (float)w->target->w;
        int ww, wh;
        SDL_GetWindowSize(w->win, &ww, &wh);
        kx = (float)ww / kx;
        ky = (float)wh / ky;
        fprintf(w->log, /* in window coordinates, for tests that drive the mouse */
                "sdl geom window %d %d track %.0f %.0f %.0f %.0f block00 %.0f %.0f %.0f %.0f "
                "image %.0f %.0f %.0f %.0f\n",
                ww, wh, t.x * kx, t.y * ky, t.w * kx, t.h * ky, b.x * kx, b.y * ky, b.w * kx,
                b.h * ky, im.x * kx, im.y * ky, im.w * kx, im.h * ky);
        fflush(w->log);
        w->geom_logged = w->target->w << 16 | w->target->h;
    }
    log_state(w, pos);
    if (w->log && strcmp(w->cv.chapter_shown, w->chapter_logged)) {
        fprintf(w->log, "sdl chapter %s\n", w->cv.chapter_shown[0] ? w->cv.chapter_shown : "none");
        fflush(w->log);
        snprintf(w->chapter_logged, sizeof w->chapter_logged, "%s", w->cv.chapter_shown);
    }
    double dt = rt_now() - t0;
    w->cpu_s += thread_cpu() - c0;
    w->draw_s += dt;
    if (dt > w->draw_max) w->draw_max = dt;
    if (w->ft) w->ft[w->frames % 4096] = dt;
    if (!w->frames) w->t_first = t0;
    w->t_last = t0;
    w->frames++;
}

/* (Re)bind the canvas to the window's surface. 0 or -1. */
static int bind_target(SdlWin *w, RtErr *e) {
    SDL_Surface *ws = SDL_GetWindowSurface(w->win);
    if (!ws) return rt_err(e, "SDL_GetWindowSurface: %s", SDL_GetError());
    Uint32 f = ws->format->format;
    if (w->own) SDL_FreeSurface(w->own);
    w->own = NULL;
    if (f == SDL_PIXELFORMAT_RGB888 || f == SDL_PIXELFORMAT_ARGB8888) {
        w->target = ws;
    } else {
        w->own = SDL_CreateRGBSurfaceWithFormat(0, ws->w, ws->h, 32, SDL_PIXELFORMAT_RGB888);
        if (!w->own) return rt_err(e, "%dx%d frame: %s", ws->w, ws->h, SDL_GetError());
        w->target = w->own;
    }
    int rc =
        w->have_cv ? sv_canvas_resize(&w->cv, w->target, e) : sv_canvas_init(&w->cv, w->target, e);
    if (rc == 0) w->have_cv = 1;
    w->dirty = 1;
    return rc;
}

/* ------------------------------------------------------------ chapters */

static int feeder_start(SdlWin *w) {
    atomic_store(&w->feeder_stop, 0);
    if (pthread_create(&w->feeder, NULL, feeder_main, w) != 0) return -1;
    w->feeder_started = 1;
    return 0;
}

static void feeder_join(SdlWin *w) {
    atomic_store(&w->feeder_stop, 1);
    if (w->feeder_started) pthread_join(w->feeder, NULL);
    w->feeder_started = 0;
}

/* --sdl-only: enter the tutorial's current chapter on a fresh Session (what
 * the terminal's chapter pane does beside a terminal). 0, or -1 with e: the
 * old run then goes on. */
static int enter_chapter(SdlWin *w, RtErr *e) {
    Tutorial *t = w->o.tut;
    static Scenario sc; /* large: not on the stack */
    Scenario base;
    if (w->o.base)
        base = *w->o.base;
    else
        memset(&base, 0, sizeof base);
    if (tutorial_scenario(t, t->cur, &base, &sc, e)) return -1;
    int usage = 0;
    /* one worker pool per process: the old run's thread must not use it meanwhile */
    session_lock(w->s);
    Session *ns = session_open(&sc, &usage, e);
    session_unlock(w->s);
    if (!ns) return -1;
    feeder_join(w); /* nothing may read the old Session any more */
    if (w->job_started) pthread_join(w->job.th, NULL);
    w->job_started = 0;
    atomic_store(&w->job.state, 0);
    w->panel = 0;
    session_close(w->s);
    w->s = ns;
    if (w->owner) *w->owner = ns;
    memset(&w->vs, 0, sizeof w->vs);
    session_snapshot(ns, &w->vs);
    tutorial_note_session(t, ns, w->vs.dataset);
    ui_state_init(&w->u, sc.step_ms);
    w->u.mouse = 1;
    snprintf(w->u.notice, sizeof w->u.notice, "%s", session_notice(ns));
    w->u.index = w->vs.subject.index;
    ui_start_anim(&w->u, &w->vs, rt_now());
    w->u.trace_seen = w->vs.trace_serial;
    w->u.retrace_next = rt_now() + 1.0;
    ActionCtx c = {.s = ns, .tut = t, .ui = &w->u, .vs = &w->vs, .now = rt_now()};
    action_apply_scenario(&c, &sc);
    int rc = session_start(ns, e);
    session_snapshot(ns, &w->vs);
    pthread_mutex_lock(&w->mu);
    memcpy(&w->fb, &w->vs, sizeof w->fb);
    w->fresh_from = w->seq + 1;
    pthread_mutex_unlock(&w->mu);
    if (feeder_start(w)) return rt_err(e, "cannot start the window's snapshot thread");
    w->cv.force = 1;
    w->dirty = 1;
    return rc;
}

int sdlwin_tutorial_changed(SdlWin *w) { return w ? atomic_exchange(&w->tut_changed, 0) : 0; }

/* --------------------------------------------------------------- the loop */

static int win_loop(SdlWin *w, volatile const int *stop_flag, RtErr *e) {
    int ww = w->o.w > 0 ? w->o.w : 1280, wh = w->o.h > 0 ? w->o.h : 720;
    /* the window surface straight to X (XShm), not through an OpenGL texture: with no GPU
     * that path is Mesa's llvmpipe, two more threads and more CPU per frame */
    SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
    w->win =
        SDL_CreateWindow("rtviz projector view", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, ww,
                         wh, SDL_WINDOW_RESIZABLE | SDL_WINDOW_ALLOW_HIGHDPI);
    if (!w->win) return rt_err(e, "cannot open the window: %s", SDL_GetError());
    if (bind_target(w, e)) return -1;
    atomic_store(&w->open, 1);
    w->t_open = rt_now();
    SDL_StartTextInput();
    double next = rt_now();
    while (!atomic_load(&w->stop) && !(stop_flag && *stop_flag)) {
        double now = rt_now();
        int ms = next > now ? (int)ceil((next - now) * 1000.0) : 0;
        SDL_Event ev;
        int resized = 0;
        if (SDL_WaitEventTimeout(&ev, ms)) {
            resized |= handle_event(w, &ev);
            while (SDL_PollEvent(&ev))
                resized |= handle_event(w, &ev);
        }
        if (resized && bind_target(w, e)) return -1;
        if (w->chapter_enter) {
            RtErr ce = {{0}};
            w->chapter_enter = 0;
            if (enter_chapter(w, &ce)) ui_status(&w->u, rt_now(), 1, "%s", ce.msg);
        }
        now = rt_now();
        if (now < next) continue; /* input marks the frame dirty; it is drawn at the tick */
        /* the ticks keep a fixed grid: a frame drawn late (the training threads held
         * both cores) is followed at once by the next ticks' until the window is
         * back on time, so it keeps 60 a second on average; more than CATCH_UP
         * ticks behind (asleep, stopped), the missed ones are dropped and the grid
         * starts again now */
        if (w->continuous && now - next > 0.5 * FRAME_S) w->late++;
        next += FRAME_S;
        if (next < now - CATCH_UP * FRAME_S) next = now;
        if (pull_snapshot(w)) {
            /* a new subject (from the terminal, say) gets its sweep animated here too */
            const VsSubject *sj = &w->vs.subject;
            if (w->vs.trace_serial != w->u.trace_seen &&
                (sj->kind != w->subj_kind || sj->index != w->subj_index) && !w->u.anim_pending &&
                sj->kind == VS_SUBJ_TEST)
                w->u.anim_pending = 1;
            w->subj_kind = sj->kind;
            w->subj_index = sj->index;
            /* redraw for a new trace or test pass or run state; the numbers of the
             * training stats come with the periodic redraw below */
            if (w->vs.trace_serial != w->u.trace_seen || w->vs.eval_serial != w->eval_seen ||
                w->vs.run_state != w->run_seen)
                w->dirty = 1;
            w->eval_seen = w->vs.eval_serial;
            w->run_seen = w->vs.run_state;
            if (w->log && w->vs.trace_serial != w->trace_logged) { /* tests wait for re-traces */
                fprintf(w->log, "sdl trace %llu\n", (unsigned long long)w->vs.trace_serial);
                fflush(w->log);
                w->trace_logged = w->vs.trace_serial;
            }
        }
        if (w->o.standalone && ui_retrace_due(&w->u, &w->vs, now)) {
            RtErr e2 = {{0}};
            SessionCmd c = {.id = SES_RETRACE};
            session_lock(w->s);
            session_do(w->s, &c, &e2);
            session_snapshot(w->s, &w->vs);
            session_unlock(w->s);
        }
        if (w->continuous && !w->u.animating && !w->dragging && !w->u.draw_mode)
            ui_start_anim(&w->u, &w->vs, now); /* benchmarks: the sweep over and over */
        if (ui_animate(&w->u, &w->vs, now)) w->dirty = 1;
        ui_observe(&w->u, &w->vs, now);
        int st = atomic_load(&w->job.state);
        if (w->panel && st != w->job_seen) w->dirty = 1; /* the specialty arrived */
        w->job_seen = st;
        if (w->u.animating || w->dragging || w->continuous) w->dirty = 1;
        if (now - w->last_draw > 0.25) w->dirty = 1; /* status lines expire, clocks move */
        if (!w->dirty) continue;
        w->dirty = 0;
        w->last_draw = now;
        render(w, now);
    }
    return 0;
}

/* ------------------------------------------------------------ start, stop */

static SdlWin *win_new(Session *s, const SdlWinOpts *o, RtErr *e) {
    SdlWin *w = rt_calloc(1, sizeof *w, "window state", e);
    if (!w) return NULL;
    w->s = s;
    w->o = *o;
    w->brush = 2;
    w->last_py = -1;
    ui_state_init(&w->u, o->step_ms);
    w->u.mouse = 1;
    pthread_mutex_init(&w->mu, NULL);
    const char *lp = getenv("RTVIZ_SDL_LOG");
    if (lp && *lp) w->log = fopen(lp, "w");
    const char *sp = getenv("RTVIZ_SDL_STATS");
    if (sp && *sp) w->stats = fopen(sp, "w");
    const char *cont = getenv("RTVIZ_SDL_CONTINUOUS");
    w->continuous = !cont || !*cont || *cont == '0' ? 0 : !strcmp(cont, "full") ? 2 : 1;
    w->ft = calloc(4096, sizeof *w->ft);
    session_snapshot(s, &w->vs);
    w->u.index = w->vs.subject.index;
    ui_start_anim(&w->u, &w->vs, rt_now());
    w->u.trace_seen = w->vs.trace_serial;
    w->u.retrace_next = rt_now() + 1.0;
    memcpy(&w->fb, &w->vs, sizeof w->fb);
    if (feeder_start(w)) {
        rt_err(e, "cannot start the window's snapshot thread");
        free(w->ft);
        free(w);
        return NULL;
    }
    return w;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void win_free(SdlWin *w) {
    atomic_store(&w->stop, 1);
    feeder_join(w);
    if (w->job_started) pthread_join(w->job.th, NULL);
    if (w->stats && w->frames > 0) {
        /* the rate between the first frame's start and the last one's: not the
         * window's opening nor its closing */
        double wall = w->frames > 1 ? w->t_last - w->t_first : rt_now() - w->t_open;
        long nf = w->frames > 1 ? w->frames - 1 : w->frames;
        long n = w->frames < 4096 ? w->frames : 4096;
        qsort(w->ft, (size_t)n, sizeof *w->ft, cmp_double);
        fprintf(
            w->stats,
            "sdl_summary frames %ld seconds %.2f fps %.1f draw_cpu_ms_avg %.2f draw_ms_avg %.2f "
            "draw_ms_p95 %.2f draw_ms_max %.2f size %dx%d sent_share %.3f bg_draws %ld "
            "net_draws %ld net_mixed_px_avg %.0f late %ld pane_draws "
            "%ld,%ld,%ld,%ld,%ld,%ld,%ld,%ld,%ld "
            "rects_avg %.1f\n",
            w->frames, wall, nf / wall, 1000.0 * w->cpu_s / w->frames,
            1000.0 * w->draw_s / w->frames, 1000.0 * w->ft[(long)(0.95 * (n - 1))],
            1000.0 * w->draw_max, w->target ? w->target->w : 0, w->target ? w->target->h : 0,
            w->target ? w->px_sent / ((double)w->frames * w->target->w * w->target->h) : 0.0,
            w->cv.bg_draws, w->cv.net_draws, (double)w->cv.mix_px / (double)w->frames, w->late,
            w->cv.pane_draws[0], w->cv.pane_draws[1], w->cv.pane_draws[2], w->cv.pane_draws[3],
            w->cv.pane_draws[4], w->cv.pane_draws[5], w->cv.pane_draws[6], w->cv.pane_draws[7],
            w->cv.pane_draws[8], (double)w->rects / (double)w->frames);
    }
    if (w->stats) fclose(w->stats);
    if (w->log) fclose(w->log);
    if (w->have_cv) sv_canvas_free(&w->cv);
    if (w->own) SDL_FreeSurface(w->own);
    if (w->win) SDL_DestroyWindow(w->win);
    pthread_mutex_destroy(&w->mu);
    free(w->ft);
    free(w);
}

/* Two X errors mean nothing here, and Xlib's default handler would turn
 * either into exit(1):
 * - SDL 2 wakes its event wait by XSendEvent to the window on a second X
 *   connection. The X server may handle a wake-up still in flight after the
 *   window's XDestroyWindow from the main connection: BadWindow (read at
 *   SDL_QuitSubSystem, after the window was closed).
 * - With no window manager seen when the window is shown, SDL gives it the
 *   input focus itself; a manager that starts meanwhile and reparents the
 *   window leaves it unviewable for a moment: BadMatch on XSetInputFocus (the
 *   focus request fails; the manager gives focus).
 * Both are ignored; every other error goes on to the handler before ours.
 * Installed before SDL's video starts, so SDL's own handler chains to it. */
static XErrorHandler x_prev_handler;
static int x_error(Display *d, XErrorEvent *ev) {
    if (ev->error_code == BadWindow && ev->request_code == X_SendEvent) return 0;
    if (ev->error_code == BadMatch && ev->request_code == X_SetInputFocus) return 0;
    return x_prev_handler ? x_prev_handler(d, ev) : 0;
}

int sdlwin_probe(RtErr *e) {
    const char *drv = getenv("SDL_VIDEODRIVER"), *x = getenv("DISPLAY"),
               *wl = getenv("WAYLAND_DISPLAY");
    int asked = drv && *drv; /* SDL_VIDEODRIVER given: whatever it names is meant */
    if (!asked && !(x && *x) && !(wl && *wl))
        return rt_err(e, "no display for the window (DISPLAY and WAYLAND_DISPLAY are not set)");
    if (!asked) /* the display the environment names, not a search of every driver */
        SDL_SetHint(SDL_HINT_VIDEODRIVER,
                    wl && *wl ? (x && *x ? "wayland,x11" : "wayland") : "x11");
    static int x_handler_set;
    if (!x_handler_set) {
        x_prev_handler = XSetErrorHandler(x_error);
        x_handler_set = 1;
    }
    if (SDL_InitSubSystem(SDL_INIT_VIDEO) != 0)
        return rt_err(e, "no display for the window (SDL: %s)", SDL_GetError());
    const char *cur = SDL_GetCurrentVideoDriver();
    if (!asked && cur && (!strcmp(cur, "offscreen") || !strcmp(cur, "dummy"))) {
        SDL_QuitSubSystem(SDL_INIT_VIDEO);
        return rt_err(e, "no display for the window (SDL found only its %s driver)", cur);
    }
    if (TTF_Init() != 0) {
        SDL_QuitSubSystem(SDL_INIT_VIDEO);
        return rt_err(e, "SDL_ttf: %s", TTF_GetError());
    }
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, 64, 64, 32, SDL_PIXELFORMAT_RGB888);
    Gfx g;
    int rc = s ? gfx_init(&g, s, e) : rt_err(e, "out of memory");
    if (rc == 0) gfx_free(&g);
    if (s) SDL_FreeSurface(s);
    if (rc) {
        TTF_Quit();
        SDL_QuitSubSystem(SDL_INIT_VIDEO);
    }
    return rc;
}

static void *win_thread(void *arg) {
    SdlWin *w = arg;
    RtErr e = {{0}};
    if (win_loop(w, NULL, &e) && w->log) fprintf(w->log, "sdl error %s\n", e.msg);
    if (w->win) SDL_DestroyWindow(w->win);
    w->win = NULL;
    atomic_store(&w->open, 0);
    return NULL;
}

SdlWin *sdlwin_start(Session *s, const SdlWinOpts *o, RtErr *e) {
    SdlWin *w = win_new(s, o, e);
    if (!w) return NULL;
    atomic_store(&w->open, 1); /* until the thread says otherwise */
    if (pthread_create(&w->th, NULL, win_thread, w) != 0) {
        rt_err(e, "cannot start the window's thread");
        win_free(w);
        return NULL;
    }
    w->th_started = 1;
    return w;
}

int sdlwin_open(const SdlWin *w) { return w && atomic_load(&w->open); }

void sdlwin_stop(SdlWin *w) {
    if (!w) return;
    atomic_store(&w->stop, 1);
    if (w->th_started) pthread_join(w->th, NULL);
    win_free(w);
    TTF_Quit();
    SDL_QuitSubSystem(SDL_INIT_VIDEO);
}

int sdlwin_run(Session **sp, const SdlWinOpts *o, volatile const int *stop_flag, RtErr *e) {
    SdlWin *w = win_new(*sp, o, e);
    if (!w) return -1;
    w->owner = sp;
    if (o->tut) { /* the chapter's view and θ step, as the terminal applies them */
        static Scenario sc;
        Scenario base;
        if (o->base)
            base = *o->base;
        else
            memset(&base, 0, sizeof base);
        RtErr e2 = {{0}};
        if (tutorial_scenario(o->tut, o->tut->cur, &base, &sc, &e2) == 0) {
            session_lock(w->s);
            ActionCtx c = {.s = w->s, .tut = o->tut, .ui = &w->u, .vs = &w->vs, .now = rt_now()};
            action_apply_scenario(&c, &sc);
            session_unlock(w->s);
        }
    }
    int rc = session_start(*sp, e);
    if (rc == 0) rc = win_loop(w, stop_flag, e);
    win_free(w);
    TTF_Quit();
    SDL_QuitSubSystem(SDL_INIT_VIDEO);
    return rc;
}
