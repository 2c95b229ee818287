/* draw.c — drawing helpers shared by the panes, and the pure scaling
 * functions behind them (sparkline, image resampling). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "tui.h"

/* ---------------------------------------------------------------- drawing */

void tui_text(WINDOW *win, int y, int x, int maxw, attr_t a, const char *s) {
    if (maxw <= 0 || !s) return;
    int bytes = vm_prefix_bytes(s, maxw); /* cells by wcwidth, or by ASCII stand-ins */
    wattrset(win, a);
    if (vm_ascii) { /* no UTF-8: every glyph as ASCII (theta, tau, ->, #) */
        char buf[1024];
        size_t n = vm_to_ascii(s, (size_t)bytes, buf, sizeof buf);
        mvwaddnstr(win, y, x, buf, (int)n);
    } else
        mvwaddnstr(win, y, x, s, bytes);
    wattrset(win, A_NORMAL);
}

void tui_textf(WINDOW *win, int y, int x, int maxw, attr_t a, const char *fmt, ...) {
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    tui_text(win, y, x, maxw, a, buf);
}

void tui_frame(WINDOW *win, Rect r, attr_t a) {
    if (r.h < 2 || r.w < 2) return;
    wattrset(win, a);
    mvwhline(win, r.y, r.x + 1, ACS_HLINE, r.w - 2);
    mvwhline(win, r.y + r.h - 1, r.x + 1, ACS_HLINE, r.w - 2);
    mvwvline(win, r.y + 1, r.x, ACS_VLINE, r.h - 2);
    mvwvline(win, r.y + 1, r.x + r.w - 1, ACS_VLINE, r.h - 2);
    mvwaddch(win, r.y, r.x, ACS_ULCORNER);
    mvwaddch(win, r.y, r.x + r.w - 1, ACS_URCORNER);
    mvwaddch(win, r.y + r.h - 1, r.x, ACS_LLCORNER);
    mvwaddch(win, r.y + r.h - 1, r.x + r.w - 1, ACS_LRCORNER);
    wattrset(win, A_NORMAL);
}

void tui_box(WINDOW *win, Rect r, const char *title, int focus) {
    if (r.h < 2 || r.w < 2) return;
    tui_frame(win, r, tui_attr(focus ? CLR_TITLE : CLR_BORDER));
    if (title && r.w > 6) {
        tui_text(win, r.y, r.x + 2, r.w - 4, tui_attr(CLR_TITLE), " ");
        tui_text(win, r.y, r.x + 3, r.w - 6, tui_attr(CLR_TITLE), title);
        int tw = vm_strwidth(title);
        if (tw < r.w - 6) tui_text(win, r.y, r.x + 3 + tw, 1, tui_attr(CLR_TITLE), " ");
    }
}

static const char SHADE[] = " .:-=+*#%@";
static const char *const SHADE_U[5] = {" ", "░", "▒", "▓", "█"};

void tui_image(WINDOW *win, int y, int x, const uint8_t *px, int oh2, int ow) {
    int rows = oh2 / 2;
    int grey = tui_grey_pair(0, 0) != 0;
    for (int r = 0; r < rows; r++) {
        wmove(win, y + r, x);
        for (int c = 0; c < ow; c++) {
            uint8_t t = px[(2 * r) * ow + c], b = px[(2 * r + 1) * ow + c];
            if (grey && tui_utf8) {
                wattrset(win, tui_grey_pair(tui_grey_level(t), tui_grey_level(b)));
                waddstr(win, "▀");
            } else if (tui_utf8) { /* no grey ramp: shade blocks fill the cell */
                int v = (t + b) / 2;
                wattrset(win, A_NORMAL);
                waddstr(win, SHADE_U[v * 5 / 256]);
            } else {
                int v = (t + b) / 2;
                wattrset(win, A_NORMAL);
                waddch(win, (chtype)SHADE[v * 10 / 256]);
            }
        }
    }
    wattrset(win, A_NORMAL);
}

static const char *EIGHTHS[8] = {"▏", "▎", "▍", "▌", "▋", "▊", "▉", "█"};

void tui_bar(WINDOW *win, int y, int x, int width, float v, attr_t a) {
    if (width <= 0) return;
    if (!(v > 0.0f)) v = 0.0f;
    if (v > 1.0f) v = 1.0f;
    int eighths = (int)(v * (float)width * 8.0f + 0.5f);
    wattrset(win, a);
    wmove(win, y, x);
    for (int i = 0; i < width; i++) {
        int e = eighths - i * 8;
        if (e >= 8)
            waddstr(win, tui_utf8 ? "█" : "#");
        else if (e > 0)
            waddstr(win, tui_utf8 ? EIGHTHS[e - 1] : (e >= 4 ? "=" : "-"));
        else
            break;
    }
    wattrset(win, A_NORMAL);
}

const char *tui_spark_glyph(int k) {
    static const char *U[8] = {"▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"};
    static const char *A[8] = {"_", ".", ",", "-", "=", "+", "*", "#"};
    if (k < 0) return " ";
    if (k > 7) k = 7;
    return tui_utf8 ? U[k] : A[k];
}

void tui_draw_too_small(WINDOW *w, int rows, int cols) {
    char msg[64];
    snprintf(msg, sizeof msg, "enlarge to %d×%d", LAYOUT_MIN_W, LAYOUT_MIN_H);
    char now[64];
    snprintf(now, sizeof now, "(now %d×%d)", cols, rows);
    werase(w);
    int y = rows / 2;
    int mw = vm_strwidth(msg);
    tui_text(w, y, mw < cols ? (cols - mw) / 2 : 0, cols, tui_attr(CLR_WARN), msg);
    if (y + 1 < rows) {
        int nw = vm_strwidth(now);
        tui_text(w, y + 1, nw < cols ? (cols - nw) / 2 : 0, cols, tui_attr(CLR_DIM), now);
    }
}
