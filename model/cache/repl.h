/*
 * repl.h - replacement policies behind one small interface.  A policy keeps
 * a few bytes of state per set; the cache calls touch() on every hit and
 * fill, invalidate() when a line leaves, and victim() when a full set needs
 * room (invalid ways are always chosen first, by the cache itself).
 *
 * Hot: touch() runs on every cache hit.
 */
#ifndef VTSIM_MODEL_CACHE_REPL_H
#define VTSIM_MODEL_CACHE_REPL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/base/rng.h"

enum repl_kind { REPL_LRU, REPL_PLRU, REPL_RANDOM };

struct repl_ops {
    const char *name;
    /* Bytes of state per set for `ways` ways (0 allowed). */
    size_t (*state_size)(unsigned ways);
    void (*reset)(uint8_t *st, unsigned ways);
    void (*touch)(uint8_t *st, unsigned ways, unsigned way);
    void (*invalidate)(uint8_t *st, unsigned ways, unsigned way);
    unsigned (*victim)(uint8_t *st, unsigned ways, struct rng *rng);
};

extern const struct repl_ops repl_lru, repl_plru, repl_random;

/* The ops of a kind (REPL_PLRU needs a power-of-two number of ways). */
const struct repl_ops *repl_get(enum repl_kind k);

#endif
