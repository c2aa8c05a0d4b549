/*
 * stats_impl.h - the registry's internal representation, shared by
 * stats.c (registration, phases, values) and stats_output.c (JSON, docs).
 * Not for use outside model/base.
 */
#ifndef VTSIM_MODEL_BASE_STATS_IMPL_H
#define VTSIM_MODEL_BASE_STATS_IMPL_H

#include "model/base/expr.h"
#include "model/base/stats.h"

#define STATS_MAX_PHASES 64

enum stat_kind { STAT_COUNTER, STAT_HISTOGRAM, STAT_FORMULA };

struct stats_group {
    struct stats *stats;
    struct stats_group *parent;
    char *name; /* path segment */
    char *path; /* full dotted path, "" for the root */
    char *desc;
    struct stats_group **kids; /* in creation order */
    size_t nkids, kcap;
    struct stats_group *instance_of; /* for cpu3: the aggregate group cpu */
    bool is_aggregate;               /* cpu, cpu.l1d: values are sums */
    bool agg_base;                   /* the aggregate made by stats_instance itself */
};

struct stat_entry {
    char *name; /* full dotted name */
    char *leaf; /* last segment */
    char *unit, *desc;
    enum stat_kind kind;
    struct stats_group *group;
    size_t order;
    const uint64_t *ctr;       /* counter */
    const struct histogram *h; /* histogram */
    struct expr *ex;           /* formula */
    char *expr_text;           /* formula source */
    long slot;                 /* first primitive slot; -1 for formulas and aggregates */
    bool aggregate;            /* sum of src entries */
    size_t *src;
    size_t nsrc, srccap;
};

/* A primitive value owned by a model: a counter or one histogram cell. */
struct stat_slot {
    const uint64_t *p;
};

struct stat_phase {
    char *name;
    bool open;
    uint64_t *snap; /* slot values at the last begin */
    uint64_t *acc;  /* accumulated deltas of closed intervals */
    size_t nslots;  /* size of snap/acc */
};

struct stats {
    struct stats_group *root;
    struct stat_entry *entries;
    size_t nentries, ecap;
    long *hash; /* open addressing over entries by full name */
    size_t hcap;
    struct stat_slot *slots;
    size_t nslots, scap;
    struct stat_phase phases[STATS_MAX_PHASES];
    size_t nphases;
};

long stats_find(const struct stats *s, const char *name);
/* The phase called `phase` (NULL for "total"); *ok false if there is none. */
const struct stat_phase *stats_phase_lookup(const struct stats *s, const char *phase, bool *ok);
/* Cell `cell` of entry idx in phase p: 0 = counter value or histogram count,
 * 1 = histogram sum, 2 + b = histogram bucket b. */
uint64_t stats_entry_u64(const struct stats *s, const struct stat_phase *p, size_t idx,
                         unsigned cell);
double stats_entry_value(const struct stats *s, const struct stat_phase *p, size_t idx, int depth);
unsigned stats_entry_nbuckets(const struct stats *s, size_t idx);
uint64_t stats_entry_width(const struct stats *s, size_t idx);
uint64_t stats_entry_max(const struct stats *s, size_t idx);

typedef void (*stats_walk_fn)(void *ctx, size_t idx);
/* Every entry in output order: groups depth-first, entries in registration order. */
void stats_walk(const struct stats *s, stats_walk_fn fn, void *ctx);

#endif
