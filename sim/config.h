/*
 * config.h - loading, validating and resolving studies.
 *
 * A study file is loaded once (config_load_file); --set overrides are
 * added (config_set); config_resolve() then applies, in increasing
 * precedence, the defaults of the schema tables (sim/schema.c), the machine
 * preset, the study's own keys and the overrides, validating every key and
 * value and reporting every problem as FILE:LINE:COLUMN: error: ... (not
 * just the first).  config_resolve_point() does the same with one sweep
 * point's values applied on top.  A resolved config owns all its strings.
 *
 * Presets: machine.preset NAME reads NAME.yaml from the directories of
 * VTSIM_PRESET_PATH (colon-separated), then <source>/configs/machines.
 */
#ifndef VTSIM_SIM_CONFIG_H
#define VTSIM_SIM_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "sim/schema.h"
#include "sim/yaml_tree.h"

struct config_src;

/* Load a study.  NULL after reporting to d (unreadable file, YAML syntax). */
struct config_src *config_load_file(const char *path, struct diag *d);
struct config_src *config_load_buffer(const char *name, const char *buf, size_t len,
                                      struct diag *d);
void config_src_free(struct config_src *src);

/* Add an override "key.path=value" (value: YAML scalar or flow sequence).
 * The key path is checked now; the value when resolving.  0 or -1. */
int config_set(struct config_src *src, const char *assignment, struct diag *d);

/* Resolve the study (sweep not applied).  0, or -1 after reporting. */
int config_resolve(struct config_src *src, struct study_config **out, struct diag *d);

/* Number of sweep points (product of the axes' lengths; 1 without a sweep). */
size_t config_npoints(const struct study_config *c);

/*
 * Resolve sweep point idx (0-based, cross product with the last axis
 * varying fastest).  name receives a folder-safe point name built from the
 * shortest unambiguous key suffixes and the values ("cores-2_vcpus-4"), or
 * "" without a sweep (namelen 0: no name).  0, or -1 after reporting.
 */
int config_resolve_point(struct config_src *src, size_t idx, struct study_config **out, char *name,
                         size_t namelen, struct diag *d);

void config_free(struct study_config *c);

/* Rewrite relative image paths that name existing files under dir (the
 * study's folder) as absolute paths, so the resolved study (config.yaml in
 * a results folder) runs from anywhere. */
void config_absolutize_images(struct study_config *c, const char *dir);

/* Sweep axes of a resolved config. */
unsigned config_sweep_naxes(const struct study_config *c);
const char *config_sweep_key(const struct study_config *c, unsigned i);

/* A key path's value as text ("machine.cores" -> "2", "vms.0.memory" ->
 * "64MiB").  False when the path names no value. */
bool config_get(const struct study_config *c, const char *keypath, char *buf, size_t len);

/* show-config: the resolved study as YAML that resolves to the same config. */
int config_emit_yaml(const struct study_config *c, FILE *f);

/* The reference tables of docs/config.md (the whole file). */
int config_write_doc(FILE *f);

/* Internal helpers shared by config*.c. */
const struct param *config_find_param(const char *keypath, const struct section **sec, char *err,
                                      size_t errlen);
void config_format_value(const struct param *p, const void *field, char *buf, size_t len);
const char *config_suggest(const char *word, const char *const *cands, size_t n);

#endif
