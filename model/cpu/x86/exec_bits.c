/*
 * exec_bits.c - shifts and rotates, double shifts, bit tests and scans,
 * byte swap, and the conditional set and move.
 */
#include "model/cpu/x86/exec_impl.h"

/* Shift and rotate counts are masked to 5 bits (Vol. 2B SAL/SAR/SHL/SHR). */
static enum x86_outcome count_of(struct xctx *x, unsigned i, unsigned *count)
{
    uint32_t c = 1;
    enum x86_outcome o = i < x->in->nops ? ia32_get(x, i, 1, &c) : X86_X_OK;
    *count = c & 0x1F;
    return o;
}

enum x86_outcome ia32_shift(struct xctx *x, unsigned op)
{
    typedef uint32_t (*shift_fn)(uint32_t, unsigned, unsigned, uint32_t, uint32_t *);
    static const shift_fn fns[] = {
        [SH_ROL] = x86_rol, [SH_ROR] = x86_ror, [SH_RCL] = x86_rcl, [SH_RCR] = x86_rcr,
        [SH_SHL] = x86_shl, [SH_SHR] = x86_shr, [SH_SAR] = x86_sar,
    };
    unsigned size = x->in->opsize, count;
    uint32_t a, fl;
    enum x86_outcome o = ia32_get(x, 0, size, &a);
    if (o == X86_X_OK)
        o = count_of(x, 1, &count);
    if (o != X86_X_OK)
        return o;
    uint32_t r = fns[op](a, count, size, x->st->eflags, &fl);
    if (!count)
        return X86_X_OK;
    o = ia32_put(x, 0, size, r);
    if (o == X86_X_OK)
        ia32_flags(x->st, fl, X86_STATUS);
    return o;
}

/* SHLD/SHRD dst, src, imm8/CL. */
enum x86_outcome ia32_shxd(struct xctx *x, unsigned right)
{
    unsigned size = x->in->opsize, count;
    uint32_t d, s, fl;
    enum x86_outcome o = ia32_get(x, 0, size, &d);
    if (o == X86_X_OK)
        o = ia32_get(x, 1, size, &s);
    if (o == X86_X_OK)
        o = count_of(x, 2, &count);
    if (o != X86_X_OK || !count)
        return o;
    uint32_t r = right ? x86_shrd(d, s, count, size, x->st->eflags, &fl)
                       : x86_shld(d, s, count, size, x->st->eflags, &fl);
    o = ia32_put(x, 0, size, r);
    if (o == X86_X_OK)
        ia32_flags(x->st, fl, X86_STATUS);
    return o;
}

/*
 * BT/BTS/BTR/BTC (Vol. 2A BT): CF = the bit; ZF is unaffected and OF, SF,
 * AF, PF are undefined (left as they were).  With a register offset and a
 * memory operand the offset is signed and may address outside the
 * operand: the operand-sized word it falls in is accessed.
 */
enum x86_outcome ia32_bt(struct xctx *x, unsigned op)
{
    unsigned size = x->in->opsize, n = 8 * size;
    const struct x86_op *d = &x->in->op[0];
    uint32_t off, v;
    enum x86_outcome o = ia32_get(x, 1, size, &off);
    if (o != X86_X_OK)
        return o;
    uint32_t ea = 0;
    if (d->kind == X86_OP_MEM) {
        ea = ia32_ea(x, d);
        if (x->in->op[1].kind == X86_OP_REG) {
            int64_t s = (off & x86_sign(size)) ? (int64_t)off - ((int64_t)x86_mask(size) + 1)
                                               : (int64_t)off;
            int64_t word = s >= 0 ? s / n : -((-s + n - 1) / n);
            ea += (uint32_t)(word * size);
        }
        o = ia32_load(x, d->seg, ea, size, &v);
    } else {
        o = ia32_get(x, 0, size, &v);
    }
    if (o != X86_X_OK)
        return o;
    unsigned bit = off & (n - 1);
    bool cf = v >> bit & 1;
    uint32_t nv = v;
    if (op == BT_SET)
        nv |= 1u << bit;
    else if (op == BT_RESET)
        nv &= ~(1u << bit);
    else if (op == BT_COMPLEMENT)
        nv ^= 1u << bit;
    if (op != BT_TEST) {
        o = d->kind == X86_OP_MEM ? ia32_store(x, d->seg, ea, size, nv) : ia32_put(x, 0, size, nv);
        if (o != X86_X_OK)
            return o;
    }
    ia32_flags(x->st, cf ? X86_CF : 0, X86_CF);
    return X86_X_OK;
}

/* BSF/BSR: ZF = (source == 0), and then the destination is left as it was
 * (what Intel processors do; the SDM calls it undefined); the other flags,
 * undefined, are left alone. */
enum x86_outcome ia32_bscan(struct xctx *x, unsigned reverse)
{
    unsigned size = x->in->opsize;
    uint32_t s;
    enum x86_outcome o = ia32_get(x, 1, size, &s);
    if (o != X86_X_OK)
        return o;
    if (!s) {
        ia32_flags(x->st, X86_ZF, X86_ZF);
        return X86_X_OK;
    }
    unsigned idx = reverse ? 31u - (unsigned)__builtin_clz(s) : (unsigned)__builtin_ctz(s);
    o = ia32_put(x, 0, size, idx);
    if (o == X86_X_OK)
        ia32_flags(x->st, 0, X86_ZF);
    return o;
}

/* BSWAP r32 (a 16-bit operand is undefined: #UD here). */
enum x86_outcome ia32_bswap(struct xctx *x, unsigned arg)
{
    (void)arg;
    if (x->in->opsize != 4 || x->in->op[0].kind != X86_OP_REG)
        return ia32_fault(x, X86_VEC_UD, false, 0, "bswap of a 16-bit register");
    uint32_t *r = &x->st->gpr[x->in->op[0].reg];
    *r = __builtin_bswap32(*r);
    return X86_X_OK;
}

enum x86_outcome ia32_setcc(struct xctx *x, unsigned cc)
{
    return ia32_put(x, 0, 1, (uint32_t)x86_cond(x->st->eflags, cc));
}

/* CMOVcc reads its source whether or not it moves (Vol. 2A CMOVcc). */
enum x86_outcome ia32_cmovcc(struct xctx *x, unsigned cc)
{
    unsigned size = x->in->opsize;
    uint32_t s;
    enum x86_outcome o = ia32_get(x, 1, size, &s);
    if (o != X86_X_OK || !x86_cond(x->st->eflags, cc))
        return o;
    return ia32_put(x, 0, size, s);
}
