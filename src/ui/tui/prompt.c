/* prompt.c — the one-line path prompt and its completion (prompt.h). */
#define _POSIX_C_SOURCE 200809L
#include "prompt.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#define CTRL(c) ((c)&0x1f)
#define ESC     27

/* ---------------------------------------------------------------- completion */

int path_is_image_name(const char *name) {
    static const char *const EXT[] = {"png", "jpg", "jpeg", "bmp", "gif", "pgm", "ppm", "pnm"};
    const char *dot = strrchr(name, '.');
    if (!dot || dot == name) return 0;
    for (size_t i = 0; i < sizeof EXT / sizeof EXT[0]; i++)
        if (!strcasecmp(dot + 1, EXT[i])) return 1;
    return 0;
}

void path_expand(const char *in, char *out, size_t n) {
    const char *home = getenv("HOME");
    if (in[0] == '~' && (in[1] == 0 || in[1] == '/') && home && home[0]) {
        size_t hl = strlen(home);
        if (hl > 1 && home[hl - 1] == '/') hl--; /* "HOME=/root/" + "/x" */
        snprintf(out, n, "%.*s%s", (int)hl, home, in + 1);
    } else
        snprintf(out, n, "%s", in);
}

static int cmp_match(const void *a, const void *b) {
    return strcmp(((const PcMatch *)a)->name, ((const PcMatch *)b)->name);
}

/* Bytes a and b share at their start. */
static size_t common(const char *a, const char *b) {
    size_t i = 0;
    while (a[i] && a[i] == b[i])
        i++;
    return i;
}

int path_complete(const char *typed, char *out, size_t n, PcList *list) {
    static char ex[PROMPT_MAX], dir[PROMPT_MAX], full[2 * PROMPT_MAX + 2];
    static char lcp[256], lcp_any[256];
    path_expand(typed, ex, sizeof ex);
    snprintf(out, n, "%s", ex);
    const char *slash = strrchr(ex, '/');
    size_t dl = slash ? (size_t)(slash - ex) + 1 : 0; /* the directory part, with its '/' */
    const char *base = ex + dl;
    size_t bl = strlen(base);
    snprintf(dir, sizeof dir, "%.*s", (int)dl, ex);
    if (list) {
        memset(list, 0, sizeof *list);
        snprintf(list->dir, sizeof list->dir, "%s", dir);
    }
    DIR *d = opendir(dl ? dir : ".");
    if (!d) return -1;
    int good = 0, any = 0, single_dir = 0, any_dir = 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        const char *nm = de->d_name;
        if (!strcmp(nm, ".") || !strcmp(nm, "..")) continue;
        if (nm[0] == '.' && base[0] != '.') continue; /* hidden unless asked for */
        if (strncmp(nm, base, bl) != 0 || strlen(nm) >= sizeof lcp) continue;
        snprintf(full, sizeof full, "%s%s", dl ? dir : "", nm);
        struct stat st;
        int isdir = stat(full, &st) == 0 && S_ISDIR(st.st_mode);
        int kind = isdir ? PC_DIR : path_is_image_name(nm) ? PC_IMAGE : PC_OTHER;
        if (any++ == 0) {
            snprintf(lcp_any, sizeof lcp_any, "%s", nm);
            any_dir = isdir;
        } else
            lcp_any[common(lcp_any, nm)] = 0;
        if (kind == PC_OTHER) {
            if (list) list->others++;
            continue;
        }
        if (good++ == 0) {
            snprintf(lcp, sizeof lcp, "%s", nm);
            single_dir = isdir;
        } else
            lcp[common(lcp, nm)] = 0;
        if (list && list->n < PC_MAX) {
            PcMatch *m = &list->m[list->n];
            snprintf(m->name, sizeof m->name, "%s%s", nm, isdir ? "/" : "");
            m->kind = kind;
        }
        if (list) list->n++;
    }
    closedir(d);
    if (list)
        qsort(list->m, (size_t)(list->n < PC_MAX ? list->n : PC_MAX), sizeof list->m[0], cmp_match);
    int matches = good ? good : any;
    const char *pre = good ? lcp : lcp_any;
    int onedir = good ? single_dir : any_dir;
    if (matches == 0) return 0;
    snprintf(out, n, "%s%s%s", dir, pre, matches == 1 && onedir ? "/" : "");
    return matches;
}

/* ---------------------------------------------------------------- editing */

void prompt_set(Prompt *p, const char *s) {
    size_t n = s ? strlen(s) : 0;
    if (n > sizeof p->buf - 1) n = sizeof p->buf - 1;
    if (n) memcpy(p->buf, s, n);
    p->buf[n] = 0;
    p->len = (int)n;
    p->cur = p->len;
}

void prompt_open(Prompt *p, const char *label, const char *init) {
    int rows = p->list_rows;
    memset(p, 0, sizeof *p);
    p->list_rows = rows > 0 ? rows : 8;
    p->open = 1;
    p->label = label ? label : "";
    prompt_set(p, init);
}

static int is_cont(unsigned char c) { return (c & 0xC0) == 0x80; } /* a UTF-8 continuation byte */

static int prev_char(const Prompt *p, int at) {
    if (at <= 0) return 0;
    at--;
    while (at > 0 && is_cont((unsigned char)p->buf[at]))
        at--;
    return at;
}

static int next_char(const Prompt *p, int at) {
    if (at >= p->len) return p->len;
    at++;
    while (at < p->len && is_cont((unsigned char)p->buf[at]))
        at++;
    return at;
}

static void delete_range(Prompt *p, int a, int b) {
    if (b <= a) return;
    memmove(p->buf + a, p->buf + b, (size_t)(p->len - b) + 1);
    p->len -= b - a;
    if (p->cur > b)
        p->cur -= b - a;
    else if (p->cur > a)
        p->cur = a;
}

static void insert_byte(Prompt *p, char c) {
    if (p->len + 1 >= (int)sizeof p->buf) return;
    memmove(p->buf + p->cur + 1, p->buf + p->cur, (size_t)(p->len - p->cur) + 1);
    p->buf[p->cur++] = c;
    p->len++;
}

static void list_clamp(Prompt *p) {
    int shown = p->list.n < PC_MAX ? p->list.n : PC_MAX;
    if (p->sel >= shown) p->sel = shown - 1;
    if (p->sel < 0) p->sel = 0;
    int rows = p->list_rows > 0 ? p->list_rows : 1;
    if (p->sel < p->top) p->top = p->sel;
    if (p->sel >= p->top + rows) p->top = p->sel - rows + 1;
    if (p->top < 0) p->top = 0;
}

/* Tab: complete; a second Tab while several match lists them. */
static PromptResult tab(Prompt *p) {
    static char out[PROMPT_MAX];
    p->note[0] = 0;
    int k = path_complete(p->buf, out, sizeof out, &p->list);
    int changed = strcmp(out, p->buf) != 0;
    if (changed) prompt_set(p, out);
    if (k < 0) {
        snprintf(p->note, sizeof p->note, "cannot read %.100s", p->list.dir[0] ? p->list.dir : ".");
        p->tabbed = 0;
    } else if (k == 0) {
        snprintf(p->note, sizeof p->note, "no match");
        p->tabbed = 0;
    } else if (changed)
        p->tabbed = k > 1; /* several match: the next Tab lists them */
    else if (p->tabbed) {
        if (p->list.n > 0) {
            p->list_open = 1;
            p->sel = p->top = 0;
            list_clamp(p);
        } else
            snprintf(p->note, sizeof p->note, "no image files or directories match");
        p->tabbed = 0;
    } else
        p->tabbed = 1;
    return PR_EDIT;
}

/* Enter in the list: a directory opens (listed in turn), an image submits. */
static PromptResult list_pick(Prompt *p) {
    if (p->list.n <= 0 || p->sel < 0) return PR_NONE;
    const PcMatch *m = &p->list.m[p->sel];
    static char path[2 * PROMPT_MAX];
    snprintf(path, sizeof path, "%s%s", p->list.dir, m->name);
    prompt_set(p, path);
    if (m->kind == PC_DIR) {
        static char out[PROMPT_MAX];
        int k = path_complete(p->buf, out, sizeof out, &p->list);
        p->sel = p->top = 0;
        if (k <= 0 || p->list.n == 0) {
            p->list_open = 0;
            snprintf(p->note, sizeof p->note, "%s",
                     k < 0 ? "cannot read it" : "no image files or directories in it");
        }
        return PR_EDIT;
    }
    p->list_open = 0;
    p->open = 0;
    return PR_SUBMIT;
}

PromptResult prompt_key(Prompt *p, int ch) {
    if (!p->open) return PR_NONE;
    if (p->list_open) {
        int rows = p->list_rows > 0 ? p->list_rows : 1;
        switch (ch) {
        case KEY_UP:
            p->sel--;
            list_clamp(p);
            return PR_EDIT;
        case KEY_DOWN:
        case '\t':
            p->sel++;
            list_clamp(p);
            return PR_EDIT;
        case KEY_PPAGE:
            p->sel -= rows;
            list_clamp(p);
            return PR_EDIT;
        case KEY_NPAGE:
            p->sel += rows;
            list_clamp(p);
            return PR_EDIT;
        case KEY_HOME:
            p->sel = 0;
            list_clamp(p);
            return PR_EDIT;
        case KEY_END:
            p->sel = p->list.n;
            list_clamp(p);
            return PR_EDIT;
        case '\n':
        case '\r':
        case KEY_ENTER:
            return list_pick(p);
        case ESC:
            p->list_open = 0; /* back to the text */
            return PR_EDIT;
        default:
            p->list_open = 0; /* typing goes on in the text */
            break;
        }
    }
    if (ch != '\t') p->tabbed = 0;
    switch (ch) {
    case ESC:
    case CTRL('g'):
        p->open = 0;
        return PR_CANCEL;
    case '\n':
    case '\r':
    case KEY_ENTER: {
        static char ex[PROMPT_MAX];
        path_expand(p->buf, ex, sizeof ex);
        prompt_set(p, ex);
        p->open = 0;
        return PR_SUBMIT;
    }
    case '\t':
        return tab(p);
    case KEY_BACKSPACE:
    case 127:
    case CTRL('h'):
        delete_range(p, prev_char(p, p->cur), p->cur);
        return PR_EDIT;
    case KEY_DC:
    case CTRL('d'):
        delete_range(p, p->cur, next_char(p, p->cur));
        return PR_EDIT;
    case KEY_LEFT:
    case CTRL('b'):
        p->cur = prev_char(p, p->cur);
        return PR_EDIT;
    case KEY_RIGHT:
    case CTRL('f'):
        p->cur = next_char(p, p->cur);
        return PR_EDIT;
    case KEY_HOME:
    case CTRL('a'):
        p->cur = 0;
        return PR_EDIT;
    case KEY_END:
    case CTRL('e'):
        p->cur = p->len;
        return PR_EDIT;
    case CTRL('u'): /* the text before the cursor */
        delete_range(p, 0, p->cur);
        return PR_EDIT;
    case CTRL('k'):
        delete_range(p, p->cur, p->len);
        return PR_EDIT;
    case CTRL('w'): { /* the word (path component) before the cursor */
        int a = p->cur;
        while (a > 0 && p->buf[a - 1] == '/')
            a--;
        while (a > 0 && p->buf[a - 1] != '/')
            a--;
        delete_range(p, a, p->cur);
        return PR_EDIT;
    }
    default:
        if (ch >= 32 && ch < 256 && ch != 127) { /* text, UTF-8 bytes included */
            insert_byte(p, (char)ch);
            p->note[0] = 0;
            return PR_EDIT;
        }
        return PR_NONE;
    }
}

/* ---------------------------------------------------------------- drawing */

void prompt_draw(const Prompt *p, WINDOW *w, Rect r) {
    wmove(w, r.y, r.x);
    wclrtoeol(w);
    const char *hint = p->list_open ? "  ↑↓ pick · Enter · Esc back"
                                    : "  Tab completes · Enter loads · Esc cancels";
    int lw = vm_strwidth(p->label);
    tui_text(w, r.y, r.x, r.w, tui_attr(CLR_KEY), p->label);
    int x0 = r.x + lw, room = r.w - lw - 1;
    int hw = vm_strwidth(hint), tw = vm_strwidth(p->buf);
    const char *note = p->note;
    int nw = note[0] ? vm_strwidth(note) + 4 : 0;
    int show_hint = tw + nw + hw < room;
    if (!show_hint && nw && tw + nw < room) show_hint = -1; /* the note, no hint */
    if (show_hint > 0) room -= hw + nw;
    if (show_hint < 0) room -= nw;
    if (room < 4) return;
    /* the text around the cursor: its tail when it is longer than the room */
    int start = 0;
    while (vm_strwidth(p->buf + start) > room && start < p->cur) { /* scroll to the cursor */
        int nb = start + 1;
        while (nb < p->len && ((unsigned char)p->buf[nb] & 0xC0) == 0x80)
            nb++;
        start = nb;
    }
    char vis[PROMPT_MAX];
    int pre = p->cur - start; /* bytes before the cursor */
    snprintf(vis, sizeof vis, "%.*s", pre, p->buf + start);
    tui_text(w, r.y, x0, room, tui_attr(CLR_TEXT), vis);
    int cx = x0 + vm_strwidth(vis);
    /* the cursor: the character under it reversed (a space at the end) */
    int cb = p->cur;
    int ce = cb;
    if (ce < p->len) {
        ce++;
        while (ce < p->len && ((unsigned char)p->buf[ce] & 0xC0) == 0x80)
            ce++;
    }
    char under[8] = " ";
    if (ce > cb) snprintf(under, sizeof under, "%.*s", ce - cb, p->buf + cb);
    if (cx < x0 + room) tui_text(w, r.y, cx, 1, tui_attr(CLR_CURSOR) | A_REVERSE, under);
    int used = vm_strwidth(vis) + 1;
    if (ce < p->len && used < room)
        tui_text(w, r.y, cx + vm_strwidth(under), room - used, tui_attr(CLR_TEXT), p->buf + ce);
    int hx = x0 + room + 1;
    if (show_hint && nw) {
        tui_textf(w, r.y, hx, nw, tui_attr(CLR_WARN), "  %s", note);
        hx += nw;
    }
    if (show_hint > 0) tui_text(w, r.y, hx, hw, tui_attr(CLR_DIM), hint);
}

void prompt_draw_list(const Prompt *p, WINDOW *w, Rect lr) {
    char title[160];
    int shown = p->list.n < PC_MAX ? p->list.n : PC_MAX;
    snprintf(title, sizeof title, "%.100s: %d match%s%s", p->list.dir[0] ? p->list.dir : "./",
             p->list.n, p->list.n == 1 ? "" : "es", p->list.n > shown ? " (the first 512)" : "");
    tui_box(w, lr, title, 1);
    int rows = lr.h - 2;
    if (rows < 1) return;
    for (int i = 0; i < rows && p->top + i < shown; i++) {
        const PcMatch *m = &p->list.m[p->top + i];
        int sel = p->top + i == p->sel;
        attr_t a = sel ? tui_attr(CLR_CURSOR) | A_REVERSE
                       : tui_attr(m->kind == PC_DIR ? CLR_LABEL : CLR_TEXT);
        char line[300];
        snprintf(line, sizeof line, "%s %-*s", sel ? ">" : " ", lr.w - 5, m->name);
        tui_text(w, lr.y + 1 + i, lr.x + 1, lr.w - 2, a, line);
    }
    if (p->list.others > 0 && lr.w > 30) {
        char foot[64];
        snprintf(foot, sizeof foot, " %d other file%s not shown ", p->list.others,
                 p->list.others == 1 ? "" : "s");
        int fw = vm_strwidth(foot);
        if (fw < lr.w - 4)
            tui_text(w, lr.y + lr.h - 1, lr.x + lr.w - 2 - fw, fw, tui_attr(CLR_DIM), foot);
    }
}
