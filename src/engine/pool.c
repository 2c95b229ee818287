/* pool.c — see pool.h. Workers wait on a generation counter; the caller is
 * worker 0, so pool_init(1) runs everything inline with no threads at all. */
#define _POSIX_C_SOURCE 200809L
#include "pool.h"

#include <pthread.h>
#include <unistd.h>

#define POOL_MAX 64

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
} P = {.n = 1,
       .mu = PTHREAD_MUTEX_INITIALIZER,
       .go = PTHREAD_COND_INITIALIZER,
       .done = PTHREAD_COND_INITIALIZER};

static void run_share(int w) {
    for (int t = w; t < P.ntasks; t += P.n)
        P.fn(P.ctx, t, w);
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

int pool_init(int nthreads) {
    pool_done();
    if (nthreads <= 0) {
        long c = sysconf(_SC_NPROCESSORS_ONLN);
        nthreads = c > 0 ? (int)c : 1;
    }
    if (nthreads > POOL_MAX) nthreads = POOL_MAX;
    P.quit = 0;
    P.n = 1;
    P.gen0 = P.gen;
    for (int i = 1; i < nthreads; i++) {
        if (pthread_create(&P.th[i], NULL, worker, (void *)(long)i) != 0) return -1;
        P.n = i + 1;
    }
    return 0;
}

int pool_threads(void) { return P.n; }

void pool_run(pool_fn fn, void *ctx, int ntasks) {
    if (ntasks <= 0) return;
    if (P.n == 1 || ntasks == 1) {
        for (int t = 0; t < ntasks; t++)
            fn(ctx, t, 0);
        return;
    }
    pthread_mutex_lock(&P.mu);
    P.fn = fn;
    P.ctx = ctx;
    P.ntasks = ntasks;
    P.pending = P.n - 1;
    P.gen++;
    pthread_cond_broadcast(&P.go);
    pthread_mutex_unlock(&P.mu);
    run_share(0);
    pthread_mutex_lock(&P.mu);
    while (P.pending > 0)
        pthread_cond_wait(&P.done, &P.mu);
    pthread_mutex_unlock(&P.mu);
}

void pool_done(void) {
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
