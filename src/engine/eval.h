/* eval.h — the one evaluator: `rtviz eval`, `rtviz train`'s epoch lines,
 * the UI's test accuracy, gallery and confusion matrix (in budgeted slices)
 * and reports all evaluate through it, so they compute the same numbers.
 *
 * An Evaluator walks a split in slices of its own size with the weights the
 * model has at each slice; after the last slice of a pass its per-sample
 * results (activation %, active blocks, prediction, optionally the loss of
 * the full network at θ = 0) are complete, and the summaries below read
 * them. eval_model is the whole pass in one call. */
#ifndef RTVIZ_EVAL_H
#define RTVIZ_EVAL_H

#include <stdint.h>

#include "common.h"
#include "dataset.h"
#include "model.h"

typedef struct {
    int n;                  /* samples evaluated */
    double accuracy;        /* % correct at the sweep's stop (unreached = wrong) */
    double accuracy_theta0; /* % correct of the full network (θ = 0) */
    double activation_mean; /* mean activation % */
    double activation_median;
    double blocks_mean; /* mean active blocks */
    long params_total;
    double params_used_mean;
    double spearman_activation_loss; /* Spearman(activation %, loss at θ = 0) */
    double error_easiest_tenth;      /* error % of the tenth with least activation */
    double error_hardest_tenth;      /* error % of the tenth with most activation */
    long unreached;
    /* per sample (n each), owned: free with eval_free */
    float *act;   /* activation % */
    int *active;  /* active blocks */
    int *pred;    /* prediction at the stop, -1 unreached */
    float *loss0; /* -log(p_y + eps) at θ = 0 */
} EvalReport;

typedef struct Evaluator Evaluator;

enum { EV_THETA0 = 1 }; /* evaluator_new flag: also the full network's prediction and loss */

/* An evaluator for split s (borrowed, as is m: both must outlive it), in
 * slices of `slice` samples, over the first `limit` samples (0 = all).
 * NULL with e filled when the data do not fit the model or memory is short. */
Evaluator *evaluator_new(const Model *m, const DataSplit *s, int slice, int limit, unsigned flags,
                         RtErr *e);
void evaluator_free(Evaluator *ev);
/* Evaluate the next slice with the model's current weights at τ and floor.
 * Returns 1 when that slice completed a pass (results ready), else 0. */
int evaluator_slice(Evaluator *ev, float tau, float floor);
/* Samples of the running pass evaluated so far, and in a pass. */
int evaluator_progress(const Evaluator *ev, int *total);
/* Results of the last completed pass, per sample (n of them). */
typedef struct {
    int n;              /* samples */
    const float *act;   /* activation % at the stop */
    const int *active;  /* active blocks */
    const int *pred;    /* prediction at the stop, -1 unreached */
    const int *pred0;   /* EV_THETA0: prediction of the full network, else NULL */
    const float *loss0; /* EV_THETA0: -log(p_y + eps) at θ = 0, else NULL */
    const uint8_t *y;   /* true labels */
    const double *used; /* parameters used at the stop (NULL: act ranks instead) */
    const int *stop;    /* the step of the effective schedule the sweep stopped at (MLP 0) */
    const float *conf;  /* the confidence max p at the stop (0 unreached) */
    long params_total;  /* parameters in all */
    double used_sum;    /* parameters used, summed over the samples */
} EvalPass;
void evaluator_pass(const Evaluator *ev, EvalPass *p);
/* The summary statistics of a completed pass into r (per-sample arrays
 * copied: free with eval_free). */
int eval_summarize(const EvalPass *p, EvalReport *r, RtErr *e);
/* Confusion matrix [true][pred] (unreached not counted), mean activation %
 * per true class, accuracy % and mean activation % of a completed pass. */
void eval_confusion(const EvalPass *p, int C, int conf[RT_MAX_C][RT_MAX_C],
                    float class_act[RT_MAX_C], double *acc, double *act_mean);
/* The gallery's ranking, for the UI and `rtviz gallery` alike: the k
 * hardest samples into hard[] — the most parameters used at the stop, then
 * the later stop step, then the lower confidence at the stop, then the
 * lower index — and the k easiest into easy[]: the fewest used, the earliest
 * stop, the highest confidence, then the lower index. A key array that is
 * NULL in p counts as equal (used falls back to act). order is unused
 * (kept for callers that pass n ints of scratch; may be NULL). Returns k
 * (at most n). O(n k). */
int eval_rank(const EvalPass *p, int k, int *easy, int *hard, int *order);

/* limit = 0 evaluates the whole split. For an MLP, activation is 100%. */
int eval_model(const Model *m, const DataSplit *s, float tau, float floor, int limit, EvalReport *r,
               RtErr *e);
void eval_free(EvalReport *r);

/* Spearman rank correlation of two arrays (ties get mean ranks). */
double spearman(const float *a, const float *b, int n);

/* Error % of the tenth (max(1, n/10) samples) with the least (hardest = 0) or
 * most (hardest = 1) activation; err[i] is 1 for a wrong answer. The tie group
 * straddling the cut counts with its mean error rate. NaN when n < 1. */
double eval_tenth_error(const float *act, const uint8_t *err, int n, int hardest);

#endif
