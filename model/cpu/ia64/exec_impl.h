/*
 * exec_impl.h - what the semantic functions of exec_*.c share (internal
 * to model/cpu/ia64).  One function per form or family, each given the
 * context and the decoded instruction, returning an outcome.
 */
#ifndef VTSIM_MODEL_CPU_IA64_EXEC_IMPL_H
#define VTSIM_MODEL_CPU_IA64_EXEC_IMPL_H

#include <stdio.h>

#include "model/cpu/ia64/exec.h"

struct xctx {
    struct ia64_state *st;
    const struct ia64_mem *mem;
    struct ia64_exec_result *res;
    uint64_t ip;   /* this bundle */
    unsigned slot; /* this instruction's slot */
    bool qp;       /* the qualifying predicate's value */
    bool redirect; /* a taken branch: continue at next_ip, slot next_ri */
    uint64_t next_ip;
    unsigned next_ri;
};

typedef enum ia64_outcome (*exec_fn)(struct xctx *x, const struct ia64_insn *in);

/* Write a general register (r0 is read-only: illegal operation); the _nat
 * form sets its NaT bit, which ALU results inherit from their sources. */
enum ia64_outcome x_setgr(struct xctx *x, unsigned r, uint64_t v);
enum ia64_outcome x_setgr_nat(struct xctx *x, unsigned r, uint64_t v, bool nat);
/* The Register NaT Consumption fault (0x5600, ISR.code 0x10; SDM Vol. 2
 * 5.6): an instruction that cannot defer a NaT source. */
enum ia64_outcome x_nat_fault(struct xctx *x, uint64_t isr_access);
enum ia64_outcome x_unimpl(struct xctx *x, const char *what);
/* Raise an interruption at `vector` with ISR code bits `isr`; `why` is the
 * diagnostic should no handler exist.  The caller adds IFA etc. to
 * x->res->fault when the vector writes them. */
enum ia64_outcome x_fault(struct xctx *x, unsigned vector, uint64_t isr, const char *why);

/* priv.c: the privileged-operation and VT-i virtualization checks that
 * come before a form executes (IA64_X_OK: go ahead). */
enum ia64_outcome ia64_priv_check(struct xctx *x, const struct ia64_insn *in);

/* exec_alu.c */
enum ia64_outcome x_a1(struct xctx *x, const struct ia64_insn *in);
enum ia64_outcome x_a2(struct xctx *x, const struct ia64_insn *in);
enum ia64_outcome x_a3(struct xctx *x, const struct ia64_insn *in);
enum ia64_outcome x_adds(struct xctx *x, const struct ia64_insn *in);
enum ia64_outcome x_cmp(struct xctx *x, const struct ia64_insn *in);
enum ia64_outcome x_tbit(struct xctx *x, const struct ia64_insn *in);
enum ia64_outcome x_shift(struct xctx *x, const struct ia64_insn *in);
enum ia64_outcome x_movl(struct xctx *x, const struct ia64_insn *in);
/* exec_mem.c */
enum ia64_outcome x_load(struct xctx *x, const struct ia64_insn *in);
enum ia64_outcome x_store(struct xctx *x, const struct ia64_insn *in);
enum ia64_outcome x_semaphore(struct xctx *x, const struct ia64_insn *in);
/* exec_branch.c */
enum ia64_outcome x_branch(struct xctx *x, const struct ia64_insn *in);
enum ia64_outcome x_movbr(struct xctx *x, const struct ia64_insn *in);
/* A branch that resolved not taken (predicated off, or a loop exit): the
 * predictor still learns from it. */
void ia64_branch_not_taken(struct xctx *x, const struct ia64_insn *in);
enum ia64_outcome x_misc(struct xctx *x, const struct ia64_insn *in);
/* exec_sys.c */
enum ia64_outcome x_sys(struct xctx *x, const struct ia64_insn *in);
/* rse.c: spill until sof more registers fit; fill until n dirty
 * registers are present; flushrs; loadrs; mov ar.bspstore; and the
 * backing-store address n registers away (skipping NaT collections). */
enum ia64_outcome ia64_rse_room(struct xctx *x, unsigned sof);
enum ia64_outcome ia64_rse_fill(struct xctx *x, unsigned n);
enum ia64_outcome ia64_rse_flush(struct xctx *x);
enum ia64_outcome ia64_rse_loadrs(struct xctx *x);
void ia64_rse_set_bspstore(struct ia64_state *st, uint64_t v);
uint64_t ia64_rse_skip(uint64_t addr, int n);
/* exec_tlb.c */
enum ia64_outcome x_tlb(struct xctx *x, const struct ia64_insn *in);
enum ia64_outcome x_fc(struct xctx *x, const struct ia64_insn *in);

#endif
