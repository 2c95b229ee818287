/* common.h — error reporting and small helpers shared by the whole engine.
 *
 * Convention (docs/STYLE.md): a library function that can fail returns 0 on
 * success and -1 on failure, after filling an RtErr with one line that names
 * the file / flag / value and what is wrong. Only main() prints and exits. */
#ifndef RTVIZ_COMMON_H
#define RTVIZ_COMMON_H

#include <stddef.h>
#include <stdint.h>

#define RTVIZ_VERSION "0.1.0"
#define RT_ERRLEN     512

typedef struct {
    char msg[RT_ERRLEN]; /* one line, no trailing newline */
} RtErr;

/* Fill e (may be NULL) with a printf-style message; returns -1 so callers can
 * write `return rt_err(e, "%s: truncated", path);`. */
int rt_err(RtErr *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Allocation that reports failure through RtErr instead of crashing; the
 * returned memory is zeroed. what names the buffer in the message. */
void *rt_calloc(size_t n, size_t size, const char *what, RtErr *e);

/* strerror(err) with a lower-case first letter ("no space left on device"),
 * for the middle of a message. Per-thread buffer, rewritten by the next call. */
const char *rt_strerror(int err);

/* Copies src into dst (cap bytes, always NUL-terminated) so that it is safe
 * to print on a terminal and stays one line: control characters become
 * \n, \r, \t, \e or \xNN, and so do bytes that are not valid UTF-8 and
 * UTF-8 encodings of the C1 controls (U+0080..U+009F); other UTF-8 is kept.
 * Text that does not fit ends in "...". Returns dst. */
char *rt_escape(char *dst, size_t cap, const char *src);

/* Monotonic clock in seconds. */
double rt_now(void);

#define RT_MIN(a, b) ((a) < (b) ? (a) : (b))
#define RT_MAX(a, b) ((a) > (b) ? (a) : (b))

#endif
