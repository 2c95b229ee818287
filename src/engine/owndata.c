/* owndata.c — see owndata.h. */
#include "owndata.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static float g_split = OD_SPLIT_DEF;

void owndata_set_test_split(float f) {
    if (f > 0.0f && f < 1.0f) g_split = f;
}

float owndata_test_split(void) { return g_split; }

static int ends_with(const char *s, const char *suf) {
    size_t a = strlen(s), b = strlen(suf);
    return a >= b && !strcasecmp(s + a - b, suf);
}

int owndata_is_path(const char *name) {
    struct stat st;
    if (!name || !*name) return 0;
    return strchr(name, '/') != NULL || ends_with(name, ".csv") || stat(name, &st) == 0;
}

/* --- small helpers ------------------------------------------------------------------ */

#include <stdarg.h>

#include "image.h"

/* snprintf that says whether it fit (1) */
__attribute__((format(printf, 3, 4))) static int sfmt(char *out, size_t cap, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(out, cap, fmt, ap);
    va_end(ap);
    return k >= 0 && (size_t)k < cap;
}

static int is_dir(const char *p) {
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static int exists(const char *p) {
    struct stat st;
    return stat(p, &st) == 0;
}

/* splitmix64: which rows go to the test split (deterministic, order-free) */
static uint64_t mix64(uint64_t x) {
    x += 0x9E3779B97F4A7C15ull;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return x ^ (x >> 31);
}

static int goes_to_test(uint64_t i, float split) {
    return (double)(mix64(i) >> 11) / 9007199254740992.0 < (double)split;
}

/* Names storage: Dataset.class_names point into ds->names_buf. */
static int names_alloc(Dataset *ds, RtErr *e) {
    if (!ds->names_buf) ds->names_buf = rt_calloc(DS_MAX_CLASSES, 32, "class names", e);
    return ds->names_buf ? 0 : -1;
}

/* (folder names and classes.txt are outside text: stored escaped, so every
 * front end can print them as they are) */
static void names_set(Dataset *ds, int k, const char *s) {
    char *slot = ds->names_buf + (size_t)k * 32;
    rt_escape(slot, 32, s);
    ds->class_names[k] = slot;
}

/* classes.txt of dir: one name a line (1-31 printable chars; CR ignored; blank
 * lines at the end ignored). Returns the count (0 when there is no file), or -1. */
static int read_classes_txt(const char *dir, char names[][32], int max, RtErr *e) {
    char path[DS_PATH_MAX + 16];
    if (!sfmt(path, sizeof path, "%s/classes.txt", dir) || !exists(path)) return 0;
    uint8_t *b;
    size_t n;
    if (image_read_file(path, 1 << 16, &b, &n, e)) return -1;
    int count = 0, line = 0, blank_at = 0;
    size_t i = 0;
    while (i < n) {
        size_t j = i;
        while (j < n && b[j] != '\n')
            j++;
        size_t k = j;
        if (k > i && b[k - 1] == '\r') k--;
        line++;
        if (k == i) {
            if (!blank_at) blank_at = line;
        } else {
            if (blank_at) {
                free(b);
                return rt_err(e, "%s: line %d: empty class name", path, blank_at);
            }
            if (count == max) {
                free(b);
                return rt_err(e, "%s: line %d: more than %d classes", path, line, max);
            }
            if (k - i > 31) {
                free(b);
                return rt_err(e, "%s: line %d: class name longer than 31 characters", path, line);
            }
            for (size_t q = i; q < k; q++)
                if (b[q] < 0x20 || b[q] == 0x7f) {
                    free(b);
                    return rt_err(e, "%s: line %d: control character in the class name", path,
                                  line);
                }
            memcpy(names[count], b + i, k - i);
            names[count][k - i] = 0;
            count++;
        }
        i = j + 1;
    }
    free(b);
    if (count == 0) return rt_err(e, "%s: no class names", path);
    return count;
}

static int cmp_str(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted names of dir's entries (hidden ones skipped): subdirectories when
 * dirs, else everything else. *out is an array of *n strings (free with
 * free_list). At most max entries. */
static int list_dir(const char *dir, int dirs, int max, char ***out, int *n, RtErr *e) {
    *out = NULL;
    *n = 0;
    DIR *d = opendir(dir);
    if (!d) return rt_err(e, "%s: %s", dir, strerror(errno));
    char **v = NULL;
    int cnt = 0, cap = 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        if (de->d_name[0] == '.') continue;
        char p[2 * DS_PATH_MAX];
        if (!sfmt(p, sizeof p, "%s/%s", dir, de->d_name)) continue;
        int isd = is_dir(p);
        if (dirs != isd) continue;
        if (cnt == max) {
            for (int i = 0; i < cnt; i++)
                free(v[i]);
            free(v);
            closedir(d);
            return rt_err(e, "%s: more than %d %s", dir, max, dirs ? "class folders" : "files");
        }
        if (cnt == cap) {
            cap = cap ? cap * 2 : 64;
            char **nv = realloc(v, (size_t)cap * sizeof *v);
            if (!nv) goto oom;
            v = nv;
        }
        v[cnt] = strdup(de->d_name);
        if (!v[cnt]) goto oom;
        cnt++;
    }
    closedir(d);
    if (cnt) qsort(v, (size_t)cnt, sizeof *v, cmp_str);
    *out = v;
    *n = cnt;
    return 0;
oom:
    for (int i = 0; i < cnt; i++)
        free(v[i]);
    free(v);
    closedir(d);
    return rt_err(e, "%s: out of memory listing it", dir);
}

static void free_list(char **v, int n) {
    for (int i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

/* A split that grows image by image. */
typedef struct {
    DataSplit s;
    int cap;
} Grow;

static int grow_push(Grow *g, const uint8_t *x, int y, RtErr *e) {
    if (g->s.n == g->cap) {
        int nc = g->cap ? g->cap * 2 : 256;
        uint8_t *nx = realloc(g->s.x, (size_t)nc * (size_t)g->s.d);
        if (!nx) return rt_err(e, "out of memory for %d images", nc);
        g->s.x = nx;
        uint8_t *ny = realloc(g->s.y, (size_t)nc);
        if (!ny) return rt_err(e, "out of memory for %d labels", nc);
        g->s.y = ny;
        g->cap = nc;
    }
    memcpy(g->s.x + (size_t)g->s.n * (size_t)g->s.d, x, (size_t)g->s.d);
    g->s.y[g->s.n++] = (uint8_t)y;
    return 0;
}

/* Split all into train/test by the row hash; both end non-empty (n >= 2). */
static int split_rows(const char *name, DataSplit *all, float split, DataSplit *tr, DataSplit *te,
                      RtErr *e) {
    int nt = 0;
    for (int i = 0; i < all->n; i++)
        nt += goes_to_test((uint64_t)i, split);
    int force = -1; /* a row moved to make a split non-empty */
    if (nt == 0)
        force = all->n - 1, nt = 1;
    else if (nt == all->n)
        force = 0, nt = all->n - 1;
    DataSplit *sp[2] = {tr, te};
    int cnt[2] = {all->n - nt, nt};
    for (int k = 0; k < 2; k++) {
        memset(sp[k], 0, sizeof *sp[k]);
        sp[k]->ch = all->ch, sp[k]->h = all->h, sp[k]->w = all->w, sp[k]->d = all->d;
        sp[k]->x = malloc((size_t)cnt[k] * (size_t)all->d);
        sp[k]->y = malloc((size_t)cnt[k]);
        if (!sp[k]->x || !sp[k]->y) {
            data_split_free(tr);
            data_split_free(te);
            return rt_err(e, "%s: out of memory splitting %d images", name, all->n);
        }
    }
    for (int i = 0; i < all->n; i++) {
        int t = goes_to_test((uint64_t)i, split);
        if (i == force) t = !t;
        DataSplit *s = sp[t];
        memcpy(s->x + (size_t)s->n * (size_t)all->d, all->x + (size_t)i * (size_t)all->d,
               (size_t)all->d);
        s->y[s->n++] = all->y[i];
    }
    return 0;
}

/* --- (b) CSV ---------------------------------------------------------------------------- */

/* One field: [ws] number [ws]. Returns 0 and the value, or -1: not a number. */
static int parse_num(const uint8_t *p, const uint8_t *end, double *v) {
    while (p < end && (*p == ' ' || *p == '\t'))
        p++;
    while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
        end--;
    if (p == end) return -1;
    int neg = 0;
    if (*p == '-' || *p == '+') neg = *p++ == '-';
    double x = 0;
    int digits = 0;
    while (p < end && *p >= '0' && *p <= '9') {
        if (x < 1e15) x = x * 10 + (*p - '0');
        p++, digits++;
    }
    if (p < end && *p == '.') {
        p++;
        double f = 0.1;
        while (p < end && *p >= '0' && *p <= '9') {
            x += f * (*p - '0');
            f *= 0.1;
            p++, digits++;
        }
    }
    if (!digits || p != end) return -1;
    *v = neg ? -x : x;
    return 0;
}

/* Image shape from the pixel count: s*s grey or 3*s*s RGB (1 <= s <= OD_MAX_SIDE). */
static int shape_of(long d, int *ch, int *side) {
    for (int c = 1; c <= 3; c += 2) {
        if (d % c) continue;
        long q = d / c, s = 1;
        while (s * s < q && s <= OD_MAX_SIDE)
            s++;
        if (s * s == q && s <= OD_MAX_SIDE) {
            *ch = c;
            *side = (int)s;
            return 0;
        }
    }
    return -1;
}

static void trim_field(const uint8_t *p, const uint8_t *end, char *out, size_t cap) {
    size_t k = (size_t)(end - p) < cap - 1 ? (size_t)(end - p) : cap - 1;
    for (size_t i = 0; i < k; i++)
        out[i] = (p[i] >= 0x20 && p[i] < 0x7f) ? (char)p[i] : '?';
    out[k] = 0;
}

int owndata_parse_csv(const uint8_t *buf, size_t len, const char *name, DataSplit *all,
                      int *classes, int *values255, RtErr *e) {
    memset(all, 0, sizeof *all);
    long fields = -1; /* per row, from the first data row */
    int first_line = 0, nrows = 0, maxlab = -1, header = 0;
    double vmax = 0;
    uint8_t *x = NULL, *y = NULL;
    /* pass 0 validates and measures; pass 1 converts */
    for (int pass = 0; pass < 2; pass++) {
        size_t i = 0;
        int line = 0, row = 0;
        while (i < len) {
            size_t j = i;
            while (j < len && buf[j] != '\n')
                j++;
            size_t k = j;
            if (k > i && buf[k - 1] == '\r') k--;
            line++;
            const uint8_t *p = buf + i, *end = buf + k;
            i = j + 1;
            int blank = 1;
            for (const uint8_t *q = p; q < end; q++)
                if (*q != ' ' && *q != '\t') blank = 0;
            if (blank) continue;
            if (memchr(p, 0, (size_t)(end - p)))
                return rt_err(e, "%s: line %d: a NUL byte (not a text file?)", name, line);
            /* the first field */
            const uint8_t *f = p, *fe = memchr(p, ',', (size_t)(end - p));
            if (!fe) fe = end;
            double v;
            if (line == header) continue;
            if (pass == 0 && row == 0 && !header && parse_num(f, fe, &v)) {
                header = line; /* a header row: its first field is not a number */
                continue;
            }
            if (pass == 0 && row == 0) first_line = line;
            if (parse_num(f, fe, &v) || v != (double)(long)v) {
                char t[24];
                trim_field(f, fe, t, sizeof t);
                return rt_err(e, "%s: line %d: label '%s' is not a whole number", name, line, t);
            }
            if (v < 0 || v >= OD_MAX_CLASSES)
                return rt_err(e, "%s: line %d: label %ld is out of range (0-%d)", name, line,
                              (long)v, OD_MAX_CLASSES - 1);
            int lab = (int)v;
            long nf = 0;
            const uint8_t *q = fe;
            while (q < end) { /* q at a ',' */
                const uint8_t *s = q + 1, *se = memchr(s, ',', (size_t)(end - s));
                if (!se) se = end;
                if (pass == 0) {
                    if (parse_num(s, se, &v)) {
                        char t[24];
                        trim_field(s, se, t, sizeof t);
                        return rt_err(e, "%s: line %d, field %ld: '%s' is not a number", name, line,
                                      nf + 2, t);
                    }
                    if (v < 0 || v > 255)
                        return rt_err(e,
                                      "%s: line %d, field %ld: value %g is out of range (0-255, "
                                      "or 0-1)",
                                      name, line, nf + 2, v);
                    if (v > vmax) vmax = v;
                } else {
                    parse_num(s, se, &v);
                    double px = *values255 ? v : v * 255.0;
                    x[(size_t)row * (size_t)fields + (size_t)nf] = (uint8_t)(px + 0.5);
                }
                nf++;
                q = se;
            }
            if (pass == 0) {
                if (fields < 0) {
                    int ch, side;
                    if (nf == 0) return rt_err(e, "%s: line %d: a label and no pixels", name, line);
                    if (shape_of(nf, &ch, &side))
                        return rt_err(e,
                                      "%s: line %d: %ld pixels is not a square image (s*s grey or "
                                      "3*s*s RGB, s <= %d)",
                                      name, line, nf, OD_MAX_SIDE);
                    fields = nf;
                    all->ch = ch, all->h = all->w = side, all->d = (int)nf;
                } else if (nf != fields)
                    return rt_err(e, "%s: line %d: %ld pixel values, but line %d has %ld", name,
                                  line, nf, first_line, fields);
                if (row == OD_MAX_IMAGES)
                    return rt_err(e, "%s: line %d: more than %d images", name, line, OD_MAX_IMAGES);
                if (lab > maxlab) maxlab = lab;
            } else
                y[row] = (uint8_t)lab;
            row++;
        }
        if (pass == 0) {
            if (row == 0)
                return rt_err(e, "%s: no data rows (label,p0,p1,... one image a line)", name);
            if (maxlab < 1)
                return rt_err(e, "%s: every label is 0: at least 2 classes are needed", name);
            nrows = row;
            *values255 = vmax > 1.0;
            x = malloc((size_t)nrows * (size_t)fields);
            y = malloc((size_t)nrows);
            if (!x || !y) {
                free(x);
                free(y);
                return rt_err(e, "%s: out of memory for %d images", name, nrows);
            }
        }
    }
    all->n = nrows;
    all->x = x;
    all->y = y;
    *classes = maxlab + 1;
    return 0;
}

static int load_csv(const char *path, Dataset *ds, char *note, size_t notecap, RtErr *e) {
    uint8_t *b;
    size_t n;
    if (image_read_file(path, OD_MAX_CSV, &b, &n, e)) return -1;
    DataSplit all;
    int classes, v255;
    int rc = owndata_parse_csv(b, n, path, &all, &classes, &v255, e);
    free(b);
    if (rc) return -1;
    if (all.n < 2) {
        data_split_free(&all);
        return rt_err(e, "%s: one image: at least 2 are needed (a training and a test split)",
                      path);
    }
    float split = owndata_test_split();
    rc = split_rows(path, &all, split, &ds->train, &ds->test, e);
    data_split_free(&all);
    if (rc) return -1;
    ds->classes = classes;
    if (names_alloc(ds, e)) return -1;
    for (int k = 0; k < classes; k++) {
        char t[8];
        sfmt(t, sizeof t, "%d", k);
        names_set(ds, k, t);
    }
    if (note)
        sfmt(note, notecap, "CSV, values %s, %dx%dx%d images, test split %.2g (%d of %d rows)",
             v255 ? "0-255" : "0-1 (scaled to 0-255)", ds->train.ch, ds->train.h, ds->train.w,
             split, ds->test.n, ds->train.n + ds->test.n);
    return 0;
}

/* --- (a) a directory of IDX files ------------------------------------------------------ */

/* dir/SPLIT-KIND-idxN-ubyte (also "SPLIT-KIND.idxN-ubyte"), raw or .gz. */
static int find_idx(const char *dir, const char *split, const char *kind, int nd, char *out,
                    size_t cap) {
    static const char *const FORMS[] = {"%s/%s-%s-idx%d-ubyte", "%s/%s-%s-idx%d-ubyte.gz",
                                        "%s/%s-%s.idx%d-ubyte", "%s/%s-%s.idx%d-ubyte.gz"};
    for (int i = 0; i < 4; i++)
        if (sfmt(out, cap, FORMS[i], dir, split, kind, nd) && exists(out)) return 1;
    sfmt(out, cap, "%s/%s-%s-idx%d-ubyte", dir, split, kind, nd);
    return 0;
}

static int holds_idx(const char *dir) {
    char f[DS_PATH_MAX + 64];
    return find_idx(dir, "train", "images", 3, f, sizeof f) ||
           find_idx(dir, "train", "labels", 1, f, sizeof f);
}

/* the readers open files blocking: refuse anything but a regular file first */
static int check_regular(const char *path, RtErr *e) {
    struct stat st;
    if (stat(path, &st) != 0) return rt_err(e, "%s: %s", path, strerror(errno));
    if (!S_ISREG(st.st_mode)) return rt_err(e, "%s: not a regular file", path);
    return 0;
}

static int load_idx_dir(const char *dir, Dataset *ds, char *note, size_t notecap, RtErr *e) {
    static const char *const SPLIT[2] = {"train", "t10k"};
    DataSplit *sp[2] = {&ds->train, &ds->test};
    for (int t = 0; t < 2; t++) {
        char fi[DS_PATH_MAX + 64], fl[DS_PATH_MAX + 64];
        if (!find_idx(dir, SPLIT[t], "images", 3, fi, sizeof fi))
            return rt_err(e, "%s: missing (an IDX dataset directory needs all four files)", fi);
        if (!find_idx(dir, SPLIT[t], "labels", 1, fl, sizeof fl))
            return rt_err(e, "%s: missing (an IDX dataset directory needs all four files)", fl);
        if (check_regular(fi, e) || check_regular(fl, e)) return -1;
        if (idx_load_images(fi, sp[t], e) || idx_load_labels(fl, sp[t], OD_MAX_CLASSES, e))
            return -1;
        if (sp[t]->h > OD_MAX_SIDE || sp[t]->w > OD_MAX_SIDE)
            return rt_err(e, "%s: %dx%d images are larger than the %d a side rtviz trains on", fi,
                          sp[t]->h, sp[t]->w, OD_MAX_SIDE);
    }
    if (ds->train.h != ds->test.h || ds->train.w != ds->test.w)
        return rt_err(e, "%s: training images are %dx%d but test images %dx%d", dir, ds->train.h,
                      ds->train.w, ds->test.h, ds->test.w);
    int maxlab = 0;
    for (int t = 0; t < 2; t++)
        for (int i = 0; i < sp[t]->n; i++)
            if (sp[t]->y[i] > maxlab) maxlab = sp[t]->y[i];
    char names[OD_MAX_CLASSES][32];
    int nn = read_classes_txt(dir, names, OD_MAX_CLASSES, e);
    if (nn < 0) return -1;
    int C = nn ? nn : maxlab + 1;
    if (nn && maxlab >= nn)
        return rt_err(e, "%s/classes.txt: names %d classes, but a label is %d", dir, nn, maxlab);
    if (C < 2) return rt_err(e, "%s: every label is 0: at least 2 classes are needed", dir);
    if (names_alloc(ds, e)) return -1;
    for (int k = 0; k < C; k++) {
        char t[8];
        sfmt(t, sizeof t, "%d", k);
        names_set(ds, k, nn ? names[k] : t);
    }
    ds->classes = C;
    if (note)
        sfmt(note, notecap, "IDX directory, %dx%d images, class names %s", ds->train.h, ds->train.w,
             nn ? "from classes.txt" : "0..C-1 (no classes.txt)");
    return 0;
}

/* --- (c) a directory of class folders of images ------------------------------------------ */

typedef struct {
    ImagePrep prep; /* fixed by the first image */
    int have;       /* prep is set */
    int resized;    /* images whose size differed from the first's */
    uint8_t *buf;   /* one converted image */
    long total;     /* images read */
} FolderState;

/* Read every image of class folder cdir as class k into g (or, with split,
 * into tr/te by the running image count). */
static int read_class(const char *cdir, int k, FolderState *st, Grow *g, Grow *te, float split,
                      RtErr *e) {
    char **files;
    int nf;
    if (list_dir(cdir, 0, OD_MAX_IMAGES, &files, &nf, e)) return -1;
    if (nf == 0) {
        free_list(files, nf);
        return rt_err(e, "%s: empty class folder (no images)", cdir);
    }
    int rc = 0;
    for (int i = 0; i < nf && !rc; i++) {
        char p[2 * DS_PATH_MAX];
        if (!sfmt(p, sizeof p, "%s/%s", cdir, files[i])) {
            rc = rt_err(e, "%s/%s: path too long", cdir, files[i]);
            break;
        }
        Image im;
        if (image_load(p, &im, e)) {
            rc = -1;
            break;
        }
        if (!st->have) {
            int h = im.h, w = im.w;
            if (h > OD_MAX_SIDE || w > OD_MAX_SIDE) { /* keep the aspect, fit the cap */
                double s = (double)OD_MAX_SIDE / (h > w ? h : w);
                h = h * s < 1 ? 1 : (int)(h * s + 0.5);
                w = w * s < 1 ? 1 : (int)(w * s + 0.5);
            }
            image_prep_default(&st->prep, NULL, im.comp <= 2 ? 1 : 3, h, w);
            st->buf = malloc((size_t)st->prep.ch * h * w);
            if (!st->buf) {
                image_free(&im);
                rc = rt_err(e, "%s: out of memory", p);
                break;
            }
            g->s.ch = te->s.ch = st->prep.ch;
            g->s.h = te->s.h = h;
            g->s.w = te->s.w = w;
            g->s.d = te->s.d = st->prep.ch * h * w;
            st->have = 1;
        } else if (im.h != st->prep.h || im.w != st->prep.w)
            st->resized++;
        if (st->total == OD_MAX_IMAGES) {
            image_free(&im);
            rc = rt_err(e, "%s: more than %d images", p, OD_MAX_IMAGES);
            break;
        }
        if (image_prepare(im.pix, im.w, im.h, im.comp, &st->prep, st->buf, e)) {
            image_free(&im);
            rc = rt_err(e, "%s: cannot convert it", p);
            break;
        }
        image_free(&im);
        Grow *dst = g;
        if (split > 0 && goes_to_test((uint64_t)st->total, split)) dst = te;
        if (grow_push(dst, st->buf, k, e)) rc = rt_err(e, "%s: out of memory", p);
        st->total++;
    }
    free_list(files, nf);
    return rc;
}

static int load_folders(const char *dir, Dataset *ds, char *note, size_t notecap, RtErr *e) {
    char trd[DS_PATH_MAX + 16], ted[DS_PATH_MAX + 16];
    int own_split = sfmt(trd, sizeof trd, "%s/train", dir) &&
                    sfmt(ted, sizeof ted, "%s/test", dir) && is_dir(trd) && is_dir(ted);
    const char *cls_dir = own_split ? trd : dir;
    char **cls;
    int nc;
    if (list_dir(cls_dir, 1, OD_MAX_CLASSES + 1, &cls, &nc, e)) return -1;
    if (nc < 2) {
        free_list(cls, nc);
        return rt_err(e, "%s: %d class folder%s: at least 2 are needed (DIR/CLASS/IMAGE.png)",
                      cls_dir, nc, nc == 1 ? "" : "s");
    }
    if (nc > OD_MAX_CLASSES) {
        free_list(cls, nc);
        return rt_err(e, "%s: more than %d class folders", cls_dir, OD_MAX_CLASSES);
    }
    for (int k = 0; k < nc; k++)
        if (strlen(cls[k]) > 31) {
            int rc =
                rt_err(e, "%s/%s: class folder name longer than 31 characters", cls_dir, cls[k]);
            free_list(cls, nc);
            return rc;
        }
    FolderState st;
    memset(&st, 0, sizeof st);
    Grow tr, te;
    memset(&tr, 0, sizeof tr);
    memset(&te, 0, sizeof te);
    float split = own_split ? 0.0f : owndata_test_split();
    int rc = 0;
    for (int k = 0; k < nc && !rc; k++) {
        char cd[2 * DS_PATH_MAX];
        sfmt(cd, sizeof cd, "%s/%s", cls_dir, cls[k]);
        rc = read_class(cd, k, &st, &tr, &te, split, e);
    }
    if (!rc && own_split) {
        /* the test folder: its class folders must be among the training ones */
        char **tcls;
        int ntc;
        if (list_dir(ted, 1, OD_MAX_CLASSES + 1, &tcls, &ntc, e))
            rc = -1;
        else {
            if (ntc == 0) rc = rt_err(e, "%s: no class folders", ted);
            for (int j = 0; j < ntc && !rc; j++) {
                int k = 0;
                while (k < nc && strcmp(cls[k], tcls[j]))
                    k++;
                if (k == nc) {
                    rc = rt_err(e, "%s/%s: a test class with no training folder", ted, tcls[j]);
                    break;
                }
                char cd[2 * DS_PATH_MAX];
                sfmt(cd, sizeof cd, "%s/%s", ted, tcls[j]);
                rc = read_class(cd, k, &st, &te, &te, 0.0f, e);
            }
            free_list(tcls, ntc);
        }
    }
    if (!rc && (tr.s.n == 0 || te.s.n == 0))
        rc = rt_err(e, "%s: %d images: too few for a training and a test split", dir,
                    tr.s.n + te.s.n);
    if (!rc) rc = names_alloc(ds, e);
    if (rc) {
        data_split_free(&tr.s);
        data_split_free(&te.s);
        free(st.buf);
        free_list(cls, nc);
        return -1;
    }
    for (int k = 0; k < nc; k++)
        names_set(ds, k, cls[k]);
    ds->classes = nc;
    ds->train = tr.s;
    ds->test = te.s;
    char how[64];
    if (own_split)
        sfmt(how, sizeof how, "train/ and test/ folders");
    else
        sfmt(how, sizeof how, "test split %.2g", split);
    if (note)
        sfmt(note, notecap,
             "image folders, %ld images converted to %dx%dx%d (the first image's shape; %d of "
             "another size resized), %s",
             st.total, st.prep.ch, st.prep.h, st.prep.w, st.resized, how);
    free(st.buf);
    free_list(cls, nc);
    return 0;
}

/* --- dispatch ------------------------------------------------------------------------------- */

int owndata_load(const char *path, Dataset *ds, char *note, size_t notecap, RtErr *e) {
    memset(ds, 0, sizeof *ds);
    if (note && notecap) note[0] = 0;
    struct stat st;
    if (stat(path, &st) != 0) return rt_err(e, "%s: %s", path, strerror(errno));
    int rc;
    if (S_ISDIR(st.st_mode))
        rc = holds_idx(path) ? load_idx_dir(path, ds, note, notecap, e)
                             : load_folders(path, ds, note, notecap, e);
    else if (S_ISREG(st.st_mode))
        rc = load_csv(path, ds, note, notecap, e);
    else
        rc = rt_err(e, "%s: is %s, not a CSV file or a directory", path,
                    S_ISFIFO(st.st_mode)                         ? "a FIFO"
                    : S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode) ? "a device"
                    : S_ISSOCK(st.st_mode)                       ? "a socket"
                                                                 : "something else");
    if (rc) {
        dataset_free(ds);
        return -1;
    }
    size_t n = strlen(path);
    sfmt(ds->name, sizeof ds->name, "%s",
         n < sizeof ds->name ? path : path + n - (sizeof ds->name - 1));
    sfmt(ds->dir, sizeof ds->dir, "%s", path);
    return 0;
}

int owndata_peek(const char *path, DataShape *out, RtErr *e) {
    memset(out, 0, sizeof *out);
    Dataset ds;
    if (owndata_load(path, &ds, NULL, 0, e)) return -1;
    out->ch = ds.train.ch;
    out->h = ds.train.h;
    out->w = ds.train.w;
    out->n = ds.train.n;
    out->classes = ds.classes;
    sfmt(out->file, sizeof out->file, "%s", path);
    dataset_free(&ds);
    return 0;
}

int owndata_class_names(const char *path, int C, char names[][32]) {
    if (!path || !is_dir(path)) return 0;
    RtErr e;
    char tmp[OD_MAX_CLASSES][32];
    int n = 0;
    if (holds_idx(path)) {
        n = read_classes_txt(path, tmp, OD_MAX_CLASSES, &e);
        if (n < 0) n = 0;
    } else {
        char trd[DS_PATH_MAX + 16], **cls;
        const char *d = sfmt(trd, sizeof trd, "%s/train", path) && is_dir(trd) ? trd : path;
        if (list_dir(d, 1, OD_MAX_CLASSES, &cls, &n, &e)) return 0;
        for (int k = 0; k < n; k++)
            sfmt(tmp[k], 32, "%s", cls[k]);
        free_list(cls, n);
    }
    if (n > C) n = C;
    for (int k = 0; k < n; k++)
        rt_escape(names[k], 32, tmp[k]);
    return n;
}
