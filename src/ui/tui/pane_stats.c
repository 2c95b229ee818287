/* pane_stats.c — training numbers: epoch, `step N`, `paused`, samples/s, loss
 * and test-accuracy sparklines, mean activation %, unreached samples. */
#include <stdio.h>
#include <string.h>

#include "tui.h"

static void spark(WINDOW *w, int y, int x, int width, const float *v, int n, float lo, float hi,
                  ColorRole role) {
    int idx[256];
    if (width > 256) width = 256;
    if (width <= 0) return;
    vm_sparkline(v, n, width, lo, hi, idx);
    wattrset(w, tui_attr(role));
    wmove(w, y, x);
    for (int i = 0; i < width; i++)
        waddstr(w, tui_spark_glyph(idx[i]));
    wattrset(w, A_NORMAL);
}

void stats_draw(const StatsPane *p, WINDOW *w, Rect r) {
    char title[128], pace[32];
    vm_fmt_pace(pace, sizeof pace, p->pace);
    /* the pace in the title: always in sight, whatever the message line says */
    snprintf(title, sizeof title, "training · pace %s · %s %s %ld params", pace, p->dataset,
             p->arch == ARCH_RT ? "RT" : "MLP", p->params_total);
    tui_box(w, r, title, 0);
    Rect in = {r.y + 1, r.x + 1, r.h - 2, r.w - 2};
    if (in.h < 1 || in.w < 20) return;
    int y = in.y, x = in.x;
    char buf[160];
    int n = snprintf(buf, sizeof buf, "epoch %d (%2d%%)  step %ld  ", p->epoch,
                     (int)(p->epoch_frac * 100.0), p->step);
    tui_text(w, y, x, in.w, tui_attr(CLR_TEXT), buf);
    x += n;
    if (p->paused) {
        tui_text(w, y, x, in.x + in.w - x, tui_attr(CLR_PAUSED), "paused");
        x += 8;
    } else {
        n = snprintf(buf, sizeof buf, "%.0f samples/s  ", (double)p->sps);
        tui_text(w, y, x, in.x + in.w - x, tui_attr(CLR_TEXT), buf);
        x += n;
    }
    /* second group: may wrap to the next line in the narrow full-layout pane */
    char b2[160];
    if (p->unreached_since > 0)
        snprintf(b2, sizeof b2, "act %.1f%%  unreached %ld (%ld since step %ld)",
                 (double)p->act_mean, p->unreached, p->unreached_total, p->unreached_since);
    else
        snprintf(b2, sizeof b2, "act %.1f%%  unreached %ld (%ld total)", (double)p->act_mean,
                 p->unreached, p->unreached_total);
    int wide = in.w >= 100;
    if (vm_strwidth(b2) <= in.x + in.w - x)
        tui_text(w, y, x, in.x + in.w - x, tui_attr(CLR_TEXT), b2);
    else if (in.h >= 4)
        tui_text(w, ++y, in.x, in.w, tui_attr(CLR_TEXT), b2);
    else if (in.h == 3 && !p->message[0] && vm_strwidth(b2) <= in.w) /* the message line */
        tui_text(w, in.y + 2, in.x, in.w, tui_attr(CLR_TEXT), b2);
    else {
        if (p->unreached_since > 0)
            snprintf(b2, sizeof b2, "act %.0f%% unr %ld/%ld since %ld", (double)p->act_mean,
                     p->unreached, p->unreached_total, p->unreached_since);
        else
            snprintf(b2, sizeof b2, "act %.0f%% unr %ld", (double)p->act_mean, p->unreached);
        tui_text(w, y, x, in.x + in.w - x, tui_attr(CLR_TEXT), b2);
    }
    y++;
    if (y >= in.y + in.h) return;
    /* sparklines, side by side when wide enough */
    int sw = wide || in.h < 5 ? (in.w - 36) / 2 : in.w - 18;
    if (sw < 4) sw = 4;
    x = in.x;
    snprintf(buf, sizeof buf, "loss %5.3f ", (double)p->loss);
    tui_text(w, y, x, in.w, tui_attr(CLR_SPARK_LOSS), buf);
    spark(w, y, x + 11, sw, p->loss_hist, p->nloss, 0.0f, 0.0f, CLR_SPARK_LOSS);
    if (wide || in.h < 5)
        x += 11 + sw + 2;
    else {
        y++;
        if (y >= in.y + in.h) return;
    }
    if (p->test_acc >= 0.0f)
        snprintf(buf, sizeof buf, "test %5.1f%% ", (double)p->test_acc);
    else
        snprintf(buf, sizeof buf, "test   --   ");
    tui_text(w, y, x, in.x + in.w - x, tui_attr(CLR_SPARK_ACC), buf);
    spark(w, y, x + 12, sw, p->acc_hist, p->nacc, 0.0f, 100.0f, CLR_SPARK_ACC);
    y++;
    if (y < in.y + in.h && in.h >= 5) {
        /* the learning rate, and how long the test accuracy has stalled (the
         * plateau rule halves it after plateau_limit passes; docs/UI.md) */
        char plat[64] = "";
        if (p->lr_cuts > 0)
            snprintf(plat, sizeof plat, " halved %d× stall %d/%d", p->lr_cuts, p->plateau,
                     p->plateau_limit);
        else if (p->plateau > 0)
            snprintf(plat, sizeof plat, " stall %d/%d", p->plateau, p->plateau_limit);
        snprintf(buf, sizeof buf, "train acc %.1f%%  floor %.3f  lr %.2g%s", (double)p->train_acc,
                 (double)p->floor, (double)p->lr, plat);
        tui_text(w, y++, in.x, in.w, tui_attr(CLR_DIM), buf);
    }
    /* the last lines: a message, word-wrapped over up to three lines (it
     * covers the lines above it); messages expire (UI_STATUS_S), a warning
     * stays while its cause does */
    if (y >= in.y + in.h) y = in.y + in.h - 1;
    if (p->message[0]) {
        int st[3], ln[3];
        int k = vm_wrap(p->message, in.w, st, ln, 3);
        if (k > 3) k = 3;
        int room = in.y + in.h - in.y; /* never over the first line */
        if (k > room - 1 && room > 1) k = room - 1;
        if (k < 1) k = 1;
        int y0 = in.y + in.h - k;
        if (y0 > y) y0 = y;
        for (int i = 0; i < k; i++) {
            mvwhline(w, y0 + i, in.x, ' ', in.w);
            char line[256];
            int l = ln[i] < (int)sizeof line - 1 ? ln[i] : (int)sizeof line - 1;
            memcpy(line, p->message + st[i], (size_t)l);
            line[l] = 0;
            tui_text(w, y0 + i, in.x, in.w, tui_attr(p->message_bad ? CLR_BAD : CLR_WARN), line);
        }
    }
}
