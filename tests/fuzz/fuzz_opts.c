/* fuzz_opts.c — libFuzzer harness for the command-line parser (src/cmd/opts.c).
 *
 * Input: byte 0 picks the allowed-option mask (the UI's, a command's, or all),
 * byte 1 the number of positional arguments accepted (0-3); the rest is split
 * at NUL bytes into argv words (at most 64). After a successful parse every
 * value must be inside its range (range.h), and opts_model_config and
 * opts_check_theta must accept or reject it cleanly; after a failure the message must be one
 * non-empty line. A violated invariant aborts (a finding). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/opts.h"

#define MAX_ARGS 64

static const uint64_t MASKS[] = {
    OPTS_UI,
    OPTBIT(OPT_DATASET) | OPTS_NET | OPTS_TRAIN | OPTBIT(OPT_EPOCHS) | OPTBIT(OPT_SAVE) |
        OPTBIT(OPT_CSV), /* train */
    OPTBIT(OPT_MODEL) | OPTBIT(OPT_DATASET) | OPTBIT(OPT_TAU) | OPTBIT(OPT_JSON) |
        OPTBIT(OPT_LIMIT) | OPTBIT(OPT_THREADS),                                   /* eval */
    OPTBIT(OPT_MODEL) | OPTBIT(OPT_DATASET) | OPTBIT(OPT_INDEX) | OPTBIT(OPT_TAU), /* sweep */
    OPTBIT(OPT_MODEL) | OPTBIT(OPT_OUT),                                           /* export */
    OPTBIT(OPT_JSON) | OPTBIT(OPT_QUICK),                                          /* bench */
    0,                                                                             /* datasets */
    (1ull << OPT_COUNT) - 1,                                                       /* everything */
};
#define NMASKS ((int)(sizeof MASKS / sizeof MASKS[0]))

#define CHECK(c)                                                                                   \
    do {                                                                                           \
        if (!(c)) abort();                                                                         \
    } while (0)

/* v inside r, as range.h defines it (the ranges the schema and the engine share). */
#define IN(r, v) range_has(&(r), (double)(v))

static void check_ok(const Opts *o) {
    CHECK(o->arch == ARCH_RT || o->arch == ARCH_MLP);
    CHECK(IN(RANGE_LAYERS, o->layers));
    CHECK(IN(RANGE_BLOCKS, o->blocks));
    CHECK(IN(RANGE_WIDTH, o->width));
    CHECK(o->nhidden >= 0 && o->nhidden <= MLP_MAX_HIDDEN);
    for (int i = 0; i < o->nhidden; i++)
        CHECK(IN(RANGE_HIDDEN, o->hidden[i]));
    CHECK(IN(RANGE_TAU, o->tau));
    CHECK(o->nsched >= 0 && o->nsched <= SCHED_MAX);
    for (int i = 0; i < o->nsched; i++) {
        CHECK(IN(RANGE_SCHED, o->sched[i]) && o->sched[i] < 1.0f);
        if (i > 0) CHECK(o->sched[i] < o->sched[i - 1]);
    }
    if (o->nsched > 0) CHECK(o->sched[o->nsched - 1] == 0.0f);
    CHECK(o->epochs >= 1 && o->epochs <= 1000);
    CHECK(IN(RANGE_BATCH, o->tc.batch));
    CHECK(IN(RANGE_LR, o->tc.lr) && o->tc.lr > 0.0f);
    CHECK(IN(RANGE_THETA, o->tc.floor) && o->tc.floor < 0.5f);
    CHECK(o->tc.policy >= POL_UNFOLD && o->tc.policy <= POL_RANDOM);
    CHECK(IN(RANGE_THETA, o->tc.fixed_theta) && o->tc.fixed_theta < 0.5f);
    CHECK(IN(RANGE_THREADS, o->tc.threads));
    CHECK(o->index >= 0 && o->limit >= 0);
    CHECK(o->step_ms >= 10 && o->step_ms <= 5000);
    CHECK(o->lr_const == 0 || o->lr_const == 1);
    CHECK(o->tutorial == -1 || (o->tutorial >= 1 && o->tutorial <= 99));
    for (int i = 0; i < o->npos; i++)
        CHECK(o->pos[i] != NULL);
}

static void check_msg(const RtErr *e) {
    size_t n = strnlen(e->msg, sizeof e->msg);
    CHECK(n > 0 && n < sizeof e->msg);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 2) return 0;
    uint64_t allowed = MASKS[data[0] % NMASKS];
    int max_pos = data[1] % 4;
    data += 2;
    size -= 2;

    /* copy, NUL-terminate, split at NULs */
    char *buf = malloc(size + 1);
    if (!buf) return 0;
    memcpy(buf, data, size);
    buf[size] = 0;
    char *argv[MAX_ARGS + 1];
    int argc = 0;
    for (size_t i = 0; i <= size && argc < MAX_ARGS;) {
        argv[argc++] = buf + i;
        i += strlen(buf + i) + 1;
    }
    argv[argc] = NULL;
    if (size == 0) argc = 0;

    Opts o;
    RtErr e = {{0}};
    opts_default(&o);
    if (opts_parse(&o, argc, argv, allowed, max_pos, &e) == 0) {
        check_ok(&o);
        CHECK(o.npos <= max_pos);
        ModelConfig mc;
        RtErr e2 = {{0}};
        /* Fashion-MNIST's and CIFAR-10's shapes */
        if (opts_model_config(&o, &mc, 1, 28, 28, 10, &e2) != 0)
            check_msg(&e2);
        else if (opts_check_theta(&o, &mc, &e2) != 0)
            check_msg(&e2);
        if (opts_model_config(&o, &mc, 3, 32, 32, 10, &e2) != 0) check_msg(&e2);
        opts_free(&o);
    } else {
        check_msg(&e);
        CHECK(o.pos == NULL); /* freed on failure */
    }
    free(buf);
    return 0;
}
