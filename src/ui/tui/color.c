/* color.c — colour roles as curses attributes, per scheme (256 colours, 8
 * colours, monochrome), all from the one role table in palette.c; and the
 * grey ramp of image pixels. */
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

int tui_rgb_to_xterm256(Rgb c) { return palette_rgb_to_xterm256(c); }

/* Curses attributes of a role's style bits. */
static attr_t style_attr(unsigned st) {
    attr_t a = 0;
    if (st & STY_BOLD) a |= A_BOLD;
    if (st & STY_DIM) a |= A_DIM;
    if (st & STY_REVERSE) a |= A_REVERSE;
    if (st & STY_UNDERLINE) a |= A_UNDERLINE;
    return a;
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
    /* every role from the one table (palette.c): colours and style */
    PaletteDepth d = s == SCHEME_256 ? PAL_256 : s == SCHEME_8 ? PAL_8 : PAL_MONO;
    int pair = 1;
    for (int r = 0; r < CLR_COUNT; r++) {
        RoleLook k = palette_look((ColorRole)r, d);
        if (s == SCHEME_MONO) {
            g_attr[r] = style_attr(k.style);
            continue;
        }
        init_pair((short)pair, (short)k.fg, (short)k.bg);
        g_attr[r] = COLOR_PAIR(pair) | style_attr(k.style);
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
