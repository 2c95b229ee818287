/* png.c — see png.h. */
#include "png.h"

#include <stdlib.h>
#include <string.h>

#include "atomicio.h"

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

int png_check_path(const char *path, RtErr *e) { return aw_check(path, e); }

int png_write_rgb(const char *path, const uint8_t *rgb, int w, int h, int stride, RtErr *e) {
    Buf b = {0};
    if (!stbi_write_png_to_func(buf_put, &b, w, h, 3, rgb, stride) || b.oom) {
        free(b.p);
        return rt_err(e, "%s: PNG encoding failed (%dx%d)", path, w, h);
    }
    int rc = aw_write_file(path, b.p, b.n, e);
    free(b.p);
    return rc;
}

int png_write_surface(const char *path, SDL_Surface *s, RtErr *e) {
    const int w = s->w, h = s->h;
    size_t stride = (size_t)w * 3;
    uint8_t *px = malloc(stride * (size_t)h);
    if (!px) return rt_err(e, "%s: out of memory for %dx%d pixels", path, w, h);
    if (SDL_ConvertPixels(w, h, s->format->format, s->pixels, s->pitch, SDL_PIXELFORMAT_RGB24, px,
                          (int)stride) != 0) {
        free(px);
        return rt_err(e, "%s: cannot convert the pixels: %s", path, SDL_GetError());
    }
    int rc = png_write_rgb(path, px, w, h, (int)stride, e);
    free(px);
    return rc;
}
