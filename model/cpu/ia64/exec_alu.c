/*
 * exec_alu.c - integer ALU, compare, test-bit, shift, extract/deposit and
 * movl semantics (Intel Itanium Architecture SDM Vol. 3, the instruction
 * pages of add, sub, and, cmp, tbit, shl, shr, shrp, extr, dep, movl).
 */
#include "model/cpu/ia64/exec_impl.h"

static uint64_t bit(uint64_t v, unsigned i)
{
    return (v >> i) & 1;
}

static uint64_t R(struct xctx *x, unsigned r)
{
    return ia64_gr(x->st, r);
}

/* The NaT bit of a source (a result's NaT is the OR of its sources'). */
static bool N(struct xctx *x, unsigned r)
{
    return ia64_nat(x->st, r);
}

/* addp4: the 32-bit result with bits 62:61 taken from the base register. */
static uint64_t p4(uint64_t sum, uint64_t base)
{
    return (sum & 0xffffffffull) | ((base >> 30) & 3ull) << 61;
}

enum ia64_outcome x_a1(struct xctx *x, const struct ia64_insn *in)
{
    uint64_t a = R(x, in->r2), b = R(x, in->r3), v;
    switch (in->form) {
    case IA64_ADD:
        v = a + b;
        break;
    case IA64_ADD1:
        v = a + b + 1;
        break;
    case IA64_SUB:
        v = a - b;
        break;
    case IA64_SUB1:
        v = a - b - 1;
        break;
    case IA64_ADDP4:
        v = p4(a + b, b);
        break;
    case IA64_AND:
        v = a & b;
        break;
    case IA64_ANDCM:
        v = a & ~b;
        break;
    case IA64_OR:
        v = a | b;
        break;
    default:
        v = a ^ b;
        break;
    }
    return x_setgr_nat(x, in->r1, v, N(x, in->r2) || N(x, in->r3));
}

enum ia64_outcome x_a2(struct xctx *x, const struct ia64_insn *in)
{
    uint64_t v = (R(x, in->r2) << in->imm) + R(x, in->r3);
    if (in->form == IA64_SHLADDP4)
        v = p4(v, R(x, in->r3));
    return x_setgr_nat(x, in->r1, v, N(x, in->r2) || N(x, in->r3));
}

enum ia64_outcome x_a3(struct xctx *x, const struct ia64_insn *in)
{
    uint64_t a = (uint64_t)in->imm, b = R(x, in->r3), v;
    switch (in->form) {
    case IA64_SUBI:
        v = a - b;
        break;
    case IA64_ANDI:
        v = a & b;
        break;
    case IA64_ANDCMI:
        v = a & ~b;
        break;
    case IA64_ORI:
        v = a | b;
        break;
    default:
        v = a ^ b;
        break;
    }
    return x_setgr_nat(x, in->r1, v, N(x, in->r3));
}

enum ia64_outcome x_adds(struct xctx *x, const struct ia64_insn *in)
{
    uint64_t v = (uint64_t)in->imm + R(x, in->r3);
    if (in->form == IA64_ADDP4I)
        v = p4(v, R(x, in->r3));
    return x_setgr_nat(x, in->r1, v, N(x, in->r3));
}

/* The type of a compare or test-bit: how the result lands in p1/p2. */
enum ctype { CT_NONE, CT_UNC, CT_AND, CT_OR, CT_ORCM };

/* A compare or test of a NaT source clears both predicates of the plain,
 * unc and and types and leaves the or types alone (SDM Vol. 3, cmp). */
static enum ia64_outcome set_preds(struct xctx *x, const struct ia64_insn *in, enum ctype t, bool r,
                                   bool nat)
{
    bool *p = x->st->pr;
    unsigned p1 = in->p1, p2 = in->p2;
    if (p1 == p2 && t != CT_AND && t != CT_OR && t != CT_ORCM)
        return x_fault(x, IA64_IVT_GENERAL, IA64_GE_ILLEGAL,
                       "illegal operation: compare with p1 == p2");
    if (nat && x->qp) {
        if (t == CT_NONE || t == CT_UNC || t == CT_AND)
            p[p1] = p[p2] = false;
        p[0] = true;
        return IA64_X_OK;
    }
    if (t == CT_UNC) {
        p[p1] = p[p2] = false;
        if (!x->qp)
            return IA64_X_OK;
        p[p1] = r;
        p[p2] = !r;
        return IA64_X_OK;
    }
    if (!x->qp)
        return IA64_X_OK;
    switch (t) {
    case CT_NONE:
        p[p1] = r;
        p[p2] = !r;
        break;
    case CT_AND:
        if (!r)
            p[p1] = p[p2] = false;
        break;
    case CT_OR:
        if (r)
            p[p1] = p[p2] = true;
        break;
    case CT_ORCM:
        if (r) {
            p[p1] = true;
            p[p2] = false;
        }
        break;
    default:
        break;
    }
    p[0] = true;
    return IA64_X_OK;
}

/*
 * cmp/cmp4: the relation and type come from the encoding (major 0xc-0xe,
 * tb 36, ta 33, c 12; x2 35:34 odd for cmp4), as the table in insns.def
 * lays them out.
 */
enum ia64_outcome x_cmp(struct xctx *x, const struct ia64_insn *in)
{
    uint64_t s = in->raw;
    unsigned maj = (unsigned)(s >> 37) & 0xf, tb = (unsigned)bit(s, 36), ta = (unsigned)bit(s, 33),
             c = (unsigned)bit(s, 12), x2 = (unsigned)(s >> 34) & 3;
    bool is4 = x2 & 1;
    uint64_t a = ia64_forms[in->form].fmt == FMT_A8   ? (uint64_t)in->imm
                 : ia64_forms[in->form].fmt == FMT_A7 ? 0
                                                      : R(x, in->r2);
    uint64_t b = R(x, in->r3);
    int64_t sa = (int64_t)a, sb = (int64_t)b;
    if (is4) {
        sa = (int32_t)a;
        sb = (int32_t)b;
        a &= 0xffffffffull;
        b &= 0xffffffffull;
    }
    bool r;
    enum ctype t;
    if (ia64_forms[in->form].fmt == FMT_A7 || (tb && ia64_forms[in->form].fmt != FMT_A8)) {
        /* r0 <rel> r3, relation by (ta, c): gt, le, ge, lt; type by major */
        static const int rel[4] = {0, 1, 2, 3};
        switch (rel[ta << 1 | c]) {
        case 0:
            r = 0 > sb;
            break;
        case 1:
            r = 0 <= sb;
            break;
        case 2:
            r = 0 >= sb;
            break;
        default:
            r = 0 < sb;
            break;
        }
        t = maj == 0xc ? CT_AND : maj == 0xd ? CT_OR : CT_ORCM;
    } else if (!ta) {
        r = maj == 0xc ? sa < sb : maj == 0xd ? a < b : a == b;
        t = c ? CT_UNC : CT_NONE;
    } else {
        r = c ? a != b : a == b;
        t = maj == 0xc ? CT_AND : maj == 0xd ? CT_OR : CT_ORCM;
    }
    bool nat = N(x, in->r3) || (ia64_forms[in->form].fmt == FMT_A6 && N(x, in->r2));
    return set_preds(x, in, t, r, nat);
}

enum ia64_outcome x_tbit(struct xctx *x, const struct ia64_insn *in)
{
    uint64_t s = in->raw;
    unsigned tb = (unsigned)bit(s, 36), ta = (unsigned)bit(s, 33), c = (unsigned)bit(s, 12);
    bool is_nat = bit(s, 13);
    unsigned r3 = (unsigned)(s >> 20) & 127;
    bool v = is_nat ? ia64_nat(x->st, r3) : bit(ia64_gr(x->st, r3), (unsigned)(s >> 14) & 63);
    struct ia64_insn p = *in;
    p.p1 = (uint8_t)((s >> 6) & 63);
    p.p2 = (uint8_t)((s >> 27) & 63);
    /* (tb, ta): 00 none/unc, 01 or, 10 and, 11 or.andcm; c: .nz for the
     * parallel types, .unc for the plain one. */
    enum ctype t;
    bool r;
    if (!tb && !ta) {
        t = c ? CT_UNC : CT_NONE;
        r = !v; /* .z */
    } else {
        t = tb && ta ? CT_ORCM : ta ? CT_OR : CT_AND;
        r = c ? v : !v;
    }
    return set_preds(x, &p, t, r, !is_nat && ia64_nat(x->st, r3));
}

enum ia64_outcome x_shift(struct xctx *x, const struct ia64_insn *in)
{
    uint64_t s = in->raw, v;
    uint64_t r2 = R(x, in->r2), r3 = R(x, in->r3);
    switch (in->form) {
    case IA64_SHL_R:
        v = r3 > 63 ? 0 : r2 << r3;
        break;
    case IA64_SHR_R:
        v = (uint64_t)((int64_t)r3 >> (r2 > 63 ? 63 : r2));
        break;
    case IA64_SHRU_R:
        v = r2 > 63 ? 0 : r3 >> r2;
        break;
    case IA64_SHRP: {
        unsigned n = (unsigned)(s >> 27) & 63;
        v = n ? (r3 >> n) | (r2 << (64 - n)) : r3;
        break;
    }
    case IA64_EXTR:
    case IA64_EXTR_U: {
        unsigned pos = in->p1, len = in->p2;
        uint64_t f = pos >= 64 ? 0 : r3 >> pos;
        if (len < 64) {
            f &= (1ull << len) - 1;
            if (in->form == IA64_EXTR && len && bit(f, len - 1))
                f |= ~((1ull << len) - 1);
        }
        v = f;
        break;
    }
    case IA64_DEP_Z: {
        unsigned pos = in->p1, len = in->p2;
        uint64_t m = len >= 64 ? ~0ull : (1ull << len) - 1;
        v = pos >= 64 ? 0 : (r2 & m) << pos;
        break;
    }
    case IA64_DEP_Z_I: { /* imm8 deposited into zeros */
        unsigned pos = 63 - (unsigned)((s >> 20) & 63), len = (unsigned)((s >> 27) & 63) + 1;
        uint64_t imm =
            (uint64_t)((int64_t)((((s >> 36) & 1) << 7 | ((s >> 13) & 0x7f)) ^ 0x80) - 0x80);
        uint64_t m = len >= 64 ? ~0ull : (1ull << len) - 1;
        v = (imm & m) << pos;
        break;
    }
    case IA64_DEP_I: /* imm1 (all ones or zeros) into r3 */
    case IA64_DEP: { /* r2 into r3 */
        unsigned pos, len;
        uint64_t src;
        if (in->form == IA64_DEP_I) {
            pos = 63 - (unsigned)((s >> 14) & 63);
            len = (unsigned)((s >> 27) & 63) + 1;
            src = (s >> 36) & 1 ? ~0ull : 0;
        } else {
            pos = 63 - (unsigned)((s >> 31) & 63);
            len = (unsigned)((s >> 27) & 15) + 1;
            src = r2;
        }
        uint64_t m = len >= 64 ? ~0ull : (1ull << len) - 1;
        v = (r3 & ~(m << pos)) | ((src & m) << pos);
        break;
    }
    default:
        return x_unimpl(x, ia64_forms[in->form].mnemonic);
    }
    /* The register sources each form reads (the others are immediates). */
    bool nat;
    switch (in->form) {
    case IA64_EXTR:
    case IA64_EXTR_U:
    case IA64_DEP_I:
        nat = N(x, in->r3);
        break;
    case IA64_DEP_Z:
        nat = N(x, in->r2);
        break;
    case IA64_DEP_Z_I:
        nat = false;
        break;
    default:
        nat = N(x, in->r2) || N(x, in->r3);
        break;
    }
    return x_setgr_nat(x, in->r1, v, nat);
}

enum ia64_outcome x_movl(struct xctx *x, const struct ia64_insn *in)
{
    return x_setgr(x, in->r1, (uint64_t)in->imm);
}
