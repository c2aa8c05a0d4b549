/*
 * vcpu.h - one virtual CPU: its VMCS, the guest registers the VMCS does
 * not hold, the guest's view of its control registers (the real ones
 * differ while the hypervisor keeps paging on for it), its page-table
 * validator, and what the hypervisor counted.
 */
#ifndef VTSIM_HV_X86_VCPU_H
#define VTSIM_HV_X86_VCPU_H

#include <stdint.h>

#include "bootinfo.h"
#include "emulate.h"
#include "ptval.h"
#include "shadow.h"

/* What the scheduler's state management unit keeps per VM (sched.c). */
struct vprof {
    uint32_t switched_in; /* rdtsc (low word) when it last started to run */
    uint32_t budget;      /* cycles it may run this quantum */
    uint32_t debt;        /* cycles owed from quanta cut short (payback) */
    uint32_t last_rate;   /* misses per 10,000 instructions over the last tick */
    uint32_t last_btb;    /* BTB hit percent over the last tick */
    uint32_t ticks;       /* ticks in this quantum */
    uint32_t out_rate;    /* miss rate of its last tick when it was last switched out */
    uint32_t quanta;      /* quanta it has ended */
    uint32_t cold,
        warm;        /* history: miss rate in a quantum's first tick and later ones (x16 EWMA) */
    uint64_t pmc[4]; /* counter values at the last tick */
};

struct hsched;
struct smp_stats;

struct vcpu {
    struct em_regs g; /* EAX..EDI (the ESP slot is filled from the VMCS when needed) */
    uint32_t id;      /* the VM's slot in the study (xbi_vm.id): what it reports as */
    const struct xbi_vm *vm;
    uint32_t vmcs_pa;
    int launched;
    uint32_t hart;          /* the hart whose host state its VMCS holds: where it last ran */
    uint32_t cr0, cr3, cr4; /* as the guest wrote them */
    int paging;             /* the guest's CR0.PG: its own tables are live */
    int protect;            /* page tables write-protected (the filter sends their faults here) */
    uint32_t ident_pd;      /* the identity map the guest runs on while its PG is 0 */
    struct ptv pt;
    /* counters, printed when the guest ends */
    uint32_t exits, pf_exits, pt_writes, pf_injected, cr_exits, cpuid_exits;
    uint32_t pf_by_ec[16]; /* #PF exits by error code bits P, W/R, U/S, RSVD */
    struct vprof prof;
    struct hsched *hs; /* the scheduler of the hart it runs on (sched.c) */
    /* One virtual CPU of an SMP VM (study 3, smp.c): shadow paging, a
     * virtual xAPIC, and its part in the trace protocol. */
    int smp;
    uint32_t idx;              /* its number in the VM, and its xAPIC ID */
    volatile uint32_t started; /* an application processor waits for its start IPI */
    uint32_t halted;           /* in HLT: runnable again once an interrupt is pending */
    volatile uint32_t irr[8];  /* guest interrupt vectors pending (any hart sets them) */
    uint32_t apic_icr_hi, apic_svr, apic_tpr;
    struct shadow *sh;
    struct smp_stats *st;
};

/* Handle the exit that just happened; returns the virtual CPU to resume
 * (another one when the scheduler switched). */
struct vcpu *exit_handle(struct vcpu *v, const struct xbi *bi);

/* Make v's VMCS the current one. */
void vcpu_load(struct vcpu *v);

/* Let v's VMCS go from this hart (VMCLEAR: its state is written back and
 * it can be made current on another hart, which launches it afresh: SDM
 * Vol. 3C 24.1, 24.11.1). */
void vcpu_release(struct vcpu *v);

/* The scheduler (sched.c), one instance per hart: set up the hart's
 * timer and counters, take its VMs, or an SMP VM's virtual CPUs, out of
 * the n in vcpus (hart, hart + nharts, ...) and pick
 * the first; on each timer interrupt, decide whether the running one goes
 * on or which of the hart's VMs runs next. */
struct vcpu *sched_start(const struct xbi *bi, struct vcpu *vcpus, uint32_t n, uint32_t hart,
                         uint32_t nharts);
struct vcpu *sched_tick(struct vcpu *v);
/* v cannot run now (a virtual CPU halted or not yet started): switch to
 * another runnable one of its hart, or NULL when there is none. */
struct vcpu *sched_yield(struct vcpu *v);
/* A VM's guest has ended with `status`: take it off its hart's queue and
 * return the VM to run there next.  The last VM of the machine to end
 * ends the run with the OR of all statuses; a hart left with no VM
 * sleeps. */
struct vcpu *sched_retire(struct vcpu *v, uint32_t status);

/* The machine address of guest linear `la` through the guest's own tables
 * (the identity while its paging is off); 0 when not mapped. */
uint32_t vcpu_translate(const struct vcpu *v, uint32_t la);

/* The guest's instruction at its EIP, fetched through its tables: 15
 * bytes, or fewer at the end of what is mapped; the count. */
unsigned vcpu_fetch(struct vcpu *v, uint8_t b[15]);

/* The guest's registers as the emulator wants them (ESP and EFLAGS from
 * the VMCS), and back after an emulated instruction of `len` bytes. */
void vcpu_regs_in(struct vcpu *v);
void vcpu_regs_out(struct vcpu *v, unsigned len);

/* Inject #PF with `ec` at `la` on the next entry. */
void vcpu_inject_pf(struct vcpu *v, uint32_t ec, uint32_t la);

/* Set the real CR0/CR3/CR4 of the guest from its view (paging on or not). */
void vcpu_sync_paging(struct vcpu *v);

/* Print the counters (the guest is ending). */
void vcpu_report(const struct vcpu *v);

#endif
