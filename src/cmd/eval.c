/* eval.c — `rtviz eval`: evaluate a checkpoint on a dataset's test split:
 * accuracy with the sweep and at θ = 0, activation, Spearman(activation %,
 * loss at θ = 0), error of the easiest / hardest tenth; --json for scripts. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "blas.h"
#include "checkpoint.h"
#include "cmd.h"
#include "dataset.h"
#include "eval.h"
#include "json.h"
#include "model.h"
#include "opts.h"
#include "pool.h"

#define ALLOWED                                                                                    \
    (OPTBIT(OPT_MODEL) | OPTBIT(OPT_DATASET) | OPTBIT(OPT_TEST_SPLIT) | OPTBIT(OPT_TAU) |          \
     OPTBIT(OPT_FLOOR) | OPTBIT(OPT_LIMIT) | OPTBIT(OPT_JSON) | OPTBIT(OPT_THREADS))

static void usage(FILE *f) {
    fprintf(f, "usage: rtviz eval --model FILE --dataset NAME [--tau X] [--floor X] [--limit N] "
               "[--json]\n"
               "Evaluate a checkpoint on the test split (the dataset defaults to the one it was "
               "trained on).\n\n");
    opts_usage(f, ALLOWED);
}

/* The report as one JSON document (docs/DESIGN.md §3.4). Returns the text
 * (free it) or NULL with e filled. */
static char *eval_json(const char *model, const char *dataset, const char *arch, float tau,
                       float floor, const EvalReport *r, RtErr *e) {
    cJSON *d = cJSON_CreateObject();
    int ok = d && cJSON_AddStringToObject(d, "model", model) &&
             cJSON_AddStringToObject(d, "dataset", dataset) &&
             cJSON_AddStringToObject(d, "arch", arch) && json_add_int(d, "n", r->n) &&
             json_add_real(d, "tau", tau, "%.6g") && json_add_real(d, "floor", floor, "%.6g") &&
             json_add_real(d, "accuracy", r->accuracy, "%.6g") &&
             json_add_real(d, "accuracy_theta0", r->accuracy_theta0, "%.6g") &&
             json_add_real(d, "activation_mean", r->activation_mean, "%.6g") &&
             json_add_real(d, "activation_median", r->activation_median, "%.6g") &&
             json_add_real(d, "blocks_mean", r->blocks_mean, "%.6g") &&
             json_add_int(d, "params_total", r->params_total) &&
             json_add_real(d, "params_used_mean", r->params_used_mean, "%.6g") &&
             json_add_real(d, "spearman_activation_loss", r->spearman_activation_loss, "%.6g") &&
             json_add_real(d, "error_easiest_tenth", r->error_easiest_tenth, "%.6g") &&
             json_add_real(d, "error_hardest_tenth", r->error_hardest_tenth, "%.6g") &&
             json_add_int(d, "unreached", r->unreached);
    char *t = ok ? json_render(d, JSON_PRETTY, NULL, e) : NULL;
    if (!ok) rt_err(e, "out of memory");
    cJSON_Delete(d);
    return t;
}

int cmd_eval(int argc, char **argv) {
    Opts o;
    RtErr e = {{0}};
    int pr = cmd_parse("eval", &o, argc, argv, ALLOWED, usage);
    if (pr >= 0) return pr;
    Model m;
    CkptMeta meta;
    Dataset ds;
    EvalReport r;
    memset(&r, 0, sizeof r);
    int rc = cmd_load_model_data("eval", &o, &m, &meta, &ds);
    if (rc) return rc;
    const ModelConfig *c = &m.cfg;
    float tau = (o.given & OPTBIT(OPT_TAU)) ? o.tau : c->tau;
    float floor = o.tc.floor;
    if (opts_check_theta(&o, c, &e)) {
        rc = cmd_fail("eval", EXIT_USAGE, e.msg);
        goto done;
    }
    if (pool_init(o.tc.threads) != 0) {
        rc = cmd_fail("eval", EXIT_RUNTIME, "cannot start worker threads");
        goto done;
    }
    blas_init();
    if (eval_model(&m, &ds.test, tau, floor, o.limit, &r, &e)) {
        rc = cmd_fail("eval", EXIT_RUNTIME, e.msg);
        goto done;
    }
    const char *arch = c->arch == ARCH_RT ? "rt" : "mlp";
    if (o.json) {
        char *t = eval_json(o.model, ds.name, arch, tau, floor, &r, &e);
        if (!t) {
            rc = cmd_fail("eval", EXIT_RUNTIME, e.msg);
            goto done;
        }
        fputs(t, stdout);
        free(t);
    } else {
        int nblocks = c->arch == ARCH_RT ? c->L * c->B : 0;
        printf("model       %s (%s", o.model, arch);
        if (c->arch == ARCH_RT) printf(", L=%d B=%d H=%d", c->L, c->B, c->H);
        printf("), dataset %s, %d test images\n", ds.name, r.n);
        if (c->arch == ARCH_RT) printf("tau         %.3g   floor %.3g\n", tau, floor);
        printf("accuracy    %.2f%%   (full network, θ = 0: %.2f%%)\n", r.accuracy,
               r.accuracy_theta0);
        printf("activation  mean %.1f%%   median %.1f%%\n", r.activation_mean, r.activation_median);
        if (c->arch == ARCH_RT)
            printf("blocks      %.2f of %d active on average\n", r.blocks_mean, nblocks);
        printf("parameters  %ld total, %.0f used on average\n", r.params_total, r.params_used_mean);
        if (isfinite(r.spearman_activation_loss))
            printf("spearman    %.3f   (activation %% vs loss at θ = 0)\n",
                   r.spearman_activation_loss);
        else
            printf("spearman    n/a    (activation is the same for every image)\n");
        printf("error       easiest tenth %.1f%%   hardest tenth %.1f%%\n", r.error_easiest_tenth,
               r.error_hardest_tenth);
        printf("unreached   %ld\n", r.unreached);
    }
done:
    eval_free(&r);
    dataset_free(&ds);
    model_free(&m);
    return rc;
}
