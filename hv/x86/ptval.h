/*
 * ptval.h - how the hypervisor keeps a guest inside its partition while
 * the guest's own page tables run on the hardware (seed 002 [0070]): it
 * validates every page-table page the guest installs (a present entry may
 * map only frames of the guest's own partition) and keeps page-table pages
 * write-protected, so every edit of them faults and comes here.
 *
 * Write protection:
 *  - a PTE that maps a page-table frame (a page table or the page
 *    directory) as data is stored with R/W clear;
 *  - a PDE that points at the page directory itself (the self-map of
 *    [0071]-[0074]) is stored with R/W clear, which makes the whole
 *    self-map window read-only: edits through it fault.
 * Simplifications: a frame once used as a page table stays one (later
 * writes to it are validated as entries); a 4 MiB page may not cover a
 * page-table frame (refused); one page directory per VM is tracked.
 *
 * Pure C over a pointer to the partition: the simulator's unit tests run
 * it on the host.
 */
#ifndef VTSIM_HV_X86_PTVAL_H
#define VTSIM_HV_X86_PTVAL_H

#include <stdint.h>

#define PTV_P   0x001u
#define PTV_RW  0x002u
#define PTV_PS  0x080u
#define PTV_PFN 0xFFFFF000u

struct ptv {
    uint8_t *mem;        /* the partition as the hypervisor addresses it */
    uint32_t base, size; /* its machine range */
    uint8_t *is_pt;      /* one byte per frame of the partition: a page-table frame */
    uint32_t pd;         /* machine address of the page directory, 0 before the first CR3 */
    /* what it did, for the hypervisor's report */
    uint32_t tables_validated, entries_forced_ro, writes_refused;
};

/* What a guest entry write becomes. */
enum ptv_verdict {
    PTV_STORE,  /* store *out (the value, R/W perhaps cleared) */
    PTV_REFUSE, /* it would map memory outside the partition */
};

/* Set up for a partition; `is_pt` has size / 4096 bytes. */
void ptv_init(struct ptv *v, uint8_t *mem, uint32_t base, uint32_t size, uint8_t *is_pt);

/* The guest loads CR3: validate the page directory and every page table it
 * references, clearing R/W where the rules above ask.  0, or -1 when the
 * directory or an entry maps outside the partition (nothing is changed
 * then). */
int ptv_load_cr3(struct ptv *v, uint32_t cr3);

/* Whether machine address `pa` lies in a page-table frame of this VM. */
int ptv_is_table(const struct ptv *v, uint32_t pa);

/* A guest write of the 32-bit value `val` over the entry at machine
 * address `pa` (4-byte aligned, in a page-table frame).  A new page table
 * referenced by a PDE is validated first. */
enum ptv_verdict ptv_entry_write(struct ptv *v, uint32_t pa, uint32_t val, uint32_t *out);

#endif
