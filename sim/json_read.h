/*
 * json_read.h - a small JSON reader for vtsim's own output files
 * (stats.json, manifest.json), used by check, compare, plot and rerun.
 * Strict RFC 8259 subset: no comments, no trailing commas; depth and size
 * limits so a damaged file cannot exhaust the stack.  Numbers are kept as
 * doubles and as their text (so 64-bit counters compare exactly).
 */
#ifndef VTSIM_SIM_JSON_READ_H
#define VTSIM_SIM_JSON_READ_H

#include <stdbool.h>
#include <stddef.h>

enum jkind { J_NULL, J_BOOL, J_NUM, J_STR, J_ARR, J_OBJ };

struct jval {
    enum jkind kind;
    bool b;
    double num;
    char *str;           /* J_STR: the string; J_NUM: the number's text */
    char **keys;         /* J_OBJ */
    struct jval **items; /* J_ARR, J_OBJ */
    size_t n;
};

/* Parse text.  NULL with "offset N: message" in err on malformed input. */
struct jval *jread_parse(const char *text, size_t len, char *err, size_t errlen);
/* Read and parse a file.  NULL with a message in err. */
struct jval *jread_file(const char *path, char *err, size_t errlen);
/* Member of an object (first match), or NULL. */
const struct jval *jread_get(const struct jval *obj, const char *key);
void jread_free(struct jval *v);

#endif
