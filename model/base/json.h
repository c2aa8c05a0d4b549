/*
 * json.h - a small streaming JSON writer (stats.json, manifest.json).
 *
 * Output is pretty-printed with two-space indents and is deterministic:
 * doubles are written in the shortest of %.15g/%.16g/%.17g that reads back
 * to the same value, NaN and infinities as null, -0.0 as 0.  Misuse (a
 * value without a key inside an object, a key outside an object, closing
 * the wrong container, nesting deeper than JSON_MAX_DEPTH) sets an error
 * flag and writes nothing further, so the file is never silently invalid.
 */
#ifndef VTSIM_MODEL_BASE_JSON_H
#define VTSIM_MODEL_BASE_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define JSON_MAX_DEPTH 32

struct json {
    FILE *f;
    int depth;
    bool is_obj[JSON_MAX_DEPTH]; /* container kind per level */
    bool first[JSON_MAX_DEPTH];  /* no element written yet at this level */
    bool have_key;               /* a key was written; its value is due */
    bool error;
};

void json_init(struct json *j, FILE *f);
void json_begin_object(struct json *j);
void json_end_object(struct json *j);
void json_begin_array(struct json *j);
void json_end_array(struct json *j);
void json_key(struct json *j, const char *key);
void json_string(struct json *j, const char *s);
void json_uint(struct json *j, uint64_t v);
void json_int(struct json *j, int64_t v);
void json_double(struct json *j, double v);
void json_bool(struct json *j, bool v);
void json_null(struct json *j);
/* Ends the document with a newline.  0 when everything written was valid
 * and complete and the stream has no error, else -1. */
int json_finish(struct json *j);

/* The deterministic text of a double (see above) into buf; NaN/inf give "null". */
void json_format_double(double v, char *buf, size_t len);

#endif
