/*
 * sched_systemc.h - the SystemC kernel: a second implementation of the
 * scheduler contract (model/base/sched.h) on SystemC TLM-2.0, loosely timed.
 * docs/systemc.md describes the mapping and its limits.
 *
 * This is the whole C interface of sim/systemc/; nothing else of the C++
 * side is visible to C.  When the build has no SystemC (pkg-config found no
 * `systemc`), sim/systemc/absent.c provides the same functions, reporting
 * that the kernel is not part of the build.
 *
 * One per process: SystemC elaborates a design once and cannot restart a
 * simulation, so a process can create this scheduler once in its life.  The
 * engine therefore runs each sweep point that selects it in a forked child
 * (sim/study_run.c).
 */
#ifndef VTSIM_SIM_SYSTEMC_SCHED_SYSTEMC_H
#define VTSIM_SIM_SYSTEMC_SCHED_SYSTEMC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/base/sched.h"

#ifdef __cplusplus
extern "C" {
#endif

/* True when this build contains the SystemC kernel. */
bool sched_systemc_available(void);

/*
 * A new scheduler with no harts and no events, sched_now() == 0.  Harts
 * keep local time and synchronise with SystemC time every `quantum` cycles
 * (>= 1; 1 reproduces the native scheduler exactly).  Harts can only be
 * added before the first sched_run (SystemC elaborates modules once).
 * NULL with a one-line reason in err on: quantum 0, a second call in the
 * same process, no SystemC in this build, no memory.  Free with
 * sched_free(), which ends the SystemC simulation for good.
 */
struct sched *sched_systemc_new(uint64_t quantum, char *err, size_t errlen);

/*
 * Route every access to `ms` (built for `ncores` cores) through TLM-2.0:
 * one initiator socket per core, b_transport to a target over the
 * hierarchy, the latency in the annotated delay (memory_port.hh).  The
 * latencies and stats stay those of direct calls.  `s` must come from
 * sched_systemc_new and not have run yet, and `ms` must outlive it.  0, or
 * -1 with a reason in err (also in a build without SystemC).
 */
struct memsys;
int sched_systemc_route_memory(struct sched *s, struct memsys *ms, unsigned ncores, char *err,
                               size_t errlen);

/*
 * One cycle lasts `ps` picoseconds on SystemC's time axis from now on
 * (rounded to the time resolution, which must be fine enough to hold it
 * whole): what peripherals sharing the axis see.  The stats do not
 * change.  Before the first run; 0, or -1 with a reason.
 */
int sched_systemc_set_cycle_ps(struct sched *s, uint64_t ps, char *err, size_t errlen);

/*
 * Route every register write of the control device `ctl` (either ISA's
 * mapping) through TLM-2.0: b_transport from one initiator socket to a
 * target over the device (ctl_target.hh), zero delay, so the stats stay
 * those of direct calls.  Same conditions and answers as above.
 */
struct ctl;
int sched_systemc_route_ctl(struct sched *s, struct ctl *ctl, char *err, size_t errlen);

#ifdef __cplusplus
}
#endif

#endif
