/* owndata.h — a class's own data, given to --dataset as a path:
 *
 *   (a) a directory with the four IDX files under their usual names
 *       (train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte,
 *       t10k-labels-idx1-ubyte; raw or .gz), any image size the network takes,
 *       up to OD_MAX_CLASSES classes; class names from an optional classes.txt
 *       (one name a line), else 0, 1, ...;
 *   (b) a CSV file: one image a row, "label,p0,p1,...", an optional header row
 *       (a first row whose first field is not a number), pixels either all in
 *       0-255 or all in 0-1 (detected: a value above 1 anywhere means 0-255),
 *       the image shape from the pixel count (a square, grey; 3 x a square for
 *       RGB), labels 0..C-1; the test split is a fraction of the rows
 *       (owndata_set_test_split);
 *   (c) a directory of class folders of images (DIR/cat/\*.png, DIR/dog/\*.png:
 *       the folder names, sorted, are the classes), read with the images
 *       module, each converted to the shape of the first image read (grey if
 *       it is grey, else RGB; at most OD_MAX_SIDE a side: a larger first
 *       image fixes the size at its aspect ratio scaled down to that) with
 *       image_prep_default; a test split as for CSV, or the folders
 *       DIR/train/CLASS and DIR/test/CLASS.
 *
 * Everything is validated like the built-in readers: errors are one line
 * naming the file and line or record. */
#ifndef RTVIZ_OWNDATA_H
#define RTVIZ_OWNDATA_H

#include "dataset.h"

#define OD_MAX_CLASSES DS_MAX_CLASSES    /* the network's class limit (RT_MAX_C) */
#define OD_MAX_SIDE    256               /* image height / width of own data */
#define OD_MAX_IMAGES  1000000           /* images in all */
#define OD_MAX_CSV     ((size_t)1 << 30) /* CSV bytes (1 GiB) */
#define OD_SPLIT_DEF   0.2f              /* default test fraction for CSV and folders */

/* 1 when a --dataset value is meant as a path (it holds a '/', or ends in
 * .csv, or names an existing file or directory), not a registry name. */
int owndata_is_path(const char *name);

/* The test fraction (0 < f < 1) for CSV files and image folders that have no
 * split of their own. Process-wide; set by --test-split. */
void owndata_set_test_split(float f);
float owndata_test_split(void);

/* Load own data at path into ds (both splits, class names, name = the path
 * cut to fit). note (may be NULL) gets one line on what was detected (e.g.
 * "values 0-1, scaled to 0-255"). */
int owndata_load(const char *path, Dataset *ds, char *note, size_t notecap, RtErr *e);

/* The shape and classes of own data, for a command's checks before it
 * loads anything else (own data is small: this loads it and frees it). */
int owndata_peek(const char *path, DataShape *out, RtErr *e);

/* Class names of own data without loading the images: classes.txt of an IDX
 * directory or the class folders' names. Fills names[0..C) where it knows
 * them and leaves the others; returns how many it filled (0 when none). */
int owndata_class_names(const char *path, int C, char names[][32]);

/* CSV parsing from memory (what owndata_load does for a .csv; the fuzzer
 * drives it): all rows into one split; *values255 tells which scale was
 * detected. name is used in messages. */
int owndata_parse_csv(const uint8_t *buf, size_t len, const char *name, DataSplit *all,
                      int *classes, int *values255, RtErr *e);

#endif
