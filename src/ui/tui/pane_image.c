/* pane_image.c — the traced image (half-block pixels), its true label, the
 * prediction bars at the shown θ, activation % and active blocks, the θ at
 * which the sweep stopped. In draw mode the image is the canvas. */
#include <stdio.h>
#include <string.h>

#include "tui.h"

#define CANVAS_BG 48 /* display floor of the draw-mode canvas (grey level 2, ASCII '.') */
void image_draw(const ImagePane *p, WINDOW *w, Rect r) {
    const char *title = p->draw_mode ? "draw: arrows move, Enter paints, x clears, l loads, d done"
                                     : "traced image · live · bars: p";
    tui_box(w, r, title, p->draw_mode);
    if (r.h < 4 || r.w < 12) return;
    int gy, gx, rows, cols;
    image_geom(p, r, &gy, &gx, &rows, &cols);
    static uint8_t px[2 * 64 * 64];
    if (rows * 2 * cols > (int)sizeof px) return;
    vm_resample(p->pix, p->ch, p->h, p->w, px, rows * 2, cols);
    if (p->draw_mode) /* the canvas shows where it is: a dark grey, not black */
        for (int i = 0; i < rows * 2 * cols; i++)
            if (px[i] < CANVAS_BG) px[i] = CANVAS_BG;
    tui_image(w, gy, gx, px, rows * 2, cols);
    if (p->draw_mode) { /* the cursor's cell */
        int cy = gy + p->cur_y * rows / p->h, cx = gx + p->cur_x * cols / p->w;
        tui_text(w, cy, cx, 1, tui_attr(CLR_CURSOR), tui_utf8 ? "▒" : "+");
    }
    int tx = gx + cols + 2, tw = r.x + r.w - 1 - tx, y = r.y + 1, ymax = r.y + r.h - 1;
    if (tw < 10) return;
    char buf[128];
    if (p->index >= 0)
        snprintf(buf, sizeof buf, "#%d %s", p->index,
                 p->label >= 0 && p->label < p->C ? p->names[p->label] : "");
    else
        snprintf(buf, sizeof buf, "%s%s%s", p->source[0] ? p->source : "drawn",
                 p->label >= 0 ? " " : "",
                 p->label >= 0 && p->label < p->C ? p->names[p->label] : "");
    if (vm_strwidth(buf) > tw && p->index < 0) { /* a file's name in a narrow pane: wrapped */
        int st[2], ln[2];
        int k = vm_wrap(buf, tw, st, ln, 2);
        char part[128];
        for (int i = 0; i < k && i < 2 && y < ymax; i++) {
            snprintf(part, sizeof part, "%.*s", ln[i], buf + st[i]);
            tui_text(w, y++, tx, tw, tui_attr(CLR_LABEL), part);
        }
    } else
        tui_text(w, y++, tx, tw, tui_attr(CLR_LABEL), buf);
    if (!p->valid) return;
    if (p->pred >= 0) {
        int ok = p->label >= 0 ? p->pred == p->label : -1;
        snprintf(buf, sizeof buf, "→ %s %s", p->names[p->pred],
                 ok < 0 ? ""
                 : ok   ? (tui_utf8 ? "✓" : "ok")
                        : (tui_utf8 ? "✗" : "wrong"));
        tui_text(w, y++, tx, tw, tui_attr(ok == 0 ? CLR_BAD : ok == 1 ? CLR_GOOD : CLR_TEXT), buf);
    } else
        tui_text(w, y++, tx, tw, tui_attr(CLR_BAD), "no ray reached the output");
    if (p->note[0] && y < ymax) { /* wrapped: a narrow pane keeps every word */
        int st[3], ln[3];
        int k = vm_wrap(p->note, tw, st, ln, 3);
        for (int i = 0; i < k && i < 3 && y < ymax; i++) {
            snprintf(buf, sizeof buf, "%.*s", ln[i], p->note + st[i]);
            tui_text(w, y++, tx, tw, tui_attr(CLR_WARN), buf);
        }
    }
    if (y < ymax) {
        if (p->arch == ARCH_MLP)
            snprintf(buf, sizeof buf, "act %.1f%%  layers %d/%d", (double)p->act_pct, p->nactive,
                     p->nblocks);
        else
            snprintf(buf, sizeof buf, "act %.1f%%  blocks %d/%d", (double)p->act_pct, p->nactive,
                     p->nblocks);
        if (vm_strwidth(buf) > tw) { /* narrow (draw mode at 80×24): one number a line */
            snprintf(buf, sizeof buf, "act %.1f%%", (double)p->act_pct);
            tui_text(w, y++, tx, tw, tui_attr(CLR_TEXT), buf);
            snprintf(buf, sizeof buf, "%s %d/%d", p->arch == ARCH_MLP ? "layers" : "blocks",
                     p->nactive, p->nblocks);
        }
        if (y < ymax) tui_text(w, y++, tx, tw, tui_attr(CLR_TEXT), buf);
    }
    if (y < ymax && p->arch == ARCH_MLP)
        tui_text(w, y++, tx, tw, tui_attr(CLR_DIM), "dense: no θ sweep");
    else if (y < ymax) {
        const char *where = p->step == p->stop  ? "(here)"
                            : p->step < p->stop ? "(not yet)"
                                                : "(past)";
        snprintf(buf, sizeof buf, "stop θ %.3f %s", (double)p->stop_theta, where);
        if (vm_strwidth(buf) > tw) { /* narrow: the place on a line of its own */
            snprintf(buf, sizeof buf, "stop θ %.3f", (double)p->stop_theta);
            tui_text(w, y++, tx, tw, tui_attr(CLR_STOP), buf);
            snprintf(buf, sizeof buf, "%s", where);
        }
        if (y < ymax) tui_text(w, y++, tx, tw, tui_attr(CLR_STOP), buf);
    }
    int nw = tw >= 24 ? 10 : tw >= 16 ? 7 : 4;
    int bw = tw - nw - 5;
    if (bw < 2) return;
    for (int c = 0; c < p->C && y < ymax; c++, y++) {
        snprintf(buf, sizeof buf, "%-*.*s", nw, nw, p->names[c]);
        tui_text(w, y, tx, nw, tui_attr(c == p->label ? CLR_TEXT : CLR_DIM), buf);
        tui_bar(w, y, tx + nw + 1, bw, p->prob[c], tui_attr(c == p->pred ? CLR_BAR_TOP : CLR_BAR));
        if (p->mass > 0.0f) {
            if (p->prob[c] >= 0.995f)
                snprintf(buf, sizeof buf, "1.0");
            else
                snprintf(buf, sizeof buf, ".%02d", (int)(p->prob[c] * 100.0f + 0.5f));
            tui_text(w, y, tx + nw + 1 + bw + 1, 3, tui_attr(CLR_DIM), buf);
        }
    }
}
