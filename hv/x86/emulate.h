/*
 * emulate.h - the hypervisor's emulator for the guest instructions that
 * write page-table entries.  When a guest write to a write-protected
 * page-table page exits, the hypervisor decodes the faulting instruction,
 * computes the value it would store, validates that value and completes
 * the write itself (seed 002 [0070], [0084]).
 *
 * Forms (32-bit operands, memory destination; SDM Vol. 2):
 *   89 /r mov; C7 /0 id mov; 09/21/31 /r or/and/xor; 81 /1 /4 /6 id and
 *   83 /1 /4 /6 ib or/and/xor; 87 /r xchg; 0F B1 /r cmpxchg;
 *   0F AB/B3/BB /r bts/btr/btc (bit offset below 32); 0F BA /5 /6 /7 ib
 * with an optional LOCK prefix and ignored segment overrides (the guests
 * use flat segments).  Anything else (16-bit operands, other opcodes) is
 * declined and the caller decides.  Pure C, no hypervisor state: the
 * simulator's unit tests run it on the host.
 */
#ifndef VTSIM_HV_X86_EMULATE_H
#define VTSIM_HV_X86_EMULATE_H

#include <stdint.h>

/* Guest general registers in encoding order (EAX, ECX, EDX, EBX, ESP, EBP,
 * ESI, EDI), and EFLAGS. */
struct em_regs {
    uint32_t r[8];
    uint32_t eflags;
};

enum em_op { EM_MOV, EM_OR, EM_AND, EM_XOR, EM_XCHG, EM_CMPXCHG, EM_BTS, EM_BTR, EM_BTC };

struct em_insn {
    enum em_op op;
    unsigned len; /* bytes, prefixes included */
    unsigned reg; /* ModRM.reg: the source register (and XCHG/CMPXCHG's) */
    uint32_t imm; /* immediate source or bit number, when has_imm */
    int has_imm;
    uint32_t addr; /* the effective address (flat segments) */
};

/* Decode the instruction in `b` (at most `n` bytes available).  0, or -1
 * for a form the emulator does not handle (or too few bytes). */
int em_decode(const uint8_t *b, unsigned n, const struct em_regs *g, struct em_insn *out);

/* The value the instruction leaves in the 32-bit memory operand that held
 * `old`, with its effect on the registers and flags applied to `g`
 * (EIP is the caller's).  *store is 0 when memory keeps `old` (a failed
 * CMPXCHG, a bit already in the state asked for still stores). */
uint32_t em_apply(const struct em_insn *in, uint32_t old, struct em_regs *g, int *store);

#endif
