/* test_pool.c — every task runs exactly once (task t on worker t when there
 * are no more tasks than workers), a held-back worker leaves its tasks to the
 * others, and results do not depend on the thread count. */
#include <criterion/criterion.h>
#include <string.h>
#include <time.h>

#include "pool.h"

typedef struct {
    int count[257];  /* runs per task */
    int worker[257]; /* worker that ran it */
    double out[257]; /* some per-task work */
} Ctx;

static void task(void *vctx, int t, int thread) {
    Ctx *c = vctx;
    c->count[t]++;
    c->worker[t] = thread;
    double s = 0;
    for (int k = 1; k <= 1000 + t; k++)
        s += 1.0 / (k + t);
    c->out[t] = s;
}

Test(pool, every_task_once_and_independent_of_threads) {
    static Ctx ref, c;
    const int ntasks[] = {1, 2, 3, 8, 37, 257};
    for (int threads = 1; threads <= 4; threads++) {
        cr_assert_eq(pool_init(threads), 0);
        cr_assert_eq(pool_threads(), threads);
        for (size_t s = 0; s < sizeof ntasks / sizeof ntasks[0]; s++) {
            int n = ntasks[s];
            for (int rep = 0; rep < 20; rep++) { /* reuse across many jobs */
                memset(&c, 0, sizeof c);
                pool_run(task, &c, n);
                for (int t = 0; t < 257; t++)
                    cr_assert_eq(c.count[t], t < n ? 1 : 0, "threads %d ntasks %d task %d ran %d",
                                 threads, n, t, c.count[t]);
                for (int t = 0; t < n; t++) /* one task a worker: task t on worker t */
                    if (n <= threads)
                        cr_assert_eq(c.worker[t], t);
                    else
                        cr_assert(c.worker[t] >= 0 && c.worker[t] < threads);
            }
            if (threads == 1 && n == 257) ref = c;
        }
        cr_assert_eq(memcmp(ref.out, c.out, sizeof c.out), 0);
    }
    pool_run(task, &c, 0); /* no tasks: returns */
    pool_done();
    cr_assert_eq(pool_threads(), 1);
    memset(&c, 0, sizeof c);
    pool_run(task, &c, 5); /* after pool_done: inline */
    for (int t = 0; t < 5; t++)
        cr_assert_eq(c.count[t], 1);
}

/* Worker 1 stops for 300 ms in its first task (as if the OS ran another
 * process there): the caller claims the rest meanwhile, so the job does not
 * wait for worker 1 to come back for its share. */
typedef struct {
    int worker[8];
    int slept;
} Slow;

static void slow_task(void *vctx, int t, int thread) {
    Slow *c = vctx;
    c->worker[t] = thread;
    if (thread == 1 && !c->slept) {
        c->slept = 1;
        nanosleep(&(struct timespec){0, 300000000L}, NULL);
    }
}

Test(pool, a_held_back_worker_leaves_its_tasks_to_the_others) {
    cr_assert_eq(pool_init(2), 0);
    Slow c = {{0}, 0};
    pool_run(slow_task, &c, 8);
    int on0 = 0;
    for (int t = 0; t < 8; t++)
        on0 += c.worker[t] == 0;
    cr_assert_geq(on0, 7, "the caller ran %d of 8 tasks while worker 1 slept", on0);
    pool_done();
}

/* ---- several callers at once ---------------------------------------------- */

#include <pthread.h>

typedef struct {
    int id;        /* caller */
    int rep;       /* job number */
    int out[16];   /* task t writes id * 100000 + rep * 16 + t */
    int wrong;     /* jobs whose outputs were not all this caller's */
    int nested;    /* tasks also run a pool_run of their own */
    int inner[16]; /* the nested job's outputs */
} Caller;

static void inner_task(void *vctx, int t, int thread) {
    (void)thread;
    int *v = vctx;
    v[t] = t + 1;
}

static void caller_task(void *vctx, int t, int thread) {
    (void)thread;
    Caller *c = vctx;
    volatile double s = 0; /* a little work: the other caller gets a window */
    for (int k = 1; k < 2000; k++)
        s += 1.0 / k;
    c->out[t] = c->id * 100000 + c->rep * 16 + t;
    if (c->nested && t == 3) pool_run(inner_task, c->inner, 16); /* inline, no deadlock */
}

static void *caller_main(void *arg) {
    Caller *c = arg;
    for (c->rep = 0; c->rep < 400; c->rep++) {
        memset(c->out, 0, sizeof c->out);
        memset(c->inner, 0, sizeof c->inner);
        pool_run(caller_task, c, 16);
        int bad = 0;
        for (int t = 0; t < 16; t++) {
            bad |= c->out[t] != c->id * 100000 + c->rep * 16 + t;
            if (c->nested) bad |= c->inner[t] != t + 1;
        }
        c->wrong += bad;
    }
    return NULL;
}

/* Two threads (two Sessions, or a window beside a training thread) calling
 * pool_run at the same time: every job runs its own tasks on its own
 * context, exactly once (without the pool's turn-taking, the second caller
 * overwrote the first's job: wrong outputs, a lost wake-up, or a task running
 * on a context whose caller had already returned). */
Test(pool, concurrent_callers_take_turns, .timeout = 60) {
    cr_assert_eq(pool_init(2), 0);
    Caller c[3] = {{.id = 1}, {.id = 2}, {.id = 3, .nested = 1}};
    pthread_t th[3];
    for (int k = 0; k < 3; k++)
        cr_assert_eq(pthread_create(&th[k], NULL, caller_main, &c[k]), 0);
    for (int k = 0; k < 3; k++)
        pthread_join(th[k], NULL);
    for (int k = 0; k < 3; k++)
        cr_assert_eq(c[k].wrong, 0, "caller %d: %d of 400 jobs had outputs not its own", c[k].id,
                     c[k].wrong);
    pool_done();
}

/* A task that calls pool_run runs the inner job inline on its own thread,
 * on every worker, instead of waiting for a pool that is busy with it. */
Test(pool, nested_run_is_inline, .timeout = 60) {
    cr_assert_eq(pool_init(3), 0);
    Caller c = {.id = 7, .nested = 1};
    caller_main(&c);
    cr_assert_eq(c.wrong, 0, "%d of 400 nested jobs went wrong", c.wrong);
    pool_done();
}

/* pool_init from one thread while another runs jobs waits for the job in
 * progress; the jobs stay right whatever the count. */
Test(pool, init_while_another_thread_runs, .timeout = 60) {
    cr_assert_eq(pool_init(2), 0);
    Caller c = {.id = 5};
    pthread_t th;
    cr_assert_eq(pthread_create(&th, NULL, caller_main, &c), 0);
    for (int k = 0; k < 40; k++)
        cr_assert_eq(pool_init(1 + k % 3), 0);
    pthread_join(th, NULL);
    cr_assert_eq(c.wrong, 0, "%d of 400 jobs went wrong", c.wrong);
    pool_done();
}
