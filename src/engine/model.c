/* model.c — configuration defaults and checks, the flat parameter buffer and
 * its tensor table, deterministic initialisation. See model.h. */
#include "model.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "range.h"
#include "rng.h"

static const float DEFAULT_SCHED[] = {0.5f,  0.3f,  0.2f,  0.12f,  0.08f, 0.05f,
                                      0.03f, 0.02f, 0.01f, 0.005f, 0.0f};

void model_config_default(ModelConfig *c, int arch, int ch, int h, int w, int C) {
    memset(c, 0, sizeof *c);
    c->arch = arch;
    c->ch = ch;
    c->h = h;
    c->w = w;
    c->D = ch * h * w;
    c->C = C;
    c->L = 3;
    c->B = 8;
    c->H = 48; /* 32 left too thin a margin on activation % (see README, results) */
    c->nhidden = 2;
    c->hidden[0] = c->hidden[1] = 256;
    c->tau = 0.9f;
    c->nsched = (int)(sizeof DEFAULT_SCHED / sizeof DEFAULT_SCHED[0]);
    memcpy(c->sched, DEFAULT_SCHED, sizeof DEFAULT_SCHED);
}

/* One schedule step of len bytes at tok, as the network stores it: in
 * RANGE_SCHED both as written and once rounded to a float (0.99999999 is
 * 1.0f). Returns 0, 1 when it is not a plain number, -1 with e filled when it
 * is out of range. */
static int theta_token(const char *tok, size_t len, float *out, RtErr *e) {
    char buf[64], *end, r[32];
    if (len == 0 || len >= sizeof buf) return 1;
    memcpy(buf, tok, len);
    buf[len] = 0;
    if (!((buf[0] >= '0' && buf[0] <= '9') || buf[0] == '.')) return 1;
    double x = strtod(buf, &end);
    if (*end || !isfinite(x)) return 1;
    if (!range_has(&RANGE_SCHED, x) || !range_has(&RANGE_SCHED, (float)x))
        return rt_err(e, "--schedule: %s is out of range %s%s", buf,
                      range_str(&RANGE_SCHED, r, sizeof r),
                      range_has(&RANGE_SCHED, x) ? " (it rounds to 1 as a float)" : "");
    *out = (float)x;
    return 0;
}

int model_parse_schedule(ModelConfig *c, const char *s, RtErr *e) {
    float v[SCHED_MAX];
    int n = 0;
    const char *p = s;
    if (!*p) return rt_err(e, "--schedule: empty");
    for (;;) {
        size_t k = strcspn(p, ",");
        if (n == SCHED_MAX) return rt_err(e, "--schedule: at most %d values", SCHED_MAX);
        int rc = theta_token(p, k, &v[n], e);
        if (rc < 0) return -1;
        if (rc) return rt_err(e, "--schedule: '%s' is not a list of numbers", s);
        if (n > 0 && !(v[n] < v[n - 1]))
            return rt_err(e, "--schedule: values must strictly decrease (%g after %g)", v[n],
                          v[n - 1]);
        n++;
        p += k;
        if (!*p) break;
        p++; /* the comma: a value must follow */
    }
    if (v[n - 1] != 0.0f) return rt_err(e, "--schedule: the last value must be 0");
    c->nsched = n;
    memcpy(c->sched, v, (size_t)n * sizeof v[0]);
    return 0;
}

/* "what v is out of range R" for an int field. */
static int int_in(const RtRange *r, int v, const char *what, RtErr *e) {
    char b[32];
    if (range_has(r, v)) return 0;
    return rt_err(e, "%s %d out of range (%s)", what, v, range_str(r, b, sizeof b));
}

int model_config_check(const ModelConfig *c, RtErr *e) {
    char b[32];
    if (c->arch != ARCH_RT && c->arch != ARCH_MLP)
        return rt_err(e, "unknown architecture %d", c->arch);
    if (c->ch < 1 || c->h < 1 || c->w < 1 || c->ch > 4 || c->h > 1024 || c->w > 1024 ||
        c->D != c->ch * c->h * c->w)
        return rt_err(e, "bad input shape %dx%dx%d (D=%d)", c->ch, c->h, c->w, c->D);
    if (c->C < 2 || c->C > RT_MAX_C)
        return rt_err(e, "classes %d out of range (2-%d)", c->C, RT_MAX_C);
    if (c->arch == ARCH_RT) {
        if (int_in(&RANGE_LAYERS, c->L, "layers", e) || int_in(&RANGE_BLOCKS, c->B, "blocks", e) ||
            int_in(&RANGE_WIDTH, c->H, "width", e))
            return -1;
    } else {
        if (c->nhidden < 0 || c->nhidden > MLP_MAX_HIDDEN)
            return rt_err(e, "hidden layers %d out of range (0-%d)", c->nhidden, MLP_MAX_HIDDEN);
        for (int i = 0; i < c->nhidden; i++)
            if (int_in(&RANGE_HIDDEN, c->hidden[i], "hidden width", e)) return -1;
    }
    if (!range_has(&RANGE_TAU, c->tau))
        return rt_err(e, "tau %g out of range %s", c->tau, range_str(&RANGE_TAU, b, sizeof b));
    if (c->nsched < 1 || c->nsched > SCHED_MAX)
        return rt_err(e, "schedule length %d out of range", c->nsched);
    for (int i = 0; i < c->nsched; i++) {
        if (!range_has(&RANGE_SCHED, c->sched[i]))
            return rt_err(e, "schedule value %g out of range", c->sched[i]);
        if (i > 0 && !(c->sched[i] < c->sched[i - 1]))
            return rt_err(e, "schedule must strictly decrease");
    }
    if (c->sched[c->nsched - 1] != 0.0f) return rt_err(e, "schedule must end at 0");
    return 0;
}

double model_theta_reach(const ModelConfig *c) {
    return c->arch == ARCH_RT ? 1.0 / (c->L + 1) : 1.0;
}

int model_check_theta(const ModelConfig *c, float theta, const char *what, RtErr *e) {
    if (c->arch != ARCH_RT || theta < range_theta_max(c->arch, c->L)) return 0;
    return rt_err(e,
                  "%s %g: at θ ≥ 1/(L+1) = %.3g no ray reaches the output of this %d-layer "
                  "network (every sample unreached, nothing learnt)",
                  what, theta, model_theta_reach(c), c->L);
}

/* Tensor table builder: counts on the first pass (t == NULL), fills on the second. */
typedef struct {
    Tensor *t;
    int nt;
    size_t off;
} Builder;

static void add(Builder *b, const char *name, int rows, int cols) {
    if (b->t) {
        Tensor *x = &b->t[b->nt];
        snprintf(x->name, sizeof x->name, "%s", name);
        x->ndim = cols > 0 ? 2 : 1;
        x->shape[0] = rows;
        x->shape[1] = cols > 0 ? cols : 1;
        x->off = b->off;
        x->n = (size_t)rows * (size_t)(cols > 0 ? cols : 1);
    }
    b->nt++;
    b->off += (size_t)rows * (size_t)(cols > 0 ? cols : 1);
}

static void layout(const ModelConfig *c, Builder *b) {
    char name[48];
    if (c->arch == ARCH_RT) {
        add(b, "router.W", c->B, c->D);
        add(b, "router.b", c->B, 0);
        for (int l = 0; l < c->L; l++)
            for (int i = 0; i < c->B; i++) {
                int din = l == 0 ? c->D : c->H, K = l < c->L - 1 ? c->B : c->C;
                snprintf(name, sizeof name, "L%d.B%d.W1", l, i);
                add(b, name, c->H, din);
                snprintf(name, sizeof name, "L%d.B%d.b1", l, i);
                add(b, name, c->H, 0);
                snprintf(name, sizeof name, "L%d.B%d.W2", l, i);
                add(b, name, K, c->H);
                snprintf(name, sizeof name, "L%d.B%d.b2", l, i);
                add(b, name, K, 0);
            }
    } else {
        int prev = c->D;
        for (int j = 0; j <= c->nhidden; j++) {
            int out = j < c->nhidden ? c->hidden[j] : c->C;
            snprintf(name, sizeof name, "fc%d.W", j);
            add(b, name, out, prev);
            snprintf(name, sizeof name, "fc%d.b", j);
            add(b, name, out, 0);
            prev = out;
        }
    }
}

size_t model_param_count(const ModelConfig *c) {
    Builder b = {0};
    layout(c, &b);
    return b.off;
}

int model_alloc(Model *m, const ModelConfig *c, RtErr *e) {
    memset(m, 0, sizeof *m);
    if (model_config_check(c, e)) return -1;
    m->cfg = *c;
    Builder b = {0};
    layout(c, &b);
    m->nt = b.nt;
    m->n = b.off;
    m->t = rt_calloc((size_t)b.nt, sizeof *m->t, "tensor table", e);
    m->w = rt_calloc(m->n, sizeof(float), "weights", e);
    m->g = rt_calloc(m->n, sizeof(float), "gradients", e);
    if (c->arch == ARCH_RT) m->blk = rt_calloc((size_t)(c->L * c->B), sizeof *m->blk, "blocks", e);
    if (!m->t || !m->w || !m->g || (c->arch == ARCH_RT && !m->blk)) {
        model_free(m);
        return -1;
    }
    b = (Builder){.t = m->t};
    layout(c, &b);
    if (c->arch == ARCH_RT) {
        m->Wr = m->w + m->t[0].off;
        m->br = m->w + m->t[1].off;
        m->router_n = m->t[0].n + m->t[1].n;
        for (int k = 0; k < c->L * c->B; k++) {
            Tensor *t = &m->t[2 + 4 * k];
            RtBlock *bk = &m->blk[k];
            bk->W1 = m->w + t[0].off;
            bk->b1 = m->w + t[1].off;
            bk->W2 = m->w + t[2].off;
            bk->b2 = m->w + t[3].off;
            bk->din = t[0].shape[1];
            bk->K = t[2].shape[0];
            bk->off = t[0].off;
            bk->n = t[0].n + t[1].n + t[2].n + t[3].n;
        }
    } else {
        m->width[0] = c->D;
        for (int j = 0; j <= c->nhidden; j++) {
            m->mW[j] = m->w + m->t[2 * j].off;
            m->mb[j] = m->w + m->t[2 * j + 1].off;
            m->width[j + 1] = m->t[2 * j].shape[0];
        }
    }
    return 0;
}

int model_init(Model *m, const ModelConfig *c, uint64_t seed, RtErr *e) {
    if (model_alloc(m, c, e)) return -1;
    Rng r;
    rng_seed(&r, seed ^ 0x5254564d4f44454cULL); /* "RTVMODEL": init stream apart from data order */
    for (int k = 0; k < m->nt; k++) {
        Tensor *t = &m->t[k];
        if (t->ndim != 2) continue; /* biases start at zero */
        int fan_in = t->shape[1];
        /* He-uniform for ReLU feature layers (W1, MLP hidden); 1/sqrt(fan_in)
         * (PyTorch's Linear default) for gate / router / output logits. */
        int relu = strstr(t->name, ".W1") != NULL || (c->arch == ARCH_MLP && t->shape[0] != c->C);
        float bound = relu ? sqrtf(6.0f / (float)fan_in) : 1.0f / sqrtf((float)fan_in);
        float *w = m->w + t->off;
        for (size_t i = 0; i < t->n; i++)
            w[i] = (2.0f * rng_uniform(&r) - 1.0f) * bound;
    }
    return 0;
}

void model_free(Model *m) {
    free(m->t);
    free(m->w);
    free(m->g);
    free(m->blk);
    memset(m, 0, sizeof *m);
}

void model_zero_grad(Model *m) { memset(m->g, 0, m->n * sizeof(float)); }
