/* modelflags.c — merge command-line settings into a loaded network
 * (modelflags.h). Used by `rtviz train` and the UI's Session. */
#include "modelflags.h"

#include <string.h>

int model_flags_merge(Model *m, const char *path, const CkptMeta *meta, const Dataset *ds,
                      const ModelFlags *f, uint64_t *seed, int *usage, RtErr *e) {
    if (usage) *usage = 0;
    if (f->given & MF_SHAPE) {
        if (usage) *usage = 1;
        return rt_err(e, "%s", MF_SHAPE_REFUSED);
    }
    const ModelConfig *c = &m->cfg;
    if (c->ch != ds->train.ch || c->h != ds->train.h || c->w != ds->train.w || c->C != ds->classes)
        return rt_err(e,
                      "%s: the model takes %dx%dx%d images and %d classes, dataset %s has "
                      "%dx%dx%d and %d",
                      path, c->ch, c->h, c->w, c->C, ds->name, ds->train.ch, ds->train.h,
                      ds->train.w, ds->classes);
    ModelConfig nc = m->cfg;
    if (f->given & MF_TAU) nc.tau = f->tau;
    if (f->given & MF_SCHEDULE) {
        nc.nsched = f->nsched;
        memcpy(nc.sched, f->sched, sizeof nc.sched);
    }
    if (model_config_check(&nc, e)) {
        if (usage) *usage = 1;
        return -1;
    }
    m->cfg = nc;
    /* the seed given, else a new data order after the checkpoint's epochs */
    *seed = (f->given & MF_SEED) ? f->seed : meta->seed + meta->epoch;
    return 0;
}
