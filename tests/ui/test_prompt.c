/* test_prompt.c — the path prompt (src/ui/tui/prompt.c): completion on a
 * temporary directory (longest common prefix, a lone directory gets '/', `~`
 * expands, hidden entries only when asked for, image files and directories
 * listed, other files counted), Tab then Tab lists, the list picks a
 * directory and then a file, and the editing keys. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../test_util.h"
#include "tui/prompt.h"

static char *dir;
static PcList list; /* large */
static Prompt pr;

static void touch(const char *name) {
    char *p = join(dir, name);
    FILE *f = fopen(p, "w");
    cr_assert_not_null(f, "%s", p);
    fputs("x", f);
    fclose(f);
    free(p);
}

static void setup(void) {
    dir = test_tmpdir("/tmp/rtviz-prompt-XXXXXX");
    touch("shoe-1.png");
    touch("shoe-2.JPG");
    touch("shoelace.txt");
    touch("bag.gif");
    touch(".hidden.png");
    char *d = join(dir, "shots");
    cr_assert_eq(mkdir(d, 0755), 0);
    char *in = join(d, "inner.bmp");
    FILE *f = fopen(in, "w");
    cr_assert_not_null(f);
    fclose(f);
    free(in);
    free(d);
}

static void teardown(void) {
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_assert_eq(system(cmd), 0);
    free(dir);
}

static int complete(const char *typed, char *out, size_t n) {
    return path_complete(typed, out, n, &list);
}

static const char *listed(int i) { return i < list.n ? list.m[i].name : ""; }

Test(prompt, image_names) {
    cr_assert(path_is_image_name("a.png"));
    cr_assert(path_is_image_name("A.JPEG"));
    cr_assert(path_is_image_name("x.y.pgm"));
    cr_assert_not(path_is_image_name("notes.txt"));
    cr_assert_not(path_is_image_name("png"));
    cr_assert_not(path_is_image_name(".png"), "a hidden file named .png has no extension");
}

Test(prompt, complete_common_prefix_and_lists, .init = setup, .fini = teardown) {
    char typed[512], out[1024], want[1024];
    /* "sho": shoe-1.png, shoe-2.JPG and the directory shots/ match (shoelace.txt is no
     * image): the common prefix is "sho", so nothing is added, three listed */
    snprintf(typed, sizeof typed, "%s/sho", dir);
    cr_assert_eq(complete(typed, out, sizeof out), 3);
    cr_assert_str_eq(out, typed);
    cr_assert_eq(list.n, 3);
    cr_assert_eq(list.others, 1, "shoelace.txt counted, not listed");
    cr_assert_str_eq(listed(0), "shoe-1.png");
    cr_assert_str_eq(listed(1), "shoe-2.JPG");
    cr_assert_str_eq(listed(2), "shots/", "a directory ends in /");
    cr_assert_eq(list.m[2].kind, PC_DIR);
    cr_assert_eq(list.m[0].kind, PC_IMAGE);
    /* "shoe": the two images: their common prefix "shoe-" */
    snprintf(typed, sizeof typed, "%s/shoe", dir);
    cr_assert_eq(complete(typed, out, sizeof out), 2);
    snprintf(want, sizeof want, "%s/shoe-", dir);
    cr_assert_str_eq(out, want);
    /* one match: the whole name; a directory gets its '/' */
    snprintf(typed, sizeof typed, "%s/b", dir);
    cr_assert_eq(complete(typed, out, sizeof out), 1);
    snprintf(want, sizeof want, "%s/bag.gif", dir);
    cr_assert_str_eq(out, want);
    snprintf(typed, sizeof typed, "%s/sht", dir);
    cr_assert_eq(complete(typed, out, sizeof out), 0, "nothing starts with sht");
    snprintf(typed, sizeof typed, "%s/shot", dir);
    cr_assert_eq(complete(typed, out, sizeof out), 1);
    snprintf(want, sizeof want, "%s/shots/", dir);
    cr_assert_str_eq(out, want);
    /* only other files match: they complete all the same (loading says what they are) */
    snprintf(typed, sizeof typed, "%s/shoel", dir);
    cr_assert_eq(complete(typed, out, sizeof out), 1);
    snprintf(want, sizeof want, "%s/shoelace.txt", dir);
    cr_assert_str_eq(out, want);
    cr_assert_eq(list.n, 0);
    /* hidden entries only for a '.' prefix */
    snprintf(typed, sizeof typed, "%s/", dir);
    cr_assert_eq(complete(typed, out, sizeof out), 4, "bag, shoe-1, shoe-2, shots/, not .hidden");
    cr_assert_eq(list.others, 1);
    cr_assert_str_eq(listed(0), "bag.gif");
    snprintf(typed, sizeof typed, "%s/.h", dir);
    cr_assert_eq(complete(typed, out, sizeof out), 1);
    snprintf(want, sizeof want, "%s/.hidden.png", dir);
    cr_assert_str_eq(out, want);
    /* a directory that cannot be read */
    snprintf(typed, sizeof typed, "%s/nothing-here/x", dir);
    cr_assert_eq(complete(typed, out, sizeof out), -1);
}

Test(prompt, tilde_expands, .init = setup, .fini = teardown) {
    char out[1024], want[1024];
    setenv("HOME", dir, 1);
    path_expand("~/bag.gif", out, sizeof out);
    snprintf(want, sizeof want, "%s/bag.gif", dir);
    cr_assert_str_eq(out, want);
    path_expand("x/~", out, sizeof out);
    cr_assert_str_eq(out, "x/~", "only a leading ~");
    path_expand("~user/x", out, sizeof out);
    cr_assert_str_eq(out, "~user/x", "~user is not expanded");
    cr_assert_eq(path_complete("~/ba", out, sizeof out, &list), 1);
    cr_assert_str_eq(out, want);
}

static void type(Prompt *p, const char *s) {
    for (; *s; s++)
        prompt_key(p, (unsigned char)*s);
}

Test(prompt, tab_tab_lists_and_the_list_picks, .init = setup, .fini = teardown) {
    char buf[512], want[1024];
    prompt_open(&pr, "load image: ", NULL);
    pr.list_rows = 2;
    snprintf(buf, sizeof buf, "%s/sho", dir);
    type(&pr, buf);
    cr_assert_str_eq(pr.buf, buf);
    cr_assert_eq(prompt_key(&pr, '\t'), PR_EDIT);
    cr_assert_eq(pr.list_open, 0, "the first Tab only completes");
    cr_assert_eq(prompt_key(&pr, '\t'), PR_EDIT);
    cr_assert_eq(pr.list_open, 1, "the second Tab lists");
    cr_assert_eq(pr.list.n, 3);
    cr_assert_eq(pr.sel, 0);
    prompt_key(&pr, KEY_DOWN);
    prompt_key(&pr, KEY_DOWN);
    cr_assert_eq(pr.sel, 2);
    cr_assert_eq(pr.top, 1, "the list scrolls to keep the selection shown");
    prompt_key(&pr, KEY_DOWN);
    cr_assert_eq(pr.sel, 2, "stops at the last");
    /* Enter on the directory opens it: its entries are listed */
    cr_assert_eq(prompt_key(&pr, '\n'), PR_EDIT);
    snprintf(want, sizeof want, "%s/shots/", dir);
    cr_assert_str_eq(pr.buf, want);
    cr_assert_eq(pr.list_open, 1);
    cr_assert_eq(pr.list.n, 1);
    cr_assert_str_eq(pr.list.m[0].name, "inner.bmp");
    /* Enter on a file submits it */
    cr_assert_eq(prompt_key(&pr, '\n'), PR_SUBMIT);
    snprintf(want, sizeof want, "%s/shots/inner.bmp", dir);
    cr_assert_str_eq(pr.buf, want);
    cr_assert_eq(pr.open, 0);
    /* Esc in the list goes back to the text; Esc again cancels */
    prompt_open(&pr, "load image: ", NULL);
    snprintf(buf, sizeof buf, "%s/", dir);
    type(&pr, buf);
    prompt_key(&pr, '\t');
    prompt_key(&pr, '\t');
    cr_assert_eq(pr.list_open, 1);
    cr_assert_eq(prompt_key(&pr, 27), PR_EDIT);
    cr_assert_eq(pr.list_open, 0);
    cr_assert_eq(pr.open, 1);
    cr_assert_eq(prompt_key(&pr, 27), PR_CANCEL);
    cr_assert_eq(pr.open, 0);
    /* no match says so */
    prompt_open(&pr, "load image: ", NULL);
    snprintf(buf, sizeof buf, "%s/zzz", dir);
    type(&pr, buf);
    prompt_key(&pr, '\t');
    cr_assert_str_eq(pr.note, "no match");
    cr_assert_str_eq(pr.buf, buf, "unchanged");
}

Test(prompt, editing_keys) {
    prompt_open(&pr, "load image: ", "/tmp/ab");
    cr_assert_eq(pr.cur, 7, "the cursor at the end of the pre-filled text");
    prompt_key(&pr, KEY_BACKSPACE);
    cr_assert_str_eq(pr.buf, "/tmp/a");
    prompt_key(&pr, KEY_LEFT);
    prompt_key(&pr, 'X');
    cr_assert_str_eq(pr.buf, "/tmp/Xa");
    prompt_key(&pr, KEY_RIGHT);
    prompt_key(&pr, KEY_RIGHT); /* past the end: stays */
    cr_assert_eq(pr.cur, pr.len);
    prompt_key(&pr, 'b');
    cr_assert_str_eq(pr.buf, "/tmp/Xab");
    prompt_key(&pr, 23); /* ^W: the last path component */
    cr_assert_str_eq(pr.buf, "/tmp/");
    prompt_key(&pr, KEY_HOME);
    prompt_key(&pr, KEY_DC);
    cr_assert_str_eq(pr.buf, "tmp/");
    prompt_key(&pr, KEY_END);
    prompt_key(&pr, 21); /* ^U: everything before the cursor */
    cr_assert_str_eq(pr.buf, "");
    cr_assert_eq(pr.cur, 0);
    /* a UTF-8 name: ← and Backspace take whole characters */
    type(&pr, "/tmp/\xc3\xa9t\xc3\xa9");
    prompt_key(&pr, KEY_LEFT);
    cr_assert_eq(pr.cur, 8, "before the last é (2 bytes)");
    prompt_key(&pr, KEY_BACKSPACE);
    cr_assert_str_eq(pr.buf, "/tmp/\xc3\xa9\xc3\xa9");
    prompt_key(&pr, KEY_BACKSPACE);
    cr_assert_str_eq(pr.buf, "/tmp/\xc3\xa9");
    /* Enter submits with ~ expanded */
    setenv("HOME", "/home/someone", 1);
    prompt_key(&pr, KEY_END);
    prompt_key(&pr, 21);
    type(&pr, "~/x.png");
    cr_assert_eq(prompt_key(&pr, '\r'), PR_SUBMIT);
    cr_assert_str_eq(pr.buf, "/home/someone/x.png");
    cr_assert_eq(prompt_key(&pr, 'a'), PR_NONE, "a closed prompt takes no keys");
}
