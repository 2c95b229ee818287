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

typedef struct {
    int w, h;       /* window size at start (pixels) */
    int step_ms;    /* sweep animation pace, ms per θ step */
    int standalone; /* 1: --sdl-only (q quits, the window re-traces by itself) */
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
/* Close the window if open, join its thread, free. NULL is fine. */
void sdlwin_stop(SdlWin *w);

/* The window alone on the calling thread (--sdl-only) until it is closed or
 * q / a signal: 0, or -1 with e. Starts the Session's training. */
int sdlwin_run(Session *s, const SdlWinOpts *o, volatile const int *stop_flag, RtErr *e);

#endif
