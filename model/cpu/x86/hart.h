/*
 * hart.h - an IA-32 hart for the scheduler: fetches instructions through
 * the cache model, decodes them once per physical address (a
 * direct-mapped cache that a write to the page invalidates), executes them
 * (exec.h), trains the branch predictor and counts EMON events.
 *
 * Timing: in-order, one instruction per step; a step costs one cycle plus
 * the stalls of its fetch and data accesses beyond an L1 hit and the
 * misprediction penalty (docs/isa-x86.md).
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
#include "model/cpu/x86/decode.h"
#include "model/cpu/x86/state.h"
#include "model/platform/ctl.h"
#include "model/platform/physmem.h"

#define X86_DCACHE_SLOTS 4096 /* decoded instructions kept, direct-mapped by address */

struct stats_group;

struct x86_hart {
    struct hart hart;
    struct x86_state st;
    struct physmem *pm;
    struct memsys *ms;
    struct ctl *ctl; /* the control device behind ports 0xE0-0xF4 */
    struct bpred bp;
    struct emon emon;
    unsigned core;
    bool boot; /* the hart that starts at the entry point; others wait */
    struct {
        uint64_t addr; /* physical address of the instruction + 1 (0 = empty) */
        struct x86_insn in;
    } dc[X86_DCACHE_SLOTS];
    /* Stats beyond EMON's. */
    uint64_t decodes;      /* decode-cache misses (Zydis calls) */
    uint64_t fetch_stall;  /* cycles waiting for instruction bytes */
    uint64_t data_stall;   /* cycles waiting for data */
    uint64_t port_ignored; /* accesses to ports no device serves */
};

/* The machine sections a hart is built from. */
struct x86_hart_config {
    const struct bpred_config *bpred;
    const struct emon_config *emon;
};

/* Initialise; the boot hart starts at `entry` in the Multiboot state with
 * EBX = `mbi` (state.h).  0, or -1 with a reason (bad predictor or counter
 * configuration). */
int x86_hart_init(struct x86_hart *h, struct physmem *pm, struct memsys *ms, struct ctl *ctl,
                  unsigned core, bool boot, uint32_t entry, uint32_t mbi,
                  const struct x86_hart_config *c, char *err, size_t errlen);

/* Register the hart's stats (EMON, predictor, front end) under g.  0 or -1. */
int x86_hart_register_stats(struct x86_hart *h, struct stats_group *g);

void x86_hart_free(struct x86_hart *h);

/* Drop every decoded instruction that has a byte in the 4 KiB page at
 * page_addr (the physmem code hook calls this for each hart). */
void x86_hart_invalidate(struct x86_hart *h, uint64_t page_addr);

#endif
