/* common.c — see common.h. */
#define _POSIX_C_SOURCE 200809L
#include "common.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

const char *rt_strerror(int err) {
    static _Thread_local char buf[128];
    snprintf(buf, sizeof buf, "%s", strerror(err));
    buf[0] = (char)tolower((unsigned char)buf[0]);
    return buf;
}

/* Length of the valid UTF-8 sequence at s (2-4) that is not a C1 control
 * and not an overlong form or surrogate, else 0. */
static int utf8_ok(const unsigned char *s) {
    unsigned c = s[0];
    int n = c >= 0xf0 ? (c <= 0xf4 ? 4 : 0) : c >= 0xe0 ? 3 : c >= 0xc2 ? 2 : 0;
    if (!n) return 0;
    for (int i = 1; i < n; i++)
        if ((s[i] & 0xc0) != 0x80) return 0;
    if (n == 2 && c == 0xc2 && s[1] < 0xa0) return 0;  /* U+0080..U+009F: C1 controls */
    if (n == 3 && c == 0xe0 && s[1] < 0xa0) return 0;  /* overlong */
    if (n == 3 && c == 0xed && s[1] >= 0xa0) return 0; /* surrogates */
    if (n == 4 && c == 0xf0 && s[1] < 0x90) return 0;  /* overlong */
    if (n == 4 && c == 0xf4 && s[1] >= 0x90) return 0; /* beyond U+10FFFF */
    return n;
}

char *rt_escape(char *dst, size_t cap, const char *src) {
    if (cap == 0) return dst;
    size_t o = 0, mark = 0; /* written; the end of the last piece that leaves room for "..." */
    const unsigned char *s = (const unsigned char *)(src ? src : "(null)");
    while (*s) {
        char tmp[8];
        size_t k;
        int u = *s >= 0x80 ? utf8_ok(s) : 0;
        if (u) {
            memcpy(tmp, s, (size_t)u);
            k = (size_t)u;
        } else if (*s >= 0x20 && *s < 0x7f) {
            tmp[0] = (char)*s;
            k = 1;
        } else {
            const char *name = *s == '\n'   ? "\\n"
                               : *s == '\r' ? "\\r"
                               : *s == '\t' ? "\\t"
                               : *s == 0x1b ? "\\e"
                                            : NULL;
            if (name)
                k = (size_t)snprintf(tmp, sizeof tmp, "%s", name);
            else
                k = (size_t)snprintf(tmp, sizeof tmp, "\\x%02x", *s);
            u = 1;
        }
        s += u ? (size_t)u : 1;
        if (o + k + 1 > cap) { /* does not fit: cut at the last piece with room for "..." */
            if (mark + 4 <= cap) {
                memcpy(dst + mark, "...", 3);
                o = mark + 3;
            } else
                o = mark;
            break;
        }
        memcpy(dst + o, tmp, k);
        o += k;
        if (o + 4 <= cap) mark = o;
    }
    dst[o] = 0;
    return dst;
}

double rt_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}
