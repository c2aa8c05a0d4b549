/*
 * flags.c - IA-32 integer results and status flags (see flags.h).
 *
 * Undefined flags: the SDM leaves AF undefined after logical operations,
 * shifts, rotates and multiplies, and OF after multi-bit shifts and
 * rotates.  They get one fixed definition here (AF = 0; OF by the 1-bit
 * formula applied to the last step), so that a run is deterministic; the
 * differential tests never compare them.
 */
#include "model/cpu/x86/flags.h"

#include "model/cpu/x86/state.h"

uint32_t x86_flags_szp(uint32_t r, unsigned size)
{
    uint32_t fl = 0;
    r &= x86_mask(size);
    if (!r)
        fl |= X86_ZF;
    if (r & x86_sign(size))
        fl |= X86_SF;
    if (!(__builtin_popcount(r & 0xFF) & 1))
        fl |= X86_PF;
    return fl;
}

uint32_t x86_add(uint32_t a, uint32_t b, unsigned cin, unsigned size, uint32_t *fl)
{
    uint32_t m = x86_mask(size);
    a &= m;
    b &= m;
    uint64_t wide = (uint64_t)a + b + (cin & 1);
    uint32_t r = (uint32_t)wide & m;
    uint32_t f = x86_flags_szp(r, size);
    if (wide > m)
        f |= X86_CF;
    if ((a ^ b ^ r) & 0x10)
        f |= X86_AF;
    /* Signed overflow: both operands have one sign, the result the other. */
    if ((a ^ r) & (b ^ r) & x86_sign(size))
        f |= X86_OF;
    *fl = f;
    return r;
}

uint32_t x86_sub(uint32_t a, uint32_t b, unsigned bin, unsigned size, uint32_t *fl)
{
    uint32_t m = x86_mask(size);
    a &= m;
    b &= m;
    uint32_t r = (a - b - (bin & 1)) & m;
    uint32_t f = x86_flags_szp(r, size);
    if ((uint64_t)a < (uint64_t)b + (bin & 1))
        f |= X86_CF;
    if ((a ^ b ^ r) & 0x10)
        f |= X86_AF;
    /* Signed overflow: operands of different signs, result's sign not a's. */
    if ((a ^ b) & (a ^ r) & x86_sign(size))
        f |= X86_OF;
    *fl = f;
    return r;
}

uint32_t x86_logic(uint32_t r, unsigned size, uint32_t *fl)
{
    r &= x86_mask(size);
    *fl = x86_flags_szp(r, size);
    return r;
}

uint32_t x86_shl(uint32_t a, unsigned count, unsigned size, uint32_t old, uint32_t *fl)
{
    unsigned n = 8 * size;
    a &= x86_mask(size);
    if (!count) {
        *fl = old & X86_STATUS;
        return a;
    }
    uint64_t wide = (uint64_t)a << count;
    uint32_t r = (uint32_t)wide & x86_mask(size);
    uint32_t f = x86_flags_szp(r, size);
    bool cf = (wide >> n) & 1;
    if (cf)
        f |= X86_CF;
    if (!!(r & x86_sign(size)) ^ cf)
        f |= X86_OF;
    *fl = f;
    return r;
}

uint32_t x86_shr(uint32_t a, unsigned count, unsigned size, uint32_t old, uint32_t *fl)
{
    a &= x86_mask(size);
    if (!count) {
        *fl = old & X86_STATUS;
        return a;
    }
    uint64_t last = (uint64_t)a >> (count - 1); /* the last step's operand */
    uint32_t r = (uint32_t)(last >> 1);
    uint32_t f = x86_flags_szp(r, size);
    if (last & 1)
        f |= X86_CF;
    /* 1 bit: OF is the operand's MSB (the result's is 0). */
    if (((uint32_t)last ^ r) & x86_sign(size))
        f |= X86_OF;
    *fl = f;
    return r;
}

uint32_t x86_sar(uint32_t a, unsigned count, unsigned size, uint32_t old, uint32_t *fl)
{
    unsigned n = 8 * size;
    a &= x86_mask(size);
    if (!count) {
        *fl = old & X86_STATUS;
        return a;
    }
    /* Sign-extend to 64 bits; shifting a negative value right is
     * arithmetic in every compiler vtsim builds with, but avoid relying on
     * it: fill the vacated bits by hand. */
    uint64_t sx = a;
    if (a & x86_sign(size))
        sx |= ~0ull << n;
    uint64_t last = sx >> (count - 1);
    if (sx >> 63)
        last |= ~(~0ull >> (count - 1));
    uint64_t res = last >> 1 | (last & (1ull << 63));
    uint32_t r = (uint32_t)res & x86_mask(size);
    uint32_t f = x86_flags_szp(r, size);
    if (last & 1)
        f |= X86_CF;
    *fl = f; /* OF = 0 */
    return r;
}

static uint32_t rot_flags(uint32_t old, bool cf, bool of)
{
    return (old & X86_STATUS & ~(X86_CF | X86_OF)) | (cf ? X86_CF : 0) | (of ? X86_OF : 0);
}

uint32_t x86_rol(uint32_t a, unsigned count, unsigned size, uint32_t old, uint32_t *fl)
{
    unsigned n = 8 * size;
    a &= x86_mask(size);
    if (!count) {
        *fl = old & X86_STATUS;
        return a;
    }
    /* The flags change whenever the masked count is non-zero, even when
     * the rotation itself is a whole turn (Vol. 2B ROL pseudo-code). */
    unsigned t = count % n;
    uint32_t r = t ? ((a << t) | (a >> (n - t))) & x86_mask(size) : a;
    bool cf = r & 1;
    *fl = rot_flags(old, cf, !!(r & x86_sign(size)) ^ cf);
    return r;
}

uint32_t x86_ror(uint32_t a, unsigned count, unsigned size, uint32_t old, uint32_t *fl)
{
    unsigned n = 8 * size;
    a &= x86_mask(size);
    if (!count) {
        *fl = old & X86_STATUS;
        return a;
    }
    unsigned t = count % n;
    uint32_t r = t ? ((a >> t) | (a << (n - t))) & x86_mask(size) : a;
    bool msb = r & x86_sign(size), next = r & (x86_sign(size) >> 1);
    *fl = rot_flags(old, msb, msb ^ next);
    return r;
}

/* RCL/RCR rotate n+1 bits (CF on top); the count is taken modulo n+1 for
 * 8- and 16-bit operands (Vol. 2B RCL pseudo-code), and a reduced count
 * of 0 changes nothing. */
static unsigned rc_count(unsigned count, unsigned n)
{
    return n < 32 ? count % (n + 1) : count;
}

uint32_t x86_rcl(uint32_t a, unsigned count, unsigned size, uint32_t old, uint32_t *fl)
{
    unsigned n = 8 * size, t = rc_count(count, n);
    a &= x86_mask(size);
    if (!t) {
        *fl = old & X86_STATUS;
        return a;
    }
    uint64_t m = (1ull << (n + 1)) - 1;
    uint64_t v = (uint64_t)(old & X86_CF) << n | a;
    v = ((v << t) | (v >> (n + 1 - t))) & m;
    uint32_t r = (uint32_t)v & x86_mask(size);
    bool cf = v >> n & 1;
    *fl = rot_flags(old, cf, !!(r & x86_sign(size)) ^ cf);
    return r;
}

uint32_t x86_rcr(uint32_t a, unsigned count, unsigned size, uint32_t old, uint32_t *fl)
{
    unsigned n = 8 * size, t = rc_count(count, n);
    a &= x86_mask(size);
    if (!t) {
        *fl = old & X86_STATUS;
        return a;
    }
    uint64_t m = (1ull << (n + 1)) - 1;
    uint64_t v = (uint64_t)(old & X86_CF) << n | a;
    v = ((v >> t) | (v << (n + 1 - t))) & m;
    uint32_t r = (uint32_t)v & x86_mask(size);
    bool msb = r & x86_sign(size), next = r & (x86_sign(size) >> 1);
    *fl = rot_flags(old, v >> n & 1, msb ^ next);
    return r;
}

uint32_t x86_shld(uint32_t dst, uint32_t src, unsigned count, unsigned size, uint32_t old,
                  uint32_t *fl)
{
    unsigned n = 8 * size;
    uint32_t m = x86_mask(size);
    dst &= m;
    if (!count) {
        *fl = old & X86_STATUS;
        return dst;
    }
    /* dst:src as one 2n-bit value shifted left; the result is its top half. */
    uint64_t wide = (uint64_t)dst << n | (src & m);
    uint32_t r = (uint32_t)((wide << count) >> n) & m;
    uint32_t f = x86_flags_szp(r, size);
    if ((wide << (count - 1)) >> (2 * n - 1) & 1)
        f |= X86_CF;
    if ((r ^ dst) & x86_sign(size))
        f |= X86_OF;
    *fl = f;
    return r;
}

uint32_t x86_shrd(uint32_t dst, uint32_t src, unsigned count, unsigned size, uint32_t old,
                  uint32_t *fl)
{
    unsigned n = 8 * size;
    uint32_t m = x86_mask(size);
    dst &= m;
    if (!count) {
        *fl = old & X86_STATUS;
        return dst;
    }
    /* src:dst as one 2n-bit value shifted right; the result is its bottom half. */
    uint64_t wide = (uint64_t)(src & m) << n | dst;
    uint32_t r = (uint32_t)(wide >> count) & m;
    uint32_t f = x86_flags_szp(r, size);
    if ((wide >> (count - 1)) & 1)
        f |= X86_CF;
    if ((r ^ dst) & x86_sign(size))
        f |= X86_OF;
    *fl = f;
    return r;
}

static int64_t sext(uint32_t v, unsigned size)
{
    uint32_t s = x86_sign(size), m = x86_mask(size);
    v &= m;
    return (v & s) ? (int64_t)v - ((int64_t)m + 1) : (int64_t)v;
}

uint32_t x86_imul(uint32_t a, uint32_t b, unsigned size, uint32_t *fl)
{
    int64_t full = sext(a, size) * sext(b, size);
    uint32_t r = (uint32_t)full & x86_mask(size);
    uint32_t f = x86_flags_szp(r, size);
    if (sext(r, size) != full)
        f |= X86_CF | X86_OF;
    *fl = f;
    return r;
}

uint32_t x86_mul_flags(uint32_t lo, uint32_t hi, unsigned size)
{
    uint32_t f = x86_flags_szp(lo, size);
    if (hi & x86_mask(size))
        f |= X86_CF | X86_OF;
    return f;
}

int x86_cond(uint32_t fl, unsigned cc)
{
    bool r;
    switch (cc >> 1) {
    case 0: /* O */
        r = fl & X86_OF;
        break;
    case 1: /* B */
        r = fl & X86_CF;
        break;
    case 2: /* Z */
        r = fl & X86_ZF;
        break;
    case 3: /* BE */
        r = fl & (X86_CF | X86_ZF);
        break;
    case 4: /* S */
        r = fl & X86_SF;
        break;
    case 5: /* P */
        r = fl & X86_PF;
        break;
    case 6: /* L: SF != OF */
        r = !(fl & X86_SF) != !(fl & X86_OF);
        break;
    default: /* LE: ZF or SF != OF */
        r = (fl & X86_ZF) || !(fl & X86_SF) != !(fl & X86_OF);
        break;
    }
    return r ^ (cc & 1);
}
