/*
 * hart.h - an IA-64 hart for the scheduler: translates and fetches bundles
 * through the TLBs (mmu.h) and the cache model, decodes them once per
 * physical address (a cache that a write to the page invalidates),
 * executes them (exec.h), delivers interruptions, and places the
 * instructions in cycles with the issue model (timing.h).  One step is
 * one issue cycle and the stalls that follow it (docs/isa-ia64.md).
 */
#ifndef VTSIM_MODEL_CPU_IA64_HART_H
#define VTSIM_MODEL_CPU_IA64_HART_H

#include "model/base/sched.h"
#include "model/cache/memsys.h"
#include "model/cpu/bpred/bpred.h"
#include "model/cpu/emon/emon.h"
#include "model/cpu/smt.h"
#include "model/cpu/ia64/exec.h"
#include "model/cpu/ia64/mmu.h"
#include "model/cpu/ia64/timing.h"
#include "model/cpu/ia64/vti.h"
#include "model/platform/ctl.h"
#include "model/platform/intc.h"
#include "model/platform/timer.h"
#include "model/platform/physmem.h"

#define IA64_DCACHE_SLOTS 4096 /* decoded bundles kept, direct-mapped */

struct ia64_hart {
    struct hart hart;
    struct ia64_state st;
    struct physmem *pm;
    struct pm_origin *origin; /* pm's: who accesses, and a device's latency */
    struct memsys *ms;
    struct ctl *ctl;
    struct bpred bp;
    struct ia64_mmu mmu;
    struct intc ic;                  /* external interrupts (extint.c) */
    struct hart_timer tm;            /* cr.itm / cr.itv */
    struct sched *sched;             /* for waking (extint.c) */
    uint64_t pmc[EMON_MAX_COUNTERS]; /* pmc4.. as written */
    uint64_t emon_psr;               /* PSR.cpl/vm when EMON's mode was last set */
    struct rng rng;                  /* for random TLB replacement */
    /* ptc.g: the front end purges every hart (NULL: this one only). */
    void (*purge_global)(void *ctx, uint32_t rid, uint64_t va, unsigned ps);
    void *purge_ctx;
    /* Instruction translation fast path: the last page fetched. */
    uint64_t fetch_page, fetch_frame, fetch_gen, fetch_psr;
    unsigned fetch_shift;
    struct emon emon; /* every event counted, as cpuN.emon.* */
    unsigned core;
    /* The issue slots of its core, shared with the core's other threads
     * (model/cpu/smt.h); NULL with one thread a core.  Thread 0 of the
     * core holds them in `own_slots`. */
    struct smt_issue *slots;
    struct smt_issue own_slots;
    bool boot;    /* running: the boot hart from the start, the others from
                   * the first interrupt sent to them (a start-up IPI) */
    bool handoff; /* machine.vti.fault_info is cause_opcode */
    struct {
        uint64_t addr; /* bundle address + 1 (0 = empty) */
        struct ia64_bundle b;
        struct ia64_slot_timing t[3];
    } dc[IA64_DCACHE_SLOTS];
    struct ia64_timing tm_issue; /* the issue model (timing.h) */
    uint64_t fetch_stall, data_stall, mispredicts, decodes;
    uint64_t rse_spills, rse_fills; /* registers the RSE stored and loaded */
    uint64_t ivt[128];              /* interruptions delivered, by IVT offset >> 8 */
    /* Fast-forward: instructions still to run functionally, whether the
     * caches and predictor are warmed meanwhile, and what to call when the
     * hart switches to detailed timing. */
    uint64_t ff_left;
    bool ff_warm, ff_switch;
    unsigned step_counter_reads; /* mov from pmd in this step (EMON counter_reads) */
    void (*on_detailed)(void *ctx, unsigned hart);
    void *ff_ctx;
};

/* The machine sections a hart is built from. */
struct ia64_hart_config {
    const struct bpred_config *bpred;
    const struct emon_config *emon;
    const struct ia64_vti_config *vti;
    const struct ia64_pipeline_config *pipeline;
    struct ia64_mmu_config mmu;
    uint64_t seed;
};

/* Initialise; `entry` is the boot hart's first bundle.  0 or -1 (bad
 * predictor, TLB or counter configuration). */
int ia64_hart_init(struct ia64_hart *h, struct physmem *pm, struct memsys *ms, struct ctl *ctl,
                   unsigned core, bool boot, uint64_t entry, const struct ia64_hart_config *c,
                   char *err, size_t errlen);

/* Give the hart its timer's event queue, once it is in the scheduler. */
void ia64_hart_attach(struct ia64_hart *h, struct sched *s);

/* extint.c: the device-backed registers (struct ia64_mem sysreg_*), and
 * re-arming the timer after ar.itc moved. */
int ia64_sysreg_read(void *ctx, unsigned kind, unsigned idx, uint64_t *val);
int ia64_sysreg_write(void *ctx, unsigned kind, unsigned idx, uint64_t val);
void ia64_itc_changed(struct ia64_hart *h);

/* Register the hart's stats (EMON, predictor, TLBs) under g. */
int ia64_hart_register_stats(struct ia64_hart *h, struct stats_group *g);
void ia64_hart_free(struct ia64_hart *h);

/* Run the first `instructions` functionally (see above); 0 = none. */
void ia64_hart_fast_forward(struct ia64_hart *h, uint64_t instructions, bool warm,
                            void (*on_detailed)(void *ctx, unsigned hart), void *ctx);

/* Drop the decoded bundles overlapping [addr, addr + len) (the physmem
 * code hook calls this for each hart). */
void ia64_hart_invalidate(struct ia64_hart *h, uint64_t addr, size_t len);

#endif
