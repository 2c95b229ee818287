/* pane_gauge.c — the θ gauge: the effective schedule as evenly spaced steps
 * (it ends at the θ floor), the θ shown, the stop step, τ and the floor. */
#include <stdio.h>
#include <string.h>

#include "tui.h"

void gauge_draw(const GaugePane *p, WINDOW *w, Rect r) {
    tui_box(w, r, "threshold", 0);
    Rect in = {r.y + 1, r.x + 1, r.h - 2, r.w - 2};
    if (r.h == 3 && r.w >= 20) { /* compact: open at the bottom (the panes below close it), so
                                  * the tick values keep a row */
        wattrset(w, tui_attr(CLR_BORDER));
        mvwhline(w, r.y + 2, r.x, ' ', r.w);
        mvwaddstr(w, r.y + 2, r.x, tui_utf8 ? "│" : "|");
        mvwaddstr(w, r.y + 2, r.x + r.w - 1, tui_utf8 ? "│" : "|");
        wattrset(w, A_NORMAL);
        in.h = 2;
    }
    if (in.h < 1 || in.w < 20) return;
    if (p->arch == ARCH_MLP) {
        tui_text(w, in.y, in.x, in.w, tui_attr(CLR_DIM),
                 "dense MLP: no θ, no sweep and no floor: every layer runs for every image "
                 "(--arch rt for the RayTracing network)");
        return;
    }
    int x = in.x;
    char num[32]; /* each piece advances by its width (θ is "theta" without UTF-8) */
    snprintf(num, sizeof num, "θ %.3f", (double)p->theta);
    tui_text(w, in.y, x, in.w, tui_attr(CLR_THETA), num);
    x += vm_strwidth(num) + 2;
    snprintf(num, sizeof num, "τ %.2f", (double)p->tau);
    tui_text(w, in.y, x, in.x + in.w - x, tui_attr(CLR_TAU), num);
    x += vm_strwidth(num) + 2;
    snprintf(num, sizeof num, "floor %.3f", (double)p->floor);
    tui_text(w, in.y, x, in.x + in.w - x, tui_attr(CLR_FLOOR), num);
    x += vm_strwidth(num) + 2;
    if (p->cliff >= 0.0f && in.w >= 70) { /* the highest floor most images still get through */
        int over = p->floor > p->cliff + 0.001f;
        tui_textf(w, in.y, x, 11, tui_attr(over ? CLR_BAD : CLR_DIM), "cliff %.2f",
                  (double)p->cliff);
        x += 12;
    }
    char tail[128], speed[48];
    if (p->sweep_manual)
        snprintf(speed, sizeof speed, "step mode: → next θ");
    else
        snprintf(speed, sizeof speed, "sweep %d ms/θ", p->step_ms);
    if (p->step >= 0)
        snprintf(tail, sizeof tail, " step %d/%d%s, stop at %d  %s", p->step + 1, p->nsched,
                 p->animating ? " sweeping" : "", p->stop + 1, speed);
    else
        snprintf(tail, sizeof tail, " no trace  %s", speed);
    if (in.w < 100 && p->step >= 0) /* narrow: the words that matter */
        snprintf(tail, sizeof tail, " %d/%d stop %d  %s", p->step + 1, p->nsched, p->stop + 1,
                 p->sweep_manual ? "→ next θ" : speed + 6);
    int tailw = vm_strwidth(tail);
    int bw = in.x + in.w - x - tailw - 2;
    if (bw > 80) bw = 80;
    if (bw >= 8 && p->nsched > 0) {
        /* the bar: high θ at the left, the floor at the right */
        tui_text(w, in.y, x, 1, tui_attr(CLR_BORDER), tui_utf8 ? "▕" : "[");
        int bx = x + 1, inner = bw - 2;
        wattrset(w, tui_attr(CLR_BORDER));
        mvwhline(w, in.y, bx, ACS_HLINE, inner);
        int cur = p->step >= 0 ? gauge_x(p->step, p->nsched, inner) : -1;
        for (int s = 0; s < p->nsched; s++) {
            int gx = bx + gauge_x(s, p->nsched, inner);
            if (s <= p->step) /* swept so far */
                tui_text(w, in.y, gx, 1, tui_attr(CLR_THETA), tui_utf8 ? "•" : "*");
            else
                tui_text(w, in.y, gx, 1, tui_attr(CLR_DIM), tui_utf8 ? "·" : ".");
        }
        if (p->stop >= 0)
            tui_text(w, in.y, bx + gauge_x(p->stop, p->nsched, inner), 1, tui_attr(CLR_STOP),
                     tui_utf8 ? "◆" : "S");
        if (cur >= 0) tui_text(w, in.y, bx + cur, 1, tui_attr(CLR_THETA_MARK), "θ");
        tui_text(w, in.y, bx + inner, 1, tui_attr(CLR_BORDER), tui_utf8 ? "▏" : "]");
        x += bw;
        if (in.h >= 2) { /* θ labels under the ticks */
            int lastx = -10;
            for (int s = 0; s < p->nsched; s++) {
                int gx = bx + gauge_x(s, p->nsched, inner);
                char lab[12];
                float th = p->sched[s];
                if (th >= 0.1f)
                    snprintf(lab, sizeof lab, ".%02d", (int)(th * 100.0f + 0.5f));
                else
                    snprintf(lab, sizeof lab, "%.3f", (double)th);
                if (th == 0.0f) snprintf(lab, sizeof lab, "0");
                int lw = (int)strlen(lab) - (th < 0.1f && th > 0.0f ? 1 : 0);
                const char *ls = (th < 0.1f && th > 0.0f) ? lab + 1 : lab; /* ".005" */
                int lx = gx - lw / 2;
                if (lx <= lastx + 1 || lx + lw > in.x + in.w) continue;
                tui_text(w, in.y + 1, lx, lw,
                         tui_attr(s == p->stop   ? CLR_STOP
                                  : s == p->step ? CLR_THETA
                                                 : CLR_DIM),
                         ls);
                lastx = lx + lw - 1;
            }
        }
    }
    tui_text(w, in.y, x, in.x + in.w - x, tui_attr(CLR_TEXT), tail);
}
