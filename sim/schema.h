/*
 * schema.h - the typed form of a study and the section tables that
 * describe it (model/base/param.h).  The tables are the single source of
 * truth for validation, defaults, show-config and docs/config.md; a new
 * model section is added by writing its table and listing it here.
 */
#ifndef VTSIM_SIM_SCHEMA_H
#define VTSIM_SIM_SCHEMA_H

#include <stdint.h>

#include "model/base/param.h"

#define SCHEMA_MAX_VMS    16
#define SCHEMA_MAX_AXES   8
#define SCHEMA_MAX_POINTS 4096

struct machine_config {
    const char *preset;
    int isa; /* index into isa_names */
    uint64_t cores;
    uint64_t threads_per_core;
    uint64_t memory;
    uint64_t frequency_mhz;
};

struct hypervisor_config {
    const char *image; /* NULL: bare machine */
};

struct vm_config {
    const char *name;
    const char *image;
    uint64_t memory;
    uint64_t vcpus;
};

struct run_config {
    uint64_t max_cycles;
    uint64_t seed;
};

/* One sweep axis: a key path and the values it takes, as written. */
struct sweep_axis {
    const char *key;
    const char **values;
    unsigned nvalues;
};

struct config_arena;

struct study_config {
    const char *study;
    const char *description;
    struct machine_config machine;
    struct hypervisor_config hypervisor;
    struct vm_config vms[SCHEMA_MAX_VMS];
    unsigned nvms;
    struct run_config run;
    struct strlist report;
    struct sweep_axis sweep[SCHEMA_MAX_AXES];
    unsigned nsweep;
    struct config_arena *arena; /* owns every string above */
};

/* The root section (study-level keys and every sub-section). */
extern const struct section schema_root;

#endif
