/*
 * Page-fault filtering in VMX non-root operation: the two decisions the
 * processor makes for a guest #PF before it either exits to the VMM or
 * delivers the fault through the guest's IDT.
 *
 * Control-transfer filtering (seed 002 Figs. 3-5, [0040]-[0058]): from the
 * error code and the VMCS fields, exit or deliver.  `single` is what the
 * SDM specifies (Vol. 3C 25.2: exit iff ((EC & MASK) == MATCH) equals
 * exception-bitmap bit 14).  `dual` and `anybit` are the seed's variants;
 * their extra fields are vtsim's VMCS extension fields (docs/vmx.md).  The
 * SDM pair MASK/MATCH (0x4006/0x4008) always compares for equality; the
 * extension pair MASK2/MATCH2 is the second criterion.
 *
 * Fault-filtering criteria (seed 002 Figs. 7-8, [0074]-[0083]): a guest
 * write that faulted on a write-protected page and targets a PTE in the
 * self-map region at PTBASE may complete with no fault and no exit.
 */
#ifndef VTSIM_MODEL_VMCS_PF_FILTER_H
#define VTSIM_MODEL_VMCS_PF_FILTER_H

#include <stdbool.h>
#include <stdint.h>

enum pf_variant {
    PF_VARIANT_SINGLE = 0, /* Fig. 3, the SDM's rule */
    PF_VARIANT_DUAL = 1,   /* Fig. 4: exit iff either pair matches; bit 14 unused */
    PF_VARIANT_ANYBIT = 2, /* Fig. 5: (EC & MASK2) != 0 || (EC & MASK) == MATCH, then bit 14 */
    PF_VARIANT_COUNT
};

enum pf_criteria {
    PF_CRITERIA_OFF = 0,  /* every write fault goes to control-transfer filtering */
    PF_CRITERIA_FIG7 = 1, /* a PTE write that leaves P clear completes */
    PF_CRITERIA_FIG8 = 2, /* Fig. 7, plus edits keeping P and PFN that do not add write access */
    PF_CRITERIA_COUNT
};

/* vtsim's VMCS extension fields for the seed's variants, in the SDM's
 * encoding scheme (Vol. 3C 24.11.2) at index 0x40, above every field the
 * SDM defines: 32-bit controls and one natural-width control.  A VMCS
 * that leaves them 0 behaves as the SDM says (variant single, criteria
 * off).  hv/x86/vmcs_fields.h names the same encodings. */
#define VMCS_PF_VARIANT  0x4080u
#define VMCS_PF_MASK2    0x4082u
#define VMCS_PF_MATCH2   0x4084u
#define VMCS_PF_CRITERIA 0x4086u
#define VMCS_PF_PTBASE   0x6080u

/* The VMCS fields control-transfer filtering reads. */
struct pf_filter {
    unsigned variant;       /* enum pf_variant */
    bool bit14;             /* exception bitmap bit 14 (#PF) */
    uint32_t mask, match;   /* PFEC mask 0x4006, PFEC match 0x4008 */
    uint32_t mask2, match2; /* extension fields (docs/vmx.md) */
};

/* Whether a guest #PF with error code `ec` causes a VM exit (true) or is
 * delivered to the guest (false). */
bool pf_filter_exits(const struct pf_filter *f, uint32_t ec);

/* The page-directory entry that must map the page directory onto itself
 * for `ptbase` to be usable ([0074]): its physical address, or -1 when
 * PTBASE is not 4 MiB aligned.  The caller reads the entry and checks
 * with pf_self_map_ok(). */
int64_t pf_self_map_pde_addr(uint32_t cr3, uint32_t ptbase);
bool pf_self_map_ok(uint32_t cr3, uint32_t pde);

/* Whether linear address `la` is a PTE of the self-map at `ptbase` (in the
 * 4 MiB window and not in its page-directory page, [0075]). */
bool pf_is_pte_address(uint32_t ptbase, uint32_t la);

/* Fault-filtering decision for a write of `data` over the 32-bit entry
 * `old` at linear address `la`, of `size` bytes.  True: the write
 * completes, with no fault and no exit.  Only aligned 4-byte writes to a
 * PTE of a valid self-map qualify (the caller has checked the self-map);
 * anything else returns false and goes to control-transfer filtering. */
bool pf_criteria_allow(unsigned criteria, uint32_t ptbase, uint32_t la, unsigned size, uint32_t old,
                       uint32_t data);

#endif
