/* gallery.c — `rtviz gallery`: the paper's Figure 3 for one model as a PNG:
 * the 12 test images that activate the fewest blocks and the 12 that
 * activate the most, with the activation % over each and the label (and the
 * wrong prediction) under it. The selection and drawing are shared with
 * `rtviz report` (report.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atomicio.h"
#include "blas.h"
#include "checkpoint.h"
#include "cmd.h"
#include "dataset.h"
#include "eval.h"
#include "model.h"
#include "opts.h"
#include "plot.h"
#include "pool.h"
#include "report.h"
#include "rtnet.h"

#define ALLOWED                                                                                    \
    (OPTBIT(OPT_MODEL) | OPTBIT(OPT_DATASET) | OPTBIT(OPT_OUT) | OPTBIT(OPT_TAU) |                 \
     OPTBIT(OPT_LIMIT) | OPTBIT(OPT_THREADS))

#define SWEEP_BATCH 256

const char *report_dataset_title(const char *name) {
    const DatasetInfo *di = dataset_lookup(name);
    return di ? di->title : name;
}

int gallery_sweep(const Model *m, const DataSplit *s, int n, float tau, RtSweepOut *out,
                  double *seconds, RtErr *e) {
    if (m->cfg.arch != ARCH_RT) return rt_err(e, "the gallery needs a RayTracing network");
    if (s->d != m->cfg.D)
        return rt_err(e, "data has %d inputs per sample, the model %d", s->d, m->cfg.D);
    if (n <= 0 || n > s->n) n = s->n;
    if (n < 1) return rt_err(e, "nothing to sweep (0 test images)");
    int bs = RT_MIN(SWEEP_BATCH, n);
    float *X = rt_calloc((size_t)bs * (size_t)s->d, sizeof *X, "sweep inputs", e);
    RtWork *w = X ? rt_work_new(m, bs, e) : NULL;
    if (!w) {
        free(X);
        return -1;
    }
    double t = 0.0;
    for (int b0 = 0; b0 < n; b0 += bs) {
        int k = RT_MIN(bs, n - b0);
        int idx[SWEEP_BATCH];
        for (int j = 0; j < k; j++)
            idx[j] = b0 + j;
        data_batch_float(s, idx, k, X);
        double t0 = rt_now();
        rt_sweep(m, w, X, k, tau, 0.0f, out + b0, NULL);
        t += rt_now() - t0;
    }
    rt_work_free(w);
    free(X);
    if (seconds) *seconds = t;
    return 0;
}

static GalleryPick pick(const RtSweepOut *so, const uint8_t *labels, int i) {
    GalleryPick g = {i,          so[i].act_pct, so[i].active,
                     so[i].stop, so[i].conf,    so[i].reached ? so[i].pred : -1,
                     labels[i]};
    return g;
}

/* The UI's ranking (eval_rank): the most / fewest parameters used, then the
 * later / earlier stop step, then the lower / higher confidence, then index. */
void gallery_select(const RtSweepOut *so, const uint8_t *labels, int n, int k, GalleryPick *easy,
                    GalleryPick *hard) {
    if (k > n) k = n;
    double *used = malloc((size_t)RT_MAX(n, 1) * sizeof *used);
    int *stop = malloc((size_t)RT_MAX(n, 1) * sizeof *stop);
    float *conf = malloc((size_t)RT_MAX(n, 1) * sizeof *conf);
    int *ie = malloc((size_t)RT_MAX(k, 1) * sizeof *ie),
        *ih = malloc((size_t)RT_MAX(k, 1) * sizeof *ih);
    if (!used || !stop || !conf || !ie || !ih) { /* no memory: the first k, in index order */
        for (int j = 0; j < k; j++)
            easy[j] = hard[j] = pick(so, labels, j);
    } else {
        for (int i = 0; i < n; i++) {
            used[i] = (double)so[i].used;
            stop[i] = so[i].stop;
            conf[i] = so[i].reached ? so[i].conf : 0.0f;
        }
        EvalPass p;
        memset(&p, 0, sizeof p);
        p.n = n;
        p.used = used;
        p.stop = stop;
        p.conf = conf;
        k = eval_rank(&p, k, ie, ih, NULL);
        for (int j = 0; j < k; j++) {
            easy[j] = pick(so, labels, ie[j]);
            hard[j] = pick(so, labels, ih[j]);
        }
    }
    free(used);
    free(stop);
    free(conf);
    free(ie);
    free(ih);
}

static const char *cname(const Dataset *ds, int k, char *buf, size_t n) {
    if (k >= 0 && k < DS_MAX_CLASSES && ds->class_names[k]) return ds->class_names[k];
    snprintf(buf, n, "%d", k);
    return buf;
}

static void fill_cell(PlotCell *c, const GalleryPick *p, const Dataset *ds, int nblocks) {
    char a[24], b[24];
    c->pix = ds->test.x + (size_t)p->index * (size_t)ds->test.d;
    snprintf(c->top, sizeof c->top, "%.1f%% (%d/%d)", p->act, p->active, nblocks);
    const char *lab = cname(ds, p->label, a, sizeof a);
    if (p->pred == p->label) {
        snprintf(c->bottom, sizeof c->bottom, "%s", lab);
        c->alert = 0;
    } else {
        snprintf(c->bottom, sizeof c->bottom, "%s → %s", lab,
                 p->pred < 0 ? "none" : cname(ds, p->pred, b, sizeof b));
        c->alert = 1;
    }
}

int gallery_figure(const Model *m, const char *model_name, const Dataset *ds, int limit, float tau,
                   const char *out, int *width, int *height, RtErr *e) {
    const ModelConfig *c = &m->cfg;
    const DataSplit *s = &ds->test;
    int n = limit > 0 && limit < s->n ? limit : s->n;
    if (c->arch != ARCH_RT)
        return rt_err(e,
                      "%s is an MLP: the gallery orders images by the blocks a RayTracing "
                      "network activates",
                      model_name);
    RtSweepOut *so = rt_calloc((size_t)RT_MAX(n, 1), sizeof *so, "gallery sweep", e);
    PlotGrid *g = so ? rt_calloc(1, sizeof *g, "gallery figure", e) : NULL;
    if (!g || gallery_sweep(m, s, n, tau, so, NULL, e)) {
        free(so);
        free(g);
        return -1;
    }
    GalleryPick easy[GALLERY_N], hard[GALLERY_N];
    int k = RT_MIN(GALLERY_N, n);
    gallery_select(so, s->y, n, k, easy, hard);
    const char *title = report_dataset_title(ds->name);
    snprintf(g->title, sizeof g->title,
             "%s: the test images that activate the fewest and the most blocks", title);
    g->ch = s->ch;
    g->h = s->h;
    g->w = s->w;
    g->ngroups = 2;
    snprintf(g->heading[0], sizeof g->heading[0], "Fewest blocks (easiest)");
    snprintf(g->heading[1], sizeof g->heading[1], "Most blocks (hardest)");
    g->ncells[0] = g->ncells[1] = k;
    int nblocks = c->L * c->B;
    for (int j = 0; j < k; j++) {
        fill_cell(&g->cell[0][j], &easy[j], ds, nblocks);
        fill_cell(&g->cell[1][j], &hard[j], ds, nblocks);
    }
    /* the caption's model name without its directory */
    const char *base = strrchr(model_name, '/');
    base = base ? base + 1 : model_name;
    snprintf(g->caption, sizeof g->caption,
             "%s test set, %d images; model %s: RayTracing L%d B%d H%d, %ld parameters, τ = %.2f. "
             "Over each image: its activation %% (parameters used at the stop of the θ sweep / all "
             "parameters) and its active blocks of %d. Under it: the label, in red \"label → "
             "prediction\" when the answer is wrong. Ordered by the parameters used; ties are "
             "broken by the step of the sweep at which it stopped (earlier = easier), then by the "
             "confidence max p at the stop (higher = easier), then by index, as the live UI "
             "ranks its gallery.",
             title, n, base, c->L, c->B, c->H, (long)m->n, tau, nblocks);
    plot_grid_size(g, width, height);
    int rc = plot_grid_write(g, out, e);
    free(so);
    free(g);
    return rc;
}

static void usage(FILE *f) {
    fprintf(f, "usage: rtviz gallery --model FILE [--dataset NAME] --out F.png [--tau X] "
               "[--limit N]\n"
               "Draw the paper's Figure 3 for a RayTracing checkpoint: the 12 test images that\n"
               "activate the fewest blocks and the 12 that activate the most, with the\n"
               "activation %% over each (the dataset defaults to the one it was trained on).\n\n");
    opts_usage(f, ALLOWED);
}

int cmd_gallery(int argc, char **argv) {
    Opts o;
    RtErr e = {{0}};
    int pr = cmd_parse("gallery", &o, argc, argv, ALLOWED, usage);
    if (pr >= 0) return pr;
    if (!o.out) return cmd_fail("gallery", EXIT_USAGE, "--out F.png is required (see --help)");
    if (!o.model) return cmd_fail("gallery", EXIT_USAGE, "--model FILE is required (see --help)");
    if (aw_check(o.out, &e)) return cmd_fail("gallery", EXIT_RUNTIME, e.msg);
    Model m;
    CkptMeta meta;
    Dataset ds;
    int rc = cmd_load_model_data("gallery", &o, &m, &meta, &ds);
    if (rc) return rc;
    float tau = (o.given & OPTBIT(OPT_TAU)) ? o.tau : m.cfg.tau;
    int w = 0, h = 0;
    if (pool_init(o.tc.threads) != 0)
        rc = cmd_fail("gallery", EXIT_RUNTIME, "cannot start worker threads");
    else {
        blas_init();
        if (gallery_figure(&m, o.model, &ds, o.limit, tau, o.out, &w, &h, &e))
            rc = cmd_fail("gallery", EXIT_RUNTIME, e.msg);
        else
            printf("wrote %s (%dx%d)\n", o.out, w, h);
    }
    dataset_free(&ds);
    model_free(&m);
    return rc;
}
