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

/* {r,g,b}, rgb_bg, rgb/256 style, fg8, bg8, 8-colour style, mono style, fg256, bg256 */
#define ROW(R, G, Bl, sty, f8, b8, s8, mono)                                                       \
    { {R, G, Bl}, NONE, sty, f8, b8, s8, mono, -2, NONE }

const RoleStyle PALETTE[CLR_COUNT] = {
    [CLR_TEXT] = ROW(208, 208, 208, 0, NONE, NONE, 0, 0),
    [CLR_DIM] = ROW(128, 128, 128, 0, WHT, NONE, D, D),
    [CLR_TITLE] = ROW(135, 215, 255, B, CYN, NONE, B, B),
    [CLR_BORDER] = ROW(88, 88, 88, 0, BLU, NONE, 0, D),
    [CLR_BLOCK_DARK] = ROW(68, 68, 68, 0, WHT, NONE, D, D),
    /* lit blocks are filled cells: brightness = firing rate */
    [CLR_BLOCK_LIT_0 + 0] = ROW(95, 95, 0, RV, YEL, NONE, D | RV, D | RV),
    [CLR_BLOCK_LIT_0 + 1] = ROW(135, 135, 0, RV, YEL, NONE, D | RV, D | RV),
    [CLR_BLOCK_LIT_0 + 2] = ROW(175, 175, 0, RV, YEL, NONE, RV, RV),
    [CLR_BLOCK_LIT_0 + 3] = ROW(215, 215, 0, RV, YEL, NONE, RV, RV),
    [CLR_BLOCK_LIT_0 + 4] = ROW(255, 255, 95, RV, YEL, NONE, B | RV, B | RV),
    [CLR_BLOCK_LIT_0 + 5] = ROW(255, 255, 215, RV, WHT, NONE, B | RV, B | RV),
    [CLR_GATE_0 + 0] = ROW(78, 78, 78, 0, BLU, NONE, D, D),
    [CLR_GATE_0 + 1] = ROW(0, 135, 175, 0, CYN, NONE, 0, 0),
    [CLR_GATE_0 + 2] = ROW(95, 215, 255, 0, CYN, NONE, B, B),
    [CLR_ROUTER] = ROW(175, 135, 255, RV, MAG, NONE, B | RV, B | RV),
    [CLR_CLASS] = ROW(255, 175, 95, 0, YEL, NONE, 0, 0),
    [CLR_THETA] = ROW(255, 215, 0, B, YEL, NONE, B, B),
    [CLR_TAU] = ROW(95, 215, 135, 0, GRN, NONE, B, B),
    [CLR_FLOOR] = ROW(255, 95, 95, 0, RED, NONE, B, B),
    [CLR_STOP] = ROW(255, 95, 255, 0, MAG, NONE, B, B | U),
    [CLR_GOOD] = ROW(95, 215, 95, 0, GRN, NONE, 0, 0),
    [CLR_BAD] = ROW(255, 95, 95, 0, RED, NONE, B, B),
    [CLR_WARN] = ROW(255, 175, 0, 0, YEL, NONE, B, B),
    [CLR_BAR] = ROW(95, 135, 175, 0, BLU, NONE, B, 0),
    [CLR_BAR_TOP] = ROW(135, 215, 255, 0, CYN, NONE, B, B),
    [CLR_SPARK_LOSS] = ROW(255, 135, 95, 0, RED, NONE, 0, 0),
    [CLR_SPARK_ACC] = ROW(95, 215, 95, 0, GRN, NONE, 0, 0),
    /* a key name: black on cyan, shown reversed, at 256 colours too */
    [CLR_KEY] = {{0, 175, 175}, 0x000000, RV, BLK, CYN, RV, RV, BLK, CYN},
    [CLR_KEY_LABEL] = {{188, 188, 188}, NONE, 0, NONE, NONE, 0, 0, NONE, NONE},
    [CLR_CURSOR] = ROW(255, 0, 175, RV, MAG, NONE, B | RV, RV),
    [CLR_THETA_MARK] = ROW(255, 215, 0, B | RV, YEL, NONE, B | RV, B | RV),
    [CLR_LABEL] = ROW(208, 208, 208, B, NONE, NONE, B, B),
    [CLR_CLASS_TOP] = ROW(135, 215, 255, B, CYN, NONE, B, B),
    [CLR_PAUSED] = ROW(255, 175, 0, RV, YEL, NONE, B | RV, B | RV),
    [CLR_CONF_DIAG] = ROW(95, 215, 95, B, GRN, NONE, B, B),
    [CLR_CONF_HOT] = ROW(255, 95, 95, B, RED, NONE, B, B),
    [CLR_CONF_OFF] = ROW(255, 95, 95, 0, RED, NONE, B, B),
    [CLR_NOTE_FRAME] = ROW(255, 175, 0, B, YEL, NONE, B, B),
    [CLR_NOTE_TITLE] = ROW(255, 175, 0, B | RV, YEL, NONE, B | RV, B | RV),
    [CLR_ERROR_FRAME] = ROW(255, 95, 95, B, RED, NONE, B, B),
    [CLR_ERROR_TITLE] = ROW(255, 95, 95, B | RV, RED, NONE, B | RV, B | RV),
};

#define RGB_OF(r) PALETTE[r].rgb
const Rgb PALETTE_RGB[CLR_COUNT] = {
#define X(r) [r] = RGB_OF(r)
    X(CLR_TEXT),
    X(CLR_DIM),
    X(CLR_TITLE),
    X(CLR_BORDER),
    X(CLR_BLOCK_DARK),
    X(CLR_BLOCK_LIT_0),
    X(CLR_BLOCK_LIT_0 + 1),
    X(CLR_BLOCK_LIT_0 + 2),
    X(CLR_BLOCK_LIT_0 + 3),
    X(CLR_BLOCK_LIT_0 + 4),
    X(CLR_BLOCK_LIT_0 + 5),
    X(CLR_GATE_0),
    X(CLR_GATE_0 + 1),
    X(CLR_GATE_0 + 2),
    X(CLR_ROUTER),
    X(CLR_CLASS),
    X(CLR_THETA),
    X(CLR_TAU),
    X(CLR_FLOOR),
    X(CLR_STOP),
    X(CLR_GOOD),
    X(CLR_BAD),
    X(CLR_WARN),
    X(CLR_BAR),
    X(CLR_BAR_TOP),
    X(CLR_SPARK_LOSS),
    X(CLR_SPARK_ACC),
    X(CLR_KEY),
    X(CLR_KEY_LABEL),
    X(CLR_CURSOR),
    X(CLR_THETA_MARK),
    X(CLR_LABEL),
    X(CLR_CLASS_TOP),
    X(CLR_PAUSED),
    X(CLR_CONF_DIAG),
    X(CLR_CONF_HOT),
    X(CLR_CONF_OFF),
    X(CLR_NOTE_FRAME),
    X(CLR_NOTE_TITLE),
    X(CLR_ERROR_FRAME),
    X(CLR_ERROR_TITLE),
#undef X
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
            k = (RoleLook){palette_rgb_to_xterm256(s->rgb), s->bg256, s->rgb_sty};
        else
            k = (RoleLook){s->fg256, s->bg256, s->sty8};
        break;
    case PAL_RGB:
        k = (RoleLook){(s->rgb.r << 16) | (s->rgb.g << 8) | s->rgb.b, s->rgb_bg, s->rgb_sty};
        break;
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
