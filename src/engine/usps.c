/* usps.c — USPS handwritten digits in LIBSVM text format (DESIGN.md §4).
 *
 * Each line is "label idx:value idx:value ...": label 1..10 (digit label-1),
 * indices 1..256 strictly increasing, values in [-1,1]; a missing feature is
 * 0 (LIBSVM's sparse convention). Pixels are mapped to uint8 by
 * round((v + 1) * 127.5) and laid out as one 16x16 grey image per line. */
#include "dataset.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define USPS_SIDE    16
#define USPS_D       (USPS_SIDE * USPS_SIDE)
#define USPS_CLASSES 10
#define USPS_TOL     1e-4 /* slack on [-1,1] for rounding in the file */

static int is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'; }

/* Copy the token at *p (up to whitespace or newline) into tok; advance *p. */
static size_t next_token(const char **p, const char *end, char *tok, size_t cap) {
    const char *s = *p;
    while (s < end && is_space(*s))
        s++;
    const char *t = s;
    while (s < end && !is_space(*s) && *s != '\n')
        s++;
    size_t n = (size_t)(s - t);
    if (n >= cap) n = cap - 1;     /* caller rejects a truncated token by parse failure */
    for (size_t i = 0; i < n; i++) /* non-ASCII never parses; keep messages printable */
        tok[i] = t[i] > 0x20 && t[i] < 0x7f ? t[i] : '?';
    tok[n] = 0;
    *p = s;
    return (size_t)(s - t);
}

/* Parse a whole token as a finite number; -1 on failure. */
static int parse_num(const char *s, double *v) {
    char *end;
    if (!*s) return -1;
    double d = strtod(s, &end);
    if (*end || !isfinite(d)) return -1;
    *v = d;
    return 0;
}

int usps_load(const char *path, DataSplit *out, RtErr *e) {
    uint8_t *buf = NULL;
    size_t len = 0;
    if (ds_read_file(path, USPS_MAX_FILE, &buf, &len, e)) return -1;
    if (memchr(buf, 0, len)) {
        free(buf);
        return rt_err(e, "%s: not a LIBSVM text file (binary data)", path);
    }
    const char *p = (const char *)buf, *end = p + len;
    uint8_t *x = NULL, *y = NULL;
    size_t n = 0, cap = 0;
    int line = 0;
    char tok[64];
    while (p < end) {
        line++;
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        if (!eol) eol = end;
        const char *q = p;
        size_t tl = next_token(&q, eol, tok, sizeof tok);
        if (tl == 0) { /* blank line */
            p = eol + (eol < end);
            continue;
        }
        double lv;
        if (tl >= sizeof tok || parse_num(tok, &lv) || lv != floor(lv) || lv < 1 ||
            lv > USPS_CLASSES) {
            rt_err(e, "%s:%d: label '%s' is not a whole number 1..%d", path, line, tok,
                   USPS_CLASSES);
            goto fail;
        }
        if (n >= USPS_MAX_SAMPLES) {
            rt_err(e, "%s:%d: more than %d samples; rtviz accepts at most %d per USPS file", path,
                   line, USPS_MAX_SAMPLES, USPS_MAX_SAMPLES);
            goto fail;
        }
        if (n == cap) {
            size_t ncap = cap ? RT_MIN(cap * 2, (size_t)USPS_MAX_SAMPLES) : 1024;
            uint8_t *nx = realloc(x, ncap * USPS_D), *ny;
            if (!nx) goto oom;
            x = nx;
            ny = realloc(y, ncap);
            if (!ny) goto oom;
            y = ny;
            cap = ncap;
        }
        uint8_t *img = x + n * USPS_D;
        memset(img, 128, USPS_D); /* value 0 -> round(127.5) */
        y[n] = (uint8_t)(lv - 1);
        int last = 0;
        while ((tl = next_token(&q, eol, tok, sizeof tok)) > 0) {
            char *colon = strchr(tok, ':');
            double iv, v;
            if (tl >= sizeof tok || !colon) {
                rt_err(e, "%s:%d: '%s' is not index:value", path, line, tok);
                goto fail;
            }
            *colon = 0;
            if (parse_num(tok, &iv) || iv != floor(iv) || iv < 1 || iv > USPS_D) {
                rt_err(e, "%s:%d: feature index '%s' is not 1..%d", path, line, tok, USPS_D);
                goto fail;
            }
            if ((int)iv <= last) {
                rt_err(e, "%s:%d: feature index %d does not increase (after %d)", path, line,
                       (int)iv, last);
                goto fail;
            }
            last = (int)iv;
            if (parse_num(colon + 1, &v) || v < -1 - USPS_TOL || v > 1 + USPS_TOL) {
                rt_err(e, "%s:%d: feature %d value '%s' is not a number in [-1,1]", path, line,
                       last, colon + 1);
                goto fail;
            }
            long u = lround((v + 1.0) * 127.5);
            img[last - 1] = (uint8_t)(u < 0 ? 0 : u > 255 ? 255 : u);
        }
        n++;
        p = eol + (eol < end);
    }
    free(buf);
    if (n == 0) {
        free(x);
        free(y);
        return rt_err(e, "%s: holds no samples", path);
    }
    memset(out, 0, sizeof *out);
    out->n = (int)n;
    out->ch = 1;
    out->h = out->w = USPS_SIDE;
    out->d = USPS_D;
    out->x = x;
    out->y = y;
    return 0;
oom:
    rt_err(e, "%s: out of memory after %zu samples", path, n);
fail:
    free(buf);
    free(x);
    free(y);
    return -1;
}
