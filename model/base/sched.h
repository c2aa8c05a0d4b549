/*
 * sched.h - the contract between harts, devices and the scheduler.
 *
 * Time: every hart has its own cycle clock.  The scheduler always steps the
 * runnable hart with the smallest clock (ties: lowest id); one step executes
 * one issue group and advances that hart's clock by the cycles it took.
 * Device events sit in one queue ordered by (time, sequence) and fire before
 * any hart steps past them: an event at time t fires before a hart whose
 * clock is >= t takes its next step.
 *
 * This header is the whole interface.  The native scheduler (sim/sched.c)
 * implements it, and an alternative back end (SystemC) must implement the
 * same operations with the same results, so no module may keep its own
 * notion of global time or reach into a scheduler's internals.
 *
 * Hot path: sched_step loop and event dispatch.  Posting events is expected
 * to be rare compared to steps (timers, IPIs, DMA).
 */
#ifndef VTSIM_MODEL_BASE_SCHED_H
#define VTSIM_MODEL_BASE_SCHED_H

#include <stdbool.h>
#include <stdint.h>

struct hart;
struct sched;

/* What a step did.  A step reporting STEP_OK with 0 cycles, or any other
 * value, is a front-end bug: the run ends with STOP_FATAL naming the hart. */
enum step_status {
    STEP_OK,    /* executed an issue group; out->cycles >= 1 */
    STEP_HALT,  /* hart waits (e.g. hlt); it sleeps until sched_wake(); out->cycles may be 0 */
    STEP_FATAL, /* unrecoverable guest/firmware error; hart->fatal is filled in */
};

struct step_out {
    uint64_t cycles;  /* cycles this step took, stalls included */
    uint64_t retired; /* instructions retired by this step */
};

/* Diagnostic for a fatal guest or firmware error. */
struct fatal_info {
    unsigned hart;
    uint64_t ip;
    uint8_t bytes[16]; /* instruction bytes at ip, as far as they could be read */
    unsigned nbytes;
    char cause[160];
};

struct hart_ops {
    /* Execute one issue group at clock `now` (== hart->clock); *out is zeroed
     * before the call.  The step may call any sched_* operation but
     * sched_run and sched_free.  Waking a hart that is awake does nothing, so
     * a front end checks for pending interrupts before it returns STEP_HALT. */
    enum step_status (*step)(struct hart *h, uint64_t now, struct step_out *out);
};

struct hart {
    const struct hart_ops *ops;
    void *impl;  /* the ISA front end's state */
    unsigned id; /* assigned by sched_add_hart, 0.. in order of addition */
    /* Owned by the scheduler; read-only elsewhere. */
    uint64_t clock;        /* this hart's time, in cycles */
    bool sleeping;         /* waiting for sched_wake() */
    uint64_t cycles;       /* stat: cycles spent stepping (excludes sleep) */
    uint64_t sleep_cycles; /* stat: cycles skipped while sleeping */
    uint64_t retired;      /* stat: instructions retired */
    struct fatal_info fatal;
};

/* Why a run ended. */
enum stop_reason {
    STOP_EXIT,       /* sched_stop() was called (guest/firmware exit request) */
    STOP_MAX_CYCLES, /* nothing is left to do below the cycle limit */
    STOP_FATAL,      /* a hart returned STEP_FATAL */
    STOP_IDLE,       /* every hart sleeps and no event is pending: nothing can happen */
    STOP_NO_HARTS,   /* nothing to run */
};

struct run_limits {
    uint64_t max_cycles; /* 0 = no limit */
    /* Called every 65536 steps of a run (a step count, not host time, so
     * deterministic) with the smallest runnable hart clock; may be NULL.  It
     * may call sched_stop. */
    void (*progress)(void *ctx, uint64_t now);
    void *progress_ctx;
};

struct run_result {
    enum stop_reason reason;
    int exit_status;         /* STOP_EXIT: the status passed to sched_stop */
    uint64_t end_cycle;      /* largest hart clock when the run ended */
    struct fatal_info fatal; /* STOP_FATAL */
    char message[200];       /* one line saying why the run ended */
};

typedef void (*event_fn)(void *ctx, uint64_t now);

struct sched_ops {
    int (*add_hart)(struct sched *s, struct hart *h);
    uint64_t (*post)(struct sched *s, uint64_t when, event_fn fn, void *ctx);
    bool (*cancel)(struct sched *s, uint64_t event_id);
    void (*wake)(struct sched *s, unsigned hart, uint64_t when);
    void (*stop)(struct sched *s, int status, const char *why);
    uint64_t (*now)(const struct sched *s);
    int (*run)(struct sched *s, const struct run_limits *lim, struct run_result *res);
    void (*free)(struct sched *s);
};

struct sched {
    const struct sched_ops *ops;
};

/* Register a hart: it gets the next id, clock sched_now() (0 before the first
 * run), zeroed stats and fatal info, and is runnable.  0, or -1 on no memory,
 * a NULL hart or ops->step, or a hart already registered. */
static inline int sched_add_hart(struct sched *s, struct hart *h)
{
    return s->ops->add_hart(s, h);
}

/* Post fn(ctx, when) at `when` (clamped to sched_now() if earlier).  Events
 * with equal times fire in posting order, so one posted at the current time
 * from inside an event fires in the same pass, after it.  Returns an id for
 * sched_cancel, or 0 on no memory or a NULL fn; ids count up from 1 and are
 * never reused. */
static inline uint64_t sched_post(struct sched *s, uint64_t when, event_fn fn, void *ctx)
{
    return s->ops->post(s, when, fn, ctx);
}

/* Cancel a pending event; false if it already fired (or is firing), was
 * cancelled, or never existed (id 0 included). */
static inline bool sched_cancel(struct sched *s, uint64_t event_id)
{
    return s->ops->cancel(s, event_id);
}

/* Wake a sleeping hart no earlier than `when`: its clock becomes
 * max(clock, when, sched_now()) -- never earlier than now, so nothing runs in
 * the past -- and the cycles it skipped count as sleep_cycles.  Waking a hart
 * that is not sleeping, or an unknown id, does nothing. */
static inline void sched_wake(struct sched *s, unsigned hart, uint64_t when)
{
    s->ops->wake(s, hart, when);
}

/* Request the end of the run with an exit status (STOP_EXIT); the current
 * step or event completes, nothing else runs.  The first request of a run
 * wins; one made between runs ends the next run before anything runs.  `why`
 * (copied; NULL allowed) heads res->message. */
static inline void sched_stop(struct sched *s, int status, const char *why)
{
    s->ops->stop(s, status, why);
}

/* Current time: the clock of the hart being stepped, or of the event firing. */
static inline uint64_t sched_now(const struct sched *s)
{
    return s->ops->now(s);
}

/* Run until a stop condition.  Fills *res; returns 0 (the run ended normally or
 * with a guest error described in *res), -1 on internal error: res NULL, or a
 * call from inside a step, event or progress callback.
 * With lim->max_cycles = L, every event with time < L fires and every hart
 * with clock < L steps; a step that starts below L may end above it, so
 * res->end_cycle (the largest hart clock) can exceed L by one step.  A later
 * sched_run continues where this one ended, e.g. with a larger limit after
 * STOP_MAX_CYCLES, after STOP_EXIT, or after STOP_IDLE once something was
 * posted or woken; after STOP_FATAL the failed hart would step again. */
static inline int sched_run(struct sched *s, const struct run_limits *lim, struct run_result *res)
{
    return s->ops->run(s, lim, res);
}

/* Free the scheduler (NULL is fine), never from inside a run.  Harts and event
 * contexts belong to their owners and are not touched. */
static inline void sched_free(struct sched *s)
{
    if (s)
        s->ops->free(s);
}

#endif
