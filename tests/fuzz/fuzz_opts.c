/* fuzz_opts.c — libFuzzer harness for the command-line parser (src/cmd/opts.c).
 *
 * Input: byte 0 picks the allowed-option mask (the UI's, a command's, or all),
 * byte 1 the number of positional arguments accepted (0-3); the rest is split
 * at NUL bytes into argv words (at most 64). After a successful parse every
 * value must be inside its documented range, and opts_model_config must accept
 * or reject it cleanly; after a failure the message must be one non-empty
 * line. A violated invariant aborts (a finding). */
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

static void check_ok(const Opts *o) {
    CHECK(o->arch == ARCH_RT || o->arch == ARCH_MLP);
    CHECK(o->layers >= 1 && o->layers <= RT_MAX_L);
    CHECK(o->blocks >= 1 && o->blocks <= RT_MAX_B);
    CHECK(o->width >= 1 && o->width <= 4096);
    CHECK(o->nhidden >= 0 && o->nhidden <= MLP_MAX_HIDDEN);
    for (int i = 0; i < o->nhidden; i++)
        CHECK(o->hidden[i] >= 1 && o->hidden[i] <= 8192);
    CHECK(o->tau > 0.0f && o->tau <= 1.0f);
    CHECK(o->nsched >= 0 && o->nsched <= SCHED_MAX);
    for (int i = 0; i < o->nsched; i++) {
        CHECK(o->sched[i] >= 0.0f && o->sched[i] < 1.0f);
        if (i > 0) CHECK(o->sched[i] < o->sched[i - 1]);
    }
    if (o->nsched > 0) CHECK(o->sched[o->nsched - 1] == 0.0f);
    CHECK(o->epochs >= 1 && o->epochs <= 1000);
    CHECK(o->tc.batch >= 1 && o->tc.batch <= 4096);
    CHECK(o->tc.lr > 0.0f && o->tc.lr <= 1.0f);
    CHECK(o->tc.floor >= 0.0f && o->tc.floor < 1.0f);
    CHECK(o->tc.policy >= POL_UNFOLD && o->tc.policy <= POL_RANDOM);
    CHECK(o->tc.fixed_theta >= 0.0f && o->tc.fixed_theta < 1.0f);
    CHECK(o->tc.threads >= 0 && o->tc.threads <= 64);
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
        if (opts_model_config(&o, &mc, 1, 28, 28, 10, &e2) != 0) check_msg(&e2);
        if (opts_model_config(&o, &mc, 3, 32, 32, 10, &e2) != 0) check_msg(&e2);
        opts_free(&o);
    } else {
        check_msg(&e);
        CHECK(o.pos == NULL); /* freed on failure */
    }
    free(buf);
    return 0;
}
