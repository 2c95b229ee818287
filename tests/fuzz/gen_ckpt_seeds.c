/* gen_ckpt_seeds.c — writes the seed corpus of fuzz_ckpt (valid small
 * checkpoints made by ckpt_save, RT and MLP, with and without Adam, each
 * prefixed by the harness's mode byte). Not part of the build; regenerate with
 *   make build/fuzz/librtviz.a && clang -Isrc -Isrc/engine -fsanitize=address,undefined \
 *     tests/fuzz/gen_ckpt_seeds.c build/fuzz/librtviz.a -lopenblas -lz -lm -lpthread \
 *     -o build/fuzz/gen_ckpt_seeds && build/fuzz/gen_ckpt_seeds tests/fuzz/corpus/fuzz_ckpt */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checkpoint.h"

static void seed(const char *dir, const char *name, int mode, const ModelConfig *c, int adam) {
    Model m;
    Adam a;
    RtErr e;
    if (model_init(&m, c, 7, &e)) {
        fprintf(stderr, "%s: %s\n", name, e.msg);
        exit(1);
    }
    if (adam) {
        adam_init(&a, m.n, 1e-3f, &e);
        a.t = 5;
        for (size_t i = 0; i < a.n; i++)
            a.m[i] = 0.01f * (float)i, a.v[i] = 1e-4f;
    }
    CkptMeta meta = {.seed = 42, .step = 100, .epoch = 2};
    strcpy(meta.dataset, "sample");
    const char *tmp = "build/fuzz/seed.ckpt";
    if (ckpt_save(tmp, &m, adam ? &a : NULL, &meta, &e)) {
        fprintf(stderr, "%s: %s\n", name, e.msg);
        exit(1);
    }
    FILE *f = fopen(tmp, "rb");
    static uint8_t buf[1 << 20];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    remove(tmp);
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    f = fopen(path, "wb");
    fputc(mode, f);
    fwrite(buf, 1, n, f);
    fclose(f);
    model_free(&m);
    if (adam) adam_free(&a);
}

int main(int argc, char **argv) {
    const char *dir = argc > 1 ? argv[1] : "tests/fuzz/corpus/fuzz_ckpt";
    ModelConfig c;
    model_config_default(&c, ARCH_RT, 1, 2, 3, 2); /* D = 6, C = 2 */
    c.L = 2, c.B = 2, c.H = 3;
    seed(dir, "rt_l2b2h3", 0, &c, 0);
    seed(dir, "rt_l2b2h3_adam", 2, &c, 1);
    seed(dir, "rt_l2b2h3_adam_fixcrc", 3, &c, 1);
    c.L = 1, c.B = 1, c.H = 1;
    seed(dir, "rt_l1b1h1_fixcrc", 1, &c, 0);
    model_config_default(&c, ARCH_MLP, 1, 2, 2, 3); /* D = 4, C = 3 */
    c.nhidden = 2, c.hidden[0] = 3, c.hidden[1] = 2;
    seed(dir, "mlp_4_3_2_3", 0, &c, 0);
    seed(dir, "mlp_4_3_2_3_adam_fixcrc", 3, &c, 1);
    c.nhidden = 0;
    seed(dir, "mlp_linear_fixcrc", 1, &c, 0);
    return 0;
}
