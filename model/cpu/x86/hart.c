/*
 * hart.c - the IA-32 hart (see hart.h).  Hot: step() once per instruction.
 */
#include "model/cpu/x86/hart.h"

#include <stdio.h>
#include <string.h>

#include "model/base/stats.h"
#include "model/cpu/x86/exec.h"
#include "model/cpu/x86/vmx.h"

/* An access through the cache model: its cycles beyond an L1 hit stall
 * the in-order pipeline (the L1 latency itself is hidden by it). */
static unsigned timed(struct x86_hart *h, uint64_t pa, unsigned size, enum mem_kind k)
{
    struct mem_result r;
    unsigned lat = memsys_access(h->ms, h->core, pa, size, k, 0, h->hart.clock, &r);
    if (r.l1_miss)
        emon_count(&h->emon, k == MEM_IFETCH ? EMON_L1I_MISSES : EMON_L1D_MISSES, 1);
    if (r.l2_miss)
        emon_count(&h->emon, EMON_L2_MISSES, 1);
    if (r.l3_miss)
        emon_count(&h->emon, EMON_L3_MISSES, 1);
    return r.level == LEVEL_L1 ? 0 : lat;
}

/* Whether pa falls in the xAPIC's page: IA32_APIC_BASE bits 31:12 with the
 * global enable bit 11 set (Vol. 3A 10.4.4).  The page is uncached and
 * answered by the hart's own APIC, before memory. */
static bool apic_page(const struct x86_hart *h, uint64_t pa)
{
    uint64_t b = h->st.apic_base;
    return (b & 1u << 11) && (pa & ~0xFFFull) == (b & 0xFFFFF000u);
}

/* Name the hart to the devices behind pm (physmem.h, the origin). */
static struct pm_origin *origin(struct x86_hart *h)
{
    struct pm_origin *o = h->origin;
    o->hart = h->hart.id;
    o->clock = h->hart.clock;
    o->cycles = 0;
    return o;
}

static int mem_read(void *ctx, uint64_t pa, unsigned size, uint32_t *val, unsigned *stall)
{
    struct x86_hart *h = ctx;
    uint64_t v;
    if (apic_page(h, pa)) {
        *val = x86_lapic_read(&h->apic, (uint32_t)pa & 0xFFF, h->hart.clock);
        return 0;
    }
    struct pm_origin *o = origin(h);
    if (physmem_read(h->pm, pa, size, &v) != PM_OK)
        return -1;
    *val = (uint32_t)v;
    *stall += timed(h, pa, size, MEM_READ) + (unsigned)o->cycles;
    return 0;
}

static int mem_write(void *ctx, uint64_t pa, unsigned size, uint32_t val, unsigned *stall)
{
    struct x86_hart *h = ctx;
    if (apic_page(h, pa)) {
        x86_lapic_write(&h->apic, (uint32_t)pa & 0xFFF, val, h->hart.clock);
        return 0;
    }
    struct pm_origin *o = origin(h);
    enum pm_status s = physmem_write(h->pm, pa, size, val);
    if (s != PM_OK && s != PM_ROM_WRITE)
        return -1;
    *stall += timed(h, pa, size, MEM_WRITE) + (unsigned)o->cycles;
    return 0;
}

/* Ports: the control device's, and nothing else yet.  A read of a port
 * no device serves returns all ones, as on the PC bus. */
static uint32_t port_in(void *ctx, uint16_t port, unsigned size)
{
    struct x86_hart *h = ctx;
    if (port == CTL_PORT_CONSOLE || port == CTL_PORT_EXIT || port == CTL_PORT_ARG ||
        port == CTL_PORT_CMD)
        return 0; /* the device's registers read as 0 (ctl.h) */
    h->port_ignored++;
    return size >= 4 ? 0xFFFFFFFFu : (1u << (8 * size)) - 1;
}

static void port_out(void *ctx, uint16_t port, unsigned size, uint32_t val)
{
    struct x86_hart *h = ctx;
    h->ctl->hart = h->hart.id;
    if (!ctl_port_write(h->ctl, h->hart.id, port, size, val))
        h->port_ignored++;
}

/* Up to X86_MAX_LEN bytes at pa; fewer when memory ends sooner. */
static unsigned fetch_bytes(struct x86_hart *h, uint64_t pa, uint8_t *b)
{
    if (physmem_copy_out(h->pm, pa, b, X86_MAX_LEN) == PM_OK)
        return X86_MAX_LEN;
    unsigned n = 0;
    while (n < X86_MAX_LEN && physmem_copy_out(h->pm, pa + n, b + n, 1) == PM_OK)
        n++;
    return n;
}

/* Page-walk accesses: the walk is serial, so its whole latency counts. */
static int walk_read(void *ctx, uint64_t pa, uint32_t *val, unsigned *cycles)
{
    struct x86_hart *h = ctx;
    uint64_t v;
    struct mem_result r;
    if (physmem_read(h->pm, pa, 4, &v) != PM_OK)
        return -1;
    *val = (uint32_t)v;
    *cycles += memsys_access(h->ms, h->core, pa, 4, MEM_WALK, 0, h->hart.clock, &r);
    return 0;
}

static int walk_write(void *ctx, uint64_t pa, uint32_t val, unsigned *cycles)
{
    struct x86_hart *h = ctx;
    struct mem_result r;
    if (physmem_write(h->pm, pa, 4, val) != PM_OK)
        return -1;
    *cycles += memsys_access(h->ms, h->core, pa, 4, MEM_WRITE, 0, h->hart.clock, &r);
    return 0;
}

/*
 * MSRs (Intel SDM Vol. 4, Table 2-2 and the Core 2 tables): the TSC
 * (0x10), IA32_APIC_BASE (0x1B, kept for the LAPIC), SYSENTER_CS/ESP/EIP
 * (0x174-0x176, kept), and the EMON counters as IA32_PMCx (0xC1 + x) and
 * IA32_PERFEVTSELx (0x186 + x).  Event select (Vol. 3B 18.2.1.1): bits
 * 7:0 event, 15:8 unit mask, 16 USR (CPL 1-3), 17 OS (CPL 0), 22 EN.  The
 * architectural events 0x3C/0 and 0x3C/1 (core and reference cycles),
 * 0xC0/0 (instructions retired) and 0xC5/0 (branch mispredictions
 * retired) (Vol. 3B Table 18-1) count their EMON events; event 0xFF
 * counts the EMON event whose number in events.def is the unit mask, so
 * that every vtsim event is reachable; anything else counts nothing.
 */
#define MSR_TSC        0x10u
#define MSR_APIC_BASE  0x1Bu
#define MSR_SYSENTER   0x174u
#define MSR_PMC0       0xC1u
#define MSR_PERFEVTSEL 0x186u

static int event_of(uint32_t sel)
{
    unsigned ev = sel & 0xFF, umask = sel >> 8 & 0xFF;
    if (ev == 0x3C && umask <= 1)
        return EMON_CYCLES;
    if (ev == 0xC0 && umask == 0)
        return EMON_INSTRUCTIONS;
    if (ev == 0xC5 && umask == 0)
        return EMON_BR_MISPREDICTS;
    if (ev == 0xFF && umask < EMON_NEVENTS)
        return (int)umask;
    return -1;
}

static int rdmsr(void *ctx, uint32_t msr, uint64_t *val)
{
    struct x86_hart *h = ctx;
    unsigned n = h->emon.ncounters;
    if (msr == MSR_TSC)
        *val = h->st.tsc;
    else if (msr == MSR_APIC_BASE)
        *val = h->st.apic_base;
    else if (msr >= MSR_SYSENTER && msr < MSR_SYSENTER + 3)
        *val = h->st.sysenter[msr - MSR_SYSENTER];
    else if (msr >= MSR_PMC0 && msr < MSR_PMC0 + n)
        *val = emon_read(&h->emon, msr - MSR_PMC0);
    else if (msr >= MSR_PERFEVTSEL && msr < MSR_PERFEVTSEL + n)
        *val = h->evtsel[msr - MSR_PERFEVTSEL];
    else
        return x86_vmx_rdmsr(msr, val); /* IA32_FEATURE_CONTROL, VMX capabilities */
    return 0;
}

static int wrmsr(void *ctx, uint32_t msr, uint64_t val)
{
    struct x86_hart *h = ctx;
    unsigned n = h->emon.ncounters;
    if (msr == MSR_TSC) {
        h->st.tsc_offset = val - h->hart.clock;
    } else if (msr == MSR_APIC_BASE) {
        h->st.apic_base = val & 0xFFFFF900u; /* base, enable, BSP; the rest reserved */
    } else if (msr >= MSR_SYSENTER && msr < MSR_SYSENTER + 3) {
        h->st.sysenter[msr - MSR_SYSENTER] = (uint32_t)val;
    } else if (msr >= MSR_PMC0 && msr < MSR_PMC0 + n) {
        emon_write(&h->emon, msr - MSR_PMC0, val);
    } else if (msr >= MSR_PERFEVTSEL && msr < MSR_PERFEVTSEL + n) {
        unsigned i = msr - MSR_PERFEVTSEL;
        uint32_t sel = (uint32_t)val;
        int ev = event_of(sel);
        unsigned priv =
            (sel & 1u << 16 ? EMON_PRIV_USER : 0) | (sel & 1u << 17 ? EMON_PRIV_KERNEL : 0);
        h->evtsel[i] = sel;
        emon_program(&h->emon, i, ev < 0 ? 0 : (unsigned)ev, ev >= 0 && (sel & 1u << 22), priv,
                     EMON_MODE_ALL);
    } else {
        return -1;
    }
    return 0;
}

static int rdpmc(void *ctx, uint32_t counter, uint64_t *val)
{
    struct x86_hart *h = ctx;
    if (counter >= h->emon.ncounters)
        return -1;
    *val = emon_read(&h->emon, counter);
    h->step_counter_reads++;
    return 0;
}

static void fatal(struct x86_hart *h, uint32_t ip, uint64_t pa, unsigned len, const char *cause)
{
    struct fatal_info *f = &h->hart.fatal;
    uint8_t b[X86_MAX_LEN];
    memset(f, 0, sizeof(*f));
    f->ip = ip;
    unsigned n = fetch_bytes(h, pa, b);
    if (len < n)
        n = len;
    memcpy(f->bytes, b, n);
    f->nbytes = n;
    snprintf(f->cause, sizeof(f->cause), "%s", cause);
}

/* Decode bytes b[0..n) into the cache slot for pa (or, when `cache` is
 * false, into the hart's scratch form). */
static const struct x86_insn *decode_into(struct x86_hart *h, uint64_t pa, const uint8_t *b,
                                          unsigned n, bool cache)
{
    unsigned idx = (unsigned)pa & (X86_DCACHE_SLOTS - 1);
    struct x86_insn *in = cache ? &h->dc[idx].in : &h->scratch;
    x86_decode(b, n, in);
    x86_bind(in);
    h->decodes++;
    if (cache) {
        /* Both pages an instruction touches are code now: a write to
         * either re-decodes it. */
        physmem_mark_code(h->pm, pa);
        physmem_mark_code(h->pm, pa + in->len - 1);
        h->dc[idx].addr = pa + 1;
    }
    return in;
}

/*
 * The decoded instruction at linear `lin`, physical `pa`, from the cache
 * or decoded now.  With paging, an instruction that runs into the next
 * linear page takes its tail from that page's own translation; such an
 * instruction is not cached (its bytes are not contiguous in physical
 * memory).  NULL with *ev set when the next page faults, or with ev->vector
 * 0xFF when no byte is in memory.
 */
static const struct x86_insn *fetch(struct x86_hart *h, uint32_t lin, uint64_t pa,
                                    struct x86_fault *ev, unsigned *stall)
{
    unsigned idx = (unsigned)pa & (X86_DCACHE_SLOTS - 1);
    unsigned avail = (h->st.cr0 & X86_CR0_PG) ? 0x1000u - (lin & 0xFFFu) : X86_MAX_LEN;
    if (h->dc[idx].addr == pa + 1 && h->dc[idx].in.len <= avail)
        return &h->dc[idx].in;
    uint8_t b[X86_MAX_LEN];
    unsigned n = fetch_bytes(h, pa, b);
    if (avail >= X86_MAX_LEN || n < avail) {
        if (!n) {
            ev->vector = 0xFF;
            return NULL;
        }
        return decode_into(h, pa, b, n, true);
    }
    /* The tail lies in the next linear page. */
    uint32_t next = lin + avail, pfec;
    uint64_t pa2;
    unsigned c = 0;
    int rc = x86_translate(&h->mmu, &h->st, next, X86_ACC_X | (h->st.cpl == 3 ? X86_ACC_U : 0),
                           &pa2, &pfec, &c);
    *stall += c;
    unsigned got = avail;
    if (rc == 0) {
        uint8_t t[X86_MAX_LEN];
        unsigned m = fetch_bytes(h, pa2, t);
        for (unsigned i = 0; i < m && got < X86_MAX_LEN; i++)
            b[got++] = t[i];
    }
    struct x86_insn probe;
    if (x86_decode(b, avail, &probe) == 0 && probe.len <= avail)
        return decode_into(h, pa, b, avail, true);
    if (rc != 0) {
        if (rc > 0) {
            h->st.cr2 = next;
            *ev = (struct x86_fault){X86_VEC_PF, X86_EV_FAULT, true, pfec};
        } else {
            ev->vector = 0xFF;
        }
        return NULL;
    }
    return decode_into(h, pa, b, got, false);
}

/* The controller has a deliverable vector: wake the hart if it sleeps in
 * hlt (waking an awake hart does nothing). */
static void wake(void *ctx, unsigned hart)
{
    struct x86_hart *h = ctx;
    if (h->sched)
        sched_wake(h->sched, hart, 0);
}

/* WBINVD, INVD, CLFLUSH on the memory system, counted in EMON. */
static unsigned flush(void *ctx, uint64_t pa, unsigned kind)
{
    struct x86_hart *h = ctx;
    struct flush_result fr;
    unsigned lat = memsys_flush(h->ms, h->core, pa, (enum flush_kind)kind, h->hart.clock, &fr);
    emon_count(&h->emon, EMON_CACHE_FLUSH_LINES, fr.invalidated);
    emon_count(&h->emon, EMON_CACHE_FLUSH_WRITEBACKS, fr.written_back);
    return lat;
}

static struct x86_mem hart_mem(struct x86_hart *h)
{
    return (struct x86_mem){mem_read, mem_write, port_in, port_out, rdmsr,
                            wrmsr,    rdpmc,     flush,   &h->mmu,  h};
}

/* A VM exit (vmx.h): VMCS traffic through the caches, a pipeline flush
 * and the preset's exit latency (vtx.h), counted in EMON and per exit
 * reason. */
static enum step_status vm_exit(struct x86_hart *h, const struct x86_vmexit *e, uint64_t *cycles)
{
    struct x86_mem mem = hart_mem(h);
    struct x86_exec_result r = {0};
    uint32_t eip = h->st.eip;
    enum x86_outcome o = x86_vmx_exit(&h->st, &mem, e, &r);
    uint64_t cost = r.stall + h->bp.penalty + h->vtx.exit_latency;
    *cycles += cost;
    h->exit_cycles += cost;
    emon_count(&h->emon, EMON_VM_EXITS, 1);
    emon_count(&h->emon, EMON_PIPELINE_FLUSHES, 1);
    h->vm_exits++;
    if ((e->reason & 0xFFFF) < VMX_NEXIT_REASONS)
        h->exit_reasons[e->reason & 0xFFFF]++;
    if (o != X86_X_OK) {
        fatal(h, eip, 0, 0, r.reason);
        return STEP_FATAL;
    }
    return STEP_OK;
}

/* Whether an interrupt can be taken now (Vol. 3A 6.8.1, 6.8.3). */
static bool interrupt_ready(const struct x86_hart *h)
{
    return (h->st.eflags & X86_IF) && !h->st.shadow && intc_highest(&h->ic) >= 0;
}

/*
 * Deliver `ev` with the double-fault rules (Vol. 3A 6.15, interrupt 8):
 * a fault while delivering it either makes a double fault or is
 * delivered in its place; a fault while delivering a double fault is a
 * triple fault, which ends the run (the processor would shut down).
 * `ret_eip` is what the first frame saves; events raised by delivery
 * save `insn_eip`, the instruction that was executing (or about to).
 */
static enum step_status take(struct x86_hart *h, struct x86_fault ev, uint32_t ret_eip,
                             uint32_t insn_eip, uint64_t pa, unsigned len, const char *reason,
                             uint64_t *cycles, bool injected)
{
    struct x86_mem mem = hart_mem(h);
    struct x86_fault outer = ev; /* the event whose delivery raised ev */
    char first[96];
    snprintf(first, sizeof(first), "%s", reason);
    for (unsigned tries = 0; tries < 8; tries++) {
        struct x86_exec_result r;
        /* In the guest the exception bitmap (and the PFEC rule) may turn
         * the exception into a VM exit; an event injected by VM entry is
         * delivered without that check (Vol. 3C 26.5.1).  The exit leaves
         * CR2 alone and saves the instruction's EIP (27.1). */
        bool guest_pf = h->st.vmx.guest && !injected && tries == 0 && ev.vector == X86_VEC_PF &&
                        ev.kind == X86_EV_FAULT;
        if (guest_pf) {
            h->pf_raised[ev.error & 15]++;
            h->pf_raised_all++;
        }
        if (h->st.vmx.guest && !injected && x86_vmx_exception_exits(&h->st, &ev)) {
            if (guest_pf) {
                h->pf_exits[ev.error & 15]++;
                h->pf_exits_all++;
            }
            struct x86_vmexit e = x86_vmx_exception_exit(&ev, h->st.cr2, len);
            if (tries > 0) { /* raised while delivering `outer` (27.2.4) */
                e.idt_info = outer.vector | x86_vmx_event_type(&outer) << 8 |
                             (outer.has_error ? 1u << 11 : 0) | 1u << 31;
                e.idt_error = outer.has_error ? outer.error : 0;
                /* ... and a software event's instruction length, so the
                 * VMM can re-inject it or step over it. */
                if (x86_vmx_event_type(&outer) >= 4)
                    e.insn_len = len;
            }
            if (ev.vector == X86_VEC_PF)
                h->st.cr2 = h->cr2_saved;
            h->st.eip = insn_eip;
            return vm_exit(h, &e, cycles);
        }
        if (guest_pf)
            h->pf_direct++;
        injected = false;
        enum x86_outcome o = x86_deliver(&h->st, &mem, &ev, ret_eip, &r);
        *cycles += r.stall;
        if (o == X86_X_OK) {
            if (ev.kind == X86_EV_EXTERNAL)
                h->interrupts++;
            else
                h->exceptions++;
            /* An interruption flushes the pipeline (DESIGN.md 4). */
            *cycles += h->bp.penalty;
            emon_count(&h->emon, EMON_INTERRUPTIONS, 1);
            emon_count(&h->emon, EMON_PIPELINE_FLUSHES, 1);
            return STEP_OK;
        }
        if (o != X86_X_FAULT) {
            fatal(h, insn_eip, pa, len, r.reason);
            return STEP_FATAL;
        }
        if (ev.vector == X86_VEC_DF && ev.kind == X86_EV_FAULT && h->st.vmx.guest) {
            struct x86_vmexit e = {.reason = VMX_EXIT_TRIPLE_FAULT};
            h->st.eip = insn_eip;
            return vm_exit(h, &e, cycles);
        }
        if (ev.vector == X86_VEC_DF && ev.kind == X86_EV_FAULT) {
            char why[160];
            snprintf(why, sizeof(why), "%s; triple fault: %s while delivering #DF", first,
                     r.reason);
            fatal(h, insn_eip, pa, len, why);
            return STEP_FATAL;
        }
        outer = ev;
        if (x86_is_double(&ev, &r.fault)) {
            h->double_faults++;
            ev = (struct x86_fault){X86_VEC_DF, X86_EV_FAULT, true, 0};
        } else {
            ev = r.fault;
        }
        ret_eip = insn_eip;
    }
    fatal(h, insn_eip, pa, len, "exception delivery does not converge");
    return STEP_FATAL;
}

/*
 * The address space of the step's branches, for a VM-tagged BTB: 0 in VMX
 * root operation (or with VMX off), else 1 + the current VMCS's 4-KiB
 * frame number.  The model has no VPID (SDM Vol. 3C 28.1), so the VMCS,
 * one per virtual CPU, is what tells guests apart.
 */
static unsigned btb_vm(const struct x86_hart *h)
{
    return h->step_guest ? 1 + (h->st.vmx.vmcs >> 12) : 0;
}

/* Retired instructions count as guest or hypervisor ones by the mode
 * they ran in (h->step_guest, the mode at the start of the step). */
static void finish(struct x86_hart *h, uint64_t cycles, uint64_t retired, struct step_out *out)
{
    if (h->slots) { /* a hyperthread: the step issues in its core's next free cycle */
        uint64_t wait = smt_issue_claim(h->slots, h->hart.clock);
        cycles += wait;
        emon_count(&h->emon, EMON_STALL_SMT, wait);
    }
    out->cycles = cycles;
    out->retired = retired;
    emon_count(&h->emon, EMON_CYCLES, cycles);
    emon_count(&h->emon, EMON_INSTRUCTIONS, retired);
    emon_count(&h->emon, h->step_guest ? EMON_GUEST_INSTRUCTIONS : EMON_HV_INSTRUCTIONS, retired);
    if (!h->step_guest)
        emon_count(&h->emon, EMON_HV_CYCLES, cycles);
    if (__builtin_expect(h->step_counter_reads != 0, 0)) { /* rare: a step that ran RDPMC */
        emon_count(&h->emon, EMON_COUNTER_READS, h->step_counter_reads);
        emon_count(&h->emon, EMON_COUNTER_READ_CYCLES, cycles);
        h->step_counter_reads = 0;
    }
    if (h->st.cpl != h->emon_cpl || h->st.vmx.guest != h->emon_guest) {
        h->emon_cpl = h->st.cpl;
        h->emon_guest = h->st.vmx.guest;
        emon_set_mode(&h->emon, h->st.cpl == 0, h->st.vmx.guest);
    }
}

static void preempt_wake(void *ctx, uint64_t now)
{
    struct x86_hart *h = ctx;
    sched_wake(h->sched, h->hart.id, now);
}

/* Exits the guest takes at an instruction boundary before anything else:
 * an external interrupt with external-interrupt exiting (whatever IF says;
 * acknowledged, and its vector reported, with "acknowledge interrupt on
 * exit": Vol. 3C 25.2, 27.2.2) and the VMX-preemption timer reaching 0
 * (25.5.1).  -1 when none. */
static int guest_boundary(struct x86_hart *h, uint64_t *cycles)
{
    struct x86_state *st = &h->st;
    struct x86_vmexit e = {0};
    if ((st->vmx.pin & VMX_PIN_EXTINT) && !st->shadow && intc_highest(&h->ic) >= 0) {
        e.reason = VMX_EXIT_EXTINT;
        if (st->vmx.exit_ctls & VMX_EXIT_ACK_INTR)
            e.intr_info = (uint32_t)intc_ack(&h->ic) | 1u << 31;
    } else if ((st->vmx.pin & VMX_PIN_PREEMPT) && st->tsc >= st->vmx.preempt_deadline) {
        e.reason = VMX_EXIT_PREEMPT;
    } else if ((st->vmx.proc & VMX_PROC_INTR_WINDOW) && (st->eflags & X86_IF) && !st->shadow) {
        /* Interrupt-window exiting (Vol. 3C 25.2): before an instruction
         * when interrupts are open. */
        e.reason = VMX_EXIT_INTR_WINDOW;
    } else {
        return -1;
    }
    return vm_exit(h, &e, cycles);
}

/* A waiting application processor starts on the first IPI it receives,
 * which it consumes (docs/isa-x86.md: no INIT/SIPI, no real mode). */
static bool start_ap(struct x86_hart *h)
{
    struct intc *ic = &h->ic;
    if (!(ic->pending[0] | ic->pending[1] | ic->pending[2] | ic->pending[3]))
        return false;
    memset(ic->pending, 0, sizeof(ic->pending));
    h->boot = true;
    h->starts++;
    return true;
}

static enum step_status step(struct hart *hh, uint64_t now, struct step_out *out)
{
    struct x86_hart *h = (struct x86_hart *)hh;
    if (!h->boot && !start_ap(h)) {
        out->cycles = 1; /* application processors wait for a start IPI */
        return STEP_HALT;
    }
    struct x86_state *st = &h->st;
    st->tsc = now + st->tsc_offset;
    uint64_t cycles = 1;
    enum step_status ss;
    h->step_guest = st->vmx.guest;
    if (st->vmx.guest) {
        h->cr2_saved = st->cr2;
        int g = guest_boundary(h, &cycles);
        if (g >= 0) {
            finish(h, cycles, 0, out);
            return (enum step_status)g;
        }
    }
    if (interrupt_ready(h)) {
        /* The frame of an interrupt taken in hlt saves the EIP after it. */
        int v = intc_ack(&h->ic);
        st->halted = false;
        ss = take(h, (struct x86_fault){(uint8_t)v, X86_EV_EXTERNAL, false, 0}, st->eip, st->eip, 0,
                  0, "external interrupt", &cycles, false);
        finish(h, cycles, 0, out);
        return ss;
    }
    if (st->halted) {
        out->cycles = 1; /* woken with nothing deliverable: sleep on */
        return STEP_HALT;
    }
    st->shadow = false; /* the blocked instruction runs now */

    uint32_t eip = st->eip, lin = st->seg[X86_CS].base + eip, pfec;
    uint64_t pa = lin;
    unsigned fstall = 0;
    struct x86_fault ev = {X86_VEC_GP, X86_EV_FAULT, true, 0};
    const char *why = "#GP: EIP beyond the code segment's limit";
    const struct x86_insn *in = NULL;
    if (eip > st->seg[X86_CS].limit)
        goto fetch_fault;
    if (st->cr0 & X86_CR0_PG) {
        int rc = x86_translate(&h->mmu, st, lin, X86_ACC_X | (st->cpl == 3 ? X86_ACC_U : 0), &pa,
                               &pfec, &fstall);
        if (rc < 0) {
            fatal(h, eip, 0, 0, "page walk outside memory on instruction fetch");
            return STEP_FATAL;
        }
        if (rc > 0) {
            st->cr2 = lin;
            ev = (struct x86_fault){X86_VEC_PF, X86_EV_FAULT, true, pfec};
            why = "#PF: instruction fetch";
            goto fetch_fault;
        }
    }
    in = fetch(h, lin, pa, &ev, &fstall);
    if (!in && ev.vector == 0xFF) {
        fatal(h, eip, pa, 0, "instruction fetch outside memory");
        return STEP_FATAL;
    }
    if (!in) {
        why = "#PF: instruction fetch from the next page";
        goto fetch_fault;
    }
    if ((uint64_t)eip + in->len - 1 > st->seg[X86_CS].limit) {
        ev = (struct x86_fault){X86_VEC_GP, X86_EV_FAULT, true, 0};
        goto fetch_fault;
    }
    fstall += timed(h, pa, in->len, MEM_IFETCH);

    struct x86_mem mem = hart_mem(h);
    struct x86_exec_result r;
    x86_execute(st, in, &mem, &r);
    h->pf_filtered += r.pte_filtered;
    cycles += fstall + r.stall;
    h->fetch_stall += fstall;
    h->data_stall += r.stall;
    emon_count(&h->emon, EMON_STALL_CACHE_MISS, fstall + r.stall);
    if (r.branch) {
        uint64_t hits = h->bp.st.btb_hits;
        bool miss = bpred_resolve(&h->bp, eip, (enum br_kind)r.branch_kind, r.taken, r.target,
                                  eip + in->len, btb_vm(h));
        emon_count(&h->emon, h->bp.st.btb_hits != hits ? EMON_BTB_HITS : EMON_BTB_MISSES, 1);
        if (miss) {
            cycles += h->bp.penalty;
            emon_count(&h->emon, EMON_BR_MISPREDICTS, 1);
            emon_count(&h->emon, EMON_STALL_BRANCH, h->bp.penalty);
        }
    }
    if (r.vmentry) {
        /* VM entry: the VMCS reads went through the caches (r.stall); the
         * switch flushes the pipeline and takes the preset's latency. */
        cycles += h->bp.penalty + h->vtx.entry_latency;
        h->entry_cycles += r.stall + h->bp.penalty + h->vtx.entry_latency;
        h->vm_entries++;
        emon_count(&h->emon, EMON_VM_ENTRIES, 1);
        emon_count(&h->emon, EMON_PIPELINE_FLUSHES, 1);
    }
    if (r.serialize) {
        cycles += h->bp.penalty;
        emon_count(&h->emon, EMON_PIPELINE_FLUSHES, 1);
        emon_count(&h->emon, EMON_STALL_SERIALIZE, h->bp.penalty);
    }
    switch (r.outcome) {
    case X86_X_OK:
        ss = STEP_OK;
        if (r.inject)
            ss = take(h, r.fault, r.inject_eip, st->eip, pa, in->len, "VM-entry injection", &cycles,
                      true);
        break;
    case X86_X_VMEXIT:
        ss = vm_exit(h, &r.exit, &cycles);
        break;
    case X86_X_HALT:
        /* Sleep unless an interrupt is already waiting; a raise on the
         * controller wakes the hart (intc wake -> sched_wake). */
        ss = interrupt_ready(h) ? STEP_OK : STEP_HALT;
        /* A guest halted with the preemption timer running wakes for it. */
        if (ss == STEP_HALT && st->vmx.guest && (st->vmx.pin & VMX_PIN_PREEMPT) && h->sched)
            sched_post(h->sched, st->vmx.preempt_deadline - st->tsc_offset, preempt_wake, h);
        break;
    case X86_X_FAULT:
        ss = take(h, r.fault, st->eip, eip, pa, in->len, r.reason, &cycles, false);
        break;
    default:
        fatal(h, eip, pa, in->len, r.reason);
        ss = STEP_FATAL;
        break;
    }
    finish(h, cycles, r.retired, out);
    return ss;

fetch_fault:
    cycles += fstall;
    ss = take(h, ev, eip, eip, pa, in ? in->len : 0, why, &cycles, false);
    finish(h, cycles, 0, out);
    return ss;
}

static const struct hart_ops x86_ops = {.step = step};

int x86_hart_init(struct x86_hart *h, struct physmem *pm, struct memsys *ms, struct ctl *ctl,
                  unsigned core, bool boot, uint32_t entry, uint32_t mbi,
                  const struct x86_hart_config *c, char *err, size_t errlen)
{
    memset(h, 0, sizeof(*h));
    h->hart.ops = &x86_ops;
    h->hart.impl = h;
    h->pm = pm;
    h->origin = pm ? physmem_origin(pm) : NULL; /* NULL: a hart built without memory (docs) */
    h->ms = ms;
    h->ctl = ctl;
    h->core = core;
    h->boot = boot;
    if (c->vtx)
        h->vtx = *c->vtx;
    x86_state_multiboot(&h->st, entry, mbi);
    if (emon_init(&h->emon, (unsigned)c->emon->counters, (unsigned)c->emon->width, NULL, NULL) !=
        0) {
        snprintf(err, errlen, "machine.emon: bad counter configuration");
        return -1;
    }
    /* Ring 0, host mode: there is no VMX non-root operation yet. */
    emon_set_mode(&h->emon, true, false);
    rng_seed(&h->rng, c->seed ^ (0x9E3779B97F4A7C15ull * (core + 1)));
    if (x86_mmu_init(&h->mmu, c->itlb, c->dtlb, &h->rng, err, errlen) != 0)
        return -1;
    h->mmu.read = walk_read;
    h->mmu.write = walk_write;
    h->mmu.ctx = h;
    h->mmu.emon = &h->emon;
    intc_init(&h->ic, core, wake, h);
    h->st.apic_id = (uint8_t)core;
    if (!boot)
        h->st.apic_base &= ~(uint64_t)(1u << 8); /* BSP flag: the boot hart's only */
    x86_lapic_init(&h->apic, 0, &h->ic);
    return bpred_init(&h->bp, c->bpred, err, errlen);
}

void x86_hart_attach(struct x86_hart *h, struct sched *s, struct ipi_net *ipi)
{
    h->sched = s;
    h->ic.hart = h->hart.id;
    h->st.apic_id = (uint8_t)h->hart.id;
    h->apic.id = h->hart.id;
    x86_lapic_attach(&h->apic, s, ipi);
}

/* cpuN.vmx: entries, exits, and exits per reason the model produces. */
static int vmx_stats(struct x86_hart *h, struct stats_group *v)
{
    if (!v || stats_counter(v, "entries", &h->vm_entries, "events", "VM entries") != 0 ||
        stats_counter(v, "exits", &h->vm_exits, "events", "VM exits") != 0)
        return -1;
    struct stats_group *r = stats_group(v, "exit_reasons", "VM exits by basic exit reason");
    if (!r)
        return -1;
    for (unsigned i = 0; i < VMX_NEXIT_REASONS; i++) {
        const char *n = x86_vmx_exit_name(i);
        if (n && stats_counter(r, n, &h->exit_reasons[i], "events",
                               "VM exits with this basic reason (Intel SDM Vol. 3C App. C)") != 0)
            return -1;
    }
    if (stats_counter(v, "exit_cycles", &h->exit_cycles, "cycles",
                      "cycles VM exits cost: VMCS accesses, pipeline flush, exit latency") != 0 ||
        stats_counter(v, "entry_cycles", &h->entry_cycles, "cycles",
                      "cycles VM entries cost: VMCS accesses, pipeline flush, entry latency") != 0)
        return -1;
    /* Guest page faults and the filter's decisions (seed 002). */
    struct stats_group *p = stats_group(v, "pf", "page faults raised in VMX non-root operation");
    if (!p || stats_counter(p, "raised", &h->pf_raised_all, "faults", "guest page faults") != 0 ||
        stats_counter(p, "exits", &h->pf_exits_all, "faults",
                      "guest page faults that caused a VM exit") != 0 ||
        stats_counter(p, "direct", &h->pf_direct, "faults",
                      "guest page faults delivered through the guest's IDT, no exit") != 0 ||
        stats_counter(p, "filtered_writes", &h->pf_filtered, "writes",
                      "guest writes the fault-filtering criteria completed: no fault, no exit") !=
            0)
        return -1;
    for (unsigned ec = 0; ec < 16; ec++) {
        char n[16];
        snprintf(n, sizeof(n), "raised_ec%u", ec);
        if (stats_counter(p, n, &h->pf_raised[ec], "faults",
                          "guest page faults with this error code (bits P, W/R, U/S, RSVD)") != 0)
            return -1;
        snprintf(n, sizeof(n), "exits_ec%u", ec);
        if (stats_counter(p, n, &h->pf_exits[ec], "faults",
                          "guest page faults with this error code that exited") != 0)
            return -1;
    }
    return 0;
}

int x86_hart_register_stats(struct x86_hart *h, struct stats_group *g)
{
    if (!g || emon_register_stats(&h->emon, g) != 0 ||
        bpred_register_stats(&h->bp, stats_group(g, "bpred", "branch prediction")) != 0)
        return -1;
    struct stats_group *f = stats_group(g, "frontend", "fetch and decode");
    if (!f ||
        stats_counter(f, "decodes", &h->decodes, "instructions",
                      "instructions decoded (decode-cache misses)") != 0 ||
        stats_counter(f, "fetch_stall", &h->fetch_stall, "cycles",
                      "cycles waiting for instruction bytes beyond an L1I hit") != 0 ||
        stats_counter(f, "data_stall", &h->data_stall, "cycles",
                      "cycles waiting for data beyond an L1D hit") != 0 ||
        stats_counter(f, "ports_ignored", &h->port_ignored, "accesses",
                      "I/O port accesses no device serves") != 0)
        return -1;
    struct stats_group *e = stats_group(g, "events", "exceptions and interrupts delivered");
    if (!e ||
        stats_counter(e, "exceptions", &h->exceptions, "events",
                      "exceptions delivered through the IDT (faults, traps, int n)") != 0 ||
        stats_counter(e, "interrupts", &h->interrupts, "events",
                      "external interrupts delivered through the IDT") != 0 ||
        stats_counter(e, "double_faults", &h->double_faults, "events",
                      "double faults raised by a fault during delivery") != 0 ||
        vmx_stats(h, stats_group(g, "vmx", "VT-x transitions")) != 0 ||
        stats_counter(e, "starts", &h->starts, "events",
                      "start IPIs that began an application processor") != 0 ||
        intc_register_stats(&h->ic, stats_group(g, "intc", "interrupt controller")) != 0 ||
        x86_lapic_register_stats(&h->apic, stats_group(g, "lapic", "local APIC")) != 0 ||
        x86_mmu_register_stats(&h->mmu, g) != 0)
        return -1;
    return 0;
}

void x86_hart_free(struct x86_hart *h)
{
    bpred_free(&h->bp);
    x86_mmu_free(&h->mmu);
}

void x86_hart_invalidate(struct x86_hart *h, uint64_t page_addr)
{
    /* Instructions starting up to 14 bytes before the page reach into it. */
    uint64_t from = page_addr >= X86_MAX_LEN - 1 ? page_addr - (X86_MAX_LEN - 1) : 0;
    for (uint64_t a = from; a < page_addr + PM_PAGE_SIZE; a++) {
        unsigned idx = (unsigned)a & (X86_DCACHE_SLOTS - 1);
        if (h->dc[idx].addr == a + 1)
            h->dc[idx].addr = 0;
    }
}
