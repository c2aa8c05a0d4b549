/*
 * cache.h - one set-associative cache array: tags, MESI state per line,
 * replacement, and the counters of that cache.  The hierarchy (memsys.c)
 * decides what an access does; this file only finds, fills and drops lines.
 *
 * Invariants: sets, line size are powers of two; a line is valid iff its
 * state is not MESI_I; a modified line (MESI_M) is dirty.
 * Hot: cache_lookup() and cache_touch() run on every access.
 */
#ifndef VTSIM_MODEL_CACHE_CACHE_H
#define VTSIM_MODEL_CACHE_CACHE_H

#include <stdbool.h>
#include <stdint.h>

#include "model/base/rng.h"
#include "model/cache/mesi.h"
#include "model/cache/repl.h"

#define CACHE_MAX_VMS 16

/* Per-cache parameters (also the config struct of machine.l1i/l1d/l2/l3). */
struct cache_config {
    uint64_t size;    /* bytes; 0 = the level is absent (l3 only) */
    uint64_t ways;    /* associativity */
    uint64_t line;    /* line size in bytes */
    uint64_t latency; /* hit latency in cycles */
    int replacement;  /* enum repl_kind */
    int write_policy; /* enum write_policy */
    bool shared;      /* l2: shared by all cores instead of private */
};

enum write_policy { WRITE_BACK, WRITE_THROUGH };

/* What the kind of an access was, for per-kind miss counts. */
enum mem_kind { MEM_IFETCH, MEM_READ, MEM_WRITE, MEM_WALK, MEM_RMW, MEM_NKINDS };

struct cache_line {
    uint64_t tag; /* line address >> line_shift */
    uint8_t state;
};

struct cache_stats {
    uint64_t accesses, hits;
    uint64_t misses[MEM_NKINDS];
    uint64_t writebacks, evictions;
    uint64_t inval_received, inval_sent, c2c_supplied, upgrades;
    uint64_t vm_accesses[CACHE_MAX_VMS], vm_misses[CACHE_MAX_VMS];
};

struct cache {
    const char *name;
    unsigned sets, ways, line_shift;
    uint64_t set_mask;
    unsigned latency;
    bool write_through;
    struct cache_line *lines; /* sets * ways */
    uint8_t *repl_state;      /* sets * repl_bytes */
    size_t repl_bytes;
    const struct repl_ops *repl;
    struct rng *rng;
    struct cache_stats st;
};

/* Build from a config; 0, or -1 with a reason in err (sizes not powers of
 * two, too few lines for the ways, no memory). */
int cache_init(struct cache *c, const char *name, const struct cache_config *cfg, struct rng *rng,
               char *err, size_t errlen);
void cache_free(struct cache *c);

static inline uint64_t cache_line_of(const struct cache *c, uint64_t paddr)
{
    return paddr >> c->line_shift;
}

/* The way holding line address `la` in its set, or -1. */
static inline int cache_lookup(const struct cache *c, uint64_t la)
{
    const struct cache_line *set = &c->lines[(la & c->set_mask) * c->ways];
    for (unsigned w = 0; w < c->ways; w++)
        if (set[w].tag == la && set[w].state != MESI_I)
            return (int)w;
    return -1;
}

static inline struct cache_line *cache_line_at(struct cache *c, uint64_t la, int way)
{
    return &c->lines[(la & c->set_mask) * c->ways + (unsigned)way];
}

/* Mark a hit for replacement. */
static inline void cache_touch(struct cache *c, uint64_t la, int way)
{
    c->repl->touch(c->repl_state + (la & c->set_mask) * c->repl_bytes, c->ways, (unsigned)way);
}

/*
 * Make room for `la` and install it in `state`.  If a valid line had to go,
 * *victim receives it (its tag and state before eviction) and true is
 * returned, so the hierarchy can write it back and keep inclusion.
 */
bool cache_fill(struct cache *c, uint64_t la, uint8_t state, struct cache_line *victim);

/* Drop line `la` if present; returns its previous state (MESI_I if absent). */
uint8_t cache_invalidate(struct cache *c, uint64_t la);

/* Drop the line in frame `frame` (set * ways + way, below sets * ways);
 * returns its previous state.  For whole-cache walks (WBINVD, INVD). */
uint8_t cache_invalidate_frame(struct cache *c, uint64_t frame);

/* Valid lines currently held (for occupancy studies). */
uint64_t cache_occupancy(const struct cache *c);

#endif
