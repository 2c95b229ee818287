/* scenario.h — everything needed to open one run (a Session): the start
 * settings that the command-line flags give today (dataset, model, network
 * shape, τ, schedule, floor, policy, seed, threads, save path) and where the
 * run starts (view, traced image, θ step shown, training steps to run first,
 * paused or running). A tutorial chapter's `key: value` header fills one too.
 *
 * Plain data, no pointers: a Scenario can be copied with `=`. The parser
 * that fills it from `key: value` lines and the function that fills it from
 * the command-line options live with the option table (src/cmd/opts.h);
 * this header only defines the struct and its defaults. */
#ifndef RTVIZ_SCENARIO_H
#define RTVIZ_SCENARIO_H

#include <stdint.h>

#include "common.h"
#include "model.h"
#include "modelflags.h"
#include "trainer.h"

#define SCN_NAME_MAX  64   /* dataset name, with its NUL */
#define SCN_PATH_MAX  1024 /* model / save paths, with their NUL */
#define SCN_TITLE_MAX 128  /* a chapter's title, with its NUL */
#define SCN_FACTS_MAX 16   /* fact: lines of one chapter */
#define SCN_FACT_MAX  256  /* one fact, with its NUL */

/* The view a run starts in (the front end maps it onto its panes). */
typedef enum {
    SCN_VIEW_NETWORK = 0, /* network, image, gauge, stats (the default) */
    SCN_VIEW_GALLERY,     /* the gallery of easiest / hardest test images */
    SCN_VIEW_CONFUSION,   /* the confusion matrix */
    SCN_VIEW_DRAW         /* draw your own image */
} ScenarioView;

typedef struct {
    /* --- data and network --- */
    char dataset[SCN_NAME_MAX]; /* dataset name (dataset.h); "" = fashionmnist */
    int dataset_fallback;       /* 1: fall back to "sample" when fashionmnist is missing */
    char model[SCN_PATH_MAX];   /* checkpoint to start from, "" = a fresh network */
    char save[SCN_PATH_MAX];    /* where `save` writes; "" = ./rtviz.ckpt */
    int arch;                   /* ARCH_RT / ARCH_MLP (fresh network only) */
    int layers, blocks, width;  /* RT shape: L, B, H; 0 = the default */
    int nhidden;                /* MLP hidden layers, -1 = the default */
    int hidden[MLP_MAX_HIDDEN]; /* their widths */
    ModelFlags flags;           /* τ, schedule, seed and which of them (and the shape) were given;
                                 * MF_SHAPE must be set when arch/layers/... are */
    TrainConfig tc; /* batch, lr, policy, floor, seed (= flags.seed when given), threads */

    /* --- where the run starts --- */
    int view;         /* ScenarioView */
    int trace_index;  /* test image traced first (wraps into the test set) */
    int theta_step;   /* θ step shown on the traced image, -1 = its stop */
    long train_steps; /* minibatches to train before showing (0 none); then pause */
    int paused;       /* 1: start paused (after train_steps) */
    int step_ms;      /* sweep animation pace, ms per θ step */
    double pace;      /* training pace, minibatches per second, 0 = as fast as it goes */

    /* --- a chapter's own header lines (scenario_parse, src/cmd/opts.h) --- */
    char title[SCN_TITLE_MAX];               /* title: ("" none) */
    int nfacts;                              /* fact: lines, in order */
    char facts[SCN_FACTS_MAX][SCN_FACT_MAX]; /* their text as written, for the tutorial */
    int body_line;                           /* line (from 1) where the text starts */
    size_t body_off;                         /* byte offset of that text in what was parsed */
} Scenario;

/* The defaults: what `rtviz` with no flags does (fashionmnist with the
 * sample fallback, a fresh RT network of the default shape, train_config_default,
 * network view, test image 0, running): opts_scenario() of a defaulted Opts,
 * so every default comes from the option table and the engine. */
void scenario_default(Scenario *sc);

/* The network shape a fresh run builds for data of ch×h×w images and C
 * classes: model_config_default overridden by the scenario's shape, τ and
 * schedule. 0, or -1 with e naming the bad value (a usage error). */
int scenario_model_config(const Scenario *sc, int ch, int h, int w, int C, ModelConfig *mc,
                          RtErr *e);

#endif
