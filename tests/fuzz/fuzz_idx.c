/* fuzz_idx.c — libFuzzer harness for the IDX readers (src/engine/idx.c),
 * gzip and raw.
 *
 * Input: byte 0 is the mode, byte 1 the class count (1 + value), the rest the
 * file. Mode bit 0: labels (else images); bit 1: gzip the file first (so the
 * fuzzer explores IDX headers behind a valid gzip stream; without it, raw IDX
 * and malformed gzip streams are read as they are); bit 2: the split already
 * holds the other half (3 labels / 3 images), so the count check runs.
 * On success every byte of the split is read (ASan checks its size) and every
 * label must be below the class count; on failure the split must be as it was
 * and the message one non-empty line. */
#include "fuzz_util.h"

#include "dataset.h"

static uint8_t three[3 * 4] = {0};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 2) return 0;
    int mode = data[0];
    int classes = 1 + data[1];
    data += 2;
    size -= 2;
    int labels = mode & 1, gz = mode & 2, preload = mode & 4;

    const char *path = fuzz_file_gz(0, data, size, gz);

    DataSplit s;
    memset(&s, 0, sizeof s);
    if (preload) {
        s.n = 3;
        if (labels) { /* images already there: 3 of 2x2 */
            s.ch = 1, s.h = 2, s.w = 2, s.d = 4;
            s.x = malloc(sizeof three);
            memcpy(s.x, three, sizeof three);
        } else
            s.y = calloc(3, 1);
    }
    DataSplit before = s;
    RtErr e = {{0}};
    int rc = labels ? idx_load_labels(path, &s, classes, &e) : idx_load_images(path, &s, &e);
    if (rc == 0) {
        FUZZ_CHECK(s.n >= 1);
        if (labels) {
            FUZZ_CHECK(s.y != NULL);
            if (preload) FUZZ_CHECK(s.n == 3 && s.x == before.x);
            for (int i = 0; i < s.n; i++)
                FUZZ_CHECK(s.y[i] < classes);
        } else {
            FUZZ_CHECK(s.x != NULL && s.ch == 1 && s.h >= 1 && s.w >= 1 && s.d == s.h * s.w);
            if (preload) FUZZ_CHECK(s.n == 3 && s.y == before.y);
            unsigned sum = 0;
            for (size_t i = 0; i < (size_t)s.n * (size_t)s.d; i++)
                sum += s.x[i];
            FUZZ_CHECK(sum <= 255u * (size_t)s.n * (size_t)s.d);
        }
    } else {
        FUZZ_CHECK(rc == -1);
        FUZZ_CHECK(!memcmp(&s, &before, sizeof s));
        size_t n = strnlen(e.msg, sizeof e.msg);
        FUZZ_CHECK(n > 0 && n < sizeof e.msg);
        FUZZ_CHECK(!strchr(e.msg, '\n'));
        FUZZ_CHECK(!strncmp(e.msg, path, strlen(path))); /* names the file */
    }
    data_split_free(&s);
    return 0;
}
