/* palette.h — colour ROLES shared by every front end (htop style), and the
 * one table that says how each role looks at every colour depth.
 *
 * Drawing code names a role (what a thing is), never a colour, and never
 * adds bold or reverse itself: a role that is drawn bold or in reverse (a
 * lit block, a key name, the alert's title) is a role of its own, and the
 * table gives, per role, foreground, background and style for 24-bit RGB
 * (SDL, PNG), 256 colours, 8 colours and monochrome (attributes only). The
 * terminal maps a role to curses attributes from this table (tui/color.c),
 * the SDL window and PNG renderers take the RGB column. */
#ifndef RTVIZ_PALETTE_H
#define RTVIZ_PALETTE_H

#include <stdint.h>

#define CLR_LIT_LEVELS  6 /* brightness steps of an active block (rate ramp) */
#define CLR_GATE_LEVELS 3 /* gate line weights: weak, medium, strong */

typedef enum {
    CLR_TEXT = 0,                                              /* ordinary text */
    CLR_DIM,                                                   /* secondary text, captions */
    CLR_TITLE,                                                 /* pane titles, focused boxes */
    CLR_BORDER,                                                /* pane boxes */
    CLR_BLOCK_DARK,                                            /* an inactive block */
    CLR_BLOCK_LIT_0,                                           /* an active block, dimmest ... */
    CLR_BLOCK_LIT_LAST = CLR_BLOCK_LIT_0 + CLR_LIT_LEVELS - 1, /* ... brightest (filled cells) */
    CLR_GATE_0,                                                /* gate lines, weakest ... */
    CLR_GATE_LAST = CLR_GATE_0 + CLR_GATE_LEVELS - 1,          /* ... strongest */
    CLR_ROUTER,                                                /* the input node (filled) */
    CLR_CLASS,                                                 /* class nodes */
    CLR_THETA,                                                 /* θ value */
    CLR_TAU,                                                   /* τ */
    CLR_FLOOR,                                                 /* θ floor */
    CLR_STOP,                                                  /* the sweep's stop step */
    CLR_GOOD,        /* correct prediction, improving numbers */
    CLR_BAD,         /* wrong prediction, unreached */
    CLR_WARN,        /* notices */
    CLR_BAR,         /* prediction bars */
    CLR_BAR_TOP,     /* the predicted class's bar */
    CLR_SPARK_LOSS,  /* loss sparkline */
    CLR_SPARK_ACC,   /* accuracy sparkline */
    CLR_KEY,         /* a key name in the key line / help (filled) */
    CLR_KEY_LABEL,   /* its label */
    CLR_CURSOR,      /* draw-mode cursor, selected gallery cell */
    CLR_THETA_MARK,  /* the θ marker on the gauge (filled) */
    CLR_LABEL,       /* the traced image's heading (bold text) */
    CLR_CLASS_TOP,   /* the predicted class node (bold) */
    CLR_PAUSED,      /* the "paused" badge (filled) */
    CLR_CONF_DIAG,   /* confusion matrix: a correct count (bold) */
    CLR_CONF_HOT,    /* confusion matrix: a large confusion (bold) */
    CLR_CONF_OFF,    /* confusion matrix: a small confusion */
    CLR_NOTE_FRAME,  /* the alert's box, a notice */
    CLR_NOTE_TITLE,  /* the alert's title, a notice (filled) */
    CLR_ERROR_FRAME, /* the alert's box, an error */
    CLR_ERROR_TITLE, /* the alert's title, an error (filled) */
    CLR_COUNT
} ColorRole;

typedef struct {
    uint8_t r, g, b; /* 0..255 */
} Rgb;

/* Style bits of a role. */
enum {
    STY_BOLD = 1u << 0,
    STY_DIM = 1u << 1,
    STY_REVERSE = 1u << 2,
    STY_UNDERLINE = 1u << 3,
};

/* Colour depths a front end draws at. */
typedef enum {
    PAL_MONO = 0, /* attributes only */
    PAL_8,        /* the 8 ANSI colours */
    PAL_256,      /* the xterm-256 palette */
    PAL_RGB       /* 24-bit colour (SDL, PNG, direct-colour terminals) */
} PaletteDepth;

/* How a role looks at one depth. */
typedef struct {
    int fg, bg;     /* PAL_8: 0..7; PAL_256: 0..255; PAL_RGB: 0xRRGGBB; -1 = the default
                     * (the terminal's own colour; for PAL_RGB the canvas's) */
    unsigned style; /* STY_* bits */
} RoleLook;

/* One row of the table: a role at every depth. */
typedef struct {
    int rgb_bg;       /* 24-bit background 0xRRGGBB, -1 none */
    unsigned rgb_sty; /* 24-bit and 256-colour style */
    int fg8, bg8;     /* 8 colours: COLOR_* numbers 0..7, -1 default */
    unsigned sty8;    /* 8-colour style */
    unsigned mono;    /* monochrome style */
    int fg256, bg256; /* 256 colours: explicit indices, -2 = fg from PALETTE_RGB, -1 default */
} RoleStyle;

/* The table, indexed by ColorRole. */
extern const RoleStyle PALETTE[CLR_COUNT];
/* Its 24-bit foreground column (what SDL / PNG draw with; at 256 colours the
 * nearest xterm index, unless the row names one). */
extern const Rgb PALETTE_RGB[CLR_COUNT];

/* Role r at depth d (out-of-range roles look like CLR_TEXT). */
RoleLook palette_look(ColorRole r, PaletteDepth d);
/* Nearest xterm-256 palette index (cube 16..231 or grey 232..255) of an RGB. */
int palette_rgb_to_xterm256(Rgb c);

/* Role of an active block with firing rate `rate` in [0,1] (brightness = rate). */
ColorRole palette_lit_role(float rate);
/* Brightness level 0..n-1 of v in [0,1] (clamped; v <= 0 gives 0, v >= 1 gives n-1). */
int palette_level(float v, int n);
/* Weight level 0..CLR_GATE_LEVELS-1 of a gate value (rate units), -1 when too
 * small to draw. */
int palette_gate_level(float g);

#endif
