/* pane_alert.c — the alert: a boxed, word-wrapped note over the middle of the
 * screen that explains why training stopped (a NaN/Inf rollback, an engine
 * error) and what to do. It stays until training resumes or Esc hides it. */
#include <stdio.h>
#include <string.h>

#include "tui.h"

/* Byte offset just past the first `cells` code points of s[from, to). */
static int cut_cells(const char *s, int from, int to, int cells) {
    int i = from, c = 0;
    while (i < to) {
        if (((unsigned char)s[i] & 0xC0) != 0x80) {
            if (c == cells) break;
            c++;
        }
        i++;
    }
    return i;
}

/* Greedy word wrap of the paragraph s[p, q) (no '\n' inside). */
static int wrap_par(const char *s, int p, int q, int width, int *start, int *len, int max, int n) {
    int pos = p;
    while (pos < q && s[pos] == ' ')
        pos++;
    if (pos >= q) { /* an empty paragraph is one empty line */
        if (n < max) start[n] = p, len[n] = 0;
        return n + 1;
    }
    while (pos < q) {
        int j = pos, end = -1, cells = 0;
        for (;;) { /* cells counts from pos to j, spaces between words included */
            int w0 = j, need = cells;
            while (j < q && s[j] != ' ') {
                if (((unsigned char)s[j] & 0xC0) != 0x80) need++;
                j++;
            }
            if (need > width) {
                if (end < 0) end = cut_cells(s, w0, j, width); /* a word longer than a line */
                break;
            }
            end = j;
            cells = need;
            while (j < q && s[j] == ' ')
                j++, cells++;
            if (j >= q) break;
        }
        if (n < max) start[n] = pos, len[n] = end - pos;
        n++;
        pos = end;
        while (pos < q && s[pos] == ' ')
            pos++;
    }
    return n;
}

int tui_wrap(const char *s, int width, int *start, int *len, int max) {
    if (width < 1) width = 1;
    int n = 0, p = 0;
    for (;;) {
        int q = p;
        while (s[q] && s[q] != '\n')
            q++;
        n = wrap_par(s, p, q, width, start, len, max, n);
        if (!s[q]) break;
        p = q + 1;
    }
    return n;
}

#define ALERT_MAXL 24

Rect tui_alert_rect(int rows, int cols, const char *text) {
    int w = cols - 4 < 72 ? cols - 4 : 72;
    if (w < 10) w = cols;
    int st[ALERT_MAXL], ln[ALERT_MAXL];
    int n = tui_wrap(text, w - 4, st, ln, ALERT_MAXL);
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
    int n = tui_wrap(text, r.w - 4, st, ln, ALERT_MAXL);
    if (n > ALERT_MAXL) n = ALERT_MAXL;
    for (int i = 0; i < n && r.y + 2 + i < r.y + r.h - 1; i++) {
        char line[256];
        int l = ln[i] < (int)sizeof line - 1 ? ln[i] : (int)sizeof line - 1;
        memcpy(line, text + st[i], (size_t)l);
        line[l] = 0;
        tui_text(w, r.y + 2 + i, r.x + 2, r.w - 4, tui_attr(CLR_TEXT), line);
    }
}

int tui_nan_notice(const char *engine_msg, char *out, size_t n, char *brief, size_t bn) {
    long step = 0;
    char why[128] = "", what[128] = "";
    float lr0 = 0.0f, lr1 = 0.0f;
    int got = sscanf(engine_msg, "step %ld: %127[^;]; %127[^,], learning rate halved %g -> %g",
                     &step, why, what, &lr0, &lr1);
    if (got != 5) { /* a message of another form: show it as it is */
        snprintf(out, n,
                 "Training is paused: %s\n\nspace resumes  ·  . tries one minibatch  ·  "
                 "R restarts  ·  Esc hides this note",
                 engine_msg);
        snprintf(brief, bn, "paused: %s", engine_msg);
        return 0;
    }
    /* "the loss became NaN/Inf" → "the loss" */
    char *b = strstr(why, " became");
    if (b) *b = 0;
    int restored = strstr(what, "restored") != NULL;
    snprintf(out, n,
             "Training is paused: at step %ld %s became NaN or infinite (a number overflowed).\n\n"
             "%s The learning rate was halved, %g -> %g.%s\n\n"
             "space resumes at the lower rate  ·  . tries one minibatch  ·  R restarts from the "
             "start  ·  Esc hides this note",
             step, why,
             restored ? "That step was undone: the weights are back to the last ones that gave "
                        "finite numbers."
                      : "The step was skipped: no update was made, the weights are as they were.",
             (double)lr0, (double)lr1,
             restored ? ""
                      : " If it happens again at once, the weights themselves overflow: R "
                        "restarts (a --model checkpoint may be broken).");
    snprintf(brief, bn, "paused: NaN/Inf at step %ld, learning rate halved to %g", step,
             (double)lr1);
    return 1;
}
