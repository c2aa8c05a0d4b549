/*
 * scripted_hart.h - a hart that runs a script instead of an ISA, for tests
 * of the scheduler and of the whole run path.  Never part of the product.
 *
 * Script: one op per line, '#' comments, blank lines ignored.
 *   step CYCLES RETIRED [xN]   N steps (default 1) of CYCLES cycles retiring RETIRED
 *   phase_begin NAME           phase mark through the context callback (1 cycle)
 *   phase_end NAME
 *   post DELAY wake HART       event at now+DELAY waking HART (1 cycle)
 *   post DELAY stop STATUS     event at now+DELAY stopping the run with STATUS (1 cycle)
 *   halt                       sleep until woken (1 cycle)
 *   exit STATUS                sched_stop(STATUS) (1 cycle)
 *   fatal CAUSE...             STEP_FATAL: ip = op index, bytes = the op's first 4 chars
 *   loop N                     continue at op N (1 cycle)
 * Ops other than step retire nothing.  After the last op the hart halts
 * forever.
 */
#ifndef VTSIM_TESTS_SCRIPTED_HART_H
#define VTSIM_TESTS_SCRIPTED_HART_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/base/sched.h"

struct script;
struct scripted_hart;

struct scripted_ctx {
    void (*phase)(void *opaque, const char *name, bool begin);
    void *opaque;
};

/* One recorded step: which op ran and the clock at which the step started. */
struct trace_entry {
    unsigned op;
    uint64_t clock;
};

#define SCRIPTED_TRACE_MAX 4096

/* Parse a script.  0, or -1 with "line N: message" in err. */
int scripted_parse(const char *text, struct script **out, char *err, size_t errlen);
void script_free(struct script *s);

/* A hart running s (not copied: s must outlive it).  ctx may be NULL. */
struct scripted_hart *scripted_hart_new(const struct script *s, struct sched *sched,
                                        const struct scripted_ctx *ctx);
struct hart *scripted_hart_hart(struct scripted_hart *sh);
/* The first SCRIPTED_TRACE_MAX steps. */
const struct trace_entry *scripted_hart_trace(const struct scripted_hart *sh, size_t *n);
void scripted_hart_free(struct scripted_hart *sh);

#endif
