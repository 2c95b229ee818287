/* test_panes.c — pane logic from hand-made ViewStates: gallery hit-testing,
 * gauge and network geometry, the image canvas mapping, update copies. */
#include <criterion/criterion.h>
#include <string.h>

#include "tui/tui.h"

static ViewState vs;

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
    RtTrace *t = &vs.trace;
    t->L = 3;
    t->B = 8;
    t->C = 10;
    t->nsteps = 4;
    t->stop = 2;
    float th[4] = {0.5f, 0.2f, 0.05f, 0.0f};
    for (int s = 0; s < 4; s++) {
        t->theta[s] = th[s];
        t->nactive[s] = 2 * (s + 1);
        t->act_pct[s] = 10.0f * (s + 1);
        t->mass[s] = s == 0 ? 0.0f : 0.5f;
        if (s > 0) t->prob[s][3] = 0.95f, t->prob[s][1] = 0.05f;
        for (int l = 0; l < 3; l++)
            for (int i = 0; i < 8; i++) {
                t->rate[s][l][i] = 0.1f * (float)i;
                t->active[s][l][i] = i < 2 * (s + 1) / 3;
            }
    }
    for (int g = 0; g < VS_GALLERY; g++) {
        vs.easy[g].index = 100 + g;
        vs.hard[g].index = 200 + g;
    }
    vs.gallery_valid = 1;
}

Test(panes, gallery_hit_full_strip) {
    Layout lo;
    tui_layout(&lo, 50, 160, 0);
    Rect r = {0, 0, lo.r[PANE_LOWER].h, lo.r[PANE_LOWER].w};
    GalleryGeom g;
    gallery_geom(r, &g);
    cr_assert_eq(g.per_row, VS_GALLERY, "one row per group at 160 columns");
    cr_assert_geq(g.tw, 8);
    /* every cell's top-left maps back to that cell; gaps and headers to none */
    for (int grp = 0; grp < 2; grp++)
        for (int i = 0; i < VS_GALLERY; i++) {
            int y = g.y0[grp] + (i / g.per_row) * g.cell_h, x = g.x0 + (i % g.per_row) * g.cell_w;
            cr_assert_eq(gallery_hit(r, y, x), grp * VS_GALLERY + i);
            cr_assert_eq(gallery_hit(r, y + g.th - 1, x + g.tw - 1), grp * VS_GALLERY + i);
        }
    cr_assert_eq(gallery_hit(r, 0, 5), -1, "the border");
    cr_assert_eq(gallery_hit(r, g.y0[0] - 1, g.x0), -1, "the group header");
    cr_assert_eq(gallery_hit(r, g.y0[1] - 1, g.x0), -1, "the second header");
    if (g.cell_w > g.tw) cr_assert_eq(gallery_hit(r, g.y0[0], g.x0 + g.tw), -1, "the gap");
    /* cells stay inside the pane */
    cr_assert_leq(g.x0 + g.per_row * g.cell_w, r.w - 1);
    cr_assert_leq(g.y0[1] + g.rows_per_group * g.cell_h, r.h - 1);
}

Test(panes, gallery_hit_compact_and_narrow) {
    int sizes[][2] = {{24, 80}, {20, 64}, {30, 100}};
    for (int k = 0; k < 3; k++) {
        Layout lo;
        tui_layout(&lo, sizes[k][0], sizes[k][1], 1);
        cr_assert(lo.show[PANE_LOWER]);
        Rect r = {0, 0, lo.r[PANE_LOWER].h, lo.r[PANE_LOWER].w};
        GalleryGeom g;
        gallery_geom(r, &g);
        int seen[2 * VS_GALLERY] = {0};
        for (int y = 0; y < r.h; y++)
            for (int x = 0; x < r.w; x++) {
                int c = gallery_hit(r, y, x);
                cr_assert(c >= -1 && c < 2 * VS_GALLERY);
                if (c >= 0) seen[c] = 1;
            }
        for (int c = 0; c < 2 * VS_GALLERY; c++)
            cr_assert(seen[c] == (c % VS_GALLERY < g.shown), "cell %d at %dx%d", c, sizes[k][1],
                      sizes[k][0]);
        /* recognisable: thumbnails at least 8 cells wide, captions of 12 */
        if (sizes[k][0] >= 24)
            cr_assert_geq(g.tw, 8, "%dx%d: thumbnails %d wide", sizes[k][1], sizes[k][0], g.tw);
        cr_assert_geq(g.shown, 4);
        cr_assert_leq(g.y0[1] + g.rows_per_group * g.cell_h, r.h - 1, "fits at %dx%d", sizes[k][1],
                      sizes[k][0]);
    }
}

Test(panes, gallery_update_copies) {
    make_vs();
    GalleryPane p;
    UiState v = {.gallery_sel = 13};
    vs.subject.kind = VS_SUBJ_TEST;
    vs.subject.index = 201; /* cell 13 = hard[1], the traced image */
    gallery_update(&p, &vs, &v);
    cr_assert(p.valid);
    cr_assert_eq(p.item[0].index, 100);
    cr_assert_eq(p.item[VS_GALLERY + 1].index, 201);
    cr_assert_eq(p.sel, 13);
    vs.easy[0].index = 7; /* a pane draws from its own copy */
    cr_assert_eq(p.item[0].index, 100);
}

Test(panes, gauge_positions) {
    cr_assert_eq(gauge_x(0, 11, 50), 0);
    cr_assert_eq(gauge_x(10, 11, 50), 49);
    cr_assert_eq(gauge_x(99, 11, 50), 49, "clamped");
    cr_assert_eq(gauge_x(-1, 11, 50), 0);
    for (int s = 1; s < 11; s++)
        cr_assert_gt(gauge_x(s, 11, 50), gauge_x(s - 1, 11, 50));
    make_vs();
    GaugePane g;
    UiState v = {.step = 1};
    gauge_update(&g, &vs, &v);
    cr_assert_float_eq(g.theta, 0.2f, 1e-6f);
    cr_assert_eq(g.stop, 2);
    cr_assert_eq(g.nsched, 4, "the gauge follows the trace's steps");
    v.step = 99;
    gauge_update(&g, &vs, &v);
    cr_assert_eq(g.step, 3, "step clamped to the trace");
}

Test(panes, network_columns) {
    int L = 3, w = 100, bw = 7, cw = 16;
    int prev = -1;
    for (int c = 0; c <= L + 1; c++) {
        int x = net_col_x(c, L + 2, w, bw, cw);
        cr_assert_gt(x, prev, "columns left to right");
        prev = x;
    }
    cr_assert_eq(net_col_x(L + 1, L + 2, w, bw, cw), w - cw, "classes flush right");
    /* blocks never run into the class column */
    cr_assert_leq(net_col_x(L, L + 2, w, bw, cw) + bw, w - cw);
}

Test(panes, network_update_follows_step) {
    make_vs();
    NetPane p;
    UiState v = {.step = 0};
    net_update(&p, &vs, &v);
    cr_assert(p.valid);
    cr_assert_eq(p.pred, -1, "no mass at the first step");
    cr_assert_eq(p.nactive, 2);
    v.step = 3;
    net_update(&p, &vs, &v);
    cr_assert_eq(p.pred, 3);
    cr_assert_eq(p.nactive, 8);
    cr_assert_float_eq(p.theta, 0.0f, 1e-9f);
}

Test(panes, image_canvas_mapping) {
    make_vs();
    ImagePane p;
    UiState v = {.step = 2};
    image_update(&p, &vs, &v);
    cr_assert_eq(p.pred, 3);
    cr_assert_float_eq(p.act_pct, 30.0f, 1e-5f);
    Rect r = {0, 0, 18, 58};
    int py, px;
    cr_assert_eq(image_hit(&p, r, 0, 0, &py, &px), -1, "the border");
    cr_assert_eq(image_hit(&p, r, 1, 1, &py, &px), 0);
    cr_assert_eq(py, 0);
    cr_assert_eq(px, 0);
    cr_assert_eq(image_hit(&p, r, 14, 28, &py, &px), 0, "bottom-right cell");
    cr_assert_eq(py, 26, "a cell is two pixel rows");
    cr_assert_eq(px, 27);
    cr_assert_eq(image_hit(&p, r, 15, 28, &py, &px), -1, "below the image");
    cr_assert_eq(image_hit(&p, r, 1, 29, &py, &px), -1, "right of the image");
}

/* An MLP as the ViewState presents it: L hidden layers of one block, one step. */
static void make_mlp_vs(void) {
    memset(&vs, 0, sizeof vs);
    vs.arch = ARCH_MLP;
    vs.L = 2;
    vs.B = 1;
    vs.C = 10;
    vs.ch = 1;
    vs.h = vs.w = 28;
    vs.D = 784;
    vs.params_total = 269322;
    RtTrace *t = &vs.trace;
    t->L = 2;
    t->B = 1;
    t->C = 10;
    t->nsteps = 1;
    t->stop = 0;
    t->mass[0] = 1.0f;
    t->act_pct[0] = 100.0f;
    t->nactive[0] = 2;
    for (int l = 0; l < 2; l++) {
        t->rate[0][l][0] = 1.0f;
        t->active[0][l][0] = 1;
    }
    t->prob[0][7] = t->flow[0][7] = 0.9f;
    t->prob[0][2] = t->flow[0][2] = 0.1f;
}

Test(panes, mlp_network_update) {
    make_mlp_vs();
    UiState v;
    memset(&v, 0, sizeof v);
    vs.mlp_width[0] = 256; /* the ViewState carries the MLP's widths */
    vs.mlp_width[1] = 128;
    NetPane p;
    net_update(&p, &vs, &v);
    cr_assert_eq(p.valid, 1, "an MLP trace is drawn, not replaced by a note");
    cr_assert_eq(p.arch, ARCH_MLP);
    cr_assert_eq(p.L, 2);
    cr_assert_eq(p.width[0], 256);
    cr_assert_eq(p.width[1], 128);
    cr_assert_eq(p.params, 269322);
    cr_assert_eq(p.pred, 7);
    cr_assert_eq(p.nactive, 2, "every layer active");
    cr_assert_float_eq(p.flow[7], 0.9f, 1e-6f);
    /* ←/→ past the single step stays on it */
    v.step = 5;
    net_update(&p, &vs, &v);
    cr_assert_eq(p.valid, 1);
    cr_assert_float_eq(p.theta, 0.0f, 1e-6f);
}

Test(panes, mlp_other_panes) {
    make_mlp_vs();
    UiState v;
    memset(&v, 0, sizeof v);
    GaugePane g;
    gauge_update(&g, &vs, &v);
    cr_assert_eq(g.arch, ARCH_MLP, "the gauge knows there is no θ");
    cr_assert_eq(g.nsched, 1);
    cr_assert_eq(g.stop, 0);
    ImagePane im;
    image_update(&im, &vs, &v);
    cr_assert_eq(im.arch, ARCH_MLP);
    cr_assert_float_eq(im.act_pct, 100.0f, 1e-4f);
    cr_assert_eq(im.nactive, 2);
    cr_assert_eq(im.nblocks, 2, "layers, not blocks");
    cr_assert_eq(im.pred, 7);
    GalleryPane gp;
    vs.gallery_valid = 1;
    gallery_update(&gp, &vs, &v);
    cr_assert_eq(gp.arch, ARCH_MLP);
}

/* Parameters per block as the network pane shows them are the engine's own
 * block sizes (the default Fashion-MNIST network: 38,072 / 2,744 / 2,842,
 * router 6,280). */
Test(panes, block_params_match_the_engine) {
    ModelConfig mc;
    model_config_default(&mc, ARCH_RT, 1, 28, 28, 10);
    Model m;
    RtErr e = {{0}};
    cr_assert_eq(model_init(&m, &mc, 1, &e), 0, "%s", e.msg);
    int L = mc.L, B = mc.B, H = mc.H, D = 28 * 28;
    for (int l = 0; l < L; l++)
        cr_assert_eq(vm_block_params(l, L, B, H, D, 10), (long)m.blk[l * B].n, "layer %d", l + 1);
    cr_assert_eq(vm_router_params(B, D), (long)m.router_n);
    if (L == 3 && B == 8 && H == 48) {
        cr_assert_eq(vm_block_params(0, L, B, H, D, 10), 38072);
        cr_assert_eq(vm_block_params(1, L, B, H, D, 10), 2744);
        cr_assert_eq(vm_block_params(2, L, B, H, D, 10), 2842);
        cr_assert_eq(vm_router_params(B, D), 6280);
    }
    model_free(&m);
}

/* A rate above 0 never reads ".00". */
Test(panes, small_rates_read_below_a_hundredth) {
    char b[8];
    vm_fmt_rate(b, sizeof b, 0.003f);
    cr_assert_str_eq(b, "<.01");
    vm_fmt_rate(b, sizeof b, 0.0f);
    cr_assert_str_eq(b, ".00");
    vm_fmt_rate(b, sizeof b, 0.006f);
    cr_assert_str_eq(b, ".01");
    vm_fmt_rate(b, sizeof b, 0.999f);
    cr_assert_str_eq(b, "1.0");
}

/* Without UTF-8 every glyph has an ASCII stand-in and widths follow it. */
Test(panes, ascii_fallback_and_widths) {
    char b[128];
    const char *s = "θ 0.120  τ 0.90 → Bag ✓ ▀·";
    vm_ascii = 1;
    vm_to_ascii(s, strlen(s), b, sizeof b);
    cr_assert_str_eq(b, "theta 0.120  tau 0.90 -> Bag ok #.");
    cr_assert_eq(vm_strwidth(s), (int)strlen(b));
    cr_assert_eq(vm_prefix_bytes("θx", 5), 2, "theta is 5 cells: the whole glyph");
    cr_assert_eq(vm_prefix_bytes("θx", 4), 0, "a glyph is never split");
    int st[4], ln[4];
    int n = vm_wrap("θ θ θ", 11, st, ln, 4); /* "theta theta" fits 11 */
    cr_assert_eq(n, 2);
    vm_ascii = 0;
    cr_assert_eq(vm_strwidth(s), 26);
}

/* The gallery's selection marks the traced image, not a cell: a new test
 * pass that moves the image moves the mark; one that drops it clears it. */
Test(panes, gallery_selection_follows_the_traced_image) {
    make_vs();
    UiState u;
    ui_state_init(&u, 600);
    GalleryPane p;
    vs.subject.kind = VS_SUBJ_TEST;
    vs.subject.index = 203;
    u.gallery_sel = VS_GALLERY + 3; /* clicked: hard[3] = #203 */
    gallery_update(&p, &vs, &u);
    cr_assert_eq(p.sel, VS_GALLERY + 3);
    vs.hard[3].index = 684; /* the next pass ranks #203 sixth */
    vs.hard[5].index = 203;
    gallery_update(&p, &vs, &u);
    cr_assert_eq(p.sel, VS_GALLERY + 5, "the mark is on #%d", p.item[p.sel].index);
    vs.hard[5].index = 777; /* and then not at all */
    gallery_update(&p, &vs, &u);
    cr_assert_eq(p.sel, -1, "a cell is marked although #203 left the gallery");
    vs.hard[5].index = 203; /* a drawing traced instead: no test image is marked */
    vs.subject.kind = VS_SUBJ_CANVAS;
    gallery_update(&p, &vs, &u);
    cr_assert_eq(p.sel, -1);
}
