/*
 * multiboot.c - a Multiboot (v1) loader's work (see multiboot.h).
 */
#include "sim/multiboot.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/base/file.h"

#define MB_HEADER_MAGIC 0x1BADB002u
#define MB_SEARCH       8192 /* the header lies in the first 8 KiB (Multiboot 3.1.1) */
#define MB_AOUT_KLUDGE  (1u << 16)

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* The Multiboot header: magic, flags, checksum with magic + flags +
 * checksum = 0 (mod 2^32), 4-byte aligned in the first 8 KiB (Multiboot
 * 0.6.96 3.1.1-3.1.2).  The a.out kludge (flags bit 16) is not supported:
 * images are ELF.  0, or -1 with a reason. */
static int check_header(const uint8_t *b, size_t n, char *err, size_t errlen)
{
    for (size_t off = 0; off + 12 <= n && off < MB_SEARCH; off += 4) {
        uint32_t magic = le32(b + off), flags = le32(b + off + 4), sum = le32(b + off + 8);
        if (magic != MB_HEADER_MAGIC || magic + flags + sum != 0)
            continue;
        if (flags & MB_AOUT_KLUDGE) {
            snprintf(err, errlen, "multiboot header asks for the a.out kludge (flags bit 16)");
            return -1;
        }
        return 0;
    }
    snprintf(err, errlen, "no multiboot (v1) header in the first 8 KiB");
    return -1;
}

int multiboot_load(const char *path, struct physmem *pm, struct elf_image *img, char *err,
                   size_t errlen)
{
    char *buf, e[200];
    size_t n;
    int rc = file_read_all(path, 256u << 20, &buf, &n);
    if (rc != 0) {
        snprintf(err, errlen, "%s: cannot read: %s", path, strerror(rc));
        return -1;
    }
    rc = -1;
    if (check_header((const uint8_t *)buf, n, e, sizeof(e)) != 0) {
        snprintf(err, errlen, "%s: %s", path, e);
        goto out;
    }
    if (elf_load_buffer((const uint8_t *)buf, n, pm, img, e, sizeof(e)) != 0) {
        snprintf(err, errlen, "%s: %s", path, e);
        goto out;
    }
    if (img->machine != ELF_MACHINE_386 || img->is64) {
        snprintf(err, errlen, "%s: not an IA-32 image (ELF machine %u%s)", path, img->machine,
                 img->is64 ? ", 64-bit" : "");
        goto out;
    }
    if (img->entry > 0xFFFFFFFFu) {
        snprintf(err, errlen, "%s: entry point beyond 4 GiB", path);
        goto out;
    }
    rc = 0;
out:
    free(buf);
    return rc;
}

static int put32(struct physmem *pm, uint64_t a, uint32_t v)
{
    return physmem_write(pm, a, 4, v) == PM_OK ? 0 : -1;
}

/*
 * The information block (Multiboot 0.6.96 3.3; ia32-vtx-facts 9.4): flags
 * bit 0 (mem_lower/mem_upper in KiB), bit 6 (a memory map: one entry per
 * range, each a 4-byte size of 20 then base, length, type 1 = RAM) and
 * bit 9 (boot_loader_name).
 */
int multiboot_write_info(struct physmem *pm, const struct multiboot_info *mi)
{
    static const char name[] = "vtsim";
    uint32_t a = mi->mmap;
    for (unsigned i = 0; i < mi->nranges; i++, a += 24) {
        const uint64_t *r = mi->ranges[i];
        if (put32(pm, a, 20) || put32(pm, a + 4, (uint32_t)r[0]) ||
            put32(pm, a + 8, (uint32_t)(r[0] >> 32)) || put32(pm, a + 12, (uint32_t)r[1]) ||
            put32(pm, a + 16, (uint32_t)(r[1] >> 32)) || put32(pm, a + 20, 1))
            return -1;
    }
    if (physmem_copy_in(pm, mi->name, name, sizeof(name)) != PM_OK)
        return -1;
    uint32_t info[17] = {0};
    info[0] = (mi->basic ? 1u << 0 : 0) | 1u << 6 | 1u << 9;
    info[1] = mi->basic ? mi->mem_lower : 0;
    info[2] = mi->basic ? mi->mem_upper : 0;
    info[11] = a - mi->mmap; /* mmap_length */
    info[12] = mi->mmap;
    info[16] = mi->name;
    for (unsigned i = 0; i < 17; i++)
        if (put32(pm, mi->info + 4 * i, info[i]))
            return -1;
    return 0;
}
