/*
 * results.h - the results folder of a run: layout, per-point files,
 * summary.csv and manifest.json.  docs/results.md describes the layout.
 *
 *   <run>/config.yaml     the resolved study (show-config), enough to re-run it
 *   <run>/manifest.json   version, git revision, command line, host, times, points
 *   <run>/summary.csv     one row per sweep point
 *   <point>/stats.json    all stats, whole run and per phase
 *   <point>/summary.csv   this point's row
 *   <point>/console/      console output per hart
 * where <point> is <run> itself for a study without a sweep, else
 * <run>/<point-name>/.
 */
#ifndef VTSIM_SIM_RESULTS_H
#define VTSIM_SIM_RESULTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "model/base/sched.h"

struct stats;
struct study_config;

enum point_status {
    POINT_OK,           /* exit request with status 0, or run.max_cycles reached */
    POINT_GUEST_FAILED, /* the guest or firmware asked to exit with a non-zero status */
    POINT_FATAL,        /* fatal guest/firmware error (see fatal) */
    POINT_IDLE,         /* every hart asleep with nothing pending */
    POINT_ERROR,        /* the point could not be built or its files written */
};

/* What a point reports to the runner (fixed size: it crosses a pipe). */
struct point_result {
    char name[128];
    enum point_status status;
    enum stop_reason reason;
    int exit_status;
    uint64_t end_cycle;
    uint64_t instructions;
    double wall_seconds;
    char message[256];
    struct fatal_info fatal;
};

/* Everything the run-level files are made from. */
struct run_summary {
    const char *run_dir;
    const char *study_path;
    int argc;
    char **argv;
    time_t start, end;
    double wall_seconds;
    unsigned jobs;
    size_t npoints;
    const char (*names)[128];
    const struct point_result *results;
    const struct study_config *base;
    const struct study_config *const *cfgs;
    const char *config_text; /* the resolved study as written to config.yaml */
};

/* The point status for a finished run. */
enum point_status results_classify(const struct run_result *res);
/* "ok", "ok (max_cycles reached)", "guest exit status 3", "fatal: ...", ... */
const char *results_status_text(const struct point_result *r);
/* The fatal diagnostic: hart, IP, instruction bytes, cause (one line). */
void results_print_fatal(FILE *f, const struct fatal_info *fi);

/* mkdir -p.  0, or -1 with a reason in err. */
int results_mkdir(const char *path, char *err, size_t errlen);
/* The directory part of a path ("." when none). */
void results_dirname(const char *path, char *buf, size_t len);
/*
 * Create the run folder: `out_dir` when given (it must not exist or be
 * empty: an existing run is never overwritten), else
 * results/<study>/<UTC timestamp>[-N] under the current directory.
 */
int results_make_run_dir(const char *out_dir, const char *study, char *buf, size_t len, char *err,
                         size_t errlen);
/* <run> for a single point (name ""), else <run>/<name>. */
void results_point_dir(const char *run_dir, const char *name, char *buf, size_t len);

/* config.yaml in the run folder. */
int results_write_config(const char *run_dir, const struct study_config *cfg, char *err,
                         size_t errlen);
/* stats.json and summary.csv of one point (its row, with a header line). */
int results_write_point(const char *dir, const struct study_config *cfg, struct stats *stats,
                        const struct point_result *r, char *err, size_t errlen);
/* The run's summary.csv, merged from the points' rows in point order. */
int results_write_summary(const struct run_summary *s, char *err, size_t errlen);
/* manifest.json. */
int results_write_manifest(const struct run_summary *s, char *err, size_t errlen);
/* A short table of the points on `f` (the run's summary.csv, aligned). */
void results_print_table(FILE *f, const struct run_summary *s);

#endif
