/* test_help.c — the `?` overlay (src/ui/tui/pane_help.c): generated from the
 * bindings, the action table and the legend, wrapped to its width, and scrollable so that the
 * last key and the legend's last line are reachable at 80×24. */
#include <criterion/criterion.h>
#include <string.h>

#include "tui/app.h"

static HelpLine lines[512];

static int cells(const char *s, int len) {
    int n = 0;
    for (int i = 0; i < len; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80) n++;
    return n;
}

/* The text of the last line of the last legend entry. */
static const char *legend_tail(void) {
    const char *s = LEGEND[NLEGEND - 1];
    return s + strlen(s);
}

Test(help, every_key_and_legend_line_reachable) {
    int sizes[][2] = {{24, 80}, {20, 64}, {50, 160}, {40, 120}};
    for (int k = 0; k < 4; k++) {
        Layout lo;
        tui_layout(&lo, sizes[k][0], sizes[k][1], 0);
        Rect r = {0, 0, lo.help.h, lo.help.w};
        int wd = r.w - 4;
        int n = help_lines(lines, 512, wd);
        cr_assert_lt(n, 512);
        /* each line fits the overlay */
        for (int i = 0; i < n; i++)
            cr_assert_leq(lines[i].indent + cells(lines[i].text, lines[i].len), wd,
                          "%dx%d: line %d too wide", sizes[k][1], sizes[k][0], i);
        /* every named key of the table has its line, in order */
        int at = 0;
        for (int i = 0; i < NKEYS; i++) {
            if (!KEYS[i].name[0]) continue;
            while (at < n && !(lines[at].key && !strcmp(lines[at].key, KEYS[i].name) &&
                               lines[at].text == action_help(KEYS[i].act)))
                at++;
            cr_assert_lt(at, n, "key %s missing from the help", KEYS[i].name);
        }
        /* the last line is the end of the legend */
        cr_assert_eq(lines[n - 1].text + lines[n - 1].len, legend_tail());
        /* scrolling reaches it: the rows shown at the largest offset end at n */
        int rows = r.h - 3, maxs = help_max_scroll(r);
        if (n <= rows)
            cr_assert_eq(maxs, 0);
        else
            cr_assert_eq(maxs + rows, n, "%dx%d: the end is not reachable", sizes[k][1],
                         sizes[k][0]);
        if (sizes[k][0] == 24) cr_assert_gt(maxs, 0, "80x24 needs scrolling");
        if (sizes[k][0] == 50)
            cr_assert_eq(maxs, 0, "160x50 shows it all (%d lines, %d rows)", n, rows);
    }
}

Test(help, legend_explains_the_elements) {
    const char *need[] = {"brighter",  "dark block", "line weight", "n% under", "act %", "stop θ",
                          "unreached", "floor",      "τ",           "MLP",      "NaN"};
    for (size_t i = 0; i < sizeof need / sizeof need[0]; i++) {
        int found = 0;
        for (int j = 0; j < NLEGEND; j++)
            if (strstr(LEGEND[j], need[i])) found = 1;
        cr_assert(found, "the legend does not explain \"%s\"", need[i]);
    }
}
