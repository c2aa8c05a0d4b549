/*
 * host.h - the hypervisor's own segments and paging in VMX root
 * operation, and the host-state area they fill in a VMCS.
 */
#ifndef VTSIM_HV_X86_HOST_H
#define VTSIM_HV_X86_HOST_H

#define HOST_CS 0x08
#define HOST_DS 0x10
#define HOST_TR 0x18

/* Load the GDT and TR, and turn paging on over an identity map. */
void host_init(void);

/* Write the host-state area of the current VMCS (all but RSP/RIP, which
 * vmx_enter writes). */
void host_vmcs_state(void);

#endif
