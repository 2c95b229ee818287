/* view.h — the projector view: where everything goes (SdlGeom, exported so
 * tests and mouse handling know where blocks and the slider are) and one
 * function that draws a frame of a ViewState with gfx.
 *
 * Layout at any size, in fractions of the output (a 1920×1080 projector is
 * the reference; text sizes follow gfx's unit):
 *   header                                   (run, network, parameters)
 *   network (router, layers, classes)  |  traced image, its answer, class bars
 *   θ slider: the schedule's steps, the animated θ, the stop, τ and the floor
 *   gallery: 12 easiest / 12 hardest     |  training stats and line plots
 *
 * The sweep animates along a continuous position `pos` in [0, nsteps-1]:
 * rates, gates, flows and the prediction are interpolated between the two
 * θ steps around it, so blocks fade in as their rate crosses θ. */
#ifndef RTVIZ_SDL_VIEW_H
#define RTVIZ_SDL_VIEW_H

#include <SDL2/SDL.h>

#include "gfx.h"
#include "viewstate.h"

struct Tutorial;

typedef struct {
    int w, h;                            /* output size the geometry is for */
    int L, B, C;                         /* network shape drawn */
    int nsteps;                          /* slider steps */
    SDL_FRect header;                    /* the top line */
    SDL_FRect net;                       /* network pane */
    SDL_FRect router;                    /* the input node */
    SDL_FRect block[RT_MAX_L][RT_MAX_B]; /* block l, i */
    SDL_FRect cls[RT_MAX_C];             /* class node c */
    SDL_FRect side;                      /* traced image pane */
    SDL_FRect img;                       /* the image itself */
    SDL_FRect bars;                      /* the prediction bars */
    SDL_FRect slider;                    /* θ slider pane */
    SDL_FRect track;                     /* its track: step 0 at the left, the last at the right */
    SDL_FRect gallery;                   /* gallery pane */
    SDL_FRect cell[2][VS_GALLERY];       /* [0] easiest, [1] hardest thumbnails */
    SDL_FRect stats;                     /* training stats pane */
    SDL_FRect plot[2];                   /* [0] loss, [1] test accuracy */
    SDL_FRect chapter;                   /* the tutorial's chapter pane (w = 0: none) */
    int out_w;                           /* the whole output's width (w + the chapter pane) */
} SdlGeom;

/* Geometry for a w×h output and the network shape of vs. */
void sv_layout(SdlGeom *g, int w, int h, const ViewState *vs);
/* The same with the tutorial's chapter pane at the right when `chapter`
 * (SV_CHAPTER_SHARE of the width): the live view is laid out in the rest. */
#define SV_CHAPTER_SHARE 0.3f
void sv_layout_out(SdlGeom *g, int w, int h, const ViewState *vs, int chapter);

/* Slider x of a (continuous) step position, and back (clamped). */
float sv_step_x(const SdlGeom *g, float pos);
float sv_x_step(const SdlGeom *g, float x);
/* Block under (x, y): 1 and *l, *i set, else 0. */
int sv_block_at(const SdlGeom *g, float x, float y, int *l, int *i);
/* Gallery cell under (x, y): 1 and *row (0 easy, 1 hard), *k set, else 0. */
int sv_cell_at(const SdlGeom *g, float x, float y, int *row, int *k);

typedef struct {
    float pos;          /* sweep position in steps (interpolated), clamped to the trace */
    const char *status; /* right side of the header ("training", "paused", ...), may be NULL */
    int sel_l, sel_i;   /* highlighted block, -1 none */
    const struct Tutorial *tut; /* the tutorial whose chapter pane shows (tutorial.h), NULL none */
    int hold_stats; /* sv_render: keep the training stats as last drawn (unless drawn whole) */
} SvFrame;

/* The chapter pane of t in r: "chapter 3 of 11", the title, the text wrapped
 * and scrolled (t->scroll, clamped here, not written back), the question, the
 * answer when revealed and the keys, from tutorial_lines (the terminal's pane
 * draws the same lines). shown (may be NULL) gets "chapter 3 of 11 | TITLE"
 * as drawn (and " | answer shown" when the answer was), *max_scroll (may be NULL) the largest
 * useful t->scroll. */
void sv_draw_chapter(Gfx *g, SDL_FRect r, const struct Tutorial *t, char *shown, size_t n,
                     int *max_scroll);

/* Draw one frame (gfx_begin .. gfx_flush; the caller presents or reads back). */
void sv_draw(Gfx *g, const SdlGeom *geo, const ViewState *vs, const SvFrame *f);

/* The view drawn on a target surface, pane by pane, redrawing only what
 * changed:
 *   - the slow-changing half of every pane (boxes, titles, labels, slider
 *     ticks, the gallery) is a cached background surface, redrawn only when
 *     what it shows changed;
 *   - each pane's moving half (SV_REG_*) is redrawn, over its piece of the
 *     background, only when a key of what it shows (the trace's serial, the
 *     sweep position, the numbers it prints) changed;
 *   - the network pane is drawn at whole θ steps into a few cached surfaces;
 *     between steps a and a + 1 the frame is the two pictures mixed at the
 *     fraction reached (one SSE2 pass), so blocks and gates fade in smoothly
 *     while the curves are stroked once per step, not once per frame.
 * sv_render reports the rectangles it changed (dirty), for the window to
 * send only those to the display. */
enum {
    SV_REG_HEADER = 0, /* the status at the right of the header */
    SV_REG_NET,        /* gates, blocks, class nodes */
    SV_REG_IMAGE,      /* the traced image */
    SV_REG_BARS,       /* its class bars */
    SV_REG_ANSWER,     /* its answer and cost under the image */
    SV_REG_THETA,      /* the θ readout left of the slider */
    SV_REG_KNOB,       /* the slider's fill and knob (a strip along the track) */
    SV_REG_STATS,      /* training numbers and plots */
    SV_REG_CHAPTER,    /* the tutorial's chapter pane */
    SV_NREG
};
#define SV_NETCACHE 3 /* network pictures kept (steps a, a + 1 and the one before) */

typedef struct {
    SDL_Surface *s; /* the network pane at one whole step (pane-sized) */
    uint64_t key;   /* what it shows, 0 = nothing */
    uint64_t used;  /* frame it was last used in */
} SvNetPic;

#define SV_MAXDIRTY 192 /* rectangles a frame reports at most */

typedef struct {
    Gfx g;                     /* drawing on the target */
    Gfx gb;                    /* drawing on bg */
    Gfx gn;                    /* drawing the network pictures (on ns) */
    int have;                  /* g, gb and gn are initialised */
    SDL_Surface *target;       /* where frames go (borrowed) */
    SDL_Surface *bg;           /* the cached background layer */
    SDL_Surface *ns;           /* where network pictures are drawn before they are kept */
    uint64_t key;              /* what bg shows (0 = nothing yet) */
    uint64_t rkey[SV_NREG];    /* what each pane's moving half shows (0 = redraw) */
    SvNetPic net[SV_NETCACHE]; /* network pictures at whole steps */
    uint64_t mix_a, mix_b;     /* the two pictures the target's network pane mixes (0 none) */
    int net_ok;                /* the target's network pane holds the last mix (not drawn over) */
    SDL_Rect net_r;            /* that pane's rectangle */
    uint64_t knob_tk;          /* what the slider's knob strip showed last (0 = redraw it whole) */
    float knob_x;              /* where its knob was */
    int tile_w, tile_h;        /* tiles of the pane compared between them */
    int ntx, nty;              /* tiles across, down */
    uint8_t tile_diff[4096];   /* 1: the two pictures differ in that tile */
    uint8_t tile_out[4096];    /* 1: that tile of the target changed this frame */
    long mix_px;               /* network pixels mixed (statistics) */
    uint64_t frame;            /* frames rendered */
    int force;                 /* set by the caller: redraw and report the whole frame */
    int full;                  /* out: the whole frame changed */
    int ndirty;                /* out: rectangles changed (when !full) */
    SDL_Rect dirty[SV_MAXDIRTY]; /* out: those rectangles */
    long bg_draws;               /* times bg was drawn (statistics) */
    long net_draws;              /* network pictures drawn (statistics) */
    long pane_draws[SV_NREG];    /* moving halves drawn (statistics) */
    SdlGeom geo;                 /* the last frame's geometry */
    char chapter_shown[320];     /* what the chapter pane showed last ("" none) */
    int chapter_max_scroll;      /* the largest useful scroll of its text */
} SvCanvas;
/* target: a 32-bit surface (ARGB8888 or RGB888). 0 or -1. */
int sv_canvas_init(SvCanvas *c, SDL_Surface *target, RtErr *e);
/* The target changed (size or surface). 0 or -1. */
int sv_canvas_resize(SvCanvas *c, SDL_Surface *target, RtErr *e);
void sv_canvas_free(SvCanvas *c);
/* One frame of vs on the target: what changed since the last one (c->full,
 * c->dirty). Draws nothing when nothing changed. */
void sv_render(SvCanvas *c, const ViewState *vs, const SvFrame *f);

/* The interpolated state at pos (what sv_draw shows; tests read it too). */
typedef struct {
    float theta;                                /* θ */
    float router[RT_MAX_B];                     /* input gates */
    float rate[RT_MAX_L][RT_MAX_B];             /* firing rates */
    float act[RT_MAX_L][RT_MAX_B];              /* activity 0..1 (1 = active) */
    float gate[RT_MAX_L][RT_MAX_B][RT_MAX_C];   /* gate values (to blocks or classes) */
    float flow[RT_MAX_C], prob[RT_MAX_C], mass; /* class flows, p, M */
    int step;                                   /* the nearest schedule step */
} SvState;
void sv_state(const RtTrace *t, float pos, SvState *s);

#endif
