/* term.c — terminal discipline: curses init/done in a pair, stderr kept off
 * the screen while curses is up, SIGINT/SIGTERM turned into a flag the loop
 * checks, the terminal restored on every exit path (atexit, fatal signals). */
#define _POSIX_C_SOURCE 200809L
#include <fcntl.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app.h"

#include <term.h>

volatile sig_atomic_t tui_signal = 0;

static SCREEN *g_screen;
static int g_up;                /* curses is running */
static int g_saved_stderr = -1; /* the real stderr while curses is up */
static int g_atexit;            /* atexit registered */

static void on_term_signal(int sig) { tui_signal = sig; }

static void on_fatal_signal(int sig) {
    /* best effort: give the user their terminal back, then die as asked */
    if (g_up) endwin();
    if (g_saved_stderr >= 0) dup2(g_saved_stderr, 2);
    signal(sig, SIG_DFL);
    raise(sig);
}

static void install_signals(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_term_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL); /* before newterm: curses then leaves them to us */
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    sa.sa_handler = on_fatal_signal;
    sa.sa_flags = SA_RESETHAND;
    sigaction(SIGSEGV, &sa, NULL);
    sigaction(SIGBUS, &sa, NULL);
    sigaction(SIGFPE, &sa, NULL);
    sigaction(SIGABRT, &sa, NULL);
}

int tui_term_init(int no_color, int mouse, char *msg, size_t msglen) {
    setlocale(LC_ALL, "");
    const char *cs = setlocale(LC_CTYPE, NULL);
    tui_utf8 = cs && (strstr(cs, "UTF-8") || strstr(cs, "utf8") || strstr(cs, "UTF8"));
    vm_ascii = !tui_utf8; /* text widths and glyphs follow */
    install_signals();
    if (!g_atexit) {
        atexit(tui_term_done);
        g_atexit = 1;
    }
    /* stderr goes to $RTVIZ_LOG (appended) or /dev/null while curses is up */
    fflush(stderr);
    g_saved_stderr = dup(2);
    const char *log = getenv("RTVIZ_LOG");
    int fd = open(log && *log ? log : "/dev/null", O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd >= 0) {
        dup2(fd, 2);
        close(fd);
    }
    g_screen = newterm(NULL, stdout, stdin);
    if (!g_screen) {
        tui_term_done();
        const char *t = getenv("TERM");
        snprintf(msg, msglen, "cannot start the terminal UI (TERM=%s)", t ? t : "(unset)");
        return -1;
    }
    set_term(g_screen);
    g_up = 1;
    /* a terminal that cannot move the cursor (TERM=dumb, a printer) would get
     * the whole UI on one line: refuse it like an unknown TERM */
    const char *cup = tigetstr("cup");
    if (cup == NULL || cup == (char *)-1) {
        tui_term_done();
        const char *t = getenv("TERM");
        snprintf(msg, msglen, "cannot start the terminal UI: TERM=%s cannot position the cursor",
                 t ? t : "(unset)");
        return -1;
    }
    cbreak(); /* Ctrl-C still raises SIGINT: the loop sees the flag */
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    set_escdelay(25);
    curs_set(0);
    leaveok(stdscr, TRUE);
    const char *nc = getenv("NO_COLOR");
    if (!no_color && !(nc && *nc) && has_colors()) start_color(); /* COLORS is known after it */
    TuiScheme s = tui_scheme_select(no_color, nc, has_colors(), COLORS);
    tui_colors_init(s);
    if (mouse) {
        mouseinterval(0); /* presses at once, no click resolution delay */
        mousemask(BUTTON1_PRESSED | BUTTON1_RELEASED | BUTTON1_CLICKED, NULL);
    }
    return 0;
}

void tui_term_done(void) {
    if (g_up) {
        mousemask(0, NULL);
        endwin();
        g_up = 0;
        if (g_screen) delscreen(g_screen);
        g_screen = NULL;
    }
    if (g_saved_stderr >= 0) {
        fflush(stderr);
        dup2(g_saved_stderr, 2);
        close(g_saved_stderr);
        g_saved_stderr = -1;
    }
}
