/*
 * shadow.h - shadow page tables for a guest using 32-bit paging (SDM Vol.
 * 3A 4.3: 4 KiB pages and, with CR4.PSE, 4 MiB pages), the derived
 * structure of study 3's MMU traces (seed 004 [0060], [0085]).
 *
 * The guest's page directory and page tables are the primary structures;
 * the hardware walks a shadow page directory and shadow page tables that
 * live in hypervisor-owned frames and translate guest-linear addresses to
 * machine addresses.  Without EPT a guest-physical address is a machine
 * address inside the VM's partition (docs/hv-x86.md), so a shadow leaf
 * holds the guest's own frame number, once it is checked to lie inside.
 *
 * Invariants:
 *  - Shadows are filled lazily, one 4 KiB leaf per hidden page fault
 *    (sh_fault); a 4 MiB guest page is split into 1,024 shadow leaves so
 *    that protection and dirty tracking work per 4 KiB frame.
 *  - A shadow page directory entry is always P|RW|US; the guest PDE's and
 *    PTE's permissions are combined in the leaf, and each shadow page table
 *    remembers the guest PDE it was derived from (a different PDE value
 *    later means a stale table, which is dropped before reuse).
 *  - A/D (SDM 4.8): a leaf is filled only on a guest access, and the fill
 *    sets A in the guest PDE and PTE as the hardware walk would.  A leaf is
 *    writable only when the guest entry's D is already set: the first
 *    write faults, the fault sets D in the guest entry (the PDE for a 4 MiB
 *    page) and refills the leaf writable.
 *  - Every frame a shadow derives from (the guest page directory and each
 *    guest page table behind a shadow page table) is a traced frame: no
 *    leaf of this shadow maps it writable.  A guest write to it faults and
 *    sh_fault reports SH_TRACE; the caller completes the write and then
 *    invalidates what was derived from the written entry
 *    (sh_invalidate_gpa, the reverse map).  When a frame becomes a source
 *    while a leaf maps it writable, that leaf loses R/W (a scan of the
 *    live shadow page tables, done only for frames once mapped writable).
 *  - A frame the `traced` hook names (traced by another virtual CPU or
 *    for another derived structure) is mapped read-only like a source;
 *    sh_protect takes R/W away from leaves filled before it was traced.
 *  - Nothing outside the partition is ever mapped: a guest entry pointing
 *    outside makes sh_fault return SH_REFUSE (ptval.c's rule).
 *  - Guest CR0.WP is taken as 1 (supervisor writes obey R/W).
 *
 * Fixed size: one shadow page directory and SH_MAX_PT shadow page tables,
 * recycled round-robin when all are in use.  Access mix: sh_fault on every
 * hidden fault (hot); sh_invalidate_gpa on every traced page-table write;
 * sh_invlpg on guest INVLPG; sh_load_cr3 on guest CR3 loads.
 *
 * Pure C over pointers to the partition and the frame pool: the unit tests
 * run it on the host.
 */
#ifndef VTSIM_HV_X86_SHADOW_H
#define VTSIM_HV_X86_SHADOW_H

#include <stdint.h>

#define SH_P   0x001u
#define SH_RW  0x002u
#define SH_US  0x004u
#define SH_PWT 0x008u
#define SH_PCD 0x010u
#define SH_A   0x020u
#define SH_D   0x040u
#define SH_PS  0x080u
#define SH_PFN 0xFFFFF000u

/* Page-fault error code bits (SDM Vol. 3A 4.7). */
#define SH_EC_P 0x1u
#define SH_EC_W 0x2u
#define SH_EC_U 0x4u

#define SH_MAX_PT      64 /* shadow page tables per shadow */
#define SH_RMAP        64 /* reverse-map hash buckets */
#define SH_POOL_FRAMES (1 + SH_MAX_PT)

/* A shadow page table: where it hangs and what it derives from. */
struct sh_slot {
    uint32_t src;  /* guest page-table frame it derives from; 0 for a split 4 MiB page */
    uint32_t gpde; /* the guest PDE value it was derived from, A and D clear */
    int16_t pdi;   /* its index in the shadow page directory; -1 when free */
    int16_t next;  /* reverse-map chain (slots deriving from frames of one bucket) */
};

struct shadow {
    uint8_t *mem;        /* the partition as the hypervisor addresses it */
    uint32_t base, size; /* its machine range */
    uint8_t *wmap; /* per partition frame: some leaf mapped it writable since it was last scanned */
    uint8_t *pool; /* SH_POOL_FRAMES frames: [0] the shadow PD, then the shadow PTs */
    uint32_t pool_pa; /* machine address of pool[0] */
    uint32_t gpd;     /* machine address of the guest page directory, 0 before a CR3 load */
    int pse;          /* guest CR4.PSE: PS in a PDE means 4 MiB */
    int16_t slot_of[1024];
    struct sh_slot slot[SH_MAX_PT];
    int16_t rmap[SH_RMAP];
    uint32_t hand; /* next slot to recycle */
    /* Told when a frame becomes (on = 1) or stops being (0) a source of
     * this shadow: the hook that places and lifts MMU traces.  May be NULL. */
    void (*source)(void *ctx, uint32_t frame, int on);
    /* Whether a frame is traced by anything else (another virtual CPU's
     * shadow, derived code or descriptors): such a frame is mapped
     * read-only too, and a write to it answers SH_TRACE.  May be NULL. */
    int (*traced)(void *ctx, uint32_t frame);
    void *ctx;
    uint32_t top; /* the last directory entry, the monitor's own (sh_reserve_top); 0: none */
    /* what it did */
    uint32_t fills, dirty_faults, guest_faults, trace_faults, refused;
    uint32_t invlpgs, invalidations, flushes, recycled, protect_scans, leaves_protected;
};

enum sh_verdict {
    SH_FIXED,  /* a hidden fault: the shadow now has the leaf; resume the guest */
    SH_GUEST,  /* the guest's own tables refuse the access: inject #PF with .ec */
    SH_TRACE,  /* a write to a traced frame at .gpa: complete it, then invalidate */
    SH_REFUSE, /* the guest maps memory outside its partition: stop the VM */
};

struct sh_result {
    enum sh_verdict v;
    uint32_t ec;  /* SH_GUEST: the error code for the guest */
    uint32_t gpa; /* SH_TRACE: the machine address written */
};

/* Set up an empty shadow for a partition.  `wmap` has size / 4096 bytes;
 * `pool` (machine address pool_pa, 4 KiB aligned) has SH_POOL_FRAMES
 * frames.  PSE is on; set sh->pse to follow the guest's CR4. */
void sh_init(struct shadow *sh, uint8_t *mem, uint32_t base, uint32_t size, uint8_t *wmap,
             uint8_t *pool, uint32_t pool_pa);

/* The machine address to load into the real CR3. */
uint32_t sh_root(const struct shadow *sh);

/* The guest loads CR3: the whole shadow is flushed (SDM 4.10.4.1: a CR3
 * load invalidates the TLB; global pages are flushed too, which the SDM
 * permits) and the new guest directory becomes the source.  0, or -1 when
 * the directory lies outside the partition (nothing changes then). */
int sh_load_cr3(struct shadow *sh, uint32_t cr3);

/* Drop every shadow page table (the directory stays the source). */
void sh_flush(struct shadow *sh);

/* A page fault at linear address `la` with error code `ec` while the
 * guest ran on this shadow.  Walks the guest's tables, sets A (and D for a
 * write), fills the leaf, or says why not. */
struct sh_result sh_fault(struct shadow *sh, uint32_t la, uint32_t ec);

/* Guest INVLPG `la` (SDM 4.10.4.1): drop the leaf for `la`; a split 4 MiB
 * page, or a shadow page table whose guest PDE has changed, is dropped
 * whole. */
void sh_invlpg(struct shadow *sh, uint32_t la);

/* The guest entry at machine address `gpa` was (or is about to be)
 * written: drop every shadow entry derived from it, through the reverse
 * map.  Returns how many leaves and shadow page tables were dropped. */
unsigned sh_invalidate_gpa(struct shadow *sh, uint32_t gpa);

/* Frame `frame` became traced elsewhere (the `traced` hook now says so):
 * drop R/W from every leaf of this shadow that maps it. */
void sh_protect(struct shadow *sh, uint32_t frame);

/* Keep the last 4 MiB of linear space for the monitor: the shadow
 * directory's last entry is `pde` (a table of the monitor's frames), never
 * derived from the guest, and guest accesses there fault into the guest.
 * It survives flushes and CR3 loads. */
void sh_reserve_top(struct shadow *sh, uint32_t pde);

/* Point the present leaf for `la` at machine frame `pa` (outside the
 * partition: a copy the hypervisor derived), read-only, keeping the rest
 * of its bits.  0, or -1 when no leaf is present for `la`. */
int sh_set_frame(struct shadow *sh, uint32_t la, uint32_t pa);

/* Whether the frame holding `gpa` is a source of this shadow (traced). */
int sh_is_source(const struct shadow *sh, uint32_t gpa);

/* Walk the shadow as the hardware would: 0 and *pa, or -1 (a fault).
 * `write`, `user` as the access. */
int sh_translate(const struct shadow *sh, uint32_t la, int write, int user, uint32_t *pa);

#endif
