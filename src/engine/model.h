/* model.h — a network's configuration and its one flat parameter buffer.
 *
 * Both architectures (RayTracing network, dense MLP baseline) keep every
 * parameter in one allocation `w` carved into named tensors by a table
 * (llm.c style): the optimiser is one flat loop, a checkpoint one write, and
 * the safetensors export walks the table. Gradients live in `g`, same layout.
 *
 * RT layout, in this order (docs/DESIGN.md §1.1):
 *   router.W (B x D), router.b (B),
 *   then for l = 0..L-1, i = 0..B-1:  L{l}.B{i}.W1 (H x din), .b1 (H), .W2 (K x H), .b2 (K)
 *   with din = D for l = 0 else H, and K = B for l < L-1 else C.
 * MLP layout: fc{j}.W (out x in), fc{j}.b (out) for j = 0..nhidden. */
#ifndef RTVIZ_MODEL_H
#define RTVIZ_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "common.h"

enum { ARCH_RT = 0, ARCH_MLP = 1 };

#define SCHED_MAX      32 /* θ schedule length limit */
#define RT_MAX_L       8  /* hidden layers */
#define RT_MAX_B       16 /* blocks per layer */
#define RT_MAX_C       16 /* classes */
#define MLP_MAX_HIDDEN 8

typedef struct {
    int arch;                   /* ARCH_RT or ARCH_MLP */
    int D, C;                   /* input dimension, classes */
    int ch, h, w;               /* image shape, D = ch*h*w (for display / classify) */
    int L, B, H;                /* RT: layers, blocks per layer, block width */
    int nhidden;                /* MLP: number of hidden layers */
    int hidden[MLP_MAX_HIDDEN]; /* MLP: their widths */
    float tau;                  /* sweep stop confidence τ */
    int nsched;                 /* θ schedule length */
    float sched[SCHED_MAX];     /* strictly decreasing, sched[nsched-1] == 0 */
} ModelConfig;

typedef struct {
    char name[48]; /* e.g. "L0.B3.W1" */
    int ndim;      /* 1 or 2 */
    int shape[2];  /* rows, cols (cols = 1 when ndim == 1) */
    size_t off;    /* offset in Model.w, in floats */
    size_t n;      /* element count */
} Tensor;

typedef struct {
    float *W1, *b1, *W2, *b2; /* views into Model.w */
    int din, K;               /* input width, outgoing connections */
    size_t off, n;            /* the block's parameter range in Model.w */
} RtBlock;

typedef struct {
    ModelConfig cfg;
    size_t n;  /* total parameters */
    float *w;  /* n parameters */
    float *g;  /* n gradients, same layout */
    int nt;    /* tensors */
    Tensor *t; /* nt tensor descriptors */
    /* RT views */
    float *Wr, *br;  /* router (B x D), (B) */
    size_t router_n; /* router parameter count */
    RtBlock *blk;    /* L*B blocks, blk[l*B + i] */
    /* MLP views: layer j maps width[j] -> width[j+1] */
    float *mW[MLP_MAX_HIDDEN + 1], *mb[MLP_MAX_HIDDEN + 1];
    int width[MLP_MAX_HIDDEN + 2]; /* D, hidden..., C */
} Model;

/* Defaults (docs/DESIGN.md §1.8; every one is a flag, and --help prints them from here). */
void model_config_default(ModelConfig *c, int arch, int ch, int h, int w, int C);

/* Check ranges (L, B, H, C limits, schedule decreasing and ending at 0, τ in
 * (0,1]; the limits of range.h); message names the offending field. */
int model_config_check(const ModelConfig *c, RtErr *e);

/* The θ from which no ray can reach the output: each active block passes on
 * its rate minus θ and a ray crosses L blocks, so the output mass is at most
 * 1 − (L+1)θ (docs/DESIGN.md §1.5). 1/(L+1) for RT; 1 (no limit) for the MLP. */
double model_theta_reach(const ModelConfig *c);

/* 0 when training or evaluating at θ (a floor, a fixed θ) can reach the
 * output of c, else -1 with e naming what ("--floor") and why. */
int model_check_theta(const ModelConfig *c, float theta, const char *what, RtErr *e);

/* The parameter count of a network of config c (the length of Model.w):
 * the one place it is derived, from the tensor table's layout. c must pass
 * model_config_check. */
size_t model_param_count(const ModelConfig *c);

/* Allocate w/g and the tensor table, bind views, and initialise weights
 * deterministically from seed (He-uniform for W, zero biases). */
int model_init(Model *m, const ModelConfig *c, uint64_t seed, RtErr *e);
/* Allocate and bind without initialising (checkpoint loading). */
int model_alloc(Model *m, const ModelConfig *c, RtErr *e);
void model_free(Model *m);
void model_zero_grad(Model *m);

/* Parse "0.5,0.3,...,0" into c->sched: each value in RANGE_SCHED as written
 * and as a float, strictly decreasing, the last one 0. Messages start with
 * "--schedule:". */
int model_parse_schedule(ModelConfig *c, const char *s, RtErr *e);

#endif
