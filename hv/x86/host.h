/*
 * host.h - the hypervisor's own segments and paging in VMX root
 * operation, and the host-state area they fill in a VMCS.
 */
#ifndef VTSIM_HV_X86_HOST_H
#define VTSIM_HV_X86_HOST_H

#include <stdint.h>

#define HOST_CS 0x08
#define HOST_DS 0x10
#define HOST_TR 0x18 /* hart 0's TSS; hart h's is HOST_TR + 8 * h */

#define HOST_MAX_HARTS 16 /* harts the hypervisor runs on (one VM each at least) */

/* Load the GDT and hart `hart`'s TR, and turn paging on over an identity
 * map.  Hart 0 (the boot processor) builds the GDT, every hart's TSS
 * descriptor and the map first; the others only load them, so hart 0
 * must have run it before it starts them. */
void host_init(uint32_t hart);

/* Write the host-state area of the current VMCS for hart `hart` (all but
 * RSP/RIP, which vmx_enter writes). */
void host_vmcs_state(uint32_t hart);

#endif
