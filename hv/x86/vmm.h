/*
 * vmm.h - the parts of the IA-32 hypervisor and how they call each other.
 */
#ifndef VTSIM_HV_X86_VMM_H
#define VTSIM_HV_X86_VMM_H

#include "bootinfo.h"

/* Run the VMs of the boot-info block until they have all ended. */
__attribute__((noreturn)) void vmm_run(const struct xbi *bi);

#endif
