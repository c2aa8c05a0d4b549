/*
 * vmx.h - VT-x on the IA-32 hart: what the hart calls around the
 * instructions (exec_impl.h has the instructions themselves).
 *
 * Root operation runs the hypervisor; VMLAUNCH/VMRESUME load the guest
 * state from the current VMCS (model/vmcs/vmcs.h) and enter non-root
 * operation; a VM exit saves the guest state there, records reason,
 * qualification and event information, and loads the host state.  Every
 * VMCS access goes through the hart's memory callbacks, so the cache
 * model times it.  Without VPIDs both transitions flush the TLBs (Intel
 * SDM Vol. 3C 28.3.3.1).  Simplifications: docs/isa-x86.md.
 */
#ifndef VTSIM_MODEL_CPU_X86_VMX_H
#define VTSIM_MODEL_CPU_X86_VMX_H

#include "model/cpu/x86/exec.h"
#include "model/vmcs/vmcs.h"

/* A VMCS field of the VMCS at `vmcs` through mem: 0, or -1 outside
 * memory.  64-bit fields: the low dword (slot + 4 is the high one). */
static inline int x86_vmcs_get(const struct x86_mem *mem, uint32_t vmcs, enum vmcs_field f,
                               uint32_t *v, unsigned *stall)
{
    return mem->read(mem->ctx, (uint64_t)vmcs + VMCS_SLOT_OFF(f), 4, v, stall);
}
static inline int x86_vmcs_put(const struct x86_mem *mem, uint32_t vmcs, enum vmcs_field f,
                               uint32_t v, unsigned *stall)
{
    return mem->write(mem->ctx, (uint64_t)vmcs + VMCS_SLOT_OFF(f), 4, v, stall);
}

/* Perform the VM exit `e` from the guest (or, with VMX_EXIT_ENTRY_FAIL,
 * from a VM entry whose guest-state checks failed: no guest state is
 * saved).  X86_X_OK, or X86_X_MEMORY with res->reason when the VMCS is
 * outside memory. */
enum x86_outcome x86_vmx_exit(struct x86_state *st, const struct x86_mem *mem,
                              const struct x86_vmexit *e, struct x86_exec_result *res);

/* Whether the exception `f`, raised in the guest, causes a VM exit by the
 * exception bitmap (with the PFEC rule for #PF); software interrupts
 * (int n) never do (Vol. 3C 25.2). */
bool x86_vmx_exception_exits(const struct x86_state *st, const struct x86_fault *f);
/* The exit information of exception `f` (Vol. 3C 24.9.2, Table 24-15):
 * reason 0, interruption information and error code, the instruction
 * length for software exceptions, and for #PF the faulting address. */
struct x86_vmexit x86_vmx_exception_exit(const struct x86_fault *f, uint32_t cr2, unsigned len);

/* The VMX capability MSRs and IA32_FEATURE_CONTROL (Vol. 3D Appendix A):
 * 0 with the value, or -1 for an MSR that is not one of them. */
int x86_vmx_rdmsr(uint32_t msr, uint64_t *val);

/* Whether a control value respects the allowed settings of capability
 * MSR `msr` (0x481-0x484). */
bool x86_vmx_ctl_ok(uint32_t msr, uint32_t ctl);
/* The interruption type of an event (Vol. 3C 24.9.2): 0 external, 2 NMI,
 * 3 hardware exception, 4 software interrupt, 5 int1, 6 int3/into. */
uint32_t x86_vmx_event_type(const struct x86_fault *f);

/* Names of the exit reasons the model produces, for stats ("cpuid",
 * "io", ...); NULL for the others. */
const char *x86_vmx_exit_name(unsigned reason);

#endif
