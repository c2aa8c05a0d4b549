/*
 * decode.h - IA-32 instructions decoded by Zydis into a compact internal
 * form, which the hart keeps per physical address (a decode cache) so that
 * Zydis runs once per instruction, not once per execution.
 *
 * The form keeps what execution needs and nothing of Zydis's: the Zydis
 * mnemonic (an enum value, for the semantics table and diagnostics), the
 * length, operand and address widths, prefixes, and up to three explicit
 * operands.  Branch displacements are kept relative, so a form does not
 * depend on the linear address it was fetched from.
 *
 * Invariant: `row` is filled by x86_bind() (exec.h) after decoding; a form
 * with no row executes as #UD.
 */
#ifndef VTSIM_MODEL_CPU_X86_DECODE_H
#define VTSIM_MODEL_CPU_X86_DECODE_H

#include <stdbool.h>
#include <stdint.h>

#define X86_MAX_LEN 15 /* longest instruction (Vol. 2A 2.3.11) */
#define X86_NO_REG  0xFF

enum x86_op_kind {
    X86_OP_NONE,
    X86_OP_REG,  /* a GPR: reg 0-7 (enum x86_gpr); hi: AH, CH, DH, BH */
    X86_OP_SREG, /* a segment register: reg is enum x86_sreg */
    X86_OP_MEM,  /* seg:[base + index * scale + disp] */
    X86_OP_IMM,  /* imm, sign-extended to 32 bits where the encoding says so */
    X86_OP_REL,  /* a branch displacement from the next instruction: imm */
    X86_OP_PTR,  /* a far pointer sel:imm (jmp/call ptr16:32) */
    X86_OP_CR,   /* a control register: reg 0-15 */
    X86_OP_DR,   /* a debug register: reg 0-7 */
    X86_OP_OTHER /* anything else (x87, vector registers) */
};

struct x86_op {
    uint8_t kind;  /* enum x86_op_kind */
    uint8_t size;  /* bytes: 1, 2, 4 (6 or 8 for far pointers, descriptor tables) */
    uint8_t reg;   /* REG, SREG */
    bool hi;       /* REG: the high byte of AX-BX */
    uint8_t seg;   /* MEM: enum x86_sreg (default or override) */
    uint8_t base;  /* MEM: GPR or X86_NO_REG */
    uint8_t index; /* MEM: GPR or X86_NO_REG */
    uint8_t scale; /* MEM: 1, 2, 4, 8 */
    uint16_t sel;  /* PTR: the selector */
    uint32_t imm;  /* MEM: displacement; IMM, REL: value; PTR: offset */
};

/* Prefix bits. */
#define X86_PFX_REP   1u /* F3: REP / REPE */
#define X86_PFX_REPNE 2u /* F2 */
#define X86_PFX_LOCK  4u
#define X86_PFX_FAR   8u /* not a prefix: a far jmp, call or ret (Zydis branch type) */

struct x86_insn {
    uint16_t mnemonic; /* ZydisMnemonic */
    uint16_t row;      /* the semantics row (exec.c), 0 = none */
    uint8_t len;
    uint8_t opsize; /* operand width in bytes: 1, 2, 4 */
    uint8_t adsize; /* address width in bytes: 2, 4 */
    uint8_t prefixes;
    uint8_t seg;  /* segment of the implicit source of string instructions (DS or override) */
    uint8_t nops; /* explicit operands */
    struct x86_op op[3];
};

/*
 * Decode the instruction in bytes[0..n) (n <= X86_MAX_LEN; fewer when the
 * end of memory is near) as 32-bit protected-mode code.  0, or -1 when the
 * bytes are no valid instruction (or n is too short): *in then has
 * mnemonic 0 and the length Zydis could not determine set to 1.
 */
int x86_decode(const uint8_t *bytes, unsigned n, struct x86_insn *in);

/* The mnemonic's name ("add", "rep movsb" without the prefix), for
 * diagnostics; never NULL. */
const char *x86_mnemonic_name(unsigned mnemonic);

#endif
