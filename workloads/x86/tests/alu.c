/*
 * alu.c - self-checking test of the IA-32 integer instructions: results
 * and status flags (read with pushf) against answers worked out by hand
 * from the Intel SDM definitions (Vol. 1 3.4.3.1 and the Vol. 2 pages),
 * and, over a grid of boundary operands, against a reference written in
 * plain C from the same definitions.  Flags the SDM leaves undefined are
 * masked out.  Prints "FAIL line N: got X want Y" for each mismatch, then
 * one summary line; exits 0 only when every check passed.  Runs unchanged
 * on QEMU and on vtsim (tests/oracle/qemu-x86, boot-check).
 */
#include "ctl.h"

typedef unsigned int u32;
typedef unsigned long long u64;

#define CF  0x001u
#define PF  0x004u
#define AF  0x010u
#define ZF  0x040u
#define SF  0x080u
#define OF  0x800u
#define ALL (CF | PF | AF | ZF | SF | OF)

int main(void);

static unsigned checks, fails;

static void puthex(u32 v)
{
    static const char digits[] = "0123456789abcdef";
    ctl_puts("0x");
    for (int i = 28; i >= 0; i -= 4)
        outb(CTL_CONSOLE_PORT, (unsigned char)digits[(v >> i) & 15]);
}

static void putdec(u32 v)
{
    char buf[12];
    int n = 0;
    do {
        buf[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n)
        outb(CTL_CONSOLE_PORT, (unsigned char)buf[--n]);
}

static void check(int line, u32 got, u32 want)
{
    checks++;
    if (got == want)
        return;
    fails++;
    ctl_puts("FAIL line ");
    putdec((u32)line);
    ctl_puts(": got ");
    puthex(got);
    ctl_puts(" want ");
    puthex(want);
    ctl_puts("\n");
}
#define CHECK(got, want) check(__LINE__, (got), (want))

/* ---- one instruction, its result and flags ---- */

/* Two operands: r = a OP b, with CF set to cin first. */
#define DEF_BIN(name, insn, mod, cons)                                                             \
    static __attribute__((noinline, unused)) u32 name(u32 a, u32 b, int cin, u32 *fl)              \
    {                                                                                              \
        u32 f;                                                                                     \
        if (cin)                                                                                   \
            __asm__ volatile("stc\n\t" insn " %" mod "2, %" mod "0\n\tpushfl\n\tpopl %1"           \
                             : "+" cons(a), "=&r"(f)                                               \
                             : cons(b)                                                             \
                             : "cc");                                                              \
        else                                                                                       \
            __asm__ volatile("clc\n\t" insn " %" mod "2, %" mod "0\n\tpushfl\n\tpopl %1"           \
                             : "+" cons(a), "=&r"(f)                                               \
                             : cons(b)                                                             \
                             : "cc");                                                              \
        *fl = f;                                                                                   \
        return a;                                                                                  \
    }

/* One operand. */
#define DEF_UN(name, insn, mod, cons)                                                              \
    static __attribute__((noinline, unused)) u32 name(u32 a, int cin, u32 *fl)                     \
    {                                                                                              \
        u32 f;                                                                                     \
        if (cin)                                                                                   \
            __asm__ volatile("stc\n\t" insn " %" mod "0\n\tpushfl\n\tpopl %1"                      \
                             : "+" cons(a), "=&r"(f)                                               \
                             :                                                                     \
                             : "cc");                                                              \
        else                                                                                       \
            __asm__ volatile("clc\n\t" insn " %" mod "0\n\tpushfl\n\tpopl %1"                      \
                             : "+" cons(a), "=&r"(f)                                               \
                             :                                                                     \
                             : "cc");                                                              \
        *fl = f;                                                                                   \
        return a;                                                                                  \
    }

/* Shift or rotate by CL. */
#define DEF_SH(name, insn, mod, cons)                                                              \
    static __attribute__((noinline, unused)) u32 name(u32 a, u32 n, int cin, u32 *fl)              \
    {                                                                                              \
        u32 f;                                                                                     \
        if (cin)                                                                                   \
            __asm__ volatile("stc\n\t" insn " %%cl, %" mod "0\n\tpushfl\n\tpopl %1"                \
                             : "+" cons(a), "=&r"(f)                                               \
                             : "c"(n)                                                              \
                             : "cc");                                                              \
        else                                                                                       \
            __asm__ volatile("clc\n\t" insn " %%cl, %" mod "0\n\tpushfl\n\tpopl %1"                \
                             : "+" cons(a), "=&r"(f)                                               \
                             : "c"(n)                                                              \
                             : "cc");                                                              \
        *fl = f;                                                                                   \
        return a;                                                                                  \
    }

#define DEF_WIDTHS(kind, op)                                                                       \
    DEF_##kind(op##32, #op "l", "", "r") DEF_##kind(op##16, #op "w", "w", "r")                     \
        DEF_##kind(op##8, #op "b", "b", "q")

DEF_WIDTHS(BIN, add)
DEF_WIDTHS(BIN, adc)
DEF_WIDTHS(BIN, sub)
DEF_WIDTHS(BIN, sbb)
DEF_WIDTHS(BIN, cmp)
DEF_WIDTHS(BIN, and)
DEF_WIDTHS(BIN, or)
DEF_WIDTHS(BIN, xor)
DEF_WIDTHS(BIN, test)
DEF_WIDTHS(UN, inc)
DEF_WIDTHS(UN, dec)
DEF_WIDTHS(UN, neg)
DEF_WIDTHS(UN, not )
DEF_WIDTHS(SH, shl)
DEF_WIDTHS(SH, shr)
DEF_WIDTHS(SH, sar)
DEF_WIDTHS(SH, rol)
DEF_WIDTHS(SH, ror)
DEF_WIDTHS(SH, rcl)
DEF_WIDTHS(SH, rcr)

/* ---- the reference, in C, from the SDM's definitions ---- */

static u32 mask_of(int bits)
{
    return bits == 32 ? 0xFFFFFFFFu : (1u << bits) - 1;
}

/* PF: even number of ones in the low byte (nibble table, so that no flag
 * instruction of the model under test computes it). */
static u32 ref_szp(u32 r, int bits)
{
    static const unsigned char ones[16] = {0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4};
    u32 f = 0;
    r &= mask_of(bits);
    if (((ones[r & 15] + ones[(r >> 4) & 15]) & 1) == 0)
        f |= PF;
    if (r == 0)
        f |= ZF;
    if ((r >> (bits - 1)) & 1)
        f |= SF;
    return f;
}

static u32 ref_add(u32 a, u32 b, u32 cin, int bits, u32 *fl)
{
    u32 m = mask_of(bits);
    a &= m;
    b &= m;
    u64 wide = (u64)a + b + cin;
    u32 r = (u32)wide & m;
    u32 f = ref_szp(r, bits);
    if (wide > m)
        f |= CF;
    if (((a ^ b ^ r) >> 4) & 1)
        f |= AF;
    if ((((a ^ r) & (b ^ r)) >> (bits - 1)) & 1)
        f |= OF;
    *fl = f;
    return r;
}

static u32 ref_sub(u32 a, u32 b, u32 bin, int bits, u32 *fl)
{
    u32 m = mask_of(bits);
    a &= m;
    b &= m;
    u32 r = (a - b - bin) & m;
    u32 f = ref_szp(r, bits);
    if ((u64)a < (u64)b + bin)
        f |= CF;
    if (((a ^ b ^ r) >> 4) & 1)
        f |= AF;
    if ((((a ^ b) & (a ^ r)) >> (bits - 1)) & 1)
        f |= OF;
    *fl = f;
    return r;
}

static const u32 grid[] = {0,          1,          2,          0x0F,       0x10,
                           0x7F,       0x80,       0xFF,       0x100,      0x7FFF,
                           0x8000,     0xFFFF,     0x12345678, 0x7FFFFFFF, 0x80000000,
                           0x80000001, 0xFFFFFFFE, 0xFFFFFFFF, 0xDEADBEEF, 0x00FF00FF};
#define NGRID (sizeof(grid) / sizeof(grid[0]))

typedef u32 (*bin_fn)(u32, u32, int, u32 *);

/* Every grid pair through add, adc, sub, sbb, cmp at one width. */
static void grid_arith(int bits, bin_fn add, bin_fn adc, bin_fn sub, bin_fn sbb, bin_fn cmp)
{
    u32 m = mask_of(bits);
    for (unsigned i = 0; i < NGRID; i++) {
        for (unsigned j = 0; j < NGRID; j++) {
            u32 a = grid[i] & m, b = grid[j] & m, f, rf, r;
            for (int c = 0; c < 2; c++) {
                r = add(a, b, c, &f);
                CHECK(r & m, ref_add(a, b, 0, bits, &rf));
                CHECK(f & ALL, rf);
                r = adc(a, b, c, &f);
                CHECK(r & m, ref_add(a, b, (u32)c, bits, &rf));
                CHECK(f & ALL, rf);
                r = sub(a, b, c, &f);
                CHECK(r & m, ref_sub(a, b, 0, bits, &rf));
                CHECK(f & ALL, rf);
                r = sbb(a, b, c, &f);
                CHECK(r & m, ref_sub(a, b, (u32)c, bits, &rf));
                CHECK(f & ALL, rf);
                r = cmp(a, b, c, &f);
                CHECK(r & m, a);
                ref_sub(a, b, 0, bits, &rf);
                CHECK(f & ALL, rf);
            }
        }
    }
}

/* Logic: CF = OF = 0, SF/ZF/PF from the result; AF undefined. */
static void grid_logic(int bits, bin_fn and_, bin_fn or_, bin_fn xor_, bin_fn test)
{
    u32 m = mask_of(bits), f;
    for (unsigned i = 0; i < NGRID; i++) {
        for (unsigned j = 0; j < NGRID; j++) {
            u32 a = grid[i] & m, b = grid[j] & m;
            CHECK(and_(a, b, 1, &f) & m, a & b);
            CHECK(f & (ALL & ~AF), ref_szp(a & b, bits));
            CHECK(or_(a, b, 1, &f) & m, a | b);
            CHECK(f & (ALL & ~AF), ref_szp(a | b, bits));
            CHECK(xor_(a, b, 1, &f) & m, a ^ b);
            CHECK(f & (ALL & ~AF), ref_szp(a ^ b, bits));
            CHECK(test(a, b, 1, &f) & m, a);
            CHECK(f & (ALL & ~AF), ref_szp(a & b, bits));
        }
    }
}

typedef u32 (*un_fn)(u32, int, u32 *);

/* inc/dec keep CF; neg is 0 - a with CF = (a != 0); not keeps every flag. */
static void grid_unary(int bits, un_fn inc, un_fn dec, un_fn neg, un_fn not_)
{
    u32 m = mask_of(bits), f, rf;
    for (unsigned i = 0; i < NGRID; i++) {
        u32 a = grid[i] & m;
        for (int c = 0; c < 2; c++) {
            CHECK(inc(a, c, &f) & m, ref_add(a, 1, 0, bits, &rf));
            CHECK(f & ALL, (rf & ~CF) | (u32)c);
            CHECK(dec(a, c, &f) & m, ref_sub(a, 1, 0, bits, &rf));
            CHECK(f & ALL, (rf & ~CF) | (u32)c);
            CHECK(neg(a, c, &f) & m, ref_sub(0, a, 0, bits, &rf));
            CHECK(f & ALL, rf);
            CHECK(not_(a, c, &f) & m, ~a & m);
            CHECK(f & CF, (u32)c);
        }
    }
}

typedef u32 (*sh_fn)(u32, u32, int, u32 *);

/* Shifts by 1..bits-1: result, CF (last bit out), SF/ZF/PF; OF only for
 * a count of 1 (SDM: undefined otherwise); AF undefined. */
static void grid_shift(int bits, sh_fn shl, sh_fn shr, sh_fn sar)
{
    u32 m = mask_of(bits), sign = 1u << (bits - 1), f;
    for (unsigned i = 0; i < NGRID; i++) {
        u32 a = grid[i] & m;
        for (u32 n = 1; n < (u32)bits; n++) {
            u32 want, cf, of_mask = n == 1 ? OF : 0, defined = CF | PF | ZF | SF | of_mask;
            /* SHL */
            want = (a << n) & m;
            cf = (a >> (bits - n)) & 1;
            u32 fl = ref_szp(want, bits) | cf;
            if (n == 1 && (((want & sign) != 0) ^ cf))
                fl |= OF;
            CHECK(shl(a, n, 0, &f) & m, want);
            CHECK(f & defined, fl & defined);
            /* SHR */
            want = a >> n;
            cf = (a >> (n - 1)) & 1;
            fl = ref_szp(want, bits) | cf | (n == 1 && (a & sign) ? OF : 0);
            CHECK(shr(a, n, 1, &f) & m, want);
            CHECK(f & defined, fl & defined);
            /* SAR: the sign fills from the left. */
            want = a >> n;
            if (a & sign)
                want |= m & ~(m >> n);
            cf = (a >> (n - 1)) & 1;
            fl = ref_szp(want, bits) | cf;
            CHECK(sar(a, n, 0, &f) & m, want);
            CHECK(f & defined, fl & defined);
        }
        /* A count of 0 changes nothing, flags included. */
        CHECK(shl(a, 0, 1, &f) & m, a);
        CHECK(f & CF, CF);
        CHECK(sar(a, 0, 0, &f) & m, a);
        CHECK(f & CF, 0);
    }
}

/* ---- hand-worked cases (flags from the SDM definitions) ---- */

static void hand_arith(void)
{
    u32 f;
    /* ADD: carry out of every bit; AF from bit 3; PF of 0x00 is set. */
    CHECK(add32(0xFFFFFFFF, 1, 0, &f), 0);
    CHECK(f & ALL, CF | PF | AF | ZF);
    CHECK(add32(0x7FFFFFFF, 1, 0, &f), 0x80000000);
    CHECK(f & ALL, OF | SF | AF | PF);
    CHECK(add32(1, 2, 0, &f), 3);
    CHECK(f & ALL, PF);
    CHECK(add8(0x80, 0x80, 0, &f) & 0xFF, 0);
    CHECK(f & ALL, CF | OF | ZF | PF);
    CHECK(add16(0x7FFF, 1, 0, &f) & 0xFFFF, 0x8000);
    CHECK(f & ALL, OF | SF | AF | PF);
    /* SUB and CMP: CF is the borrow. */
    CHECK(sub32(0, 1, 0, &f), 0xFFFFFFFF);
    CHECK(f & ALL, CF | PF | AF | SF);
    CHECK(sub32(0x80000000, 1, 0, &f), 0x7FFFFFFF);
    CHECK(f & ALL, OF | AF | PF);
    CHECK(sub32(5, 5, 0, &f), 0);
    CHECK(f & ALL, ZF | PF);
    cmp8(0x10, 0x01, 0, &f);
    CHECK(f & ALL, AF | PF);
    /* ADC/SBB take CF in. */
    CHECK(adc32(0xFFFFFFFF, 0, 1, &f), 0);
    CHECK(f & ALL, CF | PF | AF | ZF);
    CHECK(adc32(0x7FFFFFFF, 0, 1, &f), 0x80000000);
    CHECK(f & ALL, OF | SF | AF | PF);
    CHECK(adc32(1, 1, 0, &f), 2);
    CHECK(f & ALL, 0);
    CHECK(sbb32(0, 0, 1, &f), 0xFFFFFFFF);
    CHECK(f & ALL, CF | PF | AF | SF);
    CHECK(sbb32(0x80000000, 0, 1, &f), 0x7FFFFFFF);
    CHECK(f & ALL, OF | AF | PF);
    CHECK(sbb32(5, 4, 1, &f), 0);
    CHECK(f & ALL, ZF | PF);
    /* INC/DEC keep CF; NEG sets it for a non-zero operand. */
    CHECK(inc32(0xFFFFFFFF, 1, &f), 0);
    CHECK(f & ALL, CF | ZF | PF | AF);
    CHECK(inc32(0x7FFFFFFF, 0, &f), 0x80000000);
    CHECK(f & ALL, OF | SF | AF | PF);
    CHECK(dec32(0, 1, &f), 0xFFFFFFFF);
    CHECK(f & ALL, CF | SF | PF | AF);
    CHECK(dec32(0x80000000, 0, &f), 0x7FFFFFFF);
    CHECK(f & ALL, OF | AF | PF);
    CHECK(neg32(0, 1, &f), 0);
    CHECK(f & ALL, ZF | PF);
    CHECK(neg32(1, 0, &f), 0xFFFFFFFF);
    CHECK(f & ALL, CF | SF | PF | AF);
    CHECK(neg32(0x80000000, 0, &f), 0x80000000);
    CHECK(f & ALL, CF | OF | SF | PF);
    CHECK(not32(0x12345678, 1, &f), 0xEDCBA987);
    /* Logic clears CF and OF. */
    CHECK(and32(0xF0F0F0F0, 0x0F0F0F0F, 1, &f), 0);
    CHECK(f & (ALL & ~AF), ZF | PF);
    CHECK(or32(0x80000000, 1, 1, &f), 0x80000001);
    CHECK(f & (ALL & ~AF), SF);
    test8(0x81, 0x80, 1, &f);
    CHECK(f & (ALL & ~AF), SF);
}

static void hand_shifts(void)
{
    u32 f;
    CHECK(shl32(0x80000001, 1, 0, &f), 2);
    CHECK(f & (ALL & ~AF), CF | OF);
    CHECK(shl32(1, 31, 0, &f), 0x80000000);
    CHECK(f & (ALL & ~AF & ~OF), SF | PF);
    CHECK(shr32(0x80000001, 1, 0, &f), 0x40000000);
    CHECK(f & (ALL & ~AF), CF | PF | OF);
    CHECK(sar32(0x80000000, 31, 0, &f), 0xFFFFFFFF);
    CHECK(f & (ALL & ~AF & ~OF), SF | PF);
    CHECK(sar32(0x80000001, 1, 0, &f), 0xC0000000);
    CHECK(f & (ALL & ~AF), CF | SF | PF);
    /* The count is masked to 5 bits, not to the operand width. */
    CHECK(shl8(1, 8, 0, &f) & 0xFF, 0);
    CHECK(shl32(1, 33, 0, &f), 2);
    /* Rotates change CF and OF only (OF defined for a count of 1). */
    CHECK(rol32(0x80000001, 1, 0, &f), 3);
    CHECK(f & (CF | OF), CF | OF);
    CHECK(ror32(1, 1, 0, &f), 0x80000000);
    CHECK(f & (CF | OF), CF | OF);
    CHECK(rcl32(0x80000000, 1, 1, &f), 1);
    CHECK(f & (CF | OF), CF | OF);
    CHECK(rcr32(1, 1, 0, &f), 0);
    CHECK(f & (CF | OF), CF);
    CHECK(rol8(0x81, 4, 0, &f) & 0xFF, 0x18);
    CHECK(f & CF, 0);
    /* RCL of a byte counts modulo 9: 9 is no rotation at all. */
    CHECK(rcl8(0, 9, 1, &f) & 0xFF, 0);
    CHECK(f & CF, CF);
    CHECK(rcr16(1, 1, 0, &f) & 0xFFFF, 0);
    CHECK(f & CF, CF);
    CHECK(rcl16(0x8000, 17, 0, &f) & 0xFFFF, 0x8000);
    CHECK(rcr8(0x01, 2, 1, &f) & 0xFF, 0x80 | 0x40 >> 0);
}

/* SHLD/SHRD: a 64-bit shift is made of them. */
static void hand_double_shifts(void)
{
    u32 d = 0x12345678, f;
    __asm__ volatile("shldl $8, %2, %0\n\tpushfl\n\tpopl %1"
                     : "+r"(d), "=&r"(f)
                     : "r"(0x9ABCDEF0u)
                     : "cc");
    CHECK(d, 0x3456789A);
    CHECK(f & CF, 0);
    d = 0x12345678;
    __asm__ volatile("shrdl $8, %2, %0\n\tpushfl\n\tpopl %1"
                     : "+r"(d), "=&r"(f)
                     : "r"(0x9ABCDEF0u)
                     : "cc");
    CHECK(d, 0xF0123456);
    CHECK(f & CF, 0);
    d = 0x0000000F;
    __asm__ volatile("shrdl %%cl, %2, %0\n\tpushfl\n\tpopl %1"
                     : "+r"(d), "=&r"(f)
                     : "r"(0u), "c"(4)
                     : "cc");
    CHECK(d, 0);
    CHECK(f & (CF | ZF | PF | SF), CF | ZF | PF);
    /* The same through the compiler: 64-bit shifts by a variable count. */
    volatile u32 n = 12;
    volatile u64 v = 0x0123456789ABCDEFull;
    u64 l = v << n, r = v >> n;
    CHECK((u32)(l >> 32), 0x3456789A);
    CHECK((u32)l, 0xBCDEF000);
    CHECK((u32)(r >> 32), 0x00001234);
    CHECK((u32)r, 0x56789ABC);
    volatile long long s = -0x0123456789ABCDEFll;
    long long sr = s >> n;
    /* -0x0123456789ABCDEF is 0xFEDCBA9876543211. */
    CHECK((u32)(sr >> 32), 0xFFFFEDCB);
    CHECK((u32)sr, 0xA9876543);
}

static void hand_multiply(void)
{
    u32 lo, hi, f;
    /* MUL: CF = OF = (upper half != 0). */
    lo = 0xFFFFFFFF;
    __asm__ volatile("mull %3\n\tpushfl\n\tpopl %2"
                     : "+a"(lo), "=d"(hi), "=&r"(f)
                     : "r"(0xFFFFFFFFu)
                     : "cc");
    CHECK(lo, 1);
    CHECK(hi, 0xFFFFFFFE);
    CHECK(f & (CF | OF), CF | OF);
    lo = 2;
    __asm__ volatile("mull %3\n\tpushfl\n\tpopl %2"
                     : "+a"(lo), "=d"(hi), "=&r"(f)
                     : "r"(3u)
                     : "cc");
    CHECK(lo, 6);
    CHECK(hi, 0);
    CHECK(f & (CF | OF), 0);
    lo = 0x80;
    __asm__ volatile("mulb %b2\n\tpushfl\n\tpopl %1" : "+a"(lo), "=&r"(f) : "q"(2u) : "cc");
    CHECK(lo & 0xFFFF, 0x0100);
    CHECK(f & (CF | OF), CF | OF);
    /* IMUL, one operand: the product fits, so CF = OF = 0. */
    lo = 0xFFFFFFFF;
    __asm__ volatile("imull %3\n\tpushfl\n\tpopl %2"
                     : "+a"(lo), "=d"(hi), "=&r"(f)
                     : "r"(1u)
                     : "cc");
    CHECK(lo, 0xFFFFFFFF);
    CHECK(hi, 0xFFFFFFFF);
    CHECK(f & (CF | OF), 0);
    /* -128 * -1 = 128 does not fit a signed byte. */
    lo = 0x80;
    __asm__ volatile("imulb %b2\n\tpushfl\n\tpopl %1" : "+a"(lo), "=&r"(f) : "q"(0xFFu) : "cc");
    CHECK(lo & 0xFFFF, 0x0080);
    CHECK(f & (CF | OF), CF | OF);
    /* Two and three operands: truncated, CF = OF on overflow. */
    lo = 0x40000000;
    __asm__ volatile("imull %2, %0\n\tpushfl\n\tpopl %1" : "+r"(lo), "=&r"(f) : "r"(2u) : "cc");
    CHECK(lo, 0x80000000);
    CHECK(f & (CF | OF), CF | OF);
    __asm__ volatile("imull $-3, %2, %0\n\tpushfl\n\tpopl %1"
                     : "=r"(lo), "=&r"(f)
                     : "r"(7u)
                     : "cc");
    CHECK(lo, 0xFFFFFFEB);
    CHECK(f & (CF | OF), 0);
    lo = 0x100;
    __asm__ volatile("imulw %w2, %w0\n\tpushfl\n\tpopl %1"
                     : "+r"(lo), "=&r"(f)
                     : "r"(0x100u)
                     : "cc");
    CHECK(lo & 0xFFFF, 0);
    CHECK(f & (CF | OF), CF | OF);
    /* 64-bit products through the compiler (mul, imul, add, adc). */
    volatile u64 a = 0x00000001FFFFFFFFull, b = 0x0000000300000005ull;
    u64 p = a * b;
    /* (2^33 - 1)(3 * 2^32 + 5) = 7 * 2^32 - 5 (mod 2^64) */
    CHECK((u32)(p >> 32), 0x00000006);
    CHECK((u32)p, 0xFFFFFFFB);
    volatile long long sa = -5, sb = 0x100000000ll;
    long long sp = sa * sb;
    CHECK((u32)(sp >> 32), 0xFFFFFFFB);
    CHECK((u32)sp, 0);
}

static void hand_divide(void)
{
    u32 q, r;
    __asm__ volatile("divl %4" : "=a"(q), "=d"(r) : "a"(0u), "d"(1u), "r"(0x10u) : "cc");
    CHECK(q, 0x10000000);
    CHECK(r, 0);
    __asm__ volatile("divl %4" : "=a"(q), "=d"(r) : "a"(100u), "d"(0u), "r"(7u) : "cc");
    CHECK(q, 14);
    CHECK(r, 2);
    /* IDIV truncates toward zero; the remainder has the dividend's sign. */
    __asm__ volatile("idivl %4"
                     : "=a"(q), "=d"(r)
                     : "a"((u32)-100), "d"(0xFFFFFFFFu), "r"(7u)
                     : "cc");
    CHECK(q, (u32)-14);
    CHECK(r, (u32)-2);
    q = 0xFFF9; /* AX = -7 */
    __asm__ volatile("idivb %b1" : "+a"(q) : "q"(2u) : "cc");
    CHECK(q & 0xFFFF, 0xFFFD);
    __asm__ volatile("divw %w4" : "=a"(q), "=d"(r) : "a"(0u), "d"(1u), "r"(2u) : "cc");
    CHECK(q & 0xFFFF, 0x8000);
    CHECK(r & 0xFFFF, 0);
    /* Through the compiler: 32-bit division and remainder. */
    volatile int x = -1000003, y = 17;
    CHECK((u32)(x / y), (u32)-58823);
    CHECK((u32)(x % y), (u32)-12);
    volatile u32 ux = 0xFFFFFFFF, uy = 10;
    CHECK(ux / uy, 429496729);
    CHECK(ux % uy, 5);
}

/* ---- conditions: what gcc makes of comparisons (setcc, cmovcc, jcc) ---- */

static __attribute__((noinline)) u32 conds(int a, int b)
{
    u32 ua = (u32)a, ub = (u32)b;
    return (u32)(a < b) | (u32)(a <= b) << 1 | (u32)(a > b) << 2 | (u32)(a >= b) << 3 |
           (u32)(ua < ub) << 4 | (u32)(ua <= ub) << 5 | (u32)(ua > ub) << 6 | (u32)(ua >= ub) << 7 |
           (u32)(a == b) << 8 | (u32)(a != b) << 9;
}

static __attribute__((noinline)) int sel(int a, int b, int c, int d)
{
    return a < b ? c : d; /* cmov at -O2 with -march=i686 */
}

static void hand_conditions(void)
{
    CHECK(conds(1, 2), 0x1 | 0x2 | 0x10 | 0x20 | 0x200);
    CHECK(conds(2, 1), 0x4 | 0x8 | 0x40 | 0x80 | 0x200);
    CHECK(conds(5, 5), 0x2 | 0x8 | 0x20 | 0x80 | 0x100);
    CHECK(conds(-1, 1), 0x1 | 0x2 | 0x40 | 0x80 | 0x200);
    CHECK(conds((int)0x80000000, 1), 0x1 | 0x2 | 0x40 | 0x80 | 0x200);
    CHECK(conds(0x7FFFFFFF, (int)0x80000000), 0x4 | 0x8 | 0x10 | 0x20 | 0x200);
    CHECK((u32)sel(1, 2, 10, 20), 10);
    CHECK((u32)sel(2, 1, 10, 20), 20);
    /* seto, setp, sets directly after cmp 0x80000000, 1 (overflow). */
    u32 o, p, s;
    __asm__ volatile("cmpl $1, %3\n\tseto %b0\n\tsetp %b1\n\tsets %b2"
                     : "=q"(o), "=q"(p), "=q"(s)
                     : "r"(0x80000000u)
                     : "cc");
    CHECK(o & 0xFF, 1);
    CHECK(p & 0xFF, 1); /* 0x7FFFFFFF: low byte 0xFF, eight ones */
    CHECK(s & 0xFF, 0);
    u32 d = 7;
    __asm__ volatile("cmpl %1, %1\n\tcmovnel %2, %0" : "+r"(d) : "r"(1u), "r"(9u) : "cc");
    CHECK(d, 7);
    __asm__ volatile("cmpl %1, %1\n\tcmovel %2, %0" : "+r"(d) : "r"(1u), "r"(9u) : "cc");
    CHECK(d, 9);
}

/* ---- moves, widening, bits ---- */

static void hand_moves(void)
{
    u32 r, a;
    __asm__ volatile("movzbl %b1, %0" : "=r"(r) : "q"(0x180u));
    CHECK(r, 0x80);
    __asm__ volatile("movsbl %b1, %0" : "=r"(r) : "q"(0x180u));
    CHECK(r, 0xFFFFFF80);
    __asm__ volatile("movzwl %w1, %0" : "=r"(r) : "r"(0x18000u));
    CHECK(r, 0x8000);
    __asm__ volatile("movswl %w1, %0" : "=r"(r) : "r"(0x18000u));
    CHECK(r, 0xFFFF8000);
    r = 0x12340000;
    __asm__ volatile("movsbw %b1, %w0" : "+r"(r) : "q"(0xFFu));
    CHECK(r, 0x1234FFFF);
    __asm__ volatile("leal 0x10(%1,%2,4), %0" : "=r"(r) : "r"(0x100u), "r"(3u));
    CHECK(r, 0x11C);
    /* Widening the accumulator. */
    a = 0x80000000;
    __asm__ volatile("cltd" : "+a"(a), "=d"(r));
    CHECK(r, 0xFFFFFFFF);
    a = 0x12348000;
    __asm__ volatile("cwtl" : "+a"(a));
    CHECK(a, 0xFFFF8000);
    a = 0x12345680;
    __asm__ volatile("cbtw" : "+a"(a));
    CHECK(a, 0x1234FF80);
    a = 0x8000;
    r = 0x55550000;
    __asm__ volatile("cwtd" : "+a"(a), "+d"(r));
    CHECK(r, 0x5555FFFF);
    r = 0x12345678;
    __asm__ volatile("bswap %0" : "+r"(r));
    CHECK(r, 0x78563412);
    /* xchg, xadd, cmpxchg, cmpxchg8b. */
    u32 x = 1, y = 2;
    __asm__ volatile("xchgl %0, %1" : "+r"(x), "+r"(y));
    CHECK(x, 2);
    CHECK(y, 1);
    x = 5;
    y = 3;
    u32 f;
    __asm__ volatile("xaddl %1, %0\n\tpushfl\n\tpopl %2" : "+r"(x), "+r"(y), "=&r"(f) : : "cc");
    CHECK(x, 8);
    CHECK(y, 5);
    CHECK(f & ALL, 0);
    volatile u32 mem = 5;
    a = 5;
    __asm__ volatile("lock cmpxchgl %3, %1\n\tpushfl\n\tpopl %2"
                     : "+a"(a), "+m"(mem), "=&r"(f)
                     : "r"(9u)
                     : "cc", "memory");
    CHECK(mem, 9);
    CHECK(f & ZF, ZF);
    a = 4;
    __asm__ volatile("cmpxchgl %2, %1\n\tpushfl\n\tpopl %3"
                     : "+a"(a), "+m"(mem), "=r"(r), "=&r"(f)
                     : "2"(7u)
                     : "cc", "memory");
    CHECK(a, 9);
    CHECK(mem, 9);
    CHECK(f & (ZF | CF), CF); /* 4 - 9 borrows */
    volatile u64 q = 0x1111111122222222ull;
    u32 lo = 0x22222222, hi = 0x11111111;
    __asm__ volatile("cmpxchg8b %2\n\tpushfl\n\tpopl %3"
                     : "+a"(lo), "+d"(hi), "+m"(q), "=&r"(f)
                     : "b"(0x44444444u), "c"(0x33333333u)
                     : "cc", "memory");
    CHECK((u32)(q >> 32), 0x33333333);
    CHECK((u32)q, 0x44444444);
    CHECK(f & ZF, ZF);
}

static void hand_bits(void)
{
    u32 r, f;
    r = 0x10;
    __asm__ volatile("btl $4, %1\n\tpushfl\n\tpopl %0" : "=r"(f) : "r"(r) : "cc");
    CHECK(f & CF, CF);
    r = 0;
    __asm__ volatile("btsl %2, %0\n\tpushfl\n\tpopl %1" : "+r"(r), "=&r"(f) : "r"(31u) : "cc");
    CHECK(r, 0x80000000);
    CHECK(f & CF, 0);
    r = 0xFF;
    __asm__ volatile("btrl $0, %0\n\tpushfl\n\tpopl %1" : "+r"(r), "=&r"(f) : : "cc");
    CHECK(r, 0xFE);
    CHECK(f & CF, CF);
    r = 0;
    __asm__ volatile("btcl $1, %0\n\tpushfl\n\tpopl %1" : "+r"(r), "=&r"(f) : : "cc");
    CHECK(r, 2);
    CHECK(f & CF, 0);
    /* A register offset reaches past the addressed dword in memory. */
    volatile u32 arr[3] = {0, 0, 0};
    __asm__ volatile("btsl %1, %0" : "+m"(arr[1]) : "r"(35u) : "cc", "memory");
    CHECK(arr[2], 8);
    __asm__ volatile("btsl %1, %0" : "+m"(arr[1]) : "r"((u32)-1) : "cc", "memory");
    CHECK(arr[0], 0x80000000);
    __asm__ volatile("bsfl %2, %0\n\tpushfl\n\tpopl %1"
                     : "=r"(r), "=&r"(f)
                     : "r"(0x00010000u)
                     : "cc");
    CHECK(r, 16);
    CHECK(f & ZF, 0);
    __asm__ volatile("bsrl %2, %0\n\tpushfl\n\tpopl %1"
                     : "=r"(r), "=&r"(f)
                     : "r"(0x00010001u)
                     : "cc");
    CHECK(r, 16);
    r = 0;
    __asm__ volatile("bsfl %2, %0\n\tpushfl\n\tpopl %1" : "+r"(r), "=&r"(f) : "r"(0u) : "cc");
    CHECK(f & ZF, ZF);
    /* Flags through AH. */
    u32 a = 0xD500;
    __asm__ volatile("sahf\n\tmovl $0, %%eax\n\tlahf" : "+a"(a) : : "cc");
    CHECK((a >> 8) & 0xFF, 0xD7);
    /* Direction flag through pushf/popf. */
    __asm__ volatile("std\n\tpushfl\n\tcld\n\tpopl %0" : "=r"(f) : : "cc");
    CHECK(f & 0x400, 0x400);
    __asm__ volatile("pushl %1\n\tpopfl\n\tpushfl\n\tpopl %0\n\tcld"
                     : "=r"(f)
                     : "r"(0x8D7u)
                     : "cc");
    CHECK(f & (ALL | 0x2), ALL | 0x2);
    __asm__ volatile("stc\n\tcmc\n\tpushfl\n\tpopl %0" : "=r"(f) : : "cc");
    CHECK(f & CF, 0);
}

/* ---- stack, calls, loops, strings, system ---- */

static __attribute__((noinline)) u32 fib(u32 n)
{
    return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

static void hand_control(void)
{
    u32 r, n;
    __asm__ volatile("pushl $-1\n\tpopl %0" : "=r"(r));
    CHECK(r, 0xFFFFFFFF);
    __asm__ volatile("pushl $0x12345678\n\tpopl %0" : "=r"(r));
    CHECK(r, 0x12345678);
    /* pushal saves the original ESP in the middle; popal restores every
     * register but ESP.  Static slots: the stack moves meanwhile. */
    static u32 sv_before, sv_after, sv_ebx;
    __asm__ volatile("movl %%esp, %0\n\tpushal\n\tmovl 12(%%esp), %%eax\n\tmovl %%eax, %1\n\t"
                     "movl $0x5a5a5a5a, 16(%%esp)\n\tpopal\n\tmovl %%ebx, %2"
                     : "=m"(sv_before), "=m"(sv_after), "=m"(sv_ebx)
                     :
                     : "eax", "memory");
    CHECK(sv_after, sv_before);
    CHECK(sv_ebx, 0x5a5a5a5a);
    u32 before, after;
    /* loop: ECX times. */
    n = 0;
    __asm__ volatile("movl $5, %%ecx\n1:\tincl %0\n\tloop 1b" : "+r"(n) : : "ecx", "cc");
    CHECK(n, 5);
    /* jecxz skips with ECX = 0. */
    n = 0;
    __asm__ volatile("jecxz 1f\n\tmovl $1, %0\n1:" : "+r"(n) : "c"(0u));
    CHECK(n, 0);
    CHECK(fib(20), 6765);
    /* ret imm16 pops its arguments. */
    __asm__ volatile("movl %%esp, %0\n\tpushl $1\n\tpushl $2\n\tcall 1f\n\tjmp 2f\n"
                     "1:\tret $8\n2:\tmovl %%esp, %1"
                     : "=r"(before), "=r"(after));
    CHECK(after, before);
    /* An indirect call through a register. */
    u32 (*fp)(u32) = fib;
    __asm__ volatile("" : "+r"(fp));
    CHECK(fp(10), 55);
}

static void hand_strings(void)
{
    static const char src[] = "hello, world!";
    char dst[16];
    u32 ecx, esi, edi;
    __asm__ volatile("cld\n\trep movsb"
                     : "=c"(ecx), "=S"(esi), "=D"(edi)
                     : "0"(14u), "1"(src), "2"(dst)
                     : "memory");
    CHECK(ecx, 0);
    CHECK(esi - (u32)src, 14);
    CHECK((u32)dst[7] | (u32)dst[12] << 8, 'w' | '!' << 8);
    /* rep stosl, then rep scasb to find the first non-zero byte. */
    u32 buf[4] = {1, 2, 3, 4};
    __asm__ volatile("rep stosl" : "=c"(ecx), "=D"(edi) : "a"(0u), "0"(3u), "1"(buf) : "memory");
    CHECK(buf[0] | buf[1] | buf[2], 0);
    CHECK(buf[3], 4);
    __asm__ volatile("repe scasb" : "=c"(ecx), "=D"(edi) : "a"(0u), "0"(16u), "1"(buf) : "cc");
    CHECK(edi - (u32)buf, 13); /* stops one past the byte 0x04 at offset 12 */
    CHECK(ecx, 3);
    /* repne scasb: strlen. */
    __asm__ volatile("repne scasb"
                     : "=c"(ecx), "=D"(edi)
                     : "a"(0u), "0"(0xFFFFFFFFu), "1"(src)
                     : "cc");
    CHECK(~ecx - 1, 13);
    /* repe cmpsb stops at the first difference. */
    static const char other[] = "hello, there";
    __asm__ volatile("repe cmpsb"
                     : "=c"(ecx), "=S"(esi), "=D"(edi)
                     : "0"(12u), "1"(src), "2"(other)
                     : "cc");
    CHECK(esi - (u32)src, 8);
    /* Backwards with DF set, and lodsb. */
    char rev[4] = {0, 0, 0, 0};
    __asm__ volatile("std\n\trep movsb\n\tcld"
                     : "=c"(ecx), "=S"(esi), "=D"(edi)
                     : "0"(3u), "1"(src + 2), "2"(rev + 2)
                     : "memory", "cc");
    CHECK((u32)rev[0] | (u32)rev[1] << 8 | (u32)rev[2] << 16, 'h' | 'e' << 8 | 'l' << 16);
    u32 al;
    __asm__ volatile("lodsb" : "=a"(al), "=S"(esi) : "0"(0u), "1"(src + 4));
    CHECK(al & 0xFF, 'o');
    /* The compiler's own copies and fills. */
    volatile char big[64];
    for (int i = 0; i < 64; i++)
        big[i] = (char)i;
    u32 sum = 0;
    for (int i = 0; i < 64; i++)
        sum += (u32)big[i];
    CHECK(sum, 2016);
}

static void hand_system(void)
{
    u32 a, b, c, d;
    __asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "0"(0u));
    CHECK(a >= 1, 1);
    u32 lo1, hi1, lo2, hi2;
    __asm__ volatile("rdtsc" : "=a"(lo1), "=d"(hi1));
    __asm__ volatile("rdtsc" : "=a"(lo2), "=d"(hi2));
    u64 t1 = (u64)hi1 << 32 | lo1, t2 = (u64)hi2 << 32 | lo2;
    CHECK(t2 > t1, 1);
}

int main(void)
{
    grid_arith(32, add32, adc32, sub32, sbb32, cmp32);
    grid_arith(16, add16, adc16, sub16, sbb16, cmp16);
    grid_arith(8, add8, adc8, sub8, sbb8, cmp8);
    grid_logic(32, and32, or32, xor32, test32);
    grid_logic(16, and16, or16, xor16, test16);
    grid_logic(8, and8, or8, xor8, test8);
    grid_unary(32, inc32, dec32, neg32, not32);
    grid_unary(16, inc16, dec16, neg16, not16);
    grid_unary(8, inc8, dec8, neg8, not8);
    grid_shift(32, shl32, shr32, sar32);
    grid_shift(16, shl16, shr16, sar16);
    grid_shift(8, shl8, shr8, sar8);
    hand_arith();
    hand_shifts();
    hand_double_shifts();
    hand_multiply();
    hand_divide();
    hand_conditions();
    hand_moves();
    hand_bits();
    hand_control();
    hand_strings();
    hand_system();
    ctl_puts("alu: ");
    putdec(checks);
    ctl_puts(" checks, ");
    putdec(fails);
    ctl_puts(" failed\n");
    return fails ? 1 : 0;
}
