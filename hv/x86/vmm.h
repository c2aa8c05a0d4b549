/*
 * vmm.h - the parts of the IA-32 hypervisor and how they call each other.
 */
#ifndef VTSIM_HV_X86_VMM_H
#define VTSIM_HV_X86_VMM_H

#include "bootinfo.h"

/* On the boot processor: set up VMX, start the application processors
 * that get VMs, and run this hart's VMs until the run ends. */
__attribute__((noreturn)) void vmm_run(const struct xbi *bi);

/* On application processor `hart` (its APIC ID), once vmm_run() has
 * started it: its own VMX root state, then its VMs. */
__attribute__((noreturn)) void vmm_run_ap(uint32_t hart);

#endif
