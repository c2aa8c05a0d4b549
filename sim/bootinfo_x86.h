/*
 * bootinfo_x86.h - how the x86 front end starts a hypervisor: the VMs'
 * images loaded at their own (machine = guest-physical) addresses inside
 * 16 MiB-aligned partitions, a Multiboot information block in each
 * partition's last page, and the boot-info block of hv/x86/bootinfo.h.
 */
#ifndef VTSIM_SIM_BOOTINFO_X86_H
#define VTSIM_SIM_BOOTINFO_X86_H

#include <stddef.h>

#include "model/platform/physmem.h"
#include "sim/schema.h"

/* Load the VMs' images and write their Multiboot information and the
 * boot-info block.  0, or -1 with a reason naming the VM. */
int bootinfo_x86_build(const struct study_config *c, struct physmem *pm,
                       const char *const *image_paths, char *err, size_t errlen);

#endif
