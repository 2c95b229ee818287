/* snapshot.h — the projector view rendered off-screen to a PNG
 * (`rtviz snapshot`; tests render through the same functions). */
#ifndef RTVIZ_SDL_SNAPSHOT_H
#define RTVIZ_SDL_SNAPSHOT_H

#include "model.h"
#include "rtnet.h"
#include "viewstate.h"

/* Draw vs at sweep position pos on a w×h software surface (no display or
 * video driver needed) and write it to path as a PNG, atomically. status is
 * the header's right-hand text (may be NULL). 0 or -1 with e filled. */
int snapshot_render(const ViewState *vs, float pos, int w, int h, const char *status,
                    const char *path, RtErr *e);

/* Trace x so that θ = theta is one of its steps: the model's effective
 * schedule, with theta inserted when it falls between two steps. *pos gets
 * theta's step; tr->stop stays the stop of the model's own sweep. theta must
 * not be below floor. 0 or -1. */
int snapshot_theta_trace(const Model *m, const float *x, float tau, float floor, float theta,
                         RtTrace *tr, int *pos, RtErr *e);

#endif
