/*
 * repl_plru.c - tree pseudo-LRU: ways-1 bits per set form a binary tree;
 * each bit points toward the half to replace next.  A touch flips the bits
 * on the way's path to point away from it; the victim follows the bits.
 * Bits are stored one per byte (node i has children 2i+1, 2i+2), leaves
 * map to ways left to right.  Needs a power-of-two number of ways.
 */
#include "model/cache/repl.h"

static size_t plru_size(unsigned ways)
{
    return ways > 1 ? ways - 1 : 1;
}

static void plru_reset(uint8_t *st, unsigned ways)
{
    for (unsigned i = 0; i + 1 < ways; i++)
        st[i] = 0;
}

/* Bit 0 means "the victim is on the left", 1 "on the right". */
static void plru_touch(uint8_t *st, unsigned ways, unsigned way)
{
    unsigned node = 0, lo = 0, span = ways;
    while (span > 1) {
        span /= 2;
        bool right = way >= lo + span;
        st[node] = right ? 0 : 1; /* point away from the touched half */
        node = 2 * node + (right ? 2 : 1);
        if (right)
            lo += span;
    }
}

static void plru_invalidate(uint8_t *st, unsigned ways, unsigned way)
{
    /* Point the path at the invalidated way so it is chosen next. */
    unsigned node = 0, lo = 0, span = ways;
    while (span > 1) {
        span /= 2;
        bool right = way >= lo + span;
        st[node] = right ? 1 : 0;
        node = 2 * node + (right ? 2 : 1);
        if (right)
            lo += span;
    }
}

static unsigned plru_victim(uint8_t *st, unsigned ways, struct rng *rng)
{
    (void)rng;
    unsigned node = 0, lo = 0, span = ways;
    while (span > 1) {
        span /= 2;
        bool right = st[node] != 0;
        node = 2 * node + (right ? 2 : 1);
        if (right)
            lo += span;
    }
    return lo;
}

const struct repl_ops repl_plru = {"plru",     plru_size,       plru_reset,
                                   plru_touch, plru_invalidate, plru_victim};
