/*
 * hart.h - an IA-32 hart for the scheduler: fetches instructions through
 * the ITLB and the cache model, decodes them once per physical address (a
 * direct-mapped cache that a write to the page invalidates), executes them
 * (exec.h), delivers exceptions and interrupts through the IDT with the
 * double- and triple-fault rules, trains the branch predictor and counts
 * EMON events, which it also offers as MSRs and rdpmc counters.
 *
 * Interrupts: the hart owns an ISA-neutral controller (model/platform/
 * intc.h) and the local APIC over it (lapic.h, xAPIC registers at
 * IA32_APIC_BASE); devices raise vectors on it, the hart
 * takes the highest deliverable one at an instruction boundary when
 * EFLAGS.IF is set and no sti/mov-ss shadow blocks it, and a raise wakes a
 * hart sleeping in hlt.
 *
 * Timing: in-order, one instruction per step; a step costs one cycle plus
 * the stalls of its fetch and data accesses beyond an L1 hit, page walks,
 * the misprediction penalty, and a pipeline flush (the misprediction
 * penalty) for every delivered event and serializing instruction
 * (docs/isa-x86.md).
 *
 * Hot: the step function, once per instruction; a decode-cache hit costs
 * an index and a compare.
 */
#ifndef VTSIM_MODEL_CPU_X86_HART_H
#define VTSIM_MODEL_CPU_X86_HART_H

#include <stddef.h>

#include "model/base/sched.h"
#include "model/cache/memsys.h"
#include "model/cpu/bpred/bpred.h"
#include "model/cpu/emon/emon.h"
#include "model/cpu/smt.h"
#include "model/cpu/x86/decode.h"
#include "model/cpu/x86/lapic.h"
#include "model/cpu/x86/paging.h"
#include "model/vmcs/vmcs.h"
#include "model/cpu/x86/state.h"
#include "model/cpu/x86/vtx.h"
#include "model/platform/ctl.h"
#include "model/platform/intc.h"
#include "model/platform/physmem.h"

#define X86_DCACHE_SLOTS 4096 /* decoded instructions kept, direct-mapped by address */

struct stats_group;

struct x86_hart {
    struct hart hart;
    struct x86_state st;
    struct physmem *pm;
    struct pm_origin *origin; /* pm's: who accesses, and a device's latency */
    struct memsys *ms;
    struct ctl *ctl; /* the control device behind ports 0xE0-0xF4 */
    struct bpred bp;
    struct emon emon;
    struct x86_mmu mmu;                 /* ITLB, DTLB and the walker */
    struct intc ic;                     /* vectors raised by devices */
    struct x86_lapic apic;              /* the xAPIC over ic */
    struct sched *sched;                /* to wake the hart from hlt; NULL until attached */
    struct rng rng;                     /* TLB replacement */
    uint32_t evtsel[EMON_MAX_COUNTERS]; /* IA32_PERFEVTSELx as written */
    unsigned emon_cpl;                  /* the CPL EMON was last told of */
    bool emon_guest;                    /* ... and whether a guest ran */
    bool step_guest;                    /* the step began in VMX non-root operation */
    unsigned step_counter_reads;        /* RDPMCs in this step (EMON counter_reads) */
    uint32_t cr2_saved;                 /* CR2 before the guest's step (a #PF exit keeps it) */
    unsigned core;
    /* The issue slots of its core, shared with the core's other threads
     * (model/cpu/smt.h); NULL with one thread a core.  Thread 0 of the
     * core holds them in `own_slots`. */
    struct smt_issue *slots;
    struct smt_issue own_slots;
    /* Running: the boot hart from the start; an application processor
     * waits (halted, consuming nothing) until the first IPI reaches it,
     * then starts at the Multiboot entry in the Multiboot state; its APIC
     * ID tells it apart (docs/isa-x86.md: the stand-in for INIT/SIPI). */
    bool boot;
    struct {
        uint64_t addr; /* physical address of the instruction + 1 (0 = empty) */
        struct x86_insn in;
    } dc[X86_DCACHE_SLOTS];
    struct x86_insn scratch; /* an instruction split across non-contiguous pages */
    /* Stats beyond EMON's. */
    uint64_t decodes;      /* decode-cache misses (Zydis calls) */
    uint64_t fetch_stall;  /* cycles waiting for instruction bytes */
    uint64_t data_stall;   /* cycles waiting for data */
    uint64_t port_ignored; /* accesses to ports no device serves */
    uint64_t exceptions;   /* exceptions delivered (faults, traps, int n) */
    uint64_t interrupts;   /* external interrupts delivered */
    uint64_t double_faults;
    uint64_t starts; /* start IPIs taken by a waiting application processor */
    uint64_t vm_entries, vm_exits;
    uint64_t exit_reasons[VMX_NEXIT_REASONS];
    uint64_t exit_cycles, entry_cycles; /* what the transitions cost, all parts */
    struct x86_vtx_config vtx;
    /* Guest page faults (seed 002): raised by error code bits 3:0, those
     * that exited, those delivered to the guest, and guest writes the
     * fault-filtering criteria completed with no fault. */
    uint64_t pf_raised[16], pf_exits[16], pf_raised_all, pf_exits_all, pf_direct, pf_filtered;
};

/* The machine sections a hart is built from. */
struct x86_hart_config {
    const struct bpred_config *bpred;
    const struct emon_config *emon;
    const struct tlb_config *itlb, *dtlb;
    const struct x86_vtx_config *vtx; /* transition latencies; NULL: none */
    uint64_t seed;                    /* TLB replacement (run.seed) */
};

/* Initialise; the boot hart starts at `entry` in the Multiboot state with
 * EBX = `mbi` (state.h).  0, or -1 with a reason (bad predictor or counter
 * configuration). */
int x86_hart_init(struct x86_hart *h, struct physmem *pm, struct memsys *ms, struct ctl *ctl,
                  unsigned core, bool boot, uint32_t entry, uint32_t mbi,
                  const struct x86_hart_config *c, char *err, size_t errlen);

/* Give the hart the scheduler that hlt sleeps in and its timer posts on,
 * once it is added, and the machine's IPI network (NULL: none). */
void x86_hart_attach(struct x86_hart *h, struct sched *s, struct ipi_net *ipi);

/* Register the hart's stats (EMON, predictor, front end) under g.  0 or -1. */
int x86_hart_register_stats(struct x86_hart *h, struct stats_group *g);

void x86_hart_free(struct x86_hart *h);

/* Drop every decoded instruction that has a byte in the 4 KiB page at
 * page_addr (the physmem code hook calls this for each hart). */
void x86_hart_invalidate(struct x86_hart *h, uint64_t page_addr);

#endif
