/* gfx.c — shapes, text and images on an SDL_Renderer (gfx.h). */
#include "gfx.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const int GFX_FONT_PX_1080[FONT_COUNT] = {22, 28, 36, 56};

static const char *const FONT_DIR = "/usr/share/fonts/truetype/dejavu/";
static const char *const FONT_FILE[2] = {"DejaVuSans.ttf", "DejaVuSans-Bold.ttf"};

/* ------------------------------------------------------------- colours */

Rgb gfx_role(ColorRole role) {
    if ((int)role < 0 || role >= CLR_COUNT) role = CLR_TEXT;
    return PALETTE_RGB[role];
}

static uint8_t clamp8(float v) { return v <= 0.0f ? 0 : v >= 255.0f ? 255 : (uint8_t)(v + 0.5f); }

Rgb gfx_scale(Rgb c, float k) { return (Rgb){clamp8(c.r * k), clamp8(c.g * k), clamp8(c.b * k)}; }

Rgb gfx_mix(Rgb a, Rgb b, float t) {
    return (Rgb){clamp8(a.r + (b.r - a.r) * t), clamp8(a.g + (b.g - a.g) * t),
                 clamp8(a.b + (b.b - a.b) * t)};
}

/* ------------------------------------------------------------ set-up */

static void fonts_close(Gfx *g) {
    for (int f = 0; f < FONT_COUNT; f++) {
        if (g->glyphs[f]) {
            for (int i = 0; i < GFX_GLYPHS; i++)
                if (g->glyphs[f][i].tex) SDL_DestroyTexture(g->glyphs[f][i].tex);
            memset(g->glyphs[f], 0, GFX_GLYPHS * sizeof(GfxGlyph));
        }
        if (g->font[f]) TTF_CloseFont(g->font[f]);
        g->font[f] = NULL;
        g->font_px[f] = 0;
    }
}

/* Font pixel size of style f at unit u. */
static int font_px(FontStyle f, float u) {
    int px = (int)lroundf((float)GFX_FONT_PX_1080[f] * u);
    return px < 8 ? 8 : px;
}

static int fonts_open(Gfx *g, RtErr *e) {
    for (int f = 0; f < FONT_COUNT; f++) {
        int px = font_px((FontStyle)f, g->u);
        const char *path = g->font_path[f >= FONT_LARGE ? 1 : 0];
        g->font[f] = TTF_OpenFont(path, px);
        if (!g->font[f]) {
            rt_err(e, "%s: cannot open the font: %s", path, TTF_GetError());
            fonts_close(g);
            return -1;
        }
        g->font_px[f] = px;
        g->ascent[f] = TTF_FontAscent(g->font[f]);
        g->height[f] = TTF_FontHeight(g->font[f]);
    }
    return 0;
}

static int find_font(char *out, size_t n, const char *file, RtErr *e) {
    const char *env = getenv("RTVIZ_FONT");
    if (env && *env) {
        if (access(env, R_OK) != 0)
            return rt_err(e, "RTVIZ_FONT=%s: cannot read that font file", env);
        snprintf(out, n, "%s", env);
        return 0;
    }
    snprintf(out, n, "%s%s", FONT_DIR, file);
    if (access(out, R_OK) != 0)
        return rt_err(e,
                      "%s: font not found (install the Debian package fonts-dejavu-core, or set "
                      "RTVIZ_FONT to a .ttf file)",
                      out);
    return 0;
}

/* Bind cairo and the software renderer to surf. */
static int bind_surface(Gfx *g, SDL_Surface *surf, RtErr *e) {
    if (!surf || surf->format->BytesPerPixel != 4 ||
        (surf->format->format != SDL_PIXELFORMAT_ARGB8888 &&
         surf->format->format != SDL_PIXELFORMAT_RGB888))
        return rt_err(e, "the drawing surface is not 32-bit ARGB/RGB (format %s)",
                      surf ? SDL_GetPixelFormatName(surf->format->format) : "none");
    g->surf = surf;
    g->r = SDL_CreateSoftwareRenderer(surf);
    if (!g->r) return rt_err(e, "cannot create the software renderer: %s", SDL_GetError());
    SDL_SetRenderDrawBlendMode(g->r, SDL_BLENDMODE_BLEND);
    g->cs = cairo_image_surface_create_for_data(surf->pixels, CAIRO_FORMAT_RGB24, surf->w, surf->h,
                                                surf->pitch);
    g->cr = cairo_create(g->cs);
    cairo_set_tolerance(g->cr, 0.3);
    if (cairo_status(g->cr) != CAIRO_STATUS_SUCCESS)
        return rt_err(e, "cairo: %s", cairo_status_to_string(cairo_status(g->cr)));
    g->mode = 0;
    return 0;
}

static void unbind_surface(Gfx *g) {
    for (int f = 0; f < FONT_COUNT; f++) /* textures belong to the renderer */
        if (g->glyphs[f]) {
            for (int i = 0; i < GFX_GLYPHS; i++)
                if (g->glyphs[f][i].tex) SDL_DestroyTexture(g->glyphs[f][i].tex);
            memset(g->glyphs[f], 0, GFX_GLYPHS * sizeof(GfxGlyph));
        }
    for (int i = 0; i < GFX_IMAGES; i++)
        if (g->img[i].tex) SDL_DestroyTexture(g->img[i].tex);
    memset(g->img, 0, sizeof g->img);
    for (int i = 0; i < GFX_MASKS; i++)
        if (g->mask[i].s) cairo_surface_destroy(g->mask[i].s);
    memset(g->mask, 0, sizeof g->mask);
    if (g->cr) cairo_destroy(g->cr);
    if (g->cs) cairo_surface_destroy(g->cs);
    if (g->r) SDL_DestroyRenderer(g->r);
    g->cr = NULL;
    g->cs = NULL;
    g->r = NULL;
    g->surf = NULL;
}

int gfx_init(Gfx *g, SDL_Surface *surf, RtErr *e) {
    memset(g, 0, sizeof *g);
    if (find_font(g->font_path[0], sizeof g->font_path[0], FONT_FILE[0], e)) return -1;
    /* bold for titles; the regular face where DejaVu Sans Bold is absent */
    snprintf(g->font_path[1], sizeof g->font_path[1], "%s%s", FONT_DIR, FONT_FILE[1]);
    if (access(g->font_path[1], R_OK) != 0)
        snprintf(g->font_path[1], sizeof g->font_path[1], "%s", g->font_path[0]);
    for (int f = 0; f < FONT_COUNT; f++) {
        g->glyphs[f] = rt_calloc(GFX_GLYPHS, sizeof(GfxGlyph), "glyph cache", e);
        if (!g->glyphs[f]) {
            gfx_free(g);
            return -1;
        }
    }
    if (gfx_set_surface(g, surf, e)) {
        gfx_free(g);
        return -1;
    }
    return 0;
}

int gfx_set_surface(Gfx *g, SDL_Surface *surf, RtErr *e) {
    unbind_surface(g);
    if (bind_surface(g, surf, e)) {
        unbind_surface(g);
        return -1;
    }
    g->w = surf->w;
    g->h = surf->h;
    float uw = (float)g->w / 1920.0f, uh = (float)g->h / 1080.0f;
    g->u = uw < uh ? uw : uh;
    if (g->font[0] && g->font_px[FONT_COUNT - 1] == font_px(FONT_COUNT - 1, g->u)) return 0;
    fonts_close(g);
    return fonts_open(g, e);
}

int gfx_set_unit(Gfx *g, float u, RtErr *e) {
    g->u = u;
    if (g->font[0] && g->font_px[FONT_COUNT - 1] == font_px(FONT_COUNT - 1, u) &&
        g->font_px[0] == font_px(FONT_SMALL, u))
        return 0;
    fonts_close(g);
    return fonts_open(g, e) ? -1 : 1;
}

void gfx_free(Gfx *g) {
    unbind_surface(g);
    fonts_close(g);
    for (int f = 0; f < FONT_COUNT; f++) {
        free(g->glyphs[f]);
        g->glyphs[f] = NULL;
    }
}

/* Before cairo draws: SDL's queued commands go first. */
static cairo_t *cairo_on(Gfx *g) {
    if (g->mode == 2) SDL_RenderFlush(g->r);
    g->mode = 1;
    return g->cr;
}

/* Before SDL draws: cairo's pixels are written. */
static void sdl_on(Gfx *g) {
    if (g->mode == 1) cairo_surface_flush(g->cs);
    if (g->mode == 1) cairo_surface_mark_dirty(g->cs);
    g->mode = 2;
}

void gfx_begin(Gfx *g) {
    g->frame++;
    Rgb bg = gfx_scale(gfx_role(CLR_BORDER), 0.14f);
    cairo_t *cr = cairo_on(g);
    cairo_set_operator(cr, CAIRO_OPERATOR_SOURCE);
    cairo_set_source_rgb(cr, bg.r / 255.0, bg.g / 255.0, bg.b / 255.0);
    cairo_paint(cr);
    cairo_set_operator(cr, CAIRO_OPERATOR_OVER);
}

void gfx_flush(Gfx *g) {
    if (g->mode == 1) cairo_surface_flush(g->cs);
    if (g->mode == 2) SDL_RenderFlush(g->r);
    g->mode = 0;
}

void gfx_clip(Gfx *g, const SDL_Rect *r) {
    gfx_flush(g);
    cairo_reset_clip(g->cr);
    if (r) {
        cairo_rectangle(g->cr, r->x, r->y, r->w, r->h);
        cairo_clip(g->cr);
    }
    SDL_RenderSetClipRect(g->r, r);
}

void gfx_touched(Gfx *g) {
    gfx_flush(g);
    cairo_surface_mark_dirty(g->cs);
}

/* --------------------------------------------------------------- shapes */

static void source(cairo_t *cr, Rgb c, float a) {
    cairo_set_source_rgba(cr, c.r / 255.0, c.g / 255.0, c.b / 255.0, a);
}

static void rr_path(cairo_t *cr, SDL_FRect r, float rad) {
    float m = (r.w < r.h ? r.w : r.h) / 2.0f;
    if (rad > m) rad = m;
    cairo_new_path(cr);
    if (rad < 0.5f) {
        cairo_rectangle(cr, r.x, r.y, r.w, r.h);
        return;
    }
    const double pi = M_PI;
    cairo_arc(cr, r.x + r.w - rad, r.y + rad, rad, -pi / 2, 0);
    cairo_arc(cr, r.x + r.w - rad, r.y + r.h - rad, rad, 0, pi / 2);
    cairo_arc(cr, r.x + rad, r.y + r.h - rad, rad, pi / 2, pi);
    cairo_arc(cr, r.x + rad, r.y + rad, rad, pi, 3 * pi / 2);
    cairo_close_path(cr);
}

void gfx_rect(Gfx *g, SDL_FRect r, Rgb c, float a) { gfx_round_rect(g, r, 0.0f, c, a); }

void gfx_round_rect(Gfx *g, SDL_FRect r, float rad, Rgb c, float a) {
    if (r.w <= 0.0f || r.h <= 0.0f || a <= 0.0f) return;
    cairo_t *cr = cairo_on(g);
    rr_path(cr, r, rad);
    source(cr, c, a);
    cairo_fill(cr);
}

void gfx_round_frame(Gfx *g, SDL_FRect r, float rad, float th, Rgb c, float a) {
    if (r.w <= 0.0f || r.h <= 0.0f || a <= 0.0f) return;
    if (th < 1.0f) {
        a *= th;
        th = 1.0f;
    }
    cairo_t *cr = cairo_on(g);
    SDL_FRect in = {r.x + th / 2, r.y + th / 2, r.w - th, r.h - th};
    rr_path(cr, in, rad - th / 2);
    source(cr, c, a);
    cairo_set_line_width(cr, th);
    cairo_stroke(cr);
}

/* The glow's alpha mask for a w×h rectangle of corner radius rad fading out
 * over spread pixels (cached: blocks share a size, so a few masks serve a
 * whole frame). The mask is (w + 2 spread) × (h + 2 spread). */
static cairo_surface_t *glow_mask(Gfx *g, int w, int h, int rad, int spread) {
    uint64_t key =
        ((uint64_t)w << 48) | ((uint64_t)h << 32) | ((uint64_t)rad << 16) | (uint64_t)spread | 1;
    GfxMask *lru = &g->mask[0];
    for (int i = 0; i < GFX_MASKS; i++) {
        if (g->mask[i].key == key) {
            g->mask[i].used = g->frame;
            return g->mask[i].s;
        }
        if (g->mask[i].used < lru->used) lru = &g->mask[i];
    }
    if (lru->s) cairo_surface_destroy(lru->s);
    lru->key = 0;
    lru->s = cairo_image_surface_create(CAIRO_FORMAT_A8, w + 2 * spread, h + 2 * spread);
    if (cairo_surface_status(lru->s) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(lru->s);
        lru->s = NULL;
        return NULL;
    }
    cairo_t *cr = cairo_create(lru->s);
    enum { K = 8 };
    float d = (float)spread / K;
    cairo_set_line_width(cr, d + 0.5);
    for (int k = 0; k < K; k++) {
        float o = d * ((float)k + 0.5f), t = 1.0f - ((float)k + 0.5f) / K;
        SDL_FRect q = {(float)spread - o, (float)spread - o, (float)w + 2 * o, (float)h + 2 * o};
        rr_path(cr, q, (float)rad + o);
        cairo_set_source_rgba(cr, 0, 0, 0, t * t);
        cairo_stroke(cr);
    }
    cairo_destroy(cr);
    cairo_surface_flush(lru->s);
    lru->key = key;
    lru->used = g->frame;
    return lru->s;
}

void gfx_glow(Gfx *g, SDL_FRect r, float rad, float spread, Rgb c, float a) {
    if (spread < 1.0f || a <= 0.0f) return;
    int sp = (int)lroundf(spread), w = (int)lroundf(r.w), h = (int)lroundf(r.h);
    cairo_surface_t *m = glow_mask(g, w, h, (int)lroundf(rad), sp);
    if (!m) return;
    cairo_t *cr = cairo_on(g);
    source(cr, c, a);
    cairo_mask_surface(cr, m, floorf(r.x + 0.5f) - (float)sp, floorf(r.y + 0.5f) - (float)sp);
}

void gfx_disc(Gfx *g, float cx, float cy, float rad, Rgb c, float a) {
    if (rad <= 0.0f || a <= 0.0f) return;
    cairo_t *cr = cairo_on(g);
    cairo_new_path(cr);
    cairo_arc(cr, cx, cy, rad, 0, 2 * M_PI);
    source(cr, c, a);
    cairo_fill(cr);
}

static void stroke(cairo_t *cr, float th, Rgb c, float a) {
    if (th < 1.0f) { /* thinner than a pixel: a 1-pixel line, fainter */
        a *= th;
        th = 1.0f;
    }
    source(cr, c, a);
    cairo_set_line_width(cr, th);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    cairo_stroke(cr);
}

void gfx_polyline(Gfx *g, const SDL_FPoint *p, int n, float th, Rgb c, float a) {
    if (n < 2 || a <= 0.0f || !(th > 0.0f)) return;
    cairo_t *cr = cairo_on(g);
    cairo_new_path(cr);
    cairo_move_to(cr, p[0].x, p[0].y);
    for (int i = 1; i < n; i++)
        cairo_line_to(cr, p[i].x, p[i].y);
    stroke(cr, th, c, a);
}

void gfx_line(Gfx *g, float x0, float y0, float x1, float y1, float th, Rgb c, float a) {
    SDL_FPoint p[2] = {{x0, y0}, {x1, y1}};
    gfx_polyline(g, p, 2, th, c, a);
}

void gfx_curve(Gfx *g, float x0, float y0, float x1, float y1, float th, Rgb c, float a) {
    if (a <= 0.0f || !(th > 0.0f)) return;
    cairo_t *cr = cairo_on(g);
    float mx = (x0 + x1) / 2.0f;
    cairo_new_path(cr);
    cairo_move_to(cr, x0, y0);
    cairo_curve_to(cr, mx, y0, mx, y1, x1, y1);
    stroke(cr, th, c, a);
}

/* ---------------------------------------------------------------- text */

/* Next code point of UTF-8 s at *i (invalid bytes give U+FFFD). */
static uint32_t utf8_next(const char *s, size_t *i) {
    const unsigned char *u = (const unsigned char *)s + *i;
    uint32_t cp;
    int n;
    if (u[0] < 0x80) {
        cp = u[0];
        n = 1;
    } else if ((u[0] & 0xE0) == 0xC0) {
        cp = u[0] & 0x1F;
        n = 2;
    } else if ((u[0] & 0xF0) == 0xE0) {
        cp = u[0] & 0x0F;
        n = 3;
    } else if ((u[0] & 0xF8) == 0xF0) {
        cp = u[0] & 0x07;
        n = 4;
    } else {
        (*i)++;
        return 0xFFFD;
    }
    for (int k = 1; k < n; k++) {
        if ((u[k] & 0xC0) != 0x80) {
            *i += (size_t)k;
            return 0xFFFD;
        }
        cp = (cp << 6) | (u[k] & 0x3F);
    }
    *i += (size_t)n;
    return cp;
}

/* The cached glyph of cp in colour rgb (rgb = UINT32_MAX: metrics only). */
static GfxGlyph *glyph(Gfx *g, FontStyle f, uint32_t cp, uint32_t rgb) {
    GfxGlyph *tab = g->glyphs[f];
    if (!TTF_GlyphIsProvided32(g->font[f], cp)) cp = '?';
    uint32_t h = ((cp * 2654435761u) ^ (rgb * 40503u)) % GFX_GLYPHS;
    int metrics = rgb == UINT32_MAX;
    for (int probe = 0; probe < GFX_GLYPHS; probe++) {
        GfxGlyph *s = &tab[(h + (uint32_t)probe) % GFX_GLYPHS];
        if (s->cp == cp && s->rgb == rgb) return s;
        if (s->cp != 0) continue;
        int minx, maxx, miny, maxy, adv = 0;
        if (TTF_GlyphMetrics32(g->font[f], cp, &minx, &maxx, &miny, &maxy, &adv) != 0) adv = 0;
        s->cp = cp;
        s->rgb = rgb;
        s->advance = adv;
        if (cp != ' ' && !metrics) {
            SDL_Color c = {(uint8_t)(rgb >> 16), (uint8_t)(rgb >> 8), (uint8_t)rgb, 255};
            SDL_Surface *su = TTF_RenderGlyph32_Blended(g->font[f], cp, c);
            if (su) {
                s->tex = SDL_CreateTextureFromSurface(g->r, su);
                s->w = su->w;
                s->h = su->h;
                SDL_FreeSurface(su);
                if (s->tex) SDL_SetTextureBlendMode(s->tex, SDL_BLENDMODE_BLEND);
            }
        }
        return s;
    }
    return NULL; /* table full: the glyph is not drawn */
}

float gfx_text_width(Gfx *g, FontStyle f, const char *s) {
    float w = 0.0f;
    for (size_t i = 0; s[i];) {
        GfxGlyph *gl = glyph(g, f, utf8_next(s, &i), UINT32_MAX);
        if (gl) w += (float)gl->advance;
    }
    return w;
}

float gfx_line_h(const Gfx *g, FontStyle f) { return (float)g->height[f]; }

float gfx_text(Gfx *g, FontStyle f, float x, float y, int align, Rgb c, const char *s) {
    sdl_on(g);
    float w = gfx_text_width(g, f, s);
    uint32_t rgb = (uint32_t)c.r << 16 | (uint32_t)c.g << 8 | c.b;
    float px = align == ALIGN_CENTER ? x - w / 2 : align == ALIGN_RIGHT ? x - w : x;
    px = floorf(px + 0.5f);
    y = floorf(y + 0.5f);
    for (size_t i = 0; s[i];) {
        GfxGlyph *gl = glyph(g, f, utf8_next(s, &i), rgb);
        if (!gl) continue;
        if (gl->tex) {
            SDL_FRect d = {px, y, (float)gl->w, (float)gl->h};
            SDL_RenderCopyF(g->r, gl->tex, NULL, &d);
        }
        px += (float)gl->advance;
    }
    return w;
}

float gfx_textf(Gfx *g, FontStyle f, float x, float y, int align, Rgb c, const char *fmt, ...) {
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    return gfx_text(g, f, x, y, align, c, buf);
}

/* --------------------------------------------------------------- images */

static uint64_t fnv(const uint8_t *p, size_t n, uint64_t h) {
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= 1099511628211ull;
    }
    return h;
}

void gfx_image(Gfx *g, const uint8_t *pix, int ch, int h, int w, SDL_FRect dst) {
    if (ch < 1 || h < 1 || w < 1 || h > 256 || w > 256) return;
    sdl_on(g);
    int shape[3] = {ch, h, w};
    uint64_t key = fnv((const uint8_t *)shape, sizeof shape, 1469598103934665603ull);
    key = fnv(pix, (size_t)ch * h * w, key) | 1;
    GfxImage *slot = NULL, *lru = &g->img[0];
    for (int i = 0; i < GFX_IMAGES; i++) {
        if (g->img[i].key == key) {
            slot = &g->img[i];
            break;
        }
        if (g->img[i].used < lru->used) lru = &g->img[i];
    }
    if (!slot) {
        slot = lru;
        if (slot->tex) SDL_DestroyTexture(slot->tex);
        slot->key = 0;
        slot->tex =
            SDL_CreateTexture(g->r, SDL_PIXELFORMAT_ARGB8888, SDL_TEXTUREACCESS_STATIC, w, h);
        if (!slot->tex) return;
        uint32_t *buf = malloc((size_t)w * h * sizeof *buf);
        if (!buf) {
            SDL_DestroyTexture(slot->tex);
            slot->tex = NULL;
            return;
        }
        const size_t plane = (size_t)h * w;
        for (size_t i = 0; i < plane; i++) {
            uint32_t r = pix[i], gg = r, b = r;
            if (ch >= 3) {
                gg = pix[plane + i];
                b = pix[2 * plane + i];
            }
            buf[i] = 0xFF000000u | (r << 16) | (gg << 8) | b;
        }
        SDL_UpdateTexture(slot->tex, NULL, buf, w * (int)sizeof *buf);
        free(buf);
        SDL_SetTextureScaleMode(slot->tex, SDL_ScaleModeNearest);
        SDL_SetTextureBlendMode(slot->tex, SDL_BLENDMODE_NONE);
        slot->key = key;
    }
    slot->used = g->frame;
    SDL_RenderCopyF(g->r, slot->tex, NULL, &dst);
}
