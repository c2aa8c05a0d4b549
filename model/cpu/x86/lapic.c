/*
 * lapic.c - the xAPIC register file on the hart's controller (see lapic.h).
 * Register offsets: Intel SDM Vol. 3A Table 10-1.
 */
#include "model/cpu/x86/lapic.h"

#include <string.h>

#include "model/base/stats.h"

enum {
    R_ID = 0x020,
    R_VERSION = 0x030,
    R_TPR = 0x080,
    R_APR = 0x090,
    R_PPR = 0x0A0,
    R_EOI = 0x0B0,
    R_LDR = 0x0D0,
    R_DFR = 0x0E0,
    R_SVR = 0x0F0,
    R_ISR = 0x100, /* 8 registers, 0x100-0x170 */
    R_TMR = 0x180,
    R_IRR = 0x200,
    R_ESR = 0x280,
    R_LVT_CMCI = 0x2F0,
    R_ICR_LO = 0x300,
    R_ICR_HI = 0x310,
    R_LVT_TIMER = 0x320, /* timer, thermal, perfmon, LINT0, LINT1, error: 0x320-0x370 */
    R_LVT_ERROR = 0x370,
    R_INITIAL = 0x380,
    R_CURRENT = 0x390,
    R_DIVIDE = 0x3E0,
};

/* Index into lvt[]: 0 CMCI, 1 timer ... 6 error. */
#define LVT_TIMER 1

/* Version register: 0x14 is an integrated APIC, bits 23:16 the highest
 * LVT index (six entries, 0-5, without CMCI counted: Vol. 3A 10.4.8). */
#define APIC_VERSION (0x14u | 5u << 16)

void x86_lapic_init(struct x86_lapic *a, unsigned id, struct intc *ic)
{
    memset(a, 0, sizeof(*a));
    a->ic = ic;
    a->id = id;
    a->svr = 0xFF;
    a->dfr = 0xFFFFFFFFu;
    for (unsigned i = 0; i < X86_LAPIC_NLVT; i++)
        a->lvt[i] = X86_LVT_MASKED;
    a->div_active = 2; /* divide configuration 0000: by 2 */
}

void x86_lapic_attach(struct x86_lapic *a, struct sched *s, struct ipi_net *ipi)
{
    timer_init(&a->tmr, s, a->ic);
    a->timer_sched = s != NULL;
    a->ipi = ipi;
}

/* Divide configuration bits 3, 1, 0 (Vol. 3A Figure 10-10): 000 -> 2,
 * 001 -> 4, ... 110 -> 128, 111 -> 1. */
static uint32_t divisor(uint32_t conf)
{
    unsigned v = (conf & 3u) | (conf >> 1 & 4u);
    return v == 7 ? 1u : 2u << v;
}

uint32_t x86_lapic_current(const struct x86_lapic *a, uint64_t now)
{
    if (!a->initial || now < a->start)
        return a->initial;
    uint64_t ticks = (now - a->start) / a->div_active;
    if (a->lvt[LVT_TIMER] & X86_LVT_PERIODIC)
        return (uint32_t)(a->initial - ticks % a->initial);
    return ticks >= a->initial ? 0 : (uint32_t)(a->initial - ticks);
}

/* The timer raises its LVT vector when the count reaches 0, unless the
 * entry is masked or the APIC software disabled (Vol. 3A 10.5.4, 10.4.7.2).
 * Re-derive the next expiry after anything that changes it. */
static void timer_sync(struct x86_lapic *a, uint64_t now)
{
    if (!a->timer_sched)
        return;
    timer_cancel(&a->tmr);
    uint32_t lvt = a->lvt[LVT_TIMER];
    if (!a->initial || (lvt & X86_LVT_MASKED) || !(a->svr & 0x100))
        return;
    uint64_t period = (uint64_t)a->initial * a->div_active, due = a->start + period;
    if (lvt & X86_LVT_PERIODIC) {
        if (due <= now) /* the next multiple of the period after now */
            due += ((now - due) / period + 1) * period;
        timer_arm(&a->tmr, due, period, lvt & 0xFF);
    } else if (due > now) {
        timer_arm(&a->tmr, due, 0, lvt & 0xFF);
    }
}

static uint32_t bits32(const uint64_t v[4], unsigned i)
{
    return (uint32_t)(v[i / 2] >> (32 * (i % 2)));
}

static unsigned ppr(const struct x86_lapic *a)
{
    int isv = -1;
    for (int v = 255; v >= 0 && isv < 0; v--)
        if (a->ic->in_service[v / 64] >> (v % 64) & 1)
            isv = v;
    unsigned tpr = a->ic->tpr, isrv = isv < 0 ? 0 : (unsigned)isv & 0xF0;
    /* Vol. 3A 10.8.3.1: PPR = TPR if TPR[7:4] >= ISRV[7:4], else ISRV[7:4]:0. */
    return (tpr >> 4) >= (isrv >> 4) ? tpr : isrv;
}

uint32_t x86_lapic_read(struct x86_lapic *a, uint32_t off, uint64_t now)
{
    off &= 0xFF0;
    if (off >= R_ISR && off < R_ISR + 0x80)
        return bits32(a->ic->in_service, (off - R_ISR) >> 4);
    if (off >= R_IRR && off < R_IRR + 0x80)
        return bits32(a->ic->pending, (off - R_IRR) >> 4);
    if (off >= R_TMR && off < R_TMR + 0x80)
        return 0; /* every interrupt the model delivers is edge triggered */
    if (off >= R_LVT_TIMER && off <= R_LVT_ERROR)
        return a->lvt[1 + ((off - R_LVT_TIMER) >> 4)];
    switch (off) {
    case R_ID:
        return a->id << 24;
    case R_VERSION:
        return APIC_VERSION;
    case R_TPR:
        return a->ic->tpr;
    case R_PPR:
        return ppr(a);
    case R_LDR:
        return a->ldr;
    case R_DFR:
        return a->dfr;
    case R_SVR:
        return a->svr;
    case R_LVT_CMCI:
        return a->lvt[0];
    case R_ICR_LO:
        return a->icr_lo & ~(1u << 12); /* delivery status: always idle */
    case R_ICR_HI:
        return a->icr_hi;
    case R_INITIAL:
        return a->initial;
    case R_CURRENT:
        return x86_lapic_current(a, now);
    case R_DIVIDE:
        return a->divide;
    default:
        return 0; /* APR, EOI, ESR and reserved offsets */
    }
}

/* ICR low write sends (Vol. 3A 10.6.1, Figure 10-12): vector 7:0, delivery
 * mode 10:8, destination mode 11, shorthand 19:18; destination in ICR
 * high 31:24. */
static void send_ipi(struct x86_lapic *a)
{
    unsigned vec = a->icr_lo & 0xFF, mode = a->icr_lo >> 8 & 7, logical = a->icr_lo >> 11 & 1;
    unsigned shorthand = a->icr_lo >> 18 & 3, dest = a->icr_hi >> 24;
    if (!a->ipi || mode != 0 || (shorthand == 0 && logical)) {
        a->ipis_dropped++;
        return;
    }
    unsigned n = a->ipi->nharts;
    bool self = shorthand == 1 || shorthand == 2 || (shorthand == 0 && dest == 0xFF);
    bool others = shorthand == 2 || shorthand == 3 || (shorthand == 0 && dest == 0xFF);
    if (self && ipi_send(a->ipi, a->id, a->id, vec) == 0)
        a->ipis_sent++;
    if (others && n > 1 && ipi_send(a->ipi, a->id, IPI_BROADCAST, vec) == 0)
        a->ipis_sent += n - 1;
    if (!self && !others) {
        if (dest < n && ipi_send(a->ipi, a->id, dest, vec) == 0)
            a->ipis_sent++;
        else
            a->ipis_dropped++;
    }
}

void x86_lapic_write(struct x86_lapic *a, uint32_t off, uint32_t v, uint64_t now)
{
    off &= 0xFF0;
    if (off >= R_LVT_TIMER && off <= R_LVT_ERROR) {
        unsigned i = 1 + ((off - R_LVT_TIMER) >> 4);
        /* Software disabled: the mask bit stays set (Vol. 3A 10.4.7.2). */
        a->lvt[i] = v | (a->svr & 0x100 ? 0 : X86_LVT_MASKED);
        if (i == LVT_TIMER)
            timer_sync(a, now);
        return;
    }
    switch (off) {
    case R_TPR:
        intc_set_tpr(a->ic, v & 0xFF);
        break;
    case R_EOI:
        intc_eoi(a->ic);
        break;
    case R_LDR:
        a->ldr = v & 0xFF000000u;
        break;
    case R_DFR:
        a->dfr = v | 0x0FFFFFFFu;
        break;
    case R_SVR:
        a->svr = v & 0x3FF;
        if (!(v & 0x100))
            for (unsigned i = 0; i < X86_LAPIC_NLVT; i++)
                a->lvt[i] |= X86_LVT_MASKED;
        timer_sync(a, now);
        break;
    case R_LVT_CMCI:
        a->lvt[0] = v | (a->svr & 0x100 ? 0 : X86_LVT_MASKED);
        break;
    case R_ICR_HI:
        a->icr_hi = v & 0xFF000000u;
        break;
    case R_ICR_LO:
        a->icr_lo = v;
        send_ipi(a);
        break;
    case R_INITIAL:
        /* A write loads the count and starts it; 0 stops the timer (Vol. 3A
         * 10.5.4). */
        a->initial = v;
        a->start = now;
        a->div_active = divisor(a->divide);
        a->timer_loads++;
        timer_sync(a, now);
        break;
    case R_DIVIDE:
        a->divide = v & 0xB;
        break;
    default:
        break; /* read-only and reserved registers */
    }
}

int x86_lapic_register_stats(struct x86_lapic *a, struct stats_group *g)
{
    if (!g ||
        stats_counter(g, "ipis_sent", &a->ipis_sent, "interrupts",
                      "IPI messages sent through the ICR (one per target)") != 0 ||
        stats_counter(g, "ipis_dropped", &a->ipis_dropped, "writes",
                      "ICR writes with a delivery mode or destination the model does not "
                      "send") != 0 ||
        stats_counter(g, "timer_loads", &a->timer_loads, "writes",
                      "writes of the timer's initial count") != 0 ||
        stats_counter(g, "timer_fired", &a->tmr.fired, "interrupts",
                      "timer expiries that raised the LVT timer vector") != 0)
        return -1;
    return 0;
}
