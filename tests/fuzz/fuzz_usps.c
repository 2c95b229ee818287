/* fuzz_usps.c — libFuzzer harness for the USPS LIBSVM text reader
 * (src/engine/usps.c). Input: byte 0 bit 1 gzips the file first; the rest is
 * the file. On success the split is 16x16 grey, every label below 10 and every
 * pixel byte readable; on failure the message is one non-empty line naming the
 * file. */
#include "fuzz_util.h"

#include "dataset.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1) return 0;
    int gz = data[0] & 2;
    data++, size--;
    const char *path = fuzz_file_gz(0, data, size, gz);
    DataSplit s;
    memset(&s, 0, sizeof s);
    RtErr e = {{0}};
    if (usps_load(path, &s, &e) == 0) {
        FUZZ_CHECK(s.n >= 1 && s.ch == 1 && s.h == 16 && s.w == 16 && s.d == 256);
        FUZZ_CHECK(s.x && s.y);
        unsigned sum = 0;
        for (int i = 0; i < s.n; i++) {
            FUZZ_CHECK(s.y[i] < 10);
            for (int j = 0; j < s.d; j++)
                sum += s.x[(size_t)i * 256 + (size_t)j];
        }
        FUZZ_CHECK(sum <= 255u * 256u * (unsigned)s.n);
    } else {
        size_t n = strnlen(e.msg, sizeof e.msg);
        FUZZ_CHECK(n > 0 && n < sizeof e.msg);
        FUZZ_CHECK(!strchr(e.msg, '\n'));
        FUZZ_CHECK(!strncmp(e.msg, path, strlen(path)));
        FUZZ_CHECK(s.x == NULL && s.y == NULL);
    }
    data_split_free(&s);
    return 0;
}
