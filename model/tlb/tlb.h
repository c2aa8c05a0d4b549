/*
 * tlb.h - a generic TLB array: entries, ways (fully associative when ways
 * == entries), any power-of-two page size from 4 KiB to 4 GiB, an
 * address-space tag per entry (IA-64 region id, VT-x VPID) with global
 * entries that match every tag, pinned entries (IA-64 translation
 * registers) that inserts never replace, and purges by address range, tag
 * or all.  The ISA walkers (IA-64 VHPT, IA-32 two-level) live with their
 * front ends and fill these arrays.
 *
 * Indexing: an entry sits in the set chosen by its own virtual page number
 * at its own page size.  A lookup probes, for each page size currently
 * present in the array (tracked by counts), the set that size selects —
 * usually one or two probes.  Fully associative arrays have one set.
 * Hot: tlb_lookup() on every memory reference.
 */
#ifndef VTSIM_MODEL_TLB_TLB_H
#define VTSIM_MODEL_TLB_TLB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/base/param.h"
#include "model/base/rng.h"

struct stats_group;

enum tlb_repl { TLB_LRU, TLB_RANDOM };

struct tlb_config {
    uint64_t entries;
    uint64_t ways; /* == entries: fully associative */
    int replacement;
    uint64_t latency; /* cycles a hit costs the front end (0: in the pipeline) */
};

struct tlb_entry {
    uint64_t vpn;  /* va >> shift */
    uint64_t pfn;  /* pa >> shift */
    uint64_t attr; /* the ISA's bits: rights, memory attribute, dirty, ... */
    uint64_t lru;  /* last use, from the array's clock */
    uint32_t tag;
    uint8_t shift; /* log2 of the page size */
    bool valid, global, pinned;
};

struct tlb_stats {
    uint64_t lookups, hits, misses, inserts, evictions;
    uint64_t purges_range, purges_tag, purges_all, purged;
};

struct tlb {
    const char *name;
    unsigned entries, ways, sets;
    uint64_t set_mask;
    unsigned latency;
    enum tlb_repl repl;
    struct tlb_entry *e; /* sets * ways */
    uint64_t clock;
    uint32_t size_count[64]; /* valid entries per page shift */
    uint64_t size_mask;      /* bit s set when size_count[s] > 0 */
    struct rng *rng;
    struct tlb_stats st;
};

/* 0, or -1 with a reason (entries/ways not powers of two, ways > entries). */
int tlb_init(struct tlb *t, const char *name, const struct tlb_config *cfg, struct rng *rng,
             char *err, size_t errlen);
void tlb_free(struct tlb *t);

/* The entry translating va for `tag`, or NULL (counted as a miss). */
struct tlb_entry *tlb_lookup(struct tlb *t, uint64_t va, uint32_t tag);

/*
 * Insert a translation of the page containing va (size 1 << shift,
 * 12 <= shift <= 32) to the page at pa.  Entries of the same tag (or
 * global) that overlap the new page are purged first, as IA-64 requires
 * and IA-32 allows.  Returns 0, or -1 when the shift is out of range or
 * every way of the set is pinned.
 */
int tlb_insert(struct tlb *t, uint64_t va, uint64_t pa, unsigned shift, uint32_t tag, uint64_t attr,
               bool global, bool pinned);

/* Purge entries overlapping [va, va+size) — of `tag` only, or of any tag
 * when any_tag; pinned entries are purged only when `pinned_too`.  Returns
 * the number removed. */
unsigned tlb_purge_range(struct tlb *t, uint64_t va, uint64_t size, uint32_t tag, bool any_tag,
                         bool pinned_too);
/* Purge every entry of a tag (globals kept). */
unsigned tlb_purge_tag(struct tlb *t, uint32_t tag);
/* Purge everything not pinned; keep global entries when keep_global. */
unsigned tlb_purge_all(struct tlb *t, bool keep_global);

int tlb_register_stats(struct tlb *t, struct stats_group *g);

/* A section body for a TLB's parameters with the given defaults, e.g.
 *   static const struct param dtlb_params[] = TLB_PARAMS("32", "32", "0", 1);
 * (entries, ways, latency, smallest allowed entries: 0 lets a level be
 * absent; replacement defaults to lru). */
extern const char *const tlb_repl_names[];
#define TLB_PARAMS(entries_, ways_, latency_, min_entries)                                         \
    {                                                                                              \
        {.key = "entries",                                                                         \
         .type = PARAM_UINT,                                                                       \
         .offset = offsetof(struct tlb_config, entries),                                           \
         .def = entries_,                                                                          \
         .min = min_entries,                                                                       \
         .max = 65536,                                                                             \
         .unit = "entries",                                                                        \
         .doc = "number of entries (0: no such level, where allowed)"},                            \
            {.key = "ways",                                                                        \
             .type = PARAM_UINT,                                                                   \
             .offset = offsetof(struct tlb_config, ways),                                          \
             .def = ways_,                                                                         \
             .min = 1,                                                                             \
             .max = 65536,                                                                         \
             .unit = "ways",                                                                       \
             .doc = "associativity (= entries: fully associative)"},                               \
            {.key = "replacement",                                                                 \
             .type = PARAM_ENUM,                                                                   \
             .offset = offsetof(struct tlb_config, replacement),                                   \
             .def = "lru",                                                                         \
             .min = 1,                                                                             \
             .max = 0,                                                                             \
             .choices = tlb_repl_names,                                                            \
             .unit = "",                                                                           \
             .doc = "lru or random (seeded)"},                                                     \
        {                                                                                          \
            .key = "latency", .type = PARAM_UINT, .offset = offsetof(struct tlb_config, latency),  \
            .def = latency_, .min = 0, .max = 1000, .unit = "cycles",                              \
            .doc = "cycles a hit adds to the access"                                               \
        }                                                                                          \
    }

#endif
