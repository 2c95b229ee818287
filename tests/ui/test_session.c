/* test_session.c — the Session (src/ui/session.c) on the embedded sample set
 * with a small network: open, run N steps then pause, restart replays the
 * same weights bit for bit, save loads back, floor / τ set and clamped,
 * subjects, snapshots copy by serial, usage errors, the plateau rule. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "checkpoint.h"
#include "image.h"
#include "session.h"

static ViewState vs; /* large */

static void small(Scenario *sc) {
    scenario_default(sc);
    snprintf(sc->dataset, sizeof sc->dataset, "sample");
    sc->dataset_fallback = 0;
    sc->blocks = 4;
    sc->width = 8;
    sc->tc.threads = 1;
    sc->tc.batch = 16;
    sc->tc.test_slice = 100;
    sc->tc.seed = 7;
    sc->paused = 1;
}

static Session *open_small(void) {
    Scenario sc;
    small(&sc);
    RtErr e = {{0}};
    int usage = -1;
    Session *s = session_open(&sc, &usage, &e);
    cr_assert_not_null(s, "%s", e.msg);
    cr_assert_eq(usage, 0);
    return s;
}

static char tmpdir[64];
static void mk_tmp(void) {
    snprintf(tmpdir, sizeof tmpdir, "/tmp/rtviz-session-XXXXXX");
    cr_assert_not_null(mkdtemp(tmpdir));
}
static void rm_tmp(void) {
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
    cr_assert_eq(system(cmd), 0);
}

static long file_bytes(const char *path, unsigned char **buf) {
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "%s", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    *buf = malloc((size_t)n);
    cr_assert_eq(fread(*buf, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    return n;
}

static void run_steps(Session *s, long n) {
    RtErr e = {{0}};
    SessionCmd c = {.id = SES_RUN_STEPS, .n = n};
    cr_assert_eq(session_do(s, &c, &e), 0, "%s", e.msg);
    cr_assert_eq(session_wait_paused(s, 60.0), 0, "the run did not pause after %ld steps", n);
}

Test(session, open_shows_the_run_paused_before_start) {
    Session *s = open_small();
    memset(&vs, 0, sizeof vs);
    session_snapshot(s, &vs);
    cr_assert_str_eq(vs.dataset, "sample");
    cr_assert_eq(vs.arch, ARCH_RT);
    cr_assert_eq(vs.B, 4);
    cr_assert_eq(vs.H, 8, "the block width is in the view-state");
    cr_assert_eq(vs.step, 0);
    cr_assert_eq(vs.run_state, VS_PAUSED);
    cr_assert_gt(vs.trace.nsteps, 0, "test image 0 is traced at open");
    cr_assert_eq(vs.subject.kind, VS_SUBJ_TEST);
    cr_assert_eq(vs.trace_index, 0);
    cr_assert_gt(vs.eval_total, 0);
    session_close(s);
}

Test(session, run_n_steps_then_pause) {
    Session *s = open_small();
    RtErr e = {{0}};
    cr_assert_eq(session_start(s, &e), 0, "%s", e.msg);
    run_steps(s, 7);
    memset(&vs, 0, sizeof vs);
    session_snapshot(s, &vs);
    cr_assert_eq(vs.run_state, VS_PAUSED);
    cr_assert_eq(vs.pause_why, VS_PAUSE_STEPS, "paused because N steps were run");
    cr_assert_eq(vs.step, 7);
    cr_assert_eq(vs.steps_left, 0);
    /* paused: nothing more is trained */
    usleep(200 * 1000);
    session_snapshot(s, &vs);
    cr_assert_eq(vs.step, 7);
    /* a single step on the caller's thread */
    SessionCmd one = {.id = SES_STEP, .n = 3};
    cr_assert_eq(session_do(s, &one, &e), 0, "%s", e.msg);
    session_snapshot(s, &vs);
    cr_assert_eq(vs.step, 10);
    session_close(s);
}

Test(session, scenario_train_steps_then_pause) {
    Scenario sc;
    small(&sc);
    sc.paused = 0;
    sc.train_steps = 5;
    RtErr e = {{0}};
    Session *s = session_open(&sc, NULL, &e);
    cr_assert_not_null(s, "%s", e.msg);
    cr_assert_eq(session_start(s, &e), 0, "%s", e.msg);
    cr_assert_eq(session_wait_paused(s, 60.0), 0);
    memset(&vs, 0, sizeof vs);
    session_snapshot(s, &vs);
    cr_assert_eq(vs.step, 5);
    cr_assert_eq(vs.run_state, VS_PAUSED);
    session_close(s);
}

Test(session, restart_replays_the_same_weights, .init = mk_tmp, .fini = rm_tmp) {
    Session *s = open_small();
    RtErr e = {{0}};
    cr_assert_eq(session_start(s, &e), 0, "%s", e.msg);
    char a[128], b[128], z[128];
    snprintf(a, sizeof a, "%s/a.ckpt", tmpdir);
    snprintf(b, sizeof b, "%s/b.ckpt", tmpdir);
    snprintf(z, sizeof z, "%s/z.ckpt", tmpdir);
    run_steps(s, 6);
    SessionCmd save = {.id = SES_SAVE, .path = a};
    cr_assert_eq(session_do(s, &save, &e), 0, "%s", e.msg);
    cr_assert_eq(session_cmd(s, SES_RESTART, &e), 0, "%s", e.msg);
    memset(&vs, 0, sizeof vs);
    session_snapshot(s, &vs);
    cr_assert_eq(vs.step, 0, "restart starts again");
    save.path = z;
    cr_assert_eq(session_do(s, &save, &e), 0, "%s", e.msg);
    run_steps(s, 6);
    save.path = b;
    cr_assert_eq(session_do(s, &save, &e), 0, "%s", e.msg);
    unsigned char *ba, *bb, *bz;
    long na = file_bytes(a, &ba), nb = file_bytes(b, &bb), nz = file_bytes(z, &bz);
    cr_assert_eq(na, nb);
    cr_assert_eq(memcmp(ba, bb, (size_t)na), 0, "the same seed gives the same weights bit for bit");
    cr_assert_eq(na, nz);
    cr_assert_neq(memcmp(ba, bz, (size_t)na), 0, "six steps changed the weights");
    free(ba);
    free(bb);
    free(bz);
    session_close(s);
}

Test(session, save_loads_back, .init = mk_tmp, .fini = rm_tmp) {
    Session *s = open_small();
    RtErr e = {{0}};
    SessionCmd step = {.id = SES_STEP, .n = 4};
    cr_assert_eq(session_do(s, &step, &e), 0, "%s", e.msg);
    char p[128];
    snprintf(p, sizeof p, "%s/m.ckpt", tmpdir);
    SessionCmd save = {.id = SES_SAVE, .path = p};
    cr_assert_eq(session_do(s, &save, &e), 0, "%s", e.msg);
    memset(&vs, 0, sizeof vs);
    session_snapshot(s, &vs);
    Model m;
    Adam ad;
    CkptMeta meta;
    memset(&ad, 0, sizeof ad);
    cr_assert_eq(ckpt_load(p, &m, &ad, &meta, &e), 0, "%s", e.msg);
    cr_assert_eq((long)m.n, vs.params_total);
    cr_assert_eq(m.cfg.B, 4);
    cr_assert_eq(m.cfg.H, 8);
    cr_assert_eq(meta.step, 4);
    cr_assert_eq(meta.seed, 7);
    model_free(&m);
    adam_free(&ad);
    /* a save into a missing directory fails with a message, and nothing else changes */
    SessionCmd bad = {.id = SES_SAVE, .path = "/nonexistent-dir/x.ckpt"};
    cr_assert_eq(session_do(s, &bad, &e), -1);
    cr_assert(strstr(e.msg, "nonexistent-dir"), "%s", e.msg);
    session_close(s);
}

Test(session, a_checkpoint_continues_and_refuses_shape_flags, .init = mk_tmp, .fini = rm_tmp) {
    Session *s = open_small();
    RtErr e = {{0}};
    SessionCmd step = {.id = SES_STEP, .n = 2};
    cr_assert_eq(session_do(s, &step, &e), 0, "%s", e.msg);
    char p[128];
    snprintf(p, sizeof p, "%s/m.ckpt", tmpdir);
    SessionCmd save = {.id = SES_SAVE, .path = p};
    cr_assert_eq(session_do(s, &save, &e), 0, "%s", e.msg);
    session_close(s);

    Scenario sc;
    small(&sc);
    snprintf(sc.model, sizeof sc.model, "%s", p);
    sc.flags.given |= MF_TAU;
    sc.flags.tau = 0.5f;
    int usage = -1;
    s = session_open(&sc, &usage, &e);
    cr_assert_not_null(s, "%s", e.msg);
    memset(&vs, 0, sizeof vs);
    session_snapshot(s, &vs);
    cr_assert_float_eq(vs.tau, 0.5f, 1e-6f, "--tau applies to a loaded model");
    cr_assert_eq(session_seed(s), 7, "the checkpoint's seed plus its epochs (0)");
    cr_assert_eq(session_from_checkpoint(s), 1);
    session_close(s);

    sc.flags.given |= MF_SHAPE;
    s = session_open(&sc, &usage, &e);
    cr_assert_null(s);
    cr_assert_eq(usage, 1, "shape flags with a checkpoint are a usage error");
    cr_assert(strstr(e.msg, "--model"), "%s", e.msg);

    small(&sc);
    snprintf(sc.model, sizeof sc.model, "%s/missing.ckpt", tmpdir);
    s = session_open(&sc, &usage, &e);
    cr_assert_null(s);
    cr_assert_eq(usage, 0, "a missing checkpoint is a runtime error");
    cr_assert(strstr(e.msg, "missing.ckpt"), "%s", e.msg);

    small(&sc);
    sc.layers = 99;
    s = session_open(&sc, &usage, &e);
    cr_assert_null(s);
    cr_assert_eq(usage, 1);
    cr_assert(strstr(e.msg, "layers 99"), "%s", e.msg);

    small(&sc); /* a floor no ray can pass in 3 layers (1/(L+1) = 0.25) */
    sc.tc.floor = 0.3f;
    s = session_open(&sc, &usage, &e);
    cr_assert_null(s);
    cr_assert_eq(usage, 1);
    cr_assert(strstr(e.msg, "--floor 0.3: at θ ≥ 1/(L+1) = 0.25"), "%s", e.msg);
}

Test(session, set_floor_and_tau) {
    Session *s = open_small();
    RtErr e = {{0}};
    cr_assert_eq(session_cmd_x(s, SES_SET_FLOOR, 0.2f, &e), 0, "%s", e.msg);
    cr_assert_eq(session_cmd_x(s, SES_SET_TAU, 0.6f, &e), 0, "%s", e.msg);
    memset(&vs, 0, sizeof vs);
    session_snapshot(s, &vs);
    cr_assert_float_eq(vs.floor, 0.2f, 1e-6f);
    cr_assert_float_eq(vs.tau, 0.6f, 1e-6f);
    cr_assert_float_eq(vs.sched[vs.nsched - 1], 0.2f, 1e-6f, "the schedule ends at the floor");
    /* out of range values are clamped: the floor below 1/(L+1) = 0.25 of this
     * 3-layer network, where rays still reach the output */
    session_cmd_x(s, SES_SET_FLOOR, 3.0f, &e);
    session_cmd_x(s, SES_SET_TAU, 0.0f, &e);
    session_snapshot(s, &vs);
    cr_assert_float_eq(vs.floor, 0.24f, 1e-6f);
    cr_assert_float_eq(vs.tau, 0.05f, 1e-6f);
    cr_assert_eq(session_cmd_x(s, SES_SET_LR, -1.0f, &e), -1, "a negative rate is refused");
    cr_assert(strstr(e.msg, "learning rate"), "%s", e.msg);
    session_close(s);
}

Test(session, subjects_and_snapshot_serials) {
    Session *s = open_small();
    RtErr e = {{0}};
    memset(&vs, 0, sizeof vs);
    session_snapshot(s, &vs);
    int n = vs.eval_total;
    cr_assert_eq(session_trace_test(s, -1, &e), 0, "%s", e.msg);
    session_snapshot(s, &vs);
    cr_assert_eq(vs.trace_index, n - 1, "a test index wraps");
    cr_assert_eq(vs.subject.index, n - 1);
    /* a snapshot copies the trace only when it changed */
    uint64_t ser = vs.trace_serial;
    vs.trace.theta[0] = 42.0f;
    session_snapshot(s, &vs);
    cr_assert_eq(vs.trace_serial, ser);
    cr_assert_float_eq(vs.trace.theta[0], 42.0f, 0.0f, "unchanged trace: not copied again");
    cr_assert_eq(session_cmd(s, SES_RETRACE, &e), 0);
    session_snapshot(s, &vs);
    cr_assert_neq(vs.trace_serial, ser);
    cr_assert_lt(vs.trace.theta[0], 1.0f, "a new trace is copied");
    /* a drawn canvas */
    static VsSubject sj;
    memset(&sj, 0, sizeof sj);
    sj.kind = VS_SUBJ_CANVAS;
    sj.label = -1;
    sj.pix[10] = 255;
    SessionCmd c = {.id = SES_TRACE, .subject = &sj};
    cr_assert_eq(session_do(s, &c, &e), 0, "%s", e.msg);
    session_snapshot(s, &vs);
    cr_assert_eq(vs.trace_index, -1);
    cr_assert_eq(vs.subject.kind, VS_SUBJ_CANVAS);
    cr_assert_eq(vs.trace_pix[10], 255);
    /* evaluation in slices: a full pass bumps eval_serial and fills the gallery */
    uint64_t es = vs.eval_serial;
    for (int i = 0; i < 100 && vs.eval_serial == es; i++) {
        session_cmd(s, SES_EVAL_SLICE, &e);
        session_snapshot(s, &vs);
    }
    cr_assert_neq(vs.eval_serial, es);
    cr_assert_eq(vs.gallery_valid, 1);
    cr_assert_geq(vs.test_acc, 0.0f);
    cr_assert_eq(vs.eval_passes, 1);
    session_close(s);
}

Test(session, plateau_halves_after_passes_without_a_new_best) {
    float best = -1.0f, lr = 1e-3f, lr_min = 1e-3f / SES_LR_MIN_DIV;
    int plateau = 0;
    lr = session_plateau_lr(80.0f, &best, &plateau, lr, lr_min);
    cr_assert_float_eq(best, 80.0f, 0.0f);
    cr_assert_float_eq(lr, 1e-3f, 0.0f);
    for (int i = 1; i < SES_PLATEAU_PASSES; i++) {
        lr = session_plateau_lr(80.05f, &best, &plateau, lr, lr_min); /* not better by EPS */
        cr_assert_float_eq(lr, 1e-3f, 0.0f, "pass %d: not yet", i);
    }
    lr = session_plateau_lr(79.0f, &best, &plateau, lr, lr_min);
    cr_assert_float_eq(lr, 5e-4f, 1e-9f, "halved after %d passes", SES_PLATEAU_PASSES);
    cr_assert_eq(plateau, 0, "and the count starts again");
    lr = session_plateau_lr(81.0f, &best, &plateau, lr, lr_min);
    cr_assert_float_eq(best, 81.0f, 0.0f, "a new best");
    cr_assert_float_eq(lr, 5e-4f, 1e-9f);
    /* never below the floor */
    lr = lr_min * 1.5f;
    for (int i = 0; i < SES_PLATEAU_PASSES; i++)
        lr = session_plateau_lr(10.0f, &best, &plateau, lr, lr_min);
    cr_assert_float_eq(lr, lr_min, 1e-12f);
}

/* session_load_image: a file becomes the traced subject in the dataset's
 * format; a bad one is one line naming it, and the subject stays as it was. */
Test(session, load_image_traces_a_file_and_refuses_bad_ones, .init = mk_tmp, .fini = rm_tmp) {
    Session *s = open_small();
    RtErr e = {{0}};
    static SessionImage im;
    char png[128], txt[128], missing[128];
    snprintf(png, sizeof png, "%s/shoe.png", tmpdir);
    snprintf(txt, sizeof txt, "%s/notes.txt", tmpdir);
    snprintf(missing, sizeof missing, "%s/nothing.png", tmpdir);
    /* 60x40, white with a dark bar: a light background, so it is inverted */
    static uint8_t pix[40 * 60];
    memset(pix, 255, sizeof pix);
    for (int y = 15; y < 25; y++) /* 30x10: fills the frame's width, not its height */
        for (int x = 15; x < 45; x++)
            pix[y * 60 + x] = 0;
    cr_assert_eq(image_write_png(png, pix, 60, 40, 1, &e), 0, "%s", e.msg);
    FILE *f = fopen(txt, "w");
    cr_assert_not_null(f);
    fputs("not a picture\n", f);
    fclose(f);
    session_snapshot(s, &vs);
    int idx = vs.trace_index;
    cr_assert_geq(idx, 0, "a test image is traced first");
    /* bad files: the subject stays */
    const char *bad[] = {txt, missing, tmpdir};
    const char *why[] = {"not an image", "No such file", "a directory"};
    for (int i = 0; i < 3; i++) {
        e.msg[0] = 0;
        cr_assert_eq(session_load_image(s, bad[i], &im, &e), -1, "%s loads", bad[i]);
        cr_assert(strstr(e.msg, bad[i]) && strstr(e.msg, why[i]), "message: %s", e.msg);
        cr_assert_null(strchr(e.msg, '\n'), "one line: %s", e.msg);
        session_snapshot(s, &vs);
        cr_assert_eq(vs.subject.kind, VS_SUBJ_TEST, "%s changed the subject", bad[i]);
        cr_assert_eq(vs.trace_index, idx);
    }
    /* the good one */
    cr_assert_eq(session_load_image(s, png, &im, &e), 0, "%s", e.msg);
    cr_assert_str_eq(im.name, "shoe.png");
    cr_assert_eq(im.w, 60);
    cr_assert_eq(im.h, 40);
    cr_assert_eq(im.inverted, 1, "white background: inverted");
    cr_assert_eq(im.blank, 0);
    session_snapshot(s, &vs);
    cr_assert_eq(vs.subject.kind, VS_SUBJ_FILE);
    cr_assert_str_eq(vs.subject.path, png);
    cr_assert_eq(vs.trace_index, -1);
    cr_assert_gt(vs.trace.nsteps, 0);
    /* what is traced is what was returned, in the dataset's 28x28 grey format:
     * the bar (inverted: bright) across the frame's middle, the corners dark */
    cr_assert_eq(memcmp(vs.trace_pix, im.pix, (size_t)vs.ch * vs.h * vs.w), 0);
    cr_assert_gt(im.pix[14 * 28 + 14], 200, "the bar, inverted, is bright");
    cr_assert_lt(im.pix[0], 30, "the background, inverted, is dark");
    session_close(s);
}

/* The gallery stays put when a new pass ranks the same images in a group,
 * with their new numbers; a different set takes the new order. */
Test(session, gallery_keeps_its_order_for_the_same_set) {
    static VsGalleryItem prev[4], fresh[4], out[4];
    memset(prev, 0, sizeof prev);
    memset(fresh, 0, sizeof fresh);
    int pi[4] = {7, 3, 9, 1}, fi[4] = {3, 1, 7, 9};
    for (int i = 0; i < 4; i++) {
        prev[i].index = pi[i];
        fresh[i].index = fi[i];
        fresh[i].act_pct = 50.0f + (float)fi[i]; /* the new numbers */
    }
    session_gallery_steady(prev, 4, fresh, 4, out);
    for (int i = 0; i < 4; i++) {
        cr_assert_eq(out[i].index, pi[i], "same set: the previous order");
        cr_assert_float_eq(out[i].act_pct, 50.0f + (float)pi[i], 0.0f, "with the new numbers");
    }
    fresh[2].index = 11; /* one image changed: the fresh ranking */
    session_gallery_steady(prev, 4, fresh, 4, out);
    for (int i = 0; i < 4; i++)
        cr_assert_eq(out[i].index, fresh[i].index);
    session_gallery_steady(prev, 0, fresh, 4, out); /* nothing before */
    cr_assert_eq(out[0].index, fresh[0].index);
}

/* A dataset of RGB images (here a folder of class folders of RGB PNGs, as
 * CIFAR-10 is RGB) loads a file in RGB: three channels, each its own. */
Test(session, load_image_keeps_rgb_for_an_rgb_dataset, .init = mk_tmp, .fini = rm_tmp) {
    static uint8_t px[16 * 16 * 3];
    char path[256];
    RtErr e = {{0}};
    const char *cls[2] = {"red", "blue"};
    for (int c = 0; c < 2; c++) {
        snprintf(path, sizeof path, "%s/ds/%s", tmpdir, cls[c]);
        char cmd[300];
        snprintf(cmd, sizeof cmd, "mkdir -p %s", path);
        cr_assert_eq(system(cmd), 0);
        for (int k = 0; k < 10; k++) {
            for (int i = 0; i < 16 * 16; i++) {
                px[3 * i] = c == 0 ? (uint8_t)(200 + k) : 10;
                px[3 * i + 1] = 20;
                px[3 * i + 2] = c == 1 ? (uint8_t)(200 + k) : 10;
            }
            snprintf(path, sizeof path, "%s/ds/%s/%d.png", tmpdir, cls[c], k);
            cr_assert_eq(image_write_png(path, px, 16, 16, 3, &e), 0, "%s", e.msg);
        }
    }
    Scenario sc;
    small(&sc);
    snprintf(sc.dataset, sizeof sc.dataset, "%.40s/ds", tmpdir);
    sc.tc.batch = 4;
    sc.tc.test_slice = 4;
    int usage = -1;
    Session *s = session_open(&sc, &usage, &e);
    cr_assert_not_null(s, "%s", e.msg);
    session_snapshot(s, &vs);
    cr_assert_eq(vs.ch, 3, "an RGB dataset");
    /* a 40x30 photo, green: the dataset's 3 channels, green high, red and blue low */
    static uint8_t photo[30 * 40 * 3];
    for (int i = 0; i < 30 * 40; i++) {
        photo[3 * i] = 30;
        photo[3 * i + 1] = 220;
        photo[3 * i + 2] = 40;
    }
    snprintf(path, sizeof path, "%s/green.png", tmpdir);
    cr_assert_eq(image_write_png(path, photo, 40, 30, 3, &e), 0, "%s", e.msg);
    static SessionImage im;
    cr_assert_eq(session_load_image(s, path, &im, &e), 0, "%s", e.msg);
    cr_assert_eq(im.inverted, 0, "a photo is never inverted");
    int hw = vs.h * vs.w, mid = (vs.h / 2) * vs.w + vs.w / 2;
    cr_assert(im.pix[mid] < 60 && im.pix[hw + mid] > 180 && im.pix[2 * hw + mid] < 70,
              "RGB kept: %d %d %d", im.pix[mid], im.pix[hw + mid], im.pix[2 * hw + mid]);
    session_snapshot(s, &vs);
    cr_assert_eq(memcmp(vs.trace_pix, im.pix, (size_t)3 * hw), 0, "traced as loaded");
    session_close(s);
}
