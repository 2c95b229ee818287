/* test_sdl_view.c — the projector view rendered off-screen (no display): the
 * PNG has the requested size, and at the positions the geometry gives, active
 * blocks are brighter than dark ones; also the full `rtviz snapshot` path
 * with a real model, the sweep interpolation and the slider mapping. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <stb/stb_image.h>

#include "checkpoint.h"
#include "cmd/cmd.h"
#include "dataset.h"
#include "sdl/png.h"
#include "sdl/snapshot.h"
#include "sdl/view.h"

static ViewState vs;
static char dir[64];

static void tmpdir(void) {
    snprintf(dir, sizeof dir, "/tmp/rtviz-sdl-XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
}

static void rmdir_all(void) {
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_assert_eq(system(cmd), 0);
}

/* Active iff (l + i) % 3 == 0 at step 1. */
static int is_active(int l, int i) { return (l + i) % 3 == 0; }

static void make_vs(void) {
    memset(&vs, 0, sizeof vs);
    vs.arch = ARCH_RT;
    vs.L = 3;
    vs.B = 8;
    vs.C = 10;
    vs.ch = 1;
    vs.h = vs.w = 28;
    vs.D = 784;
    vs.tau = 0.9f;
    vs.params_total = 1000;
    snprintf(vs.dataset, sizeof vs.dataset, "test");
    for (int c = 0; c < 10; c++)
        snprintf(vs.class_names[c], sizeof vs.class_names[c], "class %c", (char)('0' + c));
    RtTrace *t = &vs.trace;
    t->L = 3;
    t->B = 8;
    t->C = 10;
    t->nsteps = 3;
    t->stop = 1;
    const float th[3] = {0.5f, 0.2f, 0.0f};
    for (int s = 0; s < 3; s++) {
        t->theta[s] = th[s];
        t->mass[s] = s == 0 ? 0.0f : 0.6f;
        if (s > 0) t->prob[s][3] = 0.9f, t->prob[s][5] = 0.1f;
        for (int i = 0; i < 8; i++)
            t->router[s][i] = 0.1f;
        for (int l = 0; l < 3; l++)
            for (int i = 0; i < 8; i++) {
                int on = s == 2 || (s == 1 && is_active(l, i));
                t->active[s][l][i] = (uint8_t)on;
                t->rate[s][l][i] = on ? 0.3f + 0.05f * (float)i : 0.05f;
                for (int k = 0; k < 10; k++)
                    t->gate[s][l][i][k] = on ? 0.05f : 0.0f;
            }
        t->nactive[s] = s == 2 ? 24 : 8;
        t->act_pct[s] = 30.0f;
    }
    for (int p = 0; p < 784; p++)
        vs.trace_pix[p] = (uint8_t)(p % 251);
    vs.trace_index = 7;
    vs.trace_label = 3;
}

/* Mean of max(r, g, b) over the left and right quarters of r's middle band
 * (the rate text sits in the centre). */
static double brightness(const uint8_t *px, int w, int h, SDL_FRect r) {
    double sum = 0;
    long n = 0;
    int y0 = (int)(r.y + r.h * 0.3f), y1 = (int)(r.y + r.h * 0.7f);
    for (int y = y0; y < y1; y++)
        for (int x = (int)(r.x + r.w * 0.08f); x < (int)(r.x + r.w * 0.92f); x++) {
            float fx = ((float)x - r.x) / r.w;
            if (fx > 0.25f && fx < 0.75f) continue;
            if (x < 0 || y < 0 || x >= w || y >= h) continue;
            const uint8_t *p = px + ((size_t)y * w + x) * 3;
            int m = p[0] > p[1] ? p[0] : p[1];
            sum += m > p[2] ? m : p[2];
            n++;
        }
    cr_assert_gt(n, 10, "block rect %.0f,%.0f %.0fx%.0f has no pixels", r.x, r.y, r.w, r.h);
    return sum / (double)n;
}

/* Every active block of step s is brighter than every dark one, by a margin. */
static void check_blocks(const uint8_t *px, int w, int h, const ViewState *v, int s) {
    SdlGeom g;
    sv_layout(&g, w, h, v);
    double lit_min = 1e9, dark_max = -1;
    int nl = 0, nd = 0;
    for (int l = 0; l < v->L; l++)
        for (int i = 0; i < v->B; i++) {
            double b = brightness(px, w, h, g.block[l][i]);
            if (v->trace.active[s][l][i]) {
                if (b < lit_min) lit_min = b;
                nl++;
            } else {
                if (b > dark_max) dark_max = b;
                nd++;
            }
        }
    cr_assert_gt(nl, 0, "no active block to compare");
    cr_assert_gt(nd, 0, "no dark block to compare");
    cr_assert_gt(lit_min, dark_max + 20.0, "dimmest active block %.1f vs brightest dark %.1f",
                 lit_min, dark_max);
}

Test(sdl_view, snapshot_size_and_brightness) {
    make_vs();
    tmpdir();
    char path[128];
    snprintf(path, sizeof path, "%s/v.png", dir);
    RtErr e = {{0}};
    const int sizes[2][2] = {{1280, 720}, {1920, 1080}};
    for (int k = 0; k < 2; k++) {
        int W = sizes[k][0], H = sizes[k][1];
        cr_assert_eq(snapshot_render(&vs, 1.0f, W, H, "test", path, &e), 0, "%s", e.msg);
        int w, h, n;
        uint8_t *px = stbi_load(path, &w, &h, &n, 3);
        cr_assert_not_null(px, "%s: %s", path, stbi_failure_reason());
        cr_assert_eq(w, W);
        cr_assert_eq(h, H);
        check_blocks(px, w, h, &vs, 1);
        stbi_image_free(px);
    }
    rmdir_all();
}

Test(sdl_view, interpolation_between_steps) {
    make_vs();
    SvState s;
    sv_state(&vs.trace, 1.5f, &s);
    cr_assert_float_eq(s.theta, 0.1f, 1e-6);
    /* block (0,1) is dark at step 1 (0.05) and active at step 2 (0.35) */
    cr_assert_float_eq(s.rate[0][1], 0.2f, 1e-6);
    cr_assert_float_eq(s.act[0][1], 0.5f, 1e-6);
    cr_assert_float_eq(s.act[0][0], 1.0f, 1e-6);
    sv_state(&vs.trace, 99.0f, &s); /* clamped to the last step */
    cr_assert_float_eq(s.theta, 0.0f, 1e-6);
    cr_assert_eq(s.step, 2);
}

Test(sdl_view, slider_and_hit_tests) {
    make_vs();
    SdlGeom g;
    sv_layout(&g, 1920, 1080, &vs);
    for (float p = 0.0f; p <= 2.0f; p += 0.25f)
        cr_assert_float_eq(sv_x_step(&g, sv_step_x(&g, p)), p, 1e-4);
    cr_assert_float_eq(sv_x_step(&g, -1000.0f), 0.0f, 1e-6);
    cr_assert_float_eq(sv_x_step(&g, 1e6f), 2.0f, 1e-6);
    int l, i;
    SDL_FRect b = g.block[2][5];
    cr_assert(sv_block_at(&g, b.x + b.w / 2, b.y + b.h / 2, &l, &i));
    cr_assert_eq(l, 2);
    cr_assert_eq(i, 5);
    cr_assert_not(sv_block_at(&g, g.router.x + 1, g.router.y + 1, &l, &i));
    int row, k;
    SDL_FRect c = g.cell[1][11];
    cr_assert(sv_cell_at(&g, c.x + 1, c.y + 1, &row, &k));
    cr_assert_eq(row, 1);
    cr_assert_eq(k, 11);
    /* panes stay inside the picture and do not overlap the network */
    SDL_FRect all[] = {g.header, g.net, g.side, g.slider, g.gallery, g.stats};
    for (size_t a = 0; a < sizeof all / sizeof all[0]; a++) {
        cr_assert_geq(all[a].x, 0);
        cr_assert_geq(all[a].y, 0);
        cr_assert_leq(all[a].x + all[a].w, 1920.5f);
        cr_assert_leq(all[a].y + all[a].h, 1080.5f);
    }
    cr_assert_leq(g.net.x + g.net.w, g.side.x);
    cr_assert_leq(g.net.y + g.net.h, g.slider.y);
}

Test(sdl_view, png_path_checks) {
    tmpdir();
    RtErr e = {{0}};
    char p[160];
    snprintf(p, sizeof p, "%s/missing/x.png", dir);
    cr_assert_eq(png_check_path(p, &e), -1);
    cr_assert(strstr(e.msg, "missing"), "%s", e.msg);
    cr_assert_eq(png_check_path(dir, &e), -1, "a directory is not an output file");
    snprintf(p, sizeof p, "%s/ok.png", dir);
    cr_assert_eq(png_check_path(p, &e), 0, "%s", e.msg);
    /* a failed write leaves the old file whole */
    FILE *f = fopen(p, "w");
    fputs("old", f);
    fclose(f);
    uint8_t rgb[3 * 4 * 4] = {0};
    cr_assert_eq(png_write_rgb(p, rgb, 4, 4, 12, &e), 0, "%s", e.msg);
    int w, h, n;
    uint8_t *px = stbi_load(p, &w, &h, &n, 3);
    cr_assert_not_null(px);
    cr_assert_eq(w, 4);
    stbi_image_free(px);
    rmdir_all();
}

/* The whole command: a checkpoint of a freshly initialised network on the
 * sample set, traced at a θ where some blocks are active and some dark. */
Test(sdl_view, snapshot_command_real_model) {
    tmpdir();
    RtErr e = {{0}};
    Dataset ds;
    cr_assert_eq(dataset_load("sample", &ds, &e), 0, "%s", e.msg);
    ModelConfig c;
    model_config_default(&c, ARCH_RT, ds.test.ch, ds.test.h, ds.test.w, ds.classes);
    c.H = 16;
    Model m;
    cr_assert_eq(model_init(&m, &c, 3, &e), 0, "%s", e.msg);
    char ck[128], out[128];
    snprintf(ck, sizeof ck, "%s/m.ckpt", dir);
    snprintf(out, sizeof out, "%s/snap.png", dir);
    CkptMeta meta = {0};
    snprintf(meta.dataset, sizeof meta.dataset, "sample");
    cr_assert_eq(ckpt_save(ck, &m, NULL, &meta, &e), 0, "%s", e.msg);

    /* a θ between the weakest and the strongest layer-1 block of image 2 */
    float *x = calloc((size_t)c.D, sizeof *x);
    int idx = 2;
    data_batch_float(&ds.test, &idx, 1, x);
    RtTrace *tr = calloc(1, sizeof *tr);
    rt_trace(&m, x, c.tau, 0.0f, tr, NULL);
    float lo = 1, hi = 0;
    for (int i = 0; i < c.B; i++) {
        float p = tr->router[tr->nsteps - 1][i]; /* θ = 0: the router's softmax */
        float t = p / (1 + p);                   /* block i is active iff θ < t */
        if (t < lo) lo = t;
        if (t > hi) hi = t;
    }
    cr_assert_lt(lo, hi);
    float theta = (lo + hi) / 2;
    char th[32];
    snprintf(th, sizeof th, "%.4f", theta);
    theta = strtof(th, NULL);
    int pos;
    cr_assert_eq(snapshot_theta_trace(&m, x, c.tau, 0.0f, theta, tr, &pos, &e), 0, "%s", e.msg);
    cr_assert_float_eq(tr->theta[pos], theta, 1e-7);

    char *argv[] = {"--model", ck,       "--index", "2",     "--theta",
                    th,        "--size", "960x540", "--out", out};
    cr_assert_eq(cmd_snapshot(10, argv), 0);
    int w, h, n;
    uint8_t *px = stbi_load(out, &w, &h, &n, 3);
    cr_assert_not_null(px);
    cr_assert_eq(w, 960);
    cr_assert_eq(h, 540);
    static ViewState v2;
    memset(&v2, 0, sizeof v2);
    v2.arch = ARCH_RT;
    v2.L = c.L;
    v2.B = c.B;
    v2.C = c.C;
    v2.trace = *tr;
    check_blocks(px, w, h, &v2, pos);
    stbi_image_free(px);

    char *bad[] = {"--model", ck, "--index", "2", "--theta", "0.1", "--floor", "0.2", "--out", out};
    cr_assert_eq(cmd_snapshot(10, bad), EXIT_USAGE, "θ below the floor");
    free(x);
    free(tr);
    model_free(&m);
    dataset_free(&ds);
    rmdir_all();
}
