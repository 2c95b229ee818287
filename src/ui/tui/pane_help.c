/* pane_help.c — the `?` overlay: every key of the table with its help, then
 * the legend of what each element on screen means. */
#include "app.h"

void help_draw(WINDOW *w, Rect r, int draw_mode) {
    (void)draw_mode;
    werase(w);
    tui_box(w, r, "help: keys and legend (any key closes)", 1);
    int y = r.y + 1, ymax = r.y + r.h - 1, x = r.x + 2, wd = r.w - 4;
    for (int i = 0; i < NKEYS && y < ymax; i++) {
        const KeyDef *k = &KEYS[i];
        if (!k->name[0]) continue;
        tui_text(w, y, x, 8, tui_attr(CLR_KEY) | A_REVERSE, k->name);
        tui_text(w, y, x + 9, wd - 9, tui_attr(CLR_TEXT), k->help);
        y++;
    }
    tui_text(w, y++, x, wd, tui_attr(CLR_DIM),
             "mouse: click a gallery image to trace it; in draw mode, paint.");
    if (y < ymax) y++;
    for (int i = 0; i < NLEGEND && y < ymax; i++, y++)
        tui_text(w, y, x, wd, tui_attr(i == 0 || LEGEND[i][0] != ' ' ? CLR_TITLE : CLR_TEXT),
                 LEGEND[i]);
}
