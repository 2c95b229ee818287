/* ui_main.c — `rtviz [options]`, the interactive UI (the default command):
 * parse the flags into a Scenario, refuse without a terminal, open the
 * Session (data and network), then hand over to the terminal loop
 * (tui/app.c). Tear-down in reverse. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "cmd/opts.h"
#include "scenario.h"
#include "session.h"
#include "tui/app.h"

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
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
        fprintf(stderr, "rtviz: no terminal; try the headless commands: rtviz train|eval|sweep "
                        "(see --help)\n");
        return EXIT_RUNTIME;
    }
    if (o.sdl) fprintf(stderr, "rtviz: --sdl is not available yet; using the terminal only\n");
    if (o.tutorial >= 0)
        fprintf(stderr, "rtviz: --tutorial is not available yet; starting without it\n");
    static Scenario sc;
    opts_scenario(&o, &sc);
    int usage = 0;
    a->s = session_open(&sc, &usage, &e);
    if (!a->s) return cmd_fail(NULL, usage ? EXIT_USAGE : EXIT_RUNTIME, e.msg);
    ui_state_init(&a->u, sc.step_ms);
    const char *notice = session_notice(a->s);
    if (notice[0]) {
        fprintf(stderr, "rtviz: %s\n", notice);
        snprintf(a->u.notice, sizeof a->u.notice, "%s", notice);
    }
    /* flags accepted but not built yet: said on screen from the start */
    if (o.sdl || o.tutorial >= 0) {
        double now = rt_now();
        ui_status(&a->u, now, 0, "%s%s%s not available yet: this is the terminal UI",
                  o.sdl ? "--sdl" : "", o.sdl && o.tutorial >= 0 ? " and " : "",
                  o.tutorial >= 0 ? "--tutorial" : "");
        a->u.status_until = now + 15.0;
    }
    a->mouse = !o.no_mouse;
    a->u.mouse = a->mouse;
    const char *fs = getenv("RTVIZ_FRAME_STATS");
    if (fs && *fs) a->fstats = fopen(fs, "w");

    char msg[256];
    if (tui_term_init(o.no_color, a->mouse, msg, sizeof msg)) {
        session_close(a->s);
        if (a->fstats) fclose(a->fstats);
        return cmd_fail(NULL, EXIT_RUNTIME, msg);
    }
    int rc = app_run(a, &sc);
    tui_term_done();
    if (a->fstats) {
        frame_summary(a);
        fclose(a->fstats);
    }
    if (tui_signal) rc = 0;
    if (rc) fprintf(stderr, "rtviz: %s\n", a->err);
    app_free(a);
    session_close(a->s);
    return rc ? EXIT_RUNTIME : 0;
}
