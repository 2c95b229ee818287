/* pane_keyline.c — the key line, generated from the bindings (keys.c) and
 * the action table's short names. `? help` and `q quit` are always at its
 * right end; when the other keys do not fit before them the line pages
 * (Tab: next page) and says `Tab 1/3`. */
#include <stdio.h>

#include "app.h"

static int tail_key(const KeyBinding *k) { return k->act == ACT_HELP || k->act == ACT_QUIT; }

static int shown_here(const KeyBinding *k, int mode) {
    return (k->mode == KM_ANY || k->mode == mode) && action_name(k->act)[0] && k->name[0];
}

static int item_w(const KeyBinding *k) {
    return vm_strwidth(k->name) + 1 + vm_strwidth(action_name(k->act));
}

static int draw_item(WINDOW *w, int y, int x, const KeyBinding *k) {
    const char *label = action_name(k->act);
    int nw = vm_strwidth(k->name), lw = vm_strwidth(label);
    tui_text(w, y, x, nw, tui_attr(CLR_KEY), k->name);
    tui_text(w, y, x + nw + 1, lw, tui_attr(CLR_KEY_LABEL), label);
    return nw + lw + 3;
}

/* The page each key of the line falls on (-1 not on the line) for a width;
 * returns the number of pages. The pager itself is one of the keys. */
static int paginate(int width, int mode, int *page_of) {
    int tail = 0;
    for (int i = 0; i < NKEYS; i++) {
        page_of[i] = -1;
        if (shown_here(&KEYS[i], mode) && tail_key(&KEYS[i])) tail += item_w(&KEYS[i]) + 2;
    }
    int room = width - tail, x = 0, total = 0;
    for (int i = 0; i < NKEYS; i++)
        if (shown_here(&KEYS[i], mode) && !tail_key(&KEYS[i]) && KEYS[i].act != ACT_KEYS_PAGE)
            total += item_w(&KEYS[i]) + 2;
    if (total <= room) { /* one page: no pager */
        for (int i = 0; i < NKEYS; i++)
            if (shown_here(&KEYS[i], mode) && !tail_key(&KEYS[i]) && KEYS[i].act != ACT_KEYS_PAGE)
                page_of[i] = 0;
        return 1;
    }
    room -= 12; /* "Tab 1/3" */
    int page = 0;
    for (int i = 0; i < NKEYS; i++) {
        const KeyBinding *k = &KEYS[i];
        if (!shown_here(k, mode) || tail_key(k) || k->act == ACT_KEYS_PAGE) continue;
        if (x > 0 && x + item_w(k) > room) page++, x = 0;
        page_of[i] = page;
        x += item_w(k) + 2;
    }
    return page + 1;
}

int keys_line_pages(int width, int draw_mode) {
    int page_of[256];
    return paginate(width, draw_mode ? KM_DRAW : KM_NORMAL, page_of);
}

void keys_draw_line(WINDOW *w, Rect r, int draw_mode, int page) {
    int mode = draw_mode ? KM_DRAW : KM_NORMAL;
    int page_of[256];
    int np = paginate(r.w, mode, page_of);
    page = np > 0 ? ((page % np) + np) % np : 0;
    int x = r.x, end = r.x + r.w;
    wmove(w, r.y, r.x);
    wclrtoeol(w);
    for (int i = 0; i < NKEYS; i++)
        if (page_of[i] == page) x += draw_item(w, r.y, x, &KEYS[i]);
    int tail = 0;
    for (int i = 0; i < NKEYS; i++)
        if (shown_here(&KEYS[i], mode) && tail_key(&KEYS[i])) tail += item_w(&KEYS[i]) + 2;
    int tx = end - tail;
    if (np > 1) { /* the pager: Tab 1/3 */
        char pg[16];
        snprintf(pg, sizeof pg, "%d/%d", page + 1, np);
        int px = tx - 10;
        tui_text(w, r.y, px, 3, tui_attr(CLR_KEY), "Tab");
        tui_text(w, r.y, px + 4, 5, tui_attr(CLR_KEY_LABEL), pg);
    }
    for (int i = 0; i < NKEYS; i++)
        if (shown_here(&KEYS[i], mode) && tail_key(&KEYS[i])) tx += draw_item(w, r.y, tx, &KEYS[i]);
}
