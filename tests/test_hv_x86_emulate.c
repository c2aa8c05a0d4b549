/*
 * test_hv_x86_emulate.c - the IA-32 hypervisor's page-table-write
 * emulator (hv/x86/emulate.h), built for the host.
 *
 * The instruction bytes are GNU as's (`as --32`, checked with objdump);
 * lengths, addresses and results were worked out by hand from SDM Vol. 2A
 * (ModRM/SIB Tables 2-2 and 2-3 and each instruction's page).
 */
#include "cunit_main.h"

/* The emulator is freestanding code of the hypervisor image; the host
 * test compiles the same file. */
#include "hv/x86/emulate.c"

/* Registers: EAX 1, ECX 0x1000, EDX 3, EBX 0x2000, ESP 0x7000, EBP 0x8000,
 * ESI 0x3000, EDI 0x4000. */
static struct em_regs regs(void)
{
    return (struct em_regs){{1, 0x1000, 3, 0x2000, 0x7000, 0x8000, 0x3000, 0x4000}, 0x2};
}

struct drow {
    const char *what;
    uint8_t b[12];
    unsigned n;
    int ok;
    enum em_op op;
    unsigned len, reg;
    int has_imm;
    uint32_t imm, addr;
};

static const struct drow drows[] = {
    {"mov %eax,(%ebx)", {0x89, 0x03}, 2, 0, EM_MOV, 2, 0, 0, 0, 0x2000},
    {"movl $0x123007,0x10(%esi)",
     {0xc7, 0x46, 0x10, 0x07, 0x30, 0x12, 0x00},
     7,
     0,
     EM_MOV,
     7,
     0,
     1,
     0x123007,
     0x3010},
    /* ECX + EDX * 4 = 0x1000 + 12 */
    {"lock orl $0x2,(%ecx,%edx,4)",
     {0xf0, 0x83, 0x0c, 0x91, 0x02},
     5,
     0,
     EM_OR,
     5,
     1,
     1,
     2,
     0x100c},
    /* imm8 0xfe sign-extends */
    {"andl $0xfffffffe,0xc0001000",
     {0x83, 0x25, 0x00, 0x10, 0x00, 0xc0, 0xfe},
     7,
     0,
     EM_AND,
     7,
     4,
     1,
     0xfffffffe,
     0xc0001000},
    {"xchg %edx,0x4(%edi)", {0x87, 0x57, 0x04}, 3, 0, EM_XCHG, 3, 2, 0, 0, 0x4004},
    {"lock cmpxchg %ecx,(%eax)", {0xf0, 0x0f, 0xb1, 0x08}, 4, 0, EM_CMPXCHG, 4, 1, 0, 0, 1},
    {"lock btr %eax,(%edx)", {0xf0, 0x0f, 0xb3, 0x02}, 4, 0, EM_BTR, 4, 0, 0, 0, 3},
    {"btsl $0x9,(%ebx)", {0x0f, 0xba, 0x2b, 0x09}, 4, 0, EM_BTS, 4, 5, 1, 9, 0x2000},
    /* EBP - 8 */
    {"xor %esi,-0x8(%ebp)", {0x31, 0x75, 0xf8}, 3, 0, EM_XOR, 3, 6, 0, 0, 0x7ff8},
    /* SIB without base: EAX * 8 + disp32 */
    {"orl $0x1000,0x12345678(,%eax,8)",
     {0x81, 0x0c, 0xc5, 0x78, 0x56, 0x34, 0x12, 0x00, 0x10, 0x00, 0x00},
     11,
     0,
     EM_OR,
     11,
     1,
     1,
     0x1000,
     0x12345680},
    {"mov %eax,(%esp)", {0x89, 0x04, 0x24}, 3, 0, EM_MOV, 3, 0, 0, 0, 0x7000},
    {"andl $0xfffff000,0x100(%ebx)",
     {0x81, 0xa3, 0x00, 0x01, 0x00, 0x00, 0x00, 0xf0, 0xff, 0xff},
     10,
     0,
     EM_AND,
     10,
     4,
     1,
     0xfffff000,
     0x2100},
    /* declined: 16-bit operand, an opcode not in the table, a register
     * destination, bytes cut short */
    {"mov %ax,(%ebx)", {0x66, 0x89, 0x03}, 3, -1, 0, 0, 0, 0, 0, 0},
    {"add %eax,(%ebx)", {0x01, 0x03}, 2, -1, 0, 0, 0, 0, 0, 0},
    {"mov %eax,%ebx", {0x89, 0xc3}, 2, -1, 0, 0, 0, 0, 0, 0},
    {"movl $..,0x10(%esi) cut", {0xc7, 0x46, 0x10, 0x07, 0x30, 0x12}, 6, -1, 0, 0, 0, 0, 0, 0},
    {"orl ..(,%eax,8) cut", {0x81, 0x0c, 0xc5, 0x78, 0x56}, 5, -1, 0, 0, 0, 0, 0, 0},
    {"lock alone", {0xf0}, 1, -1, 0, 0, 0, 0, 0, 0},
};

static void test_decode(void)
{
    for (unsigned k = 0; k < sizeof drows / sizeof drows[0]; k++) {
        const struct drow *d = &drows[k];
        struct em_regs g = regs();
        struct em_insn in;
        int rc = em_decode(d->b, d->n, &g, &in);
        if (rc != d->ok) {
            printf("\n  %s: decode %d, expected %d", d->what, rc, d->ok);
            CU_FAIL("decode outcome");
            continue;
        }
        if (rc)
            continue;
        if (in.op != d->op || in.len != d->len || in.reg != d->reg || in.has_imm != d->has_imm ||
            (d->has_imm && in.imm != d->imm) || in.addr != d->addr)
            printf("\n  %s: op %d len %u reg %u imm %d/0x%x addr 0x%x", d->what, in.op, in.len,
                   in.reg, in.has_imm, in.imm, in.addr);
        CU_ASSERT_EQUAL(in.op, d->op);
        CU_ASSERT_EQUAL(in.len, d->len);
        CU_ASSERT_EQUAL(in.reg, d->reg);
        CU_ASSERT_EQUAL(in.has_imm, d->has_imm);
        if (d->has_imm)
            CU_ASSERT_EQUAL(in.imm, d->imm);
        CU_ASSERT_EQUAL(in.addr, d->addr);
    }
    /* A register bit offset of 32 reaches the next dword: declined. */
    struct em_regs g = regs();
    g.r[0] = 32;
    struct em_insn in;
    const uint8_t btr[] = {0xf0, 0x0f, 0xb3, 0x02};
    CU_ASSERT_EQUAL(em_decode(btr, 4, &g, &in), -1);
}

/* Flags: CF 0x1, PF 0x4, AF 0x10, ZF 0x40, SF 0x80, OF 0x800; EFLAGS bit 1
 * always reads 1. */
static void test_apply(void)
{
    struct em_insn in = {.op = EM_MOV, .reg = 0};
    struct em_regs g = regs();
    int st;
    g.r[0] = 0x00123007;
    CU_ASSERT_EQUAL(em_apply(&in, 0, &g, &st), 0x00123007);
    CU_ASSERT_EQUAL(st, 1);
    CU_ASSERT_EQUAL(g.eflags, 0x2); /* MOV leaves flags */

    /* or $2: 0x123005 | 2 = 0x123007; low byte 0x07 has 3 bits: PF 0. */
    in = (struct em_insn){.op = EM_OR, .has_imm = 1, .imm = 2};
    g = regs();
    g.eflags = 0x2 | 0x1 | 0x800;
    CU_ASSERT_EQUAL(em_apply(&in, 0x123005, &g, &st), 0x123007);
    CU_ASSERT_EQUAL(g.eflags, 0x2);
    /* and $0xfffffffe of 1 = 0: ZF, PF. */
    in = (struct em_insn){.op = EM_AND, .has_imm = 1, .imm = 0xfffffffe};
    g = regs();
    CU_ASSERT_EQUAL(em_apply(&in, 1, &g, &st), 0);
    CU_ASSERT_EQUAL(g.eflags, 0x2 | 0x40 | 0x4);
    /* xor with ESI 0x3000 of 0x80000000: SF; low byte 0: PF. */
    in = (struct em_insn){.op = EM_XOR, .reg = 6};
    g = regs();
    CU_ASSERT_EQUAL(em_apply(&in, 0x80000000u, &g, &st), 0x80003000u);
    CU_ASSERT_EQUAL(g.eflags, 0x2 | 0x80 | 0x4);

    /* xchg with EDX: memory gets 3, EDX the old entry. */
    in = (struct em_insn){.op = EM_XCHG, .reg = 2};
    g = regs();
    CU_ASSERT_EQUAL(em_apply(&in, 0x555007, &g, &st), 3);
    CU_ASSERT_EQUAL(g.r[2], 0x555007);

    /* cmpxchg %ecx: EAX == old stores ECX, ZF and PF set (0 - 0). */
    in = (struct em_insn){.op = EM_CMPXCHG, .reg = 1};
    g = regs();
    g.r[0] = 0x123007;
    CU_ASSERT_EQUAL(em_apply(&in, 0x123007, &g, &st), 0x1000);
    CU_ASSERT_EQUAL(st, 1);
    CU_ASSERT_EQUAL(g.eflags, 0x2 | 0x40 | 0x4);
    CU_ASSERT_EQUAL(g.r[0], 0x123007);
    /* EAX 0x123005 != old 0x123007: EAX gets old, no store.  0x123005 -
     * 0x123007 = 0xfffffffe: CF (borrow), SF, AF (borrow at bit 3: 5 < 7),
     * low byte 0xfe has 7 bits: PF 0. */
    g = regs();
    g.r[0] = 0x123005;
    em_apply(&in, 0x123007, &g, &st);
    CU_ASSERT_EQUAL(st, 0);
    CU_ASSERT_EQUAL(g.r[0], 0x123007);
    CU_ASSERT_EQUAL(g.eflags, 0x2 | 0x1 | 0x80 | 0x10);
    /* 0x80000000 - 1 overflows: OF, no SF (0x7fffffff), AF (0 - 1 at bit 3),
     * low byte 0xff: PF. */
    g = regs();
    g.r[0] = 0x80000000u;
    em_apply(&in, 1, &g, &st);
    CU_ASSERT_EQUAL(g.eflags, 0x2 | 0x800 | 0x10 | 0x4);

    /* btr $5 of 0x123027: bit 5 was set (CF), cleared. */
    in = (struct em_insn){.op = EM_BTR, .has_imm = 1, .imm = 5};
    g = regs();
    CU_ASSERT_EQUAL(em_apply(&in, 0x123027, &g, &st), 0x123007);
    CU_ASSERT_EQUAL(g.eflags, 0x2 | 0x1);
    /* bts $9 (AVL) of 0x123007: CF clear; btc %edx (bit 3) toggles. */
    in = (struct em_insn){.op = EM_BTS, .has_imm = 1, .imm = 9};
    g = regs();
    g.eflags = 0x3;
    CU_ASSERT_EQUAL(em_apply(&in, 0x123007, &g, &st), 0x123207);
    CU_ASSERT_EQUAL(g.eflags, 0x2);
    in = (struct em_insn){.op = EM_BTC, .reg = 2};
    g = regs();
    CU_ASSERT_EQUAL(em_apply(&in, 0x123007, &g, &st), 0x12300f);
    /* an immediate bit number counts modulo 32 */
    in = (struct em_insn){.op = EM_BTS, .has_imm = 1, .imm = 33};
    g = regs();
    CU_ASSERT_EQUAL(em_apply(&in, 0, &g, &st), 2);
}

static CU_TestInfo tests[] = {
    {"decode: forms, lengths, effective addresses, declines", test_decode},
    {"apply: values, registers and flags", test_apply},
    CU_TEST_INFO_NULL,
};

CUNIT_MAIN("hv_x86_emulate", tests)
