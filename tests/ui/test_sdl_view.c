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

/* max(r, g, b) at (x, y) of a 32-bit xRGB surface. */
static int px_max(const SDL_Surface *s, int x, int y) {
    uint32_t v = ((const uint32_t *)((const uint8_t *)s->pixels + (size_t)y * s->pitch))[x];
    int r = (v >> 16) & 255, g = (v >> 8) & 255, b = v & 255;
    int m = r > g ? r : g;
    return m > b ? m : b;
}

/* Mean brightness of a block's left and right quarters on a surface. */
static double surf_block(const SDL_Surface *s, SDL_FRect r) {
    double sum = 0;
    long n = 0;
    for (int y = (int)(r.y + r.h * 0.3f); y < (int)(r.y + r.h * 0.7f); y++)
        for (int x = (int)(r.x + r.w * 0.08f); x < (int)(r.x + r.w * 0.92f); x++) {
            float fx = ((float)x - r.x) / r.w;
            if (fx > 0.25f && fx < 0.75f) continue;
            sum += px_max(s, x, y);
            n++;
        }
    return n ? sum / (double)n : -1;
}

static int overlaps(SDL_Rect a, SDL_FRect b) {
    return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

/* The window's pane-cached renderer: the same picture as drawing the frame
 * whole, nothing redrawn when nothing moved, only the moving panes when the
 * sweep moves, and between two steps the network mixed from both. */
Test(sdl_view, cached_canvas_redraws_what_moved) {
    make_vs();
    cr_assert_eq(SDL_Init(0), 0);
    cr_assert_eq(TTF_Init(), 0);
    const int W = 1280, H = 720;
    SDL_Surface *t = SDL_CreateRGBSurfaceWithFormat(0, W, H, 32, SDL_PIXELFORMAT_RGB888);
    SDL_Surface *ref = SDL_CreateRGBSurfaceWithFormat(0, W, H, 32, SDL_PIXELFORMAT_RGB888);
    cr_assert(t && ref);
    RtErr e = {{0}};
    SvCanvas c;
    cr_assert_eq(sv_canvas_init(&c, t, &e), 0, "%s", e.msg);
    SvFrame f = {.pos = 1.0f, .status = "training", .sel_l = -1, .sel_i = -1};
    sv_render(&c, &vs, &f);
    cr_assert(c.full, "the first frame is whole");

    /* the same frame drawn whole, straight */
    Gfx g;
    cr_assert_eq(gfx_init(&g, ref, &e), 0, "%s", e.msg);
    SdlGeom geo;
    sv_layout(&geo, W, H, &vs);
    sv_draw(&g, &geo, &vs, &f);
    long differ = 0;
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++)
            if (abs(px_max(t, x, y) - px_max(ref, x, y)) > 8) differ++;
    cr_assert_lt(differ, (long)W * H / 200, "%ld of %d pixels differ from the whole frame", differ,
                 W * H);

    /* nothing moved: nothing drawn, nothing to send */
    sv_render(&c, &vs, &f);
    cr_assert(!c.full);
    cr_assert_eq(c.ndirty, 0, "%d rectangles changed with nothing moving", c.ndirty);

    /* the sweep moves half a step: the network, bars, answer and slider, not the gallery */
    double b1 = surf_block(t, geo.block[0][1]);
    f.pos = 1.5f;
    sv_render(&c, &vs, &f);
    cr_assert(!c.full);
    cr_assert_gt(c.ndirty, 0);
    int on_net = 0;
    for (int k = 0; k < c.ndirty; k++) {
        cr_assert(!overlaps(c.dirty[k], geo.gallery), "rectangle %d touches the gallery", k);
        if (overlaps(c.dirty[k], geo.block[0][1])) on_net = 1;
    }
    cr_assert(on_net, "the block that lights up between the steps was not redrawn");
    double bmid = surf_block(t, geo.block[0][1]);
    f.pos = 2.0f;
    sv_render(&c, &vs, &f);
    double b2 = surf_block(t, geo.block[0][1]);
    /* block (0,1) is dark at step 1 and lit at step 2: half way, in between */
    cr_assert_gt(b2, b1 + 20, "lit %.1f vs dark %.1f", b2, b1);
    cr_assert(bmid > b1 + 5 && bmid < b2 - 5, "half way %.1f not between %.1f and %.1f", bmid, b1,
              b2);
    cr_assert_gt(c.net_draws, 1);

    gfx_free(&g);
    sv_canvas_free(&c);
    SDL_FreeSurface(t);
    SDL_FreeSurface(ref);
    TTF_Quit();
    SDL_Quit();
}

static int in_rects(const SDL_Rect *r, int n, int x, int y) {
    for (int k = 0; k < n; k++)
        if (x >= r[k].x && x < r[k].x + r[k].w && y >= r[k].y && y < r[k].y + r[k].h) return 1;
    return 0;
}

/* Pixels of a and b whose brightest channel differs by more than 8. */
static long frame_differ(const SDL_Surface *a, const SDL_Surface *b) {
    long n = 0;
    for (int y = 0; y < a->h; y++)
        for (int x = 0; x < a->w; x++)
            if (abs(px_max(a, x, y) - px_max(b, x, y)) > 8) n++;
    return n;
}

/* A sweep animated frame by frame, forwards, back to the start and forwards
 * again (a new sweep), as the window does: every pixel that changed from one
 * frame to the next lies in a rectangle the frame reported (the window sends
 * only those), and at every whole step the frame is the one drawn whole. */
Test(sdl_view, cached_canvas_reports_every_changed_pixel) {
    make_vs();
    cr_assert_eq(SDL_Init(0), 0);
    cr_assert_eq(TTF_Init(), 0);
    const int W = 1280, H = 720;
    SDL_Surface *t = SDL_CreateRGBSurfaceWithFormat(0, W, H, 32, SDL_PIXELFORMAT_RGB888);
    SDL_Surface *prev = SDL_CreateRGBSurfaceWithFormat(0, W, H, 32, SDL_PIXELFORMAT_RGB888);
    SDL_Surface *ref = SDL_CreateRGBSurfaceWithFormat(0, W, H, 32, SDL_PIXELFORMAT_RGB888);
    cr_assert(t && prev && ref);
    RtErr e = {{0}};
    SvCanvas c;
    cr_assert_eq(sv_canvas_init(&c, t, &e), 0, "%s", e.msg);
    Gfx g;
    cr_assert_eq(gfx_init(&g, ref, &e), 0, "%s", e.msg);
    SdlGeom geo;
    sv_layout(&geo, W, H, &vs);
    SvFrame f = {.pos = 0.0f, .status = "training", .sel_l = -1, .sel_i = -1};
    sv_render(&c, &vs, &f);
    const float path[] = {0.0f,  0.125f, 0.25f, 0.5f, 0.875f, 1.0f, 1.25f, 1.5f,
                          1.75f, 2.0f,   0.0f,  0.5f, 1.0f,   1.5f, 2.0f,  1.0f,
                          1.0f,  0.25f,  0.75f, 1.0f, 1.375f, 2.0f, 2.0f};
    for (size_t n = 0; n < sizeof path / sizeof path[0]; n++) {
        memcpy(prev->pixels, t->pixels, (size_t)t->pitch * H);
        f.pos = path[n];
        sv_render(&c, &vs, &f);
        cr_assert(!c.full, "frame %zu drawn whole", n);
        long outside = 0;
        for (int y = 0; y < H; y++) {
            const uint32_t *a =
                (const uint32_t *)((const uint8_t *)t->pixels + (size_t)y * t->pitch);
            const uint32_t *b =
                (const uint32_t *)((const uint8_t *)prev->pixels + (size_t)y * prev->pitch);
            for (int x = 0; x < W; x++)
                if (a[x] != b[x] && !in_rects(c.dirty, c.ndirty, x, y)) outside++;
        }
        cr_assert_eq(outside, 0, "frame %zu (pos %.3f): %ld changed pixels not reported", n,
                     (double)path[n], outside);
        if (path[n] == floorf(path[n])) {
            sv_draw(&g, &geo, &vs, &f);
            long d = frame_differ(t, ref);
            /* a few rows below the network pane: the bottom blocks' glow, which the pane clips */
            cr_assert_lt(d, (long)W * H / 400,
                         "frame %zu (step %.0f): %ld pixels differ from "
                         "the frame drawn whole",
                         n, (double)path[n], d);
        }
    }
    gfx_free(&g);
    sv_canvas_free(&c);
    SDL_FreeSurface(t);
    SDL_FreeSurface(prev);
    SDL_FreeSurface(ref);
    TTF_Quit();
    SDL_Quit();
}

/* HiDPI: a 2x drawable (the same window in pixels twice as dense) gets the
 * same layout at twice the coordinates and text twice as large. Xvfb has no
 * HiDPI screen, so this is checked on the layout and the fonts. */
Test(sdl_view, layout_and_text_scale_with_the_drawable) {
    make_vs();
    cr_assert_eq(SDL_Init(0), 0);
    cr_assert_eq(TTF_Init(), 0);
    SdlGeom g1, g2;
    sv_layout(&g1, 1280, 720, &vs);
    sv_layout(&g2, 2560, 1440, &vs);
    const SDL_FRect *r1[] = {&g1.net,         &g1.side,        &g1.img,    &g1.track,
                             &g1.block[2][7], &g1.cell[1][11], &g1.plot[1]};
    const SDL_FRect *r2[] = {&g2.net,         &g2.side,        &g2.img,    &g2.track,
                             &g2.block[2][7], &g2.cell[1][11], &g2.plot[1]};
    for (size_t k = 0; k < sizeof r1 / sizeof r1[0]; k++) {
        cr_assert_float_eq(r2[k]->x, 2 * r1[k]->x, 0.01f, "rect %zu x", k);
        cr_assert_float_eq(r2[k]->y, 2 * r1[k]->y, 0.01f, "rect %zu y", k);
        cr_assert_float_eq(r2[k]->w, 2 * r1[k]->w, 0.01f, "rect %zu w", k);
        cr_assert_float_eq(r2[k]->h, 2 * r1[k]->h, 0.01f, "rect %zu h", k);
    }
    SDL_Surface *s1 = SDL_CreateRGBSurfaceWithFormat(0, 1280, 720, 32, SDL_PIXELFORMAT_RGB888);
    SDL_Surface *s2 = SDL_CreateRGBSurfaceWithFormat(0, 2560, 1440, 32, SDL_PIXELFORMAT_RGB888);
    Gfx a, b;
    RtErr e = {{0}};
    cr_assert_eq(gfx_init(&a, s1, &e), 0, "%s", e.msg);
    cr_assert_eq(gfx_init(&b, s2, &e), 0, "%s", e.msg);
    for (int f = 0; f < FONT_COUNT; f++) {
        float w1 = gfx_text_width(&a, (FontStyle)f, "chapter 3 of 11: blocks and gates");
        float w2 = gfx_text_width(&b, (FontStyle)f, "chapter 3 of 11: blocks and gates");
        /* hinted advances round per glyph: within 10% of twice */
        cr_assert(w2 > 1.8f * w1 && w2 < 2.2f * w1, "font %d: width %.0f at 2x vs %.0f", f, w2, w1);
        cr_assert(gfx_line_h(&b, (FontStyle)f) > 1.8f * gfx_line_h(&a, (FontStyle)f));
    }
    gfx_free(&a);
    gfx_free(&b);
    SDL_FreeSurface(s1);
    SDL_FreeSurface(s2);
    TTF_Quit();
    SDL_Quit();
}
