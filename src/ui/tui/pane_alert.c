/* pane_alert.c — the alert: a boxed, word-wrapped note over the middle of the
 * screen that explains why training stopped (a NaN/Inf rollback, an engine
 * error) and what to do. It stays until training resumes or Esc hides it. */
#include <stdio.h>
#include <string.h>

#include "tui.h"

#define ALERT_MAXL 24

Rect tui_alert_rect(int rows, int cols, const char *text) {
    int w = cols - 4 < 72 ? cols - 4 : 72;
    if (w < 10) w = cols;
    int st[ALERT_MAXL], ln[ALERT_MAXL];
    int n = vm_wrap(text, w - 4, st, ln, ALERT_MAXL);
    int h = n + 4; /* box, a blank line above and below the text */
    if (h > rows - 2) h = rows - 2;
    if (h < 3) h = 3;
    return (Rect){(rows - h) / 2, (cols - w) / 2, h, w};
}

void alert_draw(WINDOW *w, Rect r, const char *title, const char *text, int bad) {
    werase(w);
    /* the box in the alert's colour (not the panes' border colour) */
    tui_frame(w, r, tui_attr(bad ? CLR_ERROR_FRAME : CLR_NOTE_FRAME));
    char t[96];
    snprintf(t, sizeof t, " %s ", title);
    tui_text(w, r.y, r.x + 2, r.w - 4, tui_attr(bad ? CLR_ERROR_TITLE : CLR_NOTE_TITLE), t);
    int st[ALERT_MAXL], ln[ALERT_MAXL];
    int n = vm_wrap(text, r.w - 4, st, ln, ALERT_MAXL);
    if (n > ALERT_MAXL) n = ALERT_MAXL;
    for (int i = 0; i < n && r.y + 2 + i < r.y + r.h - 1; i++) {
        char line[256];
        int l = ln[i] < (int)sizeof line - 1 ? ln[i] : (int)sizeof line - 1;
        memcpy(line, text + st[i], (size_t)l);
        line[l] = 0;
        tui_text(w, r.y + 2 + i, r.x + 2, r.w - 4, tui_attr(CLR_TEXT), line);
    }
}
