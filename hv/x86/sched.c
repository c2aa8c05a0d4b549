/*
 * sched.c - the hypervisor's VM scheduler and its state management unit
 * (seed 003, [0050]-[0063] and Figure 5): several VMs share this hart in
 * quanta; the local APIC timer interrupts every tick; at each tick the
 * state management unit reads the performance counters through the ISA's
 * own interface (IA32_PERFEVTSELx and RDPMC, SDM Vol. 3B 18.2) and the
 * policy decides whether the running VM's quantum goes on, stretches or
 * ends (Figure 5: evaluate 504-508, then increase 510 or decrease 512).
 *
 * Counters (the machine must offer four; vtsim's EMON events are selected
 * with event 0xFF and the EMON event number as unit mask, docs/model.md):
 *   PMC0 instructions retired in a guest, PMC1 last-level cache misses,
 *   PMC2 BTB hits, PMC3 BTB misses.
 * The hypervisor's own work is counted too; it is small next to a tick.
 */
#include "console.h"
#include "cpu.h"
#include "io.h"
#include "vcpu.h"

#define APIC            0xFEE00000u
#define APIC_EOI        0xB0u
#define APIC_SVR        0xF0u
#define APIC_LVT_TIMER  0x320u
#define APIC_TIMER_INIT 0x380u
#define APIC_TIMER_DIV  0x3E0u
#define TIMER_VECTOR    0x20u

#define MSR_PERFEVTSEL0 0x186u
#define EVSEL_USR       (1u << 16)
#define EVSEL_OS        (1u << 17)
#define EVSEL_EN        (1u << 22)
/* vtsim EMON event numbers (model/cpu/emon/events.def rows). */
#define EV_GUEST_INSTRUCTIONS 2u
#define EV_L2_MISSES          6u
#define EV_BTB_HITS           11u
#define EV_BTB_MISSES         12u

#define CTL_PORT_ARG 0xE0
#define CTL_PORT_CMD 0xE4
#define CTL_PORT_VM  0xE6
#define CTL_QUANTUM  8

enum { FIXED, EXTEND_WARM, CUT_AFTER_FLUSH, BTB_LOOP, PAYBACK, PROFILE };

static const struct xbi *cfg;
static struct vcpu *all;
static uint32_t nvcpus;

static void apic_write(uint32_t reg, uint32_t v)
{
    *(volatile uint32_t *)(APIC + reg) = v;
}

static uint64_t rdpmc(uint32_t i)
{
    uint32_t lo, hi;
    __asm__ volatile("rdpmc" : "=a"(lo), "=d"(hi) : "c"(i));
    return (uint64_t)hi << 32 | lo;
}

static uint32_t rdtsc32(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return lo;
}

static void wrmsr(uint32_t msr, uint32_t lo)
{
    __asm__ volatile("wrmsr" : : "c"(msr), "a"(lo), "d"(0));
}

/* The next tick: a one-shot timer of `tick` core cycles (divide by 1). */
static void arm_timer(void)
{
    apic_write(APIC_TIMER_INIT, cfg->tick);
}

/* The quantum a VM gets when it is switched in. */
static uint32_t budget_for(const struct vcpu *v)
{
    const struct vprof *p = &v->prof;
    switch (cfg->sched_policy) {
    case PAYBACK: {
        uint32_t b = cfg->quantum + p->debt;
        return b > cfg->quantum_max ? cfg->quantum_max : b;
    }
    case PROFILE:
        /* [0062]: a VM whose history shows a costly cold start (its first
         * tick misses jump_factor times more than its warm ticks) keeps
         * its cache longer; the others get the base quantum. */
        if (p->warm && p->cold >= cfg->jump_factor * p->warm)
            return cfg->quantum_max;
        return cfg->quantum;
    default:
        return cfg->quantum;
    }
}

static void report_quantum(const struct vcpu *v, uint32_t ran)
{
    outl(CTL_PORT_ARG, ran);
    outb(CTL_PORT_CMD, CTL_QUANTUM);
    (void)v;
}

static void switch_in(struct vcpu *v)
{
    struct vprof *p = &v->prof;
    outb(CTL_PORT_VM, (uint8_t)v->id); /* the control device counts its work */
    p->switched_in = rdtsc32();
    p->budget = budget_for(v);
    p->ticks = 0;
    p->last_rate = 0;
    p->last_btb = 0;
    for (uint32_t i = 0; i < 4 && nvcpus > 1; i++)
        p->pmc[i] = rdpmc(i);
}

struct vcpu *sched_start(const struct xbi *bi, struct vcpu *vcpus)
{
    cfg = bi;
    all = vcpus;
    nvcpus = bi->nvms;
    if (nvcpus > 1) {
        static const uint32_t events[4] = {EV_GUEST_INSTRUCTIONS, EV_L2_MISSES, EV_BTB_HITS,
                                           EV_BTB_MISSES};
        for (uint32_t i = 0; i < 4; i++)
            wrmsr(MSR_PERFEVTSEL0 + i, 0xFF | events[i] << 8 | EVSEL_USR | EVSEL_OS | EVSEL_EN);
        apic_write(APIC_SVR, 0x100 | 0xFF);       /* software enable (Vol. 3A 10.9) */
        apic_write(APIC_TIMER_DIV, 0xB);          /* divide by 1 */
        apic_write(APIC_LVT_TIMER, TIMER_VECTOR); /* one-shot, unmasked */
        con_printf("vmm: %u VMs on one hart, policy %u, quantum %u cycles (%u-%u), tick %u\n",
                   nvcpus, bi->sched_policy, bi->quantum, bi->quantum_min, bi->quantum_max,
                   bi->tick);
        arm_timer();
    }
    switch_in(&vcpus[0]);
    return &vcpus[0];
}

/* Figure 5, 504-512: does the running VM go on? */
static int keep_running(struct vcpu *v, uint32_t elapsed, uint32_t rate, uint32_t btb)
{
    struct vprof *p = &v->prof;
    int jumped =
        p->ticks > 1 && rate > cfg->miss_threshold && rate >= cfg->jump_factor * p->last_rate;
    switch (cfg->sched_policy) {
    case EXTEND_WARM:
        /* [0063]: past the base quantum, stretch while the cache is warm
         * (few misses, not rising), up to the bound. */
        if (elapsed < p->budget)
            return 1;
        return elapsed < cfg->quantum_max && rate < cfg->miss_threshold && rate <= p->last_rate;
    case CUT_AFTER_FLUSH:
    case PAYBACK:
        /* [0052]: the working set changed (or was flushed): what the cache
         * held no longer helps, so end the quantum early. */
        if (jumped && elapsed >= cfg->quantum_min) {
            if (cfg->sched_policy == PAYBACK && elapsed < p->budget)
                p->debt += p->budget - elapsed;
            return 0;
        }
        if (cfg->sched_policy == PAYBACK && elapsed >= p->budget)
            p->debt = p->debt > elapsed - cfg->quantum ? p->debt - (elapsed - cfg->quantum) : 0;
        return elapsed < p->budget;
    case BTB_LOOP:
        /* [0053]: a tight loop (the BTB hits almost always) is worth
         * finishing; the loop's exit (the hit rate falls) ends the
         * quantum once the minimum is served. */
        if (btb >= cfg->btb_threshold)
            return elapsed < cfg->quantum_max;
        if (p->last_btb >= cfg->btb_threshold && elapsed >= cfg->quantum_min)
            return 0;
        return elapsed < p->budget;
    default:
        return elapsed < p->budget;
    }
}

struct vcpu *sched_tick(struct vcpu *v)
{
    uint32_t info = vmread(0x4404); /* exit interruption information */
    if ((info & 0xFF) != TIMER_VECTOR || nvcpus < 2)
        vmm_panic("VM %u: external interrupt 0x%x the hypervisor does not expect", v->id, info);
    apic_write(APIC_EOI, 0);
    struct vprof *p = &v->prof;
    uint64_t now[4];
    for (uint32_t i = 0; i < 4; i++)
        now[i] = rdpmc(i);
    /* A tick's counts fit in 32 bits; keep the arithmetic there (no
     * 64-bit division in a freestanding image). */
    uint32_t instr = (uint32_t)(now[0] - p->pmc[0]), misses = (uint32_t)(now[1] - p->pmc[1]);
    uint32_t hits = (uint32_t)(now[2] - p->pmc[2]);
    uint32_t lookups = hits + (uint32_t)(now[3] - p->pmc[3]);
    for (uint32_t i = 0; i < 4; i++)
        p->pmc[i] = now[i];
    uint32_t rate = instr >= 10000 ? misses / (instr / 10000)
                    : instr        ? misses * (10000 / instr)
                                   : 0;
    uint32_t btb = lookups ? hits / (lookups / 100 ? lookups / 100 : 1) : 0;
    if (btb > 100)
        btb = 100;
    p->ticks++;
    /* History for the profile policy ([0063]: recent and long history):
     * x16 exponential averages of the first tick's and the later ticks'
     * miss rates. */
    if (p->ticks == 1)
        p->cold = p->cold ? (15 * p->cold + 16 * rate) / 16 : 16 * rate + 16;
    else
        p->warm = p->warm ? (15 * p->warm + 16 * rate) / 16 : 16 * rate + 16;
    uint32_t elapsed = rdtsc32() - p->switched_in;
    int go_on = keep_running(v, elapsed, rate, btb);
    p->last_rate = rate;
    p->last_btb = btb;
    arm_timer();
    if (go_on)
        return v;
    report_quantum(v, elapsed);
    struct vcpu *next = &all[(uint32_t)(v - all + 1) % nvcpus]; /* round robin */
    switch_in(next);
    return next;
}
