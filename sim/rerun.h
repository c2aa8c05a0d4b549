/*
 * rerun.h - `vtsim rerun`: repeat a finished run and check that its stats
 * are identical.
 */
#ifndef VTSIM_SIM_RERUN_H
#define VTSIM_SIM_RERUN_H

/* Re-run DIR/config.yaml into out_dir (NULL: DIR/rerun-N) with `jobs`
 * workers; 0 when every point's stats.json is identical, 1 when one
 * differs, 2 on bad input. */
int rerun_main(const char *dir, const char *out_dir, unsigned jobs, int argc, char **argv);

#endif
