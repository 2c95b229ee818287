/* eval.h — whole-split evaluation (`rtviz eval`, reports, the gallery). */
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
