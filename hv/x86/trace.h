/*
 * trace.h - the trace subsystem of an SMP virtual machine (seed 004
 * [0064]-[0087]): traces on guest-physical ranges, the roles of the
 * virtual CPUs in a trace event (actor, consumers, bystanders, [0068]),
 * and the notification semantics, each a short program of steps the actor
 * runs and a rule for what a consumer does on receipt.
 *
 *   semantics      actor's steps                        consumer on receipt
 *   bracketing     notify, wait acks, write, release    ack, stall; re-derive at release [0077]
 *   post_sync      write, notify, wait acks             ack, re-derive [0078]
 *   post_async     write, notify                        ack, re-derive [0078]-[0079]
 *   pre_write      notify, write                        ack, invalidate (no new value yet) [0081]
 *   pre_write_data notify (with the data), write        ack, re-derive from the data [0081]
 *
 * `null_trace` ([0075]) is a mode, not a semantics: every virtual CPU
 * other than the actor is notified and runs the protocol; the ones that
 * hold no trace on the range ignore what they receive (counted).
 * Each trace type has a default semantics, and one global override
 * replaces them all ([0084]).  With `defer_mmu` ([0085]) a consumer of an
 * MMU trace records the written guest entry instead of invalidating at
 * once and invalidates what it recorded at its guest's next TLB flush
 * (CR3 load or INVLPG), the barrier the guest's own TLB shootdown makes.
 *
 * Machinery: the state is shared memory between the virtual CPUs' harts.
 * A consumer has a mailbox of notes (sequence-numbered per actor); an
 * actor waits until every target has acknowledged its current note's
 * sequence number or a later one; a bracketing consumer stays stalled
 * until the actor's released sequence reaches the note's.  Nothing here
 * blocks: tr_step and tr_service say what to do, and the caller waits
 * (ops->poll) and calls again, so the host tests interleave virtual CPUs
 * step by step and the VMM plugs in LAPIC IPIs and `pause` loops.
 * Mailbox pushes take a spinlock; the rest is single-writer words
 * read and written with __atomic builtins.
 *
 * Fixed size: TR_MAX_VCPUS virtual CPUs, TR_MAX_TRACES ranges (looked up
 * by a linear scan: a lookup runs once per trace fault, which already costs
 * a VM exit), TR_QLEN notes per mailbox, TR_MAX_DEFER deferred entries.
 * Pure C: the unit tests run it on the host.
 */
#ifndef VTSIM_HV_X86_TRACE_H
#define VTSIM_HV_X86_TRACE_H

#include <stdint.h>

#define TR_MAX_VCPUS  16
#define TR_MAX_TRACES 128
#define TR_QLEN       (TR_MAX_VCPUS + 8)
#define TR_MAX_DEFER  32

enum tr_type { TR_MMU, TR_GDT, TR_CODE, TR_NTYPES };

enum tr_sem {
    TR_BRACKETING,
    TR_POST_SYNC,
    TR_POST_ASYNC,
    TR_PRE_WRITE,
    TR_PRE_WRITE_DATA,
    TR_NSEMS
};

/* What the actor is told to do next. */
enum tr_action {
    TR_WRITE, /* perform the guest's write now, then call tr_step again */
    TR_WAIT,  /* not yet: poll, service own mailbox, call tr_step again */
    TR_DONE,  /* the trace event is over; resume the guest */
};

/* A notification as a consumer receives it. */
struct tr_note {
    uint32_t gpa, len; /* the range written; len 0: everything of `type` (a lost note) */
    uint64_t data;     /* pre_write_data: the value to be written (up to 8 bytes) */
    uint32_t seq;      /* the actor's sequence number */
    uint8_t actor, type, sem;
    uint8_t null; /* the receiver holds no trace here (null_trace): ignore */
};

/* The outside world: how a notification, an acknowledgement and a
 * completion travel, how a virtual CPU waits, and what re-deriving is.
 * ack, release and poll may be NULL. */
struct tr_ops {
    void (*send_ipi)(void *ctx, unsigned from, unsigned to);   /* a note is in to's mailbox */
    void (*ack)(void *ctx, unsigned consumer, unsigned actor); /* consumer acknowledged */
    void (*release)(void *ctx, unsigned actor, unsigned to);   /* bracketing completion signal */
    void (*poll)(void *ctx, unsigned self);                    /* one turn of a wait loop */
    /* Re-derive (GDT), invalidate (MMU, CODE) what `vcpu` derived from the
     * note's range, or everything of the type when len is 0. */
    void (*consume)(void *ctx, unsigned vcpu, const struct tr_note *n);
};

/* One traced range and the virtual CPUs that consume it. */
struct tr_range {
    uint32_t start, end; /* [start, end), guest-physical */
    uint32_t consumers;  /* bit per virtual CPU; 0: free row */
    uint8_t type;
};

/* Counted per virtual CPU (each counts its own: no shared increments). */
struct tr_stats {
    uint32_t faults[TR_NTYPES]; /* trace events it caused, by type */
    uint32_t notes_sent, acks, releases;
    uint32_t actor_waits; /* TR_WAIT answers: turns spent waiting for acks */
    uint32_t stall_waits; /* tr_service answers "stay stalled" */
    uint32_t rederived;   /* consume calls for GDT traces */
    uint32_t invalidated; /* consume calls for MMU and CODE traces */
    uint32_t deferred, deferred_flushed, defer_overflows;
    uint32_t null_notes;        /* notes ignored under null_trace */
    uint32_t mailbox_overflows; /* asynchronous notes dropped (len-0 consume instead) */
    uint32_t late_notes;        /* notes to consumers that joined during the actor's event */
};

struct tr_vcpu {
    /* as a consumer */
    struct tr_note q[TR_QLEN];
    uint32_t qhead, qtail, qlock;
    uint32_t lost_types; /* types of dropped notes: consume everything of them */
    uint32_t stalled;    /* actors whose bracketing write it waits out */
    struct tr_note stall[TR_MAX_VCPUS];
    uint32_t defer[TR_MAX_DEFER]; /* written MMU entries to invalidate at the TLB flush */
    uint32_t ndefer, defer_all;
    /* as an actor */
    struct tr_note cur;
    uint32_t targets, consumers;  /* who is notified; who consumes (may include itself) */
    uint32_t adds;                /* trace->adds when it looked its consumers up */
    uint32_t pc;                  /* step of the current protocol */
    uint32_t seq, released;       /* last note number; last one released */
    uint32_t acked[TR_MAX_VCPUS]; /* acked[c]: last of its notes c acknowledged */
    struct tr_stats st;
};

struct trace {
    unsigned nvcpus;
    uint32_t rlock; /* changes to r[] */
    uint32_t adds;  /* tr_add calls so far: an actor's lookup is still whole if unchanged */
    struct tr_range r[TR_MAX_TRACES];
    uint8_t defaults[TR_NTYPES]; /* enum tr_sem per type */
    int override;                /* an enum tr_sem for every type, or -1 */
    int null_trace, defer_mmu;
    const struct tr_ops *ops;
    void *ctx;
    struct tr_vcpu v[TR_MAX_VCPUS];
};

/* What a write at [gpa, gpa+len) meets. */
struct tr_event {
    uint32_t types;      /* bit per enum tr_type; 0: not traced */
    uint32_t consumers;  /* union of the hit ranges' consumers */
    uint32_t bystanders; /* every other virtual CPU */
    enum tr_sem sem;     /* the strongest semantics of the hit types */
};

/* Set up for `nvcpus` (at most TR_MAX_VCPUS) virtual CPUs.  Defaults:
 * MMU post_sync (the guest's TLB shootdown orders its own uses, [0085]),
 * GDT and CODE bracketing (segment loads and instruction fetches on other
 * CPUs see descriptors and code at once, [0082], [0086]-[0087]). */
void tr_init(struct trace *t, unsigned nvcpus, const struct tr_ops *ops, void *ctx);

/* The semantics in force for a type. */
enum tr_sem tr_semantics(const struct trace *t, enum tr_type type);

/* `vcpu` consumes [start, end) of `type`.  0, or -1 when the table is full
 * or the arguments are bad. */
int tr_add(struct trace *t, uint32_t start, uint32_t end, enum tr_type type, unsigned vcpu);

/* `vcpu` stops consuming [start, end) of `type` (exact range). */
void tr_remove(struct trace *t, uint32_t start, uint32_t end, enum tr_type type, unsigned vcpu);

/* The roles for a write by any virtual CPU at [gpa, gpa + len). */
struct tr_event tr_lookup(const struct trace *t, uint32_t gpa, uint32_t len);

/* `actor` faulted writing `len` bytes at `gpa` (`data`: the value, for
 * pre_write_data).  0, or -1 when nothing is traced there (the caller
 * writes and resumes).  Then drive the protocol with tr_step. */
int tr_begin(struct trace *t, unsigned actor, uint32_t gpa, uint32_t len, uint64_t data);

/* The actor's next step (see enum tr_action). */
enum tr_action tr_step(struct trace *t, unsigned actor);

/* The actor's write, bracketed: between tr_write_lock and tr_write_unlock
 * (around the store it makes on TR_WRITE) no virtual CPU can place a
 * trace on the written range.  One that placed it after tr_begin looked
 * the consumers up, and so derived from the old value unseen, gets an
 * asynchronous note at the unlock; one that places it after the unlock
 * derives from the new value.  Without the bracket such a late consumer
 * would keep its stale derivation. */
void tr_write_lock(struct trace *t, unsigned actor);
void tr_write_unlock(struct trace *t, unsigned actor);

/* `v` at an instruction boundary (or while stalled or waiting): take the
 * notes in its mailbox, acknowledge them, consume or defer them, and
 * check for releases.  1 when it must stay stalled, 0 when it may run.
 * An actor that got TR_DONE services its mailbox until this says 0 before
 * it resumes its guest (it may have been stalled by another actor). */
int tr_service(struct trace *t, unsigned v);

/* `v`'s guest flushed its TLB: invalidate what defer_mmu recorded. */
void tr_tlb_flush(struct trace *t, unsigned v);

/* A whole traced write run to completion with ops->poll between turns,
 * servicing the actor's own mailbox while it waits (two actors waiting
 * for each other's acknowledgements then both progress).  `write` does
 * the guest's store.  0, or -1 when nothing is traced there. */
int tr_write(struct trace *t, unsigned actor, uint32_t gpa, uint32_t len, uint64_t data,
             void (*write)(void *arg), void *arg);

/* The per-virtual-CPU counters summed. */
struct tr_stats tr_totals(const struct trace *t);

#endif
