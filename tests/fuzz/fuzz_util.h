/* fuzz_util.h — helpers shared by the file-reader harnesses: hand bytes to a
 * reader that takes a path (through a memfd, so no disk I/O), and gzip them. */
#ifndef RTVIZ_FUZZ_UTIL_H
#define RTVIZ_FUZZ_UTIL_H

#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <zlib.h>

#define FUZZ_CHECK(c)                                                                              \
    do {                                                                                           \
        if (!(c)) {                                                                                \
            fprintf(stderr, "fuzz invariant failed: %s (%s:%d)\n", #c, __FILE__, __LINE__);        \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

/* A reusable in-memory file; slot picks one of a few (readers taking several
 * paths). The returned path stays valid until the next call with that slot. */
static const char *fuzz_file(int slot, const uint8_t *data, size_t size) {
    static int fd[4] = {-1, -1, -1, -1};
    static char path[4][64];
    if (fd[slot] < 0) {
        fd[slot] = memfd_create("fuzz", 0);
        if (fd[slot] < 0) abort();
        snprintf(path[slot], sizeof path[slot], "/proc/self/fd/%d", fd[slot]);
    }
    if (ftruncate(fd[slot], 0) != 0) abort();
    size_t off = 0;
    while (off < size) {
        ssize_t w = pwrite(fd[slot], data + off, size - off, (off_t)off);
        if (w <= 0) abort();
        off += (size_t)w;
    }
    return path[slot];
}

/* gzip (RFC 1952) of data into a new buffer; *outlen its length. */
static uint8_t *fuzz_gzip(const uint8_t *data, size_t size, size_t *outlen) {
    z_stream z;
    memset(&z, 0, sizeof z);
    if (deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) abort();
    size_t cap = deflateBound(&z, (uLong)size) + 32;
    uint8_t *out = malloc(cap);
    if (!out) abort();
    z.next_in = (Bytef *)data;
    z.avail_in = (uInt)size;
    z.next_out = out;
    z.avail_out = (uInt)cap;
    if (deflate(&z, Z_FINISH) != Z_STREAM_END) abort();
    *outlen = z.total_out;
    deflateEnd(&z);
    return out;
}

/* fuzz_file of data, gzipped first when gz is set. */
static const char *fuzz_file_gz(int slot, const uint8_t *data, size_t size, int gz) {
    if (!gz) return fuzz_file(slot, data, size);
    size_t n;
    uint8_t *z = fuzz_gzip(data, size, &n);
    const char *p = fuzz_file(slot, z, n);
    free(z);
    return p;
}

#endif
