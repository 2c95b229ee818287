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

static SDL_Color col(Rgb c, float a) { return (SDL_Color){c.r, c.g, c.b, clamp8(a * 255.0f)}; }

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

int gfx_init(Gfx *g, SDL_Renderer *r, int w, int h, RtErr *e) {
    memset(g, 0, sizeof *g);
    g->r = r;
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
    g->cap_v = 1 << 14;
    g->cap_i = 1 << 15;
    g->vtx = rt_calloc((size_t)g->cap_v, sizeof *g->vtx, "vertex batch", e);
    g->idx = g->vtx ? rt_calloc((size_t)g->cap_i, sizeof *g->idx, "index batch", e) : NULL;
    if (!g->idx || gfx_set_size(g, w, h, e)) {
        gfx_free(g);
        return -1;
    }
    return 0;
}

int gfx_set_size(Gfx *g, int w, int h, RtErr *e) {
    g->w = w < 1 ? 1 : w;
    g->h = h < 1 ? 1 : h;
    float uw = (float)g->w / 1920.0f, uh = (float)g->h / 1080.0f;
    g->u = uw < uh ? uw : uh;
    if (g->font[0] && g->font_px[FONT_COUNT - 1] == font_px(FONT_COUNT - 1, g->u))
        return 0; /* same sizes: keep the glyph cache */
    fonts_close(g);
    return fonts_open(g, e);
}

void gfx_free(Gfx *g) {
    fonts_close(g);
    for (int f = 0; f < FONT_COUNT; f++) {
        free(g->glyphs[f]);
        g->glyphs[f] = NULL;
    }
    for (int i = 0; i < GFX_IMAGES; i++)
        if (g->img[i].tex) SDL_DestroyTexture(g->img[i].tex);
    memset(g->img, 0, sizeof g->img);
    free(g->vtx);
    free(g->idx);
    g->vtx = NULL;
    g->idx = NULL;
}

void gfx_begin(Gfx *g) {
    g->frame++;
    g->tris = 0;
    g->nv = g->ni = 0;
    Rgb bg = gfx_scale(gfx_role(CLR_BORDER), 0.14f);
    SDL_SetRenderDrawColor(g->r, bg.r, bg.g, bg.b, 255);
    SDL_RenderClear(g->r);
    SDL_SetRenderDrawBlendMode(g->r, SDL_BLENDMODE_BLEND);
}

void gfx_flush(Gfx *g) {
    if (g->ni > 0) {
        SDL_SetRenderDrawBlendMode(g->r, SDL_BLENDMODE_BLEND);
        SDL_RenderGeometry(g->r, NULL, g->vtx, g->nv, g->idx, g->ni);
        g->tris += g->ni / 3;
    }
    g->nv = g->ni = 0;
}

/* Room for nv vertices and ni indices; flushes when full. Returns the first
 * vertex index. */
static int reserve(Gfx *g, int nv, int ni) {
    if (g->nv + nv > g->cap_v || g->ni + ni > g->cap_i) gfx_flush(g);
    if (nv > g->cap_v || ni > g->cap_i) return -1; /* a shape larger than a batch: dropped */
    return g->nv;
}

static void vtx(Gfx *g, float x, float y, SDL_Color c) {
    g->vtx[g->nv++] = (SDL_Vertex){{x, y}, c, {0, 0}};
}

static void tri(Gfx *g, int a, int b, int c) {
    g->idx[g->ni++] = a;
    g->idx[g->ni++] = b;
    g->idx[g->ni++] = c;
}

/* --------------------------------------------------------------- shapes */

#define MAXPTS 128 /* outline points of one rounded rectangle */

/* Outline of a rounded rectangle, clockwise in screen space, with outward
 * normals; returns the point count. */
static int rr_outline(SDL_FRect r, float rad, SDL_FPoint *p, SDL_FPoint *nrm) {
    float m = (r.w < r.h ? r.w : r.h) / 2.0f;
    if (rad > m) rad = m;
    if (rad < 0.0f) rad = 0.0f;
    int seg = rad < 2.0f ? 1 : (int)(rad / 2.0f) + 2;
    if (seg > MAXPTS / 4 - 1) seg = MAXPTS / 4 - 1;
    const float cx[4] = {r.x + r.w - rad, r.x + r.w - rad, r.x + rad, r.x + rad};
    const float cy[4] = {r.y + rad, r.y + r.h - rad, r.y + r.h - rad, r.y + rad};
    const float a0[4] = {-90.0f, 0.0f, 90.0f, 180.0f};
    int n = 0;
    for (int k = 0; k < 4; k++)
        for (int s = 0; s <= seg; s++) {
            float a = (a0[k] + 90.0f * (float)s / (float)seg) * (float)M_PI / 180.0f;
            float c = cosf(a), sn = sinf(a);
            p[n] = (SDL_FPoint){cx[k] + rad * c, cy[k] + rad * sn};
            nrm[n] = (SDL_FPoint){c, sn};
            n++;
        }
    return n;
}

/* A closed band between outline offsets d0 (alpha a0) and d1 (alpha a1). */
static void ring(Gfx *g, const SDL_FPoint *p, const SDL_FPoint *nrm, int n, float d0, float a0,
                 float d1, float a1, Rgb c) {
    int b = reserve(g, 2 * n, 6 * n);
    if (b < 0) return;
    SDL_Color c0 = col(c, a0), c1 = col(c, a1);
    for (int i = 0; i < n; i++) {
        vtx(g, p[i].x + nrm[i].x * d0, p[i].y + nrm[i].y * d0, c0);
        vtx(g, p[i].x + nrm[i].x * d1, p[i].y + nrm[i].y * d1, c1);
    }
    for (int i = 0; i < n; i++) {
        int j = (i + 1) % n;
        tri(g, b + 2 * i, b + 2 * i + 1, b + 2 * j);
        tri(g, b + 2 * j, b + 2 * i + 1, b + 2 * j + 1);
    }
}

/* The polygon inset by d, filled (a fan from its centre). */
static void fan(Gfx *g, const SDL_FPoint *p, const SDL_FPoint *nrm, int n, float d, float cx,
                float cy, Rgb c, float a) {
    int b = reserve(g, n + 1, 3 * n);
    if (b < 0) return;
    SDL_Color cc = col(c, a);
    vtx(g, cx, cy, cc);
    for (int i = 0; i < n; i++)
        vtx(g, p[i].x - nrm[i].x * d, p[i].y - nrm[i].y * d, cc);
    for (int i = 0; i < n; i++)
        tri(g, b, b + 1 + i, b + 1 + (i + 1) % n);
}

void gfx_rect(Gfx *g, SDL_FRect r, Rgb c, float a) { gfx_round_rect(g, r, 0.0f, c, a); }

void gfx_round_rect(Gfx *g, SDL_FRect r, float rad, Rgb c, float a) {
    if (r.w <= 0.0f || r.h <= 0.0f || a <= 0.0f) return;
    SDL_FPoint p[MAXPTS], nrm[MAXPTS];
    int n = rr_outline(r, rad, p, nrm);
    fan(g, p, nrm, n, 0.5f, r.x + r.w / 2, r.y + r.h / 2, c, a);
    ring(g, p, nrm, n, -0.5f, a, 0.5f, 0.0f, c);
}

void gfx_round_frame(Gfx *g, SDL_FRect r, float rad, float th, Rgb c, float a) {
    if (r.w <= 0.0f || r.h <= 0.0f || a <= 0.0f) return;
    if (th < 1.0f) {
        a *= th;
        th = 1.0f;
    }
    SDL_FPoint p[MAXPTS], nrm[MAXPTS];
    int n = rr_outline(r, rad, p, nrm);
    ring(g, p, nrm, n, -th - 0.5f, 0.0f, -th + 0.5f, a, c);
    if (th > 1.0f) ring(g, p, nrm, n, -th + 0.5f, a, -0.5f, a, c);
    ring(g, p, nrm, n, -0.5f, a, 0.5f, 0.0f, c);
}

void gfx_glow(Gfx *g, SDL_FRect r, float rad, float spread, Rgb c, float a) {
    if (spread < 1.0f || a <= 0.0f) return;
    SDL_FPoint p[MAXPTS], nrm[MAXPTS];
    int n = rr_outline(r, rad, p, nrm);
    /* roughly exponential: two bands */
    ring(g, p, nrm, n, 0.0f, a, spread * 0.3f, a * 0.35f, c);
    ring(g, p, nrm, n, spread * 0.3f, a * 0.35f, spread, 0.0f, c);
}

void gfx_disc(Gfx *g, float cx, float cy, float rad, Rgb c, float a) {
    gfx_round_rect(g, (SDL_FRect){cx - rad, cy - rad, 2 * rad, 2 * rad}, rad, c, a);
}

void gfx_polyline(Gfx *g, const SDL_FPoint *p, int n, float th, Rgb c, float a) {
    if (n < 2 || a <= 0.0f || !(th > 0.0f)) return;
    if (th < 1.0f) { /* thinner than a pixel: a 1-pixel line, fainter */
        a *= th;
        th = 1.0f;
    }
    int b = reserve(g, 4 * n, 18 * (n - 1));
    if (b < 0) return;
    float hw = th / 2.0f;
    SDL_Color c0 = col(c, 0.0f), c1 = col(c, a);
    for (int i = 0; i < n; i++) {
        const SDL_FPoint *pa = &p[i > 0 ? i - 1 : 0], *pb = &p[i < n - 1 ? i + 1 : n - 1];
        float tx = pb->x - pa->x, ty = pb->y - pa->y, l = sqrtf(tx * tx + ty * ty);
        if (l < 1e-6f) {
            tx = 1.0f;
            ty = 0.0f;
            l = 1.0f;
        }
        float nx = -ty / l, ny = tx / l;
        float o = hw + 0.5f, in = hw - 0.5f;
        vtx(g, p[i].x + nx * o, p[i].y + ny * o, c0);
        vtx(g, p[i].x + nx * in, p[i].y + ny * in, c1);
        vtx(g, p[i].x - nx * in, p[i].y - ny * in, c1);
        vtx(g, p[i].x - nx * o, p[i].y - ny * o, c0);
    }
    for (int i = 0; i + 1 < n; i++) {
        int q = b + 4 * i, r = q + 4;
        for (int k = 0; k < 3; k++) {
            tri(g, q + k, q + k + 1, r + k);
            tri(g, r + k, q + k + 1, r + k + 1);
        }
    }
}

void gfx_line(Gfx *g, float x0, float y0, float x1, float y1, float th, Rgb c, float a) {
    SDL_FPoint p[2] = {{x0, y0}, {x1, y1}};
    gfx_polyline(g, p, 2, th, c, a);
}

void gfx_curve(Gfx *g, float x0, float y0, float x1, float y1, float th, Rgb c, float a) {
    enum { N = 20 };
    SDL_FPoint p[N + 1];
    float mx = (x0 + x1) / 2.0f;
    int n = fabsf(y1 - y0) < 2.0f ? 1 : N;
    for (int i = 0; i <= n; i++) {
        float t = (float)i / (float)n, u = 1.0f - t;
        float b0 = u * u * u, b1 = 3 * u * u * t, b2 = 3 * u * t * t, b3 = t * t * t;
        p[i].x = b0 * x0 + b1 * mx + b2 * mx + b3 * x1;
        p[i].y = b0 * y0 + b1 * y0 + b2 * y1 + b3 * y1;
    }
    gfx_polyline(g, p, n + 1, th, c, a);
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

static GfxGlyph *glyph(Gfx *g, FontStyle f, uint32_t cp) {
    GfxGlyph *tab = g->glyphs[f];
    uint32_t h = (cp * 2654435761u) % GFX_GLYPHS;
    for (int probe = 0; probe < GFX_GLYPHS; probe++) {
        GfxGlyph *s = &tab[(h + (uint32_t)probe) % GFX_GLYPHS];
        if (s->cp == cp) return s;
        if (s->cp != 0) continue;
        /* a new glyph */
        if (!TTF_GlyphIsProvided32(g->font[f], cp)) cp = '?';
        int minx, maxx, miny, maxy, adv = 0;
        if (TTF_GlyphMetrics32(g->font[f], cp, &minx, &maxx, &miny, &maxy, &adv) != 0) adv = 0;
        s->cp = cp;
        s->advance = adv;
        if (cp != ' ') {
            SDL_Surface *su =
                TTF_RenderGlyph32_Blended(g->font[f], cp, (SDL_Color){255, 255, 255, 255});
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
        GfxGlyph *gl = glyph(g, f, utf8_next(s, &i));
        if (gl) w += (float)gl->advance;
    }
    return w;
}

float gfx_line_h(const Gfx *g, FontStyle f) { return (float)g->height[f]; }

float gfx_text(Gfx *g, FontStyle f, float x, float y, int align, Rgb c, const char *s) {
    gfx_flush(g);
    float w = gfx_text_width(g, f, s);
    float px = align == ALIGN_CENTER ? x - w / 2 : align == ALIGN_RIGHT ? x - w : x;
    px = floorf(px + 0.5f);
    y = floorf(y + 0.5f);
    for (size_t i = 0; s[i];) {
        GfxGlyph *gl = glyph(g, f, utf8_next(s, &i));
        if (!gl) continue;
        if (gl->tex) {
            SDL_SetTextureColorMod(gl->tex, c.r, c.g, c.b);
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
    gfx_flush(g);
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
