/*
 * derived.h - a study's derived stats (its `derived:` list): values
 * computed from the measured stats of a run's points when the run is read
 * back, such as a VM's work normalised by its work alone or a fairness
 * index over those.  They join the points' stats for claims and plots
 * and are written to RUN/derived.csv; stats.json stays what the models
 * counted.
 */
#ifndef VTSIM_SIM_DERIVED_H
#define VTSIM_SIM_DERIVED_H

#include <stddef.h>

#include "sim/config.h"
#include "sim/results_read.h"

/* Compute every derived stat of c at the points of r its `where` picks, in
 * the list's order (so a derived stat may use the ones before it).  0, or
 * -1 with a message naming the derived stat and the point in err. */
int derived_apply(const struct study_config *c, struct run_data *r, char *err, size_t errlen);

/* run_read(dir) with c's derived stats applied: what check, plot and the
 * end of a run read.  NULL with a message in err. */
struct run_data *derived_run_read(const char *dir, const struct study_config *c, char *err,
                                  size_t errlen);

/* Write r's derived stats as DIR/derived.csv: one row per point, one column
 * per derived stat (empty where it is not defined).  0, or -1 with err. */
int derived_write_csv(const struct study_config *c, const struct run_data *r, char *err,
                      size_t errlen);

#endif
