/* cmd.c — helpers shared by the subcommands. */
#include "cmd.h"

#include <string.h>

int cmd_stdout_errno;

int cmd_fail(const char *cmd, int code, const char *msg) {
    /* messages carry outside text (paths, names read from files): escaped,
     * so a crafted file cannot drive the terminal or break the line */
    char shown[4 * RT_ERRLEN];
    fprintf(stderr, "rtviz%s%s: %s\n", cmd ? " " : "", cmd ? cmd : "",
            rt_escape(shown, sizeof shown, msg));
    return code;
}

int cmd_parse(const char *cmd, Opts *o, int argc, char **argv, uint64_t allowed,
              void (*usage)(FILE *)) {
    RtErr e = {{0}};
    opts_default(o);
    if (opts_parse(o, argc, argv, allowed, 0, &e)) return cmd_fail(cmd, EXIT_USAGE, e.msg);
    if (o->help) {
        usage(stdout);
        return 0;
    }
    if (o->version) {
        printf("rtviz %s\n", RTVIZ_VERSION);
        return 0;
    }
    return -1;
}

int cmd_load_model_data(const char *cmd, const Opts *o, Model *m, CkptMeta *meta, Dataset *ds) {
    RtErr e = {{0}};
    memset(m, 0, sizeof *m);
    memset(meta, 0, sizeof *meta);
    memset(ds, 0, sizeof *ds);
    if (!o->model) return cmd_fail(cmd, EXIT_USAGE, "--model FILE is required (see --help)");
    if (ckpt_load(o->model, m, NULL, meta, &e)) return cmd_fail(cmd, EXIT_RUNTIME, e.msg);
    const char *name =
        o->dataset ? o->dataset : (meta->dataset[0] ? meta->dataset : "fashionmnist");
    if (dataset_load(name, ds, &e)) {
        model_free(m);
        return cmd_fail(cmd, EXIT_RUNTIME, e.msg);
    }
    const ModelConfig *c = &m->cfg;
    if (c->ch != ds->test.ch || c->h != ds->test.h || c->w != ds->test.w || c->C != ds->classes) {
        rt_err(&e,
               "%s: the model takes %dx%dx%d images and %d classes, dataset %s has %dx%dx%d and %d",
               o->model, c->ch, c->h, c->w, c->C, ds->name, ds->test.ch, ds->test.h, ds->test.w,
               ds->classes);
        model_free(m);
        dataset_free(ds);
        return cmd_fail(cmd, EXIT_RUNTIME, e.msg);
    }
    return 0;
}
