/*
 * paging.c - the IA-32 two-level walker and its TLBs (see paging.h).
 *
 * Rights (Vol. 3A 4.6.1): a user-mode access needs U/S = 1 in both the
 * PDE and the PTE, and a user write R/W = 1 in both; a supervisor write
 * needs R/W = 1 in both only when CR0.WP is set; reads and fetches are
 * otherwise allowed (32-bit paging has no execute-disable).
 *
 * Simplification: a TLB hit whose cached rights do not allow the access
 * walks again instead of faulting at once.  Hardware may fault on the
 * stale entry and then drop it (Vol. 3A 4.10.4.3), so the result differs
 * only by that spurious fault; QEMU re-walks the same way.
 */
#include "model/cpu/x86/paging.h"

#include <stdio.h>
#include <string.h>

#include "model/base/stats.h"
#include "model/cpu/emon/emon.h"

/* What a TLB entry keeps in attr: the combined rights and the leaf's D. */
#define ATTR_W 1u
#define ATTR_U 2u
#define ATTR_D 4u

int x86_mmu_init(struct x86_mmu *m, const struct tlb_config *itlb, const struct tlb_config *dtlb,
                 struct rng *rng, char *err, size_t errlen)
{
    memset(m, 0, sizeof(*m));
    if (tlb_init(&m->itlb, "itlb", itlb, rng, err, errlen) != 0)
        return -1;
    if (tlb_init(&m->dtlb, "dtlb", dtlb, rng, err, errlen) != 0) {
        tlb_free(&m->itlb);
        return -1;
    }
    return 0;
}

void x86_mmu_free(struct x86_mmu *m)
{
    tlb_free(&m->itlb);
    tlb_free(&m->dtlb);
}

static bool allowed(const struct x86_state *st, unsigned rights, unsigned acc)
{
    if ((acc & X86_ACC_U) && !(rights & ATTR_U))
        return false;
    if (!(acc & X86_ACC_W) || (rights & ATTR_W))
        return true;
    return !(acc & X86_ACC_U) && !(st->cr0 & X86_CR0_WP);
}

static int fault(struct x86_mmu *m, uint32_t lin, unsigned acc, uint32_t bits, uint32_t *pfec)
{
    *pfec = bits | (acc & X86_ACC_W ? X86_PF_W : 0) | (acc & X86_ACC_U ? X86_PF_U : 0);
    m->st.faults++;
    /* A page fault drops the faulting address's translations (Vol. 3A
     * 4.10.4.1), so the handler's fix is seen without invlpg. */
    tlb_purge_range(&m->itlb, lin & ~0xFFFu, 4096, 0, true, true);
    tlb_purge_range(&m->dtlb, lin & ~0xFFFu, 4096, 0, true, true);
    return 1;
}

/* Set `bits` in the entry at pa when they are not set yet. */
static int mark(struct x86_mmu *m, uint64_t pa, uint32_t *e, uint32_t bits, unsigned *cycles)
{
    if ((*e & bits) == bits)
        return 0;
    *e |= bits;
    m->st.ad_updates++;
    return m->write(m->ctx, pa, *e, cycles);
}

/* Walk for lin; on success insert into t and set *pa. */
static int walk(struct x86_mmu *m, const struct x86_state *st, struct tlb *t, uint32_t lin,
                unsigned acc, uint64_t *pa, uint32_t *pfec, unsigned *cycles)
{
    m->st.walks++;
    uint64_t pde_pa = (st->cr3 & 0xFFFFF000u) | (lin >> 22) << 2;
    uint32_t pde, pte;
    if (m->read(m->ctx, pde_pa, &pde, cycles) != 0)
        return -1;
    if (!(pde & X86_PTE_P))
        return fault(m, lin, acc, 0, pfec);
    bool write = acc & X86_ACC_W;
    if ((pde & X86_PTE_PS) && (st->cr4 & X86_CR4_PSE)) {
        if (pde & X86_PDE4M_RSVD)
            return fault(m, lin, acc, X86_PF_P | X86_PF_RSVD, pfec);
        unsigned rights = (pde & X86_PTE_W ? ATTR_W : 0) | (pde & X86_PTE_U ? ATTR_U : 0);
        if (!allowed(st, rights, acc))
            return fault(m, lin, acc, X86_PF_P, pfec);
        if (mark(m, pde_pa, &pde, X86_PTE_A | (write ? X86_PTE_D : 0), cycles) != 0)
            return -1;
        *pa = (pde & 0xFFC00000u) | (lin & 0x3FFFFFu);
        tlb_insert(t, lin, *pa, 22, 0, rights | (pde & X86_PTE_D ? ATTR_D : 0),
                   (pde & X86_PTE_G) && (st->cr4 & X86_CR4_PGE), false);
        return 0;
    }
    uint64_t pte_pa = (pde & 0xFFFFF000u) | ((lin >> 12) & 0x3FF) << 2;
    if (m->read(m->ctx, pte_pa, &pte, cycles) != 0)
        return -1;
    if (!(pte & X86_PTE_P))
        return fault(m, lin, acc, 0, pfec);
    uint32_t both = pde & pte;
    unsigned rights = (both & X86_PTE_W ? ATTR_W : 0) | (both & X86_PTE_U ? ATTR_U : 0);
    if (!allowed(st, rights, acc))
        return fault(m, lin, acc, X86_PF_P, pfec);
    /* Accessed in both levels, dirty in the PTE only (Vol. 3A 4.8). */
    if (mark(m, pde_pa, &pde, X86_PTE_A, cycles) != 0 ||
        mark(m, pte_pa, &pte, X86_PTE_A | (write ? X86_PTE_D : 0), cycles) != 0)
        return -1;
    *pa = (pte & 0xFFFFF000u) | (lin & 0xFFFu);
    tlb_insert(t, lin, *pa, 12, 0, rights | (pte & X86_PTE_D ? ATTR_D : 0),
               (pte & X86_PTE_G) && (st->cr4 & X86_CR4_PGE), false);
    return 0;
}

int x86_translate(struct x86_mmu *m, const struct x86_state *st, uint32_t lin, unsigned acc,
                  uint64_t *pa, uint32_t *pfec, unsigned *cycles)
{
    struct tlb *t = acc & X86_ACC_X ? &m->itlb : &m->dtlb;
    struct tlb_entry *e = tlb_lookup(t, lin, 0);
    *cycles = t->latency;
    if (e && allowed(st, (unsigned)e->attr, acc) && (!(acc & X86_ACC_W) || (e->attr & ATTR_D))) {
        *pa = e->pfn << e->shift | (lin & ((1u << e->shift) - 1));
        return 0;
    }
    if (!e && m->emon)
        emon_count(m->emon, acc & X86_ACC_X ? EMON_ITLB_MISSES : EMON_DTLB_MISSES, 1);
    unsigned before = *cycles;
    int rc = walk(m, st, t, lin, acc, pa, pfec, cycles);
    if (m->emon)
        emon_count(m->emon, EMON_STALL_TLB_MISS, *cycles - before);
    return rc;
}

void x86_mmu_flush(struct x86_mmu *m, bool keep_global)
{
    m->st.flushes++;
    tlb_purge_all(&m->itlb, keep_global);
    tlb_purge_all(&m->dtlb, keep_global);
}

void x86_mmu_invlpg(struct x86_mmu *m, uint32_t lin)
{
    m->st.invlpgs++;
    tlb_purge_range(&m->itlb, lin & ~0xFFFu, 4096, 0, true, true);
    tlb_purge_range(&m->dtlb, lin & ~0xFFFu, 4096, 0, true, true);
}

int x86_mmu_register_stats(struct x86_mmu *m, struct stats_group *g)
{
    struct stats_group *p = stats_group(g, "paging", "the two-level walker and page faults");
    if (!p || tlb_register_stats(&m->itlb, stats_group(g, "itlb", "instruction TLB")) != 0 ||
        tlb_register_stats(&m->dtlb, stats_group(g, "dtlb", "data TLB")) != 0)
        return -1;
    int rc = 0;
    rc |= stats_counter(p, "walks", &m->st.walks, "walks",
                        "page walks (TLB misses, and re-walks for rights or the dirty bit)");
    rc |= stats_counter(p, "faults", &m->st.faults, "faults", "page faults raised");
    rc |= stats_counter(p, "ad_updates", &m->st.ad_updates, "writes",
                        "paging-structure entries written to set accessed or dirty");
    rc |= stats_counter(p, "flushes", &m->st.flushes, "flushes",
                        "TLB flushes by CR3, CR0 or CR4 writes");
    rc |= stats_counter(p, "invlpgs", &m->st.invlpgs, "instructions", "invlpg executed");
    return rc;
}
