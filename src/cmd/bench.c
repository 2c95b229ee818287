/* bench.c — `rtviz bench`: the speed figures of issue 4, all in one run so
 * that ratios are fair on a shared machine.
 *
 *   training   samples/s through trainer_step (shuffle, uint8 -> float,
 *              forward, backward, Adam: what the UI gets) for the dense MLP
 *              784-256-256-10, the default RT net and an RT net widened to the
 *              MLP's parameter count; plus the MLP's bare kernels
 *              (data_batch_float + mlp_forward + mlp_backward + adam_step);
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
 * Every timing is a median over repeats. Only this file prints. */
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
#include "mlp.h"
#include "model.h"
#include "opts.h"
#include "optim.h"
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

/* Targets of issue 4. */
#define TARGET_MLP_VS_TORCH 3.5
#define TARGET_RT_EPOCH     1.5
#define TARGET_SWEEP        0.5
#define TARGET_RSS_MB       150.0

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
static const Shape SHOW[] = {
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
static const Shape MIX[] = {
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
    /* inference */
    long trained_samples;
    double rt_acc, rt_act, rt_blocks, rt_sweep_us;
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
    int L, B, H; /* default RT shape */
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

/* Parameters of an MLP with the given hidden widths. */
static long mlp_count(int D, int C, int nh, const int *hidden) {
    long n = 0;
    int in = D;
    for (int j = 0; j <= nh; j++) {
        int out = j < nh ? hidden[j] : C;
        n += (long)in * out + out;
        in = out;
    }
    return n;
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

/* Parameters of an RT net (model.h layout). */
static long rt_count(const ModelConfig *c) {
    long n = (long)c->B * c->D + c->B;
    for (int l = 0; l < c->L; l++) {
        long din = l == 0 ? c->D : c->H, K = l < c->L - 1 ? c->B : c->C;
        n += (long)c->B * (c->H * din + c->H + K * c->H + K);
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

/* Median samples/s of trainer_step over p->reps repeats of p->batches
 * minibatches, after p->warmup. The trainer is returned for more training
 * (keep != NULL) or freed. */
static int time_trainer(Model *m, const Dataset *ds, const Plan *p, uint64_t seed, double *sps,
                        Trainer **keep, RtErr *e) {
    TrainConfig tc;
    train_config_default(&tc);
    tc.batch = BATCH;
    tc.threads = p->threads;
    tc.seed = seed;
    Trainer *t = trainer_new(m, ds, &tc, NULL, e);
    if (!t) return -1;
    if (trainer_step(t, p->warmup, e) < 0) goto fail;
    double v[MAX_REPS];
    for (int r = 0; r < p->reps; r++) {
        double t0 = rt_now();
        if (trainer_step(t, p->batches, e) < 0) goto fail;
        v[r] = (double)p->batches * BATCH / (rt_now() - t0);
    }
    *sps = median(v, p->reps);
    if (keep)
        *keep = t;
    else
        trainer_free(t);
    return 0;
fail:
    trainer_free(t);
    return -1;
}

/* The MLP's bare kernels: a shuffled minibatch converted from uint8, forward,
 * backward, Adam. No trainer bookkeeping. */
static int time_mlp_kernels(const ModelConfig *mc, const DataSplit *tr, const Plan *p, double *sps,
                            RtErr *e) {
    Model m;
    Adam a;
    memset(&a, 0, sizeof a);
    if (model_init(&m, mc, 7, e)) return -1;
    MlpWork *w = mlp_work_new(&m, BATCH, e);
    float *X = rt_calloc((size_t)BATCH * (size_t)tr->d, sizeof *X, "bench batch", e);
    int *perm = rt_calloc((size_t)tr->n, sizeof *perm, "bench order", e);
    uint8_t *y = rt_calloc(BATCH, 1, "bench labels", e);
    int rc = -1;
    if (!w || !X || !perm || !y || adam_init(&a, m.n, 1e-3f, e)) goto out;
    Rng rng;
    rng_seed(&rng, 7);
    for (int i = 0; i < tr->n; i++)
        perm[i] = i;
    rng_shuffle(&rng, perm, tr->n);
    int pos = 0;
    double v[MAX_REPS];
    for (int r = -1; r < p->reps; r++) { /* r = -1: warm-up */
        int nb = r < 0 ? p->warmup : p->batches;
        double t0 = rt_now();
        for (int b = 0; b < nb; b++) {
            if (pos + BATCH > tr->n) pos = 0;
            int n = RT_MIN(BATCH, tr->n);
            data_batch_float(tr, perm + pos, n, X);
            for (int i = 0; i < n; i++)
                y[i] = tr->y[perm[pos + i]];
            pos += n;
            model_zero_grad(&m);
            mlp_forward(&m, w, X, n, NULL);
            mlp_backward(&m, w, y, NULL);
            adam_step(&a, &m);
        }
        if (r >= 0) v[r] = (double)nb * RT_MIN(BATCH, tr->n) / (rt_now() - t0);
    }
    *sps = median(v, p->reps);
    rc = 0;
out:
    adam_free(&a);
    free(X);
    free(perm);
    free(y);
    mlp_work_free(w);
    model_free(&m);
    return rc;
}

/* ---- inference ------------------------------------------------------------ */

/* Median µs per sample of the θ sweep over the whole test set (Xt is the
 * test set as floats), with the accuracy and mean activation at the stop. */
static int time_rt_sweep(const Model *m, const DataSplit *te, const float *Xt, const Plan *p,
                         double *us, double *acc, double *act, double *blocks, RtErr *e) {
    RtWork *w = rt_work_new(m, INFER_BATCH, e);
    RtSweepOut *out = rt_calloc(INFER_BATCH, sizeof *out, "bench sweep", e);
    if (!w || !out) {
        rt_work_free(w);
        free(out);
        return -1;
    }
    double v[MAX_REPS];
    long correct = 0;
    double asum = 0.0, bsum = 0.0;
    for (int r = 0; r < p->infer_reps; r++) {
        correct = 0;
        asum = bsum = 0.0;
        double t0 = rt_now();
        for (int o = 0; o < te->n; o += INFER_BATCH) {
            int n = RT_MIN(INFER_BATCH, te->n - o);
            rt_sweep(m, w, Xt + (size_t)o * (size_t)te->d, n, m->cfg.tau, 0.0f, out, NULL);
            for (int i = 0; i < n; i++) {
                correct += out[i].pred == te->y[o + i];
                asum += out[i].act_pct;
                bsum += out[i].active;
            }
        }
        v[r] = (rt_now() - t0) * 1e6 / te->n;
    }
    *us = median(v, p->infer_reps);
    *acc = 100.0 * (double)correct / te->n;
    *act = asum / te->n;
    *blocks = bsum / te->n;
    rt_work_free(w);
    free(out);
    return 0;
}

static int time_mlp_infer(const Model *m, const DataSplit *te, const float *Xt, const Plan *p,
                          double *us, double *acc, RtErr *e) {
    int C = m->cfg.C;
    MlpWork *w = mlp_work_new(m, INFER_BATCH, e);
    float *probs = rt_calloc((size_t)INFER_BATCH * (size_t)C, sizeof *probs, "bench probs", e);
    if (!w || !probs) {
        mlp_work_free(w);
        free(probs);
        return -1;
    }
    double v[MAX_REPS];
    long correct = 0;
    for (int r = 0; r < p->infer_reps; r++) {
        correct = 0;
        double t0 = rt_now();
        for (int o = 0; o < te->n; o += INFER_BATCH) {
            int n = RT_MIN(INFER_BATCH, te->n - o);
            mlp_forward(m, w, Xt + (size_t)o * (size_t)te->d, n, probs);
            for (int i = 0; i < n; i++) {
                const float *q = probs + (size_t)i * C;
                int best = 0;
                for (int c = 1; c < C; c++)
                    if (q[c] > q[best]) best = c;
                correct += best == te->y[o + i];
            }
        }
        v[r] = (rt_now() - t0) * 1e6 / te->n;
    }
    *us = median(v, p->infer_reps);
    *acc = 100.0 * (double)correct / te->n;
    mlp_work_free(w);
    free(probs);
    return 0;
}

/* ---- sgemm ------------------------------------------------------------------ */

typedef struct {
    float *A, *B, *C; /* per-thread operands, big enough for every shape */
} GemmBuf;

#define GEMM_ELEMS (256 * 784)

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

/* Median GFLOP/s of one shape on the calling thread. */
static double time_shape(const Shape *s, GemmBuf *g, const Plan *p) {
    double v[MAX_REPS];
    run_shape(s, g);
    for (int r = 0; r < p->reps; r++) {
        long it = 0;
        double t0 = rt_now(), dt;
        do {
            run_shape(s, g);
            it++;
        } while ((dt = rt_now() - t0) < p->gemm_min);
        v[r] = shape_flops(s) * (double)it / dt * 1e-9;
    }
    return median(v, p->reps);
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

/* GFLOP/s of the MLP step mix run on every pool thread at once (one task per
 * thread, each with its own operands): the ceiling the engine can reach. */
static double time_mix(GemmBuf *buf, int ntasks, const Plan *p) {
    double flops = 0.0;
    for (int k = 0; k < NMIX; k++)
        flops += shape_flops(&MIX[k]);
    MixCtx cx = {buf, 1};
    pool_run(mix_task, &cx, ntasks); /* warm-up, and calibrate iters */
    double t0 = rt_now();
    pool_run(mix_task, &cx, ntasks);
    double one = rt_now() - t0;
    cx.iters = RT_MAX(1, (int)(p->gemm_min / (one > 1e-6 ? one : 1e-6)));
    double v[MAX_REPS];
    for (int r = 0; r < p->reps; r++) {
        t0 = rt_now();
        pool_run(mix_task, &cx, ntasks);
        v[r] = flops * cx.iters * ntasks / (rt_now() - t0) * 1e-9;
    }
    return median(v, p->reps);
}

static int bench_sgemm(const Plan *p, Results *R, RtErr *e) {
    int nt = p->threads;
    GemmBuf *buf = rt_calloc((size_t)nt, sizeof *buf, "bench sgemm buffers", e);
    int rc = -1;
    if (!buf) return -1;
    for (int t = 0; t < nt; t++)
        if (gemm_buf_init(&buf[t], 100 + (uint64_t)t, e)) goto out;
    progress("sgemm at one thread");
    for (int k = 0; k < NSHOW; k++)
        R->show_1t[k] = time_shape(&SHOW[k], &buf[0], p);
    R->mix_1t = time_mix(buf, 1, p);
    R->sgemm_ceiling = nt > 1 ? time_mix(buf, nt, p) : R->mix_1t;
    /* contrast: OpenBLAS with its own threads, engine idle */
    progress("sgemm with OpenBLAS threads");
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    R->blas_threads = ncpu >= 2 ? (int)ncpu : 2;
    openblas_set_num_threads(R->blas_threads);
    for (int k = 0; k < NSHOW; k++)
        R->show_nt[k] = time_shape(&SHOW[k], &buf[0], p);
    blas_init(); /* back to one thread */
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
        if (!dataset_lookup(o->dataset))
            return rt_err(e, "--dataset: unknown dataset '%s'", o->dataset);
        snprintf(name, len, "%s", o->dataset);
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

static int run_bench(const Opts *o, const Plan *p0, Results *R, const char *dsname, RtErr *e) {
    Plan P = *p0, *p = &P;
    Dataset ds;
    memset(&ds, 0, sizeof ds);
    Model mlp, rt, rteq;
    memset(&mlp, 0, sizeof mlp);
    memset(&rt, 0, sizeof rt);
    memset(&rteq, 0, sizeof rteq);
    Trainer *rt_tr = NULL, *mlp_tr = NULL;
    float *Xt = NULL;
    int rc = -1;
    (void)o;

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
    R->mlp_params = mlp_count(mc_mlp.D, C, 2, mc_mlp.hidden);
    R->rt_params = rt_count(&mc_rt);
    R->L = mc_rt.L;
    R->B = mc_rt.B;
    R->H = mc_rt.H;
    mc_eq = mc_rt; /* widen H until the totals match */
    long best = -1;
    for (int H = 1; H <= 4096; H++) {
        mc_eq.H = H;
        long d = labs(rt_count(&mc_eq) - R->mlp_params);
        if (best < 0 || d < best) {
            best = d;
            R->rteq_H = H;
        }
    }
    mc_eq.H = R->rteq_H;
    R->rteq_params = rt_count(&mc_eq);
    if (model_init(&mlp, &mc_mlp, 1, e) || model_init(&rt, &mc_rt, 1, e) ||
        model_init(&rteq, &mc_eq, 1, e))
        goto out;
    if ((long)mlp.n != R->mlp_params || (long)rt.n != R->rt_params ||
        (long)rteq.n != R->rteq_params) {
        rt_err(e, "internal: parameter counts disagree with model.c");
        goto out;
    }

    /* --- training throughput --- */
    progress("MLP training (trainer_step)");
    if (time_trainer(&mlp, &ds, p, 1, &R->mlp_sps, &mlp_tr, e)) goto out;
    R->mlp_gflops = R->mlp_sps * 3.0 * 2.0 * (double)mlp_macs(mc_mlp.D, C, 2, mc_mlp.hidden) * 1e-9;
    progress("MLP training (bare kernels)");
    if (time_mlp_kernels(&mc_mlp, &ds.train, p, &R->mlp_kernel_sps, e)) goto out;
    progress("RT training, default net");
    if (time_trainer(&rt, &ds, p, 1, &R->rt_sps, &rt_tr, e)) goto out;
    progress("RT training, equal parameters");
    if (time_trainer(&rteq, &ds, p, 1, &R->rteq_sps, NULL, e)) goto out;

    /* --- sgemm --- */
    if (bench_sgemm(p, R, e)) goto out;

    /* --- inference: train the default RT net to acc_batches, sweep --- */
    Xt = rt_calloc((size_t)ds.test.n * (size_t)ds.test.d, sizeof *Xt, "bench test set", e);
    if (!Xt) goto out;
    data_batch_float(&ds.test, NULL, ds.test.n, Xt);
    int done = p->warmup + p->reps * p->batches;
    progress("RT training for the inference figures");
    if (p->acc_batches > done && trainer_step(rt_tr, p->acc_batches - done, e) < 0) goto out;
    R->trained_samples = (long)RT_MAX(done, p->acc_batches) * BATCH;
    progress("RT θ sweep");
    if (time_rt_sweep(&rt, &ds.test, Xt, p, &R->rt_sweep_us, &R->rt_acc, &R->rt_act, &R->rt_blocks,
                      e))
        goto out;
    /* the 784-256-256-10 of the throughput run, trained as long */
    progress("MLP 784-256-256-10 inference");
    if (p->acc_batches > done && trainer_step(mlp_tr, p->acc_batches - done, e) < 0) goto out;
    if (time_mlp_infer(&mlp, &ds.test, Xt, p, &R->mlp256_infer_us, &R->mlp256_acc, e)) goto out;

    /* the smallest MLP within ACC_SLACK of the RT net's accuracy */
    static const int CAND[][2] = {{1, 16}, {1, 32}, {1, 64}, {1, 128}, {1, 256}};
    R->mlp_infer_matched = 0;
    for (int k = 0; k < (int)(sizeof CAND / sizeof CAND[0]) && !R->mlp_infer_matched; k++) {
        ModelConfig mc;
        model_config_default(&mc, ARCH_MLP, ch, h, w, C);
        mc.nhidden = CAND[k][0];
        mc.hidden[0] = CAND[k][1];
        Model cm;
        Trainer *ct = NULL;
        char label[96];
        mlp_arch_name(R->mlp_infer_arch, sizeof R->mlp_infer_arch, &mc);
        snprintf(label, sizeof label, "MLP %s, trained and timed", R->mlp_infer_arch);
        progress(label);
        if (model_init(&cm, &mc, 1, e)) goto out;
        TrainConfig tc;
        train_config_default(&tc);
        tc.batch = BATCH;
        tc.threads = p->threads;
        ct = trainer_new(&cm, &ds, &tc, NULL, e);
        int ok = ct && trainer_step(ct, RT_MAX(done, p->acc_batches), e) >= 0 &&
                 time_mlp_infer(&cm, &ds.test, Xt, p, &R->mlp_infer_us, &R->mlp_acc, e) == 0;
        trainer_free(ct);
        R->mlp_infer_params = (long)cm.n;
        model_free(&cm);
        if (!ok) goto out;
        if (R->mlp_acc >= R->rt_acc - ACC_SLACK) R->mlp_infer_matched = 1;
    }
    if (!R->mlp_infer_matched && R->mlp256_acc >= R->rt_acc - ACC_SLACK) {
        snprintf(R->mlp_infer_arch, sizeof R->mlp_infer_arch, "%d-256-256-%d", mc_mlp.D, C);
        R->mlp_infer_us = R->mlp256_infer_us;
        R->mlp_acc = R->mlp256_acc;
        R->mlp_infer_params = R->mlp_params;
        R->mlp_infer_matched = 1;
    }
    rc = 0;
out:
    progress_end();
    trainer_free(rt_tr);
    trainer_free(mlp_tr);
    free(Xt);
    model_free(&mlp);
    model_free(&rt);
    model_free(&rteq);
    dataset_free(&ds);
    return rc;
}

/* ---- output ------------------------------------------------------------------- */

static double safe_div(double a, double b) { return b > 0.0 ? a / b : 0.0; }

static void print_json(const Results *R, const Plan *p) {
    double r_epoch = safe_div(R->mlp_sps, R->rteq_sps);
    double r_sweep = safe_div(R->rt_sweep_us, R->mlp_infer_us);
    double r_gemm = safe_div(R->mlp_gflops, R->sgemm_ceiling);
    printf("{\n");
    printf("  \"dataset\": \"%s\",\n", R->dataset);
    printf("  \"train_samples\": %d,\n  \"test_samples\": %d,\n", R->ntrain, R->ntest);
    printf("  \"threads\": %d,\n  \"quick\": %s,\n", p->threads, p->quick ? "true" : "false");
    printf("  \"batch\": %d,\n  \"repeats\": %d,\n", BATCH, p->reps);
    printf("  \"mlp_params\": %ld,\n", R->mlp_params);
    printf("  \"mlp_train_samples_per_s\": %.1f,\n", R->mlp_sps);
    printf("  \"mlp_train_gflops\": %.3f,\n", R->mlp_gflops);
    printf("  \"mlp_kernel_train_samples_per_s\": %.1f,\n", R->mlp_kernel_sps);
    printf("  \"rt_params\": %ld,\n", R->rt_params);
    printf("  \"rt_train_samples_per_s\": %.1f,\n", R->rt_sps);
    printf("  \"rt_equal_params_H\": %d,\n", R->rteq_H);
    printf("  \"rt_equal_params_params\": %ld,\n", R->rteq_params);
    printf("  \"rt_equal_params_train_samples_per_s\": %.1f,\n", R->rteq_sps);
    printf("  \"inference_trained_samples\": %ld,\n", R->trained_samples);
    printf("  \"rt_sweep_us_per_sample\": %.3f,\n", R->rt_sweep_us);
    printf("  \"rt_accuracy\": %.2f,\n", R->rt_acc);
    printf("  \"rt_activation_pct\": %.2f,\n", R->rt_act);
    printf("  \"rt_active_blocks\": %.2f,\n", R->rt_blocks);
    printf("  \"mlp_infer_arch\": \"%s\",\n", R->mlp_infer_arch);
    printf("  \"mlp_infer_params\": %ld,\n", R->mlp_infer_params);
    printf("  \"mlp_infer_matched_accuracy\": %s,\n", R->mlp_infer_matched ? "true" : "false");
    printf("  \"mlp_infer_us_per_sample\": %.3f,\n", R->mlp_infer_us);
    printf("  \"mlp_infer_accuracy\": %.2f,\n", R->mlp_acc);
    printf("  \"mlp256_infer_us_per_sample\": %.3f,\n", R->mlp256_infer_us);
    printf("  \"mlp256_accuracy\": %.2f,\n", R->mlp256_acc);
    printf("  \"sgemm_gflops\": %.3f,\n", R->sgemm_ceiling);
    printf("  \"sgemm_1thread_gflops\": %.3f,\n", R->mix_1t);
    printf("  \"sgemm_shapes\": [");
    for (int k = 0; k < NSHOW; k++)
        printf("%s\n    {\"M\": %d, \"N\": %d, \"K\": %d, \"gflops_1thread\": %.3f, "
               "\"gflops_openblas_%dthreads\": %.3f}",
               k ? "," : "", SHOW[k].M, SHOW[k].N, SHOW[k].K, R->show_1t[k], R->blas_threads,
               R->show_nt[k]);
    printf("\n  ],\n");
    printf("  \"peak_rss_mb\": %.2f,\n", R->rss_ok ? R->peak_rss_mb : 0.0);
    printf("  \"peak_rss_train_samples\": %ld,\n", R->rss_samples);
    printf("  \"rss_run_seconds\": %.3f,\n", R->rss_epoch_s);
    printf("  \"ratio_rt_epoch_over_mlp_epoch\": %.4f,\n", r_epoch);
    printf("  \"ratio_rt_sweep_over_mlp_infer\": %.4f,\n", r_sweep);
    printf("  \"ratio_rt_sweep_over_mlp256_infer\": %.4f,\n",
           safe_div(R->rt_sweep_us, R->mlp256_infer_us));
    printf("  \"ratio_mlp_gflops_over_sgemm\": %.4f,\n", r_gemm);
    printf("  \"target_rt_epoch_met\": %s,\n",
           r_epoch > 0 && r_epoch <= TARGET_RT_EPOCH ? "true" : "false");
    printf("  \"target_sweep_met\": %s,\n",
           r_sweep > 0 && r_sweep <= TARGET_SWEEP ? "true" : "false");
    printf("  \"target_rss_met\": %s\n",
           R->rss_ok && R->peak_rss_mb <= TARGET_RSS_MB && !p->quick ? "true" : "false");
    printf("}\n");
}

static const char *verdict(double v, double target) {
    return v > 0 && v <= target ? "met" : "MISSED";
}

static void print_human(const Results *R, const Plan *p, const char *why) {
    double r_epoch = safe_div(R->mlp_sps, R->rteq_sps);
    double r_sweep = safe_div(R->rt_sweep_us, R->mlp_infer_us);
    double r_gemm = safe_div(R->mlp_gflops, R->sgemm_ceiling);
    printf("rtviz bench: %s (%s, %d train / %d test)%s%s\n", R->dataset, R->dataset_dir, R->ntrain,
           R->ntest, why[0] ? "; " : "", why);
    printf("engine threads %d, OpenBLAS 1 thread; medians of %d repeats%s\n\n", p->threads, p->reps,
           p->quick ? " (--quick)" : "");

    printf("%-44s %10s %12s %9s\n", "training (batch 128, Adam)", "params", "samples/s", "GFLOP/s");
    printf("  %-42s %10ld %12.0f %9.2f\n", "MLP 784-256-256-10, trainer_step", R->mlp_params,
           R->mlp_sps, R->mlp_gflops);
    printf("  %-42s %10ld %12.0f %9.2f\n", "MLP 784-256-256-10, bare kernels", R->mlp_params,
           R->mlp_kernel_sps, R->mlp_kernel_sps * safe_div(R->mlp_gflops, R->mlp_sps));
    char lab[160];
    snprintf(lab, sizeof lab, "RT L%d B%d H%d (default), trainer_step", R->L, R->B, R->H);
    printf("  %-42s %10ld %12.0f\n", lab, R->rt_params, R->rt_sps);
    snprintf(lab, sizeof lab, "RT L%d B%d H%d (equal params), trainer_step", R->L, R->B, R->rteq_H);
    printf("  %-42s %10ld %12.0f\n", lab, R->rteq_params, R->rteq_sps);

    printf("\n%-44s %10s %12s %9s\n", "inference (whole test set, batches of 256)", "params",
           "us/sample", "accuracy");
    printf("  %-42s %10ld %12.2f %8.2f%%\n", "RT default, full θ sweep", R->rt_params,
           R->rt_sweep_us, R->rt_acc);
    printf("    (mean activation %.1f%%, %.1f of %d blocks active; all nets trained %ld samples)\n",
           R->rt_act, R->rt_blocks, R->L * R->B, R->trained_samples);
    snprintf(lab, sizeof lab, "MLP %s (%s)", R->mlp_infer_arch,
             R->mlp_infer_matched ? "smallest as accurate" : "none as accurate: largest");
    printf("  %-42s %10ld %12.2f %8.2f%%\n", lab, R->mlp_infer_params, R->mlp_infer_us, R->mlp_acc);
    printf("  %-42s %10ld %12.2f %8.2f%%\n", "MLP 784-256-256-10 (reference)", R->mlp_params,
           R->mlp256_infer_us, R->mlp256_acc);

    printf("\n%-44s %12s %12s\n", "sgemm GFLOP/s (M x N x K)", "1 thread", "");
    printf("%-44s %12s %9s %d\n", "", "mm_sgemm", "OpenBLAS", R->blas_threads);
    for (int k = 0; k < NSHOW; k++) {
        char s[64];
        snprintf(s, sizeof s, "%dx%dx%d%s %s", SHOW[k].M, SHOW[k].N, SHOW[k].K,
                 SHOW[k].ta ? "^T" : "", SHOW[k].what);
        printf("  %-42s %12.2f %12.2f\n", s, R->show_1t[k], R->show_nt[k]);
    }
    printf("  %-42s %12.2f\n", "MLP step mix, 1 thread", R->mix_1t);
    snprintf(lab, sizeof lab, "MLP step mix, %d threads at once (ceiling)", p->threads);
    printf("  %-42s %12.2f\n", lab, R->sgemm_ceiling);

    printf("\nmemory\n");
    if (R->rss_ok)
        printf("  peak RSS, RT default training %ld samples (%s): %.1f MB in %.1f s\n",
               R->rss_samples, p->quick ? "--quick: not a full epoch" : "one full epoch",
               R->peak_rss_mb, R->rss_epoch_s);
    else
        printf("  peak RSS: not measured (%s)\n", R->rss_note);

    printf("\n%-44s %10s %10s\n", "ratios", "value", "target");
    printf("  %-42s %10.2f %7s %s\n", "RT epoch / equal-params MLP epoch", r_epoch, "<= 1.5",
           verdict(r_epoch, TARGET_RT_EPOCH));
    printf("  %-42s %10.2f %7s %s\n", "RT sweep / MLP inference (same accuracy)", r_sweep, "<= 0.5",
           verdict(r_sweep, TARGET_SWEEP));
    printf("  %-42s %10.2f\n", "RT sweep / MLP 784-256-256-10 inference",
           safe_div(R->rt_sweep_us, R->mlp256_infer_us));
    printf("  %-42s %10.2f\n", "MLP GFLOP/s / sgemm ceiling", r_gemm);
    if (R->rss_ok && !p->quick)
        printf("  %-42s %10.1f %7s %s\n", "peak RSS, MB", R->peak_rss_mb, "<= 150",
               verdict(R->peak_rss_mb, TARGET_RSS_MB));
    printf("  (MLP vs PyTorch, target >= %.1fx: make bench-compare)\n", TARGET_MLP_VS_TORCH);
}

int cmd_bench(int argc, char **argv) {
    Opts o;
    RtErr e = {{0}};
    opts_default(&o);
    if (opts_parse(&o, argc, argv, BENCH_ALLOWED, 0, &e)) {
        cmd_fail("bench", EXIT_USAGE, e.msg);
        return EXIT_USAGE;
    }
    if (o.help) {
        printf("usage: rtviz bench [--json] [--quick] [--threads N] [--dataset NAME]\n\n"
               "Speed figures of issue 4, in one run: MLP and RT training samples/s, θ-sweep\n"
               "and MLP inference time, sgemm ceilings, peak RSS of a training epoch.\n"
               "Uses Fashion-MNIST when installed, else the sample set.\n\n");
        opts_usage(stdout, BENCH_ALLOWED);
        return 0;
    }
    if (o.version) {
        printf("rtviz %s\n", RTVIZ_VERSION);
        return 0;
    }
    char dsname[32], why[128];
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
    int rc = run_bench(&o, &plan, &R, dsname, &e);
    pool_done();
    if (rc) return cmd_fail("bench", EXIT_RUNTIME, e.msg);
    if (!R.rss_ok) fprintf(stderr, "rtviz bench: peak RSS not measured: %s\n", R.rss_note);
    if (o.json)
        print_json(&R, &plan);
    else
        print_human(&R, &plan, why);
    return 0;
}
