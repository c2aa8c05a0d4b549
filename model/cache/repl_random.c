/*
 * repl_random.c - random replacement from the machine's seeded generator
 * (run.seed), so runs stay reproducible.  No per-set state.
 */
#include "model/cache/repl.h"

static size_t rnd_size(unsigned ways)
{
    (void)ways;
    return 0;
}

static void rnd_reset(uint8_t *st, unsigned ways)
{
    (void)st;
    (void)ways;
}

static void rnd_touch(uint8_t *st, unsigned ways, unsigned way)
{
    (void)st;
    (void)ways;
    (void)way;
}

static unsigned rnd_victim(uint8_t *st, unsigned ways, struct rng *rng)
{
    (void)st;
    return (unsigned)rng_below(rng, ways);
}

const struct repl_ops repl_random = {"random",  rnd_size,  rnd_reset,
                                     rnd_touch, rnd_touch, rnd_victim};

const struct repl_ops *repl_get(enum repl_kind k)
{
    switch (k) {
    case REPL_LRU:
        return &repl_lru;
    case REPL_PLRU:
        return &repl_plru;
    case REPL_RANDOM:
        return &repl_random;
    }
    return &repl_lru;
}
