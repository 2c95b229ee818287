/* dataset.h — images as uint8 in memory (docs/DESIGN.md §1.1, §4).
 *
 * Every dataset is held as uint8 pixels; the network input is x / 255 (so
 * pixels are in [0,1], docs/DESIGN.md §1.1), converted per minibatch by
 * data_batch_float(). USPS's [-1,1] features are mapped to 0..255 on load. */
#ifndef RTVIZ_DATASET_H
#define RTVIZ_DATASET_H

#include <stdint.h>

#include "common.h"

#define DS_MAX_CLASSES 16

/* Caps on what a data file may hold, checked before anything is allocated
 * (datasets/README.md). The datasets rtviz knows stay far below them:
 * (Fashion-)MNIST 60,000 images of 784 pixels (47 MB), USPS 7,291 samples,
 * CIFAR-10 10,000 records per batch file. */
#define DS_MAX_ITEMS     1000000             /* images or labels in one IDX file */
#define DS_MAX_PIXELS    (1u << 20)          /* rows * cols of one IDX image */
#define DS_MAX_BYTES     ((uint64_t)1 << 28) /* 256 MiB of pixels in one IDX file */
#define USPS_MAX_SAMPLES 100000              /* lines of one USPS file */
#define USPS_MAX_FILE    ((size_t)64 << 20)  /* 64 MiB of USPS text (decompressed) */
#define CIFAR_MAX_RECS   20000               /* records in one CIFAR-10 batch file */

typedef struct {
    int n;      /* number of samples */
    int ch;     /* channels (1 grey, 3 RGB) */
    int h, w;   /* image height, width */
    int d;      /* ch*h*w: input dimension */
    uint8_t *x; /* n x d pixels, channel-major per image (CHW), 0..255 */
    uint8_t *y; /* n labels, each < classes */
} DataSplit;

typedef struct {
    char name[32];  /* registry name: fashionmnist, mnist, usps, cifar10, sample */
    char dir[4096]; /* where it was loaded from ("(embedded)" never: sample is a dir too) */
    int classes;    /* C */
    const char *class_names[DS_MAX_CLASSES]; /* static strings, or into names_buf */
    char *names_buf; /* own data: storage of its class names (freed by dataset_free) */
    DataSplit train, test;
} Dataset;

/* --- readers (each validates everything; errors name the file) --- */

/* IDX image file (magic 0x00000803, n x rows x cols), gzip or raw. Never
 * allocates more than the file can hold, nor beyond the caps above; a FIFO,
 * device or directory is refused without blocking on it; trailing data
 * after the images (or after the gzip stream) is an error. out is a
 * zeroed split or one already holding the labels (the counts must agree); on
 * failure it is left as it was. Free with data_split_free. */
int idx_load_images(const char *path, DataSplit *out, RtErr *e);
/* IDX label file (magic 0x00000801); every label must be < classes (1-256).
 * out as for idx_load_images (it may already hold the images). */
int idx_load_labels(const char *path, DataSplit *out, int classes, RtErr *e);

/* Read a whole file (gzip or raw) into a new buffer (*buf, *len; free() it).
 * Fails, naming the file, on a directory, an empty file, a read or gzip error,
 * a bzip2 file (which must be decompressed with bunzip2 first) or more than
 * max bytes of content. The buffer grows as data arrives. */
int ds_read_file(const char *path, size_t max, uint8_t **buf, size_t *len, RtErr *e);

/* USPS in LIBSVM text format ("label idx:value ..."; labels 1..10 become
 * 0..9, 256 features in [-1,1] become 16x16 uint8 0..255; a missing
 * feature is 0, as LIBSVM means). */
int usps_load(const char *path, DataSplit *out, RtErr *e);

/* CIFAR-10 binary batches (records of 1 label byte + 3072 bytes CHW, 3x32x32):
 * the npaths files are read and concatenated into out. */
int cifar_load(const char *const *paths, int npaths, DataSplit *out, RtErr *e);

/* Free a split's buffers and zero it. */
void data_split_free(DataSplit *s);

/* --- registry (docs/DESIGN.md §4) --- */

typedef struct {
    const char *name;       /* "fashionmnist" */
    const char *title;      /* "Fashion-MNIST" */
    const char *how_to_get; /* the exact command / instruction when missing */
} DatasetInfo;

int dataset_count(void);
const DatasetInfo *dataset_info(int i);
const DatasetInfo *dataset_lookup(const char *name); /* NULL if unknown */
/* The class names of a registry dataset (static strings; *classes gets C), or
 * NULL when name is not one. Needs no files. */
const char *const *dataset_class_names(const char *name, int *classes);

/* Search the paths of docs/DESIGN.md §4 ($RTVIZ_DATA/NAME, datasets/NAME, system
 * dirs; the sample set under assets/) for a directory holding NAME's files.
 * Returns 0 and fills dir, or -1 with a message saying where it looked and how
 * to get it. */
int dataset_locate(const char *name, char *dir, int dirlen, RtErr *e);

/* The directories dataset_locate tries for NAME, in order (at most max of
 * them, each < DS_PATH_MAX chars). Returns how many were written. */
#define DS_PATH_MAX 4096
int dataset_candidates(const char *name, char (*dirs)[DS_PATH_MAX], int max);

/* What a dataset's training images look like, from the first file's header
 * alone (nothing large is read or allocated): a command checks that a model
 * fits before it loads data or model. */
typedef struct {
    int ch, h, w;           /* image shape */
    int n;                  /* training images (IDX; 0 when unknown without reading) */
    int classes;            /* C */
    char file[DS_PATH_MAX]; /* the training images file, for messages */
} DataShape;
int dataset_peek(const char *name, DataShape *out, RtErr *e);

/* The header of an IDX image file (checked as idx_load_images does): image
 * count and size. */
int idx_peek_images(const char *path, int *n, int *h, int *w, RtErr *e);

/* Locate and load both splits. */
int dataset_load(const char *name, Dataset *ds, RtErr *e);
void dataset_free(Dataset *ds);

/* out (n x d floats) = x[idx[i]] / 255 for i < n. idx NULL means rows 0..n-1. */
void data_batch_float(const DataSplit *s, const int *idx, int n, float *out);

/* Directory of assets (sample set, pretrained model): $RTVIZ_ASSETS, assets/
 * next to the executable, ./assets, EXEDIR/../share/rtviz, or the installed
 * PREFIX/share/rtviz (compile-time RTVIZ_PREFIX, default /usr/local).
 * Returns a per-thread buffer, rewritten by the next call. */
const char *rtviz_assets_dir(void);

#endif
