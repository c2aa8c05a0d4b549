/*
 * state.h - the architectural state of one IA-64 hart, apart from the
 * machinery that executes and times it.
 *
 * Registers: r0-r127 with NaT bits (the register stack is not renamed yet:
 * r32-r127 are plain registers until alloc is implemented), p0-p63, b0-b7,
 * the application and control registers by number, PSR, CFM and the IP
 * with its slot (PSR.ri).
 */
#ifndef VTSIM_MODEL_CPU_IA64_STATE_H
#define VTSIM_MODEL_CPU_IA64_STATE_H

#include <stdbool.h>
#include <stdint.h>

struct ia64_state {
    uint64_t gr[128];
    bool nat[128];
    bool pr[64]; /* pr[0] is always true */
    uint64_t br[8];
    uint64_t ar[128];
    uint64_t cr[128];
    uint64_t psr;
    uint64_t cfm;
    uint64_t ip; /* bundle address */
    unsigned ri; /* slot to execute next in the bundle */
};

/* Reset: everything zero, p0 true, IP at `entry`. */
void ia64_state_reset(struct ia64_state *st, uint64_t entry);

#endif
