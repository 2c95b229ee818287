/* checkpoint.c — versioned binary checkpoints and safetensors export. See
 * checkpoint.h and docs/FORMATS.md for the byte layouts.
 *
 * Writing goes through the atomic writer (atomicio.h): a private temporary
 * file in FILE's directory, fflush, fsync, FILE's mode, rename over FILE,
 * fsync of the directory; any failure removes the temporary file and leaves
 * FILE as it was. Reading checks the
 * magic, the version, that every length in the header agrees with the real
 * length of the data, the CRC, then the config, before allocating anything. */
#define _POSIX_C_SOURCE 200809L
#include "checkpoint.h"

#include "atomicio.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

static const uint8_t MAGIC[8] = {'R', 'T', 'V', 'I', 'Z', 'C', 'K', 0};

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define HOST_LE 1
#else
#define HOST_LE 0
#endif

/* ---- little-endian encoding -------------------------------------------- */

static void put_u32(uint8_t *p, uint32_t v) {
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}
static void put_u64(uint8_t *p, uint64_t v) {
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}
static uint32_t get_u32(const uint8_t *p) {
    uint32_t v = 0;
    for (int i = 0; i < 4; i++)
        v |= (uint32_t)p[i] << (8 * i);
    return v;
}
static uint64_t get_u64(const uint8_t *p) {
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v |= (uint64_t)p[i] << (8 * i);
    return v;
}
static uint32_t f32_bits(float f) {
    uint32_t u;
    memcpy(&u, &f, 4);
    return u;
}
static float bits_f32(uint32_t u) {
    float f;
    memcpy(&f, &u, 4);
    return f;
}

/* zlib's crc32 takes uInt lengths: feed it in chunks. */
static uLong crc_update(uLong crc, const uint8_t *p, size_t n) {
    while (n > 0) {
        uInt k = n > (size_t)1 << 30 ? (uInt)1 << 30 : (uInt)n;
        crc = crc32(crc, p, k);
        p += k;
        n -= k;
    }
    return crc;
}

/* strerror with a lower-case first letter: "no space left on device". */
static const char *reason(int err) {
    static _Thread_local char buf[128];
    snprintf(buf, sizeof buf, "%s", strerror(err));
    buf[0] = (char)tolower((unsigned char)buf[0]);
    return buf;
}

/* ---- writing through the atomic writer (atomicio.h) -------------------- */

typedef struct {
    AtomicWriter w; /* the temporary file and its target */
    uLong crc;      /* CRC-32 of every byte written */
    int err;        /* errno of the first failure, 0 if none */
} AtomicFile;

static int af_open(AtomicFile *af, const char *path, RtErr *e) {
    memset(af, 0, sizeof *af);
    af->crc = crc32(0L, Z_NULL, 0);
    return aw_open(&af->w, path, e);
}

static void af_write(AtomicFile *af, const void *p, size_t n) {
    if (af->err || n == 0) return;
    af->crc = crc_update(af->crc, p, n);
    errno = 0;
    if (fwrite(p, 1, n, af->w.f) != n) af->err = errno ? errno : EIO;
}

static void af_u32(AtomicFile *af, uint32_t v) {
    uint8_t b[4];
    put_u32(b, v);
    af_write(af, b, 4);
}
static void af_u64(AtomicFile *af, uint64_t v) {
    uint8_t b[8];
    put_u64(b, v);
    af_write(af, b, 8);
}
static void af_i32(AtomicFile *af, int v) { af_u32(af, (uint32_t)v); }
static void af_f32(AtomicFile *af, float v) { af_u32(af, f32_bits(v)); }

/* n floats, little-endian. */
static void af_f32s(AtomicFile *af, const float *x, size_t n) {
    if (HOST_LE) {
        af_write(af, x, n * sizeof(float));
        return;
    }
    uint8_t b[4096];
    while (n > 0) {
        size_t k = RT_MIN(n, sizeof b / 4);
        for (size_t i = 0; i < k; i++)
            put_u32(b + 4 * i, f32_bits(x[i]));
        af_write(af, b, 4 * k);
        x += k;
        n -= k;
    }
}

/* Finish: a write error removes the temporary file and reports it; else
 * aw_commit (flush, fsync, mode, rename, directory sync). */
static int af_commit(AtomicFile *af, const char *path, RtErr *e) {
    if (af->err) {
        rt_err(e, "%s: %s", path, reason(af->err));
        aw_abort(&af->w);
        return -1;
    }
    return aw_commit(&af->w, e);
}

/* ---- parameter count from a config (no allocation) ---------------------- */

static uint64_t config_params(const ModelConfig *c) {
    uint64_t n = 0;
    if (c->arch == ARCH_RT) {
        uint64_t B = (uint64_t)c->B, H = (uint64_t)c->H;
        n = B * (uint64_t)c->D + B;
        for (int l = 0; l < c->L; l++) {
            uint64_t din = l == 0 ? (uint64_t)c->D : H, K = l < c->L - 1 ? B : (uint64_t)c->C;
            n += B * (H * din + H + K * H + K);
        }
    } else {
        uint64_t prev = (uint64_t)c->D;
        for (int j = 0; j <= c->nhidden; j++) {
            uint64_t out = j < c->nhidden ? (uint64_t)c->hidden[j] : (uint64_t)c->C;
            n += out * prev + out;
            prev = out;
        }
    }
    return n;
}

/* ---- save ---------------------------------------------------------------- */

int ckpt_save(const char *path, const Model *m, const Adam *adam, const CkptMeta *meta, RtErr *e) {
    const ModelConfig *c = &m->cfg;
    RtErr ce;
    if (model_config_check(c, &ce)) return rt_err(e, "%s: invalid config: %s", path, ce.msg);
    if (c->nhidden < 0 || c->nhidden > MLP_MAX_HIDDEN)
        return rt_err(e, "%s: invalid config: hidden layers %d", path, c->nhidden);
    if (config_params(c) != (uint64_t)m->n)
        return rt_err(e, "%s: model has %zu parameters, its config %llu", path, m->n,
                      (unsigned long long)config_params(c));
    int has_adam = adam && adam->n > 0 && adam->m && adam->v;
    if (has_adam && adam->n != m->n)
        return rt_err(e, "%s: Adam state has %zu entries for %zu parameters", path, adam->n, m->n);
    if (has_adam && adam->t < 0) return rt_err(e, "%s: Adam step count %ld", path, adam->t);
    CkptMeta mt = {0};
    if (meta) mt = *meta;
    char ds[sizeof mt.dataset] = {0}; /* NUL-padded: the file's bytes do not depend on garbage */
    memcpy(ds, mt.dataset, strnlen(mt.dataset, sizeof ds - 1));

    AtomicFile af;
    if (af_open(&af, path, e)) return -1;
    af_write(&af, MAGIC, sizeof MAGIC);
    af_u32(&af, CKPT_VERSION);
    /* config, field by field */
    af_i32(&af, c->arch);
    af_i32(&af, c->D);
    af_i32(&af, c->C);
    af_i32(&af, c->ch);
    af_i32(&af, c->h);
    af_i32(&af, c->w);
    af_i32(&af, c->L);
    af_i32(&af, c->B);
    af_i32(&af, c->H);
    af_i32(&af, c->nhidden);
    for (int i = 0; i < c->nhidden; i++)
        af_i32(&af, c->hidden[i]);
    af_f32(&af, c->tau);
    af_i32(&af, c->nsched);
    for (int i = 0; i < c->nsched; i++)
        af_f32(&af, c->sched[i]);
    af_u64(&af, (uint64_t)m->n);
    /* meta */
    af_u64(&af, mt.seed);
    af_u64(&af, mt.step);
    af_u32(&af, mt.epoch);
    af_write(&af, ds, sizeof ds);
    /* Adam */
    af_u32(&af, has_adam ? 1u : 0u);
    if (has_adam) {
        af_u64(&af, (uint64_t)adam->t);
        af_f32(&af, adam->lr);
        af_f32s(&af, adam->m, adam->n);
        af_f32s(&af, adam->v, adam->n);
    }
    af_f32s(&af, m->w, m->n);
    uint8_t crc[4];
    put_u32(crc, (uint32_t)af.crc);
    af_write(&af, crc, 4);
    return af_commit(&af, path, e);
}

/* ---- load ---------------------------------------------------------------- */

typedef struct {
    const uint8_t *p; /* data */
    size_t len, pos;  /* length, read position */
    int short_read;   /* set when a read went past the end */
} Reader;

static const uint8_t *rd(Reader *r, size_t n) {
    if (r->short_read || r->len - r->pos < n) {
        r->short_read = 1;
        return NULL;
    }
    const uint8_t *q = r->p + r->pos;
    r->pos += n;
    return q;
}
static uint32_t rd_u32(Reader *r) {
    const uint8_t *q = rd(r, 4);
    return q ? get_u32(q) : 0;
}
static uint64_t rd_u64(Reader *r) {
    const uint8_t *q = rd(r, 8);
    return q ? get_u64(q) : 0;
}
static int rd_i32(Reader *r) { return (int)(int32_t)rd_u32(r); }
static float rd_f32(Reader *r) { return bits_f32(rd_u32(r)); }

/* 1 and *at = index of the first value that is not finite (or negative, when
 * nonneg is set: Adam's second moments), else 0. */
static int first_nonfinite(const float *x, size_t n, int nonneg, size_t *at) {
    for (size_t i = 0; i < n; i++)
        if (!isfinite(x[i]) || (nonneg && x[i] < 0.0f)) {
            *at = i;
            return 1;
        }
    return 0;
}

/* The tensor holding flat index i of the parameter buffer. */
static const Tensor *tensor_at(const Model *m, size_t i) {
    for (int k = 0; k < m->nt; k++)
        if (i >= m->t[k].off && i < m->t[k].off + m->t[k].n) return &m->t[k];
    return NULL;
}

static void decode_f32s(float *dst, const uint8_t *src, size_t n) {
    if (HOST_LE)
        memcpy(dst, src, n * sizeof(float));
    else
        for (size_t i = 0; i < n; i++)
            dst[i] = bits_f32(get_u32(src + 4 * i));
}

/* What the header says: everything before the arrays. */
typedef struct {
    ModelConfig c;     /* the config, not yet checked */
    uint64_t n;        /* parameters */
    CkptMeta mt;       /* meta (dataset not yet checked for its NUL) */
    const uint8_t *ds; /* the dataset name's bytes in the buffer */
    uint32_t has_adam; /* 0 or 1 */
    uint64_t adam_t;   /* Adam step count */
    float adam_lr;     /* Adam learning rate */
    size_t data_off;   /* where the arrays start */
} Head;

/* Parses the header in buf (avail bytes of a file of file_len bytes: the
 * first bytes only, or all of it) and checks the magic, the version and that
 * the arrays the header announces, plus the CRC, make exactly file_len. */
static int parse_head(const uint8_t *buf, size_t avail, size_t file_len, const char *name, Head *h,
                      RtErr *e) {
    memset(h, 0, sizeof *h);
    size_t len = file_len;
    if (len == 0) return rt_err(e, "%s: empty file, not an rtviz checkpoint", name);
    if (avail < sizeof MAGIC) {
        if (!memcmp(buf, MAGIC, avail) && avail == len)
            return rt_err(e, "%s: truncated (%zu bytes)", name, len);
        return rt_err(e, "%s: not an rtviz checkpoint", name);
    }
    if (memcmp(buf, MAGIC, sizeof MAGIC)) return rt_err(e, "%s: not an rtviz checkpoint", name);
    Reader r = {.p = buf, .len = avail, .pos = sizeof MAGIC};
    uint32_t version = rd_u32(&r);
    if (r.short_read) return rt_err(e, "%s: truncated (%zu bytes)", name, len);
    if (version != CKPT_VERSION)
        return rt_err(e, "%s: checkpoint version %u, this rtviz reads version %d", name, version,
                      CKPT_VERSION);

    /* header: config, sizes, meta, Adam scalars */
    ModelConfig c;
    memset(&c, 0, sizeof c);
    c.arch = rd_i32(&r);
    c.D = rd_i32(&r);
    c.C = rd_i32(&r);
    c.ch = rd_i32(&r);
    c.h = rd_i32(&r);
    c.w = rd_i32(&r);
    c.L = rd_i32(&r);
    c.B = rd_i32(&r);
    c.H = rd_i32(&r);
    c.nhidden = rd_i32(&r);
    if (!r.short_read && (c.nhidden < 0 || c.nhidden > MLP_MAX_HIDDEN))
        return rt_err(e, "%s: invalid config: hidden layers %d out of range (0-%d)", name,
                      c.nhidden, MLP_MAX_HIDDEN);
    for (int i = 0; i < c.nhidden && !r.short_read; i++)
        c.hidden[i] = rd_i32(&r);
    c.tau = rd_f32(&r);
    c.nsched = rd_i32(&r);
    if (!r.short_read && (c.nsched < 1 || c.nsched > SCHED_MAX))
        return rt_err(e, "%s: invalid config: schedule length %d out of range (1-%d)", name,
                      c.nsched, SCHED_MAX);
    for (int i = 0; i < c.nsched && !r.short_read; i++)
        c.sched[i] = rd_f32(&r);
    uint64_t n = rd_u64(&r);
    CkptMeta mt;
    memset(&mt, 0, sizeof mt);
    mt.seed = rd_u64(&r);
    mt.step = rd_u64(&r);
    mt.epoch = rd_u32(&r);
    const uint8_t *ds = rd(&r, sizeof mt.dataset);
    uint32_t has_adam = rd_u32(&r);
    uint64_t adam_t = 0;
    float adam_lr = 0.0f;
    if (!r.short_read && has_adam > 1)
        return rt_err(e, "%s: corrupted (Adam flag %u is neither 0 nor 1)", name, has_adam);
    if (has_adam) {
        adam_t = rd_u64(&r);
        adam_lr = rd_f32(&r);
    }
    if (r.short_read) return rt_err(e, "%s: truncated (%zu bytes, the header is cut)", name, len);

    /* the arrays: (has_adam ? 3 : 1) * n floats, then the CRC, and nothing else */
    size_t k = has_adam ? 3 : 1;
    if (len - r.pos < 4) return rt_err(e, "%s: truncated (%zu bytes)", name, len);
    size_t rest = len - r.pos - 4;
    if (n > rest / (4 * k))
        return rt_err(e, "%s: truncated (%zu bytes; the header announces %llu parameters)", name,
                      len, (unsigned long long)n);
    if (rest != 4 * k * n)
        return rt_err(e, "%s: %zu unexpected bytes after the data (corrupted)", name,
                      rest - 4 * k * n);
    h->c = c;
    h->n = n;
    h->mt = mt;
    h->ds = ds;
    h->has_adam = has_adam;
    h->adam_t = adam_t;
    h->adam_lr = adam_lr;
    h->data_off = r.pos;
    return 0;
}

/* The checks on a parsed header that need no CRC: config, parameter count,
 * dataset name, counters, Adam scalars. */
static int check_head(const Head *h, const char *name, RtErr *e) {
    RtErr ce;
    if (model_config_check(&h->c, &ce)) return rt_err(e, "%s: invalid config: %s", name, ce.msg);
    if (config_params(&h->c) != h->n)
        return rt_err(e, "%s: %llu parameters stored, the config needs %llu", name,
                      (unsigned long long)h->n, (unsigned long long)config_params(&h->c));
    if (!memchr(h->ds, 0, sizeof h->mt.dataset))
        return rt_err(e, "%s: dataset name is not terminated", name);
    if (h->mt.step > CKPT_MAX_STEP || h->mt.epoch > CKPT_MAX_EPOCH ||
        (h->has_adam && h->adam_t > CKPT_MAX_STEP))
        return rt_err(e,
                      "%s: counters out of range (step %llu, epoch %u, Adam step %llu; at most "
                      "%llu steps and %u epochs): corrupted or crafted",
                      name, (unsigned long long)h->mt.step, h->mt.epoch,
                      (unsigned long long)h->adam_t, (unsigned long long)CKPT_MAX_STEP,
                      (unsigned)CKPT_MAX_EPOCH);
    if (h->has_adam && (!isfinite(h->adam_lr) || !(h->adam_lr > 0.0f)))
        return rt_err(e, "%s: invalid Adam state (t %llu, lr %g)", name,
                      (unsigned long long)h->adam_t, h->adam_lr);
    return 0;
}

int ckpt_load_mem(const uint8_t *buf, size_t len, const char *name, Model *m, Adam *adam,
                  CkptMeta *meta, RtErr *e) {
    if (!name) name = "checkpoint";
    memset(m, 0, sizeof *m);
    if (adam) memset(adam, 0, sizeof *adam);
    if (meta) memset(meta, 0, sizeof *meta);
    if (!buf) len = 0;
    Head hd;
    if (parse_head(buf, len, len, name, &hd, e)) return -1;
    uint32_t want = get_u32(buf + len - 4);
    uint32_t got = (uint32_t)crc_update(crc32(0L, Z_NULL, 0), buf, len - 4);
    if (want != got) return rt_err(e, "%s: checksum mismatch (corrupted)", name);
    if (check_head(&hd, name, e)) return -1;
    const ModelConfig c = hd.c;
    const uint64_t n = hd.n;
    const uint32_t has_adam = hd.has_adam;
    CkptMeta mt = hd.mt;
    memcpy(mt.dataset, hd.ds, sizeof mt.dataset);
    const uint64_t adam_t = hd.adam_t;
    const float adam_lr = hd.adam_lr;
    Reader r = {.p = buf, .len = len, .pos = hd.data_off};

    /* allocate: n is now bounded by the real length */
    RtErr ae;
    if (model_alloc(m, &c, &ae)) return rt_err(e, "%s: %s", name, ae.msg);
    if ((uint64_t)m->n != n) { /* cannot happen: config_params mirrors model.c's layout */
        model_free(m);
        return rt_err(e, "%s: parameter layout mismatch", name);
    }
    const uint8_t *arr = buf + r.pos;
    if (has_adam && adam) {
        if (adam_init(adam, (size_t)n, adam_lr, &ae)) {
            model_free(m);
            return rt_err(e, "%s: %s", name, ae.msg);
        }
        adam->t = (long)adam_t;
        decode_f32s(adam->m, arr, (size_t)n);
        decode_f32s(adam->v, arr + 4 * n, (size_t)n);
    }
    if (has_adam) arr += 8 * n;
    decode_f32s(m->w, arr, (size_t)n);
    /* A CRC only proves the bytes are the ones written: a NaN/Inf saved by a
     * diverged run (or made by hand) would load and poison everything after. */
    const char *bad = NULL;
    size_t at = 0;
    if (first_nonfinite(m->w, (size_t)n, 0, &at))
        bad = "weight";
    else if (has_adam && adam && first_nonfinite(adam->m, (size_t)n, 0, &at))
        bad = "Adam first moment";
    else if (has_adam && adam && first_nonfinite(adam->v, (size_t)n, 1, &at))
        bad = "Adam second moment";
    if (bad) {
        const Tensor *t = tensor_at(m, at);
        rt_err(e, "%s: %s %zu of tensor %s is NaN, infinite or out of range (corrupted)", name, bad,
               at - (t ? t->off : 0), t ? t->name : "?");
        if (has_adam && adam) adam_free(adam);
        model_free(m);
        return -1;
    }
    if (meta) *meta = mt;
    return 0;
}

/* Opens path for reading without blocking on a FIFO or device, and checks
 * that it is a regular file; fills *st. Returns the fd or -1. */
static int open_regular(const char *path, struct stat *st, RtErr *e) {
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (fd < 0) {
        int err = errno;
        if (err == ELOOP) return rt_err(e, "%s: symlink loop", path);
        return rt_err(e, "%s: %s", path, reason(err));
    }
    if (fstat(fd, st) != 0) {
        int err = errno;
        close(fd);
        return rt_err(e, "%s: %s", path, reason(err));
    }
    if (!S_ISREG(st->st_mode)) {
        mode_t md = st->st_mode;
        close(fd);
        return rt_err(e, "%s: is %s, not a checkpoint file", path,
                      S_ISDIR(md)    ? "a directory"
                      : S_ISFIFO(md) ? "a FIFO"
                      : S_ISCHR(md)  ? "a character device"
                      : S_ISBLK(md)  ? "a block device"
                      : S_ISSOCK(md) ? "a socket"
                                     : "not a regular file");
    }
    int fl = fcntl(fd, F_GETFL);
    if (fl >= 0) fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
    return fd;
}

/* Reads up to n bytes at the current position; returns the count or -1. */
static long long read_full(int fd, uint8_t *buf, size_t n, int *err) {
    size_t got = 0;
    while (got < n) {
        ssize_t r = read(fd, buf + got, RT_MIN(n - got, (size_t)1 << 30));
        if (r < 0) {
            if (errno == EINTR) continue;
            *err = errno;
            return -1;
        }
        if (r == 0) break;
        got += (size_t)r;
    }
    return (long long)got;
}

#define HEAD_PREFIX 4096 /* more than the longest header */

/* Opens path and checks its header against its size (and, when full is
 * set, the config and counters) before anything large is read. Returns the
 * fd positioned after the prefix, the prefix and the file length. */
static int open_checked(const char *path, uint8_t *prefix, size_t *plen, size_t *flen, Head *h,
                        RtErr *e) {
    struct stat st;
    int fd = open_regular(path, &st, e);
    if (fd < 0) return -1;
    if ((uint64_t)st.st_size > (uint64_t)SIZE_MAX / 2) {
        close(fd);
        return rt_err(e, "%s: file too large", path);
    }
    size_t len = (size_t)st.st_size;
    int err = 0;
    long long got = read_full(fd, prefix, RT_MIN(len, (size_t)HEAD_PREFIX), &err);
    if (got < 0) {
        close(fd);
        return rt_err(e, "%s: %s", path, reason(err));
    }
    if (parse_head(prefix, (size_t)got, len, path, h, e) || check_head(h, path, e)) {
        close(fd);
        return -1;
    }
    *plen = (size_t)got;
    *flen = len;
    return fd;
}

int ckpt_peek(const char *path, ModelConfig *cfg, CkptMeta *meta, RtErr *e) {
    uint8_t prefix[HEAD_PREFIX];
    size_t plen, flen;
    Head h;
    int fd = open_checked(path, prefix, &plen, &flen, &h, e);
    if (fd < 0) return -1;
    close(fd);
    if (cfg) *cfg = h.c;
    if (meta) {
        *meta = h.mt;
        memcpy(meta->dataset, h.ds, sizeof meta->dataset);
    }
    return 0;
}

int ckpt_load(const char *path, Model *m, Adam *adam, CkptMeta *meta, RtErr *e) {
    memset(m, 0, sizeof *m);
    if (adam) memset(adam, 0, sizeof *adam);
    if (meta) memset(meta, 0, sizeof *meta);
    uint8_t prefix[HEAD_PREFIX];
    size_t plen, len;
    Head h;
    int fd = open_checked(path, prefix, &plen, &len, &h, e);
    if (fd < 0) return -1;
    RtErr ae;
    uint8_t *buf = rt_calloc(len ? len : 1, 1, "checkpoint buffer", &ae);
    if (!buf) {
        close(fd);
        return rt_err(e, "%s: %s", path, ae.msg);
    }
    memcpy(buf, prefix, plen);
    int err = 0;
    long long got = read_full(fd, buf + plen, len - plen, &err);
    close(fd);
    if (got < 0) {
        free(buf);
        return rt_err(e, "%s: %s", path, reason(err));
    }
    int rc = ckpt_load_mem(buf, plen + (size_t)got, path, m, adam, meta, e);
    free(buf);
    return rc;
}

/* ---- safetensors --------------------------------------------------------- */

typedef struct {
    char *s;    /* text */
    size_t n;   /* length */
    size_t cap; /* capacity */
    int oom;    /* an allocation failed */
} Sb;

static void sb_printf(Sb *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_printf(Sb *b, const char *fmt, ...) {
    if (b->oom) return;
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int k = vsnprintf(b->s ? b->s + b->n : NULL, b->s ? b->cap - b->n : 0, fmt, ap);
        va_end(ap);
        if (k < 0) {
            b->oom = 1;
            return;
        }
        if (b->s && b->n + (size_t)k < b->cap) {
            b->n += (size_t)k;
            return;
        }
        size_t cap = RT_MAX(b->cap * 2, b->n + (size_t)k + 256);
        char *s = realloc(b->s, cap);
        if (!s) {
            b->oom = 1;
            return;
        }
        b->s = s;
        b->cap = cap;
    }
}

/* A JSON string literal (tensor names are plain ASCII, but stay safe). */
static void sb_json_str(Sb *b, const char *s) {
    sb_printf(b, "\"");
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '"' || ch == '\\')
            sb_printf(b, "\\%c", ch);
        else if (ch < 0x20)
            sb_printf(b, "\\u%04x", ch);
        else
            sb_printf(b, "%c", ch);
    }
    sb_printf(b, "\"");
}

static void sb_meta(Sb *b, const char *key, const char *val) {
    sb_printf(b, ",");
    sb_json_str(b, key);
    sb_printf(b, ":");
    sb_json_str(b, val);
}

static void sb_meta_int(Sb *b, const char *key, int v) {
    char t[32];
    snprintf(t, sizeof t, "%d", v);
    sb_meta(b, key, t);
}

int ckpt_export_safetensors(const char *path, const Model *m, RtErr *e) {
    const ModelConfig *c = &m->cfg;
    Sb b = {0};
    sb_printf(&b, "{");
    size_t off = 0;
    for (int i = 0; i < m->nt; i++) {
        const Tensor *t = &m->t[i];
        if (i) sb_printf(&b, ",");
        sb_json_str(&b, t->name);
        if (t->ndim == 2)
            sb_printf(&b, ":{\"dtype\":\"F32\",\"shape\":[%d,%d],", t->shape[0], t->shape[1]);
        else
            sb_printf(&b, ":{\"dtype\":\"F32\",\"shape\":[%d],", t->shape[0]);
        sb_printf(&b, "\"data_offsets\":[%zu,%zu]}", off, off + 4 * t->n);
        off += 4 * t->n;
    }
    /* __metadata__: the config, every value a string */
    sb_printf(&b, "%s\"__metadata__\":{", m->nt ? "," : "");
    sb_json_str(&b, "rtviz_version");
    sb_printf(&b, ":");
    sb_json_str(&b, RTVIZ_VERSION);
    sb_meta(&b, "arch", c->arch == ARCH_RT ? "rt" : "mlp");
    sb_meta_int(&b, "D", c->D);
    sb_meta_int(&b, "C", c->C);
    sb_meta_int(&b, "ch", c->ch);
    sb_meta_int(&b, "h", c->h);
    sb_meta_int(&b, "w", c->w);
    if (c->arch == ARCH_RT) {
        sb_meta_int(&b, "L", c->L);
        sb_meta_int(&b, "B", c->B);
        sb_meta_int(&b, "H", c->H);
    } else {
        char list[MLP_MAX_HIDDEN * 12 + 1] = "";
        size_t k = 0;
        for (int i = 0; i < c->nhidden && i < MLP_MAX_HIDDEN; i++)
            k += (size_t)snprintf(list + k, sizeof list - k, "%s%d", i ? "," : "", c->hidden[i]);
        sb_meta(&b, "hidden", list);
    }
    char v[SCHED_MAX * 20 + 1];
    snprintf(v, sizeof v, "%.9g", c->tau);
    sb_meta(&b, "tau", v);
    size_t k = 0;
    v[0] = 0;
    for (int i = 0; i < c->nsched && i < SCHED_MAX; i++)
        k += (size_t)snprintf(v + k, sizeof v - k, "%s%.9g", i ? "," : "", c->sched[i]);
    sb_meta(&b, "schedule", v);
    sb_printf(&b, "}}");
    while (!b.oom && (8 + b.n) % 8 != 0)
        sb_printf(&b, " ");
    if (b.oom) {
        free(b.s);
        return rt_err(e, "%s: out of memory", path);
    }
    if (off != 4 * m->n) {
        free(b.s);
        return rt_err(e, "%s: tensor table does not cover the parameters", path);
    }

    AtomicFile af;
    if (af_open(&af, path, e)) {
        free(b.s);
        return -1;
    }
    af_u64(&af, (uint64_t)b.n);
    af_write(&af, b.s, b.n);
    free(b.s);
    for (int i = 0; i < m->nt; i++)
        af_f32s(&af, m->w + m->t[i].off, m->t[i].n);
    return af_commit(&af, path, e);
}
