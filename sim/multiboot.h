/*
 * multiboot.h - what a Multiboot (v1) loader does, for the x86 front end:
 * check an image's header and place its ELF segments, and write the
 * information block a loaded kernel finds through EBX (Multiboot 0.6.96
 * §3.1, §3.3; shared/reference ia32-vtx-facts §9).
 */
#ifndef VTSIM_SIM_MULTIBOOT_H
#define VTSIM_SIM_MULTIBOOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/platform/elf_load.h"
#include "model/platform/physmem.h"

/* Read `path`, check its Multiboot header and that it is an ELF32 i386
 * image, and place its PT_LOAD segments at their physical addresses.  0,
 * or -1 with a reason naming the file. */
int multiboot_load(const char *path, struct physmem *pm, struct elf_image *img, char *err,
                   size_t errlen);

/* Where an information block goes and what it says. */
struct multiboot_info {
    uint32_t info, mmap, name;   /* addresses of the block, its memory map, the loader name */
    const uint64_t (*ranges)[2]; /* RAM ranges for the map: base, length */
    unsigned nranges;
    bool basic;                    /* also mem_lower/mem_upper (flags bit 0) */
    uint32_t mem_lower, mem_upper; /* KiB, with basic */
};

/* Write the block: flags bits 0 (with basic), 6 (the memory map) and 9
 * (boot_loader_name "vtsim").  0, or -1 if memory is missing. */
int multiboot_write_info(struct physmem *pm, const struct multiboot_info *mi);

#endif
