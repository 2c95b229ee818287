/* pool.c — see pool.h. Workers wait on a generation counter; the caller is
 * worker 0, so pool_init(1) runs everything inline with no threads at all.
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
#include <unistd.h>

#define POOL_MAX 64

static pthread_mutex_t run = PTHREAD_MUTEX_INITIALIZER; /* held by the job's caller */
static _Thread_local int in_task;                       /* this thread is running pool tasks */

static struct {
    int n;                   /* workers including the caller */
    pthread_t th[POOL_MAX];  /* th[1..n-1] */
    pthread_mutex_t mu;      /* guards everything below */
    pthread_cond_t go, done; /* new job / job finished */
    unsigned long gen;       /* job generation */
    unsigned long gen0;      /* generation when the workers were started */
    int pending;             /* workers still busy on this generation */
    int quit;
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

static void *worker(void *arg) {
    int w = (int)(long)arg;
    pthread_mutex_lock(&P.mu);
    /* not 0: after a pool_init that replaced earlier workers, gen is already
     * past 0 and a fresh worker would rerun the previous job */
    unsigned long seen = P.gen0;
    for (;;) {
        while (P.gen == seen && !P.quit)
            pthread_cond_wait(&P.go, &P.mu);
        if (P.quit) break;
        seen = P.gen;
        pthread_mutex_unlock(&P.mu);
        run_share(w);
        pthread_mutex_lock(&P.mu);
        if (--P.pending == 0) pthread_cond_signal(&P.done);
    }
    pthread_mutex_unlock(&P.mu);
    return NULL;
}

static void stop_workers(void) {
    if (P.n <= 1) return;
    pthread_mutex_lock(&P.mu);
    P.quit = 1;
    pthread_cond_broadcast(&P.go);
    pthread_mutex_unlock(&P.mu);
    for (int i = 1; i < P.n; i++)
        pthread_join(P.th[i], NULL);
    P.n = 1;
    P.quit = 0;
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
    P.quit = 0;
    P.n = 1;
    P.gen0 = P.gen;
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
    P.pending = P.n - 1;
    P.gen++;
    pthread_cond_broadcast(&P.go);
    pthread_mutex_unlock(&P.mu);
    run_share(0);
    pthread_mutex_lock(&P.mu);
    while (P.pending > 0)
        pthread_cond_wait(&P.done, &P.mu);
    pthread_mutex_unlock(&P.mu);
    pthread_mutex_unlock(&run);
}

void pool_done(void) {
    if (in_task) return; /* called from a task: the job in progress needs the workers */
    pthread_mutex_lock(&run);
    stop_workers();
    pthread_mutex_unlock(&run);
}
