/* test_color.c — colour-scheme selection and the 256-colour mapping
 * (src/ui/tui/color.c). */
#include <criterion/criterion.h>

#include "tui/tui.h"

Test(color, scheme_selection) {
    cr_assert_eq(tui_scheme_select(0, NULL, 1, 256), SCHEME_256);
    cr_assert_eq(tui_scheme_select(0, NULL, 1, 8), SCHEME_8);
    cr_assert_eq(tui_scheme_select(0, NULL, 1, 16), SCHEME_8);
    cr_assert_eq(tui_scheme_select(0, NULL, 0, 256), SCHEME_MONO, "no colour support");
    cr_assert_eq(tui_scheme_select(0, NULL, 1, 2), SCHEME_MONO);
    cr_assert_eq(tui_scheme_select(1, NULL, 1, 256), SCHEME_MONO, "--no-color");
    cr_assert_eq(tui_scheme_select(0, "1", 1, 256), SCHEME_MONO, "NO_COLOR=1");
    cr_assert_eq(tui_scheme_select(0, "", 1, 256), SCHEME_256, "empty NO_COLOR is ignored");
}

Test(color, xterm256_mapping) {
    cr_assert_eq(tui_rgb_to_xterm256((Rgb){0, 0, 0}), 16);
    cr_assert_eq(tui_rgb_to_xterm256((Rgb){255, 255, 255}), 231);
    cr_assert_eq(tui_rgb_to_xterm256((Rgb){255, 0, 0}), 196);
    cr_assert_eq(tui_rgb_to_xterm256((Rgb){95, 135, 175}), 16 + 36 * 1 + 6 * 2 + 3);
    int g = tui_rgb_to_xterm256((Rgb){128, 128, 128});
    cr_assert(g >= 232 && g <= 255, "mid grey maps to the grey ramp, got %d", g);
    for (int r = 0; r < CLR_COUNT; r++) {
        int k = tui_rgb_to_xterm256(PALETTE_RGB[r]);
        cr_assert(k >= 16 && k <= 255);
    }
}

Test(color, grey_levels) {
    cr_assert_eq(tui_grey_level(0), 0);
    cr_assert_eq(tui_grey_level(255), TUI_GREYS - 1);
    int prev = 0;
    for (int v = 0; v < 256; v++) {
        int k = tui_grey_level((uint8_t)v);
        cr_assert(k >= prev && k < TUI_GREYS);
        prev = k;
    }
}
