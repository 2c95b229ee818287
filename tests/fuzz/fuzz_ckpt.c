/* fuzz_ckpt.c — libFuzzer harness for the checkpoint loader
 * (ckpt_load_mem, src/engine/checkpoint.c).
 *
 * Input: byte 0 is the mode, the rest the file. Mode bit 0: recompute the
 * trailing CRC-32 before loading, so the fuzzer gets past the checksum and
 * explores the header and config checks; bit 1: ask for the Adam state too.
 * On success the config must pass model_config_check, the model's parameter
 * count must match its tensor table, and every weight (and Adam moment) must be
 * readable, and training resumes from it for one step (on a two-image dataset
 * of the model's shape, with the loaded Adam state): the counters a file may
 * hold must not overflow (UBSan) and nothing may crash; on failure nothing
 * may be left allocated and the message must be one non-empty line naming
 * the file. */
#include "fuzz_util.h"

#include "checkpoint.h"
#include "trainer.h"

/* One minibatch of training from the loaded model and Adam state, the way
 * `rtviz train --model` resumes, and the step/epoch arithmetic it does. */
static void resume_one_step(Model *m, const Adam *a, const CkptMeta *meta, const uint8_t *data,
                            size_t size) {
    const ModelConfig *c = &m->cfg;
    Dataset ds;
    memset(&ds, 0, sizeof ds);
    ds.classes = c->C;
    snprintf(ds.name, sizeof ds.name, "fuzz");
    DataSplit *sp[2] = {&ds.train, &ds.test};
    for (int k = 0; k < 2; k++) {
        DataSplit *s = sp[k];
        s->n = 2;
        s->ch = c->ch, s->h = c->h, s->w = c->w, s->d = c->D;
        s->x = calloc((size_t)2 * (size_t)c->D, 1);
        s->y = calloc(2, 1);
        FUZZ_CHECK(s->x && s->y);
        for (size_t i = 0; i < (size_t)2 * (size_t)c->D && size; i++)
            s->x[i] = data[i % size];
        s->y[1] = (uint8_t)(c->C - 1);
    }
    TrainConfig tc;
    train_config_default(&tc);
    tc.batch = 2;
    tc.threads = 1;
    tc.test_slice = 2;
    tc.seed = meta->seed + meta->epoch; /* as train.c derives a resumed run's seed */
    RtErr e = {{0}};
    Trainer *t = trainer_new(m, &ds, &tc, a && a->n ? a : NULL, &e);
    FUZZ_CHECK(t != NULL);
    int r = trainer_step(t, 1, &e);
    FUZZ_CHECK(r == 0 || r == 1); /* 1: a NaN/Inf step, rolled back */
    const ViewState *v = trainer_view(t);
    /* what train.c then stores and prints: no overflow for any loaded counter */
    uint64_t step = meta->step + (uint64_t)v->step;
    long long epoch = (long long)meta->epoch + v->epoch;
    FUZZ_CHECK(step >= meta->step && epoch >= 0);
    trainer_free(t);
    dataset_free(&ds);
}

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
        FUZZ_CHECK(meta.step <= CKPT_MAX_STEP && meta.epoch <= CKPT_MAX_EPOCH);
        if (want_adam) {
            if (a.n) {
                FUZZ_CHECK(a.n == m.n && a.m && a.v && a.t >= 0);
                FUZZ_CHECK((uint64_t)a.t <= CKPT_MAX_STEP);
                for (size_t i = 0; i < a.n; i++)
                    acc += a.m[i] * 0.0f + a.v[i] * 0.0f;
            }
        }
        resume_one_step(&m, want_adam ? &a : NULL, &meta, data, size);
        if (want_adam) adam_free(&a);
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
