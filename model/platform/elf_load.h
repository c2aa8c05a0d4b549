/*
 * elf_load.h - loading ELF images (firmware, guest kernels, bare-metal
 * programs) into physical memory, for both ISAs: ELF32 and ELF64,
 * little-endian, executable files; PT_LOAD segments are copied to their
 * physical addresses (p_paddr) and zero-filled up to p_memsz.  Symbols are
 * kept for diagnostics only (an IP shown as "name+0x10"); nothing in the
 * simulator uses them to decide anything.
 *
 * Untrusted input: every offset and size is checked, overflow-safe; a
 * malformed file is an error message, never a crash or an out-of-bounds
 * read.
 */
#ifndef VTSIM_MODEL_PLATFORM_ELF_LOAD_H
#define VTSIM_MODEL_PLATFORM_ELF_LOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/platform/physmem.h"

#define ELF_MACHINE_386  3
#define ELF_MACHINE_IA64 50

struct elf_sym {
    uint64_t addr, size;
    char *name;
};

struct elf_image {
    unsigned machine; /* e_machine: ELF_MACHINE_386, ELF_MACHINE_IA64, ... */
    bool is64;
    uint64_t entry;
    uint64_t lo, hi;   /* physical range the PT_LOAD segments cover (as linked) */
    uint64_t xlo, xhi; /* ... and the executable ones (lo > hi: none) */
    unsigned nsegments;
    struct elf_sym *syms; /* function and object symbols, sorted by address */
    size_t nsyms;
};

/*
 * Parse an image in memory and, when pm is not NULL, load its segments.
 * 0, or -1 with a message such as "segment 2 extends past the end of the
 * file" in err.  On success free the image with elf_image_free().
 */
int elf_load_buffer(const uint8_t *buf, size_t len, struct physmem *pm, struct elf_image *img,
                    char *err, size_t errlen);
int elf_load_file(const char *path, struct physmem *pm, struct elf_image *img, char *err,
                  size_t errlen);
/* The same, with every segment placed `offset` bytes above its physical
 * address (a guest's memory inside the machine's); lo/hi stay as linked. */
int elf_load_file_at(const char *path, struct physmem *pm, uint64_t offset, struct elf_image *img,
                     char *err, size_t errlen);
void elf_image_free(struct elf_image *img);

/* The symbol containing addr, with *off the offset into it; NULL if none. */
const char *elf_symbolize(const struct elf_image *img, uint64_t addr, uint64_t *off);

#endif
