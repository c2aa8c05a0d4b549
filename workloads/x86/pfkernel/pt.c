/*
 * pt.c - pfkernel's page tables: the initial tables (written physically,
 * before paging), paging on with CR0.WP and CR4.PSE, and the one way
 * every later edit is made: pt_write() on a self-map address, which also
 * counts what the study's fault-filtering criteria would make of the
 * write (seed 002 Fig. 7 [0079], Fig. 8 [0082]-[0083]) and reads the
 * entry back.
 *
 * Initial map (Intel SDM Vol. 3A 4.3, Tables 4-4 to 4-6):
 *   PDE 4 (16-20 MiB)  a page table: the image (text and rodata
 *                      read-only, the ring-3 pages user) and the data pool,
 *                      identity-mapped; the table pool is left out
 *   PDE PTBASE>>22     the page directory itself, supervisor RW: the
 *                      self-map ([0071], [0074])
 *   PDE BIG_VA>>22     a 4 MiB user RW page on BIG_BASE (CR4.PSE)
 * Every other region gets its page table on first use (map_page).
 */
#include "kern.h"

#define CR0_WP  (1u << 16)
#define CR0_PG  (1u << 31)
#define CR4_PSE (1u << 4)

extern char __ro_end[], __utext_start[], __udata_start[], __udata_end[], __image_end[];

void pt_init(void)
{
    u32 *pd = (u32 *)table_alloc(), *pt = (u32 *)table_alloc();
    pd[PART_BASE >> 22] = (u32)pt | PTE_P | PTE_RW | PTE_U;
    for (u32 a = PART_BASE; a < (u32)__image_end; a += PAGE) {
        u32 f = PTE_P;
        if (a >= (u32)__ro_end && !(a >= (u32)__utext_start && a < (u32)__udata_start))
            f |= PTE_RW;
        if (a >= (u32)__utext_start && a < (u32)__udata_end)
            f |= PTE_U;
        pt[(a >> 12) & 1023] = a | f;
    }
    for (u32 a = DPOOL_BASE; a < DPOOL_BASE + DPOOL_FRAMES * PAGE; a += PAGE)
        pt[(a >> 12) & 1023] = a | PTE_P | PTE_RW;
    pd[PT_SELF] = (u32)pd | PTE_P | PTE_RW;
    pd[BIG_VA >> 22] = BIG_BASE | PTE_P | PTE_RW | PTE_U | PTE_PS;

    u32 cr0, cr4;
    __asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
    __asm__ volatile("mov %0, %%cr4" : : "r"(cr4 | CR4_PSE));
    __asm__ volatile("mov %0, %%cr3" : : "r"((u32)pd) : "memory");
    __asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
    __asm__ volatile("mov %0, %%cr0" : : "r"(cr0 | CR0_PG | CR0_WP) : "memory");

    /* The conditions of seed 002 [0074]: the entry at PTBASE[31:22] of the
     * directory holds the directory's own frame. */
    if ((*pde_of(PTBASE) & PTE_PFN) != (u32)pd)
        fatal(EXIT_CHECK, "self-map broken", *pde_of(PTBASE), (u32)pd);
}

void pt_write(volatile u32 *slot, u32 val)
{
    u32 a = (u32)slot;
    if ((a >> 22) != PT_SELF || (a & 3))
        fatal(EXIT_CHECK, "page-table write outside the self-map", a, val);
    struct scen_stats *s = &scen_stats[scen_cur];
    if (((a >> 12) & 1023) == PT_SELF) {
        s->pde_writes++; /* [0075]: ADDR[21:12] == PTBASE[31:22] */
    } else {
        u32 old = *slot;
        s->pte_writes++;
        if (!(val & PTE_P)) {
            s->pte_clear_p++; /* Fig. 7: DATA.P == 0 */
            s->pte_fig8++;
        } else if ((old & PTE_P) && !((old ^ val) & PTE_PFN) &&
                   (!(val & PTE_RW) || (old & PTE_RW))) {
            s->pte_fig8++; /* Fig. 8: present, same PFN, R/W not raised */
        }
    }
    static u32 nwrites;
    if (!DROP_PT_WRITE || ++nwrites != DROP_PT_WRITE)
        *slot = val;
    /* Read it back: a write lost on its way (by a filter that let it
     * neither complete nor exit) shows here, not rounds later.  A and D
     * may have been set by the processor meanwhile (SDM Vol. 3A 4.8). */
    if ((*slot ^ val) & ~(PTE_A | PTE_D))
        fatal(EXIT_CHECK, "page-table write lost at", a, val);
}

/* User regions lie below the kernel ones; their PDEs allow ring 3 and the
 * PTEs decide (SDM Vol. 3A 4.6.1). */
void map_page(u32 va, u32 pte)
{
    volatile u32 *pde = pde_of(va);
    if (!(*pde & PTE_P))
        pt_write(pde, table_alloc() | PTE_P | PTE_RW | (va < KDEMAND_VA ? PTE_U : 0));
    pt_write(pte_of(va), pte);
}
