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
 *
 * Several harts ([0065]-[0070]): each hart runs its own instance, with its
 * own timer and counters.  Where a hart finds its next VM is
 * hypervisor.sched.queue ([0074]: each processor hosts one VM of its own,
 * or all of them):
 *   per_hart - its own run queue, VM i on hart i mod harts, for good;
 *   shared   - one run queue of the VMs that wait, oldest first: a hart
 *              that ends a quantum puts its VM at the tail and takes the
 *              head, so VMs migrate;
 *   affine   - the same queue, but a hart takes the oldest VM that last
 *              ran on it, and the head only when none did.
 * A VM that may move is released when it leaves its hart (VMCLEAR), and
 * the hart it resumes on writes its own host state into the VMCS and
 * launches it afresh (vmx.c); each migration counts as
 * ctl.hv.sched_migrations.  The per-VM profiles move with the VMs.
 * Nothing else is shared between harts but the configuration and, for
 * hyperthreads, the per-core record below.
 *
 * Hyperthreads ([0074]-[0076]): the threads of one core share its caches,
 * so the processor state a thread's scheduler evaluates is partly made by
 * its siblings.  Each thread publishes, at every tick and switch, its
 * running VM and that VM's miss rate in a record of its core; the
 * smt_pair policy reads its siblings' entries.  The record is ordinary
 * hypervisor memory, so reading and writing it costs what the cache model
 * says.
 */
#include "console.h"
#include "cpu.h"
#include "host.h"
#include "io.h"
#include "smp.h"
#include "vcpu.h"

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

enum { FIXED, EXTEND_WARM, CUT_AFTER_FLUSH, BTB_LOOP, PAYBACK, PROFILE, SMT_PAIR };
enum { PER_HART, SHARED, AFFINE }; /* xbi.sched_queue */

#define MAX_THREADS 8 /* machine.threads_per_core's bound */

/* One core's record, shared by its threads: what each runs and how it
 * misses.  One cache line, written by its threads only. */
struct core_rec {
    volatile uint32_t vm[MAX_THREADS];   /* VM running in the thread + 1; 0: none yet */
    volatile uint32_t rate[MAX_THREADS]; /* its misses per 10,000 instructions, last tick */
} __attribute__((aligned(64)));

/* One hart's scheduler. */
struct hsched {
    uint32_t hart;
    uint32_t nq, cur;            /* run queue: its VMs, and the one running */
    struct vcpu *q[XBI_MAX_VMS]; /* VM hart, hart + nharts, ... */
    struct core_rec *core;       /* its core's record */
    uint32_t slot, nslots;       /* its thread in the core, and the core's threads */
    int timed;                   /* its timer ticks and its counters are read */
};

static const struct xbi *cfg; /* written before any hart starts, read only after */
static uint32_t nvcpus;       /* VMs on the whole machine */
static struct hsched hs_all[HOST_MAX_HARTS];
static struct core_rec cores[HOST_MAX_HARTS];

/* The shared run queue (queue shared or affine): the VMs that wait,
 * released, oldest first. */
static struct {
    volatile uint32_t lock;
    uint32_t n;
    struct vcpu *v[XBI_MAX_VMS];
} sq;

static int shared_queue(void)
{
    return cfg->sched_queue == SHARED || cfg->sched_queue == AFFINE;
}

/* Under sq.lock: where in the queue the VM hart hs takes next is, or -1
 * when none waits. */
static int sq_pick(const struct hsched *hs)
{
    if (!sq.n)
        return -1;
    for (uint32_t i = 0; cfg->sched_queue == AFFINE && i < sq.n; i++)
        if (sq.v[i]->hart == hs->hart)
            return (int)i;
    return 0;
}

/* The VM hart hs would take next, left in the queue; NULL if none. */
static struct vcpu *sq_peek(const struct hsched *hs)
{
    spin_lock(&sq.lock);
    int i = sq_pick(hs);
    struct vcpu *n = i < 0 ? 0 : sq.v[i];
    spin_unlock(&sq.lock);
    return n;
}

static void sq_put(struct vcpu *v)
{
    spin_lock(&sq.lock);
    sq.v[sq.n++] = v;
    spin_unlock(&sq.lock);
}

/* Take the VM hart hs runs next out of the queue; then release `out`
 * (the VM it stops running, NULL if it ended) and queue it.  NULL, and
 * `out` goes on, when no VM waits. */
static struct vcpu *sq_swap(struct hsched *hs, struct vcpu *out)
{
    spin_lock(&sq.lock);
    int i = sq_pick(hs);
    struct vcpu *next = 0;
    if (i >= 0) {
        next = sq.v[i];
        for (uint32_t k = (uint32_t)i; k + 1 < sq.n; k++)
            sq.v[k] = sq.v[k + 1];
        sq.n--;
    }
    spin_unlock(&sq.lock);
    if (next && out) {
        vcpu_release(out); /* before another hart can take it */
        sq_put(out);
    }
    return next;
}

static uint64_t rdpmc(uint32_t i)
{
    uint32_t lo, hi;
    __asm__ volatile("rdpmc" : "=a"(lo), "=d"(hi) : "c"(i));
    return (uint64_t)hi << 32 | lo;
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

/* Publish what this thread runs and how it misses, for its siblings. */
static void publish(struct hsched *hs, const struct vcpu *v, uint32_t rate)
{
    if (hs->nslots > 1) {
        hs->core->vm[hs->slot] = v->id + 1;
        hs->core->rate[hs->slot] = rate;
    }
}

static void switch_in(struct hsched *hs, struct vcpu *v)
{
    struct vprof *p = &v->prof;
    if (p->quanta && v->hart != hs->hart)
        con_hvstat(CTL_HVSTAT_SCHED_MIGRATIONS, 1);
    v->hs = hs;
    outb(CTL_PORT_VM, (uint8_t)v->id); /* the control device counts its work */
    /* Until its first tick, the rate it last ran at stands for it ([0063]:
     * nearly instantaneous history). */
    publish(hs, v, p->out_rate);
    p->switched_in = rdtsc32();
    p->budget = budget_for(v);
    p->ticks = 0;
    p->last_rate = 0;
    p->last_btb = 0;
    for (uint32_t i = 0; i < 4 && hs->timed; i++)
        p->pmc[i] = rdpmc(i);
}

struct vcpu *sched_start(const struct xbi *bi, struct vcpu *vcpus, uint32_t n, uint32_t hart,
                         uint32_t nharts)
{
    struct hsched *hs = &hs_all[hart];
    cfg = bi;
    nvcpus = n;
    hs->hart = hart;
    for (uint32_t i = hart; i < n; i += nharts) {
        vcpus[i].hs = hs;
        hs->q[hs->nq++] = &vcpus[i];
    }
    /* A shared queue: this hart starts the first of the VMs it prepared
     * and queues the others, released. */
    for (uint32_t i = 1; shared_queue() && i < hs->nq; i++) {
        vcpu_release(hs->q[i]);
        sq_put(hs->q[i]);
    }
    if (shared_queue())
        hs->nq = 1;
    uint32_t tpc = bi->threads_per_core ? bi->threads_per_core : 1;
    hs->nslots = tpc > MAX_THREADS ? MAX_THREADS : tpc;
    hs->slot = hart % tpc;
    hs->core = &cores[hart / tpc];
    /* Several VMs tick on every hart, as before; the virtual CPUs of an
     * SMP VM only where a hart holds more than one. */
    hs->timed = nvcpus > 1 && (!vcpus[hart].smp || hs->nq > 1);
    if (hs->timed) {
        static const uint32_t events[4] = {EV_GUEST_INSTRUCTIONS, EV_L2_MISSES, EV_BTB_HITS,
                                           EV_BTB_MISSES};
        for (uint32_t i = 0; i < 4; i++)
            wrmsr(MSR_PERFEVTSEL0 + i, 0xFF | events[i] << 8 | EVSEL_USR | EVSEL_OS | EVSEL_EN);
        apic_write(APIC_SVR, 0x100 | 0xFF);       /* software enable (Vol. 3A 10.9) */
        apic_write(APIC_TIMER_DIV, 0xB);          /* divide by 1 */
        apic_write(APIC_LVT_TIMER, TIMER_VECTOR); /* one-shot, unmasked */
        if (nharts == 1)
            con_printf("vmm: %u %s on one hart, policy %u, quantum %u cycles (%u-%u), tick %u\n",
                       nvcpus, vcpus[hart].smp ? "vCPUs" : "VMs", bi->sched_policy, bi->quantum,
                       bi->quantum_min, bi->quantum_max, bi->tick);
        else
            con_printf("vmm: hart %u (core %u thread %u): %u %s from %u, queue %u, policy %u, "
                       "quantum %u cycles (%u-%u), tick %u\n",
                       hart, hart / tpc, hs->slot, hs->nq, vcpus[hart].smp ? "vCPUs" : "VMs", hart,
                       bi->sched_queue, bi->sched_policy, bi->quantum, bi->quantum_min,
                       bi->quantum_max, bi->tick);
        arm_timer();
    }
    switch_in(hs, hs->q[0]);
    return hs->q[0];
}

/* Whether another thread of this core runs a VM that streams through
 * the caches they share (its last tick missed at least miss_threshold). */
static int sibling_streams(const struct hsched *hs)
{
    for (uint32_t t = 0; t < hs->nslots; t++)
        if (t != hs->slot && hs->core->vm[t] && hs->core->rate[t] >= cfg->miss_threshold)
            return 1;
    return 0;
}

/* Whether the VM this hart would run next was warm when it last ran (its
 * last tick's miss rate below the threshold; it has run at least once). */
static int next_is_warm(const struct hsched *hs)
{
    if (shared_queue()) {
        const struct vcpu *n = sq_peek(hs);
        return n && n->prof.quanta && n->prof.out_rate < cfg->miss_threshold;
    }
    const struct vcpu *n = hs->q[(hs->cur + 1) % hs->nq];
    return n != hs->q[hs->cur] && n->prof.quanta && n->prof.out_rate < cfg->miss_threshold;
}

/* Figure 5, 504-512: does the running VM go on? */
static int keep_running(const struct hsched *hs, struct vcpu *v, uint32_t elapsed, uint32_t rate,
                        uint32_t btb)
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
    case SMT_PAIR: {
        /* [0074]-[0076]: the threads share the core and its caches, so the
         * state to evaluate is the core's.  A warm VM's quantum stretches
         * as under extend_warm, but only while no sibling streams (its
         * misses evict what the stretch would reuse); and two streaming
         * VMs on siblings thrash the shared caches for each other, so a
         * streaming VM's quantum ends once the minimum is served if a VM
         * with a warm history waits on this hart. */
        int streams = rate >= cfg->miss_threshold, sib = sibling_streams(hs);
        if (elapsed < p->budget)
            return !(streams && sib && elapsed >= cfg->quantum_min && next_is_warm(hs));
        return elapsed < cfg->quantum_max && !streams && rate <= p->last_rate && !sib;
    }
    default:
        return elapsed < p->budget;
    }
}

struct vcpu *sched_tick(struct vcpu *v)
{
    uint32_t info = vmread(0x4404); /* exit interruption information */
    if ((info & 0xFF) != TIMER_VECTOR || !v->hs->timed)
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
    struct hsched *hs = v->hs;
    publish(hs, v, rate);
    int go_on = keep_running(hs, v, elapsed, rate, btb);
    p->last_rate = rate;
    p->last_btb = btb;
    arm_timer();
    if (go_on)
        return v;
    if (shared_queue()) {
        struct vcpu *next = sq_swap(hs, v);
        if (!next)
            return v;
        p->out_rate = rate;
        p->quanta++;
        report_quantum(v, elapsed);
        switch_in(hs, next);
        return next;
    }
    /* The next that can run; an SMP VM's virtual CPU may be halted or
     * not yet started (smp.c). */
    uint32_t k = 1;
    while (k < hs->nq && !smp_runnable(hs->q[(hs->cur + k) % hs->nq]))
        k++;
    if (k == hs->nq)
        return v;
    p->out_rate = rate;
    p->quanta++;
    report_quantum(v, elapsed);
    hs->cur = (hs->cur + k) % hs->nq;
    struct vcpu *next = hs->q[hs->cur];
    switch_in(hs, next);
    return next;
}

struct vcpu *sched_yield(struct vcpu *v)
{
    struct hsched *hs = v->hs;
    for (uint32_t k = 1; k < hs->nq; k++) {
        uint32_t i = (hs->cur + k) % hs->nq;
        if (!smp_runnable(hs->q[i]))
            continue;
        if (hs->timed) {
            v->prof.quanta++;
            report_quantum(v, rdtsc32() - v->prof.switched_in);
        }
        hs->cur = i;
        switch_in(hs, hs->q[i]);
        return hs->q[i];
    }
    return 0;
}

/* VMs that have ended, machine-wide, and the OR of their exit statuses;
 * harts update them with locked instructions. */
static volatile uint32_t vms_ended, ended_status;

struct vcpu *sched_retire(struct vcpu *v, uint32_t status)
{
    uint32_t one = 1;
    __asm__ volatile("lock orl %1, %0" : "+m"(ended_status) : "r"(status) : "memory");
    __asm__ volatile("lock xaddl %0, %1" : "+r"(one), "+m"(vms_ended) : : "memory");
    if (one + 1 >= nvcpus)
        con_exit(ended_status); /* the last VM: the run ends */
    struct hsched *hs = v->hs;
    report_quantum(v, rdtsc32() - v->prof.switched_in);
    if (shared_queue()) {
        struct vcpu *next = sq_swap(hs, 0);
        hs->q[0] = next;
        hs->nq = next ? 1 : 0;
    } else {
        for (uint32_t i = hs->cur; i + 1 < hs->nq; i++)
            hs->q[i] = hs->q[i + 1];
        hs->nq--;
    }
    if (hs->nq == 0) {
        /* Nothing left on this hart: stop its timer and sleep with
         * interrupts off; another hart ends the run. */
        apic_write(APIC_TIMER_INIT, 0);
        for (;;)
            __asm__ volatile("cli; hlt");
    }
    hs->cur %= hs->nq;
    struct vcpu *next = hs->q[hs->cur];
    switch_in(hs, next);
    arm_timer();
    return next;
}
