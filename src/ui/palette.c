/* palette.c — the role → RGB table and brightness scaling (palette.h). */
#include "palette.h"

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
    [CLR_KEY] = {0, 0, 0},
    [CLR_KEY_LABEL] = {188, 188, 188},
    [CLR_CURSOR] = {255, 0, 175},
};

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
