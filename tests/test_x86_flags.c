/*
 * test_x86_flags.c - the IA-32 flag computations (model/cpu/x86/flags.h)
 * at boundary values, and the decoder's compact form.
 *
 * Every expected value was worked out by hand from the Intel SDM's
 * definitions, not by calling the code under test: Vol. 1 3.4.3.1 (CF
 * carry/borrow out of the top bit, PF even parity of the low byte, AF
 * carry/borrow at bit 3, ZF, SF the top bit, OF signed overflow) and the
 * Vol. 2 pages of ADD, ADC, SUB, SBB, SAL/SAR/SHL/SHR, RCL/RCR/ROL/ROR,
 * SHLD, SHRD, IMUL, MUL and Jcc (Appendix B condition codes).  Flag sums
 * are written as CF 0x1, PF 0x4, AF 0x10, ZF 0x40, SF 0x80, OF 0x800.
 */
#include <string.h>

#include <Zydis/Zydis.h>

#include "cunit_main.h"
#include "model/cpu/x86/decode.h"
#include "model/cpu/x86/exec.h"
#include "model/cpu/x86/flags.h"

enum op { ADD, ADC, SUB, SBB, SHL, SHR, SAR, ROL, ROR, RCL, RCR, SHLD, SHRD, IMUL };

struct row {
    enum op op;
    unsigned size;
    uint32_t a, b; /* b: second operand, carry/borrow in, or count */
    uint32_t old;  /* EFLAGS before (shifts and rotates keep some of them) */
    uint32_t src;  /* SHLD/SHRD: the source */
    uint32_t r, fl;
};

static const struct row rows[] = {
    /* ADD: 0xFF + 1 carries out of every bit (CF, AF) to 0 (ZF, PF). */
    {ADD, 1, 0xFF, 0x01, 0, 0, 0x00, 0x55},
    /* 0x7F + 1 = 0x80: positive + positive = negative (OF), AF; 0x80 has
     * one bit set, so PF = 0. */
    {ADD, 1, 0x7F, 0x01, 0, 0, 0x80, 0x890},
    {ADD, 2, 0xFFFF, 0x0001, 0, 0, 0x0000, 0x55},
    /* 0x7FFFFFFF * 2 = 0xFFFFFFFE: OF, SF; a^b^r has bit 4 set (AF);
     * 0xFE has seven bits (PF = 0). */
    {ADD, 4, 0x7FFFFFFF, 0x7FFFFFFF, 0, 0, 0xFFFFFFFE, 0x890},
    {ADD, 4, 1, 2, 0, 0, 3, 0x04},
    /* ADC: 0xFFFFFFFF + 0xFFFFFFFF + 1 = 0x1_FFFFFFFF: CF, SF, PF, AF, no OF. */
    {ADC, 4, 0xFFFFFFFF, 0xFFFFFFFF, 1, 0, 0xFFFFFFFF, 0x95},
    {ADC, 1, 0x7F, 0x00, 1, 0, 0x80, 0x890},
    {ADC, 2, 0xFFFF, 0x0000, 1, 0, 0x0000, 0x55},
    /* SUB: 0 - 1 borrows (CF) at every bit (AF) to 0xFF (SF, PF). */
    {SUB, 1, 0x00, 0x01, 0, 0, 0xFF, 0x95},
    /* 0x80 - 1 = 0x7F: negative - positive = positive (OF); 0x7F has seven bits. */
    {SUB, 1, 0x80, 0x01, 0, 0, 0x7F, 0x810},
    {SUB, 2, 0x8000, 0x0001, 0, 0, 0x7FFF, 0x814},
    /* 0 - 0x80000000 = 0x80000000: CF, OF, SF, PF of 0x00; no AF. */
    {SUB, 4, 0x00000000, 0x80000000, 0, 0, 0x80000000, 0x885},
    {SUB, 4, 5, 5, 0, 0, 0, 0x44},
    /* SBB: 0 - 0xFFFFFFFF - 1 = 0 with a borrow: CF, ZF, PF, AF. */
    {SBB, 4, 0x00000000, 0xFFFFFFFF, 1, 0, 0x00000000, 0x55},
    {SBB, 1, 0x80, 0x00, 1, 0, 0x7F, 0x810},
    {SBB, 4, 5, 4, 1, 0, 0, 0x44},
    /* SHL by 1: CF = the old top bit, OF = top(r) ^ CF. */
    {SHL, 4, 0x80000000, 1, 0, 0, 0x00000000, 0x845},
    {SHL, 1, 0x40, 1, 0, 0, 0x80, 0x880},
    /* A count of 0 changes no flag (old = all six status flags set). */
    {SHL, 4, 0x12345678, 0, 0x8D5, 0, 0x12345678, 0x8D5},
    /* SHR by 1: OF = the operand's top bit. */
    {SHR, 1, 0x81, 1, 0, 0, 0x40, 0x801},
    {SHR, 4, 0x80000000, 31, 0, 0, 0x00000001, 0x00},
    /* SAR: the sign fills in; OF = 0. */
    {SAR, 2, 0x8001, 1, 0, 0, 0xC000, 0x85},
    {SAR, 4, 0x80000000, 31, 0, 0, 0xFFFFFFFF, 0x84},
    /* Rotates: only CF and OF; the others come from old. */
    {ROL, 1, 0x80, 1, 0, 0, 0x01, 0x801},
    {ROL, 1, 0x80, 1, 0xC4, 0, 0x01, 0x8C5},
    {ROR, 1, 0x01, 1, 0, 0, 0x80, 0x801},
    /* ROL of a byte by 8: a whole turn, yet CF = bit 0 of the result
     * (and OF = top ^ CF = 0). */
    {ROL, 1, 0x81, 8, 0, 0, 0x81, 0x001},
    /* RCL through CF = 1: 0x80 -> 0x01, CF = 1, OF = 0 ^ 1. */
    {RCL, 1, 0x80, 1, 0x01, 0, 0x01, 0x801},
    /* RCL of a byte counts modulo 9: 9 changes nothing. */
    {RCL, 1, 0x5A, 9, 0x01, 0, 0x5A, 0x01},
    /* RCR by 1 with CF = 0: 0x01 -> 0x00, CF = 1, OF = top two bits xored = 0. */
    {RCR, 4, 0x00000001, 1, 0x00, 0, 0x00000000, 0x01},
    /* CF = 1 rotates into the top: 0x8000, CF = 0, OF = 1 ^ 0. */
    {RCR, 2, 0x0000, 1, 0x01, 0, 0x8000, 0x800},
    /* SHLD: 0x80000000:0 << 1 = 0, CF = 1, the sign changed (OF). */
    {SHLD, 4, 0x80000000, 1, 0, 0x00000000, 0x00000000, 0x845},
    /* 0x9A has four bits set: PF. */
    {SHLD, 4, 0x12345678, 8, 0, 0x9ABCDEF0, 0x3456789A, 0x04},
    /* SHRD: 1:1 >> 1 = 0x80000000: CF = 1, OF, SF, PF of 0x00. */
    {SHRD, 4, 0x00000001, 1, 0, 0x00000001, 0x80000000, 0x885},
    /* The sign changes (OF, SF); 0x56 has four bits set (PF). */
    {SHRD, 4, 0x12345678, 8, 0, 0x9ABCDEF0, 0xF0123456, 0x884},
    /* IMUL: CF = OF = the product did not fit; AF = 0. */
    {IMUL, 4, 0x00010000, 0x00010000, 0, 0, 0x00000000, 0x845},
    {IMUL, 1, 0xFF, 0xFF, 0, 0, 0x01, 0x00},
    {IMUL, 2, 0x4000, 0x0002, 0, 0, 0x8000, 0x885},
    {IMUL, 4, 0x80000000, 0xFFFFFFFF, 0, 0, 0x80000000, 0x885},
    /* -3 * 7 = -21 fits: SF, and 0xEB has six bits set (PF). */
    {IMUL, 4, 0xFFFFFFFD, 0x00000007, 0, 0, 0xFFFFFFEB, 0x84},
};

static uint32_t run(const struct row *t, uint32_t *fl)
{
    switch (t->op) {
    case ADD:
        return x86_add(t->a, t->b, 0, t->size, fl);
    case ADC:
        return x86_add(t->a, t->b, t->old & 1, t->size, fl);
    case SUB:
        return x86_sub(t->a, t->b, 0, t->size, fl);
    case SBB:
        return x86_sub(t->a, t->b, t->old & 1, t->size, fl);
    case SHL:
        return x86_shl(t->a, t->b, t->size, t->old, fl);
    case SHR:
        return x86_shr(t->a, t->b, t->size, t->old, fl);
    case SAR:
        return x86_sar(t->a, t->b, t->size, t->old, fl);
    case ROL:
        return x86_rol(t->a, t->b, t->size, t->old, fl);
    case ROR:
        return x86_ror(t->a, t->b, t->size, t->old, fl);
    case RCL:
        return x86_rcl(t->a, t->b, t->size, t->old, fl);
    case RCR:
        return x86_rcr(t->a, t->b, t->size, t->old, fl);
    case SHLD:
        return x86_shld(t->a, t->src, t->b, t->size, t->old, fl);
    case SHRD:
        return x86_shrd(t->a, t->src, t->b, t->size, t->old, fl);
    default:
        return x86_imul(t->a, t->b, t->size, fl);
    }
}

static void test_boundaries(void)
{
    for (unsigned i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        uint32_t fl = 0xDEAD0000, r = run(&rows[i], &fl);
        if (r != rows[i].r || fl != rows[i].fl)
            fprintf(stderr, "row %u: got 0x%x flags 0x%x, want 0x%x flags 0x%x\n", i, r, fl,
                    rows[i].r, rows[i].fl);
        CU_ASSERT_EQUAL(r, rows[i].r);
        CU_ASSERT_EQUAL(fl, rows[i].fl);
    }
}

/* The comparison catches a wrong answer: one deliberately wrong row. */
static void test_checker_can_fail(void)
{
    struct row bad = rows[0];
    uint32_t fl;
    bad.fl ^= 0x04; /* claim PF is clear after 0xFF + 1 */
    CU_ASSERT_EQUAL(run(&bad, &fl), bad.r);
    CU_ASSERT_NOT_EQUAL(fl, bad.fl);
}

static void test_mul_flags_and_conditions(void)
{
    /* MUL: an upper half sets CF and OF; SF/ZF/PF from the lower. */
    CU_ASSERT_EQUAL(x86_mul_flags(0, 1, 4), 0x845u);
    CU_ASSERT_EQUAL(x86_mul_flags(5, 0, 1), 0x04u);
    CU_ASSERT_EQUAL(x86_mul_flags(0x80, 0x100, 1), 0x80u); /* only the low byte of hi counts */
    /* L is SF != OF, LE adds ZF, BE is CF or ZF (Vol. 2 Jcc). */
    CU_ASSERT_TRUE(x86_cond(0x800, 12));  /* OF only: L */
    CU_ASSERT_TRUE(x86_cond(0x800, 14));  /* LE */
    CU_ASSERT_FALSE(x86_cond(0x800, 13)); /* NL */
    CU_ASSERT_FALSE(x86_cond(0x880, 12)); /* SF = OF: not L */
    CU_ASSERT_TRUE(x86_cond(0x880, 15));  /* NLE */
    CU_ASSERT_TRUE(x86_cond(0x041, 6));   /* BE */
    CU_ASSERT_FALSE(x86_cond(0x040, 7));  /* NBE */
    CU_ASSERT_TRUE(x86_cond(0x004, 10));  /* P */
    CU_ASSERT_TRUE(x86_cond(0x000, 11));  /* NP */
    CU_ASSERT_TRUE(x86_cond(0x000, 1));   /* NO */
}

/* The compact form keeps what execution needs. */
static void test_decode(void)
{
    struct x86_insn in;
    static const uint8_t movzx[] = {0x0F, 0xB6, 0x02}; /* movzx eax, byte [edx] */
    CU_ASSERT_EQUAL_FATAL(x86_decode(movzx, sizeof(movzx), &in), 0);
    CU_ASSERT_EQUAL(in.mnemonic, ZYDIS_MNEMONIC_MOVZX);
    CU_ASSERT_EQUAL(in.len, 3);
    CU_ASSERT_EQUAL(in.opsize, 4);
    CU_ASSERT_EQUAL(in.nops, 2);
    CU_ASSERT_EQUAL(in.op[1].kind, X86_OP_MEM);
    CU_ASSERT_EQUAL(in.op[1].size, 1);
    CU_ASSERT_EQUAL(in.op[1].base, 2);
    CU_ASSERT_EQUAL(in.op[1].index, X86_NO_REG);
    CU_ASSERT_EQUAL(in.op[1].seg, 3); /* DS */

    static const uint8_t movhi[] = {0x88, 0xE0}; /* mov al, ah */
    CU_ASSERT_EQUAL_FATAL(x86_decode(movhi, sizeof(movhi), &in), 0);
    CU_ASSERT_EQUAL(in.op[0].kind, X86_OP_REG);
    CU_ASSERT_EQUAL(in.op[0].reg, 0);
    CU_ASSERT_FALSE(in.op[0].hi);
    CU_ASSERT_EQUAL(in.op[1].reg, 0);
    CU_ASSERT_TRUE(in.op[1].hi);

    static const uint8_t rep[] = {0xF3, 0xA4}; /* rep movsb */
    CU_ASSERT_EQUAL_FATAL(x86_decode(rep, sizeof(rep), &in), 0);
    CU_ASSERT_EQUAL(in.mnemonic, ZYDIS_MNEMONIC_MOVSB);
    CU_ASSERT_EQUAL(in.prefixes, X86_PFX_REP);
    CU_ASSERT_EQUAL(in.nops, 0);
    CU_ASSERT_EQUAL(in.opsize, 1);
    CU_ASSERT_EQUAL(in.seg, 3);

    static const uint8_t csmovs[] = {0x2E, 0xA5}; /* movsd with a CS source */
    CU_ASSERT_EQUAL_FATAL(x86_decode(csmovs, sizeof(csmovs), &in), 0);
    CU_ASSERT_EQUAL(in.seg, 1);
    CU_ASSERT_EQUAL(in.opsize, 4);

    static const uint8_t jmp[] = {0xEB, 0xFE}; /* jmp $ */
    CU_ASSERT_EQUAL_FATAL(x86_decode(jmp, sizeof(jmp), &in), 0);
    CU_ASSERT_EQUAL(in.op[0].kind, X86_OP_REL);
    CU_ASSERT_EQUAL(in.op[0].imm, 0xFFFFFFFEu);

    static const uint8_t addi[] = {0x83, 0xC0, 0xFF}; /* add eax, -1 (imm8) */
    CU_ASSERT_EQUAL_FATAL(x86_decode(addi, sizeof(addi), &in), 0);
    CU_ASSERT_EQUAL(in.op[1].kind, X86_OP_IMM);
    CU_ASSERT_EQUAL(in.op[1].imm, 0xFFFFFFFFu);

    static const uint8_t sib[] = {0x8D, 0x44, 0x8B, 0x10}; /* lea eax, [ebx + ecx*4 + 0x10] */
    CU_ASSERT_EQUAL_FATAL(x86_decode(sib, sizeof(sib), &in), 0);
    CU_ASSERT_EQUAL(in.op[1].base, 3);
    CU_ASSERT_EQUAL(in.op[1].index, 1);
    CU_ASSERT_EQUAL(in.op[1].scale, 4);
    CU_ASSERT_EQUAL(in.op[1].imm, 0x10u);

    /* Truncated bytes are no instruction. */
    CU_ASSERT_EQUAL(x86_decode(sib, 2, &in), -1);
    CU_ASSERT_EQUAL(in.mnemonic, 0);
}

/* Every mnemonic has one row; one the table lacks binds to none (#UD). */
static void test_table(void)
{
    CU_ASSERT_EQUAL(x86_table_duplicate(), 0);
    struct x86_insn in;
    static const uint8_t ud2[] = {0x0F, 0x0B};
    CU_ASSERT_EQUAL_FATAL(x86_decode(ud2, sizeof(ud2), &in), 0);
    x86_bind(&in);
    CU_ASSERT_EQUAL(in.row, 0);
    static const uint8_t add[] = {0x01, 0xC8};
    CU_ASSERT_EQUAL_FATAL(x86_decode(add, sizeof(add), &in), 0);
    x86_bind(&in);
    CU_ASSERT_NOT_EQUAL(in.row, 0);
}

static CU_TestInfo tests[] = {
    {"boundary values against the SDM", test_boundaries},
    {"a wrong expectation is caught", test_checker_can_fail},
    {"mul flags and condition codes", test_mul_flags_and_conditions},
    {"the decoder's compact form", test_decode},
    {"one row per mnemonic", test_table},
    CU_TEST_INFO_NULL,
};

CUNIT_MAIN("x86 flags and decode", tests)
