/* pane_help.c — the `?` overlay: every key of the table with its help, then
 * the legend of what each element on screen means. The lines are generated
 * (help_lines, from the bindings and the action table) and word-wrapped to the overlay's width;
 * when they do not fit (80×24) the overlay scrolls with ↑/↓, PgUp/PgDn, Home/End and says so. */
#include <string.h>

#include "app.h"

#define KEY_COL 9 /* key names, then the help text */

/* Lines of one text wrapped into width - indent cells (continuations indented
 * two more); appended to out[*n]. */
static void add_wrapped(HelpLine *out, int max, int *n, const char *key, const char *text,
                        int indent, int role, int width) {
    int st[16], ln[16];
    /* a legend entry's continuation lines are indented two more */
    int k = vm_wrap(text, width - indent - (key ? 0 : 2), st, ln, 16);
    if (k > 16) k = 16;
    for (int i = 0; i < k; i++) {
        if (*n < max) {
            HelpLine *h = &out[*n];
            h->key = i == 0 ? key : NULL;
            h->text = text + st[i];
            h->len = ln[i];
            h->indent = indent;
            h->role = role;
        }
        (*n)++;
        if (i == 0 && !key) indent += 2;
    }
}

int help_lines(HelpLine *out, int max, int width) {
    int n = 0;
    for (int i = 0; i < NKEYS; i++) {
        const KeyBinding *k = &KEYS[i];
        if (!k->name[0] || k->mode == KM_HELP) continue;
        add_wrapped(out, max, &n, k->name, action_help(k->act), KEY_COL, CLR_TEXT, width);
    }
    add_wrapped(out, max, &n, NULL,
                "mouse: click a gallery image to trace it; in draw mode, paint.", 0, CLR_DIM,
                width);
    for (int i = 0; i < NLEGEND; i++) {
        const char *s = LEGEND[i];
        int ind = 0;
        while (s[ind] == ' ')
            ind++;
        add_wrapped(out, max, &n, NULL, s + ind, ind, ind ? CLR_TEXT : CLR_TITLE, width);
    }
    return n;
}

/* Text rows inside the overlay (box and the footer line excluded). */
static int help_rows(Rect r) { return r.h - 3 > 1 ? r.h - 3 : 1; }

int help_max_scroll(Rect r) {
    static HelpLine tmp[256];
    int n = help_lines(tmp, 256, r.w - 4);
    int m = n - help_rows(r);
    return m > 0 ? m : 0;
}

void help_draw(WINDOW *w, Rect r, int draw_mode, int scroll) {
    (void)draw_mode;
    static HelpLine lines[256];
    int wd = r.w - 4;
    int n = help_lines(lines, 256, wd);
    if (n > 256) n = 256;
    int rows = help_rows(r);
    int maxs = n - rows > 0 ? n - rows : 0;
    if (scroll > maxs) scroll = maxs;
    if (scroll < 0) scroll = 0;
    werase(w);
    tui_box(w, r,
            maxs ? "keys and legend · ↑↓ PgUp PgDn Home End scroll · others close"
                 : "help: keys and legend  (any key closes)",
            1);
    int x = r.x + 2;
    for (int i = 0; i < rows && scroll + i < n; i++) {
        const HelpLine *h = &lines[scroll + i];
        int y = r.y + 1 + i;
        if (h->key) tui_text(w, y, x, KEY_COL - 1, tui_attr(CLR_KEY), h->key);
        char buf[256];
        int l = h->len < (int)sizeof buf - 1 ? h->len : (int)sizeof buf - 1;
        memcpy(buf, h->text, (size_t)l);
        buf[l] = 0;
        tui_text(w, y, x + h->indent, wd - h->indent, tui_attr((ColorRole)h->role), buf);
    }
    /* the footer: where we are and whether there is more */
    char foot[96];
    if (maxs)
        snprintf(foot, sizeof foot, "lines %d-%d of %d  %s", scroll + 1,
                 scroll + rows < n ? scroll + rows : n, n,
                 scroll >= maxs ? "(end)" : "↓ more: PgDn");
    else
        snprintf(foot, sizeof foot, "%d lines", n);
    tui_text(w, r.y + r.h - 2, x, wd, tui_attr(CLR_DIM), foot);
}
