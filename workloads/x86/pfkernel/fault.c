/*
 * fault.c - pfkernel's page-fault handler: counts every fault by its
 * error code (seed 002 [0030]; Intel SDM Vol. 3A 4.7) and per scenario,
 * logs it for the scenario's checks, and fixes its cause through the
 * self-map before resuming the faulting instruction.  A fault no rule
 * explains ends the run (EXIT_FAULT).
 *
 * Rules, by region and by what the entry says (AVL bits 9-11 are the
 * kernel's, SDM Table 4-6):
 *   not present in a demand region  PTE kept its frame: set P (a soft
 *                                   fault); PTE empty: a zeroed frame
 *                                   (and the page table when missing)
 *   write to a PTE marked COW       copy the frame, map the copy RW
 *   write to a PTE marked WWAT      set R/W again
 *   user access to a supervisor     the page is granted to ring 3
 *   page of the USUP region         (U set); the access then completes
 *   reserved bit in the BIG PDE     clear it
 * Raising rights needs no TLB flush for entries that were not present or
 * had a reserved bit (they are never cached, SDM 4.10.2.2), but an entry
 * that was present with fewer rights may be; INVLPG then avoids the
 * spurious fault SDM 4.10.4.3 allows, which would upset the exact counts.
 *
 * RSVD faults are counted with P = 1: a reserved bit is only checked in
 * a present entry, and the SDM reports P = 1 (4.7); QEMU 7.2 reports
 * P = 0, so the count is made the same on both.
 */
#include "kern.h"

struct pf_frame {
    u32 es, ds;
    u32 edi, esi, ebp, esp0, ebx, edx, ecx, eax;
    u32 error, eip, cs, eflags;
};

struct scen_stats scen_stats[SC_N];
enum scen scen_cur;
u32 pf_count[16], pf_total;
u32 pf_log_ec[PF_LOG], pf_log_va[PF_LOG];
u32 pf_window; /* faults since the last checked access began */

void pf_handler(struct pf_frame *f);

static int in(u32 va, u32 base, u32 pages)
{
    return va - base < pages * PAGE;
}

static int demand_region(u32 va)
{
    return in(va, UDEMAND_VA, DEMAND_PAGES) || in(va, KDEMAND_VA, DEMAND_PAGES);
}

static int fix_not_present(u32 va)
{
    if (!demand_region(va))
        return 0;
    u32 old = (*pde_of(va) & PTE_P) ? *pte_of(va) : 0;
    if (old & PTE_PFN) {
        pt_write(pte_of(va), old | PTE_P);
        return 1;
    }
    u32 f = frame_alloc();
    page_zero(f);
    map_page(va, f | PTE_P | PTE_RW | (va < KDEMAND_VA ? PTE_U : 0));
    return 1;
}

static int fix_write(u32 va, u32 old)
{
    if ((old & PTE_COW) && (in(va, UCOW_VA, COW_PAGES) || in(va, KCOW_VA, COW_PAGES))) {
        u32 f = frame_alloc();
        page_copy(f, old & PTE_PFN);
        pt_write(pte_of(va), f | ((old & ~(PTE_PFN | PTE_COW)) | PTE_RW));
        invlpg(va);
        return 1;
    }
    if ((old & PTE_WWAT) && demand_region(va)) {
        pt_write(pte_of(va), (old | PTE_RW) & ~PTE_WWAT);
        invlpg(va);
        return 1;
    }
    return 0;
}

static int fix(u32 va, u32 ec)
{
    if (ec & PF_RSVD) {
        volatile u32 *pde = pde_of(va);
        u32 old = *pde;
        if (!in(va, BIG_VA, BIG_USED / PAGE) || !(old & PTE_PS) || !(old & PDE4M_RSVD))
            return 0;
        pt_write(pde, old & ~PDE4M_RSVD);
        return 1;
    }
    if (!(ec & PF_P))
        return fix_not_present(va);
    u32 old = *pte_of(va);
    if ((ec & PF_U) && !(old & PTE_U)) {
        if (!in(va, USUP_VA, USUP_PAGES))
            return 0;
        pt_write(pte_of(va), old | PTE_U);
        invlpg(va);
        return 1;
    }
    if ((ec & PF_W) && !(old & PTE_RW))
        return fix_write(va, old);
    return 0;
}

void pf_handler(struct pf_frame *f)
{
    static int busy;
    u32 va = read_cr2(), ec = f->error & 15;
    if (ec & PF_RSVD)
        ec |= PF_P;
    if (busy)
        fatal(EXIT_FAULT, "page fault in the page-fault handler at", va, f->eip);
    busy = 1;
    pf_count[ec]++;
    pf_log_ec[pf_total % PF_LOG] = ec;
    pf_log_va[pf_total % PF_LOG] = va;
    pf_total++;
    scen_stats[scen_cur].faults++;
    /* One access takes at most one fault here; a few more mean the fix
     * did not take (a stale translation, a wrong rule): stop, not loop. */
    if (++pf_window > 4)
        fatal(EXIT_FAULT, "page fault repeats at", va, ec);
    if (!fix(va, ec)) {
        con_puts("pfkernel: unexpected page fault error ");
        con_puthex(f->error);
        con_puts(" eip ");
        con_puthex(f->eip);
        con_puts(" cr2 ");
        con_puthex(va);
        con_puts("\n");
        ctl_exit(EXIT_FAULT);
    }
    busy = 0;
}
