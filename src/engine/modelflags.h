/* modelflags.h — the one place where command-line settings meet a network
 * loaded from a checkpoint. `rtviz train` and the UI's Session both merge
 * through model_flags_merge, so they cannot drift: a loaded model keeps its
 * shape (shape flags are refused), takes τ and the θ schedule when given,
 * must fit the dataset's images and classes, and continues with the seed
 * given, else the checkpoint's seed plus its epochs (a new data order). */
#ifndef RTVIZ_MODELFLAGS_H
#define RTVIZ_MODELFLAGS_H

#include <stdint.h>

#include "checkpoint.h"
#include "common.h"
#include "dataset.h"
#include "model.h"

/* Which settings the user gave explicitly (bits of ModelFlags.given). */
enum {
    MF_TAU = 1u << 0,      /* τ */
    MF_SCHEDULE = 1u << 1, /* the θ schedule */
    MF_SEED = 1u << 2,     /* the seed */
    MF_SHAPE = 1u << 3     /* any of arch, layers, blocks, width, hidden */
};

typedef struct {
    unsigned given;         /* MF_* bits */
    float tau;              /* MF_TAU: stop confidence */
    int nsched;             /* MF_SCHEDULE: schedule length */
    float sched[SCHED_MAX]; /* MF_SCHEDULE: the schedule */
    uint64_t seed;          /* MF_SEED: the seed */
} ModelFlags;

/* The message both callers give when shape flags meet a loaded model. */
#define MF_SHAPE_REFUSED                                                                           \
    "--arch/--layers/--blocks/--width/--hidden cannot change a model loaded with --model"

/* Merge flags f into model m, loaded from path with meta. Returns 0 and sets
 * *seed (the seed to train on); -1 with e filled otherwise, and *usage = 1
 * when the error is a usage error (shape flags given: exit 2), 0 when it is
 * a runtime one (the model does not fit ds: exit 1). usage may be NULL. */
int model_flags_merge(Model *m, const char *path, const CkptMeta *meta, const Dataset *ds,
                      const ModelFlags *f, uint64_t *seed, int *usage, RtErr *e);

#endif
