/* png.c — see png.h. */
#define _POSIX_C_SOURCE 200809L
#include "png.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <stb/stb_image_write.h>

typedef struct {
    uint8_t *p;    /* encoded bytes */
    size_t n, cap; /* used / allocated */
    int oom;       /* an allocation failed */
} Buf;

static void buf_put(void *ctx, void *data, int size) {
    Buf *b = ctx;
    if (b->oom || size <= 0) return;
    if (b->n + (size_t)size > b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 1 << 16;
        while (cap < b->n + (size_t)size)
            cap *= 2;
        uint8_t *q = realloc(b->p, cap);
        if (!q) {
            b->oom = 1;
            return;
        }
        b->p = q;
        b->cap = cap;
    }
    memcpy(b->p + b->n, data, (size_t)size);
    b->n += (size_t)size;
}

/* Directory part of path into out. */
static void dir_of(const char *path, char *out, size_t n) {
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s", path);
    snprintf(out, n, "%s", dirname(tmp));
}

int png_check_path(const char *path, RtErr *e) {
    if (!path || !*path) return rt_err(e, "--out: empty file name");
    if (strlen(path) >= 4000) return rt_err(e, "%.60s...: path too long", path);
    char dir[4096];
    dir_of(path, dir, sizeof dir);
    struct stat st;
    if (stat(dir, &st) != 0) return rt_err(e, "%s: directory %s: %s", path, dir, strerror(errno));
    if (!S_ISDIR(st.st_mode)) return rt_err(e, "%s: %s is not a directory", path, dir);
    if (access(dir, W_OK | X_OK) != 0)
        return rt_err(e, "%s: cannot write in directory %s: %s", path, dir, strerror(errno));
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode))
        return rt_err(e, "%s: exists and is not a regular file", path);
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    if (!*base) return rt_err(e, "%s: names a directory, not a file", path);
    if (strlen(base) + 16 > 255) return rt_err(e, "%s: file name too long", path);
    return 0;
}

/* The one place this module writes a file (temp, fsync, rename, fsync dir). */
static int write_atomic(const char *path, const void *data, size_t n, RtErr *e) {
    if (png_check_path(path, e)) return -1;
    char tmp[4200], dir[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp.XXXXXX", path);
    int fd = mkstemp(tmp);
    if (fd < 0) return rt_err(e, "%s: cannot create a temp file: %s", path, strerror(errno));
    const uint8_t *p = data;
    size_t left = n;
    while (left > 0) {
        ssize_t k = write(fd, p, left);
        if (k < 0 && errno == EINTR) continue;
        if (k <= 0) {
            int er = k < 0 ? errno : ENOSPC;
            close(fd);
            unlink(tmp);
            return rt_err(e, "%s: write failed: %s", path, strerror(er));
        }
        p += k;
        left -= (size_t)k;
    }
    struct stat st;
    mode_t mode = 0666;
    mode_t um = umask(0);
    umask(um);
    mode &= ~um;
    if (stat(path, &st) == 0) mode = st.st_mode & 07777;
    if (fchmod(fd, mode) != 0 || fsync(fd) != 0) {
        int er = errno;
        close(fd);
        unlink(tmp);
        return rt_err(e, "%s: %s", path, strerror(er));
    }
    if (close(fd) != 0) {
        int er = errno;
        unlink(tmp);
        return rt_err(e, "%s: %s", path, strerror(er));
    }
    if (rename(tmp, path) != 0) {
        int er = errno;
        unlink(tmp);
        return rt_err(e, "%s: cannot rename the temp file into place: %s", path, strerror(er));
    }
    dir_of(path, dir, sizeof dir);
    int dfd = open(dir, O_RDONLY | O_DIRECTORY);
    if (dfd >= 0) {
        fsync(dfd);
        close(dfd);
    }
    return 0;
}

int png_write_rgb(const char *path, const uint8_t *rgb, int w, int h, int stride, RtErr *e) {
    Buf b = {0};
    if (!stbi_write_png_to_func(buf_put, &b, w, h, 3, rgb, stride) || b.oom) {
        free(b.p);
        return rt_err(e, "%s: PNG encoding failed (%dx%d)", path, w, h);
    }
    int rc = write_atomic(path, b.p, b.n, e);
    free(b.p);
    return rc;
}

int png_write_renderer(const char *path, SDL_Renderer *r, int w, int h, RtErr *e) {
    size_t stride = (size_t)w * 3;
    uint8_t *px = malloc(stride * (size_t)h);
    if (!px) return rt_err(e, "%s: out of memory for %dx%d pixels", path, w, h);
    if (SDL_RenderReadPixels(r, NULL, SDL_PIXELFORMAT_RGB24, px, (int)stride) != 0) {
        free(px);
        return rt_err(e, "%s: cannot read the rendered pixels: %s", path, SDL_GetError());
    }
    int rc = png_write_rgb(path, px, w, h, (int)stride, e);
    free(px);
    return rc;
}
