/* fuzz_image.c — libFuzzer harness for the images module (src/engine/image.c):
 * the format sniffing, the header checks and caps, stb_image's decoders
 * behind them, the truncation and zlib-bomb checks, and the conversion to a
 * dataset image.
 *
 * Input: byte 0 is the mode, the rest the file. Mode bits 0-1 pick the target
 * (1x28x28, 3x32x32, 1x16x16, 1x7x11), bit 2 the photo conversion (no crop),
 * bit 3 placement by centre of mass, bit 4 reads the bytes through
 * image_load (a memfd path) instead of image_decode. The pixel cap is 2^20
 * here (the real one is 24 Mi) so a fuzzed header cannot make each run slow.
 * On success the image is within the caps and every pixel byte is read, and
 * the conversion fills exactly its output; on failure the message is one
 * non-empty line that starts with the file's name.
 *
 * stb's implementation is compiled into the harness itself (the executable's
 * definitions take the place of Debian's libstb), so its decoders run
 * instrumented: the sanitizers check them and the fuzzer sees their branches. */
#include "fuzz_util.h"

#define STB_IMAGE_IMPLEMENTATION
#define STB_IMAGE_RESIZE_IMPLEMENTATION
#define STB_IMAGE_WRITE_IMPLEMENTATION
#include <stb/stb_image.h>
#include <stb/stb_image_resize.h>
#include <stb/stb_image_write.h>

#include "image.h"

#define FUZZ_MAX_PIXELS (1L << 20)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1) return 0;
    int mode = data[0];
    data++, size--;
    static const int T[4][3] = {{1, 28, 28}, {3, 32, 32}, {1, 16, 16}, {1, 7, 11}};
    const int *t = T[mode & 3];
    Image im;
    RtErr e = {{0}};
    const char *name = "fuzz.img";
    int rc;
    if (mode & 16) {
        name = fuzz_file(0, data, size);
        rc = image_load(name, &im, &e);
    } else
        rc = image_decode(data, size, name, FUZZ_MAX_PIXELS, &im, &e);
    if (rc == 0) {
        FUZZ_CHECK(im.w >= 1 && im.h >= 1 && im.w <= IMAGE_MAX_SIDE && im.h <= IMAGE_MAX_SIDE);
        FUZZ_CHECK(im.comp >= 1 && im.comp <= 4 && im.pix);
        FUZZ_CHECK((long)im.w * im.h <= ((mode & 16) ? IMAGE_MAX_PIXELS : FUZZ_MAX_PIXELS));
        size_t n = (size_t)im.w * im.h * im.comp;
        unsigned long long sum = 0;
        for (size_t i = 0; i < n; i++)
            sum += im.pix[i];
        FUZZ_CHECK(sum <= 255ull * n);
        if ((long)im.w * im.h <= (1L << 18)) { /* the conversion, on images of sane size */
            ImagePrep p;
            image_prep_default(&p, NULL, t[0], t[1], t[2]);
            if (mode & 4) p.crop = 0;
            p.mass = (mode & 8) != 0;
            size_t on = (size_t)t[0] * t[1] * t[2];
            uint8_t *out = malloc(on + 1);
            FUZZ_CHECK(out);
            out[on] = 0xA5; /* a canary past the end */
            FUZZ_CHECK(image_prepare(im.pix, im.w, im.h, im.comp, &p, out, &e) == 0);
            FUZZ_CHECK(out[on] == 0xA5);
            free(out);
        }
        image_free(&im);
    } else {
        FUZZ_CHECK(rc == -1 && im.pix == NULL);
        size_t n = strnlen(e.msg, sizeof e.msg);
        FUZZ_CHECK(n > 0 && n < sizeof e.msg);
        FUZZ_CHECK(!strchr(e.msg, '\n'));
        FUZZ_CHECK(!strncmp(e.msg, name, strlen(name)));
    }
    return 0;
}
