/* safetensors.h — the JSON header of a safetensors file for a model's tensor
 * table (docs/FORMATS.md): per tensor its dtype (F32), shape and byte range
 * in the data that follows, then __metadata__ with the config as strings.
 * Built with the one JSON writer (json.h). */
#ifndef RTVIZ_SAFETENSORS_H
#define RTVIZ_SAFETENSORS_H

#include <stddef.h>

#include "common.h"
#include "model.h"

/* The header text, padded with spaces so that 8 + *len is a multiple of 8
 * (the data then starts aligned). Returns a malloc'd string (the caller frees
 * it) or NULL with e filled; path only names the file in messages. */
char *safetensors_header(const Model *m, const char *path, size_t *len, RtErr *e);

#endif
