/*
 * gen_bundles.c - input for the IA-64 differential test: for every form of
 * model/cpu/ia64/insns.def, many encodings with random operand fields
 * (and the fields' bounds), each placed in a bundle whose template has a
 * slot of the right unit, the other slots filled with nops.  Writes
 *   DIR/bundles.s     the bundles as .byte lines, for ia64-linux-gnu-as
 *   DIR/expected.txt  vtsim's disassembly of the same bytes, one slot a line
 * The test then compares expected.txt with ia64-linux-gnu-objdump -d.
 * A fixed seed makes the run reproducible; every form is exercised.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "model/base/rng.h"
#include "model/cpu/ia64/decode.h"

#define PER_FORM 200

static struct rng rng;

static uint64_t rnd(unsigned bits)
{
    return bits >= 64 ? rng_next(&rng) : rng_next(&rng) & ((1ull << bits) - 1);
}

static uint64_t put(uint64_t v, unsigned lo, unsigned len)
{
    return (v & ((1ull << len) - 1)) << lo;
}

/* Random values for exactly the fields a FMT_PAT pattern names. */
static uint64_t pattern_operands(const char *pat)
{
    uint64_t s = put(rnd(6), 0, 6);
    if (strstr(pat, "{r1}"))
        s |= put(rnd(7), 6, 7);
    if (strstr(pat, "{r2}"))
        s |= put(rnd(7), 13, 7);
    if (strstr(pat, "{r3}") || strstr(pat, "{ar3}") || strstr(pat, "{cr3}"))
        s |= put(rnd(7), 20, 7);
    if (strstr(pat, "{p1}"))
        s |= put(rnd(6), 6, 6);
    if (strstr(pat, "{p2}"))
        s |= put(rnd(6), 27, 6);
    if (strstr(pat, "{pos6}"))
        s |= put(rnd(6), 14, 6);
    if (strstr(pat, "{sof}")) {
        /* a valid frame: sol <= sof <= 96, sor * 8 <= sof */
        uint64_t sof = rnd(7) % 97, sol = sof ? rnd(7) % (sof + 1) : 0,
                 sor = rnd(4) % (sof / 8 + 1);
        s |= put(sof, 13, 7) | put(sol, 20, 7) | put(sor, 27, 4);
    }
    if (strstr(pat, "{count6}") || strstr(pat, "{len6}"))
        s |= put(rnd(6), 27, 6);
    if (strstr(pat, "{len4}"))
        s |= put(rnd(4), 27, 4);
    if (strstr(pat, "{pos6b}"))
        s |= put(rnd(6), 14, 6);
    if (strstr(pat, "{pos6c}"))
        s |= put(rnd(6), 20, 6);
    if (strstr(pat, "{pos6d}"))
        s |= put(rnd(6), 31, 6);
    if (strstr(pat, "{imm1}"))
        s |= put(rnd(1), 36, 1);
    if (strstr(pat, "{mask17}"))
        s |= put(rnd(7), 6, 7) | put(rnd(8), 24, 8) | put(rnd(1), 36, 1);
    if (strstr(pat, "{imm44}"))
        s |= put(rnd(27), 6, 27) | put(rnd(1), 36, 1);
    if (strstr(pat, "{imm8}"))
        s |= put(rnd(7), 13, 7) | put(rnd(1), 36, 1);
    if (strstr(pat, "{b2}"))
        s |= put(rnd(3), 13, 3);
    if (strstr(pat, "{imm24}"))
        s |= put(rnd(21), 6, 21) | put(rnd(2), 31, 2) | put(rnd(1), 36, 1);
    return s;
}

/* Operand fields for format f; `edge` picks boundary values. */
static uint64_t operands(enum ia64_fmt f, int edge, uint64_t *l)
{
    uint64_t s = put(rnd(6), 0, 6);
    *l = 0;
    switch (f) {
    case FMT_A1:
    case FMT_A1_1:
        return s | put(rnd(7), 6, 7) | put(rnd(7), 13, 7) | put(rnd(7), 20, 7);
    case FMT_A6:
        return s | put(rnd(6), 6, 6) | put(rnd(6), 27, 6) | put(rnd(7), 13, 7) | put(rnd(7), 20, 7);
    case FMT_A7:
        return s | put(rnd(6), 6, 6) | put(rnd(6), 27, 6) | put(rnd(7), 20, 7);
    case FMT_A8: {
        uint64_t imm = edge == 1 ? 0x80 : edge == 2 ? 0x7f : edge == 3 ? 0 : rnd(8);
        return s | put(rnd(6), 6, 6) | put(rnd(6), 27, 6) | put(rnd(7), 20, 7) | put(imm, 13, 7) |
               put(imm >> 7, 36, 1);
    }
    case FMT_A2:
        return s | put(rnd(7), 6, 7) | put(rnd(7), 13, 7) | put(rnd(7), 20, 7) | put(rnd(2), 27, 2);
    case FMT_A3: {
        uint64_t imm = edge == 1 ? 0x80 : edge == 2 ? 0x7f : edge == 3 ? 0 : rnd(8);
        return s | put(rnd(7), 6, 7) | put(rnd(7), 20, 7) | put(imm, 13, 7) | put(imm >> 7, 36, 1);
    }
    case FMT_M1:
        return s | put(rnd(7), 6, 7) | put(rnd(7), 20, 7) | put(rnd(2), 30, 2) | put(rnd(2), 28, 2);
    case FMT_M2:
        return s | put(rnd(7), 6, 7) | put(rnd(7), 13, 7) | put(rnd(7), 20, 7) |
               put(rnd(2), 30, 2) | put(rnd(2), 28, 2);
    case FMT_M3:
    case FMT_M5: {
        uint64_t imm = edge == 1 ? 0x100 : edge == 2 ? 0xff : edge == 3 ? 0 : rnd(9);
        unsigned at = f == FMT_M3 ? 13 : 6, other = f == FMT_M3 ? 6 : 13;
        return s | put(rnd(7), other, 7) | put(rnd(7), 20, 7) | put(rnd(2), 30, 2) |
               put(rnd(2), 28, 2) | put(imm, at, 7) | put(imm >> 7, 27, 1) | put(imm >> 8, 36, 1);
    }
    case FMT_M16:
    case FMT_M16X:
        return s | put(rnd(7), 6, 7) | put(rnd(7), 13, 7) | put(rnd(7), 20, 7) |
               put(rnd(2), 30, 2) | put(rnd(2), 28, 2);
    case FMT_M17:
        return s | put(rnd(7), 6, 7) | put(rnd(3), 13, 3) | put(rnd(7), 20, 7) |
               put(rnd(2), 30, 2) | put(rnd(2), 28, 2);
    case FMT_M4:
        return s | put(rnd(7), 13, 7) | put(rnd(7), 20, 7) | put(rnd(2), 30, 2) |
               put(rnd(2), 28, 2);
    case FMT_A4: {
        uint64_t imm = edge == 1 ? 0x2000 : edge == 2 ? 0x1fff : edge == 3 ? 0 : rnd(14);
        return s | put(rnd(7), 6, 7) | put(rnd(7), 20, 7) | put(imm, 13, 7) | put(imm >> 7, 27, 6) |
               put(imm >> 13, 36, 1);
    }
    case FMT_A5: {
        uint64_t imm = edge == 1 ? 0x200000 : edge == 2 ? 0x1fffff : edge == 3 ? 0 : rnd(22);
        return s | put(rnd(7), 6, 7) | put(rnd(2), 20, 2) | put(imm, 13, 7) | put(imm >> 7, 27, 9) |
               put(imm >> 16, 22, 5) | put(imm >> 21, 36, 1);
    }
    case FMT_PAT:
        return s;
    case FMT_MOVBR: /* small tags either way, so targets stay in the file */
        return s | put(rnd(3), 6, 3) | put(rnd(7), 13, 7) | put(rnd(2), 20, 2) |
               put(rnd(1), 22, 1) | put(rnd(1), 23, 1) |
               put(rnd(1) ? rnd(4) : 0x1f0 | rnd(4), 24, 9);
    case FMT_EXTR: /* sometimes exactly to bit 63, to exercise the shr alias */
    case FMT_DEPZ: {
        uint64_t pos = rnd(6), len = (edge == 1 || rnd(2) == 0) ? 64 - pos : rnd(6) + 1;
        uint64_t at = f == FMT_EXTR ? pos : 63 - pos;
        unsigned lo = f == FMT_EXTR ? 14 : 20;
        return s | put(rnd(7), 6, 7) | put(rnd(7), f == FMT_EXTR ? 20 : 13, 7) | put(at, lo, 6) |
               put(len - 1, 27, 6);
    }
    case FMT_BR:
    case FMT_BR_CALL:
    case FMT_BR_IND:
    case FMT_BR_CALLI:
        /* Targets stay inside the file: small displacements either way. */
        return s | put(rnd(3), 6, 3) | put(rnd(1), 12, 1) | put(rnd(2), 33, 2) |
               put(rnd(1), 35, 1) | put(rnd(6), 13, 6) |
               (rnd(1) ? put(0xfffff, 19, 14) | put(1, 36, 1) : 0);
    case FMT_IMM21: {
        uint64_t imm = edge == 1 ? 0x1fffff : edge == 3 ? 0 : rnd(21);
        return s | put(imm, 6, 20) | put(imm >> 20, 36, 1);
    }
    case FMT_X1: {
        uint64_t imm = edge == 1 ? (1ull << 62) - 1 : edge == 3 ? 0 : rnd(62);
        *l = put(imm >> 20, 0, 41);
        return s | put(imm, 6, 20) | put(imm >> 61, 36, 1);
    }
    case FMT_BRL:
    case FMT_BRL_CALL: { /* a small displacement either way */
        bool back = rnd(1);
        *l = back ? put(~0ull, 2, 39) : 0;
        return s | put(rnd(3), 6, 3) | put(rnd(1), 12, 1) | put(rnd(2), 33, 2) |
               put(rnd(1), 35, 1) | put(back ? 0xfffff - rnd(6) : rnd(6), 13, 20) |
               put(back, 36, 1);
    }
    case FMT_X2: {
        uint64_t imm = edge == 1 ? ~0ull : edge == 3 ? 0 : rnd(64);
        *l = put(imm >> 22, 0, 41);
        return s | put(rnd(7), 6, 7) | put(imm, 13, 7) | put(imm >> 7, 27, 9) |
               put(imm >> 16, 22, 5) | put(imm >> 21, 21, 1) | put(imm >> 63, 36, 1);
    }
    }
    return s;
}

static const uint64_t NOP_M = 1ull << 27, NOP_I = 1ull << 27, NOP_B = 2ull << 37;

static uint64_t next_ip;

static void emit(FILE *s, FILE *e, unsigned tmpl, const uint64_t slot[3])
{
    uint8_t b[16];
    uint64_t lo = tmpl | slot[0] << 5 | slot[1] << 46;
    uint64_t hi = slot[1] >> 18 | slot[2] << 23;
    for (int i = 0; i < 8; i++) {
        b[i] = (uint8_t)(lo >> (8 * i));
        b[8 + i] = (uint8_t)(hi >> (8 * i));
    }
    fprintf(s, "\t.byte ");
    for (int i = 0; i < 16; i++)
        fprintf(s, "0x%02x%s", b[i], i < 15 ? "," : "\n");
    struct ia64_bundle d;
    char text[160];
    ia64_decode_bundle(b, &d);
    d.ip = next_ip;
    next_ip += 16;
    for (unsigned i = 0; i < 3; i++) {
        if (d.unit[i] == U_L)
            continue;
        ia64_disasm_slot(&d, i, text, sizeof(text));
        fprintf(e, "%s%s\n", text, (d.stop >> i) & 1 ? ";;" : "");
    }
}

int main(int argc, char **argv)
{
    char path[4096];
    if (argc != 2) {
        fprintf(stderr, "usage: gen_bundles DIR\n");
        return 2;
    }
    snprintf(path, sizeof(path), "%s/bundles.s", argv[1]);
    FILE *s = fopen(path, "w");
    snprintf(path, sizeof(path), "%s/expected.txt", argv[1]);
    FILE *e = fopen(path, "w");
    if (!s || !e) {
        fprintf(stderr, "gen_bundles: cannot write in %s\n", argv[1]);
        return 2;
    }
    rng_seed(&rng, 0x1a64);
    fprintf(s, "\t.text\n");
    unsigned n = 0;
    for (unsigned f = 0; f < IA64_NFORMS; f++) {
        const struct ia64_form_info *fi = &ia64_forms[f];
        for (int k = 0; k < PER_FORM; k++) {
            uint64_t l, op = fi->fmt == FMT_PAT ? (l = 0, pattern_operands(fi->mnemonic))
                                                : operands(fi->fmt, k < 4 ? k : 0, &l);
            uint64_t insn = fi->match | (op & ~fi->mask), slot[3];
            unsigned stopvar = (unsigned)(k & 1);
            switch (fi->unit) {
            case U_A: /* M or I slot of MII / MMI, with and without stops */
                if (k % 3 == 0) {
                    slot[0] = insn, slot[1] = NOP_I, slot[2] = NOP_I;
                    emit(s, e, 0x00 | stopvar, slot);
                } else if (k % 3 == 1) {
                    slot[0] = NOP_M, slot[1] = insn, slot[2] = NOP_I;
                    emit(s, e, 0x02 | stopvar, slot);
                } else {
                    slot[0] = NOP_M, slot[1] = insn, slot[2] = insn;
                    emit(s, e, 0x0a | stopvar, slot);
                }
                break;
            case U_M:
                slot[0] = insn, slot[1] = insn, slot[2] = NOP_I;
                emit(s, e, 0x08 | stopvar, slot);
                break;
            case U_I:
                slot[0] = NOP_M, slot[1] = insn, slot[2] = insn;
                emit(s, e, 0x00 | stopvar, slot);
                break;
            case U_B:
                if (k % 3 == 1) {
                    slot[0] = NOP_M, slot[1] = NOP_I, slot[2] = insn;
                    emit(s, e, 0x10 | stopvar, slot);
                } else if (k % 3 == 2) {
                    slot[0] = NOP_M, slot[1] = NOP_B, slot[2] = insn;
                    emit(s, e, 0x12 | stopvar, slot);
                } else {
                    slot[0] = insn, slot[1] = insn, slot[2] = insn;
                    emit(s, e, 0x16 | stopvar, slot);
                }
                break;
            case U_X:
                slot[0] = NOP_M, slot[1] = l, slot[2] = insn;
                emit(s, e, 0x04 | stopvar, slot);
                break;
            default:
                break;
            }
            n++;
        }
    }
    fclose(s);
    fclose(e);
    printf("gen_bundles: %u instructions of %u forms\n", n, (unsigned)IA64_NFORMS);
    return 0;
}
