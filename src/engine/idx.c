/* idx.c — IDX image/label readers and the shared whole-file reader (gzip or
 * raw; the gzip stream is inflated with zlib here, so that trailing data after
 * it is seen).
 *
 * Nothing is allocated from what a header claims: buffers start small and
 * double as data actually arrives, up to the size the header declares, and
 * the file must then end exactly there. */
#include "dataset.h"

#include "rtkern.h" /* rk_level: the instruction set in use */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#define IDX_MAGIC_IMAGES 0x00000803u       /* unsigned byte, 3 dims: n, rows, cols */
#define IDX_MAGIC_LABELS 0x00000801u       /* unsigned byte, 1 dim: n */
#define IN_CAP           ((size_t)1 << 17) /* compressed (or raw) bytes read at a time */
#define FIRST_CAP        ((size_t)1 << 16)

/* ---- a data file: raw bytes or a gzip stream ---------------------------------
 * zlib's gzread skips garbage after a gzip stream without a word, so the
 * stream is inflated here: after each gzip member either the file ends or
 * another member starts (concatenated gzip, as pigz writes); anything else is
 * trailing data, rejected like trailing bytes in a raw file. */

typedef struct {
    const char *path; /* for messages */
    int fd;           /* the open file */
    int gz;           /* 1: gzip stream, 0: raw bytes */
    int zinit;        /* inflate is initialised */
    int in_eof;       /* read() returned 0 */
    int end;          /* the data has ended (raw: EOF; gzip: the last member ended at EOF) */
    z_stream zs;      /* next_in / avail_in is the input cursor in both modes */
    uint8_t *in;      /* IN_CAP bytes of input */
} Src;

/* What a non-regular file is, for messages. */
static const char *file_kind(mode_t m) {
    if (S_ISFIFO(m)) return "a FIFO";
    if (S_ISCHR(m)) return "a character device";
    if (S_ISBLK(m)) return "a block device";
    if (S_ISSOCK(m)) return "a socket";
    return "not a regular file";
}

/* Read more input after the bytes not yet used (moved to the front), until
 * at least want bytes are there or the file ends. Returns 0 or -1. */
static int src_fill(Src *s, size_t want, RtErr *e) {
    if (s->zs.avail_in >= want || s->in_eof) return 0;
    if (s->zs.avail_in > 0 && s->zs.next_in != s->in) memmove(s->in, s->zs.next_in, s->zs.avail_in);
    s->zs.next_in = s->in;
    while (s->zs.avail_in < want && !s->in_eof) {
        ssize_t r = read(s->fd, s->in + s->zs.avail_in, IN_CAP - s->zs.avail_in);
        if (r < 0) {
            if (errno == EINTR) continue;
            return rt_err(e, "%s: read error: %s", s->path, rt_strerror(errno));
        }
        if (r == 0)
            s->in_eof = 1;
        else
            s->zs.avail_in += (uInt)r;
    }
    return 0;
}

static void src_close(Src *s) {
    if (s->zinit) inflateEnd(&s->zs);
    if (s->fd >= 0) close(s->fd);
    free(s->in);
    memset(s, 0, sizeof *s);
    s->fd = -1;
}

/* Open path: a regular, non-empty file (a FIFO or device is refused at once,
 * without blocking on it), gzip when it starts with the gzip magic. */
static int src_open(Src *s, const char *path, RtErr *e) {
    memset(s, 0, sizeof *s);
    s->fd = -1;
    s->path = path;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (fd < 0) {
        int err = errno;
        if (err == ELOOP) return rt_err(e, "%s: symlink loop", path);
        return rt_err(e, "%s: %s", path, rt_strerror(err));
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        int err = errno;
        close(fd);
        return rt_err(e, "%s: %s", path, rt_strerror(err));
    }
    if (S_ISDIR(st.st_mode)) {
        close(fd);
        return rt_err(e, "%s: is a directory, not a data file", path);
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        return rt_err(e, "%s: is %s, not a regular file", path, file_kind(st.st_mode));
    }
    if (st.st_size == 0) {
        close(fd);
        return rt_err(e, "%s: empty file", path);
    }
    int fl = fcntl(fd, F_GETFL);
    if (fl >= 0) fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
    s->fd = fd;
    s->in = malloc(IN_CAP);
    if (!s->in) {
        src_close(s);
        return rt_err(e, "%s: out of memory", path);
    }
    s->zs.next_in = s->in;
    if (src_fill(s, 2, e)) {
        src_close(s);
        return -1;
    }
    if (s->zs.avail_in >= 2 && s->in[0] == 0x1f && s->in[1] == 0x8b) {
        if (inflateInit2(&s->zs, 16 + MAX_WBITS) != Z_OK) {
            src_close(s);
            return rt_err(e, "%s: cannot open (out of memory)", path);
        }
        s->gz = 1;
        s->zinit = 1;
    }
    return 0;
}

/* One gzip member has ended: the file must end here or another member
 * begin. Returns 0 (s->end set when the file ended) or -1. */
static int member_end(Src *s, RtErr *e) {
    if (src_fill(s, 2, e)) return -1;
    if (s->zs.avail_in == 0) {
        s->end = 1;
        return 0;
    }
    if (s->zs.avail_in >= 2 && s->zs.next_in[0] == 0x1f && s->zs.next_in[1] == 0x8b) {
        inflateReset(&s->zs);
        return 0;
    }
    return rt_err(e, "%s: trailing data after the end of the gzip stream", s->path);
}

/* Read up to n bytes into buf. Returns the count (short only at the end of
 * the data) or -1 with e filled. */
static long long read_some(Src *s, uint8_t *buf, size_t n, RtErr *e) {
    size_t got = 0;
    while (got < n && !s->end) {
        if (!s->gz) {
            if (s->zs.avail_in == 0 && src_fill(s, 1, e)) return -1;
            if (s->zs.avail_in == 0) {
                s->end = 1;
                break;
            }
            size_t k = RT_MIN(n - got, (size_t)s->zs.avail_in);
            memcpy(buf + got, s->zs.next_in, k);
            s->zs.next_in += k;
            s->zs.avail_in -= (uInt)k;
            got += k;
            continue;
        }
        if (s->zs.avail_in == 0 && src_fill(s, 1, e)) return -1;
        if (s->zs.avail_in == 0)
            return rt_err(e, "%s: truncated gzip data (unexpected end of file)", s->path);
        size_t want = RT_MIN(n - got, (size_t)1 << 30);
        s->zs.next_out = buf + got;
        s->zs.avail_out = (uInt)want;
        int r = inflate(&s->zs, Z_NO_FLUSH);
        got += want - s->zs.avail_out;
        if (r == Z_STREAM_END) {
            if (member_end(s, e)) return -1;
        } else if (r == Z_MEM_ERROR) {
            return rt_err(e, "%s: out of memory while decompressing", s->path);
        } else if (r != Z_OK && r != Z_BUF_ERROR) {
            return rt_err(e, "%s: corrupt gzip data (%s)", s->path,
                          s->zs.msg ? s->zs.msg : "invalid stream");
        }
    }
    return (long long)got;
}

static int is_bzip2(const uint8_t *b, size_t n) {
    return n >= 4 && b[0] == 'B' && b[1] == 'Z' && b[2] == 'h' && b[3] >= '1' && b[3] <= '9';
}

static int bzip2_error(const char *path, RtErr *e) {
    return rt_err(e, "%s: is bzip2-compressed; decompress it first with: bunzip2 -k %s", path,
                  path);
}

/* Read up to total bytes into a buffer grown as data arrives. *got < total
 * means the data ended early. Returns 0 or -1 (e filled, nothing allocated). */
static int read_growing(Src *g, const char *path, size_t total, uint8_t **out, size_t *got,
                        RtErr *e) {
    size_t cap = RT_MIN(total, FIRST_CAP), n = 0;
    uint8_t *buf = malloc(cap ? cap : 1);
    if (!buf) return rt_err(e, "%s: out of memory", path);
    for (;;) {
        if (n == cap) {
            if (cap == total) break;
            size_t ncap = cap > total / 2 ? total : cap * 2;
            uint8_t *nb = realloc(buf, ncap);
            if (!nb) {
                free(buf);
                return rt_err(e, "%s: out of memory (%zu bytes)", path, ncap);
            }
            buf = nb;
            cap = ncap;
        }
        long long r = read_some(g, buf + n, cap - n, e);
        if (r < 0) {
            free(buf);
            return -1;
        }
        n += (size_t)r;
        if (n < cap) break; /* end of data */
    }
    *out = buf;
    *got = n;
    return 0;
}

int ds_read_file(const char *path, size_t max, uint8_t **buf, size_t *len, RtErr *e) {
    Src g;
    if (src_open(&g, path, e)) return -1;
    uint8_t *b = NULL;
    size_t n = 0;
    size_t lim = max < SIZE_MAX ? max + 1 : max; /* one byte more to detect "too large" */
    int rc = read_growing(&g, path, lim, &b, &n, e);
    int direct = !g.gz;
    src_close(&g);
    if (rc) return -1;
    if (n == 0) {
        free(b);
        return rt_err(e, "%s: empty file", path);
    }
    if (direct && is_bzip2(b, n)) {
        free(b);
        return bzip2_error(path, e);
    }
    if (n > max) {
        free(b);
        return rt_err(e, "%s: larger than the %zu bytes rtviz accepts for this kind of file", path,
                      max);
    }
    *buf = b;
    *len = n;
    return 0;
}

/* Read an IDX file of unsigned bytes: check the magic, read the ndims
 * big-endian dimensions into dims, then exactly dims[0] * item bytes of data,
 * where item is the product of the other dimensions. */
static int idx_read(const char *path, uint32_t magic, const char *kind, uint32_t *dims, int ndims,
                    uint8_t **data, RtErr *e) {
    /* data NULL: the header only (idx_peek_images) */
    Src g;
    if (src_open(&g, path, e)) return -1;
    uint8_t head[4 + 4 * 3];
    size_t hlen = 4 + 4 * (size_t)ndims;
    long long r = read_some(&g, head, hlen, e);
    if (r < 0) goto fail;
    if (r == 0) {
        rt_err(e, "%s: empty file", path);
        goto fail;
    }
    if (r >= 4) {
        uint32_t m =
            (uint32_t)head[0] << 24 | (uint32_t)head[1] << 16 | (uint32_t)head[2] << 8 | head[3];
        if (m != magic) {
            if (!g.gz && is_bzip2(head, (size_t)r))
                bzip2_error(path, e);
            else if (m == IDX_MAGIC_IMAGES || m == IDX_MAGIC_LABELS)
                rt_err(e, "%s: is an IDX %s file, expected %s", path,
                       m == IDX_MAGIC_IMAGES ? "image" : "label", kind);
            else
                rt_err(e, "%s: not an IDX %s file (magic 0x%08x, expected 0x%08x)", path, kind, m,
                       magic);
            goto fail;
        }
    }
    if ((size_t)r < hlen) {
        rt_err(e, "%s: truncated IDX header (%lld of %zu bytes)", path, r, hlen);
        goto fail;
    }
    uint64_t item = 1;
    for (int i = 0; i < ndims; i++) {
        const uint8_t *p = head + 4 + 4 * i;
        dims[i] = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
        if (i > 0) item *= dims[i];
    }
    if (dims[0] == 0) {
        rt_err(e, "%s: holds no %s (count 0 in the header)", path, kind);
        goto fail;
    }
    if (dims[0] > DS_MAX_ITEMS) {
        rt_err(e, "%s: header claims %u %s; rtviz accepts at most %d", path, dims[0], kind,
               DS_MAX_ITEMS);
        goto fail;
    }
    if (ndims == 3) {
        if (dims[1] == 0 || dims[2] == 0) {
            rt_err(e, "%s: image size %u x %u is empty", path, dims[1], dims[2]);
            goto fail;
        }
        if (item > DS_MAX_PIXELS) {
            rt_err(e, "%s: image size %u x %u is too large (more than %u pixels%s)", path, dims[1],
                   dims[2], DS_MAX_PIXELS, item > UINT32_MAX ? "; the product overflows" : "");
            goto fail;
        }
    }
    uint64_t total64 = (uint64_t)dims[0] * item;
    if (total64 > DS_MAX_BYTES) {
        rt_err(e, "%s: header claims %u %s of %llu bytes in all; rtviz accepts at most %llu bytes",
               path, dims[0], kind, (unsigned long long)total64, (unsigned long long)DS_MAX_BYTES);
        goto fail;
    }
    if (!data) {
        src_close(&g);
        return 0;
    }
    size_t total = (size_t)total64, got = 0;
    uint8_t *buf = NULL;
    if (read_growing(&g, path, total, &buf, &got, e)) goto fail;
    if (got < total) {
        rt_err(e,
               "%s: truncated: the header claims %u %s (%zu bytes of data) but the file holds "
               "only %zu bytes",
               path, dims[0], kind, total, got);
        free(buf);
        goto fail;
    }
    uint8_t extra;
    r = read_some(&g, &extra, 1, e);
    if (r != 0) {
        if (r > 0)
            rt_err(e, "%s: trailing data after the %u %s the header declares", path, dims[0], kind);
        free(buf);
        goto fail;
    }
    src_close(&g);
    *data = buf;
    return 0;
fail:
    src_close(&g);
    return -1;
}

int idx_peek_images(const char *path, int *n, int *h, int *w, RtErr *e) {
    uint32_t dims[3];
    if (idx_read(path, IDX_MAGIC_IMAGES, "images", dims, 3, NULL, e)) return -1;
    *n = (int)dims[0];
    *h = (int)dims[1];
    *w = (int)dims[2];
    return 0;
}

int idx_load_images(const char *path, DataSplit *out, RtErr *e) {
    uint32_t dims[3];
    uint8_t *x = NULL;
    if (idx_read(path, IDX_MAGIC_IMAGES, "images", dims, 3, &x, e)) return -1;
    if (out->y && out->n != (int)dims[0]) {
        free(x);
        return rt_err(e, "%s: %u images but the label file holds %d labels", path, dims[0], out->n);
    }
    out->n = (int)dims[0];
    out->ch = 1;
    out->h = (int)dims[1];
    out->w = (int)dims[2];
    out->d = out->h * out->w;
    out->x = x;
    return 0;
}

int idx_load_labels(const char *path, DataSplit *out, int classes, RtErr *e) {
    if (classes < 1 || classes > 256)
        return rt_err(e, "%s: class count %d is out of range (1-256)", path, classes);
    uint32_t n;
    uint8_t *y = NULL;
    if (idx_read(path, IDX_MAGIC_LABELS, "labels", &n, 1, &y, e)) return -1;
    for (uint32_t i = 0; i < n; i++) {
        if (y[i] >= classes) {
            int v = y[i];
            free(y);
            return rt_err(e, "%s: label %d of item %u is not below the class count %d", path, v, i,
                          classes);
        }
    }
    if (out->x && out->n != (int)n) {
        free(y);
        return rt_err(e, "%s: %u labels but the image file holds %d images", path, n, out->n);
    }
    out->n = (int)n;
    out->y = y;
    return 0;
}

void data_split_free(DataSplit *s) {
    free(s->x);
    free(s->y);
    memset(s, 0, sizeof *s);
}

/* One row: dst[j] = src[j] / 255, an exact int-to-float conversion and one
 * correctly rounded division, so the same bits at any vector width (the
 * Makefile lets GCC vectorise it). Inlined into one function per
 * instruction set. */
static inline __attribute__((always_inline)) void row_float(const uint8_t *restrict src,
                                                            float *restrict dst, int d) {
    for (int j = 0; j < d; j++)
        dst[j] = (float)src[j] / 255.0f;
}

/* Picked rows (a shuffled minibatch) are scattered over the split: the row
 * BATCH_PF ahead is prefetched, so its cache misses overlap this row's work
 * (one row at a time waited on memory: 45 µs against 23 µs for 128
 * Fashion-MNIST rows, bench/README.md). */
#define BATCH_PF   2
#define BATCH_ARGS const uint8_t *x, const int *idx, int n, int d, float *out
#define BATCH_BODY                                                                                 \
    for (int i = 0; i < n; i++) {                                                                  \
        if (idx && i + BATCH_PF < n) {                                                             \
            const uint8_t *pf = x + (size_t)idx[i + BATCH_PF] * (size_t)d;                         \
            for (int o = 0; o < d; o += 64)                                                        \
                __builtin_prefetch(pf + o, 0, 3);                                                  \
            __builtin_prefetch(pf + d - 1, 0, 3);                                                  \
        }                                                                                          \
        row_float(x + (size_t)(idx ? idx[i] : i) * (size_t)d, out + (size_t)i * (size_t)d, d);     \
    }

static void batch_float(BATCH_ARGS) { BATCH_BODY }

#if defined(__x86_64__) || defined(__i386__)
/* 8 lanes at kernel level >= 1 (rtkern.h). */
__attribute__((target("avx2"))) static void batch_float_avx2(BATCH_ARGS) { BATCH_BODY }
#endif

void data_batch_float(const DataSplit *s, const int *idx, int n, float *out) {
#if defined(__x86_64__) || defined(__i386__)
    if (rk_level(-1) >= 1) {
        batch_float_avx2(s->x, idx, n, s->d, out);
        return;
    }
#endif
    batch_float(s->x, idx, n, s->d, out);
}
