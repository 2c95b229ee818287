/* pool.c — see pool.h. Workers wait on a generation counter; the caller is
 * worker 0, so pool_init(1) runs everything inline with no threads at all.
 *
 * Waiting spins first: a worker watches the counter, and the caller the
 * count of workers still busy, for up to POOL_SPIN_NS before sleeping on the
 * condition variable. A training step is a few jobs of a few hundred µs
 * with little in between, and waking a sleeping thread (a futex, an
 * inter-processor interrupt on a VM) cost as much as a small product.
 *
 * One job at a time: the workers, fn, ctx and ntasks below belong to the
 * caller holding `run`, so pool_run calls from several threads (two
 * Sessions, the SDL window beside a training thread) take turns, and
 * pool_init / pool_done wait for the job in progress. A pool_run from inside
 * a task (on a worker, or on the caller while it runs its share) runs its
 * tasks inline on that thread: waiting for the pool there would wait for
 * itself. */
#define _POSIX_C_SOURCE 200809L
#include "pool.h"

#include <pthread.h>
#include <stdatomic.h>
#include <time.h>
#include <unistd.h>

#define POOL_MAX     64
#define POOL_SPIN_NS 50000L /* spin this long before sleeping */

static pthread_mutex_t run = PTHREAD_MUTEX_INITIALIZER; /* held by the job's caller */
static _Thread_local int in_task;                       /* this thread is running pool tasks */

static struct {
    int n;                   /* workers including the caller */
    pthread_t th[POOL_MAX];  /* th[1..n-1] */
    pthread_mutex_t mu;      /* guards everything below */
    pthread_cond_t go, done; /* new job / job finished */
    atomic_ulong gen;        /* job generation (written under mu) */
    unsigned long gen0;      /* generation when the workers were started */
    atomic_int pending;      /* workers still busy on this generation */
    atomic_int quit;         /* (written under mu) */
    pool_fn fn;
    void *ctx;
    int ntasks;
    atomic_int next; /* the next task to claim (more tasks than workers) */
} P = {.n = 1,
       .mu = PTHREAD_MUTEX_INITIALIZER,
       .go = PTHREAD_COND_INITIALIZER,
       .done = PTHREAD_COND_INITIALIZER};

/* Worker w's share of the job. With no more tasks than workers, task t is
 * worker t's (each thread its own task at once: what bench's two-thread
 * ceiling measures). With more, each worker claims the next unclaimed task
 * until none is left: a worker the OS holds back (another process, the
 * window's thread) leaves its tasks to the others instead of stalling the
 * job, and tasks of uneven size even out. Tasks write disjoint memory and
 * do not depend on the thread they run on, so the results are the same. */
static void run_share(int w) {
    in_task = 1;
    if (P.ntasks <= P.n) {
        if (w < P.ntasks) P.fn(P.ctx, w, w);
    } else {
        for (int t; (t = atomic_fetch_add_explicit(&P.next, 1, memory_order_relaxed)) < P.ntasks;)
            P.fn(P.ctx, t, w);
    }
    in_task = 0;
}

static long now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000000L + ts.tv_nsec;
}

static inline void cpu_relax(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
}

/* Spin until ready(arg) or POOL_SPIN_NS have passed; returns ready(arg). */
static int spin_until(int (*ready)(const void *), const void *arg) {
    long t0 = 0;
    for (int i = 0;; i++) {
        if (ready(arg)) return 1;
        cpu_relax();
        if ((i & 63) == 63) {
            long t = now_ns();
            if (!t0)
                t0 = t;
            else if (t - t0 > POOL_SPIN_NS)
                return ready(arg);
        }
    }
}

static int new_job(const void *seen) {
    return atomic_load(&P.gen) != *(const unsigned long *)seen || atomic_load(&P.quit);
}

static int job_done(const void *unused) {
    (void)unused;
    return atomic_load(&P.pending) == 0;
}

static void *worker(void *arg) {
    int w = (int)(long)arg;
    /* not 0: after a pool_init that replaced earlier workers, gen is already
     * past 0 and a fresh worker would rerun the previous job */
    unsigned long seen = P.gen0;
    for (;;) {
        if (!spin_until(new_job, &seen)) {
            pthread_mutex_lock(&P.mu); /* gen and quit change under mu: no lost wake-up */
            while (atomic_load(&P.gen) == seen && !atomic_load(&P.quit))
                pthread_cond_wait(&P.go, &P.mu);
            pthread_mutex_unlock(&P.mu);
        }
        if (atomic_load(&P.quit)) break;
        seen = atomic_load(&P.gen);
        run_share(w);
        if (atomic_fetch_sub(&P.pending, 1) == 1) { /* the last one: wake a sleeping caller */
            pthread_mutex_lock(&P.mu);
            pthread_cond_signal(&P.done);
            pthread_mutex_unlock(&P.mu);
        }
    }
    return NULL;
}

static void stop_workers(void) {
    if (P.n <= 1) return;
    pthread_mutex_lock(&P.mu);
    atomic_store(&P.quit, 1);
    pthread_cond_broadcast(&P.go);
    pthread_mutex_unlock(&P.mu);
    for (int i = 1; i < P.n; i++)
        pthread_join(P.th[i], NULL);
    P.n = 1;
    atomic_store(&P.quit, 0);
}

int pool_init(int nthreads) {
    if (nthreads <= 0) {
        long c = sysconf(_SC_NPROCESSORS_ONLN);
        nthreads = c > 0 ? (int)c : 1;
    }
    if (nthreads > POOL_MAX) nthreads = POOL_MAX;
    if (in_task) return nthreads == P.n ? 0 : -1; /* the pool is busy with this very job */
    pthread_mutex_lock(&run);
    if (nthreads == P.n) { /* already so: the workers stay */
        pthread_mutex_unlock(&run);
        return 0;
    }
    stop_workers();
    atomic_store(&P.quit, 0);
    P.n = 1;
    P.gen0 = atomic_load(&P.gen);
    int rc = 0;
    for (int i = 1; i < nthreads && rc == 0; i++) {
        if (pthread_create(&P.th[i], NULL, worker, (void *)(long)i) != 0)
            rc = -1;
        else
            P.n = i + 1;
    }
    pthread_mutex_unlock(&run);
    return rc;
}

int pool_threads(void) {
    if (in_task) return P.n;  /* the job's caller holds run: P.n cannot change */
    pthread_mutex_lock(&run); /* not during another caller's pool_init */
    int n = P.n;
    pthread_mutex_unlock(&run);
    return n;
}

/* The tasks one after another on the calling thread, in order (thread 0
 * for all: the caller's scratch). */
static void run_inline(pool_fn fn, void *ctx, int ntasks) {
    int outer = in_task;
    in_task = 1;
    for (int t = 0; t < ntasks; t++)
        fn(ctx, t, 0);
    in_task = outer;
}

void pool_run(pool_fn fn, void *ctx, int ntasks) {
    if (ntasks <= 0) return;
    if (in_task || ntasks == 1) {
        run_inline(fn, ctx, ntasks);
        return;
    }
    pthread_mutex_lock(&run);
    if (P.n == 1) {
        pthread_mutex_unlock(&run);
        run_inline(fn, ctx, ntasks);
        return;
    }
    pthread_mutex_lock(&P.mu);
    P.fn = fn;
    P.ctx = ctx;
    P.ntasks = ntasks;
    atomic_store_explicit(&P.next, 0, memory_order_relaxed);
    atomic_store(&P.pending, P.n - 1);
    atomic_fetch_add(&P.gen, 1); /* publishes the job to spinning workers */
    pthread_cond_broadcast(&P.go);
    pthread_mutex_unlock(&P.mu);
    run_share(0);
    if (!spin_until(job_done, NULL)) {
        pthread_mutex_lock(&P.mu);
        while (atomic_load(&P.pending) > 0)
            pthread_cond_wait(&P.done, &P.mu);
        pthread_mutex_unlock(&P.mu);
    }
    pthread_mutex_unlock(&run);
}

void pool_done(void) {
    if (in_task) return; /* called from a task: the job in progress needs the workers */
    pthread_mutex_lock(&run);
    stop_workers();
    pthread_mutex_unlock(&run);
}
