/* cifar.c — CIFAR-10, binary version (DESIGN.md §4).
 *
 * A batch file is a sequence of records of 1 label byte (0..9) and 3072 pixel
 * bytes: 1024 red, 1024 green, 1024 blue, each 32x32 row-major, i.e. already
 * channel-major (CHW) as DataSplit wants. The standard batches hold 10,000
 * records each (data_batch_1..5.bin, test_batch.bin). Files may be gzipped. */
#include "dataset.h"

#include <stdlib.h>
#include <string.h>

#define CIFAR_SIDE    32
#define CIFAR_D       (3 * CIFAR_SIDE * CIFAR_SIDE)
#define CIFAR_REC     (1 + CIFAR_D)
#define CIFAR_CLASSES 10

int cifar_load(const char *const *paths, int npaths, DataSplit *out, RtErr *e) {
    uint8_t *x = NULL, *y = NULL;
    size_t n = 0;
    if (npaths < 1) return rt_err(e, "CIFAR-10: no batch files given");
    for (int f = 0; f < npaths; f++) {
        const char *path = paths[f];
        uint8_t *buf = NULL;
        size_t len = 0;
        if (ds_read_file(path, (size_t)CIFAR_MAX_RECS * CIFAR_REC, &buf, &len, e)) goto fail;
        if (len % CIFAR_REC) {
            rt_err(e,
                   "%s: not a CIFAR-10 binary batch: %zu bytes is not a whole number of "
                   "%d-byte records (truncated or trailing data?)",
                   path, len, CIFAR_REC);
            free(buf);
            goto fail;
        }
        size_t m = len / CIFAR_REC;
        for (size_t i = 0; i < m; i++) {
            if (buf[i * CIFAR_REC] >= CIFAR_CLASSES) {
                rt_err(e, "%s: label %d of record %zu is not below the class count %d", path,
                       buf[i * CIFAR_REC], i, CIFAR_CLASSES);
                free(buf);
                goto fail;
            }
        }
        uint8_t *nx = realloc(x, (n + m) * CIFAR_D);
        if (nx) x = nx;
        uint8_t *ny = nx ? realloc(y, n + m) : NULL;
        if (ny) y = ny;
        if (!nx || !ny) {
            rt_err(e, "%s: out of memory", path);
            free(buf);
            goto fail;
        }
        for (size_t i = 0; i < m; i++) {
            y[n + i] = buf[i * CIFAR_REC];
            memcpy(x + (n + i) * CIFAR_D, buf + i * CIFAR_REC + 1, CIFAR_D);
        }
        n += m;
        free(buf);
    }
    memset(out, 0, sizeof *out);
    out->n = (int)n;
    out->ch = 3;
    out->h = out->w = CIFAR_SIDE;
    out->d = CIFAR_D;
    out->x = x;
    out->y = y;
    return 0;
fail:
    free(x);
    free(y);
    return -1;
}
