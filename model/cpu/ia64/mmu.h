/*
 * mmu.h - IA-64 address translation for one hart: region registers (in
 * ia64_state), the translation registers and translation cache of the
 * instruction and data sides, and the VHPT walker (SDM Vol. 2, ch. 4).
 *
 * The architected TLB is modelled on the generic arrays of model/tlb: the
 * translation cache (itc/VHPT inserts) is the second-level array
 * (machine.itlb2 / dtlb2; the first level when that has no entries), the
 * translation registers are 8 per side, and the first-level array caches
 * both.  A lookup tries the first level (free), the registers and the
 * second level (its latency), then the walker, whose VHPT read goes
 * through the cache model at the hart's cost.  Protection keys (PSR.pk)
 * are not checked.
 */
#ifndef VTSIM_MODEL_CPU_IA64_MMU_H
#define VTSIM_MODEL_CPU_IA64_MMU_H

#include "model/cpu/ia64/exec.h"
#include "model/tlb/tlb.h"

#define IA64_NTR 8

/* Access kinds (ISR x/w/r/na bits are derived from them). */
enum {
    IA64_ACC_R = 1,
    IA64_ACC_W = 2,
    IA64_ACC_X = 4,
    IA64_ACC_NA = 8, /* non-access (tpa, probe, fc): ISR.na, code in isr_code */
};

struct ia64_tr {
    uint64_t va; /* page base, va{60:0} */
    uint64_t pte;
    uint32_t key, rid;
    uint8_t ps;
    bool valid;
};

struct ia64_mmu_stats {
    uint64_t walks, walk_hits, walk_faults, tc_hits, tr_hits, faults;
};

struct ia64_mmu {
    struct tlb l1[2], l2[2]; /* [0] instruction, [1] data */
    bool has_l2[2];
    struct ia64_tr tr[2][IA64_NTR];
    /* The walker reads 8 bytes of physical memory; returns 0 and the cycles
     * it took, or -1 outside memory. */
    int (*read)(void *ctx, uint64_t pa, uint64_t *val, unsigned *cycles);
    void *ctx;
    uint64_t generation; /* bumped by every purge and insert (fetch fast path) */
    uint64_t last_pte;   /* the PTE of the last successful translation (probe) */
    struct ia64_mmu_stats st;
};

struct ia64_mmu_config {
    const struct tlb_config *itlb, *dtlb, *itlb2, *dtlb2;
};

int ia64_mmu_init(struct ia64_mmu *m, const struct ia64_mmu_config *c, struct rng *rng, char *err,
                  size_t errlen);
void ia64_mmu_free(struct ia64_mmu *m);

/*
 * Translate va for an access of kind `acc` (IA64_ACC_*) under the current
 * PSR; translation must be on for that side (PSR.it / dt / rt), the
 * caller checks.  0 with *pa; or 1 with the fault to raise in *f.
 * *cycles receives the cycles beyond a first-level hit (second-level
 * latency, the walk).  na_code: ISR.code for non-access forms.
 */
int ia64_translate(struct ia64_mmu *m, const struct ia64_state *st, uint64_t va, unsigned acc,
                   unsigned na_code, uint64_t *pa, struct ia64_fault *f, unsigned *cycles);

/* The region id of va's region register. */
static inline uint32_t ia64_rid(const struct ia64_state *st, uint64_t va)
{
    return (uint32_t)(st->rr[va >> 61] >> 8) & 0xffffff;
}

/* The VHPT hash address and tag of va (thash, ttag; SDM Vol. 2 4.1.6). */
uint64_t ia64_thash(const struct ia64_state *st, uint64_t va);
uint64_t ia64_ttag(const struct ia64_state *st, uint64_t va);

/* Insert into the translation cache (itc) or register `slot` (itr) of
 * side d (0 instruction, 1 data): va and page size/key from IFA/ITIR,
 * the PTE from `pte`.  0, or -1 for a reserved page size. */
int ia64_mmu_insert(struct ia64_mmu *m, const struct ia64_state *st, unsigned d, bool tr,
                    unsigned slot, uint64_t pte);

/* Purge translations overlapping [va, va + 2^ps) of va's region id: the
 * cache of both sides (ptc.l/g/ga), or the registers and cache of side d
 * (ptr).  ptc.g/ptc.ga purge every hart with the issuer's region id. */
void ia64_mmu_purge(struct ia64_mmu *m, uint32_t rid, uint64_t va, unsigned ps);
void ia64_mmu_purge_tr(struct ia64_mmu *m, const struct ia64_state *st, unsigned d, uint64_t va,
                       unsigned ps);
/* ptc.e: the whole translation cache, both sides. */
void ia64_mmu_purge_all(struct ia64_mmu *m);

/* The key of va's translation in the TLB (tak), or 1 when there is none. */
uint64_t ia64_mmu_key(struct ia64_mmu *m, const struct ia64_state *st, uint64_t va);

/* Whether `pl` may access the page of pte with kinds acc (probe, checks). */
bool ia64_rights_ok(uint64_t pte, unsigned pl, unsigned acc);

/* Page sizes Itanium 2 inserts: 4K, 8K, 16K, 64K, 256K, 1M, 4M, 16M, 64M,
 * 256M, 1G, 4G (doc. 251110). */
static inline bool ia64_page_size_ok(unsigned ps)
{
    return ps < 64 && ((0x155557000ull >> ps) & 1);
}

int ia64_mmu_register_stats(struct ia64_mmu *m, struct stats_group *g);

#endif
