/* test_layout.c — pane rectangles (src/ui/tui/layout.c) at several sizes. */
#include <criterion/criterion.h>

#include "tui/tui.h"

static void check_sane(const Layout *lo) {
    for (int i = 0; i < PANE_COUNT; i++) {
        if (!lo->show[i]) continue;
        Rect r = lo->r[i];
        cr_assert(r.h > 0 && r.w > 0, "pane %d empty at %dx%d", i, lo->cols, lo->rows);
        cr_assert(r.y >= 0 && r.x >= 0 && r.y + r.h <= lo->rows && r.x + r.w <= lo->cols,
                  "pane %d (%d,%d %dx%d) outside %dx%d", i, r.y, r.x, r.w, r.h, lo->cols, lo->rows);
        for (int j = i + 1; j < PANE_COUNT; j++)
            if (lo->show[j])
                cr_assert(!rect_overlap(r, lo->r[j]), "panes %d and %d overlap at %dx%d", i, j,
                          lo->cols, lo->rows);
    }
    Rect h = lo->help;
    cr_assert(h.y >= 0 && h.x >= 0 && h.y + h.h <= lo->rows && h.x + h.w <= lo->cols);
}

Test(layout, full_160x50) {
    Layout lo;
    tui_layout(&lo, 50, 160, 0);
    cr_assert_eq(lo.mode, LAYOUT_FULL);
    for (int i = 0; i < PANE_COUNT; i++)
        cr_assert(lo.show[i], "pane %d hidden in the full layout", i);
    check_sane(&lo);
    /* the key line is the bottom row, the gauge the top */
    cr_assert_eq(lo.r[PANE_KEYS].y, 49);
    cr_assert_eq(lo.r[PANE_GAUGE].y, 0);
    /* the image pane holds a 28x28 image at full size (14 rows + box) */
    cr_assert_geq(lo.r[PANE_IMAGE].h, 16);
    cr_assert_geq(lo.r[PANE_IMAGE].w, 30 + 20);
    /* every row of the screen but none twice: panes tile the screen */
    long area = 0;
    for (int i = 0; i < PANE_COUNT; i++)
        area += (long)lo.r[i].h * lo.r[i].w;
    cr_assert_eq(area, 160L * 50);
}

Test(layout, compact_80x24) {
    Layout lo;
    tui_layout(&lo, 24, 80, 0);
    cr_assert_eq(lo.mode, LAYOUT_COMPACT);
    cr_assert(lo.show[PANE_NETWORK] && lo.show[PANE_IMAGE] && lo.show[PANE_STATS]);
    cr_assert(lo.show[PANE_GAUGE] && lo.show[PANE_KEYS]);
    cr_assert_not(lo.show[PANE_LOWER], "compact: the gallery is behind g");
    check_sane(&lo);
    /* 13 rows of half-blocks (26 pixel rows): the stats keep a row for a wrapped message */
    cr_assert_geq(lo.r[PANE_IMAGE].h, 15, "28x28 image nearly at full size");
    cr_assert_geq(lo.r[PANE_STATS].h, 5, "numbers, sparklines and a message line");
    /* g: the gallery takes the middle instead */
    tui_layout(&lo, 24, 80, 1);
    cr_assert(lo.show[PANE_LOWER]);
    cr_assert_not(lo.show[PANE_NETWORK]);
    cr_assert_not(lo.show[PANE_IMAGE]);
    check_sane(&lo);
}

Test(layout, too_small) {
    Layout lo;
    tui_layout(&lo, 10, 40, 0);
    cr_assert_eq(lo.mode, LAYOUT_TOO_SMALL);
    for (int i = 0; i < PANE_COUNT; i++)
        cr_assert_not(lo.show[i]);
    tui_layout(&lo, LAYOUT_MIN_H, LAYOUT_MIN_W - 1, 0);
    cr_assert_eq(lo.mode, LAYOUT_TOO_SMALL);
    tui_layout(&lo, LAYOUT_MIN_H - 1, LAYOUT_MIN_W, 0);
    cr_assert_eq(lo.mode, LAYOUT_TOO_SMALL);
    tui_layout(&lo, LAYOUT_MIN_H, LAYOUT_MIN_W, 0);
    cr_assert_eq(lo.mode, LAYOUT_COMPACT);
    check_sane(&lo);
}

Test(layout, every_size_sane) {
    Layout lo;
    for (int rows = 10; rows <= 90; rows += 3)
        for (int cols = 30; cols <= 260; cols += 7)
            for (int g = 0; g < 2; g++) {
                tui_layout(&lo, rows, cols, g);
                if (rows < LAYOUT_MIN_H || cols < LAYOUT_MIN_W)
                    cr_assert_eq(lo.mode, LAYOUT_TOO_SMALL);
                else if (rows >= LAYOUT_FULL_H && cols >= LAYOUT_FULL_W)
                    cr_assert_eq(lo.mode, LAYOUT_FULL);
                else
                    cr_assert_eq(lo.mode, LAYOUT_COMPACT);
                check_sane(&lo);
                if (lo.mode == LAYOUT_FULL) /* the network keeps room for 8 blocks */
                    cr_assert_geq(lo.r[PANE_NETWORK].h, 18);
            }
}

Test(layout, rect_helpers) {
    Rect a = {0, 0, 2, 2}, b = {1, 1, 2, 2}, c = {2, 0, 1, 5};
    cr_assert(rect_overlap(a, b));
    cr_assert_not(rect_overlap(a, c), "touching is not overlapping");
    cr_assert(rect_contains(a, 1, 1));
    cr_assert_not(rect_contains(a, 2, 0));
}
