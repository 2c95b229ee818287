/* pool.h — a tiny fixed thread pool for deterministic data parallelism.
 *
 * pool_run(fn, ctx, ntasks) calls fn(ctx, task, thread) for every task in
 * [0, ntasks) and returns when all are done. With at most nthreads tasks,
 * task t runs on worker t; with more, the workers claim tasks in order as
 * they come free. Tasks must write disjoint memory and must not depend on
 * the worker they run on (thread is for per-worker scratch only), which
 * makes results independent of timing.
 *
 * Safe from several threads: one job runs at a time, concurrent pool_run
 * callers wait their turn (pool_init and pool_done wait for the job in
 * progress). A pool_run from inside a task runs its tasks inline on that
 * thread, in order, all as thread 0; pool_init / pool_done from inside a
 * task change nothing (pool_init returns -1 unless the count is already
 * the one asked for). */
#ifndef RTVIZ_POOL_H
#define RTVIZ_POOL_H

typedef void (*pool_fn)(void *ctx, int task, int thread);

/* 1..64; 0 = number of online CPUs. Returns 0 or -1. The same count as now
 * keeps the running workers. */
int pool_init(int nthreads);
int pool_threads(void); /* current worker count (1 before pool_init) */
void pool_run(pool_fn fn, void *ctx, int ntasks);
void pool_done(void);

#endif
