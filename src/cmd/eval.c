/* eval.c — `rtviz eval`: evaluate a checkpoint on a dataset's test split:
 * accuracy with the sweep and at θ = 0, activation, Spearman(activation %,
 * loss at θ = 0), error of the easiest / hardest tenth; --json for scripts. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "blas.h"
#include "checkpoint.h"
#include "cmd.h"
#include "dataset.h"
#include "eval.h"
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

/* A JSON number, or null when not finite. */
static void jnum(const char *key, double x, int last) {
    if (isfinite(x))
        printf("  \"%s\": %.6g%s\n", key, x, last ? "" : ",");
    else
        printf("  \"%s\": null%s\n", key, last ? "" : ",");
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
        printf("{\n  \"model\": \"");
        for (const char *p = o.model; *p; p++) {
            if (*p == '"' || *p == '\\') putchar('\\');
            if ((unsigned char)*p >= 0x20) putchar(*p);
        }
        printf("\",\n  \"dataset\": \"%s\",\n  \"arch\": \"%s\",\n", ds.name, arch);
        printf("  \"n\": %d,\n", r.n);
        jnum("tau", tau, 0);
        jnum("floor", floor, 0);
        jnum("accuracy", r.accuracy, 0);
        jnum("accuracy_theta0", r.accuracy_theta0, 0);
        jnum("activation_mean", r.activation_mean, 0);
        jnum("activation_median", r.activation_median, 0);
        jnum("blocks_mean", r.blocks_mean, 0);
        printf("  \"params_total\": %ld,\n", r.params_total);
        jnum("params_used_mean", r.params_used_mean, 0);
        jnum("spearman_activation_loss", r.spearman_activation_loss, 0);
        jnum("error_easiest_tenth", r.error_easiest_tenth, 0);
        jnum("error_hardest_tenth", r.error_hardest_tenth, 0);
        printf("  \"unreached\": %ld\n}\n", r.unreached);
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
