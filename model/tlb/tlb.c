/*
 * tlb.c - the generic TLB array (see tlb.h).
 */
#include "model/tlb/tlb.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/base/stats.h"

const char *const tlb_repl_names[] = {"lru", "random", NULL};

static bool pow2(uint64_t v)
{
    return v && !(v & (v - 1));
}

int tlb_init(struct tlb *t, const char *name, const struct tlb_config *cfg, struct rng *rng,
             char *err, size_t errlen)
{
    memset(t, 0, sizeof(*t));
    t->name = name;
    if (!pow2(cfg->entries) || !pow2(cfg->ways) || cfg->ways > cfg->entries ||
        cfg->entries > 65536) {
        snprintf(err, errlen,
                 "%s: entries (%llu) and ways (%llu) must be powers of two, ways <= "
                 "entries <= 65536",
                 name, (unsigned long long)cfg->entries, (unsigned long long)cfg->ways);
        return -1;
    }
    t->entries = (unsigned)cfg->entries;
    t->ways = (unsigned)cfg->ways;
    t->sets = t->entries / t->ways;
    t->set_mask = t->sets - 1;
    t->latency = (unsigned)cfg->latency;
    t->repl = cfg->replacement == TLB_RANDOM ? TLB_RANDOM : TLB_LRU;
    t->rng = rng;
    t->e = calloc(t->entries, sizeof(*t->e));
    if (!t->e) {
        snprintf(err, errlen, "%s: out of memory", name);
        return -1;
    }
    return 0;
}

void tlb_free(struct tlb *t)
{
    free(t->e);
    t->e = NULL;
}

static struct tlb_entry *set_of(struct tlb *t, uint64_t vpn)
{
    return &t->e[(vpn & t->set_mask) * t->ways];
}

static void count(struct tlb *t, unsigned shift, int delta)
{
    t->size_count[shift] = (uint32_t)((int)t->size_count[shift] + delta);
    if (t->size_count[shift])
        t->size_mask |= 1ull << shift;
    else
        t->size_mask &= ~(1ull << shift);
}

static void drop(struct tlb *t, struct tlb_entry *e)
{
    e->valid = false;
    count(t, e->shift, -1);
}

struct tlb_entry *tlb_lookup(struct tlb *t, uint64_t va, uint32_t tag)
{
    t->st.lookups++;
    for (uint64_t m = t->size_mask; m; m &= m - 1) {
        unsigned shift = (unsigned)__builtin_ctzll(m);
        uint64_t vpn = va >> shift;
        struct tlb_entry *s = set_of(t, vpn);
        for (unsigned w = 0; w < t->ways; w++) {
            struct tlb_entry *e = &s[w];
            if (e->valid && e->shift == shift && e->vpn == vpn && (e->global || e->tag == tag)) {
                e->lru = ++t->clock;
                t->st.hits++;
                return e;
            }
        }
    }
    t->st.misses++;
    return NULL;
}

static bool overlaps(const struct tlb_entry *e, uint64_t lo, uint64_t hi)
{
    uint64_t elo = e->vpn << e->shift, ehi = elo + (1ull << e->shift);
    return elo < hi && lo < ehi;
}

unsigned tlb_purge_range(struct tlb *t, uint64_t va, uint64_t size, uint32_t tag, bool any_tag,
                         bool pinned_too)
{
    unsigned n = 0;
    uint64_t hi = va + size < va ? UINT64_MAX : va + size;
    t->st.purges_range++;
    for (unsigned i = 0; i < t->entries; i++) {
        struct tlb_entry *e = &t->e[i];
        if (!e->valid || (e->pinned && !pinned_too) || !overlaps(e, va, hi))
            continue;
        if (!any_tag && !e->global && e->tag != tag)
            continue;
        drop(t, e);
        n++;
    }
    t->st.purged += n;
    return n;
}

unsigned tlb_purge_tag(struct tlb *t, uint32_t tag)
{
    unsigned n = 0;
    t->st.purges_tag++;
    for (unsigned i = 0; i < t->entries; i++) {
        struct tlb_entry *e = &t->e[i];
        if (e->valid && !e->pinned && !e->global && e->tag == tag) {
            drop(t, e);
            n++;
        }
    }
    t->st.purged += n;
    return n;
}

unsigned tlb_purge_all(struct tlb *t, bool keep_global)
{
    unsigned n = 0;
    t->st.purges_all++;
    for (unsigned i = 0; i < t->entries; i++) {
        struct tlb_entry *e = &t->e[i];
        if (e->valid && !e->pinned && !(keep_global && e->global)) {
            drop(t, e);
            n++;
        }
    }
    t->st.purged += n;
    return n;
}

int tlb_insert(struct tlb *t, uint64_t va, uint64_t pa, unsigned shift, uint32_t tag, uint64_t attr,
               bool global, bool pinned)
{
    if (shift < 12 || shift > 32)
        return -1;
    uint64_t base = va >> shift << shift;
    /* Overlapping translations of the same address space go first; the
     * purge is not counted as a guest-visible purge. */
    uint64_t saved = t->st.purges_range, saved_n = t->st.purged;
    tlb_purge_range(t, base, 1ull << shift, tag, global, false);
    t->st.purges_range = saved;
    t->st.purged = saved_n;

    uint64_t vpn = va >> shift;
    struct tlb_entry *s = set_of(t, vpn), *victim = NULL;
    for (unsigned w = 0; w < t->ways && !victim; w++)
        if (!s[w].valid)
            victim = &s[w];
    if (!victim) {
        unsigned candidates = 0;
        for (unsigned w = 0; w < t->ways; w++)
            candidates += !s[w].pinned;
        if (!candidates)
            return -1;
        if (t->repl == TLB_RANDOM) {
            uint64_t k = rng_below(t->rng, candidates);
            for (unsigned w = 0; w < t->ways; w++)
                if (!s[w].pinned && k-- == 0) {
                    victim = &s[w];
                    break;
                }
        } else {
            for (unsigned w = 0; w < t->ways; w++)
                if (!s[w].pinned && (!victim || s[w].lru < victim->lru))
                    victim = &s[w];
        }
        drop(t, victim);
        t->st.evictions++;
    }
    *victim = (struct tlb_entry){
        .vpn = vpn,
        .pfn = pa >> shift,
        .attr = attr,
        .lru = ++t->clock,
        .tag = tag,
        .shift = (uint8_t)shift,
        .valid = true,
        .global = global,
        .pinned = pinned,
    };
    count(t, shift, 1);
    t->st.inserts++;
    return 0;
}

int tlb_register_stats(struct tlb *t, struct stats_group *g)
{
    int rc = 0;
    rc |= stats_counter(g, "lookups", &t->st.lookups, "lookups", "translations looked up");
    rc |= stats_counter(g, "hits", &t->st.hits, "lookups", "lookups that hit");
    rc |= stats_counter(g, "misses", &t->st.misses, "lookups", "lookups that missed");
    rc |= stats_formula(g, "miss_rate", "misses / lookups", "ratio", "misses per lookup");
    rc |= stats_counter(g, "inserts", &t->st.inserts, "entries", "translations inserted");
    rc |= stats_counter(g, "evictions", &t->st.evictions, "entries",
                        "valid entries replaced by an insert");
    rc |= stats_counter(g, "purges_range", &t->st.purges_range, "events",
                        "purges by address range (invlpg, ptc.l, ...)");
    rc |= stats_counter(g, "purges_tag", &t->st.purges_tag, "events",
                        "purges of one address space (tag)");
    rc |= stats_counter(g, "purges_all", &t->st.purges_all, "events",
                        "purges of the whole array (CR3 write, ptc.e, ...)");
    rc |= stats_counter(g, "purged", &t->st.purged, "entries", "entries removed by purges");
    return rc ? -1 : 0;
}
