/*
 * kernel.h - the simulation kernel a run uses (run.kernel): which
 * implementation of model/base/sched.h drives the machine.
 *
 *   native   sim/sched.c, the default: one discrete-event loop
 *   systemc  sim/systemc/: SystemC TLM-2.0 loosely timed, one thread per
 *            hart, run.systemc_quantum cycles of temporal decoupling
 *
 * Both give the same stats at a quantum of one cycle; docs/systemc.md.
 */
#ifndef VTSIM_SIM_KERNEL_H
#define VTSIM_SIM_KERNEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/base/sched.h"

struct run_config;

enum kernel_kind { KERNEL_NATIVE, KERNEL_SYSTEMC };

/* The run.kernel choices, indexed by enum kernel_kind, NULL-terminated. */
extern const char *const kernel_names[];

/* Whether this build can run `run`'s kernel: 0, or -1 with a reason. */
int kernel_check(const struct run_config *run, char *err, size_t errlen);

/* True when `run`'s kernel must have a process of its own: SystemC
 * elaborates once per process, so such a run cannot share one. */
bool kernel_needs_own_process(const struct run_config *run);

/* A new scheduler of `run`'s kernel; NULL with a reason in err. */
struct sched *kernel_sched_new(const struct run_config *run, char *err, size_t errlen);

/* Picoseconds per cycle on SystemC's time axis (run.systemc_cycle_ps, or
 * from machine.frequency_mhz when that is 0). */
struct study_config;
uint64_t kernel_cycle_ps(const struct study_config *cfg);

/* Give `s` (from kernel_sched_new) cfg's cycle time when its kernel is
 * SystemC; nothing to do otherwise.  0, or -1 with a reason. */
int kernel_set_cycle_time(const struct study_config *cfg, struct sched *s, char *err,
                          size_t errlen);

/* Connect `s` (from kernel_sched_new) to the machine's memory hierarchy
 * `ms` of `ncores` cores as `run` asks: with the SystemC kernel and
 * run.systemc_tlm_memory, through TLM-2.0 sockets; otherwise nothing to do
 * (the harts call the hierarchy directly).  0, or -1 with a reason. */
struct memsys;
int kernel_attach_memory(const struct run_config *run, struct sched *s, struct memsys *ms,
                         unsigned ncores, char *err, size_t errlen);

/* Likewise for the control device `ctl`: with the SystemC kernel and
 * run.systemc_tlm_memory its register writes become TLM-2.0 transactions
 * to a target over it.  0, or -1 with a reason. */
struct ctl;
int kernel_attach_devices(const struct run_config *run, struct sched *s, struct ctl *ctl, char *err,
                          size_t errlen);

#endif
