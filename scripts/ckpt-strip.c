/* ckpt-strip.c — copy a checkpoint without its Adam state (a third of the size).
 *
 *   ckpt-strip IN OUT
 *
 * Loads IN with the engine's ckpt_load and writes OUT with ckpt_save and no
 * optimiser (the format's "adam = 0"), so weights, config, seed, step, epoch
 * and dataset name are kept bit for bit. Used by scripts/make-models.sh for
 * the shipped models no chapter resumes training from. Built by that script
 * against the engine objects; not part of rtviz itself. Exit 0 ok, 1 on a
 * runtime error, 2 on bad usage; errors are one line on stderr. */
#include <stdio.h>
#include <string.h>

#include "checkpoint.h"

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: ckpt-strip IN OUT\n");
        return 2;
    }
    Model m;
    CkptMeta meta;
    RtErr e;
    memset(&m, 0, sizeof m);
    memset(&meta, 0, sizeof meta);
    memset(&e, 0, sizeof e);
    if (ckpt_load(argv[1], &m, NULL, &meta, &e)) {
        fprintf(stderr, "ckpt-strip: %s\n", e.msg);
        return 1;
    }
    int rc = 0;
    if (ckpt_save(argv[2], &m, NULL, &meta, &e)) {
        fprintf(stderr, "ckpt-strip: %s\n", e.msg);
        rc = 1;
    }
    model_free(&m);
    return rc;
}
