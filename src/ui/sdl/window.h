/* window.h — the projector window (SDL2): the Session's run drawn large,
 * beside the terminal UI (`rtviz --sdl`) or alone (`rtviz --sdl-only`).
 *
 * It draws the projector view (view.h) from its own snapshots of the Session
 * and its own UiState, and maps its input to the same actions as the
 * terminal through its own bindings table (window.c); a few things only a
 * window has (fullscreen, screenshot, brush size, dragging θ, block
 * specialty) are its own. See docs/UI.md for the threads and the measured
 * frame rate. */
#ifndef RTVIZ_SDL_WINDOW_H
#define RTVIZ_SDL_WINDOW_H

#include "common.h"
#include "session.h"

struct Tutorial;

typedef struct {
    int w, h;             /* window size at start (pixels) */
    int step_ms;          /* sweep animation pace, ms per θ step */
    int standalone;       /* 1: --sdl-only (q quits, the window re-traces by itself) */
    struct Tutorial *tut; /* --tutorial: its chapter pane shows beside the view (borrowed) */
    const Scenario *base; /* --sdl-only --tutorial: the flags' settings a chapter keeps */
} SdlWinOpts;

typedef struct SdlWin SdlWin;

/* Can a window open here: SDL's video subsystem with a display, and the
 * font. Call before curses starts (the message can still be printed).
 * 0, or -1 with e saying why ("no display: ..."). Leaves video initialised
 * on success. */
int sdlwin_probe(RtErr *e);

/* Open the window in a thread of its own beside the terminal UI. NULL with e
 * filled when it cannot start. Closing the window (or q in it) ends the
 * thread; the run and the terminal go on. */
SdlWin *sdlwin_start(Session *s, const SdlWinOpts *o, RtErr *e);
/* 1 while the window is open. */
int sdlwin_open(const SdlWin *w);
/* What the window's tutorial keys changed since the last call (beside the
 * terminal; 0 for NULL): SDLWIN_TUT_CHAPTER, the tutorial moved to another
 * chapter, which the terminal enters (a fresh Session, on which it reopens
 * the window); SDLWIN_TUT_PANE, the answer, scroll or pane shown changed. */
enum { SDLWIN_TUT_CHAPTER = 1, SDLWIN_TUT_PANE = 2 };
int sdlwin_tutorial_changed(SdlWin *w);
/* Close the window if open, join its thread, free. NULL is fine. */
void sdlwin_stop(SdlWin *w);

/* The window alone on the calling thread (--sdl-only) until it is closed or
 * q / a signal: 0, or -1 with e. Starts the Session's training. With a
 * tutorial, entering a chapter closes *s and puts the chapter's Session
 * there (the caller closes the last one). */
int sdlwin_run(Session **s, const SdlWinOpts *o, volatile const int *stop_flag, RtErr *e);

#endif
