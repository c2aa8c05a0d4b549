/*
 * shadow.c - shadow page tables for 32-bit paging (see shadow.h).  Entry
 * formats: SDM Vol. 3A 4.3, Tables 4-4 to 4-6; A/D: 4.8; what a TLB may
 * keep and what INVLPG and CR3 loads drop: 4.10.
 */
#include "shadow.h"

#define FRAME     4096u
#define LARGE     (4u << 20)
#define LARGE_PFN 0xFFC00000u
#define ENTRIES   1024u
#define NONE      ((int16_t)-1)

static int inside(const struct shadow *sh, uint32_t pa, uint32_t len)
{
    return pa >= sh->base && pa - sh->base <= sh->size && len <= sh->size - (pa - sh->base);
}

static uint32_t *gentry(const struct shadow *sh, uint32_t pa)
{
    return (uint32_t *)(void *)(sh->mem + (pa - sh->base));
}

static uint32_t *spd(const struct shadow *sh)
{
    return (uint32_t *)(void *)sh->pool;
}

static uint32_t *spt(const struct shadow *sh, int s)
{
    return (uint32_t *)(void *)(sh->pool + (uint32_t)(s + 1) * FRAME);
}

static unsigned bucket(uint32_t frame)
{
    return (frame / FRAME) % SH_RMAP;
}

static void zero_frame(uint32_t *f)
{
    for (uint32_t i = 0; i < ENTRIES; i++)
        f[i] = 0;
}

void sh_init(struct shadow *sh, uint8_t *mem, uint32_t base, uint32_t size, uint8_t *wmap,
             uint8_t *pool, uint32_t pool_pa)
{
    *sh = (struct shadow){.mem = mem,
                          .base = base,
                          .size = size,
                          .wmap = wmap,
                          .pool = pool,
                          .pool_pa = pool_pa,
                          .pse = 1};
    for (uint32_t i = 0; i < size / FRAME; i++)
        wmap[i] = 0;
    for (uint32_t i = 0; i < ENTRIES; i++)
        sh->slot_of[i] = NONE;
    for (int s = 0; s < SH_MAX_PT; s++)
        sh->slot[s] = (struct sh_slot){.pdi = NONE, .next = NONE};
    for (int b = 0; b < SH_RMAP; b++)
        sh->rmap[b] = NONE;
    zero_frame(spd(sh));
}

uint32_t sh_root(const struct shadow *sh)
{
    return sh->pool_pa;
}

/* Whether some live shadow page table derives from guest frame `f`. */
static int rmap_has(const struct shadow *sh, uint32_t f)
{
    for (int s = sh->rmap[bucket(f)]; s != NONE; s = sh->slot[s].next)
        if (sh->slot[s].src == f)
            return 1;
    return 0;
}

int sh_is_source(const struct shadow *sh, uint32_t gpa)
{
    uint32_t f = gpa & SH_PFN;
    return (sh->gpd && f == sh->gpd) || rmap_has(sh, f);
}

static void rmap_unlink(struct shadow *sh, int s)
{
    int16_t *p = &sh->rmap[bucket(sh->slot[s].src)];
    while (*p != NONE && *p != s)
        p = &sh->slot[*p].next;
    if (*p == s)
        *p = sh->slot[s].next;
    sh->slot[s].next = NONE;
}

/* Drop shadow page table `s`: its directory entry, its reverse-map link,
 * and the source, when no other table derives from that frame. */
static void drop_slot(struct shadow *sh, int s)
{
    struct sh_slot *sl = &sh->slot[s];
    spd(sh)[sl->pdi] = 0;
    sh->slot_of[sl->pdi] = NONE;
    sl->pdi = NONE;
    if (sl->src) {
        uint32_t f = sl->src;
        rmap_unlink(sh, s);
        sl->src = 0;
        if (f != sh->gpd && !rmap_has(sh, f) && sh->source)
            sh->source(sh->ctx, f, 0);
    }
}

void sh_flush(struct shadow *sh)
{
    for (int s = 0; s < SH_MAX_PT; s++)
        if (sh->slot[s].pdi != NONE)
            drop_slot(sh, s);
    sh->flushes++;
}

/* Frame `f` became a source: no leaf may map it writable any more.  Only a
 * frame that some leaf mapped writable since it was last scanned needs the
 * scan (wmap). */
static void protect(struct shadow *sh, uint32_t f)
{
    if (sh->source)
        sh->source(sh->ctx, f, 1);
    sh_protect(sh, f);
}

void sh_protect(struct shadow *sh, uint32_t f)
{
    if (f - sh->base >= sh->size || !sh->wmap[(f - sh->base) / FRAME])
        return;
    sh->wmap[(f - sh->base) / FRAME] = 0;
    sh->protect_scans++;
    for (int s = 0; s < SH_MAX_PT; s++) {
        if (sh->slot[s].pdi == NONE)
            continue;
        uint32_t *t = spt(sh, s);
        for (uint32_t i = 0; i < ENTRIES; i++)
            if ((t[i] & (SH_P | SH_RW)) == (SH_P | SH_RW) && (t[i] & SH_PFN) == f) {
                t[i] &= ~SH_RW;
                sh->leaves_protected++;
            }
    }
}

int sh_load_cr3(struct shadow *sh, uint32_t cr3)
{
    uint32_t pd = cr3 & SH_PFN;
    if (!inside(sh, pd, FRAME))
        return -1;
    sh_flush(sh);
    uint32_t old = sh->gpd;
    sh->gpd = pd;
    if (old && old != pd && sh->source)
        sh->source(sh->ctx, old, 0);
    if (old != pd)
        protect(sh, pd);
    return 0;
}

/* A free shadow page table, recycling one round-robin when none is. */
static int alloc_slot(struct shadow *sh)
{
    for (int s = 0; s < SH_MAX_PT; s++)
        if (sh->slot[s].pdi == NONE)
            return s;
    int s = (int)(sh->hand++ % SH_MAX_PT);
    drop_slot(sh, s);
    sh->recycled++;
    return s;
}

/* The shadow page table for directory index `pdi`, derived from guest PDE
 * value `pde`; a table derived from another PDE value is stale (the guest
 * changed the PDE and the change was not yet invalidated) and is rebuilt.
 * A and D are left out of the comparison: the fault path sets them itself
 * (D of a 4 MiB page lives in the PDE). */
static int slot_for(struct shadow *sh, uint32_t pdi, uint32_t pde)
{
    int s = sh->slot_of[pdi];
    if (s != NONE && sh->slot[s].gpde == (pde & ~(SH_A | SH_D)))
        return s;
    if (s != NONE)
        drop_slot(sh, s);
    s = alloc_slot(sh);
    struct sh_slot *sl = &sh->slot[s];
    sl->pdi = (int16_t)pdi;
    sl->gpde = pde & ~(SH_A | SH_D);
    sl->src = 0;
    zero_frame(spt(sh, s));
    if (!(pde & SH_PS) || !sh->pse) {
        uint32_t f = pde & SH_PFN;
        int was = sh_is_source(sh, f);
        sl->src = f;
        sl->next = sh->rmap[bucket(f)];
        sh->rmap[bucket(f)] = (int16_t)s;
        if (!was)
            protect(sh, f);
    }
    sh->slot_of[pdi] = (int16_t)s;
    spd(sh)[pdi] = (sh->pool_pa + (uint32_t)(s + 1) * FRAME) | SH_P | SH_RW | SH_US;
    return s;
}

/* The guest's translation of one linear address. */
struct gwalk {
    uint32_t *pde, *pte; /* pte NULL for a 4 MiB page */
    uint32_t frame;      /* 4 KiB machine frame */
    uint32_t rw, us;     /* combined permissions (SH_RW, SH_US or 0) */
    uint32_t leaf;       /* the entry that maps the frame (PCD/PWT/D) */
};

/* 0: translated; 1: not present (a guest fault); -1: outside the partition. */
static int gwalk(const struct shadow *sh, uint32_t la, struct gwalk *w)
{
    w->pde = gentry(sh, sh->gpd + (la >> 22) * 4);
    w->pte = 0;
    uint32_t pde = *w->pde;
    if (!(pde & SH_P))
        return 1;
    if ((pde & SH_PS) && sh->pse) {
        if (!inside(sh, pde & LARGE_PFN, LARGE))
            return -1;
        w->frame = (pde & LARGE_PFN) + (la & (LARGE - 1) & SH_PFN);
        w->rw = pde & SH_RW;
        w->us = pde & SH_US;
        w->leaf = pde;
        return 0;
    }
    if (!inside(sh, pde & SH_PFN, FRAME))
        return -1;
    w->pte = gentry(sh, (pde & SH_PFN) + ((la >> 12) & (ENTRIES - 1)) * 4);
    uint32_t pte = *w->pte;
    if (!(pte & SH_P))
        return 1;
    if (!inside(sh, pte & SH_PFN, FRAME))
        return -1;
    w->frame = pte & SH_PFN;
    w->rw = pde & pte & SH_RW;
    w->us = pde & pte & SH_US;
    w->leaf = pte;
    return 0;
}

static struct sh_result guest_fault(struct shadow *sh, uint32_t ec)
{
    sh->guest_faults++;
    return (struct sh_result){.v = SH_GUEST, .ec = ec};
}

void sh_reserve_top(struct shadow *sh, uint32_t pde)
{
    sh->top = pde;
    spd(sh)[ENTRIES - 1] = pde;
}

struct sh_result sh_fault(struct shadow *sh, uint32_t la, uint32_t ec)
{
    struct gwalk w;
    if (sh->top && (la >> 22) == ENTRIES - 1)
        return guest_fault(sh, ec & (SH_EC_W | SH_EC_U)); /* the monitor's range */
    if (!sh->gpd)
        return guest_fault(sh, ec & (SH_EC_W | SH_EC_U));
    int r = gwalk(sh, la, &w);
    if (r < 0) {
        sh->refused++;
        return (struct sh_result){.v = SH_REFUSE};
    }
    if (r > 0)
        return guest_fault(sh, ec & (SH_EC_W | SH_EC_U));
    /* SDM 4.6 with CR0.WP = 1: user accesses need U/S; writes need R/W. */
    if (((ec & SH_EC_U) && !w.us) || ((ec & SH_EC_W) && !w.rw))
        return guest_fault(sh, (ec & (SH_EC_W | SH_EC_U)) | SH_EC_P);

    /* The walk the hardware would have done sets A; a write sets D in the
     * entry that maps the frame (SDM 4.8).  The hypervisor's own stores to
     * the guest's tables are the hardware's, not trace events. */
    *w.pde |= SH_A;
    if (w.pte)
        *w.pte |= SH_A;
    uint32_t *leaf = w.pte ? w.pte : w.pde;
    if ((ec & SH_EC_W) && !(*leaf & SH_D)) {
        *leaf |= SH_D;
        sh->dirty_faults++;
    }
    uint32_t pdi = la >> 22;
    int s = slot_for(sh, pdi, *w.pde);
    int traced = sh_is_source(sh, w.frame) || (sh->traced && sh->traced(sh->ctx, w.frame));
    uint32_t e = w.frame | SH_P | w.us | (*leaf & (SH_PWT | SH_PCD));
    if (w.rw && (*leaf & SH_D) && !traced) {
        e |= SH_RW;
        sh->wmap[(w.frame - sh->base) / FRAME] = 1;
    }
    spt(sh, s)[(la >> 12) & (ENTRIES - 1)] = e;
    sh->fills++;
    if ((ec & SH_EC_W) && traced) {
        sh->trace_faults++;
        return (struct sh_result){.v = SH_TRACE, .gpa = w.frame | (la & (FRAME - 1))};
    }
    return (struct sh_result){.v = SH_FIXED};
}

void sh_invlpg(struct shadow *sh, uint32_t la)
{
    uint32_t pdi = la >> 22;
    int s = sh->slot_of[pdi];
    sh->invlpgs++;
    if (s == NONE)
        return;
    uint32_t pde = sh->gpd ? *gentry(sh, sh->gpd + pdi * 4) : 0;
    if (!sh->slot[s].src || sh->slot[s].gpde != (pde & ~(SH_A | SH_D))) {
        drop_slot(sh, s);
        sh->invalidations++;
        return;
    }
    uint32_t *e = &spt(sh, s)[(la >> 12) & (ENTRIES - 1)];
    if (*e & SH_P)
        sh->invalidations++;
    *e = 0;
}

unsigned sh_invalidate_gpa(struct shadow *sh, uint32_t gpa)
{
    uint32_t f = gpa & SH_PFN, idx = (gpa & (FRAME - 1)) / 4;
    unsigned n = 0;
    /* A guest PDE: the shadow page table hanging off it. */
    if (sh->gpd && f == sh->gpd && sh->slot_of[idx] != NONE) {
        drop_slot(sh, sh->slot_of[idx]);
        n++;
    }
    /* A guest PTE: its leaf in every shadow page table derived from the
     * frame (several when guest PDEs alias one table). */
    for (int s = sh->rmap[bucket(f)]; s != NONE; s = sh->slot[s].next) {
        uint32_t *e = &spt(sh, s)[idx];
        if (sh->slot[s].src == f && (*e & SH_P)) {
            *e = 0;
            n++;
        }
    }
    sh->invalidations += n;
    return n;
}

int sh_set_frame(struct shadow *sh, uint32_t la, uint32_t pa)
{
    int s = sh->slot_of[la >> 22];
    if (s == NONE)
        return -1;
    uint32_t *e = &spt(sh, s)[(la >> 12) & (ENTRIES - 1)];
    if (!(*e & SH_P))
        return -1;
    *e = (pa & SH_PFN) | (*e & ~(SH_PFN | SH_RW));
    return 0;
}

int sh_translate(const struct shadow *sh, uint32_t la, int write, int user, uint32_t *pa)
{
    uint32_t pde = spd(sh)[la >> 22];
    if (!(pde & SH_P))
        return -1;
    const uint32_t *t = (const uint32_t *)(const void *)(sh->pool + ((pde & SH_PFN) - sh->pool_pa));
    uint32_t pte = t[(la >> 12) & (ENTRIES - 1)];
    if (!(pte & SH_P) || (write && !(pte & SH_RW)) || (user && !(pte & SH_US)))
        return -1;
    *pa = (pte & SH_PFN) | (la & (FRAME - 1));
    return 0;
}
