/*
 * scen_other.c - scenarios 3 to 5.
 *
 * 3 cow: COW_PAGES kernel and COW_PAGES user pages all map one template
 *   frame read-only with the COW mark; each is read (no fault) or written:
 *   P|W (3) from ring 0, P|W|U (7) from ring 3, and the handler gives the
 *   page its own copy.  The template must be unchanged, the copy must
 *   carry the template's other words.  Next round unmaps them first.
 * 4 usup: USUP_PAGES supervisor pages under a user PDE; each round the
 *   kernel takes ring 3's access away (clear U, INVLPG) and ring 3 reads
 *   (P|U, 5) or writes (P|W|U, 7) them; the handler grants the page to
 *   ring 3 again and the access completes.
 * 5 rsvd: twice a round, bit 21 is set in the 4 MiB PDE of BIG_VA (a
 *   reserved bit, SDM Vol. 3A Table 4-4) and ring 0 or ring 3 reads or
 *   writes the page: P|RSVD (9), with W (11), with U (13), with both (15);
 *   the handler clears the bit.
 */
#include "kern.h"

static u32 tmpl; /* the frame the COW pages share */
static u32 usup_frames[USUP_PAGES];

static u32 sig(u32 round, u32 tag)
{
    return 0xC0000000u | round << 12 | (tag & 0xFFF);
}

static u32 cow_va(int user, u32 page)
{
    return (user ? UCOW_VA : KCOW_VA) + page * PAGE;
}

void scen_cow(u32 round)
{
    if (round == 0)
        tmpl = frame_alloc();
    for (int r = 0; round && r < 2; r++) {
        for (u32 i = 0; i < COW_PAGES; i++) {
            u32 va = cow_va(r, i), old = *pte_of(va);
            pt_write(pte_of(va), 0);
            invlpg(va);
            if ((old & PTE_PFN) != tmpl)
                frame_free(old & PTE_PFN);
        }
    }
    /* New template contents: the tracked word and its partner in the
     * other half of the page. */
    u32 off = (lcg() & 511) << 2, t0 = sig(round, 0x100), t1 = sig(round, 0x200);
    *(volatile u32 *)(tmpl + off) = t0;
    *(volatile u32 *)(tmpl + off + PAGE / 2) = t1;
    for (int r = 0; r < 2; r++)
        for (u32 i = 0; i < COW_PAGES; i++)
            map_page(cow_va(r, i), tmpl | PTE_P | PTE_COW | (r ? PTE_U : 0));
    for (int r = 0; r < 2; r++) {
        for (u32 i = 0; i < COW_PAGES; i++) {
            u32 va = cow_va(r, i) + off;
            if (lcg() % 3 == 0) {
                access_check(r, 0, va, t0, NO_FAULT);
                continue;
            }
            u32 s = sig(round, (u32)r << 8 | i);
            access_check(r, 1, va, s, PF_P | PF_W | (r ? PF_U : 0));
            access_check(0, 0, va, s, NO_FAULT);
            access_check(0, 0, va + PAGE / 2, t1, NO_FAULT);
        }
    }
    access_check(0, 0, tmpl + off, t0, NO_FAULT);
}

void scen_usup(u32 round)
{
    u32 off = (lcg() & 1023) << 2;
    for (u32 i = 0; i < USUP_PAGES; i++) {
        u32 va = USUP_VA + i * PAGE;
        if (round == 0) {
            usup_frames[i] = frame_alloc();
            map_page(va, usup_frames[i] | PTE_P | PTE_RW);
        } else {
            pt_write(pte_of(va), *pte_of(va) & ~PTE_U);
            invlpg(va);
        }
        u32 s = sig(round, 0x300 | i);
        access_check(0, 1, va + off, s, NO_FAULT);
        if (lcg() & 1) {
            u32 s2 = sig(round, 0x400 | i);
            access_check(1, 1, va + off, s2, PF_P | PF_W | PF_U);
            access_check(0, 0, va + off, s2, NO_FAULT);
        } else {
            access_check(1, 0, va + off, s, PF_P | PF_U);
        }
    }
}

void scen_rsvd(u32 round)
{
    volatile u32 *pde = pde_of(BIG_VA);
    for (u32 j = 0; j < 2; j++) {
        u32 va = BIG_VA + ((lcg() % (BIG_USED / 4)) << 2), kind = lcg() & 3;
        int user = (int)(kind & 1), write = (int)(kind >> 1);
        u32 s = sig(round, 0x500 | j), ec = PF_P | PF_RSVD | (user ? PF_U : 0);
        access_check(0, 1, va, s, NO_FAULT);
        pt_write(pde, *pde | PDE4M_RSVD);
        invlpg(va);
        if (write) {
            u32 s2 = sig(round, 0x600 | j);
            access_check(user, 1, va, s2, ec | PF_W);
            access_check(0, 0, va, s2, NO_FAULT);
        } else {
            access_check(user, 0, va, s, ec);
        }
    }
}
