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
    /* from the headers first: a model that cannot take the dataset's images
     * is named before either is loaded */
    ModelConfig pc;
    if (ckpt_peek(o->model, &pc, meta, &e)) return cmd_fail(cmd, EXIT_RUNTIME, e.msg);
    char saved_name[sizeof meta->dataset]; /* meta is refilled by ckpt_load below */
    snprintf(saved_name, sizeof saved_name, "%s",
             meta->dataset[0] ? meta->dataset : "fashionmnist");
    const char *name = o->dataset ? o->dataset : saved_name;
    DataShape sh;
    if (dataset_peek(name, &sh, &e)) return cmd_fail(cmd, EXIT_RUNTIME, e.msg);
    if (pc.ch != sh.ch || pc.h != sh.h || pc.w != sh.w || pc.C != sh.classes) {
        char msg[2 * DS_PATH_MAX];
        snprintf(msg, sizeof msg,
                 "%s: the model takes %dx%dx%d images and %d classes, but %s holds %dx%dx%d "
                 "images and %s has %d classes",
                 o->model, pc.ch, pc.h, pc.w, pc.C, sh.file, sh.ch, sh.h, sh.w, name, sh.classes);
        memset(meta, 0, sizeof *meta);
        return cmd_fail(cmd, EXIT_RUNTIME, msg);
    }
    if (ckpt_load(o->model, m, NULL, meta, &e)) return cmd_fail(cmd, EXIT_RUNTIME, e.msg);
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
