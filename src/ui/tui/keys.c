/* keys.c — the one key table: dispatch, the key line and the `?` overlay are
 * all generated from KEYS, so help cannot drift from what the keys do. */
#include <string.h>

#include "app.h"

#define CTRL_L 12

static void k_pause(App *a, int k) {
    (void)k;
    a->v.paused = !a->v.paused;
    if (!a->v.paused) app_alert_clear(a);
    app_status(a, 0,
               a->v.paused ? "paused: . trains one minibatch, space resumes" : "training resumed");
}
static void k_one(App *a, int k) {
    (void)k;
    if (!a->v.paused) {
        app_status(a, 0, ". steps one minibatch while paused (space pauses)");
        return;
    }
    app_train_one(a);
}
/* The MLP has no θ: keys about θ, τ and the floor say so instead. */
static int no_theta(App *a) {
    if (a->vs->arch != ARCH_MLP) return 0;
    app_status(a, 0, "dense MLP: no θ, floor, τ or sweep; every layer runs for every image");
    return 1;
}
static void k_floor(App *a, int k) {
    if (no_theta(a)) return;
    float f = a->vs->floor + (k == '+' || k == '=' ? 0.01f : -0.01f);
    f = (float)((int)(f * 1000.0f + (f >= 0 ? 0.5f : -0.5f))) / 1000.0f; /* no drift */
    if (f < 0.0f) f = 0.0f;
    if (f > 0.95f) f = 0.95f;
    trainer_set_floor(a->t, f);
    a->v.floor_changed = 1;
    app_status(a, 0, "θ floor %.3f: training continues under the new floor%s", (double)f,
               a->v.paused ? " after resume" : "");
    if (a->v.draw_mode)
        app_trace_canvas(a);
    else
        app_trace_test(a, a->index);
}
static void k_tau(App *a, int k) {
    if (no_theta(a)) return;
    float t = a->vs->tau + (k == 'T' ? 0.05f : -0.05f);
    t = (float)((int)(t * 100.0f + 0.5f)) / 100.0f;
    if (t < 0.05f) t = 0.05f;
    if (t > 1.0f) t = 1.0f;
    trainer_set_tau(a->t, t);
    app_status(a, 0, "τ %.2f: a sweep stops once the top class has p ≥ τ", (double)t);
    if (a->v.draw_mode)
        app_trace_canvas(a);
    else
        app_trace_test(a, a->index);
}
static void k_theta(App *a, int k) {
    if (no_theta(a)) return;
    int n = a->vs->trace.nsteps;
    if (n <= 0) return;
    a->v.animating = 0;
    a->manual_step = 1;
    a->v.step += k == KEY_RIGHT ? 1 : -1;
    if (a->v.step < 0) a->v.step = 0;
    if (a->v.step >= n) a->v.step = n - 1;
}
static void k_cursor(App *a, int k) {
    int h = a->vs->h, w = a->vs->w;
    if (k == KEY_LEFT && a->v.cur_x > 0) a->v.cur_x--;
    if (k == KEY_RIGHT && a->v.cur_x < w - 1) a->v.cur_x++;
    if (k == KEY_UP && a->v.cur_y > 0) a->v.cur_y--;
    if (k == KEY_DOWN && a->v.cur_y < h - 1) a->v.cur_y++;
}
static void k_paint(App *a, int k) {
    (void)k;
    app_paint(a, a->v.cur_y, a->v.cur_x, 1);
    app_trace_canvas(a);
}
static void k_clear(App *a, int k) {
    (void)k;
    memset(a->canvas, 0, sizeof a->canvas);
    app_trace_canvas(a);
}
static void k_next(App *a, int k) {
    a->v.gallery_sel = -1;
    app_trace_test(a, a->index + (k == 'n' ? 1 : -1));
}
static void k_replay(App *a, int k) {
    (void)k;
    if (no_theta(a)) return;
    app_replay(a);
}
static void k_gallery(App *a, int k) {
    (void)k;
    if (a->lo.mode == LAYOUT_COMPACT) a->v.lower_view = !(a->v.lower_view && !a->v.confusion);
    a->v.confusion = 0;
    a->full_redraw = 1;
}
static void k_confusion(App *a, int k) {
    (void)k;
    if (a->lo.mode == LAYOUT_COMPACT && !a->v.lower_view) {
        a->v.lower_view = 1;
        a->v.confusion = 1;
    } else if (a->lo.mode == LAYOUT_COMPACT && a->v.confusion) {
        a->v.lower_view = 0;
        a->v.confusion = 0;
    } else
        a->v.confusion = !a->v.confusion;
    a->full_redraw = 1;
}
static void k_draw(App *a, int k) {
    (void)k;
    a->v.draw_mode = !a->v.draw_mode;
    a->painting = 0;
    app_set_mouse(a);
    if (a->v.draw_mode) {
        if (a->lo.mode == LAYOUT_COMPACT) a->v.lower_view = 0;
        a->v.cur_y = a->vs->h / 2;
        a->v.cur_x = a->vs->w / 2;
        app_status(a, 0, "draw mode: paint with the mouse or arrows + space; d returns");
        app_trace_canvas(a);
    } else {
        app_status(a, 0, "back to test image #%d", a->index);
        app_trace_test(a, a->index);
    }
    a->full_redraw = 1;
}
static void k_save(App *a, int k) {
    (void)k;
    app_save(a);
}
static void k_restart(App *a, int k) {
    (void)k;
    app_restart(a);
}
static void k_help(App *a, int k) {
    (void)k;
    a->help = !a->help;
    a->help_scroll = 0;
    a->full_redraw = 1;
}
static void k_redraw(App *a, int k) {
    (void)k;
    a->full_redraw = 1;
}
static void k_escape(App *a, int k) {
    (void)k;
    app_alert_clear(a);
}
static void k_quit(App *a, int k) {
    (void)k;
    a->quit = 1;
}

const KeyDef KEYS[] = {
    {' ', 0, KM_NORMAL, "space", "pause", "pause / resume training", k_pause},
    {' ', 0, KM_DRAW, "space", "paint", "draw mode: paint at the cursor", k_paint},
    {'.', 0, KM_ANY, ".", "step", "train one minibatch (while paused)", k_one},
    {'+', '=', KM_ANY, "+/-", "floor",
     "raise / lower the θ floor by 0.01 (training goes on under it)", k_floor},
    {'-', '_', KM_ANY, "", "", "", k_floor},
    {'t', 'T', KM_ANY, "t/T", "τ", "lower / raise τ, the confidence that stops a sweep", k_tau},
    {KEY_LEFT, KEY_RIGHT, KM_NORMAL, "←/→", "θ", "move θ by hand along the traced image's sweep",
     k_theta},
    {KEY_LEFT, KEY_RIGHT, KM_DRAW, "arrows", "move", "draw mode: move the cursor", k_cursor},
    {KEY_UP, KEY_DOWN, KM_DRAW, "", "", "", k_cursor},
    {'x', 0, KM_DRAW, "x", "clear", "draw mode: clear the canvas", k_clear},
    {'n', 'p', KM_NORMAL, "n/p", "image", "trace the next / previous test image", k_next},
    {'r', 0, KM_ANY, "r", "replay", "replay the sweep: θ steps down the schedule", k_replay},
    {'g', 0, KM_NORMAL, "g", "gallery", "show the gallery (compact screens: toggle it)", k_gallery},
    {'c', 0, KM_NORMAL, "c", "confusion", "confusion matrix ↔ gallery", k_confusion},
    {'d', 0, KM_ANY, "d", "draw", "draw your own image (d again: back)", k_draw},
    {'S', 0, KM_ANY, "S", "save", "save a checkpoint (--save FILE or ./rtviz.ckpt)", k_save},
    {'R', 0, KM_ANY, "R", "restart", "restart from scratch with the same seed", k_restart},
    {'?', 'h', KM_ANY, "?", "help", "this help (any key closes it)", k_help},
    {12, 0, KM_ANY, "^L", "", "redraw the screen", k_redraw},
    {27, 0, KM_ANY, "Esc", "", "hide the alert (training paused on NaN/Inf or an error)", k_escape},
    {'q', 'Q', KM_ANY, "q", "quit", "quit", k_quit},
};
const int NKEYS = (int)(sizeof KEYS / sizeof KEYS[0]);

const char *const LEGEND[] = {
    "network: the router (in) at the left, layers of blocks as columns, the classes at the right.",
    "  lit block: active, its ray rate r is above θ; brighter = higher firing rate; the number is "
    "r.",
    "  [.12] dark block: inactive (r at or below θ), computes nothing;  [ · ] no ray reaches it.",
    "  lines: the gates a block sends rays on (its 3 strongest); line weight = gate value: "
    "· under .05, ─ under .2, ━ .2 and more.",
    "  n% under a block: the share of recent training images it was active for.",
    "  classes: the flow o_c that reached each class; the highlighted one is the prediction.",
    "  MLP (--arch mlp): each hidden layer is one always-lit column: dense, 100% of the "
    "parameters for every image.",
    "threshold: θ steps down the schedule (left to right), ending at the floor: • swept, · to "
    "come, "
    "θ the step shown, ◆ the stop.",
    "  θ 0.120 the θ shown · τ 0.90 the confidence that stops a sweep · floor 0.050 θ never goes "
    "below it.",
    "traced image: #index and true label; → the prediction at this θ, ✓ right, ✗ wrong.",
    "  act % = parameters used / all parameters at this θ; blocks = active / all; bars: p per "
    "class.",
    "  stop θ: where the sweep stopped (top p ≥ τ, or the floor reached): (here), (not yet), "
    "(past).",
    "gallery: the easiest (fewest parameters used) and hardest test images: % used, ✓/✗, the "
    "prediction.",
    "confusion: rows true class, columns predicted; act% = mean activation % of that true class.",
    "training: step N = minibatches trained; samples/s; loss and test-accuracy sparklines, oldest "
    "at the left.",
    "  act = mean activation % of recent training images; unreached = images with no answer "
    "above the floor.",
    "alert: training paused because a number became NaN/Inf (the step undone, the learning rate "
    "halved) or on an error; space resumes, Esc hides it.",
};
const int NLEGEND = (int)(sizeof LEGEND / sizeof LEGEND[0]);

int keys_dispatch(App *a, int ch) {
    int mode = a->v.draw_mode ? KM_DRAW : KM_NORMAL;
    for (int i = 0; i < NKEYS; i++) {
        const KeyDef *k = &KEYS[i];
        if (k->mode != KM_ANY && k->mode != mode) continue;
        if (ch == k->key || (k->key2 && ch == k->key2)) {
            k->fn(a, ch);
            return 1;
        }
    }
    return 0;
}
