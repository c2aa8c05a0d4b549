/*
 * stream.c - the streaming kernel: each unit reads and rewrites the next
 * 32 KiB of an 8 MiB buffer, twice the Core 2 last-level cache (the 4 MiB
 * shared L2, configs/machines/core2.yaml), so every line comes from memory
 * and goes back dirty, evicting whatever else the LLC held.  No phases:
 * the buffer wraps every 256 units.  The buffer is bss (zero at load), so
 * no set-up pass touches it first.
 * Unit: 8,192 words, about 66k instructions.
 */
#include "vq.h"

#define STREAM_WORDS (8u * 1024 * 1024 / 4)
#define CHUNK_WORDS  (32u * 1024 / 4)

const char vq_name[] = "stream";
static uint32_t buf[STREAM_WORDS];

void vq_init(void) {}

uint32_t vq_unit(uint32_t u)
{
    uint32_t *c = buf + u % (STREAM_WORDS / CHUNK_WORDS) * CHUNK_WORDS;
    uint32_t s = u;

    for (uint32_t i = 0; i < CHUNK_WORDS; i++) {
        uint32_t v = c[i] + i + u;
        c[i] = v;
        s = (s ^ v) + (s << 3);
    }
    return s;
}
