/*
 * exits.c - the tight loop with periodic exits: a few-instruction
 * generator loop (one backward branch, no data footprint) that executes
 * CPUID every EXITS_PERIOD iterations.  CPUID always causes a VM exit in
 * VMX non-root operation (Intel SDM Vol. 3C, 25.1.2), so under the
 * hypervisor the kernel leaves the guest EXITS_PER_UNIT times per unit; on
 * the bare machine it just executes.  Its result differs between machines
 * and is not part of the checksum.
 * Unit: 4,096 iterations and 4 CPUIDs, about 53k instructions.
 */
#include "vq.h"

#define EXITS_ITERS  4096u
#define EXITS_PERIOD 1024u /* 4 exits per unit */

const char vq_name[] = "exits";

void vq_init(void) {}

static inline void cpuid0(void)
{
    uint32_t a = 0, b, c = 0, d;
    __asm__ volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
}

uint32_t vq_unit(uint32_t u)
{
    uint32_t s = u;

    for (uint32_t i = 0; i < EXITS_ITERS; i++) {
        s = s * 1664525u + 1013904223u;
        s ^= s >> 13;
        if ((i & (EXITS_PERIOD - 1)) == EXITS_PERIOD - 1)
            cpuid0();
    }
    return s;
}
