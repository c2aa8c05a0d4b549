/*
 * emulate.c - decoding and applying the guest's page-table writes (see
 * emulate.h).  Opcode and ModRM/SIB layouts: SDM Vol. 2A 2.1 and
 * Tables 2-2/2-3; flags: Vol. 1 3.4.3 and the instruction pages.
 */
#include "emulate.h"

#define FL_CF    0x001u
#define FL_PF    0x004u
#define FL_AF    0x010u
#define FL_ZF    0x040u
#define FL_SF    0x080u
#define FL_OF    0x800u
#define FL_ARITH (FL_CF | FL_PF | FL_AF | FL_ZF | FL_SF | FL_OF)

/* One row per opcode form: the operation, whether ModRM.reg picks it
 * (group opcodes 81/83/0F BA) and the immediate's size. */
struct form {
    uint8_t esc, op; /* esc: 0x0F for two-byte opcodes */
    int group;       /* ModRM.reg value required, -1 for none */
    enum em_op kind;
    unsigned imm; /* immediate bytes: 0, 1 (sign-extended unless a bit number) or 4 */
};

static const struct form forms[] = {
    {0, 0x89, -1, EM_MOV, 0},        {0, 0xC7, 0, EM_MOV, 4},     {0, 0x09, -1, EM_OR, 0},
    {0, 0x21, -1, EM_AND, 0},        {0, 0x31, -1, EM_XOR, 0},    {0, 0x81, 1, EM_OR, 4},
    {0, 0x81, 4, EM_AND, 4},         {0, 0x81, 6, EM_XOR, 4},     {0, 0x83, 1, EM_OR, 1},
    {0, 0x83, 4, EM_AND, 1},         {0, 0x83, 6, EM_XOR, 1},     {0, 0x87, -1, EM_XCHG, 0},
    {0x0F, 0xB1, -1, EM_CMPXCHG, 0}, {0x0F, 0xAB, -1, EM_BTS, 0}, {0x0F, 0xB3, -1, EM_BTR, 0},
    {0x0F, 0xBB, -1, EM_BTC, 0},     {0x0F, 0xBA, 5, EM_BTS, 1},  {0x0F, 0xBA, 6, EM_BTR, 1},
    {0x0F, 0xBA, 7, EM_BTC, 1},
};

static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* The memory operand of a ModRM byte at b[*i] (mod != 3): its effective
 * address, advancing *i past ModRM, SIB and displacement.  -1 when the
 * bytes run out or the operand is a register. */
static int modrm_addr(const uint8_t *b, unsigned n, unsigned *i, const struct em_regs *g,
                      uint32_t *ea)
{
    if (*i >= n)
        return -1;
    unsigned modrm = b[(*i)++], mod = modrm >> 6, rm = modrm & 7;
    if (mod == 3)
        return -1;
    uint32_t a = 0;
    if (rm == 4) { /* SIB */
        if (*i >= n)
            return -1;
        unsigned sib = b[(*i)++], scale = sib >> 6, index = (sib >> 3) & 7, base = sib & 7;
        if (index != 4) /* ESP as index means none */
            a += g->r[index] << scale;
        if (base == 5 && mod == 0) { /* disp32, no base */
            if (*i + 4 > n)
                return -1;
            a += rd32(b + *i);
            *i += 4;
        } else {
            a += g->r[base];
        }
    } else if (rm == 5 && mod == 0) { /* disp32 only */
        if (*i + 4 > n)
            return -1;
        a = rd32(b + *i);
        *i += 4;
    } else {
        a = g->r[rm];
    }
    if (mod == 1) {
        if (*i >= n)
            return -1;
        a += (uint32_t)(int32_t)(int8_t)b[(*i)++];
    } else if (mod == 2) {
        if (*i + 4 > n)
            return -1;
        a += rd32(b + *i);
        *i += 4;
    }
    *ea = a;
    return 0;
}

int em_decode(const uint8_t *b, unsigned n, const struct em_regs *g, struct em_insn *out)
{
    unsigned i = 0;
    /* LOCK and segment overrides; an operand-size prefix is declined. */
    while (i < n && (b[i] == 0xF0 || b[i] == 0x26 || b[i] == 0x2E || b[i] == 0x36 || b[i] == 0x3E ||
                     b[i] == 0x64 || b[i] == 0x65))
        i++;
    if (i >= n)
        return -1;
    uint8_t esc = 0, op = b[i++];
    if (op == 0x0F) {
        if (i >= n)
            return -1;
        esc = 0x0F;
        op = b[i++];
    }
    if (i >= n)
        return -1;
    unsigned reg = (b[i] >> 3) & 7;
    const struct form *f = 0;
    for (unsigned k = 0; k < sizeof(forms) / sizeof(forms[0]); k++)
        if (forms[k].esc == esc && forms[k].op == op &&
            (forms[k].group < 0 || (unsigned)forms[k].group == reg)) {
            f = &forms[k];
            break;
        }
    if (!f)
        return -1;
    uint32_t ea;
    if (modrm_addr(b, n, &i, g, &ea) != 0)
        return -1;
    uint32_t imm = 0;
    if (f->imm == 4) {
        if (i + 4 > n)
            return -1;
        imm = rd32(b + i);
    } else if (f->imm == 1) {
        if (i >= n)
            return -1;
        imm = esc ? (uint32_t)b[i] : (uint32_t)(int32_t)(int8_t)b[i];
    }
    i += f->imm;
    /* A register bit offset of 32 or more reaches another dword (Vol. 2A
     * BT, "bit base"): not an edit of this entry. */
    if (esc && f->imm == 0 && f->kind >= EM_BTS && g->r[reg] >= 32)
        return -1;
    *out = (struct em_insn){
        .op = f->kind, .len = i, .reg = reg, .imm = imm, .has_imm = f->imm != 0, .addr = ea};
    return 0;
}

static uint32_t parity(uint32_t v)
{
    v &= 0xFF;
    v ^= v >> 4;
    v ^= v >> 2;
    v ^= v >> 1;
    return (v & 1) ? 0 : FL_PF; /* PF: an even number of set bits */
}

/* SF, ZF, PF of a result; CF, OF, AF cleared (the logic instructions;
 * AF is undefined there and left clear, as the simulator's model does). */
static void logic_flags(struct em_regs *g, uint32_t r)
{
    g->eflags &= ~FL_ARITH;
    g->eflags |= parity(r) | (r ? 0 : FL_ZF) | (r & 0x80000000u ? FL_SF : 0);
}

/* The flags of CMP a, b (a - b), as CMPXCHG sets them. */
static void cmp_flags(struct em_regs *g, uint32_t a, uint32_t b)
{
    uint32_t r = a - b;
    g->eflags &= ~FL_ARITH;
    g->eflags |= parity(r) | (r ? 0 : FL_ZF) | (r & 0x80000000u ? FL_SF : 0) | (a < b ? FL_CF : 0) |
                 ((a ^ b ^ r) & 0x10u ? FL_AF : 0) |
                 (((a ^ b) & (a ^ r)) & 0x80000000u ? FL_OF : 0);
}

uint32_t em_apply(const struct em_insn *in, uint32_t old, struct em_regs *g, int *store)
{
    uint32_t src = in->has_imm ? in->imm : g->r[in->reg], r = old;
    *store = 1;
    switch (in->op) {
    case EM_MOV:
        r = src;
        break;
    case EM_OR:
        r = old | src;
        logic_flags(g, r);
        break;
    case EM_AND:
        r = old & src;
        logic_flags(g, r);
        break;
    case EM_XOR:
        r = old ^ src;
        logic_flags(g, r);
        break;
    case EM_XCHG:
        r = src;
        g->r[in->reg] = old;
        break;
    case EM_CMPXCHG:
        cmp_flags(g, g->r[0], old);
        if (g->r[0] == old) {
            r = src;
        } else {
            g->r[0] = old;
            *store = 0; /* the processor writes `old` back: memory unchanged */
        }
        break;
    case EM_BTS:
    case EM_BTR:
    case EM_BTC: {
        uint32_t bit = 1u << (src & 31);
        /* CF = the bit's old value; the other arithmetic flags are
         * undefined (Vol. 2A BTS) and stay as they were. */
        g->eflags = (g->eflags & ~FL_CF) | (old & bit ? FL_CF : 0);
        r = in->op == EM_BTS ? old | bit : in->op == EM_BTR ? old & ~bit : old ^ bit;
        break;
    }
    }
    return r;
}
