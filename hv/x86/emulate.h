/*
 * emulate.h - the hypervisor's emulator for the guest instructions that
 * touch a page it must mediate.  When a guest write to a write-protected
 * page (a page-table page, a code page the guest rewrites, a GDT) exits,
 * the hypervisor decodes the faulting instruction, computes the value it
 * would store, validates that value and completes the write itself (seed
 * 002 [0070], [0084]); a load or store to an emulated device page (the
 * xAPIC at 0xFEE00000) is decoded the same way and the device supplies or
 * takes the value.
 *
 * Forms (memory operand; SDM Vol. 2; "v" is 32 bits, or 16 after 0x66):
 *   stores:  88 /r, 89 /r v, C6 /0 ib, C7 /0 iv, A2, A3 v (moffs) mov;
 *   loads:   8A /r, 8B /r v, A0, A1 v (moffs) mov; 0F B6 /r, 0F B7 /r movzx
 *            (into a 32-bit register);
 *   read-modify-write:  01/29 /r v add/sub; 09/21/31 /r v or/and/xor;
 *            80 /1 /4 /6 ib or/and/xor m8; 81 /0 /1 /4 /5 /6 iv and
 *            83 /0 /1 /4 /5 /6 ib add/or/and/sub/xor v; FF /0 /1 v inc/dec;
 *            86 /r, 87 /r v xchg; 0F B0 /r, 0F B1 /r v cmpxchg; 0F C1 /r v
 *            xadd; 0F C7 /1 cmpxchg8b (64-bit operand);
 *            0F AB/B3/BB /r bts/btr/btc and 0F BA /5 /6 /7 ib (32-bit
 *            operand, register bit offset below 32).
 * Prefixes: LOCK where the instruction allows it (Vol. 2A LOCK: not on
 * mov or movzx, which raise #UD with it), 0x66 on the "v" forms, and
 * segment overrides, ignored because the guests use flat segments.
 * Anything else (other opcodes, register operands, address-size or REP
 * prefixes, 0x66 on a form without a 16-bit variant) is declined and the
 * caller decides.  Pure C, no hypervisor state, no 64-bit division: the
 * hypervisor image links it freestanding and the simulator's unit tests
 * run it on the host.  Decoding runs once per exit; nothing here is hot.
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

enum em_op {
    EM_MOV, /* store the source */
    EM_OR,
    EM_AND,
    EM_XOR,
    EM_XCHG,
    EM_CMPXCHG,
    EM_BTS,
    EM_BTR,
    EM_BTC,
    EM_LOAD, /* memory to the register; memory unchanged */
    EM_ADD,
    EM_SUB,
    EM_XADD,
    EM_INC,
    EM_DEC,
    EM_CMPXCHG8B,
};

struct em_insn {
    enum em_op op;
    unsigned len;  /* bytes, prefixes included */
    unsigned size; /* memory operand bytes: 1, 2, 4 or 8 */
    unsigned reg;  /* the register operand by its encoding (ModRM.reg; 0,
                    * AL/AX/EAX, for moffs); with size 1, 4-7 are AH, CH,
                    * DH, BH.  For group opcodes (80/81/83/C6/C7/FF/0F BA)
                    * the group number. */
    uint32_t imm;  /* immediate source (masked to size) or bit number, when has_imm */
    int has_imm;
    int zext;      /* EM_LOAD: zero-extend into the 32-bit register (movzx)
                    * instead of merging into an 8- or 16-bit one */
    uint32_t addr; /* the effective address (flat segments) */
};

/* Decode the instruction in `b` (at most `n` bytes available).  0, or -1
 * for a form the emulator does not handle (or too few bytes); `*out` is
 * written only on success. */
int em_decode(const uint8_t *b, unsigned n, const struct em_regs *g, struct em_insn *out);

/* The value the instruction leaves in the memory operand that held `old`
 * (zero-extended from in->size bytes; the result is masked to size bytes),
 * with its effect on the registers and flags applied to `g` (EIP is the
 * caller's).  *store is 0 when memory keeps `old`: a load, a failed
 * CMPXCHG or CMPXCHG8B (a bit already in the state asked for still
 * stores).  `in` must come from em_decode. */
uint64_t em_apply(const struct em_insn *in, uint64_t old, struct em_regs *g, int *store);

#endif
