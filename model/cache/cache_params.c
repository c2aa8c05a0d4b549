/*
 * cache_params.c - parameter tables of the memory hierarchy (machine.l1i,
 * l1d, l2, l3, coherence, dram).  Defaults describe an Itanium 2
 * (Madison, 1.5 GHz); the presets in configs/machines restate them with sources.
 *
 * Sources: Intel Itanium 2 Processor Reference Manual for Software
 * Development and Optimization (document 251110, 2004), chapter on the
 * memory hierarchy: 16 KiB 4-way 64-byte L1I and L1D (write-through integer
 * L1D, 1-cycle integer load-use), 256 KiB 8-way 128-byte L2 (5-cycle
 * integer hit), 3 MiB+ 12-way 128-byte L3 (12-14 cycles); C. McNairy and
 * D. Soltis, "Itanium 2 Processor Microarchitecture", IEEE Micro 23(2),
 * 2003.  Memory latency ~160 ns on a 400 MHz bus, ~240 cycles at 1.5 GHz.
 */
#include <stddef.h>

#include "model/cache/memsys.h"

static const char *const repl_names[] = {"lru", "plru", "random", NULL};
static const char *const write_names[] = {"write_back", "write_through", NULL};

#define CACHE_PARAMS(sz, ways_, line_, lat, wp, doc_level)                                         \
    {.key = "size",                                                                                \
     .type = PARAM_SIZE,                                                                           \
     .offset = offsetof(struct cache_config, size),                                                \
     .def = sz,                                                                                    \
     .min = 0,                                                                                     \
     .max = 1099511627776.0,                                                                       \
     .unit = "bytes",                                                                              \
     .doc = "capacity of the " doc_level},                                                         \
        {.key = "ways",                                                                            \
         .type = PARAM_UINT,                                                                       \
         .offset = offsetof(struct cache_config, ways),                                            \
         .def = ways_,                                                                             \
         .min = 1,                                                                                 \
         .max = 64,                                                                                \
         .unit = "ways",                                                                           \
         .doc = "associativity"},                                                                  \
        {.key = "line",                                                                            \
         .type = PARAM_SIZE,                                                                       \
         .offset = offsetof(struct cache_config, line),                                            \
         .def = line_,                                                                             \
         .min = 8,                                                                                 \
         .max = 4096,                                                                              \
         .unit = "bytes",                                                                          \
         .doc = "line size (power of two)"},                                                       \
        {.key = "latency",                                                                         \
         .type = PARAM_UINT,                                                                       \
         .offset = offsetof(struct cache_config, latency),                                         \
         .def = lat,                                                                               \
         .min = 0,                                                                                 \
         .max = 10000,                                                                             \
         .unit = "cycles",                                                                         \
         .doc = "hit latency"},                                                                    \
        {.key = "replacement",                                                                     \
         .type = PARAM_ENUM,                                                                       \
         .offset = offsetof(struct cache_config, replacement),                                     \
         .def = "lru",                                                                             \
         .min = 1,                                                                                 \
         .max = 0,                                                                                 \
         .choices = repl_names,                                                                    \
         .unit = "",                                                                               \
         .doc = "replacement: lru, plru (tree pseudo-LRU), random (seeded by run.seed)"},          \
    {                                                                                              \
        .key = "write_policy", .type = PARAM_ENUM,                                                 \
        .offset = offsetof(struct cache_config, write_policy), .def = wp, .min = 1, .max = 0,      \
        .choices = write_names, .unit = "",                                                        \
        .doc = "write_back (allocate on write) or write_through (no allocate; l1d only)"           \
    }

const struct param memsys_l1i_params[] = {
    CACHE_PARAMS("16KiB", "4", "64", "1", "write_back", "L1 instruction cache (per core)"),
};
const struct param memsys_l1d_params[] = {
    CACHE_PARAMS("16KiB", "4", "64", "1", "write_through", "L1 data cache (per core)"),
};
const struct param memsys_l2_params[] = {
    CACHE_PARAMS("256KiB", "8", "128", "5", "write_back", "L2"),
    {.key = "shared",
     .type = PARAM_BOOL,
     .offset = offsetof(struct cache_config, shared),
     .def = "false",
     .min = 1,
     .max = 0,
     .unit = "",
     .doc = "one L2 shared by all cores (Core 2) instead of one per core (Itanium 2)"},
};
const struct param memsys_l3_params[] = {
    CACHE_PARAMS("3MiB", "12", "128", "14", "write_back", "shared L3 (0 = no L3)"),
};

const struct param memsys_coherence_params[] = {
    {.key = "c2c_latency",
     .type = PARAM_UINT,
     .offset = offsetof(struct coherence_config, c2c_latency),
     .def = "60",
     .min = 0,
     .max = 100000,
     .unit = "cycles",
     .doc = "a dirty line supplied by another core's cache over the bus"},
    {.key = "upgrade_latency",
     .type = PARAM_UINT,
     .offset = offsetof(struct coherence_config, upgrade_latency),
     .def = "20",
     .min = 0,
     .max = 100000,
     .unit = "cycles",
     .doc = "making a shared line writable (invalidate the others, no data)"},
    {.key = "invalidate_latency",
     .type = PARAM_UINT,
     .offset = offsetof(struct coherence_config, invalidate_latency),
     .def = "20",
     .min = 0,
     .max = 100000,
     .unit = "cycles",
     .doc = "extra for a write miss that invalidates other copies"},
};

const struct param memsys_dram_params[] = {
    {.key = "latency",
     .type = PARAM_UINT,
     .offset = offsetof(struct dram_config, latency),
     .def = "240",
     .min = 0,
     .max = 1000000,
     .unit = "cycles",
     .doc = "from the last cache level to data (about 160 ns at 1.5 GHz)"},
    {.key = "bandwidth",
     .type = PARAM_UINT,
     .offset = offsetof(struct dram_config, bandwidth),
     .def = "0",
     .min = 0,
     .max = 4096,
     .unit = "bytes/cycle",
     .doc = "channel bandwidth; 0 = unlimited (no queueing)"},
    {.key = "uncached_latency",
     .type = PARAM_UINT,
     .offset = offsetof(struct dram_config, uncached_latency),
     .def = "240",
     .min = 0,
     .max = 1000000,
     .unit = "cycles",
     .doc = "an access to an uncacheable range (devices)"},
};
