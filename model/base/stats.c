/*
 * stats.c - the statistics registry (see stats.h): groups, instances and
 * their aggregates, counters, histograms, formulas, phases, lookup.
 * Output (JSON, Markdown) is in stats_output.c.
 *
 * Representation: every stat is an entry in one array, in registration
 * order; groups form a tree whose depth-first order (children in creation
 * order) is the output order.  Counters and histogram cells that the models
 * own are "primitive slots": phases keep one snapshot and one accumulator
 * per slot, so begin/end is a linear pass with no allocation once the
 * phase's arrays are sized.  Aggregate stats hold the list of the entries
 * they sum; their values are computed on demand, never on the hot path.
 */
#include "model/base/stats_impl.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

int histogram_init(struct histogram *h, unsigned nbuckets, uint64_t width)
{
    memset(h, 0, sizeof(*h));
    if (nbuckets == 0 || width == 0 || nbuckets > (1u << 20))
        return -1;
    h->buckets = calloc(nbuckets, sizeof(*h->buckets));
    if (!h->buckets)
        return -1;
    h->nbuckets = nbuckets;
    h->width = width;
    return 0;
}

void histogram_free(struct histogram *h)
{
    free(h->buckets);
    memset(h, 0, sizeof(*h));
}

static void *grow(void *p, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return p;
    size_t nc = *cap ? *cap : 16;
    while (nc < need)
        nc *= 2;
    void *np = realloc(p, nc * elem);
    if (np)
        *cap = nc;
    return np;
}

/* ---- names and hashing ---- */

static bool valid_segment(const char *s)
{
    if (!s || !*s)
        return false;
    for (; *s; s++)
        if (!islower((unsigned char)*s) && !isdigit((unsigned char)*s) && *s != '_')
            return false;
    return true;
}

static uint64_t hash_name(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

static int hash_insert(struct stats *s, size_t idx)
{
    if ((s->nentries + 1) * 2 > s->hcap) {
        size_t ncap = s->hcap ? s->hcap * 2 : 256;
        long *nh = malloc(ncap * sizeof(*nh));
        if (!nh)
            return -1;
        for (size_t i = 0; i < ncap; i++)
            nh[i] = -1;
        for (size_t i = 0; i < s->nentries; i++) {
            if (i == idx)
                continue;
            size_t h = hash_name(s->entries[i].name) & (ncap - 1);
            while (nh[h] >= 0)
                h = (h + 1) & (ncap - 1);
            nh[h] = (long)i;
        }
        free(s->hash);
        s->hash = nh;
        s->hcap = ncap;
    }
    size_t h = hash_name(s->entries[idx].name) & (s->hcap - 1);
    while (s->hash[h] >= 0)
        h = (h + 1) & (s->hcap - 1);
    s->hash[h] = (long)idx;
    return 0;
}

long stats_find(const struct stats *s, const char *name)
{
    if (!s->hcap)
        return -1;
    size_t h = hash_name(name) & (s->hcap - 1);
    while (s->hash[h] >= 0) {
        if (strcmp(s->entries[s->hash[h]].name, name) == 0)
            return s->hash[h];
        h = (h + 1) & (s->hcap - 1);
    }
    return -1;
}

/* ---- groups ---- */

struct stats *stats_new(void)
{
    struct stats *s = calloc(1, sizeof(*s));
    if (!s)
        return NULL;
    s->root = calloc(1, sizeof(*s->root));
    if (!s->root) {
        free(s);
        return NULL;
    }
    s->root->stats = s;
    s->root->path = strdup("");
    s->root->name = strdup("");
    if (!s->root->path || !s->root->name) {
        stats_free(s);
        return NULL;
    }
    return s;
}

static void free_group(struct stats_group *g)
{
    for (size_t i = 0; i < g->nkids; i++)
        free_group(g->kids[i]);
    free(g->kids);
    free(g->path);
    free(g->name);
    free(g->desc);
    free(g);
}

void stats_free(struct stats *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->nentries; i++) {
        struct stat_entry *e = &s->entries[i];
        free(e->name);
        free(e->leaf);
        free(e->unit);
        free(e->desc);
        free(e->src);
        free(e->expr_text);
        expr_free(e->ex);
    }
    free(s->entries);
    free(s->hash);
    free(s->slots);
    for (size_t i = 0; i < s->nphases; i++) {
        free(s->phases[i].name);
        free(s->phases[i].snap);
        free(s->phases[i].acc);
    }
    if (s->root)
        free_group(s->root);
    free(s);
}

struct stats_group *stats_root(struct stats *s)
{
    return s ? s->root : NULL;
}

static struct stats_group *child(struct stats_group *parent, const char *name)
{
    for (size_t i = 0; i < parent->nkids; i++)
        if (strcmp(parent->kids[i]->name, name) == 0)
            return parent->kids[i];
    return NULL;
}

static struct stats_group *make_child(struct stats_group *parent, const char *name,
                                      const char *desc)
{
    struct stats_group *g = child(parent, name);
    if (g)
        return g;
    struct stats_group **nk =
        grow(parent->kids, &parent->kcap, parent->nkids + 1, sizeof(*parent->kids));
    if (!nk)
        return NULL;
    parent->kids = nk;
    g = calloc(1, sizeof(*g));
    if (!g)
        return NULL;
    g->stats = parent->stats;
    g->parent = parent;
    g->name = strdup(name);
    g->desc = strdup(desc ? desc : "");
    size_t n = strlen(parent->path) + strlen(name) + 2;
    g->path = malloc(n);
    if (!g->name || !g->desc || !g->path) {
        free(g->name);
        free(g->desc);
        free(g->path);
        free(g);
        return NULL;
    }
    snprintf(g->path, n, "%s%s%s", parent->path, *parent->path ? "." : "", name);
    /* A group inside an aggregate is an aggregate too (cpu.l1d). */
    g->is_aggregate = parent->is_aggregate;
    parent->kids[parent->nkids++] = g;
    return g;
}

struct stats_group *stats_group(struct stats_group *parent, const char *name, const char *desc)
{
    if (!parent || !valid_segment(name)) {
        fprintf(stderr, "stats: bad group name '%s'\n", name ? name : "(null)");
        return NULL;
    }
    return make_child(parent, name, desc);
}

struct stats_group *stats_instance(struct stats_group *parent, const char *base, unsigned idx,
                                   const char *desc)
{
    char name[128];
    if (!parent || !valid_segment(base) || isdigit((unsigned char)base[strlen(base) - 1]) ||
        strlen(base) > 100) {
        fprintf(stderr, "stats: bad instance base '%s'\n", base ? base : "(null)");
        return NULL;
    }
    snprintf(name, sizeof(name), "%s%u", base, idx);
    /* The aggregate is created first so that it comes first in the output. */
    struct stats_group *agg = make_child(parent, base, desc);
    if (!agg)
        return NULL;
    agg->is_aggregate = true;
    agg->agg_base = true;
    struct stats_group *g = make_child(parent, name, desc);
    if (!g)
        return NULL;
    g->instance_of = agg;
    return g;
}

/* ---- entries ---- */

static char *full_name(const struct stats_group *g, const char *leaf)
{
    size_t n = strlen(g->path) + strlen(leaf) + 2;
    char *s = malloc(n);
    if (s)
        snprintf(s, n, "%s%s%s", g->path, *g->path ? "." : "", leaf);
    return s;
}

static long add_entry(struct stats_group *g, const char *leaf, enum stat_kind kind,
                      const char *unit, const char *desc)
{
    struct stats *s = g->stats;
    char *name = full_name(g, leaf);
    if (!name)
        return -1;
    if (stats_find(s, name) >= 0) {
        fprintf(stderr, "stats: duplicate stat '%s'\n", name);
        free(name);
        return -1;
    }
    struct stat_entry *ne = grow(s->entries, &s->ecap, s->nentries + 1, sizeof(*s->entries));
    if (!ne) {
        free(name);
        return -1;
    }
    s->entries = ne;
    struct stat_entry *e = &s->entries[s->nentries];
    memset(e, 0, sizeof(*e));
    e->name = name;
    e->leaf = strdup(leaf);
    e->unit = strdup(unit ? unit : "");
    e->desc = strdup(desc ? desc : "");
    e->kind = kind;
    e->group = g;
    e->slot = -1;
    e->order = s->nentries;
    if (!e->leaf || !e->unit || !e->desc) {
        free(e->name);
        free(e->leaf);
        free(e->unit);
        free(e->desc);
        return -1;
    }
    size_t idx = s->nentries++;
    if (hash_insert(s, idx) != 0)
        return -1;
    return (long)idx;
}

/* Reserve n primitive slots; returns the first index. */
static long add_slots(struct stats *s, size_t n)
{
    struct stat_slot *ns = grow(s->slots, &s->scap, s->nslots + n, sizeof(*s->slots));
    if (!ns)
        return -1;
    s->slots = ns;
    long first = (long)s->nslots;
    memset(&s->slots[s->nslots], 0, n * sizeof(*s->slots));
    s->nslots += n;
    return first;
}

/*
 * Mirror entry idx (just registered in group g) into the aggregate of every
 * instance ancestor of g: for cpu0.l1d.misses, into cpu.l1d.misses.  The
 * aggregate entry lists idx as a source; aggregates are mirrored further
 * in turn, so nested instances sum correctly.
 */
static int mirror(struct stats *s, size_t idx)
{
    const char *rel[64];
    int depth = 0;
    for (struct stats_group *a = s->entries[idx].group; a && depth < 64; a = a->parent) {
        if (a->instance_of) {
            /* Walk from the aggregate down the relative path rel[depth-1..0]. */
            struct stats_group *t = a->instance_of;
            for (int i = depth - 1; i >= 0 && t; i--) {
                t = make_child(t, rel[i], NULL);
                if (t)
                    t->is_aggregate = true;
            }
            if (!t)
                return -1;
            struct stat_entry *src = &s->entries[idx];
            char *name = full_name(t, src->leaf);
            if (!name)
                return -1;
            long ai = stats_find(s, name);
            free(name);
            if (ai < 0) {
                enum stat_kind k = src->kind;
                ai = add_entry(t, src->leaf, k, src->unit, src->desc);
                if (ai < 0)
                    return -1;
                src = &s->entries[idx];
                struct stat_entry *ae = &s->entries[ai];
                ae->aggregate = true;
                if (k == STAT_FORMULA) {
                    ae->ex = expr_parse(src->expr_text, NULL, 0);
                    ae->expr_text = strdup(src->expr_text);
                    if (!ae->ex || !ae->expr_text)
                        return -1;
                }
                if (mirror(s, (size_t)ai) != 0)
                    return -1;
            }
            struct stat_entry *ae = &s->entries[ai];
            if (ae->kind != s->entries[idx].kind) {
                fprintf(stderr, "stats: '%s' is of different kinds across instances\n", ae->name);
                return -1;
            }
            if (ae->kind != STAT_FORMULA) {
                size_t *nsrc = grow(ae->src, &ae->srccap, ae->nsrc + 1, sizeof(*ae->src));
                if (!nsrc)
                    return -1;
                ae->src = nsrc;
                ae->src[ae->nsrc++] = idx;
            }
        }
        rel[depth++] = a->name;
    }
    return 0;
}

int stats_counter(struct stats_group *g, const char *name, const uint64_t *ctr, const char *unit,
                  const char *desc)
{
    if (!g || !ctr || !valid_segment(name)) {
        fprintf(stderr, "stats: bad counter '%s'\n", name ? name : "(null)");
        return -1;
    }
    long i = add_entry(g, name, STAT_COUNTER, unit, desc);
    if (i < 0)
        return -1;
    long sl = add_slots(g->stats, 1);
    if (sl < 0)
        return -1;
    g->stats->slots[sl].p = ctr;
    g->stats->entries[i].ctr = ctr;
    g->stats->entries[i].slot = sl;
    return mirror(g->stats, (size_t)i);
}

int stats_histogram(struct stats_group *g, const char *name, const struct histogram *h,
                    const char *unit, const char *desc)
{
    if (!g || !h || !h->buckets || !valid_segment(name)) {
        fprintf(stderr, "stats: bad histogram '%s'\n", name ? name : "(null)");
        return -1;
    }
    long i = add_entry(g, name, STAT_HISTOGRAM, unit, desc);
    if (i < 0)
        return -1;
    /* Slots: count, sum, then the buckets. */
    long sl = add_slots(g->stats, 2 + h->nbuckets);
    if (sl < 0)
        return -1;
    struct stat_slot *slot = &g->stats->slots[sl];
    slot[0].p = &h->count;
    slot[1].p = &h->sum;
    for (unsigned b = 0; b < h->nbuckets; b++)
        slot[2 + b].p = &h->buckets[b];
    g->stats->entries[i].h = h;
    g->stats->entries[i].slot = sl;
    return mirror(g->stats, (size_t)i);
}

int stats_formula(struct stats_group *g, const char *name, const char *text, const char *unit,
                  const char *desc)
{
    char err[128];
    if (!g || !text || !valid_segment(name)) {
        fprintf(stderr, "stats: bad formula '%s'\n", name ? name : "(null)");
        return -1;
    }
    struct expr *ex = expr_parse(text, err, sizeof(err));
    if (!ex) {
        fprintf(stderr, "stats: formula '%s' = '%s': %s\n", name, text, err);
        return -1;
    }
    long i = add_entry(g, name, STAT_FORMULA, unit, desc);
    if (i < 0) {
        expr_free(ex);
        return -1;
    }
    g->stats->entries[i].ex = ex;
    g->stats->entries[i].expr_text = strdup(text);
    if (!g->stats->entries[i].expr_text)
        return -1;
    return mirror(g->stats, (size_t)i);
}

/* ---- phases ---- */

static struct stat_phase *phase_get(struct stats *s, const char *name, bool create)
{
    for (size_t i = 0; i < s->nphases; i++)
        if (strcmp(s->phases[i].name, name) == 0)
            return &s->phases[i];
    if (!create || s->nphases >= STATS_MAX_PHASES)
        return NULL;
    struct stat_phase *p = &s->phases[s->nphases];
    memset(p, 0, sizeof(*p));
    p->name = strdup(name);
    if (!p->name)
        return NULL;
    s->nphases++;
    return p;
}

static bool valid_phase(const char *n)
{
    if (!n || !*n || strlen(n) > 64 || strcmp(n, "total") == 0)
        return false;
    for (; *n; n++)
        if (!islower((unsigned char)*n) && !isdigit((unsigned char)*n) && *n != '_' && *n != '.' &&
            *n != '-')
            return false;
    return true;
}

/* Size a phase's arrays to the current slot count (new slots start at 0). */
static int phase_fit(struct stats *s, struct stat_phase *p)
{
    if (p->nslots >= s->nslots)
        return 0;
    uint64_t *ns = realloc(p->snap, s->nslots * sizeof(*ns));
    if (!ns)
        return -1;
    p->snap = ns;
    uint64_t *na = realloc(p->acc, s->nslots * sizeof(*na));
    if (!na)
        return -1;
    p->acc = na;
    for (size_t i = p->nslots; i < s->nslots; i++) {
        p->acc[i] = 0;
        p->snap[i] = *s->slots[i].p; /* registered while open: count from now */
    }
    p->nslots = s->nslots;
    return 0;
}

int stats_phase_begin(struct stats *s, const char *name)
{
    if (!s || !valid_phase(name))
        return -1;
    struct stat_phase *p = phase_get(s, name, true);
    if (!p || p->open || phase_fit(s, p) != 0)
        return -1;
    for (size_t i = 0; i < p->nslots; i++)
        p->snap[i] = *s->slots[i].p;
    p->open = true;
    return 0;
}

int stats_phase_end(struct stats *s, const char *name)
{
    if (!s || !name)
        return -1;
    struct stat_phase *p = phase_get(s, name, false);
    if (!p || !p->open || phase_fit(s, p) != 0)
        return -1;
    for (size_t i = 0; i < p->nslots; i++)
        p->acc[i] += *s->slots[i].p - p->snap[i];
    p->open = false;
    return 0;
}

void stats_finish(struct stats *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->nphases; i++)
        if (s->phases[i].open)
            stats_phase_end(s, s->phases[i].name);
}

/* ---- values ---- */

/* Value of primitive slot `sl` in phase p (NULL = total). */
static uint64_t slot_value(const struct stats *s, const struct stat_phase *p, long sl)
{
    uint64_t cur = *s->slots[sl].p;
    if (!p)
        return cur;
    if ((size_t)sl >= p->nslots)
        return 0;
    uint64_t v = p->acc[sl];
    if (p->open)
        v += cur - p->snap[sl];
    return v;
}

uint64_t stats_entry_u64(const struct stats *s, const struct stat_phase *p, size_t idx,
                         unsigned cell)
{
    const struct stat_entry *e = &s->entries[idx];
    if (e->aggregate) {
        uint64_t sum = 0;
        for (size_t i = 0; i < e->nsrc; i++) {
            const struct stat_entry *src = &s->entries[e->src[i]];
            if (src->kind == STAT_HISTOGRAM && cell >= 2 + stats_entry_nbuckets(s, e->src[i]))
                continue;
            sum += stats_entry_u64(s, p, e->src[i], cell);
        }
        return sum;
    }
    return slot_value(s, p, e->slot + (long)cell);
}

unsigned stats_entry_nbuckets(const struct stats *s, size_t idx)
{
    const struct stat_entry *e = &s->entries[idx];
    if (!e->aggregate)
        return e->h ? e->h->nbuckets : 0;
    unsigned n = 0;
    for (size_t i = 0; i < e->nsrc; i++) {
        unsigned m = stats_entry_nbuckets(s, e->src[i]);
        if (m > n)
            n = m;
    }
    return n;
}

uint64_t stats_entry_width(const struct stats *s, size_t idx)
{
    const struct stat_entry *e = &s->entries[idx];
    if (!e->aggregate)
        return e->h ? e->h->width : 0;
    return e->nsrc ? stats_entry_width(s, e->src[0]) : 0;
}

uint64_t stats_entry_max(const struct stats *s, size_t idx)
{
    const struct stat_entry *e = &s->entries[idx];
    if (!e->aggregate)
        return e->h ? e->h->max : 0;
    uint64_t m = 0;
    for (size_t i = 0; i < e->nsrc; i++) {
        uint64_t v = stats_entry_max(s, e->src[i]);
        if (v > m)
            m = v;
    }
    return m;
}

struct eval_ctx {
    const struct stats *s;
    const struct stat_phase *p;
    const struct stats_group *g;
    int depth;
};

static bool lookup_name(void *arg, const char *name, double *out);

double stats_entry_value(const struct stats *s, const struct stat_phase *p, size_t idx, int depth)
{
    const struct stat_entry *e = &s->entries[idx];
    switch (e->kind) {
    case STAT_COUNTER:
        return (double)stats_entry_u64(s, p, idx, 0);
    case STAT_HISTOGRAM:
        return (double)stats_entry_u64(s, p, idx, 1);
    case STAT_FORMULA: {
        /* Formulas referring to formulas are fine; a cycle is cut off. */
        if (depth > 16)
            return NAN;
        struct eval_ctx c = {s, p, e->group, depth + 1};
        return expr_eval(e->ex, lookup_name, &c, NULL, 0);
    }
    }
    return NAN;
}

static bool lookup_name(void *arg, const char *name, double *out)
{
    struct eval_ctx *c = arg;
    long i = -1;
    if (*c->g->path) {
        char *rel = full_name(c->g, name);
        if (rel) {
            i = stats_find(c->s, rel);
            free(rel);
        }
    }
    if (i < 0)
        i = stats_find(c->s, name);
    if (i < 0)
        return false;
    *out = stats_entry_value(c->s, c->p, (size_t)i, c->depth);
    return true;
}

const struct stat_phase *stats_phase_lookup(const struct stats *s, const char *phase, bool *ok)
{
    *ok = true;
    if (!phase || strcmp(phase, "total") == 0)
        return NULL;
    for (size_t i = 0; i < s->nphases; i++)
        if (strcmp(s->phases[i].name, phase) == 0)
            return &s->phases[i];
    *ok = false;
    return NULL;
}

bool stats_value(struct stats *s, const char *phase, const char *name, double *out)
{
    bool ok;
    if (!s || !name || !out)
        return false;
    const struct stat_phase *p = stats_phase_lookup(s, phase, &ok);
    if (!ok)
        return false;
    long i = stats_find(s, name);
    if (i >= 0) {
        *out = stats_entry_value(s, p, (size_t)i, 0);
        return true;
    }
    /* Histogram sub-values: name.count, name.mean, name.max. */
    const char *dot = strrchr(name, '.');
    if (!dot)
        return false;
    char base[512];
    if ((size_t)(dot - name) >= sizeof(base))
        return false;
    memcpy(base, name, (size_t)(dot - name));
    base[dot - name] = '\0';
    i = stats_find(s, base);
    if (i < 0 || s->entries[i].kind != STAT_HISTOGRAM)
        return false;
    double count = (double)stats_entry_u64(s, p, (size_t)i, 0);
    double sum = (double)stats_entry_u64(s, p, (size_t)i, 1);
    if (strcmp(dot + 1, "count") == 0)
        *out = count;
    else if (strcmp(dot + 1, "mean") == 0)
        *out = count ? sum / count : NAN;
    else if (strcmp(dot + 1, "max") == 0)
        *out = (double)stats_entry_max(s, (size_t)i);
    else
        return false;
    return true;
}

/* Depth-first group order; within a group, registration order. */
static void walk(const struct stats *s, const struct stats_group *g, stats_walk_fn fn, void *ctx)
{
    for (size_t i = 0; i < s->nentries; i++)
        if (s->entries[i].group == g)
            fn(ctx, i);
    for (size_t k = 0; k < g->nkids; k++)
        walk(s, g->kids[k], fn, ctx);
}

void stats_walk(const struct stats *s, stats_walk_fn fn, void *ctx)
{
    walk(s, s->root, fn, ctx);
}

struct visit_ctx {
    struct stats *s;
    const struct stat_phase *p;
    stats_visit_fn fn;
    void *ctx;
};

static void visit_one(void *arg, size_t idx)
{
    struct visit_ctx *v = arg;
    const struct stat_entry *e = &v->s->entries[idx];
    if (e->kind == STAT_HISTOGRAM)
        return;
    v->fn(v->ctx, e->name, stats_entry_value(v->s, v->p, idx, 0));
}

void stats_visit(struct stats *s, const char *phase, stats_visit_fn fn, void *ctx)
{
    bool ok;
    if (!s || !fn)
        return;
    const struct stat_phase *p = stats_phase_lookup(s, phase, &ok);
    if (!ok)
        return;
    struct visit_ctx v = {s, p, fn, ctx};
    stats_walk(s, visit_one, &v);
}
