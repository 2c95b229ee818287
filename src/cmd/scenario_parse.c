/* scenario_parse.c — options into a Scenario, and a chapter's `key: value`
 * header validated by the option table (opts.h, docs/DESIGN.md §3.3). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opts.h"

#define SHAPE_BITS                                                                                 \
    (OPTBIT(OPT_ARCH) | OPTBIT(OPT_LAYERS) | OPTBIT(OPT_BLOCKS) | OPTBIT(OPT_WIDTH) |              \
     OPTBIT(OPT_HIDDEN))

void opts_scenario(const Opts *o, Scenario *sc) {
    memset(sc, 0, sizeof *sc);
    snprintf(sc->dataset, sizeof sc->dataset, "%s", o->dataset ? o->dataset : "fashionmnist");
    sc->dataset_fallback = o->dataset == NULL || strcmp(o->dataset, "fashionmnist") == 0;
    if (o->model) snprintf(sc->model, sizeof sc->model, "%s", o->model);
    if (o->save) snprintf(sc->save, sizeof sc->save, "%s", o->save);
    sc->arch = o->arch;
    sc->nhidden = -1;
    if (o->given & OPTBIT(OPT_LAYERS)) sc->layers = o->layers;
    if (o->given & OPTBIT(OPT_BLOCKS)) sc->blocks = o->blocks;
    if (o->given & OPTBIT(OPT_WIDTH)) sc->width = o->width;
    if (o->given & OPTBIT(OPT_HIDDEN)) {
        sc->nhidden = o->nhidden;
        memcpy(sc->hidden, o->hidden, sizeof sc->hidden);
    }
    ModelFlags *f = &sc->flags;
    f->given = ((o->given & OPTBIT(OPT_TAU)) ? MF_TAU : 0) |
               ((o->given & OPTBIT(OPT_SCHEDULE)) ? MF_SCHEDULE : 0) |
               ((o->given & OPTBIT(OPT_SEED)) ? MF_SEED : 0) |
               ((o->given & SHAPE_BITS) ? MF_SHAPE : 0);
    f->tau = o->tau;
    f->nsched = o->nsched;
    memcpy(f->sched, o->sched, sizeof f->sched);
    f->seed = o->tc.seed;
    sc->tc = o->tc;
    sc->step_ms = o->step_ms;
    sc->pace = o->pace;
    sc->view = SCN_VIEW_NETWORK;
    sc->theta_step = -1;
}

/* ---- the header ------------------------------------------------------------- */

/* the keys only a scenario has */
enum { K_TITLE, K_VIEW, K_IMAGE, K_THETA, K_STEPS, K_PAUSED, K_FACT, K_COUNT };
static const char *const OWN[K_COUNT] = {"title", "view",   "image", "theta",
                                         "steps", "paused", "fact"};
static const char *const VIEWS[] = {"network", "gallery", "confusion", "draw"}; /* ScenarioView */

typedef struct {
    const char *file;          /* for messages */
    int line;                  /* current line, from 1 */
    char key[40];              /* current key */
    int seen_opt[OPT_COUNT];   /* line where each option was given, 0 not yet */
    int seen_own[K_COUNT];     /* likewise for the scenario's own keys */
    char str[2][SCN_PATH_MAX]; /* dataset, model values (opts_set keeps pointers) */
} Parse;

static int bad(Parse *p, RtErr *e, const char *fmt, const char *what) {
    char msg[RT_ERRLEN];
    snprintf(msg, sizeof msg, fmt, what);
    return rt_err(e, "%s:%d: %s: %s", p->file, p->line, p->key, msg);
}

/* A whole number lo..hi, digits only. */
static int whole(Parse *p, const char *v, long lo, long hi, long *out, RtErr *e) {
    char *end;
    if (!(*v >= '0' && *v <= '9')) return bad(p, e, "'%s' is not a whole number", v);
    long x = strtol(v, &end, 10);
    if (*end) return bad(p, e, "'%s' is not a whole number", v);
    if (x < lo || x > hi) {
        char r[64];
        snprintf(r, sizeof r, "%s is out of range (%ld-%ld)", v, lo, hi);
        return bad(p, e, "%s", r);
    }
    *out = x;
    return 0;
}

static int own_key(Parse *p, int k, const char *v, Scenario *sc, RtErr *e) {
    long x;
    switch (k) {
    case K_TITLE:
        if (strlen(v) >= sizeof sc->title) return bad(p, e, "%s", "longer than 127 bytes");
        snprintf(sc->title, sizeof sc->title, "%s", v);
        return 0;
    case K_VIEW:
        for (int i = 0; i < (int)(sizeof VIEWS / sizeof VIEWS[0]); i++)
            if (!strcmp(v, VIEWS[i])) {
                sc->view = i;
                return 0;
            }
        return bad(p, e, "'%s' is not network, gallery, confusion or draw", v);
    case K_IMAGE:
        if (whole(p, v, 0, 100000000, &x, e)) return -1;
        sc->trace_index = (int)x;
        return 0;
    case K_THETA:
        if (!strcmp(v, "stop")) {
            sc->theta_step = -1;
            return 0;
        }
        if (!(*v >= '0' && *v <= '9'))
            return bad(p, e, "'%s' is not a θ step number (1 = the first) or stop", v);
        if (whole(p, v, 1, SCHED_MAX, &x, e)) return -1;
        sc->theta_step = (int)x - 1;
        return 0;
    case K_STEPS:
        if (whole(p, v, 0, 100000000, &x, e)) return -1;
        sc->train_steps = x;
        return 0;
    case K_PAUSED:
        if (!strcmp(v, "yes"))
            sc->paused = 1;
        else if (!strcmp(v, "no"))
            sc->paused = 0;
        else
            return bad(p, e, "'%s' is not yes or no", v);
        return 0;
    case K_FACT:
        if (sc->nfacts == SCN_FACTS_MAX) return bad(p, e, "%s", "more than 16 fact lines");
        if (strlen(v) >= SCN_FACT_MAX) return bad(p, e, "%s", "longer than 255 bytes");
        snprintf(sc->facts[sc->nfacts++], SCN_FACT_MAX, "%s", v);
        return 0;
    }
    return bad(p, e, "%s", "internal: unknown key");
}

int scenario_parse(const char *text, const char *filename, Scenario *sc, RtErr *e) {
    Parse p;
    memset(&p, 0, sizeof p);
    p.file = filename && *filename ? filename : "(scenario)";
    Opts o;
    opts_default(&o);
    Scenario own; /* the scenario-only keys land here first */
    memset(&own, 0, sizeof own);
    own.theta_step = -1;
    int blank = 0;
    const char *s = text;
    if (!strncmp(s, "\xef\xbb\xbf", 3)) s += 3; /* a UTF-8 byte-order mark */
    char line[SCN_PATH_MAX + 64];
    for (p.line = 1; *s; p.line++) {
        size_t n = strcspn(s, "\n");
        const char *next = s[n] ? s + n + 1 : s + n;
        size_t k = n > 0 && s[n - 1] == '\r' ? n - 1 : n;
        snprintf(p.key, sizeof p.key, "header");
        if (k >= sizeof line) return bad(&p, e, "%s", "line too long");
        memcpy(line, s, k);
        line[k] = 0;
        s = next;
        size_t lead = strspn(line, " \t");
        if (!line[lead]) { /* the blank line: the text starts after it */
            blank = 1;
            break;
        }
        /* key: value */
        size_t kl =
            strspn(line, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_");
        if (kl == 0 || kl >= sizeof p.key || line[kl] != ':') {
            char shown[41];
            size_t sl = strlen(line) < sizeof shown - 1 ? strlen(line) : sizeof shown - 1;
            memcpy(shown, line, sl);
            shown[sl] = 0;
            for (char *c = shown; *c; c++)
                if ((unsigned char)*c < 0x20 || *c == 0x7f) *c = '?';
            return rt_err(e,
                          "%s:%d: '%s' is not a `key: value` line (the header ends with a blank "
                          "line)",
                          p.file, p.line, shown);
        }
        memcpy(p.key, line, kl);
        p.key[kl] = 0;
        char *v = line + kl + 1;
        v += strspn(v, " \t");
        size_t vl = strlen(v);
        while (vl > 0 && (v[vl - 1] == ' ' || v[vl - 1] == '\t'))
            v[--vl] = 0;
        if (!vl) return bad(&p, e, "%s", "needs a value");
        for (size_t i = 0; i < vl; i++)
            if ((unsigned char)v[i] < 0x20 && v[i] != '\t')
                return bad(&p, e, "%s", "the value holds a control character");

        int own_k = -1;
        for (int i = 0; i < K_COUNT; i++)
            if (!strcmp(p.key, OWN[i])) own_k = i;
        if (own_k >= 0) {
            if (own_k != K_FACT && p.seen_own[own_k]) {
                char m[64];
                snprintf(m, sizeof m, "given twice (first on line %d)", p.seen_own[own_k]);
                return bad(&p, e, "%s", m);
            }
            p.seen_own[own_k] = p.line;
            if (own_key(&p, own_k, v, &own, e)) return -1;
            continue;
        }
        /* an option, through the table */
        int id = opts_find(p.key, OPTS_SCENARIO);
        if (id < 0) return rt_err(e, "%s:%d: unknown key '%s'", p.file, p.line, p.key);
        if (p.seen_opt[id]) {
            char m[64];
            snprintf(m, sizeof m, "given twice (first on line %d)", p.seen_opt[id]);
            return bad(&p, e, "%s", m);
        }
        p.seen_opt[id] = p.line;
        const char *val = v;
        if (id == OPT_DATASET || id == OPT_MODEL) { /* opts_set keeps the pointer */
            if (vl >= SCN_PATH_MAX) return bad(&p, e, "%s", "longer than 1023 bytes");
            char *dst = p.str[id == OPT_MODEL];
            snprintf(dst, SCN_PATH_MAX, "%s", v);
            val = dst;
        }
        char label[sizeof p.key + 64];
        snprintf(label, sizeof label, "%s:%d: %s", p.file, p.line, p.key);
        if (opts_set(&o, p.key, val, OPTS_SCENARIO, label, e)) return -1;
    }
    if (!blank) {
        snprintf(p.key, sizeof p.key, "header");
        return rt_err(e, "%s:%d: the header does not end with a blank line", p.file,
                      p.line > 1 ? p.line - 1 : 1);
    }

    /* what the lines mean together */
    if (o.model && (o.given & SHAPE_BITS)) {
        for (int i = 0; i < OPT_COUNT; i++)
            if ((SHAPE_BITS & OPTBIT(i)) && p.seen_opt[i])
                return rt_err(e,
                              "%s:%d: %s: cannot change the network of the model given on line %d",
                              p.file, p.seen_opt[i], opts_name(i), p.seen_opt[OPT_MODEL]);
    }
    if (!o.model) { /* a fresh network: its depth is known, so is how far θ may go */
        ModelConfig mc;
        RtErr me = {{0}};
        if (opts_model_config(&o, &mc, 1, 28, 28, 10, &me) == 0) {
            if (model_check_theta(&mc, o.tc.floor, "floor", &me))
                return rt_err(e, "%s:%d: %s", p.file, p.seen_opt[OPT_FLOOR], me.msg);
            if (o.tc.policy == POL_FIXED &&
                model_check_theta(&mc, o.tc.fixed_theta, "policy fixed:X", &me))
                return rt_err(e, "%s:%d: %s", p.file, p.seen_opt[OPT_POLICY], me.msg);
        }
    }

    int body_line = p.line + 1;
    size_t body_off = (size_t)(s - text);
    opts_scenario(&o, sc);
    sc->view = own.view;
    sc->trace_index = own.trace_index;
    sc->theta_step = own.theta_step;
    sc->train_steps = own.train_steps;
    sc->paused = own.paused;
    memcpy(sc->title, own.title, sizeof sc->title);
    sc->nfacts = own.nfacts;
    memcpy(sc->facts, own.facts, sizeof sc->facts);
    sc->body_line = body_line;
    sc->body_off = body_off;
    return 0;
}
