/* test_checkpoint.c — checkpoints round-trip bit for bit, every corruption is
 * rejected with a one-line message, failed saves leave the old file whole,
 * and the safetensors export parses with offsets covering the data. */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#include "atomicio.h"
#include "checkpoint.h"
#include "../test_util.h"
#include "rng.h"

/* ---- helpers ---------------------------------------------------------------- */

static char *tmpdir(void) { return test_tmpdir("/tmp/rtviz-ckpt-XXXXXX"); }

/* Number of directory entries named like the atomic writer's temp files. */
static int temp_files(const char *dir) {
    DIR *d = opendir(dir);
    cr_assert_not_null(d);
    int n = 0;
    struct dirent *de;
    while ((de = readdir(d)))
        if (aw_is_temp_name(de->d_name, NULL) || strstr(de->d_name, ".tmp.")) n++;
    closedir(d);
    return n;
}

static void rt_model(Model *m) {
    ModelConfig c;
    model_config_default(&c, ARCH_RT, 1, 4, 4, 3);
    c.L = 2;
    c.B = 3;
    c.H = 5;
    c.tau = 0.7f;
    RtErr e;
    cr_assert_eq(model_config_check(&c, &e), 0, "%s", e.msg);
    cr_assert_eq(model_init(m, &c, 11, &e), 0, "%s", e.msg);
}

static void mlp_model(Model *m) {
    ModelConfig c;
    model_config_default(&c, ARCH_MLP, 1, 3, 5, 4);
    c.nhidden = 2;
    c.hidden[0] = 7;
    c.hidden[1] = 6;
    RtErr e;
    cr_assert_eq(model_init(m, &c, 12, &e), 0, "%s", e.msg);
}

/* Adam with non-trivial moments: a few steps from pseudo-random gradients. */
static void trained_adam(Adam *a, Model *m) {
    cr_assert_eq(adam_init(a, m->n, 3e-3f, NULL), 0);
    Rng r;
    rng_seed(&r, 5);
    for (int s = 0; s < 3; s++) {
        for (size_t i = 0; i < m->n; i++)
            m->g[i] = rng_normal(&r);
        adam_step(a, m);
    }
}

static const CkptMeta META = {
    .seed = 0x1234567890abcdefULL, .step = 4242, .epoch = 7, .dataset = "sample"};

static void assert_same(const Model *a, const Model *b) {
    cr_assert_eq(memcmp(&a->cfg, &b->cfg, sizeof a->cfg), 0, "config differs");
    cr_assert_eq(a->n, b->n);
    cr_assert_eq(a->nt, b->nt);
    cr_assert_eq(memcmp(a->w, b->w, a->n * sizeof(float)), 0, "weights differ");
    for (int i = 0; i < a->nt; i++)
        cr_assert_str_eq(a->t[i].name, b->t[i].name);
}

static void round_trip(void (*make)(Model *)) {
    char *dir = tmpdir();
    char *path = join(dir, "model.ckpt");
    Model m, l;
    Adam a, la;
    CkptMeta meta;
    RtErr e;
    make(&m);
    trained_adam(&a, &m);
    cr_assert_eq(ckpt_save(path, &m, &a, &META, &e), 0, "%s", e.msg);
    cr_assert_eq(temp_files(dir), 0, "temporary file left behind");
    cr_assert_eq(ckpt_load(path, &l, &la, &meta, &e), 0, "%s", e.msg);
    assert_same(&m, &l);
    cr_assert_eq(la.n, a.n);
    cr_assert_eq(la.t, 3);
    cr_assert_eq(la.lr, a.lr);
    cr_assert_eq(la.beta1, a.beta1);
    cr_assert_eq(memcmp(la.m, a.m, a.n * sizeof(float)), 0, "Adam m differs");
    cr_assert_eq(memcmp(la.v, a.v, a.n * sizeof(float)), 0, "Adam v differs");
    cr_assert_eq(meta.seed, META.seed);
    cr_assert_eq(meta.step, META.step);
    cr_assert_eq(meta.epoch, META.epoch);
    cr_assert_str_eq(meta.dataset, "sample");
    model_free(&l);
    adam_free(&la);

    /* without Adam: absent on load, the adam argument is left zeroed */
    cr_assert_eq(ckpt_save(path, &m, NULL, NULL, &e), 0, "%s", e.msg);
    memset(&la, 0xff, sizeof la);
    cr_assert_eq(ckpt_load(path, &l, &la, &meta, &e), 0, "%s", e.msg);
    assert_same(&m, &l);
    cr_assert_null(la.m);
    cr_assert_eq(la.n, 0);
    cr_assert_eq(meta.step, 0);
    model_free(&l);
    /* adam argument NULL while the file has Adam state: fine */
    cr_assert_eq(ckpt_save(path, &m, &a, &META, &e), 0, "%s", e.msg);
    cr_assert_eq(ckpt_load(path, &l, NULL, NULL, &e), 0, "%s", e.msg);
    assert_same(&m, &l);
    model_free(&l);

    adam_free(&a);
    model_free(&m);
    rm_rf(dir);
    free(path);
    free(dir);
}

Test(checkpoint, round_trip_rt) { round_trip(rt_model); }
Test(checkpoint, round_trip_mlp) { round_trip(mlp_model); }

/* A saved checkpoint of the tiny RT net, in memory. */
static uint8_t *saved(size_t *len) {
    char *dir = tmpdir();
    char *path = join(dir, "m.ckpt");
    Model m;
    Adam a;
    RtErr e;
    rt_model(&m);
    trained_adam(&a, &m);
    cr_assert_eq(ckpt_save(path, &m, &a, &META, &e), 0, "%s", e.msg);
    uint8_t *b = slurp(path, len);
    adam_free(&a);
    model_free(&m);
    rm_rf(dir);
    free(path);
    free(dir);
    return b;
}

/* Must be rejected: -1, a one-line message naming the file, outputs zeroed. */
static void rejected(const uint8_t *b, size_t len, const char *expect, const char *what) {
    Model m;
    Adam a;
    CkptMeta meta;
    RtErr e = {{0}};
    int rc = ckpt_load_mem(b, len, "bad.ckpt", &m, &a, &meta, &e);
    if (rc == 0) model_free(&m), adam_free(&a);
    cr_assert_eq(rc, -1, "%s: accepted", what);
    cr_assert(!strncmp(e.msg, "bad.ckpt: ", 10), "%s: message '%s' does not name the file", what,
              e.msg);
    cr_assert_null(strchr(e.msg, '\n'), "%s: message has several lines", what);
    cr_assert_null(m.w);
    cr_assert_null(a.m);
    if (expect) cr_assert(strstr(e.msg, expect), "%s: '%s' lacks '%s'", what, e.msg, expect);
}

Test(checkpoint, every_single_byte_flip_is_rejected) {
    size_t len;
    uint8_t *b = saved(&len);
    {
        Model m;
        RtErr e;
        cr_assert_eq(ckpt_load_mem(b, len, "ok.ckpt", &m, NULL, NULL, &e), 0, "%s", e.msg);
        model_free(&m);
    }
    char what[64];
    for (size_t i = 0; i < len; i++) {
        static const uint8_t masks[] = {0x01, 0x80, 0xff};
        for (int k = 0; k < 3; k++) {
            b[i] ^= masks[k];
            snprintf(what, sizeof what, "byte %zu ^ 0x%02x", i, masks[k]);
            rejected(b, len, NULL, what);
            b[i] ^= masks[k];
        }
    }
    free(b);
}

Test(checkpoint, truncation_and_extension_are_rejected) {
    size_t len;
    uint8_t *b = saved(&len);
    char what[64];
    rejected(b, 0, "empty", "empty");
    for (size_t n = 1; n < len; n++) {
        snprintf(what, sizeof what, "truncated to %zu", n);
        rejected(b, n, "truncated", what);
    }
    uint8_t *big = malloc(len + 5);
    memcpy(big, b, len);
    memset(big + len, 0, 5);
    rejected(big, len + 5, "unexpected bytes", "5 bytes appended");
    free(big);
    free(b);
}

/* Rewrite the trailing CRC so that a deliberate edit passes the checksum. */
static void fix_crc(uint8_t *b, size_t len) {
    uint32_t c = (uint32_t)crc32(crc32(0L, Z_NULL, 0), b, (uInt)(len - 4));
    for (int i = 0; i < 4; i++)
        b[len - 4 + i] = (uint8_t)(c >> (8 * i));
}

static void put32(uint8_t *p, uint32_t v) {
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

/* Offsets in the RT file: magic 8, version 4, arch D C ch h w L B H nhidden (10 x 4),
 * hidden (nhidden x 4), tau 4, nsched 4, sched (nsched x 4), then n (u64). */
Test(checkpoint, messages) {
    size_t len;
    uint8_t *b = saved(&len);
    uint8_t *c = malloc(len);

    memcpy(c, b, len);
    c[0] = 'X';
    rejected(c, len, "not an rtviz checkpoint", "magic");
    rejected((const uint8_t *)"hello", 5, "not an rtviz checkpoint", "text");

    memcpy(c, b, len);
    put32(c + 8, 2);
    Model m;
    RtErr e;
    cr_assert_eq(ckpt_load_mem(c, len, "v2.ckpt", &m, NULL, NULL, &e), -1);
    cr_assert_str_eq(e.msg, "v2.ckpt: checkpoint version 2, this rtviz reads version 1");

    memcpy(c, b, len);
    c[len - 1] ^= 1;
    rejected(c, len, "checksum mismatch (corrupted)", "crc");
    memcpy(c, b, len);
    c[len / 2] ^= 0x10;
    rejected(c, len, "checksum mismatch (corrupted)", "weights");

    /* a valid CRC over an invalid config: L = 99 */
    memcpy(c, b, len);
    put32(c + 12 + 6 * 4, 99);
    fix_crc(c, len);
    rejected(c, len, "invalid config: layers 99", "L = 99");

    /* a valid CRC, a valid config, but H disagrees with the stored sizes */
    memcpy(c, b, len);
    put32(c + 12 + 8 * 4, 6);
    fix_crc(c, len);
    rejected(c, len, "the config needs", "H = 6");

    /* a header announcing 2^40 parameters must not be believed (nor allocated) */
    int nh = (int)b[12 + 9 * 4];
    int ns = (int)b[12 + 10 * 4 + 4 * nh + 4];
    size_t off_n = 12 + 10 * 4 + 4 * (size_t)nh + 4 + 4 + 4 * (size_t)ns;
    memcpy(c, b, len);
    c[off_n + 5] = 1; /* n += 2^40 */
    fix_crc(c, len);
    rejected(c, len, "truncated", "n = 2^40");
    memcpy(c, b, len);
    memset(c + off_n, 0xff, 8); /* n = 2^64 - 1 */
    fix_crc(c, len);
    rejected(c, len, "truncated", "n = 2^64-1");

    /* nhidden far out of range */
    memcpy(c, b, len);
    put32(c + 12 + 9 * 4, 0x7fffffff);
    rejected(c, len, "hidden layers", "nhidden");
    free(c);
    free(b);
}

Test(checkpoint, random_mutations_never_crash) {
    size_t len;
    uint8_t *b = saved(&len);
    uint8_t *c = calloc(1, len + 64);
    Rng r;
    rng_seed(&r, 77);
    for (int it = 0; it < 3000; it++) {
        size_t n = len;
        memcpy(c, b, len);
        int edits = 1 + (int)rng_below(&r, 8);
        for (int k = 0; k < edits; k++)
            c[rng_below(&r, (uint32_t)len)] = (uint8_t)rng_next(&r);
        if (it % 3 == 0) n = rng_below(&r, (uint32_t)len + 64);
        if (it % 2 == 0 && n >= 4) fix_crc(c, n); /* reach the semantic checks too */
        Model m;
        Adam a;
        CkptMeta meta;
        RtErr e;
        if (ckpt_load_mem(c, n, "fuzz", &m, &a, &meta, &e) == 0) {
            /* only possible when the edits kept a consistent file */
            cr_assert_eq(m.n * 4 * 3 + 4 < n + 1, 1);
            model_free(&m);
            adam_free(&a);
        } else
            cr_assert(strlen(e.msg) > 0);
    }
    free(c);
    free(b);
}

/* ---- failed saves leave the old file alone -------------------------------- */

Test(checkpoint, save_into_missing_directory_fails_cleanly) {
    Model m;
    RtErr e;
    rt_model(&m);
    cr_assert_eq(ckpt_save("/nonexistent-rtviz-dir/sub/m.ckpt", &m, NULL, NULL, &e), -1);
    cr_assert_str_eq(e.msg,
                     "/nonexistent-rtviz-dir/sub/m.ckpt: directory /nonexistent-rtviz-dir/sub "
                     "does not exist");
    cr_assert_eq(ckpt_export_safetensors("/nonexistent-rtviz-dir/m.safetensors", &m, &e), -1);
    cr_assert(strstr(e.msg, "/nonexistent-rtviz-dir does not exist"), "%s", e.msg);
    model_free(&m);
}

/* Run fn in a child process (as user nobody when we are root, so permissions
 * apply); returns its exit status. */
static int in_child(int (*fn)(const char *), const char *arg, int drop_root) {
    pid_t pid = fork();
    cr_assert_neq(pid, -1);
    if (pid == 0) {
        if (drop_root && geteuid() == 0) {
            if (setgid(65534) != 0 || setuid(65534) != 0) _exit(99);
        }
        _exit(fn(arg));
    }
    int st;
    cr_assert_eq(waitpid(pid, &st, 0), pid);
    cr_assert(WIFEXITED(st), "child died");
    return WEXITSTATUS(st);
}

static int save_expect_failure(const char *path) {
    Model m;
    RtErr e;
    ModelConfig c;
    model_config_default(&c, ARCH_MLP, 1, 28, 28, 10); /* ~1 MB of weights */
    if (model_init(&m, &c, 3, &e)) return 10;
    int rc = ckpt_save(path, &m, NULL, NULL, &e);
    model_free(&m);
    if (rc != -1) return 11;
    if (strncmp(e.msg, path, strlen(path))) return 12;
    if (strchr(e.msg, '\n')) return 13;
    if (strstr(e.msg, "permission denied") || strstr(e.msg, "read-only") ||
        strstr(e.msg, "not writable") || strstr(e.msg, "file too large") ||
        strstr(e.msg, "no space left"))
        return 0;
    return 14;
}

Test(checkpoint, save_into_read_only_directory_fails_cleanly) {
    char *dir = tmpdir();
    char *ro = join(dir, "ro");
    cr_assert_eq(mkdir(ro, 0755), 0);
    char *path = join(ro, "m.ckpt");
    Model m;
    RtErr e;
    rt_model(&m);
    cr_assert_eq(ckpt_save(path, &m, NULL, &META, &e), 0, "%s", e.msg);
    size_t len0, len1;
    uint8_t *before = slurp(path, &len0);
    cr_assert_eq(chmod(ro, 0555), 0);
    cr_assert_eq(in_child(save_expect_failure, path, 1), 0, "save into a read-only dir");
    uint8_t *after = slurp(path, &len1);
    cr_assert_eq(len0, len1);
    cr_assert_eq(memcmp(before, after, len0), 0, "existing checkpoint changed");
    cr_assert_eq(temp_files(ro), 0);
    free(before);
    free(after);
    model_free(&m);
    rm_rf(dir);
    free(ro);
    free(path);
    free(dir);
}

static int save_with_small_file_limit(const char *path) {
    signal(SIGXFSZ, SIG_IGN);
    struct rlimit rl = {.rlim_cur = 64 * 1024, .rlim_max = 64 * 1024};
    if (setrlimit(RLIMIT_FSIZE, &rl)) return 20;
    return save_expect_failure(path);
}

Test(checkpoint, failed_write_leaves_old_file_and_no_temp) {
    char *dir = tmpdir();
    char *path = join(dir, "m.ckpt");
    Model m;
    RtErr e;
    rt_model(&m);
    cr_assert_eq(ckpt_save(path, &m, NULL, &META, &e), 0, "%s", e.msg);
    size_t len0, len1;
    uint8_t *before = slurp(path, &len0);
    /* the new file exceeds the file-size limit half way: EFBIG, like a full disk */
    cr_assert_eq(in_child(save_with_small_file_limit, path, 0), 0, "write failure not reported");
    uint8_t *after = slurp(path, &len1);
    cr_assert_eq(len0, len1);
    cr_assert_eq(memcmp(before, after, len0), 0, "existing checkpoint changed");
    cr_assert_eq(temp_files(dir), 0, "temporary file left behind");
    free(before);
    free(after);
    model_free(&m);
    rm_rf(dir);
    free(path);
    free(dir);
}

/* ---- safetensors ---------------------------------------------------------- */

static void check_safetensors(void (*make)(Model *), const char *arch) {
    char *dir = tmpdir();
    char *path = join(dir, "w.safetensors");
    Model m;
    RtErr e;
    make(&m);
    cr_assert_eq(ckpt_export_safetensors(path, &m, &e), 0, "%s", e.msg);
    cr_assert_eq(temp_files(dir), 0);
    size_t len;
    uint8_t *b = slurp(path, &len);
    cr_assert(len >= 8);
    uint64_t hl = 0;
    for (int i = 0; i < 8; i++)
        hl |= (uint64_t)b[i] << (8 * i);
    cr_assert(hl <= len - 8, "header length %llu past the file", (unsigned long long)hl);
    cr_assert_eq((8 + hl) % 8, 0, "data not 8-byte aligned");
    char *h = malloc(hl + 1);
    memcpy(h, b + 8, hl);
    h[hl] = 0;
    cr_assert_eq(h[0], '{');
    size_t end = hl;
    while (end > 0 && h[end - 1] == ' ')
        end--;
    cr_assert_eq(h[end - 1], '}', "header does not end with }");
    size_t data = 8 + hl, expect_off = 0;
    for (int i = 0; i < m.nt; i++) {
        const Tensor *t = &m.t[i];
        char key[64];
        snprintf(key, sizeof key, "\"%s\":{", t->name);
        char *p = strstr(h, key);
        cr_assert_not_null(p, "tensor %s missing", t->name);
        p += strlen(key);
        int r = -1, c = -1;
        unsigned long long a, z;
        if (t->ndim == 2)
            cr_assert_eq(sscanf(p,
                                "\"dtype\":\"F32\",\"shape\":[%d,%d],\"data_offsets\":[%llu,%llu]}",
                                &r, &c, &a, &z),
                         4, "%s: %.80s", t->name, p);
        else
            cr_assert_eq(sscanf(p, "\"dtype\":\"F32\",\"shape\":[%d],\"data_offsets\":[%llu,%llu]}",
                                &r, &a, &z),
                         3, "%s: %.80s", t->name, p);
        cr_assert_eq(r, t->shape[0]);
        if (t->ndim == 2) cr_assert_eq(c, t->shape[1]);
        cr_assert_eq(a, expect_off, "%s starts at %llu, expected %zu", t->name, a, expect_off);
        cr_assert_eq(z - a, 4 * t->n);
        cr_assert_eq(memcmp(b + data + a, m.w + t->off, 4 * t->n), 0, "%s data differs", t->name);
        expect_off = z;
    }
    cr_assert_eq(data + expect_off, len, "offsets do not cover the data exactly");
    char am[64];
    snprintf(am, sizeof am, "\"arch\":\"%s\"", arch);
    cr_assert_not_null(strstr(h, "\"__metadata__\":{"));
    cr_assert_not_null(strstr(h, am), "%s", h);
    free(h);
    free(b);
    model_free(&m);
    rm_rf(dir);
    free(path);
    free(dir);
}

Test(checkpoint, safetensors_rt) { check_safetensors(rt_model, "rt"); }
Test(checkpoint, safetensors_mlp) { check_safetensors(mlp_model, "mlp"); }

/* ---- counters near their limits ------------------------------------------------ */

static void put64(uint8_t *p, uint64_t v) {
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

/* A valid CRC over counters that resuming would overflow: rejected at load. */
Test(checkpoint, counters_near_their_limits_are_rejected) {
    size_t len;
    uint8_t *b = saved(&len);
    uint8_t *c = malloc(len);
    int nh = (int)b[12 + 9 * 4];
    int ns = (int)b[12 + 10 * 4 + 4 * nh + 4];
    size_t off_n = 12 + 10 * 4 + 4 * (size_t)nh + 4 + 4 + 4 * (size_t)ns;
    size_t off_step = off_n + 8 + 8, off_epoch = off_step + 8;
    size_t off_t = off_epoch + 4 + 32 + 4;
    struct {
        size_t off;
        int bytes;
        uint64_t v;
        const char *what;
    } cases[] = {
        {off_step, 8, (uint64_t)INT64_MAX, "step 2^63-1"},
        {off_step, 8, UINT64_MAX, "step 2^64-1"},
        {off_step, 8, CKPT_MAX_STEP + 1, "step just above the cap"},
        {off_epoch, 4, 0x7fffffffu, "epoch 2^31-1"},
        {off_epoch, 4, 0xffffffffu, "epoch 2^32-1"},
        {off_t, 8, (uint64_t)LONG_MAX, "Adam t LONG_MAX"},
        {off_t, 8, (uint64_t)LONG_MAX + 1, "Adam t LONG_MAX+1"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        memcpy(c, b, len);
        if (cases[i].bytes == 8)
            put64(c + cases[i].off, cases[i].v);
        else
            put32(c + cases[i].off, (uint32_t)cases[i].v);
        fix_crc(c, len);
        rejected(c, len, "counters out of range", cases[i].what);
    }
    /* at the caps themselves: accepted */
    memcpy(c, b, len);
    put64(c + off_step, CKPT_MAX_STEP);
    put32(c + off_epoch, CKPT_MAX_EPOCH);
    put64(c + off_t, CKPT_MAX_STEP);
    fix_crc(c, len);
    Model m;
    Adam a;
    CkptMeta meta;
    RtErr e;
    cr_assert_eq(ckpt_load_mem(c, len, "cap.ckpt", &m, &a, &meta, &e), 0, "%s", e.msg);
    cr_assert_eq(meta.step, CKPT_MAX_STEP);
    cr_assert_eq(meta.epoch, CKPT_MAX_EPOCH);
    cr_assert_eq((uint64_t)a.t, CKPT_MAX_STEP);
    model_free(&m);
    adam_free(&a);
    free(c);
    free(b);
}

/* ---- what ckpt_load opens ----------------------------------------------------- */

static void load_refused(const char *path, const char *want) {
    Model m;
    RtErr e = {{0}};
    cr_assert_eq(ckpt_load(path, &m, NULL, NULL, &e), -1, "%s accepted", path);
    cr_assert(strstr(e.msg, path) && strstr(e.msg, want), "'%s' lacks '%s'", e.msg, want);
    cr_assert_null(m.w);
    ModelConfig c;
    cr_assert_eq(ckpt_peek(path, &c, NULL, &e), -1);
}

/* A FIFO (no writer) would block open() and read() for ever: refused at once. */
Test(checkpoint, fifo_device_and_directory_are_refused_without_blocking, .timeout = 20) {
    char *dir = tmpdir(), *fifo = join(dir, "fifo.ckpt"), *dev = join(dir, "zero.ckpt");
    char *loop = join(dir, "loop.ckpt");
    cr_assert_eq(mkfifo(fifo, 0600), 0);
    cr_assert_eq(symlink("loop.ckpt", loop), 0);
    load_refused(fifo, "is a FIFO");
    load_refused(dir, "is a directory");
    load_refused(loop, "symlink loop");
    if (mknod(dev, S_IFCHR | 0600, makedev(1, 5)) == 0) /* like /dev/zero: endless */
        load_refused(dev, "is a character device");
    else
        cr_log_warn("mknod not permitted (%s): device case not run", strerror(errno));
    rm_rf(dir);
    free(fifo);
    free(dev);
    free(loop);
    free(dir);
}

/* Peak RSS of a child that loads path; the load must fail with want. */
static long load_rss_kb(const char *path, const char *want) {
    int pfd[2];
    cr_assert_eq(pipe(pfd), 0);
    pid_t pid = fork();
    cr_assert(pid >= 0);
    if (pid == 0) {
        close(pfd[0]);
        Model m;
        RtErr e = {{0}};
        int rc = ckpt_load(path, &m, NULL, NULL, &e);
        struct rusage ru;
        getrusage(RUSAGE_SELF, &ru);
        long v = rc == -1 && strstr(e.msg, want) ? ru.ru_maxrss : -1;
        if (write(pfd[1], &v, sizeof v) != sizeof v) _exit(2);
        _exit(0);
    }
    close(pfd[1]);
    long v = -2;
    cr_assert_eq(read(pfd[0], &v, sizeof v), (ssize_t)sizeof v);
    close(pfd[0]);
    waitpid(pid, NULL, 0);
    return v;
}

/* A 1 GB file (sparse: no disk used) is judged by its header, not read whole. */
Test(checkpoint, big_file_is_judged_by_its_header) {
    size_t len;
    uint8_t *b = saved(&len);
    char *dir = tmpdir(), *junk = join(dir, "junk.bin"), *grown = join(dir, "grown.ckpt");
    const off_t big = (off_t)1 << 30;
    int fd = open(junk, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    cr_assert(fd >= 0);
    cr_assert_eq(ftruncate(fd, big), 0);
    close(fd);
    fd = open(grown, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    cr_assert(fd >= 0);
    cr_assert_eq(write(fd, b, len), (ssize_t)len);
    cr_assert_eq(ftruncate(fd, big), 0); /* a real checkpoint with 1 GB of zeros after it */
    close(fd);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    long base = ru.ru_maxrss; /* the child starts as a copy of this process */
    long a = load_rss_kb(junk, "not an rtviz checkpoint");
    long g = load_rss_kb(grown, "unexpected bytes after the data");
    cr_assert_gt(a, 0, "junk: wrong or no error");
    cr_assert_gt(g, 0, "grown: wrong or no error");
    cr_assert_lt(a - base, 64 * 1024, "junk: %ld KB more resident than the parent", a - base);
    cr_assert_lt(g - base, 64 * 1024, "grown: %ld KB more resident than the parent", g - base);
    rm_rf(dir);
    free(junk);
    free(grown);
    free(dir);
    free(b);
}
