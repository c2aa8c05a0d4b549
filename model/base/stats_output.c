/*
 * stats_output.c - stats.json and the Markdown reference table.
 *
 * stats.json layout (docs/stats.md):
 *   { "format": "vtsim-stats-1",
 *     "phases": { "total": { "<full.name>": value, ... }, "<phase>": { ... } } }
 * Counters are integers; formulas are numbers or null (undefined, e.g. a
 * division by zero); histograms are objects
 *   { "width": W, "count": C, "sum": S, "max": M, "buckets": [ ... ] }
 * ("max" only in "total": a maximum cannot be split by phase).  Order:
 * groups depth-first in creation order, stats in registration order; phases
 * "total" first, then in the order they first began.
 */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "model/base/json.h"
#include "model/base/stats_impl.h"

struct json_ctx {
    const struct stats *s;
    const struct stat_phase *p;
    struct json *j;
};

static void json_entry(void *arg, size_t idx)
{
    struct json_ctx *c = arg;
    const struct stat_entry *e = &c->s->entries[idx];
    json_key(c->j, e->name);
    switch (e->kind) {
    case STAT_COUNTER:
        json_uint(c->j, stats_entry_u64(c->s, c->p, idx, 0));
        break;
    case STAT_FORMULA:
        json_double(c->j, stats_entry_value(c->s, c->p, idx, 0));
        break;
    case STAT_HISTOGRAM: {
        unsigned nb = stats_entry_nbuckets(c->s, idx);
        json_begin_object(c->j);
        json_key(c->j, "width");
        json_uint(c->j, stats_entry_width(c->s, idx));
        json_key(c->j, "count");
        json_uint(c->j, stats_entry_u64(c->s, c->p, idx, 0));
        json_key(c->j, "sum");
        json_uint(c->j, stats_entry_u64(c->s, c->p, idx, 1));
        if (!c->p) {
            json_key(c->j, "max");
            json_uint(c->j, stats_entry_max(c->s, idx));
        }
        json_key(c->j, "buckets");
        json_begin_array(c->j);
        for (unsigned b = 0; b < nb; b++)
            json_uint(c->j, stats_entry_u64(c->s, c->p, idx, 2 + b));
        json_end_array(c->j);
        json_end_object(c->j);
        break;
    }
    }
}

int stats_write_json(struct stats *s, FILE *f)
{
    struct json j;
    if (!s || !f)
        return -1;
    json_init(&j, f);
    json_begin_object(&j);
    json_key(&j, "format");
    json_string(&j, "vtsim-stats-1");
    json_key(&j, "phases");
    json_begin_object(&j);
    for (long i = -1; i < (long)s->nphases; i++) {
        struct json_ctx c = {s, i < 0 ? NULL : &s->phases[i], &j};
        json_key(&j, i < 0 ? "total" : s->phases[i].name);
        json_begin_object(&j);
        stats_walk(s, json_entry, &c);
        json_end_object(&j);
    }
    json_end_object(&j);
    json_end_object(&j);
    return json_finish(&j);
}

/* cpu0.l1d.misses -> cpuN.l1d.misses: a segment of an instance group is
 * replaced by its base and N. */
static void fold_name(const struct stat_entry *e, char *buf, size_t len)
{
    const struct stats_group *chain[64];
    int n = 0;
    for (const struct stats_group *g = e->group; g && g->parent && n < 64; g = g->parent)
        chain[n++] = g;
    size_t at = 0;
    buf[0] = '\0';
    for (int i = n - 1; i >= 0; i--) {
        const struct stats_group *g = chain[i];
        int w;
        if (g->instance_of)
            w = snprintf(buf + at, len - at, "%sN.", g->instance_of->name);
        else
            w = snprintf(buf + at, len - at, "%s.", g->name);
        if (w < 0 || (size_t)w >= len - at)
            return;
        at += (size_t)w;
    }
    snprintf(buf + at, len - at, "%s", e->leaf);
}

struct doc_ctx {
    const struct stats *s;
    FILE *f;
    char **seen;
    size_t nseen, cap;
    int err;
};

static const char *kind_name(const struct stat_entry *e)
{
    switch (e->kind) {
    case STAT_COUNTER:
        return "counter";
    case STAT_HISTOGRAM:
        return "histogram";
    case STAT_FORMULA:
        return "formula";
    }
    return "?";
}

/* The instance base whose aggregate this entry lives in ("cpu" for cpu.l1d.x). */
static const char *aggregate_base(const struct stat_entry *e)
{
    for (const struct stats_group *g = e->group; g; g = g->parent)
        if (g->agg_base)
            return g->name;
    return "?";
}

static void doc_entry(void *arg, size_t idx)
{
    struct doc_ctx *c = arg;
    const struct stat_entry *e = &c->s->entries[idx];
    char name[512];
    fold_name(e, name, sizeof(name));
    for (size_t i = 0; i < c->nseen; i++)
        if (strcmp(c->seen[i], name) == 0)
            return;
    if (c->nseen == c->cap) {
        size_t nc = c->cap ? c->cap * 2 : 64;
        char **ns = realloc(c->seen, nc * sizeof(*ns));
        if (!ns) {
            c->err = -1;
            return;
        }
        c->seen = ns;
        c->cap = nc;
    }
    c->seen[c->nseen] = strdup(name);
    if (!c->seen[c->nseen]) {
        c->err = -1;
        return;
    }
    c->nseen++;
    char desc[600];
    if (e->aggregate && e->kind == STAT_FORMULA)
        snprintf(desc, sizeof(desc), "%s (over the sums of all %sN)", e->desc, aggregate_base(e));
    else if (e->aggregate)
        snprintf(desc, sizeof(desc), "%s (sum over all %sN)", e->desc, aggregate_base(e));
    else
        snprintf(desc, sizeof(desc), "%s", e->desc);
    if (e->kind == STAT_FORMULA) {
        fprintf(c->f, "| `%s` | %s: `%s` | %s | %s |\n", name, kind_name(e), e->expr_text, e->unit,
                desc);
    } else {
        fprintf(c->f, "| `%s` | %s | %s | %s |\n", name, kind_name(e), e->unit, desc);
    }
}

int stats_write_doc(struct stats *s, FILE *f)
{
    if (!s || !f)
        return -1;
    struct doc_ctx c = {.s = s, .f = f};
    fprintf(f, "| name | kind | unit | description |\n|---|---|---|---|\n");
    stats_walk(s, doc_entry, &c);
    for (size_t i = 0; i < c.nseen; i++)
        free(c.seen[i]);
    free(c.seen);
    return (c.err || ferror(f)) ? -1 : 0;
}
