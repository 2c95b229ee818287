/* atomicio.h — the one atomic file writer (checkpoints, CSV, JSON, PNG).
 *
 * A file is written to a temporary file in the target's directory, created
 * with O_CREAT|O_EXCL|O_NOFOLLOW under an unpredictable name of the fixed
 * pattern ".NAME.rtviz-PID-XXXXXXXX" (mode 0600 while it is written), then
 * flushed, fsynced, given its final mode, renamed over the target and the
 * directory fsynced. Until the rename the old file stays whole; on any
 * failure the temporary file is removed and the target is untouched.
 *
 * Targets: a missing file is created (mode 0666 & ~umask); an existing
 * regular file is replaced and keeps its mode (and, when permitted, its
 * owner); a symlink is resolved and the file it points to is replaced (the
 * link stays a link); a dangling symlink, a symlink loop and anything that
 * is not a regular file (directory, FIFO, device node, socket) are refused.
 *
 * A save killed before its rename (SIGKILL, power loss) leaves its temporary
 * file; the next aw_open in that directory removes such files of this
 * pattern, owned by the same user, whose writer process is gone, or that
 * have not been modified for AW_STALE_SECONDS while their pid now belongs
 * to a program other than rtviz (a reused pid). */
#ifndef RTVIZ_ATOMICIO_H
#define RTVIZ_ATOMICIO_H

#include <stdio.h>
#include <sys/types.h>

#include "common.h"

#define AW_STALE_SECONDS 3600 /* untouched this long and its pid is not rtviz: stale */
#define AW_TMP_EXTRA     27   /* the most bytes the temp name adds to the target's name */

typedef struct {
    FILE *f;      /* the open temporary file: write with fwrite/fprintf */
    char *path;   /* the file that will be replaced (a symlink resolved), owned */
    char *tmp;    /* the temporary file's path, owned */
    mode_t mode;  /* permission bits the committed file gets */
    int keep_own; /* the target existed: give the new file its owner */
    uid_t uid;    /* the replaced file's owner */
    gid_t gid;    /* the replaced file's group */
} AtomicWriter;

/* Pre-flight for an output path, before any work: the name is not empty
 * and does not end in '/', its directory exists, is a directory and is
 * writable, the name fits NAME_MAX with the temp suffix, and an existing
 * target (after resolving symlinks) is a regular file. Returns 0, or -1
 * with one line naming the path and the reason. */
int aw_check(const char *path, RtErr *e);

/* 1 when a and b are the same file: both exist with the same device and
 * inode (symlinks followed), or neither exists and both name the same path
 * once symlinks and the directory are resolved ("out.csv", "./out.csv");
 * else 0. A command calls it so that it never writes over its own input,
 * nor two outputs into one file. */
int aw_same_file(const char *a, const char *b);

/* Refuses (-1, one line) when out is the same file as in (either may be
 * NULL: then 0). what_out and what_in name the flags, e.g. "--out",
 * "--model". */
int aw_check_distinct(const char *out, const char *what_out, const char *in, const char *what_in,
                      RtErr *e);

/* Runs aw_check, removes stale temporary files of this pattern in the
 * target's directory, and creates the temporary file; w->f is open for
 * writing. On failure nothing is left behind and w is zeroed. */
int aw_open(AtomicWriter *w, const char *path, RtErr *e);

/* Finishes: fflush and ferror check, fsync, the final mode (and owner),
 * fclose, rename over the target, fsync of the directory. Frees w in every
 * case; on failure the temporary file is removed, the target is untouched
 * and e names the target and the reason (e.g. "no space left on device"). */
int aw_commit(AtomicWriter *w, RtErr *e);

/* Abandons: closes and removes the temporary file, frees w. Safe on a
 * zeroed or already finished writer. */
void aw_abort(AtomicWriter *w);

/* The whole file in one call: aw_open, one write of n bytes, aw_commit. */
int aw_write_file(const char *path, const void *buf, size_t n, RtErr *e);

/* 1 when name (a file name without directory) has the pattern of this
 * module's temporary files; *pid receives the writer's pid. */
int aw_is_temp_name(const char *name, long *pid);

#endif
