/* common.c — see common.h. */
#define _POSIX_C_SOURCE 200809L
#include "common.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int rt_err(RtErr *e, const char *fmt, ...) {
    if (e) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(e->msg, sizeof e->msg, fmt, ap);
        va_end(ap);
    }
    return -1;
}

void *rt_calloc(size_t n, size_t size, const char *what, RtErr *e) {
    if (n == 0 || size == 0) n = size = 1;
    if (n > SIZE_MAX / size) {
        rt_err(e, "%s: size overflow (%zu x %zu)", what, n, size);
        return NULL;
    }
    void *p = calloc(n, size);
    if (!p) rt_err(e, "%s: out of memory (%zu bytes)", what, n * size);
    return p;
}

int rt_argmax(const float *p, int n) {
    if (n < 1) return -1;
    int best = 0;
    for (int i = 1; i < n; i++)
        if (p[i] > p[best] || (p[best] != p[best] && p[i] == p[i])) best = i;
    return best;
}

double rt_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}
