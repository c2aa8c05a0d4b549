/*
 * exec.h - executing decoded IA-64 instructions on an ia64_state.
 *
 * One call runs the slots of one decoded bundle from st->ri on; semantics
 * are one small function per form (exec_alu.c, exec_mem.c, exec_branch.c),
 * reached through a table indexed by form.  Memory goes through callbacks
 * so the hart can charge the cache model; faults are values, never jumps.
 *
 * Not yet executed: the register stack (alloc, calls with frames), system
 * and privileged forms, interruptions; they end execution with
 * IA64_X_UNIMPLEMENTED and a reason, which the hart reports as a fatal
 * error with its IP and bytes.
 */
#ifndef VTSIM_MODEL_CPU_IA64_EXEC_H
#define VTSIM_MODEL_CPU_IA64_EXEC_H

#include <stdbool.h>
#include <stdint.h>

#include "model/cpu/ia64/decode.h"
#include "model/cpu/ia64/state.h"

enum ia64_outcome {
    IA64_X_OK,            /* the bundle completed; st->ip/ri point at what is next */
    IA64_X_UNIMPLEMENTED, /* a form the executor does not run yet */
    IA64_X_ILLEGAL,       /* an unsupported or reserved encoding */
    IA64_X_MEMORY,        /* an access outside memory */
    IA64_X_BREAK,         /* break with no handler (no interruption model yet) */
};

/* Data memory for the executor: 0 ok, -1 no memory there.  `latency`
 * receives the cycles the access took (the hart adds stalls from it). */
struct ia64_mem {
    int (*read)(void *ctx, uint64_t addr, unsigned size, uint64_t *val, unsigned *latency);
    int (*write)(void *ctx, uint64_t addr, unsigned size, uint64_t val, unsigned *latency);
    void *ctx;
};

struct ia64_exec_result {
    enum ia64_outcome outcome;
    unsigned slot;        /* the slot that stopped execution */
    unsigned retired;     /* instructions completed (predicated-off ones included) */
    unsigned stall;       /* extra cycles from memory beyond the first-level hit */
    bool branch, taken;   /* a branch was resolved, and whether it was taken */
    unsigned branch_kind; /* enum br_kind (model/cpu/bpred) */
    uint64_t branch_ip;   /* its bundle address + slot */
    uint64_t target;
    uint64_t iim; /* IA64_X_BREAK: the immediate */
    char reason[96];
};

/* Deliver an interruption to the IVT at cr.iva + offset for the instruction
 * in `slot` (see exec.c).  False when cr.iva is 0: no handler. */
bool ia64_interrupt(struct ia64_state *st, unsigned offset, unsigned slot, uint64_t isr_code,
                    bool has_iim, uint64_t iim);

#define IA64_IVT_BREAK   0x2c00
#define IA64_IVT_GENERAL 0x5400

/* Execute bundle `b` (decoded from st->ip) from slot st->ri on. */
void ia64_execute(struct ia64_state *st, const struct ia64_bundle *b, const struct ia64_mem *mem,
                  struct ia64_exec_result *res);

#endif
