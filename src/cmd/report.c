/* report.c — `rtviz report`: the paper's Figures 2 and 3 for one dataset.
 *
 * Trains the RayTracing network at RT_WIDTHS.. and the MLP baseline at
 * MLP_WIDTHS.. (K seeds each) with the engine's trainer exactly as `rtviz
 * train` drives it (cosine learning rate, NaN rollbacks), saves every model
 * in DIR/models/, evaluates each with eval_model, times inference of all of
 * them round-robin in the same run (the θ sweep for RT, the forward for the
 * MLP), and writes figure2.csv, figure2.png, figure2-time.png, figure3.png,
 * summary.json and results.md. `--merge DIR...` reads the figure2.csv of
 * several reports and draws one Figure 2 over their datasets. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomicio.h"
#include "blas.h"
#include "checkpoint.h"
#include "cmd.h"
#include "dataset.h"
#include "eval.h"
#include "json.h"
#include "mlp.h"
#include "model.h"
#include "opts.h"
#include "plot.h"
#include "pool.h"
#include "report.h"
#include "rtnet.h"
#include "trainer.h"

#define ALLOWED                                                                                    \
    (OPTBIT(OPT_DATASET) | OPTBIT(OPT_OUT) | OPTBIT(OPT_EPOCHS) | OPTBIT(OPT_SEEDS) |              \
     OPTBIT(OPT_MERGE) | OPTBIT(OPT_LIMIT) | OPTBIT(OPT_BATCH) | OPTBIT(OPT_LR) |                  \
     OPTBIT(OPT_THREADS) | OPTBIT(OPT_TAU))
#define MERGE_ALLOWED (OPTBIT(OPT_OUT) | OPTBIT(OPT_MERGE))

/* the sizes of each curve: RT block width H (L = 3, B = 8), and the MLP's
 * two hidden layers of width W (the paper's baseline is 784-256-256-10) */
static const int RT_WIDTHS[] = {16, 32, 48, 96};
static const int MLP_WIDTHS[] = {32, 64, 128, 256};
#define N_RT        ((int)(sizeof RT_WIDTHS / sizeof RT_WIDTHS[0]))
#define N_MLP       ((int)(sizeof MLP_WIDTHS / sizeof MLP_WIDTHS[0]))
#define GALLERY_H   48 /* Figure 3 is drawn for the RT net of the default width, seed 1 */
#define TIME_REPS   5  /* inference timing passes per model (median) */
#define INFER_BATCH 256
#define MAX_ROWS    512
#define MAX_MERGE   16
#define LR_FINAL    0.05 /* the cosine schedule ends at lr/20, as in `rtviz train` */
#define NAN_GIVE_UP 20   /* NaN/Inf rollbacks in one run before giving up */
#define ACC_SLACK   0.5  /* points: "reaches the MLP's accuracy" */

static const char CSV_HEADER[] =
    "dataset,model,size,seed,test_acc,test_acc_theta0,params_used_mean,"
    "activation_mean,us_per_sample,params_total,model_file";

/* one trained network of a report */
typedef struct {
    ReportRow row;
    Model m;
    EvalReport er; /* summary figures (the per-sample arrays are freed) */
    double train_s;
    int blocks_total;
    double used_min; /* the fewest parameters any test image used */
} Run;

static void usage(FILE *f) {
    fprintf(f, "usage: rtviz report --dataset NAME --out DIR [--epochs N] [--seeds K] [--limit N]\n"
               "       rtviz report --merge DIR... --out DIR\n"
               "Reproduce the paper's figures for one dataset: train the RayTracing network\n"
               "(L3 B8, H = 16, 32, 48, 96) and the MLP baseline (two hidden layers of 32, 64,\n"
               "128, 256) with K seeds each, evaluate them, time their inference in the same run,\n"
               "and write into DIR: figure2.csv, figure2.png (test accuracy against parameters\n"
               "used), figure2-time.png (against µs per sample), figure3.png (the gallery of the\n"
               "H48 network), summary.json (the eval figures of every model), results.md (the\n"
               "tables, each RT size's floor, router + one block per layer, against half of each\n"
               "MLP, and the targets) and models/*.ckpt. --merge draws one Figure 2 over the\n"
               "reports in the DIRs given.\n"
               "--limit uses only the first N test images. Progress and ETA go to stderr.\n\n");
    opts_usage(f, ALLOWED);
}

static int fail(int code, const char *msg) { return cmd_fail("report", code, msg); }

/* ------------------------------------------------------------------ files */

static int ensure_dir(const char *path, RtErr *e) {
    struct stat st;
    if (mkdir(path, 0777) == 0) return 0;
    if (errno != EEXIST) return rt_err(e, "%s: cannot create directory: %s", path, strerror(errno));
    if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
        return rt_err(e, "%s: exists and is not a directory", path);
    if (access(path, W_OK) != 0) return rt_err(e, "%s: directory is not writable", path);
    return 0;
}

static void join(char *out, size_t n, const char *dir, const char *name) {
    snprintf(out, n, "%s/%s", dir, name);
}

/* A growing text buffer (open_memstream) written atomically at the end. */
typedef struct {
    char *buf;
    size_t len;
    FILE *f;
} Text;

static int text_open(Text *t, RtErr *e) {
    memset(t, 0, sizeof *t);
    t->f = open_memstream(&t->buf, &t->len);
    return t->f ? 0 : rt_err(e, "out of memory");
}

static int text_write(Text *t, const char *path, RtErr *e) {
    int bad = ferror(t->f);
    fclose(t->f);
    t->f = NULL;
    int rc = bad ? rt_err(e, "%s: out of memory", path) : aw_write_file(path, t->buf, t->len, e);
    free(t->buf);
    t->buf = NULL;
    return rc;
}

/* --------------------------------------------------------------- the rows */

/* name with commas (the CSV separator) and control characters replaced */
static void clean(char *s) {
    for (; *s; s++)
        if (*s == ',' || (unsigned char)*s < 0x20) *s = '_';
}

static void csv_rows(FILE *f, const ReportRow *r, int n) {
    fprintf(f, "%s\n", CSV_HEADER);
    for (int i = 0; i < n; i++)
        fprintf(f, "%s,%s,%s,%d,%.4f,%.4f,%.1f,%.4f,%.4f,%ld,%s\n", r[i].dataset, r[i].model,
                r[i].size, r[i].seed, r[i].acc, r[i].acc0, r[i].used, r[i].act, r[i].us,
                r[i].params, r[i].file);
}

static int parse_num(const char *s, double *v) {
    char *end;
    errno = 0;
    *v = strtod(s, &end);
    return errno || end == s || *end || !isfinite(*v) ? -1 : 0;
}

int report_csv_parse(char *text, size_t len, const char *path, ReportRow *rows, int max, int *n,
                     RtErr *e) {
    if (memchr(text, 0, len)) return rt_err(e, "%s: contains a NUL byte: not a figure2.csv", path);
    text[len] = 0;
    int rc = 0, line = 0;
    char *save = NULL;
    for (char *ln = strtok_r(text, "\n", &save); ln; ln = strtok_r(NULL, "\n", &save)) {
        line++;
        size_t l = strlen(ln);
        if (l && ln[l - 1] == '\r') ln[--l] = 0;
        if (line == 1) {
            if (strcmp(ln, CSV_HEADER)) {
                rc = rt_err(e, "%s:1: not a figure2.csv header (rtviz report writes it)", path);
                break;
            }
            continue;
        }
        if (!l) continue;
        if (*n >= max) {
            rc = rt_err(e, "%s:%d: more than %d rows in all", path, line, max);
            break;
        }
        char *f[12];
        int nf = 0;
        for (char *p = ln; nf < 12;) {
            f[nf++] = p;
            char *c = strchr(p, ',');
            if (!c) break;
            *c = 0;
            p = c + 1;
        }
        if (nf != 11) {
            rc = rt_err(e, "%s:%d: %s%d fields, expected 11", path, line,
                        nf == 12 ? "more than " : "", nf == 12 ? 11 : nf);
            break;
        }
        ReportRow *r = &rows[*n];
        memset(r, 0, sizeof *r);
        double v[5], seed, params;
        const char *names[5] = {"test_acc", "test_acc_theta0", "params_used_mean",
                                "activation_mean", "us_per_sample"};
        int bad = -1;
        for (int k = 0; k < 5 && bad < 0; k++)
            if (parse_num(f[4 + k], &v[k]) || v[k] < 0 || v[k] > 1e12) bad = k;
        if (bad >= 0) {
            rc = rt_err(e, "%s:%d: %s '%.40s' is not a non-negative number", path, line, names[bad],
                        f[4 + bad]);
            break;
        }
        if (parse_num(f[3], &seed) || seed < 0 || seed > 1e9 || seed != floor(seed) ||
            parse_num(f[9], &params) || params < 1 || params > 1e12 || params != floor(params)) {
            rc = rt_err(e, "%s:%d: bad seed '%.20s' or params_total '%.20s'", path, line, f[3],
                        f[9]);
            break;
        }
        if (strcmp(f[1], "rt") && strcmp(f[1], "mlp")) {
            rc = rt_err(e, "%s:%d: model '%.20s' is not rt or mlp", path, line, f[1]);
            break;
        }
        if (!*f[0] || strlen(f[0]) >= sizeof r->dataset || !*f[2] ||
            strlen(f[2]) >= sizeof r->size || strlen(f[10]) >= sizeof r->file) {
            rc = rt_err(e, "%s:%d: empty or too long dataset, size or file field", path, line);
            break;
        }
        if (v[0] > 100 || v[1] > 100 || v[3] > 100) {
            rc = rt_err(e, "%s:%d: a percentage above 100", path, line);
            break;
        }
        snprintf(r->dataset, sizeof r->dataset, "%s", f[0]);
        snprintf(r->model, sizeof r->model, "%s", f[1]);
        snprintf(r->size, sizeof r->size, "%s", f[2]);
        snprintf(r->file, sizeof r->file, "%s", f[10]);
        clean(r->dataset);
        clean(r->size);
        clean(r->file);
        r->seed = (int)seed;
        r->acc = v[0];
        r->acc0 = v[1];
        r->used = v[2];
        r->act = v[3];
        r->us = v[4];
        r->params = (long)params;
        (*n)++;
    }
    if (!rc && line < 2) rc = rt_err(e, "%s: no rows", path);
    return rc;
}

/* Read DIR/figure2.csv into rows[*n..]; one line naming file:line on error. */
static int csv_read(const char *dir, ReportRow *rows, int *n, RtErr *e) {
    char path[4200];
    join(path, sizeof path, dir, "figure2.csv");
    uint8_t *buf;
    size_t len;
    if (ds_read_file(path, 1u << 22, &buf, &len, e)) return -1;
    char *text = realloc(buf, len + 1);
    if (!text) {
        free(buf);
        return rt_err(e, "%s: out of memory", path);
    }
    int rc = report_csv_parse(text, len, path, rows, MAX_ROWS, n, e);
    free(text);
    return rc;
}

/* ------------------------------------------------------ Figure 2: points */

/* one size of one model of one dataset, over its seeds */
typedef struct {
    char dataset[32], model[8], size[32];
    int nseeds;
    long params;
    double acc, acc_lo, acc_hi;    /* mean, min, max test accuracy */
    double acc0;                   /* mean accuracy at θ = 0 */
    double used, used_lo, used_hi; /* parameters used */
    double act;                    /* mean activation % */
    double us, us_lo, us_hi;       /* µs per sample */
} Point;

static int group_points(const ReportRow *r, int n, Point *p) {
    int np = 0;
    for (int i = 0; i < n; i++) {
        int k = 0;
        while (k < np && (strcmp(p[k].dataset, r[i].dataset) || strcmp(p[k].model, r[i].model) ||
                          strcmp(p[k].size, r[i].size)))
            k++;
        if (k == np) {
            memset(&p[k], 0, sizeof p[k]);
            snprintf(p[k].dataset, sizeof p[k].dataset, "%s", r[i].dataset);
            snprintf(p[k].model, sizeof p[k].model, "%s", r[i].model);
            snprintf(p[k].size, sizeof p[k].size, "%s", r[i].size);
            p[k].params = r[i].params;
            p[k].acc_lo = p[k].used_lo = p[k].us_lo = INFINITY;
            p[k].acc_hi = p[k].used_hi = p[k].us_hi = -INFINITY;
            np++;
        }
        Point *q = &p[k];
        q->nseeds++;
        q->acc += r[i].acc;
        q->acc0 += r[i].acc0;
        q->used += r[i].used;
        q->act += r[i].act;
        q->us += r[i].us;
        q->acc_lo = fmin(q->acc_lo, r[i].acc);
        q->acc_hi = fmax(q->acc_hi, r[i].acc);
        q->used_lo = fmin(q->used_lo, r[i].used);
        q->used_hi = fmax(q->used_hi, r[i].used);
        q->us_lo = fmin(q->us_lo, r[i].us);
        q->us_hi = fmax(q->us_hi, r[i].us);
    }
    for (int k = 0; k < np; k++) {
        double s = p[k].nseeds;
        p[k].acc /= s;
        p[k].acc0 /= s;
        p[k].used /= s;
        p[k].act /= s;
        p[k].us /= s;
    }
    return np;
}

static int cmp_used(const void *a, const void *b) {
    const PlotPoint *x = a, *y = b;
    return (x->x > y->x) - (x->x < y->x);
}

/* Figure 2 (time = 0: against parameters used; 1: against µs per sample).
 * The legend labels go to legend (one line, ", "-separated). */
static int figure2(const Point *p, int np, int time, const char *path, int epochs, char *legend,
                   size_t legn, RtErr *e) {
    PlotChart *c = calloc(1, sizeof *c);
    if (!c) return rt_err(e, "%s: out of memory", path);
    c->width = 1100;
    c->height = 700;
    c->logx = 1;
    char dsets[MAX_MERGE * 2][32];
    int nd = 0, maxseeds = 0;
    for (int k = 0; k < np; k++) {
        int d = 0;
        while (d < nd && strcmp(dsets[d], p[k].dataset))
            d++;
        if (d == nd && nd < MAX_MERGE * 2)
            snprintf(dsets[nd++], sizeof dsets[0], "%s", p[k].dataset);
        maxseeds = RT_MAX(maxseeds, p[k].nseeds);
    }
    legend[0] = 0;
    for (int d = 0; d < nd && c->nseries + 2 <= PLOT_MAX_SERIES; d++)
        for (int mdl = 0; mdl < 2; mdl++) {
            PlotSeries *s = &c->s[c->nseries];
            const char *mname = mdl == 0 ? "rt" : "mlp";
            snprintf(s->label, sizeof s->label, "%s %s", report_dataset_title(dsets[d]),
                     mdl == 0 ? "RT" : "MLP");
            s->marker = mdl == 0 ? PLOT_CIRCLE : PLOT_TRIANGLE;
            s->color = d;
            s->dashed = mdl == 1;
            for (int k = 0; k < np && s->n < PLOT_MAX_POINTS; k++) {
                if (strcmp(p[k].dataset, dsets[d]) || strcmp(p[k].model, mname)) continue;
                PlotPoint *q = &s->pt[s->n++];
                q->y = p[k].acc;
                q->ylo = p[k].acc_lo;
                q->yhi = p[k].acc_hi;
                if (time) {
                    q->x = fmax(p[k].us, 1e-3);
                    q->xlo = fmax(p[k].us_lo, 1e-3);
                    q->xhi = fmax(p[k].us_hi, 1e-3);
                } else {
                    q->x = fmax(p[k].used, 1.0);
                    q->xlo = fmax(p[k].used_lo, 1.0);
                    q->xhi = fmax(p[k].used_hi, 1.0);
                }
            }
            qsort(s->pt, (size_t)s->n, sizeof s->pt[0], cmp_used);
            if (s->n) {
                size_t l = strlen(legend);
                snprintf(legend + l, legn - l, "%s%s", l ? ", " : "", s->label);
                c->nseries++;
            }
        }
    char names[256] = "";
    for (int d = 0; d < nd; d++) {
        size_t l = strlen(names);
        snprintf(names + l, sizeof names - l, "%s%s", d ? ", " : "",
                 report_dataset_title(dsets[d]));
    }
    if (time) {
        snprintf(c->title, sizeof c->title, "Test accuracy against inference time: %.88s", names);
        snprintf(c->xlabel, sizeof c->xlabel, "µs per test sample (log scale)");
    } else {
        snprintf(c->title, sizeof c->title, "Test accuracy against parameters used: %.88s", names);
        snprintf(c->xlabel, sizeof c->xlabel,
                 "parameters used per sample at inference (log scale)");
    }
    snprintf(c->ylabel, sizeof c->ylabel, "test accuracy (%%)");
    char ep[48] = "";
    if (epochs > 0) snprintf(ep, sizeof ep, "%d epoch%s. ", epochs, epochs == 1 ? "" : "s");
    snprintf(c->caption, sizeof c->caption,
             "Circles: RayTracing network (L3 B8, block width H = 16, 32, 48, 96), its θ sweep at "
             "τ = 0.9. Triangles: dense MLP with two hidden layers (32, 64, 128, 256 wide), always "
             "all parameters. %sOne point per size: the mean over %d seed%s, bars from the lowest "
             "to the highest seed. %s",
             ep, maxseeds, maxseeds == 1 ? "" : "s",
             time ? "Time: one thread pool, batches of 256, the median of 5 passes over the test "
                    "set, all models timed in turn in the same run."
                  : "Parameters used: router + the blocks active at the sweep's stop, mean over "
                    "the test set.");
    int rc = plot_chart_write(c, path, e);
    free(c);
    return rc;
}

/* ---------------------------------------------------------- results.md */

/* The cheapest RT point (by key: 0 used params, 1 µs) of dataset ds within
 * ACC_SLACK points of acc; -1 if none. */
static int rt_match(const Point *p, int np, const char *ds, double acc, int by_time) {
    int best = -1;
    for (int k = 0; k < np; k++) {
        if (strcmp(p[k].dataset, ds) || strcmp(p[k].model, "rt")) continue;
        if (p[k].acc < acc - ACC_SLACK) continue;
        double v = by_time ? p[k].us : p[k].used,
               bv = best < 0 ? 0 : (by_time ? p[best].us : p[best].used);
        if (best < 0 || v < bv) best = k;
    }
    return best;
}

static void fmt_k(double v, char *buf, size_t n) {
    if (v >= 1e6)
        snprintf(buf, n, "%.2fM", v / 1e6);
    else if (v >= 1e3)
        snprintf(buf, n, "%.1fk", v / 1e3);
    else
        snprintf(buf, n, "%.0f", v);
}

/* The Figure 2 tables and the parameter / time targets, per dataset. */
static void md_figure2(FILE *f, const Point *p, int np) {
    char dsets[MAX_MERGE * 2][32];
    int nd = 0;
    for (int k = 0; k < np; k++) {
        int d = 0;
        while (d < nd && strcmp(dsets[d], p[k].dataset))
            d++;
        if (d == nd && nd < MAX_MERGE * 2)
            snprintf(dsets[nd++], sizeof dsets[0], "%s", p[k].dataset);
    }
    for (int d = 0; d < nd; d++) {
        const char *ds = dsets[d];
        fprintf(f, "#### %s: Figure 2 data (mean over seeds; min–max in brackets)\n\n",
                report_dataset_title(ds));
        fprintf(f, "| model | size | params | seeds | test acc %% | acc at θ=0 %% | params used | "
                   "activation %% | µs / sample |\n|---|---|---|---|---|---|---|---|---|\n");
        for (int k = 0; k < np; k++) {
            if (strcmp(p[k].dataset, ds)) continue;
            char tot[32], used[32];
            fmt_k((double)p[k].params, tot, sizeof tot);
            fmt_k(p[k].used, used, sizeof used);
            fprintf(
                f,
                "| %s | %s | %s | %d | %.2f [%.2f–%.2f] | %.2f | %s | %.1f | %.2f [%.2f–%.2f] |\n",
                !strcmp(p[k].model, "rt") ? "RT" : "MLP", p[k].size, tot, p[k].nseeds, p[k].acc,
                p[k].acc_lo, p[k].acc_hi, p[k].acc0, used, p[k].act, p[k].us, p[k].us_lo,
                p[k].us_hi);
        }
        fprintf(f,
                "\n#### %s: does RT reach the MLP's accuracy (within %.1f points) with half its "
                "parameters or fewer, and in less time?\n\n",
                report_dataset_title(ds), ACC_SLACK);
        fprintf(f,
                "| MLP | MLP acc %% | MLP params | cheapest RT within %.1f | its acc %% | its "
                "params used | used / MLP | half or fewer | MLP µs | fastest RT within %.1f | "
                "RT µs | RT / MLP time |\n|---|---|---|---|---|---|---|---|---|---|---|---|\n",
                ACC_SLACK, ACC_SLACK);
        int best_mlp = -1;
        for (int k = 0; k < np; k++) {
            if (strcmp(p[k].dataset, ds) || strcmp(p[k].model, "mlp")) continue;
            if (best_mlp < 0 || p[k].acc > p[best_mlp].acc) best_mlp = k;
            char mp[32], ru[32];
            fmt_k((double)p[k].params, mp, sizeof mp);
            int r = rt_match(p, np, ds, p[k].acc, 0), t = rt_match(p, np, ds, p[k].acc, 1);
            fprintf(f, "| %s | %.2f | %s |", p[k].size, p[k].acc, mp);
            if (r >= 0) {
                fmt_k(p[r].used, ru, sizeof ru);
                double q = p[r].used / (double)p[k].params;
                fprintf(f, " H%s | %.2f | %s | %.2f | %s |", p[r].size + 1, p[r].acc, ru, q,
                        q <= 0.5 ? "yes" : "no");
            } else
                fprintf(f, " none | – | – | – | no |");
            fprintf(f, " %.2f |", p[k].us);
            if (t >= 0)
                fprintf(f, " H%s | %.2f | %.2f |\n", p[t].size + 1, p[t].us, p[t].us / p[k].us);
            else
                fprintf(f, " none | – | – |\n");
        }
        if (best_mlp >= 0) {
            const char *dt = report_dataset_title(ds);
            const Point *m = &p[best_mlp];
            /* every MLP size some RT size reaches: the ranges of the ratios,
             * and the most accurate of them */
            int reach = -1, nreach = 0, nhalf = 0;
            double qlo = INFINITY, qhi = 0, qsum = 0, tlo = INFINITY, thi = 0;
            for (int k = 0; k < np; k++) {
                if (strcmp(p[k].dataset, ds) || strcmp(p[k].model, "mlp")) continue;
                int r = rt_match(p, np, ds, p[k].acc, 0), t = rt_match(p, np, ds, p[k].acc, 1);
                if (r < 0) continue;
                double q = p[r].used / (double)p[k].params, tq = p[t].us / p[k].us;
                nreach++;
                nhalf += q <= 0.5;
                qsum += q;
                qlo = fmin(qlo, q);
                qhi = fmax(qhi, q);
                tlo = fmin(tlo, tq);
                thi = fmax(thi, tq);
                if (reach < 0 || p[k].acc > p[reach].acc) reach = k;
            }
            int r = rt_match(p, np, ds, m->acc, 0);
            int met = r >= 0 && p[r].used / (double)m->params <= 0.5;
            fprintf(f,
                    "\n**Parameter target (%s): %s.** Against the most accurate MLP (%s, %.2f%%): ",
                    dt, met ? "met" : "missed", m->size, m->acc);
            if (r < 0)
                fprintf(f, "no RT size comes within %.1f points of it.", ACC_SLACK);
            else
                fprintf(
                    f,
                    "RT %s reaches %.2f%% using %.0f parameters per sample, %.2f× the MLP's %ld.",
                    p[r].size, p[r].acc, p[r].used, p[r].used / (double)m->params, m->params);
            if (reach >= 0 && reach != best_mlp) {
                int rr = rt_match(p, np, ds, p[reach].acc, 0);
                fprintf(
                    f,
                    " Against the most accurate MLP that an RT size reaches (%s, %.2f%%): RT %s, "
                    "%.2f%%, uses %.2f× its parameters.",
                    p[reach].size, p[reach].acc, p[rr].size, p[rr].acc,
                    p[rr].used / (double)p[reach].params);
            }
            if (nreach > 1)
                fprintf(f,
                        " Over the %d MLP sizes that RT reaches, it uses %.2f–%.2f× their "
                        "parameters (mean %.2f×; half or fewer for %d of them).\n",
                        nreach, qlo, qhi, qsum / nreach, nhalf);
            else if (nreach)
                fprintf(f, " It is the only MLP size that RT reaches.\n");
            else
                fprintf(f, " RT reaches none of the MLP sizes.\n");
            fprintf(f, "\n**Time (%s):** ", dt);
            if (reach < 0)
                fprintf(f,
                        "no RT size comes within %.1f points of any MLP, so there is no matched "
                        "time.\n\n",
                        ACC_SLACK);
            else {
                int t = rt_match(p, np, ds, p[reach].acc, 1);
                fprintf(f,
                        "against the most accurate MLP that an RT size reaches (%s), the fastest "
                        "RT within %.1f points (%s) takes %.2f µs per sample, the MLP %.2f µs: "
                        "%.2f× its time.",
                        p[reach].size, ACC_SLACK, p[t].size, p[t].us, p[reach].us,
                        p[t].us / p[reach].us);
                if (nreach > 1)
                    fprintf(f, " Over the %d MLP sizes that RT reaches: %.2f–%.2f× (RT %s).",
                            nreach, tlo, thi,
                            thi < 1   ? "faster against every one"
                            : tlo < 1 ? "faster against some"
                                      : "slower against every one");
                fprintf(f, "\n\n");
            }
        }
    }
}

/* ---------------------------------------------------------------- merge */

static int run_merge(const Opts *o) {
    RtErr e = {{0}};
    if (o->npos < 1) return fail(EXIT_USAGE, "--merge needs at least one report directory");
    if (o->npos > MAX_MERGE) return fail(EXIT_USAGE, "--merge takes at most 16 directories");
    if (!o->out) return fail(EXIT_USAGE, "--out DIR is required (see --help)");
    ReportRow *rows = calloc(MAX_ROWS, sizeof *rows);
    Point *pts = calloc(MAX_ROWS, sizeof *pts);
    int n = 0, rc = 0;
    char path[4200], legend[1024];
    if (!rows || !pts) {
        rc = fail(EXIT_RUNTIME, "out of memory");
        goto done;
    }
    for (int i = 0; i < o->npos; i++)
        if (csv_read(o->pos[i], rows, &n, &e)) {
            rc = fail(EXIT_RUNTIME, e.msg);
            goto done;
        }
    if (ensure_dir(o->out, &e)) {
        rc = fail(EXIT_RUNTIME, e.msg);
        goto done;
    }
    int np = group_points(rows, n, pts);
    Text t;
    join(path, sizeof path, o->out, "figure2.csv");
    if (text_open(&t, &e) || (csv_rows(t.f, rows, n), text_write(&t, path, &e))) {
        rc = fail(EXIT_RUNTIME, e.msg);
        goto done;
    }
    join(path, sizeof path, o->out, "figure2.png");
    if (figure2(pts, np, 0, path, 0, legend, sizeof legend, &e)) {
        rc = fail(EXIT_RUNTIME, e.msg);
        goto done;
    }
    join(path, sizeof path, o->out, "figure2-time.png");
    if (figure2(pts, np, 1, path, 0, legend, sizeof legend, &e)) {
        rc = fail(EXIT_RUNTIME, e.msg);
        goto done;
    }
    join(path, sizeof path, o->out, "results.md");
    if (text_open(&t, &e) || (md_figure2(t.f, pts, np), text_write(&t, path, &e))) {
        rc = fail(EXIT_RUNTIME, e.msg);
        goto done;
    }
    printf("merged %d rows from %d report%s into %s: figure2.csv, figure2.png, figure2-time.png, "
           "results.md\nlegend: %s\n",
           n, o->npos, o->npos == 1 ? "" : "s", o->out, legend);
done:
    free(rows);
    free(pts);
    return rc;
}

/* --------------------------------------------------------------- training */

typedef struct {
    double t0;         /* start of the whole report */
    double work_total; /* work units (samples x parameters) of all runs */
    double work_done;  /* of the finished epochs */
    double last;       /* last progress draw */
    int tty;
} Progress;

static void fmt_time(double s, char *buf, size_t n) {
    if (!isfinite(s) || s < 0) {
        snprintf(buf, n, "--");
        return;
    }
    long t = (long)(s + 0.5);
    if (t >= 3600)
        snprintf(buf, n, "%ldh%02ldm", t / 3600, t / 60 % 60);
    else if (t >= 60)
        snprintf(buf, n, "%ldm%02lds", t / 60, t % 60);
    else
        snprintf(buf, n, "%lds", t);
}

/* One progress report: on a terminal one updating line, else a plain line
 * (called by the caller only at epoch ends then). */
static void progress(Progress *pg, double work_now, int run, int nruns, const char *what, int epoch,
                     int epochs) {
    double now = rt_now(), el = now - pg->t0;
    double frac = pg->work_total > 0 ? fmin(1.0, work_now / pg->work_total) : 0.0;
    double eta = frac > 0.002 ? el * (1.0 - frac) / frac : NAN;
    char bar[31], se[48], sr[48];
    int fill = (int)(frac * 30.0 + 0.5);
    for (int i = 0; i < 30; i++)
        bar[i] = i < fill ? '#' : '.';
    bar[30] = 0;
    fmt_time(el, se, sizeof se);
    fmt_time(eta, sr, sizeof sr);
    if (pg->tty) {
        /* one line that updates in place: never wider than the terminal */
        char line[256];
        struct winsize ws;
        int cols = ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0 ? ws.ws_col : 80;
        snprintf(line, sizeof line, "[%s] %3.0f%%  run %d/%d %s  epoch %d/%d  %s elapsed  ETA %s",
                 bar, 100.0 * frac, run, nruns, what, epoch, epochs, se, sr);
        if (cols - 1 < (int)sizeof line && cols > 1) line[cols - 1] = 0;
        fprintf(stderr, "\r\033[K%s", line);
    } else
        fprintf(stderr, "report: [%s] %3.0f%%  run %d/%d %s  epoch %d/%d  %s elapsed  ETA %s\n",
                bar, 100.0 * frac, run, nruns, what, epoch, epochs, se, sr);
    fflush(stderr);
    pg->last = now;
}

/* Train one network for `epochs` epochs as `rtviz train` does. */
static int train_one(Run *r, const Dataset *ds, const TrainConfig *tc0, int epochs, Progress *pg,
                     int run, int nruns, RtErr *e) {
    TrainConfig tc = *tc0;
    Trainer *t = trainer_new(&r->m, ds, &tc, NULL, e);
    if (!t) return -1;
    const ViewState *v = trainer_view(t);
    double lr0 = v->lr, t0 = rt_now();
    double unit = (double)ds->train.n * (double)r->m.n, base = pg->work_done;
    char what[64];
    snprintf(what, sizeof what, "%s %s seed %d", !strcmp(r->row.model, "rt") ? "RT" : "MLP",
             r->row.size, r->row.seed);
    int nan = 0, rc = 0;
    for (int ep = 1; ep <= epochs && !rc; ep++) {
        int start = v->epoch;
        while (v->epoch == start) {
            double done = ((double)(ep - 1) + v->epoch_frac) / epochs;
            trainer_set_lr(
                t, (float)(lr0 * (LR_FINAL + (1.0 - LR_FINAL) * 0.5 * (1.0 + cos(M_PI * done)))));
            int s = trainer_step(t, 1, e);
            if (s < 0) {
                rc = -1;
                break;
            }
            if (s == 1) {
                lr0 *= 0.5;
                if (++nan >= NAN_GIVE_UP) {
                    rc = rt_err(e, "%s: training diverged (NaN/Inf %d times); try a smaller --lr",
                                what, nan);
                    break;
                }
            }
            if (pg->tty && rt_now() - pg->last > 0.2)
                progress(pg, base + unit * ((ep - 1) + v->epoch_frac), run, nruns, what, ep,
                         epochs);
        }
        pg->work_done = base + unit * ep;
        if (!rc && !pg->tty) progress(pg, pg->work_done, run, nruns, what, ep, epochs);
    }
    r->train_s = rt_now() - t0;
    trainer_free(t);
    return rc;
}

static double median(double *v, int n) {
    for (int i = 1; i < n; i++)
        for (int j = i; j > 0 && v[j] < v[j - 1]; j--) {
            double t = v[j];
            v[j] = v[j - 1];
            v[j - 1] = t;
        }
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

/* Seconds of one inference pass over Xt (n x D): the θ sweep of an RT net,
 * the forward of an MLP; batches of INFER_BATCH on the pool. */
static int time_pass(const Model *m, const float *Xt, int n, float tau, double *sec, RtErr *e) {
    int bs = RT_MIN(INFER_BATCH, n), D = m->cfg.D;
    if (m->cfg.arch == ARCH_RT) {
        RtWork *w = rt_work_new(m, bs, e);
        RtSweepOut *so = w ? rt_calloc((size_t)bs, sizeof *so, "timing sweep", e) : NULL;
        if (!so) {
            rt_work_free(w);
            return -1;
        }
        double t0 = rt_now();
        for (int o = 0; o < n; o += bs)
            rt_sweep(m, w, Xt + (size_t)o * (size_t)D, RT_MIN(bs, n - o), tau, 0.0f, so, NULL);
        *sec = rt_now() - t0;
        free(so);
        rt_work_free(w);
    } else {
        MlpWork *w = mlp_work_new(m, bs, e);
        float *P =
            w ? rt_calloc((size_t)bs * (size_t)m->cfg.C, sizeof *P, "timing probs", e) : NULL;
        if (!P) {
            mlp_work_free(w);
            return -1;
        }
        double t0 = rt_now();
        for (int o = 0; o < n; o += bs)
            mlp_forward(m, w, Xt + (size_t)o * (size_t)D, RT_MIN(bs, n - o), P);
        *sec = rt_now() - t0;
        free(P);
        mlp_work_free(w);
    }
    return 0;
}

/* The fewest parameters an RT sample can use: the router and, for a ray to
 * reach the output, one block in every layer. */
static long rt_floor(const Model *m) {
    long n = (long)m->router_n;
    for (int l = 0; l < m->cfg.L; l++)
        n += (long)m->blk[l * m->cfg.B].n;
    return n;
}

static cJSON *json_run(const Run *r) {
    cJSON *j = cJSON_CreateObject();
    if (!j) return NULL;
    const EvalReport *x = &r->er;
    int ok = cJSON_AddStringToObject(j, "model_file", r->row.file) &&
             cJSON_AddStringToObject(j, "arch", r->row.model) &&
             cJSON_AddStringToObject(j, "size", r->row.size) &&
             json_add_int(j, "seed", r->row.seed) && json_add_int(j, "n", x->n) &&
             json_add_real(j, "tau", r->m.cfg.tau, "%.6g") &&
             json_add_int(j, "params_total", x->params_total) &&
             json_add_real(j, "accuracy", x->accuracy, "%.6g") &&
             json_add_real(j, "accuracy_theta0", x->accuracy_theta0, "%.6g") &&
             json_add_real(j, "activation_mean", x->activation_mean, "%.6g") &&
             json_add_real(j, "activation_median", x->activation_median, "%.6g") &&
             json_add_real(j, "blocks_mean", x->blocks_mean, "%.6g") &&
             json_add_real(j, "params_used_mean", x->params_used_mean, "%.6g") &&
             json_add_real(j, "spearman_activation_loss", x->spearman_activation_loss, "%.6g") &&
             json_add_real(j, "error_easiest_tenth", x->error_easiest_tenth, "%.6g") &&
             json_add_real(j, "error_hardest_tenth", x->error_hardest_tenth, "%.6g") &&
             json_add_int(j, "unreached", x->unreached) &&
             json_add_real(j, "us_per_sample", r->row.us, "%.4f") &&
             json_add_real(j, "train_seconds", r->train_s, "%.2f") &&
             json_add_real(j, "params_used_min", r->used_min, "%.0f");
    if (ok && r->m.cfg.arch == ARCH_RT)
        ok = json_add_int(j, "params_floor", rt_floor(&r->m)) != NULL;
    if (!ok) {
        cJSON_Delete(j);
        return NULL;
    }
    return j;
}

/* The eval figures of every RT model and the Spearman / tenth targets. */
static void md_eval(FILE *f, const Run *runs, int n, const char *title) {
    fprintf(f, "#### %s: eval figures of every RayTracing model (`rtviz eval`)\n\n", title);
    fprintf(f, "| model | seed | acc %% | acc at θ=0 %% | activation mean / median %% | "
               "Spearman(act, loss) | error easiest / hardest tenth %% | hardest ÷ easiest | "
               "unreached |\n|---|---|---|---|---|---|---|---|---|\n");
    int met = 0, nrt = 0;
    for (int i = 0; i < n; i++) {
        const EvalReport *x = &runs[i].er;
        if (strcmp(runs[i].row.model, "rt")) continue;
        nrt++;
        double lo = x->error_easiest_tenth, hi = x->error_hardest_tenth;
        double ratio = lo > 0 ? hi / lo : hi > 0 ? INFINITY : NAN;
        int ok = x->spearman_activation_loss >= 0.5 && ratio >= 5.0; /* false for NaN */
        met += ok;
        char rs[32], sp[32];
        if (isfinite(ratio))
            snprintf(rs, sizeof rs, "%.1f×", ratio);
        else
            snprintf(rs, sizeof rs, isnan(ratio) ? "– (both 0)" : "∞ (easiest 0)");
        if (isfinite(x->spearman_activation_loss))
            snprintf(sp, sizeof sp, "%.3f", x->spearman_activation_loss);
        else
            snprintf(sp, sizeof sp, "n/a (constant)");
        fprintf(f, "| RT %s | %d | %.2f | %.2f | %.1f / %.1f | %s | %.2f / %.2f | %s | %ld |\n",
                runs[i].row.size, runs[i].row.seed, x->accuracy, x->accuracy_theta0,
                x->activation_mean, x->activation_median, sp, x->error_easiest_tenth,
                x->error_hardest_tenth, rs, x->unreached);
    }
    fprintf(f,
            "\n**Spearman ≥ 0.5 and hardest tenth's error ≥ 5× the easiest's (%s):** %s: both "
            "hold for %d of %d RT models.\n\n",
            title,
            met == nrt && nrt ? "**met**"
            : met             ? "**met in part**"
                              : "**missed**",
            met, nrt);
}

/* What half an MLP's parameters leaves: each RT size's floor, the fewest
 * any test image used, and per MLP the dense net that fits in its half and
 * how much RT must beat it by. */
static void md_floor(FILE *f, const Run *runs, int n, const Point *p, int np, const char *title) {
    fprintf(f,
            "#### %s: what half the MLP's parameters leaves\n\n"
            "Every image pays for the router (B × D + B parameters) and, for any ray to reach the "
            "output, at least one block in every layer; a layer-1 block alone holds H × D + H + "
            "B × H + B. Their sum is the floor below: no image can use fewer.\n\n"
            "| RT | params | router | a layer-1 block | floor: router + one block per layer | "
            "fewest used by a test image | mean used |\n|---|---|---|---|---|---|---|\n",
            title);
    for (int k = 0; k < np; k++) {
        if (strcmp(p[k].model, "rt")) continue;
        const Run *r = NULL;
        double umin = INFINITY;
        for (int i = 0; i < n; i++)
            if (!strcmp(runs[i].row.model, "rt") && !strcmp(runs[i].row.size, p[k].size)) {
                if (!r) r = &runs[i];
                umin = fmin(umin, runs[i].used_min);
            }
        if (!r) continue;
        char a[32], b[32], c[32], d[32], u[32], t[32];
        fmt_k((double)r->m.n, a, sizeof a);
        fmt_k((double)r->m.router_n, b, sizeof b);
        fmt_k((double)r->m.blk[0].n, c, sizeof c);
        fmt_k((double)rt_floor(&r->m), d, sizeof d);
        fmt_k(umin, u, sizeof u);
        fmt_k(p[k].used, t, sizeof t);
        fprintf(f, "| %s (L%d B%d) | %s | %s | %s | %s | %s | %s |\n", p[k].size, r->m.cfg.L,
                r->m.cfg.B, a, b, c, d, u, t);
    }
    fprintf(f, "\n| MLP | acc %% | half its params | RT sizes whose floor fits in it | largest MLP "
               "within it | its acc %% | points RT must gain over that MLP |\n"
               "|---|---|---|---|---|---|---|\n");
    for (int k = 0; k < np; k++) {
        if (strcmp(p[k].model, "mlp")) continue;
        double half = 0.5 * (double)p[k].params;
        char h[32], fits[256] = "";
        fmt_k(half, h, sizeof h);
        for (int q = 0; q < np; q++) {
            if (strcmp(p[q].model, "rt")) continue;
            for (int i = 0; i < n; i++)
                if (!strcmp(runs[i].row.model, "rt") && !strcmp(runs[i].row.size, p[q].size)) {
                    if ((double)rt_floor(&runs[i].m) <= half) {
                        size_t l = strlen(fits);
                        snprintf(fits + l, sizeof fits - l, "%s%s", l ? ", " : "", p[q].size);
                    }
                    break;
                }
        }
        int dn = -1;
        for (int q = 0; q < np; q++)
            if (!strcmp(p[q].model, "mlp") && (double)p[q].params <= half &&
                (dn < 0 || p[q].params > p[dn].params))
                dn = q;
        fprintf(f, "| %s | %.2f | %s | %s |", p[k].size, p[k].acc, h, *fits ? fits : "none");
        if (dn >= 0)
            fprintf(f, " %s | %.2f | %.2f |\n", p[dn].size, p[dn].acc,
                    p[k].acc - ACC_SLACK - p[dn].acc);
        else
            fprintf(f, " none in this run | – | – |\n");
    }
    fprintf(f,
            "\nThe last column restates the target: an RT network within %.1f points of the "
            "MLP while using at most half its parameters must be that many points more "
            "accurate than the largest MLP of this run that fits in the same half.\n\n",
            ACC_SLACK);
}

/* Training time and throughput of every network (a shared machine is slower). */
static void md_train(FILE *f, const Run *runs, int n, int epochs, int ntrain, const char *title) {
    fprintf(f,
            "#### %s: training time (%d epochs of %d images each)\n\n| network | seed | params | "
            "seconds | samples/s |\n|---|---|---|---|---|\n",
            title, epochs, ntrain);
    for (int i = 0; i < n; i++) {
        double sps = runs[i].train_s > 0 ? (double)epochs * ntrain / runs[i].train_s : 0.0;
        fprintf(f, "| %s %s | %d | %ld | %.1f | %.0f |\n",
                !strcmp(runs[i].row.model, "rt") ? "RT" : "MLP", runs[i].row.size, runs[i].row.seed,
                runs[i].row.params, runs[i].train_s, sps);
    }
    fputc('\n', f);
}

int cmd_report(int argc, char **argv) {
    Opts o;
    RtErr e = {{0}};
    opts_default(&o);
    if (opts_parse(&o, argc, argv, ALLOWED, MAX_MERGE + 1, &e)) return fail(EXIT_USAGE, e.msg);
    int rc = 0;
    if (o.help) {
        usage(stdout);
        goto out;
    }
    if (o.version) {
        printf("rtviz %s\n", RTVIZ_VERSION);
        goto out;
    }
    if (o.merge) {
        if (o.given & ~MERGE_ALLOWED) {
            rc = fail(EXIT_USAGE, "--merge takes report directories and --out only");
            goto out;
        }
        rc = run_merge(&o);
        goto out;
    }
    if (o.npos) {
        rc = fail(EXIT_USAGE, "unexpected argument (report directories go after --merge)");
        goto out;
    }
    if (!o.out) {
        rc = fail(EXIT_USAGE, "--out DIR is required (see --help)");
        goto out;
    }
    const char *dsname = o.dataset ? o.dataset : "fashionmnist";
    Dataset ds;
    memset(&ds, 0, sizeof ds);
    const int nruns = (N_RT + N_MLP) * o.seeds;
    Run *runs = calloc((size_t)nruns, sizeof *runs);
    char path[4200], mdir[4200], legend[1024];
    float *Xt = NULL;
    if (!runs) {
        rc = fail(EXIT_RUNTIME, "out of memory");
        goto out;
    }
    join(mdir, sizeof mdir, o.out, "models");
    if (dataset_load(dsname, &ds, &e) || ensure_dir(o.out, &e) || ensure_dir(mdir, &e)) {
        rc = fail(EXIT_RUNTIME, e.msg);
        goto done;
    }
    if (pool_init(o.tc.threads) != 0) {
        rc = fail(EXIT_RUNTIME, "cannot start worker threads");
        goto done;
    }
    blas_init();
    char dname[32];
    snprintf(dname, sizeof dname, "%s", ds.name);
    clean(dname);

    /* the runs: RT sizes, then MLP sizes, each over the seeds */
    Progress pg = {.t0 = rt_now(), .tty = isatty(STDERR_FILENO)};
    for (int i = 0; i < nruns; i++) {
        Run *r = &runs[i];
        int k = i / o.seeds, seed = 1 + i % o.seeds, is_rt = k < N_RT;
        ModelConfig mc;
        model_config_default(&mc, is_rt ? ARCH_RT : ARCH_MLP, ds.train.ch, ds.train.h, ds.train.w,
                             ds.classes);
        if (o.given & OPTBIT(OPT_TAU)) mc.tau = o.tau;
        if (is_rt)
            mc.H = RT_WIDTHS[k];
        else {
            mc.nhidden = 2;
            mc.hidden[0] = mc.hidden[1] = MLP_WIDTHS[k - N_RT];
        }
        if (model_config_check(&mc, &e) || model_init(&r->m, &mc, (uint64_t)seed, &e)) {
            rc = fail(EXIT_RUNTIME, e.msg);
            goto done;
        }
        snprintf(r->row.dataset, sizeof r->row.dataset, "%s", dname);
        snprintf(r->row.model, sizeof r->row.model, "%s", is_rt ? "rt" : "mlp");
        if (is_rt)
            snprintf(r->row.size, sizeof r->row.size, "H%d", mc.H);
        else
            snprintf(r->row.size, sizeof r->row.size, "%d-%d", mc.hidden[0], mc.hidden[1]);
        r->row.seed = seed;
        r->row.params = (long)r->m.n;
        snprintf(r->row.file, sizeof r->row.file, "models/%s-%s-s%d.ckpt", r->row.model,
                 r->row.size, seed);
        r->blocks_total = is_rt ? mc.L * mc.B : 0;
        pg.work_total += (double)o.epochs * ds.train.n * (double)r->m.n;
    }
    for (int i = 0; i < nruns; i++) {
        Run *r = &runs[i];
        TrainConfig tc = o.tc;
        tc.seed = (uint64_t)r->row.seed;
        if (train_one(r, &ds, &tc, o.epochs, &pg, i + 1, nruns, &e)) {
            if (pg.tty) fputc('\n', stderr);
            rc = fail(EXIT_RUNTIME, e.msg);
            goto done;
        }
        CkptMeta meta = {.seed = (uint64_t)r->row.seed, .epoch = (uint32_t)o.epochs};
        snprintf(meta.dataset, sizeof meta.dataset, "%s", ds.name);
        join(path, sizeof path, o.out, r->row.file);
        if (ckpt_save(path, &r->m, NULL, &meta, &e) ||
            eval_model(&r->m, &ds.test, r->m.cfg.tau, 0.0f, o.limit, &r->er, &e)) {
            if (pg.tty) fputc('\n', stderr);
            rc = fail(EXIT_RUNTIME, e.msg);
            goto done;
        }
        /* keep the summary figures, drop the per-sample arrays */
        float amin = 100.0f;
        for (int s = 0; s < r->er.n; s++)
            amin = fminf(amin, r->er.act[s]);
        r->used_min = r->er.n ? (double)amin * (double)r->er.params_total / 100.0 : 0.0;
        EvalReport keep = r->er;
        keep.act = NULL;
        keep.active = NULL;
        keep.pred = NULL;
        keep.loss0 = NULL;
        eval_free(&r->er);
        r->er = keep;
        r->row.acc = r->er.accuracy;
        r->row.acc0 = r->er.accuracy_theta0;
        r->row.used = r->er.params_used_mean;
        r->row.act = r->er.activation_mean;
    }
    if (pg.tty) fprintf(stderr, "\r\033[K");
    fprintf(stderr, "report: trained %d networks in %.0f s; timing inference\n", nruns,
            rt_now() - pg.t0);

    /* inference time of every model, round-robin so that load on a shared
     * machine spreads over all of them alike */
    int nt = o.limit > 0 && o.limit < ds.test.n ? o.limit : ds.test.n;
    Xt = rt_calloc((size_t)nt * (size_t)ds.test.d, sizeof *Xt, "test set", &e);
    double *tv = Xt ? rt_calloc((size_t)nruns * TIME_REPS, sizeof *tv, "timings", &e) : NULL;
    if (!tv) {
        rc = fail(EXIT_RUNTIME, e.msg);
        goto done;
    }
    data_batch_float(&ds.test, NULL, nt, Xt);
    for (int rep = 0; rep < TIME_REPS && !rc; rep++)
        for (int i = 0; i < nruns; i++)
            if (time_pass(&runs[i].m, Xt, nt, runs[i].m.cfg.tau, &tv[i * TIME_REPS + rep], &e)) {
                rc = fail(EXIT_RUNTIME, e.msg);
                break;
            }
    for (int i = 0; i < nruns && !rc; i++)
        runs[i].row.us = median(&tv[i * TIME_REPS], TIME_REPS) * 1e6 / nt;
    free(tv);
    if (rc) goto done;

    /* figure2.csv, the two charts */
    ReportRow *rows = calloc((size_t)nruns, sizeof *rows);
    Point *pts = calloc((size_t)nruns, sizeof *pts);
    if (!rows || !pts) {
        free(rows);
        free(pts);
        rc = fail(EXIT_RUNTIME, "out of memory");
        goto done;
    }
    for (int i = 0; i < nruns; i++)
        rows[i] = runs[i].row;
    int np = group_points(rows, nruns, pts);
    Text t;
    int bad = 0;
    join(path, sizeof path, o.out, "figure2.csv");
    bad = text_open(&t, &e) || (csv_rows(t.f, rows, nruns), text_write(&t, path, &e));
    join(path, sizeof path, o.out, "figure2.png");
    bad = bad || figure2(pts, np, 0, path, o.epochs, legend, sizeof legend, &e);
    join(path, sizeof path, o.out, "figure2-time.png");
    bad = bad || figure2(pts, np, 1, path, o.epochs, legend, sizeof legend, &e);

    /* Figure 3: the default-width RT net, seed 1 */
    int gi = -1;
    for (int i = 0; i < nruns; i++)
        if (!strcmp(runs[i].row.model, "rt") && runs[i].row.seed == 1 &&
            (gi < 0 || abs(runs[i].m.cfg.H - GALLERY_H) < abs(runs[gi].m.cfg.H - GALLERY_H)))
            gi = i;
    int gw = 0, gh = 0;
    join(path, sizeof path, o.out, "figure3.png");
    bad = bad || gallery_figure(&runs[gi].m, runs[gi].row.file, &ds, o.limit, runs[gi].m.cfg.tau,
                                path, &gw, &gh, &e);

    /* summary.json */
    cJSON *root = bad ? NULL : cJSON_CreateObject();
    if (root) {
        cJSON *arr = NULL;
        int ok = cJSON_AddStringToObject(root, "dataset", ds.name) &&
                 cJSON_AddStringToObject(root, "title", report_dataset_title(ds.name)) &&
                 json_add_int(root, "train_n", ds.train.n) && json_add_int(root, "test_n", nt) &&
                 json_add_int(root, "epochs", o.epochs) && json_add_int(root, "seeds", o.seeds) &&
                 cJSON_AddStringToObject(root, "figure3_model", runs[gi].row.file) &&
                 json_add_real(root, "seconds", rt_now() - pg.t0, "%.1f") &&
                 (arr = cJSON_AddArrayToObject(root, "models"));
        for (int i = 0; i < nruns && ok; i++) {
            cJSON *j = json_run(&runs[i]);
            if (!j || !cJSON_AddItemToArray(arr, j)) {
                cJSON_Delete(j);
                ok = 0;
            }
        }
        size_t jl = 0;
        char *js = ok ? json_render(root, JSON_PRETTY, &jl, &e) : NULL;
        cJSON_Delete(root);
        join(path, sizeof path, o.out, "summary.json");
        if (!js)
            bad = ok ? -1 : rt_err(&e, "%s: out of memory", path);
        else {
            bad = aw_write_file(path, js, jl, &e) != 0;
            free(js);
        }
    } else if (!bad)
        bad = rt_err(&e, "summary.json: out of memory");

    /* results.md: the tables of docs/RESULTS.md for this dataset */
    if (!bad) {
        join(path, sizeof path, o.out, "results.md");
        bad = text_open(&t, &e);
        if (!bad) {
            const char *title = report_dataset_title(ds.name);
            fprintf(t.f,
                    "### %s\n\n`rtviz report --dataset %s --out DIR --epochs %d --seeds %d%s`: "
                    "%d train / %d test images, %d networks trained in %.0f s.\n\n",
                    title, dsname, o.epochs, o.seeds, o.limit ? " --limit N" : "", ds.train.n, nt,
                    nruns, rt_now() - pg.t0);
            md_figure2(t.f, pts, np);
            md_floor(t.f, runs, nruns, pts, np, title);
            md_eval(t.f, runs, nruns, title);
            md_train(t.f, runs, nruns, o.epochs, ds.train.n, title);
            bad = text_write(&t, path, &e);
        }
    }
    free(rows);
    free(pts);
    if (bad) {
        rc = fail(EXIT_RUNTIME, e.msg);
        goto done;
    }
    printf("report %s: %d networks, %d epochs, %d seed%s, %.0f s\n", ds.name, nruns, o.epochs,
           o.seeds, o.seeds == 1 ? "" : "s", rt_now() - pg.t0);
    printf("wrote %s/: figure2.csv, figure2.png (1100x700), figure2-time.png (1100x700), "
           "figure3.png (%dx%d), summary.json, results.md, models/\nlegend: %s\n",
           o.out, gw, gh, legend);
done:
    for (int i = 0; runs && i < nruns; i++)
        model_free(&runs[i].m);
    free(runs);
    free(Xt);
    dataset_free(&ds);
out:
    opts_free(&o);
    return rc;
}
