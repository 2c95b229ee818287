/* idx.c — IDX image/label readers and the shared whole-file reader (gzip or
 * raw, through zlib, which reads uncompressed files transparently).
 *
 * Nothing is allocated from what a header claims: buffers start small and
 * double as data actually arrives, up to the size the header declares, and
 * the file must then end exactly there. */
#include "dataset.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#define IDX_MAGIC_IMAGES 0x00000803u /* unsigned byte, 3 dims: n, rows, cols */
#define IDX_MAGIC_LABELS 0x00000801u /* unsigned byte, 1 dim: n */
#define IDX_MAX_PIXELS   (1u << 20)  /* rows * cols of one image */
#define READ_CHUNK       (1u << 24)  /* largest single gzread */
#define FIRST_CAP        ((size_t)1 << 16)

/* Open path for reading through zlib; rejects directories and empty files. */
static gzFile open_file(const char *path, RtErr *e) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        rt_err(e, "%s: %s", path, strerror(errno));
        return NULL;
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        rt_err(e, "%s: %s", path, strerror(errno));
        close(fd);
        return NULL;
    }
    if (S_ISDIR(st.st_mode)) {
        rt_err(e, "%s: is a directory, not a data file", path);
        close(fd);
        return NULL;
    }
    if (S_ISREG(st.st_mode) && st.st_size == 0) {
        rt_err(e, "%s: empty file", path);
        close(fd);
        return NULL;
    }
    gzFile g = gzdopen(fd, "rb");
    if (!g) {
        rt_err(e, "%s: cannot open (out of memory)", path);
        close(fd);
        return NULL;
    }
    gzbuffer(g, 1u << 17);
    return g;
}

/* Read up to n bytes into buf. Returns the count (short only at the end of
 * the data) or -1 with e filled. */
static long long read_some(gzFile g, const char *path, uint8_t *buf, size_t n, RtErr *e) {
    size_t got = 0;
    while (got < n) {
        size_t want = RT_MIN(n - got, (size_t)READ_CHUNK);
        int r = gzread(g, buf + got, (unsigned)want);
        if (r < 0) {
            int errnum;
            const char *msg = gzerror(g, &errnum);
            if (errnum == Z_ERRNO) {
                rt_err(e, "%s: read error: %s", path, strerror(errno));
            } else {
                const char *colon = strstr(msg, ": "); /* zlib prefixes "<fd:N>: " */
                rt_err(e, "%s: corrupt gzip data (%s)", path, colon ? colon + 2 : msg);
            }
            return -1;
        }
        if (r == 0) {
            int errnum;
            gzerror(g, &errnum);
            if (errnum == Z_BUF_ERROR) {
                rt_err(e, "%s: truncated gzip data (unexpected end of file)", path);
                return -1;
            }
            break;
        }
        got += (size_t)r;
    }
    return (long long)got;
}

/* Close g, reporting a gzip stream that ended early or failed its check. */
static int close_file(gzFile g, const char *path, RtErr *e) {
    int errnum = Z_OK;
    gzerror(g, &errnum);
    int rc = gzclose_r(g);
    if (errnum == Z_BUF_ERROR || rc == Z_BUF_ERROR)
        return rt_err(e, "%s: truncated gzip data (unexpected end of file)", path);
    if ((errnum != Z_OK && errnum != Z_STREAM_END) || (rc != Z_OK && rc != Z_STREAM_END))
        return rt_err(e, "%s: corrupt gzip data", path);
    return 0;
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
static int read_growing(gzFile g, const char *path, size_t total, uint8_t **out, size_t *got,
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
        long long r = read_some(g, path, buf + n, cap - n, e);
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
    gzFile g = open_file(path, e);
    if (!g) return -1;
    uint8_t *b = NULL;
    size_t n = 0;
    size_t lim = max < SIZE_MAX ? max + 1 : max; /* one byte more to detect "too large" */
    if (read_growing(g, path, lim, &b, &n, e)) {
        gzclose_r(g);
        return -1;
    }
    int direct = gzdirect(g);
    if (close_file(g, path, e)) {
        free(b);
        return -1;
    }
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
    gzFile g = open_file(path, e);
    if (!g) return -1;
    uint8_t head[4 + 4 * 3];
    size_t hlen = 4 + 4 * (size_t)ndims;
    long long r = read_some(g, path, head, hlen, e);
    if (r < 0) goto fail;
    if (r == 0) {
        rt_err(e, "%s: empty file", path);
        goto fail;
    }
    if (r >= 4) {
        uint32_t m =
            (uint32_t)head[0] << 24 | (uint32_t)head[1] << 16 | (uint32_t)head[2] << 8 | head[3];
        if (m != magic) {
            if (gzdirect(g) && is_bzip2(head, (size_t)r))
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
    if (dims[0] > INT_MAX) {
        rt_err(e, "%s: header claims %u %s, more than rtviz accepts", path, dims[0], kind);
        goto fail;
    }
    if (ndims == 3) {
        if (dims[1] == 0 || dims[2] == 0) {
            rt_err(e, "%s: image size %u x %u is empty", path, dims[1], dims[2]);
            goto fail;
        }
        if (item > IDX_MAX_PIXELS) {
            rt_err(e, "%s: image size %u x %u is too large (more than %u pixels%s)", path, dims[1],
                   dims[2], IDX_MAX_PIXELS, item > UINT32_MAX ? "; the product overflows" : "");
            goto fail;
        }
    }
    uint64_t total64 = (uint64_t)dims[0] * item;
    if (total64 > SIZE_MAX) {
        rt_err(e, "%s: header claims %llu bytes of data, too large", path,
               (unsigned long long)total64);
        goto fail;
    }
    size_t total = (size_t)total64, got = 0;
    uint8_t *buf = NULL;
    if (read_growing(g, path, total, &buf, &got, e)) goto fail;
    if (got < total) {
        rt_err(e,
               "%s: truncated: the header claims %u %s (%zu bytes of data) but the file holds "
               "only %zu bytes",
               path, dims[0], kind, total, got);
        free(buf);
        goto fail;
    }
    uint8_t extra;
    r = read_some(g, path, &extra, 1, e);
    if (r != 0) {
        if (r > 0)
            rt_err(e, "%s: trailing data after the %u %s the header declares", path, dims[0], kind);
        free(buf);
        goto fail;
    }
    if (close_file(g, path, e)) {
        free(buf);
        return -1;
    }
    *data = buf;
    return 0;
fail:
    gzclose_r(g);
    return -1;
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

void data_batch_float(const DataSplit *s, const int *idx, int n, float *out) {
    const int d = s->d;
    for (int i = 0; i < n; i++) {
        const uint8_t *src = s->x + (size_t)(idx ? idx[i] : i) * (size_t)d;
        float *dst = out + (size_t)i * (size_t)d;
        for (int j = 0; j < d; j++)
            dst[j] = (float)src[j] / 255.0f;
    }
}
