/*
 * smp.h - one VM with several virtual CPUs (study 3, seed 004): the
 * global part of the monitor that the virtual CPUs' sub-monitors share
 * ([0052], [0059]-[0063]): the trace subsystem (trace.c), the IPIs that
 * carry its notes and the guest's own IPIs between harts, and the
 * shadow-paging mode (shadow.c) every virtual CPU of such a VM runs in.
 *
 * Virtual CPU i runs on hart i mod harts; with more virtual CPUs than
 * harts a hart's scheduler (sched.c) time-slices its share.  Each virtual
 * CPU has its own VMCS and its own shadow page tables (its derived
 * structures); a guest write to a frame any of them derives from exits,
 * and the writer runs the trace protocol of the study's semantics as the
 * actor.
 */
#ifndef VTSIM_HV_X86_SMP_H
#define VTSIM_HV_X86_SMP_H

#include <stdint.h>

#include "bootinfo.h"
#include "vcpu.h"

/* What a virtual CPU's sub-monitor measured, by its own count. */
struct smp_stats {
    uint64_t trace_event_cycles;    /* from a trace exit to the resume, as the actor */
    uint64_t actor_wait_cycles;     /* waiting for acknowledgements */
    uint64_t consumer_stall_cycles; /* stalled by a bracketing actor */
    uint32_t hv_ipis;               /* IPIs sent to other harts (notes, kicks) */
    uint32_t guest_ipis;            /* guest IPIs delivered (start IPIs included) */
    uint32_t apic_accesses;         /* guest xAPIC accesses emulated */
    uint32_t actor_delays;
    uint32_t shadow_flushes, invlpgs;
    uint32_t protects; /* frames traced elsewhere whose writable leaves it dropped */
    uint32_t code_derived, code_rederived; /* code copies made, and patched from a note's data */
    uint32_t gdt_derived, gdt_lazy; /* guest GDTs taken as primary; descriptors derived at #NP */
};

/* Boot processor, before any other hart starts: the VM's virtual CPUs
 * (vcpus[0..n-1]) and the trace subsystem with the study's semantics. */
void smp_init(const struct xbi *bi, struct vcpu *vcpus, uint32_t n, uint32_t nharts);

/* On its hart, once its VMCS is built: its shadow and start state. */
void smp_vcpu_init(struct vcpu *v);

/* Before each VM entry on v's hart: take the notes and requests for the
 * hart's virtual CPUs, stall while a bracketing actor holds v, find a
 * runnable virtual CPU (v, or another of the hart's; idling until one
 * is), and inject its pending guest interrupt.  Returns the one to enter
 * (its VMCS current). */
struct vcpu *smp_prepare(struct vcpu *v);

/* Whether v can run now (started, not halted). */
int smp_runnable(const struct vcpu *v);

/* Exits of a virtual CPU in shadow-paging mode. */
void smp_page_fault(struct vcpu *v, uint32_t ec, uint32_t la);
void smp_sync_paging(struct vcpu *v, int flush); /* CR0/CR3/CR4 changed */
void smp_invlpg(struct vcpu *v, uint32_t la);
void smp_hlt(struct vcpu *v);
void smp_intr_window(struct vcpu *v);

/* The guest ended: report what every sub-monitor counted to the control
 * device (ctl.hv.*). */
void smp_report(void);

/* A note, a guest IPI or a request is waiting for virtual CPU `to`:
 * interrupt its hart unless that is this one. */
void smp_kick(struct vcpu *from, uint32_t to);

/* The VM's virtual CPU `i`, and how many it has. */
struct vcpu *smp_vcpu(uint32_t i);
uint32_t smp_nvcpus(void);

/* v starts (on) or stops consuming guest frame `frame` as a trace of
 * `type` (enum tr_type); a frame traced for the first time is
 * write-protected in every other shadow. */
void smp_trace_frame(struct vcpu *v, uint32_t frame, unsigned type, int on);

/* sgdt.c: the shadow GDT.  The monitor's page table for the top 4 MiB of
 * v's shadow (its directory entry); before each entry, take a GDT the
 * guest loaded as primary (remap: its tables changed) and point GDTR at
 * the shadow; a GDT note; a #NP with error code `ec`: 0 when it was a
 * descriptor the shadow had invalidated (derived again: restart). */
uint32_t sgdt_pde(const struct vcpu *v);
void sgdt_sync(struct vcpu *v, int remap);
struct tr_note;
void sgdt_consume(struct vcpu *u, const struct tr_note *n);
int sgdt_not_present(struct vcpu *v, uint32_t ec);

/* codecopy.c: per-vCPU copies of guest code frames (CODE traces).  The
 * leaf for `la` was just filled: map v's copy of its frame, deriving one
 * first when v fetches from it; and a CODE note for u. */
void code_map(struct vcpu *v, uint32_t la, int fetch);
void code_consume(struct vcpu *u, const struct tr_note *n);

/* vapic.c: the guest's view of its local APIC. */
int vapic_access(struct vcpu *v, uint32_t gpa); /* 0 handled */
int vapic_pending(const struct vcpu *v);
void vapic_inject(struct vcpu *v);

#endif
