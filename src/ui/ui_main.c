/* ui_main.c — `rtviz [options]`, the interactive UI (the default command):
 * parse the flags into a Scenario, refuse without a terminal, open the
 * Session (data and network), then hand over to the terminal loop
 * (tui/app.c). Tear-down in reverse. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "cmd/opts.h"
#include "scenario.h"
#include "sdl/window.h"
#include "session.h"
#include "tui/app.h"
#include "tutorial.h"

static void frame_summary(App *a) {
    SessionStats st;
    session_stats(a->s, &st);
    double wall = st.run_wall_s > 0 ? st.run_wall_s : 1e-9;
    fprintf(a->fstats,
            "summary frames %ld fps %.1f samples %ld ui_samples_per_s %.0f train_share %.3f "
            "step_ms %.2f draw_ms_avg %.2f eval_share %.3f keys %ld key_ms_avg %.2f "
            "key_ms_max %.2f first_frame_ms %.1f\n",
            a->frames, a->frames / (rt_now() - a->t_start), st.samples, st.samples / wall,
            st.train_s / wall, 1000.0 * st.avg_step_s,
            a->frames ? 1000.0 * a->draw_s / a->frames : 0.0, st.eval_s / wall, a->keys,
            a->keys ? 1000.0 * a->key_lat_sum / a->keys : 0.0, 1000.0 * a->key_lat_max,
            1000.0 * (a->t_first_frame - a->t_start));
}

static volatile int sdl_stop; /* --sdl-only: SIGINT / SIGTERM seen */
static void on_sdl_signal(int sig) {
    (void)sig;
    sdl_stop = 1;
}

/* --tutorial N: load the chapters into t and make N current; *sc becomes its
 * Scenario, *base keeps the flags' one (pace, threads, save path stay). 0, or
 * an exit code with the message printed. */
static int load_tutorial(const Opts *o, Tutorial *t, Scenario *base, Scenario *sc) {
    RtErr e = {{0}};
    if (tutorial_load(t, NULL, &e)) return cmd_fail(NULL, EXIT_RUNTIME, e.msg);
    if (o->tutorial > t->n) {
        char m[128];
        snprintf(m, sizeof m, "--tutorial: chapter %d does not exist (the tutorial has %d)",
                 o->tutorial, t->n);
        tutorial_free(t);
        return cmd_fail(NULL, EXIT_USAGE, m);
    }
    tutorial_select(t, o->tutorial - 1);
    *base = *sc;
    if (tutorial_scenario(t, t->cur, base, sc, &e)) {
        tutorial_free(t);
        return cmd_fail(NULL, EXIT_RUNTIME, e.msg);
    }
    return 0;
}

/* `rtviz --sdl-only`: the projector window alone, no terminal needed. */
static int ui_sdl_only(const Opts *o) {
    struct sigaction sa; /* before SDL starts: it keeps a handler it finds */
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sdl_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    RtErr e = {{0}};
    if (sdlwin_probe(&e)) return cmd_fail(NULL, EXIT_RUNTIME, e.msg);
    static Scenario sc, base;
    static Tutorial tut;
    opts_scenario(o, &sc);
    int with_tut = o->tutorial >= 0, rc;
    if (with_tut && (rc = load_tutorial(o, &tut, &base, &sc))) return rc;
    int usage = 0;
    Session *s = session_open(&sc, &usage, &e);
    if (!s) {
        if (with_tut) tutorial_free(&tut);
        return cmd_fail(NULL, usage ? EXIT_USAGE : EXIT_RUNTIME, e.msg);
    }
    char esc[512];
    if (session_notice(s)[0])
        fprintf(stderr, "rtviz: %s\n", rt_escape(esc, sizeof esc, session_notice(s)));
    if (with_tut) {
        static ViewState v0;
        session_snapshot(s, &v0);
        tutorial_note_session(&tut, s, v0.dataset);
    }
    SdlWinOpts wo = {.w = o->size_w,
                     .h = o->size_h,
                     .step_ms = sc.step_ms,
                     .standalone = 1,
                     .tut = with_tut ? &tut : NULL,
                     .base = &base};
    rc = sdlwin_run(&s, &wo, &sdl_stop, &e); /* a chapter replaces s */
    session_close(s);
    if (with_tut) tutorial_free(&tut);
    return rc ? cmd_fail(NULL, EXIT_RUNTIME, e.msg) : 0;
}

int cmd_ui(int argc, char **argv) {
    static App app; /* large (snapshot, pane models): not on the stack */
    App *a = &app;
    memset(a, 0, sizeof *a);
    a->t_start = rt_now();
    RtErr e = {{0}};
    Opts o;
    opts_default(&o);
    if (opts_parse(&o, argc, argv, OPTS_UI, 0, &e)) return cmd_fail(NULL, EXIT_USAGE, e.msg);
    if (o.help) {
        printf("usage: rtviz [options]   the interactive UI\n");
        opts_usage(stdout, OPTS_UI);
        return 0;
    }
    if (o.sdl_only) return ui_sdl_only(&o);
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
        fprintf(stderr, "rtviz: no terminal; try the headless commands: rtviz train|eval|sweep "
                        "(see --help)\n");
        return EXIT_RUNTIME;
    }
    static Scenario sc;
    opts_scenario(&o, &sc);
    static Tutorial tut;
    if (o.tutorial >= 0) { /* the chapters replace the flags' run; pace, threads, save stay */
        int rc = load_tutorial(&o, &tut, &a->base, &sc);
        if (rc) return rc;
        a->tut = &tut;
    }
    int usage = 0;
    a->s = session_open(&sc, &usage, &e);
    if (!a->s) {
        tutorial_free(&tut);
        return cmd_fail(NULL, usage ? EXIT_USAGE : EXIT_RUNTIME, e.msg);
    }
    if (a->tut) {
        static ViewState v0;
        session_snapshot(a->s, &v0);
        tutorial_note_session(a->tut, a->s, v0.dataset);
    }
    ui_state_init(&a->u, sc.step_ms);
    const char *notice = session_notice(a->s);
    if (notice[0]) {
        char esc[512]; /* it can name a path from the environment: no raw control bytes */
        fprintf(stderr, "rtviz: %s\n", rt_escape(esc, sizeof esc, notice));
        snprintf(a->u.notice, sizeof a->u.notice, "%s", notice);
    }
    a->mouse = !o.no_mouse;
    a->u.mouse = a->mouse;
    const char *fs = getenv("RTVIZ_FRAME_STATS");
    if (fs && *fs) a->fstats = fopen(fs, "w");

    SdlWin *win = NULL; /* --sdl: the projector window beside the terminal */
    if (o.sdl) {
        SdlWinOpts wo = {.w = o.size_w, .h = o.size_h, .step_ms = sc.step_ms, .tut = a->tut};
        if (sdlwin_probe(&e) || !(win = sdlwin_start(a->s, &wo, &e)))
            fprintf(stderr, "rtviz: --sdl: %s; the terminal UI carries on\n", e.msg);
        a->sdl = win;
        a->sdl_opts = wo;
    }
    char msg[256];
    if (tui_term_init(o.no_color, a->mouse, msg, sizeof msg)) {
        sdlwin_stop(win);
        session_close(a->s);
        tutorial_free(&tut);
        if (a->fstats) fclose(a->fstats);
        return cmd_fail(NULL, EXIT_RUNTIME, msg);
    }
    int rc = app_run(a, &sc);
    tui_term_done();
    sdlwin_stop(a->sdl); /* the window of the last Session (a chapter may have reopened it) */
    if (a->fstats) {
        frame_summary(a);
        fclose(a->fstats);
    }
    if (tui_signal) rc = 0;
    if (rc) fprintf(stderr, "rtviz: %s\n", a->err);
    app_free(a);
    session_close(a->s);
    tutorial_free(&tut);
    return rc ? EXIT_RUNTIME : 0;
}
