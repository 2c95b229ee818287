/* fuzz_cifar.c — libFuzzer harness for the CIFAR-10 binary reader
 * (src/engine/cifar.c). Input: byte 0 is the mode (bit 1: gzip each file;
 * bit 2: split the rest at byte 1 * 32 into two batch files), then the data.
 * On success the split is 3x32x32, labels below 10, every byte readable; on
 * failure the message is one non-empty line and nothing is returned. */
#include "fuzz_util.h"

#include "dataset.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 2) return 0;
    int gz = data[0] & 2, two = data[0] & 4;
    size_t cut = (size_t)data[1] * 32;
    data += 2, size -= 2;
    const char *paths[2];
    int np = 1;
    if (two) {
        if (cut > size) cut = size;
        paths[0] = fuzz_file_gz(0, data, cut, gz);
        paths[1] = fuzz_file_gz(1, data + cut, size - cut, gz);
        np = 2;
    } else
        paths[0] = fuzz_file_gz(0, data, size, gz);
    DataSplit s;
    memset(&s, 0, sizeof s);
    RtErr e = {{0}};
    if (cifar_load(paths, np, &s, &e) == 0) {
        FUZZ_CHECK(s.n >= 1 && s.ch == 3 && s.h == 32 && s.w == 32 && s.d == 3072 && s.x && s.y);
        unsigned long sum = 0;
        for (int i = 0; i < s.n; i++)
            FUZZ_CHECK(s.y[i] < 10);
        for (size_t i = 0; i < (size_t)s.n * 3072; i++)
            sum += s.x[i];
        FUZZ_CHECK(sum <= 255ul * 3072ul * (unsigned long)s.n);
    } else {
        size_t n = strnlen(e.msg, sizeof e.msg);
        FUZZ_CHECK(n > 0 && n < sizeof e.msg);
        FUZZ_CHECK(!strchr(e.msg, '\n'));
        FUZZ_CHECK(s.x == NULL && s.y == NULL);
    }
    data_split_free(&s);
    return 0;
}
