/* opts.h — the configuration schema: one table of typed option rows (name,
 * argument, type, range, field, default, help), one parser, one usage text
 * (docs/DESIGN.md §3).
 *
 * Every subcommand parses with opts_parse() and the set of options it accepts;
 * the usage text is generated from the same table, each default formatted
 * from the value opts_default() really sets, so --help cannot drift from what
 * is parsed; scenario headers go through opts_set(), the same rows. Errors
 * are one line naming the flag and what is wrong; the caller exits 2. */
#ifndef RTVIZ_OPTS_H
#define RTVIZ_OPTS_H

#include <stdint.h>
#include <stdio.h>

#include "common.h"
#include "model.h"
#include "range.h"
#include "trainer.h"
#include "ui/scenario.h"

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
    OPT_SEEDS,
    OPT_MERGE,
    OPT_THETA,
    OPT_SIZE,
    OPT_SDL_ONLY,
    OPT_TEST_SPLIT,
    OPT_PACE,
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
     OPTBIT(OPT_SAVE) | OPTBIT(OPT_SDL_ONLY) | OPTBIT(OPT_SIZE) | OPTBIT(OPT_PACE))

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
    int pace;               /* --pace: training minibatches per second, 0 = full speed */
    int quick;              /* --quick (bench: fewer repeats) */
    int lr_const;           /* --lr-schedule const (train: no cosine decay) */
    int seeds;              /* --seeds K (report: seeds per size) */
    int merge;              /* --merge (report: DIRs are positional) */
    float theta;            /* --theta X (snapshot: the θ shown when given) */
    int size_w, size_h;     /* --size WxH (snapshot, window) */
    int sdl_only;           /* --sdl-only: the projector window without the terminal UI */
    float test_split;       /* --test-split X: own CSV / image folders' test fraction */
    int help, version;      /* --help / -h, --version */
    int npos;               /* positional arguments */
    char **pos;             /* (point into argv) */
} Opts;

/* Defaults for every field: the engine's (model_config_default,
 * train_config_default) and the table's own. */
void opts_default(Opts *o);

/* Parse argv[0..argc) (argv[0] is the first option, not the program name).
 * allowed: mask of OPTBITs; --help and --version are always allowed. max_pos:
 * positional arguments accepted. Returns 0 or -1 (usage error, message in e).
 * o->pos is allocated only when max_pos > 0: free with opts_free. */
int opts_parse(Opts *o, int argc, char **argv, uint64_t allowed, int max_pos, RtErr *e);
void opts_free(Opts *o);

/* Set one option by name (without "--") from its text, as the command line
 * would: the same type, range and message, named by label ("file:3: floor").
 * A switch takes yes/no (or 1/0). allowed: mask of OPTBITs. Marks it given.
 * Returns 0 or -1 with e filled. value must outlive o for string options. */
int opts_set(Opts *o, const char *name, const char *value, uint64_t allowed, const char *label,
             RtErr *e);

/* The OPT_* id of the option called name (without "--") among allowed, or -1. */
int opts_find(const char *name, uint64_t allowed);
/* The name of option id (without "--"), "?" for none. */
const char *opts_name(int id);

/* Apply the net flags over a default model config. */
int opts_model_config(const Opts *o, ModelConfig *mc, int ch, int h, int w, int C, RtErr *e);

/* Check the θ settings (floor, fixed:X) against the network they will run
 * on: refused when no ray can reach its output (model_check_theta). Returns
 * 0 or -1 with e naming the flag (a usage error). */
int opts_check_theta(const Opts *o, const ModelConfig *mc, RtErr *e);

/* Print "  --flag ARG   help (default X)" lines for the allowed options. */
void opts_usage(FILE *f, uint64_t allowed);

/* ---- scenarios (src/cmd/scenario_parse.c, docs/DESIGN.md §3.3) ---- */

/* The options a scenario header may set, besides its own keys. */
#define OPTS_SCENARIO                                                                              \
    (OPTBIT(OPT_DATASET) | OPTBIT(OPT_MODEL) | OPTS_NET | OPTS_TRAIN | OPTBIT(OPT_STEP_MS))

/* The Scenario that options o ask for: data, network, training settings
 * and the sweep pace from o (shape, τ, schedule and seed marked given only
 * when they were); the start at its defaults (network view, test image 0,
 * the stop's θ step, no steps first, running). Strings are copied. */
void opts_scenario(const Opts *o, Scenario *sc);

/* Parse a chapter: a header of `key: value` lines, a blank line, then the
 * text (not parsed; sc->body_line and body_off say where it starts). Keys:
 * the options of OPTS_SCENARIO by name (the same types, ranges and messages
 * as the command line), and title, view (network|gallery|confusion|draw),
 * image (test image index), theta (the θ step shown: 1 = the first, or
 * `stop`), steps (minibatches to train first), paused (yes|no) and fact
 * (repeatable, kept as written). Each key once, except fact. CR before a
 * newline is ignored. Returns 0 with sc filled, or -1 with e naming the file,
 * the line and the key ("ch.md:3: floor: 0.7 is out of range [0, 0.5)"). */
int scenario_parse(const char *text, const char *filename, Scenario *sc, RtErr *e);

#endif
