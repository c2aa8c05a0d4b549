/*
 * decode.h - IA-64 bundle decoding: template, stops and one decoded form
 * per slot, from the declarative table insns.def.  A bundle is decoded
 * once per physical address and cached by the executor; nothing here is
 * on the per-instruction path after that.
 *
 * Supported forms are listed in docs/isa-ia64.md; everything else decodes
 * to IA64_UNSUPPORTED, which the executor turns into an illegal-operation
 * fault.
 */
#ifndef VTSIM_MODEL_CPU_IA64_DECODE_H
#define VTSIM_MODEL_CPU_IA64_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Slot unit types (U_A: A-unit forms, valid in M and I slots). */
enum ia64_unit { U_M, U_I, U_F, U_B, U_L, U_X, U_A, U_NONE };

enum ia64_form {
#define FORM(id, unit, match, mask, fmt, mn) IA64_##id,
#include "model/cpu/ia64/insns.def"
#undef FORM
    IA64_NFORMS,
    IA64_UNSUPPORTED = IA64_NFORMS,
};

enum ia64_fmt {
    FMT_A1,
    FMT_A1_1,
    FMT_A2,
    FMT_A3,
    FMT_A4,
    FMT_A5,
    FMT_A6,
    FMT_A7,
    FMT_A8,
    FMT_M1,
    FMT_M2,
    FMT_M3,
    FMT_M4,
    FMT_M5,
    FMT_M16,
    FMT_M16X,
    FMT_M17,
    FMT_IMM21,
    FMT_BR,
    FMT_BR_CALL,
    FMT_BR_IND,
    FMT_BR_CALLI,
    FMT_BRL,
    FMT_BRL_CALL,
    FMT_PAT,
    FMT_MOVBR,
    FMT_EXTR,
    FMT_DEPZ,
    FMT_X1,
    FMT_X2,
};

struct ia64_form_info {
    const char *mnemonic;
    enum ia64_unit unit;
    uint64_t match, mask;
    enum ia64_fmt fmt;
};
extern const struct ia64_form_info ia64_forms[IA64_NFORMS];

/* One decoded slot. */
struct ia64_insn {
    uint16_t form; /* enum ia64_form */
    uint8_t qp, r1, r2, r3;
    uint8_t p1, p2;             /* compares; extr/dep.z: position and length */
    uint8_t b1, b2, wh, ph, dh; /* branches */
    uint8_t size, hint;         /* memory forms: 1 << size bytes, locality hint */
    int64_t imm;                /* immediate, sign-extended where the format says so */
    uint64_t raw;               /* the 41-bit slot (slot 2 for L+X forms) */
};

/* One decoded bundle. */
struct ia64_bundle {
    uint64_t ip; /* the bundle's address, for IP-relative targets (set by the caller) */
    uint8_t tmpl;
    uint8_t unit[3];          /* enum ia64_unit per slot; slot 1 is U_L in MLX */
    uint8_t stop;             /* bit i: a stop after slot i */
    bool reserved;            /* a reserved template: the whole bundle is illegal */
    uint64_t slot[3];         /* raw 41-bit slots */
    struct ia64_insn insn[3]; /* for MLX, insn[2] holds the L+X instruction, insn[1] is unused */
};

/* Unit types and stops of a template (0..31). */
void ia64_template(unsigned tmpl, uint8_t unit[3], uint8_t *stop, bool *reserved);

/* Decode 16 bytes (little-endian) into *b.  Always succeeds; unknown
 * slots are IA64_UNSUPPORTED. */
void ia64_decode_bundle(const uint8_t bytes[16], struct ia64_bundle *b);

/* Whether some slot value of a common unit would match both forms. */
bool ia64_forms_overlap(const struct ia64_form_info *x, const struct ia64_form_info *y);

/* Pairs of rows in the table that overlap (there must be none); printed
 * to f when not NULL. */
unsigned ia64_table_overlaps(FILE *f);

/* Text of slot i of a decoded bundle in GNU objdump syntax, e.g.
 * "(p06) cmp.eq p1,p2=r3,r4" (no stop marker).  Unsupported slots print
 * as "<unsupported slot 0x...>". */
void ia64_disasm_slot(const struct ia64_bundle *b, unsigned i, char *buf, size_t len);

/* The template mnemonic objdump shows, e.g. "MII", "MLX". */
const char *ia64_template_name(unsigned tmpl);

/* Print a whole ELF64 object or executable's executable sections, one line
 * per instruction: "ADDR [TMPL] text;;".  0, or -1 with a reason. */
int ia64_disasm_elf(const char *path, FILE *out, char *err, size_t errlen);

#endif
