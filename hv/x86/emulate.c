/*
 * emulate.c - decoding and applying the guest's writes and loads to pages
 * the hypervisor mediates (see emulate.h).  Opcode and ModRM/SIB layouts:
 * SDM Vol. 2A 2.1 and Tables 2-2/2-3; flags: Vol. 1 3.4.3 and the
 * instruction pages.
 *
 * Deviations from the processor, all deliberate:
 * - AF after a logic instruction is undefined (Vol. 2A OR/AND/XOR) and
 *   left clear, as the simulator's model does; the flags BTS/BTR/BTC leave
 *   undefined keep their old values.
 * - LOCK on a form that does not allow it and 0x66 on a byte form are
 *   declined rather than decoded (the processor raises #UD, or ignores
 *   0x66, before any access the hypervisor could see).
 */
#include "emulate.h"

#define FL_CF    0x001u
#define FL_PF    0x004u
#define FL_AF    0x010u
#define FL_ZF    0x040u
#define FL_SF    0x080u
#define FL_OF    0x800u
#define FL_ARITH (FL_CF | FL_PF | FL_AF | FL_ZF | FL_SF | FL_OF)

/* Operand size column: a fixed number of bytes, or SZ_V for 4 bytes that
 * the 0x66 prefix makes 2 (Vol. 1 3.6; 32-bit code segments). */
#define SZ_V 0

/* Immediate column. */
enum {
    IMM_NONE,
    IMM_S8, /* one byte, sign-extended to the operand size (83 group) */
    IMM_U8, /* one byte, a bit number (0F BA group) */
    IMM_OP, /* as wide as the operand: 1, 2 or 4 bytes */
};

/* Flags column. */
#define F_LOCK  1u /* LOCK allowed: the instruction is in Vol. 2A LOCK's list */
#define F_MOFFS 2u /* no ModRM: a 32-bit absolute address, the register AL/AX/EAX */
#define F_ZEXT  4u /* loads: movzx into the 32-bit register */

/* One row per opcode form. */
struct form {
    uint8_t esc, op; /* esc: 0x0F for two-byte opcodes */
    int8_t group;    /* ModRM.reg value required (group opcodes), -1 for none */
    enum em_op kind;
    uint8_t size; /* operand bytes, or SZ_V */
    uint8_t imm;  /* IMM_* */
    uint8_t flags;
};

static const struct form forms[] = {
    /* stores */
    {0, 0x88, -1, EM_MOV, 1, IMM_NONE, 0},          /* mov m8, r8 */
    {0, 0x89, -1, EM_MOV, SZ_V, IMM_NONE, 0},       /* mov m32, r32 */
    {0, 0xC6, 0, EM_MOV, 1, IMM_OP, 0},             /* mov m8, imm8 */
    {0, 0xC7, 0, EM_MOV, SZ_V, IMM_OP, 0},          /* mov m32, imm32 */
    {0, 0xA2, -1, EM_MOV, 1, IMM_NONE, F_MOFFS},    /* mov moffs8, al */
    {0, 0xA3, -1, EM_MOV, SZ_V, IMM_NONE, F_MOFFS}, /* mov moffs32, eax */
    /* loads */
    {0, 0x8A, -1, EM_LOAD, 1, IMM_NONE, 0},          /* mov r8, m8 */
    {0, 0x8B, -1, EM_LOAD, SZ_V, IMM_NONE, 0},       /* mov r32, m32 */
    {0, 0xA0, -1, EM_LOAD, 1, IMM_NONE, F_MOFFS},    /* mov al, moffs8 */
    {0, 0xA1, -1, EM_LOAD, SZ_V, IMM_NONE, F_MOFFS}, /* mov eax, moffs32 */
    {0x0F, 0xB6, -1, EM_LOAD, 1, IMM_NONE, F_ZEXT},  /* movzx r32, m8 */
    {0x0F, 0xB7, -1, EM_LOAD, 2, IMM_NONE, F_ZEXT},  /* movzx r32, m16 */
    /* read-modify-write, register source */
    {0, 0x01, -1, EM_ADD, SZ_V, IMM_NONE, F_LOCK},        /* add m32, r32 */
    {0, 0x09, -1, EM_OR, SZ_V, IMM_NONE, F_LOCK},         /* or m32, r32 */
    {0, 0x21, -1, EM_AND, SZ_V, IMM_NONE, F_LOCK},        /* and m32, r32 */
    {0, 0x29, -1, EM_SUB, SZ_V, IMM_NONE, F_LOCK},        /* sub m32, r32 */
    {0, 0x31, -1, EM_XOR, SZ_V, IMM_NONE, F_LOCK},        /* xor m32, r32 */
    {0, 0x86, -1, EM_XCHG, 1, IMM_NONE, F_LOCK},          /* xchg m8, r8 */
    {0, 0x87, -1, EM_XCHG, SZ_V, IMM_NONE, F_LOCK},       /* xchg m32, r32 */
    {0x0F, 0xB0, -1, EM_CMPXCHG, 1, IMM_NONE, F_LOCK},    /* cmpxchg m8, r8 */
    {0x0F, 0xB1, -1, EM_CMPXCHG, SZ_V, IMM_NONE, F_LOCK}, /* cmpxchg m32, r32 */
    {0x0F, 0xC1, -1, EM_XADD, SZ_V, IMM_NONE, F_LOCK},    /* xadd m32, r32 */
    {0x0F, 0xAB, -1, EM_BTS, 4, IMM_NONE, F_LOCK},        /* bts m32, r32 */
    {0x0F, 0xB3, -1, EM_BTR, 4, IMM_NONE, F_LOCK},        /* btr m32, r32 */
    {0x0F, 0xBB, -1, EM_BTC, 4, IMM_NONE, F_LOCK},        /* btc m32, r32 */
    /* read-modify-write, immediate or implied source */
    {0, 0x80, 1, EM_OR, 1, IMM_OP, F_LOCK},             /* or m8, imm8 */
    {0, 0x80, 4, EM_AND, 1, IMM_OP, F_LOCK},            /* and m8, imm8 */
    {0, 0x80, 6, EM_XOR, 1, IMM_OP, F_LOCK},            /* xor m8, imm8 */
    {0, 0x81, 0, EM_ADD, SZ_V, IMM_OP, F_LOCK},         /* add m32, imm32 */
    {0, 0x81, 1, EM_OR, SZ_V, IMM_OP, F_LOCK},          /* or m32, imm32 */
    {0, 0x81, 4, EM_AND, SZ_V, IMM_OP, F_LOCK},         /* and m32, imm32 */
    {0, 0x81, 5, EM_SUB, SZ_V, IMM_OP, F_LOCK},         /* sub m32, imm32 */
    {0, 0x81, 6, EM_XOR, SZ_V, IMM_OP, F_LOCK},         /* xor m32, imm32 */
    {0, 0x83, 0, EM_ADD, SZ_V, IMM_S8, F_LOCK},         /* add m32, imm8 */
    {0, 0x83, 1, EM_OR, SZ_V, IMM_S8, F_LOCK},          /* or m32, imm8 */
    {0, 0x83, 4, EM_AND, SZ_V, IMM_S8, F_LOCK},         /* and m32, imm8 */
    {0, 0x83, 5, EM_SUB, SZ_V, IMM_S8, F_LOCK},         /* sub m32, imm8 */
    {0, 0x83, 6, EM_XOR, SZ_V, IMM_S8, F_LOCK},         /* xor m32, imm8 */
    {0, 0xFF, 0, EM_INC, SZ_V, IMM_NONE, F_LOCK},       /* inc m32 */
    {0, 0xFF, 1, EM_DEC, SZ_V, IMM_NONE, F_LOCK},       /* dec m32 */
    {0x0F, 0xBA, 5, EM_BTS, 4, IMM_U8, F_LOCK},         /* bts m32, imm8 */
    {0x0F, 0xBA, 6, EM_BTR, 4, IMM_U8, F_LOCK},         /* btr m32, imm8 */
    {0x0F, 0xBA, 7, EM_BTC, 4, IMM_U8, F_LOCK},         /* btc m32, imm8 */
    {0x0F, 0xC7, 1, EM_CMPXCHG8B, 8, IMM_NONE, F_LOCK}, /* cmpxchg8b m64 */
};

/* Little-endian, `bytes` (1 to 4) of them. */
static uint32_t rdle(const uint8_t *p, unsigned bytes)
{
    uint32_t v = 0;
    for (unsigned k = bytes; k-- > 0;)
        v = v << 8 | p[k];
    return v;
}

static uint32_t rd32(const uint8_t *p)
{
    return rdle(p, 4);
}

/* All ones in an operand of `size` bytes (1, 2 or 4). */
static uint32_t size_mask(unsigned size)
{
    return size >= 4 ? 0xFFFFFFFFu : (1u << (8 * size)) - 1;
}

static uint32_t size_sign(unsigned size)
{
    return 1u << (8 * size - 1);
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

/* The row for opcode esc/op whose group (if any) is `reg`, or 0. */
static const struct form *find_form(uint8_t esc, uint8_t op, unsigned reg)
{
    for (unsigned k = 0; k < sizeof(forms) / sizeof(forms[0]); k++)
        if (forms[k].esc == esc && forms[k].op == op &&
            (forms[k].group < 0 || (unsigned)forms[k].group == reg))
            return &forms[k];
    return 0;
}

/* The immediate of row `f` at b[*i], sized for an operand of `size`
 * bytes, advancing *i.  -1 when the bytes run out. */
static int read_imm(const struct form *f, unsigned size, const uint8_t *b, unsigned n, unsigned *i,
                    uint32_t *imm)
{
    unsigned bytes = f->imm == IMM_NONE ? 0 : f->imm == IMM_OP ? size : 1;
    if (*i + bytes > n)
        return -1;
    if (f->imm == IMM_S8)
        *imm = (uint32_t)(int32_t)(int8_t)b[*i] & size_mask(size);
    else
        *imm = rdle(b + *i, bytes);
    *i += bytes;
    return 0;
}

int em_decode(const uint8_t *b, unsigned n, const struct em_regs *g, struct em_insn *out)
{
    unsigned i = 0;
    int lock = 0, opsize = 0;
    /* LOCK, operand size and segment overrides, in any order (Vol. 2A
     * 2.1.1). */
    for (; i < n; i++) {
        if (b[i] == 0xF0)
            lock = 1;
        else if (b[i] == 0x66)
            opsize = 1;
        else if (!(b[i] == 0x26 || b[i] == 0x2E || b[i] == 0x36 || b[i] == 0x3E || b[i] == 0x64 ||
                   b[i] == 0x65))
            break;
    }
    if (i >= n)
        return -1;
    uint8_t esc = 0, op = b[i++];
    if (op == 0x0F) {
        if (i >= n)
            return -1;
        esc = 0x0F;
        op = b[i++];
    }
    /* The ModRM byte's reg field, when there is one, picks a group row. */
    const struct form *f = find_form(esc, op, i < n ? (b[i] >> 3) & 7 : 0);
    if (!f)
        return -1;
    unsigned size = f->size == SZ_V ? (opsize ? 2 : 4) : f->size;
    if ((opsize && f->size != SZ_V) || (lock && !(f->flags & F_LOCK)))
        return -1;
    uint32_t ea, imm = 0;
    unsigned reg = 0;
    if (f->flags & F_MOFFS) {
        if (i + 4 > n)
            return -1;
        ea = rd32(b + i);
        i += 4;
    } else {
        unsigned modrm = i; /* read only once modrm_addr found it within n */
        if (modrm_addr(b, n, &i, g, &ea) != 0)
            return -1;
        reg = (b[modrm] >> 3) & 7;
    }
    if (read_imm(f, size, b, n, &i, &imm) != 0)
        return -1;
    /* A register bit offset of 32 or more reaches another dword (Vol. 2A
     * BT, "bit base"): not an edit of this operand. */
    if ((f->kind == EM_BTS || f->kind == EM_BTR || f->kind == EM_BTC) && f->imm == IMM_NONE &&
        g->r[reg] >= 32)
        return -1;
    *out = (struct em_insn){.op = f->kind,
                            .len = i,
                            .size = size,
                            .reg = reg,
                            .imm = imm,
                            .has_imm = f->imm != IMM_NONE,
                            .zext = (f->flags & F_ZEXT) != 0,
                            .addr = ea};
    return 0;
}

/* A register operand of `size` bytes by its encoding: with size 1,
 * encodings 4-7 are AH, CH, DH, BH, bits 15:8 of EAX..EBX (Vol. 2A
 * Table 2-2, "r8"). */
static uint32_t reg_read(const struct em_regs *g, unsigned reg, unsigned size)
{
    if (size == 1 && reg >= 4)
        return (g->r[reg - 4] >> 8) & 0xFF;
    return g->r[reg] & size_mask(size);
}

/* Write a register operand of `size` bytes: an 8- or 16-bit register
 * keeps the other bits of its 32-bit register (Vol. 1 3.4.1.1). */
static void reg_write(struct em_regs *g, unsigned reg, unsigned size, uint32_t v)
{
    if (size == 1 && reg >= 4)
        g->r[reg - 4] = (g->r[reg - 4] & ~0xFF00u) | (v & 0xFF) << 8;
    else
        g->r[reg] = (g->r[reg] & ~size_mask(size)) | (v & size_mask(size));
}

static uint32_t parity(uint32_t v)
{
    v &= 0xFF;
    v ^= v >> 4;
    v ^= v >> 2;
    v ^= v >> 1;
    return (v & 1) ? 0 : FL_PF; /* PF: an even number of set bits */
}

/* SF, ZF, PF of a `size`-byte result, the other arithmetic flags cleared. */
static void szp_flags(struct em_regs *g, uint32_t r, unsigned size)
{
    r &= size_mask(size);
    g->eflags &= ~FL_ARITH;
    g->eflags |= parity(r) | (r ? 0 : FL_ZF) | (r & size_sign(size) ? FL_SF : 0);
}

/* The flags of ADD a, b (sub 0) or SUB a, b, CMP a, b (sub 1), whose
 * `size`-byte result is r: CF is the carry or borrow out of the top bit,
 * OF a signed overflow, AF the carry or borrow out of bit 3 (Vol. 1
 * 3.4.3.1; Vol. 2A ADD, SUB, CMP). */
static void arith_flags(struct em_regs *g, uint32_t a, uint32_t b, uint32_t r, unsigned size,
                        int sub)
{
    uint32_t m = size_mask(size), s = size_sign(size);
    a &= m;
    b &= m;
    r &= m;
    szp_flags(g, r, size);
    int carry = sub ? a < b : r < a;
    uint32_t ovf = sub ? (a ^ b) & (a ^ r) : (a ^ r) & (b ^ r);
    g->eflags |= (carry ? FL_CF : 0) | ((a ^ b ^ r) & 0x10u ? FL_AF : 0) | (ovf & s ? FL_OF : 0);
}

/* CMPXCHG8B: EDX:EAX against the 64-bit operand; only ZF changes (Vol.
 * 2A CMPXCHG8B). */
static uint64_t apply_cmpxchg8b(uint64_t old, struct em_regs *g, int *store)
{
    uint64_t edx_eax = (uint64_t)g->r[2] << 32 | g->r[0];
    if (edx_eax == old) {
        g->eflags |= FL_ZF;
        return (uint64_t)g->r[1] << 32 | g->r[3]; /* ECX:EBX */
    }
    g->eflags &= ~FL_ZF;
    g->r[0] = (uint32_t)old;
    g->r[2] = (uint32_t)(old >> 32);
    *store = 0; /* the processor writes `old` back: memory unchanged */
    return old;
}

/* A load: memory to the register, zero-extended (movzx) or merged. */
static void apply_load(const struct em_insn *in, uint32_t old, struct em_regs *g)
{
    if (in->zext)
        g->r[in->reg] = old;
    else
        reg_write(g, in->reg, in->size, old);
}

uint64_t em_apply(const struct em_insn *in, uint64_t old, struct em_regs *g, int *store)
{
    *store = 1;
    if (in->op == EM_CMPXCHG8B)
        return apply_cmpxchg8b(old, g, store);
    unsigned size = in->size;
    uint32_t m = size_mask(size), o = (uint32_t)old & m, r = o;
    uint32_t src = in->has_imm ? in->imm : reg_read(g, in->reg, size);
    switch (in->op) {
    case EM_MOV:
        r = src;
        break;
    case EM_LOAD:
        apply_load(in, o, g);
        *store = 0;
        break;
    case EM_OR:
        r = o | src;
        szp_flags(g, r, size);
        break;
    case EM_AND:
        r = o & src;
        szp_flags(g, r, size);
        break;
    case EM_XOR:
        r = o ^ src;
        szp_flags(g, r, size);
        break;
    case EM_ADD:
        r = o + src;
        arith_flags(g, o, src, r, size, 0);
        break;
    case EM_SUB:
        r = o - src;
        arith_flags(g, o, src, r, size, 1);
        break;
    case EM_INC:
    case EM_DEC: {
        /* Like ADD/SUB of 1, but CF keeps its value (Vol. 2A INC, DEC). */
        uint32_t cf = g->eflags & FL_CF;
        r = in->op == EM_INC ? o + 1 : o - 1;
        arith_flags(g, o, 1, r, size, in->op == EM_DEC);
        g->eflags = (g->eflags & ~FL_CF) | cf;
        break;
    }
    case EM_XADD:
        /* The register gets the old value, memory the sum (Vol. 2A XADD). */
        r = o + src;
        arith_flags(g, o, src, r, size, 0);
        reg_write(g, in->reg, size, o);
        break;
    case EM_XCHG:
        r = src;
        reg_write(g, in->reg, size, o);
        break;
    case EM_CMPXCHG: {
        /* The accumulator of the operand's size: AL, AX or EAX. */
        uint32_t acc = reg_read(g, 0, size);
        arith_flags(g, acc, o, acc - o, size, 1);
        if (acc == o) {
            r = src;
        } else {
            reg_write(g, 0, size, o);
            *store = 0; /* the processor writes `old` back: memory unchanged */
        }
        break;
    }
    case EM_BTS:
    case EM_BTR:
    case EM_BTC: {
        uint32_t bit = 1u << (src & 31);
        /* CF = the bit's old value; the other arithmetic flags are
         * undefined (Vol. 2A BTS) and stay as they were. */
        g->eflags = (g->eflags & ~FL_CF) | (o & bit ? FL_CF : 0);
        r = in->op == EM_BTS ? o | bit : in->op == EM_BTR ? o & ~bit : o ^ bit;
        break;
    }
    case EM_CMPXCHG8B: /* handled above */
        break;
    }
    return r & m;
}
