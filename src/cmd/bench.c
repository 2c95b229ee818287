/* bench.c — `rtviz bench`: the speed figures (bench/README.md), all in one run so
 * that ratios are fair on a shared machine.
 *
 *   training   samples/s through trainer_step (shuffle, uint8 -> float,
 *              forward, backward, Adam: what the UI gets) for the dense MLP
 *              784-256-256-10, the default RT net and an RT net widened to the
 *              MLP's parameter count; plus the MLP's bare kernels (the
 *              trainer's calls: mlp_forward_samples, mlp_backward_loss,
 *              mlp_backward_params with the Adam step inside; no stats). Once
 *              from initialisation, and once more after the nets have trained
 *              as long as for the inference figures: an RT step's cost
 *              follows the blocks its sweep fires, which falls as the net
 *              learns (an untrained net runs every sample to θ = 0);
 *   inference  µs per test sample: the full θ sweep of the trained default RT
 *              net (rt_sweep) and of the smallest dense MLP, trained on the
 *              same samples, whose accuracy comes within ACC_SLACK points of
 *              the RT net's;
 *   sgemm      mm_sgemm at one thread on the engine's shapes, OpenBLAS with
 *              its own threads for contrast, and the ceiling: the MLP step's
 *              products run on every pool thread at once;
 *   memory     peak RSS (wait4's ru_maxrss) of a child that loads the data
 *              and trains one full epoch of the default RT net. The child is
 *              forked first, before this process has threads or data.
 *
 * Every timing is a median over repeats, but the two sgemm ceilings, which are
 * the best timing (bench_sgemm). Only this file prints. */
#include <cblas.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "blas.h"
#include "cmd.h"
#include "dataset.h"
#include "json.h"
#include "mlp.h"
#include "model.h"
#include "opts.h"
#include "optim.h"
#include "owndata.h"
#include "pool.h"
#include "rng.h"
#include "rtnet.h"
#include "trainer.h"

#define BENCH_ALLOWED                                                                              \
    (OPTBIT(OPT_JSON) | OPTBIT(OPT_QUICK) | OPTBIT(OPT_THREADS) | OPTBIT(OPT_DATASET))
#define BATCH       128 /* training minibatch (the figure) */
#define INFER_BATCH 256 /* inference batch, same for RT and MLP */
#define ACC_SLACK   0.5 /* "about the same accuracy": within this many points */
#define MAX_REPS    15
#define ACC_EPOCHS  2 /* epochs trained before the inference figures (not --quick) */

/* The speed targets (bench/README.md). */
#define TARGET_MLP_VS_TORCH 2.5
#define TARGET_RT_EPOCH     1.0
#define TARGET_SWEEP        0.5
#define TARGET_RSS_MB       150.0
#define TARGET_MLP_GEMM     0.75 /* MLP training GFLOP/s / the sgemm ceiling */
#define TARGET_SWEEP_MACS   1.2  /* sweep / full forward <= this x the sweep's share of MACs */

typedef struct {
    int quick;       /* --quick */
    int threads;     /* engine pool size actually used */
    int reps;        /* timing repeats (medians) */
    int batches;     /* minibatches per training repeat */
    int warmup;      /* minibatches before timing */
    int infer_reps;  /* full test-set passes per inference figure */
    double gemm_min; /* seconds per sgemm timing sample */
    int acc_batches; /* minibatches trained before the inference figures */
    int rss_batches; /* minibatches of the RSS child (0 = one full epoch) */
} Plan;

typedef struct {
    int M, N, K, ta, tb; /* C(M,N) = op(A)(M,K) op(B)(K,N) */
    const char *what;    /* where the engine uses it */
} Shape;

/* Shapes shown in the table: the RT blocks and the MLP layers. */
/* 784 stands for the input dimension D: replaced by it once the data is
 * loaded (shapes_for). */
static Shape SHOW[] = {
    {128, 32, 784, 0, 1, "RT layer-1 block, whole batch"},
    {32, 32, 784, 0, 1, "RT layer-1 block, 32 gathered rows"},
    {128, 32, 32, 0, 1, "RT deeper block W1"},
    {128, 256, 784, 0, 1, "MLP fc0 forward"},
    {128, 256, 256, 0, 1, "MLP fc1 forward"},
    {256, 784, 128, 1, 0, "MLP fc0 weight gradient"},
};
#define NSHOW ((int)(sizeof SHOW / sizeof SHOW[0]))

/* One training step of the 784-256-256-10 MLP at batch 128 (row-major,
 * Z = A W^T forward; dW = dZ^T A; dA = dZ W), the mix whose rate is the
 * ceiling for the MLP's achieved GFLOP/s. */
static Shape MIX[] = {
    {128, 256, 784, 0, 1, "fc0"}, {128, 256, 256, 0, 1, "fc1"}, {128, 10, 256, 0, 1, "fc2"},
    {10, 256, 128, 1, 0, "dW2"},  {128, 256, 10, 0, 0, "dA2"},  {256, 256, 128, 1, 0, "dW1"},
    {128, 256, 256, 0, 0, "dA1"}, {256, 784, 128, 1, 0, "dW0"},
};
#define NMIX ((int)(sizeof MIX / sizeof MIX[0]))

typedef struct {
    /* dataset */
    char dataset[32];
    char dataset_dir[4096];
    int ntrain, ntest;
    /* training */
    long mlp_params, rt_params, rteq_params;
    int rteq_H;
    double mlp_sps, mlp_kernel_sps, rt_sps, rteq_sps;
    double mlp_gflops;
    /* training again, after trained_samples (the inference nets' training) */
    double t_mlp_sps, t_rt_sps, t_rteq_sps, t_ratio_epoch;
    /* inference */
    long trained_samples;
    double rt_acc, rt_act, rt_blocks, rt_sweep_us;
    double rt_full_us;   /* the same net's forward at θ = 0, every block active */
    double ratio_full;   /* median over rounds of sweep / full forward time */
    double rt_mac_share; /* mean multiply-adds of a sweep / rt_full_macs */
    double mlp_acc, mlp_infer_us;
    char mlp_infer_arch[64];
    long mlp_infer_params;
    int mlp_infer_matched; /* 1 if it reached RT's accuracy minus the slack */
    double mlp256_acc, mlp256_infer_us;
    /* sgemm */
    double show_1t[NSHOW], show_nt[NSHOW];
    int blas_threads; /* OpenBLAS threads of the contrast column */
    double mix_1t, sgemm_ceiling;
    /* memory */
    double peak_rss_mb, rss_epoch_s;
    long rss_samples;
    int rss_ok;
    char rss_note[160];
    int L, B, H;        /* default RT shape */
    char mlp_arch[64];  /* "784-256-256-10" */
    double ratio_epoch; /* median over rounds of MLP / equal-params RT samples/s */
    double ratio_sweep; /* median over rounds of RT sweep / matched MLP time */
} Results;

/* ---- small helpers ------------------------------------------------------- */

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n) {
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

static int progress_on;
static void progress(const char *what) {
    if (!progress_on) return;
    fprintf(stderr, "\r\033[K  measuring: %s", what);
    fflush(stderr);
}
static void progress_end(void) {
    if (progress_on) fprintf(stderr, "\r\033[K");
}

/* Multiply-accumulates of one MLP forward, per sample. */
static long mlp_macs(int D, int C, int nh, const int *hidden) {
    long n = 0;
    int in = D;
    for (int j = 0; j <= nh; j++) {
        int out = j < nh ? hidden[j] : C;
        n += (long)in * out;
        in = out;
    }
    return n;
}

static void mlp_arch_name(char *buf, size_t len, const ModelConfig *c) {
    int k = snprintf(buf, len, "%d", c->D);
    for (int j = 0; j < c->nhidden && k > 0 && (size_t)k < len; j++)
        k += snprintf(buf + k, len - (size_t)k, "-%d", c->hidden[j]);
    if (k > 0 && (size_t)k < len) snprintf(buf + k, len - (size_t)k, "-%d", c->C);
}

/* ---- training throughput ------------------------------------------------- */

/* The MLP's bare kernels, the trainer's calls without its bookkeeping: a
 * shuffled minibatch converted from uint8 in the forward's tasks, forward,
 * backward with the undoable Adam step inside it (mlp.h). */
typedef struct {
    Model m;             /* its own 784-256-256-10 */
    Adam a;              /* its optimiser */
    AdamUndo u;          /* the step's undo buffers, as the trainer keeps them */
    MlpWork *w;          /* workspace for BATCH */
    uint8_t *y;          /* (BATCH) its labels */
    int *perm;           /* shuffled sample order */
    int pos;             /* next position in perm */
    const DataSplit *tr; /* training split */
} Kern;

static void kern_free(Kern *k) {
    adam_free(&k->a);
    adam_undo_free(&k->u);
    free(k->perm);
    free(k->y);
    mlp_work_free(k->w);
    model_free(&k->m);
    memset(k, 0, sizeof *k);
}

static int kern_init(Kern *k, const ModelConfig *mc, const DataSplit *tr, RtErr *e) {
    memset(k, 0, sizeof *k);
    k->tr = tr;
    if (model_init(&k->m, mc, 7, e)) return -1;
    k->w = mlp_work_new(&k->m, BATCH, e);
    k->perm = rt_calloc((size_t)tr->n, sizeof *k->perm, "bench order", e);
    k->y = rt_calloc(BATCH, 1, "bench labels", e);
    if (!k->w || !k->perm || !k->y || adam_init(&k->a, k->m.n, 1e-3f, e) ||
        adam_undo_init(&k->u, k->m.n, e)) {
        kern_free(k);
        return -1;
    }
    Rng rng;
    rng_seed(&rng, 7);
    for (int i = 0; i < tr->n; i++)
        k->perm[i] = i;
    rng_shuffle(&rng, k->perm, tr->n);
    return 0;
}

static void kern_steps(Kern *k, int nb) {
    int n = RT_MIN(BATCH, k->tr->n);
    for (int b = 0; b < nb; b++) {
        if (k->pos + n > k->tr->n) k->pos = 0;
        for (int i = 0; i < n; i++)
            k->y[i] = k->tr->y[k->perm[k->pos + i]];
        mlp_forward_samples(&k->m, k->w, k->tr, k->perm + k->pos, n, NULL);
        k->pos += n;
        mlp_backward_loss(&k->m, k->w, k->y, NULL);
        AdamStep s;
        adam_begin(&k->a, &k->m, &k->u, &s);
        mlp_backward_params(&k->m, k->w, &s);
        adam_end(&k->a, &k->u, &s);
    }
}

enum { TR_MLP, TR_KERN, TR_RT, TR_RTEQ, NTR };

static Trainer *new_trainer(Model *m, const Dataset *ds, const Plan *p, RtErr *e) {
    TrainConfig tc;
    train_config_default(&tc);
    tc.batch = BATCH;
    tc.threads = p->threads;
    tc.seed = 1;
    return trainer_new(m, ds, &tc, NULL, e);
}

/* Samples/s of the four training runs, measured round-robin (repeat r of
 * every run before repeat r+1 of any), so that load changes on a shared
 * machine hit them alike. sps[k] are medians; ratio is the median over
 * rounds of MLP / equal-params RT (the RT epoch / MLP epoch ratio). With
 * kern NULL the bare kernels are left out (sps[TR_KERN] = 0). */
static int time_training(Trainer *tr[NTR], Kern *kern, const Plan *p, double sps[NTR],
                         double *ratio, RtErr *e) {
    double v[NTR][MAX_REPS], q[MAX_REPS];
    for (int r = -1; r < p->reps; r++) { /* r = -1: warm-up */
        int nb = r < 0 ? p->warmup : p->batches;
        for (int j = 0; j < NTR; j++) {
            int k = (j + (r < 0 ? 0 : r)) % NTR; /* rotate who goes first */
            if (k == TR_KERN && !kern) {
                v[k][r < 0 ? 0 : r] = 0.0;
                continue;
            }
            double t0 = rt_now();
            if (k == TR_KERN)
                kern_steps(kern, nb);
            else if (trainer_step(tr[k], nb, e) < 0)
                return -1;
            if (r >= 0) v[k][r] = (double)nb * BATCH / (rt_now() - t0);
        }
        if (r >= 0) q[r] = v[TR_MLP][r] / v[TR_RTEQ][r];
    }
    for (int k = 0; k < NTR; k++)
        sps[k] = median(v[k], p->reps);
    *ratio = median(q, p->reps);
    return 0;
}

/* ---- inference ------------------------------------------------------------ */

typedef struct {
    const DataSplit *te; /* test split */
    const float *Xt;     /* (te->n, d) the test set as floats */
    RtWork *rw;          /* sweep workspace, INFER_BATCH */
    RtSweepOut *out;     /* INFER_BATCH */
    float *probs;        /* (INFER_BATCH, C) */
    float *theta0;       /* (INFER_BATCH) zeros */
    float *mass;         /* (INFER_BATCH) */
    double mac_share;    /* of the last rt_pass: mean sweep multiply-adds / full forward's */
} Infer;

/* One θ sweep over the whole test set; returns seconds. */
static double rt_pass(const Model *m, Infer *in, double *acc, double *act, double *blocks) {
    const DataSplit *te = in->te;
    long correct = 0;
    double asum = 0.0, bsum = 0.0, msum = 0.0, t0 = rt_now();
    for (int o = 0; o < te->n; o += INFER_BATCH) {
        int n = RT_MIN(INFER_BATCH, te->n - o);
        rt_sweep(m, in->rw, in->Xt + (size_t)o * (size_t)te->d, n, m->cfg.tau, 0.0f, in->out, NULL);
        for (int i = 0; i < n; i++) {
            correct += in->out[i].pred == te->y[o + i];
            asum += in->out[i].act_pct;
            bsum += in->out[i].active;
            msum += (double)in->out[i].macs;
        }
    }
    double dt = rt_now() - t0;
    in->mac_share = msum / te->n / (double)rt_full_macs(m);
    *acc = 100.0 * (double)correct / te->n;
    if (act) *act = asum / te->n;
    if (blocks) *blocks = bsum / te->n;
    return dt;
}

/* The RT net's forward at θ = 0 (every block active, no sweep) over the
 * whole test set; returns seconds. */
static double rt_full_pass(const Model *m, Infer *in) {
    const DataSplit *te = in->te;
    double t0 = rt_now();
    for (int o = 0; o < te->n; o += INFER_BATCH) {
        int n = RT_MIN(INFER_BATCH, te->n - o);
        rt_forward(m, in->rw, in->Xt + (size_t)o * (size_t)te->d, n, in->theta0, NULL, in->mass);
    }
    return rt_now() - t0;
}

/* One MLP forward over the whole test set; returns seconds. */
static double mlp_pass(const Model *m, MlpWork *w, Infer *in, double *acc) {
    const DataSplit *te = in->te;
    int C = m->cfg.C;
    long correct = 0;
    double t0 = rt_now();
    for (int o = 0; o < te->n; o += INFER_BATCH) {
        int n = RT_MIN(INFER_BATCH, te->n - o);
        mlp_forward(m, w, in->Xt + (size_t)o * (size_t)te->d, n, in->probs);
        for (int i = 0; i < n; i++) {
            correct += rt_argmax(in->probs + (size_t)i * C, C) == te->y[o + i];
        }
    }
    double dt = rt_now() - t0;
    *acc = 100.0 * (double)correct / te->n;
    return dt;
}

/* ---- sgemm ------------------------------------------------------------------ */

typedef struct {
    float *A, *B, *C; /* per-thread operands, big enough for every shape */
} GemmBuf;

static int GEMM_ELEMS = 256 * 784; /* floats per operand: 256 x max(D, 256) */

/* Put the dataset's input dimension D in place of 784 in the shapes, and the
 * default RT block width H in place of 32 in the RT ones (the first three). */
static void shapes_for(int D, int H) {
    for (int k = 0; k < NSHOW; k++) {
        if (SHOW[k].N == 784) SHOW[k].N = D;
        if (SHOW[k].K == 784) SHOW[k].K = D;
        if (k < 3 && SHOW[k].N == 32) SHOW[k].N = H;
        if (k < 3 && SHOW[k].K == 32) SHOW[k].K = H;
    }
    for (int k = 0; k < NMIX; k++) {
        if (MIX[k].N == 784) MIX[k].N = D;
        if (MIX[k].K == 784) MIX[k].K = D;
    }
    GEMM_ELEMS = 256 * RT_MAX(D, 256);
}

static int gemm_buf_init(GemmBuf *g, uint64_t seed, RtErr *e) {
    g->A = rt_calloc(GEMM_ELEMS, sizeof(float), "bench sgemm A", e);
    g->B = rt_calloc(GEMM_ELEMS, sizeof(float), "bench sgemm B", e);
    g->C = rt_calloc(GEMM_ELEMS, sizeof(float), "bench sgemm C", e);
    if (!g->A || !g->B || !g->C) return -1;
    Rng r;
    rng_seed(&r, seed);
    for (int i = 0; i < GEMM_ELEMS; i++) {
        g->A[i] = rng_uniform(&r) - 0.5f;
        g->B[i] = rng_uniform(&r) - 0.5f;
    }
    return 0;
}

static void gemm_buf_free(GemmBuf *g) {
    free(g->A);
    free(g->B);
    free(g->C);
}

static void run_shape(const Shape *s, GemmBuf *g) {
    int lda = s->ta ? s->M : s->K, ldb = s->tb ? s->K : s->N;
    mm_sgemm(s->ta, s->tb, s->M, s->N, s->K, 1.0f, g->A, lda, g->B, ldb, 0.0f, g->C, s->N);
}

static double shape_flops(const Shape *s) { return 2.0 * s->M * s->N * s->K; }

/* GFLOP/s of one shape on the calling thread, over at least tmin seconds. */
static double time_shape(const Shape *s, GemmBuf *g, double tmin) {
    long it = 0;
    double t0 = rt_now(), dt;
    do {
        run_shape(s, g);
        it++;
    } while ((dt = rt_now() - t0) < tmin);
    return shape_flops(s) * (double)it / dt * 1e-9;
}

typedef struct {
    GemmBuf *buf; /* one per thread */
    int iters;    /* MLP step mixes per task */
} MixCtx;

static void mix_task(void *vctx, int task, int thread) {
    (void)thread;
    MixCtx *cx = vctx;
    for (int it = 0; it < cx->iters; it++)
        for (int k = 0; k < NMIX; k++)
            run_shape(&MIX[k], &cx->buf[task]);
}

static double mix_flops(void) {
    double f = 0.0;
    for (int k = 0; k < NMIX; k++)
        f += shape_flops(&MIX[k]);
    return f;
}

/* GFLOP/s of the MLP step mix run on ntasks pool threads at once (one task
 * per thread, each with its own operands). */
static double time_mix(MixCtx *cx, int ntasks) {
    double t0 = rt_now();
    pool_run(mix_task, cx, ntasks);
    return mix_flops() * cx->iters * ntasks / (rt_now() - t0) * 1e-9;
}

/* The best of `k` timings of the mix on ntasks threads, each a third of the
 * calibrated length. */
static double best_mix(MixCtx *cx, int ntasks, int k) {
    MixCtx c3 = *cx;
    c3.iters = RT_MAX(1, cx->iters / 3);
    double best = 0.0;
    for (int i = 0; i < k; i++) {
        double g = time_mix(&c3, ntasks);
        best = g > best ? g : best;
    }
    return best;
}

/* Round-robin like the training figures: each repeat times the mix at one
 * thread, the mix on every thread, and every shown shape at one thread; then
 * the same shapes with OpenBLAS's own threads (switched per repeat).
 *
 * The two mix figures are what the machine can do, so they are the best
 * timing, not the median: on a shared machine another process taking a core
 * for part of a timing only ever lowers it (a median of a few long timings
 * moved by 1.5x between runs a minute apart). Each repeat takes the best of
 * three short timings, and the figure is the best over the repeats. */
static int bench_sgemm(const Plan *p, Results *R, RtErr *e) {
    int nt = p->threads, rc = -1;
    GemmBuf *buf = rt_calloc((size_t)nt, sizeof *buf, "bench sgemm buffers", e);
    if (!buf) return -1;
    for (int t = 0; t < nt; t++)
        if (gemm_buf_init(&buf[t], 100 + (uint64_t)t, e)) goto out;
    progress("sgemm");
    MixCtx cx = {buf, 1};
    pool_run(mix_task, &cx, 1); /* warm-up, then calibrate */
    double t0 = rt_now();
    pool_run(mix_task, &cx, 1);
    double one = RT_MAX(rt_now() - t0, 1e-6);
    cx.iters = RT_MAX(1, (int)(p->gemm_min / one));
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    R->blas_threads = ncpu >= 2 ? (int)RT_MIN(ncpu, 64) : 2;
    double m1[MAX_REPS] = {0}, mn[MAX_REPS] = {0}, s1[NSHOW][MAX_REPS], sn[NSHOW][MAX_REPS];
    for (int r = 0; r < p->reps; r++) {
        m1[r] = best_mix(&cx, 1, 3);
        mn[r] = nt > 1 ? best_mix(&cx, nt, 3) : m1[r];
        for (int k = 0; k < NSHOW; k++)
            s1[k][r] = time_shape(&SHOW[k], &buf[0], p->gemm_min / 4);
        openblas_set_num_threads(R->blas_threads);
        for (int k = 0; k < NSHOW; k++)
            sn[k][r] = time_shape(&SHOW[k], &buf[0], p->gemm_min / 4);
        blas_init(); /* back to one thread */
    }
    R->mix_1t = m1[0];
    R->sgemm_ceiling = mn[0];
    for (int r = 1; r < p->reps; r++) {
        R->mix_1t = RT_MAX(R->mix_1t, m1[r]);
        R->sgemm_ceiling = RT_MAX(R->sgemm_ceiling, mn[r]);
    }
    for (int k = 0; k < NSHOW; k++) {
        R->show_1t[k] = median(s1[k], p->reps);
        R->show_nt[k] = median(sn[k], p->reps);
    }
    rc = 0;
out:
    for (int t = 0; t < nt; t++)
        gemm_buf_free(&buf[t]);
    free(buf);
    return rc;
}

/* ---- peak RSS of a full epoch (child process) ------------------------------ */

/* Child: load the data, train the default RT net for one epoch (or
 * p->rss_batches), report the batches and seconds through a pipe, exit. */
static void rss_child(const char *dsname, const Plan *p, int wfd) {
    RtErr e = {{0}};
    Dataset ds;
    Model m;
    ModelConfig mc;
    long out[2] = {0, 0};
    double t0 = rt_now();
    blas_init();
    if (pool_init(p->threads)) _exit(3);
    if (dataset_load(dsname, &ds, &e)) _exit(4);
    model_config_default(&mc, ARCH_RT, ds.train.ch, ds.train.h, ds.train.w, ds.classes);
    if (model_init(&m, &mc, 1, &e)) _exit(5);
    TrainConfig tc;
    train_config_default(&tc);
    tc.batch = BATCH;
    tc.threads = p->threads;
    Trainer *t = trainer_new(&m, &ds, &tc, NULL, &e);
    if (!t) _exit(6);
    int nb = (ds.train.n + BATCH - 1) / BATCH;
    if (p->rss_batches > 0) nb = RT_MIN(nb, p->rss_batches);
    t0 = rt_now();
    if (trainer_step(t, nb, &e) < 0) _exit(7);
    out[0] = nb;
    out[1] = (long)((rt_now() - t0) * 1e6);
    if (write(wfd, out, sizeof out) != (ssize_t)sizeof out) _exit(8);
    _exit(0);
}

static void bench_rss(const char *dsname, const Plan *p, Results *R) {
    int fd[2];
    R->rss_ok = 0;
    if (pipe(fd)) {
        snprintf(R->rss_note, sizeof R->rss_note, "pipe failed");
        return;
    }
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0) {
        close(fd[0]);
        close(fd[1]);
        snprintf(R->rss_note, sizeof R->rss_note, "fork failed");
        return;
    }
    if (pid == 0) {
        close(fd[0]);
        rss_child(dsname, p, fd[1]);
        _exit(9);
    }
    close(fd[1]);
    long got[2] = {0, 0};
    ssize_t k = read(fd[0], got, sizeof got);
    close(fd[0]);
    int st = 0;
    struct rusage ru;
    memset(&ru, 0, sizeof ru);
    if (wait4(pid, &st, 0, &ru) < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0 ||
        k != (ssize_t)sizeof got) {
        snprintf(R->rss_note, sizeof R->rss_note, "training child failed (status %d)",
                 WIFEXITED(st) ? WEXITSTATUS(st) : -1);
        return;
    }
    R->rss_ok = 1;
    R->peak_rss_mb = ru.ru_maxrss / 1024.0; /* Linux: kilobytes */
    R->rss_samples = got[0] * BATCH;
    R->rss_epoch_s = got[1] * 1e-6;
}

/* ---- the run ------------------------------------------------------------------ */

static void plan_make(Plan *p, int quick, int threads) {
    memset(p, 0, sizeof *p);
    p->quick = quick;
    p->threads = threads;
    p->reps = quick ? 3 : 7;
    p->batches = quick ? 5 : 20;
    p->warmup = quick ? 2 : 5;
    p->infer_reps = quick ? 3 : 5;
    p->gemm_min = quick ? 0.01 : 0.05;
    p->acc_batches = 0; /* set once the dataset is known */
    p->rss_batches = quick ? 10 : 0;
}

/* Resolve the dataset: --dataset NAME, else fashionmnist if installed, else
 * the embedded sample. */
static int pick_dataset(const Opts *o, char *name, size_t len, char *why, size_t wlen, RtErr *e) {
    char dir[4096];
    why[0] = 0;
    if (o->given & OPTBIT(OPT_DATASET)) {
        snprintf(name, len, "%s", o->dataset);
        if (!dataset_lookup(o->dataset)) return 0; /* one's own data: dataset_load reads it */
        return dataset_locate(name, dir, sizeof dir, e);
    }
    RtErr miss = {{0}};
    if (dataset_locate("fashionmnist", dir, sizeof dir, &miss) == 0) {
        snprintf(name, len, "fashionmnist");
        return 0;
    }
    snprintf(name, len, "sample");
    snprintf(why, wlen, "Fashion-MNIST is not installed, using the sample set");
    return dataset_locate(name, dir, sizeof dir, e);
}

static int run_bench(const Plan *p0, Results *R, const char *dsname, RtErr *e) {
    Plan P = *p0, *p = &P;
    Dataset ds;
    Model mlp, rt, rteq, cm;
    Kern kern;
    Trainer *tr[NTR] = {NULL};
    Infer in;
    MlpWork *w256 = NULL, *wc = NULL;
    int have_cm = 0, rc = -1;
    memset(&ds, 0, sizeof ds);
    memset(&mlp, 0, sizeof mlp);
    memset(&rt, 0, sizeof rt);
    memset(&rteq, 0, sizeof rteq);
    memset(&cm, 0, sizeof cm);
    memset(&kern, 0, sizeof kern);
    memset(&in, 0, sizeof in);

    progress("loading data");
    if (dataset_load(dsname, &ds, e)) return -1;
    snprintf(R->dataset, sizeof R->dataset, "%s", ds.name);
    snprintf(R->dataset_dir, sizeof R->dataset_dir, "%s", ds.dir);
    R->ntrain = ds.train.n;
    R->ntest = ds.test.n;
    int ch = ds.train.ch, h = ds.train.h, w = ds.train.w, C = ds.classes;
    int epoch_batches = (ds.train.n + BATCH - 1) / BATCH;
    p->acc_batches = p->quick ? RT_MIN(epoch_batches, 60) : ACC_EPOCHS * epoch_batches;

    /* --- the models --- */
    ModelConfig mc_mlp, mc_rt, mc_eq;
    model_config_default(&mc_mlp, ARCH_MLP, ch, h, w, C);
    mc_mlp.nhidden = 2;
    mc_mlp.hidden[0] = mc_mlp.hidden[1] = 256;
    model_config_default(&mc_rt, ARCH_RT, ch, h, w, C);
    R->mlp_params = (long)model_param_count(&mc_mlp);
    mlp_arch_name(R->mlp_arch, sizeof R->mlp_arch, &mc_mlp);
    R->rt_params = (long)model_param_count(&mc_rt);
    R->L = mc_rt.L;
    R->B = mc_rt.B;
    R->H = mc_rt.H;
    shapes_for(ds.train.d, mc_rt.H);
    mc_eq = mc_rt; /* widen H until the totals match */
    long best = -1;
    for (int H = 1; H <= 4096; H++) {
        mc_eq.H = H;
        long d = labs((long)model_param_count(&mc_eq) - R->mlp_params);
        if (best < 0 || d < best) {
            best = d;
            R->rteq_H = H;
        }
    }
    mc_eq.H = R->rteq_H;
    R->rteq_params = (long)model_param_count(&mc_eq);
    if (model_init(&mlp, &mc_mlp, 1, e) || model_init(&rt, &mc_rt, 1, e) ||
        model_init(&rteq, &mc_eq, 1, e))
        goto out;

    /* --- training throughput, round-robin --- */
    progress("training throughput");
    if (!(tr[TR_MLP] = new_trainer(&mlp, &ds, p, e)) ||
        !(tr[TR_RT] = new_trainer(&rt, &ds, p, e)) ||
        !(tr[TR_RTEQ] = new_trainer(&rteq, &ds, p, e)) || kern_init(&kern, &mc_mlp, &ds.train, e))
        goto out;
    double sps[NTR];
    if (time_training(tr, &kern, p, sps, &R->ratio_epoch, e)) goto out;
    R->mlp_sps = sps[TR_MLP];
    R->mlp_kernel_sps = sps[TR_KERN];
    R->rt_sps = sps[TR_RT];
    R->rteq_sps = sps[TR_RTEQ];
    R->mlp_gflops = R->mlp_sps * 3.0 * 2.0 * (double)mlp_macs(mc_mlp.D, C, 2, mc_mlp.hidden) * 1e-9;
    kern_free(&kern);

    /* --- sgemm --- */
    if (bench_sgemm(p, R, e)) goto out;

    /* --- inference: train RT and the MLPs on the same samples --- */
    in.te = &ds.test;
    float *Xt = rt_calloc((size_t)ds.test.n * (size_t)ds.test.d, sizeof *Xt, "bench test set", e);
    in.Xt = Xt;
    in.rw = rt_work_new(&rt, INFER_BATCH, e);
    in.out = rt_calloc(INFER_BATCH, sizeof *in.out, "bench sweep", e);
    in.probs = rt_calloc((size_t)INFER_BATCH * (size_t)C, sizeof *in.probs, "bench probs", e);
    in.theta0 = rt_calloc(INFER_BATCH, sizeof *in.theta0, "bench θ", e);
    in.mass = rt_calloc(INFER_BATCH, sizeof *in.mass, "bench mass", e);
    w256 = mlp_work_new(&mlp, INFER_BATCH, e);
    if (!Xt || !in.rw || !in.out || !in.probs || !in.theta0 || !in.mass || !w256) goto out;
    data_batch_float(&ds.test, NULL, ds.test.n, Xt);
    int done = p->warmup + p->reps * p->batches;
    int total = RT_MAX(done, p->acc_batches);
    R->trained_samples = (long)total * BATCH;
    progress("training RT and MLP for the inference figures");
    if (trainer_step(tr[TR_RT], total - done, e) < 0 ||
        trainer_step(tr[TR_MLP], total - done, e) < 0 ||
        trainer_step(tr[TR_RTEQ], total - done, e) < 0)
        goto out;
    rt_pass(&rt, &in, &R->rt_acc, &R->rt_act, &R->rt_blocks);
    mlp_pass(&mlp, w256, &in, &R->mlp256_acc);

    /* the smallest MLP within ACC_SLACK points of the RT net's accuracy */
    static const int CAND[] = {16, 32, 64, 128, 256};
    R->mlp_infer_matched = 0;
    for (int k = 0; k < (int)(sizeof CAND / sizeof CAND[0]) && !R->mlp_infer_matched; k++) {
        ModelConfig mc;
        model_config_default(&mc, ARCH_MLP, ch, h, w, C);
        mc.nhidden = 1;
        mc.hidden[0] = CAND[k];
        char label[96];
        mlp_arch_name(R->mlp_infer_arch, sizeof R->mlp_infer_arch, &mc);
        snprintf(label, sizeof label, "training MLP %s", R->mlp_infer_arch);
        progress(label);
        if (have_cm) {
            mlp_work_free(wc);
            wc = NULL;
            model_free(&cm);
            have_cm = 0;
        }
        if (model_init(&cm, &mc, 1, e)) goto out;
        have_cm = 1;
        Trainer *ct = new_trainer(&cm, &ds, p, e);
        if (!ct) goto out;
        int ok = trainer_step(ct, total, e) >= 0;
        trainer_free(ct);
        if (!ok || !(wc = mlp_work_new(&cm, INFER_BATCH, e))) goto out;
        mlp_pass(&cm, wc, &in, &R->mlp_acc);
        R->mlp_infer_params = (long)cm.n;
        R->mlp_infer_matched = R->mlp_acc >= R->rt_acc - ACC_SLACK;
    }
    Model *mm = &cm;
    MlpWork *mw = wc;
    if (!R->mlp_infer_matched) { /* none of one layer: the 784-256-256-10 */
        mlp_arch_name(R->mlp_infer_arch, sizeof R->mlp_infer_arch, &mc_mlp);
        mm = &mlp;
        mw = w256;
        R->mlp_acc = R->mlp256_acc;
        R->mlp_infer_params = R->mlp_params;
        R->mlp_infer_matched = R->mlp256_acc >= R->rt_acc - ACC_SLACK;
    }

    /* --- inference timing, round-robin --- */
    progress("inference");
    double vr[MAX_REPS], vm[MAX_REPS], v2[MAX_REPS], vf[MAX_REPS], q[MAX_REPS], qf[MAX_REPS], acc;
    for (int r = 0; r < p->infer_reps; r++) {
        vr[r] = rt_pass(&rt, &in, &acc, NULL, NULL) * 1e6 / ds.test.n;
        vf[r] = rt_full_pass(&rt, &in) * 1e6 / ds.test.n;
        vm[r] = mlp_pass(mm, mw, &in, &acc) * 1e6 / ds.test.n;
        v2[r] = mlp_pass(&mlp, w256, &in, &acc) * 1e6 / ds.test.n;
        q[r] = vr[r] / vm[r];
        qf[r] = vr[r] / vf[r];
    }
    R->rt_mac_share = in.mac_share;
    R->rt_full_us = median(vf, p->infer_reps);
    R->ratio_full = median(qf, p->infer_reps);
    R->rt_sweep_us = median(vr, p->infer_reps);
    R->mlp_infer_us = median(vm, p->infer_reps);
    R->mlp256_infer_us = median(v2, p->infer_reps);
    R->ratio_sweep = median(q, p->infer_reps);

    /* --- training again, the nets trained (last: it trains them further) --- */
    progress("training throughput, trained nets");
    if (time_training(tr, NULL, p, sps, &R->t_ratio_epoch, e)) goto out;
    R->t_mlp_sps = sps[TR_MLP];
    R->t_rt_sps = sps[TR_RT];
    R->t_rteq_sps = sps[TR_RTEQ];
    rc = 0;
out:
    progress_end();
    for (int k = 0; k < NTR; k++)
        trainer_free(tr[k]);
    kern_free(&kern);
    free((void *)in.Xt);
    rt_work_free(in.rw);
    free(in.out);
    free(in.probs);
    free(in.theta0);
    free(in.mass);
    mlp_work_free(w256);
    mlp_work_free(wc);
    if (have_cm) model_free(&cm);
    model_free(&mlp);
    model_free(&rt);
    model_free(&rteq);
    dataset_free(&ds);
    return rc;
}

/* ---- output ------------------------------------------------------------------- */

static double safe_div(double a, double b) { return b > 0.0 ? a / b : 0.0; }

/* The figures as one JSON document (docs/DESIGN.md §3.4); keys in
 * bench/README.md. Returns the text (free it) or NULL with e filled. */
static char *bench_json(const Results *R, const Plan *p, RtErr *e) {
    double r_epoch = R->ratio_epoch, r_sweep = R->ratio_sweep;
    double r_gemm = safe_div(R->mlp_gflops, R->sgemm_ceiling);
    cJSON *d = cJSON_CreateObject(), *shapes = NULL;
    int ok =
        d && cJSON_AddStringToObject(d, "dataset", R->dataset) &&
        cJSON_AddStringToObject(d, "dataset_dir", R->dataset_dir) &&
        json_add_int(d, "train_samples", R->ntrain) && json_add_int(d, "test_samples", R->ntest) &&
        json_add_int(d, "threads", p->threads) &&
        cJSON_AddStringToObject(d, "openblas_core", blas_core()) &&
        json_add_int(d, "simd_level", rt_simd_level(-1)) &&
        cJSON_AddBoolToObject(d, "quick", p->quick) && json_add_int(d, "batch", BATCH) &&
        json_add_int(d, "repeats", p->reps) && json_add_int(d, "mlp_params", R->mlp_params) &&
        json_add_real(d, "mlp_train_samples_per_s", R->mlp_sps, "%.1f") &&
        json_add_real(d, "mlp_train_gflops", R->mlp_gflops, "%.3f") &&
        json_add_real(d, "mlp_kernel_train_samples_per_s", R->mlp_kernel_sps, "%.1f") &&
        json_add_int(d, "rt_params", R->rt_params) &&
        json_add_real(d, "rt_train_samples_per_s", R->rt_sps, "%.1f") &&
        json_add_int(d, "rt_equal_params_H", R->rteq_H) &&
        json_add_int(d, "rt_equal_params_params", R->rteq_params) &&
        json_add_real(d, "rt_equal_params_train_samples_per_s", R->rteq_sps, "%.1f") &&
        json_add_int(d, "inference_trained_samples", R->trained_samples) &&
        json_add_real(d, "trained_mlp_train_samples_per_s", R->t_mlp_sps, "%.1f") &&
        json_add_real(d, "trained_rt_train_samples_per_s", R->t_rt_sps, "%.1f") &&
        json_add_real(d, "trained_rt_equal_params_train_samples_per_s", R->t_rteq_sps, "%.1f") &&
        json_add_real(d, "rt_sweep_us_per_sample", R->rt_sweep_us, "%.3f") &&
        json_add_real(d, "rt_accuracy", R->rt_acc, "%.2f") &&
        json_add_real(d, "rt_activation_pct", R->rt_act, "%.2f") &&
        json_add_real(d, "rt_active_blocks", R->rt_blocks, "%.2f") &&
        json_add_real(d, "rt_full_us_per_sample", R->rt_full_us, "%.3f") &&
        json_add_real(d, "ratio_rt_sweep_over_rt_full", R->ratio_full, "%.4f") &&
        json_add_real(d, "rt_sweep_mac_share", R->rt_mac_share, "%.4f") &&
        cJSON_AddBoolToObject(d, "target_sweep_follows_macs_met",
                              R->ratio_full > 0 &&
                                  R->ratio_full <= TARGET_SWEEP_MACS * R->rt_mac_share) &&
        cJSON_AddStringToObject(d, "mlp_infer_arch", R->mlp_infer_arch) &&
        json_add_int(d, "mlp_infer_params", R->mlp_infer_params) &&
        cJSON_AddBoolToObject(d, "mlp_infer_matched_accuracy", R->mlp_infer_matched) &&
        json_add_real(d, "mlp_infer_us_per_sample", R->mlp_infer_us, "%.3f") &&
        json_add_real(d, "mlp_infer_accuracy", R->mlp_acc, "%.2f") &&
        json_add_real(d, "mlp256_infer_us_per_sample", R->mlp256_infer_us, "%.3f") &&
        json_add_real(d, "mlp256_accuracy", R->mlp256_acc, "%.2f") &&
        json_add_real(d, "sgemm_gflops", R->sgemm_ceiling, "%.3f") &&
        json_add_real(d, "sgemm_1thread_gflops", R->mix_1t, "%.3f") &&
        (shapes = cJSON_AddArrayToObject(d, "sgemm_shapes"));
    char nt_key[48];
    snprintf(nt_key, sizeof nt_key, "gflops_openblas_%dthreads", R->blas_threads);
    for (int k = 0; ok && k < NSHOW; k++) {
        cJSON *s = cJSON_CreateObject();
        ok = s && cJSON_AddItemToArray(shapes, s) && json_add_int(s, "M", SHOW[k].M) &&
             json_add_int(s, "N", SHOW[k].N) && json_add_int(s, "K", SHOW[k].K) &&
             json_add_real(s, "gflops_1thread", R->show_1t[k], "%.3f") &&
             json_add_real(s, nt_key, R->show_nt[k], "%.3f");
    }
    ok = ok && json_add_real(d, "peak_rss_mb", R->rss_ok ? R->peak_rss_mb : 0.0, "%.2f") &&
         json_add_int(d, "peak_rss_train_samples", R->rss_samples) &&
         json_add_real(d, "rss_run_seconds", R->rss_epoch_s, "%.3f") &&
         json_add_real(d, "ratio_rt_epoch_over_mlp_epoch", r_epoch, "%.4f") &&
         json_add_real(d, "ratio_rt_epoch_over_mlp_epoch_trained", R->t_ratio_epoch, "%.4f") &&
         json_add_real(d, "ratio_rt_sweep_over_mlp_infer", r_sweep, "%.4f") &&
         json_add_real(d, "ratio_rt_sweep_over_mlp256_infer",
                       safe_div(R->rt_sweep_us, R->mlp256_infer_us), "%.4f") &&
         json_add_real(d, "ratio_mlp_gflops_over_sgemm", r_gemm, "%.4f") &&
         cJSON_AddBoolToObject(d, "target_mlp_gemm_met", r_gemm >= TARGET_MLP_GEMM) &&
         cJSON_AddBoolToObject(d, "target_rt_epoch_met",
                               r_epoch > 0 && r_epoch <= TARGET_RT_EPOCH) &&
         cJSON_AddBoolToObject(d, "target_rt_epoch_trained_met",
                               R->t_ratio_epoch > 0 && R->t_ratio_epoch <= TARGET_RT_EPOCH) &&
         cJSON_AddBoolToObject(d, "target_sweep_met", r_sweep > 0 && r_sweep <= TARGET_SWEEP) &&
         cJSON_AddBoolToObject(d, "target_rss_met",
                               R->rss_ok && R->peak_rss_mb <= TARGET_RSS_MB && !p->quick);
    char *t = ok ? json_render(d, JSON_PRETTY, NULL, e) : NULL;
    if (!ok) rt_err(e, "out of memory");
    cJSON_Delete(d);
    return t;
}

static const char *verdict(double v, double target) {
    return v > 0 && v <= target ? "met" : "MISSED";
}

/* The MLP's, the default RT net's and the equal-params RT net's training rows. */
static void train_rows(const Results *R, const char *how, double mlp, double rt, double rteq) {
    char lab[160];
    snprintf(lab, sizeof lab, "MLP %s, %s", R->mlp_arch, how);
    printf("  %-42s %10ld %12.0f %9.2f\n", lab, R->mlp_params, mlp,
           mlp * safe_div(R->mlp_gflops, R->mlp_sps));
    snprintf(lab, sizeof lab, "RT L%d B%d H%d (default), %s", R->L, R->B, R->H, how);
    printf("  %-42s %10ld %12.0f\n", lab, R->rt_params, rt);
    snprintf(lab, sizeof lab, "RT L%d B%d H%d (equal params), %s", R->L, R->B, R->rteq_H, how);
    printf("  %-42s %10ld %12.0f\n", lab, R->rteq_params, rteq);
}

static void print_human(const Results *R, const Plan *p, const char *why) {
    double r_epoch = R->ratio_epoch, r_sweep = R->ratio_sweep;
    double r_gemm = safe_div(R->mlp_gflops, R->sgemm_ceiling);
    char lab[160];
    char name[512], dir[1024]; /* a path of one's own data can hold control characters */
    printf("rtviz bench: %s (%s, %d train / %d test)%s%s\n",
           rt_escape(name, sizeof name, R->dataset), rt_escape(dir, sizeof dir, R->dataset_dir),
           R->ntrain, R->ntest, why[0] ? "; " : "", why);
    static const char *const level[] = {"scalar", "AVX2", "AVX-512"};
    int lv = rt_simd_level(-1);
    printf("engine threads %d, kernels %s; OpenBLAS 1 thread, core %s; medians of %d repeats%s\n\n",
           p->threads, lv >= 0 && lv <= 2 ? level[lv] : "?", blas_core(), p->reps,
           p->quick ? " (--quick)" : "");

    printf("%-44s %10s %12s %9s\n", "training (batch 128, Adam)", "params", "samples/s", "GFLOP/s");
    train_rows(R, "trainer_step", R->mlp_sps, R->rt_sps, R->rteq_sps);
    snprintf(lab, sizeof lab, "MLP %s, bare kernels", R->mlp_arch);
    printf("  %-42s %10ld %12.0f %9.2f\n", lab, R->mlp_params, R->mlp_kernel_sps,
           R->mlp_kernel_sps * safe_div(R->mlp_gflops, R->mlp_sps));
    printf("  after %ld samples of training (the inference nets'):\n", R->trained_samples);
    train_rows(R, "trained", R->t_mlp_sps, R->t_rt_sps, R->t_rteq_sps);

    printf("\n%-44s %10s %12s %9s\n", "inference (whole test set, batches of 256)", "params",
           "us/sample", "accuracy");
    printf("  %-42s %10ld %12.2f %8.2f%%\n", "RT default, full θ sweep", R->rt_params,
           R->rt_sweep_us, R->rt_acc);
    printf("    (mean activation %.1f%%, %.1f of %d blocks active; all nets trained %ld samples)\n",
           R->rt_act, R->rt_blocks, R->L * R->B, R->trained_samples);
    printf("  %-42s %10ld %12.2f\n", "RT default, forward at θ = 0 (every block)", R->rt_params,
           R->rt_full_us);
    printf("    (the sweep performs %.1f%% of the full forward's multiply-adds)\n",
           100.0 * R->rt_mac_share);
    snprintf(lab, sizeof lab, "MLP %s (%s)", R->mlp_infer_arch,
             R->mlp_infer_matched ? "smallest as accurate" : "none as accurate: largest");
    printf("  %-42s %10ld %12.2f %8.2f%%\n", lab, R->mlp_infer_params, R->mlp_infer_us, R->mlp_acc);
    snprintf(lab, sizeof lab, "MLP %s (reference)", R->mlp_arch);
    printf("  %-42s %10ld %12.2f %8.2f%%\n", lab, R->mlp_params, R->mlp256_infer_us, R->mlp256_acc);

    printf("\n%-44s %12s %12s\n", "sgemm GFLOP/s (M x N x K)", "1 thread", "");
    printf("%-44s %12s %9s %d\n", "", "mm_sgemm", "OpenBLAS", R->blas_threads);
    for (int k = 0; k < NSHOW; k++) {
        char s[64];
        snprintf(s, sizeof s, "%dx%dx%d%s %s", SHOW[k].M, SHOW[k].N, SHOW[k].K,
                 SHOW[k].ta ? "^T" : "", SHOW[k].what);
        printf("  %-42s %12.2f %12.2f\n", s, R->show_1t[k], R->show_nt[k]);
    }
    printf("  %-42s %12.2f\n", "MLP step mix, 1 thread", R->mix_1t);
    snprintf(lab, sizeof lab, "MLP step mix, %d thread%s at once (ceiling, best)", p->threads,
             p->threads > 1 ? "s" : "");
    printf("  %-42s %12.2f\n", lab, R->sgemm_ceiling);

    printf("\nmemory\n");
    if (R->rss_ok)
        printf("  peak RSS, RT default training %ld samples (%s): %.1f MB in %.1f s\n",
               R->rss_samples, p->quick ? "--quick: not a full epoch" : "one full epoch",
               R->peak_rss_mb, R->rss_epoch_s);
    else
        printf("  peak RSS: not measured (%s)\n", R->rss_note);

    printf("\n%-44s %10s %10s\n", "ratios", "value", "target");
    printf("  %-42s %10.2f %7s %s\n", "RT epoch / equal-params MLP epoch, from init", r_epoch,
           "<= 1.0", verdict(r_epoch, TARGET_RT_EPOCH));
    printf("  %-42s %10.2f %7s %s\n", "RT epoch / equal-params MLP epoch, trained",
           R->t_ratio_epoch, "<= 1.0", verdict(R->t_ratio_epoch, TARGET_RT_EPOCH));
    printf("  %-42s %10.2f %7s %s\n", "RT sweep / MLP inference (same accuracy)", r_sweep, "<= 0.5",
           verdict(r_sweep, TARGET_SWEEP));
    snprintf(lab, sizeof lab, "<= %.2f", TARGET_SWEEP_MACS * R->rt_mac_share);
    printf("  %-42s %10.2f %7s %s\n", "RT sweep / RT forward at θ = 0", R->ratio_full, lab,
           R->ratio_full > 0 && R->ratio_full <= TARGET_SWEEP_MACS * R->rt_mac_share ? "met"
                                                                                     : "MISSED");
    snprintf(lab, sizeof lab, "RT sweep / MLP %s inference", R->mlp_arch);
    printf("  %-42s %10.2f\n", lab, safe_div(R->rt_sweep_us, R->mlp256_infer_us));
    printf("  %-42s %10.2f %7s %s\n", "MLP GFLOP/s / sgemm ceiling", r_gemm, ">= 0.75",
           r_gemm >= TARGET_MLP_GEMM ? "met" : "MISSED");
    if (R->rss_ok && !p->quick)
        printf("  %-42s %10.1f %7s %s\n", "peak RSS, MB", R->peak_rss_mb, "<= 150",
               verdict(R->peak_rss_mb, TARGET_RSS_MB));
    printf("  (MLP vs PyTorch, target >= %.1fx: make bench-compare)\n", TARGET_MLP_VS_TORCH);
}

static void usage(FILE *f) {
    fprintf(f, "usage: rtviz bench [--json] [--quick] [--threads N] [--dataset NAME|PATH]\n\n"
               "Speed figures, in one run: MLP and RT training samples/s, θ-sweep\n"
               "and MLP inference time, sgemm ceilings, peak RSS of a training epoch.\n"
               "Uses Fashion-MNIST when installed, else the sample set.\n\n");
    opts_usage(f, BENCH_ALLOWED);
}

int cmd_bench(int argc, char **argv) {
    Opts o;
    RtErr e = {{0}};
    int pr = cmd_parse("bench", &o, argc, argv, BENCH_ALLOWED, usage);
    if (pr >= 0) return pr;
    if ((o.given & OPTBIT(OPT_DATASET)) && !dataset_lookup(o.dataset) &&
        !owndata_is_path(o.dataset)) {
        char shown[512];
        snprintf(e.msg, sizeof e.msg, "--dataset: unknown dataset '%s'",
                 rt_escape(shown, sizeof shown, o.dataset));
        return cmd_fail("bench", EXIT_USAGE, e.msg);
    }
    char dsname[4096], why[128];
    if (pick_dataset(&o, dsname, sizeof dsname, why, sizeof why, &e))
        return cmd_fail("bench", EXIT_RUNTIME, e.msg);

    int threads = o.tc.threads;
    if (threads <= 0) {
        long c = sysconf(_SC_NPROCESSORS_ONLN);
        threads = c > 0 ? (int)RT_MIN(c, 64) : 1;
    }
    Plan plan;
    plan_make(&plan, o.quick, threads);
    progress_on = isatty(2);
    blas_init();

    Results R;
    memset(&R, 0, sizeof R);
    /* first, while this process holds no data and no threads */
    progress("peak RSS of a training epoch (child process)");
    bench_rss(dsname, &plan, &R);

    if (pool_init(threads)) return cmd_fail("bench", EXIT_RUNTIME, "cannot start worker threads");
    plan.threads = pool_threads();
    int rc = run_bench(&plan, &R, dsname, &e);
    pool_done();
    if (rc) return cmd_fail("bench", EXIT_RUNTIME, e.msg);
    if (!R.rss_ok) fprintf(stderr, "rtviz bench: peak RSS not measured: %s\n", R.rss_note);
    if (o.json) {
        char *t = bench_json(&R, &plan, &e);
        if (!t) return cmd_fail("bench", EXIT_RUNTIME, e.msg);
        fputs(t, stdout);
        free(t);
    } else
        print_human(&R, &plan, why);
    return 0;
}
