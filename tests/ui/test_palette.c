/* test_palette.c — brightness scaling of blocks and gates (src/ui/palette.c). */
#include <criterion/criterion.h>
#include <math.h>

#include "palette.h"

Test(palette, level_scaling) {
    cr_assert_eq(palette_level(0.0f, 6), 0);
    cr_assert_eq(palette_level(-1.0f, 6), 0);
    cr_assert_eq(palette_level(NAN, 6), 0);
    cr_assert_eq(palette_level(1.0f, 6), 5);
    cr_assert_eq(palette_level(7.0f, 6), 5);
    cr_assert_eq(palette_level(0.5f, 6), 3);
    cr_assert_eq(palette_level(0.99f, 6), 5);
    /* monotone in the rate */
    int prev = 0;
    for (float v = 0.0f; v <= 1.0f; v += 0.01f) {
        int k = palette_level(v, 6);
        cr_assert_geq(k, prev);
        prev = k;
    }
}

Test(palette, lit_role_is_brighter_for_higher_rate) {
    cr_assert_eq(palette_lit_role(0.05f), CLR_BLOCK_LIT_0);
    cr_assert_eq(palette_lit_role(1.0f), CLR_BLOCK_LIT_LAST);
    cr_assert_lt(palette_lit_role(0.2f), palette_lit_role(0.8f));
    /* the RGB ramp gets brighter too */
    for (int r = CLR_BLOCK_LIT_0; r < CLR_BLOCK_LIT_LAST; r++) {
        Rgb a = PALETTE_RGB[r], b = PALETTE_RGB[r + 1];
        cr_assert_lt(a.r + a.g + a.b, b.r + b.g + b.b, "lit level %d", r - CLR_BLOCK_LIT_0);
    }
}

Test(palette, gate_weights) {
    cr_assert_eq(palette_gate_level(0.0f), -1);
    cr_assert_eq(palette_gate_level(0.005f), -1);
    cr_assert_eq(palette_gate_level(0.02f), 0);
    cr_assert_eq(palette_gate_level(0.1f), 1);
    cr_assert_eq(palette_gate_level(0.5f), 2);
    cr_assert_eq(palette_gate_level(NAN), -1);
}
