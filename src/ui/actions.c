/* actions.c — the action table and what each action does (actions.h).
 * Front-end-neutral: the UiState, the Session, and reactions out. */
#include "actions.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "range.h"
#include "tutorial.h"

const ActionDef ACTIONS[ACT_COUNT] = {
    [ACT_NONE] = {ACT_NONE, "", ""},
    [ACT_PAUSE] = {ACT_PAUSE, "pause", "pause / resume training"},
    [ACT_STEP_ONE] = {ACT_STEP_ONE, "step", "train one minibatch (while paused)"},
    [ACT_FLOOR] = {ACT_FLOOR, "floor",
                   "raise / lower the θ floor by 0.01 (training goes on under it)"},
    [ACT_TAU] = {ACT_TAU, "τ", "lower / raise τ, the confidence that stops a sweep"},
    [ACT_THETA] = {ACT_THETA, "θ", "move θ by hand along the traced image's sweep"},
    [ACT_IMAGE] = {ACT_IMAGE, "image", "trace the next / previous test image"},
    [ACT_TRACE_INDEX] = {ACT_TRACE_INDEX, "", "trace a test image by its index"},
    [ACT_GALLERY_PICK] = {ACT_GALLERY_PICK, "", "trace a gallery image"},
    [ACT_REPLAY] = {ACT_REPLAY, "replay", "replay the sweep: θ steps down the schedule"},
    [ACT_GALLERY] = {ACT_GALLERY, "gallery", "show the gallery (compact screens: toggle it)"},
    [ACT_CONFUSION] = {ACT_CONFUSION, "confusion", "confusion matrix ↔ gallery"},
    [ACT_DRAW] = {ACT_DRAW, "draw", "draw your own image (d again: back)"},
    [ACT_CURSOR] = {ACT_CURSOR, "move", "draw mode: move the cursor"},
    [ACT_PAINT] = {ACT_PAINT, "paint", "draw mode: paint at the cursor"},
    [ACT_PAINT_AT] = {ACT_PAINT_AT, "", "draw mode: paint where the pointer is"},
    [ACT_CLEAR] = {ACT_CLEAR, "clear", "draw mode: clear the canvas"},
    [ACT_SAVE] = {ACT_SAVE, "save", "save a checkpoint (--save FILE or ./rtviz.ckpt)"},
    [ACT_RESTART] = {ACT_RESTART, "restart", "restart from scratch with the same seed"},
    [ACT_HELP] = {ACT_HELP, "help",
                  "this help (? or Esc closes it, q quits; ^L redraws the screen)"},
    [ACT_HELP_SCROLL] = {ACT_HELP_SCROLL, "", "scroll the help"},
    [ACT_REDRAW] = {ACT_REDRAW, "", "redraw the screen"},
    [ACT_DISMISS] = {ACT_DISMISS, "", "close the help; hide the alert (NaN/Inf or error)"},
    [ACT_QUIT] = {ACT_QUIT, "quit", "quit from anywhere (asks once if training is unsaved)"},
    [ACT_CHAPTER] = {ACT_CHAPTER, "",
                     "tutorial: next / previous chapter (a answer, PgDn/PgUp text, H pane)"},
    [ACT_ANSWER] = {ACT_ANSWER, "", "tutorial: show / hide the answer to the chapter's question"},
    [ACT_TUT_SCROLL] = {ACT_TUT_SCROLL, "", "tutorial: scroll the chapter's text"},
    [ACT_TUT_PANE] = {ACT_TUT_PANE, "",
                      "tutorial: hide / show the chapter pane (small screens: the network)"},
    [ACT_PACE] = {ACT_PACE, "pace",
                  "training slower / faster: 1, 2, 5 ... 200 minibatches a second, full speed"},
    [ACT_SWEEP_SPEED] = {ACT_SWEEP_SPEED, "sweep",
                         "the sweep slower / faster: 2000 ... 40 ms per θ step"},
    [ACT_KEYS_PAGE] = {ACT_KEYS_PAGE, "more keys", "the key line's next page (narrow screens)"},
    [ACT_LOAD] = {ACT_LOAD, "load",
                  "load an image file onto the canvas (Tab completes the path, Tab Tab lists)"},
    [ACT_SWEEP_MODE] = {ACT_SWEEP_MODE, "step θ",
                        "step mode: the sweep waits at each θ for → (s again: it plays)"},
};

const char *action_name(ActionId id) {
    return id >= 0 && id < ACT_COUNT && ACTIONS[id].name ? ACTIONS[id].name : "";
}

const char *action_help(ActionId id) {
    return id >= 0 && id < ACT_COUNT && ACTIONS[id].help ? ACTIONS[id].help : "";
}

/* ---------------------------------------------------------------- helpers */

/* A fresh snapshot after the run changed, and the animation it implies. */
static void refresh(ActionCtx *c) {
    if (!c->s) return;
    session_snapshot(c->s, c->vs);
    ui_animate(c->ui, c->vs, c->now);
}

static Reaction trace_test(ActionCtx *c, int i) {
    UiState *u = c->ui;
    u->anim_pending = 1;
    u->retrace_next = c->now + 1.0;
    if (c->s) {
        RtErr e = {{0}};
        if (session_trace_test(c->s, i, &e)) {
            ui_status(u, c->now, 1, "%s", e.msg);
            return RE_REDRAW;
        }
        refresh(c);
        u->index = c->vs->subject.index;
    } else
        u->index = i;
    return RE_REDRAW | RE_RETRACE;
}

static Reaction trace_canvas(ActionCtx *c) {
    UiState *u = c->ui;
    u->anim_pending = 2;
    u->retrace_next = c->now + 1.0;
    if (c->s) {
        static VsSubject sj; /* large: not on the stack of every key */
        memset(&sj, 0, sizeof sj);
        sj.kind = VS_SUBJ_CANVAS;
        sj.label = -1;
        memcpy(sj.pix, u->canvas, sizeof sj.pix);
        SessionCmd cmd = {.id = SES_TRACE, .subject = &sj};
        RtErr e = {{0}};
        if (session_do(c->s, &cmd, &e)) {
            ui_status(u, c->now, 1, "%s", e.msg);
            return RE_REDRAW;
        }
        refresh(c);
    }
    return RE_REDRAW | RE_RETRACE;
}

/* Trace the subject shown again (after θ floor or τ changed). */
static Reaction trace_shown(ActionCtx *c) {
    return c->ui->draw_mode ? trace_canvas(c) : trace_test(c, c->ui->index);
}

static void paint(UiState *u, const ViewState *vs, int py, int px, int strong) {
    int h = vs->h, w = vs->w, ch = vs->ch;
    for (int dy = -1; dy <= 1; dy++)
        for (int dx = -1; dx <= 1; dx++) {
            int y = py + dy, x = px + dx;
            if (y < 0 || y >= h || x < 0 || x >= w) continue;
            int v = (dy == 0 && dx == 0) ? 255 : (dy == 0 || dx == 0) ? (strong ? 190 : 150) : 60;
            for (int k = 0; k < ch; k++) {
                size_t at = (size_t)k * h * w + (size_t)y * w + x;
                if (at < sizeof u->canvas && u->canvas[at] < v) u->canvas[at] = (uint8_t)v;
            }
        }
}

/* The MLP has no θ: actions about θ, τ and the floor say so instead. */
static int no_theta(ActionCtx *c) {
    if (c->vs->arch != ARCH_MLP) return 0;
    ui_status(c->ui, c->now, 0,
              "dense MLP: no θ, floor, τ or sweep; every layer runs for every image");
    return 1;
}

static Reaction fail_cmd(ActionCtx *c, const char *what, const RtErr *e) {
    ui_status(c->ui, c->now, 1, "%s: %s", what, e->msg);
    return RE_REDRAW;
}

/* ---------------------------------------------------------------- actions */

static Reaction act_pause(ActionCtx *c) {
    UiState *u = c->ui;
    int resume = c->vs->run_state != VS_RUNNING;
    if (c->s) {
        RtErr e = {{0}};
        if (session_cmd(c->s, resume ? SES_RESUME : SES_PAUSE, &e)) return fail_cmd(c, "pause", &e);
        refresh(c);
    } else
        c->vs->run_state = resume ? VS_RUNNING : VS_PAUSED;
    ui_status(u, c->now, 0,
              resume ? "training resumed" : "paused: . trains one minibatch, space resumes");
    return RE_REDRAW;
}

static Reaction act_step_one(ActionCtx *c) {
    UiState *u = c->ui;
    if (c->vs->run_state == VS_RUNNING) {
        ui_status(u, c->now, 0, ". steps one minibatch while paused (space pauses)");
        return RE_REDRAW;
    }
    if (!c->s) return RE_NONE;
    RtErr e = {{0}};
    SessionCmd cmd = {.id = SES_STEP, .n = 1};
    int rc = session_do(c->s, &cmd, &e);
    refresh(c);
    if (rc == 0)
        ui_status(u, c->now, 0, "one minibatch: step %ld, loss %.3f", c->vs->step,
                  (double)c->vs->loss);
    else
        u->status[0] = 0; /* the alert says what happened */
    return RE_REDRAW | RE_RETRACE;
}

static Reaction act_floor(ActionCtx *c, int dir) {
    if (no_theta(c)) return RE_REDRAW;
    float f = c->vs->floor + (dir > 0 ? 0.01f : -0.01f);
    f = (float)((int)(f * 1000.0f + (f >= 0 ? 0.5f : -0.5f))) / 1000.0f; /* no drift */
    float want = f;
    f = range_theta_clamp(f, c->vs->arch, c->vs->L); /* below 1/(L+1): rays still get through */
    if (c->s) {
        RtErr e = {{0}};
        if (session_cmd_x(c->s, SES_SET_FLOOR, f, &e)) return fail_cmd(c, "floor", &e);
    }
    c->ui->floor_changed = 1;
    if (want > f)
        ui_status(c->ui, c->now, 0,
                  "θ floor %.3f, its top: at %.3g = 1/(L+1) no ray would reach "
                  "the output",
                  (double)f, range_theta_max(c->vs->arch, c->vs->L));
    else if (c->vs->floor_cliff >= 0.0f && f > c->vs->floor_cliff + 0.001f)
        ui_status(c->ui, c->now, 1,
                  "θ floor %.3f is above the cliff %.2f: most images will reach no output",
                  (double)f, (double)c->vs->floor_cliff);
    else
        ui_status(c->ui, c->now, 0, "θ floor %.3f: training continues under the new floor%s",
                  (double)f, c->vs->run_state != VS_RUNNING ? " after resume" : "");
    return trace_shown(c);
}

static Reaction act_tau(ActionCtx *c, int dir) {
    if (no_theta(c)) return RE_REDRAW;
    float t = c->vs->tau + (dir > 0 ? 0.05f : -0.05f);
    t = (float)((int)(t * 100.0f + 0.5f)) / 100.0f;
    if (t < 0.05f) t = 0.05f;
    if (t > 1.0f) t = 1.0f;
    if (c->s) {
        RtErr e = {{0}};
        if (session_cmd_x(c->s, SES_SET_TAU, t, &e)) return fail_cmd(c, "τ", &e);
    }
    ui_status(c->ui, c->now, 0, "τ %.2f: a sweep stops once the top class has p ≥ τ", (double)t);
    return trace_shown(c);
}

static Reaction act_theta(ActionCtx *c, int dir) {
    if (no_theta(c)) return RE_REDRAW;
    UiState *u = c->ui;
    int n = c->vs->trace.nsteps;
    if (n <= 0) return RE_NONE;
    u->animating = 0;
    u->manual_step = 1;
    u->step += dir > 0 ? 1 : -1;
    if (u->step < 0) u->step = 0;
    if (u->step >= n) u->step = n - 1;
    return RE_REDRAW;
}

static Reaction act_cursor(ActionCtx *c, const ActionArg *a) {
    UiState *u = c->ui;
    int h = c->vs->h, w = c->vs->w;
    u->cur_y += a->dy;
    u->cur_x += a->dx;
    if (u->cur_y < 0) u->cur_y = 0;
    if (u->cur_x < 0) u->cur_x = 0;
    if (u->cur_y > h - 1) u->cur_y = h - 1;
    if (u->cur_x > w - 1) u->cur_x = w - 1;
    return RE_REDRAW;
}

static Reaction act_gallery_pick(ActionCtx *c, int cell) {
    UiState *u = c->ui;
    const ViewState *vs = c->vs;
    if (!vs->gallery_valid || cell < 0 || cell >= 2 * VS_GALLERY) return RE_NONE;
    if (vs->arch == ARCH_MLP && cell >= VS_GALLERY) return RE_NONE; /* one group only */
    int index = cell < VS_GALLERY ? vs->easy[cell].index : vs->hard[cell - VS_GALLERY].index;
    Reaction r = RE_NONE;
    u->gallery_sel = cell;
    if (u->draw_mode) {
        u->draw_mode = 0;
        u->painting = 0;
        r |= RE_POINTER | RE_RELAYOUT;
    }
    r |= trace_test(c, index);
    ui_status(u, c->now, 0, "tracing test image #%d (%s)", index,
              cell < VS_GALLERY ? "easy" : "hard");
    if (u->compact && u->lower_view) {
        u->lower_view = 0; /* show its sweep */
        r |= RE_RELAYOUT;
    }
    return r;
}

static Reaction act_draw(ActionCtx *c) {
    UiState *u = c->ui;
    u->draw_mode = !u->draw_mode;
    u->painting = 0;
    Reaction r = RE_POINTER | RE_RELAYOUT;
    if (u->draw_mode) {
        if (u->compact) u->lower_view = 0;
        u->cur_y = c->vs->h / 2;
        u->cur_x = c->vs->w / 2;
        ui_status(u, c->now, 0,
                  "draw mode: paint with the mouse or arrows + Enter; l loads a file; d returns");
        r |= trace_canvas(c);
    } else {
        ui_status(u, c->now, 0, "back to test image #%d", u->index);
        r |= trace_test(c, u->index);
    }
    return r;
}

static Reaction act_save(ActionCtx *c) {
    if (!c->s) return RE_NONE;
    RtErr e = {{0}};
    static SessionSaveInfo si;
    if (session_save(c->s, NULL, &si, &e)) {
        ui_status(c->ui, c->now, 1, "save failed: %s", e.msg);
        return RE_REDRAW;
    }
    c->ui->saved_step = si.step;
    char was[96] = "a new file";
    if (si.replaced) {
        time_t t = (time_t)si.old_mtime;
        struct tm tm;
        char when[32] = "?";
        if (localtime_r(&t, &tm)) strftime(when, sizeof when, "%H:%M:%S", &tm);
        if (si.replaced == 1)
            snprintf(was, sizeof was, "replaced step %ld of %s", si.old_step, when);
        else
            snprintf(was, sizeof was, "replaced a non-checkpoint file of %s", when);
    }
    ui_status(c->ui, c->now, 0, "saved step %ld (epoch %d) to %s: %s", si.step, si.epoch, si.path,
              was);
    return RE_REDRAW;
}

/* q: quit, but ask once when training since the last save would be lost. */
static Reaction act_quit(ActionCtx *c) {
    UiState *u = c->ui;
    long unsaved = c->vs->step - (u->saved_step > 0 ? u->saved_step : 0);
    if (u->quit_ask || unsaved <= 0 || !c->s) return RE_QUIT;
    u->quit_ask = 1;
    int relayout = u->help;
    u->help = 0; /* the question must be seen */
    ui_status(u, c->now, 1,
              "quit? %ld minibatches are not saved: q or y quits, S saves, any other key stays",
              unsaved);
    u->status_until = c->now + 3600.0; /* until answered */
    return relayout ? RE_RELAYOUT : RE_REDRAW;
}

static Reaction act_pace(ActionCtx *c, int dir) {
    UiState *u = c->ui;
    int p = vm_pace_next(u->pace, dir);
    if (c->s) {
        RtErr e = {{0}};
        if (session_cmd_x(c->s, SES_SET_PACE, (float)p, &e)) return fail_cmd(c, "pace", &e);
    }
    u->pace = p;
    char b[32];
    vm_fmt_pace(b, sizeof b, p);
    if (p > 0)
        ui_status(u, c->now, 0, "pace %s: %d minibatch%s of %s a second ([ slower, ] faster)", b, p,
                  p == 1 ? "" : "es", "training");
    else
        ui_status(u, c->now, 0, "pace full speed: training as fast as it goes ([ slows it)");
    return RE_REDRAW;
}

static Reaction act_sweep_speed(ActionCtx *c, int dir) {
    if (no_theta(c)) return RE_REDRAW;
    UiState *u = c->ui;
    u->step_ms = vm_sweep_next(u->step_ms, dir);
    if (u->animating) u->anim_next = c->now + u->step_ms / 1000.0;
    ui_status(u, c->now, 0, "sweep %d ms per θ step (< slower, > faster; r replays)", u->step_ms);
    return RE_REDRAW;
}

static Reaction act_sweep_mode(ActionCtx *c) {
    if (no_theta(c)) return RE_REDRAW;
    UiState *u = c->ui;
    u->sweep_manual = !u->sweep_manual;
    if (u->sweep_manual) {
        u->animating = 0;
        u->manual_step = 1;
        u->step = 0;
        ui_status(u, c->now, 0, "step mode: → shows the next θ, ← the one before; s plays again");
    } else {
        ui_start_anim(u, c->vs, c->now);
        ui_status(u, c->now, 0, "the sweep plays again, %d ms per θ step", u->step_ms);
    }
    return RE_REDRAW;
}

/* Load an image file onto the canvas: traced like a drawing (the sweep and
 * the prediction live), and retouched by painting. Without a path the front
 * end is asked for one (UiState.load_ask). A failed load leaves the canvas
 * and the trace as they were. */
static Reaction act_load(ActionCtx *c, const char *path) {
    UiState *u = c->ui;
    if (!path) {
        u->load_ask = 1;
        return RE_REDRAW;
    }
    if (!c->s) return RE_NONE;
    static SessionImage im; /* large: not on the stack */
    RtErr e = {{0}};
    int anim = u->anim_pending;
    u->anim_pending = 1; /* its sweep plays, as a test image's */
    if (session_load_image(c->s, path, &im, &e)) {
        u->anim_pending = anim;
        /* the file's name rather than its whole path: the line stays short */
        const char *base = strrchr(path, '/'), *msg = e.msg;
        size_t pl = strlen(path);
        if (base && base[1] && strncmp(msg, path, pl) == 0 && msg[pl] == ':')
            ui_status(u, c->now, 1, "load %s%s", base + 1, msg + pl);
        else
            ui_status(u, c->now, 1, "load: %s", msg);
        return RE_REDRAW;
    }
    Reaction r = RE_REDRAW | RE_RETRACE;
    memcpy(u->canvas, im.pix, sizeof u->canvas);
    snprintf(u->loaded, sizeof u->loaded, "%.60s", im.name);
    u->loaded_live = 1;
    u->retrace_next = c->now + 1.0;
    u->gallery_sel = -1;
    if (!u->draw_mode) {
        u->draw_mode = 1;
        u->painting = 0;
        if (u->compact) u->lower_view = 0;
        u->cur_y = c->vs->h / 2;
        u->cur_x = c->vs->w / 2;
        r |= RE_POINTER | RE_RELAYOUT;
    }
    refresh(c);
    ui_status(u, c->now, 0, "loaded %s (%d×%d%s)%s", im.name, im.w, im.h,
              im.inverted ? ", inverted" : "",
              im.blank ? ": nothing stands out of its background" : "; paint to retouch it");
    return r;
}

/* A key of the normal view pressed in draw mode: say why nothing happens. */
static Reaction draw_only_normal(ActionCtx *c, const char *what) {
    ui_status(c->ui, c->now, 0, "draw mode: %s needs the test images; d goes back to them", what);
    return RE_REDRAW;
}

static Reaction act_restart(ActionCtx *c) {
    if (!c->s) return RE_NONE;
    RtErr e = {{0}};
    if (session_cmd(c->s, SES_RESTART, &e)) {
        snprintf(c->error, sizeof c->error, "restart failed: %.200s", e.msg);
        return RE_FAILED | RE_QUIT;
    }
    refresh(c);
    c->ui->saved_step = c->vs->step; /* the run starts again where it was loaded */
    Reaction r = trace_shown(c);
    ui_status(c->ui, c->now, 0, "restarted with seed %llu%s: the same run replays%s",
              (unsigned long long)session_seed(c->s),
              session_from_checkpoint(c->s) ? " from the checkpoint" : "",
              c->vs->run_state != VS_RUNNING ? " (paused: space resumes)" : "");
    return r | RE_RELAYOUT;
}

static Reaction act_help_scroll(ActionCtx *c, const ActionArg *a) {
    UiState *u = c->ui;
    int s = u->help_scroll;
    if (a->index == 1)
        s = 0;
    else if (a->index == 2)
        s = u->help_max;
    else
        s += a->dir * (a->page ? (u->help_page > 1 ? u->help_page : 1) : 1);
    u->help_scroll = s < 0 ? 0 : s > u->help_max ? u->help_max : s;
    return RE_REDRAW;
}

static Reaction act_dismiss(ActionCtx *c) {
    if (c->ui->help) { /* Esc closes the overlay, as in less */
        c->ui->help = 0;
        return RE_RELAYOUT;
    }
    char text[768], brief[256];
    const char *title;
    int bad;
    uint64_t key;
    if (vm_alert(c->vs, c->ui, text, sizeof text, &title, &bad, brief, sizeof brief, &key)) {
        c->ui->alert_hidden = key;
        return RE_RELAYOUT; /* repaint what it covered */
    }
    return RE_REDRAW;
}

/* The tutorial's keys: a chapter change is the front end's to carry out
 * (RE_CHAPTER: a fresh Session on the chapter's scenario). */
static Reaction act_tutorial(ActionCtx *c, ActionId id, int dir) {
    Tutorial *t = c->tut;
    if (!t || t->n <= 0) {
        ui_status(c->ui, c->now, 0, "no tutorial here: start rtviz --tutorial");
        return RE_REDRAW;
    }
    if (id == ACT_ANSWER) {
        t->revealed = !t->revealed;
        return RE_REDRAW;
    }
    if (id == ACT_TUT_PANE) {
        t->hidden = !t->hidden;
        if (t->hidden) ui_status(c->ui, c->now, 0, "H shows the chapter again");
        return RE_RELAYOUT;
    }
    if (id == ACT_TUT_SCROLL) {
        t->scroll += dir < 0 ? -4 : 4; /* the front end clamps it to the text */
        if (t->scroll < 0) t->scroll = 0;
        return RE_REDRAW;
    }
    int to = t->cur + (dir < 0 ? -1 : 1);
    if (to < 0 || to >= t->n) {
        ui_status(c->ui, c->now, 0, "%s",
                  to < 0 ? "this is the first chapter" : "this is the last chapter: [ goes back");
        return RE_REDRAW;
    }
    tutorial_select(t, to);
    return RE_CHAPTER | RE_RELAYOUT;
}

Reaction action_run(ActionCtx *c, ActionId id, const ActionArg *arg) {
    static const ActionArg none = {0};
    const ActionArg *a = arg ? arg : &none;
    UiState *u = c->ui;
    c->error[0] = 0;
    if (u->quit_ask && id != ACT_QUIT) { /* any other key: stay */
        u->quit_ask = 0;
        u->status[0] = 0;
    }
    switch (id) {
    case ACT_NONE:
    case ACT_COUNT:
        return RE_NONE;
    case ACT_PAUSE:
        return act_pause(c);
    case ACT_STEP_ONE:
        return act_step_one(c);
    case ACT_FLOOR:
        return act_floor(c, a->dir);
    case ACT_TAU:
        return act_tau(c, a->dir);
    case ACT_THETA:
        return act_theta(c, a->dir);
    case ACT_IMAGE:
        if (u->draw_mode)
            return draw_only_normal(c, a->dir < 0 ? "p (previous image)" : "n (next image)");
        u->gallery_sel = -1;
        return trace_test(c, u->index + (a->dir < 0 ? -1 : 1));
    case ACT_TRACE_INDEX:
        u->gallery_sel = -1;
        return trace_test(c, a->index);
    case ACT_GALLERY_PICK:
        return act_gallery_pick(c, a->index);
    case ACT_REPLAY:
        if (no_theta(c)) return RE_REDRAW;
        ui_start_anim(u, c->vs, c->now);
        return RE_REDRAW;
    case ACT_GALLERY:
        if (u->draw_mode && u->compact) return draw_only_normal(c, "g (the gallery)");
        if (u->compact) u->lower_view = !(u->lower_view && !u->confusion);
        u->confusion = 0;
        return RE_RELAYOUT;
    case ACT_CONFUSION:
        if (u->draw_mode && u->compact) return draw_only_normal(c, "c (the confusion matrix)");
        if (u->compact && !u->lower_view) {
            u->lower_view = 1;
            u->confusion = 1;
        } else if (u->compact && u->confusion) {
            u->lower_view = 0;
            u->confusion = 0;
        } else
            u->confusion = !u->confusion;
        return RE_RELAYOUT;
    case ACT_DRAW:
        return act_draw(c);
    case ACT_CURSOR:
        return act_cursor(c, a);
    case ACT_PAINT:
        u->loaded_live = 0;
        paint(u, c->vs, u->cur_y, u->cur_x, 1);
        return trace_canvas(c);
    case ACT_PAINT_AT:
        if (a->y < 0 || a->y >= c->vs->h || a->x < 0 || a->x >= c->vs->w) return RE_NONE;
        u->loaded_live = 0;
        paint(u, c->vs, a->y, a->x, 1);
        if (a->y + 1 < c->vs->h) paint(u, c->vs, a->y + 1, a->x, 1); /* a cell is two pixels */
        u->cur_y = a->y;
        u->cur_x = a->x;
        u->painting = 1;
        return trace_canvas(c);
    case ACT_CLEAR:
        memset(u->canvas, 0, sizeof u->canvas);
        u->loaded[0] = 0;
        u->loaded_live = 0;
        return trace_canvas(c);
    case ACT_SAVE:
        return act_save(c);
    case ACT_RESTART:
        return act_restart(c);
    case ACT_HELP:
        u->help = !u->help;
        u->help_scroll = 0;
        return RE_RELAYOUT;
    case ACT_HELP_SCROLL:
        return act_help_scroll(c, a);
    case ACT_REDRAW:
        return RE_RELAYOUT;
    case ACT_DISMISS:
        return act_dismiss(c);
    case ACT_QUIT:
        return act_quit(c);
    case ACT_PACE:
        return act_pace(c, a->dir);
    case ACT_SWEEP_SPEED:
        return act_sweep_speed(c, a->dir);
    case ACT_SWEEP_MODE:
        return act_sweep_mode(c);
    case ACT_KEYS_PAGE:
        u->keys_page++;
        return RE_RELAYOUT;
    case ACT_LOAD:
        return act_load(c, a->path);
    case ACT_CHAPTER:
    case ACT_ANSWER:
    case ACT_TUT_SCROLL:
    case ACT_TUT_PANE:
        return act_tutorial(c, id, a->dir);
    }
    return RE_NONE;
}

Reaction action_apply_scenario(ActionCtx *c, const Scenario *sc) {
    UiState *u = c->ui;
    Reaction r = RE_NONE;
    switch (sc->view) {
    case SCN_VIEW_GALLERY:
        if (u->draw_mode) r |= action_run(c, ACT_DRAW, NULL);
        u->confusion = 0;
        u->lower_view = u->compact;
        r |= RE_RELAYOUT;
        break;
    case SCN_VIEW_CONFUSION:
        if (u->draw_mode) r |= action_run(c, ACT_DRAW, NULL);
        u->confusion = 1;
        u->lower_view = u->compact;
        r |= RE_RELAYOUT;
        break;
    case SCN_VIEW_DRAW:
        if (!u->draw_mode) r |= action_run(c, ACT_DRAW, NULL);
        break;
    default:
        if (u->draw_mode) r |= action_run(c, ACT_DRAW, NULL);
        u->lower_view = 0;
        u->confusion = 0;
        r |= RE_RELAYOUT;
        break;
    }
    if (sc->theta_step >= 0 && c->vs->trace.nsteps > 0) {
        u->animating = 0;
        u->anim_pending = 0;
        u->manual_step = 1;
        u->step = sc->theta_step < c->vs->trace.nsteps ? sc->theta_step : c->vs->trace.nsteps - 1;
        r |= RE_REDRAW;
    }
    return r;
}
