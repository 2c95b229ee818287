/* tutorial.h — the tutorial player, for any front end (no curses, no SDL).
 *
 * A tutorial is the chapters tutorial/NN-slug.md (docs/DESIGN.md §3.3 for
 * their header, tutorial/README.md for the text): each one a Scenario (the
 * run its screen needs) and a text in three parts — what to look at and
 * which key to press, one question, and its answer, shown only on request.
 * The player loads and parses every chapter up front (scenario_parse, so a
 * bad header is refused before the class starts), keeps the current chapter,
 * and gives each chapter's Scenario ready for session_open: a bare model name
 * is a shipped model (ASSETS/models/NAME), and Fashion-MNIST falls back to
 * the `sample` set when it is missing (the pane then says what changes).
 * Entering a chapter means a fresh Session on its Scenario: every chapter
 * starts from its shipped model, whatever the previous one trained. */
#ifndef RTVIZ_TUTORIAL_H
#define RTVIZ_TUTORIAL_H

#include <stddef.h>

#include "common.h"
#include "scenario.h"
#include "session.h"

#define TUT_MAX_CHAPTERS 64
#define TUT_TEXT_MAX     8192 /* bytes of one chapter's text */

typedef struct {
    char file[256];          /* the file name, "03-blocks.md" */
    Scenario sc;             /* its header, as parsed (model as written) */
    char text[TUT_TEXT_MAX]; /* what to look at (paragraphs, blank-line separated) */
    char question[1024];     /* the question, without its "Q: " */
    char answer[1024];       /* the answer, without its "A: " */
    int nkeys;               /* keys the text names as <key> */
    char keys[32][16];       /* their names, as written between < and > */
} TutChapter;

typedef struct Tutorial {
    char dir[1024];   /* where the chapters were read */
    int n;            /* chapters */
    TutChapter *ch;   /* n of them, in file-name order (owned) */
    int cur;          /* the current chapter, 0-based */
    int revealed;     /* the answer is shown */
    int scroll;       /* first text line shown (the front end clamps it) */
    int hidden;       /* the pane is hidden (Tab): what it covers shows */
    char notice[256]; /* what changes in this run ("" none): the sample set instead */
} Tutorial;

/* The chapters' directory: $RTVIZ_TUTORIAL, ./tutorial, EXEDIR/tutorial,
 * EXEDIR/../share/rtviz/tutorial, PREFIX/share/rtviz/tutorial — the first
 * holding a chapter. 0 with out filled, or -1 with e saying where it looked. */
int tutorial_find_dir(char *out, size_t n, RtErr *e);

/* Load and parse every NN-*.md of dir (NULL: tutorial_find_dir). Each
 * header goes through scenario_parse; a chapter without exactly one "Q: "
 * paragraph followed by one "A: " paragraph is refused. 0, or -1 with e
 * naming the file (and line and key, for a header). */
int tutorial_load(Tutorial *t, const char *dir, RtErr *e);
/* Parse one chapter from memory (the tests, tutorial_load). */
int tutorial_parse_chapter(const char *text, const char *file, TutChapter *c, RtErr *e);
void tutorial_free(Tutorial *t);

/* Make chapter i (clamped) current: answer hidden, text at the top. */
void tutorial_select(Tutorial *t, int i);

/* The Scenario of chapter i ready to open: the model path resolved (a bare
 * name is rtviz_assets_dir()/models/NAME), the sample fallback allowed for
 * Fashion-MNIST, and base's front-end settings (sweep pace, threads, save
 * path) kept. 0, or -1 with e (the model file missing). */
int tutorial_scenario(const Tutorial *t, int i, const Scenario *base, Scenario *out, RtErr *e);

/* After session_open on a chapter: note what changes when the run is not
 * on the chapter's dataset (the sample set instead of Fashion-MNIST). */
void tutorial_note_session(Tutorial *t, Session *s, const char *dataset_in_use);

/* ---- the pane's lines (pure: the terminal, an SDL window or a test draws them) ---- */

typedef enum {
    TL_TITLE = 0, /* the chapter's title */
    TL_INFO,      /* "model: …", the notice */
    TL_TEXT,      /* the text */
    TL_QUESTION,  /* the question */
    TL_ANSWER,    /* the answer (revealed) */
    TL_HINT,      /* "a: show the answer", the keys */
    TL_BLANK      /* a blank line */
} TutLineKind;

typedef struct {
    int kind;         /* TutLineKind */
    const char *text; /* start of the line (points into the chapter or a static string) */
    int len;          /* bytes */
} TutLine;

/* The lines of the current chapter wrapped to width cells: the title and
 * the model line (head), the text (body, scrolls), and the question with the
 * answer or the hint to reveal it (foot, always shown). Fills up to max of
 * each part and returns their counts in *nhead, *nbody, *nfoot. */
void tutorial_lines(const Tutorial *t, int width, TutLine *head, int *nhead, TutLine *body,
                    int *nbody, TutLine *foot, int *nfoot, int max);

/* "chapter 3 of 11" into buf. */
void tutorial_position(const Tutorial *t, char *buf, size_t n);

#endif
