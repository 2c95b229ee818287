/* test_util.h — small helpers shared by the Criterion test files. */
#ifndef RTVIZ_TEST_UTIL_H
#define RTVIZ_TEST_UTIL_H

#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The whole file at path (one spare byte at the end); *len its length. */
static inline uint8_t *slurp(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "cannot open %s", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *b = malloc((size_t)n + 1);
    cr_assert_eq(fread(b, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    *len = (size_t)n;
    return b;
}

/* A fresh private directory from a mkdtemp template ("/tmp/rtviz-X-XXXXXX"). */
static inline char *test_tmpdir(const char *tmpl) {
    char *d = strdup(tmpl);
    cr_assert_not_null(mkdtemp(d));
    chmod(d, 0755);
    return d;
}

/* dir/name, malloc'ed. */
static inline char *join(const char *dir, const char *name) {
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);
    snprintf(p, n, "%s/%s", dir, name);
    return p;
}

/* Remove dir and everything below it (read-only subdirectories included). */
static inline void rm_rf(const char *dir) {
    DIR *d = opendir(dir);
    if (!d) return;
    struct dirent *de;
    while ((de = readdir(d))) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..")) continue;
        char *p = join(dir, de->d_name);
        struct stat st;
        if (!lstat(p, &st) && S_ISDIR(st.st_mode)) {
            chmod(p, 0755);
            rm_rf(p);
        } else
            unlink(p);
        free(p);
    }
    closedir(d);
    rmdir(dir);
}

#endif
