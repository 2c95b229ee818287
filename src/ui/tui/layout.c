/* layout.c — pane rectangles for a terminal size (pure; tests/ui/test_layout.c).
 *
 * Full (≥ 120×40):                    Compact (≥ 64×20):
 *   gauge ─────────────────────────     gauge ──────────────────
 *   network            │ image          network     │ image
 *                      │ stats          (or gallery/confusion: `g`)
 *   gallery / confusion strip           stats ──────────────────
 *   key line                            key line                         */
#include <string.h>

#include "tui.h"

static Rect rect(int y, int x, int h, int w) { return (Rect){y, x, h, w}; }

/* Height of the gallery strip for a width: two groups of one header row,
 * thumbnails and a caption row, inside a box. */
static int strip_h(int cols, int max_tw) {
    int tw = (cols - 2) / VS_GALLERY - 1;
    if (tw > max_tw) tw = max_tw;
    int th = (tw + 1) / 2;
    return 2 + 2 * (1 + th + 1);
}

void tui_layout(Layout *lo, int rows, int cols, int lower_view) {
    memset(lo, 0, sizeof *lo);
    lo->rows = rows;
    lo->cols = cols;
    if (rows < LAYOUT_MIN_H || cols < LAYOUT_MIN_W) {
        lo->mode = LAYOUT_TOO_SMALL;
        return;
    }
    int hw = cols - 4 < 124 ? cols - 4 : 124;
    lo->help = rect(1, (cols - hw) / 2, rows - 2, hw);
    lo->r[PANE_KEYS] = rect(rows - 1, 0, 1, cols);
    lo->show[PANE_KEYS] = 1;
    lo->show[PANE_GAUGE] = 1;
    if (rows >= LAYOUT_FULL_H && cols >= LAYOUT_FULL_W) {
        lo->mode = LAYOUT_FULL;
        lo->r[PANE_GAUGE] = rect(0, 0, 4, cols);
        int max_tw = 14, lh;
        for (;;) { /* shrink thumbnails until the middle keeps 18 rows */
            lh = strip_h(cols, max_tw);
            if (rows - 5 - lh >= 18 || max_tw <= 4) break;
            max_tw -= 2;
        }
        int mid = rows - 5 - lh;
        int stats_h = mid - 18;
        stats_h = stats_h < 5 ? 5 : stats_h > 10 ? 10 : stats_h;
        /* a projector-sized terminal (≥ 180×56): the image at twice its size */
        int rw = LAYOUT_RIGHT_W;
        if (cols >= 180 && mid - 5 >= 30) { /* 28 rows of half-blocks + the box */
            rw = LAYOUT_RIGHT_W + 30;
            if (mid - stats_h < 30) stats_h = mid - 30;
        }
        int lw = cols - rw;
        lo->r[PANE_NETWORK] = rect(4, 0, mid, lw);
        lo->r[PANE_IMAGE] = rect(4, lw, mid - stats_h, rw);
        lo->r[PANE_STATS] = rect(4 + mid - stats_h, lw, stats_h, rw);
        lo->r[PANE_LOWER] = rect(4 + mid, 0, lh, cols);
        lo->show[PANE_NETWORK] = lo->show[PANE_IMAGE] = lo->show[PANE_STATS] = 1;
        lo->show[PANE_LOWER] = 1;
        return;
    }
    lo->mode = LAYOUT_COMPACT;
    lo->r[PANE_GAUGE] = rect(0, 0, 3, cols);
    int sh = rows >= 24 ? 5 : 4; /* room for a wrapped message under the numbers */
    lo->r[PANE_STATS] = rect(rows - 1 - sh, 0, sh, cols);
    lo->show[PANE_STATS] = 1;
    int mid = rows - 4 - sh;
    if (lower_view) {
        lo->r[PANE_LOWER] = rect(3, 0, mid, cols);
        lo->show[PANE_LOWER] = 1;
        return;
    }
    int iw = cols - 36 < 48 ? cols - 36 : 48; /* the network keeps ≥ 36 columns */
    if (iw < 28) iw = 28;
    lo->r[PANE_NETWORK] = rect(3, 0, mid, cols - iw);
    lo->r[PANE_IMAGE] = rect(3, cols - iw, mid, iw);
    lo->show[PANE_NETWORK] = lo->show[PANE_IMAGE] = 1;
}
