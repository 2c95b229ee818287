/* prompt.h — the terminal's one-line path prompt (a minibuffer at the bottom
 * of the screen, for `l` load an image): editing (Backspace, ←/→, Home/End,
 * Ctrl-U), Tab completion of the typed path against the directory's entries
 * (`~` expands, directories get a `/`), a second Tab lists the matches
 * (image files and directories; ↑/↓ and Enter pick one).
 *
 * Everything here but prompt_draw is pure apart from reading directories,
 * and unit tested (tests/ui/test_prompt.c). */
#ifndef RTVIZ_TUI_PROMPT_H
#define RTVIZ_TUI_PROMPT_H

#include <stddef.h>

#include "tui.h"

#define PROMPT_MAX 1024 /* bytes of a typed path */
#define PC_MAX     512  /* matches a list keeps */

typedef enum { PC_DIR = 0, PC_IMAGE, PC_OTHER } PcKind;

typedef struct {
    char name[260]; /* the entry's name; a directory's ends in '/' */
    int kind;       /* PcKind */
} PcMatch;

/* The entries of one directory that match a typed prefix. */
typedef struct {
    char dir[PROMPT_MAX]; /* the directory part as written back ("" = the current directory) */
    int n;                /* image files and directories that match (kept: the first PC_MAX) */
    int others;           /* other entries that match (not kept: they do not load) */
    PcMatch m[PC_MAX];    /* the kept ones, sorted by name (bytes) */
} PcList;

/* 1 when a file name ends in an image extension rtviz reads (png, jpg,
 * jpeg, bmp, gif, pgm, ppm, pnm; any case). */
int path_is_image_name(const char *name);
/* in with a leading `~` or `~/` replaced by $HOME, into out (n bytes). */
void path_expand(const char *in, char *out, size_t n);
/* Complete the typed path: its directory part (after `~` expands) is read,
 * and the entries whose names start with the typed last part are the
 * matches: directories and image files, or, when there are none of those,
 * any entry. Hidden entries match only a prefix that starts with '.'.
 * out gets the typed path extended by the matches' longest common prefix;
 * when exactly one matches, its whole name (a directory's with '/').
 * list (may be NULL) gets the directories and image files. Returns the
 * number of matches (0 none, -1 when the directory cannot be read). */
int path_complete(const char *typed, char *out, size_t n, PcList *list);

/* The prompt's state. */
typedef struct {
    int open;             /* shown, and takes every key */
    const char *label;    /* "load image: " */
    char buf[PROMPT_MAX]; /* the text typed */
    int len, cur;         /* its length and the cursor, in bytes */
    int tabbed;           /* the last key was a Tab that left several matches */
    int list_open;        /* the matches are listed */
    int sel, top;         /* the list's selected entry and first shown */
    int list_rows;        /* entries the list shows at once (the front end sets it) */
    char note[128];       /* a word on the last Tab ("no match", "cannot read DIR") */
    PcList list;          /* the listed matches */
} Prompt;

/* What a key did. */
typedef enum {
    PR_NONE = 0, /* nothing (a key the prompt ignores) */
    PR_EDIT,     /* the text, the cursor or the list changed: redraw */
    PR_CANCEL,   /* Esc: closed, nothing to do */
    PR_SUBMIT    /* Enter: closed; the path (`~` expanded) is in buf */
} PromptResult;

/* Open the prompt with label, the text pre-filled with init (NULL: empty). */
void prompt_open(Prompt *p, const char *label, const char *init);
/* Handle one curses key. */
PromptResult prompt_key(Prompt *p, int ch);
/* Set the text (cursor at its end). */
void prompt_set(Prompt *p, const char *s);

/* Draw the prompt in the row r (a one-row rectangle of w) and, when listed,
 * the matches in list_win (its rectangle lr; NULL: not shown). */
void prompt_draw(const Prompt *p, WINDOW *w, Rect r);
void prompt_draw_list(const Prompt *p, WINDOW *w, Rect lr);

#endif
