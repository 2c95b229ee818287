/* report.h — what `rtviz gallery` and `rtviz report` share: sweeping a test
 * split per sample, choosing the easiest and hardest images, and drawing the
 * paper's Figure 3. */
#ifndef RTVIZ_REPORT_H
#define RTVIZ_REPORT_H

#include "dataset.h"
#include "model.h"
#include "plot.h"
#include "rtnet.h"

#define GALLERY_N 12 /* images in each half of Figure 3 */

typedef struct {
    int index;  /* test-set index */
    float act;  /* activation % at the stop */
    int active; /* active blocks at the stop */
    int stop;   /* step of the θ sweep where it stopped */
    float conf; /* max p at the stop (0 when unreached) */
    int pred;   /* prediction, -1 unreached */
    int label;  /* true class */
} GalleryPick;

/* θ sweep (rt_sweep, floor 0) of the first n samples of s into out[n]
 * (n = limit, or the whole split when limit is 0 or larger). *seconds, when
 * not NULL, gets the time of the sweeps alone (no data conversion). The pool
 * and BLAS must be initialised. Returns 0 or -1. */
int gallery_sweep(const Model *m, const DataSplit *s, int n, float tau, RtSweepOut *out,
                  double *seconds, RtErr *e);

/* The k (<= n) easiest and hardest of n swept samples. Easiest: least
 * activation %, ties broken by the earlier stop step, then by the higher
 * confidence at the stop, then by the lower index. Hardest: the reverse
 * order of the first three keys, then the lower index. */
void gallery_select(const RtSweepOut *so, const uint8_t *labels, int n, int k, GalleryPick *easy,
                    GalleryPick *hard);

/* Figure 3 of model m (named model_name in the caption) on ds's test split
 * (its first `limit` images, 0 = all) at stop confidence tau: sweeps, selects
 * and writes a PNG to out. *width / *height get its size. */
int gallery_figure(const Model *m, const char *model_name, const Dataset *ds, int limit, float tau,
                   const char *out, int *width, int *height, RtErr *e);

/* One row of figure2.csv: one trained network of a report. */
typedef struct {
    char dataset[32]; /* registry name */
    char model[8];    /* "rt" or "mlp" */
    char size[32];    /* "H48" or "256-256" */
    int seed;
    double acc, acc0, used, act, us; /* test %, θ=0 %, mean used params, mean act %, µs/sample */
    long params;                     /* total parameters */
    char file[160];                  /* the checkpoint, relative to the report dir */
} ReportRow;

/* Parse a figure2.csv held in text[0..len) (text has room for one more byte
 * and is modified) into rows[*n..], at most max rows in all; path names it in
 * messages. Checks the header, 11 fields a row, numbers, ranges, lengths.
 * Returns 0, or -1 with one line "path:line: what is wrong". */
int report_csv_parse(char *text, size_t len, const char *path, ReportRow *rows, int max, int *n,
                     RtErr *e);

/* "Fashion-MNIST" for a registered dataset name, else the name itself. */
const char *report_dataset_title(const char *name);

#endif
