/*
 * exec_alu.c - integer arithmetic: the two-operand ALU group, inc/dec,
 * neg/not, multiply, divide, xadd and the compare-exchanges.  Flags come
 * from flags.c; each function says which flags it leaves alone.
 */
#include "model/cpu/x86/exec_impl.h"

enum x86_outcome ia32_alu2(struct xctx *x, unsigned op)
{
    unsigned size = x->in->opsize;
    uint32_t a, b, r, fl, cf = x->st->eflags & X86_CF;
    enum x86_outcome o = ia32_get(x, 0, size, &a);
    if (o == X86_X_OK)
        o = ia32_get(x, 1, size, &b);
    if (o != X86_X_OK)
        return o;
    switch (op) {
    case ALU_ADD:
    case ALU_ADC:
        r = x86_add(a, b, op == ALU_ADC ? cf : 0, size, &fl);
        break;
    case ALU_SUB:
    case ALU_SBB:
    case ALU_CMP:
        r = x86_sub(a, b, op == ALU_SBB ? cf : 0, size, &fl);
        break;
    case ALU_OR:
        r = x86_logic(a | b, size, &fl);
        break;
    case ALU_XOR:
        r = x86_logic(a ^ b, size, &fl);
        break;
    default: /* AND, TEST */
        r = x86_logic(a & b, size, &fl);
        break;
    }
    if (op != ALU_CMP && op != ALU_TEST) {
        o = ia32_put(x, 0, size, r);
        if (o != X86_X_OK)
            return o;
    }
    ia32_flags(x->st, fl, X86_STATUS);
    return X86_X_OK;
}

/* INC/DEC leave CF alone (Vol. 2A INC). */
enum x86_outcome ia32_incdec(struct xctx *x, unsigned dec)
{
    unsigned size = x->in->opsize;
    uint32_t a, r, fl;
    enum x86_outcome o = ia32_get(x, 0, size, &a);
    if (o != X86_X_OK)
        return o;
    r = dec ? x86_sub(a, 1, 0, size, &fl) : x86_add(a, 1, 0, size, &fl);
    o = ia32_put(x, 0, size, r);
    if (o == X86_X_OK)
        ia32_flags(x->st, fl, X86_STATUS & ~X86_CF);
    return o;
}

/* NEG is 0 - a: CF = (a != 0) (Vol. 2B NEG). */
enum x86_outcome ia32_neg(struct xctx *x, unsigned arg)
{
    (void)arg;
    unsigned size = x->in->opsize;
    uint32_t a, fl;
    enum x86_outcome o = ia32_get(x, 0, size, &a);
    if (o != X86_X_OK)
        return o;
    o = ia32_put(x, 0, size, x86_sub(0, a, 0, size, &fl));
    if (o == X86_X_OK)
        ia32_flags(x->st, fl, X86_STATUS);
    return o;
}

/* NOT changes no flag. */
enum x86_outcome ia32_not(struct xctx *x, unsigned arg)
{
    (void)arg;
    unsigned size = x->in->opsize;
    uint32_t a;
    enum x86_outcome o = ia32_get(x, 0, size, &a);
    return o == X86_X_OK ? ia32_put(x, 0, size, ~a) : o;
}

static int64_t sext(uint32_t v, unsigned size)
{
    uint32_t m = x86_mask(size);
    v &= m;
    return (v & x86_sign(size)) ? (int64_t)v - ((int64_t)m + 1) : (int64_t)v;
}

/* The accumulator pair of a width: AL/AH (as AX), AX/DX, EAX/EDX. */
static void set_pair(struct x86_state *st, unsigned size, uint32_t lo, uint32_t hi)
{
    if (size == 1) {
        ia32_setreg(st, X86_EAX, 2, false, (lo & 0xFF) | (hi & 0xFF) << 8);
        return;
    }
    ia32_setreg(st, X86_EAX, size, false, lo);
    ia32_setreg(st, X86_EDX, size, false, hi);
}

/* MUL and the IMUL forms (Vol. 2A IMUL, Vol. 2B MUL).  One operand: the
 * accumulator times it into the pair; two and three operands: a truncated
 * signed product into the destination. */
enum x86_outcome ia32_mul(struct xctx *x, unsigned is_signed)
{
    unsigned size = x->in->opsize, n = 8 * size;
    uint32_t a, b, fl;
    enum x86_outcome o;
    if (x->in->nops >= 2) {
        unsigned s = x->in->nops == 3 ? 1 : 0;
        o = ia32_get(x, s, size, &a);
        if (o == X86_X_OK)
            o = ia32_get(x, s + 1, size, &b);
        if (o != X86_X_OK)
            return o;
        uint32_t r = x86_imul(a, b, size, &fl);
        o = ia32_put(x, 0, size, r);
        if (o == X86_X_OK)
            ia32_flags(x->st, fl, X86_STATUS);
        return o;
    }
    o = ia32_get(x, 0, size, &b);
    if (o != X86_X_OK)
        return o;
    a = ia32_getreg(x->st, X86_EAX, size, false);
    uint64_t full;
    if (is_signed) {
        full = (uint64_t)(sext(a, size) * sext(b, size));
        x86_imul(a, b, size, &fl);
    } else {
        full = (uint64_t)a * b;
    }
    uint32_t lo = (uint32_t)full & x86_mask(size), hi = (uint32_t)(full >> n) & x86_mask(size);
    if (!is_signed)
        fl = x86_mul_flags(lo, hi, size);
    set_pair(x->st, size, lo, hi);
    ia32_flags(x->st, fl, X86_STATUS);
    return X86_X_OK;
}

/* DIV and IDIV (Vol. 2A DIV, IDIV): #DE on a zero divisor or a quotient
 * that does not fit; the flags, undefined, are left as they were. */
enum x86_outcome ia32_div(struct xctx *x, unsigned is_signed)
{
    unsigned size = x->in->opsize, n = 8 * size;
    uint32_t d;
    enum x86_outcome o = ia32_get(x, 0, size, &d);
    if (o != X86_X_OK)
        return o;
    if (!d)
        return ia32_fault(x, X86_VEC_DE, false, 0, "divide by zero");
    uint64_t num;
    if (size == 1)
        num = x->st->gpr[X86_EAX] & 0xFFFF;
    else
        num = (uint64_t)ia32_getreg(x->st, X86_EDX, size, false) << n |
              ia32_getreg(x->st, X86_EAX, size, false);
    uint32_t q, r;
    if (!is_signed) {
        uint64_t qq = num / d;
        if (qq > x86_mask(size))
            return ia32_fault(x, X86_VEC_DE, false, 0, "quotient too large");
        q = (uint32_t)qq;
        r = (uint32_t)(num % d);
    } else {
        /* The dividend is 2n bits wide, signed. */
        int64_t sn;
        if (n == 32)
            sn = (int64_t)num;
        else
            sn = (num >> (2 * n - 1)) & 1 ? (int64_t)num - (1ll << (2 * n)) : (int64_t)num;
        int64_t sd = sext(d, size);
        if (sd == -1 && sn == INT64_MIN)
            return ia32_fault(x, X86_VEC_DE, false, 0, "quotient too large");
        int64_t qq = sn / sd, rr = sn % sd;
        int64_t lim = 1ll << (n - 1);
        if (qq >= lim || qq < -lim)
            return ia32_fault(x, X86_VEC_DE, false, 0, "quotient too large");
        q = (uint32_t)qq;
        r = (uint32_t)rr;
    }
    set_pair(x->st, size, q, r);
    return X86_X_OK;
}

/* XADD: the destination gets the sum, the source the old destination. */
enum x86_outcome ia32_xadd(struct xctx *x, unsigned arg)
{
    (void)arg;
    unsigned size = x->in->opsize;
    uint32_t d, s, fl;
    enum x86_outcome o = ia32_get(x, 0, size, &d);
    if (o == X86_X_OK)
        o = ia32_get(x, 1, size, &s);
    if (o != X86_X_OK)
        return o;
    uint32_t sum = x86_add(d, s, 0, size, &fl);
    o = ia32_put(x, 1, size, d);
    if (o == X86_X_OK)
        o = ia32_put(x, 0, size, sum);
    if (o == X86_X_OK)
        ia32_flags(x->st, fl, X86_STATUS);
    return o;
}

/* CMPXCHG: flags as CMP accumulator, destination; a memory destination is
 * written either way (Vol. 2A CMPXCHG). */
enum x86_outcome ia32_cmpxchg(struct xctx *x, unsigned arg)
{
    (void)arg;
    unsigned size = x->in->opsize;
    uint32_t d, s, fl, acc = ia32_getreg(x->st, X86_EAX, size, false);
    enum x86_outcome o = ia32_get(x, 0, size, &d);
    if (o == X86_X_OK)
        o = ia32_get(x, 1, size, &s);
    if (o != X86_X_OK)
        return o;
    x86_sub(acc, d, 0, size, &fl);
    bool eq = acc == d;
    o = ia32_put(x, 0, size, eq ? s : d);
    if (o != X86_X_OK)
        return o;
    if (!eq)
        ia32_setreg(x->st, X86_EAX, size, false, d);
    ia32_flags(x->st, fl, X86_STATUS);
    return X86_X_OK;
}

/* CMPXCHG8B m64: EDX:EAX against the quadword; only ZF changes. */
enum x86_outcome ia32_cmpxchg8b(struct xctx *x, unsigned arg)
{
    (void)arg;
    const struct x86_op *m = &x->in->op[0];
    if (m->kind != X86_OP_MEM)
        return ia32_fault(x, X86_VEC_UD, false, 0, "cmpxchg8b with a register operand");
    uint32_t ea = ia32_ea(x, m), lo, hi;
    enum x86_outcome o = ia32_load(x, m->seg, ea, 4, &lo);
    if (o == X86_X_OK)
        o = ia32_load(x, m->seg, ea + 4, 4, &hi);
    if (o != X86_X_OK)
        return o;
    struct x86_state *st = x->st;
    bool eq = lo == st->gpr[X86_EAX] && hi == st->gpr[X86_EDX];
    uint32_t nlo = eq ? st->gpr[X86_EBX] : lo, nhi = eq ? st->gpr[X86_ECX] : hi;
    o = ia32_store(x, m->seg, ea, 4, nlo);
    if (o == X86_X_OK)
        o = ia32_store(x, m->seg, ea + 4, 4, nhi);
    if (o != X86_X_OK)
        return o;
    if (!eq) {
        st->gpr[X86_EAX] = lo;
        st->gpr[X86_EDX] = hi;
    }
    ia32_flags(st, eq ? X86_ZF : 0, X86_ZF);
    return X86_X_OK;
}
