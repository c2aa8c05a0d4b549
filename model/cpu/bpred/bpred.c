/*
 * bpred.c - BTB, return stack and the resolve step (see bpred.h).
 *
 * Misprediction rules (what an in-order front end would have fetched):
 *   cond:     predicted direction wrong; or predicted and taken but the BTB
 *             has no entry or a different target
 *   uncond, call: BTB miss or wrong target (no target before decode)
 *   indirect: BTB miss or wrong target
 *   return:   return stack empty or its top differs from the target
 * The return stack is circular: a push past its depth overwrites the
 * oldest entry; a pop of an empty stack predicts nothing.
 */
#include "model/cpu/bpred/bpred.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/base/stats.h"

static bool pow2(uint64_t v)
{
    return v && !(v & (v - 1));
}

int bpred_init(struct bpred *bp, const struct bpred_config *cfg, char *err, size_t errlen)
{
    memset(bp, 0, sizeof(*bp));
    if (!pow2(cfg->btb_entries) || !pow2(cfg->btb_ways) || cfg->btb_ways > cfg->btb_entries ||
        !pow2(cfg->table_entries) || cfg->ras_depth == 0 || cfg->history_bits > 32) {
        snprintf(err, errlen,
                 "bpred: btb entries/ways and table entries must be powers of two "
                 "(ways <= entries), ras_depth >= 1, history_bits <= 32");
        return -1;
    }
    bp->btb_ways = (unsigned)cfg->btb_ways;
    bp->btb_sets = (unsigned)(cfg->btb_entries / cfg->btb_ways);
    bp->tag_vm = cfg->btb_tag_vm;
    bp->dir = cfg->direction == DIR_GSHARE ? &dir_gshare : &dir_bimodal;
    bp->ctr_mask = cfg->table_entries - 1;
    bp->ghr_mask = cfg->history_bits ? (1ull << cfg->history_bits) - 1 : 0;
    bp->ras_depth = (unsigned)cfg->ras_depth;
    bp->penalty = (unsigned)cfg->mispredict_penalty;
    bp->btb = calloc(cfg->btb_entries, sizeof(*bp->btb));
    bp->ctr = malloc(cfg->table_entries);
    bp->ras = calloc(cfg->ras_depth, sizeof(*bp->ras));
    if (!bp->btb || !bp->ctr || !bp->ras) {
        bpred_free(bp);
        snprintf(err, errlen, "bpred: out of memory");
        return -1;
    }
    memset(bp->ctr, 1, cfg->table_entries); /* weakly not taken */
    return 0;
}

void bpred_share(struct bpred *bp, struct bpred *owner)
{
    while (owner->owner)
        owner = owner->owner;
    if (!bp->owner) {
        free(bp->btb);
        free(bp->ctr);
    }
    bp->btb = owner->btb;
    bp->ctr = owner->ctr;
    bp->owner = owner;
}

/* The BTB's next LRU stamp, from one clock per BTB. */
static uint64_t tick(struct bpred *bp)
{
    return ++(bp->owner ? bp->owner : bp)->btb_clock;
}

void bpred_free(struct bpred *bp)
{
    if (!bp->owner) {
        free(bp->btb);
        free(bp->ctr);
    }
    free(bp->ras);
    bp->btb = NULL;
    bp->ctr = NULL;
    bp->ras = NULL;
}

void bpred_set_index_shift(struct bpred *bp, unsigned shift)
{
    bp->index_shift = shift > 8 ? 8 : shift;
}

/* The table index key: the address with its low index_shift bits folded
 * back in, so that slots of one bundle and neighbouring bundles spread. */
static uint64_t key_of(const struct bpred *bp, uint64_t pc)
{
    return (pc >> bp->index_shift) ^ (pc & ((1ull << bp->index_shift) - 1));
}

static struct btb_entry *btb_set(struct bpred *bp, uint64_t pc)
{
    return &bp->btb[(key_of(bp, pc) % bp->btb_sets) * bp->btb_ways];
}

static struct btb_entry *btb_find(struct bpred *bp, uint64_t pc, unsigned vm)
{
    struct btb_entry *s = btb_set(bp, pc);
    for (unsigned w = 0; w < bp->btb_ways; w++)
        if (s[w].valid && s[w].pc == pc && (!bp->tag_vm || s[w].vm == vm)) {
            s[w].lru = tick(bp);
            return &s[w];
        }
    return NULL;
}

static void btb_insert(struct bpred *bp, uint64_t pc, uint64_t target, enum br_kind kind,
                       unsigned vm)
{
    struct btb_entry *s = btb_set(bp, pc), *v = &s[0];
    for (unsigned w = 0; w < bp->btb_ways; w++) {
        if (!s[w].valid) {
            v = &s[w];
            break;
        }
        if (s[w].lru < v->lru)
            v = &s[w];
    }
    *v = (struct btb_entry){pc, target, tick(bp), (uint32_t)vm, (uint8_t)kind, true};
}

bool bpred_resolve(struct bpred *bp, uint64_t pc, enum br_kind kind, bool taken, uint64_t target,
                   uint64_t next, unsigned vm)
{
    bool miss = false;
    bp->st.lookups++;
    if (kind == BR_RET) {
        if (bp->ras_count == 0) {
            miss = true;
        } else {
            bp->ras_top = (bp->ras_top + bp->ras_depth - 1) % bp->ras_depth;
            bp->ras_count--;
            miss = bp->ras[bp->ras_top] != target;
        }
        if (miss)
            bp->st.ras_mispredicts++;
        else
            bp->st.ras_hits++;
        bp->st.mispredicts += miss;
        return miss;
    }
    struct btb_entry *e = btb_find(bp, pc, vm);
    if (e)
        bp->st.btb_hits++;
    else
        bp->st.btb_misses++;
    if (kind == BR_COND) {
        uint64_t key = key_of(bp, pc);
        bool pred = bp->dir->predict(bp->ctr, bp->ctr_mask, key, bp->ghr);
        bp->st.cond++;
        if (pred != taken) {
            miss = true;
            bp->st.cond_mispredicts++;
        } else if (taken && (!e || e->target != target)) {
            miss = true;
            bp->st.target_mispredicts++;
        }
        bp->dir->update(bp->ctr, bp->ctr_mask, key, bp->ghr, taken);
        bp->ghr = ((bp->ghr << 1) | taken) & bp->ghr_mask;
    } else if (!e || e->target != target) {
        miss = true;
        bp->st.target_mispredicts++;
    }
    if (taken) {
        if (e)
            e->target = target;
        else
            btb_insert(bp, pc, target, kind, vm);
    }
    if (kind == BR_CALL) {
        bp->ras[bp->ras_top] = next;
        bp->ras_top = (bp->ras_top + 1) % bp->ras_depth;
        if (bp->ras_count < bp->ras_depth)
            bp->ras_count++;
    }
    bp->st.mispredicts += miss;
    return miss;
}

unsigned bpred_btb_occupancy(const struct bpred *bp, unsigned vm)
{
    unsigned n = 0;
    for (unsigned i = 0; i < bp->btb_sets * bp->btb_ways; i++)
        n += bp->btb[i].valid && (!bp->tag_vm || bp->btb[i].vm == vm);
    return n;
}

void bpred_btb_flush(struct bpred *bp, int vm)
{
    for (unsigned i = 0; i < bp->btb_sets * bp->btb_ways; i++)
        if (vm < 0 || bp->btb[i].vm == (unsigned)vm)
            bp->btb[i].valid = false;
}

int bpred_register_stats(struct bpred *bp, struct stats_group *g)
{
    int rc = 0;
    rc |= stats_counter(g, "branches", &bp->st.lookups, "branches", "branches resolved");
    rc |= stats_counter(g, "btb_hits", &bp->st.btb_hits, "branches", "BTB lookups that hit");
    rc |= stats_counter(g, "btb_misses", &bp->st.btb_misses, "branches", "BTB lookups that missed");
    rc |= stats_counter(g, "cond_branches", &bp->st.cond, "branches", "conditional branches");
    rc |= stats_counter(g, "cond_mispredicts", &bp->st.cond_mispredicts, "branches",
                        "conditional branches whose direction was mispredicted");
    rc |= stats_counter(g, "target_mispredicts", &bp->st.target_mispredicts, "branches",
                        "taken branches whose target was missing or wrong in the BTB");
    rc |= stats_counter(g, "ras_hits", &bp->st.ras_hits, "branches",
                        "returns predicted by the return stack");
    rc |= stats_counter(g, "ras_mispredicts", &bp->st.ras_mispredicts, "branches",
                        "returns the return stack got wrong or could not predict");
    rc |= stats_counter(g, "mispredicts", &bp->st.mispredicts, "branches",
                        "all mispredicted branches");
    rc |= stats_formula(g, "mispredict_rate", "mispredicts / branches", "ratio",
                        "mispredictions per branch");
    return rc ? -1 : 0;
}
