/*
 * ptval.c - validation and write protection of a guest's page tables
 * (see ptval.h).  Entry formats: SDM Vol. 3A 4.3, Tables 4-4 to 4-6
 * (32-bit paging; a PDE with PS maps 4 MiB when CR4.PSE is set).
 */
#include "ptval.h"

#define FRAME     4096u
#define LARGE     (4u << 20)
#define LARGE_PFN 0xFFC00000u
#define ENTRIES   1024u

static int inside(const struct ptv *v, uint32_t pa, uint32_t len)
{
    return pa >= v->base && pa - v->base <= v->size && len <= v->size - (pa - v->base);
}

static uint32_t *entry(const struct ptv *v, uint32_t pa)
{
    return (uint32_t *)(void *)(v->mem + (pa - v->base));
}

static int frame_is_pt(const struct ptv *v, uint32_t pa)
{
    return v->is_pt[(pa - v->base) / FRAME];
}

void ptv_init(struct ptv *v, uint8_t *mem, uint32_t base, uint32_t size, uint8_t *is_pt)
{
    *v = (struct ptv){.mem = mem, .base = base, .size = size, .is_pt = is_pt};
    for (uint32_t i = 0; i < size / FRAME; i++)
        is_pt[i] = 0;
}

int ptv_is_table(const struct ptv *v, uint32_t pa)
{
    return inside(v, pa, 4) && frame_is_pt(v, pa);
}

/* Clear R/W of *e, counting it when it was set. */
static void force_ro(struct ptv *v, uint32_t *e)
{
    if (*e & PTV_RW) {
        *e &= ~PTV_RW;
        v->entries_forced_ro++;
    }
}

/* A 4 MiB page must lie in the partition and cover no page-table frame. */
static int large_ok(const struct ptv *v, uint32_t pde)
{
    uint32_t b = pde & LARGE_PFN;
    if (!inside(v, b, LARGE))
        return 0;
    for (uint32_t f = b; f - b < LARGE; f += FRAME)
        if (frame_is_pt(v, f))
            return 0;
    return 1;
}

/* The value a PTE is stored with: 0 and *out, or -1 when it maps outside
 * the partition. */
static int pte_value(struct ptv *v, uint32_t val, uint32_t *out)
{
    *out = val;
    if (!(val & PTV_P))
        return 0;
    if (!inside(v, val & PTV_PFN, FRAME))
        return -1;
    if (frame_is_pt(v, val & PTV_PFN) && (val & PTV_RW)) {
        *out = val & ~PTV_RW;
        v->entries_forced_ro++;
    }
    return 0;
}

/* Every present PTE of table `t` in the partition: 0, or -1. */
static int table_inside(const struct ptv *v, uint32_t t)
{
    const uint32_t *e = entry(v, t);
    for (uint32_t i = 0; i < ENTRIES; i++)
        if ((e[i] & PTV_P) && !inside(v, e[i] & PTV_PFN, FRAME))
            return -1;
    return 0;
}

/* Clear R/W in every PTE of table `t` that maps a page-table frame. */
static void protect_table(struct ptv *v, uint32_t t)
{
    uint32_t *e = entry(v, t);
    for (uint32_t i = 0; i < ENTRIES; i++)
        if ((e[i] & PTV_P) && frame_is_pt(v, e[i] & PTV_PFN))
            force_ro(v, &e[i]);
}

static int is_table_pde(uint32_t pde)
{
    return (pde & PTV_P) && !(pde & PTV_PS);
}

int ptv_load_cr3(struct ptv *v, uint32_t cr3)
{
    uint32_t pd = cr3 & PTV_PFN;
    if (!inside(v, pd, FRAME))
        return -1;
    uint32_t *d = entry(v, pd);
    /* Check everything before marking anything. */
    for (uint32_t i = 0; i < ENTRIES; i++) {
        if (!(d[i] & PTV_P))
            continue;
        if (d[i] & PTV_PS) {
            if (!inside(v, d[i] & LARGE_PFN, LARGE))
                return -1;
        } else if (!inside(v, d[i] & PTV_PFN, FRAME) ||
                   ((d[i] & PTV_PFN) != pd && table_inside(v, d[i] & PTV_PFN) != 0)) {
            return -1;
        }
    }
    v->is_pt[(pd - v->base) / FRAME] = 1;
    for (uint32_t i = 0; i < ENTRIES; i++)
        if (is_table_pde(d[i]))
            v->is_pt[((d[i] & PTV_PFN) - v->base) / FRAME] = 1;
    for (uint32_t i = 0; i < ENTRIES; i++) {
        if ((d[i] & PTV_P) && (d[i] & PTV_PS) && !large_ok(v, d[i]))
            return -1;
        if (!is_table_pde(d[i]))
            continue;
        uint32_t t = d[i] & PTV_PFN;
        if (t == pd) {
            force_ro(v, &d[i]); /* the self-map: its window becomes read-only */
        } else {
            protect_table(v, t);
            v->tables_validated++;
        }
    }
    v->pd = pd;
    return 0;
}

/* A PDE now points at a frame that was not a page table: check it, make it
 * one, and take write access away from every mapping of it as data. */
static int adopt_table(struct ptv *v, uint32_t t)
{
    if (table_inside(v, t) != 0)
        return -1;
    const uint32_t *d = entry(v, v->pd);
    for (uint32_t i = 0; i < ENTRIES; i++) /* a large page over it cannot be protected */
        if ((d[i] & PTV_P) && (d[i] & PTV_PS) && (d[i] & LARGE_PFN) == (t & LARGE_PFN))
            return -1;
    v->is_pt[(t - v->base) / FRAME] = 1;
    protect_table(v, t);
    for (uint32_t i = 0; i < ENTRIES; i++)
        if (is_table_pde(d[i]) && (d[i] & PTV_PFN) != v->pd)
            protect_table(v, d[i] & PTV_PFN);
    v->tables_validated++;
    return 0;
}

enum ptv_verdict ptv_entry_write(struct ptv *v, uint32_t pa, uint32_t val, uint32_t *out)
{
    int pde = v->pd && (pa & PTV_PFN) == v->pd;
    /* A PTE, or a PDE that maps nothing: the PTE rules. */
    if (!pde || !(val & PTV_P)) {
        if (pte_value(v, val, out) == 0)
            return PTV_STORE;
        v->writes_refused++;
        return PTV_REFUSE;
    }
    *out = val;
    if (val & PTV_PS) {
        if (large_ok(v, val))
            return PTV_STORE;
        v->writes_refused++;
        return PTV_REFUSE;
    }
    uint32_t t = val & PTV_PFN;
    if (!inside(v, t, FRAME) || (t != v->pd && !frame_is_pt(v, t) && adopt_table(v, t) != 0)) {
        v->writes_refused++;
        return PTV_REFUSE;
    }
    if (t == v->pd && (val & PTV_RW)) {
        *out = val & ~PTV_RW;
        v->entries_forced_ro++;
    }
    return PTV_STORE;
}
