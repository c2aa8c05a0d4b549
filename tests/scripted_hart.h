/*
 * scripted_hart.h - a hart that runs a script instead of an ISA, for tests of
 * the scheduler and of the whole run path.  Lives under tests/ only and is
 * never part of the product.
 *
 * Script: text, one op per line; '#' starts a comment; blank lines are
 * ignored; numbers are decimal.  Ops are indexed from 0 in order of
 * appearance (comment and blank lines do not count).
 *   step CYCLES RETIRED [xN]  N steps (default 1, N >= 1), each taking CYCLES
 *                             cycles (0 is accepted, so a test can provoke the
 *                             zero-cycle front-end bug) and retiring RETIRED
 *   phase_begin NAME          call ctx->phase(opaque, NAME, true)
 *   phase_end NAME            call ctx->phase(opaque, NAME, false)
 *   post DELAY wake HART      post an event at now+DELAY that wakes hart HART
 *   post DELAY stop STATUS    post an event at now+DELAY that calls
 *                             sched_stop(STATUS) (a device's exit request)
 *   halt                      STEP_HALT: sleep until woken
 *   exit STATUS               sched_stop(STATUS) (the guest's exit request)
 *   fatal CAUSE...            STEP_FATAL with hart->fatal filled in: ip = the
 *                             op's index, bytes = the op's first 4 characters
 *                             as written, cause = the rest of the line
 *   loop N                    continue at op N (N < number of ops)
 * Every op but step takes 1 cycle and retires nothing.  After the last op the
 * hart halts, 1 cycle per step, forever (again after each wake).
 *
 * Each hart records a trace: for each of its first SCRIPTED_TRACE_MAX steps,
 * the op index and the clock at which the step started (the halt after the
 * last op shows as op index script_len()).  The bound keeps long runs cheap.
 */
#ifndef VTSIM_TESTS_SCRIPTED_HART_H
#define VTSIM_TESTS_SCRIPTED_HART_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/base/sched.h"

struct script;
struct scripted_hart;

/* Hooks into the test; every field may be NULL. */
struct scripted_ctx {
    void (*phase)(void *opaque, const char *name, bool begin);
    void *opaque;
};

/* One recorded step. */
struct scripted_trace {
    unsigned op;    /* index of the op the step ran */
    uint64_t clock; /* the hart's clock when the step started */
};

#define SCRIPTED_TRACE_MAX 4096

/*
 * Parse a script.  0 with *out set (free with script_free), or -1 with *out
 * NULL and a one-line message in err (when err is not NULL): "line N: ..."
 * naming the first bad line (its number counts every line of the text), or
 * "out of memory".  NULL text or out is -1.
 */
int scripted_parse(const char *text, struct script **out, char *err, size_t errlen);
/* Number of ops in s. */
unsigned script_len(const struct script *s);
/* Free a script (NULL is fine) once no hart runs it. */
void script_free(struct script *s);

/*
 * A hart running s on sched; neither is copied or owned, and s must outlive
 * the hart.  ctx is copied and may be NULL.  The hart is not added to the
 * scheduler: pass scripted_hart_hart() to sched_add_hart.  NULL on no memory
 * or a NULL s or sched.
 */
struct scripted_hart *scripted_hart_new(const struct script *s, struct sched *sched,
                                        const struct scripted_ctx *ctx);
/* The scheduler's view of sh. */
struct hart *scripted_hart_hart(struct scripted_hart *sh);
/* The recorded trace: *n entries, n <= SCRIPTED_TRACE_MAX. */
const struct scripted_trace *scripted_hart_trace(const struct scripted_hart *sh, size_t *n);
/* Steps taken so far, including those past the trace bound. */
uint64_t scripted_hart_steps(const struct scripted_hart *sh);
/* Free sh (NULL is fine).  Events it posted must not fire afterwards: free
 * the scheduler first, or let them fire. */
void scripted_hart_free(struct scripted_hart *sh);

#endif
