/*
 * checksum.c - the two digests pfkernel ends with, so a run under any
 * filter setting can be compared with a bare-metal run: FNV-1a (32-bit,
 * one 32-bit word per step) over
 *   data    every data-pool frame, free or not, and the touched part of
 *           the 4 MiB page: what the scenarios wrote, where it landed;
 *   tables  the page directory and each page table it points at, in
 *           directory order, through the self-map, with A and D masked
 *           (the processor sets them, SDM Vol. 3A 4.8, and when is not
 *           the same on every implementation) and the self-map entry
 *           taken as empty (a hypervisor may clear its R/W to
 *           write-protect the tables, seed 002 [0076]).
 */
#include "kern.h"

#define FNV_BASIS 2166136261u
#define FNV_PRIME 16777619u

static u32 fnv(u32 h, const volatile u32 *p, u32 words, u32 mask)
{
    for (u32 i = 0; i < words; i++)
        h = (h ^ (p[i] & mask)) * FNV_PRIME;
    return h;
}

u32 checksum_data(void)
{
    u32 h = fnv(FNV_BASIS, (const volatile u32 *)DPOOL_BASE, DPOOL_FRAMES * PAGE / 4, ~0u);
    return fnv(h, (const volatile u32 *)BIG_VA, BIG_USED / 4, ~0u);
}

u32 checksum_tables(void)
{
    const volatile u32 *pd = pde_of(0);
    const u32 mask = ~(PTE_A | PTE_D);
    u32 h = FNV_BASIS;
    for (u32 i = 0; i < 1024; i++) {
        /* The self-map entry counts as empty: the digest is then the same
         * for every PTBASE. */
        u32 e = i == PT_SELF ? 0 : pd[i] & mask;
        h = (h ^ e) * FNV_PRIME;
        if ((e & PTE_P) && !(e & PTE_PS))
            h = fnv(h, pte_of(i << 22), 1024, mask);
    }
    return h;
}
