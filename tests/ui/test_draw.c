/* test_draw.c — sparkline scaling and image resampling (src/ui/tui/draw.c). */
#include <criterion/criterion.h>
#include <math.h>

#include "tui/tui.h"

Test(draw, sparkline_scaling) {
    float v[5] = {0.0f, 1.0f, 2.0f, 3.0f, 4.0f};
    int idx[8];
    cr_assert_eq(vm_sparkline(v, 5, 8, 0.0f, 0.0f, idx), 5);
    /* right-aligned, empty cells at the left */
    for (int i = 0; i < 3; i++)
        cr_assert_eq(idx[i], -1);
    cr_assert_eq(idx[3], 0, "minimum at the bottom");
    cr_assert_eq(idx[7], 7, "maximum at the top");
    for (int i = 4; i < 8; i++)
        cr_assert_gt(idx[i], idx[i - 1]);
    /* fixed scale: 2 of 0..4 is the middle */
    vm_sparkline(v, 5, 5, 0.0f, 4.0f, idx);
    cr_assert(idx[2] == 3 || idx[2] == 4);
    /* longer than the width: the last values are shown */
    float w[20];
    for (int i = 0; i < 20; i++)
        w[i] = i < 16 ? 0.0f : 1.0f;
    cr_assert_eq(vm_sparkline(w, 20, 4, 0.0f, 0.0f, idx), 4);
    for (int i = 0; i < 4; i++)
        cr_assert_eq(idx[i], 4, "flat data sits mid-height");
    /* values outside a fixed scale are clamped; NaN does not crash */
    float z[3] = {-5.0f, NAN, 50.0f};
    vm_sparkline(z, 3, 3, 0.0f, 1.0f, idx);
    cr_assert_eq(idx[0], 0);
    cr_assert_eq(idx[2], 7);
    cr_assert(idx[1] >= 0 && idx[1] <= 7);
    cr_assert_eq(vm_sparkline(v, 0, 4, 0.0f, 1.0f, idx), 0);
    cr_assert_eq(idx[3], -1);
}

Test(draw, resample_box_average) {
    uint8_t img[4 * 4] = {0,   0,   255, 255, /* */
                          0,   0,   255, 255, /* */
                          100, 100, 50,  50,  /* */
                          100, 100, 50,  50};
    uint8_t out[4];
    vm_resample(img, 1, 4, 4, out, 2, 2);
    cr_assert_eq(out[0], 0);
    cr_assert_eq(out[1], 255);
    cr_assert_eq(out[2], 100);
    cr_assert_eq(out[3], 50);
    /* same size is the identity */
    uint8_t same[16];
    vm_resample(img, 1, 4, 4, same, 4, 4);
    cr_assert_arr_eq(same, img, 16);
    /* colour images: the mean of the channels */
    uint8_t rgb[3] = {30, 60, 90}, g;
    vm_resample(rgb, 3, 1, 1, &g, 1, 1);
    cr_assert_eq(g, 60);
    /* upsampling repeats pixels */
    uint8_t up[8 * 8];
    vm_resample(img, 1, 4, 4, up, 8, 8);
    cr_assert_eq(up[0], 0);
    cr_assert_eq(up[7], 255);
    cr_assert_eq(up[63], 50);
}

Test(draw, strwidth_counts_code_points) {
    cr_assert_eq(vm_strwidth("θ 0.120"), 7);
    cr_assert_eq(vm_strwidth("abc"), 3);
    cr_assert_eq(vm_strwidth(""), 0);
}
