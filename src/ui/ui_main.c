/* ui_main.c — `rtviz [options]`, the interactive UI (the default command):
 * parse the flags, refuse without a terminal, load the data and the network,
 * then hand over to the terminal loop (tui/app.c). Tear-down in reverse. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "cmd/opts.h"
#include "tui/app.h"

static int load_data(App *a, RtErr *e) {
    const char *name = a->o.dataset ? a->o.dataset : "fashionmnist";
    if (dataset_load(name, &a->ds, e) == 0) return 0;
    if (strcmp(name, "fashionmnist") != 0) return -1;
    RtErr e2 = {{0}};
    if (dataset_load("sample", &a->ds, &e2) != 0) return -1; /* report the first error */
    snprintf(a->notice, sizeof a->notice,
             "Fashion-MNIST is not installed: using the sample set (see rtviz datasets)");
    fprintf(stderr, "rtviz: %s\n", a->notice);
    return 0;
}

int cmd_ui(int argc, char **argv) {
    static App app; /* large (pane copies): not on the stack */
    App *a = &app;
    memset(a, 0, sizeof *a);
    a->t_start = rt_now();
    RtErr e = {{0}};
    opts_default(&a->o);
    if (opts_parse(&a->o, argc, argv, OPTS_UI, 0, &e)) return cmd_fail(NULL, EXIT_USAGE, e.msg);
    if (a->o.help) {
        printf("usage: rtviz [options]   the interactive UI\n");
        opts_usage(stdout, OPTS_UI);
        return 0;
    }
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
        fprintf(stderr, "rtviz: no terminal; try the headless commands: rtviz train|eval|sweep "
                        "(see --help)\n");
        return EXIT_RUNTIME;
    }
    if (a->o.sdl) fprintf(stderr, "rtviz: --sdl is not available yet; using the terminal only\n");
    if (a->o.tutorial >= 0)
        fprintf(stderr, "rtviz: --tutorial is not available yet; starting without it\n");
    if (load_data(a, &e)) return cmd_fail(NULL, EXIT_RUNTIME, e.msg);
    a->tc = a->o.tc;
    if (opts_model_config(&a->o, &a->mc, a->ds.test.ch, a->ds.test.h, a->ds.test.w, a->ds.classes,
                          &e)) {
        dataset_free(&a->ds);
        return cmd_fail(NULL, EXIT_USAGE, e.msg);
    }
    if (app_engine_start(a, &e)) {
        dataset_free(&a->ds);
        return cmd_fail(NULL, EXIT_RUNTIME, e.msg);
    }
    a->save_path = a->o.save ? a->o.save : "rtviz.ckpt";
    a->step_ms = a->o.step_ms;
    a->mouse = !a->o.no_mouse;
    a->v.gallery_sel = -1;
    const char *fs = getenv("RTVIZ_FRAME_STATS");
    if (fs && *fs) a->fstats = fopen(fs, "w");

    char msg[256];
    if (tui_term_init(a->o.no_color, a->mouse, msg, sizeof msg)) {
        app_free(a);
        dataset_free(&a->ds);
        return cmd_fail(NULL, EXIT_RUNTIME, msg);
    }
    int rc = app_run(a);
    tui_term_done();
    if (a->fstats) {
        double wall = a->run_wall_s > 0 ? a->run_wall_s : 1e-9;
        fprintf(a->fstats,
                "summary frames %ld fps %.1f samples %ld ui_samples_per_s %.0f train_share %.3f "
                "step_ms %.2f draw_ms_avg %.2f eval_share %.3f keys %ld key_ms_avg %.2f "
                "key_ms_max %.2f first_frame_ms %.1f\n",
                a->frames, a->frames / (rt_now() - a->t_start), a->samples, a->samples / wall,
                a->train_s / wall, 1000.0 * a->avg_step_s,
                a->frames ? 1000.0 * a->draw_s / a->frames : 0.0, a->eval_s / wall, a->keys,
                a->keys ? 1000.0 * a->key_lat_sum / a->keys : 0.0, 1000.0 * a->key_lat_max,
                1000.0 * (a->t_first_frame - a->t_start));
        fclose(a->fstats);
    }
    if (tui_signal) rc = 0;
    if (rc) fprintf(stderr, "rtviz: %s\n", a->notice);
    app_free(a);
    dataset_free(&a->ds);
    return rc ? EXIT_RUNTIME : 0;
}
