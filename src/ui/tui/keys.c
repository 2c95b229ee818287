/* keys.c — the terminal's bindings: curses keys (per mode) → actions. The
 * key line and the `?` overlay are generated from these bindings and the
 * action table (actions.h), so help cannot drift from what the keys do. */
#include <stdio.h>
#include <string.h>

#include "app.h"

#define CTRL_L 12
#define ESC    27
#define A(d)                                                                                       \
    { .dir = (d) }
#define MV(y, x)                                                                                   \
    { .dy = (y), .dx = (x) }

const KeyBinding KEYS[] = {
    /* most used first: a key line too narrow for all shows these on its first page */
    {' ', 0, KM_ANY, "space", ACT_PAUSE, {0}, {0}},
    {'\n', KEY_ENTER, KM_DRAW, "Enter", ACT_PAINT, {0}, {0}},
    {'\r', 0, KM_DRAW, "", ACT_PAINT, {0}, {0}},
    {'n', 'p', KM_ANY, "n/p", ACT_IMAGE, A(1), A(-1)},
    {KEY_LEFT, KEY_RIGHT, KM_NORMAL, "←/→", ACT_THETA, A(-1), A(1)},
    {KEY_LEFT, KEY_RIGHT, KM_DRAW, "arrows", ACT_CURSOR, MV(0, -1), MV(0, 1)},
    {KEY_UP, KEY_DOWN, KM_DRAW, "", ACT_CURSOR, MV(-1, 0), MV(1, 0)},
    {'x', 0, KM_DRAW, "x", ACT_CLEAR, {0}, {0}},
    {'r', 0, KM_ANY, "r", ACT_REPLAY, {0}, {0}},
    {'g', 0, KM_ANY, "g", ACT_GALLERY, {0}, {0}},
    {'d', 0, KM_ANY, "d", ACT_DRAW, {0}, {0}},
    {'l', 0, KM_ANY, "l", ACT_LOAD, {0}, {0}},
    {'+', '=', KM_ANY, "+/-", ACT_FLOOR, A(1), A(1)},
    {'-', '_', KM_ANY, "", ACT_FLOOR, A(-1), A(-1)},
    {'{', '}', KM_ANY, "{/}", ACT_PACE, A(-1), A(1)}, /* [ ] are the tutorial's chapters */
    {'<', '>', KM_ANY, "</>", ACT_SWEEP_SPEED, A(-1), A(1)},
    {'s', 0, KM_ANY, "s", ACT_SWEEP_MODE, {0}, {0}},
    {'c', 0, KM_ANY, "c", ACT_CONFUSION, {0}, {0}},
    {'t', 'T', KM_ANY, "t/T", ACT_TAU, A(-1), A(1)},
    {'.', 0, KM_ANY, ".", ACT_STEP_ONE, {0}, {0}},
    {'S', 0, KM_ANY, "S", ACT_SAVE, {0}, {0}},
    {'R', 0, KM_ANY, "R", ACT_RESTART, {0}, {0}},
    {'\t', 0, KM_ANY, "Tab", ACT_KEYS_PAGE, {0}, {0}},
    {'?', 'h', KM_ANY, "?", ACT_HELP, {0}, {0}},
    {CTRL_L, 0, KM_ANY, "", ACT_REDRAW, {0}, {0}}, /* said in the help of ? */
    {ESC, 0, KM_ANY, "Esc", ACT_DISMISS, {0}, {0}},
    {'q', 'Q', KM_ANY, "q", ACT_QUIT, {0}, {0}},
    /* the tutorial (rtviz --tutorial): one help line for all four (ACT_CHAPTER's help names
     * them), and the chapter pane shows them */
    {']', '[', KM_ANY, "]/[", ACT_CHAPTER, A(1), A(-1)},
    {'a', 0, KM_ANY, "", ACT_ANSWER, {0}, {0}},
    {KEY_NPAGE, KEY_PPAGE, KM_NORMAL, "", ACT_TUT_SCROLL, A(1), A(-1)},
    {'H', 0, KM_ANY, "", ACT_TUT_PANE, {0}, {0}}, /* Tab pages the key line */
    /* while the help overlay is open: scrolling (named in its title) */
    {KEY_UP, KEY_DOWN, KM_HELP, "", ACT_HELP_SCROLL, A(-1), A(1)},
    {KEY_PPAGE,
     KEY_NPAGE,
     KM_HELP,
     "",
     ACT_HELP_SCROLL,
     {.dir = -1, .page = 1},
     {.dir = 1, .page = 1}},
    {KEY_HOME, KEY_END, KM_HELP, "", ACT_HELP_SCROLL, {.index = 1}, {.index = 2}},
};
const int NKEYS = (int)(sizeof KEYS / sizeof KEYS[0]);

const char *const LEGEND[] = {
    "network: the router (in) at the left, layers of blocks as columns, the classes at the right.",
    "  lit block: active, its ray rate r is above θ; brighter = higher firing rate; the number is "
    "r.",
    "  [.12] dark block: inactive (r at or below θ), computes nothing;  [ · ] no ray reaches it.",
    "  lines: a block's 3 strongest gates; line weight = gate value: ─ │ under .2, ━ ┃ .2 and "
    "more; "
    "under .05 not drawn.",
    "  n% under a block: the share of recent training images it was active for.",
    "  classes (right): the flow o_c reaching each class, the prediction highlighted; bars: p = "
    "o_c / Σo.",
    "  MLP (--arch mlp): each hidden layer is one always-lit column: dense, 100% of the "
    "parameters for every image.",
    "threshold: θ steps down the schedule to the floor: • swept, · to come, θ the step shown, ◆ "
    "the stop.",
    "  θ 0.120 the θ shown · τ 0.90 the confidence that stops a sweep · floor 0.050 θ never goes "
    "below it.",
    "traced image: #index and true label; → the prediction at this θ, ✓ right, ✗ wrong.",
    "  act % = parameters used / all parameters at this θ; blocks = active / all; bars: p per "
    "class.",
    "  stop θ: where the sweep stopped (top p ≥ τ, or the floor reached): (here), (not yet), "
    "(past).",
    "gallery: the last full test pass, each image at its stop: easiest = fewest parameters used, "
    "then earliest stop, then surest; hardest the reverse (kept in place while a pass ranks the "
    "same); % used, ✓/✗, prediction.",
    "confusion: rows true class, columns predicted; act% = mean activation % of that true class.",
    "training: step N = minibatches trained; samples/s; loss and test-accuracy sparklines, oldest "
    "at the left.",
    "  act = mean activation % of recent training images; unreached = images with no answer "
    "above the floor.",
    "  lr: the learning rate; stall n/5 = test passes without a new best; after 5 it is halved "
    "(never below --lr/64).",
    "alert: training paused because a number became NaN/Inf (the step undone, the learning rate "
    "halved) or on an error; space resumes, Esc hides it.",
};
const int NLEGEND = (int)(sizeof LEGEND / sizeof LEGEND[0]);

const KeyBinding *keys_find(int ch, int mode, ActionArg *arg) {
    for (int i = 0; i < NKEYS; i++) {
        const KeyBinding *k = &KEYS[i];
        int match = mode == KM_HELP ? k->mode == KM_HELP : (k->mode == KM_ANY || k->mode == mode);
        if (!match) continue;
        if (ch == k->key || (k->key2 && ch == k->key2)) {
            if (arg) *arg = ch == k->key ? k->arg : k->arg2;
            return k;
        }
    }
    return NULL;
}

void keys_char_name(int ch, char *buf, size_t n) {
    for (int i = 0; i < NKEYS; i++) /* a bound key's own name ("←/→" names both) */
        if (KEYS[i].key == ch && KEYS[i].name[0] && !KEYS[i].key2) {
            snprintf(buf, n, "%s", KEYS[i].name);
            return;
        }
    if (ch == ' ')
        snprintf(buf, n, "space");
    else if (ch == '\n' || ch == '\r' || ch == KEY_ENTER)
        snprintf(buf, n, "Enter");
    else if (ch > 32 && ch < 127)
        snprintf(buf, n, "%c", ch);
    else if (ch > 0 && ch < 32)
        snprintf(buf, n, "^%c", ch + 64);
    else if (ch == KEY_LEFT)
        snprintf(buf, n, "←");
    else if (ch == KEY_RIGHT)
        snprintf(buf, n, "→");
    else if (ch == KEY_UP)
        snprintf(buf, n, "↑");
    else if (ch == KEY_DOWN)
        snprintf(buf, n, "↓");
    else
        snprintf(buf, n, "key %d", ch);
}
