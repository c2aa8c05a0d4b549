/*
 * scen_common.c - what the scenarios share: the generator that varies
 * them round by round (a fixed-seed LCG: the same sequence on every
 * host) and the checked access.
 */
#include "kern.h"

static u32 lcg_state = 0x2545F491u;

/* Numerical Recipes' LCG; the high half, whose period is the longest. */
u32 lcg(void)
{
    lcg_state = lcg_state * 1664525u + 1013904223u;
    return lcg_state >> 16;
}

void access_check(int user, int write, u32 va, u32 val, u32 ec)
{
    u32 before = pf_total, got = val;
    pf_window = 0;
    if (user) {
        ubatch.n = 1;
        ubatch.op[0].va = va;
        ubatch.op[0].val = val;
        ubatch.op[0].write = (u32)write;
        user_run();
        got = ubatch.op[0].val;
    } else if (write) {
        /* One store or load the handler may interrupt: the "memory"
         * clobber makes the compiler read pf_total again after it. */
        __asm__ volatile("movl %1, (%0)" : : "r"(va), "r"(val) : "memory");
    } else {
        __asm__ volatile("movl (%1), %0" : "=r"(got) : "r"(va) : "memory");
    }
    scen_stats[scen_cur].accesses++;
    u32 n = pf_total - before, slot = before % PF_LOG;
    if (n != (ec != NO_FAULT ? 1u : 0u))
        fatal(EXIT_CHECK, "wrong number of faults at", va, n);
    if (n && (pf_log_ec[slot] != ec || pf_log_va[slot] != va))
        fatal(EXIT_CHECK, "wrong fault at", pf_log_va[slot], pf_log_ec[slot]);
    if (got != val)
        fatal(EXIT_CHECK, "wrong value at", va, got);
}
