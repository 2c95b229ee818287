/* checkpoint.h — versioned binary checkpoints and safetensors export.
 *
 * File layout (little-endian): magic "RTVIZCK\0", u32 version, the config
 * fields one by one, u64 seed, u64 step, u32 epoch, Adam state (t, lr, m, v),
 * the weights, and last a CRC-32 (zlib) over every byte before it. Saving
 * goes through the atomic writer (atomicio.h), so the old file stays whole
 * until the new one is, and a FIFO, device or directory is never replaced. */
#ifndef RTVIZ_CHECKPOINT_H
#define RTVIZ_CHECKPOINT_H

#include <stdint.h>

#include "common.h"
#include "model.h"
#include "optim.h"

#define CKPT_VERSION 1

/* Counters a checkpoint may hold; beyond them it is rejected at load, so
 * resuming can never overflow them (a step per microsecond for 30 years
 * stays below CKPT_MAX_STEP). */
#define CKPT_MAX_STEP  ((uint64_t)1 << 50) /* minibatches, also Adam's step count */
#define CKPT_MAX_EPOCH 100000000u          /* epochs */

typedef struct {
    uint64_t seed;  /* the run's seed */
    uint64_t step;  /* minibatches trained */
    uint32_t epoch; /* epochs completed */
    char dataset[32];
} CkptMeta;

/* adam may be NULL (saved as absent). */
int ckpt_save(const char *path, const Model *m, const Adam *adam, const CkptMeta *meta, RtErr *e);

/* Loads into a freshly allocated model (and adam, if not NULL and present in
 * the file; otherwise adam is left zeroed). Rejects wrong magic, version,
 * size, config, counters or CRC with a message naming the file. The header
 * is checked against the file's size before the rest is read; a FIFO,
 * device or directory is refused without blocking on it. */
int ckpt_load(const char *path, Model *m, Adam *adam, CkptMeta *meta, RtErr *e);

/* The config and meta from the header alone (checked like ckpt_load, but
 * without reading the weights or the CRC): what a command needs to check
 * that a model fits a dataset before loading either. */
int ckpt_peek(const char *path, ModelConfig *cfg, CkptMeta *meta, RtErr *e);

/* Same, from memory (the fuzz harness and tests use this). */
int ckpt_load_mem(const uint8_t *buf, size_t len, const char *name, Model *m, Adam *adam,
                  CkptMeta *meta, RtErr *e);

/* Weights as safetensors (F32, tensor names from the model's table, row-major
 * shapes), atomically like ckpt_save. */
int ckpt_export_safetensors(const char *path, const Model *m, RtErr *e);

#endif
