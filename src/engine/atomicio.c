/* atomicio.c — the atomic file writer. See atomicio.h. */
#define _GNU_SOURCE /* O_NOFOLLOW, O_CLOEXEC, getrandom */
#include "atomicio.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define TMP_TAG ".rtviz-" /* between the target's name and the pid */
#define TMP_RND 8         /* random characters at the end */

/* strerror with a lower-case first letter: "no space left on device". */
static const char *reason(int err) {
    static _Thread_local char buf[128];
    snprintf(buf, sizeof buf, "%s", strerror(err));
    buf[0] = (char)tolower((unsigned char)buf[0]);
    return buf;
}

/* What a non-regular file is, for the message. */
static const char *kind(mode_t m) {
    if (S_ISDIR(m)) return "a directory";
    if (S_ISFIFO(m)) return "a FIFO";
    if (S_ISCHR(m)) return "a character device";
    if (S_ISBLK(m)) return "a block device";
    if (S_ISSOCK(m)) return "a socket";
    if (S_ISLNK(m)) return "a symlink";
    return "not a regular file";
}

/* Splits path into a malloc'd directory ("." when there is no slash) and a
 * pointer to the last component inside path. */
static char *dir_of(const char *path, const char **base) {
    const char *slash = strrchr(path, '/');
    char *dir;
    if (!slash) {
        dir = strdup(".");
        *base = path;
    } else if (slash == path) {
        dir = strdup("/");
        *base = slash + 1;
    } else {
        dir = strndup(path, (size_t)(slash - path));
        *base = slash + 1;
    }
    return dir;
}

/* Resolves path to the file that will really be replaced: path itself, or
 * the target of a symlink. Returns a malloc'd path and fills *st (st_mode 0
 * when the file does not exist yet), or NULL with e filled. */
static char *resolve(const char *path, struct stat *st, RtErr *e) {
    memset(st, 0, sizeof *st);
    if (!path || !*path) {
        rt_err(e, "output path is empty");
        return NULL;
    }
    size_t len = strlen(path);
    if (len >= PATH_MAX) {
        rt_err(e, "%.80s...: path too long (%zu bytes, the limit is %d)", path, len, PATH_MAX - 1);
        return NULL;
    }
    if (path[len - 1] == '/') {
        rt_err(e, "%s: names a directory, not a file", path);
        return NULL;
    }
    struct stat ls;
    if (lstat(path, &ls) != 0) {
        int err = errno;
        if (err == ENOENT) return strdup(path); /* a new file: the directory is checked below */
        if (err == ENOTDIR)
            rt_err(e, "%s: a component of the path is not a directory", path);
        else if (err == ELOOP)
            rt_err(e, "%s: symlink loop in the path", path);
        else
            rt_err(e, "%s: %s", path, reason(err));
        return NULL;
    }
    if (!S_ISLNK(ls.st_mode)) {
        if (!S_ISREG(ls.st_mode)) {
            rt_err(e, "%s: is %s, not a regular file; refusing to replace it", path,
                   kind(ls.st_mode));
            return NULL;
        }
        *st = ls;
        return strdup(path);
    }
    /* a symlink: the file it points to is the one replaced */
    char *real = realpath(path, NULL);
    if (!real) {
        int err = errno;
        if (err == ENOENT)
            rt_err(e, "%s: dangling symlink (what it points to does not exist)", path);
        else if (err == ELOOP)
            rt_err(e, "%s: symlink loop", path);
        else
            rt_err(e, "%s: cannot resolve symlink: %s", path, reason(err));
        return NULL;
    }
    if (stat(real, st) != 0) {
        int err = errno;
        rt_err(e, "%s: %s", path, reason(err));
        free(real);
        return NULL;
    }
    if (!S_ISREG(st->st_mode)) {
        rt_err(e, "%s: symlink to %s, not a regular file; refusing to replace it", path,
               kind(st->st_mode));
        free(real);
        return NULL;
    }
    return real;
}

/* The checks of aw_check on an already resolved target. */
static int check_dir(const char *shown, const char *target, RtErr *e) {
    const char *base;
    char *dir = dir_of(target, &base);
    if (!dir) return rt_err(e, "%s: out of memory", shown);
    int rc = 0;
    struct stat ds;
    if (stat(dir, &ds) != 0) {
        int err = errno;
        if (err == ENOENT)
            rc = rt_err(e, "%s: directory %s does not exist", shown, dir);
        else if (err == ENOTDIR)
            rc = rt_err(e, "%s: %s is not a directory", shown, dir);
        else
            rc = rt_err(e, "%s: directory %s: %s", shown, dir, reason(err));
    } else if (!S_ISDIR(ds.st_mode)) {
        rc = rt_err(e, "%s: %s is not a directory", shown, dir);
    } else if (access(dir, W_OK | X_OK) != 0) {
        int err = errno;
        if (err == EROFS)
            rc = rt_err(e, "%s: directory %s is on a read-only file system", shown, dir);
        else
            rc = rt_err(e, "%s: directory %s is not writable (%s)", shown, dir, reason(err));
    } else {
        long name_max = pathconf(dir, _PC_NAME_MAX);
        if (name_max <= 0) name_max = NAME_MAX;
        size_t n = strlen(base);
        if (n + AW_TMP_EXTRA > (size_t)name_max)
            rc = rt_err(e, "%s: file name too long (%zu bytes; at most %ld here)", shown, n,
                        name_max - AW_TMP_EXTRA);
        else if (strlen(target) + AW_TMP_EXTRA >= PATH_MAX)
            rc = rt_err(e, "%s: path too long", shown);
    }
    free(dir);
    return rc;
}

int aw_check(const char *path, RtErr *e) {
    struct stat st;
    char *target = resolve(path, &st, e);
    if (!target) return -1;
    int rc = check_dir(path, target, e);
    free(target);
    return rc;
}

/* The absolute name path will have once written: symlinks resolved, its
 * directory canonical. malloc'd, or NULL when it cannot be worked out. */
static char *canonical(const char *path) {
    struct stat st;
    char *target = resolve(path, &st, NULL);
    if (!target) return NULL;
    const char *base;
    char *dir = dir_of(target, &base);
    char *rdir = dir ? realpath(dir, NULL) : NULL;
    char *out = NULL;
    if (rdir) {
        size_t n = strlen(rdir) + strlen(base) + 2;
        out = malloc(n);
        if (out) snprintf(out, n, "%s/%s", strcmp(rdir, "/") ? rdir : "", base);
    }
    free(rdir);
    free(dir);
    free(target);
    return out;
}

int aw_same_file(const char *a, const char *b) {
    if (!a || !b) return 0;
    struct stat sa, sb;
    int ha = stat(a, &sa) == 0, hb = stat(b, &sb) == 0;
    if (ha && hb) return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
    if (ha != hb) return 0;
    /* neither exists yet: the same name once resolved */
    char *ca = canonical(a), *cb = canonical(b);
    int same = ca && cb && !strcmp(ca, cb);
    free(ca);
    free(cb);
    return same;
}

int aw_check_distinct(const char *out, const char *what_out, const char *in, const char *what_in,
                      RtErr *e) {
    if (!out || !in || !aw_same_file(out, in)) return 0;
    return rt_err(e, "%s %s: is the same file as %s %s; refusing to overwrite the input", what_out,
                  out, what_in, in);
}

int aw_is_temp_name(const char *name, long *pid) {
    size_t n = strlen(name);
    size_t tag = strlen(TMP_TAG);
    /* '.', at least one character of the target's name, the tag, >= 1 digit, '-', random */
    if (n < 1 + 1 + tag + 1 + 1 + TMP_RND || name[0] != '.') return 0;
    const char *rnd = name + n - TMP_RND;
    for (int i = 0; i < TMP_RND; i++)
        if (!isalnum((unsigned char)rnd[i])) return 0;
    if (rnd[-1] != '-') return 0;
    const char *d = rnd - 1; /* one past the last digit */
    const char *p = d;
    while (p > name && isdigit((unsigned char)p[-1]))
        p--;
    if (p == d || d - p > 10) return 0;
    if ((size_t)(p - name) < 1 + 1 + tag || memcmp(p - tag, TMP_TAG, tag) != 0) return 0;
    if (pid) {
        long v = 0;
        for (const char *q = p; q < d; q++)
            v = v * 10 + (*q - '0');
        *pid = v;
    }
    return 1;
}

/* 1 when process pid runs a program named rtviz (so a live writer's temp
 * file is kept however old; a reused pid's is not). */
static int is_rtviz(pid_t pid) {
    char p[64], comm[32] = {0};
    snprintf(p, sizeof p, "/proc/%ld/comm", (long)pid);
    FILE *f = fopen(p, "re");
    if (!f) return 0;
    int ok = fgets(comm, sizeof comm, f) != NULL;
    fclose(f);
    return ok && strncmp(comm, "rtviz", 5) == 0;
}

/* Removes temporary files of this module's pattern in dir that are stale:
 * owned by us, regular, and either their writer is gone or they have not
 * been modified for AW_STALE_SECONDS. Best effort: errors are ignored. */
static void sweep_stale(const char *dir) {
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0) return;
    DIR *d = fdopendir(dfd);
    if (!d) {
        close(dfd);
        return;
    }
    time_t now = time(NULL);
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        long pid = 0;
        if (!aw_is_temp_name(de->d_name, &pid)) continue;
        struct stat st;
        if (fstatat(dfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) continue;
        if (!S_ISREG(st.st_mode) || st.st_uid != geteuid()) continue;
        if (pid == (long)getpid()) continue; /* ours, being written */
        int gone = pid <= 0 || pid > INT_MAX || (kill((pid_t)pid, 0) != 0 && errno == ESRCH);
        int old = now - st.st_mtime > AW_STALE_SECONDS;
        if (gone || (old && !is_rtviz((pid_t)pid))) unlinkat(dfd, de->d_name, 0);
    }
    closedir(d);
}

/* 8 unpredictable characters of [A-Za-z0-9]. */
static void random_chars(char *out) {
    static const char set[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    unsigned char r[TMP_RND];
    if (getrandom(r, sizeof r, GRND_NONBLOCK) != (ssize_t)sizeof r) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        static unsigned long ctr;
        uint64_t x = (uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 20) ^
                     ((uint64_t)getpid() << 40) ^ (uint64_t)(++ctr * 0x9E3779B97F4A7C15ull);
        for (int i = 0; i < TMP_RND; i++) {
            x ^= x >> 33;
            x *= 0xff51afd7ed558ccdull;
            x ^= x >> 29;
            r[i] = (unsigned char)x;
        }
    }
    for (int i = 0; i < TMP_RND; i++)
        out[i] = set[r[i] % (sizeof set - 1)];
}

static mode_t current_umask(void) {
    mode_t m = umask(022);
    umask(m);
    return m;
}

int aw_open(AtomicWriter *w, const char *path, RtErr *e) {
    memset(w, 0, sizeof *w);
    struct stat st;
    char *target = resolve(path, &st, e);
    if (!target) return -1;
    if (check_dir(path, target, e)) {
        free(target);
        return -1;
    }
    const char *base;
    char *dir = dir_of(target, &base);
    size_t n = strlen(target) + AW_TMP_EXTRA + 2;
    char *tmp = malloc(n);
    if (!dir || !tmp) {
        free(dir);
        free(tmp);
        free(target);
        return rt_err(e, "%s: out of memory", path);
    }
    sweep_stale(dir);
    int fd = -1, err = 0;
    for (int tries = 0; tries < 100; tries++) {
        char rnd[TMP_RND + 1] = {0};
        random_chars(rnd);
        if (strcmp(dir, ".") == 0 && !strchr(target, '/'))
            snprintf(tmp, n, ".%s" TMP_TAG "%ld-%s", base, (long)getpid(), rnd);
        else
            snprintf(tmp, n, "%.*s.%s" TMP_TAG "%ld-%s", (int)(base - target), target, base,
                     (long)getpid(), rnd);
        fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd >= 0) break;
        err = errno;
        if (err != EEXIST) break;
    }
    free(dir);
    if (fd < 0) {
        free(tmp);
        free(target);
        return rt_err(e, "%s: cannot create a temporary file: %s", path, reason(err));
    }
    w->f = fdopen(fd, "wb");
    if (!w->f) {
        err = errno;
        close(fd);
        unlink(tmp);
        free(tmp);
        free(target);
        memset(w, 0, sizeof *w);
        return rt_err(e, "%s: %s", path, reason(err));
    }
    w->path = target;
    w->tmp = tmp;
    if (st.st_mode) {
        w->mode = st.st_mode & 07777;
        w->keep_own = 1;
        w->uid = st.st_uid;
        w->gid = st.st_gid;
    } else {
        w->mode = 0666 & ~current_umask();
    }
    return 0;
}

/* fsync the directory holding path (so the rename is durable). */
static int sync_dir(const char *path) {
    const char *base;
    char *dir = dir_of(path, &base);
    if (!dir) return ENOMEM;
    int err = 0;
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        err = errno;
    else {
        if (fsync(fd) != 0 && errno != EINVAL && errno != EROFS) err = errno;
        if (close(fd) != 0 && !err) err = errno;
    }
    free(dir);
    return err;
}

static void aw_free(AtomicWriter *w) {
    free(w->path);
    free(w->tmp);
    memset(w, 0, sizeof *w);
}

int aw_commit(AtomicWriter *w, RtErr *e) {
    if (!w->f || !w->tmp || !w->path) {
        aw_abort(w);
        return rt_err(e, "atomic writer: commit without an open file");
    }
    int err = 0;
    if (ferror(w->f)) err = errno ? errno : EIO;
    errno = 0;
    if (!err && fflush(w->f) != 0) err = errno ? errno : EIO;
    if (!err && ferror(w->f)) err = EIO;
    int fd = fileno(w->f);
    if (!err && w->keep_own && (w->uid != geteuid() || w->gid != getegid()))
        (void)!fchown(fd, w->uid, w->gid); /* only root or the owner may; best effort */
    if (!err && fchmod(fd, w->mode) != 0) err = errno;
    if (!err && fsync(fd) != 0 && errno != EINVAL) err = errno;
    if (fclose(w->f) != 0 && !err) err = errno ? errno : EIO;
    w->f = NULL;
    if (!err && rename(w->tmp, w->path) != 0) err = errno;
    if (err) {
        unlink(w->tmp);
        rt_err(e, "%s: %s", w->path, reason(err));
        aw_free(w);
        return -1;
    }
    err = sync_dir(w->path);
    if (err) rt_err(e, "%s: written, but syncing its directory failed: %s", w->path, reason(err));
    aw_free(w);
    return err ? -1 : 0;
}

void aw_abort(AtomicWriter *w) {
    if (w->f) fclose(w->f);
    if (w->tmp) unlink(w->tmp);
    aw_free(w);
}

int aw_write_file(const char *path, const void *buf, size_t n, RtErr *e) {
    AtomicWriter w;
    if (aw_open(&w, path, e)) return -1;
    if (n > 0 && fwrite(buf, 1, n, w.f) != n) {
        int err = errno ? errno : EIO;
        rt_err(e, "%s: %s", path, reason(err));
        aw_abort(&w);
        return -1;
    }
    return aw_commit(&w, e);
}
