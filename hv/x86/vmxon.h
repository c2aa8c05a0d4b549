/*
 * vmxon.h - entering VMX root operation and choosing control values, for
 * the hypervisor and the VMX test monitor alike.
 */
#ifndef VTSIM_HV_X86_VMXON_H
#define VTSIM_HV_X86_VMXON_H

#include <stdint.h>

/* Check CPUID for VMX, set the CR0/CR4 fixed bits and CR4.VMXE, and
 * execute VMXON with hart `hart`'s own region (each logical processor
 * needs one, SDM Vol. 3C 24.11.5; host_init() must have turned paging
 * on).  Stops the run with a message when the processor cannot. */
void vmx_on(uint32_t hart);

/* The VMCS revision identifier (IA32_VMX_BASIC bits 30:0). */
uint32_t vmx_revision(void);

/* A control value: the bits wanted plus the capability MSR's must-be-1
 * bits; a wanted bit the processor does not allow stops the run. */
uint32_t vmx_controls(uint32_t msr, uint32_t want);

#endif
