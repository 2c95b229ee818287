/* trainer.h — the stepwise trainer: the UI owns the loop and asks for N
 * minibatches at a time (docs/DESIGN.md §1.6, §5). It also evaluates in slices, traces a
 * sample into the view-state and keeps the gallery and confusion matrix.
 * It never prints and never exits. */
#ifndef RTVIZ_TRAINER_H
#define RTVIZ_TRAINER_H

#include <stdint.h>

#include "common.h"
#include "dataset.h"
#include "model.h"
#include "optim.h"
#include "viewstate.h"

typedef enum { POL_UNFOLD = 0, POL_ZERO, POL_FIXED, POL_RANDOM } ThetaPolicy;

typedef struct {
    int batch;          /* minibatch size (128) */
    float lr;           /* Adam learning rate (1e-3) */
    ThetaPolicy policy; /* training θ policy (unfold) */
    float fixed_theta;  /* θ for POL_FIXED */
    float floor;        /* θ floor: no sweep or policy goes below it (0) */
    uint64_t seed;      /* fixes init, data order and sampling */
    int threads;        /* worker threads (0 = all cores) */
    int test_slice;     /* test samples evaluated per trainer_eval_slice call */
} TrainConfig;

void train_config_default(TrainConfig *tc);
/* Parse a policy: "unfold", "zero", "random", "fixed:X". */
int train_parse_policy(TrainConfig *tc, const char *s, RtErr *e);

typedef struct Trainer Trainer;

/* The trainer borrows m and ds (they must outlive it) and owns its Adam state
 * (initialised from adam_in when not NULL, e.g. from a checkpoint). */
Trainer *trainer_new(Model *m, const Dataset *ds, const TrainConfig *tc, const Adam *adam_in,
                     RtErr *e);
void trainer_free(Trainer *t);

/* Run n minibatches. Returns 0, -1 on error, or 1 when a NaN/Inf appeared in
 * the loss or weights: that step was rolled back, the learning rate halved,
 * and e says so. */
int trainer_step(Trainer *t, int n, RtErr *e);

/* Evaluate the next slice of the test set (tc.test_slice samples) with the
 * current weights; after a full pass the test accuracy, gallery and confusion
 * matrix in the view-state are refreshed. Returns 1 when a pass completed. */
int trainer_eval_slice(Trainer *t);

void trainer_set_floor(Trainer *t, float floor);
void trainer_set_tau(Trainer *t, float tau);
void trainer_set_lr(Trainer *t, float lr);

/* Trace a test image (index into ds->test) or a user image (d bytes, label
 * -1 if unknown) into the view-state's trace. */
void trainer_trace_test(Trainer *t, int index);
void trainer_trace_image(Trainer *t, const uint8_t *img, int label);

/* The view-state, filled by the trainer; the UI reads it (and may copy it). */
const ViewState *trainer_view(Trainer *t);

/* Access for commands (save, eval). */
Model *trainer_model(Trainer *t);
const Adam *trainer_adam(const Trainer *t);

#endif
