/*
 * exec.h - executing decoded IA-32 instructions on an x86_state.
 *
 * One call runs one instruction (one iteration of a REP string
 * instruction: EIP stays on it until the count runs out, as the processor
 * allows interrupts between iterations, Vol. 2B REP).  Semantics are one
 * small function per operation family, reached through a table with one
 * row per Zydis mnemonic (insns.def).  Memory and I/O ports go through
 * callbacks so the hart can charge the cache model and route ports to
 * devices.  Faults are values: an outcome with a vector, error code and
 * kind, which the hart delivers through the IDT (exceptions.c).
 *
 * Every access is checked against its segment (type, limit; seg.c) and,
 * with CR0.PG, translated by the walker and TLBs of paging.h.
 */
#ifndef VTSIM_MODEL_CPU_X86_EXEC_H
#define VTSIM_MODEL_CPU_X86_EXEC_H

#include <stdbool.h>
#include <stdint.h>

#include "model/cpu/x86/decode.h"
#include "model/cpu/x86/paging.h"
#include "model/cpu/x86/state.h"

enum x86_outcome {
    X86_X_OK,     /* done; st->eip names what runs next */
    X86_X_FAULT,  /* an exception: res->fault; st->eip still names the instruction */
    X86_X_HALT,   /* hlt: st->eip names the next instruction */
    X86_X_MEMORY, /* an access outside memory: a machine-level error */
    X86_X_VMEXIT, /* VMX non-root: the instruction causes a VM exit (res->exit); EIP stays */
};

/* Exception vectors (Vol. 3A 6.3.1, Table 6-1). */
enum {
    X86_VEC_DE = 0,
    X86_VEC_DB = 1,
    X86_VEC_BP = 3,
    X86_VEC_OF = 4,
    X86_VEC_UD = 6,
    X86_VEC_DF = 8,
    X86_VEC_TS = 10,
    X86_VEC_NP = 11,
    X86_VEC_SS = 12,
    X86_VEC_GP = 13,
    X86_VEC_PF = 14,
};

/* What raised an event; decides the EIP pushed, the gate-DPL check and
 * the EXT bit of error codes raised while delivering it (Vol. 3A 6.5,
 * 6.12.1.1, 6.13). */
enum x86_event_kind {
    X86_EV_FAULT,    /* an exception reported before the instruction: EIP of the instruction */
    X86_EV_SOFT_EXC, /* int3, into: a trap, EIP after; gate DPL checked; EXT = 0 */
    X86_EV_SOFT_INT, /* int n: as above */
    X86_EV_ICEBP,    /* int1: a trap, no DPL check, EXT = 1 */
    X86_EV_EXTERNAL, /* an interrupt from the controller: EXT = 1 */
};

struct x86_fault {
    uint8_t vector;
    uint8_t kind; /* enum x86_event_kind */
    bool has_error;
    uint32_t error; /* the error code pushed with it (Vol. 3A 6.13) */
};

/* What a VM exit reports in the VMCS's exit-information fields (Vol. 3C
 * 24.9, 27.2). */
struct x86_vmexit {
    uint32_t reason;     /* basic exit reason, | VMX_EXIT_ENTRY_FAIL for a failed entry */
    uint32_t qual;       /* exit qualification */
    uint32_t insn_len;   /* exits caused by an instruction: its length, else 0 */
    uint32_t intr_info;  /* reasons 0 and 1: the event (valid bit 31), else 0 */
    uint32_t intr_error; /* with intr_info bit 11 */
    uint32_t idt_info;   /* the event being delivered when the exit came (valid bit 31), or 0 */
    uint32_t idt_error;  /* with idt_info bit 11 */
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
    /* Model-specific registers and performance counters the hart backs
     * (EMON): 0, or -1 for one it does not have (#GP(0)). */
    int (*rdmsr)(void *ctx, uint32_t msr, uint64_t *val);
    int (*wrmsr)(void *ctx, uint32_t msr, uint64_t val);
    int (*rdpmc)(void *ctx, uint32_t counter, uint64_t *val);
    /* Cache flushes (WBINVD, INVD, CLFLUSH): `kind` is an enum flush_kind
     * of model/cache/memsys.h, `pa` the line's address (ignored by the
     * whole-cache kinds).  Returns the cycles the flush takes. */
    unsigned (*flush)(void *ctx, uint64_t pa, unsigned kind);
    struct x86_mmu *mmu; /* translation when CR0.PG is set */
    void *ctx;
};

struct x86_exec_result {
    enum x86_outcome outcome;
    bool retired;         /* the instruction completed (not one REP iteration of many) */
    unsigned stall;       /* cycles the data accesses stalled */
    bool serialize;       /* a serializing instruction (iret, mov to CRn, wrmsr, ...) */
    bool branch, taken;   /* a control transfer was resolved, and whether taken */
    unsigned branch_kind; /* enum br_kind (model/cpu/bpred) */
    uint32_t target;
    struct x86_fault fault; /* X86_X_FAULT */
    struct x86_vmexit exit; /* X86_X_VMEXIT */
    bool vmentry;           /* VMLAUNCH/VMRESUME entered the guest */
    bool inject;            /* ... and injects `fault` (the VM-entry event) */
    uint32_t inject_eip;    /* the EIP the injected event's frame saves */
    unsigned pte_filtered;  /* guest writes the fault-filtering criteria let complete */
    char reason[96];
};

/* Find the semantics row of in->mnemonic (0 when none: #UD on execution). */
void x86_bind(struct x86_insn *in);

/* Execute `in`, decoded from st->eip.  Never fails otherwise: every
 * problem is an outcome. */
void x86_execute(struct x86_state *st, const struct x86_insn *in, const struct x86_mem *mem,
                 struct x86_exec_result *res);

/*
 * Deliver the event `ev` through the IDT (exceptions.c): gate checks,
 * the stack switch through the TSS when the handler is more privileged,
 * the frame, CS:EIP of the handler.  `ret_eip` is the EIP the frame
 * saves.  X86_X_OK when delivered; X86_X_FAULT with the exception that
 * delivery itself raised in res->fault (the caller applies the double-
 * fault rules); X86_X_MEMORY on an access outside memory.  State is
 * changed only when delivery succeeds, save for CR2 and accessed bits.
 */
enum x86_outcome x86_deliver(struct x86_state *st, const struct x86_mem *mem,
                             const struct x86_fault *ev, uint32_t ret_eip,
                             struct x86_exec_result *res);

/* Exception classes for the double-fault rule (Vol. 3A Table 6-5). */
enum x86_class { X86_BENIGN, X86_CONTRIBUTORY, X86_PAGE_FAULT };
enum x86_class x86_exception_class(const struct x86_fault *f);
/* Whether `second`, raised while delivering `first`, makes a double
 * fault (Vol. 3A Table 6-5); otherwise the second is delivered alone. */
bool x86_is_double(const struct x86_fault *first, const struct x86_fault *second);

/* The first Zydis mnemonic with two rows in insns.def, or 0 (a test keeps
 * the table free of shadowed rows). */
unsigned x86_table_duplicate(void);

/* Exception mnemonic ("#UD") of a vector, for diagnostics. */
const char *x86_vector_name(unsigned vector);

#endif
