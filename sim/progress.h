/*
 * progress.h - the one-line progress display on stderr.
 *
 * Shows the sweep point (i/N), simulated cycles against the limit, simulated
 * MIPS and an ETA.  Host time is used only to pace and label the display; it
 * never reaches the stats, so runs stay deterministic.
 */
#ifndef VTSIM_SIM_PROGRESS_H
#define VTSIM_SIM_PROGRESS_H

#include <stdbool.h>
#include <stdint.h>

struct progress {
    bool enabled;
    unsigned point, npoints; /* 1-based point being run, total */
    const char *label;       /* point name */
    uint64_t max_cycles;
    double t_start;                      /* host seconds at the point's start */
    double t_last;                       /* host seconds at the last redraw */
    uint64_t (*instructions)(void *ctx); /* retired so far, for MIPS; may be NULL */
    void *ctx;
    bool drawn;
};

/* Host monotonic time in seconds. */
double progress_now(void);

/* Start a point. */
void progress_begin(struct progress *p, unsigned point, unsigned npoints, const char *label,
                    uint64_t max_cycles);

/* Redraw if enabled and at least 0.25 s passed (run_limits.progress fits). */
void progress_update(void *p, uint64_t now_cycles);

/* Erase the line (before other output, and at the end). */
void progress_clear(struct progress *p);

#endif
