/* pool.h — a tiny fixed thread pool for deterministic data parallelism.
 *
 * pool_run(fn, ctx, ntasks) calls fn(ctx, task, thread) for every task in
 * [0, ntasks) and returns when all are done. Task t always runs on worker
 * t % nthreads, so a fixed thread count gives a fixed schedule; tasks must
 * write disjoint memory, which makes results independent of timing. */
#ifndef RTVIZ_POOL_H
#define RTVIZ_POOL_H

typedef void (*pool_fn)(void *ctx, int task, int thread);

int pool_init(int nthreads); /* 1..64; 0 = number of online CPUs. Returns 0 or -1. */
int pool_threads(void);      /* current worker count (1 before pool_init) */
void pool_run(pool_fn fn, void *ctx, int ntasks);
void pool_done(void);

#endif
