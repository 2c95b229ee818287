/* opts.c — the configuration schema: one typed row per option. See opts.h
 * and docs/DESIGN.md §3.
 *
 * A row names the option, its argument, its type, its range (range.h, shared
 * with the engine's own checks), the Opts field it fills and its default.
 * Defaults the engine owns (network shape, τ, schedule, training settings)
 * come from model_config_default / train_config_default; the others are the
 * row's `def` text, parsed by the same code as a command line. `--help`
 * prints each default by formatting the field of a freshly defaulted Opts,
 * so it shows the value the code uses. */
#include "opts.h"

#include "owndata.h"

#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "range.h"

typedef enum {
    OT_SWITCH,   /* no argument: the int field becomes 1 */
    OT_STRING,   /* a word: the const char * field points at it */
    OT_INT,      /* a whole number in range: int field */
    OT_SEED,     /* a whole number 0 - 2^64-1: uint64_t field */
    OT_FLOAT,    /* a number in range, checked as the float stored: float field */
    OT_CHOICE,   /* one of `choices`: int field = its index */
    OT_INTS,     /* "a,b,c" of whole numbers in range: int array, count in `count` */
    OT_SCHEDULE, /* θ list (model_parse_schedule): float array, count in `count` */
    OT_POLICY,   /* unfold, zero, random or fixed:X (train_parse_policy): the TrainConfig */
    OT_OPT_INT,  /* like OT_INT, but the argument may be left out (then 1) */
    OT_SIZE      /* WIDTHxHEIGHT, each side in range: int fields off (width), count (height) */
} OptType;

typedef struct {
    const char *name;           /* without the leading -- */
    const char *arg;            /* argument name, NULL for a switch */
    int id;                     /* OPT_* */
    OptType type;               /* how the argument is read */
    const RtRange *range;       /* OT_INT, OT_FLOAT, OT_INTS: allowed values */
    size_t off;                 /* the field in Opts */
    size_t count;               /* OT_INTS, OT_SCHEDULE: the int count field; OT_SIZE: height */
    int max;                    /* OT_INTS: capacity of the array */
    const char *const *choices; /* OT_CHOICE: names, NULL-terminated */
    const char *def;            /* default as argument text; NULL: the engine's, or none */
    const char *shown;          /* shown as the default instead of the field's value */
    const char *help;           /* one line; %R stands for the range */
} OptDef;

#define F(field) offsetof(Opts, field)

static const char *const ARCHES[] = {"rt", "mlp", NULL}; /* index = ARCH_RT, ARCH_MLP */
static const char *const LR_SCHEDULES[] = {"cos", "const", NULL};

/* ranges of the options the engine does not check itself */
static const RtRange R_EPOCHS = {1, 1000, 0, 0, 1};
static const RtRange R_INDEX = {0, 100000000, 0, 0, 1};
static const RtRange R_STEP_MS = {10, 5000, 0, 0, 1};
static const RtRange R_CHAPTER = {1, 99, 0, 0, 1};
static const RtRange R_SEEDS = {1, 10, 0, 0, 1};
static const RtRange R_TEST_SPLIT = {0, 1, 1, 1, 0}; /* a fraction: (0, 1) */
static const RtRange R_SIDE = {64, 7680, 0, 0, 1};   /* a picture's or window's side */
static const RtRange R_SHOW_THETA = {0, 1, 0, 1, 0}; /* a θ to show: [0, 1) */
static const RtRange R_PACE = {0, 1000, 0, 0, 1};

static const OptDef TABLE[] = {
    {"dataset", "NAME", OPT_DATASET, OT_STRING, NULL, F(dataset), 0, 0, NULL, NULL,
     "fashionmnist; eval, sweep: the model's",
     "fashionmnist, mnist, usps, cifar10, sample, or a PATH to your own data (a directory of "
     "IDX files or of class folders of images, or a CSV file)"},
    {"model", "FILE", OPT_MODEL, OT_STRING, NULL, F(model), 0, 0, NULL, NULL, NULL,
     "checkpoint to load"},
    {"save", "FILE", OPT_SAVE, OT_STRING, NULL, F(save), 0, 0, NULL, NULL, NULL,
     "write the trained checkpoint here"},
    {"csv", "FILE", OPT_CSV, OT_STRING, NULL, F(csv), 0, 0, NULL, NULL, NULL,
     "per-epoch log as CSV"},
    {"out", "FILE", OPT_OUT, OT_STRING, NULL, F(out), 0, 0, NULL, NULL, NULL, "output file"},
    {"arch", "rt|mlp", OPT_ARCH, OT_CHOICE, NULL, F(arch), 0, 0, ARCHES, NULL, NULL,
     "RayTracing network or dense MLP baseline"},
    {"layers", "L", OPT_LAYERS, OT_INT, &RANGE_LAYERS, F(layers), 0, 0, NULL, NULL, NULL,
     "RT hidden layers, %R"},
    {"blocks", "B", OPT_BLOCKS, OT_INT, &RANGE_BLOCKS, F(blocks), 0, 0, NULL, NULL, NULL,
     "RT blocks per layer, %R"},
    {"width", "H", OPT_WIDTH, OT_INT, &RANGE_WIDTH, F(width), 0, 0, NULL, NULL, NULL,
     "RT block hidden width, %R"},
    {"hidden", "LIST", OPT_HIDDEN, OT_INTS, &RANGE_HIDDEN, F(hidden), F(nhidden), MLP_MAX_HIDDEN,
     NULL, NULL, NULL, "MLP hidden widths, each %R"},
    {"tau", "X", OPT_TAU, OT_FLOAT, &RANGE_TAU, F(tau), 0, 0, NULL, NULL, NULL,
     "sweep stop confidence τ in %R; a loaded model keeps its own unless given"},
    {"schedule", "LIST", OPT_SCHEDULE, OT_SCHEDULE, &RANGE_SCHED, F(sched), F(nsched), SCHED_MAX,
     NULL, NULL, NULL,
     "θ schedule: steps in %R, strictly decreasing, the last 0; a loaded model keeps its own "
     "unless given"},
    {"epochs", "N", OPT_EPOCHS, OT_INT, &R_EPOCHS, F(epochs), 0, 0, NULL, "10", NULL,
     "training epochs, %R"},
    {"batch", "N", OPT_BATCH, OT_INT, &RANGE_BATCH, F(tc.batch), 0, 0, NULL, NULL, NULL,
     "minibatch size, %R"},
    {"lr", "X", OPT_LR, OT_FLOAT, &RANGE_LR, F(tc.lr), 0, 0, NULL, NULL, NULL,
     "Adam learning rate in %R"},
    {"policy", "P", OPT_POLICY, OT_POLICY, &RANGE_THETA, F(tc), 0, 0, NULL, NULL, NULL,
     "training θ: unfold, zero, random or fixed:X with X in %R"},
    {"floor", "X", OPT_FLOOR, OT_FLOAT, &RANGE_THETA, F(tc.floor), 0, 0, NULL, NULL, NULL,
     "θ floor the sweep never goes below, in %R"},
    {"seed", "N", OPT_SEED, OT_SEED, NULL, F(tc.seed), 0, 0, NULL, NULL, NULL,
     "seed for init, data order and sampling"},
    {"threads", "N", OPT_THREADS, OT_INT, &RANGE_THREADS, F(tc.threads), 0, 0, NULL, NULL, NULL,
     "worker threads, 0 = all cores, %R"},
    {"index", "I", OPT_INDEX, OT_INT, &R_INDEX, F(index), 0, 0, NULL, "0", NULL,
     "test-set image index"},
    {"json", NULL, OPT_JSON, OT_SWITCH, NULL, F(json), 0, 0, NULL, NULL, NULL,
     "machine-readable output"},
    {"limit", "N", OPT_LIMIT, OT_INT, &R_INDEX, F(limit), 0, 0, NULL, "0", NULL,
     "use only the first N test images, 0 = all"},
    {"sdl", NULL, OPT_SDL, OT_SWITCH, NULL, F(sdl), 0, 0, NULL, NULL, NULL,
     "also open the projector window (SDL2) beside the terminal"},
    {"tutorial", "[N]", OPT_TUTORIAL, OT_OPT_INT, &R_CHAPTER, F(tutorial), 0, 0, NULL, NULL, "",
     "open the tutorial at chapter N, %R: chapters beside the live view"},
    {"no-mouse", NULL, OPT_NO_MOUSE, OT_SWITCH, NULL, F(no_mouse), 0, 0, NULL, NULL, NULL,
     "ignore the mouse"},
    {"no-color", NULL, OPT_NO_COLOR, OT_SWITCH, NULL, F(no_color), 0, 0, NULL, NULL, NULL,
     "monochrome (NO_COLOR is honoured too)"},
    {"step-ms", "MS", OPT_STEP_MS, OT_INT, &R_STEP_MS, F(step_ms), 0, 0, NULL, "150", NULL,
     "sweep animation: milliseconds per θ step, %R"},
    {"quick", NULL, OPT_QUICK, OT_SWITCH, NULL, F(quick), 0, 0, NULL, NULL, NULL,
     "fewer repeats (bench)"},
    {"lr-schedule", "cos|const", OPT_LR_SCHEDULE, OT_CHOICE, NULL, F(lr_const), 0, 0, LR_SCHEDULES,
     "cos", NULL, "learning rate over the epochs: cosine to lr/20, or flat"},
    {"seeds", "K", OPT_SEEDS, OT_INT, &R_SEEDS, F(seeds), 0, 0, NULL, "1", NULL,
     "seeds per network size, for error bars, %R"},
    {"merge", NULL, OPT_MERGE, OT_SWITCH, NULL, F(merge), 0, 0, NULL, NULL, NULL,
     "draw one Figure 2 from the report DIRs given"},
    {"theta", "X", OPT_THETA, OT_FLOAT, &R_SHOW_THETA, F(theta), 0, 0, NULL, NULL,
     "the sweep's stop", "θ to show, in %R (not below --floor)"},
    {"size", "WxH", OPT_SIZE, OT_SIZE, &R_SIDE, F(size_w), F(size_h), 0, NULL, "1920x1080", NULL,
     "picture or window size in pixels, each side %R"},
    {"sdl-only", NULL, OPT_SDL_ONLY, OT_SWITCH, NULL, F(sdl_only), 0, 0, NULL, NULL, NULL,
     "the projector window alone (no terminal), driven by its own keys"},
    {"test-split", "X", OPT_TEST_SPLIT, OT_FLOAT, &R_TEST_SPLIT, F(test_split), 0, 0, NULL, "0.2",
     NULL, "own CSV / image-folder data: the fraction held out for testing, %R"},
    {"pace", "N", OPT_PACE, OT_INT, &R_PACE, F(pace), 0, 0, NULL, "0", NULL,
     "training pace: N minibatches per second (keys [ ] change it), 0 = full speed, %R"},
};
#define NTABLE ((int)(sizeof TABLE / sizeof TABLE[0]))

#define FIELD(o, d, type)  ((type *)((char *)(o) + (d)->off))
#define CFIELD(o, d, type) ((const type *)((const char *)(o) + (d)->off))

static const OptDef *by_name(const char *name, size_t len) {
    for (int i = 0; i < NTABLE; i++)
        if (strlen(TABLE[i].name) == len && !strncmp(TABLE[i].name, name, len)) return &TABLE[i];
    return NULL;
}

/* ---- reading one value ---------------------------------------------------- */

/* A whole number: digits, optionally after one '-'; no spaces, no '+'. */
static int read_long(const char *label, const char *s, const RtRange *r, long *out, RtErr *e) {
    char *end, b[32];
    const char *d = s[0] == '-' ? s + 1 : s;
    if (!(*d >= '0' && *d <= '9')) return rt_err(e, "%s: '%s' is not a whole number", label, s);
    errno = 0;
    long v = strtol(s, &end, 10);
    if (*end) return rt_err(e, "%s: '%s' is not a whole number", label, s);
    if (errno == ERANGE || !range_has(r, (double)v))
        return rt_err(e, "%s: %s is out of range (%s)", label, s, range_str(r, b, sizeof b));
    *out = v;
    return 0;
}

/* A number as the float it is stored in: in r as written and once rounded
 * (0.99999999 is 1.0f, 1e-50 is 0.0f). */
static int read_float(const char *label, const char *s, const RtRange *r, float *out, RtErr *e) {
    char *end, b[32];
    const char *d = s[0] == '-' ? s + 1 : s;
    if (!((*d >= '0' && *d <= '9') || *d == '.'))
        return rt_err(e, "%s: '%s' is not a number", label, s);
    errno = 0;
    double v = strtod(s, &end);
    if (*end || !isfinite(v)) return rt_err(e, "%s: '%s' is not a number", label, s);
    float f = (float)v;
    if (!range_has(r, v))
        return rt_err(e, "%s: %s is out of range %s", label, s, range_str(r, b, sizeof b));
    if (!range_has(r, f))
        return rt_err(e, "%s: %s is out of range %s once stored (it rounds to %g as a float)",
                      label, s, range_str(r, b, sizeof b), f);
    *out = f;
    return 0;
}

/* "a,b,c" of whole numbers in r into out[max]; returns the count or -1. */
static int read_ints(const char *label, const char *s, const RtRange *r, int *out, int max,
                     RtErr *e) {
    int n = 0;
    const char *p = s;
    if (!*p) return rt_err(e, "%s: empty list", label);
    for (;;) {
        char buf[32];
        size_t k = strcspn(p, ",");
        if (k == 0 || k >= sizeof buf) return rt_err(e, "%s: bad list '%s'", label, s);
        if (n == max) return rt_err(e, "%s: at most %d values", label, max);
        memcpy(buf, p, k);
        buf[k] = 0;
        long v;
        if (read_long(label, buf, r, &v, e)) return -1;
        out[n++] = (int)v;
        p += k;
        if (!*p) return n;
        if (!*++p) return rt_err(e, "%s: bad list '%s'", label, s);
    }
}

/* Messages of the engine's parsers start "--name:"; give them the caller's label. */
static int relabel(const char *label, const char *name, RtErr *e) {
    char flag[48], msg[RT_ERRLEN];
    snprintf(flag, sizeof flag, "--%s", name);
    size_t k = strlen(flag);
    if (strcmp(label, flag) && !strncmp(e->msg, flag, k)) {
        snprintf(msg, sizeof msg, "%s%s", label, e->msg + k);
        snprintf(e->msg, sizeof e->msg, "%s", msg);
    }
    return -1;
}

/* Read v (NULL: a switch, or an optional argument left out) into row d's
 * field; label names the setting in messages ("--floor", "floor"). */
static int apply(Opts *o, const OptDef *d, const char *v, const char *label, RtErr *e) {
    long l;
    switch (d->type) {
    case OT_SWITCH:
        *FIELD(o, d, int) = 1;
        return 0;
    case OT_STRING:
        *FIELD(o, d, const char *) = v;
        return 0;
    case OT_INT:
        if (read_long(label, v, d->range, &l, e)) return -1;
        *FIELD(o, d, int) = (int)l;
        return 0;
    case OT_OPT_INT:
        if (!v)
            l = 1;
        else if (read_long(label, v, d->range, &l, e))
            return -1;
        *FIELD(o, d, int) = (int)l;
        return 0;
    case OT_SEED: {
        char *end;
        if (!(v[0] >= '0' && v[0] <= '9'))
            return rt_err(e, "%s: '%s' is not a non-negative whole number", label, v);
        errno = 0;
        unsigned long long s = strtoull(v, &end, 10);
        if (errno || *end)
            return rt_err(e, "%s: '%s' is not a non-negative whole number (0-%llu)", label, v,
                          (unsigned long long)UINT64_MAX);
        *FIELD(o, d, uint64_t) = (uint64_t)s;
        return 0;
    }
    case OT_FLOAT:
        return read_float(label, v, d->range, FIELD(o, d, float), e);
    case OT_CHOICE:
        for (int i = 0; d->choices[i]; i++)
            if (!strcmp(v, d->choices[i])) {
                *FIELD(o, d, int) = i;
                return 0;
            }
        if (d->choices[1] && !d->choices[2])
            return rt_err(e, "%s: '%s' is not %s or %s", label, v, d->choices[0], d->choices[1]);
        return rt_err(e, "%s: '%s' is not one of %s", label, v, d->arg);
    case OT_INTS: {
        int k = read_ints(label, v, d->range, FIELD(o, d, int), d->max, e);
        if (k < 0) return -1;
        *(int *)((char *)o + d->count) = k;
        return 0;
    }
    case OT_SCHEDULE: {
        ModelConfig tmp;
        memset(&tmp, 0, sizeof tmp);
        if (model_parse_schedule(&tmp, v, e)) return relabel(label, d->name, e);
        o->nsched = tmp.nsched;
        memcpy(o->sched, tmp.sched, sizeof o->sched);
        return 0;
    }
    case OT_POLICY:
        if (train_parse_policy(&o->tc, v, e)) return relabel(label, d->name, e);
        return 0;
    case OT_SIZE: {
        char b[32];
        const char *x = strchr(v, 'x');
        long sw, sh;
        if (!x || (size_t)(x - v) >= sizeof b || x == v)
            return rt_err(e, "%s: '%s' is not WIDTHxHEIGHT (e.g. 1920x1080)", label, v);
        memcpy(b, v, (size_t)(x - v));
        b[x - v] = 0;
        if (read_long(label, b, d->range, &sw, e) || read_long(label, x + 1, d->range, &sh, e))
            return -1;
        *FIELD(o, d, int) = (int)sw;
        *(int *)((char *)o + d->count) = (int)sh;
        return 0;
    }
    }
    return rt_err(e, "%s: internal: unknown option type", label);
}

/* ---- defaults --------------------------------------------------------------- */

void opts_default(Opts *o) {
    memset(o, 0, sizeof *o);
    ModelConfig mc;
    model_config_default(&mc, ARCH_RT, 1, 1, 1, 2); /* the shape-independent defaults */
    o->arch = mc.arch;
    o->layers = mc.L;
    o->blocks = mc.B;
    o->width = mc.H;
    o->nhidden = mc.nhidden;
    memcpy(o->hidden, mc.hidden, sizeof o->hidden);
    o->tau = mc.tau;
    o->nsched = mc.nsched;
    memcpy(o->sched, mc.sched, sizeof o->sched);
    train_config_default(&o->tc);
    o->tutorial = -1; /* absent */
    for (int i = 0; i < NTABLE; i++) {
        RtErr e;
        if (TABLE[i].def && apply(o, &TABLE[i], TABLE[i].def, TABLE[i].name, &e)) abort();
    }
    owndata_set_test_split(o->test_split);
}

void opts_free(Opts *o) {
    free(o->pos);
    o->pos = NULL;
    o->npos = 0;
}

/* ---- the command line ---------------------------------------------------- */

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
        const OptDef *d = by_name(name, len);
        if (!d || !(allowed & OPTBIT(d->id))) {
            opts_free(o);
            return rt_err(e, "unknown option '%.*s' (see --help)", (int)(len + 2), a);
        }
        const char *val = NULL;
        if (d->arg) {
            if (eq)
                val = eq + 1;
            else if (d->type == OT_OPT_INT) {
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
        char label[48];
        snprintf(label, sizeof label, "--%s", d->name);
        if (apply(o, d, val, label, e)) {
            opts_free(o);
            return -1;
        }
        o->given |= OPTBIT(d->id);
    }
    owndata_set_test_split(o->test_split); /* read by the own-data readers when they load */
    return 0;
}

int opts_set(Opts *o, const char *name, const char *value, uint64_t allowed, const char *label,
             RtErr *e) {
    const OptDef *d = by_name(name, strlen(name));
    if (!d || !(allowed & OPTBIT(d->id))) return rt_err(e, "%s: unknown setting", label);
    if (!d->arg) {
        /* a switch in a header: yes or no */
        if (!strcmp(value, "yes") || !strcmp(value, "1"))
            value = NULL;
        else if (!strcmp(value, "no") || !strcmp(value, "0")) {
            *FIELD(o, d, int) = 0;
            o->given |= OPTBIT(d->id);
            return 0;
        } else
            return rt_err(e, "%s: '%s' is not yes or no", label, value);
    } else if (!*value && d->type != OT_OPT_INT)
        return rt_err(e, "%s: needs a value %s", label, d->arg);
    if (apply(o, d, value && *value ? value : NULL, label, e)) return -1;
    o->given |= OPTBIT(d->id);
    return 0;
}

int opts_find(const char *name, uint64_t allowed) {
    const OptDef *d = by_name(name, strlen(name));
    return d && (allowed & OPTBIT(d->id)) ? d->id : -1;
}

const char *opts_name(int id) {
    for (int i = 0; i < NTABLE; i++)
        if (TABLE[i].id == id) return TABLE[i].name;
    return "?";
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

int opts_check_theta(const Opts *o, const ModelConfig *mc, RtErr *e) {
    if (model_check_theta(mc, o->tc.floor, "--floor", e)) return -1;
    if (o->tc.policy == POL_FIXED &&
        model_check_theta(mc, o->tc.fixed_theta, "--policy fixed:X", e))
        return -1;
    return 0;
}

/* ---- --help ---------------------------------------------------------------- */

/* The field's value as the option's argument text (what --help shows). */
static void show_value(const Opts *o, const OptDef *d, char *buf, size_t n) {
    size_t k = 0;
    buf[0] = 0;
    switch (d->type) {
    case OT_INT:
    case OT_OPT_INT:
        snprintf(buf, n, "%d", *CFIELD(o, d, int));
        break;
    case OT_SEED:
        snprintf(buf, n, "%llu", (unsigned long long)*CFIELD(o, d, uint64_t));
        break;
    case OT_FLOAT:
        snprintf(buf, n, "%g", (double)*CFIELD(o, d, float));
        break;
    case OT_CHOICE:
        snprintf(buf, n, "%s", d->choices[*CFIELD(o, d, int)]);
        break;
    case OT_INTS:
        for (int i = 0; i < *(const int *)((const char *)o + d->count) && k < n; i++)
            k += (size_t)snprintf(buf + k, n - k, "%s%d", i ? "," : "", CFIELD(o, d, int)[i]);
        break;
    case OT_SCHEDULE:
        for (int i = 0; i < o->nsched && k < n; i++)
            k += (size_t)snprintf(buf + k, n - k, "%s%g", i ? "," : "", (double)o->sched[i]);
        break;
    case OT_POLICY: {
        static const char *const P[] = {"unfold", "zero", "fixed", "random"};
        if (o->tc.policy == POL_FIXED)
            snprintf(buf, n, "fixed:%g", (double)o->tc.fixed_theta);
        else
            snprintf(buf, n, "%s", P[o->tc.policy]);
        break;
    }
    case OT_SIZE:
        snprintf(buf, n, "%dx%d", *CFIELD(o, d, int), *(const int *)((const char *)o + d->count));
        break;
    case OT_SWITCH:
    case OT_STRING:
        break;
    }
}

void opts_usage(FILE *f, uint64_t allowed) {
    Opts d;
    opts_default(&d);
    for (int i = 0; i < NTABLE; i++) {
        const OptDef *r = &TABLE[i];
        if (!(allowed & OPTBIT(r->id))) continue;
        char left[40], range[40] = "", def[256];
        snprintf(left, sizeof left, "--%s%s%s", r->name, r->arg ? " " : "", r->arg ? r->arg : "");
        if (r->range) range_str(r->range, range, sizeof range);
        if (r->shown)
            snprintf(def, sizeof def, "%s", r->shown);
        else
            show_value(&d, r, def, sizeof def);
        fprintf(f, "  %-24s ", left);
        const char *h = r->help, *at;
        while ((at = strstr(h, "%R"))) {
            fprintf(f, "%.*s%s", (int)(at - h), h, range);
            h = at + 2;
        }
        fputs(h, f);
        if (def[0]) fprintf(f, " (default %s)", def);
        fputc('\n', f);
    }
    fprintf(f, "  %-24s %s\n  %-24s %s\n", "--help", "this text", "--version", "print the version");
}
