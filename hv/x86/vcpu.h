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

struct vcpu {
    struct em_regs g; /* EAX..EDI (the ESP slot is filled from the VMCS when needed) */
    const struct xbi_vm *vm;
    uint32_t vmcs_pa;
    int launched;
    uint32_t cr0, cr3, cr4; /* as the guest wrote them */
    int paging;             /* the guest's CR0.PG: its own tables are live */
    int protect;            /* page tables write-protected (the filter sends their faults here) */
    uint32_t ident_pd;      /* the identity map the guest runs on while its PG is 0 */
    struct ptv pt;
    /* counters, printed when the guest ends */
    uint32_t exits, pf_exits, pt_writes, pf_injected, cr_exits, cpuid_exits;
    uint32_t pf_by_ec[16]; /* #PF exits by error code bits P, W/R, U/S, RSVD */
};

/* Handle the exit that just happened; returns when the guest may resume. */
void exit_handle(struct vcpu *v, const struct xbi *bi);

/* Set the real CR0/CR3/CR4 of the guest from its view (paging on or not). */
void vcpu_sync_paging(struct vcpu *v);

/* Print the counters (the guest is ending). */
void vcpu_report(const struct vcpu *v);

#endif
