/*
 * tools.h - the commands that work on finished results folders:
 * check (claims), compare (two runs), plot (re-render plots) and the
 * load of a run's resolved study they share.  Each returns a CLI exit code.
 */
#ifndef VTSIM_SIM_TOOLS_H
#define VTSIM_SIM_TOOLS_H

#include <stdbool.h>
#include <stdio.h>

struct study_config;
struct run_data;

/* Resolve DIR/config.yaml (the study as it ran).  NULL after reporting. */
struct study_config *tools_load_run_config(const char *dir);

/* Evaluate the study's claims over the run; print the table to out.
 * 0 all pass (or no claims), 1 a claim failed, 2 a claim refers to a
 * missing stat or point, or the folder is unreadable. */
int tools_check(const char *dir, FILE *out);
int tools_check_loaded(const struct study_config *cfg, const struct run_data *r, FILE *out);

/* Stats that moved by more than threshold (a fraction, 0.01 = 1%) between
 * the same points of two runs, largest change first.  0 nothing moved,
 * 1 something moved or a point is missing on one side, 2 bad input. */
int tools_compare(const char *a, const char *b, double threshold, FILE *out);

/* Write every plot of the study: plots/<name>.dat, .gp, and (when gnuplot
 * is installed) .png and .svg.  0, or 2 on bad input/plot errors. */
int tools_plot(const char *dir, bool quiet);
int tools_plot_loaded(const struct study_config *cfg, const struct run_data *r, bool quiet);

#endif
