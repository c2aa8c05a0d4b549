/*
 * smp.c - the global part of the monitor of an SMP VM (see smp.h; seed
 * 004 [0052], [0059]-[0087]): shadow paging per virtual CPU, the traces
 * placed on the frames its derived structures come from (shadows here,
 * code copies in codecopy.c, the shadow GDT in sgdt.c), the trace
 * protocol run by the virtual CPU whose write hits one (the actor), and
 * the IPIs that carry notes, requests and guest IPIs between harts.
 *
 * Where each step runs: a virtual CPU's shadow is only ever changed on
 * its own hart (its notes are consumed there, at an exit), so the shadows
 * need no locks.  What harts share is the trace state (trace.c, with its
 * own locks), the count of shadows tracing each frame, and the
 * virtual CPUs' pending interrupts and protect requests.  A hart that
 * waits (an actor for acknowledgements, a consumer held by a bracketing
 * actor, an idle hart) keeps serving the notes of every virtual CPU it
 * holds, so two actors waiting for each other both progress.
 *
 * Protecting a frame everywhere: when a frame first becomes traced (a
 * shadow starts to derive from it), the other virtual CPUs may still map
 * it writable from before.  Each gets a protect request and a kick, and
 * drops R/W from its leaves at its next exit; until then a write it makes
 * there is not seen as a trace event (the window a real VMM closes the
 * same way, by an IPI to the other processors).  Guest page-table writes
 * in that window are still made coherent by the guest's own TLB
 * shootdown, whose INVLPGs exit.
 */
#include "smp.h"

#include "console.h"
#include "cpu.h"
#include "emulate.h"
#include "io.h"
#include "trace.h"
#include "vmcs_fields.h"

#define PAGE        4096u
#define MAX_FRAMES  ((64u << 20) / PAGE) /* the partition sizes the VMM takes (vmx.c) */
#define KICK_VECTOR 0x21u
#define APIC_SVR    0x0F0u
#define APIC_ICR_LO 0x300u
#define APIC_ICR_HI 0x310u
#define ICR_ASSERT  (1u << 14)
#define APIC_PAGE   0xFEE00000u
#define PREQ        16 /* protect requests a virtual CPU holds before it rescans */

static struct trace tr;
static struct vcpu *vc;
static uint32_t nv, nharts;
static const struct xbi *cfg;
static uint32_t part_base, part_size;
static volatile uint8_t tcount[MAX_FRAMES]; /* derived structures tracing each frame */
static volatile uint32_t wlock;             /* one emulated write to traced memory at a time */

static struct shadow shadows[TR_MAX_VCPUS];
static struct smp_stats stats[TR_MAX_VCPUS];
static uint8_t wmaps[TR_MAX_VCPUS][MAX_FRAMES];
static uint8_t pools[TR_MAX_VCPUS][SH_POOL_FRAMES][PAGE] __attribute__((aligned(PAGE)));

/* Protect requests: frames to drop R/W for, per virtual CPU. */
static struct {
    volatile uint32_t lock, n, all;
    uint32_t f[PREQ];
} preq[TR_MAX_VCPUS];

struct vcpu *smp_vcpu(uint32_t i)
{
    return &vc[i];
}

uint32_t smp_nvcpus(void)
{
    return nv;
}

static uint32_t hart_of(uint32_t i)
{
    return i % nharts;
}

void smp_kick(struct vcpu *from, uint32_t to)
{
    uint32_t h = hart_of(to);
    if (h == hart_of(from->idx))
        return; /* served at this hart's next exit or wait turn */
    apic_write(APIC_ICR_HI, h << 24);
    apic_write(APIC_ICR_LO, ICR_ASSERT | KICK_VECTOR);
    from->st->hv_ipis++;
}

/* --- traces on the frames the shadows derive from ---------------------- */

static void request_protect(struct vcpu *from, uint32_t to, uint32_t frame)
{
    spin_lock(&preq[to].lock);
    if (preq[to].n < PREQ)
        preq[to].f[preq[to].n++] = frame;
    else
        preq[to].all = 1;
    spin_unlock(&preq[to].lock);
    smp_kick(from, to);
}

/* v starts (on) or stops consuming `frame` as a trace of `type`; a frame
 * traced for the first time is write-protected in every other shadow. */
void smp_trace_frame(struct vcpu *v, uint32_t frame, unsigned type, int on)
{
    uint32_t i = (frame - part_base) / PAGE;
    if (on) {
        if (tr_add(&tr, frame, frame + PAGE, (enum tr_type)type, v->idx) != 0)
            vmm_panic("VM: trace table full (%u traces)", TR_MAX_TRACES);
        if (__atomic_fetch_add(&tcount[i], 1, __ATOMIC_ACQ_REL) == 0)
            for (uint32_t u = 0; u < nv; u++)
                if (u != v->idx)
                    request_protect(v, u, frame);
    } else {
        tr_remove(&tr, frame, frame + PAGE, (enum tr_type)type, v->idx);
        __atomic_fetch_sub(&tcount[i], 1, __ATOMIC_ACQ_REL);
    }
}

/* shadow.c's hook: v's shadow starts or stops deriving from `frame`. */
static void source(void *ctx, uint32_t frame, int on)
{
    smp_trace_frame(ctx, frame, TR_MMU, on);
}

static int traced(void *ctx, uint32_t frame)
{
    (void)ctx;
    return frame - part_base < part_size &&
           __atomic_load_n(&tcount[(frame - part_base) / PAGE], __ATOMIC_ACQUIRE) != 0;
}

static void serve_protects(struct vcpu *u)
{
    if (!__atomic_load_n(&preq[u->idx].n, __ATOMIC_ACQUIRE) && !preq[u->idx].all)
        return;
    spin_lock(&preq[u->idx].lock);
    if (preq[u->idx].all) {
        for (uint32_t f = 0; f < part_size / PAGE; f++)
            if (tcount[f])
                sh_protect(u->sh, part_base + f * PAGE);
    } else {
        for (uint32_t k = 0; k < preq[u->idx].n; k++)
            sh_protect(u->sh, preq[u->idx].f[k]);
    }
    u->st->protects += preq[u->idx].all ? 1 : preq[u->idx].n;
    preq[u->idx].n = 0;
    preq[u->idx].all = 0;
    spin_unlock(&preq[u->idx].lock);
}

/* --- the trace protocol's outside world (trace.h struct tr_ops) -------- */

static void op_send_ipi(void *ctx, unsigned from, unsigned to)
{
    (void)ctx;
    smp_kick(&vc[from], to);
}

/* Consumer `i` re-derives or invalidates what it derived from the note's
 * range (on its own hart: tr_service runs there). */
static void op_consume(void *ctx, unsigned i, const struct tr_note *n)
{
    (void)ctx;
    struct vcpu *u = &vc[i];
    if (n->type == TR_CODE)
        code_consume(u, n);
    if (n->type == TR_GDT)
        sgdt_consume(u, n);
    if (n->type != TR_MMU)
        return;
    if (!n->len) {
        sh_flush(u->sh);
        return;
    }
    for (uint32_t o = 0; o < n->len; o += 4)
        sh_invalidate_gpa(u->sh, (n->gpa + o) & ~3u);
}

/* Serve the notes and requests of the virtual CPUs on `hart` except
 * `skip` (the caller serves that one itself). */
static void serve_hart(uint32_t hart, uint32_t skip)
{
    for (uint32_t u = hart; u < nv; u += nharts) {
        serve_protects(&vc[u]);
        if (u != skip)
            tr_service(&tr, u);
    }
}

static void op_poll(void *ctx, unsigned self)
{
    (void)ctx;
    serve_hart(hart_of(self), self);
    __asm__ volatile("pause");
}

static const struct tr_ops ops = {
    .send_ipi = op_send_ipi,
    .poll = op_poll,
    .consume = op_consume,
};

/* --- set-up ------------------------------------------------------------ */

void smp_init(const struct xbi *bi, struct vcpu *vcpus, uint32_t n, uint32_t harts)
{
    cfg = bi;
    vc = vcpus;
    nv = n;
    nharts = harts;
    part_base = bi->vm[0].base;
    part_size = bi->vm[0].size;
    tr_init(&tr, n, &ops, 0);
    for (uint32_t t = 0; t < TR_NTYPES; t++)
        if (bi->tr_sem[t] < TR_NSEMS)
            tr.defaults[t] = (uint8_t)bi->tr_sem[t];
    tr.override = bi->tr_override && bi->tr_override <= TR_NSEMS ? (int)bi->tr_override - 1 : -1;
    tr.null_trace = bi->tr_null != 0;
    tr.defer_mmu = bi->tr_defer_mmu != 0;
    con_printf("vmm: one VM, %u virtual CPUs on %u harts, shadow paging; trace semantics mmu %u "
               "gdt %u code %u override %d null %u defer_mmu %u actor delay %u\n",
               n, harts, tr.defaults[TR_MMU], tr.defaults[TR_GDT], tr.defaults[TR_CODE],
               tr.override, tr.null_trace, tr.defer_mmu, bi->tr_actor_delay);
}

void smp_vcpu_init(struct vcpu *v)
{
    struct shadow *sh = &shadows[v->idx];
    sh_init(sh, (uint8_t *)v->vm->base, v->vm->base, v->vm->size, wmaps[v->idx],
            &pools[v->idx][0][0], (uint32_t)&pools[v->idx][0][0]);
    sh->source = source;
    sh->traced = traced;
    sh->ctx = v;
    sh_reserve_top(sh, sgdt_pde(v));
    v->sh = sh;
    v->st = &stats[v->idx];
    v->smp = 1;
    v->started = v->idx == 0;
    /* Kicks are fixed IPIs: the hart's local APIC must be software-enabled
     * to take them (SVR bit 8, Intel SDM Vol. 3A 10.4.7.2). */
    apic_write(APIC_SVR, 0x100 | 0xFF);
}

/* --- before each entry ------------------------------------------------- */

int smp_runnable(const struct vcpu *v)
{
    return !v->smp || (__atomic_load_n(&v->started, __ATOMIC_ACQUIRE) && !v->halted);
}

struct vcpu *smp_prepare(struct vcpu *v)
{
    uint32_t hart = hart_of(v->idx);
    for (;;) {
        serve_hart(hart, v->idx);
        if (v->halted && vapic_pending(v))
            v->halted = 0;
        if (smp_runnable(v)) {
            if (!tr_service(&tr, v->idx))
                break;
            /* Held by a bracketing actor ([0077]): wait at this
             * instruction boundary until it releases. */
            uint32_t t0 = rdtsc32();
            while (tr_service(&tr, v->idx))
                op_poll(0, v->idx);
            v->st->consumer_stall_cycles += rdtsc32() - t0;
            continue;
        }
        tr_service(&tr, v->idx);
        struct vcpu *n = sched_yield(v);
        if (n) {
            v = n;
            vcpu_load(v);
            continue;
        }
        __asm__ volatile("pause"); /* nothing to run here: idle */
    }
    sgdt_sync(v, 0);
    vapic_inject(v);
    return v;
}

/* --- exits ------------------------------------------------------------- */

void smp_sync_paging(struct vcpu *v, int flush)
{
    v->paging = (v->cr0 & CR0_PG) != 0;
    /* WP too: the shadows' write protection must hold for the guest's
     * supervisor code (shadow.h takes the guest's WP as 1). */
    vmwrite(V_GUEST_CR0, v->cr0 | CR0_PG | CR0_NE | CR0_WP);
    vmwrite(V_CR0_SHADOW, v->cr0);
    vmwrite(V_CR4_SHADOW, v->cr4);
    vmwrite(V_GUEST_CR4, v->cr4 | CR4_VMXE | CR4_PSE);
    if (!v->paging) {
        vmwrite(V_GUEST_CR3, v->ident_pd);
        return;
    }
    if (flush) {
        /* A CR3 load (or a paging-mode change) flushes the TLB (SDM Vol.
         * 3A 4.10.4.1): the whole shadow goes, and with it what defer_mmu
         * held for this flush ([0085]). */
        v->sh->pse = (v->cr4 & CR4_PSE) != 0;
        if (sh_load_cr3(v->sh, v->cr3) != 0)
            vmm_panic("VM: vCPU %u loads CR3 0x%x, outside its partition", v->idx, v->cr3);
        tr_tlb_flush(&tr, v->idx);
        v->st->shadow_flushes++;
        sgdt_sync(v, 1);
    }
    vmwrite(V_GUEST_CR3, sh_root(v->sh));
}

void smp_invlpg(struct vcpu *v, uint32_t la)
{
    sh_invlpg(v->sh, la);
    tr_tlb_flush(&tr, v->idx);
    v->st->invlpgs++;
    vcpu_regs_in(v);
    vcpu_regs_out(v, vmread(V_EXIT_INSN_LEN));
}

void smp_hlt(struct vcpu *v)
{
    v->halted = 1;
    vcpu_regs_in(v);
    vcpu_regs_out(v, vmread(V_EXIT_INSN_LEN));
}

void smp_intr_window(struct vcpu *v)
{
    (void)v; /* smp_prepare injects now that interrupts are open */
}

static uint64_t mem_read(uint32_t pa, unsigned size)
{
    switch (size) {
    case 1:
        return *(volatile uint8_t *)pa;
    case 2:
        return *(volatile uint16_t *)pa;
    case 4:
        return *(volatile uint32_t *)pa;
    default:
        return *(volatile uint64_t *)pa;
    }
}

static void mem_write(uint32_t pa, unsigned size, uint64_t val)
{
    switch (size) {
    case 1:
        *(volatile uint8_t *)pa = (uint8_t)val;
        break;
    case 2:
        *(volatile uint16_t *)pa = (uint16_t)val;
        break;
    case 4:
        *(volatile uint32_t *)pa = (uint32_t)val;
        break;
    default:
        *(volatile uint64_t *)pa = val;
        break;
    }
}

/* The guest's write, done for it: one at a time over all harts, so a
 * locked instruction stays atomic against the others' emulated ones
 * (every writer of a traced frame comes through here). */
static void emulated_write(struct vcpu *v, const struct em_insn *in, uint32_t gpa)
{
    int store;
    spin_lock(&wlock);
    uint64_t val = em_apply(in, mem_read(gpa, in->size), &v->g, &store);
    if (store)
        mem_write(gpa, in->size, val);
    spin_unlock(&wlock);
}

static void spin_cycles(struct vcpu *v, uint32_t cycles)
{
    uint32_t t0 = rdtsc32();
    while (rdtsc32() - t0 < cycles)
        op_poll(0, v->idx);
}

/* v's write at linear `la` hit a traced frame at `gpa`: v is the actor
 * ([0068]); run the protocol of the semantics in force ([0076]-[0084]). */
static void trace_write(struct vcpu *v, uint32_t la, uint32_t gpa)
{
    uint32_t t0 = rdtsc32();
    uint8_t b[15];
    unsigned n = vcpu_fetch(v, b);
    struct em_insn in;
    vcpu_regs_in(v);
    if (em_decode(b, n, &v->g, &in) != 0 || in.addr != la || in.op == EM_LOAD ||
        ((gpa & (PAGE - 1)) + in.size > PAGE))
        vmm_panic("VM: vCPU %u writes traced memory at 0x%x by an instruction the emulator does "
                  "not handle (eip 0x%x, bytes %x %x %x %x)",
                  v->idx, la, vmread(V_GUEST_RIP), b[0], b[1], b[2], b[3]);
    /* pre_write_data carries the value to be written ([0081]). */
    struct em_regs g = v->g;
    int store;
    uint64_t data = em_apply(&in, mem_read(gpa, in.size), &g, &store);
    if (tr_begin(&tr, v->idx, gpa, in.size, data) != 0) {
        emulated_write(v, &in, gpa); /* no longer traced by anyone */
        vcpu_regs_out(v, in.len);
        return;
    }
    for (;;) {
        enum tr_action a = tr_step(&tr, v->idx);
        if (a == TR_DONE)
            break;
        if (a == TR_WRITE) {
            tr_write_lock(&tr, v->idx);
            emulated_write(v, &in, gpa);
            tr_write_unlock(&tr, v->idx);
            if (cfg->tr_actor_delay) {
                spin_cycles(v, cfg->tr_actor_delay);
                v->st->actor_delays++;
            }
            continue;
        }
        uint32_t w0 = rdtsc32();
        tr_service(&tr, v->idx);
        op_poll(0, v->idx);
        v->st->actor_wait_cycles += rdtsc32() - w0;
    }
    vcpu_regs_out(v, in.len);
    v->st->trace_event_cycles += rdtsc32() - t0;
}

void smp_page_fault(struct vcpu *v, uint32_t ec, uint32_t la)
{
    uint32_t pa = vcpu_translate(v, la);
    if (pa && (pa & ~(PAGE - 1)) == APIC_PAGE) {
        if (vapic_access(v, pa) != 0)
            vmm_panic("VM: vCPU %u accesses its xAPIC at 0x%x by an instruction the emulator "
                      "does not handle (eip 0x%x)",
                      v->idx, la, vmread(V_GUEST_RIP));
        return;
    }
    if (!v->paging)
        vmm_panic("VM: vCPU %u with paging off touches 0x%x, outside its partition (eip 0x%x)",
                  v->idx, la, vmread(V_GUEST_RIP));
    struct sh_result r = sh_fault(v->sh, la, ec);
    switch (r.v) {
    case SH_FIXED:
        if (cfg->code_patch) {
            uint32_t eip = vmread(V_GUEST_RIP);
            code_map(v, la, (la >> 12) == (eip >> 12) || la - eip < 15);
        }
        break;
    case SH_GUEST:
        vcpu_inject_pf(v, r.ec, la);
        break;
    case SH_TRACE:
        trace_write(v, la, r.gpa);
        break;
    default:
        vmm_panic("VM: vCPU %u maps 0x%x to memory outside its partition (eip 0x%x)", v->idx, la,
                  vmread(V_GUEST_RIP));
    }
}

/* --- the end ----------------------------------------------------------- */

void smp_report(void)
{
    struct tr_stats t = tr_totals(&tr);
    struct smp_stats s = {0};
    uint32_t fills = 0;
    for (uint32_t i = 0; i < nv; i++) {
        const struct smp_stats *p = &stats[i];
        s.trace_event_cycles += p->trace_event_cycles;
        s.actor_wait_cycles += p->actor_wait_cycles;
        s.consumer_stall_cycles += p->consumer_stall_cycles;
        s.hv_ipis += p->hv_ipis;
        s.guest_ipis += p->guest_ipis;
        s.apic_accesses += p->apic_accesses;
        s.actor_delays += p->actor_delays;
        s.shadow_flushes += p->shadow_flushes;
        s.invlpgs += p->invlpgs;
        s.protects += p->protects;
        fills += shadows[i].fills;
        s.code_derived += p->code_derived;
        s.code_rederived += p->code_rederived;
        s.gdt_derived += p->gdt_derived;
        s.gdt_lazy += p->gdt_lazy;
    }
    con_printf("vmm: traces: faults mmu %u gdt %u code %u, notes %u, acks %u, releases %u, "
               "invalidated %u, rederived %u, deferred %u\n",
               t.faults[TR_MMU], t.faults[TR_GDT], t.faults[TR_CODE], t.notes_sent, t.acks,
               t.releases, t.invalidated, t.rederived, t.deferred);
    con_printf("vmm: shadow fills %u, flushes %u, invlpg %u, protects %u; xAPIC accesses %u, "
               "guest IPIs %u, hypervisor IPIs %u\n",
               fills, s.shadow_flushes, s.invlpgs, s.protects, s.apic_accesses, s.guest_ipis,
               s.hv_ipis);
    con_hvstat(CTL_HVSTAT_TRACE_FAULTS_MMU, t.faults[TR_MMU]);
    con_hvstat(CTL_HVSTAT_TRACE_FAULTS_GDT, t.faults[TR_GDT]);
    con_hvstat(CTL_HVSTAT_TRACE_FAULTS_CODE, t.faults[TR_CODE]);
    con_hvstat(CTL_HVSTAT_TRACE_NOTES, t.notes_sent);
    con_hvstat(CTL_HVSTAT_TRACE_ACKS, t.acks);
    con_hvstat(CTL_HVSTAT_TRACE_RELEASES, t.releases);
    con_hvstat(CTL_HVSTAT_TRACE_EVENT_CYCLES, s.trace_event_cycles);
    con_hvstat(CTL_HVSTAT_ACTOR_WAIT_CYCLES, s.actor_wait_cycles);
    con_hvstat(CTL_HVSTAT_CONSUMER_STALL_CYCLES, s.consumer_stall_cycles);
    con_hvstat(CTL_HVSTAT_TRACE_REDERIVED, t.rederived);
    con_hvstat(CTL_HVSTAT_TRACE_INVALIDATED, t.invalidated);
    con_hvstat(CTL_HVSTAT_TRACE_DEFERRED, t.deferred);
    con_hvstat(CTL_HVSTAT_TRACE_DEFERRED_FLUSHED, t.deferred_flushed);
    con_hvstat(CTL_HVSTAT_TRACE_NULL_NOTES, t.null_notes);
    con_hvstat(CTL_HVSTAT_TRACE_MAILBOX_OVERFLOWS, t.mailbox_overflows);
    con_hvstat(CTL_HVSTAT_HV_IPIS, s.hv_ipis);
    con_hvstat(CTL_HVSTAT_GUEST_IPIS_FORWARDED, s.guest_ipis);
    con_hvstat(CTL_HVSTAT_SHADOW_FILLS, fills);
    con_hvstat(CTL_HVSTAT_SHADOW_FLUSHES, s.shadow_flushes);
    con_hvstat(CTL_HVSTAT_SHADOW_INVLPG, s.invlpgs);
    con_hvstat(CTL_HVSTAT_APIC_ACCESSES, s.apic_accesses);
    con_hvstat(CTL_HVSTAT_ACTOR_DELAYS, s.actor_delays);
    con_hvstat(CTL_HVSTAT_CODE_DERIVED, s.code_derived);
    con_hvstat(CTL_HVSTAT_CODE_REDERIVED, s.code_rederived);
    con_hvstat(CTL_HVSTAT_GDT_ADOPTED, s.gdt_derived);
    con_hvstat(CTL_HVSTAT_GDT_LAZY, s.gdt_lazy);
    con_hvstat(CTL_HVSTAT_TRACE_LATE_NOTES, t.late_notes);
}
