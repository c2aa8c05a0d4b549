/*
 * kernel.c - choosing the scheduler of a run (see kernel.h).  Cold: once
 * per sweep point.
 */
#include "sim/kernel.h"

#include <stdio.h>

#include "sim/sched_native.h"
#include "sim/schema.h"
#include "sim/systemc/sched_systemc.h"

const char *const kernel_names[] = {"native", "systemc", NULL};

int kernel_check(const struct run_config *run, char *err, size_t errlen)
{
    if (run->kernel == KERNEL_SYSTEMC && !sched_systemc_available()) {
        char why[240];
        sched_systemc_new(run->systemc_quantum, why, sizeof(why));
        snprintf(err, errlen, "run.kernel: %s", why);
        return -1;
    }
    return 0;
}

bool kernel_needs_own_process(const struct run_config *run)
{
    return run->kernel == KERNEL_SYSTEMC;
}

struct sched *kernel_sched_new(const struct run_config *run, char *err, size_t errlen)
{
    if (run->kernel == KERNEL_SYSTEMC)
        return sched_systemc_new(run->systemc_quantum, err, errlen);
    struct sched *s = sched_native_new();
    if (!s)
        snprintf(err, errlen, "out of memory");
    return s;
}

int kernel_attach_memory(const struct run_config *run, struct sched *s, struct memsys *ms,
                         unsigned ncores, char *err, size_t errlen)
{
    if (run->kernel != KERNEL_SYSTEMC || !run->systemc_tlm_memory)
        return 0;
    return sched_systemc_route_memory(s, ms, ncores, err, errlen);
}

int kernel_attach_devices(const struct run_config *run, struct sched *s, struct ctl *ctl, char *err,
                          size_t errlen)
{
    if (run->kernel != KERNEL_SYSTEMC || !run->systemc_tlm_memory)
        return 0;
    return sched_systemc_route_ctl(s, ctl, err, errlen);
}

uint64_t kernel_cycle_ps(const struct study_config *cfg)
{
    if (cfg->run.systemc_cycle_ps)
        return cfg->run.systemc_cycle_ps;
    uint64_t mhz = cfg->machine.frequency_mhz ? cfg->machine.frequency_mhz : 1;
    return (1000000 + mhz / 2) / mhz; /* 1e6 ps per microsecond, rounded */
}

int kernel_set_cycle_time(const struct study_config *cfg, struct sched *s, char *err, size_t errlen)
{
    if (cfg->run.kernel != KERNEL_SYSTEMC)
        return 0;
    return sched_systemc_set_cycle_ps(s, kernel_cycle_ps(cfg), err, errlen);
}
