/* json.h — the one JSON writer (docs/DESIGN.md §3.4).
 *
 * Documents are built as cJSON trees (Debian libcjson): cJSON escapes every
 * string and formats every number. This module adds the two things rtviz
 * needs on top: numbers rounded the way the text output rounds them (so
 * `eval --json` says 88.03, not 88.030000000000001), and one rendering that
 * every command shares. It never prints: the caller writes the text. */
#ifndef RTVIZ_JSON_H
#define RTVIZ_JSON_H

#include <cjson/cJSON.h>

#include "common.h"

/* Add key: x to obj, rounded to what printf(fmt, x) shows ("%.6g", "%.3f");
 * a NaN or infinity becomes null. Returns the new item, NULL when out of
 * memory (obj is unchanged then). */
cJSON *json_add_real(cJSON *obj, const char *key, double x, const char *fmt);

/* Add key: v, an integer (exact up to 2^53). Returns the item or NULL. */
cJSON *json_add_int(cJSON *obj, const char *key, long long v);

/* The same as an array element. Return the item or NULL. */
cJSON *json_push_real(cJSON *arr, double x, const char *fmt);
cJSON *json_push_int(cJSON *arr, long long v);

enum {
    JSON_COMPACT = 0, /* no whitespace at all (the safetensors header) */
    JSON_PRETTY = 1   /* 2-space indent, one member per line at the top two
                         levels, deeper containers on one line, "key": value */
};

/* Render doc as text. Returns a NUL-terminated malloc'd string (the caller
 * frees it) whose length goes to *len when len is not NULL, or NULL with e
 * filled. A PRETTY rendering ends with a newline. */
char *json_render(const cJSON *doc, int style, size_t *len, RtErr *e);

#endif
