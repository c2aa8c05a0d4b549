/*
 * bootinfo_ia64.h - how the ia64 front end starts a hypervisor: its image
 * at its physical addresses, each VM's memory as a block of machine memory
 * with the guest image inside it, and the boot-info block that tells the
 * hypervisor where everything is and which policy the study chose.
 *
 * The block's layout is the contract with hv/ia64 (hv/ia64/bootinfo.inc
 * names the same offsets); docs/studies/emulation-patch.md describes it.
 */
#ifndef VTSIM_SIM_BOOTINFO_IA64_H
#define VTSIM_SIM_BOOTINFO_IA64_H

#include <stddef.h>
#include <stdint.h>

#include "model/platform/physmem.h"
#include "sim/schema.h"

#define BI_ADDR     0x1000ull             /* physical address of the block */
#define BI_MAGIC    0x31494f424d495356ull /* "VSIMBOI1" */
#define BI_VM_BASE  256                   /* offset of the VM table */
#define BI_VM_SIZE  64                    /* bytes per VM entry */
#define BI_VM_ALIGN (16ull << 20)         /* VM memory: 16 MiB aligned and sized */
#define BI_VM_FIRST (64ull << 20)         /* where the first VM's memory starts */
/* The hypervisor keeps each VM's machine region ids apart with the VM's
 * number in rid{23:20} (hv/ia64/guestrr.inc), numbers 1-15. */
#define BI_MAX_VMS 15u

/* Load the VMs' images into their memory and write the block.  0, or -1
 * with a reason. */
int bootinfo_ia64_build(const struct study_config *c, struct physmem *pm,
                        const char *const *image_paths, char *err, size_t errlen);

#endif
