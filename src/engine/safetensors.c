/* safetensors.c — see safetensors.h. */
#include "safetensors.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

/* "a,b,c" of ints into buf. */
static void int_list(char *buf, size_t len, const int *v, int n) {
    size_t k = 0;
    buf[0] = 0;
    for (int i = 0; i < n && k < len; i++)
        k += (size_t)snprintf(buf + k, len - k, "%s%d", i ? "," : "", v[i]);
}

static int meta_int(cJSON *md, const char *key, int v) {
    char t[32];
    snprintf(t, sizeof t, "%d", v);
    return cJSON_AddStringToObject(md, key, t) != NULL;
}

char *safetensors_header(const Model *m, const char *path, size_t *len, RtErr *e) {
    const ModelConfig *c = &m->cfg;
    cJSON *doc = cJSON_CreateObject();
    int ok = doc != NULL;
    size_t off = 0;
    for (int i = 0; ok && i < m->nt; i++) {
        const Tensor *t = &m->t[i];
        cJSON *o = cJSON_AddObjectToObject(doc, t->name);
        cJSON *shape = o ? cJSON_CreateArray() : NULL, *range = NULL;
        ok = o && shape && cJSON_AddStringToObject(o, "dtype", "F32") &&
             cJSON_AddItemToObject(o, "shape", shape);
        if (!ok) {
            cJSON_Delete(shape);
            break;
        }
        for (int d = 0; ok && d < t->ndim; d++)
            ok = json_push_int(shape, t->shape[d]) != NULL;
        ok = ok && (range = cJSON_AddArrayToObject(o, "data_offsets")) &&
             json_push_int(range, (long long)off) &&
             json_push_int(range, (long long)(off + 4 * t->n));
        off += 4 * t->n;
    }
    if (ok && off != 4 * m->n) {
        cJSON_Delete(doc);
        rt_err(e, "%s: tensor table does not cover the parameters", path);
        return NULL;
    }
    /* __metadata__: the config, every value a string */
    cJSON *md = ok ? cJSON_AddObjectToObject(doc, "__metadata__") : NULL;
    char v[SCHED_MAX * 20 + 1];
    ok = md && cJSON_AddStringToObject(md, "rtviz_version", RTVIZ_VERSION) &&
         cJSON_AddStringToObject(md, "arch", c->arch == ARCH_RT ? "rt" : "mlp") &&
         meta_int(md, "D", c->D) && meta_int(md, "C", c->C) && meta_int(md, "ch", c->ch) &&
         meta_int(md, "h", c->h) && meta_int(md, "w", c->w);
    if (ok && c->arch == ARCH_RT)
        ok = meta_int(md, "L", c->L) && meta_int(md, "B", c->B) && meta_int(md, "H", c->H);
    else if (ok) {
        int_list(v, sizeof v, c->hidden, c->nhidden < MLP_MAX_HIDDEN ? c->nhidden : MLP_MAX_HIDDEN);
        ok = cJSON_AddStringToObject(md, "hidden", v) != NULL;
    }
    if (ok) {
        snprintf(v, sizeof v, "%.9g", c->tau);
        ok = cJSON_AddStringToObject(md, "tau", v) != NULL;
    }
    if (ok) {
        size_t k = 0;
        v[0] = 0;
        for (int i = 0; i < c->nsched && i < SCHED_MAX && k < sizeof v; i++)
            k += (size_t)snprintf(v + k, sizeof v - k, "%s%.9g", i ? "," : "", c->sched[i]);
        ok = cJSON_AddStringToObject(md, "schedule", v) != NULL;
    }
    size_t n = 0;
    char *text = ok ? json_render(doc, JSON_COMPACT, &n, e) : NULL;
    cJSON_Delete(doc);
    if (!text) {
        rt_err(e, "%s: out of memory", path);
        return NULL;
    }
    size_t padded = n + (8 - (8 + n) % 8) % 8;
    char *t = realloc(text, padded + 1);
    if (!t) {
        free(text);
        rt_err(e, "%s: out of memory", path);
        return NULL;
    }
    memset(t + n, ' ', padded - n);
    t[padded] = 0;
    *len = padded;
    return t;
}
