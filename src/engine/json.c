/* json.c — see json.h. */
#include "json.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* x as printf(fmt) shows it, read back: the double nearest to that text. */
static double rounded(double x, const char *fmt) {
    char buf[64];
    int k = snprintf(buf, sizeof buf, fmt, x);
    if (k <= 0 || (size_t)k >= sizeof buf) return x;
    return strtod(buf, NULL);
}

static cJSON *real_item(double x, const char *fmt) {
    return isfinite(x) ? cJSON_CreateNumber(rounded(x, fmt)) : cJSON_CreateNull();
}

static cJSON *add(cJSON *obj, const char *key, cJSON *it) {
    if (!it) return NULL;
    if (!cJSON_AddItemToObject(obj, key, it)) {
        cJSON_Delete(it);
        return NULL;
    }
    return it;
}

static cJSON *push(cJSON *arr, cJSON *it) {
    if (!it) return NULL;
    if (!cJSON_AddItemToArray(arr, it)) {
        cJSON_Delete(it);
        return NULL;
    }
    return it;
}

cJSON *json_add_real(cJSON *obj, const char *key, double x, const char *fmt) {
    return add(obj, key, real_item(x, fmt));
}

cJSON *json_add_int(cJSON *obj, const char *key, long long v) {
    return add(obj, key, cJSON_CreateNumber((double)v));
}

cJSON *json_push_real(cJSON *arr, double x, const char *fmt) {
    return push(arr, real_item(x, fmt));
}

cJSON *json_push_int(cJSON *arr, long long v) { return push(arr, cJSON_CreateNumber((double)v)); }

/* ---- rendering ------------------------------------------------------------ */

typedef struct {
    char *s;    /* text so far */
    size_t n;   /* its length */
    size_t cap; /* allocated */
    int oom;    /* an allocation failed */
} Buf;

static void put(Buf *b, const char *s, size_t k) {
    if (b->oom) return;
    if (b->n + k + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->n + k + 1)
            cap *= 2;
        char *t = realloc(b->s, cap);
        if (!t) {
            b->oom = 1;
            return;
        }
        b->s = t;
        b->cap = cap;
    }
    memcpy(b->s + b->n, s, k);
    b->n += k;
    b->s[b->n] = 0;
}

static void puts_(Buf *b, const char *s) { put(b, s, strlen(s)); }

/* cJSON's own text for a leaf (a string literal with its escapes, a number). */
static void leaf(Buf *b, const cJSON *it) {
    char *t = cJSON_PrintUnformatted(it);
    if (!t) {
        b->oom = 1;
        return;
    }
    puts_(b, t);
    cJSON_free(t);
}

static void key(Buf *b, const char *k) {
    cJSON *s = cJSON_CreateString(k);
    if (!s) {
        b->oom = 1;
        return;
    }
    leaf(b, s);
    cJSON_Delete(s);
    puts_(b, ": ");
}

static void indent(Buf *b, int depth) {
    for (int i = 0; i < depth; i++)
        puts_(b, "  ");
}

static void pretty(Buf *b, const cJSON *it, int depth) {
    int obj = cJSON_IsObject(it);
    if (!obj && !cJSON_IsArray(it)) {
        leaf(b, it);
        return;
    }
    const cJSON *c = it->child;
    if (!c) {
        puts_(b, obj ? "{}" : "[]");
        return;
    }
    int lines = depth < 2; /* the top two levels: one member per line */
    puts_(b, obj ? "{" : "[");
    for (; c; c = c->next) {
        if (lines) {
            puts_(b, "\n");
            indent(b, depth + 1);
        }
        if (obj) key(b, c->string ? c->string : "");
        pretty(b, c, depth + 1);
        if (c->next) puts_(b, lines ? "," : ", ");
    }
    if (lines) {
        puts_(b, "\n");
        indent(b, depth);
    }
    puts_(b, obj ? "}" : "]");
}

char *json_render(const cJSON *doc, int style, size_t *len, RtErr *e) {
    if (!doc) {
        rt_err(e, "JSON: out of memory");
        return NULL;
    }
    Buf b = {0};
    if (style == JSON_COMPACT) {
        char *t = cJSON_PrintUnformatted(doc);
        if (t) {
            puts_(&b, t);
            cJSON_free(t);
        } else
            b.oom = 1;
    } else {
        pretty(&b, doc, 0);
        puts_(&b, "\n");
    }
    if (b.oom || !b.s) {
        free(b.s);
        rt_err(e, "JSON: out of memory");
        return NULL;
    }
    if (len) *len = b.n;
    return b.s;
}
