/*
 * param.h - parameter declarations: the one source of truth for every
 * configurable knob.
 *
 * Each component (a cache, a predictor, the run limits, ...) declares its
 * parameters once, in a static table of `struct param` rows that point into
 * the component's own config struct by offset.  The config loader
 * (sim/config.c) walks a tree of `struct section` built from these tables to
 * validate YAML, apply defaults, print the resolved config (show-config) and
 * write docs/config.md.  Nothing else keeps a list of keys.
 *
 * Storage by type (the field at `offset` must have exactly this C type):
 *   PARAM_BOOL    bool
 *   PARAM_INT     int64_t
 *   PARAM_UINT    uint64_t   plain non-negative integer
 *   PARAM_SIZE    uint64_t   bytes; accepts 64, 16KiB, 3MiB, 1GiB (also KB/MB/GB as binary)
 *   PARAM_COUNT   uint64_t   accepts 1000, 50K, 200M, 2G (decimal), 2e9
 *   PARAM_DOUBLE  double
 *   PARAM_ENUM    int        index into `choices`
 *   PARAM_STRING  const char *, owned by the loaded config (NULL when unset and no default)
 *   PARAM_STRLIST struct strlist, owned by the loaded config
 */
#ifndef VTSIM_MODEL_BASE_PARAM_H
#define VTSIM_MODEL_BASE_PARAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum param_type {
    PARAM_BOOL,
    PARAM_INT,
    PARAM_UINT,
    PARAM_SIZE,
    PARAM_COUNT,
    PARAM_DOUBLE,
    PARAM_ENUM,
    PARAM_STRING,
    PARAM_STRLIST,
};

/* A list of strings (e.g. `report:`); storage owned by the config. */
struct strlist {
    const char **v;
    unsigned n;
};

struct param {
    const char *key;            /* YAML key within its section, e.g. "ways" */
    enum param_type type;       /* decides the C type at `offset` (see above) */
    size_t offset;              /* offsetof(component struct, field) */
    const char *def;            /* default as YAML text; NULL means required */
    double min, max;            /* inclusive bounds for numeric types; ignored when min > max */
    const char *const *choices; /* PARAM_ENUM: NULL-terminated list of accepted words */
    const char *unit;           /* "bytes", "cycles", "entries", "" */
    const char *doc;            /* one line for docs/config.md */
    /* Optional extra check of a parsed value (e.g. a name's syntax): 0, or
     * -1 with a message in err.  NULL = none. */
    int (*check)(const void *field, char *err, size_t errlen);
};

/*
 * A section is a YAML mapping whose keys are params and sub-sections.
 * `offset` places this section's struct inside its parent's struct.
 * A list section (`is_list`) is a YAML sequence of such mappings stored as a
 * fixed array of `max_elems` elements of `elem_size` bytes at `offset`, with
 * the element count (unsigned) at `count_offset` in the parent struct.
 */
struct section {
    const char *key; /* NULL for the root */
    const char *doc;
    const struct param *params;
    size_t nparams;
    const struct section *const *subs;
    size_t nsubs;
    size_t offset;
    bool is_list;
    size_t elem_size;
    size_t max_elems;
    size_t count_offset;
};

/* No bound on a numeric param. */
#define PARAM_NOBOUND 1.0, 0.0
/* Upper bound of "at least min": the largest uint64_t as a double. */
#define PARAM_NOBOUND_HI 18446744073709551615.0

#define PARAM_COUNTOF(a) (sizeof(a) / sizeof((a)[0]))

#endif
