/* palette.h — colour ROLES shared by every front end (htop style).
 *
 * Drawing code names a role (what a thing is), never a colour. The terminal
 * maps roles per scheme (256 colours, 8 colours, monochrome attributes); the
 * SDL projector view uses the same RGB table, so both share one palette. */
#ifndef RTVIZ_PALETTE_H
#define RTVIZ_PALETTE_H

#include <stdint.h>

#define CLR_LIT_LEVELS  6 /* brightness steps of an active block (rate ramp) */
#define CLR_GATE_LEVELS 3 /* gate line weights: weak, medium, strong */

typedef enum {
    CLR_TEXT = 0,                                              /* ordinary text */
    CLR_DIM,                                                   /* secondary text, captions */
    CLR_TITLE,                                                 /* pane titles */
    CLR_BORDER,                                                /* pane boxes */
    CLR_BLOCK_DARK,                                            /* an inactive block */
    CLR_BLOCK_LIT_0,                                           /* an active block, dimmest ... */
    CLR_BLOCK_LIT_LAST = CLR_BLOCK_LIT_0 + CLR_LIT_LEVELS - 1, /* ... brightest */
    CLR_GATE_0,                                                /* gate lines, weakest ... */
    CLR_GATE_LAST = CLR_GATE_0 + CLR_GATE_LEVELS - 1,          /* ... strongest */
    CLR_ROUTER,                                                /* the input node */
    CLR_CLASS,                                                 /* class nodes */
    CLR_THETA,                                                 /* θ marker and value */
    CLR_TAU,                                                   /* τ */
    CLR_FLOOR,                                                 /* θ floor */
    CLR_STOP,                                                  /* the sweep's stop step */
    CLR_GOOD,       /* correct prediction, improving numbers */
    CLR_BAD,        /* wrong prediction, unreached */
    CLR_WARN,       /* notices */
    CLR_BAR,        /* prediction bars */
    CLR_BAR_TOP,    /* the predicted class's bar */
    CLR_SPARK_LOSS, /* loss sparkline */
    CLR_SPARK_ACC,  /* accuracy sparkline */
    CLR_KEY,        /* a key in the key line / help */
    CLR_KEY_LABEL,  /* its label */
    CLR_CURSOR,     /* draw-mode cursor, selected gallery cell */
    CLR_COUNT
} ColorRole;

typedef struct {
    uint8_t r, g, b; /* 0..255 */
} Rgb;

/* The one role → RGB table (dark background assumed; the terminal keeps its
 * own background through use_default_colors). */
extern const Rgb PALETTE_RGB[CLR_COUNT];

/* Role of an active block with firing rate `rate` in [0,1] (brightness = rate). */
ColorRole palette_lit_role(float rate);
/* Brightness level 0..n-1 of v in [0,1] (clamped; v <= 0 gives 0, v >= 1 gives n-1). */
int palette_level(float v, int n);
/* Weight level 0..CLR_GATE_LEVELS-1 of a gate value (rate units), -1 when too
 * small to draw. */
int palette_gate_level(float g);

#endif
