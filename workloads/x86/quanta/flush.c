/*
 * flush.c - the workload that flushes its cache at phase changes: each
 * unit reads and updates two words of every line of a 256 KiB working set
 * (eight times the Core 2 L1D, one sixteenth of its L2), and every
 * FLUSH_PHASE_UNITS units it executes WBINVD - write back and invalidate
 * every cache (Intel SDM Vol. 2B, WBINVD) - and moves to the other of two
 * windows of a 512 KiB arena.  The first unit of each phase therefore
 * starts from memory, as after a real flush.  WBINVD exits under VT-x
 * when the hypervisor sets "WBINVD exiting" (SDM Vol. 3C, 25.1.3).
 * Unit: 4,096 lines, about 37k instructions.
 */
#include "vq.h"

#define FLUSH_WORDS       (256u * 1024 / 4)
#define FLUSH_WINDOWS     2u
#define FLUSH_PHASE_UNITS 8u
#define LINE_WORDS        (64u / 4)

const char vq_name[] = "flush";
static uint32_t arena[FLUSH_WINDOWS * FLUSH_WORDS];

void vq_init(void)
{
    for (uint32_t i = 0; i < FLUSH_WINDOWS * FLUSH_WORDS; i++)
        arena[i] = i ^ 0x5a5a5a5au;
}

uint32_t vq_unit(uint32_t u)
{
    uint32_t *w = arena + (u / FLUSH_PHASE_UNITS) % FLUSH_WINDOWS * FLUSH_WORDS;
    uint32_t s = u;

    if (u % FLUSH_PHASE_UNITS == 0 && u != 0)
        __asm__ volatile("wbinvd" ::: "memory");
    for (uint32_t i = 0; i < FLUSH_WORDS; i += LINE_WORDS) {
        s = s * 33 + w[i];
        w[i + 8] += s;
    }
    return s;
}
