/*
 * exec_string.c - movs, stos, lods, cmps, scas with and without REP,
 * REPE, REPNE (Vol. 2B REP/REPE/REPZ/REPNE/REPNZ).
 *
 * One execution is one iteration: with a repeat prefix EIP stays on the
 * instruction until the count runs out (or, for cmps and scas, ZF ends the
 * loop), so that each iteration is timed through the caches and a later
 * interrupt can be taken between iterations, as the processor allows.
 * The source is seg:[ESI] (DS unless overridden), the destination
 * ES:[EDI], never overridden; both move by the operand size, backwards
 * when DF is set.
 */
#include "model/cpu/x86/exec_impl.h"

/* ESI, EDI, ECX at the address size (SI, DI, CX under 16-bit addressing). */
static uint32_t areg(const struct xctx *x, unsigned r)
{
    return x->in->adsize == 2 ? x->st->gpr[r] & 0xFFFF : x->st->gpr[r];
}

static void set_areg(struct xctx *x, unsigned r, uint32_t v)
{
    ia32_setreg(x->st, r, x->in->adsize, false, v);
}

enum x86_outcome ia32_string(struct xctx *x, unsigned op)
{
    const struct x86_insn *in = x->in;
    struct x86_state *st = x->st;
    unsigned size = in->opsize;
    bool rep = in->prefixes & (X86_PFX_REP | X86_PFX_REPNE);
    /* The SSE movsd/cmpsd share the mnemonic and have operands. */
    if (in->nops)
        return ia32_fault(x, X86_VEC_UD, false, 0, "vector movsd/cmpsd are not modelled");
    if (rep && !areg(x, X86_ECX))
        return X86_X_OK;
    /* INS/OUTS check the port's permission on every iteration (Vol. 2A
     * INS). */
    uint16_t port = (uint16_t)st->gpr[X86_EDX];
    if (op == STR_INS || op == STR_OUTS) {
        enum x86_outcome p = ia32_io_check(x, port, size);
        if (p == X86_X_OK)
            p = ia32_io_exit(x, port, size,
                             IO_QUAL_STRING | (op == STR_INS ? IO_QUAL_IN : 0) |
                                 (rep ? IO_QUAL_REP : 0));
        if (p != X86_X_OK)
            return p;
    }
    uint32_t delta = (st->eflags & X86_DF) ? (uint32_t)-size : size;
    uint32_t a = 0, b = 0, fl;
    enum x86_outcome o = X86_X_OK;
    switch (op) {
    case STR_MOVS:
        o = ia32_load(x, in->seg, areg(x, X86_ESI), size, &a);
        if (o == X86_X_OK)
            o = ia32_store(x, X86_ES, areg(x, X86_EDI), size, a);
        break;
    case STR_STOS:
        o = ia32_store(x, X86_ES, areg(x, X86_EDI), size, ia32_getreg(st, X86_EAX, size, false));
        break;
    case STR_LODS:
        o = ia32_load(x, in->seg, areg(x, X86_ESI), size, &a);
        if (o == X86_X_OK)
            ia32_setreg(st, X86_EAX, size, false, a);
        break;
    case STR_CMPS:
        o = ia32_load(x, in->seg, areg(x, X86_ESI), size, &a);
        if (o == X86_X_OK)
            o = ia32_load(x, X86_ES, areg(x, X86_EDI), size, &b);
        if (o == X86_X_OK) {
            x86_sub(a, b, 0, size, &fl);
            ia32_flags(st, fl, X86_STATUS);
        }
        break;
    case STR_INS:
        /* The destination is checked before the port is read, so a fault
         * does not lose the datum (Vol. 2A INS: "the processor may read"). */
        o = ia32_store(x, X86_ES, areg(x, X86_EDI), size, 0);
        if (o == X86_X_OK)
            o = ia32_store(x, X86_ES, areg(x, X86_EDI), size,
                           x->mem->port_in(x->mem->ctx, port, size));
        break;
    case STR_OUTS:
        o = ia32_load(x, in->seg, areg(x, X86_ESI), size, &a);
        if (o == X86_X_OK)
            x->mem->port_out(x->mem->ctx, port, size, a);
        break;
    default: /* STR_SCAS */
        o = ia32_load(x, X86_ES, areg(x, X86_EDI), size, &b);
        if (o == X86_X_OK) {
            x86_sub(ia32_getreg(st, X86_EAX, size, false), b, 0, size, &fl);
            ia32_flags(st, fl, X86_STATUS);
        }
        break;
    }
    if (o != X86_X_OK)
        return o;
    if (op == STR_MOVS || op == STR_LODS || op == STR_CMPS || op == STR_OUTS)
        set_areg(x, X86_ESI, areg(x, X86_ESI) + delta);
    if (op != STR_LODS && op != STR_OUTS)
        set_areg(x, X86_EDI, areg(x, X86_EDI) + delta);
    if (!rep)
        return X86_X_OK;
    uint32_t count = areg(x, X86_ECX) - 1;
    set_areg(x, X86_ECX, count);
    bool more = count != 0;
    if (op == STR_CMPS || op == STR_SCAS) {
        bool zf = st->eflags & X86_ZF;
        more = more && ((in->prefixes & X86_PFX_REPNE) ? !zf : zf);
    }
    x->again = more;
    return X86_X_OK;
}
