/*
 * physmem.c - sparse physical memory and the region map (see physmem.h).
 *
 * Pages: a 3-level table over the 36-bit page number (12 + 12 + 12 bits),
 * each level allocated on first write.  Reads of never-written RAM return
 * zeros without allocating.
 */
#include "model/platform/physmem.h"

#include <stdlib.h>
#include <string.h>

#define LVL_BITS 12
#define LVL_SIZE (1u << LVL_BITS)
#define LVL_MASK (LVL_SIZE - 1)

enum region_kind { R_RAM, R_ROM, R_MMIO };

struct page {
    uint8_t bytes[PM_PAGE_SIZE];
    bool code; /* holds decoded instructions somewhere */
};

struct region {
    uint64_t base, end;
    enum region_kind kind;
    const struct mmio_ops *ops;
    void *ctx;
};

struct physmem {
    struct page ***dir[LVL_SIZE];
    struct region regions[PM_MAX_REGIONS];
    unsigned nregions;
    const struct region *last;
    uint64_t npages;
    pm_code_hook hook;
    void *hook_ctx;
    struct pm_origin origin;
};

struct physmem *physmem_new(void)
{
    return calloc(1, sizeof(struct physmem));
}

struct pm_origin *physmem_origin(struct physmem *pm)
{
    return &pm->origin;
}

void physmem_free(struct physmem *pm)
{
    if (!pm)
        return;
    for (unsigned i = 0; i < LVL_SIZE; i++) {
        if (!pm->dir[i])
            continue;
        for (unsigned j = 0; j < LVL_SIZE; j++) {
            if (!pm->dir[i][j])
                continue;
            for (unsigned k = 0; k < LVL_SIZE; k++)
                free(pm->dir[i][j][k]);
            free(pm->dir[i][j]);
        }
        free(pm->dir[i]);
    }
    free(pm);
}

static int add_region(struct physmem *pm, uint64_t base, uint64_t size, enum region_kind kind,
                      const struct mmio_ops *ops, void *ctx)
{
    uint64_t end = base + size;
    if (size == 0 || end < base || end > (1ull << PM_ADDR_BITS) || pm->nregions == PM_MAX_REGIONS)
        return -1;
    for (unsigned i = 0; i < pm->nregions; i++)
        if (base < pm->regions[i].end && pm->regions[i].base < end)
            return -1;
    pm->regions[pm->nregions++] = (struct region){base, end, kind, ops, ctx};
    return 0;
}

int physmem_add_ram(struct physmem *pm, uint64_t base, uint64_t size)
{
    return add_region(pm, base, size, R_RAM, NULL, NULL);
}

int physmem_add_rom(struct physmem *pm, uint64_t base, uint64_t size)
{
    return add_region(pm, base, size, R_ROM, NULL, NULL);
}

int physmem_add_mmio(struct physmem *pm, uint64_t base, uint64_t size, const struct mmio_ops *ops,
                     void *ctx)
{
    if (!ops || !ops->read || !ops->write)
        return -1;
    return add_region(pm, base, size, R_MMIO, ops, ctx);
}

static const struct region *find(struct physmem *pm, uint64_t addr)
{
    if (pm->last && addr >= pm->last->base && addr < pm->last->end)
        return pm->last;
    for (unsigned i = 0; i < pm->nregions; i++)
        if (addr >= pm->regions[i].base && addr < pm->regions[i].end)
            return pm->last = &pm->regions[i];
    return NULL;
}

/* The page holding addr; allocated when `create`, else NULL if never written. */
static struct page *page_of(struct physmem *pm, uint64_t addr, bool create)
{
    uint64_t pn = addr >> PM_PAGE_SHIFT;
    unsigned i = (unsigned)(pn >> (2 * LVL_BITS)) & LVL_MASK;
    unsigned j = (unsigned)(pn >> LVL_BITS) & LVL_MASK, k = (unsigned)pn & LVL_MASK;
    if (!pm->dir[i]) {
        if (!create || !(pm->dir[i] = calloc(LVL_SIZE, sizeof(*pm->dir[i]))))
            return NULL;
    }
    if (!pm->dir[i][j]) {
        if (!create || !(pm->dir[i][j] = calloc(LVL_SIZE, sizeof(*pm->dir[i][j]))))
            return NULL;
    }
    if (!pm->dir[i][j][k] && create) {
        pm->dir[i][j][k] = calloc(1, sizeof(struct page));
        pm->npages += pm->dir[i][j][k] != NULL;
    }
    return pm->dir[i][j][k];
}

static bool valid_size(unsigned size)
{
    return size == 1 || size == 2 || size == 4 || size == 8;
}

/* RAM/ROM bytes, possibly across pages. */
static enum pm_status mem_read(struct physmem *pm, uint64_t addr, void *dst, size_t n)
{
    uint8_t *d = dst;
    while (n) {
        size_t off = addr & (PM_PAGE_SIZE - 1), k = PM_PAGE_SIZE - off;
        if (k > n)
            k = n;
        struct page *p = page_of(pm, addr, false);
        if (p)
            memcpy(d, p->bytes + off, k);
        else
            memset(d, 0, k);
        d += k;
        addr += k;
        n -= k;
    }
    return PM_OK;
}

static enum pm_status mem_write(struct physmem *pm, uint64_t addr, const void *src, size_t n)
{
    const uint8_t *s = src;
    while (n) {
        size_t off = addr & (PM_PAGE_SIZE - 1), k = PM_PAGE_SIZE - off;
        if (k > n)
            k = n;
        struct page *p = page_of(pm, addr, true);
        if (!p)
            return PM_DEVICE; /* out of host memory */
        if (p->code)
            p->code = pm->hook && pm->hook(pm->hook_ctx, addr, k);
        memcpy(p->bytes + off, s, k);
        s += k;
        addr += k;
        n -= k;
    }
    return PM_OK;
}

/* The whole range [addr, addr+n) in RAM/ROM (one region, or adjacent ones). */
static bool mem_range(struct physmem *pm, uint64_t addr, uint64_t n, bool allow_rom)
{
    while (n) {
        const struct region *r = find(pm, addr);
        if (!r || r->kind == R_MMIO || (r->kind == R_ROM && !allow_rom))
            return false;
        uint64_t k = r->end - addr < n ? r->end - addr : n;
        addr += k;
        n -= k;
    }
    return true;
}

enum pm_status physmem_read(struct physmem *pm, uint64_t addr, unsigned size, uint64_t *val)
{
    *val = 0;
    if (!valid_size(size) || addr + size < addr)
        return PM_UNMAPPED;
    const struct region *r = find(pm, addr);
    if (!r)
        return PM_UNMAPPED;
    if (r->kind == R_MMIO) {
        if (addr + size > r->end)
            return PM_UNMAPPED;
        return r->ops->read(r->ctx, addr - r->base, size, val);
    }
    if (addr + size > r->end && !mem_range(pm, addr, size, true))
        return PM_UNMAPPED;
    uint8_t b[8];
    mem_read(pm, addr, b, size);
    for (unsigned i = 0; i < size; i++)
        *val |= (uint64_t)b[i] << (8 * i);
    return PM_OK;
}

enum pm_status physmem_write(struct physmem *pm, uint64_t addr, unsigned size, uint64_t val)
{
    if (!valid_size(size) || addr + size < addr)
        return PM_UNMAPPED;
    const struct region *r = find(pm, addr);
    if (!r)
        return PM_UNMAPPED;
    if (r->kind == R_MMIO) {
        if (addr + size > r->end)
            return PM_UNMAPPED;
        return r->ops->write(r->ctx, addr - r->base, size, val);
    }
    if (r->kind == R_ROM)
        return PM_ROM_WRITE;
    if (addr + size > r->end && !mem_range(pm, addr, size, false))
        return PM_UNMAPPED;
    uint8_t b[8];
    for (unsigned i = 0; i < size; i++)
        b[i] = (uint8_t)(val >> (8 * i));
    return mem_write(pm, addr, b, size);
}

enum pm_status physmem_copy_in(struct physmem *pm, uint64_t addr, const void *src, size_t n)
{
    if (addr + n < addr || !mem_range(pm, addr, n, true))
        return PM_UNMAPPED;
    return mem_write(pm, addr, src, n);
}

enum pm_status physmem_copy_out(struct physmem *pm, uint64_t addr, void *dst, size_t n)
{
    if (addr + n < addr || !mem_range(pm, addr, n, true))
        return PM_UNMAPPED;
    return mem_read(pm, addr, dst, n);
}

void physmem_set_code_hook(struct physmem *pm, pm_code_hook fn, void *ctx)
{
    pm->hook = fn;
    pm->hook_ctx = ctx;
}

void physmem_mark_code(struct physmem *pm, uint64_t addr)
{
    const struct region *r = find(pm, addr);
    if (!r || r->kind == R_MMIO)
        return;
    struct page *p = page_of(pm, addr, true);
    if (p)
        p->code = true;
}

uint64_t physmem_pages(const struct physmem *pm)
{
    return pm->npages;
}
