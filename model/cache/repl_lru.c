/*
 * repl_lru.c - true LRU: each way has an age rank 0 (most recent) ..
 * ways-1 (least recent) in one byte; a touch ages the younger ways by one.
 * O(ways) per touch, ways <= 32 here.
 */
#include "model/cache/repl.h"

static size_t lru_size(unsigned ways)
{
    return ways;
}

static void lru_reset(uint8_t *st, unsigned ways)
{
    for (unsigned w = 0; w < ways; w++)
        st[w] = (uint8_t)w;
}

static void lru_touch(uint8_t *st, unsigned ways, unsigned way)
{
    uint8_t age = st[way];
    for (unsigned w = 0; w < ways; w++)
        if (st[w] < age)
            st[w]++;
    st[way] = 0;
}

/* An invalidated way becomes the oldest, so it is refilled first. */
static void lru_invalidate(uint8_t *st, unsigned ways, unsigned way)
{
    uint8_t age = st[way];
    for (unsigned w = 0; w < ways; w++)
        if (st[w] > age)
            st[w]--;
    st[way] = (uint8_t)(ways - 1);
}

static unsigned lru_victim(uint8_t *st, unsigned ways, struct rng *rng)
{
    (void)rng;
    for (unsigned w = 0; w < ways; w++)
        if (st[w] == ways - 1)
            return w;
    return 0;
}

const struct repl_ops repl_lru = {"lru",     lru_size,       lru_reset,
                                  lru_touch, lru_invalidate, lru_victim};
