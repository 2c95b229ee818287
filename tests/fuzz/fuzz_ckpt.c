/* fuzz_ckpt.c — libFuzzer harness for the checkpoint loader
 * (ckpt_load_mem, src/engine/checkpoint.c).
 *
 * Input: byte 0 is the mode, the rest the file. Mode bit 0: recompute the
 * trailing CRC-32 before loading, so the fuzzer gets past the checksum and
 * explores the header and config checks; bit 1: ask for the Adam state too.
 * On success the config must pass model_config_check, the model's parameter
 * count must match its tensor table, and every weight (and Adam moment) must be
 * readable; on failure nothing may be left allocated and the message must be
 * one non-empty line naming the file. */
#include "fuzz_util.h"

#include "checkpoint.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1) return 0;
    int fixcrc = data[0] & 1, want_adam = data[0] & 2;
    data++, size--;
    uint8_t *buf = malloc(size ? size : 1); /* exact size: ASan sees any overread */
    if (!buf) return 0;
    memcpy(buf, data, size);
    if (fixcrc && size >= 4) {
        uint32_t c = (uint32_t)crc32(crc32(0L, Z_NULL, 0), buf, (uInt)(size - 4));
        for (int i = 0; i < 4; i++)
            buf[size - 4 + (size_t)i] = (uint8_t)(c >> (8 * i));
    }
    Model m;
    Adam a;
    CkptMeta meta;
    RtErr e = {{0}};
    int rc = ckpt_load_mem(buf, size, "fuzz.ckpt", &m, want_adam ? &a : NULL, &meta, &e);
    if (rc == 0) {
        RtErr ce;
        FUZZ_CHECK(model_config_check(&m.cfg, &ce) == 0);
        FUZZ_CHECK(m.w != NULL && m.n > 0 && m.nt > 0);
        size_t total = 0;
        for (int i = 0; i < m.nt; i++) {
            FUZZ_CHECK(m.t[i].off == total);
            total += m.t[i].n;
        }
        FUZZ_CHECK(total == m.n);
        FUZZ_CHECK(4 * m.n < size); /* never more parameters than the file holds */
        float acc = 0.0f;
        for (size_t i = 0; i < m.n; i++)
            acc += m.w[i] * 0.0f;
        (void)acc;
        FUZZ_CHECK(memchr(meta.dataset, 0, sizeof meta.dataset) != NULL);
        if (want_adam) {
            if (a.n) {
                FUZZ_CHECK(a.n == m.n && a.m && a.v && a.t >= 0);
                for (size_t i = 0; i < a.n; i++)
                    acc += a.m[i] * 0.0f + a.v[i] * 0.0f;
            }
            adam_free(&a);
        }
        model_free(&m);
    } else {
        FUZZ_CHECK(rc == -1);
        FUZZ_CHECK(m.w == NULL && m.t == NULL);
        if (want_adam) FUZZ_CHECK(a.m == NULL && a.v == NULL);
        size_t n = strnlen(e.msg, sizeof e.msg);
        FUZZ_CHECK(n > 0 && n < sizeof e.msg);
        FUZZ_CHECK(!strchr(e.msg, '\n'));
        FUZZ_CHECK(!strncmp(e.msg, "fuzz.ckpt", 9));
    }
    free(buf);
    return 0;
}
