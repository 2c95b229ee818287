/* viewstate.h — everything the front ends draw, filled by the engine.
 *
 * The terminal UI and the SDL window read only this struct (htop-style: the
 * engine collects, panes copy and draw). No pointers into engine internals:
 * a ViewState can be copied with memcpy. */
#ifndef RTVIZ_VIEWSTATE_H
#define RTVIZ_VIEWSTATE_H

#include <stdint.h>

#include "model.h"
#include "rtnet.h"

#define VS_HIST    256 /* sparkline history length */
#define VS_GALLERY 12  /* easiest / hardest images shown */
#define VS_MAX_PIX (3 * 32 * 32)

typedef struct {
    int index;               /* test-set index */
    float act_pct;           /* activation % at its stop */
    int active;              /* active blocks */
    int pred, label;         /* predicted / true class (pred -1 = unreached) */
    uint8_t pix[VS_MAX_PIX]; /* the image, ch*h*w */
} VsGalleryItem;

/* What became NaN/Inf in a training step (trainer.c rolls the step back). */
typedef enum {
    VS_NAN_OUTPUT = 0, /* the forward pass's output (probabilities, mass) */
    VS_NAN_LOSS,       /* the loss */
    VS_NAN_GRADIENT,   /* a gradient */
    VS_NAN_WEIGHT      /* a weight after the optimiser step */
} VsNanWhat;

/* The last NaN/Inf event, as data (the front ends word it themselves). */
typedef struct {
    long step;       /* the step that failed (1-based: steps done before it + 1) */
    int what;        /* VsNanWhat */
    int restored;    /* 1: weights restored to the last finite ones; 0: nothing to undo */
    float lr_before; /* learning rate before the event */
    float lr_after;  /* after halving */
    uint64_t serial; /* bumps with every event (0: none yet) */
} VsNanEvent;

/* Whether the run is training (the Session sets this; the trainer leaves it). */
typedef enum {
    VS_RUNNING = 0, /* the training thread trains back to back */
    VS_PAUSED,      /* paused by the user, by "run N steps" reaching N, or by a NaN/Inf */
    VS_STOPPED      /* stopped on an engine error (run_error says which) */
} VsRunState;

/* Why the run paused last (VS_PAUSED). */
typedef enum {
    VS_PAUSE_USER = 0, /* space, or the scenario started paused */
    VS_PAUSE_STEPS,    /* "run N steps, then pause" reached N */
    VS_PAUSE_NAN       /* a NaN/Inf rollback (nan says which) */
} VsPauseWhy;

/* What is traced: a test image, a drawn canvas or a loaded image file. */
typedef enum { VS_SUBJ_TEST = 0, VS_SUBJ_CANVAS, VS_SUBJ_FILE } VsSubjectKind;

typedef struct {
    int kind;                /* VsSubjectKind */
    int index;               /* VS_SUBJ_TEST: test-set index */
    int label;               /* true label, -1 unknown */
    uint8_t pix[VS_MAX_PIX]; /* VS_SUBJ_CANVAS / VS_SUBJ_FILE: the image, ch*h*w bytes */
    char path[256];          /* VS_SUBJ_FILE: where it came from ("" otherwise) */
} VsSubject;

typedef struct {
    /* --- network shape (fixed for a run) --- */
    int arch; /* ARCH_RT / ARCH_MLP */
    int L, B, C, D, ch, h, w;
    int H;                   /* RT: block width (features per block), 0 for the MLP */
    int mlp_width[RT_MAX_L]; /* MLP: hidden layer widths (0 past nhidden), 0 for RT */
    long params_total;
    char dataset[32];
    char class_names[RT_MAX_C][16];

    /* --- thresholds --- */
    float tau;   /* stop confidence */
    float floor; /* θ floor for training and sweeps */
    int nsched;  /* effective schedule length (with floor) */
    float sched[SCHED_MAX];

    /* --- the traced sample (subject .. trace_serial stay together: session_snapshot
     * copies them as one range when trace_serial changed) --- */
    VsSubject subject; /* what is traced */
    int trace_index;   /* test index, -1 for a drawn image */
    int trace_label;   /* true label or -1 */
    uint8_t trace_pix[VS_MAX_PIX];
    RtTrace trace;         /* every θ step of its sweep; .stop marks the stop */
    uint64_t trace_serial; /* bumps whenever the trace changes */

    /* --- training --- */
    int epoch;            /* completed epochs */
    double epoch_frac;    /* progress within the epoch, 0..1 */
    long step;            /* minibatches trained */
    float samples_per_s;  /* training throughput, recent */
    float loss;           /* recent mean training loss */
    float train_acc;      /* recent training accuracy (%) */
    float test_acc;       /* latest full test-pass accuracy (%), -1 before the first */
    float act_mean;       /* recent mean activation % of training samples */
    long unreached;       /* training samples with no answer at the floor, recent */
    long unreached_total; /* since start */
    float lr;
    int nloss, nacc;          /* history lengths */
    float loss_hist[VS_HIST]; /* one point per history tick */
    float acc_hist[VS_HIST];  /* test accuracy per full test pass */
    float block_share[RT_MAX_L]
                     [RT_MAX_B]; /* share of recent training samples each block was active for */
    char message[256];           /* last notice (NaN rollback, ...), "" if none */
    uint64_t message_serial;
    VsNanEvent nan; /* the last NaN/Inf event (nan.serial 0: none) */

    /* --- run state (filled by the Session) --- */
    int run_state;       /* VsRunState */
    int pause_why;       /* VsPauseWhy, when paused */
    long steps_left;     /* "run N steps, then pause": steps still to run, 0 none */
    char run_error[256]; /* VS_STOPPED: the engine's one-line error */
    /* learning rate on a plateau (endless live training; docs/UI.md) */
    float lr_start;      /* the learning rate the run started with */
    float lr_min;        /* it is never cut below this */
    float best_test_acc; /* best full-pass test accuracy so far (%), -1 before the first */
    int plateau;         /* full test passes since the last new best */
    int plateau_limit;   /* passes without a new best before the rate is halved */
    int lr_cuts;         /* halvings so far */
    uint64_t lr_serial;  /* bumps at each plateau cut */
    /* the θ floor's cliff (the Session measures it after each full test pass) */
    float floor_cliff;     /* highest floor (0.01 steps) at which most of a test sample still
                            * reaches the output with the current weights, -1 not yet known */
    float unreached_share; /* share of the recent training samples that reached no output */
    long unreached_since;  /* training step since which unreached_total counts (the floor set) */

    /* --- evaluation progress --- */
    int eval_done;        /* test samples of the running pass evaluated so far */
    int eval_total;       /* samples in a pass */
    long eval_passes;     /* full passes completed */
    int eval_fresh;       /* the last completed pass saw the current weights */
    uint64_t eval_serial; /* bumps at every completed pass (gallery, confusion, test_acc) */

    /* --- test evaluation (refreshed after each full pass; gallery_valid .. test_n stay
     * together: session_snapshot copies them as one range when eval_serial changed) --- */
    int gallery_valid;
    VsGalleryItem easy[VS_GALLERY];    /* least activation first */
    VsGalleryItem hard[VS_GALLERY];    /* most activation first */
    int confusion[RT_MAX_C][RT_MAX_C]; /* [true][pred], unreached not counted */
    float class_act[RT_MAX_C];         /* mean activation % per true class */
    float test_act_mean;               /* mean activation % over the test pass */
    int test_n;                        /* samples in the last pass */
} ViewState;

#endif
