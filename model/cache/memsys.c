/*
 * memsys.c - the hierarchy (see memsys.h).
 *
 * Organisation.  Each core has a private domain: L1I and L1D, plus L2 when
 * the L2 is private.  The shared levels (L2 when shared, and L3 when
 * present) sit behind a snooping bus.  Coherence is MESI (mesi.c) at the
 * granularity of the outermost private cache's line (the "unit"); the
 * private domain is inclusive: L1 lines live inside the private L2, and an
 * L2 eviction removes the L1 copies.  A remote write invalidates every
 * private copy, L1I included, so cross-modified code is never stale.  The
 * shared levels are not inclusive of the private ones and take dirty lines
 * written back from them.
 *
 * Latency of an access = the hit latency of each level looked up on the
 * way + coherence costs (c2c transfer, upgrade, invalidation) + DRAM
 * latency and channel wait.  Write-backs are posted: they occupy the DRAM
 * channel but add nothing to the access that caused them.  A write-through
 * L1D (Itanium 2's integer L1D) never holds dirty data and does not
 * allocate on a write miss: the store goes to the L2.
 */
#include "model/cache/memsys.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/base/stats.h"

#define MAX_UNCACHED 16

struct core_caches {
    struct cache l1i, l1d, l2; /* l2 used when private */
};

struct memsys {
    unsigned ncores;
    struct core_caches *cores;
    bool l2_private, has_l3;
    struct cache l2s, l3; /* shared L2 (when shared), L3 (when present) */
    struct coherence_config coh;
    struct dram_config dram;
    uint64_t dram_busy_until;
    unsigned unit_shift; /* coherence unit: the outermost private line */
    struct rng rng;
    struct {
        uint64_t base, end;
    } uncached[MAX_UNCACHED];
    unsigned nuncached;
    /* bus and DRAM counters */
    uint64_t bus_rd, bus_rdx, bus_upgr, bus_c2c;
    uint64_t dram_reads, dram_writes, dram_wait_cycles, uncached_accesses;
    /* flush instructions (memsys_flush) */
    uint64_t fl_line_ops, fl_all_ops, fl_frames, fl_invalidated, fl_written_back;
    memsys_port_fn port; /* NULL: memsys_access() is memsys_access_direct() */
    void *port_ctx;
};

/* ---- construction ---- */

struct memsys *memsys_new(const struct memsys_config *cfg, unsigned ncores, uint64_t seed,
                          char *err, size_t errlen)
{
    struct memsys *ms = calloc(1, sizeof(*ms));
    if (!ms || ncores == 0 || ncores > 1024) {
        snprintf(err, errlen, ms ? "bad core count" : "out of memory");
        free(ms);
        return NULL;
    }
    rng_seed(&ms->rng, seed);
    ms->ncores = ncores;
    ms->l2_private = !cfg->l2.shared;
    ms->has_l3 = cfg->l3.size != 0;
    ms->coh = cfg->coherence;
    ms->dram = cfg->dram;
    ms->cores = calloc(ncores, sizeof(*ms->cores));
    if (!ms->cores) {
        snprintf(err, errlen, "out of memory");
        goto fail;
    }
    if (cfg->l1i.write_policy == WRITE_THROUGH || cfg->l2.write_policy == WRITE_THROUGH ||
        cfg->l3.write_policy == WRITE_THROUGH) {
        snprintf(err, errlen, "write_through is modelled for the l1d only");
        goto fail;
    }
    if (cfg->l1i.line > cfg->l2.line || cfg->l1d.line > cfg->l2.line ||
        (ms->has_l3 && cfg->l2.line > cfg->l3.line)) {
        snprintf(err, errlen, "line sizes must not shrink away from the core (l1 <= l2 <= l3)");
        goto fail;
    }
    for (unsigned c = 0; c < ncores; c++) {
        struct core_caches *cc = &ms->cores[c];
        if (cache_init(&cc->l1i, "l1i", &cfg->l1i, &ms->rng, err, errlen) ||
            cache_init(&cc->l1d, "l1d", &cfg->l1d, &ms->rng, err, errlen) ||
            (ms->l2_private && cache_init(&cc->l2, "l2", &cfg->l2, &ms->rng, err, errlen)))
            goto fail;
    }
    if (!ms->l2_private && cache_init(&ms->l2s, "l2", &cfg->l2, &ms->rng, err, errlen))
        goto fail;
    if (ms->has_l3 && cache_init(&ms->l3, "l3", &cfg->l3, &ms->rng, err, errlen))
        goto fail;
    /* L1I and L1D units must agree when they are the outermost private level. */
    if (!ms->l2_private && cfg->l1i.line != cfg->l1d.line) {
        snprintf(err, errlen, "with a shared l2, l1i.line and l1d.line must be equal");
        goto fail;
    }
    ms->unit_shift = ms->l2_private ? ms->cores[0].l2.line_shift : ms->cores[0].l1d.line_shift;
    return ms;
fail:
    memsys_free(ms);
    return NULL;
}

void memsys_free(struct memsys *ms)
{
    if (!ms)
        return;
    for (unsigned c = 0; ms->cores && c < ms->ncores; c++) {
        cache_free(&ms->cores[c].l1i);
        cache_free(&ms->cores[c].l1d);
        cache_free(&ms->cores[c].l2);
    }
    free(ms->cores);
    cache_free(&ms->l2s);
    cache_free(&ms->l3);
    free(ms);
}

int memsys_add_uncacheable(struct memsys *ms, uint64_t base, uint64_t size)
{
    if (ms->nuncached == MAX_UNCACHED || size == 0 || base + size < base)
        return -1;
    ms->uncached[ms->nuncached].base = base;
    ms->uncached[ms->nuncached].end = base + size;
    ms->nuncached++;
    return 0;
}

struct cache *memsys_cache(struct memsys *ms, unsigned core, const char *level)
{
    if (core >= ms->ncores)
        return NULL;
    if (!strcmp(level, "l1i"))
        return &ms->cores[core].l1i;
    if (!strcmp(level, "l1d"))
        return &ms->cores[core].l1d;
    if (!strcmp(level, "l2"))
        return ms->l2_private ? &ms->cores[core].l2 : &ms->l2s;
    if (!strcmp(level, "l3"))
        return ms->has_l3 ? &ms->l3 : NULL;
    return NULL;
}

/* ---- DRAM ---- */

/* Occupy the channel for one line; returns the wait before it was free. */
static uint64_t dram_transfer(struct memsys *ms, uint64_t now, unsigned bytes)
{
    if (!ms->dram.bandwidth)
        return 0;
    uint64_t busy = (bytes + ms->dram.bandwidth - 1) / ms->dram.bandwidth;
    /* Harts step earliest-clock-first, so `now` is almost monotonic; a
     * request from slightly in the past simply queues behind the channel. */
    uint64_t start = ms->dram_busy_until > now ? ms->dram_busy_until : now;
    ms->dram_busy_until = start + busy;
    return start - now;
}

/* A dirty line leaves the caches: posted write to DRAM. */
static void dram_writeback(struct memsys *ms, uint64_t now, unsigned bytes)
{
    ms->dram_writes++;
    dram_transfer(ms, now, bytes);
}

/* ---- shared levels ---- */

/* A dirty line written back into the shared levels (or DRAM). */
static void shared_writeback(struct memsys *ms, uint64_t paddr, unsigned bytes, uint64_t now)
{
    struct cache *lv[2];
    unsigned n = 0;
    if (!ms->l2_private)
        lv[n++] = &ms->l2s;
    if (ms->has_l3)
        lv[n++] = &ms->l3;
    for (unsigned i = 0; i < n; i++) {
        uint64_t la = cache_line_of(lv[i], paddr);
        int w = cache_lookup(lv[i], la);
        if (w >= 0) {
            cache_line_at(lv[i], la, w)->state = MESI_M;
            return;
        }
    }
    if (n) { /* allocate in the outermost shared level */
        struct cache *c = lv[n - 1];
        struct cache_line victim;
        if (cache_fill(c, cache_line_of(c, paddr), MESI_M, &victim) && victim.state == MESI_M) {
            c->st.writebacks++;
            dram_writeback(ms, now, 1u << c->line_shift);
        }
        return;
    }
    dram_writeback(ms, now, bytes);
}

/* Look the line up in the shared levels and DRAM, filling on the way back.
 * Returns the added latency and sets *level. */
static uint32_t shared_read(struct memsys *ms, uint64_t paddr, enum mem_kind kind, unsigned vm,
                            uint64_t now, struct mem_result *res)
{
    struct cache *lv[2];
    unsigned n = 0, hit = 2;
    uint32_t lat = 0;
    if (!ms->l2_private)
        lv[n++] = &ms->l2s;
    if (ms->has_l3)
        lv[n++] = &ms->l3;
    for (unsigned i = 0; i < n; i++) {
        struct cache *c = lv[i];
        uint64_t la = cache_line_of(c, paddr);
        lat += c->latency;
        c->st.accesses++;
        c->st.vm_accesses[vm]++;
        int w = cache_lookup(c, la);
        if (w >= 0) {
            c->st.hits++;
            cache_touch(c, la, w);
            hit = i;
            break;
        }
        c->st.misses[kind]++;
        c->st.vm_misses[vm]++;
        if (c == &ms->l2s)
            res->l2_miss = true;
        else
            res->l3_miss = true;
    }
    if (hit == 2 || hit >= n) {
        ms->dram_reads++;
        uint64_t wait = dram_transfer(ms, now, 1u << (n ? lv[n - 1]->line_shift : 6));
        ms->dram_wait_cycles += wait;
        lat += (uint32_t)(ms->dram.latency + wait);
        res->level = LEVEL_DRAM;
        hit = n;
    } else {
        res->level = lv[hit] == &ms->l3 ? LEVEL_L3 : LEVEL_L2;
    }
    /* Fill the levels that missed, outermost first. */
    for (unsigned i = hit; i-- > 0;) {
        struct cache_line victim;
        struct cache *c = lv[i];
        if (cache_fill(c, cache_line_of(c, paddr), MESI_E, &victim) && victim.state == MESI_M) {
            c->st.writebacks++;
            uint64_t vaddr = victim.tag << c->line_shift;
            if (c == &ms->l2s && ms->has_l3)
                shared_writeback(ms, vaddr, 1u << c->line_shift, now); /* into L3 */
            else
                dram_writeback(ms, now, 1u << c->line_shift);
        }
    }
    return lat;
}

/* ---- private domains and coherence ---- */

/* The outermost private cache of a core (holds the coherence state). */
static struct cache *outer(struct memsys *ms, unsigned core)
{
    return ms->l2_private ? &ms->cores[core].l2 : &ms->cores[core].l1d;
}

/* Remove every L1 copy of the unit at `paddr` from a core; true if one was dirty. */
static bool drop_l1_copies(struct memsys *ms, unsigned core, uint64_t paddr)
{
    struct core_caches *cc = &ms->cores[core];
    uint64_t base = paddr >> ms->unit_shift << ms->unit_shift;
    uint64_t unit = 1ull << ms->unit_shift;
    bool dirty = false;
    struct cache *l1s[2] = {&cc->l1i, &cc->l1d};
    for (int k = 0; k < 2; k++) {
        if (!ms->l2_private && l1s[k] == &cc->l1d)
            continue; /* the L1D is itself the outer level: handled by the caller */
        uint64_t step = 1ull << l1s[k]->line_shift;
        for (uint64_t a = base; a < base + unit; a += step)
            dirty |= cache_invalidate(l1s[k], cache_line_of(l1s[k], a)) == MESI_M;
    }
    return dirty;
}

/* Apply a snoop to one other core; returns true if it supplied dirty data. */
static bool snoop_core(struct memsys *ms, unsigned core, uint64_t paddr, enum mesi_event ev,
                       uint64_t now)
{
    struct cache *o = outer(ms, core);
    uint64_t la = cache_line_of(o, paddr);
    int w = cache_lookup(o, la);
    struct core_caches *cc = &ms->cores[core];
    bool l1i_copy = !ms->l2_private && cache_lookup(&cc->l1i, cache_line_of(&cc->l1i, paddr)) >= 0;
    if (w < 0) {
        /* Without a private L2, an L1I copy alone still holds the line. */
        if (l1i_copy && ev != MESI_BUS_RD) {
            cache_invalidate(&cc->l1i, cache_line_of(&cc->l1i, paddr));
            cc->l1i.st.inval_received++;
        }
        return false;
    }
    struct cache_line *l = cache_line_at(o, la, w);
    enum mesi_action act;
    uint8_t old = l->state;
    uint8_t next = mesi_next(old, ev, false, &act);
    bool dirty_l1 = false;
    if (next == MESI_I) {
        dirty_l1 = drop_l1_copies(ms, core, paddr);
        cache_invalidate(o, la);
        o->st.inval_received++;
    } else {
        l->state = next;
        /* A downgraded unit must not keep writable L1 copies. */
        if (ms->l2_private) {
            int w1 = cache_lookup(&cc->l1d, cache_line_of(&cc->l1d, paddr));
            if (w1 >= 0) {
                struct cache_line *l1 = cache_line_at(&cc->l1d, cache_line_of(&cc->l1d, paddr), w1);
                dirty_l1 |= l1->state == MESI_M;
                l1->state = next;
            }
        }
    }
    bool supplied = act == MESI_ACT_FLUSH || dirty_l1;
    if (supplied) {
        o->st.c2c_supplied++;
        o->st.writebacks++;
        shared_writeback(ms, paddr, 1u << ms->unit_shift, now);
    }
    return supplied;
}

/* Snoop all other cores for a request of `core`.  Returns whether another
 * private cache holds (held) the line and whether dirty data was supplied. */
static void snoop_others(struct memsys *ms, unsigned core, uint64_t paddr, enum mesi_event ev,
                         uint64_t now, bool *had_copy, bool *supplied, unsigned *invalidated)
{
    *had_copy = *supplied = false;
    *invalidated = 0;
    for (unsigned c = 0; c < ms->ncores; c++) {
        if (c == core)
            continue;
        struct cache *o = outer(ms, c);
        bool copy = cache_lookup(o, cache_line_of(o, paddr)) >= 0 ||
                    (!ms->l2_private &&
                     cache_lookup(&ms->cores[c].l1i, cache_line_of(&ms->cores[c].l1i, paddr)) >= 0);
        if (!copy)
            continue;
        *had_copy = true;
        if (ev != MESI_BUS_RD)
            (*invalidated)++;
        *supplied |= snoop_core(ms, c, paddr, ev, now);
    }
}

/* Install a line in an L1; a dirty victim goes into the private L2 (or out). */
static void fill_l1(struct memsys *ms, unsigned core, struct cache *l1, uint64_t paddr,
                    uint8_t state, uint64_t now)
{
    struct cache_line victim;
    if (!cache_fill(l1, cache_line_of(l1, paddr), state, &victim) || victim.state != MESI_M)
        return;
    l1->st.writebacks++;
    uint64_t vaddr = victim.tag << l1->line_shift;
    if (ms->l2_private) {
        struct cache *l2 = &ms->cores[core].l2;
        int w = cache_lookup(l2, cache_line_of(l2, vaddr));
        if (w >= 0) { /* inclusion: it is there */
            cache_line_at(l2, cache_line_of(l2, vaddr), w)->state = MESI_M;
            return;
        }
    }
    shared_writeback(ms, vaddr, 1u << l1->line_shift, now);
}

/* Install a unit in the private L2, keeping inclusion of the L1s. */
static void fill_l2(struct memsys *ms, unsigned core, uint64_t paddr, uint8_t state, uint64_t now)
{
    struct cache *l2 = &ms->cores[core].l2;
    struct cache_line victim;
    if (!cache_fill(l2, cache_line_of(l2, paddr), state, &victim))
        return;
    uint64_t vaddr = victim.tag << l2->line_shift;
    bool dirty = drop_l1_copies(ms, core, vaddr) || victim.state == MESI_M;
    if (dirty) {
        l2->st.writebacks++;
        shared_writeback(ms, vaddr, 1u << l2->line_shift, now);
    }
}

/* Make the core's copy writable (S -> M via an upgrade).  Returns the cost. */
static uint32_t upgrade(struct memsys *ms, unsigned core, uint64_t paddr, uint64_t now)
{
    bool had, supplied;
    unsigned inv;
    ms->bus_upgr++;
    outer(ms, core)->st.upgrades++;
    snoop_others(ms, core, paddr, MESI_BUS_UPGR, now, &had, &supplied, &inv);
    outer(ms, core)->st.inval_sent += inv;
    return (uint32_t)ms->coh.upgrade_latency;
}

/* Set the state of the unit in the core's outer cache (and L1D copy). */
static void set_state(struct memsys *ms, unsigned core, uint64_t paddr, uint8_t st)
{
    struct cache *o = outer(ms, core);
    int w = cache_lookup(o, cache_line_of(o, paddr));
    if (w >= 0)
        cache_line_at(o, cache_line_of(o, paddr), w)->state = st;
    if (ms->l2_private) {
        struct cache *l1 = &ms->cores[core].l1d;
        int w1 = cache_lookup(l1, cache_line_of(l1, paddr));
        if (w1 >= 0 && !l1->write_through)
            cache_line_at(l1, cache_line_of(l1, paddr), w1)->state = st;
    }
}

static uint8_t outer_state(struct memsys *ms, unsigned core, uint64_t paddr)
{
    struct cache *o = outer(ms, core);
    int w = cache_lookup(o, cache_line_of(o, paddr));
    return w < 0 ? MESI_I : cache_line_at(o, cache_line_of(o, paddr), w)->state;
}

/* One line's worth of access. */
static uint32_t access_line(struct memsys *ms, unsigned core, uint64_t paddr, enum mem_kind kind,
                            unsigned vm, uint64_t now, struct mem_result *res)
{
    struct core_caches *cc = &ms->cores[core];
    bool write = kind == MEM_WRITE || kind == MEM_RMW;
    uint32_t lat = 0;
    struct cache *l1 = kind == MEM_IFETCH ? &cc->l1i : &cc->l1d;
    bool use_l1 = kind != MEM_WALK || !ms->l2_private; /* walkers start at the L2 */

    if (use_l1) {
        uint64_t la = cache_line_of(l1, paddr);
        lat += l1->latency;
        l1->st.accesses++;
        l1->st.vm_accesses[vm]++;
        int w = cache_lookup(l1, la);
        if (w >= 0) {
            cache_touch(l1, la, w);
            l1->st.hits++;
            res->level = LEVEL_L1;
            if (!write)
                return lat;
            uint8_t st = outer_state(ms, core, paddr);
            if (st == MESI_S)
                lat += upgrade(ms, core, paddr, now);
            if (l1->write_through && ms->l2_private) {
                /* The store also updates the L2 copy, which becomes dirty. */
                struct cache *l2 = &cc->l2;
                l2->st.accesses++;
                l2->st.hits++;
                l2->st.vm_accesses[vm]++;
            }
            set_state(ms, core, paddr, MESI_M);
            if (!l1->write_through)
                cache_line_at(l1, la, w)->state = MESI_M;
            return lat;
        }
        l1->st.misses[kind]++;
        l1->st.vm_misses[vm]++;
        res->l1_miss = true;
    }

    if (ms->l2_private) {
        struct cache *l2 = &cc->l2;
        uint64_t la = cache_line_of(l2, paddr);
        lat += l2->latency;
        l2->st.accesses++;
        l2->st.vm_accesses[vm]++;
        int w = cache_lookup(l2, la);
        if (w >= 0) {
            cache_touch(l2, la, w);
            l2->st.hits++;
            res->level = LEVEL_L2;
            uint8_t st = cache_line_at(l2, la, w)->state;
            if (write && st == MESI_S)
                lat += upgrade(ms, core, paddr, now);
            if (write)
                cache_line_at(l2, la, w)->state = MESI_M;
            st = cache_line_at(l2, la, w)->state;
            if (use_l1 && !(write && l1->write_through))
                fill_l1(ms, core, l1, paddr, l1->write_through ? MESI_E : st, now);
            return lat;
        }
        l2->st.misses[kind]++;
        l2->st.vm_misses[vm]++;
        res->l2_miss = true;
    }

    /* Miss in the private domain: the bus. */
    bool had, supplied;
    unsigned inv;
    enum mesi_event ev = write ? MESI_BUS_RDX : MESI_BUS_RD;
    if (write)
        ms->bus_rdx++;
    else
        ms->bus_rd++;
    snoop_others(ms, core, paddr, ev, now, &had, &supplied, &inv);
    outer(ms, core)->st.inval_sent += inv;
    if (inv)
        lat += (uint32_t)ms->coh.invalidate_latency;
    if (supplied) {
        ms->bus_c2c++;
        lat += (uint32_t)ms->coh.c2c_latency;
        res->level = LEVEL_PEER;
    } else {
        lat += shared_read(ms, paddr, kind, vm, now, res);
    }
    enum mesi_action act;
    uint8_t st = mesi_next(MESI_I, write ? MESI_PR_WR : MESI_PR_RD, had, &act);
    if (ms->l2_private)
        fill_l2(ms, core, paddr, st, now);
    if (use_l1) {
        if (write && l1->write_through) {
            /* no-write-allocate: the store lives in the L2 */
        } else if (!ms->l2_private || !l1->write_through) {
            fill_l1(ms, core, l1, paddr, st, now);
        } else {
            fill_l1(ms, core, l1, paddr, MESI_E, now);
        }
    }
    return lat;
}

/* ---- flush instructions ---- */

/*
 * A dirty line leaving the private levels during a flush: if a shared level
 * holds the line, it becomes dirty there and is written when that level is
 * flushed (one DRAM write for the data, not one per level); otherwise it is
 * a posted write-back to DRAM now.
 */
static void flush_out(struct memsys *ms, uint64_t paddr, unsigned bytes, uint64_t now,
                      bool shared_too, struct flush_result *fr)
{
    struct cache *lv[2];
    unsigned n = 0;
    if (!ms->l2_private)
        lv[n++] = &ms->l2s;
    if (ms->has_l3)
        lv[n++] = &ms->l3;
    for (unsigned i = 0; shared_too && i < n; i++) {
        uint64_t la = cache_line_of(lv[i], paddr);
        int w = cache_lookup(lv[i], la);
        if (w >= 0) {
            cache_line_at(lv[i], la, w)->state = MESI_M;
            return;
        }
    }
    dram_writeback(ms, now, bytes);
    fr->written_back++;
}

/* Drop every copy of the unit at `paddr` from one core's private caches;
 * true if one of them was dirty. */
static bool flush_private(struct memsys *ms, unsigned core, uint64_t paddr, struct flush_result *fr)
{
    struct core_caches *cc = &ms->cores[core];
    uint64_t base = paddr >> ms->unit_shift << ms->unit_shift, unit = 1ull << ms->unit_shift;
    struct cache *cs[3] = {&cc->l1i, &cc->l1d, ms->l2_private ? &cc->l2 : NULL};
    bool dirty = false;
    for (int k = 0; k < 3 && cs[k]; k++)
        for (uint64_t a = base; a < base + unit; a += 1ull << cs[k]->line_shift) {
            uint8_t old = cache_invalidate(cs[k], cache_line_of(cs[k], a));
            fr->invalidated += old != MESI_I;
            dirty |= old == MESI_M;
        }
    return dirty;
}

/* CLFLUSH, fc: the line leaves every level of every core. */
static void flush_line(struct memsys *ms, unsigned core, uint64_t paddr, uint64_t now,
                       struct flush_result *fr)
{
    struct core_caches *cc = &ms->cores[core];
    uint32_t lat = cc->l1d.latency + (ms->l2_private ? cc->l2.latency : 0);
    bool remote = false;
    for (unsigned c = 0; c < ms->ncores; c++) {
        uint64_t before = fr->invalidated;
        if (flush_private(ms, c, paddr, fr))
            flush_out(ms, paddr, 1u << ms->unit_shift, now, true, fr);
        if (c != core && fr->invalidated != before) {
            remote = true;
            outer(ms, c)->st.inval_received++;
        }
    }
    struct cache *lv[2] = {ms->l2_private ? NULL : &ms->l2s, ms->has_l3 ? &ms->l3 : NULL};
    for (int i = 0; i < 2; i++) {
        if (!lv[i])
            continue;
        lat += lv[i]->latency;
        uint8_t old = cache_invalidate(lv[i], cache_line_of(lv[i], paddr));
        fr->invalidated += old != MESI_I;
        if (old == MESI_M)
            flush_out(ms, paddr, 1u << lv[i]->line_shift, now, false, fr);
    }
    if (remote)
        lat += (uint32_t)ms->coh.invalidate_latency;
    fr->latency = lat;
}

/* fc.i: instruction caches coherent with data for one line.  Every L1I
 * drops it; with a private L2 the L2 already holds the latest data (a dirty
 * L1D line is dirty there too), without one a dirty L1D copy is written to
 * the shared levels that fetches read. */
static void flush_icache_line(struct memsys *ms, unsigned core, uint64_t paddr, uint64_t now,
                              struct flush_result *fr)
{
    bool remote = false;
    for (unsigned c = 0; c < ms->ncores; c++) {
        struct cache *l1i = &ms->cores[c].l1i;
        uint64_t base = paddr >> ms->unit_shift << ms->unit_shift;
        for (uint64_t a = base; a < base + (1ull << ms->unit_shift); a += 1ull << l1i->line_shift)
            if (cache_invalidate(l1i, cache_line_of(l1i, a)) != MESI_I) {
                fr->invalidated++;
                remote |= c != core;
            }
        if (ms->l2_private)
            continue;
        struct cache *d = &ms->cores[c].l1d;
        int w = cache_lookup(d, cache_line_of(d, paddr));
        if (w >= 0 && cache_line_at(d, cache_line_of(d, paddr), w)->state == MESI_M) {
            cache_line_at(d, cache_line_of(d, paddr), w)->state = MESI_E;
            shared_writeback(ms, paddr, 1u << d->line_shift, now);
        }
    }
    fr->latency = ms->cores[core].l1i.latency + (remote ? (uint32_t)ms->coh.invalidate_latency : 0);
}

/* Walk one cache for WBINVD/INVD; dirty lines go to `next` handling. */
static void flush_walk(struct memsys *ms, struct cache *c, bool writeback, bool shared_too,
                       uint64_t now, struct flush_result *fr)
{
    uint64_t frames = (uint64_t)c->sets * c->ways;
    fr->frames += frames;
    for (uint64_t f = 0; f < frames; f++) {
        uint64_t la = c->lines[f].tag;
        uint8_t old = cache_invalidate_frame(c, f);
        if (old == MESI_I)
            continue;
        fr->invalidated++;
        if (old == MESI_M && writeback && !c->write_through)
            flush_out(ms, la << c->line_shift, 1u << c->line_shift, now, shared_too, fr);
    }
}

/*
 * WBINVD, INVD: every cache the core reaches, innermost first, so that a
 * dirty L1D line merges into the L2 copy (inclusion) and the L2's into a
 * shared level that holds it: each dirty datum is written to DRAM once.
 */
static void flush_all(struct memsys *ms, unsigned core, bool writeback, uint64_t now,
                      struct flush_result *fr)
{
    struct core_caches *cc = &ms->cores[core];
    flush_walk(ms, &cc->l1i, writeback, false, now, fr);
    /* Dirty L1D lines: into the private L2 copy when there is one. */
    uint64_t frames = (uint64_t)cc->l1d.sets * cc->l1d.ways;
    if (ms->l2_private) {
        fr->frames += frames;
        for (uint64_t f = 0; f < frames; f++) {
            uint64_t la = cc->l1d.lines[f].tag;
            uint8_t old = cache_invalidate_frame(&cc->l1d, f);
            if (old == MESI_I)
                continue;
            fr->invalidated++;
            if (old == MESI_M && writeback) {
                uint64_t pa = la << cc->l1d.line_shift;
                int w = cache_lookup(&cc->l2, cache_line_of(&cc->l2, pa));
                if (w >= 0)
                    cache_line_at(&cc->l2, cache_line_of(&cc->l2, pa), w)->state = MESI_M;
                else
                    flush_out(ms, pa, 1u << cc->l1d.line_shift, now, true, fr);
            }
        }
        flush_walk(ms, &cc->l2, writeback, true, now, fr);
    } else {
        flush_walk(ms, &cc->l1d, writeback, true, now, fr);
    }
    if (!ms->l2_private)
        flush_walk(ms, &ms->l2s, writeback, true, now, fr);
    if (ms->has_l3)
        flush_walk(ms, &ms->l3, writeback, false, now, fr);
    /* Assumption (docs/model-cache.md): one cycle per frame walked, and
     * the instruction completes when its last write-back has left on the
     * DRAM channel and reached memory. */
    uint64_t lat = fr->frames;
    if (fr->written_back) {
        uint64_t drain = ms->dram_busy_until > now ? ms->dram_busy_until - now : 0;
        lat = (drain > lat ? drain : lat) + ms->dram.latency;
    }
    fr->latency = lat > UINT32_MAX ? UINT32_MAX : (uint32_t)lat;
}

uint32_t memsys_flush(struct memsys *ms, unsigned core, uint64_t paddr, enum flush_kind kind,
                      uint64_t now, struct flush_result *out)
{
    struct flush_result tmp;
    struct flush_result *fr = out ? out : &tmp;
    memset(fr, 0, sizeof(*fr));
    if (core >= ms->ncores)
        return 0;
    if (kind == FLUSH_LINE || kind == FLUSH_LINE_ICACHE) {
        for (unsigned i = 0; i < ms->nuncached; i++)
            if (paddr >= ms->uncached[i].base && paddr < ms->uncached[i].end)
                return 0;
        ms->fl_line_ops++;
        if (kind == FLUSH_LINE)
            flush_line(ms, core, paddr, now, fr);
        else
            flush_icache_line(ms, core, paddr, now, fr);
    } else {
        ms->fl_all_ops++;
        flush_all(ms, core, kind == FLUSH_ALL_WRITEBACK, now, fr);
    }
    ms->fl_frames += fr->frames;
    ms->fl_invalidated += fr->invalidated;
    ms->fl_written_back += fr->written_back;
    return fr->latency;
}

uint32_t memsys_access(struct memsys *ms, unsigned core, uint64_t paddr, unsigned size,
                       enum mem_kind kind, unsigned vm, uint64_t now, struct mem_result *out)
{
    if (ms->port)
        return ms->port(ms->port_ctx, core, paddr, size, kind, vm, now, out);
    return memsys_access_direct(ms, core, paddr, size, kind, vm, now, out);
}

void memsys_set_port(struct memsys *ms, memsys_port_fn fn, void *ctx)
{
    ms->port = fn;
    ms->port_ctx = ctx;
}

uint32_t memsys_access_direct(struct memsys *ms, unsigned core, uint64_t paddr, unsigned size,
                              enum mem_kind kind, unsigned vm, uint64_t now, struct mem_result *out)
{
    struct mem_result tmp;
    struct mem_result *res = out ? out : &tmp;
    memset(res, 0, sizeof(*res));
    if (core >= ms->ncores || kind >= MEM_NKINDS)
        return 0;
    if (vm >= CACHE_MAX_VMS)
        vm = CACHE_MAX_VMS - 1;
    if (size == 0)
        size = 1;
    for (unsigned i = 0; i < ms->nuncached; i++)
        if (paddr < ms->uncached[i].end && paddr + size > ms->uncached[i].base) {
            ms->uncached_accesses++;
            res->level = LEVEL_UNCACHED;
            res->latency = (uint32_t)ms->dram.uncached_latency;
            return res->latency;
        }
    struct cache *l1 = kind == MEM_IFETCH ? &ms->cores[core].l1i : &ms->cores[core].l1d;
    uint64_t first = paddr >> l1->line_shift, last = (paddr + size - 1) >> l1->line_shift;
    uint32_t lat = access_line(ms, core, paddr, kind, vm, now, res);
    if (last != first) {
        struct mem_result r2 = {0};
        uint32_t lat2 = access_line(ms, core, last << l1->line_shift, kind, vm, now, &r2);
        if (lat2 > lat) {
            lat = lat2;
            res->level = r2.level;
        }
        res->l1_miss |= r2.l1_miss;
        res->l2_miss |= r2.l2_miss;
        res->l3_miss |= r2.l3_miss;
    }
    res->latency = lat;
    return lat;
}

/* ---- stats ---- */

static int cache_stats(struct cache *c, struct stats_group *g, unsigned nvms)
{
    static const char *const kinds[MEM_NKINDS] = {"ifetch_misses", "read_misses", "write_misses",
                                                  "walk_misses", "rmw_misses"};
    int rc = 0;
    rc |= stats_counter(g, "accesses", &c->st.accesses, "accesses", "lookups in this cache");
    rc |= stats_counter(g, "hits", &c->st.hits, "accesses", "lookups that hit");
    for (int k = 0; k < MEM_NKINDS; k++)
        rc |= stats_counter(g, kinds[k], &c->st.misses[k], "accesses",
                            "misses by access kind (ifetch, read, write, page walk, atomic)");
    rc |= stats_formula(g, "misses",
                        "ifetch_misses + read_misses + write_misses + walk_misses"
                        " + rmw_misses",
                        "accesses", "lookups that missed");
    rc |= stats_formula(g, "miss_rate", "misses / accesses", "ratio", "misses per lookup");
    rc |= stats_counter(g, "writebacks", &c->st.writebacks, "lines",
                        "dirty lines written to the next level or supplied to a peer");
    rc |= stats_counter(g, "evictions", &c->st.evictions, "lines", "valid lines replaced");
    rc |= stats_counter(g, "invalidations_received", &c->st.inval_received, "lines",
                        "lines invalidated by another core's write");
    rc |= stats_counter(g, "invalidations_sent", &c->st.inval_sent, "lines",
                        "other cores' copies invalidated by this core's writes");
    rc |= stats_counter(g, "c2c_transfers", &c->st.c2c_supplied, "lines",
                        "dirty lines supplied to another core");
    rc |= stats_counter(g, "upgrades", &c->st.upgrades, "events",
                        "shared lines made writable with a bus upgrade");
    for (unsigned v = 0; v < nvms && v < CACHE_MAX_VMS; v++) {
        struct stats_group *vg = stats_instance(g, "vm", v, "per-VM attribution");
        rc |= stats_counter(vg, "accesses", &c->st.vm_accesses[v], "accesses",
                            "lookups on behalf of this VM");
        rc |= stats_counter(vg, "misses", &c->st.vm_misses[v], "accesses",
                            "misses on behalf of this VM");
        rc |= stats_formula(vg, "miss_rate", "misses / accesses", "ratio",
                            "this VM's misses per lookup");
    }
    return rc ? -1 : 0;
}

int memsys_register_stats(struct memsys *ms, struct stats_group *root, unsigned nvms)
{
    int rc = 0;
    for (unsigned c = 0; c < ms->ncores; c++) {
        struct stats_group *g = stats_instance(root, "core", c, "one core's private caches");
        rc |= cache_stats(&ms->cores[c].l1i, stats_group(g, "l1i", "L1 instruction cache"), nvms);
        rc |= cache_stats(&ms->cores[c].l1d, stats_group(g, "l1d", "L1 data cache"), nvms);
        if (ms->l2_private)
            rc |= cache_stats(&ms->cores[c].l2, stats_group(g, "l2", "private L2"), nvms);
    }
    if (!ms->l2_private)
        rc |= cache_stats(&ms->l2s, stats_group(root, "l2", "shared L2"), nvms);
    if (ms->has_l3)
        rc |= cache_stats(&ms->l3, stats_group(root, "l3", "shared L3"), nvms);
    struct stats_group *bus = stats_group(root, "bus", "snooping interconnect");
    rc |= stats_counter(bus, "reads", &ms->bus_rd, "transactions", "read requests (BusRd)");
    rc |= stats_counter(bus, "read_exclusive", &ms->bus_rdx, "transactions",
                        "read-for-ownership requests (BusRdX)");
    rc |=
        stats_counter(bus, "upgrades", &ms->bus_upgr, "transactions", "upgrade requests (BusUpgr)");
    rc |= stats_counter(bus, "c2c_transfers", &ms->bus_c2c, "transactions",
                        "requests answered by another core's dirty line");
    struct stats_group *dram = stats_group(root, "dram", "memory channel");
    rc |= stats_counter(dram, "reads", &ms->dram_reads, "lines", "lines read from DRAM");
    rc |= stats_counter(dram, "writes", &ms->dram_writes, "lines", "lines written back to DRAM");
    rc |= stats_counter(dram, "wait_cycles", &ms->dram_wait_cycles, "cycles",
                        "cycles reads waited for the channel (bandwidth limit)");
    rc |= stats_counter(dram, "uncached_accesses", &ms->uncached_accesses, "accesses",
                        "accesses to uncacheable ranges");
    struct stats_group *fl = stats_group(root, "flush", "cache flush instructions");
    rc |= stats_counter(fl, "line_flushes", &ms->fl_line_ops, "instructions",
                        "one-line flushes (IA-32 clflush, IA-64 fc and fc.i)");
    rc |= stats_counter(fl, "cache_flushes", &ms->fl_all_ops, "instructions",
                        "whole-cache flushes (IA-32 wbinvd and invd)");
    rc |= stats_counter(fl, "frames_walked", &ms->fl_frames, "lines",
                        "line frames visited by whole-cache flushes");
    rc |= stats_counter(fl, "lines_invalidated", &ms->fl_invalidated, "lines",
                        "valid lines dropped by flushes, every level counted");
    rc |= stats_counter(fl, "lines_written_back", &ms->fl_written_back, "lines",
                        "dirty lines flushes wrote to DRAM (also in dram.writes)");
    return rc ? -1 : 0;
}
