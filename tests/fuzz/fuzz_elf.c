/*
 * fuzz_elf.c - fuzz target for the ELF loader: parse and load the bytes
 * into a machine with RAM at 0-16 MiB, then look every symbol up.  Any
 * crash, leak or sanitizer report is a bug.
 */
#include <stdint.h>
#include <stdlib.h>

#include "model/platform/elf_load.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct physmem *pm = physmem_new();
    struct elf_image img;
    char err[256];
    if (!pm)
        return 0;
    physmem_add_ram(pm, 0, 16 << 20);
    if (elf_load_buffer(data, size, pm, &img, err, sizeof(err)) == 0) {
        uint64_t off;
        for (size_t i = 0; i < img.nsyms; i++)
            elf_symbolize(&img, img.syms[i].addr + 1, &off);
        elf_symbolize(&img, img.entry, &off);
        elf_image_free(&img);
    }
    physmem_free(pm);
    return 0;
}
