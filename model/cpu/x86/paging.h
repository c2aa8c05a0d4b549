/*
 * paging.h - IA-32 32-bit paging for one hart: the two-level walker
 * (4 KiB pages through a page table, 4 MiB pages with CR4.PSE), accessed
 * and dirty updates, the protection rules with CR0.WP, and the ITLB and
 * DTLB on the generic arrays of model/tlb (Intel SDM Vol. 3A 4.3, 4.6,
 * 4.8, 4.10).
 *
 * The walker reads and writes paging-structure entries through callbacks
 * that go through the cache model (the hart charges them as MEM_WALK
 * accesses); their cycles are added to the caller's stall.  A TLB entry
 * caches the combined rights of both levels and whether the leaf's dirty
 * bit is known to be set, so a first write through a clean entry walks
 * again to set it (Vol. 3A 4.8).
 *
 * Hot: x86_translate() on every access with CR0.PG set; a TLB hit with
 * sufficient rights is one array probe.
 */
#ifndef VTSIM_MODEL_CPU_X86_PAGING_H
#define VTSIM_MODEL_CPU_X86_PAGING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/base/rng.h"
#include "model/cpu/x86/state.h"
#include "model/tlb/tlb.h"

struct emon;
struct stats_group;

/* Access kinds, combinable. */
enum {
    X86_ACC_W = 1, /* a write (a read otherwise) */
    X86_ACC_U = 2, /* a user-mode access: CPL 3 and not an implicit supervisor access */
    X86_ACC_X = 4, /* an instruction fetch (through the ITLB) */
};

/* Page-fault error code bits (Vol. 3A 4.7, Figure 4-12). */
#define X86_PF_P    1u /* 1: protection violation; 0: not present */
#define X86_PF_W    2u
#define X86_PF_U    4u
#define X86_PF_RSVD 8u

/* Paging-structure entry bits (Vol. 3A Tables 4-4 to 4-6). */
#define X86_PTE_P  0x001u
#define X86_PTE_W  0x002u
#define X86_PTE_U  0x004u
#define X86_PTE_A  0x020u
#define X86_PTE_D  0x040u
#define X86_PTE_PS 0x080u
#define X86_PTE_G  0x100u
/* A 4 MiB PDE: bits 21:13 are reserved when PSE-36 is not reported (M =
 * 32, Vol. 3A 4.3 and Table 4-4; CPUID leaf 1 EDX bit 17 is clear). */
#define X86_PDE4M_RSVD 0x003FE000u

struct x86_mmu_stats {
    uint64_t walks;      /* walks started (TLB misses, and rights or dirty re-walks) */
    uint64_t faults;     /* page faults raised */
    uint64_t ad_updates; /* entries written to set A or D */
    uint64_t flushes;    /* CR3/CR0/CR4 writes that flushed the TLBs */
    uint64_t invlpgs;
};

struct x86_mmu {
    struct tlb itlb, dtlb;
    /* Read or write a 4-byte paging-structure entry at pa through the
     * cache model: 0 and the cycles it took added to *cycles, or -1 when
     * pa is outside memory. */
    int (*read)(void *ctx, uint64_t pa, uint32_t *val, unsigned *cycles);
    int (*write)(void *ctx, uint64_t pa, uint32_t val, unsigned *cycles);
    void *ctx;
    struct emon *emon; /* ITLB/DTLB misses and walk stalls are counted here; may be NULL */
    struct x86_mmu_stats st;
};

/* 0, or -1 with a reason (bad TLB geometry). */
int x86_mmu_init(struct x86_mmu *m, const struct tlb_config *itlb, const struct tlb_config *dtlb,
                 struct rng *rng, char *err, size_t errlen);
void x86_mmu_free(struct x86_mmu *m);

/*
 * Translate the linear address lin for an access of kind acc (X86_ACC_*)
 * under st's CR0, CR3 and CR4; paging must be on (CR0.PG), the caller
 * checks.  0 with *pa; 1 with the page-fault error code in *pfec (the
 * TLBs then hold nothing for lin, Vol. 3A 4.10.4.1); -1 when a paging
 * structure lies outside memory.  *cycles receives the walk's cycles and
 * the TLB's hit latency.
 */
int x86_translate(struct x86_mmu *m, const struct x86_state *st, uint32_t lin, unsigned acc,
                  uint64_t *pa, uint32_t *pfec, unsigned *cycles);

/* CR3 writes keep global entries (keep_global, when CR4.PGE is set);
 * changes of CR0.PG/WP and CR4.PGE/PSE drop everything (Vol. 3A 4.10.4.1). */
void x86_mmu_flush(struct x86_mmu *m, bool keep_global);
/* INVLPG: drop the translations of lin's page, global or not. */
void x86_mmu_invlpg(struct x86_mmu *m, uint32_t lin);

int x86_mmu_register_stats(struct x86_mmu *m, struct stats_group *g);

#endif
