/*
 * sched.c - the native scheduler (the contract is model/base/sched.h).
 *
 * A discrete-event loop over two kinds of actor: harts, each with its own
 * clock, and device events.  Each turn takes the earlier of the pending event
 * with the smallest (time, id) and the runnable hart with the smallest
 * (clock, id); an event wins a tie with a hart.  So an event at t fires before
 * any hart steps at a clock >= t, and a hart whose clock is below t (one an
 * earlier event just woke, say) steps before it.  Global time (sched_now)
 * never goes backwards; any back end that keeps this order gets the same
 * results.
 *
 * Invariants:
 *  - rq is a binary min-heap of the runnable harts keyed by (clock, id), and
 *    rq_pos[id] is each hart's index in it (NO_POS while it sleeps).  The
 *    stepping hart stays in the heap during its step and is found again
 *    through rq_pos afterwards, because a wake inside the step may move it.
 *  - eq is a binary min-heap of the pending events keyed by (time, id).  Ids
 *    count up from 1, so the id doubles as the posting sequence.  Event
 *    records live in a slab with a free list and know their heap index:
 *    cancel removes an event at once, and memory follows the number of
 *    events pending, not the number ever posted.
 *  - map is an open-addressing hash (linear probing, load <= 1/2) from a
 *    pending event's id to its slab slot, for cancel.
 *  - now is the time of the step or event in progress, else of the last one.
 *
 * Hot: the loop in op_run -- peek both heap tops, step, one sift-down.  No
 * allocation and no scan per step; an event costs two heap updates and a
 * hash removal, and allocates only when the slab grows.  Not hot: add_hart,
 * slab growth, the end-of-run scan for end_cycle.
 */
#include "sim/sched_native.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NO_POS         UINT32_MAX
#define PROGRESS_STEPS 65536u
#define MIN_EVENTS     64u
#define MIN_HARTS      8u
/* Caps keep every index (and twice the slab size, for the map) in 32 bits. */
#define MAX_SLOTS (1u << 30)
#define MAX_HARTS (1u << 30)

/* A posted event's record. */
struct ev_slot {
    event_fn fn;        /* what to call */
    void *ctx;          /* its argument, owned by the poster */
    uint64_t id;        /* 0 while the slot is free */
    uint32_t heap;      /* index in eq while pending */
    uint32_t next_free; /* free-list link, NO_POS at the end */
};

/* An eq entry: the ordering key sits in the heap array itself, so sifting
 * compares without following pointers. */
struct ev_key {
    uint64_t time; /* when it fires */
    uint64_t id;   /* posting order among equal times */
    uint32_t slot; /* its record in the slab */
};

struct native {
    struct sched base;    /* first, so a struct sched * is a struct native * */
    struct hart **harts;  /* every hart, by id */
    uint32_t nharts;      /* harts registered */
    uint32_t hart_cap;    /* entries allocated in harts, rq and rq_pos */
    struct hart **rq;     /* runnable harts: min-heap on (clock, id) */
    uint32_t *rq_pos;     /* by id: index in rq, NO_POS while asleep */
    uint32_t nrq;         /* runnable harts */
    struct ev_key *eq;    /* pending events: min-heap on (time, id), slab_cap entries */
    uint32_t neq;         /* pending events */
    struct ev_slot *slab; /* event records, slab_cap entries */
    uint32_t slab_cap;    /* records allocated */
    uint32_t free_slot;   /* head of the free records, NO_POS if none */
    uint32_t *map;        /* id -> slot + 1 (0 = empty), 2 * slab_cap entries */
    unsigned map_bits;    /* log2 of the map's size */
    uint64_t last_id;     /* the last id handed out */
    uint64_t now;         /* time of the current (or last) step or event */
    bool running;         /* inside op_run */
    bool stop_requested;  /* sched_stop was called; cleared when a run ends */
    int stop_status;      /* the first stop's status */
    char stop_why[120];   /* and its reason */
};

static struct native *native_of(struct sched *s)
{
    return (struct native *)s;
}

/* ---- runnable harts ---- */

static bool hart_before(const struct hart *a, const struct hart *b)
{
    return a->clock < b->clock || (a->clock == b->clock && a->id < b->id);
}

static void rq_place(struct native *n, uint32_t i, struct hart *h)
{
    n->rq[i] = h;
    n->rq_pos[h->id] = i;
}

static void rq_sift_up(struct native *n, uint32_t i)
{
    struct hart *h = n->rq[i];
    while (i > 0) {
        uint32_t p = (i - 1) / 2;
        if (!hart_before(h, n->rq[p]))
            break;
        rq_place(n, i, n->rq[p]);
        i = p;
    }
    rq_place(n, i, h);
}

static void rq_sift_down(struct native *n, uint32_t i)
{
    struct hart *h = n->rq[i];
    for (;;) {
        uint32_t c = 2 * i + 1;
        if (c >= n->nrq)
            break;
        if (c + 1 < n->nrq && hart_before(n->rq[c + 1], n->rq[c]))
            c++;
        if (!hart_before(n->rq[c], h))
            break;
        rq_place(n, i, n->rq[c]);
        i = c;
    }
    rq_place(n, i, h);
}

static void rq_insert(struct native *n, struct hart *h)
{
    rq_place(n, n->nrq, h);
    rq_sift_up(n, n->nrq++);
}

static void rq_remove(struct native *n, uint32_t i)
{
    n->rq_pos[n->rq[i]->id] = NO_POS;
    if (--n->nrq == i)
        return;
    rq_place(n, i, n->rq[n->nrq]);
    if (i > 0 && hart_before(n->rq[i], n->rq[(i - 1) / 2]))
        rq_sift_up(n, i);
    else
        rq_sift_down(n, i);
}

/* ---- pending events ---- */

static bool key_before(const struct ev_key *a, const struct ev_key *b)
{
    return a->time < b->time || (a->time == b->time && a->id < b->id);
}

static void eq_place(struct native *n, uint32_t i, struct ev_key k)
{
    n->eq[i] = k;
    n->slab[k.slot].heap = i;
}

static void eq_sift_up(struct native *n, uint32_t i)
{
    struct ev_key k = n->eq[i];
    while (i > 0) {
        uint32_t p = (i - 1) / 2;
        if (!key_before(&k, &n->eq[p]))
            break;
        eq_place(n, i, n->eq[p]);
        i = p;
    }
    eq_place(n, i, k);
}

static void eq_sift_down(struct native *n, uint32_t i)
{
    struct ev_key k = n->eq[i];
    for (;;) {
        uint32_t c = 2 * i + 1;
        if (c >= n->neq)
            break;
        if (c + 1 < n->neq && key_before(&n->eq[c + 1], &n->eq[c]))
            c++;
        if (!key_before(&n->eq[c], &k))
            break;
        eq_place(n, i, n->eq[c]);
        i = c;
    }
    eq_place(n, i, k);
}

static void eq_remove(struct native *n, uint32_t i)
{
    if (--n->neq == i)
        return;
    eq_place(n, i, n->eq[n->neq]);
    if (i > 0 && key_before(&n->eq[i], &n->eq[(i - 1) / 2]))
        eq_sift_up(n, i);
    else
        eq_sift_down(n, i);
}

/* Fibonacci hashing: ids are consecutive, and the multiply spreads them over
 * the high bits, which become the index. */
static uint32_t map_home(const struct native *n, uint64_t id)
{
    return (uint32_t)((id * 0x9e3779b97f4a7c15ull) >> (64 - n->map_bits));
}

static void map_insert(struct native *n, uint32_t slot)
{
    uint32_t mask = (1u << n->map_bits) - 1;
    uint32_t i = map_home(n, n->slab[slot].id);
    while (n->map[i])
        i = (i + 1) & mask;
    n->map[i] = slot + 1;
}

/* The map index holding `id`, or NO_POS. */
static uint32_t map_find(const struct native *n, uint64_t id)
{
    if (!n->map || id == 0)
        return NO_POS;
    uint32_t mask = (1u << n->map_bits) - 1;
    for (uint32_t i = map_home(n, id); n->map[i]; i = (i + 1) & mask)
        if (n->slab[n->map[i] - 1].id == id)
            return i;
    return NO_POS;
}

/* Backward-shift deletion: later entries of the probe run move into the hole
 * when the hole lies between their home and where they sit, so lookups never
 * meet a gap inside a run and no tombstones are needed. */
static void map_remove(struct native *n, uint32_t hole)
{
    uint32_t mask = (1u << n->map_bits) - 1;
    for (uint32_t j = (hole + 1) & mask; n->map[j]; j = (j + 1) & mask) {
        uint32_t home = map_home(n, n->slab[n->map[j] - 1].id);
        if (((j - home) & mask) >= ((j - hole) & mask)) {
            n->map[hole] = n->map[j];
            hole = j;
        }
    }
    n->map[hole] = 0;
}

/* Forget a pending event that has already left eq. */
static void ev_release(struct native *n, uint32_t map_pos, uint32_t slot)
{
    map_remove(n, map_pos);
    n->slab[slot].id = 0;
    n->slab[slot].next_free = n->free_slot;
    n->free_slot = slot;
}

/* Double the slab (and eq and map with it).  Each step leaves the old state
 * valid if the next allocation fails, since slab_cap moves last. */
static int ev_grow(struct native *n)
{
    uint32_t old = n->slab_cap, cap = old ? old * 2 : MIN_EVENTS;
    if (cap > MAX_SLOTS)
        return -1;
    struct ev_slot *slab = realloc(n->slab, (size_t)cap * sizeof(*slab));
    if (!slab)
        return -1;
    n->slab = slab;
    struct ev_key *eq = realloc(n->eq, (size_t)cap * sizeof(*eq));
    if (!eq)
        return -1;
    n->eq = eq;
    uint32_t *map = calloc((size_t)cap * 2, sizeof(*map));
    if (!map)
        return -1;
    free(n->map);
    n->map = map;
    n->map_bits = 1;
    while ((1u << n->map_bits) < cap * 2)
        n->map_bits++;
    for (uint32_t i = 0; i < old; i++)
        if (slab[i].id)
            map_insert(n, i);
    for (uint32_t i = cap; i-- > old;)
        slab[i] = (struct ev_slot){.next_free = i + 1 < cap ? i + 1 : n->free_slot};
    n->free_slot = old;
    n->slab_cap = cap;
    return 0;
}

/* ---- ops ---- */

static int hart_grow(struct native *n)
{
    uint32_t cap = n->hart_cap ? n->hart_cap * 2 : MIN_HARTS;
    if (cap > MAX_HARTS)
        return -1;
    struct hart **harts = realloc(n->harts, (size_t)cap * sizeof(*harts));
    if (!harts)
        return -1;
    n->harts = harts;
    struct hart **rq = realloc(n->rq, (size_t)cap * sizeof(*rq));
    if (!rq)
        return -1;
    n->rq = rq;
    uint32_t *pos = realloc(n->rq_pos, (size_t)cap * sizeof(*pos));
    if (!pos)
        return -1;
    n->rq_pos = pos;
    n->hart_cap = cap;
    return 0;
}

static int op_add_hart(struct sched *s, struct hart *h)
{
    struct native *n = native_of(s);
    if (!h || !h->ops || !h->ops->step)
        return -1;
    for (uint32_t i = 0; i < n->nharts; i++)
        if (n->harts[i] == h)
            return -1;
    if (n->nharts == n->hart_cap && hart_grow(n) != 0)
        return -1;
    h->id = n->nharts;
    h->clock = n->now;
    h->sleeping = false;
    h->cycles = h->sleep_cycles = h->retired = 0;
    memset(&h->fatal, 0, sizeof(h->fatal));
    n->harts[n->nharts++] = h;
    rq_insert(n, h);
    return 0;
}

static uint64_t op_post(struct sched *s, uint64_t when, event_fn fn, void *ctx)
{
    struct native *n = native_of(s);
    if (!fn || n->last_id == UINT64_MAX)
        return 0;
    if (n->free_slot == NO_POS && ev_grow(n) != 0)
        return 0;
    uint32_t slot = n->free_slot;
    struct ev_slot *e = &n->slab[slot];
    n->free_slot = e->next_free;
    e->fn = fn;
    e->ctx = ctx;
    e->id = ++n->last_id;
    map_insert(n, slot);
    struct ev_key k = {.time = when < n->now ? n->now : when, .id = e->id, .slot = slot};
    eq_place(n, n->neq, k);
    eq_sift_up(n, n->neq++);
    return k.id;
}

static bool op_cancel(struct sched *s, uint64_t id)
{
    struct native *n = native_of(s);
    uint32_t pos = map_find(n, id);
    if (pos == NO_POS)
        return false;
    uint32_t slot = n->map[pos] - 1;
    eq_remove(n, n->slab[slot].heap);
    ev_release(n, pos, slot);
    return true;
}

static void op_wake(struct sched *s, unsigned hart, uint64_t when)
{
    struct native *n = native_of(s);
    if (hart >= n->nharts || !n->harts[hart]->sleeping)
        return;
    struct hart *h = n->harts[hart];
    uint64_t t = h->clock;
    if (when > t)
        t = when;
    if (n->now > t)
        t = n->now;
    h->sleep_cycles += t - h->clock;
    h->clock = t;
    h->sleeping = false;
    rq_insert(n, h);
}

static void op_stop(struct sched *s, int status, const char *why)
{
    struct native *n = native_of(s);
    if (n->stop_requested)
        return;
    n->stop_requested = true;
    n->stop_status = status;
    snprintf(n->stop_why, sizeof(n->stop_why), "%s", why ? why : "exit requested");
}

static uint64_t op_now(const struct sched *s)
{
    return ((const struct native *)s)->now;
}

/* ---- the run loop ---- */

static bool below_limit(uint64_t t, uint64_t max_cycles)
{
    return max_cycles == 0 || t < max_cycles;
}

/* Fire the earliest pending event.  Its record is released first, so the
 * callback may post (reusing the slot), cancel or wake freely, and cancelling
 * its own id reports false. */
static void fire_next(struct native *n)
{
    struct ev_key k = n->eq[0];
    event_fn fn = n->slab[k.slot].fn;
    void *ctx = n->slab[k.slot].ctx;
    eq_remove(n, 0);
    ev_release(n, map_find(n, k.id), k.slot);
    n->now = k.time;
    fn(ctx, k.time);
}

/* A step broke the hart_ops contract.  The run ends rather than loops or
 * corrupts the clock; the hart's own fatal info is not trusted. */
static void end_front_end_bug(struct hart *h, struct run_result *res, const char *what)
{
    res->reason = STOP_FATAL;
    memset(&res->fatal, 0, sizeof(res->fatal));
    res->fatal.hart = h->id;
    snprintf(res->fatal.cause, sizeof(res->fatal.cause), "front-end bug: %s at clock %llu", what,
             (unsigned long long)h->clock);
    snprintf(res->message, sizeof(res->message), "hart %u: %s", h->id, res->fatal.cause);
}

static void end_fatal(struct hart *h, struct run_result *res)
{
    res->reason = STOP_FATAL;
    res->fatal = h->fatal;
    res->fatal.hart = h->id;
    if (res->fatal.nbytes > sizeof(res->fatal.bytes))
        res->fatal.nbytes = sizeof(res->fatal.bytes);
    res->fatal.cause[sizeof(res->fatal.cause) - 1] = '\0';
    snprintf(res->message, sizeof(res->message), "hart %u: %s", h->id,
             res->fatal.cause[0] ? res->fatal.cause : "fatal error (no cause given)");
}

/* Step h (the top of rq) once.  0, or -1 when the step ended the run (*res
 * filled in). */
static int step_hart(struct native *n, struct hart *h, struct run_result *res)
{
    struct step_out out = {0, 0};
    n->now = h->clock;
    enum step_status st = h->ops->step(h, h->clock, &out);
    switch (st) {
    case STEP_OK:
        if (out.cycles == 0) {
            end_front_end_bug(h, res, "a step returned STEP_OK with 0 cycles");
            return -1;
        }
        break;
    case STEP_HALT:
        break;
    case STEP_FATAL:
        end_fatal(h, res);
        return -1;
    default:
        end_front_end_bug(h, res, "a step returned an unknown status");
        return -1;
    }
    if (out.cycles > UINT64_MAX - h->clock) {
        end_front_end_bug(h, res, "a step's cycles overflow the clock");
        return -1;
    }
    h->clock += out.cycles;
    h->cycles += out.cycles;
    h->retired += out.retired;
    if (st == STEP_HALT) {
        h->sleeping = true;
        rq_remove(n, n->rq_pos[h->id]);
    } else {
        rq_sift_down(n, n->rq_pos[h->id]);
    }
    return 0;
}

static void end_limit(const struct native *n, uint64_t max_cycles, struct run_result *res)
{
    res->reason = STOP_MAX_CYCLES;
    if (n->nrq)
        snprintf(res->message, sizeof(res->message), "run.max_cycles (%llu) reached",
                 (unsigned long long)max_cycles);
    else
        snprintf(res->message, sizeof(res->message),
                 "run.max_cycles (%llu) reached with every hart asleep until an event at %llu",
                 (unsigned long long)max_cycles, (unsigned long long)n->eq[0].time);
}

static uint64_t max_clock(const struct native *n)
{
    uint64_t m = 0;
    for (uint32_t i = 0; i < n->nharts; i++)
        if (n->harts[i]->clock > m)
            m = n->harts[i]->clock;
    return m;
}

static int op_run(struct sched *s, const struct run_limits *lim, struct run_result *res)
{
    struct native *n = native_of(s);
    if (!res)
        return -1;
    memset(res, 0, sizeof(*res));
    if (n->running) {
        res->reason = STOP_FATAL;
        snprintf(res->message, sizeof(res->message),
                 "internal error: sched_run called from inside a run");
        return -1;
    }
    if (n->nharts == 0) {
        res->reason = STOP_NO_HARTS;
        snprintf(res->message, sizeof(res->message), "the machine has no harts to run");
        n->stop_requested = false;
        return 0;
    }
    uint64_t max = lim ? lim->max_cycles : 0;
    uint32_t steps = 0;
    n->running = true;
    for (;;) {
        if (n->stop_requested) {
            res->reason = STOP_EXIT;
            res->exit_status = n->stop_status;
            snprintf(res->message, sizeof(res->message), "%s (status %d)", n->stop_why,
                     n->stop_status);
            break;
        }
        struct hart *h = n->nrq ? n->rq[0] : NULL;
        if (n->neq && below_limit(n->eq[0].time, max) && (!h || n->eq[0].time <= h->clock)) {
            fire_next(n);
            continue;
        }
        if (!h && !n->neq) {
            res->reason = STOP_IDLE;
            snprintf(res->message, sizeof(res->message),
                     "every hart is asleep and no event is pending");
            break;
        }
        if (!h || !below_limit(h->clock, max)) {
            end_limit(n, max, res);
            break;
        }
        if (step_hart(n, h, res) != 0)
            break;
        if (++steps == PROGRESS_STEPS) {
            steps = 0;
            if (lim && lim->progress)
                lim->progress(lim->progress_ctx, n->nrq ? n->rq[0]->clock : n->now);
        }
    }
    n->running = false;
    n->stop_requested = false;
    res->end_cycle = max_clock(n);
    return 0;
}

static void op_free(struct sched *s)
{
    struct native *n = native_of(s);
    if (n->running)
        return; /* freeing under a running loop would be a use after free */
    free(n->harts);
    free(n->rq);
    free(n->rq_pos);
    free(n->eq);
    free(n->slab);
    free(n->map);
    free(n);
}

static const struct sched_ops native_ops = {
    .add_hart = op_add_hart,
    .post = op_post,
    .cancel = op_cancel,
    .wake = op_wake,
    .stop = op_stop,
    .now = op_now,
    .run = op_run,
    .free = op_free,
};

struct sched *sched_native_new(void)
{
    struct native *n = calloc(1, sizeof(*n));
    if (!n)
        return NULL;
    n->base.ops = &native_ops;
    n->free_slot = NO_POS;
    return &n->base;
}
