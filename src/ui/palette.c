/* palette.c — the colour-role table (palette.h) and brightness scaling.
 *
 * One row per role: the 24-bit colour (which also gives the 256-colour
 * index, the nearest xterm colour, unless the row names one), the 8-colour
 * fallback and the monochrome attributes, each with its own style. Roles
 * that are drawn filled (reverse) or bold carry that in their style. */
#include "palette.h"

enum { BLK = 0, RED, GRN, YEL, BLU, MAG, CYN, WHT }; /* the ANSI numbers (curses COLOR_*) */
#define NONE (-1)
#define B    STY_BOLD
#define D    STY_DIM
#define RV   STY_REVERSE
#define U    STY_UNDERLINE

/* rgb_bg, rgb/256 style, fg8, bg8, 8-colour style, mono style, fg256, bg256 (the 24-bit
 * foreground of each role is PALETTE_RGB below) */
#define ROW(sty, f8, b8, s8, mono)                                                                 \
    { NONE, sty, f8, b8, s8, mono, -2, NONE }

const RoleStyle PALETTE[CLR_COUNT] = {
    [CLR_TEXT] = ROW(0, NONE, NONE, 0, 0),
    [CLR_DIM] = ROW(0, WHT, NONE, D, D),
    [CLR_TITLE] = ROW(B, CYN, NONE, B, B),
    [CLR_BORDER] = ROW(0, BLU, NONE, 0, D),
    [CLR_BLOCK_DARK] = ROW(0, WHT, NONE, D, D),
    /* lit blocks are filled cells: brightness = firing rate */
    [CLR_BLOCK_LIT_0 + 0] = ROW(RV, YEL, NONE, D | RV, D | RV),
    [CLR_BLOCK_LIT_0 + 1] = ROW(RV, YEL, NONE, D | RV, D | RV),
    [CLR_BLOCK_LIT_0 + 2] = ROW(RV, YEL, NONE, RV, RV),
    [CLR_BLOCK_LIT_0 + 3] = ROW(RV, YEL, NONE, RV, RV),
    [CLR_BLOCK_LIT_0 + 4] = ROW(RV, YEL, NONE, B | RV, B | RV),
    [CLR_BLOCK_LIT_0 + 5] = ROW(RV, WHT, NONE, B | RV, B | RV),
    [CLR_GATE_0 + 0] = ROW(0, BLU, NONE, D, D),
    [CLR_GATE_0 + 1] = ROW(0, CYN, NONE, 0, 0),
    [CLR_GATE_0 + 2] = ROW(0, CYN, NONE, B, B),
    [CLR_ROUTER] = ROW(RV, MAG, NONE, B | RV, B | RV),
    [CLR_CLASS] = ROW(0, YEL, NONE, 0, 0),
    [CLR_THETA] = ROW(B, YEL, NONE, B, B),
    [CLR_TAU] = ROW(0, GRN, NONE, B, B),
    [CLR_FLOOR] = ROW(0, RED, NONE, B, B),
    [CLR_STOP] = ROW(0, MAG, NONE, B, B | U),
    [CLR_GOOD] = ROW(0, GRN, NONE, 0, 0),
    [CLR_BAD] = ROW(0, RED, NONE, B, B),
    [CLR_WARN] = ROW(0, YEL, NONE, B, B),
    [CLR_BAR] = ROW(0, BLU, NONE, B, 0),
    [CLR_BAR_TOP] = ROW(0, CYN, NONE, B, B),
    [CLR_SPARK_LOSS] = ROW(0, RED, NONE, 0, 0),
    [CLR_SPARK_ACC] = ROW(0, GRN, NONE, 0, 0),
    /* a key name: black on cyan, shown reversed, at 256 colours too */
    [CLR_KEY] = {0x00afaf, RV, BLK, CYN, RV, RV, BLK, CYN},
    [CLR_KEY_LABEL] = {NONE, 0, NONE, NONE, 0, 0, NONE, NONE},
    [CLR_CURSOR] = ROW(RV, MAG, NONE, B | RV, RV),
    [CLR_THETA_MARK] = ROW(B | RV, YEL, NONE, B | RV, B | RV),
    [CLR_LABEL] = ROW(B, NONE, NONE, B, B),
    [CLR_CLASS_TOP] = ROW(B, CYN, NONE, B, B),
    [CLR_PAUSED] = ROW(RV, YEL, NONE, B | RV, B | RV),
    [CLR_CONF_DIAG] = ROW(B, GRN, NONE, B, B),
    [CLR_CONF_HOT] = ROW(B, RED, NONE, B, B),
    [CLR_CONF_OFF] = ROW(0, RED, NONE, B, B),
    [CLR_NOTE_FRAME] = ROW(B, YEL, NONE, B, B),
    [CLR_NOTE_TITLE] = ROW(B | RV, YEL, NONE, B | RV, B | RV),
    [CLR_ERROR_FRAME] = ROW(B, RED, NONE, B, B),
    [CLR_ERROR_TITLE] = ROW(B | RV, RED, NONE, B | RV, B | RV),
};

const Rgb PALETTE_RGB[CLR_COUNT] = {
    [CLR_TEXT] = {208, 208, 208},
    [CLR_DIM] = {128, 128, 128},
    [CLR_TITLE] = {135, 215, 255},
    [CLR_BORDER] = {88, 88, 88},
    [CLR_BLOCK_DARK] = {68, 68, 68},
    [CLR_BLOCK_LIT_0 + 0] = {95, 95, 0},
    [CLR_BLOCK_LIT_0 + 1] = {135, 135, 0},
    [CLR_BLOCK_LIT_0 + 2] = {175, 175, 0},
    [CLR_BLOCK_LIT_0 + 3] = {215, 215, 0},
    [CLR_BLOCK_LIT_0 + 4] = {255, 255, 95},
    [CLR_BLOCK_LIT_0 + 5] = {255, 255, 215},
    [CLR_GATE_0 + 0] = {78, 78, 78},
    [CLR_GATE_0 + 1] = {0, 135, 175},
    [CLR_GATE_0 + 2] = {95, 215, 255},
    [CLR_ROUTER] = {175, 135, 255},
    [CLR_CLASS] = {255, 175, 95},
    [CLR_THETA] = {255, 215, 0},
    [CLR_TAU] = {95, 215, 135},
    [CLR_FLOOR] = {255, 95, 95},
    [CLR_STOP] = {255, 95, 255},
    [CLR_GOOD] = {95, 215, 95},
    [CLR_BAD] = {255, 95, 95},
    [CLR_WARN] = {255, 175, 0},
    [CLR_BAR] = {95, 135, 175},
    [CLR_BAR_TOP] = {135, 215, 255},
    [CLR_SPARK_LOSS] = {255, 135, 95},
    [CLR_SPARK_ACC] = {95, 215, 95},
    [CLR_CURSOR] = {255, 0, 175},
    [CLR_THETA_MARK] = {255, 215, 0},
    [CLR_LABEL] = {208, 208, 208},
    [CLR_CLASS_TOP] = {135, 215, 255},
    [CLR_PAUSED] = {255, 175, 0},
    [CLR_CONF_DIAG] = {95, 215, 95},
    [CLR_CONF_HOT] = {255, 95, 95},
    [CLR_CONF_OFF] = {255, 95, 95},
    [CLR_NOTE_FRAME] = {255, 175, 0},
    [CLR_NOTE_TITLE] = {255, 175, 0},
    [CLR_ERROR_FRAME] = {255, 95, 95},
    [CLR_ERROR_TITLE] = {255, 95, 95},
    [CLR_KEY] = {0, 0, 0},
    [CLR_KEY_LABEL] = {188, 188, 188},
};

static int cube_index(int v) { return v < 48 ? 0 : v < 115 ? 1 : (v - 35) / 40; }

int palette_rgb_to_xterm256(Rgb c) {
    static const int lv[6] = {0, 95, 135, 175, 215, 255};
    int ri = cube_index(c.r), gi = cube_index(c.g), bi = cube_index(c.b);
    int cr = lv[ri], cg = lv[gi], cb = lv[bi];
    long dc = (long)(cr - c.r) * (cr - c.r) + (long)(cg - c.g) * (cg - c.g) +
              (long)(cb - c.b) * (cb - c.b);
    int avg = (c.r + c.g + c.b) / 3;
    int gi2 = avg > 238 ? 23 : avg < 8 ? 0 : (avg - 8) / 10;
    int gv = 8 + 10 * gi2;
    long dg = (long)(gv - c.r) * (gv - c.r) + (long)(gv - c.g) * (gv - c.g) +
              (long)(gv - c.b) * (gv - c.b);
    if (dg < dc) return 232 + gi2;
    return 16 + 36 * ri + 6 * gi + bi;
}

RoleLook palette_look(ColorRole r, PaletteDepth d) {
    if (r < 0 || r >= CLR_COUNT) r = CLR_TEXT;
    const RoleStyle *s = &PALETTE[r];
    RoleLook k = {NONE, NONE, 0};
    switch (d) {
    case PAL_MONO:
        k.style = s->mono;
        break;
    case PAL_8:
        k = (RoleLook){s->fg8, s->bg8, s->sty8};
        break;
    case PAL_256:
        if (s->fg256 == -2)
            k = (RoleLook){palette_rgb_to_xterm256(PALETTE_RGB[r]), s->bg256, s->rgb_sty};
        else
            k = (RoleLook){s->fg256, s->bg256, s->sty8};
        break;
    case PAL_RGB: {
        Rgb c = PALETTE_RGB[r];
        k = (RoleLook){(c.r << 16) | (c.g << 8) | c.b, s->rgb_bg, s->rgb_sty};
        break;
    }
    }
    return k;
}

int palette_level(float v, int n) {
    if (n <= 1 || !(v > 0.0f)) return 0; /* also catches NaN */
    if (v >= 1.0f) return n - 1;
    int k = (int)(v * (float)n);
    return k >= n ? n - 1 : k;
}

ColorRole palette_lit_role(float rate) {
    return (ColorRole)(CLR_BLOCK_LIT_0 + palette_level(rate, CLR_LIT_LEVELS));
}

int palette_gate_level(float g) {
    if (!(g >= 0.01f)) return -1;
    if (g < 0.05f) return 0;
    if (g < 0.2f) return 1;
    return 2;
}
