/*
 * extint.c - the registers a hart backs with its devices: the external
 * interrupt control registers over the platform's interrupt controller
 * and timer, and the performance monitors over EMON (SDM Vol. 2 5.8, 7.2).
 *
 * - cr.itm / cr.itv: the interval timer.  It fires when ar.itc reaches
 *   cr.itm (a match in the past never fires, as on hardware: ITC must
 *   count up to it), raising ITV.vector unless ITV.m masks it.
 * - cr.ivr: reading it accepts the highest deliverable vector (pending ->
 *   in service) or returns 15, the spurious vector, when none is.
 * - cr.tpr: mic{7:4} masks vector classes up to mic, mmi{16} masks all;
 *   cr.eoi ends the highest in-service vector; cr.irr0-3 show pending
 *   vectors; cr.lid holds the hart's id in id{31:24}.
 * - pmc4-7 program EMON counters 0-3 (pmd4-7 their values): plm{3:0}
 *   (privilege levels counted: bit 0 = cpl 0 ... bit 3 = cpl 3) and
 *   es{15:8}, which selects vtsim's EMON event by its number in
 *   model/cpu/emon/events.def (not Itanium 2's event codes).  pmc0-3 and
 *   pmd0-3 (overflow status) read as 0.
 */
#include "model/cpu/ia64/hart.h"

#define CR_ITM   1
#define CR_LID   64
#define CR_IVR   65
#define CR_TPR   66
#define CR_EOI   67
#define CR_IRR0  68
#define CR_IRR3  71
#define CR_ITV   72
#define SPURIOUS 15

static void arm_timer(struct ia64_hart *h)
{
    uint64_t itv = h->st.cr[CR_ITV], itc = h->hart.clock + h->st.itc_delta;
    uint64_t ahead = h->st.cr[CR_ITM] - itc;
    if ((itv & (1ull << 16)) || ahead >> 63 || !h->tm.sched) {
        timer_cancel(&h->tm);
        return;
    }
    timer_arm(&h->tm, h->hart.clock + ahead, 0, (unsigned)itv & 0xff);
}

static void set_tpr(struct ia64_hart *h, uint64_t v)
{
    h->st.cr[CR_TPR] = v & (0xf0 | 1ull << 16);
    intc_set_tpr(&h->ic, v & (1ull << 16) ? 0xff : (unsigned)v & 0xf0);
}

int ia64_sysreg_read(void *ctx, unsigned kind, unsigned idx, uint64_t *val)
{
    struct ia64_hart *h = ctx;
    if (kind == IA64_SR_PMD) {
        *val = idx >= 4 && idx - 4 < h->emon.ncounters ? emon_read(&h->emon, idx - 4) : 0;
        h->step_counter_reads++;
        return 0;
    }
    if (kind == IA64_SR_PMC) {
        *val = idx >= 4 && idx - 4 < h->emon.ncounters ? h->pmc[idx - 4] : 0;
        return 0;
    }
    switch (idx) {
    case CR_IVR: {
        int v = intc_ack(&h->ic);
        *val = v < 0 ? SPURIOUS : (uint64_t)v;
        return 0;
    }
    case CR_IRR0:
    case CR_IRR0 + 1:
    case CR_IRR0 + 2:
    case CR_IRR3:
        *val = h->ic.pending[idx - CR_IRR0];
        return 0;
    case CR_LID:
        *val = (uint64_t)h->hart.id << 24;
        return 0;
    case CR_EOI:
        *val = 0;
        return 0;
    default:
        *val = h->st.cr[idx];
        return 0;
    }
}

int ia64_sysreg_write(void *ctx, unsigned kind, unsigned idx, uint64_t val)
{
    struct ia64_hart *h = ctx;
    if (kind == IA64_SR_PMD) {
        if (idx >= 4 && idx - 4 < h->emon.ncounters)
            emon_write(&h->emon, idx - 4, val);
        return 0;
    }
    if (kind == IA64_SR_PMC) {
        if (idx < 4 || idx - 4 >= h->emon.ncounters)
            return 0;
        unsigned plm = (unsigned)val & 0xf, es = (unsigned)(val >> 8) & 0xff;
        unsigned priv = (plm & 1 ? EMON_PRIV_KERNEL : 0) | (plm & 0xe ? EMON_PRIV_USER : 0);
        if (es >= EMON_NEVENTS)
            return -1;
        h->pmc[idx - 4] = val;
        return emon_program(&h->emon, idx - 4, es, priv != 0, priv, EMON_MODE_ALL);
    }
    switch (idx) {
    case CR_IVR:
    case CR_IRR0:
    case CR_IRR0 + 1:
    case CR_IRR0 + 2:
    case CR_IRR3:
        return -1; /* read-only */
    case CR_TPR:
        set_tpr(h, val);
        return 0;
    case CR_EOI:
        intc_eoi(&h->ic);
        return 0;
    case CR_ITM:
    case CR_ITV:
        h->st.cr[idx] = val;
        arm_timer(h);
        return 0;
    default:
        h->st.cr[idx] = val;
        return 0;
    }
}

void ia64_itc_changed(struct ia64_hart *h)
{
    arm_timer(h);
}

/* A deliverable vector wakes a hart that waits (an application processor
 * before its start-up interrupt). */
static void wake(void *ctx, unsigned hart)
{
    struct ia64_hart *h = ctx;
    sched_wake(h->sched, hart, sched_now(h->sched));
}

void ia64_hart_attach(struct ia64_hart *h, struct sched *s)
{
    h->sched = s;
    intc_init(&h->ic, h->hart.id, wake, h);
    timer_init(&h->tm, s, &h->ic);
    set_tpr(h, 1ull << 16); /* reset: all external interrupts masked (SDM Vol. 2 5.8.3.3) */
    h->st.cr[CR_ITV] = 1ull << 16;
}
