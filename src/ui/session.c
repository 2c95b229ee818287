/* session.c — one engine run for any front end (session.h).
 *
 * The training thread runs trainer_step back to back (or at the pace set),
 * with a test-set slice whenever the evaluation budget allows one (the test
 * set gets EVAL_SHARE of the training time), and, while paused, test slices
 * until a pass has seen the current weights. One recursive mutex guards the
 * engine; the thread yields it after its current minibatch whenever a front
 * end asks (ui_wants), so a command waits for at most one minibatch. */
#define _POSIX_C_SOURCE 200809L
#include "session.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "atomicio.h"
#include "checkpoint.h"
#include "dataset.h"
#include "image.h"
#include "model.h"
#include "modelflags.h"
#include "range.h"
#include "rtnet.h"
#include "specialty.h"
#include "trainer.h"

#define CLIFF_N 128 /* test images the floor's cliff is measured on */

/* A test slice is due: the test set gets EVAL_SHARE of the training time
 * (Fashion-MNIST: a full pass, i.e. fresh gallery, confusion matrix and test
 * accuracy, every ~4 s), so training keeps ~94% of its headless speed. */
#define EVAL_SHARE 0.06

/* The serials of a rebuilt trainer start again at 0: each build adds this to
 * what the snapshot sees, so a snapshot never takes a new trace for an old one. */
#define SERIAL_EPOCH (1ull << 32)

struct Session {
    Scenario sc;      /* the start settings */
    Dataset ds;       /* the data (kept across restarts) */
    char notice[256]; /* start-up notice */
    char save_path[SCN_PATH_MAX];
    ModelConfig mc;     /* the shape of a fresh network */
    Model model;        /* the network, borrowed by the trainer */
    Adam adam0;         /* optimiser state from the checkpoint */
    CkptMeta meta0;     /* the checkpoint's meta */
    TrainConfig tc;     /* trainer settings (seed merged) */
    Trainer *t;         /* NULL after a failed restart */
    const ViewState *v; /* trainer_view(t) */

    /* run state (copied into every snapshot) */
    int run_state;       /* VsRunState */
    int pause_why;       /* VsPauseWhy */
    long steps_left;     /* "run N steps" */
    char run_error[256]; /* VS_STOPPED */
    VsSubject subj;      /* what is traced */
    uint64_t base;       /* serial offset of the current trainer */
    long eval_mark;      /* step count when the running test pass began */
    int eval_fresh;      /* the last full pass saw the current weights */
    float lr_start, lr_min, best_acc;
    int plateau, lr_cuts;
    uint64_t lr_serial;
    long step_base;   /* the checkpoint's step: a loaded run continues counting from it */
    int epoch_base;   /* the checkpoint's epochs */
    double pace;      /* minibatches per second, 0 flat out */
    RtWork *cw;       /* the cliff's own workspace (the trainer's stays untouched) */
    float *cx;        /* its inputs: the first CLIFF_N test images */
    int cn;           /* how many */
    float cliff;      /* the last measured cliff, -1 none */
    long unr_base;    /* unreached_total when the floor was last set */
    long unr_since;   /* the step it was set at */
    double next_step; /* pace: when the next minibatch may start */
    VsGalleryItem gal[2]
                     [VS_GALLERY]; /* the gallery as shown: easy, hard (session_gallery_steady) */
    int gal_n;                     /* items per group in gal, 0 before the first pass */
    VsGalleryItem gal_tmp[VS_GALLERY]; /* scratch of steady_gallery */

    /* accounting */
    double train_s, eval_s, run_wall_s, run_since, avg_step_s;
    long samples;

    /* the thread */
    pthread_t th;
    int th_started, th_stop;
    pthread_mutex_t mu; /* recursive: session_lock nests with the calls inside it */
    pthread_cond_t cv;  /* wakes the thread (resumed, UI done, stop) and waiters */
    atomic_int ui_wants;
};

/* ---------------------------------------------------------------- helpers */

/* The realtime clock w seconds from now (what pthread_cond_timedwait takes). */
static struct timespec abs_time(double w) {
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    if (w < 0) w = 0;
    t.tv_sec += (time_t)w;
    t.tv_nsec += (long)((w - floor(w)) * 1e9);
    if (t.tv_nsec >= 1000000000L) t.tv_sec++, t.tv_nsec -= 1000000000L;
    return t;
}

static void set_state(Session *s, int state, int why) {
    double now = rt_now();
    if (s->run_state == VS_RUNNING && state != VS_RUNNING) s->run_wall_s += now - s->run_since;
    if (s->run_state != VS_RUNNING && state == VS_RUNNING) {
        s->run_since = now;
        s->next_step = now;
    }
    s->run_state = state;
    s->pause_why = why;
    if (state != VS_RUNNING) s->steps_left = 0;
    pthread_cond_broadcast(&s->cv);
}

float session_plateau_lr(float acc, float *best, int *plateau, float lr, float lr_min) {
    if (acc > *best + SES_PLATEAU_EPS || *best < 0.0f) {
        *best = acc;
        *plateau = 0;
        return lr;
    }
    if (++*plateau < SES_PLATEAU_PASSES) return lr;
    *plateau = 0;
    float nl = lr * 0.5f;
    return nl < lr_min ? lr_min : nl;
}

static void measure_cliff(Session *s);

void session_gallery_steady(const VsGalleryItem *prev, int prev_n, const VsGalleryItem *fresh,
                            int n, VsGalleryItem *out) {
    int same = prev_n == n && n > 0;
    for (int i = 0; i < n && same; i++) {
        int found = 0;
        for (int j = 0; j < n && !found; j++)
            found = prev[j].index == fresh[i].index;
        same = found;
    }
    for (int i = 0; i < n; i++) {
        int from = i;
        if (same)
            for (int j = 0; j < n; j++)
                if (fresh[j].index == prev[i].index) from = j;
        out[i] = fresh[from];
    }
}

/* The fresh pass's gallery, kept steady against the one shown before. */
static void steady_gallery(Session *s) {
    VsGalleryItem *out = s->gal_tmp;
    int n = s->v->test_n < VS_GALLERY ? s->v->test_n : VS_GALLERY;
    if (!s->v->gallery_valid || n < 1) return;
    const VsGalleryItem *fresh[2] = {s->v->easy, s->v->hard};
    for (int g = 0; g < 2; g++) {
        session_gallery_steady(s->gal[g], s->gal_n, fresh[g], n, out);
        memcpy(s->gal[g], out, sizeof(VsGalleryItem) * (size_t)n);
    }
    s->gal_n = n;
}

/* A full test pass completed: freshness, and the plateau rule (only for a
 * pass that saw training: a pass over unchanged weights says nothing). */
static void pass_done(Session *s) {
    steady_gallery(s);
    measure_cliff(s);
    int fresh = s->v->step == s->eval_mark;
    s->eval_fresh = fresh;
    s->eval_mark = s->v->step;
    if (fresh || s->run_state != VS_RUNNING) return;
    float lr = s->v->lr;
    if (lr <= s->lr_min) {
        if (s->v->test_acc > s->best_acc) s->best_acc = s->v->test_acc;
        s->plateau = 0;
        return;
    }
    float nl = session_plateau_lr(s->v->test_acc, &s->best_acc, &s->plateau, lr, s->lr_min);
    if (nl != lr) {
        trainer_set_lr(s->t, nl);
        s->lr_cuts++;
        s->lr_serial++;
    }
}

/* Share of the cliff sample that reaches the output at θ (M > 0). */
static float reach_at(Session *s, float theta) {
    static float th[CLIFF_N], mass[CLIFF_N], probs[CLIFF_N * RT_MAX_C];
    for (int i = 0; i < s->cn; i++)
        th[i] = theta;
    rt_forward(&s->model, s->cw, s->cx, s->cn, th, probs, mass);
    int r = 0;
    for (int i = 0; i < s->cn; i++)
        r += mass[i] > 0.0f;
    return s->cn ? (float)r / (float)s->cn : 0.0f;
}

/* The cliff: the highest floor in 0.01 steps (below 1/(L+1)) at which most of
 * the sample still reaches the output. Reach falls as θ rises: a bisection. */
static void measure_cliff(Session *s) {
    if (s->model.cfg.arch != ARCH_RT || !s->cw || s->cn < 1) {
        s->cliff = -1.0f;
        return;
    }
    int hi = (int)(range_theta_clamp(1.0f, ARCH_RT, s->model.cfg.L) * 100.0f + 0.5f), lo = 0;
    if (reach_at(s, hi / 100.0f) > 0.5f) {
        s->cliff = hi / 100.0f;
        return;
    }
    if (!(reach_at(s, 0.0f) > 0.5f)) {
        s->cliff = 0.0f;
        return;
    }
    while (hi - lo > 1) { /* reach(lo) > .5, reach(hi) <= .5 */
        int mid = (lo + hi) / 2;
        if (reach_at(s, mid / 100.0f) > 0.5f)
            lo = mid;
        else
            hi = mid;
    }
    s->cliff = lo / 100.0f;
}

static void eval_slice(Session *s) {
    double t0 = rt_now();
    if (trainer_eval_slice(s->t) == 1) pass_done(s);
    s->eval_s += rt_now() - t0;
}

/* One minibatch and what follows from its result. */
static int train_one(Session *s, RtErr *e) {
    double t0 = rt_now();
    int rc = trainer_step(s->t, 1, e);
    double dt = rt_now() - t0;
    s->avg_step_s = s->avg_step_s > 0 ? 0.9 * s->avg_step_s + 0.1 * dt : dt;
    s->train_s += dt;
    s->samples += s->tc.batch;
    s->eval_fresh = 0;
    if (rc == 1) {
        set_state(s, VS_PAUSED, VS_PAUSE_NAN);
    } else if (rc < 0) {
        snprintf(s->run_error, sizeof s->run_error, "%.250s", e->msg);
        set_state(s, VS_STOPPED, VS_PAUSE_USER);
    } else if (s->steps_left > 0 && --s->steps_left == 0) {
        set_state(s, VS_PAUSED, VS_PAUSE_STEPS);
    }
    return rc;
}

static void retrace(Session *s) {
    if (s->subj.kind == VS_SUBJ_TEST)
        trainer_trace_test(s->t, s->subj.index);
    else
        trainer_trace_image(s->t, s->subj.pix, s->subj.label);
}

/* ---------------------------------------------------------------- engine */

static int engine_build(Session *s, int *usage, RtErr *e) {
    memset(&s->model, 0, sizeof s->model);
    adam_free(&s->adam0);
    memset(&s->adam0, 0, sizeof s->adam0);
    if (s->sc.model[0]) {
        memset(&s->meta0, 0, sizeof s->meta0);
        if (ckpt_load(s->sc.model, &s->model, &s->adam0, &s->meta0, e)) return -1;
        if (model_flags_merge(&s->model, s->sc.model, &s->meta0, &s->ds, &s->sc.flags, &s->tc.seed,
                              usage, e)) {
            model_free(&s->model);
            return -1;
        }
        s->mc = s->model.cfg;
        s->step_base = (long)s->meta0.step;
        s->epoch_base = (int)s->meta0.epoch;
    } else if (model_init(&s->model, &s->mc, s->tc.seed, e))
        return -1;
    /* a floor or fixed θ no ray could pass (docs/DESIGN.md §1.5): a usage error */
    if (model_check_theta(&s->model.cfg, s->tc.floor, "--floor", e) ||
        (s->tc.policy == POL_FIXED &&
         model_check_theta(&s->model.cfg, s->tc.fixed_theta, "--policy fixed:X", e))) {
        if (usage) *usage = 1;
        model_free(&s->model);
        return -1;
    }
    s->t = trainer_new(&s->model, &s->ds, &s->tc, s->adam0.n > 0 ? &s->adam0 : NULL, e);
    if (!s->t) {
        model_free(&s->model);
        return -1;
    }
    s->v = trainer_view(s->t);
    if (s->model.cfg.arch == ARCH_RT && !s->cx) {
        s->cn = s->ds.test.n < CLIFF_N ? s->ds.test.n : CLIFF_N;
        s->cx = malloc((size_t)(s->cn > 0 ? s->cn : 1) * (size_t)s->ds.test.d * sizeof(float));
        if (s->cx && s->cn > 0) data_batch_float(&s->ds.test, NULL, s->cn, s->cx);
    }
    if (s->model.cfg.arch == ARCH_RT && s->cx) {
        RtErr ce = {{0}};
        s->cw = rt_work_new(&s->model, CLIFF_N, &ce); /* NULL: no cliff shown, nothing else lost */
    }
    s->cliff = -1.0f;
    s->gal_n = 0;
    s->unr_base = 0;
    s->unr_since = 0;
    s->base += SERIAL_EPOCH;
    s->eval_mark = 0;
    s->eval_fresh = 0;
    s->lr_start = s->tc.lr;
    s->lr_min = s->tc.lr / SES_LR_MIN_DIV;
    s->best_acc = -1.0f;
    s->plateau = 0;
    s->lr_cuts = 0;
    return 0;
}

static void engine_free(Session *s) {
    rt_work_free(s->cw);
    s->cw = NULL;
    trainer_free(s->t);
    s->t = NULL;
    s->v = NULL;
    model_free(&s->model);
}

static int load_data(Session *s, RtErr *e) {
    const char *name = s->sc.dataset[0] ? s->sc.dataset : "fashionmnist";
    if (dataset_load(name, &s->ds, e) == 0) return 0;
    if (strcmp(name, "fashionmnist") != 0 || !s->sc.dataset_fallback) return -1;
    RtErr e2 = {{0}};
    if (dataset_load("sample", &s->ds, &e2) != 0) return -1; /* report the first error */
    snprintf(s->notice, sizeof s->notice,
             "Fashion-MNIST is not installed: using the sample set (see rtviz datasets)");
    return 0;
}

Session *session_open(const Scenario *sc, int *usage, RtErr *e) {
    if (usage) *usage = 0;
    if (sc->model[0] && (sc->flags.given & MF_SHAPE)) {
        if (usage) *usage = 1;
        rt_err(e, "%s", MF_SHAPE_REFUSED);
        return NULL;
    }
    /* where `S` writes, checked before anything loads (a FIFO, a directory, a
     * missing directory cost nothing then) */
    if (sc->save[0] && aw_check(sc->save, e)) return NULL;
    Session *s = rt_calloc(1, sizeof *s, "session", e);
    if (!s) return NULL;
    s->sc = *sc;
    s->tc = sc->tc;
    if (sc->flags.given & MF_SEED) s->tc.seed = sc->flags.seed;
    snprintf(s->save_path, sizeof s->save_path, "%s", sc->save[0] ? sc->save : "rtviz.ckpt");
    pthread_mutexattr_t ma;
    pthread_mutexattr_init(&ma);
    pthread_mutexattr_settype(&ma, PTHREAD_MUTEX_RECURSIVE);
    pthread_mutex_init(&s->mu, &ma);
    pthread_mutexattr_destroy(&ma);
    pthread_cond_init(&s->cv, NULL);
    atomic_init(&s->ui_wants, 0);
    s->run_state = VS_PAUSED; /* until session_start */
    s->pause_why = VS_PAUSE_USER;
    s->pace = sc->pace > 0 ? sc->pace : 0;
    if (load_data(s, e)) {
        session_close(s);
        return NULL;
    }
    if (!sc->model[0] && scenario_model_config(sc, s->ds.test.ch, s->ds.test.h, s->ds.test.w,
                                               s->ds.classes, &s->mc, e)) {
        if (usage) *usage = 1;
        session_close(s);
        return NULL;
    }
    if (engine_build(s, usage, e)) {
        session_close(s);
        return NULL;
    }
    s->subj.kind = VS_SUBJ_TEST;
    int n = s->ds.test.n;
    s->subj.index = n > 0 ? ((sc->trace_index % n) + n) % n : 0;
    s->subj.label = -1;
    retrace(s);
    measure_cliff(s);
    return s;
}

/* ---------------------------------------------------------------- thread */

static void *train_thread(void *arg) {
    Session *s = arg;
    sigset_t all;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, NULL); /* signals go to the front end's thread */
    pthread_mutex_lock(&s->mu);
    while (!s->th_stop) {
        if (atomic_load(&s->ui_wants) > 0 || !s->t) {
            pthread_cond_wait(&s->cv, &s->mu);
            continue;
        }
        if (s->run_state != VS_RUNNING) {
            if (!s->eval_fresh)
                eval_slice(s); /* finish a pass over the weights as they are */
            else
                pthread_cond_wait(&s->cv, &s->mu);
            continue;
        }
        if (s->eval_s < EVAL_SHARE * s->train_s + 0.05) {
            eval_slice(s);
            continue;
        }
        if (s->pace > 0) {
            double now = rt_now();
            if (now < s->next_step) {
                struct timespec at = abs_time(s->next_step - now);
                pthread_cond_timedwait(&s->cv, &s->mu, &at);
                continue;
            }
            s->next_step = now + 1.0 / s->pace;
        }
        RtErr e = {{0}};
        train_one(s, &e);
    }
    pthread_mutex_unlock(&s->mu);
    return NULL;
}

int session_start(Session *s, RtErr *e) {
    session_lock(s);
    if (s->sc.train_steps > 0) {
        set_state(s, VS_RUNNING, VS_PAUSE_USER);
        s->steps_left = s->sc.train_steps;
    } else if (s->sc.paused)
        set_state(s, VS_PAUSED, VS_PAUSE_USER);
    else
        set_state(s, VS_RUNNING, VS_PAUSE_USER);
    session_unlock(s);
    if (pthread_create(&s->th, NULL, train_thread, s) != 0)
        return rt_err(e, "cannot start the training thread");
    s->th_started = 1;
    return 0;
}

void session_close(Session *s) {
    if (!s) return;
    if (s->th_started) {
        session_lock(s);
        s->th_stop = 1;
        session_unlock(s);
        pthread_join(s->th, NULL);
    }
    engine_free(s);
    adam_free(&s->adam0);
    free(s->cx);
    dataset_free(&s->ds);
    pthread_cond_destroy(&s->cv);
    pthread_mutex_destroy(&s->mu);
    free(s);
}

void session_lock(Session *s) {
    atomic_fetch_add(&s->ui_wants, 1);
    pthread_mutex_lock(&s->mu);
}

void session_unlock(Session *s) {
    atomic_fetch_sub(&s->ui_wants, 1);
    pthread_cond_broadcast(&s->cv);
    pthread_mutex_unlock(&s->mu);
}

/* ---------------------------------------------------------------- commands */

static int do_locked(Session *s, const SessionCmd *c, RtErr *e) {
    if (!s->t) return rt_err(e, "the run could not be rebuilt; restart rtviz");
    switch (c->id) {
    case SES_PAUSE:
        if (s->run_state == VS_RUNNING) set_state(s, VS_PAUSED, VS_PAUSE_USER);
        return 0;
    case SES_RESUME:
        set_state(s, VS_RUNNING, VS_PAUSE_USER);
        return 0;
    case SES_RUN_STEPS:
        if (c->n < 1) return rt_err(e, "run %ld steps: need at least 1", c->n);
        set_state(s, VS_RUNNING, VS_PAUSE_USER);
        s->steps_left = c->n;
        return 0;
    case SES_STEP: {
        if (c->n < 1) return rt_err(e, "step %ld minibatches: need at least 1", c->n);
        int rc = 0;
        for (long i = 0; i < c->n && rc == 0; i++)
            rc = train_one(s, e);
        if (rc == 0 && s->run_state == VS_PAUSED && s->pause_why == VS_PAUSE_NAN)
            s->pause_why = VS_PAUSE_USER; /* a good step: the NaN pause is over */
        if (rc == 0 && s->run_state == VS_STOPPED) set_state(s, VS_PAUSED, VS_PAUSE_USER);
        retrace(s);
        return rc;
    }
    case SES_SET_FLOOR: {
        float f = range_theta_clamp(c->x, s->v->arch, s->v->L);
        if (f != s->v->floor) { /* the unreached total counts under this floor */
            s->unr_base = s->v->unreached_total;
            s->unr_since = s->step_base + s->v->step;
        }
        trainer_set_floor(s->t, f);
        s->eval_fresh = 0;
        return 0;
    }
    case SES_SET_TAU: {
        float t = c->x;
        if (!(t >= 0.05f)) t = 0.05f;
        if (t > 1.0f) t = 1.0f;
        trainer_set_tau(s->t, t);
        s->eval_fresh = 0;
        return 0;
    }
    case SES_SET_LR:
        if (!(c->x > 0.0f) || !isfinite(c->x))
            return rt_err(e, "learning rate %g must be positive", (double)c->x);
        trainer_set_lr(s->t, c->x);
        return 0;
    case SES_SET_PACE:
        if (!(c->x >= 0.0f) || !isfinite(c->x))
            return rt_err(e, "pace %g must be 0 or more minibatches per second", (double)c->x);
        s->pace = c->x;
        s->next_step = rt_now();
        pthread_cond_broadcast(&s->cv);
        return 0;
    case SES_TRACE: {
        if (!c->subject) return rt_err(e, "trace: no subject");
        VsSubject sj = *c->subject;
        if (sj.kind == VS_SUBJ_TEST) {
            int n = s->ds.test.n;
            if (n <= 0) return rt_err(e, "dataset %s has no test images", s->ds.name);
            sj.index = ((sj.index % n) + n) % n;
            sj.label = s->ds.test.y[sj.index];
        } else if (sj.kind != VS_SUBJ_CANVAS && sj.kind != VS_SUBJ_FILE)
            return rt_err(e, "trace: unknown subject kind %d", sj.kind);
        s->subj = sj;
        retrace(s);
        return 0;
    }
    case SES_RETRACE:
        retrace(s);
        return 0;
    case SES_RESTART: {
        float floor = s->v->floor, tau = s->v->tau;
        engine_free(s);
        s->tc.floor = floor;
        if (engine_build(s, NULL, e)) return -1;
        trainer_set_tau(s->t, tau);
        measure_cliff(s);
        if (s->run_state == VS_STOPPED || s->pause_why == VS_PAUSE_NAN)
            set_state(s, VS_PAUSED, VS_PAUSE_USER);
        retrace(s);
        return 0;
    }
    case SES_SAVE: {
        CkptMeta meta;
        memset(&meta, 0, sizeof meta);
        meta.seed = s->tc.seed;
        meta.step = (uint64_t)(s->step_base + s->v->step);
        meta.epoch = (uint32_t)(s->epoch_base + s->v->epoch);
        snprintf(meta.dataset, sizeof meta.dataset, "%s", s->ds.name);
        const char *path = c->path ? c->path : s->save_path;
        return ckpt_save(path, trainer_model(s->t), trainer_adam(s->t), &meta, e);
    }
    case SES_EVAL_SLICE:
        eval_slice(s);
        return 0;
    case SES_COUNT:
        break;
    }
    return rt_err(e, "unknown session command %d", (int)c->id);
}

int session_do(Session *s, const SessionCmd *c, RtErr *e) {
    session_lock(s);
    int rc = do_locked(s, c, e);
    session_unlock(s);
    return rc;
}

int session_cmd(Session *s, SessionCmdId id, RtErr *e) {
    SessionCmd c = {.id = id, .n = 1};
    return session_do(s, &c, e);
}

int session_cmd_x(Session *s, SessionCmdId id, float x, RtErr *e) {
    SessionCmd c = {.id = id, .x = x};
    return session_do(s, &c, e);
}

int session_trace_test(Session *s, int index, RtErr *e) {
    VsSubject sj;
    memset(&sj, 0, sizeof sj);
    sj.kind = VS_SUBJ_TEST;
    sj.index = index;
    sj.label = -1;
    SessionCmd c = {.id = SES_TRACE, .subject = &sj};
    return session_do(s, &c, e);
}

/* ---------------------------------------------------------------- snapshot */

#define OFF(f)     offsetof(ViewState, f)
#define END(f)     (offsetof(ViewState, f) + sizeof(((ViewState *)0)->f))
#define COPY(a, b) memcpy((char *)dst + (a), (const char *)src + (a), (b) - (a))

void session_snapshot(Session *s, ViewState *dst) {
    session_lock(s);
    const ViewState *src = s->v;
    if (src) {
        uint64_t trace_serial = s->base + src->trace_serial;
        uint64_t eval_serial = s->base + src->eval_serial;
        uint64_t old_trace = dst->trace_serial, old_eval = dst->eval_serial;
        COPY(0, OFF(subject));
        if (old_trace != trace_serial) {
            COPY(OFF(subject), END(trace_serial));
            dst->subject = s->subj;
        }
        COPY(END(trace_serial), OFF(gallery_valid));
        if (old_eval != eval_serial) {
            COPY(OFF(gallery_valid), END(test_n));
            if (src->gallery_valid && s->gal_n > 0) { /* in the steady order */
                memcpy(dst->easy, s->gal[0], sizeof(VsGalleryItem) * (size_t)s->gal_n);
                memcpy(dst->hard, s->gal[1], sizeof(VsGalleryItem) * (size_t)s->gal_n);
            }
        }
        COPY(END(test_n), sizeof(ViewState));
        dst->trace_serial = trace_serial;
        dst->eval_serial = eval_serial;
        /* a run from a checkpoint counts on from its step and epoch */
        dst->step += s->step_base;
        dst->epoch += s->epoch_base;
        if (dst->nan.serial) dst->nan.step = src->nan.step + s->step_base;
        dst->unreached_total = src->unreached_total - s->unr_base;
        long recent = (src->step < 16 ? src->step : 16) * (long)s->tc.batch; /* trainer's window */
        dst->unreached_share = recent > 0 ? (float)src->unreached / (float)recent : 0.0f;
        if (dst->unreached_share > 1.0f) dst->unreached_share = 1.0f;
    }
    dst->floor_cliff = s->cliff;
    dst->unreached_since = s->unr_since;
    dst->run_state = s->run_state;
    dst->pause_why = s->pause_why;
    dst->steps_left = s->steps_left;
    snprintf(dst->run_error, sizeof dst->run_error, "%s", s->run_error);
    dst->lr_start = s->lr_start;
    dst->lr_min = s->lr_min;
    dst->best_test_acc = s->best_acc;
    dst->plateau = s->plateau;
    dst->plateau_limit = SES_PLATEAU_PASSES;
    dst->lr_cuts = s->lr_cuts;
    dst->lr_serial = s->lr_serial;
    dst->eval_fresh = s->eval_fresh;
    session_unlock(s);
}

int session_wait_paused(Session *s, double timeout_s) {
    double end = rt_now() + timeout_s;
    pthread_mutex_lock(&s->mu);
    while (s->run_state == VS_RUNNING) {
        double now = rt_now();
        if (now >= end) break;
        struct timespec at = abs_time(RT_MIN(end - now, 0.05));
        pthread_cond_timedwait(&s->cv, &s->mu, &at);
    }
    int rc = s->run_state == VS_RUNNING ? -1 : 0;
    pthread_mutex_unlock(&s->mu);
    return rc;
}

const char *session_notice(const Session *s) { return s->notice; }
uint64_t session_seed(const Session *s) { return s->tc.seed; }
const char *session_save_path(const Session *s) { return s->save_path; }
int session_from_checkpoint(const Session *s) { return s->sc.model[0] != 0; }

int session_save(Session *s, const char *path, SessionSaveInfo *info, RtErr *e) {
    memset(info, 0, sizeof *info);
    if (!path) path = s->save_path;
    char cwd[SCN_PATH_MAX];
    if (path[0] != '/' && getcwd(cwd, sizeof cwd))
        snprintf(info->path, sizeof info->path, "%s/%s", cwd,
                 strncmp(path, "./", 2) == 0 ? path + 2 : path);
    else
        snprintf(info->path, sizeof info->path, "%s", path);
    struct stat st;
    if (stat(path, &st) == 0) {
        ModelConfig cfg;
        CkptMeta old;
        RtErr pe = {{0}};
        info->replaced = S_ISREG(st.st_mode) && ckpt_peek(path, &cfg, &old, &pe) == 0 ? 1 : 2;
        if (info->replaced == 1) info->old_step = (long)old.step;
        info->old_mtime = (long long)st.st_mtime;
    }
    session_lock(s);
    SessionCmd c = {.id = SES_SAVE, .path = path};
    int rc = do_locked(s, &c, e);
    if (s->v) {
        info->step = s->step_base + s->v->step;
        info->epoch = s->epoch_base + s->v->epoch;
    }
    session_unlock(s);
    return rc;
}

void session_stats(Session *s, SessionStats *st) {
    session_lock(s);
    st->train_s = s->train_s;
    st->eval_s = s->eval_s;
    st->run_wall_s = s->run_wall_s + (s->run_state == VS_RUNNING ? rt_now() - s->run_since : 0.0);
    st->samples = s->samples;
    st->avg_step_s = s->avg_step_s;
    session_unlock(s);
}

int session_specialty(Session *s, int l, int i, int limit, RtSpecialty *out, RtErr *e) {
    Model copy;
    memset(&copy, 0, sizeof copy);
    session_lock(s);
    int ok = s->t != NULL && model_alloc(&copy, &s->model.cfg, e) == 0;
    if (ok) memcpy(copy.w, s->model.w, s->model.n * sizeof *copy.w);
    float floor = s->tc.floor;
    if (!s->t) rt_err(e, "no network (the restart failed)");
    session_unlock(s);
    if (!ok) return -1;
    int rc = rt_specialty(&copy, &s->ds.test, copy.cfg.tau, floor, l, i, limit, out, e);
    model_free(&copy);
    return rc;
}

int session_load_image(Session *s, const char *path, SessionImage *out, RtErr *e) {
    memset(out, 0, sizeof *out);
    if (!path || !path[0]) return rt_err(e, "no file name given");
    const DataSplit *t = &s->ds.test;
    if (t->ch != 1 && t->ch != 3)
        return rt_err(e, "dataset %s has %d-channel images: only grey or RGB images load",
                      s->ds.name, t->ch);
    if ((size_t)t->ch * (size_t)t->h * (size_t)t->w > sizeof out->pix)
        return rt_err(e, "dataset %s: %dx%dx%d images are too large to trace", s->ds.name, t->ch,
                      t->h, t->w);
    Image im;
    if (image_load(path, &im, e)) return -1;
    ImagePrep p;
    ImagePrepInfo info;
    image_prep_default(&p, s->ds.name, t->ch, t->h, t->w);
    int rc = image_prepare_info(im.pix, im.w, im.h, im.comp, &p, out->pix, &info, e);
    out->w = im.w;
    out->h = im.h;
    image_free(&im);
    if (rc) return -1;
    out->inverted = info.inverted;
    out->blank = info.blank;
    const char *base = strrchr(path, '/');
    base = base && base[1] ? base + 1 : path;
    snprintf(out->name, sizeof out->name, "%s", base);
    VsSubject *sj = rt_calloc(1, sizeof *sj, "image subject", e); /* large: not on the stack */
    if (!sj) return -1;
    sj->kind = VS_SUBJ_FILE;
    sj->label = -1;
    memcpy(sj->pix, out->pix, sizeof sj->pix);
    snprintf(sj->path, sizeof sj->path, "%s", path);
    SessionCmd c = {.id = SES_TRACE, .subject = sj};
    session_lock(s);
    rc = do_locked(s, &c, e);
    session_unlock(s);
    free(sj);
    return rc;
}
