/*
 * bpred.h - branch prediction for one hart (or the harts of one core):
 * a BTB (optionally tagged by VM, so that VMs can be made to alias), a
 * direction predictor (bimodal or gshare, one file each behind dir_ops),
 * a return stack, and misprediction accounting.
 *
 * The core calls bpred_resolve() once per executed branch with what the
 * branch actually did; the predictor says whether it would have been
 * predicted right (and learns).  Branch addresses are whatever identifies
 * a branch to the front end (IA-32: its address; IA-64: bundle address
 * plus slot).  Tables are indexed by a key folded from the address with
 * the front end's index shift (bpred_set_index_shift): key = (pc >> s) xor
 * (pc's low s bits), so that an ISA whose branch addresses have s
 * always-zero bits apart from a slot number still uses every set.
 * Direction tables index with the key (bimodal) or the key xor global
 * history (gshare), the BTB with the key; BTB tags compare the whole
 * address.  Hot: bpred_resolve() on every branch.
 */
#ifndef VTSIM_MODEL_CPU_BPRED_BPRED_H
#define VTSIM_MODEL_CPU_BPRED_BPRED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/base/param.h"

struct stats_group;

enum br_kind {
    BR_COND,     /* conditional, direct target */
    BR_UNCOND,   /* unconditional, direct target */
    BR_INDIRECT, /* target from a register */
    BR_CALL,     /* call: pushes the return address */
    BR_RET,      /* return: predicted by the return stack */
};

enum dir_kind { DIR_BIMODAL, DIR_GSHARE };

struct bpred_config {
    uint64_t btb_entries, btb_ways;
    bool btb_tag_vm;
    int direction; /* enum dir_kind */
    uint64_t table_entries;
    uint64_t history_bits;
    uint64_t ras_depth;
    uint64_t mispredict_penalty; /* cycles, charged by the core */
};

/* A direction predictor: 2-bit counters, initialised weakly not-taken. */
struct dir_ops {
    const char *name;
    bool (*predict)(const uint8_t *ctr, uint64_t mask, uint64_t pc, uint64_t ghr);
    void (*update)(uint8_t *ctr, uint64_t mask, uint64_t pc, uint64_t ghr, bool taken);
};
extern const struct dir_ops dir_bimodal, dir_gshare;

struct btb_entry {
    uint64_t pc, target, lru;
    uint32_t vm;
    uint8_t kind;
    bool valid;
};

struct bpred_stats {
    uint64_t lookups, btb_hits, btb_misses, cond, cond_mispredicts, target_mispredicts, ras_hits,
        ras_mispredicts, mispredicts;
};

struct bpred {
    struct btb_entry *btb;
    unsigned btb_sets, btb_ways;
    unsigned index_shift; /* low address bits folded into the index key */
    uint64_t btb_clock;   /* the BTB's LRU clock (the owner's counts when shared) */
    struct bpred *owner;  /* NULL, or the predictor whose BTB and tables this one uses */
    bool tag_vm;
    const struct dir_ops *dir;
    uint8_t *ctr;
    uint64_t ctr_mask, ghr, ghr_mask;
    uint64_t *ras;
    unsigned ras_depth, ras_top, ras_count;
    unsigned penalty;
    struct bpred_stats st;
};

/* 0, or -1 with a reason (sizes not powers of two, ...). */
int bpred_init(struct bpred *bp, const struct bpred_config *cfg, char *err, size_t errlen);

/*
 * Hyperthreads of one core: `bp` gives up its BTB and direction tables and
 * uses `owner`'s (same configuration), keeping its own global history and
 * return stack, as Intel's hyper-threaded cores share the large branch
 * arrays and duplicate the per-thread history (Marr et al.,
 * "Hyper-Threading Technology Architecture and Microarchitecture", Intel
 * Technology Journal 6(1), 2002).  Entries stay tagged by address space
 * when the BTB is VM-tagged.  Call before the first bpred_resolve().
 */
void bpred_share(struct bpred *bp, struct bpred *owner);
void bpred_free(struct bpred *bp);

/*
 * The front end's branch addresses have `shift` low bits that carry no
 * address (IA-64: a bundle is 16 bytes, the low 4 bits hold the slot);
 * fold them into the table index instead of indexing with the raw address.
 * 0 (the default after bpred_init) indexes with the address itself.
 * Call before the first bpred_resolve(); shift > 8 is clamped to 8.
 */
void bpred_set_index_shift(struct bpred *bp, unsigned shift);

/*
 * A branch at `pc` of `kind` executed: `taken`, to `target`; `next` is the
 * fall-through address (pushed by calls); `vm` identifies the address space
 * that executed it (0: the hypervisor or a bare machine; each front end
 * documents its choice), compared only when the BTB is VM-tagged.  Returns true when the front end
 * would have mispredicted it (direction or target), and trains.
 */
bool bpred_resolve(struct bpred *bp, uint64_t pc, enum br_kind kind, bool taken, uint64_t target,
                   uint64_t next, unsigned vm);

/* Valid BTB entries belonging to `vm` (all of them when the BTB is not
 * VM-tagged), for state-driven scheduling. */
unsigned bpred_btb_occupancy(const struct bpred *bp, unsigned vm);
/* Flush the BTB: every entry, or one VM's (vm >= 0). */
void bpred_btb_flush(struct bpred *bp, int vm);

int bpred_register_stats(struct bpred *bp, struct stats_group *g);

extern const struct param bpred_params[8];

#endif
