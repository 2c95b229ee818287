/* sweep.c — `rtviz sweep`: one test image, θ by θ: which blocks are active,
 * activation %, output mass, the top class; the stop step and the answer. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "blas.h"
#include "checkpoint.h"
#include "cmd.h"
#include "dataset.h"
#include "mlp.h"
#include "model.h"
#include "opts.h"
#include "rtnet.h"

#define ALLOWED                                                                                    \
    (OPTBIT(OPT_MODEL) | OPTBIT(OPT_DATASET) | OPTBIT(OPT_TEST_SPLIT) | OPTBIT(OPT_INDEX) |        \
     OPTBIT(OPT_TAU) | OPTBIT(OPT_FLOOR))

static void usage(FILE *f) {
    fprintf(f, "usage: rtviz sweep --model FILE --dataset NAME --index I [--tau X] [--floor X]\n"
               "Show the θ sweep of one test image step by step.\n\n");
    opts_usage(f, ALLOWED);
}

static const char *class_name(const Dataset *ds, int k, char *buf, size_t n) {
    if (k >= 0 && k < DS_MAX_CLASSES && ds->class_names[k]) return ds->class_names[k];
    snprintf(buf, n, "%d", k);
    return buf;
}

/* "L1:0,3 L2:1 L3:4": the active blocks of step s (layers from 1, blocks from 0). */
static void active_list(const RtTrace *tr, int s, int L, int B, char *out, size_t n) {
    size_t len = 0;
    out[0] = 0;
    for (int l = 0; l < L; l++) {
        int any = 0;
        for (int i = 0; i < B; i++) {
            if (!tr->active[s][l][i]) continue;
            if (len + 16 >= n) return;
            if (!any)
                len += (size_t)snprintf(out + len, n - len, "%sL%d:%d", len ? " " : "", l + 1, i);
            else
                len += (size_t)snprintf(out + len, n - len, ",%d", i);
            any = 1;
        }
    }
}

int cmd_sweep(int argc, char **argv) {
    Opts o;
    RtErr e = {{0}};
    int pr = cmd_parse("sweep", &o, argc, argv, ALLOWED, usage);
    if (pr >= 0) return pr;
    Model m;
    CkptMeta meta;
    Dataset ds;
    RtTrace *tr = NULL;
    float *x = NULL;
    char msg[RT_ERRLEN + 64], b1[16], b2[16];
    int rc = cmd_load_model_data("sweep", &o, &m, &meta, &ds);
    if (rc) return rc;
    const ModelConfig *c = &m.cfg;
    if (o.index < 0 || o.index >= ds.test.n) {
        snprintf(msg, sizeof msg, "--index: %d is out of range (0-%d for %s)", o.index,
                 ds.test.n - 1, ds.name);
        rc = cmd_fail("sweep", EXIT_USAGE, msg);
        goto done;
    }
    if (opts_check_theta(&o, c, &e)) {
        rc = cmd_fail("sweep", EXIT_USAGE, e.msg);
        goto done;
    }
    blas_init();
    x = calloc((size_t)c->D, sizeof *x);
    tr = calloc(1, sizeof *tr);
    if (!x || !tr) {
        rc = cmd_fail("sweep", EXIT_RUNTIME, "out of memory");
        goto done;
    }
    data_batch_float(&ds.test, &o.index, 1, x);
    int label = ds.test.y[o.index];
    float tau = (o.given & OPTBIT(OPT_TAU)) ? o.tau : c->tau;
    printf("image %d of %s test, true label: %s\n", o.index, ds.name,
           class_name(&ds, label, b1, sizeof b1));

    if (c->arch == ARCH_MLP) {
        MlpWork *w = mlp_work_new(&m, 1, &e);
        float p[RT_MAX_C];
        if (!w) {
            rc = cmd_fail("sweep", EXIT_RUNTIME, e.msg);
            goto done;
        }
        mlp_forward(&m, w, x, 1, p);
        mlp_work_free(w);
        int k = rt_argmax(p, c->C);
        printf("MLP: one dense pass, every parameter used (%zu)\n", m.n);
        printf("%-7s %-28s %7s %7s  %s\n", "theta", "active blocks", "act%", "M", "top class (p)");
        printf("%-7s %-28s %6.1f%% %7.4f  %s (%.3f)  <- stop\n", "-", "all (dense)", 100.0, 1.0,
               class_name(&ds, k, b2, sizeof b2), p[k]);
        printf("answer: %s (p %.3f), %s\n", class_name(&ds, k, b2, sizeof b2), p[k],
               k == label ? "correct" : "wrong");
        goto done;
    }

    if (rt_trace(&m, x, tau, o.tc.floor, tr, &e)) {
        rc = cmd_fail("sweep", EXIT_RUNTIME, e.msg);
        goto done;
    }
    printf("tau %.3g, floor %.3g, %d blocks in %d layers\n", tau, o.tc.floor, c->L * c->B, c->L);
    printf("%-7s %-6s %-36s %7s %9s  %s\n", "theta", "blocks", "which", "act%", "M",
           "top class (p)");
    for (int s = 0; s < tr->nsteps; s++) {
        char which[256];
        active_list(tr, s, c->L, c->B, which, sizeof which);
        if (!which[0]) snprintf(which, sizeof which, "-");
        char top[64];
        if (tr->mass[s] > 0.0f) {
            int k = rt_argmax(tr->prob[s], c->C);
            snprintf(top, sizeof top, "%s (%.3f)", class_name(&ds, k, b2, sizeof b2),
                     tr->prob[s][k]);
        } else {
            snprintf(top, sizeof top, "no output (M = 0)");
        }
        printf("%-7.4g %-6d %-36s %6.1f%% %9.4g  %s%s\n", tr->theta[s], tr->nactive[s], which,
               tr->act_pct[s], tr->mass[s], top, s == tr->stop ? "  <- stop" : "");
    }
    int s = tr->stop;
    if (s >= 0 && s < tr->nsteps && tr->mass[s] > 0.0f) {
        int k = rt_argmax(tr->prob[s], c->C);
        printf("answer: %s (p %.3f) at θ = %.4g, %.1f%% of the parameters, %s\n",
               class_name(&ds, k, b2, sizeof b2), tr->prob[s][k], tr->theta[s], tr->act_pct[s],
               k == label ? "correct" : "wrong");
    } else {
        printf("answer: none — no ray reached the output at the floor θ = %.4g (unreached)\n",
               o.tc.floor);
    }
done:
    free(x);
    free(tr);
    dataset_free(&ds);
    model_free(&m);
    return rc;
}
