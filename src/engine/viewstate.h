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

typedef struct {
    /* --- network shape (fixed for a run) --- */
    int arch; /* ARCH_RT / ARCH_MLP */
    int L, B, C, D, ch, h, w;
    long params_total;
    char dataset[32];
    char class_names[RT_MAX_C][16];

    /* --- thresholds --- */
    float tau;   /* stop confidence */
    float floor; /* θ floor for training and sweeps */
    int nsched;  /* effective schedule length (with floor) */
    float sched[SCHED_MAX];

    /* --- the traced sample --- */
    int trace_index; /* test index, -1 for a drawn image */
    int trace_label; /* true label or -1 */
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

    /* --- test evaluation (refreshed after each full pass) --- */
    int gallery_valid;
    VsGalleryItem easy[VS_GALLERY];    /* least activation first */
    VsGalleryItem hard[VS_GALLERY];    /* most activation first */
    int confusion[RT_MAX_C][RT_MAX_C]; /* [true][pred], unreached not counted */
    float class_act[RT_MAX_C];         /* mean activation % per true class */
    float test_act_mean;               /* mean activation % over the test pass */
    int test_n;                        /* samples in the last pass */
} ViewState;

#endif
