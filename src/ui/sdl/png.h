/* png.h — PNG files of rendered frames (stb_image_write, from Debian's
 * libstb), written through the atomic writer (atomicio.h): the old file
 * stays whole until the new one is. */
#ifndef RTVIZ_SDL_PNG_H
#define RTVIZ_SDL_PNG_H

#include <SDL2/SDL.h>
#include <stddef.h>
#include <stdint.h>

#include "common.h"

/* Pre-flight for an output path (aw_check): its directory exists and is
 * writable, an existing target is a regular file. 0 or -1 with one line. */
int png_check_path(const char *path, RtErr *e);

/* Encode w×h RGB pixels (3 bytes each, rows of `stride` bytes) as PNG and
 * write them to path atomically. 0 or -1. */
int png_write_rgb(const char *path, const uint8_t *rgb, int w, int h, int stride, RtErr *e);

/* Write a 32-bit surface (ARGB8888 or RGB888) with png_write_rgb. */
int png_write_surface(const char *path, SDL_Surface *s, RtErr *e);

#endif
