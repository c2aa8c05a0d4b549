/*
 * Page-fault filtering decisions (pf_filter.h).  Each function is the
 * flow chart of one figure of seed 002, block numbers in the comments.
 */
#include "model/vmcs/pf_filter.h"
#include "model/vmcs/vmcs.h"

#define PTE_P   0x1u
#define PTE_RW  0x2u
#define PTE_PFN 0xFFFFF000u

bool pf_filter_exits(const struct pf_filter *f, uint32_t ec)
{
    switch (f->variant) {
    case PF_VARIANT_DUAL:
        /* Fig. 4: 404/406 combine, 408 compares both, 410 exit / 409 inject. */
        return (ec & f->mask) == f->match || (ec & f->mask2) == f->match2;
    case PF_VARIANT_ANYBIT: {
        /* Fig. 5: 508 "any bit of INT1 or INT2 == MATCH"; 510 uses the
         * redirection bit when it holds, 514 its inverse when not. */
        bool hit = (ec & f->mask2) != 0 || (ec & f->mask) == f->match;
        return hit ? f->bit14 : !f->bit14;
    }
    default: {
        /* Fig. 3 and SDM Vol. 3C 25.2: the bit decides on a match, its
         * inverse otherwise. */
        bool hit = (ec & f->mask) == f->match;
        return hit ? f->bit14 : !f->bit14;
    }
    }
}

int64_t pf_self_map_pde_addr(uint32_t cr3, uint32_t ptbase)
{
    if (ptbase & 0x3FFFFFu) /* [0074]: PTBASE[21:0] == 0 */
        return -1;
    return (int64_t)((cr3 & PTE_PFN) + ((ptbase >> 22) << 2));
}

bool pf_self_map_ok(uint32_t cr3, uint32_t pde)
{
    /* [0074]: the entry's PFN is CR3[31:12].  A self-map entry that is not
     * present maps nothing, so it cannot be in use either. */
    return (pde & PTE_P) && (pde & PTE_PFN) == (cr3 & PTE_PFN);
}

bool pf_is_pte_address(uint32_t ptbase, uint32_t la)
{
    /* [0075]: in the table when ADDR[31:22] == PTBASE[31:22]; a PDE when
     * also ADDR[21:12] == PTBASE[31:22]; a PTE otherwise. */
    uint32_t slot = ptbase >> 22;
    return (la >> 22) == slot && ((la >> 12) & 0x3FFu) != slot;
}

bool pf_criteria_allow(unsigned criteria, uint32_t ptbase, uint32_t la, unsigned size, uint32_t old,
                       uint32_t data)
{
    if (criteria != PF_CRITERIA_FIG7 && criteria != PF_CRITERIA_FIG8)
        return false;
    /* 706/806 (a write) is the caller's; a partial or misaligned write has
     * no whole DATA to test, so it is not a PTE write for these rules. */
    if (size != 4 || (la & 3) || !pf_is_pte_address(ptbase, la)) /* 708/808 */
        return false;
    if (!(data & PTE_P)) /* 710/810: not setting P */
        return true;
    if (criteria != PF_CRITERIA_FIG8)
        return false;
    /* Fig. 8, 816-820: already present, same frame, and not adding write
     * access (DATA.R/W == 0 or ADDR->R/W == 1). */
    return (old & PTE_P) && (old & PTE_PFN) == (data & PTE_PFN) &&
           (!(data & PTE_RW) || (old & PTE_RW));
}

/* The SDM's rule on raw VMCS values (vmcs.h): the `single` variant. */
bool vmcs_pf_exits(uint32_t exc_bitmap, uint32_t pfec, uint32_t mask, uint32_t match)
{
    struct pf_filter f = {
        .variant = PF_VARIANT_SINGLE, .bit14 = exc_bitmap >> 14 & 1, .mask = mask, .match = match};
    return pf_filter_exits(&f, pfec);
}
