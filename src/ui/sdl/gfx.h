/* gfx.h — the projector view's drawing layer on one 32-bit SDL_Surface.
 *
 * Two libraries draw on the same pixels, in order:
 *   - shapes with cairo (anti-aliased, pixman's SIMD rasteriser): filled and
 *     rounded rectangles, glows, thick polylines, cubic curves, line plots,
 *     bars;
 *   - text and images with SDL's software renderer on that surface: text
 *     with SDL2_ttf (DejaVu Sans from fonts-dejavu-core, found at run time)
 *     through a glyph cache (one texture per glyph and colour, so a glyph is
 *     one plain alpha blit), images (uint8 grey or RGB) through a small
 *     texture cache.
 * Switching from one to the other flushes the first, so drawing order is
 * kept. (The first version drew shapes with SDL_RenderGeometry: the software
 * renderer blends each triangle through a temporary surface, and a frame
 * took 250 ms.) Colours come in as palette Rgb (src/ui/palette.h): callers
 * name roles, gfx takes the role's RGB column. */
#ifndef RTVIZ_SDL_GFX_H
#define RTVIZ_SDL_GFX_H

#include <SDL2/SDL.h>
#include <SDL2/SDL_ttf.h>
#include <cairo.h>
#include <stdint.h>

#include "common.h"
#include "palette.h"

/* Text styles, sized from the output height (gfx_set_size). */
typedef enum {
    FONT_SMALL = 0, /* captions, gallery percentages */
    FONT_NORMAL,    /* labels, numbers */
    FONT_LARGE,     /* pane titles, the prediction */
    FONT_HUGE,      /* the θ readout */
    FONT_COUNT
} FontStyle;

/* Font sizes in pixels at a 1080-pixel-high output (scaled with the height). */
extern const int GFX_FONT_PX_1080[FONT_COUNT];

enum { ALIGN_LEFT = 0, ALIGN_CENTER = 1, ALIGN_RIGHT = 2 };

#define GFX_GLYPHS 2048 /* cached glyph × colour textures per font (open addressing) */
#define GFX_IMAGES 48   /* cached image textures */
#define GFX_MASKS  64   /* cached glow masks */

typedef struct {
    uint32_t cp;       /* code point, 0 = empty slot */
    uint32_t rgb;      /* its colour, 0xRRGGBB */
    SDL_Texture *tex;  /* the glyph in that colour on transparent, NULL for blanks */
    int w, h, advance; /* texture size, pen advance */
} GfxGlyph;

typedef struct {
    uint64_t key;     /* hash of shape + pixels, 0 = empty */
    SDL_Texture *tex; /* the image */
    uint64_t used;    /* frame it was last drawn in (LRU) */
} GfxImage;

typedef struct {
    uint64_t key;       /* size, radius and spread, 0 = empty */
    cairo_surface_t *s; /* A8 alpha mask */
    uint64_t used;      /* frame it was last used in (LRU) */
} GfxMask;

typedef struct {
    SDL_Surface *surf;            /* the pixels (32-bit ARGB8888 or RGB888), borrowed */
    SDL_Renderer *r;              /* SDL's software renderer on surf, owned */
    cairo_surface_t *cs;          /* cairo on the same pixels, owned */
    cairo_t *cr;                  /* its context */
    int mode;                     /* who drew last: 0 nobody, 1 cairo, 2 SDL */
    int w, h;                     /* output size in pixels */
    float u;                      /* one layout unit in pixels: min(w/1920, h/1080) */
    char font_path[2][512];       /* regular, bold */
    TTF_Font *font[FONT_COUNT];   /* open at the current sizes */
    int font_px[FONT_COUNT];      /* their pixel sizes */
    int ascent[FONT_COUNT];       /* and metrics */
    int height[FONT_COUNT];       /* line height */
    GfxGlyph *glyphs[FONT_COUNT]; /* GFX_GLYPHS each */
    GfxImage img[GFX_IMAGES];     /* image texture cache */
    GfxMask mask[GFX_MASKS];      /* glow mask cache */
    uint64_t frame;               /* bumped by gfx_begin */
} Gfx;

/* Draw on surf (32 bits per pixel: ARGB8888 or RGB888; it must outlive g,
 * or until gfx_set_surface). Finds the fonts: $RTVIZ_FONT (regular) if set,
 * else DejaVu Sans under /usr/share/fonts/truetype/dejavu/. TTF_Init must
 * have run. Font sizes follow the surface size. Returns 0, or -1 with a line
 * naming what is missing (and the Debian package to install). */
int gfx_init(Gfx *g, SDL_Surface *surf, RtErr *e);
/* Draw on a new surface (the window was resized): fonts rescale when the
 * size needs it, textures are made again. 0 or -1. */
int gfx_set_surface(Gfx *g, SDL_Surface *surf, RtErr *e);
void gfx_free(Gfx *g);
/* Use layout unit u (text sizes follow it) instead of the surface's own: the
 * live view beside the chapter pane is narrower than the output. Fonts are
 * reopened when their sizes change. 1 when they did, 0 when not, -1 with e. */
int gfx_set_unit(Gfx *g, float u, RtErr *e);

/* Start a frame: clear to the background. */
void gfx_begin(Gfx *g);
/* Finish drawing: everything is on the surface's pixels after this. */
void gfx_flush(Gfx *g);
/* Clip what both libraries draw to r (NULL: the whole surface). */
void gfx_clip(Gfx *g, const SDL_Rect *r);
/* The surface's pixels were changed behind gfx's back (a copy into it). */
void gfx_touched(Gfx *g);

/* A role's colour (palette.h). */
Rgb gfx_role(ColorRole role);
/* c scaled toward black by k in [0,1] (k = 1 unchanged). */
Rgb gfx_scale(Rgb c, float k);
/* a + (b - a) * t. */
Rgb gfx_mix(Rgb a, Rgb b, float t);

/* Shapes; alpha a in [0,1]. Coordinates in output pixels. */
void gfx_rect(Gfx *g, SDL_FRect r, Rgb c, float a);
/* Rounded rectangle, radius rad, anti-aliased edge. */
void gfx_round_rect(Gfx *g, SDL_FRect r, float rad, Rgb c, float a);
/* Its outline, thickness th. */
void gfx_round_frame(Gfx *g, SDL_FRect r, float rad, float th, Rgb c, float a);
/* A soft glow around r: alpha a at the edge fading to 0 over `spread` pixels. */
void gfx_glow(Gfx *g, SDL_FRect r, float rad, float spread, Rgb c, float a);
/* A polyline of n points, thickness th (pixels, any width > 0). */
void gfx_polyline(Gfx *g, const SDL_FPoint *p, int n, float th, Rgb c, float a);
/* A straight line. */
void gfx_line(Gfx *g, float x0, float y0, float x1, float y1, float th, Rgb c, float a);
/* A horizontal S-curve (cubic, control points half-way in x) from (x0,y0) to (x1,y1). */
void gfx_curve(Gfx *g, float x0, float y0, float x1, float y1, float th, Rgb c, float a);
/* A filled circle. */
void gfx_disc(Gfx *g, float cx, float cy, float rad, Rgb c, float a);

/* Text (UTF-8) at (x, y top) aligned by `align` on x; returns its width. */
float gfx_text(Gfx *g, FontStyle f, float x, float y, int align, Rgb c, const char *s);
/* printf-style; the formatted text is cut at 255 bytes. */
float gfx_textf(Gfx *g, FontStyle f, float x, float y, int align, Rgb c, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));
/* Width in pixels of s in font f. */
float gfx_text_width(Gfx *g, FontStyle f, const char *s);
/* Line height of font f. */
float gfx_line_h(const Gfx *g, FontStyle f);

/* An image of ch (1 or 3) x h x w uint8 pixels drawn into dst, nearest
 * neighbour (pixels stay crisp when enlarged). Cached by content. */
void gfx_image(Gfx *g, const uint8_t *pix, int ch, int h, int w, SDL_FRect dst);

#endif
