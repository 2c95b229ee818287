/* test_actions.c — every action returns the reaction it should, without a
 * terminal (src/ui/actions.c): UI-only actions on a hand-made ViewState,
 * engine actions on a real Session over the sample set; and the alert a
 * NaN/Inf pause or an engine error raises (what a resume and Esc do). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "actions.h"
#include "image.h"

static ViewState vs; /* large */
static UiState ui;

static ActionCtx ctx(Session *s) {
    ActionCtx c = {.s = s, .ui = &ui, .vs = &vs, .now = 1000.0};
    return c;
}

static void hand_made(void) {
    memset(&vs, 0, sizeof vs);
    ui_state_init(&ui, 150);
    vs.arch = ARCH_RT;
    vs.L = 2;
    vs.B = 4;
    vs.C = 10;
    vs.ch = 1;
    vs.h = vs.w = 16;
    vs.tau = 0.9f;
    vs.run_state = VS_RUNNING;
    vs.trace.nsteps = 5;
    vs.trace.stop = 3;
}

static int alert(char *text, int *bad) {
    char brief[256];
    const char *title;
    uint64_t key;
    return vm_alert(&vs, &ui, text, 768, &title, bad, brief, sizeof brief, &key);
}

Test(actions, table_is_complete) {
    for (int i = 1; i < ACT_COUNT; i++) {
        cr_assert_eq(ACTIONS[i].id, i, "ACTIONS[%d] is out of place", i);
        cr_assert(ACTIONS[i].help && ACTIONS[i].help[0], "action %d has no help", i);
    }
    cr_assert_str_eq(action_name(ACT_PAUSE), "pause");
    cr_assert_str_eq(action_name((ActionId)999), "");
}

Test(actions, ui_only_reactions) {
    hand_made();
    ActionCtx c = ctx(NULL);
    cr_assert_eq(action_run(&c, ACT_QUIT, NULL), RE_QUIT);
    cr_assert_eq(action_run(&c, ACT_NONE, NULL), RE_NONE);
    cr_assert_eq(action_run(&c, ACT_REDRAW, NULL), RE_RELAYOUT);
    cr_assert_eq(action_run(&c, ACT_HELP, NULL), RE_RELAYOUT);
    cr_assert_eq(ui.help, 1);
    ui.help_max = 10;
    ui.help_page = 4;
    ActionArg down = {.dir = 1}, pgdn = {.dir = 1, .page = 1}, end = {.index = 2},
              home = {.index = 1}, up = {.dir = -1};
    cr_assert_eq(action_run(&c, ACT_HELP_SCROLL, &down), RE_REDRAW);
    cr_assert_eq(ui.help_scroll, 1);
    action_run(&c, ACT_HELP_SCROLL, &pgdn);
    cr_assert_eq(ui.help_scroll, 5);
    action_run(&c, ACT_HELP_SCROLL, &end);
    cr_assert_eq(ui.help_scroll, 10);
    action_run(&c, ACT_HELP_SCROLL, &pgdn);
    cr_assert_eq(ui.help_scroll, 10, "clamped at the end");
    action_run(&c, ACT_HELP_SCROLL, &home);
    action_run(&c, ACT_HELP_SCROLL, &up);
    cr_assert_eq(ui.help_scroll, 0, "clamped at the top");
    action_run(&c, ACT_HELP, NULL);
    cr_assert_eq(ui.help, 0);
}

Test(actions, theta_cursor_and_views) {
    hand_made();
    ActionCtx c = ctx(NULL);
    ActionArg right = {.dir = 1}, left = {.dir = -1};
    ui.animating = 1;
    ui.step = 3;
    cr_assert_eq(action_run(&c, ACT_THETA, &right), RE_REDRAW);
    cr_assert_eq(ui.step, 4);
    cr_assert_eq(ui.animating, 0, "θ by hand stops the animation");
    cr_assert_eq(ui.manual_step, 1);
    action_run(&c, ACT_THETA, &right);
    cr_assert_eq(ui.step, 4, "clamped at the last step");
    for (int i = 0; i < 9; i++)
        action_run(&c, ACT_THETA, &left);
    cr_assert_eq(ui.step, 0);
    /* replay restarts the animation from the first step */
    cr_assert_eq(action_run(&c, ACT_REPLAY, NULL), RE_REDRAW);
    cr_assert_eq(ui.animating, 1);
    cr_assert_eq(ui.step, 0);
    /* draw-mode cursor stays on the image */
    ActionArg mv = {.dy = -1, .dx = 1};
    ui.cur_y = 0;
    ui.cur_x = 15;
    cr_assert_eq(action_run(&c, ACT_CURSOR, &mv), RE_REDRAW);
    cr_assert_eq(ui.cur_y, 0);
    cr_assert_eq(ui.cur_x, 15);
    /* gallery / confusion in the compact layout */
    ui.compact = 1;
    cr_assert_eq(action_run(&c, ACT_GALLERY, NULL), RE_RELAYOUT);
    cr_assert_eq(ui.lower_view, 1);
    cr_assert_eq(action_run(&c, ACT_CONFUSION, NULL), RE_RELAYOUT);
    cr_assert_eq(ui.confusion, 1);
    action_run(&c, ACT_CONFUSION, NULL);
    cr_assert_eq(ui.lower_view, 0);
    cr_assert_eq(ui.confusion, 0);
    /* a gallery pick without a gallery does nothing */
    ActionArg cell = {.index = 3};
    cr_assert_eq(action_run(&c, ACT_GALLERY_PICK, &cell), RE_NONE);
}

Test(actions, mlp_has_no_theta) {
    hand_made();
    vs.arch = ARCH_MLP;
    ActionCtx c = ctx(NULL);
    ActionArg up = {.dir = 1};
    int step = ui.step;
    cr_assert_eq(action_run(&c, ACT_THETA, &up), RE_REDRAW);
    cr_assert_eq(ui.step, step);
    cr_assert(strstr(ui.status, "dense MLP"), "%s", ui.status);
    ui.status[0] = 0;
    action_run(&c, ACT_FLOOR, &up);
    cr_assert(strstr(ui.status, "no θ"), "%s", ui.status);
}

Test(actions, running_step_changes_nothing) {
    hand_made();
    char text[768];
    int bad;
    cr_assert_eq(alert(text, &bad), 0, "no alert while training runs");
    ActionCtx c = ctx(NULL);
    cr_assert_eq(action_run(&c, ACT_STEP_ONE, NULL), RE_REDRAW);
    cr_assert(strstr(ui.status, "while paused"), "%s", ui.status);
}

Test(actions, nan_pause_explains_and_esc_hides) {
    hand_made();
    vs.run_state = VS_PAUSED;
    vs.pause_why = VS_PAUSE_NAN;
    vs.nan = (VsNanEvent){.step = 7,
                          .what = VS_NAN_WEIGHT,
                          .restored = 1,
                          .lr_before = 0.01f,
                          .lr_after = 0.005f,
                          .serial = 3};
    char text[768];
    int bad;
    cr_assert_eq(alert(text, &bad), 1, "training paused on a NaN/Inf raises the alert");
    cr_assert(strstr(text, "step 7") && strstr(text, "0.005"), "%s", text);
    cr_assert(strstr(text, "space resumes"), "%s", text);
    cr_assert_eq(bad, 0);
    int sbad;
    const char *st = ui_status_shown(&ui, &vs, 1e12, &sbad);
    cr_assert(strstr(st, "NaN") && sbad, "the status stays while paused: %s", st);
    ActionCtx c = ctx(NULL);
    cr_assert_eq(action_run(&c, ACT_DISMISS, NULL), RE_RELAYOUT,
                 "what the alert covered is repainted");
    cr_assert_eq(alert(text, &bad), 0, "Esc hides it");
    cr_assert_eq(vs.run_state, VS_PAUSED, "but training stays paused");
    st = ui_status_shown(&ui, &vs, 1e12, &sbad);
    cr_assert_null(strstr(st, "NaN/Inf at step"), "%s", st);
    cr_assert_eq(action_run(&c, ACT_DISMISS, NULL), RE_REDRAW, "nothing more to hide");
    /* a new event shows again */
    vs.nan.serial++;
    cr_assert_eq(alert(text, &bad), 1);
    /* space resumes, and the alert goes */
    cr_assert_eq(action_run(&c, ACT_PAUSE, NULL), RE_REDRAW);
    cr_assert_eq(vs.run_state, VS_RUNNING, "space resumes");
    cr_assert_eq(alert(text, &bad), 0, "and the alert goes");
}

Test(actions, error_stops_in_red) {
    hand_made();
    vs.run_state = VS_STOPPED;
    snprintf(vs.run_error, sizeof vs.run_error, "out of memory");
    char text[768];
    int bad;
    cr_assert_eq(alert(text, &bad), 1);
    cr_assert_eq(bad, 1);
    cr_assert(strstr(text, "out of memory"), "%s", text);
}

/* ---------------------------------------------------------------- with a Session */

static Session *open_small(void) {
    Scenario sc;
    scenario_default(&sc);
    snprintf(sc.dataset, sizeof sc.dataset, "sample");
    sc.dataset_fallback = 0;
    sc.blocks = 4;
    sc.width = 8;
    sc.tc.threads = 1;
    sc.tc.batch = 16;
    sc.tc.seed = 3;
    RtErr e = {{0}};
    Session *s = session_open(&sc, NULL, &e);
    cr_assert_not_null(s, "%s", e.msg);
    memset(&vs, 0, sizeof vs);
    ui_state_init(&ui, 150);
    session_snapshot(s, &vs);
    ui.trace_seen = vs.trace_serial;
    return s;
}

Test(actions, engine_actions) {
    Session *s = open_small();
    ActionCtx c = ctx(s);
    cr_assert_eq(vs.run_state, VS_PAUSED, "not started: paused");
    /* next image: a new trace, its sweep animated from the first step */
    ActionArg next = {.dir = 1}, prev = {.dir = -1};
    cr_assert_eq(action_run(&c, ACT_IMAGE, &next), RE_REDRAW | RE_RETRACE);
    cr_assert_eq(ui.index, 1);
    cr_assert_eq(vs.trace_index, 1);
    cr_assert_eq(ui.step, 0);
    action_run(&c, ACT_IMAGE, &prev);
    action_run(&c, ACT_IMAGE, &prev);
    cr_assert_eq(vs.trace_index, vs.eval_total - 1, "previous of the first wraps");
    /* floor and τ reach the engine */
    ActionArg up = {.dir = 1}, down = {.dir = -1};
    cr_assert_eq(action_run(&c, ACT_FLOOR, &up) & RE_RETRACE, RE_RETRACE);
    cr_assert_float_eq(vs.floor, 0.01f, 1e-6f);
    cr_assert_eq(ui.floor_changed, 1);
    cr_assert(strstr(ui.status, "after resume"), "paused: %s", ui.status);
    float tau = vs.tau;
    action_run(&c, ACT_TAU, &down);
    cr_assert_float_eq(vs.tau, tau - 0.05f, 1e-5f);
    /* one minibatch while paused */
    long step = vs.step;
    cr_assert_eq(action_run(&c, ACT_STEP_ONE, NULL), RE_REDRAW | RE_RETRACE);
    cr_assert_eq(vs.step, step + 1);
    cr_assert(strstr(ui.status, "one minibatch"), "%s", ui.status);
    /* pause / resume through the Session (no thread: the state only) */
    cr_assert_eq(action_run(&c, ACT_PAUSE, NULL), RE_REDRAW);
    cr_assert_eq(vs.run_state, VS_RUNNING);
    action_run(&c, ACT_PAUSE, NULL);
    cr_assert_eq(vs.run_state, VS_PAUSED);
    /* draw mode: the canvas is traced, painting marks it */
    Reaction r = action_run(&c, ACT_DRAW, NULL);
    cr_assert_eq(r & (RE_POINTER | RE_RELAYOUT), RE_POINTER | RE_RELAYOUT);
    cr_assert_eq(ui.draw_mode, 1);
    cr_assert_eq(vs.trace_index, -1, "the canvas is traced");
    cr_assert_eq(vs.subject.kind, VS_SUBJ_CANVAS);
    cr_assert_eq(action_run(&c, ACT_PAINT, NULL), RE_REDRAW | RE_RETRACE);
    int at = ui.cur_y * vs.w + ui.cur_x;
    cr_assert_eq(ui.canvas[at], 255);
    cr_assert_eq(vs.trace_pix[at], 255, "the traced image is the canvas");
    ActionArg px = {.y = 2, .x = 3};
    action_run(&c, ACT_PAINT_AT, &px);
    cr_assert_eq(ui.canvas[2 * vs.w + 3], 255);
    cr_assert_eq(ui.cur_y, 2);
    action_run(&c, ACT_CLEAR, NULL);
    cr_assert_eq(ui.canvas[at], 0);
    action_run(&c, ACT_DRAW, NULL);
    cr_assert_eq(ui.draw_mode, 0);
    cr_assert_eq(vs.subject.kind, VS_SUBJ_TEST);
    /* restart: the run starts again with the same seed */
    r = action_run(&c, ACT_RESTART, NULL);
    cr_assert_eq(r & RE_RELAYOUT, RE_RELAYOUT);
    cr_assert_eq(vs.step, 0);
    cr_assert(strstr(ui.status, "restarted with seed 3"), "%s", ui.status);
    session_close(s);
}

Test(actions, save_reports_where) {
    Session *s = open_small();
    ActionCtx c = ctx(s);
    char dir[] = "/tmp/rtviz-act-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    char cwd[512];
    cr_assert_not_null(getcwd(cwd, sizeof cwd));
    cr_assert_eq(chdir(dir), 0);
    cr_assert_eq(action_run(&c, ACT_SAVE, NULL), RE_REDRAW);
    char want[1024];
    snprintf(want, sizeof want, "saved step 0 (epoch 0) to %s/rtviz.ckpt: a new file", dir);
    cr_assert(strstr(ui.status, want), "%s", ui.status);
    cr_assert_eq(ui.status_bad, 0);
    cr_assert_eq(access("rtviz.ckpt", R_OK), 0);
    /* again: it says what it replaced */
    cr_assert_eq(session_cmd(s, SES_STEP, NULL), 0);
    session_snapshot(s, c.vs);
    action_run(&c, ACT_SAVE, NULL);
    cr_assert(strstr(ui.status, "saved step 1 (epoch 0)"), "%s", ui.status);
    cr_assert(strstr(ui.status, "replaced step 0 of "), "%s", ui.status);
    cr_assert_eq(ui.saved_step, 1);
    /* a file that is no checkpoint */
    FILE *f = fopen("other.bin", "w");
    cr_assert_not_null(f);
    fputs("not a checkpoint", f);
    fclose(f);
    SessionSaveInfo si;
    RtErr e = {{0}};
    cr_assert_eq(session_save(s, "other.bin", &si, &e), 0, "%s", e.msg);
    cr_assert_eq(si.replaced, 2);
    unlink("other.bin");
    unlink("rtviz.ckpt");
    cr_assert_eq(chdir(cwd), 0);
    rmdir(dir);
    session_close(s);
}

/* `+` raises the floor up to the last 0.01 step below 1/(L+1), where a ray can
 * still reach the output, and says so there (docs/DESIGN.md §1.5). */
Test(actions, floor_stops_below_the_reach) {
    Session *s = open_small();
    ActionCtx c = ctx(s);
    ActionArg up = {.dir = 1};
    for (int i = 0; i < 40; i++)
        action_run(&c, ACT_FLOOR, &up);
    cr_assert_eq(vs.L, 3);
    cr_assert_float_eq(vs.floor, 0.24f, 1e-6f);
    cr_assert(strstr(ui.status, "its top: at 0.25 = 1/(L+1) no ray would reach"), "%s", ui.status);
    session_close(s);
}

Test(actions, apply_scenario_view_and_theta_step) {
    Session *s = open_small();
    ActionCtx c = ctx(s);
    Scenario sc;
    scenario_default(&sc);
    sc.view = SCN_VIEW_DRAW;
    Reaction r = action_apply_scenario(&c, &sc);
    cr_assert_eq(ui.draw_mode, 1);
    cr_assert_eq(r & RE_POINTER, RE_POINTER);
    cr_assert_eq(vs.subject.kind, VS_SUBJ_CANVAS);
    ui.compact = 1;
    sc.view = SCN_VIEW_CONFUSION;
    sc.theta_step = 1;
    r = action_apply_scenario(&c, &sc);
    cr_assert_eq(ui.draw_mode, 0);
    cr_assert_eq(ui.confusion, 1);
    cr_assert_eq(ui.lower_view, 1, "compact: the confusion matrix takes the screen");
    cr_assert_eq(r & RE_RELAYOUT, RE_RELAYOUT);
    cr_assert_eq(ui.step, 1);
    cr_assert_eq(ui.manual_step, 1);
    sc.view = SCN_VIEW_NETWORK;
    sc.theta_step = 99;
    action_apply_scenario(&c, &sc);
    cr_assert_eq(ui.lower_view, 0);
    cr_assert_eq(ui.step, vs.trace.nsteps - 1, "clamped to the last step");
    session_close(s);
}

/* q with unsaved training asks once; q or another q quits, any other action
 * stays; after a save q quits at once; the help overlay closes to show it. */
Test(actions, quit_asks_once_when_unsaved) {
    Session *s = open_small();
    ActionCtx c = ctx(s);
    c.ui->saved_step = 0;
    SessionCmd st = {.id = SES_STEP, .n = 2};
    RtErr e = {{0}};
    cr_assert_eq(session_do(s, &st, &e), 0, "%s", e.msg);
    session_snapshot(s, c.vs);
    c.ui->help = 1;
    cr_assert_eq(action_run(&c, ACT_QUIT, NULL), RE_RELAYOUT);
    cr_assert_eq(ui.quit_ask, 1);
    cr_assert_eq(ui.help, 0, "the question is not hidden under the help");
    cr_assert(strstr(ui.status, "quit? 2 minibatches are not saved: q or y quits"), "%s",
              ui.status);
    action_run(&c, ACT_REPLAY, NULL); /* any other key: stay */
    cr_assert_eq(ui.quit_ask, 0);
    cr_assert_eq(action_run(&c, ACT_QUIT, NULL) & RE_QUIT, 0);
    cr_assert_eq(action_run(&c, ACT_QUIT, NULL), RE_QUIT);
    /* saved: no question */
    ui.quit_ask = 0;
    char dir[] = "/tmp/rtviz-quit-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof path, "%s/r.ckpt", dir);
    SessionSaveInfo si;
    cr_assert_eq(session_save(s, path, &si, &e), 0, "%s", e.msg);
    cr_assert_eq(si.step, 2);
    ui.saved_step = si.step;
    cr_assert_eq(action_run(&c, ACT_QUIT, NULL), RE_QUIT);
    /* a run loaded from that checkpoint counts on from step 2 */
    Scenario sc;
    scenario_default(&sc);
    snprintf(sc.dataset, sizeof sc.dataset, "sample");
    snprintf(sc.model, sizeof sc.model, "%s", path);
    sc.tc.threads = 1;
    sc.tc.batch = 16;
    Session *s2 = session_open(&sc, NULL, &e);
    cr_assert_not_null(s2, "%s", e.msg);
    static ViewState v2;
    memset(&v2, 0, sizeof v2);
    session_snapshot(s2, &v2);
    cr_assert_eq(v2.step, 2, "loaded at step %ld", v2.step);
    cr_assert_eq(session_cmd(s2, SES_STEP, &e), 0, "%s", e.msg);
    session_snapshot(s2, &v2);
    cr_assert_eq(v2.step, 3);
    cr_assert_eq(session_save(s2, path, &si, &e), 0, "%s", e.msg);
    cr_assert_eq(si.replaced, 1);
    cr_assert_eq(si.old_step, 2);
    cr_assert_eq(si.step, 3);
    session_close(s2);
    unlink(path);
    rmdir(dir);
    session_close(s);
}

/* In draw mode the keys of the test-image view say why they do nothing. */
Test(actions, draw_mode_says_why) {
    hand_made();
    ActionCtx c = ctx(NULL);
    ui.draw_mode = 1;
    ui.compact = 1;
    ActionArg next = {.dir = 1};
    cr_assert_eq(action_run(&c, ACT_IMAGE, &next), RE_REDRAW);
    cr_assert(strstr(ui.status, "draw mode: n (next image) needs the test images; d goes back"),
              "%s", ui.status);
    cr_assert_eq(action_run(&c, ACT_GALLERY, NULL), RE_REDRAW);
    cr_assert(strstr(ui.status, "g (the gallery)"), "%s", ui.status);
    cr_assert_eq(ui.lower_view, 0);
}

/* The pace and sweep ladders: [ ] and < > step along them; full speed is the
 * top of the pace ladder, and every value steps to a neighbouring rung. */
Test(actions, pace_and_sweep_ladders) {
    cr_assert_eq(vm_pace_next(0, -1), 200);
    cr_assert_eq(vm_pace_next(200, 1), 0);
    cr_assert_eq(vm_pace_next(0, 1), 0);
    cr_assert_eq(vm_pace_next(1, -1), 1);
    cr_assert_eq(vm_pace_next(5, 1), 10);
    cr_assert_eq(vm_pace_next(7, 1), 10);
    cr_assert_eq(vm_pace_next(7, -1), 5);
    cr_assert_eq(vm_sweep_next(150, -1), 300);
    cr_assert_eq(vm_sweep_next(150, 1), 80);
    cr_assert_eq(vm_sweep_next(40, 1), 40);
    cr_assert_eq(vm_sweep_next(2000, -1), 2000);
    char b[16];
    vm_fmt_pace(b, sizeof b, 0);
    cr_assert_str_eq(b, "full speed");
    vm_fmt_pace(b, sizeof b, 5);
    cr_assert_str_eq(b, "5/s");
    /* the actions: the Session gets the pace, the UI the sweep speed */
    Session *s = open_small();
    ActionCtx c = ctx(s);
    ActionArg down = {.dir = -1};
    action_run(&c, ACT_PACE, &down);
    cr_assert_eq(ui.pace, 200);
    cr_assert(strstr(ui.status, "pace 200/s"), "%s", ui.status);
    action_run(&c, ACT_SWEEP_SPEED, &down);
    cr_assert_eq(ui.step_ms, 300);
    action_run(&c, ACT_SWEEP_MODE, NULL);
    cr_assert_eq(ui.sweep_manual, 1);
    cr_assert_eq(ui.animating, 0);
    ui_start_anim(&ui, &vs, 1000.0);
    cr_assert_eq(ui.animating, 0, "step mode: a new trace waits at its first θ");
    cr_assert_eq(ui.step, 0);
    session_close(s);
}

/* l: without a path the front end is asked for one; a file loads onto the
 * canvas in draw mode and is traced; a bad one says why and leaves the
 * canvas, the mode and the trace as they were; painting retouches it. */
Test(actions, load_puts_a_file_on_the_canvas) {
    Session *s = open_small();
    ActionCtx c = ctx(s);
    char dir[] = "/tmp/rtviz-load-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    char png[64], txt[64];
    snprintf(png, sizeof png, "%s/bag.png", dir);
    snprintf(txt, sizeof txt, "%s/notes.txt", dir);
    static uint8_t pix[32 * 32];
    for (int i = 0; i < 32 * 32; i++)
        pix[i] = (i / 32 > 8 && i / 32 < 24 && i % 32 > 4 && i % 32 < 28) ? 220 : 0;
    RtErr e = {{0}};
    cr_assert_eq(image_write_png(png, pix, 32, 32, 1, &e), 0, "%s", e.msg);
    FILE *f = fopen(txt, "w");
    cr_assert_not_null(f);
    fputs("text", f);
    fclose(f);
    cr_assert_eq(action_run(&c, ACT_LOAD, NULL), RE_REDRAW);
    cr_assert_eq(ui.load_ask, 1, "no path: the front end asks for one");
    ui.load_ask = 0;
    /* a bad file: the line names it, nothing else changes */
    ui.canvas[5] = 77;
    ActionArg bad = {.path = txt};
    cr_assert_eq(action_run(&c, ACT_LOAD, &bad), RE_REDRAW);
    cr_assert(strstr(ui.status, "load notes.txt: not an image"), "%s", ui.status);
    cr_assert_eq(ui.status_bad, 1);
    cr_assert_eq(ui.draw_mode, 0);
    cr_assert_eq(ui.canvas[5], 77, "a failed load leaves the canvas");
    cr_assert_eq(vs.subject.kind, VS_SUBJ_TEST);
    /* the good one: draw mode, the canvas is the image as traced */
    ActionArg good = {.path = png};
    Reaction r = action_run(&c, ACT_LOAD, &good);
    cr_assert_eq(r & (RE_POINTER | RE_RELAYOUT | RE_RETRACE),
                 RE_POINTER | RE_RELAYOUT | RE_RETRACE);
    cr_assert_eq(ui.draw_mode, 1);
    cr_assert(strstr(ui.status, "loaded bag.png (32×32)"), "%s", ui.status);
    cr_assert_eq(vs.subject.kind, VS_SUBJ_FILE);
    cr_assert_eq(memcmp(ui.canvas, vs.trace_pix, (size_t)vs.ch * vs.h * vs.w), 0);
    cr_assert_eq(ui.anim_pending, 0, "its sweep started");
    static VmPanes pm;
    vm_update(&pm, &vs, &ui, c.now);
    cr_assert_str_eq(pm.img.source, "bag.png");
    /* painting retouches it; the canvas is traced */
    action_run(&c, ACT_PAINT, NULL);
    cr_assert_eq(vs.subject.kind, VS_SUBJ_CANVAS);
    vm_update(&pm, &vs, &ui, c.now);
    cr_assert_str_eq(pm.img.source, "bag.png, retouched");
    action_run(&c, ACT_CLEAR, NULL);
    vm_update(&pm, &vs, &ui, c.now);
    cr_assert_str_eq(pm.img.source, "drawn");
    unlink(png);
    unlink(txt);
    rmdir(dir);
    session_close(s);
}
