/* image.h — real images in and out: PNG, JPEG, BMP, GIF (first frame) and
 * binary PGM/PPM decoded with stb_image, converted to a dataset's format
 * (grey or RGB, its h x w, light backgrounds inverted, centred like MNIST),
 * and PNG written with stb_image_write.
 *
 * Limits (checked from the header with stbi_info before anything is
 * decoded): a file of at most IMAGE_MAX_FILE bytes, at most IMAGE_MAX_SIDE
 * pixels a side and IMAGE_MAX_PIXELS pixels in all. A PNG whose compressed
 * data would expand past what its header's size needs is refused before
 * decoding (no zlib bombs). Every error is one line that starts with the
 * file's name. */
#ifndef RTVIZ_IMAGE_H
#define RTVIZ_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#include "common.h"

#define IMAGE_MAX_FILE   ((size_t)64 << 20) /* 64 MiB */
#define IMAGE_MAX_SIDE   16384              /* pixels, width or height */
#define IMAGE_MAX_PIXELS (24L << 20)        /* 25,165,824 pixels (24 Mi, e.g. 6144 x 4096) */

typedef struct {
    int w, h;     /* size in pixels */
    int comp;     /* channels, interleaved: 1 grey, 2 grey+alpha, 3 RGB, 4 RGBA */
    uint8_t *pix; /* h x w x comp, row-major; owned, free with image_free */
} Image;

/* Read a whole regular file of at most max bytes into a new buffer (*buf,
 * *len; free() it). Refuses, without blocking, anything that is not a
 * regular file (a directory, a FIFO, a device), an empty file and one larger
 * than max, naming the file. */
int image_read_file(const char *path, size_t max, uint8_t **buf, size_t *len, RtErr *e);

/* Decode an image held in memory. name is used in messages (the file's path);
 * max_pixels caps w*h (0 = IMAGE_MAX_PIXELS). Fails on an empty buffer, a
 * format other than those above ("not an image"), a header stb cannot read,
 * a size over the limits, and truncated or corrupt data. On success img
 * holds the pixels at their own channel count. */
int image_decode(const uint8_t *buf, size_t len, const char *name, long max_pixels, Image *img,
                 RtErr *e);

/* image_read_file (IMAGE_MAX_FILE) + image_decode (IMAGE_MAX_PIXELS). */
int image_load(const char *path, Image *img, RtErr *e);

void image_free(Image *img);

/* How an image becomes a dataset image. */
typedef struct {
    int ch, h, w; /* the dataset's format: channels (1 or 3), height, width */
    int invert;   /* 1 invert a light background (decided from the border pixels); 0 never */
    int crop;     /* 1: crop to the content's bounding box and fit it in the box below;
                     0: crop the middle to the h:w aspect ratio and resize it to h x w */
    float box;    /* crop: the bounding box is scaled to fit box*h x box*w, keeping aspect */
    int mass;     /* crop: 1 place it by its centre of mass, 0 by its box's centre */
} ImagePrep;

/* The conversion that matches how a dataset's own images were made:
 *   mnist (and any grey dataset rtviz does not know, such as your own):
 *       invert a light background, bounding box fit in 20x20 (scaled to h x w),
 *       placed by centre of mass in 28x28: MNIST's own recipe;
 *   fashionmnist, sample, usps: invert a light background, bounding box fit in
 *       the whole h x w, centred (how Fashion-MNIST was made);
 *   cifar10 and any RGB dataset: a photo: the middle cropped to the aspect
 *       ratio and resized, never inverted.
 * ch is 1 or 3 (anything else is treated as 3). */
void image_prep_default(ImagePrep *p, const char *dataset, int ch, int h, int w);

/* The one conversion of raw pixels to a dataset image, for files, the draw
 * canvas and image-folder datasets alike. pix is h x w x comp interleaved
 * (comp 1 grey, 2 grey+alpha, 3 RGB, 4 RGBA; alpha is composited over
 * white). out gets p->ch x p->h x p->w uint8 (channel-major, CHW), the
 * dataset's layout. Grey from RGB is the luminance 0.299 R + 0.587 G +
 * 0.114 B. A blank image gives a blank output. Fails only on bad sizes or
 * out of memory. */
int image_prepare(const uint8_t *pix, int w, int h, int comp, const ImagePrep *p, uint8_t *out,
                  RtErr *e);

/* What image_prepare_info did besides converting. */
typedef struct {
    int inverted; /* 1: the background was light and the image was inverted */
    int blank;    /* 1: nothing stood out of the background: the output is blank */
} ImagePrepInfo;
/* image_prepare, and what it did in *info (NULL: not wanted). */
int image_prepare_info(const uint8_t *pix, int w, int h, int comp, const ImagePrep *p, uint8_t *out,
                       ImagePrepInfo *info, RtErr *e);

/* Write pix (h x w x comp interleaved, comp 1-4) as a PNG at path through the
 * atomic writer (atomicio.h: temp file beside it, fsync, rename; a target that
 * is not a regular file is refused). */
int image_write_png(const char *path, const uint8_t *pix, int w, int h, int comp, RtErr *e);

#endif
