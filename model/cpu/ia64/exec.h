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
    IA64_X_FAULT,         /* an interruption for the IVT: see res->fault */
    IA64_X_UNIMPLEMENTED, /* a form the executor does not run yet */
    IA64_X_MEMORY,        /* a physical access outside memory (a machine-level error) */
};

/* Which interruption registers a fault writes besides IPSR/IIP/IFS/ISR
 * (only while PSR.ic = 1, as SDM Vol. 2 Ch. 8 lists per vector). */
#define IA64_FW_IFA  1u
#define IA64_FW_ITIR 2u
#define IA64_FW_IHA  4u
#define IA64_FW_IIM  8u

/* An interruption raised by an instruction, delivered by ia64_interrupt().
 * isr holds the code and access bits; delivery adds ei and ni. */
struct ia64_fault {
    unsigned vector; /* IVT offset */
    unsigned writes; /* IA64_FW_* */
    bool trap;       /* after the instruction: IIP/IPSR.ri name the next one (st->ip/ri) */
    uint64_t isr, ifa, itir, iha, iim;
    unsigned cause;  /* virtualization fault: VT-i cause code (1-40) */
    uint64_t opcode; /* virtualization fault: the instruction's 41-bit slot */
};

struct ia64_mmu;

enum { IA64_SR_CR, IA64_SR_PMC, IA64_SR_PMD };

/* What the executor reaches beyond the registers.  Memory is physical:
 * the executor translates (PSR.dt) before it calls read/write, which
 * return 0, or -1 when nothing is there, and the cycles the access took
 * in `latency` (the hart adds stalls from it). */
struct ia64_mem {
    int (*read)(void *ctx, uint64_t pa, unsigned size, uint64_t *val, unsigned *latency);
    int (*write)(void *ctx, uint64_t pa, unsigned size, uint64_t val, unsigned *latency);
    /* Registers the hart backs with devices (extint.c): kind IA64_SR_CR for
     * cr.itm and cr.lid-cr.lrr1, IA64_SR_PMC/PMD for the monitors.  0, or
     * -1 for a reserved register or value. */
    int (*sysreg_read)(void *ctx, unsigned kind, unsigned idx, uint64_t *val);
    int (*sysreg_write)(void *ctx, unsigned kind, unsigned idx, uint64_t val);
    /* ptc.g/ptc.ga: purge every hart's TLBs (the hart's own included). */
    void (*purge_global)(void *ctx, uint32_t rid, uint64_t va, unsigned ps);
    /* fc/fc.i: flush the line at `pa` from the memory system; `kind` an
     * enum flush_kind (model/cache/memsys.h).  Returns its cycles. */
    unsigned (*flush)(void *ctx, uint64_t pa, unsigned kind);
    struct ia64_mmu *mmu; /* this hart's translation state (mmu.h) */
    void *ctx;
};

struct ia64_exec_result {
    enum ia64_outcome outcome;
    unsigned slot;                  /* the slot that stopped execution */
    unsigned first_slot;            /* the slot execution started at (st->ri) */
    unsigned end_slot;              /* one past the last slot that completed */
    unsigned lat[3];                /* per slot: its memory access's latency */
    bool frame_changed;             /* calls, returns, alloc, cover, rfi moved the frame */
    unsigned retired;               /* instructions completed (predicated-off ones included) */
    unsigned stall;                 /* blocking cycles: RSE traffic, translation, walks */
    unsigned tlb_stall;             /* the part of stall spent on translation */
    unsigned rse_spills, rse_fills; /* registers the RSE stored and loaded */
    bool branch, taken;             /* a branch was resolved, and whether it was taken */
    unsigned branch_kind;           /* enum br_kind (model/cpu/bpred) */
    uint64_t branch_ip;             /* its bundle address + slot */
    uint64_t target;
    struct ia64_fault fault; /* IA64_X_FAULT */
    char reason[96];
};

/* Deliver fault f, raised by the instruction in `slot`, to the IVT at
 * cr.iva (see exec.c).  With `handoff`, a virtualization fault also hands
 * the VMM its cause in bank-0 r24 and the opcode in r25 (machine option
 * vti.fault_info: cause_opcode).  False when cr.iva is 0: no handler. */
bool ia64_interrupt(struct ia64_state *st, const struct ia64_fault *f, unsigned slot, bool handoff);

/* IVT offsets (SDM Vol. 2 5.7; shared/reference ia64-facts 1). */
#define IA64_IVT_VHPT        0x0000
#define IA64_IVT_ITLB        0x0400
#define IA64_IVT_DTLB        0x0800
#define IA64_IVT_ALT_ITLB    0x0c00
#define IA64_IVT_ALT_DTLB    0x1000
#define IA64_IVT_NESTED_DTLB 0x1400
#define IA64_IVT_DIRTY       0x2000
#define IA64_IVT_IACCESS     0x2400
#define IA64_IVT_DACCESS     0x2800
#define IA64_IVT_BREAK       0x2c00
#define IA64_IVT_EXTINT      0x3000
#define IA64_IVT_NOT_PRESENT 0x5000
#define IA64_IVT_IRIGHTS     0x5200
#define IA64_IVT_DRIGHTS     0x5300
#define IA64_IVT_GENERAL     0x5400
#define IA64_IVT_NAT         0x5600
#define IA64_IVT_UNALIGNED   0x5a00
#define IA64_IVT_SSTEP       0x6000
#define IA64_IVT_VIRT        0x6100

/* General exception ISR.code{7:4} (shared/reference ia64-facts 2.2). */
#define IA64_GE_ILLEGAL  0x00
#define IA64_GE_PRIVOP   0x10
#define IA64_GE_PRIVREG  0x20
#define IA64_GE_RESERVED 0x30

/* Execute bundle `b` (decoded from st->ip) from slot st->ri on. */
void ia64_execute(struct ia64_state *st, const struct ia64_bundle *b, const struct ia64_mem *mem,
                  struct ia64_exec_result *res);

#endif
