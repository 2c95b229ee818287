/* pane_confusion.c — confusion matrix of the last test pass (rows: true class,
 * columns: predicted), with the mean activation % of each true class beside. */
#include <stdio.h>
#include <string.h>

#include "tui.h"

void conf_draw(const ConfPane *p, WINDOW *w, Rect r) {
    char title[128];
    if (p->valid)
        snprintf(title, sizeof title,
                 "confusion: rows true, columns predicted  (%d images, %.1f%%)", p->n,
                 (double)p->acc);
    else
        snprintf(title, sizeof title, "confusion matrix");
    tui_box(w, r, title, 0);
    if (r.h < 5 || r.w < 20) return;
    if (!p->valid) {
        tui_text(w, r.y + r.h / 2, r.x + 2, r.w - 4, tui_attr(CLR_DIM),
                 "waiting for the first pass over the test set…");
        return;
    }
    int C = p->C, nw = r.w >= 80 ? 11 : 6;
    int cw = (r.w - 2 - nw - 8) / C;
    if (cw > 6) cw = 6;
    if (cw < 3) cw = 3;
    int x0 = r.x + 1 + nw, y = r.y + 1;
    char buf[32];
    for (int c = 0; c < C; c++) {
        snprintf(buf, sizeof buf, "%*.*s", cw - 1, cw - 1, p->names[c]);
        tui_text(w, y, x0 + c * cw, cw, tui_attr(CLR_DIM), buf);
    }
    tui_text(w, y, x0 + C * cw + 1, 6, tui_attr(CLR_DIM), " act%");
    for (int t = 0; t < C && y + 1 < r.y + r.h - 1; t++) {
        y++;
        snprintf(buf, sizeof buf, "%-*.*s", nw - 1, nw - 1, p->names[t]);
        tui_text(w, y, r.x + 1, nw, tui_attr(CLR_TEXT), buf);
        for (int q = 0; q < C; q++) {
            int v = p->m[t][q];
            attr_t a = tui_attr(conf_role(p, t, q));
            if (v >= 100000)
                snprintf(buf, sizeof buf, "%*s", cw - 1, "+");
            else
                snprintf(buf, sizeof buf, "%*d", cw - 1, v);
            tui_text(w, y, x0 + q * cw, cw, a, v ? buf : (cw >= 3 ? "  ·" : "."));
        }
        snprintf(buf, sizeof buf, "%5.1f", (double)p->class_act[t]);
        tui_text(w, y, x0 + C * cw + 1, 6, tui_attr(CLR_THETA), buf);
    }
}
