/* snapshot.c — `rtviz snapshot`: the projector view of one traced test image,
 * rendered off-screen (SDL's software renderer on a memory surface: no
 * display, no video driver) and written as a PNG through the atomic writer.
 * The gallery comes from one full test pass with the model's τ. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atomicio.h"
#include "cmd/cmd.h"
#include "png.h"
#include "rtnet.h"
#include "snapshot.h"
#include "trainer.h"
#include "view.h"

#define ALLOWED                                                                                    \
    (OPTBIT(OPT_MODEL) | OPTBIT(OPT_DATASET) | OPTBIT(OPT_INDEX) | OPTBIT(OPT_OUT) |               \
     OPTBIT(OPT_THETA) | OPTBIT(OPT_SIZE) | OPTBIT(OPT_TAU) | OPTBIT(OPT_FLOOR) |                  \
     OPTBIT(OPT_THREADS))

static void usage(FILE *f) {
    fprintf(f, "usage: rtviz snapshot --model FILE --dataset NAME --index I --out F.png "
               "[--theta X] [--size WxH]\n"
               "Render the projector view of one traced test image to a PNG, off-screen (no "
               "display needed).\nWithout --theta it shows the sweep's stop.\n\n");
    opts_usage(f, ALLOWED);
}

int snapshot_render(const ViewState *vs, float pos, int w, int h, const char *status,
                    const char *path, RtErr *e) {
    int rc = -1;
    SDL_Surface *surf = NULL;
    Gfx g;
    int have_gfx = 0, ttf = 0;
    if (SDL_Init(0) != 0) return rt_err(e, "SDL_Init: %s", SDL_GetError());
    if (TTF_Init() != 0) {
        rt_err(e, "TTF_Init: %s", TTF_GetError());
        goto done;
    }
    ttf = 1;
    surf = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
    if (!surf) {
        rt_err(e, "%dx%d: cannot allocate the picture: %s", w, h, SDL_GetError());
        goto done;
    }
    if (gfx_init(&g, surf, e)) goto done;
    have_gfx = 1;
    SdlGeom geo;
    sv_layout(&geo, w, h, vs);
    SvFrame f = {.pos = pos, .status = status, .sel_l = -1, .sel_i = -1};
    sv_draw(&g, &geo, vs, &f);
    rc = png_write_surface(path, surf, e);
done:
    if (have_gfx) gfx_free(&g);
    if (surf) SDL_FreeSurface(surf);
    if (ttf) TTF_Quit();
    SDL_Quit();
    return rc;
}

int snapshot_theta_trace(const Model *m, const float *x, float tau, float floor, float theta,
                         RtTrace *tr, int *pos, RtErr *e) {
    if (theta < floor)
        return rt_err(e, "--theta: %g is below the θ floor %g (the sweep never goes there)", theta,
                      floor);
    if (rt_trace(m, x, tau, floor, tr, e)) return -1;
    float stop_theta = tr->stop >= 0 && tr->stop < tr->nsteps ? tr->theta[tr->stop] : -1.0f;
    for (int s = 0; s < tr->nsteps; s++)
        if (tr->theta[s] == theta) {
            *pos = s;
            return 0;
        }
    /* θ between two steps: trace again on the schedule with θ inserted */
    Model mm = *m; /* shallow: same weights, own config */
    ModelConfig *c = &mm.cfg;
    if (c->nsched >= SCHED_MAX)
        return rt_err(e, "--theta: the schedule already has %d steps, no room for another",
                      SCHED_MAX);
    int k = 0;
    while (k < c->nsched && c->sched[k] > theta)
        k++;
    memmove(&c->sched[k + 1], &c->sched[k], (size_t)(c->nsched - k) * sizeof(float));
    c->sched[k] = theta;
    c->nsched++;
    if (rt_trace(&mm, x, tau, floor, tr, e)) return -1;
    *pos = -1;
    for (int s = 0; s < tr->nsteps; s++) {
        if (tr->theta[s] == theta) *pos = s;
        if (tr->theta[s] == stop_theta) tr->stop = s; /* the real sweep's stop, not θ's */
    }
    if (*pos < 0) return rt_err(e, "--theta: %g did not make it into the schedule", theta);
    return 0;
}

int cmd_snapshot(int argc, char **argv) {
    Opts o;
    RtErr e = {{0}};
    int pr = cmd_parse("snapshot", &o, argc, argv, ALLOWED, usage);
    if (pr >= 0) return pr;
    if (!o.out) return cmd_fail("snapshot", EXIT_USAGE, "--out F.png is required (see --help)");
    if (png_check_path(o.out, &e) || aw_check_distinct(o.out, "--out", o.model, "--model", &e))
        return cmd_fail("snapshot", EXIT_RUNTIME, e.msg);
    Model m;
    CkptMeta meta;
    Dataset ds;
    Trainer *t = NULL;
    ViewState *vs = NULL;
    float *x = NULL;
    char msg[RT_ERRLEN + 64];
    int rc = cmd_load_model_data("snapshot", &o, &m, &meta, &ds);
    if (rc) return rc;
    if (o.index < 0 || o.index >= ds.test.n) {
        snprintf(msg, sizeof msg, "--index: %d is out of range (0-%d for %s)", o.index,
                 ds.test.n - 1, ds.name);
        rc = cmd_fail("snapshot", EXIT_USAGE, msg);
        goto done;
    }
    if (m.cfg.arch == ARCH_MLP && (o.given & OPTBIT(OPT_THETA))) {
        rc = cmd_fail("snapshot", EXIT_USAGE, "--theta: the model is a dense MLP (it has no θ)");
        goto done;
    }
    if ((o.given & OPTBIT(OPT_THETA)) && o.theta < o.tc.floor) {
        snprintf(msg, sizeof msg, "--theta: %g is below --floor %g (the sweep never goes there)",
                 o.theta, o.tc.floor);
        rc = cmd_fail("snapshot", EXIT_USAGE, msg);
        goto done;
    }
    if (o.given & OPTBIT(OPT_TAU)) m.cfg.tau = o.tau;
    TrainConfig tc;
    train_config_default(&tc);
    tc.floor = o.tc.floor;
    tc.threads = o.tc.threads;
    t = trainer_new(&m, &ds, &tc, NULL, &e);
    vs = calloc(1, sizeof *vs);
    x = calloc((size_t)m.cfg.D, sizeof *x);
    if (!t || !vs || !x) {
        rc = cmd_fail("snapshot", EXIT_RUNTIME, t ? "out of memory" : e.msg);
        goto done;
    }
    while (trainer_eval_slice(t) == 0) /* one full test pass: the gallery */
        ;
    trainer_trace_test(t, o.index);
    memcpy(vs, trainer_view(t), sizeof *vs);
    int pos = vs->trace.stop;
    if (o.given & OPTBIT(OPT_THETA)) {
        data_batch_float(&ds.test, &o.index, 1, x);
        if (snapshot_theta_trace(&m, x, m.cfg.tau, tc.floor, o.theta, &vs->trace, &pos, &e)) {
            rc = cmd_fail("snapshot", EXIT_USAGE, e.msg);
            goto done;
        }
    }
    char status[64];
    snprintf(status, sizeof status, "snapshot · θ %.3g", vs->trace.theta[pos]);
    if (snapshot_render(vs, (float)pos, o.size_w, o.size_h, status, o.out, &e)) {
        rc = cmd_fail("snapshot", EXIT_RUNTIME, e.msg);
        goto done;
    }
    printf("%s: %dx%d, test image %d of %s at θ %.3g (%d of %d blocks active)\n", o.out, o.size_w,
           o.size_h, o.index, ds.name, vs->trace.theta[pos], vs->trace.nactive[pos],
           vs->arch == ARCH_MLP ? vs->L : vs->L * vs->B);
done:
    free(x);
    free(vs);
    trainer_free(t);
    dataset_free(&ds);
    model_free(&m);
    return rc;
}
