/*
 * sched.c - the native scheduler: earliest-clock-first hart stepping with
 * one device event queue (the contract is model/base/sched.h).
 *
 * Two binary min-heaps: runnable harts keyed by (clock, id), and pending
 * events keyed by (time, sequence).  The step loop is the hottest code
 * outside the ISA front ends: it peeks the hart heap, fires due events,
 * steps the hart and sifts it down; no allocation, no scans.  Events come
 * from a free list.  Cancelled events stay in the heap, marked dead, and
 * are dropped when they reach the top.
 *
 * A step may overshoot run.max_cycles by its own length: the limit stops a
 * hart from *starting* a step at or past it, so res->end_cycle can exceed
 * the limit by at most one step.  sched_run may be called again after
 * STOP_MAX_CYCLES (or STOP_EXIT) with a larger limit to continue.
 */
#include "sim/sched_native.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_HARTS      1024
#define PROGRESS_STEPS 65536

struct event {
    uint64_t time, seq, id;
    event_fn fn;
    void *ctx;
    bool dead;
    struct event *next_free;
};

struct native {
    struct sched base;
    struct hart *harts[MAX_HARTS];
    unsigned nharts;
    struct hart *rq[MAX_HARTS]; /* runnable heap */
    unsigned nrq;
    int rq_pos[MAX_HARTS]; /* heap index per hart id, -1 when not runnable */
    struct event **eq;     /* event heap */
    size_t neq, eqcap;
    struct event *free_events;
    uint64_t next_seq, next_id;
    uint64_t now;
    bool stop_requested;
    int stop_status;
    char stop_why[160];
    /* Live events by id for cancel: ids are dense from 1, so a growable
     * array of pointers (NULL once fired). */
    struct event **by_id;
    size_t by_id_cap;
};

static struct native *N(struct sched *s)
{
    return (struct native *)s;
}

/* ---- hart heap ---- */

static bool hart_before(const struct hart *a, const struct hart *b)
{
    return a->clock < b->clock || (a->clock == b->clock && a->id < b->id);
}

static void rq_set(struct native *n, unsigned i, struct hart *h)
{
    n->rq[i] = h;
    n->rq_pos[h->id] = (int)i;
}

static void rq_up(struct native *n, unsigned i)
{
    struct hart *h = n->rq[i];
    while (i > 0) {
        unsigned p = (i - 1) / 2;
        if (!hart_before(h, n->rq[p]))
            break;
        rq_set(n, i, n->rq[p]);
        i = p;
    }
    rq_set(n, i, h);
}

static void rq_down(struct native *n, unsigned i)
{
    struct hart *h = n->rq[i];
    for (;;) {
        unsigned l = 2 * i + 1, r = l + 1, m = i;
        const struct hart *best = h;
        if (l < n->nrq && hart_before(n->rq[l], best)) {
            m = l;
            best = n->rq[l];
        }
        if (r < n->nrq && hart_before(n->rq[r], best))
            m = r;
        if (m == i)
            break;
        rq_set(n, i, n->rq[m]);
        i = m;
    }
    rq_set(n, i, h);
}

static void rq_push(struct native *n, struct hart *h)
{
    n->rq[n->nrq] = h;
    n->rq_pos[h->id] = (int)n->nrq;
    rq_up(n, n->nrq++);
}

static void rq_pop_top(struct native *n)
{
    struct hart *top = n->rq[0];
    n->rq_pos[top->id] = -1;
    if (--n->nrq > 0) {
        rq_set(n, 0, n->rq[n->nrq]);
        rq_down(n, 0);
    }
}

/* ---- event heap ---- */

static bool ev_before(const struct event *a, const struct event *b)
{
    return a->time < b->time || (a->time == b->time && a->seq < b->seq);
}

static void eq_up(struct native *n, size_t i)
{
    struct event *e = n->eq[i];
    while (i > 0) {
        size_t p = (i - 1) / 2;
        if (!ev_before(e, n->eq[p]))
            break;
        n->eq[i] = n->eq[p];
        i = p;
    }
    n->eq[i] = e;
}

static void eq_down(struct native *n, size_t i)
{
    struct event *e = n->eq[i];
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        const struct event *best = e;
        if (l < n->neq && ev_before(n->eq[l], best)) {
            m = l;
            best = n->eq[l];
        }
        if (r < n->neq && ev_before(n->eq[r], best))
            m = r;
        if (m == i)
            break;
        n->eq[i] = n->eq[m];
        i = m;
    }
    n->eq[i] = e;
}

static struct event *eq_pop(struct native *n)
{
    struct event *top = n->eq[0];
    if (--n->neq > 0) {
        n->eq[0] = n->eq[n->neq];
        eq_down(n, 0);
    }
    return top;
}

static void event_release(struct native *n, struct event *e)
{
    if (e->id < n->by_id_cap)
        n->by_id[e->id] = NULL;
    e->next_free = n->free_events;
    n->free_events = e;
}

/* Drop cancelled events from the top; the earliest live event or NULL. */
static struct event *eq_peek(struct native *n)
{
    while (n->neq && n->eq[0]->dead)
        event_release(n, eq_pop(n));
    return n->neq ? n->eq[0] : NULL;
}

/* ---- ops ---- */

static int op_add_hart(struct sched *s, struct hart *h)
{
    struct native *n = N(s);
    if (!h || !h->ops || !h->ops->step || n->nharts >= MAX_HARTS)
        return -1;
    h->id = n->nharts;
    h->clock = 0;
    h->sleeping = false;
    h->cycles = h->sleep_cycles = h->retired = 0;
    n->harts[n->nharts++] = h;
    rq_push(n, h);
    return 0;
}

static uint64_t op_post(struct sched *s, uint64_t when, event_fn fn, void *ctx)
{
    struct native *n = N(s);
    if (!fn)
        return 0;
    struct event *e = n->free_events;
    if (e) {
        n->free_events = e->next_free;
    } else {
        e = malloc(sizeof(*e));
        if (!e)
            return 0;
    }
    if (n->neq == n->eqcap) {
        size_t nc = n->eqcap ? n->eqcap * 2 : 64;
        struct event **ne = realloc(n->eq, nc * sizeof(*ne));
        if (!ne) {
            free(e);
            return 0;
        }
        n->eq = ne;
        n->eqcap = nc;
    }
    uint64_t id = ++n->next_id;
    if (id >= n->by_id_cap) {
        size_t nc = n->by_id_cap ? n->by_id_cap * 2 : 256;
        while (nc <= id)
            nc *= 2;
        struct event **nb = realloc(n->by_id, nc * sizeof(*nb));
        if (!nb) {
            free(e);
            return 0;
        }
        memset(nb + n->by_id_cap, 0, (nc - n->by_id_cap) * sizeof(*nb));
        n->by_id = nb;
        n->by_id_cap = nc;
    }
    *e = (struct event){
        .time = when < n->now ? n->now : when,
        .seq = n->next_seq++,
        .id = id,
        .fn = fn,
        .ctx = ctx,
    };
    n->by_id[id] = e;
    n->eq[n->neq] = e;
    eq_up(n, n->neq++);
    return id;
}

static bool op_cancel(struct sched *s, uint64_t id)
{
    struct native *n = N(s);
    if (id == 0 || id >= n->by_id_cap || !n->by_id[id] || n->by_id[id]->dead)
        return false;
    n->by_id[id]->dead = true;
    return true;
}

static void op_wake(struct sched *s, unsigned hart, uint64_t when)
{
    struct native *n = N(s);
    if (hart >= n->nharts)
        return;
    struct hart *h = n->harts[hart];
    if (!h->sleeping)
        return;
    h->sleeping = false;
    if (when > h->clock) {
        h->sleep_cycles += when - h->clock;
        h->clock = when;
    }
    rq_push(n, h);
}

static void op_stop(struct sched *s, int status, const char *why)
{
    struct native *n = N(s);
    if (n->stop_requested)
        return; /* the first stop wins */
    n->stop_requested = true;
    n->stop_status = status;
    snprintf(n->stop_why, sizeof(n->stop_why), "%s", why ? why : "exit requested");
}

static uint64_t op_now(const struct sched *s)
{
    return ((const struct native *)s)->now;
}

static uint64_t max_clock(const struct native *n)
{
    uint64_t m = 0;
    for (unsigned i = 0; i < n->nharts; i++)
        if (n->harts[i]->clock > m)
            m = n->harts[i]->clock;
    return m;
}

static void end_exit(struct native *n, struct run_result *res)
{
    n->stop_requested = false;
    res->reason = STOP_EXIT;
    res->exit_status = n->stop_status;
    snprintf(res->message, sizeof(res->message), "%s (status %d)", n->stop_why, n->stop_status);
}

/* Fire every live event with time <= t.  Returns true if a stop was requested. */
static bool fire_until(struct native *n, uint64_t t)
{
    struct event *e;
    while ((e = eq_peek(n)) != NULL && e->time <= t) {
        eq_pop(n);
        n->now = e->time;
        event_fn fn = e->fn;
        void *ctx = e->ctx;
        event_release(n, e);
        fn(ctx, n->now);
        if (n->stop_requested)
            return true;
    }
    return false;
}

static int op_run(struct sched *s, const struct run_limits *lim, struct run_result *res)
{
    struct native *n = N(s);
    uint64_t max = lim ? lim->max_cycles : 0;
    uint64_t steps = 0;
    memset(res, 0, sizeof(*res));

    if (n->nharts == 0) {
        res->reason = STOP_NO_HARTS;
        snprintf(res->message, sizeof(res->message), "the machine has no harts");
        return 0;
    }
    for (;;) {
        struct hart *h = n->nrq ? n->rq[0] : NULL;
        if (!h) {
            /* Everyone sleeps: jump to the next event, if any. */
            struct event *e = eq_peek(n);
            if (!e) {
                res->reason = STOP_IDLE;
                snprintf(res->message, sizeof(res->message),
                         "every hart is asleep and no event is pending");
                break;
            }
            if (max && e->time >= max) {
                res->reason = STOP_MAX_CYCLES;
                snprintf(res->message, sizeof(res->message), "run.max_cycles (%llu) reached",
                         (unsigned long long)max);
                break;
            }
            if (fire_until(n, e->time)) {
                end_exit(n, res);
                break;
            }
            continue;
        }
        if (max && h->clock >= max) {
            res->reason = STOP_MAX_CYCLES;
            snprintf(res->message, sizeof(res->message), "run.max_cycles (%llu) reached",
                     (unsigned long long)max);
            break;
        }
        if (n->neq && fire_until(n, h->clock)) {
            end_exit(n, res);
            break;
        }
        if (n->rq[0] != h)
            continue; /* an event woke an earlier hart */

        struct step_out out = {0, 0};
        n->now = h->clock;
        enum step_status st = h->ops->step(h, h->clock, &out);
        if (st == STEP_FATAL) {
            res->reason = STOP_FATAL;
            res->fatal = h->fatal;
            res->fatal.hart = h->id;
            snprintf(res->message, sizeof(res->message), "hart %u: %s", h->id, h->fatal.cause);
            break;
        }
        if (st == STEP_OK && out.cycles == 0) {
            res->reason = STOP_FATAL;
            memset(&res->fatal, 0, sizeof(res->fatal));
            res->fatal.hart = h->id;
            snprintf(res->fatal.cause, sizeof(res->fatal.cause),
                     "front-end error: a step took 0 cycles");
            snprintf(res->message, sizeof(res->message), "hart %u: %s", h->id, res->fatal.cause);
            break;
        }
        h->clock += out.cycles;
        h->cycles += out.cycles;
        h->retired += out.retired;
        if (st == STEP_HALT) {
            h->sleeping = true;
            rq_pop_top(n);
        } else {
            rq_down(n, 0);
        }
        if (n->stop_requested) {
            end_exit(n, res);
            break;
        }
        if (++steps % PROGRESS_STEPS == 0 && lim && lim->progress)
            lim->progress(lim->progress_ctx, n->nrq ? n->rq[0]->clock : n->now);
    }
    res->end_cycle = max_clock(n);
    return 0;
}

static void op_free(struct sched *s)
{
    struct native *n = N(s);
    for (size_t i = 0; i < n->neq; i++)
        free(n->eq[i]);
    while (n->free_events) {
        struct event *e = n->free_events;
        n->free_events = e->next_free;
        free(e);
    }
    free(n->eq);
    free(n->by_id);
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
    for (unsigned i = 0; i < MAX_HARTS; i++)
        n->rq_pos[i] = -1;
    return &n->base;
}
