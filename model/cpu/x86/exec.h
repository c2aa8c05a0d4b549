/*
 * exec.h - executing decoded IA-32 instructions on an x86_state.
 *
 * One call runs one instruction (one iteration of a REP string
 * instruction: EIP stays on it until the count runs out, as the processor
 * allows interrupts between iterations, Vol. 2B REP).  Semantics are one
 * small function per operation family, reached through a table with one
 * row per Zydis mnemonic (insns.def).  Memory and I/O ports go through
 * callbacks so the hart can charge the cache model and route ports to
 * devices.  Faults are values: an outcome with a vector and error code,
 * which the hart delivers (or, with no IDT delivery yet, reports).
 *
 * Memory is linear = physical here: segment bases are added, limits and
 * paging are not checked yet (docs/isa-x86.md).
 */
#ifndef VTSIM_MODEL_CPU_X86_EXEC_H
#define VTSIM_MODEL_CPU_X86_EXEC_H

#include <stdbool.h>
#include <stdint.h>

#include "model/cpu/x86/decode.h"
#include "model/cpu/x86/state.h"

enum x86_outcome {
    X86_X_OK,     /* done; st->eip names what runs next */
    X86_X_FAULT,  /* an exception: res->fault; st->eip still names the instruction */
    X86_X_HALT,   /* hlt: st->eip names the next instruction */
    X86_X_MEMORY, /* an access outside memory: a machine-level error */
};

/* Exception vectors (Vol. 3A 6.3.1, Table 6-1). */
enum {
    X86_VEC_DE = 0,
    X86_VEC_UD = 6,
    X86_VEC_GP = 13,
    X86_VEC_PF = 14,
};

struct x86_fault {
    uint8_t vector;
    bool has_error;
    uint32_t error; /* the error code pushed with it (Vol. 3A 6.13) */
};

/* What the executor reaches beyond the registers.  Addresses are
 * physical; read/write return 0, or -1 when nothing is there, and add the
 * cycles the access stalled the pipeline to *stall. */
struct x86_mem {
    int (*read)(void *ctx, uint64_t pa, unsigned size, uint32_t *val, unsigned *stall);
    int (*write)(void *ctx, uint64_t pa, unsigned size, uint32_t val, unsigned *stall);
    /* I/O ports (Vol. 1 18): size 1, 2 or 4. */
    uint32_t (*port_in)(void *ctx, uint16_t port, unsigned size);
    void (*port_out)(void *ctx, uint16_t port, unsigned size, uint32_t val);
    void *ctx;
};

struct x86_exec_result {
    enum x86_outcome outcome;
    bool retired;         /* the instruction completed (not one REP iteration of many) */
    unsigned stall;       /* cycles the data accesses stalled */
    bool branch, taken;   /* a control transfer was resolved, and whether taken */
    unsigned branch_kind; /* enum br_kind (model/cpu/bpred) */
    uint32_t target;
    struct x86_fault fault; /* X86_X_FAULT */
    char reason[96];
};

/* Find the semantics row of in->mnemonic (0 when none: #UD on execution). */
void x86_bind(struct x86_insn *in);

/* Execute `in`, decoded from st->eip.  Never fails otherwise: every
 * problem is an outcome. */
void x86_execute(struct x86_state *st, const struct x86_insn *in, const struct x86_mem *mem,
                 struct x86_exec_result *res);

/* The first Zydis mnemonic with two rows in insns.def, or 0 (a test keeps
 * the table free of shadowed rows). */
unsigned x86_table_duplicate(void);

/* Exception mnemonic ("#UD") of a vector, for diagnostics. */
const char *x86_vector_name(unsigned vector);

#endif
