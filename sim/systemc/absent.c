/*
 * absent.c - sched_systemc.h for a build without SystemC: the kernel is
 * not there, and says so, so that `run.kernel: systemc` is rejected with a
 * reason instead of failing to link.
 */
#include "sim/systemc/sched_systemc.h"

#include <stdio.h>

bool sched_systemc_available(void)
{
    return false;
}

struct sched *sched_systemc_new(uint64_t quantum, char *err, size_t errlen)
{
    (void)quantum;
    snprintf(err, errlen,
             "the SystemC kernel is not part of this build (pkg-config found no systemc "
             "when it was configured; scripts/setup installs libsystemc-dev)");
    return NULL;
}

int sched_systemc_route_memory(struct sched *s, struct memsys *ms, unsigned ncores, char *err,
                               size_t errlen)
{
    (void)s;
    (void)ms;
    (void)ncores;
    snprintf(err, errlen, "the SystemC kernel is not part of this build");
    return -1;
}

int sched_systemc_route_ctl(struct sched *s, struct ctl *ctl, char *err, size_t errlen)
{
    (void)s;
    (void)ctl;
    snprintf(err, errlen, "the SystemC kernel is not part of this build");
    return -1;
}

int sched_systemc_set_cycle_ps(struct sched *s, uint64_t ps, char *err, size_t errlen)
{
    (void)s;
    (void)ps;
    snprintf(err, errlen, "the SystemC kernel is not part of this build");
    return -1;
}
