/* train.c — `rtviz train`: train a RayTracing network or the MLP baseline on
 * a dataset, one line per epoch (full test-set evaluation), optional CSV log
 * and checkpoint after every epoch, both written atomically (atomicio.h).
 * Every output path, and whether the model fits the dataset, is checked
 * before anything is loaded or trained. SIGINT, SIGTERM and SIGHUP finish
 * the current minibatch, save (with --save) and exit 128 + the signal. A
 * stdout that fails (a closed pipe, a full disk) only stops the printing:
 * the run goes on and is saved. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "atomicio.h"
#include "checkpoint.h"
#include "cmd.h"
#include "dataset.h"
#include "eval.h"
#include "model.h"
#include "modelflags.h"
#include "opts.h"
#include "trainer.h"

#define ALLOWED                                                                                    \
    (OPTBIT(OPT_DATASET) | OPTBIT(OPT_MODEL) | OPTBIT(OPT_SAVE) | OPTBIT(OPT_CSV) |                \
     OPTBIT(OPT_EPOCHS) | OPTBIT(OPT_LIMIT) | OPTBIT(OPT_LR_SCHEDULE) | OPTS_NET | OPTS_TRAIN)
/* shape flags that cannot change a loaded model */
#define SHAPE_FLAGS                                                                                \
    (OPTBIT(OPT_ARCH) | OPTBIT(OPT_LAYERS) | OPTBIT(OPT_BLOCKS) | OPTBIT(OPT_WIDTH) |              \
     OPTBIT(OPT_HIDDEN))

#define LR_FINAL          0.05 /* the cosine schedule ends at this fraction of --lr */
#define NAN_GIVE_UP       8    /* consecutive NaN/Inf events before `train` stops */
#define NAN_TOTAL_GIVE_UP 20   /* NaN/Inf events in all before `train` stops */

static volatile sig_atomic_t g_stop; /* the signal that asked to stop (SIGINT, SIGTERM, SIGHUP) */

static void on_signal(int sig) { g_stop = sig; }

#define CSV_HEADER                                                                                 \
    "epoch,step,loss,train_acc,test_acc,test_acc_theta0,activation_mean,blocks_mean,unreached,"    \
    "lr,samples_per_s,seconds\n"

/* The CSV so far, rewritten whole (atomically) after every epoch: the file
 * on disk is always complete, never a half-written row. */
typedef struct {
    char *s;    /* text */
    size_t n;   /* length */
    size_t cap; /* capacity */
} CsvBuf;

static int csv_add(CsvBuf *b, const char *row, RtErr *e) {
    size_t k = strlen(row);
    if (b->n + k + 1 > b->cap) {
        size_t cap = RT_MAX(b->cap * 2, b->n + k + 4096);
        char *p = realloc(b->s, cap);
        if (!p) return rt_err(e, "CSV log: out of memory");
        b->s = p;
        b->cap = cap;
    }
    memcpy(b->s + b->n, row, k + 1);
    b->n += k;
    return 0;
}

/* Print one line on stdout; after a failure (closed pipe, full disk) stop
 * printing and let the run go on. A closed pipe is said at once on stderr;
 * any other error is noted for main(), which reports it at exit (status 1). */
static int g_quiet;
static void out_line(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void out_line(const char *fmt, ...) {
    if (g_quiet) return;
    va_list ap;
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    errno = 0;
    if (fflush(stdout) != 0 || ferror(stdout)) {
        int err = errno ? errno : EIO;
        g_quiet = 1;
        cmd_stdout_errno = err;
        if (err == EPIPE) /* other errors: one line from main() at exit */
            fprintf(stderr, "rtviz train: stdout closed (broken pipe); training goes on without "
                            "printing\n");
    }
}

/* Pre-flight, before any data or model is loaded: every output path can be
 * written, no output is an input, and the model (the checkpoint's, or the
 * one the flags build) takes the dataset's images. Returns -1 to go on, or
 * the exit code after printing one line. */
static int preflight(const Opts *o, const char *dsname) {
    RtErr e = {{0}};
    char msg[2 * DS_PATH_MAX];
    if (o->save && aw_check(o->save, &e)) return cmd_fail("train", EXIT_RUNTIME, e.msg);
    if (o->csv && aw_check(o->csv, &e)) return cmd_fail("train", EXIT_RUNTIME, e.msg);
    if (aw_check_distinct(o->csv, "--csv", o->model, "--model", &e) ||
        aw_check_distinct(o->csv, "--csv", o->save, "--save", &e))
        return cmd_fail("train", EXIT_USAGE, e.msg);
    DataShape sh;
    if (dataset_peek(dsname, &sh, &e)) return cmd_fail("train", EXIT_RUNTIME, e.msg);
    if (o->model) {
        ModelConfig c;
        if (ckpt_peek(o->model, &c, NULL, &e)) return cmd_fail("train", EXIT_RUNTIME, e.msg);
        if (c.ch != sh.ch || c.h != sh.h || c.w != sh.w || c.C != sh.classes) {
            snprintf(msg, sizeof msg,
                     "%s: the model takes %dx%dx%d images and %d classes, but %s holds %dx%dx%d "
                     "images and %s has %d classes",
                     o->model, c.ch, c.h, c.w, c.C, sh.file, sh.ch, sh.h, sh.w, dsname, sh.classes);
            return cmd_fail("train", EXIT_RUNTIME, msg);
        }
        return -1;
    }
    /* the shape alone, with the default network: a failure is the file's */
    ModelConfig c;
    model_config_default(&c, o->arch, sh.ch, sh.h, sh.w, sh.classes);
    if (model_config_check(&c, &e)) {
        snprintf(msg, sizeof msg, "%s: %dx%dx%d images: the network cannot take them (%s)", sh.file,
                 sh.ch, sh.h, sh.w, e.msg);
        return cmd_fail("train", EXIT_RUNTIME, msg);
    }
    return -1;
}

static void usage(FILE *f) {
    fprintf(f, "usage: rtviz train --dataset NAME [--arch rt|mlp] [--epochs N] [--save FILE] "
               "[--csv FILE] [--model FILE] ...\n"
               "Train a RayTracing network (or the MLP baseline); one line per epoch.\n"
               "--model resumes from a checkpoint, on the dataset it was trained on unless\n"
               "--dataset names another. Ctrl-C, SIGTERM and SIGHUP save (with --save) and stop.\n"
               "--save and --csv are checked before training and written atomically after every\n"
               "epoch.\n"
               "The learning rate decays from --lr to --lr/20 along a cosine over the epochs\n"
               "(--lr-schedule const keeps it constant).\n\n");
    opts_usage(f, ALLOWED);
}

static int fail(int code, const char *msg) { return cmd_fail("train", code, msg); }

static void progress(int epoch, int epochs, const ViewState *v, double t0) {
    char bar[31];
    int fill = (int)(v->epoch_frac * 30.0 + 0.5);
    for (int i = 0; i < 30; i++)
        bar[i] = i < fill ? '#' : '.';
    bar[30] = 0;
    fprintf(stderr,
            "\repoch %d/%d [%s] %3.0f%%  loss %.4f  acc %5.1f%%  act %5.1f%%  %6.0f/s  %4.0fs ",
            epoch, epochs, bar, 100.0 * v->epoch_frac, v->loss, v->train_acc, v->act_mean,
            v->samples_per_s, rt_now() - t0);
    fflush(stderr);
}

/* Save the run so far: the checkpoint's meta counts the steps and epochs of
 * this run on top of those the run started from (--model). */
static int save(const char *path, Trainer *t, const CkptMeta *start, RtErr *e) {
    const ViewState *v = trainer_view(t);
    CkptMeta mt = *start;
    mt.step = start->step + (uint64_t)v->step;
    mt.epoch = start->epoch + (uint32_t)v->epoch;
    return ckpt_save(path, trainer_model(t), trainer_adam(t), &mt, e);
}

int cmd_train(int argc, char **argv) {
    Opts o;
    RtErr e = {{0}};
    int pr = cmd_parse("train", &o, argc, argv, ALLOWED, usage);
    if (pr >= 0) return pr;
    if (o.model && (o.given & SHAPE_FLAGS)) return fail(EXIT_USAGE, MF_SHAPE_REFUSED);
    /* without --dataset a checkpoint goes on training on the data it was trained on */
    char saved_name[sizeof((CkptMeta *)0)->dataset] = "fashionmnist";
    if (o.model && !o.dataset) {
        ModelConfig pc;
        CkptMeta pm;
        memset(&pm, 0, sizeof pm);
        if (ckpt_peek(o.model, &pc, &pm, &e)) return fail(EXIT_RUNTIME, e.msg);
        if (pm.dataset[0]) snprintf(saved_name, sizeof saved_name, "%s", pm.dataset);
    }
    const char *dsname = o.dataset ? o.dataset : saved_name;

    Dataset ds;
    memset(&ds, 0, sizeof ds);
    Model m;
    memset(&m, 0, sizeof m);
    Adam adam;
    memset(&adam, 0, sizeof adam);
    CkptMeta meta;
    memset(&meta, 0, sizeof meta);
    Trainer *t = NULL;
    CsvBuf csv = {0};
    int rc = 0;
    g_quiet = 0;

    rc = preflight(&o, dsname);
    if (rc >= 0) return rc;
    rc = 0;
    if (dataset_load(dsname, &ds, &e)) {
        rc = fail(EXIT_RUNTIME, e.msg);
        goto done;
    }
    TrainConfig tc = o.tc;
    if (o.model) {
        ModelFlags mf;
        memset(&mf, 0, sizeof mf);
        mf.given = ((o.given & OPTBIT(OPT_TAU)) ? MF_TAU : 0) |
                   ((o.given & OPTBIT(OPT_SCHEDULE)) ? MF_SCHEDULE : 0) |
                   ((o.given & OPTBIT(OPT_SEED)) ? MF_SEED : 0) |
                   ((o.given & SHAPE_FLAGS) ? MF_SHAPE : 0);
        mf.tau = o.tau;
        mf.nsched = o.nsched;
        memcpy(mf.sched, o.sched, sizeof mf.sched);
        mf.seed = o.tc.seed;
        /* the learning rate is --lr again: the saved one is where the last
         * run's schedule ended */
        int usage = 0;
        if (ckpt_load(o.model, &m, &adam, &meta, &e) ||
            model_flags_merge(&m, o.model, &meta, &ds, &mf, &tc.seed, &usage, &e)) {
            rc = fail(usage ? EXIT_USAGE : EXIT_RUNTIME, e.msg);
            goto done;
        }
    } else {
        ModelConfig mc;
        if (opts_model_config(&o, &mc, ds.train.ch, ds.train.h, ds.train.w, ds.classes, &e)) {
            rc = fail(EXIT_USAGE, e.msg);
            goto done;
        }
        if (model_init(&m, &mc, tc.seed, &e)) {
            rc = fail(EXIT_RUNTIME, e.msg);
            goto done;
        }
        meta.seed = tc.seed;
    }
    snprintf(meta.dataset, sizeof meta.dataset, "%s", ds.name);
    if (opts_check_theta(&o, &m.cfg, &e)) {
        rc = fail(EXIT_USAGE, e.msg);
        goto done;
    }
    t = trainer_new(&m, &ds, &tc, adam.m ? &adam : NULL, &e);
    if (!t) {
        rc = fail(EXIT_RUNTIME, e.msg);
        goto done;
    }
    if (o.csv) { /* the header, written (and checked) before the first epoch */
        if (csv_add(&csv, CSV_HEADER, &e) || aw_write_file(o.csv, csv.s, csv.n, &e)) {
            rc = fail(EXIT_RUNTIME, e.msg);
            goto done;
        }
    }

    static const int SIGS[] = {SIGINT, SIGTERM, SIGHUP};
    struct sigaction sa, old_sa[3];
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    for (int i = 0; i < 3; i++)
        sigaddset(&sa.sa_mask, SIGS[i]);
    g_stop = 0; /* before the handlers: a signal from now on is kept */
    for (int i = 0; i < 3; i++)
        sigaction(SIGS[i], &sa, &old_sa[i]);

    const ViewState *v = trainer_view(t);
    const Model *mm = trainer_model(t);
    int tty = isatty(STDERR_FILENO);
    double t_start = rt_now();
    /* cosine decay from --lr to lr/20 over the run (--lr-schedule const
     * keeps it flat); a NaN rollback halves the whole curve */
    int cosine = !o.lr_const;
    double lr0 = v->lr;
    int nan_run = 0;   /* consecutive NaN/Inf events */
    int nan_total = 0; /* NaN/Inf events in all */
    out_line("training %s on %s: %ld parameters, %d train / %d test images, %d epochs\n",
             m.cfg.arch == ARCH_RT ? "RayTracing network" : "MLP", ds.name, (long)m.n, ds.train.n,
             ds.test.n, o.epochs);
    for (int ep = 1; ep <= o.epochs && !g_stop; ep++) {
        int start_epoch = v->epoch;
        double t0 = rt_now(), last = 0.0;
        int quarter = 0;
        while (v->epoch == start_epoch && !g_stop) {
            if (cosine) {
                double done = ((double)(ep - 1) + v->epoch_frac) / o.epochs;
                trainer_set_lr(t, (float)(lr0 * (LR_FINAL + (1.0 - LR_FINAL) * 0.5 *
                                                                (1.0 + cos(M_PI * done)))));
            }
            int r = trainer_step(t, 1, &e);
            if (r == 1) lr0 *= 0.5;
            if (r < 0) {
                if (tty) fputc('\n', stderr);
                rc = fail(EXIT_RUNTIME, e.msg);
                goto restore;
            }
            if (r == 1) {
                /* Each event rolls back and halves lr. When the weights
                 * themselves overflow, that never ends: give up clearly. */
                nan_run++;
                nan_total++;
                if (nan_run >= NAN_GIVE_UP || nan_total >= NAN_TOTAL_GIVE_UP) {
                    if (tty) fputc('\n', stderr);
                    rc = fail(EXIT_RUNTIME, nan_run >= NAN_GIVE_UP
                                                ? "training diverged: NaN/Inf at every step even "
                                                  "after halving the learning rate 8 times; "
                                                  "restart with a smaller --lr"
                                                : "training diverged: the learning rate was halved "
                                                  "20 times for NaN/Inf; restart with a smaller "
                                                  "--lr");
                    goto restore;
                }
                if (tty) fputc('\n', stderr);
                fail(0, e.msg); /* a NaN/Inf event: reported, training goes on */
            } else
                nan_run = 0;
            double now = rt_now();
            if (tty && now - last > 0.1) {
                progress(ep, o.epochs, v, t0);
                last = now;
            } else if (!tty && v->epoch == start_epoch && (int)(v->epoch_frac * 4.0) > quarter) {
                quarter = (int)(v->epoch_frac * 4.0);
                fprintf(stderr, "epoch %d/%d %3.0f%%  loss %.4f  acc %.1f%%  act %.1f%%  %.0f/s\n",
                        ep, o.epochs, 100.0 * v->epoch_frac, v->loss, v->train_acc, v->act_mean,
                        v->samples_per_s);
            }
        }
        if (tty) fprintf(stderr, "\r\033[K");
        double secs = rt_now() - t0;
        if (v->epoch == start_epoch) break; /* interrupted mid-epoch */
        EvalReport er;
        if (eval_model(mm, &ds.test, mm->cfg.tau, v->floor, o.limit, &er, &e)) {
            rc = fail(EXIT_RUNTIME, e.msg);
            goto restore;
        }
        double sps = ds.train.n / (secs > 0 ? secs : 1e-9);
        /* the counters of the whole run (checkpoints hold at most
         * CKPT_MAX_EPOCH / CKPT_MAX_STEP, so these never overflow) */
        unsigned long long epoch_all =
            (unsigned long long)meta.epoch + (unsigned long long)v->epoch;
        unsigned long long step_all = (unsigned long long)meta.step + (unsigned long long)v->step;
        out_line("epoch %llu  loss %.4f  train %.2f%%  test %.2f%%  act %.1f%%  %.0f samples/s\n",
                 epoch_all, v->loss, v->train_acc, er.accuracy, er.activation_mean, sps);
        int csv_failed = 0;
        RtErr ce = {{0}};
        if (o.csv) {
            char row[512];
            snprintf(row, sizeof row, "%llu,%llu,%.6f,%.4f,%.4f,%.4f,%.4f,%.4f,%ld,%g,%.1f,%.2f\n",
                     epoch_all, step_all, v->loss, v->train_acc, er.accuracy, er.accuracy_theta0,
                     er.activation_mean, er.blocks_mean, er.unreached, v->lr, sps,
                     rt_now() - t_start);
            csv_failed = csv_add(&csv, row, &ce) || aw_write_file(o.csv, csv.s, csv.n, &ce);
        }
        eval_free(&er);
        /* a CSV that cannot be written does not cost the epoch's checkpoint */
        if (o.save) {
            if (save(o.save, t, &meta, &e)) {
                if (csv_failed) fail(EXIT_RUNTIME, ce.msg);
                rc = fail(EXIT_RUNTIME, e.msg);
                goto restore;
            }
        }
        if (csv_failed) {
            char msg[RT_ERRLEN + 96];
            snprintf(msg, sizeof msg, "%s%s", ce.msg,
                     o.save ? "; the checkpoint of this epoch was saved" : "");
            rc = fail(EXIT_RUNTIME, msg);
            goto restore;
        }
    }
    if (g_stop) {
        int sig = g_stop;
        const char *name = sig == SIGTERM ? "SIGTERM" : sig == SIGHUP ? "SIGHUP" : "SIGINT";
        if (tty) fprintf(stderr, "\r\033[K");
        if (o.save) {
            if (save(o.save, t, &meta, &e)) {
                rc = fail(EXIT_RUNTIME, e.msg);
                goto restore;
            }
            char shown[2 * RT_ERRLEN];
            fprintf(stderr, "rtviz train: interrupted (%s) at step %ld; saved %s\n", name, v->step,
                    rt_escape(shown, sizeof shown, o.save));
        } else {
            fprintf(stderr, "rtviz train: interrupted (%s) at step %ld\n", name, v->step);
        }
        rc = 128 + sig;
    }
restore:
    for (int i = 0; i < 3; i++)
        sigaction(SIGS[i], &old_sa[i], NULL);
done:
    free(csv.s);
    trainer_free(t);
    adam_free(&adam);
    model_free(&m);
    dataset_free(&ds);
    return rc;
}
