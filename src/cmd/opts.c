/* opts.c — see opts.h. */
#include "opts.h"

#include "owndata.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const char *name; /* without the leading -- */
    const char *arg;  /* argument name, NULL for a switch */
    int id;
    const char *help;
    const char *def; /* default shown in usage, NULL for none */
} OptDef;

static const OptDef TABLE[] = {
    {"dataset", "NAME", OPT_DATASET,
     "fashionmnist, mnist, usps, cifar10, sample, or a PATH to your own data (a directory of "
     "IDX files or of class folders of images, or a CSV file)",
     "fashionmnist; eval, sweep: the model's"},
    {"model", "FILE", OPT_MODEL, "checkpoint to load", NULL},
    {"save", "FILE", OPT_SAVE, "write the trained checkpoint here", NULL},
    {"csv", "FILE", OPT_CSV, "per-epoch log as CSV", NULL},
    {"out", "FILE", OPT_OUT, "output file", NULL},
    {"arch", "rt|mlp", OPT_ARCH, "RayTracing network or dense MLP baseline", "rt"},
    {"layers", "L", OPT_LAYERS, "RT hidden layers (1-8)", "3"},
    {"blocks", "B", OPT_BLOCKS, "RT blocks per layer (1-16)", "8"},
    {"width", "H", OPT_WIDTH, "RT block hidden width (1-4096)", "48"},
    {"hidden", "LIST", OPT_HIDDEN, "MLP hidden widths", "256,256"},
    {"tau", "X", OPT_TAU, "sweep stop confidence τ (0-1]", "0.9"},
    {"schedule", "LIST", OPT_SCHEDULE, "θ schedule, decreasing, ending at 0",
     "0.5,0.3,0.2,0.12,0.08,0.05,0.03,0.02,0.01,0.005,0"},
    {"epochs", "N", OPT_EPOCHS, "training epochs (1-1000)", "10"},
    {"batch", "N", OPT_BATCH, "minibatch size (1-4096)", "128"},
    {"lr", "X", OPT_LR, "Adam learning rate (0-1]", "0.001"},
    {"policy", "P", OPT_POLICY, "training θ: unfold, zero, random or fixed:X", "unfold"},
    {"floor", "X", OPT_FLOOR, "θ floor the sweep never goes below [0-1)", "0"},
    {"seed", "N", OPT_SEED, "seed for init, data order and sampling", "1"},
    {"threads", "N", OPT_THREADS, "worker threads, 0 = all cores (0-64)", "0"},
    {"index", "I", OPT_INDEX, "test-set image index", "0"},
    {"json", NULL, OPT_JSON, "machine-readable output", NULL},
    {"limit", "N", OPT_LIMIT, "use only the first N test images, 0 = all", "0"},
    {"sdl", NULL, OPT_SDL, "also open the projector window (not in this version yet)", NULL},
    {"tutorial", "[N]", OPT_TUTORIAL, "open the tutorial at chapter N (not in this version yet)",
     NULL},
    {"no-mouse", NULL, OPT_NO_MOUSE, "ignore the mouse", NULL},
    {"no-color", NULL, OPT_NO_COLOR, "monochrome (NO_COLOR is honoured too)", NULL},
    {"step-ms", "MS", OPT_STEP_MS, "sweep animation: milliseconds per θ step (10-5000)", "150"},
    {"quick", NULL, OPT_QUICK, "fewer repeats (bench)", NULL},
    {"lr-schedule", "cos|const", OPT_LR_SCHEDULE,
     "learning rate over the epochs: cosine to lr/20, or flat", "cos"},
    {"test-split", "X", OPT_TEST_SPLIT,
     "own CSV / image-folder data: the fraction held out for testing (0-1)", "0.2"},
};
#define NTABLE ((int)(sizeof TABLE / sizeof TABLE[0]))

void opts_default(Opts *o) {
    memset(o, 0, sizeof *o);
    o->arch = ARCH_RT;
    o->layers = 3;
    o->blocks = 8;
    o->width = 48;
    o->nhidden = 2;
    o->hidden[0] = o->hidden[1] = 256;
    o->tau = 0.9f;
    o->epochs = 10;
    train_config_default(&o->tc);
    o->tutorial = -1;
    o->step_ms = 150;
    o->test_split = OD_SPLIT_DEF;
    owndata_set_test_split(OD_SPLIT_DEF);
}

void opts_free(Opts *o) {
    free(o->pos);
    o->pos = NULL;
    o->npos = 0;
}

static int parse_long(const char *flag, const char *s, long lo, long hi, long *out, RtErr *e) {
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end) return rt_err(e, "--%s: '%s' is not a whole number", flag, s);
    if (v < lo || v > hi) return rt_err(e, "--%s: %ld is out of range (%ld-%ld)", flag, v, lo, hi);
    *out = v;
    return 0;
}

static int parse_float(const char *flag, const char *s, float *out, RtErr *e) {
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end || !isfinite(v))
        return rt_err(e, "--%s: '%s' is not a number", flag, s);
    *out = (float)v;
    return 0;
}

/* "a,b,c" of positive ints into out[max]; returns count or -1. */
static int parse_int_list(const char *flag, const char *s, int *out, int max, long lo, long hi,
                          RtErr *e) {
    int n = 0;
    const char *p = s;
    if (!*p) return rt_err(e, "--%s: empty list", flag);
    while (*p) {
        char buf[32];
        size_t k = strcspn(p, ",");
        if (k == 0 || k >= sizeof buf) return rt_err(e, "--%s: bad list '%s'", flag, s);
        if (n == max) return rt_err(e, "--%s: at most %d values", flag, max);
        memcpy(buf, p, k);
        buf[k] = 0;
        long v;
        if (parse_long(flag, buf, lo, hi, &v, e)) return -1;
        out[n++] = (int)v;
        p += k;
        if (*p == ',') {
            p++;
            if (!*p) return rt_err(e, "--%s: bad list '%s'", flag, s);
        }
    }
    return n;
}

static const OptDef *find(const char *name, size_t len) {
    for (int i = 0; i < NTABLE; i++)
        if (strlen(TABLE[i].name) == len && !strncmp(TABLE[i].name, name, len)) return &TABLE[i];
    return NULL;
}

static int apply(Opts *o, const OptDef *d, const char *v, RtErr *e) {
    long l;
    float f;
    const char *n = d->name;
    switch (d->id) {
    case OPT_DATASET:
        o->dataset = v;
        break;
    case OPT_MODEL:
        o->model = v;
        break;
    case OPT_SAVE:
        o->save = v;
        break;
    case OPT_CSV:
        o->csv = v;
        break;
    case OPT_OUT:
        o->out = v;
        break;
    case OPT_ARCH:
        if (!strcmp(v, "rt"))
            o->arch = ARCH_RT;
        else if (!strcmp(v, "mlp"))
            o->arch = ARCH_MLP;
        else
            return rt_err(e, "--arch: '%s' is not rt or mlp", v);
        break;
    case OPT_LAYERS:
        if (parse_long(n, v, 1, RT_MAX_L, &l, e)) return -1;
        o->layers = (int)l;
        break;
    case OPT_BLOCKS:
        if (parse_long(n, v, 1, RT_MAX_B, &l, e)) return -1;
        o->blocks = (int)l;
        break;
    case OPT_WIDTH:
        if (parse_long(n, v, 1, 4096, &l, e)) return -1;
        o->width = (int)l;
        break;
    case OPT_HIDDEN: {
        int k = parse_int_list(n, v, o->hidden, MLP_MAX_HIDDEN, 1, 8192, e);
        if (k < 0) return -1;
        o->nhidden = k;
        break;
    }
    case OPT_TAU:
        if (parse_float(n, v, &f, e)) return -1;
        if (!(f > 0.0f && f <= 1.0f)) return rt_err(e, "--tau: %s is out of range (0-1]", v);
        o->tau = f;
        break;
    case OPT_SCHEDULE: {
        ModelConfig tmp;
        memset(&tmp, 0, sizeof tmp);
        if (model_parse_schedule(&tmp, v, e)) return -1;
        o->nsched = tmp.nsched;
        memcpy(o->sched, tmp.sched, sizeof o->sched);
        break;
    }
    case OPT_EPOCHS:
        if (parse_long(n, v, 1, 1000, &l, e)) return -1;
        o->epochs = (int)l;
        break;
    case OPT_BATCH:
        if (parse_long(n, v, 1, 4096, &l, e)) return -1;
        o->tc.batch = (int)l;
        break;
    case OPT_LR:
        if (parse_float(n, v, &f, e)) return -1;
        if (!(f > 0.0f && f <= 1.0f)) return rt_err(e, "--lr: %s is out of range (0-1]", v);
        o->tc.lr = f;
        break;
    case OPT_POLICY:
        if (train_parse_policy(&o->tc, v, e)) return -1;
        break;
    case OPT_FLOOR:
        if (parse_float(n, v, &f, e)) return -1;
        if (!(f >= 0.0f && f < 1.0f)) return rt_err(e, "--floor: %s is out of range [0-1)", v);
        o->tc.floor = f;
        break;
    case OPT_SEED: {
        char *end;
        errno = 0;
        if (*v == '-') return rt_err(e, "--seed: '%s' is not a non-negative whole number", v);
        unsigned long long s = strtoull(v, &end, 10);
        if (errno || end == v || *end)
            return rt_err(e, "--seed: '%s' is not a non-negative whole number", v);
        o->tc.seed = (uint64_t)s;
        break;
    }
    case OPT_THREADS:
        if (parse_long(n, v, 0, 64, &l, e)) return -1;
        o->tc.threads = (int)l;
        break;
    case OPT_INDEX:
        if (parse_long(n, v, 0, 100000000, &l, e)) return -1;
        o->index = (int)l;
        break;
    case OPT_LIMIT:
        if (parse_long(n, v, 0, 100000000, &l, e)) return -1;
        o->limit = (int)l;
        break;
    case OPT_STEP_MS:
        if (parse_long(n, v, 10, 5000, &l, e)) return -1;
        o->step_ms = (int)l;
        break;
    case OPT_TUTORIAL:
        o->tutorial = 1;
        if (v) {
            if (parse_long(n, v, 1, 99, &l, e)) return -1;
            o->tutorial = (int)l;
        }
        break;
    case OPT_JSON:
        o->json = 1;
        break;
    case OPT_SDL:
        o->sdl = 1;
        break;
    case OPT_NO_MOUSE:
        o->no_mouse = 1;
        break;
    case OPT_NO_COLOR:
        o->no_color = 1;
        break;
    case OPT_QUICK:
        o->quick = 1;
        break;
    case OPT_LR_SCHEDULE:
        if (!strcmp(v, "cos"))
            o->lr_const = 0;
        else if (!strcmp(v, "const"))
            o->lr_const = 1;
        else
            return rt_err(e, "--lr-schedule: '%s' is not cos or const", v);
        break;
    case OPT_TEST_SPLIT:
        if (parse_float(n, v, &f, e)) return -1;
        if (!(f > 0.0f && f < 1.0f)) return rt_err(e, "--test-split: %s is out of range (0-1)", v);
        o->test_split = f;
        owndata_set_test_split(f);
        break;
    }
    return 0;
}

int opts_parse(Opts *o, int argc, char **argv, uint64_t allowed, int max_pos, RtErr *e) {
    o->pos = NULL;
    o->npos = 0;
    if (max_pos > 0) {
        o->pos = calloc((size_t)argc + 1, sizeof *o->pos);
        if (!o->pos) return rt_err(e, "out of memory");
    }
    int only_pos = 0;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (!a) break;
        if (only_pos || a[0] != '-' || a[1] == 0) {
            if (o->npos >= max_pos) {
                opts_free(o);
                return rt_err(e, "unexpected argument '%s' (see --help)", a);
            }
            o->pos[o->npos++] = argv[i];
            continue;
        }
        if (!strcmp(a, "--")) {
            only_pos = 1;
            continue;
        }
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            o->help = 1;
            continue;
        }
        if (!strcmp(a, "--version")) {
            o->version = 1;
            continue;
        }
        if (a[1] != '-') {
            opts_free(o);
            return rt_err(e, "unknown option '%s' (see --help)", a);
        }
        const char *name = a + 2;
        const char *eq = strchr(name, '=');
        size_t len = eq ? (size_t)(eq - name) : strlen(name);
        const OptDef *d = find(name, len);
        if (!d || !(allowed & OPTBIT(d->id))) {
            opts_free(o);
            return rt_err(e, "unknown option '%.*s' (see --help)", (int)(len + 2), a);
        }
        const char *val = NULL;
        if (d->arg) {
            if (eq)
                val = eq + 1;
            else if (d->id == OPT_TUTORIAL) {
                /* optional argument: take the next word only if it is a number */
                if (i + 1 < argc && argv[i + 1] && argv[i + 1][0] >= '0' && argv[i + 1][0] <= '9')
                    val = argv[++i];
            } else if (i + 1 < argc && argv[i + 1])
                val = argv[++i];
            else {
                opts_free(o);
                return rt_err(e, "--%s needs an argument %s", d->name, d->arg);
            }
        } else if (eq) {
            opts_free(o);
            return rt_err(e, "--%s takes no argument", d->name);
        }
        if (apply(o, d, val, e)) {
            opts_free(o);
            return -1;
        }
        o->given |= OPTBIT(d->id);
    }
    return 0;
}

int opts_model_config(const Opts *o, ModelConfig *mc, int ch, int h, int w, int C, RtErr *e) {
    model_config_default(mc, o->arch, ch, h, w, C);
    if (o->given & OPTBIT(OPT_LAYERS)) mc->L = o->layers;
    if (o->given & OPTBIT(OPT_BLOCKS)) mc->B = o->blocks;
    if (o->given & OPTBIT(OPT_WIDTH)) mc->H = o->width;
    if (o->given & OPTBIT(OPT_HIDDEN)) {
        mc->nhidden = o->nhidden;
        memcpy(mc->hidden, o->hidden, sizeof mc->hidden);
    }
    if (o->given & OPTBIT(OPT_TAU)) mc->tau = o->tau;
    if (o->given & OPTBIT(OPT_SCHEDULE)) {
        mc->nsched = o->nsched;
        memcpy(mc->sched, o->sched, sizeof mc->sched);
    }
    return model_config_check(mc, e);
}

void opts_usage(FILE *f, uint64_t allowed) {
    for (int i = 0; i < NTABLE; i++) {
        const OptDef *d = &TABLE[i];
        if (!(allowed & OPTBIT(d->id))) continue;
        char left[40];
        snprintf(left, sizeof left, "--%s%s%s", d->name, d->arg ? " " : "", d->arg ? d->arg : "");
        fprintf(f, "  %-24s %s", left, d->help);
        if (d->def) fprintf(f, " (default %s)", d->def);
        fputc('\n', f);
    }
    fprintf(f, "  %-24s %s\n  %-24s %s\n", "--help", "this text", "--version", "print the version");
}
