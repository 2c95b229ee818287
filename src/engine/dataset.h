/* dataset.h — images as uint8 in memory (DESIGN.md §2 performance, §4).
 *
 * Every dataset is held as uint8 pixels; the network input is x / 255 (so
 * pixels are in [0,1], DESIGN.md §1), converted per minibatch by
 * data_batch_float(). USPS's [-1,1] features are mapped to 0..255 on load. */
#ifndef RTVIZ_DATASET_H
#define RTVIZ_DATASET_H

#include <stdint.h>

#include "common.h"

#define DS_MAX_CLASSES 16

typedef struct {
    int n;      /* number of samples */
    int ch;     /* channels (1 grey, 3 RGB) */
    int h, w;   /* image height, width */
    int d;      /* ch*h*w: input dimension */
    uint8_t *x; /* n x d pixels, channel-major per image (CHW), 0..255 */
    uint8_t *y; /* n labels, each < classes */
} DataSplit;

typedef struct {
    char name[32];    /* registry name: fashionmnist, mnist, usps, cifar10, sample */
    char dir[4096];   /* where it was loaded from ("(embedded)" never: sample is a dir too) */
    int classes;      /* C */
    const char *class_names[DS_MAX_CLASSES]; /* static strings */
    DataSplit train, test;
} Dataset;

/* --- readers (each validates everything; errors name the file) --- */

/* IDX image file (magic 0x00000803, n x rows x cols), gzip or raw (zlib's
 * gzopen reads both). Never allocates more than the file can hold. */
int idx_load_images(const char *path, DataSplit *out, RtErr *e);
/* IDX label file (magic 0x00000801); every label must be < classes. */
int idx_load_labels(const char *path, DataSplit *out, int classes, RtErr *e);

/* --- registry (DESIGN.md §4) --- */

typedef struct {
    const char *name;      /* "fashionmnist" */
    const char *title;     /* "Fashion-MNIST" */
    const char *how_to_get;/* the exact command / instruction when missing */
} DatasetInfo;

int                dataset_count(void);
const DatasetInfo *dataset_info(int i);
const DatasetInfo *dataset_lookup(const char *name); /* NULL if unknown */

/* Search the paths of DESIGN.md §4 ($RTVIZ_DATA/NAME, datasets/NAME, system
 * dirs; the sample set under assets/) for a directory holding NAME's files.
 * Returns 0 and fills dir, or -1 with a message saying where it looked and how
 * to get it. */
int dataset_locate(const char *name, char *dir, int dirlen, RtErr *e);

/* Locate and load both splits. */
int  dataset_load(const char *name, Dataset *ds, RtErr *e);
void dataset_free(Dataset *ds);

/* out (n x d floats) = x[idx[i]] / 255 for i < n. idx NULL means rows 0..n-1. */
void data_batch_float(const DataSplit *s, const int *idx, int n, float *out);

/* Directory of assets (sample set, pretrained model): $RTVIZ_ASSETS, ./assets,
 * or the installed PREFIX/share/rtviz. */
const char *rtviz_assets_dir(void);

#endif
