/*
 * warm.c - the cache-friendly kernel: each unit makes two read-modify-
 * write passes over a 16 KiB working set, half the Core 2 L1D (32 KiB,
 * configs/machines/core2.yaml), so once warm nearly every access hits.
 * Phases: the working set moves to the next of four windows, 64 KiB apart
 * in a 256 KiB arena, every WARM_PHASE_UNITS units; the first units of a
 * phase refill the L1D from the L2 (from memory on the first round).
 * Staying on the hart rewards it; a quantum cut short makes it pay again.
 * Unit: 2 x 4,096 words, about 98k instructions.
 */
#include "vq.h"

#define WARM_WORDS       (16u * 1024 / 4)
#define WARM_WINDOWS     4u
#define WARM_STRIDE      (64u * 1024 / 4) /* words between windows */
#define WARM_PHASE_UNITS 8u
#define WARM_PASSES      2u

const char vq_name[] = "warm";
static uint32_t arena[WARM_WINDOWS * WARM_STRIDE];

void vq_init(void)
{
    for (uint32_t i = 0; i < WARM_WINDOWS * WARM_STRIDE; i++)
        arena[i] = i * 2654435761u;
}

uint32_t vq_unit(uint32_t u)
{
    uint32_t *w = arena + (u / WARM_PHASE_UNITS) % WARM_WINDOWS * WARM_STRIDE;
    uint32_t s = u;

    for (uint32_t pass = 0; pass < WARM_PASSES; pass++) {
        for (uint32_t i = 0; i < WARM_WORDS; i++) {
            s = s * 31 + w[i];
            w[i] += s >> 11;
        }
    }
    return s;
}
