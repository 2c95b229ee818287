/* session.h — one engine run, for any front end (terminal, SDL window,
 * tutorial player, report): the dataset, the network, the optimiser and
 * trainer, the training thread and its lock, the evaluation budget, restart
 * with the same seed, save, the traced subject, "run N steps, then pause",
 * the pace of training, and the learning rate on a plateau.
 *
 * Commands go in (session_do), a ViewState comes out (session_snapshot):
 * front ends never see the trainer or the model. No curses, no SDL, never
 * prints, never exits.
 *
 * Threading: session_start runs training in a thread of its own. Every call
 * here is thread-safe; each takes the engine lock, which the training thread
 * yields after its current minibatch. A front end that sends several
 * commands for one key press brackets them with session_lock/unlock, so the
 * key waits for at most one minibatch in all. */
#ifndef RTVIZ_SESSION_H
#define RTVIZ_SESSION_H

#include <stdint.h>

#include "common.h"
#include "scenario.h"
#include "specialty.h"
#include "viewstate.h"

typedef struct Session Session;

/* Commands (SessionCmd.id). */
typedef enum {
    SES_PAUSE = 0,  /* stop training after the current minibatch */
    SES_RESUME,     /* train again (clears a NaN pause and "run N steps") */
    SES_STEP,       /* train n minibatches now, on the caller's thread (while paused) */
    SES_RUN_STEPS,  /* resume, and pause after n more minibatches */
    SES_SET_FLOOR,  /* θ floor = x (clamped to [0, 0.95]) */
    SES_SET_TAU,    /* τ = x (clamped to [0.05, 1]) */
    SES_SET_LR,     /* learning rate = x (> 0) */
    SES_SET_PACE,   /* training pace = x minibatches per second (0 = flat out) */
    SES_TRACE,      /* trace *subject (a test index wraps into the test set) */
    SES_RETRACE,    /* trace the same subject again with the current weights */
    SES_RESTART,    /* rebuild network, optimiser and data order from the start settings */
    SES_SAVE,       /* save a checkpoint to path (NULL: the scenario's save path) */
    SES_EVAL_SLICE, /* evaluate the next test slice now (tests; the thread does it itself) */
    SES_COUNT
} SessionCmdId;

typedef struct {
    SessionCmdId id;
    long n;                   /* SES_STEP, SES_RUN_STEPS: minibatches */
    float x;                  /* SES_SET_*: the value */
    const VsSubject *subject; /* SES_TRACE */
    const char *path;         /* SES_SAVE: where (NULL: the scenario's) */
} SessionCmd;

/* Time accounting (the UI's RTVIZ_FRAME_STATS summary and bench/ui_speed.sh). */
typedef struct {
    double train_s;    /* seconds spent in trainer steps */
    double eval_s;     /* seconds spent in test slices */
    double run_wall_s; /* wall seconds while running (unpaused) */
    long samples;      /* samples trained in this session */
    double avg_step_s; /* moving average of one minibatch */
} SessionStats;

/* Load the data (with the sample fallback when the scenario allows it),
 * build or load the network (flags merged by model_flags_merge), the
 * trainer, and trace sc->trace_index. Training does not start until
 * session_start. NULL on failure, e filled and *usage (may be NULL) set to 1
 * when the scenario itself is wrong (exit 2) rather than the data or the
 * checkpoint (exit 1). */
Session *session_open(const Scenario *sc, int *usage, RtErr *e);

/* Start the training thread: running; or, when sc->train_steps > 0, running
 * until that many minibatches are trained, then paused (VS_PAUSE_STEPS);
 * or paused from the start when sc->paused. 0, or -1 with e. */
int session_start(Session *s, RtErr *e);

/* Stop the thread and free everything. NULL is fine. */
void session_close(Session *s);

/* Carry out one command. Returns 0; 1 when SES_STEP hit a NaN/Inf (the step
 * was rolled back, the run is paused, snapshot.nan says what); -1 with e
 * filled on an error (SES_SAVE: nothing written or the old file kept;
 * SES_STEP: the run is stopped, snapshot.run_error says why). */
int session_do(Session *s, const SessionCmd *c, RtErr *e);

/* Shorthands for session_do. */
int session_cmd(Session *s, SessionCmdId id, RtErr *e);
int session_cmd_x(Session *s, SessionCmdId id, float x, RtErr *e);
int session_trace_test(Session *s, int index, RtErr *e);

/* Copy the current view-state into *dst, only what changed since dst was
 * last filled by this call: the trace when trace_serial differs, the
 * gallery / confusion matrix when eval_serial differs, the rest always.
 * Start from a zeroed dst (serials 0) to get everything. */
void session_snapshot(Session *s, ViewState *dst);

/* Hold the engine for several calls in a row (one key press). Nests. */
void session_lock(Session *s);
void session_unlock(Session *s);

/* Block until the run is paused or stopped (e.g. after SES_RUN_STEPS), at
 * most timeout_s seconds. 0 when paused or stopped, -1 on time-out. */
int session_wait_paused(Session *s, double timeout_s);

/* The start-up notice ("" none): e.g. that the sample set replaces a
 * missing Fashion-MNIST. Valid until session_close. */
const char *session_notice(const Session *s);
/* The seed the run trains with (after merging a checkpoint's). */
uint64_t session_seed(const Session *s);
/* The save path `SES_SAVE` without a path writes to. */
const char *session_save_path(const Session *s);
/* 1 when the run started from a checkpoint. */
int session_from_checkpoint(const Session *s);
/* What a save wrote and what it replaced (session_save). */
typedef struct {
    char path[2 * SCN_PATH_MAX + 2]; /* where, as an absolute path when the cwd is known */
    long step;                       /* the training step saved */
    int epoch;                       /* and its epochs */
    int replaced;                    /* 0 a new file, 1 a checkpoint, 2 another file */
    long old_step;                   /* replaced == 1: the step that checkpoint held */
    long long old_mtime;             /* replaced != 0: its modification time (epoch seconds) */
} SessionSaveInfo;
/* SES_SAVE to path (NULL: the save path) and say what it did in *info. */
int session_save(Session *s, const char *path, SessionSaveInfo *info, RtErr *e);
/* Time accounting so far. */
void session_stats(Session *s, SessionStats *st);
/* What block (l, i) is for (specialty.h), with the current weights: they
 * are copied under the engine lock, and the sweep of the first `limit` test
 * images (0 = all) runs on the caller's thread without it, so training goes
 * on meanwhile. 0, or -1 with e filled. */
int session_specialty(Session *s, int l, int i, int limit, RtSpecialty *out, RtErr *e);

/* What session_load_image read. */
typedef struct {
    char name[256];          /* the file's name without its directory */
    int w, h;                /* its size in pixels */
    int inverted;            /* its light background was inverted */
    int blank;               /* nothing stood out of its background: the image is blank */
    uint8_t pix[VS_MAX_PIX]; /* the image as traced: the dataset's format, ch*h*w bytes */
} SessionImage;
/* Load an image file (PNG, JPEG, BMP, GIF, PGM/PPM: image.h), convert it to
 * the dataset's format the way the dataset's images were made
 * (image_prep_default: grey or RGB, resized, a light background inverted,
 * centred), and trace it (subject VS_SUBJ_FILE) under the engine lock, as
 * the draw canvas is traced. 0 with *out filled, or -1 with e filled (one
 * line naming the file: no such file, not an image, empty, truncated, too
 * large, a directory, permission denied ...) and the traced subject left as
 * it was. The file is read and decoded before the lock is taken. */
int session_load_image(Session *s, const char *path, SessionImage *out, RtErr *e);

/* The gallery kept steady between test passes: when a fresh pass ranks the
 * same n images in a group as the previous pass did (prev, in its order),
 * the fresh items (their new numbers) take the previous order, so the
 * gallery does not reshuffle while the network barely changes; a different
 * set takes the fresh order. Pure (the Session and tests): fills out[n]. */
void session_gallery_steady(const VsGalleryItem *prev, int prev_n, const VsGalleryItem *fresh,
                            int n, VsGalleryItem *out);

/* The learning-rate plateau rule of endless live training (docs/UI.md):
 * after each full test pass, acc above best + SES_PLATEAU_EPS is a new best;
 * SES_PLATEAU_PASSES passes in a row without one halve the learning rate,
 * never below lr_start / SES_LR_MIN_DIV. Pure, for the Session and tests:
 * updates *best, *plateau and returns the new learning rate. */
#define SES_PLATEAU_PASSES 5
#define SES_PLATEAU_EPS    0.1f
#define SES_LR_MIN_DIV     64.0f
float session_plateau_lr(float acc, float *best, int *plateau, float lr, float lr_min);

#endif
