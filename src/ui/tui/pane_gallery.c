/* pane_gallery.c — the 12 easiest and 12 hardest test images of the last test
 * pass (eval_rank: fewest / most parameters used, then the earliest / latest
 * stop, then the highest / lowest confidence), each with its %, and whether
 * the prediction was right; a click traces one. */
#include <stdio.h>
#include <string.h>

#include "tui.h"

void gallery_draw(const GalleryPane *p, WINDOW *w, Rect r) {
    tui_box(w, r,
            "gallery · the last full test pass, each image at its stop (click traces it live, "
            "c: confusion)",
            0);
    if (r.h < 6 || r.w < 20) return;
    if (!p->valid) {
        tui_text(w, r.y + r.h / 2, r.x + 2, r.w - 4, tui_attr(CLR_DIM),
                 "waiting for the first pass over the test set…");
        return;
    }
    GalleryGeom g;
    gallery_geom(r, &g);
    /* the ranking, said as eval_rank does it */
    static const char *HEAD[2] = {
        "easiest: fewest parameters used, then earliest stop, then surest",
        "hardest: most parameters used, then latest stop, then least sure"};
    uint8_t px[2 * 16 * 16];
    if (g.shown < VS_GALLERY) /* fewer, bigger: say so */
        tui_text(w, r.y + r.h - 1, r.x + 2, r.w - 4, tui_attr(CLR_DIM),
                 " the first of each 12: a wider screen shows all ");
    for (int grp = 0; grp < 2; grp++) {
        int hy = g.y0[grp] - 1;
        if (p->arch == ARCH_MLP) { /* every image uses 100%: no easy / hard split */
            if (grp == 1) {
                tui_text(w, hy, g.x0, r.w - 2, tui_attr(CLR_DIM),
                         "a dense MLP uses every parameter for every image: no easy or hard "
                         "ones by activation (--arch rt shows them)");
                break;
            }
            tui_text(w, hy, g.x0, r.w - 2, tui_attr(CLR_TITLE),
                     "test images (MLP: all use 100% of the parameters)");
        } else
            tui_text(w, hy, g.x0, r.w - 2, tui_attr(CLR_TITLE), HEAD[grp]);
        if (p->sel >= grp * VS_GALLERY && p->sel < (grp + 1) * VS_GALLERY) {
            const VsGalleryItem *it = &p->item[p->sel];
            char d[128];
            snprintf(d, sizeof d, "  traced: #%d  %.1f%%  %d blocks  %s → %s", it->index,
                     (double)it->act_pct, it->active, p->names[it->label],
                     it->pred >= 0 ? p->names[it->pred] : "no answer");
            int hx = g.x0 + vm_strwidth(HEAD[grp]);
            tui_text(w, hy, hx, r.x + r.w - 1 - hx, tui_attr(CLR_CURSOR), d);
        }
        for (int i = 0; i < g.shown; i++) {
            const VsGalleryItem *it = &p->item[grp * VS_GALLERY + i];
            int cy = g.y0[grp] + (i / g.per_row) * g.cell_h, cx = g.x0 + (i % g.per_row) * g.cell_w;
            if ((int)sizeof px < g.th * 2 * g.tw) continue;
            vm_resample(it->pix, p->ch, p->h, p->w, px, g.th * 2, g.tw);
            tui_image(w, cy, cx, px, g.th * 2, g.tw);
            int ok = it->pred == it->label;
            char cap[64];
            snprintf(cap, sizeof cap, "%d%%%s%s", (int)(it->act_pct + 0.5f),
                     ok ? (tui_utf8 ? "✓" : "+") : (tui_utf8 ? "✗" : "x"),
                     it->pred >= 0 ? p->names[it->pred] : "?");
            attr_t a = tui_attr(ok ? CLR_GOOD : CLR_BAD);
            if (grp * VS_GALLERY + i == p->sel) a = tui_attr(CLR_CURSOR);
            tui_text(w, cy + g.th, cx, g.cell_w - 1, a, cap);
        }
    }
}
