/* test_pool.c — every task runs exactly once, on worker task % nthreads, and
 * results do not depend on the thread count. */
#include <criterion/criterion.h>
#include <string.h>

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
                if (n > 1)
                    for (int t = 0; t < n; t++)
                        cr_assert_eq(c.worker[t], t % threads);
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
