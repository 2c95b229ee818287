/* test_atomicio.c — the atomic writer: new files get 0666 & ~umask, replaced
 * files keep their mode, symlinks are resolved, non-regular targets are
 * refused before anything is written, temp names are unpredictable and
 * match the pattern the stale sweep removes, failures leave the target
 * whole and no temp file. Device nodes, FIFOs, sockets and symlinks are
 * made inside a temp directory only. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../test_util.h"
#include "atomicio.h"

static char *tmpdir(void) { return test_tmpdir("/tmp/rtviz-aw-XXXXXX"); }

/* Entries of dir whose name has the writer's temp pattern. */
static int temp_files(const char *dir) {
    DIR *d = opendir(dir);
    cr_assert_not_null(d);
    int n = 0;
    struct dirent *de;
    while ((de = readdir(d)))
        if (aw_is_temp_name(de->d_name, NULL)) n++;
    closedir(d);
    return n;
}

static void put(const char *path, const char *text, mode_t mode) {
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
    cr_assert(fd >= 0, "%s: %s", path, strerror(errno));
    cr_assert_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    chmod(path, mode);
}

/* The file's text (up to 255 bytes), or "" when it cannot be read. */
static char *get(const char *path) {
    static char buf[256];
    buf[0] = 0;
    FILE *f = fopen(path, "rb");
    if (!f) return buf;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = 0;
    fclose(f);
    return buf;
}

static mode_t mode_of(const char *path) {
    struct stat st;
    cr_assert_eq(stat(path, &st), 0, "%s", path);
    return st.st_mode & 07777;
}

/* ---- creating and replacing ------------------------------------------------ */

Test(atomicio, new_file_gets_0666_minus_umask) {
    char *d = tmpdir(), *p = join(d, "new.txt"), *q = join(d, "private.txt");
    mode_t old = umask(022);
    RtErr e;
    cr_assert_eq(aw_write_file(p, "hello\n", 6, &e), 0, "%s", e.msg);
    umask(077);
    cr_assert_eq(aw_write_file(q, "x", 1, &e), 0, "%s", e.msg);
    umask(old);
    cr_assert_str_eq(get(p), "hello\n");
    cr_assert_eq(mode_of(p), 0644, "mode %o", mode_of(p));
    cr_assert_eq(mode_of(q), 0600, "mode %o", mode_of(q));
    cr_assert_eq(temp_files(d), 0);
    rm_rf(d);
    free(p);
    free(q);
    free(d);
}

Test(atomicio, replaced_file_keeps_its_mode) {
    char *d = tmpdir(), *p = join(d, "ckpt"), *q = join(d, "shared");
    put(p, "old", 0600);
    put(q, "old", 0664);
    mode_t old = umask(022);
    RtErr e;
    cr_assert_eq(aw_write_file(p, "new contents", 12, &e), 0, "%s", e.msg);
    cr_assert_eq(aw_write_file(q, "new", 3, &e), 0, "%s", e.msg);
    umask(old);
    cr_assert_str_eq(get(p), "new contents");
    cr_assert_eq(mode_of(p), 0600, "a 0600 file became %o", mode_of(p));
    cr_assert_eq(mode_of(q), 0664, "a 0664 file became %o", mode_of(q));
    rm_rf(d);
    free(p);
    free(q);
    free(d);
}

Test(atomicio, streamed_writes_and_empty_file) {
    char *d = tmpdir(), *p = join(d, "log.csv"), *q = join(d, "empty");
    AtomicWriter w;
    RtErr e;
    cr_assert_eq(aw_open(&w, p, &e), 0, "%s", e.msg);
    cr_assert_not_null(w.f);
    for (int i = 0; i < 3; i++)
        fprintf(w.f, "%d\n", i);
    cr_assert(access(p, F_OK) != 0, "the target appears only at the commit");
    cr_assert_eq(temp_files(d), 1);
    cr_assert_eq(aw_commit(&w, &e), 0, "%s", e.msg);
    cr_assert_str_eq(get(p), "0\n1\n2\n");
    cr_assert_null(w.f);
    cr_assert_eq(aw_write_file(q, NULL, 0, &e), 0, "%s", e.msg);
    struct stat st;
    cr_assert_eq(stat(q, &st), 0);
    cr_assert_eq(st.st_size, 0);
    cr_assert_eq(temp_files(d), 0);
    rm_rf(d);
    free(p);
    free(q);
    free(d);
}

Test(atomicio, abort_leaves_target_and_no_temp) {
    char *d = tmpdir(), *p = join(d, "keep");
    put(p, "original", 0644);
    AtomicWriter w;
    RtErr e;
    cr_assert_eq(aw_open(&w, p, &e), 0, "%s", e.msg);
    fputs("half written", w.f);
    aw_abort(&w);
    aw_abort(&w); /* twice is harmless */
    cr_assert_str_eq(get(p), "original");
    cr_assert_eq(temp_files(d), 0);
    rm_rf(d);
    free(p);
    free(d);
}

/* A write that fails (file size limit, as on a full disk) leaves the old file. */
Test(atomicio, failed_write_leaves_target_and_no_temp) {
    char *d = tmpdir(), *p = join(d, "big");
    put(p, "original", 0644);
    pid_t pid = fork();
    cr_assert(pid >= 0);
    if (pid == 0) {
        signal(SIGXFSZ, SIG_IGN);
        struct rlimit rl = {4096, 4096};
        setrlimit(RLIMIT_FSIZE, &rl);
        static char buf[1 << 16];
        memset(buf, 'x', sizeof buf);
        RtErr e;
        int rc = aw_write_file(p, buf, sizeof buf, &e);
        _exit(rc == -1 && strstr(e.msg, "big:") && strstr(e.msg, "too large") ? 0 : 1);
    }
    int status;
    waitpid(pid, &status, 0);
    cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0, "the failure was not reported");
    cr_assert_str_eq(get(p), "original");
    cr_assert_eq(temp_files(d), 0);
    rm_rf(d);
    free(p);
    free(d);
}

/* ---- what may be replaced ---------------------------------------------------- */

static void refused(const char *path, const char *want) {
    RtErr e = {{0}};
    cr_assert_eq(aw_check(path, &e), -1, "%s accepted", path);
    cr_assert(strstr(e.msg, path) && strstr(e.msg, want), "%s: message '%s' lacks '%s'", path,
              e.msg, want);
    cr_assert_null(strchr(e.msg, '\n'));
    AtomicWriter w;
    cr_assert_eq(aw_open(&w, path, &e), -1, "%s opened", path);
    cr_assert_null(w.f);
    cr_assert_eq(aw_write_file(path, "x", 1, &e), -1);
}

Test(atomicio, non_regular_targets_are_refused) {
    char *d = tmpdir();
    char *fifo = join(d, "fifo"), *sub = join(d, "sub"), *sock = join(d, "sock");
    char *chr = join(d, "null"), *blk = join(d, "blk");
    cr_assert_eq(mkfifo(fifo, 0644), 0);
    cr_assert_eq(mkdir(sub, 0755), 0);
    int s = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    snprintf(sa.sun_path, sizeof sa.sun_path, "%s", sock);
    cr_assert_eq(bind(s, (struct sockaddr *)&sa, sizeof sa), 0);
    refused(fifo, "a FIFO");
    refused(sub, "a directory");
    refused(sock, "a socket");
    struct stat st;
    cr_assert(stat(fifo, &st) == 0 && S_ISFIFO(st.st_mode), "the FIFO was replaced");
    cr_assert(stat(sub, &st) == 0 && S_ISDIR(st.st_mode));
    /* device nodes: only where mknod is permitted (root, no container veto) */
    if (mknod(chr, S_IFCHR | 0666, makedev(1, 3)) == 0) {
        refused(chr, "a character device");
        cr_assert(stat(chr, &st) == 0 && S_ISCHR(st.st_mode), "the device node was replaced");
    } else
        cr_log_warn("mknod not permitted (%s): character-device case not run", strerror(errno));
    if (mknod(blk, S_IFBLK | 0600, makedev(7, 200)) == 0)
        refused(blk, "a block device");
    else
        cr_log_warn("mknod not permitted (%s): block-device case not run", strerror(errno));
    close(s);
    cr_assert_eq(temp_files(d), 0);
    cr_assert_eq(temp_files(sub), 0);
    rm_rf(d);
    free(fifo);
    free(sub);
    free(sock);
    free(chr);
    free(blk);
    free(d);
}

Test(atomicio, symlink_is_resolved_and_stays_a_link) {
    char *d = tmpdir(), *sub = join(d, "runs"), *real = join(d, "runs/7.ckpt");
    char *link = join(d, "latest.ckpt"), *link2 = join(d, "chain");
    cr_assert_eq(mkdir(sub, 0755), 0);
    put(real, "old", 0600);
    cr_assert_eq(symlink("runs/7.ckpt", link), 0);
    cr_assert_eq(symlink("latest.ckpt", link2), 0);
    RtErr e;
    cr_assert_eq(aw_check(link, &e), 0, "%s", e.msg);
    cr_assert_eq(aw_write_file(link, "via link", 8, &e), 0, "%s", e.msg);
    struct stat st;
    cr_assert(lstat(link, &st) == 0 && S_ISLNK(st.st_mode), "the link was replaced by a file");
    cr_assert_str_eq(get(real), "via link");
    cr_assert_eq(mode_of(real), 0600);
    cr_assert_eq(aw_write_file(link2, "chain", 5, &e), 0, "%s", e.msg);
    cr_assert_str_eq(get(real), "chain");
    cr_assert_eq(temp_files(d), 0);
    cr_assert_eq(temp_files(sub), 0);
    rm_rf(d);
    free(sub);
    free(real);
    free(link);
    free(link2);
    free(d);
}

Test(atomicio, bad_symlinks_are_refused) {
    char *d = tmpdir(), *dang = join(d, "dangling"), *a = join(d, "a"), *b = join(d, "b");
    char *todir = join(d, "todir"), *tofifo = join(d, "tofifo"), *fifo = join(d, "fifo");
    cr_assert_eq(symlink("nowhere/x", dang), 0);
    cr_assert_eq(symlink("b", a), 0);
    cr_assert_eq(symlink("a", b), 0);
    cr_assert_eq(symlink("/tmp", todir), 0);
    cr_assert_eq(mkfifo(fifo, 0600), 0);
    cr_assert_eq(symlink("fifo", tofifo), 0);
    refused(dang, "dangling symlink");
    refused(a, "symlink loop");
    refused(todir, "symlink to a directory");
    refused(tofifo, "symlink to a FIFO");
    rm_rf(d);
    free(dang);
    free(a);
    free(b);
    free(todir);
    free(tofifo);
    free(fifo);
    free(d);
}

Test(atomicio, directory_problems_are_named) {
    char *d = tmpdir(), *missing = join(d, "nodir/out.ckpt"), *file = join(d, "plain");
    char *under = join(d, "plain/out.ckpt"), *slash = join(d, "out/");
    put(file, "x", 0644);
    refused(missing, "does not exist");
    refused(under, "not a directory");
    refused(slash, "names a directory");
    RtErr e = {{0}};
    cr_assert_eq(aw_check("", &e), -1);
    cr_assert(strstr(e.msg, "empty"), "%s", e.msg);
    rm_rf(d);
    free(missing);
    free(file);
    free(under);
    free(slash);
    free(d);
}

/* Root may write anywhere: the check runs in a child that is not root. */
Test(atomicio, unwritable_directory_is_refused) {
    char *d = tmpdir(), *p = join(d, "out");
    chmod(d, 0555);
    pid_t pid = fork();
    cr_assert(pid >= 0);
    if (pid == 0) {
        if (geteuid() == 0 && setuid(65534) != 0) _exit(3);
        RtErr e = {{0}};
        int rc = aw_check(p, &e);
        AtomicWriter w;
        int rc2 = aw_open(&w, p, &e);
        _exit(rc == -1 && rc2 == -1 && strstr(e.msg, p) && strstr(e.msg, "not writable") ? 0 : 1);
    }
    int status;
    waitpid(pid, &status, 0);
    cr_assert(WIFEXITED(status), "child crashed");
    cr_assert_neq(WEXITSTATUS(status), 3, "could not drop root");
    cr_assert_eq(WEXITSTATUS(status), 0, "an unwritable directory was accepted");
    cr_assert_eq(temp_files(d), 0);
    chmod(d, 0755);
    rm_rf(d);
    free(p);
    free(d);
}

Test(atomicio, name_must_fit_name_max_with_the_suffix) {
    char *d = tmpdir();
    char name[NAME_MAX + 2];
    size_t ok = NAME_MAX - AW_TMP_EXTRA;
    memset(name, 'n', ok);
    name[ok] = 0;
    char *p = join(d, name);
    RtErr e;
    cr_assert_eq(aw_write_file(p, "x", 1, &e), 0, "%zu bytes: %s", ok, e.msg);
    memset(name, 'n', ok + 1);
    name[ok + 1] = 0;
    char *q = join(d, name);
    refused(q, "file name too long");
    cr_assert_eq(temp_files(d), 0);
    rm_rf(d);
    free(p);
    free(q);
    free(d);
}

/* ---- temp names and stale temp files --------------------------------------- */

Test(atomicio, temp_names_are_unpredictable_and_in_the_target_dir) {
    char *d = tmpdir(), *p = join(d, "x.ckpt");
    /* the old predictable name, planted as a symlink to a victim file */
    char *victim = join(d, "victim"), plant[PATH_MAX];
    put(victim, "precious", 0644);
    snprintf(plant, sizeof plant, "%s.tmp.%ld", p, (long)getpid());
    cr_assert_eq(symlink(victim, plant), 0);
    AtomicWriter w1, w2;
    RtErr e;
    cr_assert_eq(aw_open(&w1, p, &e), 0, "%s", e.msg);
    cr_assert_eq(aw_open(&w2, p, &e), 0, "%s", e.msg);
    cr_assert_str_neq(w1.tmp, w2.tmp);
    cr_assert_eq(strncmp(w1.tmp, d, strlen(d)), 0, "temp %s outside %s", w1.tmp, d);
    const char *base = strrchr(w1.tmp, '/') + 1;
    long pid = 0;
    cr_assert(aw_is_temp_name(base, &pid), "%s", base);
    cr_assert_eq(pid, (long)getpid());
    cr_assert_eq(strncmp(base, ".x.ckpt.rtviz-", 14), 0, "%s", base);
    struct stat st;
    cr_assert_eq(lstat(w1.tmp, &st), 0);
    cr_assert(S_ISREG(st.st_mode));
    cr_assert_eq(st.st_mode & 0777, 0600, "the temp file is private while written");
    fputs("one", w1.f);
    fputs("two", w2.f);
    cr_assert_eq(aw_commit(&w1, &e), 0, "%s", e.msg);
    cr_assert_eq(aw_commit(&w2, &e), 0, "%s", e.msg);
    cr_assert_str_eq(get(p), "two");
    cr_assert_str_eq(get(victim), "precious");
    cr_assert_eq(temp_files(d), 0);
    rm_rf(d);
    free(p);
    free(victim);
    free(d);
}

Test(atomicio, temp_name_pattern) {
    long pid = 0;
    cr_assert(aw_is_temp_name(".a.rtviz-12-AbCd0123", &pid));
    cr_assert_eq(pid, 12);
    cr_assert(aw_is_temp_name(".model.ckpt.rtviz-4194304-zzzzzzzz", &pid));
    cr_assert_eq(pid, 4194304);
    const char *no[] = {"a.rtviz-12-AbCd0123",           ".rtviz-12-AbCd0123",
                        ".a.rtviz-12-AbCd012",           ".a.rtviz--AbCd0123",
                        ".a.rtviz-1x-AbCd0123",          ".a.rtvi-12-AbCd0123",
                        ".a.rtviz-12-AbCd012_",          "model.ckpt",
                        ".a.rtviz-12345678901-AbCd0123", "model.ckpt.tmp.1234"};
    for (size_t i = 0; i < sizeof no / sizeof *no; i++)
        cr_assert_not(aw_is_temp_name(no[i], NULL), "%s matched", no[i]);
}

/* A pid that is certainly gone: a child that has exited and been reaped. */
static pid_t dead_pid(void) {
    pid_t pid = fork();
    cr_assert(pid >= 0);
    if (pid == 0) _exit(0);
    waitpid(pid, NULL, 0);
    return pid;
}

Test(atomicio, stale_temp_files_are_removed_by_the_next_save) {
    char *d = tmpdir(), *p = join(d, "m.ckpt");
    char dead[PATH_MAX], live[PATH_MAX], other[PATH_MAX], plain[PATH_MAX], lnk[PATH_MAX];
    snprintf(dead, sizeof dead, "%s/.m.ckpt.rtviz-%ld-AAAAAAAA", d, (long)dead_pid());
    snprintf(other, sizeof other, "%s/.other.csv.rtviz-%ld-BBBBBBBB", d, (long)dead_pid());
    snprintf(live, sizeof live, "%s/.m.ckpt.rtviz-%ld-CCCCCCCC", d, (long)getppid());
    snprintf(plain, sizeof plain, "%s/m.ckpt.notes", d);
    snprintf(lnk, sizeof lnk, "%s/.l.rtviz-%ld-DDDDDDDD", d, (long)dead_pid());
    put(dead, "killed save", 0600);
    put(other, "killed csv", 0600);
    put(live, "a live writer", 0600);
    put(plain, "user file", 0644);
    cr_assert_eq(symlink(plain, lnk), 0);
    RtErr e;
    cr_assert_eq(aw_write_file(p, "fresh", 5, &e), 0, "%s", e.msg);
    cr_assert(access(dead, F_OK) != 0, "stale temp of a dead writer kept");
    cr_assert(access(other, F_OK) != 0, "stale temp of another name kept");
    cr_assert_eq(access(live, F_OK), 0, "the temp of a live writer was removed");
    cr_assert_eq(access(plain, F_OK), 0, "a file outside the pattern was removed");
    struct stat st;
    cr_assert_eq(lstat(lnk, &st), 0, "a symlink with the pattern was removed");
    cr_assert_str_eq(get(p), "fresh");
    rm_rf(d);
    free(p);
    free(d);
}

/* ---- never destroy the input -------------------------------------------------- */

Test(atomicio, same_file_detection) {
    char *d = tmpdir(), *a = join(d, "a"), *b = join(d, "b"), *h = join(d, "hard");
    char *s = join(d, "sym"), *n = join(d, "none");
    put(a, "a", 0644);
    put(b, "b", 0644);
    cr_assert_eq(link(a, h), 0);
    cr_assert_eq(symlink("a", s), 0);
    cr_assert(aw_same_file(a, a));
    cr_assert(aw_same_file(a, h));
    cr_assert(aw_same_file(s, a));
    cr_assert_not(aw_same_file(a, b));
    cr_assert_not(aw_same_file(a, n));
    cr_assert(aw_same_file(n, n), "one new file named twice");
    char dotted[PATH_MAX], other[PATH_MAX];
    snprintf(dotted, sizeof dotted, "%s/./sub/../none", d);
    snprintf(other, sizeof other, "%s/none2", d);
    char *sub = join(d, "sub");
    cr_assert_eq(mkdir(sub, 0755), 0);
    free(sub);
    cr_assert(aw_same_file(n, dotted), "%s and %s", n, dotted);
    cr_assert_not(aw_same_file(n, other));
    cr_assert_not(aw_same_file(NULL, a));
    RtErr e = {{0}};
    cr_assert_eq(aw_check_distinct(b, "--out", a, "--model", &e), 0);
    cr_assert_eq(aw_check_distinct(NULL, "--csv", a, "--model", &e), 0);
    cr_assert_eq(aw_check_distinct(s, "--out", a, "--model", &e), -1);
    cr_assert(strstr(e.msg, "--out") && strstr(e.msg, "--model") && strstr(e.msg, "same file"),
              "%s", e.msg);
    rm_rf(d);
    free(a);
    free(b);
    free(h);
    free(s);
    free(n);
    free(d);
}
