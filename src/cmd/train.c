/* train.c — `rtviz train`: train a RayTracing network or the MLP baseline on
 * a dataset, one line per epoch (full test-set evaluation), optional CSV log
 * and checkpoint after every epoch. Ctrl-C finishes the current minibatch,
 * saves (with --save) and exits 130. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

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

static volatile sig_atomic_t g_stop; /* set by SIGINT */

static void on_sigint(int sig) {
    (void)sig;
    g_stop = 1;
}

static void usage(FILE *f) {
    fprintf(f, "usage: rtviz train --dataset NAME [--arch rt|mlp] [--epochs N] [--save FILE] "
               "[--csv FILE] [--model FILE] ...\n"
               "Train a RayTracing network (or the MLP baseline); one line per epoch.\n"
               "--model resumes from a checkpoint. Ctrl-C saves (with --save) and stops.\n"
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
    const char *dsname = o.dataset ? o.dataset : "fashionmnist";

    Dataset ds;
    memset(&ds, 0, sizeof ds);
    Model m;
    memset(&m, 0, sizeof m);
    Adam adam;
    memset(&adam, 0, sizeof adam);
    CkptMeta meta;
    memset(&meta, 0, sizeof meta);
    Trainer *t = NULL;
    FILE *csv = NULL;
    int rc = 0;
    char msg[RT_ERRLEN + 64];

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
    t = trainer_new(&m, &ds, &tc, adam.m ? &adam : NULL, &e);
    if (!t) {
        rc = fail(EXIT_RUNTIME, e.msg);
        goto done;
    }
    if (o.csv) {
        csv = fopen(o.csv, "w");
        if (!csv) {
            snprintf(msg, sizeof msg, "%s: cannot write: %s", o.csv, strerror(errno));
            rc = fail(EXIT_RUNTIME, msg);
            goto done;
        }
        fputs("epoch,step,loss,train_acc,test_acc,test_acc_theta0,activation_mean,blocks_mean,"
              "unreached,lr,samples_per_s,seconds\n",
              csv);
        fflush(csv);
    }

    struct sigaction sa, old_sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigint;
    sigemptyset(&sa.sa_mask);
    g_stop = 0; /* before the handler: a Ctrl-C from now on is kept */
    sigaction(SIGINT, &sa, &old_sa);

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
    printf("training %s on %s: %ld parameters, %d train / %d test images, %d epochs\n",
           m.cfg.arch == ARCH_RT ? "RayTracing network" : "MLP", ds.name, (long)m.n, ds.train.n,
           ds.test.n, o.epochs);
    fflush(stdout);
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
                fprintf(stderr, "rtviz train: %s\n", e.msg);
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
        printf("epoch %d  loss %.4f  train %.2f%%  test %.2f%%  act %.1f%%  %.0f samples/s\n",
               (int)meta.epoch + v->epoch, v->loss, v->train_acc, er.accuracy, er.activation_mean,
               sps);
        fflush(stdout);
        if (csv) {
            char row[512];
            int len =
                snprintf(row, sizeof row, "%d,%ld,%.6f,%.4f,%.4f,%.4f,%.4f,%.4f,%ld,%g,%.1f,%.2f\n",
                         (int)meta.epoch + v->epoch, (long)meta.step + v->step, v->loss,
                         v->train_acc, er.accuracy, er.accuracy_theta0, er.activation_mean,
                         er.blocks_mean, er.unreached, v->lr, sps, rt_now() - t_start);
            if (fwrite(row, 1, (size_t)len, csv) != (size_t)len || fflush(csv)) {
                eval_free(&er);
                snprintf(msg, sizeof msg, "%s: write failed: %s", o.csv, strerror(errno));
                rc = fail(EXIT_RUNTIME, msg);
                goto restore;
            }
        }
        eval_free(&er);
        if (o.save) {
            if (save(o.save, t, &meta, &e)) {
                rc = fail(EXIT_RUNTIME, e.msg);
                goto restore;
            }
        }
    }
    if (g_stop) {
        if (tty) fprintf(stderr, "\r\033[K");
        if (o.save) {
            if (save(o.save, t, &meta, &e)) {
                rc = fail(EXIT_RUNTIME, e.msg);
                goto restore;
            }
            fprintf(stderr, "rtviz train: interrupted at step %ld; saved %s\n", v->step, o.save);
        } else {
            fprintf(stderr, "rtviz train: interrupted at step %ld\n", v->step);
        }
        rc = 130;
    }
restore:
    sigaction(SIGINT, &old_sa, NULL);
done:
    if (csv) fclose(csv);
    trainer_free(t);
    adam_free(&adam);
    model_free(&m);
    dataset_free(&ds);
    return rc;
}
