/*
 * timer.h - a per-hart timer: a deadline (absolute cycle) and optionally a
 * period, raising a vector on the hart's interrupt controller through the
 * scheduler's event queue when it expires.  Front ends map it to their
 * architecture (IA-64 ar.itm/cr.itv, LAPIC timer, VMX preemption timer).
 */
#ifndef VTSIM_MODEL_PLATFORM_TIMER_H
#define VTSIM_MODEL_PLATFORM_TIMER_H

#include <stdbool.h>
#include <stdint.h>

#include "model/base/sched.h"
#include "model/platform/intc.h"

struct hart_timer {
    struct sched *sched;
    struct intc *ic;
    uint64_t deadline, period, event;
    unsigned vector;
    bool armed;
    uint64_t fired;
};

void timer_init(struct hart_timer *t, struct sched *s, struct intc *ic);
/* Fire at `deadline` (now if in the past), then every `period` cycles if
 * period > 0.  Re-arming replaces the previous setting. */
void timer_arm(struct hart_timer *t, uint64_t deadline, uint64_t period, unsigned vector);
void timer_cancel(struct hart_timer *t);

#endif
