/* image.c — see image.h. stb_image / stb_image_resize / stb_image_write come
 * compiled in Debian's libstb (-lstb), so no implementation file is needed. */
#include "image.h"

#include "atomicio.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <stb/stb_image.h>
#include <stb/stb_image_resize.h>
#include <stb/stb_image_write.h>

/* --- reading a file -------------------------------------------------------------- */

int image_read_file(const char *path, size_t max, uint8_t **buf, size_t *len, RtErr *e) {
    /* O_NONBLOCK: opening a FIFO must not wait for a writer */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (fd < 0) return rt_err(e, "%s: %s", path, strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0) {
        int err = errno;
        close(fd);
        return rt_err(e, "%s: %s", path, strerror(err));
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        return rt_err(e, "%s: is %s, not a regular file", path,
                      S_ISDIR(st.st_mode)                          ? "a directory"
                      : S_ISFIFO(st.st_mode)                       ? "a FIFO"
                      : S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode) ? "a device"
                      : S_ISSOCK(st.st_mode)                       ? "a socket"
                                                                   : "something else");
    }
    if (st.st_size == 0) {
        close(fd);
        return rt_err(e, "%s: empty file", path);
    }
    if ((unsigned long long)st.st_size > max) {
        close(fd);
        return rt_err(e, "%s: %lld bytes is larger than the %zu bytes rtviz accepts", path,
                      (long long)st.st_size, max);
    }
    /* the size may change under us: read at most max + 1 bytes, whatever stat said */
    size_t cap = (size_t)st.st_size + 1, n = 0;
    uint8_t *b = malloc(cap);
    if (!b) {
        close(fd);
        return rt_err(e, "%s: out of memory for %zu bytes", path, cap);
    }
    for (;;) {
        if (n == cap) {
            if (cap > max) break;
            size_t nc = cap * 2 > max + 1 ? max + 1 : cap * 2;
            uint8_t *nb = realloc(b, nc);
            if (!nb) {
                free(b);
                close(fd);
                return rt_err(e, "%s: out of memory", path);
            }
            b = nb;
            cap = nc;
        }
        ssize_t r = read(fd, b + n, cap - n);
        if (r < 0) {
            if (errno == EINTR) continue;
            int err = errno;
            free(b);
            close(fd);
            return rt_err(e, "%s: read error: %s", path, strerror(err));
        }
        if (r == 0) break;
        n += (size_t)r;
    }
    close(fd);
    if (n == 0) {
        free(b);
        return rt_err(e, "%s: empty file", path);
    }
    if (n > max) {
        free(b);
        return rt_err(e, "%s: larger than the %zu bytes rtviz accepts", path, max);
    }
    *buf = b;
    *len = n;
    return 0;
}

/* --- decoding ------------------------------------------------------------------------- */

typedef enum { FMT_NONE, FMT_PNG, FMT_JPEG, FMT_BMP, FMT_GIF, FMT_PNM, FMT_PNM_ASCII } ImgFormat;

static const char *const FMT_NAMES[] = {"", "PNG", "JPEG", "BMP", "GIF", "PGM/PPM", "PNM"};

static ImgFormat sniff(const uint8_t *b, size_t n) {
    if (n >= 8 && !memcmp(b, "\x89PNG\r\n\x1a\n", 8)) return FMT_PNG;
    if (n >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF) return FMT_JPEG;
    if (n >= 2 && b[0] == 'B' && b[1] == 'M') return FMT_BMP;
    if (n >= 6 && (!memcmp(b, "GIF87a", 6) || !memcmp(b, "GIF89a", 6))) return FMT_GIF;
    if (n >= 2 && b[0] == 'P' && (b[1] == '5' || b[1] == '6')) return FMT_PNM;
    if (n >= 2 && b[0] == 'P' && b[1] >= '1' && b[1] <= '4') return FMT_PNM_ASCII;
    return FMT_NONE;
}

static uint32_t be32(const uint8_t *p) {
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* The size a PNG, GIF or BMP header states (1), for the message when stb
 * refuses the header; 0 when unknown. */
static int header_dims(const uint8_t *b, size_t n, ImgFormat f, long long *w, long long *h) {
    if (f == FMT_PNG && n >= 24 && !memcmp(b + 12, "IHDR", 4)) {
        *w = be32(b + 16), *h = be32(b + 20);
        return 1;
    }
    if (f == FMT_GIF && n >= 10) {
        *w = b[6] | b[7] << 8, *h = b[8] | b[9] << 8;
        return 1;
    }
    if (f == FMT_BMP && n >= 26) {
        int32_t bw = (int32_t)((uint32_t)b[18] | (uint32_t)b[19] << 8 | (uint32_t)b[20] << 16 |
                               (uint32_t)b[21] << 24);
        int32_t bh = (int32_t)((uint32_t)b[22] | (uint32_t)b[23] << 8 | (uint32_t)b[24] << 16 |
                               (uint32_t)b[25] << 24);
        *w = llabs((long long)bw), *h = llabs((long long)bh);
        return 1;
    }
    return 0;
}

static const char *chunk_name(const uint8_t *t) {
    static _Thread_local char out[5];
    for (int i = 0; i < 4; i++)
        out[i] = (t[i] >= 0x20 && t[i] < 0x7f) ? (char)t[i] : '?';
    out[4] = 0;
    return out;
}

/* A PNG's IDAT stream must not inflate past what its IHDR needs (rows of
 * filter byte + packed pixels; Adam7 adds at most a byte or two per row and
 * pass). Inflates into a scratch buffer, counting, and stops at the bound.
 * Every chunk must fit in the file (stb allocates an IDAT's stated length
 * before reading it). Returns 0 when all is within bounds (a broken zlib
 * stream is left to stb to report). */
static int png_bomb_check(const uint8_t *b, size_t n, const char *name, RtErr *e) {
    if (n < 33 || memcmp(b + 12, "IHDR", 4)) return 0; /* stb will complain */
    uint64_t w = be32(b + 16), h = be32(b + 20);
    int depth = b[24], ct = b[25];
    int chans = ct == 0 ? 1 : ct == 2 ? 3 : ct == 3 ? 1 : ct == 4 ? 2 : ct == 6 ? 4 : 4;
    if (depth < 1 || depth > 16) depth = 16;
    uint64_t bpl = (w * (uint64_t)chans * (uint64_t)depth + 7) / 8;
    uint64_t bound = (bpl + 1) * h + 16 * h + 4096;
    z_stream z;
    memset(&z, 0, sizeof z);
    if (inflateInit(&z) != Z_OK) return rt_err(e, "%s: out of memory", name);
    static _Thread_local uint8_t scratch[1 << 16];
    uint64_t total = 0;
    int rc = Z_OK, over = 0;
    size_t off = 8;
    /* every chunk up to IEND, as stb reads them all (and sizes its buffer
     * from their lengths) before it inflates anything */
    while (off + 8 <= n) {
        uint32_t clen = be32(b + off);
        if (n - off < 12 || clen > n - off - 12) { /* stb would allocate what it says first */
            inflateEnd(&z);
            return rt_err(e, "%s: truncated PNG file (a %s chunk of %u bytes, %zu left)", name,
                          chunk_name(b + off + 4), clen, n - off < 12 ? (size_t)0 : n - off - 12);
        }
        const uint8_t *type = b + off + 4, *data = b + off + 8;
        if (!memcmp(type, "IEND", 4)) break;
        if (!memcmp(type, "IDAT", 4) && rc == Z_OK && !over) {
            z.next_in = (Bytef *)data;
            z.avail_in = clen;
            while (z.avail_in > 0 && rc == Z_OK) {
                z.next_out = scratch;
                z.avail_out = sizeof scratch;
                rc = inflate(&z, Z_NO_FLUSH);
                total += sizeof scratch - z.avail_out;
                if (total > bound) {
                    over = 1;
                    break;
                }
                if (rc == Z_BUF_ERROR) rc = Z_OK; /* needs more input */
            }
        }
        off += 12 + (size_t)clen;
    }
    inflateEnd(&z);
    if (over)
        return rt_err(e,
                      "%s: corrupt PNG: its pixel data expands past the %llu bytes a %llux%llu "
                      "image needs",
                      name, (unsigned long long)bound, (unsigned long long)w,
                      (unsigned long long)h);
    return 0;
}

/* JPEG: walk the marker segments (and skip the entropy-coded data between
 * them) and check every Huffman table: stb's table builder writes past its
 * arrays when a table's code counts add up to more than 256 symbols. */
static int jpeg_check(const uint8_t *b, size_t n, const char *name, RtErr *e) {
    size_t i = 2;
    while (i < n) {
        if (b[i] != 0xFF) { /* entropy-coded data: on to the next real marker */
            i++;
            continue;
        }
        while (i < n && b[i] == 0xFF)
            i++;
        if (i >= n) break;
        uint8_t m = b[i++];
        if (m == 0x00 || (m >= 0xD0 && m <= 0xD7) || m == 0x01 || m == 0xD8) continue;
        if (m == 0xD9) return 0; /* end of image */
        if (n - i < 2) return rt_err(e, "%s: truncated JPEG file", name);
        size_t len = (size_t)b[i] << 8 | b[i + 1];
        if (len < 2) return rt_err(e, "%s: corrupt JPEG file (a segment of length %zu)", name, len);
        if (len > n - i) return rt_err(e, "%s: truncated JPEG file", name);
        if (m == 0xC4) { /* DHT: one or more tables */
            size_t p = i + 2, end = i + len;
            while (p < end) {
                if (end - p < 17)
                    return rt_err(e, "%s: corrupt JPEG file (a Huffman table cut short)", name);
                unsigned sum = 0;
                for (int k = 0; k < 16; k++)
                    sum += b[p + 1 + k];
                if (sum > 256 || sum > end - p - 17)
                    return rt_err(e, "%s: corrupt JPEG file (a Huffman table of %u codes)", name,
                                  sum);
                p += 17 + sum;
            }
        }
        i += len;
    }
    return 0;
}

/* Binary PGM/PPM: the header (magic, width, height, maxval, with # comments)
 * and one whitespace byte, then exactly the pixel bytes. Read here first, so
 * that stb never sees a number it would overflow on (it parses them into an
 * int unchecked) nor a header it would take loosely; *need gets the pixel
 * bytes the header asks for and *off where they start. */
static int pnm_header(const uint8_t *b, size_t n, const char *name, unsigned long long *need,
                      size_t *off, RtErr *e) {
    const char *kind = b[1] == '6' ? "PPM" : "PGM";
    size_t i = 2;
    unsigned long long v[3] = {0, 0, 0};
    for (int k = 0; k < 3; k++) {
        const char *what = k == 0 ? "width" : k == 1 ? "height" : "maximum value";
        for (;;) {
            while (i < n && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r' ||
                             b[i] == '\v' || b[i] == '\f'))
                i++;
            if (i < n && b[i] == '#') {
                while (i < n && b[i] != '\n')
                    i++;
                continue;
            }
            break;
        }
        if (i >= n || b[i] < '0' || b[i] > '9')
            return rt_err(e, "%s: corrupt %s header (no %s)", name, kind, what);
        int digits = 0;
        while (i < n && b[i] >= '0' && b[i] <= '9') {
            if (++digits > 9)
                return rt_err(e, "%s: corrupt %s header (%s too long)", name, kind, what);
            v[k] = v[k] * 10 + (unsigned)(b[i++] - '0');
        }
    }
    /* the single whitespace byte before the data */
    if (i < n && !(b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r' || b[i] == '\v' ||
                   b[i] == '\f'))
        return rt_err(e, "%s: corrupt %s header (junk after the maximum value)", name, kind);
    if (v[2] < 1 || v[2] > 65535)
        return rt_err(e, "%s: corrupt %s header (maximum value %llu)", name, kind, v[2]);
    *need = v[0] * v[1] * (b[1] == '6' ? 3ull : 1ull) * (v[2] > 255 ? 2ull : 1ull);
    *off = i + 1;
    return 0;
}

/* stb reads through these callbacks so we learn whether the decoder wanted
 * bytes past the end of the file: then the file is truncated, even where stb
 * itself would fill the rest with zeros. */
typedef struct {
    const uint8_t *b;
    size_t n, pos;
    int past_end;
} MemReader;

static int mr_read(void *user, char *data, int size) {
    MemReader *r = user;
    if (size <= 0) return 0;
    size_t left = r->n - r->pos, k = (size_t)size < left ? (size_t)size : left;
    if (k == 0) r->past_end = 1;
    memcpy(data, r->b + r->pos, k);
    r->pos += k;
    return (int)k;
}

static void mr_skip(void *user, int n) {
    MemReader *r = user;
    if (n < 0) {
        size_t back = (size_t)(-(long)n);
        r->pos = back > r->pos ? 0 : r->pos - back;
        return;
    }
    if ((size_t)n > r->n - r->pos) {
        r->past_end = 1;
        r->pos = r->n;
    } else
        r->pos += (size_t)n;
}

static int mr_eof(void *user) {
    MemReader *r = user;
    return r->pos >= r->n;
}

/* stb's failure reason as printable text (it can hold raw bytes of the file,
 * such as an unknown PNG chunk's type). */
static const char *stb_reason(void) {
    static _Thread_local char out[64];
    const char *r = stbi_failure_reason();
    if (!r) return "?";
    size_t i = 0;
    for (; r[i] && i < sizeof out - 1; i++)
        out[i] = (r[i] >= 0x20 && r[i] < 0x7f) ? r[i] : '?';
    out[i] = 0;
    return out;
}

int image_decode(const uint8_t *buf, size_t len, const char *name, long max_pixels, Image *img,
                 RtErr *e) {
    memset(img, 0, sizeof *img);
    if (max_pixels <= 0) max_pixels = IMAGE_MAX_PIXELS;
    if (!buf || len == 0) return rt_err(e, "%s: empty file", name);
    ImgFormat f = sniff(buf, len);
    if (f == FMT_NONE)
        return rt_err(e, "%s: not an image (rtviz reads PNG, JPEG, BMP, GIF, PGM and PPM)", name);
    if (f == FMT_PNM_ASCII)
        return rt_err(e,
                      "%s: a P%c PNM file: only binary PGM (P5) and PPM (P6) are read; convert "
                      "it (e.g. pnmtopnm or ImageMagick convert)",
                      name, buf[1]);
    if (len > INT_MAX) return rt_err(e, "%s: too large", name);
    /* checks of what stb would misread, before it sees the file */
    if (f == FMT_JPEG && jpeg_check(buf, len, name, e)) return -1;
    unsigned long long pnm_need = 0;
    size_t pnm_off = 0;
    if (f == FMT_PNM && pnm_header(buf, len, name, &pnm_need, &pnm_off, e)) return -1;
    int w = 0, h = 0, comp = 0;
    if (!stbi_info_from_memory(buf, (int)len, &w, &h, &comp)) {
        const char *why = stb_reason();
        long long hw, hh; /* stb refuses some large sizes itself: say so plainly */
        if (header_dims(buf, len, f, &hw, &hh) &&
            (hw > IMAGE_MAX_SIDE || hh > IMAGE_MAX_SIDE || hw * hh > max_pixels))
            return rt_err(e,
                          "%s: %lldx%lld pixels is too large (rtviz takes at most %d a side and "
                          "%ld pixels)",
                          name, hw, hh, IMAGE_MAX_SIDE, max_pixels);
        return rt_err(e, "%s: unreadable %s header (%s)", name, FMT_NAMES[f], why);
    }
    if (w < 1 || h < 1) return rt_err(e, "%s: %s of %dx%d pixels", name, FMT_NAMES[f], w, h);
    if (w > IMAGE_MAX_SIDE || h > IMAGE_MAX_SIDE || (long long)w * h > max_pixels)
        return rt_err(e,
                      "%s: %dx%d pixels is too large (rtviz takes at most %d a side and %ld "
                      "pixels)",
                      name, w, h, IMAGE_MAX_SIDE, max_pixels);
    if (f == FMT_PNG && png_bomb_check(buf, len, name, e)) return -1;
    if (f == FMT_PNM && (pnm_off > len || len - pnm_off < pnm_need))
        return rt_err(e, "%s: truncated %s file (%llu bytes of pixel data, %zu present)", name,
                      buf[1] == '6' ? "PPM" : "PGM", pnm_need,
                      pnm_off > len ? (size_t)0 : len - pnm_off);

    MemReader r = {buf, len, 0, 0};
    stbi_io_callbacks cb = {mr_read, mr_skip, mr_eof};
    int dw = 0, dh = 0, dc = 0;
    uint8_t *pix = stbi_load_from_callbacks(&cb, &r, &dw, &dh, &dc, 0);
    if (!pix) {
        const char *why = stb_reason();
        if (r.past_end || !strcmp(why, "outofdata"))
            return rt_err(e, "%s: truncated %s file", name, FMT_NAMES[f]);
        return rt_err(e, "%s: corrupt %s file (%s)", name, FMT_NAMES[f], why);
    }
    if (r.past_end) {
        stbi_image_free(pix);
        return rt_err(e, "%s: truncated %s file (the pixel data ends early)", name, FMT_NAMES[f]);
    }
    if (dw != w || dh != h || dc < 1 || dc > 4) {
        stbi_image_free(pix);
        return rt_err(e, "%s: corrupt %s file (header says %dx%d, data %dx%dx%d)", name,
                      FMT_NAMES[f], w, h, dw, dh, dc);
    }
    /* own the pixels with malloc so image_free needs no stb */
    size_t bytes = (size_t)dw * (size_t)dh * (size_t)dc;
    img->pix = malloc(bytes);
    if (!img->pix) {
        stbi_image_free(pix);
        return rt_err(e, "%s: out of memory for %dx%d pixels", name, dw, dh);
    }
    memcpy(img->pix, pix, bytes);
    stbi_image_free(pix);
    img->w = dw;
    img->h = dh;
    img->comp = dc;
    return 0;
}

int image_load(const char *path, Image *img, RtErr *e) {
    uint8_t *buf = NULL;
    size_t len = 0;
    memset(img, 0, sizeof *img);
    if (image_read_file(path, IMAGE_MAX_FILE, &buf, &len, e)) return -1;
    int rc = image_decode(buf, len, path, IMAGE_MAX_PIXELS, img, e);
    free(buf);
    return rc;
}

void image_free(Image *img) {
    free(img->pix);
    memset(img, 0, sizeof *img);
}

/* --- conversion to a dataset image ----------------------------------------------------- */

void image_prep_default(ImagePrep *p, const char *dataset, int ch, int h, int w) {
    memset(p, 0, sizeof *p);
    p->ch = ch == 1 ? 1 : 3;
    p->h = h;
    p->w = w;
    if (p->ch == 3) { /* a photo */
        p->invert = 0;
        p->crop = 0;
        p->box = 1.0f;
        return;
    }
    p->invert = 1;
    p->crop = 1;
    if (dataset && (!strcmp(dataset, "fashionmnist") || !strcmp(dataset, "sample") ||
                    !strcmp(dataset, "usps"))) {
        p->box = 1.0f;
        p->mass = 0;
    } else {
        p->box = 20.0f / 28.0f;
        p->mass = 1;
    }
}

/* Longest side a source is reduced to before the float work (keeps memory
 * small for camera photos; far above any dataset image size). */
#define WORK_MAX_SIDE 1024

/* Median of n floats (n >= 1); sorts v. */
static int cmp_float(const void *a, const void *b) {
    float x = *(const float *)a, y = *(const float *)b;
    return (x > y) - (x < y);
}

int image_prepare(const uint8_t *pix, int w, int h, int comp, const ImagePrep *p, uint8_t *out,
                  RtErr *e) {
    return image_prepare_info(pix, w, h, comp, p, out, NULL, e);
}

int image_prepare_info(const uint8_t *pix, int w, int h, int comp, const ImagePrep *p, uint8_t *out,
                       ImagePrepInfo *info, RtErr *e) {
    if (info) memset(info, 0, sizeof *info);
    if (!pix || w < 1 || h < 1 || comp < 1 || comp > 4 || (long long)w * h > IMAGE_MAX_PIXELS)
        return rt_err(e, "image: bad input %dx%dx%d", w, h, comp);
    if (!p || (p->ch != 1 && p->ch != 3) || p->h < 1 || p->w < 1 || p->h > 4096 || p->w > 4096)
        return rt_err(e, "image: bad target format");
    const int nc = p->ch, oh = p->h, ow = p->w;
    uint8_t *small = NULL;
    float *g = NULL, *lum = NULL, *border = NULL, *fit = NULL;
    int rc = -1;

    /* 1. reduce a large source (alpha-aware) */
    if (w > WORK_MAX_SIDE || h > WORK_MAX_SIDE) {
        double s = (double)WORK_MAX_SIDE / (w > h ? w : h);
        int sw = (int)fmax(1.0, round(w * s)), sh = (int)fmax(1.0, round(h * s));
        small = malloc((size_t)sw * sh * comp);
        if (!small) goto oom;
        int alpha = comp == 2 ? 1 : comp == 4 ? 3 : STBIR_ALPHA_CHANNEL_NONE;
        if (!stbir_resize_uint8_generic(pix, w, h, 0, small, sw, sh, 0, comp, alpha, 0,
                                        STBIR_EDGE_CLAMP, STBIR_FILTER_BOX, STBIR_COLORSPACE_LINEAR,
                                        NULL))
            goto oom;
        pix = small;
        w = sw;
        h = sh;
    }
    size_t np = (size_t)w * h;

    /* 2. alpha over white, to nc channels (interleaved floats 0..255) and luminance */
    g = malloc(np * nc * sizeof *g);
    lum = malloc(np * sizeof *lum);
    if (!g || !lum) goto oom;
    for (size_t i = 0; i < np; i++) {
        const uint8_t *q = pix + i * comp;
        float r, gr, bl, a = 1.0f;
        if (comp <= 2) {
            r = gr = bl = q[0];
            if (comp == 2) a = q[1] / 255.0f;
        } else {
            r = q[0], gr = q[1], bl = q[2];
            if (comp == 4) a = q[3] / 255.0f;
        }
        r = a * r + (1 - a) * 255.0f;
        gr = a * gr + (1 - a) * 255.0f;
        bl = a * bl + (1 - a) * 255.0f;
        float y = 0.299f * r + 0.587f * gr + 0.114f * bl;
        lum[i] = y;
        if (nc == 1)
            g[i] = y;
        else {
            g[3 * i] = r;
            g[3 * i + 1] = gr;
            g[3 * i + 2] = bl;
        }
    }

    /* 3. light background? (the border's mean luminance) */
    int bt = RT_MAX(1, RT_MIN(w, h) / 20); /* border thickness */
    size_t nb = 0;
    border = malloc(np * sizeof *border);
    if (!border) goto oom;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
            if (y < bt || y >= h - bt || x < bt || x >= w - bt)
                border[nb++] = lum[(size_t)y * w + x];
    double bsum = 0;
    for (size_t i = 0; i < nb; i++)
        bsum += border[i];
    if (p->invert && bsum / (double)nb > 127.5) {
        if (info) info->inverted = 1;
        for (size_t i = 0; i < np * nc; i++)
            g[i] = 255.0f - g[i];
        for (size_t i = 0; i < np; i++)
            lum[i] = 255.0f - lum[i];
        for (size_t i = 0; i < nb; i++)
            border[i] = 255.0f - border[i];
    }

    int x0 = 0, y0 = 0, x1 = w, y1 = h; /* the region that is scaled into place */
    int bw, bh;                         /* the size it is scaled to */
    if (p->crop) {
        /* 4. level the background (the border's median) and find the content */
        qsort(border, nb, sizeof *border, cmp_float);
        float bg = border[nb / 2];
        float mx = 0;
        for (size_t i = 0; i < np; i++) {
            lum[i] = lum[i] > bg ? lum[i] - bg : 0.0f;
            if (lum[i] > mx) mx = lum[i];
        }
        for (size_t i = 0; i < np * nc; i++)
            g[i] = g[i] > bg ? g[i] - bg : 0.0f;
        if (mx < 8.0f) { /* nothing there: a blank image */
            memset(out, 0, (size_t)nc * oh * ow);
            if (info) info->blank = 1;
            rc = 0;
            goto done;
        }
        float thr = mx * 0.06f; /* content: above 6% of the brightest */
        x0 = w, y0 = h, x1 = 0, y1 = 0;
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                if (lum[(size_t)y * w + x] > thr) {
                    if (x < x0) x0 = x;
                    if (x >= x1) x1 = x + 1;
                    if (y < y0) y0 = y;
                    if (y >= y1) y1 = y + 1;
                }
        double maxw = fmax(1.0, p->box * ow), maxh = fmax(1.0, p->box * oh);
        double s = fmin(maxw / (x1 - x0), maxh / (y1 - y0));
        bw = (int)fmin(ow, fmax(1.0, round((x1 - x0) * s)));
        bh = (int)fmin(oh, fmax(1.0, round((y1 - y0) * s)));
    } else {
        /* the middle at the target's aspect ratio */
        double ta = (double)ow / oh;
        if ((double)w / h > ta) {
            int cw = (int)fmax(1.0, round(h * ta));
            x0 = (w - cw) / 2;
            x1 = x0 + cw;
        } else {
            int chh = (int)fmax(1.0, round(w / ta));
            y0 = (h - chh) / 2;
            y1 = y0 + chh;
        }
        bw = ow;
        bh = oh;
    }

    /* 5. scale the region to bw x bh */
    int cw = x1 - x0, chh = y1 - y0;
    fit = malloc((size_t)bw * bh * nc * sizeof *fit);
    if (!fit) goto oom;
    /* area averaging when shrinking (no blur from a wider kernel), Catmull-Rom when growing */
    stbir_filter filt = (bw < cw || bh < chh) ? STBIR_FILTER_BOX : STBIR_FILTER_CATMULLROM;
    if (!stbir_resize_float_generic(
            g + ((size_t)y0 * w + x0) * nc, cw, chh, (int)(w * nc * sizeof *g), fit, bw, bh, 0, nc,
            STBIR_ALPHA_CHANNEL_NONE, 0, STBIR_EDGE_CLAMP, filt, STBIR_COLORSPACE_LINEAR, NULL))
        goto oom;
    for (size_t i = 0; i < (size_t)bw * bh * nc; i++)
        fit[i] = fit[i] < 0 ? 0 : fit[i] > 255 ? 255 : fit[i];

    /* 6. place it: by centre of mass (clamped inside the frame) or centred */
    int ox = (ow - bw + 1) / 2, oy = (oh - bh + 1) / 2; /* halves round up, as Fashion-MNIST's */
    if (p->crop && p->mass) {
        double m = 0, mxs = 0, mys = 0;
        for (int y = 0; y < bh; y++)
            for (int x = 0; x < bw; x++) {
                double v = 0;
                for (int c = 0; c < nc; c++)
                    v += fit[((size_t)y * bw + x) * nc + c];
                m += v;
                mxs += v * (x + 0.5);
                mys += v * (y + 0.5);
            }
        if (m > 0) {
            ox = (int)lround(ow / 2.0 - mxs / m);
            oy = (int)lround(oh / 2.0 - mys / m);
            ox = RT_MAX(0, RT_MIN(ox, ow - bw));
            oy = RT_MAX(0, RT_MIN(oy, oh - bh));
        }
    }
    memset(out, 0, (size_t)nc * oh * ow);
    for (int y = 0; y < bh; y++)
        for (int x = 0; x < bw; x++)
            for (int c = 0; c < nc; c++) {
                float v = fit[((size_t)y * bw + x) * nc + c];
                out[(size_t)c * oh * ow + (size_t)(y + oy) * ow + (x + ox)] = (uint8_t)lrintf(v);
            }
    rc = 0;
    goto done;
oom:
    rc = rt_err(e, "image: out of memory converting a %dx%d image", w, h);
done:
    free(small);
    free(g);
    free(lum);
    free(border);
    free(fit);
    return rc;
}

/* --- writing PNG ----------------------------------------------------------------------------- */

typedef struct {
    uint8_t *b;
    size_t n, cap;
    int failed;
} MemWriter;

static void mw_write(void *user, void *data, int size) {
    MemWriter *m = user;
    if (m->failed || size <= 0) return;
    if (m->n + (size_t)size > m->cap) {
        size_t nc = m->cap ? m->cap : 1 << 16;
        while (nc < m->n + (size_t)size)
            nc *= 2;
        uint8_t *nb = realloc(m->b, nc);
        if (!nb) {
            m->failed = 1;
            return;
        }
        m->b = nb;
        m->cap = nc;
    }
    memcpy(m->b + m->n, data, (size_t)size);
    m->n += (size_t)size;
}

int image_write_png(const char *path, const uint8_t *pix, int w, int h, int comp, RtErr *e) {
    if (!pix || w < 1 || h < 1 || comp < 1 || comp > 4 || w > IMAGE_MAX_SIDE || h > IMAGE_MAX_SIDE)
        return rt_err(e, "%s: cannot write a %dx%dx%d image", path, w, h, comp);
    MemWriter m = {0};
    if (!stbi_write_png_to_func(mw_write, &m, w, h, comp, pix, w * comp) || m.failed) {
        free(m.b);
        return rt_err(e, "%s: PNG encoding failed (out of memory?)", path);
    }
    int rc = aw_write_file(path, m.b, m.n, e);
    free(m.b);
    return rc;
}
