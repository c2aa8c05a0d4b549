/*
 * scen_demand.c - scenarios 1 and 2 on the two demand-paged regions (the
 * kernel's at KDEMAND_VA, ring 3's at UDEMAND_VA, DEMAND_PAGES each).
 *
 * 1 demand: unmap last round's pages (PTE = 0, INVLPG, frame freed), then
 *   touch every page in an LCG-chosen order, reading (a zeroed page) or
 *   writing: one not-present fault each, error code 0, W (2), U (4) or
 *   W|U (6).  The first fault of a region also makes its page table.
 * 2 ptedit: twelve edits of those PTEs through the self-map, each
 *   followed by the access that shows it took effect:
 *     clear P            then a read or a write: not present (0/2/4/6),
 *                        the handler sets P again (the PTE kept its frame)
 *     clear P, set P     then a read: no fault
 *     clear R/W (+WWAT)  a read passes, a write faults P|W (3) or P|W|U (7)
 *     change PFN         two pages swap frames: each shows the other's data
 *     other bits         toggle AVL bit 11 or G, or clear A and D: no fault
 * One word per page, at an offset chosen per round, is tracked so every
 * access can be checked; the frames swap but the offset is the same.
 */
#include "kern.h"

static u32 shadow[2][DEMAND_PAGES]; /* [0] kernel region, [1] user region */
static u32 toff;                    /* the tracked word's offset this round */

static u32 region(int user)
{
    return user ? UDEMAND_VA : KDEMAND_VA;
}

static u32 va_of(int user, u32 page)
{
    return region(user) + page * PAGE + toff;
}

static u32 sig(u32 round, u32 tag)
{
    return 0xD0000000u | round << 12 | (tag & 0xFFF);
}

static void unmap_all(void)
{
    for (int r = 0; r < 2; r++) {
        for (u32 p = 0; p < DEMAND_PAGES; p++) {
            u32 va = region(r) + p * PAGE, old = *pte_of(va);
            pt_write(pte_of(va), 0);
            invlpg(va);
            frame_free(old & PTE_PFN);
        }
    }
}

void scen_demand(u32 round)
{
    if (round)
        unmap_all();
    toff = (lcg() & 1023) << 2;
    u32 start = lcg() % DEMAND_PAGES, stride = (lcg() % (DEMAND_PAGES / 2)) * 2 + 1;
    for (int r = 0; r < 2; r++) {
        for (u32 i = 0; i < DEMAND_PAGES; i++) {
            /* An odd stride visits every page of a power-of-two region. */
            u32 p = (start + i * stride) % DEMAND_PAGES, va = va_of(r, p);
            u32 s = sig(round, (u32)r << 8 | p), ec = r ? PF_U : 0;
            if (lcg() & 1) {
                access_check(r, 1, va, s, ec | PF_W);
            } else {
                access_check(r, 0, va, 0, ec);
                access_check(r, 1, va, s, NO_FAULT);
            }
            shadow[r][p] = s;
        }
    }
    for (int r = 0; r < 2; r++)
        for (u32 p = 0; p < DEMAND_PAGES; p++)
            access_check(0, 0, va_of(r, p), shadow[r][p], NO_FAULT);
}

static void edit_clear_p(int r, u32 p, u32 s)
{
    u32 va = va_of(r, p), old = *pte_of(va), ec = r ? PF_U : 0;
    pt_write(pte_of(va), old & ~PTE_P);
    invlpg(va);
    if (lcg() & 1) {
        access_check(r, 1, va, s, ec | PF_W);
        shadow[r][p] = s;
    } else {
        access_check(r, 0, va, shadow[r][p], ec);
    }
}

static void edit_clear_set_p(int r, u32 p)
{
    u32 va = va_of(r, p), old = *pte_of(va);
    pt_write(pte_of(va), old & ~PTE_P);
    invlpg(va);
    pt_write(pte_of(va), old | PTE_P);
    access_check(r, 0, va, shadow[r][p], NO_FAULT);
}

static void edit_clear_rw(int r, u32 p, u32 s)
{
    u32 va = va_of(r, p), old = *pte_of(va);
    pt_write(pte_of(va), (old & ~PTE_RW) | PTE_WWAT);
    invlpg(va);
    access_check(r, 0, va, shadow[r][p], NO_FAULT);
    access_check(r, 1, va, s, PF_P | PF_W | (r ? PF_U : 0));
    shadow[r][p] = s;
}

static void edit_swap_pfn(int r, u32 p)
{
    u32 q = (p + 1 + lcg() % (DEMAND_PAGES - 1)) % DEMAND_PAGES;
    u32 va = va_of(r, p), vq = va_of(r, q), op = *pte_of(va), oq = *pte_of(vq);
    pt_write(pte_of(va), (op & ~PTE_PFN) | (oq & PTE_PFN));
    pt_write(pte_of(vq), (oq & ~PTE_PFN) | (op & PTE_PFN));
    invlpg(va);
    invlpg(vq);
    u32 t = shadow[r][p];
    shadow[r][p] = shadow[r][q];
    shadow[r][q] = t;
    access_check(r, 0, va, shadow[r][p], NO_FAULT);
    access_check(r, 0, vq, shadow[r][q], NO_FAULT);
}

/* Bits the processor ignores (AVL, G without CR4.PGE) or sets itself
 * (A, D): no INVLPG, no fault (SDM Vol. 3A Table 4-6, 4.8). */
static void edit_other_bits(int r, u32 p, u32 s)
{
    static const u32 flip[3] = {PTE_AVL2, PTE_G, PTE_A | PTE_D};
    u32 va = va_of(r, p), old = *pte_of(va), k = lcg() % 3;
    pt_write(pte_of(va), k == 2 ? old & ~flip[k] : old ^ flip[k]);
    access_check(r, 0, va, shadow[r][p], NO_FAULT);
    access_check(r, 1, va, s, NO_FAULT);
    shadow[r][p] = s;
}

void scen_ptedit(u32 round)
{
    for (u32 e = 0; e < 12; e++) {
        int r = (int)(lcg() & 1);
        u32 p = lcg() % DEMAND_PAGES, kind = lcg() % 5, s = sig(round, 0x800 | e);
        if (kind == 0)
            edit_clear_p(r, p, s);
        else if (kind == 1)
            edit_clear_set_p(r, p);
        else if (kind == 2)
            edit_clear_rw(r, p, s);
        else if (kind == 3)
            edit_swap_pfn(r, p);
        else
            edit_other_bits(r, p, s);
    }
}
