/* color.c — colour roles mapped per scheme: 256 colours (from the shared RGB
 * table in palette.c), 8 colours, monochrome (attributes only). */
#include <stdlib.h>
#include <string.h>

#include "tui.h"

int tui_utf8 = 1;

static TuiScheme g_scheme = SCHEME_MONO;
static attr_t g_attr[CLR_COUNT];
static int g_grey_base = 0; /* first pair of the grey ramp, 0 = none */

TuiScheme tui_scheme_select(int no_color_flag, const char *no_color_env, int has_colors,
                            int ncolors) {
    if (no_color_flag) return SCHEME_MONO;
    if (no_color_env && no_color_env[0]) return SCHEME_MONO; /* no-color.org: non-empty */
    if (!has_colors || ncolors < 8) return SCHEME_MONO;
    if (ncolors >= 256) return SCHEME_256;
    return SCHEME_8;
}

TuiScheme tui_scheme(void) { return g_scheme; }

static int cube_index(int v) { return v < 48 ? 0 : v < 115 ? 1 : (v - 35) / 40; }

int tui_rgb_to_xterm256(Rgb c) {
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

/* 8-colour and monochrome mappings: {colour, attributes}. */
typedef struct {
    short fg, bg; /* COLOR_* (-1 default) */
    attr_t a8;    /* attributes with 8 colours */
    attr_t mono;  /* attributes without colour */
} Fallback;

static Fallback fallback(ColorRole r) {
    if (r >= CLR_BLOCK_LIT_0 && r <= CLR_BLOCK_LIT_LAST) {
        int k = r - CLR_BLOCK_LIT_0; /* 0..5: dim yellow .. bold white */
        if (k < 2) return (Fallback){COLOR_YELLOW, -1, A_DIM, A_DIM};
        if (k < 4) return (Fallback){COLOR_YELLOW, -1, 0, 0};
        if (k < 5) return (Fallback){COLOR_YELLOW, -1, A_BOLD, A_BOLD};
        return (Fallback){COLOR_WHITE, -1, A_BOLD, A_BOLD | A_REVERSE};
    }
    if (r >= CLR_GATE_0 && r <= CLR_GATE_LAST) {
        int k = r - CLR_GATE_0;
        return (Fallback){k == 0 ? COLOR_BLUE : COLOR_CYAN, -1,
                          k == 2   ? A_BOLD
                          : k == 0 ? A_DIM
                                   : 0,
                          k == 2   ? A_BOLD
                          : k == 0 ? A_DIM
                                   : 0};
    }
    switch (r) {
    case CLR_DIM:
        return (Fallback){COLOR_WHITE, -1, A_DIM, A_DIM};
    case CLR_TITLE:
        return (Fallback){COLOR_CYAN, -1, A_BOLD, A_BOLD};
    case CLR_BORDER:
        return (Fallback){COLOR_BLUE, -1, 0, A_DIM};
    case CLR_BLOCK_DARK:
        return (Fallback){COLOR_WHITE, -1, A_DIM, A_DIM};
    case CLR_ROUTER:
        return (Fallback){COLOR_MAGENTA, -1, A_BOLD, A_BOLD};
    case CLR_CLASS:
        return (Fallback){COLOR_YELLOW, -1, 0, 0};
    case CLR_THETA:
        return (Fallback){COLOR_YELLOW, -1, A_BOLD, A_BOLD};
    case CLR_TAU:
        return (Fallback){COLOR_GREEN, -1, A_BOLD, A_BOLD};
    case CLR_FLOOR:
        return (Fallback){COLOR_RED, -1, A_BOLD, A_BOLD};
    case CLR_STOP:
        return (Fallback){COLOR_MAGENTA, -1, A_BOLD, A_BOLD | A_UNDERLINE};
    case CLR_GOOD:
        return (Fallback){COLOR_GREEN, -1, 0, 0};
    case CLR_BAD:
        return (Fallback){COLOR_RED, -1, A_BOLD, A_BOLD};
    case CLR_WARN:
        return (Fallback){COLOR_YELLOW, -1, A_BOLD, A_BOLD};
    case CLR_BAR:
        return (Fallback){COLOR_BLUE, -1, A_BOLD, 0};
    case CLR_BAR_TOP:
        return (Fallback){COLOR_CYAN, -1, A_BOLD, A_BOLD};
    case CLR_SPARK_LOSS:
        return (Fallback){COLOR_RED, -1, 0, 0};
    case CLR_SPARK_ACC:
        return (Fallback){COLOR_GREEN, -1, 0, 0};
    case CLR_KEY:
        return (Fallback){COLOR_BLACK, COLOR_CYAN, 0, A_REVERSE};
    case CLR_KEY_LABEL:
        return (Fallback){-1, -1, 0, 0};
    case CLR_CURSOR:
        return (Fallback){COLOR_MAGENTA, -1, A_BOLD | A_REVERSE, A_REVERSE};
    default:
        return (Fallback){-1, -1, 0, 0};
    }
}

static const uint8_t GREY_RAMP[TUI_GREYS] = {0,   232, 234, 236, 238, 240,
                                             243, 246, 249, 251, 253, 255};

void tui_colors_init(TuiScheme s) {
    g_scheme = s;
    g_grey_base = 0;
    memset(g_attr, 0, sizeof g_attr);
    if (s != SCHEME_MONO) {
        start_color();
        use_default_colors(); /* the terminal keeps its background (-1) */
    }
    int pair = 1;
    for (int r = 0; r < CLR_COUNT; r++) {
        Fallback f = fallback((ColorRole)r);
        if (s == SCHEME_MONO) {
            g_attr[r] = f.mono;
            continue;
        }
        if (s == SCHEME_256 && r != CLR_KEY && r != CLR_KEY_LABEL) {
            init_pair((short)pair, (short)tui_rgb_to_xterm256(PALETTE_RGB[r]), -1);
            g_attr[r] = COLOR_PAIR(pair) | (r == CLR_TITLE || r == CLR_THETA ? A_BOLD : 0);
            if (r == CLR_CURSOR) g_attr[r] |= A_REVERSE;
        } else {
            init_pair((short)pair, f.fg, f.bg);
            g_attr[r] = COLOR_PAIR(pair) | f.a8;
        }
        pair++;
    }
    if (s == SCHEME_256 && COLOR_PAIRS > pair + TUI_GREYS * TUI_GREYS) {
        g_grey_base = pair;
        for (int t = 0; t < TUI_GREYS; t++)
            for (int b = 0; b < TUI_GREYS; b++)
                init_pair((short)(pair + t * TUI_GREYS + b), t ? GREY_RAMP[t] : 16,
                          b ? GREY_RAMP[b] : 16);
    }
}

attr_t tui_attr(ColorRole r) { return (r >= 0 && r < CLR_COUNT) ? g_attr[r] : 0; }

int tui_grey_level(uint8_t v) { return (v * TUI_GREYS) / 256; }

attr_t tui_grey_pair(int top, int bottom) {
    if (!g_grey_base) return 0;
    return COLOR_PAIR(g_grey_base + top * TUI_GREYS + bottom);
}
