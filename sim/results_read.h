/*
 * results_read.h - a finished run folder read back: its points (name,
 * folder, swept parameters, status) from manifest.json and each point's
 * stats.json.  Used by check, compare, plot and rerun.
 */
#ifndef VTSIM_SIM_RESULTS_READ_H
#define VTSIM_SIM_RESULTS_READ_H

#include <stdbool.h>
#include <stddef.h>

#include "sim/json_read.h"

/* A derived stat's value at a point (sim/derived.h). */
struct run_derived {
    const char *name, *phase;
    double value;
};

struct run_point {
    const char *name;          /* "" for a study without a sweep */
    const struct jval *params; /* object: key path -> value text */
    const char *status;
    const struct jval *entry;    /* the point's object in manifest.json */
    struct jval *stats;          /* the point's stats.json, NULL if missing */
    struct run_derived *derived; /* derived stats computed for it, in study order */
    size_t nderived;
};

struct run_data {
    char *dir;
    struct jval *manifest;
    struct run_point *points;
    size_t npoints;
};

/* Read DIR/manifest.json and every point's stats.json.  NULL with a
 * message in err when the folder is not a vtsim run. */
struct run_data *run_read(const char *dir, char *err, size_t errlen);
void run_free(struct run_data *r);

/* A stat of a point in a phase ("total" or a phase name), or a derived
 * stat computed for it (derived_apply).  Two names read
 * the point's manifest entry instead, in phase "total" only:
 * manifest.wall_seconds and manifest.mips.  They vary from run to run, so
 * they stay out of stats.json (which must be reproducible byte for byte),
 * yet a study that measures speed (the SystemC quantum) must plot them. */
bool run_stat(const struct run_point *p, const char *phase, const char *name, double *out);
/* A parameter's value text, or NULL when the point has no such parameter. */
const char *run_param(const struct run_point *p, const char *key);

#endif
