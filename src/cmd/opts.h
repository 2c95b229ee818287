/* opts.h — the command line: one option table, one parser, one usage text.
 *
 * Every subcommand parses with opts_parse() and the set of options it accepts;
 * the usage text is generated from the same table (with each default), so
 * --help cannot drift from what is parsed. Errors are one line naming the flag
 * and what is wrong; the caller exits 2. */
#ifndef RTVIZ_OPTS_H
#define RTVIZ_OPTS_H

#include <stdint.h>
#include <stdio.h>

#include "common.h"
#include "model.h"
#include "trainer.h"

/* Option ids, also bits of the `allowed` mask. */
enum {
    OPT_DATASET,
    OPT_MODEL,
    OPT_SAVE,
    OPT_CSV,
    OPT_OUT,
    OPT_ARCH,
    OPT_LAYERS,
    OPT_BLOCKS,
    OPT_WIDTH,
    OPT_HIDDEN,
    OPT_TAU,
    OPT_SCHEDULE,
    OPT_EPOCHS,
    OPT_BATCH,
    OPT_LR,
    OPT_POLICY,
    OPT_FLOOR,
    OPT_SEED,
    OPT_THREADS,
    OPT_INDEX,
    OPT_JSON,
    OPT_LIMIT,
    OPT_SDL,
    OPT_TUTORIAL,
    OPT_NO_MOUSE,
    OPT_NO_COLOR,
    OPT_STEP_MS,
    OPT_QUICK,
    OPT_LR_SCHEDULE,
    OPT_TEST_SPLIT,
    OPT_COUNT
};
#define OPTBIT(x) (1ull << (x))
/* network + training flags, shared by the UI and `train` */
#define OPTS_NET                                                                                   \
    (OPTBIT(OPT_ARCH) | OPTBIT(OPT_LAYERS) | OPTBIT(OPT_BLOCKS) | OPTBIT(OPT_WIDTH) |              \
     OPTBIT(OPT_HIDDEN) | OPTBIT(OPT_TAU) | OPTBIT(OPT_SCHEDULE))
#define OPTS_TRAIN                                                                                 \
    (OPTBIT(OPT_BATCH) | OPTBIT(OPT_LR) | OPTBIT(OPT_POLICY) | OPTBIT(OPT_FLOOR) |                 \
     OPTBIT(OPT_SEED) | OPTBIT(OPT_THREADS) | OPTBIT(OPT_TEST_SPLIT))

/* the interactive UI (the default command) */
#define OPTS_UI                                                                                    \
    (OPTBIT(OPT_DATASET) | OPTBIT(OPT_MODEL) | OPTS_NET | OPTS_TRAIN | OPTBIT(OPT_SDL) |           \
     OPTBIT(OPT_TUTORIAL) | OPTBIT(OPT_NO_MOUSE) | OPTBIT(OPT_NO_COLOR) | OPTBIT(OPT_STEP_MS) |    \
     OPTBIT(OPT_SAVE))

typedef struct {
    uint64_t given;                      /* OPTBIT of every option present */
    const char *dataset;                 /* --dataset NAME */
    const char *model;                   /* --model FILE */
    const char *save;                    /* --save FILE */
    const char *csv;                     /* --csv FILE */
    const char *out;                     /* --out FILE / DIR */
    int arch;                            /* --arch rt|mlp */
    int layers, blocks, width;           /* --layers, --blocks, --width */
    int nhidden, hidden[MLP_MAX_HIDDEN]; /* --hidden 256,256 */
    float tau;                           /* --tau */
    int nsched;                          /* --schedule 0.5,...,0 */
    float sched[SCHED_MAX];
    int epochs;             /* --epochs */
    TrainConfig tc;         /* --batch --lr --policy --floor --seed --threads */
    int index;              /* --index I */
    int json;               /* --json */
    int limit;              /* --limit N (evaluate the first N samples; 0 = all) */
    int sdl;                /* --sdl */
    int tutorial;           /* --tutorial [N]: -1 absent, else chapter (1 = first) */
    int no_mouse, no_color; /* --no-mouse --no-color */
    int step_ms;            /* --step-ms: sweep animation pace */
    int quick;              /* --quick (bench: fewer repeats) */
    int lr_const;           /* --lr-schedule const (train: no cosine decay) */
    float test_split;       /* --test-split X: own CSV / image folders' test fraction */
    int help, version;      /* --help / -h, --version */
    int npos;               /* positional arguments */
    char **pos;             /* (point into argv) */
} Opts;

/* Defaults for every field. */
void opts_default(Opts *o);

/* Parse argv[0..argc) (argv[0] is the first option, not the program name).
 * allowed: mask of OPTBITs; --help and --version are always allowed. max_pos:
 * positional arguments accepted. Returns 0 or -1 (usage error, message in e).
 * o->pos is allocated only when max_pos > 0: free with opts_free. */
int opts_parse(Opts *o, int argc, char **argv, uint64_t allowed, int max_pos, RtErr *e);
void opts_free(Opts *o);

/* Apply the net flags over a default model config. */
int opts_model_config(const Opts *o, ModelConfig *mc, int ch, int h, int w, int C, RtErr *e);

/* Print "  --flag ARG   help (default X)" lines for the allowed options. */
void opts_usage(FILE *f, uint64_t allowed);

#endif
