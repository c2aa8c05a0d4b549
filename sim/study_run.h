/*
 * study_run.h - `vtsim run`: run every point of a study and leave a results
 * folder (see docs/results.md for its layout).
 *
 * Everything is validated before anything runs: every sweep point is
 * resolved first, and the results folder is created only then.  A failed
 * point is reported and the other points still run.
 */
#ifndef VTSIM_SIM_STUDY_RUN_H
#define VTSIM_SIM_STUDY_RUN_H

#include <stdbool.h>

enum progress_mode { PROGRESS_AUTO, PROGRESS_ON, PROGRESS_OFF };

struct run_opts {
    const char *study_path;
    const char *out_dir;     /* NULL: results/<study>/<run-id> under the current directory */
    unsigned jobs;           /* parallel points; 0 = number of host cores */
    const char *const *sets; /* --set assignments, applied in order */
    unsigned nsets;
    enum progress_mode progress;
    bool quiet; /* no summary table on stdout */
    int argc;   /* the command line, recorded in the manifest */
    char **argv;
};

/* Exit codes of the CLI (documented in `vtsim --help` and docs/cli.md). */
enum {
    EXIT_OK = 0,
    EXIT_RUN_FAILED = 1, /* a point failed, a guest reported failure, or a claim failed */
    EXIT_BAD_INPUT = 2,  /* bad command line, config, image or results folder */
};

/* Run the study.  Returns one of the exit codes above. */
int study_run(const struct run_opts *o);

#endif
