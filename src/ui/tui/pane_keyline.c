/* pane_keyline.c — the key line, generated from the bindings (keys.c) and
 * the action table's short names. */
#include "app.h"

void keys_draw_line(WINDOW *w, Rect r, int draw_mode) {
    int mode = draw_mode ? KM_DRAW : KM_NORMAL;
    int x = r.x, end = r.x + r.w;
    wmove(w, r.y, r.x);
    wclrtoeol(w);
    for (int i = 0; i < NKEYS && x < end; i++) {
        const KeyBinding *k = &KEYS[i];
        const char *label = action_name(k->act);
        if ((k->mode != KM_ANY && k->mode != mode) || !label[0] || !k->name[0]) continue;
        int nw = vm_strwidth(k->name), lw = vm_strwidth(label);
        if (x + nw + lw + 1 > end) break;
        tui_text(w, r.y, x, nw, tui_attr(CLR_KEY), k->name);
        tui_text(w, r.y, x + nw + 1, lw, tui_attr(CLR_KEY_LABEL), label);
        x += nw + lw + 3;
    }
}
