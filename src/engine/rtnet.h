/* rtnet.h — the RayTracing network: forward at θ, the θ sweep, backward
 * through the active blocks, and a one-sample trace for the view-state.
 * docs/DESIGN.md §1 is the model; this is its batched implementation.
 *
 * Conventions: X is (N, D) row-major floats in [0,1]. Blocks are indexed
 * l*B + i. The effective schedule for a θ floor f is the model's schedule
 * cut to the steps θ_t > f, followed by f itself (so with f = 0 it is the
 * schedule unchanged): the sweep never goes below the floor. */
#ifndef RTVIZ_RTNET_H
#define RTVIZ_RTNET_H

#include <stdint.h>

#include "dataset.h"
#include "model.h"
#include "optim.h"

#define RT_EPS 1e-9f /* loss = -log(p_y + RT_EPS) */

/* Workspace for batches of up to maxN samples (activations kept for backward,
 * sweep caches). One per thread of use; not shared between concurrent calls. */
typedef struct RtWork RtWork;
RtWork *rt_work_new(const Model *m, int maxN, RtErr *e);
void rt_work_free(RtWork *w);

/* Effective schedule for floor (see above) into out[SCHED_MAX]; returns its length. */
int rt_schedule(const ModelConfig *c, float floor, float *out);

/* Parameters of one block, and of the whole net. */
long rt_params_total(const Model *m);

/* Per-sample result of a sweep. */
typedef struct {
    int stop;      /* index into the effective schedule where the sweep stopped */
    float theta;   /* θ at the stop */
    int reached;   /* 1 if M > 0 at the stop (0 = unreached: only possible with a floor) */
    int pred;      /* argmax p at the stop, -1 if unreached */
    float conf;    /* max p at the stop (0 if unreached) */
    float mass;    /* output mass M at the stop */
    int active;    /* active blocks at the stop */
    long used;     /* parameters used: router + active blocks */
    float act_pct; /* 100 * used / total */
    long macs;     /* multiply-adds the sweep performed for it, every step (rt_full_macs: all
                      blocks once) */
} RtSweepOut;

/* Multiply-adds of one sample's forward with every block active (θ = 0):
 * router, every block's two products and the weighted means. */
long rt_full_macs(const Model *m);

/* θ sweep of a batch. out[N]; probs (N x C) gets p at the stop (zeros when
 * unreached) and may be NULL. Layer-1 features are computed at most once per
 * sample and block across the steps. Afterwards the workspace holds every
 * sample's forward pass at its own stop θ, exactly as rt_forward with
 * theta[n] = out[n].theta would leave it, so rt_backward may follow directly
 * (path-specific training with the `unfold` policy needs no second forward). */
void rt_sweep(const Model *m, RtWork *w, const float *X, int N, float tau, float floor,
              RtSweepOut *out, float *probs);

/* Forward pass at a per-sample θ (theta[N]), recording what backward needs.
 * probs (N x C) and mass (N) are outputs (probs zero where mass == 0). */
void rt_forward(const Model *m, RtWork *w, const float *X, int N, const float *theta, float *probs,
                float *mass);

/* rt_sweep and rt_forward on the rows idx[0..N) of s (uint8 pixels) instead
 * of X: the rows are converted (data_batch_float) into the workspace inside
 * the router's parallel parts, as mlp_forward_samples does, not in a pass of
 * their own. The same results as converting first and passing X. */
void rt_sweep_samples(const Model *m, RtWork *w, const DataSplit *s, const int *idx, int N,
                      float tau, float floor, RtSweepOut *out, float *probs);
void rt_forward_samples(const Model *m, RtWork *w, const DataSplit *s, const int *idx, int N,
                        const float *theta, float *probs, float *mass);

/* Backward of Σ_n weight[n] * -log(p_n[y_n] + RT_EPS) for the last rt_forward,
 * accumulating (+=) into m->g. Samples with weight 0 or mass 0 are skipped.
 * Only active blocks receive gradient. Returns the weighted loss. */
double rt_backward(Model *m, RtWork *w, const uint8_t *y, const float *weight);

/* rt_backward in its two halves, for a trainer that checks the loss before
 * it steps: rt_backward_loss computes the loss and its gradient at the output
 * (workspace only) and returns the loss; rt_backward_params then accumulates
 * the parameter gradients into m->g, as rt_backward does. With s from
 * adam_begin (optim.h) it instead writes m->g (each part is zeroed by the
 * task that sums it, so the caller need not zero the buffer) and runs
 * adam_range on every part as soon as that part's gradient is final, while it
 * is in cache: with adam_end, the same bits as model_zero_grad, rt_backward
 * and adam_step_undoable. The thread index of each pool task is its Adam slot. */
double rt_backward_loss(Model *m, RtWork *w, const uint8_t *y, const float *weight);
void rt_backward_params(Model *m, RtWork *w, AdamStep *s);

/* Block activity the last rt_forward / rt_sweep left in w, each sample at its
 * own θ (its stop θ after a sweep): count[l*B + i] = the samples of that call
 * for which block i of layer l was active (L*B entries). Free: the trainer's
 * per-block statistics come from here instead of extra traces. */
void rt_block_counts(const RtWork *w, int *count);

/* The row kernels' level (rtkern.h): 2 = AVX-512, 1 = AVX2 + FMA, 0 =
 * portable C; the best the CPU has unless the environment sets RTVIZ_SIMD
 * lower. set >= 0 selects a level (capped at what the CPU has; tests compare
 * the levels); not while a forward runs. Returns the level in use. Results
 * are deterministic per level; levels differ in rounding only. */
int rt_simd_level(int set);

/* One sample, every step of the effective schedule (not only up to the stop):
 * what the view-state shows and the `sweep` command prints. Gates of layer
 * l < L-1 go to blocks of layer l+1; those of the last layer go to classes. */
typedef struct {
    int L, B, C;
    int nsteps;                                /* effective schedule length */
    int stop;                                  /* step where the sweep stops (τ rule) */
    float theta[SCHED_MAX];                    /* θ of each step */
    float router[SCHED_MAX][RT_MAX_B];         /* s_in: input gates into layer 1 */
    float rate[SCHED_MAX][RT_MAX_L][RT_MAX_B]; /* r_i */
    uint8_t active[SCHED_MAX][RT_MAX_L][RT_MAX_B];
    float gate[SCHED_MAX][RT_MAX_L][RT_MAX_B]
              [RT_MAX_C > RT_MAX_B ? RT_MAX_C : RT_MAX_B]; /* s_i[k] */
    float flow[SCHED_MAX][RT_MAX_C];                       /* o_c */
    float prob[SCHED_MAX][RT_MAX_C];                       /* p_c (0 when mass == 0) */
    float mass[SCHED_MAX];                                 /* M */
    int nactive[SCHED_MAX];                                /* active blocks */
    long used[SCHED_MAX];                                  /* parameters used */
    float act_pct[SCHED_MAX];                              /* 100 * used / total */
} RtTrace;

/* Trace x (D floats) into tr: every step of the effective schedule for floor,
 * and the stop by τ (the sweep's stop rule). Returns 0, or -1 when its
 * one-sample workspace cannot be allocated (message in e; tr->nsteps = 0). */
int rt_trace(const Model *m, const float *x, float tau, float floor, RtTrace *tr, RtErr *e);

#endif
