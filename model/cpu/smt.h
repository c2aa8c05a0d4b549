/*
 * smt.h - the issue slots the hardware threads of one core share.
 *
 * DESIGN.md section 4: with machine.threads_per_core > 1 a core's threads
 * share its issue slots, round-robin between the threads that are ready.
 * Each thread keeps its own clock; the core keeps the first cycle its
 * issue stage is free.  A step (one IA-32 instruction, one IA-64 issue
 * group) that is ready at cycle t issues at max(t, free) and takes that
 * cycle.  The scheduler steps harts in clock order, so two threads that
 * are both ready take alternate cycles, and a thread whose clock runs
 * ahead through a stall (a cache miss, a misprediction, a VM transition)
 * holds no slot meanwhile: its sibling issues in every cycle.  A thread
 * asleep (HLT) never steps, so it takes no slot either.
 *
 * Simplifications: a step claims the one cycle it starts issuing in, even
 * where the IA-64 timing model places part of its group later; the step's
 * memory accesses are timed from its ready cycle, at most threads - 1
 * cycles before it issues.
 */
#ifndef VTSIM_MODEL_CPU_SMT_H
#define VTSIM_MODEL_CPU_SMT_H

#include <stdint.h>

struct smt_issue {
    uint64_t free; /* the first cycle no thread of the core has claimed */
};

/* Claim the core's next free issue cycle for a step ready at cycle t;
 * returns the cycles the step waits for it (0 if the slot is free). */
static inline uint64_t smt_issue_claim(struct smt_issue *s, uint64_t t)
{
    uint64_t at = s->free > t ? s->free : t;
    s->free = at + 1;
    return at - t;
}

#endif
