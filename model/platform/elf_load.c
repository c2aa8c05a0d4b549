/*
 * elf_load.c - ELF32/ELF64 little-endian loader (see elf_load.h).  Field
 * layouts from the System V ABI, "ELF header", "Program header" and
 * "Symbol table" sections; values are read byte by byte so the host's
 * alignment and the file's class never matter.
 */
#include "model/platform/elf_load.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/base/file.h"

#define PT_LOAD    1
#define SHT_SYMTAB 2
#define ET_EXEC    2
#define STT_OBJECT 1
#define STT_FUNC   2
#define MAX_FILE   (256u << 20)

static uint64_t rd(const uint8_t *p, unsigned n)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < n; i++)
        v |= (uint64_t)p[i] << (8 * i);
    return v;
}

/* [off, off+n) inside a buffer of len bytes, without overflow. */
static bool inside(uint64_t off, uint64_t n, size_t len)
{
    return off <= len && n <= len - off;
}

struct hdr {
    bool is64;
    unsigned type, machine;
    uint64_t entry, phoff, shoff;
    unsigned phentsize, phnum, shentsize, shnum;
};

static int parse_header(const uint8_t *b, size_t len, struct hdr *h, char *err, size_t errlen)
{
    if (len < 52 || memcmp(b,
                           "\x7f"
                           "ELF",
                           4) != 0) {
        snprintf(err, errlen, "not an ELF file");
        return -1;
    }
    if (b[4] != 1 && b[4] != 2) {
        snprintf(err, errlen, "unknown ELF class %u", b[4]);
        return -1;
    }
    if (b[5] != 1) {
        snprintf(err, errlen, "only little-endian ELF files are supported");
        return -1;
    }
    h->is64 = b[4] == 2;
    if (h->is64 && len < 64) {
        snprintf(err, errlen, "truncated ELF header");
        return -1;
    }
    h->type = (unsigned)rd(b + 16, 2);
    h->machine = (unsigned)rd(b + 18, 2);
    if (h->is64) {
        h->entry = rd(b + 24, 8);
        h->phoff = rd(b + 32, 8);
        h->shoff = rd(b + 40, 8);
        h->phentsize = (unsigned)rd(b + 54, 2);
        h->phnum = (unsigned)rd(b + 56, 2);
        h->shentsize = (unsigned)rd(b + 58, 2);
        h->shnum = (unsigned)rd(b + 60, 2);
    } else {
        h->entry = rd(b + 24, 4);
        h->phoff = rd(b + 28, 4);
        h->shoff = rd(b + 32, 4);
        h->phentsize = (unsigned)rd(b + 42, 2);
        h->phnum = (unsigned)rd(b + 44, 2);
        h->shentsize = (unsigned)rd(b + 46, 2);
        h->shnum = (unsigned)rd(b + 48, 2);
    }
    if (h->type != ET_EXEC) {
        snprintf(err, errlen, "not an executable (ELF type %u): link the image first", h->type);
        return -1;
    }
    unsigned want = h->is64 ? 56 : 32;
    if (h->phnum == 0 || h->phentsize < want ||
        !inside(h->phoff, (uint64_t)h->phnum * h->phentsize, len)) {
        snprintf(err, errlen, "program headers missing or outside the file");
        return -1;
    }
    return 0;
}

static int load_segments(const uint8_t *b, size_t len, const struct hdr *h, struct physmem *pm,
                         uint64_t offset, struct elf_image *img, char *err, size_t errlen)
{
    img->lo = img->xlo = UINT64_MAX;
    img->hi = img->xhi = 0;
    for (unsigned i = 0; i < h->phnum; i++) {
        const uint8_t *ph = b + h->phoff + (uint64_t)i * h->phentsize;
        uint64_t type = rd(ph, 4), off, paddr, filesz, memsz, flags;
        if (type != PT_LOAD)
            continue;
        flags = h->is64 ? rd(ph + 4, 4) : rd(ph + 24, 4);
        if (h->is64) {
            off = rd(ph + 8, 8);
            paddr = rd(ph + 24, 8);
            filesz = rd(ph + 32, 8);
            memsz = rd(ph + 40, 8);
        } else {
            off = rd(ph + 4, 4);
            paddr = rd(ph + 12, 4);
            filesz = rd(ph + 16, 4);
            memsz = rd(ph + 20, 4);
        }
        if (!inside(off, filesz, len)) {
            snprintf(err, errlen, "segment %u extends past the end of the file", i);
            return -1;
        }
        if (filesz > memsz || paddr + memsz < paddr) {
            snprintf(err, errlen, "segment %u: bad sizes (file %llu, memory %llu)", i,
                     (unsigned long long)filesz, (unsigned long long)memsz);
            return -1;
        }
        if (memsz > MAX_FILE * 16ull) {
            snprintf(err, errlen, "segment %u: %llu bytes is too large", i,
                     (unsigned long long)memsz);
            return -1;
        }
        if (pm && paddr + offset < paddr) {
            snprintf(err, errlen, "segment %u: placed beyond the address space", i);
            return -1;
        }
        if (pm) {
            if (physmem_copy_in(pm, paddr + offset, b + off, filesz) != PM_OK) {
                snprintf(err, errlen, "segment %u: 0x%llx-0x%llx is not in the machine's memory", i,
                         (unsigned long long)paddr, (unsigned long long)(paddr + memsz));
                return -1;
            }
            static const uint8_t zeros[4096];
            for (uint64_t z = filesz; z < memsz;) {
                uint64_t k = memsz - z < sizeof(zeros) ? memsz - z : sizeof(zeros);
                if (physmem_copy_in(pm, paddr + offset + z, zeros, k) != PM_OK) {
                    snprintf(err, errlen,
                             "segment %u: 0x%llx-0x%llx is not in the machine's "
                             "memory",
                             i, (unsigned long long)paddr, (unsigned long long)(paddr + memsz));
                    return -1;
                }
                z += k;
            }
        }
        if (paddr < img->lo)
            img->lo = paddr;
        if (paddr + memsz > img->hi)
            img->hi = paddr + memsz;
        if ((flags & 1) && paddr < img->xlo) /* PF_X */
            img->xlo = paddr;
        if ((flags & 1) && paddr + memsz > img->xhi)
            img->xhi = paddr + memsz;
        img->nsegments++;
    }
    if (!img->nsegments) {
        snprintf(err, errlen, "no loadable segment");
        return -1;
    }
    return 0;
}

static int cmp_sym(const void *a, const void *b)
{
    const struct elf_sym *x = a, *y = b;
    return x->addr < y->addr ? -1 : x->addr > y->addr;
}

/* Symbols are optional: a missing or damaged table only loses names. */
static void load_symbols(const uint8_t *b, size_t len, const struct hdr *h, struct elf_image *img)
{
    unsigned want = h->is64 ? 64 : 40;
    if (!h->shnum || h->shentsize < want ||
        !inside(h->shoff, (uint64_t)h->shnum * h->shentsize, len))
        return;
    for (unsigned i = 0; i < h->shnum; i++) {
        const uint8_t *sh = b + h->shoff + (uint64_t)i * h->shentsize;
        if (rd(sh + 4, 4) != SHT_SYMTAB)
            continue;
        uint64_t off = h->is64 ? rd(sh + 24, 8) : rd(sh + 16, 4);
        uint64_t size = h->is64 ? rd(sh + 32, 8) : rd(sh + 20, 4);
        unsigned link = (unsigned)rd(sh + 40 - (h->is64 ? 0 : 16), 4);
        uint64_t entsize = h->is64 ? rd(sh + 56, 8) : rd(sh + 36, 4);
        if (link >= h->shnum || entsize < (h->is64 ? 24u : 16u) || !inside(off, size, len))
            return;
        const uint8_t *ssh = b + h->shoff + (uint64_t)link * h->shentsize;
        uint64_t soff = h->is64 ? rd(ssh + 24, 8) : rd(ssh + 16, 4);
        uint64_t ssize = h->is64 ? rd(ssh + 32, 8) : rd(ssh + 20, 4);
        if (!inside(soff, ssize, len) || ssize == 0)
            return;
        size_t n = (size_t)(size / entsize);
        img->syms = calloc(n ? n : 1, sizeof(*img->syms));
        if (!img->syms)
            return;
        for (size_t k = 0; k < n; k++) {
            const uint8_t *s = b + off + k * entsize;
            uint64_t name = rd(s, 4), value, sz;
            unsigned info;
            if (h->is64) {
                info = s[4];
                value = rd(s + 8, 8);
                sz = rd(s + 16, 8);
            } else {
                value = rd(s + 4, 4);
                sz = rd(s + 8, 4);
                info = s[12];
            }
            unsigned type = info & 0xf;
            if ((type != STT_FUNC && type != STT_OBJECT && type != 0) || name >= ssize ||
                value == 0)
                continue;
            const char *str = (const char *)b + soff + name;
            size_t maxlen = (size_t)(ssize - name);
            size_t l = strnlen(str, maxlen);
            if (l == 0 || l == maxlen)
                continue;
            img->syms[img->nsyms].name = strndup(str, l);
            if (!img->syms[img->nsyms].name)
                continue;
            img->syms[img->nsyms].addr = value;
            img->syms[img->nsyms].size = sz;
            img->nsyms++;
        }
        if (img->nsyms)
            qsort(img->syms, img->nsyms, sizeof(*img->syms), cmp_sym);
        return;
    }
}

static int load_buffer_at(const uint8_t *buf, size_t len, struct physmem *pm, uint64_t offset,
                          struct elf_image *img, char *err, size_t errlen)
{
    struct hdr h;
    memset(img, 0, sizeof(*img));
    if (!buf || parse_header(buf, len, &h, err, errlen) != 0)
        return -1;
    img->is64 = h.is64;
    img->machine = h.machine;
    img->entry = h.entry;
    if (load_segments(buf, len, &h, pm, offset, img, err, errlen) != 0)
        return -1;
    load_symbols(buf, len, &h, img);
    return 0;
}

int elf_load_buffer(const uint8_t *buf, size_t len, struct physmem *pm, struct elf_image *img,
                    char *err, size_t errlen)
{
    return load_buffer_at(buf, len, pm, 0, img, err, errlen);
}

int elf_load_file(const char *path, struct physmem *pm, struct elf_image *img, char *err,
                  size_t errlen)
{
    return elf_load_file_at(path, pm, 0, img, err, errlen);
}

int elf_load_file_at(const char *path, struct physmem *pm, uint64_t offset, struct elf_image *img,
                     char *err, size_t errlen)
{
    char *buf, e[200];
    size_t n;
    memset(img, 0, sizeof(*img));
    int rc = file_read_all(path, MAX_FILE, &buf, &n);
    if (rc) {
        snprintf(err, errlen, "%s: cannot read: %s", path,
                 rc == EFBIG ? "larger than 256 MiB" : strerror(rc));
        return -1;
    }
    rc = load_buffer_at((const uint8_t *)buf, n, pm, offset, img, e, sizeof(e));
    free(buf);
    if (rc != 0)
        snprintf(err, errlen, "%s: %s", path, e);
    return rc;
}

void elf_image_free(struct elf_image *img)
{
    for (size_t i = 0; i < img->nsyms; i++)
        free(img->syms[i].name);
    free(img->syms);
    memset(img, 0, sizeof(*img));
}

const char *elf_symbolize(const struct elf_image *img, uint64_t addr, uint64_t *off)
{
    const struct elf_sym *best = NULL;
    for (size_t i = 0; i < img->nsyms && img->syms[i].addr <= addr; i++)
        best = &img->syms[i];
    if (!best || (best->size && addr >= best->addr + best->size))
        return NULL;
    *off = addr - best->addr;
    return best->name;
}
