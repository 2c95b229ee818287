/* test_alert.c — the alert (src/ui/tui/pane_alert.c): word wrapping, the box
 * geometry, and the explanation built from the engine's NaN/Inf event. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "tui/tui.h"

static int cells(const char *s, int len) {
    int n = 0;
    for (int i = 0; i < len; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80) n++;
    return n;
}

Test(alert, wrap_fits_and_keeps_every_word) {
    const char *s = "space resumes at the lower rate  ·  . tries one minibatch  ·  R restarts "
                    "from the start  ·  Esc hides this note";
    int st[32], ln[32];
    for (int width = 8; width <= 80; width++) {
        int n = vm_wrap(s, width, st, ln, 32);
        cr_assert_gt(n, 0);
        cr_assert_leq(n, 32);
        char joined[512] = "";
        for (int i = 0; i < n; i++) {
            cr_assert_leq(cells(s + st[i], ln[i]), width, "line %d is %d cells at width %d", i,
                          cells(s + st[i], ln[i]), width);
            if (i) strcat(joined, " ");
            strncat(joined, s + st[i], (size_t)ln[i]);
        }
        /* no word lost or split (single spaces in place of runs) */
        char a[512], b[512];
        int k = 0;
        for (const char *p = s; *p; p++)
            if (*p != ' ') a[k++] = *p;
        a[k] = 0;
        k = 0;
        for (const char *p = joined; *p; p++)
            if (*p != ' ') b[k++] = *p;
        b[k] = 0;
        cr_assert_str_eq(a, b, "width %d", width);
    }
    /* lines end at word ends ("minibatch", 9 cells, is the longest word) */
    for (int width = 9; width <= 80; width++) {
        int n = vm_wrap(s, width, st, ln, 32);
        for (int i = 0; i < n; i++) {
            char after = s[st[i] + ln[i]];
            cr_assert(after == ' ' || after == 0, "width %d line %d cut a word", width, i);
        }
    }
}

Test(alert, wrap_paragraphs_and_long_words) {
    int st[8], ln[8];
    int n = vm_wrap("ab\n\ncd", 10, st, ln, 8);
    cr_assert_eq(n, 3);
    cr_assert_eq(ln[0], 2);
    cr_assert_eq(ln[1], 0, "an empty line between paragraphs");
    cr_assert_eq(st[2], 4);
    n = vm_wrap("abcdefghij", 4, st, ln, 8); /* longer than a line: cut */
    cr_assert_eq(n, 3);
    cr_assert_eq(ln[0], 4);
    cr_assert_eq(ln[2], 2);
    n = vm_wrap("one two three four five", 9, st, ln, 2); /* only max stored */
    cr_assert_eq(n, 3);
}

Test(alert, rect_centred_and_inside) {
    const char *msg = "Training is paused: at step 3 the loss became NaN or infinite.\n\n"
                      "space resumes";
    int sizes[][2] = {{24, 80}, {50, 160}, {20, 64}};
    for (int k = 0; k < 3; k++) {
        Rect r = tui_alert_rect(sizes[k][0], sizes[k][1], msg);
        cr_assert_geq(r.y, 0);
        cr_assert_geq(r.x, 0);
        cr_assert_leq(r.y + r.h, sizes[k][0]);
        cr_assert_leq(r.x + r.w, sizes[k][1]);
        cr_assert_geq(r.h, 4 + 3, "the text has at least three lines plus the box");
        cr_assert_leq(abs((r.x) - (sizes[k][1] - r.x - r.w)), 1, "centred");
    }
}

Test(alert, nan_notice_explains_and_says_what_to_do) {
    char out[768], brief[256];
    VsNanEvent ev = {.step = 12,
                     .what = VS_NAN_LOSS,
                     .restored = 1,
                     .lr_before = 0.001f,
                     .lr_after = 0.0005f,
                     .serial = 1};
    int ok = vm_nan_notice(&ev, out, sizeof out, brief, sizeof brief);
    cr_assert_eq(ok, 1);
    cr_assert(strstr(out, "paused"), "%s", out);
    cr_assert(strstr(out, "step 12 the loss became NaN"), "%s", out);
    cr_assert(strstr(out, "undone"), "a restored step is called undone: %s", out);
    cr_assert(strstr(out, "0.001 -> 0.0005"), "%s", out);
    cr_assert(strstr(out, "space resumes"), "%s", out);
    cr_assert(strstr(brief, "step 12") && strstr(brief, "0.0005"), "%s", brief);
    ev = (VsNanEvent){.step = 1,
                      .what = VS_NAN_OUTPUT,
                      .restored = 0,
                      .lr_before = 1.0f,
                      .lr_after = 0.5f,
                      .serial = 2};
    ok = vm_nan_notice(&ev, out, sizeof out, brief, sizeof brief);
    cr_assert_eq(ok, 1);
    cr_assert(strstr(out, "step 1 the output became NaN"), "%s", out);
    cr_assert(strstr(out, "skipped"), "nothing to undo is not called undone: %s", out);
    cr_assert_null(strstr(out, "undone"), "%s", out);
    cr_assert(strstr(out, "R restarts"), "%s", out);
    /* a pause for any other reason is shown as it is */
    ok = vm_pause_notice("something else", out, sizeof out, brief, sizeof brief);
    cr_assert_eq(ok, 0);
    cr_assert(strstr(out, "something else") && strstr(out, "space resumes"), "%s", out);
}
