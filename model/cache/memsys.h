/*
 * memsys.h - the memory hierarchy every fetch, load, store and page-table
 * walk passes through: private L1I/L1D (and L2) per core, a shared last
 * level, MESI coherence between the cores' private caches over a snooping
 * bus, and DRAM with an optional bandwidth limit.  docs/model-cache.md
 * says what is modelled and what is not.
 *
 * One call answers an access with its latency and updates every state.
 * Hot: memsys_access() on every simulated memory reference; an L1 hit is a
 * mask, a short tag loop and a replacement update.
 */
#ifndef VTSIM_MODEL_CACHE_MEMSYS_H
#define VTSIM_MODEL_CACHE_MEMSYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/base/param.h"
#include "model/cache/cache.h"

struct stats_group;

struct coherence_config {
    uint64_t c2c_latency;        /* a dirty line supplied by another core's cache */
    uint64_t upgrade_latency;    /* S -> M: invalidate the other copies, no data */
    uint64_t invalidate_latency; /* extra for a write miss that invalidates copies */
};

struct dram_config {
    uint64_t latency;          /* cycles from the last cache level to data */
    uint64_t bandwidth;        /* bytes per cycle on the one channel; 0 = unlimited */
    uint64_t uncached_latency; /* an access to an uncacheable range */
};

struct memsys_config {
    struct cache_config l1i, l1d, l2, l3;
    struct coherence_config coherence;
    struct dram_config dram;
};

/* Where an access was served, for the core's EMON events. */
enum mem_level { LEVEL_UNCACHED, LEVEL_L1, LEVEL_L2, LEVEL_L3, LEVEL_DRAM, LEVEL_PEER };

struct mem_result {
    uint32_t latency;
    uint8_t level; /* enum mem_level of the farthest line */
    bool l1_miss, l2_miss, l3_miss;
};

struct memsys;

/* Build the hierarchy for `ncores` cores; `seed` drives random
 * replacement.  NULL with a reason in err on a bad config. */
struct memsys *memsys_new(const struct memsys_config *cfg, unsigned ncores, uint64_t seed,
                          char *err, size_t errlen);
void memsys_free(struct memsys *ms);

/* Accesses to [base, base+size) bypass the caches (MMIO, ...).  0 or -1. */
int memsys_add_uncacheable(struct memsys *ms, uint64_t base, uint64_t size);

/*
 * One access of `size` bytes (1..64) at physical address `paddr` by `core`
 * on behalf of VM `vm` (0..15, 0 may be the hypervisor) at cycle `now`.
 * Returns the latency in cycles; *out (may be NULL) says where it was
 * served.  An access that crosses a line boundary touches both lines; its
 * latency is the larger of the two (the halves proceed in parallel).
 */
uint32_t memsys_access(struct memsys *ms, unsigned core, uint64_t paddr, unsigned size,
                       enum mem_kind kind, unsigned vm, uint64_t now, struct mem_result *out);

/*
 * Cache flush instructions.  FLUSH_LINE (IA-32 CLFLUSH, IA-64 fc): the line
 * holding `paddr` leaves every level of every core, a dirty copy written to
 * DRAM.  FLUSH_LINE_ICACHE (IA-64 fc.i): every core's L1I drops the line
 * and the data side's latest copy is made visible to instruction fetch.
 * FLUSH_ALL_WRITEBACK (WBINVD) and FLUSH_ALL_DISCARD (INVD): every cache
 * `core` reaches - its private L1I, L1D, L2 and the shared L2/L3 - is
 * walked and emptied, with or without writing dirty lines to DRAM; other
 * cores' private caches are untouched.  docs/model-cache.md gives the cost
 * model.  The model holds timing only, so INVD loses no data.
 */
enum flush_kind { FLUSH_LINE, FLUSH_LINE_ICACHE, FLUSH_ALL_WRITEBACK, FLUSH_ALL_DISCARD };

struct flush_result {
    uint32_t latency;      /* cycles the flushing instruction takes */
    uint64_t frames;       /* line frames walked (whole-cache flushes) */
    uint64_t invalidated;  /* valid lines dropped, every level counted */
    uint64_t written_back; /* dirty lines written to DRAM */
};

/* Flush for `core` at cycle `now`; returns the latency, *out (may be NULL)
 * the details.  A bad core or an uncacheable address does nothing. */
uint32_t memsys_flush(struct memsys *ms, unsigned core, uint64_t paddr, enum flush_kind kind,
                      uint64_t now, struct flush_result *out);

/*
 * memsys_access_direct() is the hierarchy itself; memsys_access() is what
 * every hart calls, and it goes straight to memsys_access_direct() unless a
 * port is installed.  A port is another way to reach the hierarchy - the
 * SystemC kernel's TLM-2.0 initiator socket (sim/systemc/memory_port.hh) -
 * that the cores need not know about: it receives the access as
 * memsys_access() did and must answer it, in the end, with
 * memsys_access_direct() on the same memsys (or its result would differ).
 */
typedef uint32_t (*memsys_port_fn)(void *ctx, unsigned core, uint64_t paddr, unsigned size,
                                   enum mem_kind kind, unsigned vm, uint64_t now,
                                   struct mem_result *out);
uint32_t memsys_access_direct(struct memsys *ms, unsigned core, uint64_t paddr, unsigned size,
                              enum mem_kind kind, unsigned vm, uint64_t now,
                              struct mem_result *out);
/* Install `fn` (NULL: none) as the port every memsys_access() takes. */
void memsys_set_port(struct memsys *ms, memsys_port_fn fn, void *ctx);

/* Register every cache's stats (coreN.l1i, coreN.l1d, coreN.l2, l2 or l3,
 * bus, dram) under root, with per-VM counts for vms 0..nvms-1.  0 or -1. */
int memsys_register_stats(struct memsys *ms, struct stats_group *root, unsigned nvms);

/* The caches, for tests and occupancy studies (NULL when absent). */
struct cache *memsys_cache(struct memsys *ms, unsigned core, const char *level);

/* Parameter tables of the machine sections (offsets within struct
 * cache_config, coherence_config, dram_config); sizes are part of the
 * declaration so that section tables can count them at compile time. */
#define MEMSYS_CACHE_NPARAMS 6
extern const struct param memsys_l1i_params[MEMSYS_CACHE_NPARAMS];
extern const struct param memsys_l1d_params[MEMSYS_CACHE_NPARAMS];
extern const struct param memsys_l2_params[MEMSYS_CACHE_NPARAMS + 1];
extern const struct param memsys_l3_params[MEMSYS_CACHE_NPARAMS];
extern const struct param memsys_coherence_params[3];
extern const struct param memsys_dram_params[3];

#endif
