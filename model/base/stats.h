/*
 * stats.h - the statistics registry: counters, histograms and formulas with
 * stable dotted names, kept for the whole run and per phase.
 *
 * Hot path: models own their counters as plain uint64_t fields and bump them
 * directly (`c->read_misses++`); the registry only holds pointers to them.
 * Nothing here runs per simulated instruction.  Phases are computed from
 * snapshots taken at phase_begin/phase_end, so phases cost nothing between
 * marks.
 *
 * Names: a group is a path segment ("cpu0", "l1d"); a stat's full name is
 * the dotted path of its groups plus its own name ("cpu0.l1d.read_misses").
 * A group made by stats_instance(parent, "cpu", 3) is named "cpu3"; the
 * registry also keeps an aggregate group "cpu" beside the instances whose
 * counters and histograms are the sums over all instances of the same base,
 * and whose formulas are re-evaluated over those sums ("cpu.ipc" is total
 * instructions over total cycles, not a mean of IPCs).
 *
 * Formulas are expressions over other stats of the same group (by plain
 * name) or anywhere (by full dotted name): numbers, names, + - * /, unary
 * minus and parentheses.  Division by zero yields NaN, written as null.
 *
 * Output (stats.json) is deterministic: stats appear in registration order,
 * numbers are printed with a fixed format, and nothing host-dependent is
 * recorded.  See docs/stats.md for the names.
 */
#ifndef VTSIM_MODEL_BASE_STATS_H
#define VTSIM_MODEL_BASE_STATS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct stats;
struct stats_group;

/* Fixed-width bucket histogram; bucket i counts values in [i*width, (i+1)*width),
 * the last bucket also counts everything above.  Hot path: histogram_add(). */
struct histogram {
    uint64_t *buckets;
    unsigned nbuckets;
    uint64_t width;
    uint64_t count, sum, max;
};

/* Allocate buckets; returns 0, or -1 on bad arguments / no memory. */
int histogram_init(struct histogram *h, unsigned nbuckets, uint64_t width);
void histogram_free(struct histogram *h);

static inline void histogram_add(struct histogram *h, uint64_t v)
{
    uint64_t i = v / h->width;
    h->buckets[i < h->nbuckets ? i : h->nbuckets - 1]++;
    h->count++;
    h->sum += v;
    if (v > h->max)
        h->max = v;
}

/* A new, empty registry.  NULL on no memory. */
struct stats *stats_new(void);
/* Frees the registry (not the counters it points to). */
void stats_free(struct stats *s);
/* The root group (empty name). */
struct stats_group *stats_root(struct stats *s);

/* A child group `name` (no dots), created on first use, returned thereafter. */
struct stats_group *stats_group(struct stats_group *parent, const char *name, const char *desc);
/* A child group "<base><idx>", with the aggregate group "<base>" kept beside it. */
struct stats_group *stats_instance(struct stats_group *parent, const char *base, unsigned idx,
                                   const char *desc);

/*
 * Register a stat.  Names must be unique within a group and made of
 * [a-z0-9_]; a duplicate or malformed name is a programming error reported
 * by a return of -1 (and a message on stderr), never a crash.
 * `unit` is a short word ("cycles", "instructions", "bytes", "ratio", "events").
 */
int stats_counter(struct stats_group *g, const char *name, const uint64_t *ctr, const char *unit,
                  const char *desc);
int stats_histogram(struct stats_group *g, const char *name, const struct histogram *h,
                    const char *unit, const char *desc);
int stats_formula(struct stats_group *g, const char *name, const char *expr, const char *unit,
                  const char *desc);

/*
 * Phases.  "total" is implicit and always present.  A phase may begin and
 * end many times (its values accumulate); different phases may overlap;
 * beginning a phase that is open, or ending one that is not, returns -1 and
 * changes nothing.  Phases still open at stats_finish() are closed there.
 */
int stats_phase_begin(struct stats *s, const char *phase);
int stats_phase_end(struct stats *s, const char *phase);
/* Close open phases; call once at the end of a run, before output. */
void stats_finish(struct stats *s);

/*
 * Value of a counter or formula by full dotted name in `phase` ("total" or
 * a phase name).  Returns false when the phase or stat does not exist.
 * Histograms answer with their sum; "name.count", "name.mean", "name.max"
 * are also accepted for them.
 */
bool stats_value(struct stats *s, const char *phase, const char *name, double *out);

/* Write stats.json (see docs/stats.md for the layout).  0, or -1 on I/O error. */
int stats_write_json(struct stats *s, FILE *f);
/* Write a Markdown table of every registered stat (name, kind, unit, description),
 * instance numbers folded to N ("cpuN.cycles").  0, or -1 on I/O error. */
int stats_write_doc(struct stats *s, FILE *f);

/*
 * Visit every counter/formula's full name and value in `phase`, in
 * registration order (used for summary.csv).  Histograms are skipped.
 */
typedef void (*stats_visit_fn)(void *ctx, const char *name, double value);
void stats_visit(struct stats *s, const char *phase, stats_visit_fn fn, void *ctx);

#endif
