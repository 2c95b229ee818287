/* fuzz_csv.c — libFuzzer harness for the own-data CSV reader
 * (src/engine/owndata.c): header detection, labels, ragged rows, values and
 * their 0-255 / 0-1 scale, the image shape from the pixel count.
 *
 * Input: byte 0 is the mode, the rest the file. Mode bit 0 loads it through
 * owndata_load from a path (a memfd; the train/test split runs too), else
 * owndata_parse_csv from memory; bits 1-3 pick the test fraction. On success
 * the images have a valid shape, every label is below the class count (2 to
 * 16), both splits are non-empty and every pixel byte is read; on failure the
 * message is one non-empty line that starts with the file's name. */
#include "fuzz_util.h"

#include "owndata.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1) return 0;
    int mode = data[0];
    data++, size--;
    RtErr e = {{0}};
    const char *name = "fuzz.csv";
    if (mode & 1) {
        static const float SPLIT[8] = {0.2f, 0.5f, 0.01f, 0.99f, 0.1f, 0.3f, 0.7f, 0.9f};
        owndata_set_test_split(SPLIT[(mode >> 1) & 7]);
        name = fuzz_file(0, data, size);
        Dataset ds;
        char note[RT_ERRLEN];
        if (owndata_load(name, &ds, note, sizeof note, &e) == 0) {
            FUZZ_CHECK(ds.classes >= 2 && ds.classes <= OD_MAX_CLASSES);
            FUZZ_CHECK(ds.train.n >= 1 && ds.test.n >= 1);
            const DataSplit *sp[2] = {&ds.train, &ds.test};
            for (int t = 0; t < 2; t++) {
                const DataSplit *s = sp[t];
                FUZZ_CHECK(s->d == s->ch * s->h * s->w && (s->ch == 1 || s->ch == 3));
                FUZZ_CHECK(s->h == s->w && s->h >= 1 && s->h <= OD_MAX_SIDE);
                unsigned long long sum = 0;
                for (int i = 0; i < s->n; i++) {
                    FUZZ_CHECK(s->y[i] < ds.classes);
                    for (int j = 0; j < s->d; j++)
                        sum += s->x[(size_t)i * s->d + j];
                }
                FUZZ_CHECK(sum <= 255ull * s->n * s->d);
            }
            for (int k = 0; k < ds.classes; k++)
                FUZZ_CHECK(ds.class_names[k] && ds.class_names[k][0]);
            FUZZ_CHECK(strnlen(note, sizeof note) > 0 && !strchr(note, '\n'));
            dataset_free(&ds);
            return 0;
        }
    } else {
        DataSplit all;
        int classes = 0, v255 = -1;
        if (owndata_parse_csv(data, size, name, &all, &classes, &v255, &e) == 0) {
            FUZZ_CHECK(all.n >= 1 && all.x && all.y);
            FUZZ_CHECK(all.d == all.ch * all.h * all.w && (all.ch == 1 || all.ch == 3));
            FUZZ_CHECK(classes >= 2 && classes <= OD_MAX_CLASSES && (v255 == 0 || v255 == 1));
            unsigned long long sum = 0;
            for (int i = 0; i < all.n; i++) {
                FUZZ_CHECK(all.y[i] < classes);
                for (int j = 0; j < all.d; j++)
                    sum += all.x[(size_t)i * all.d + j];
            }
            FUZZ_CHECK(sum <= 255ull * all.n * all.d);
            data_split_free(&all);
            return 0;
        }
    }
    size_t n = strnlen(e.msg, sizeof e.msg);
    FUZZ_CHECK(n > 0 && n < sizeof e.msg);
    FUZZ_CHECK(!strchr(e.msg, '\n'));
    FUZZ_CHECK(!strncmp(e.msg, name, strlen(name)));
    return 0;
}
