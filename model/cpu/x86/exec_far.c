/*
 * exec_far.c - control transfers that change CS: far jmp and call to a
 * code segment (same privilege: conforming with DPL <= CPL, or
 * non-conforming with RPL <= CPL and DPL = CPL), far ret and iret to the
 * same or an outer ring (Intel SDM Vol. 2A JMP, CALL, IRET; Vol. 2B RET;
 * Vol. 3A 5.8).
 *
 * Not modelled: call gates, task switches (a TSS or task-gate selector,
 * iret with NT set), returns to virtual-8086 mode and 16-bit forms; each
 * raises a fault named in the diagnostic (docs/isa-x86.md).
 */
#include "model/cpu/x86/exec_impl.h"

/* The far pointer of operand 0: an immediate ptr16:32 or m16:32. */
static enum x86_outcome far_pointer(struct xctx *x, uint16_t *sel, uint32_t *off)
{
    const struct x86_op *op = &x->in->op[0];
    if (op->kind == X86_OP_PTR) {
        *sel = op->sel;
        *off = op->imm;
        return X86_X_OK;
    }
    if (op->kind != X86_OP_MEM)
        return ia32_fault(x, X86_VEC_UD, false, 0, "far transfer without a far pointer");
    uint32_t ea = ia32_ea(x, op), s = 0;
    unsigned size = x->in->opsize;
    enum x86_outcome o = ia32_load(x, op->seg, ea, size, off);
    if (o == X86_X_OK)
        o = ia32_load(x, op->seg, ea + size, 2, &s);
    *sel = (uint16_t)s;
    return o;
}

enum x86_outcome ia32_jmp_far(struct xctx *x, bool call)
{
    struct x86_state *st = x->st;
    uint16_t sel = 0;
    uint32_t off = 0, lo, hi;
    if (x->in->opsize != 4)
        return ia32_fault(x, X86_VEC_UD, false, 0, "16-bit far transfers are not modelled");
    enum x86_outcome o = far_pointer(x, &sel, &off);
    if (o != X86_X_OK)
        return o;
    /* Non-conforming code needs DPL = CPL (checked below) and RPL <= CPL;
     * conforming code DPL <= CPL (Vol. 3A 5.8.1). */
    o = ia32_check_code(x, sel, &lo, &hi, st->cpl, 0);
    if (o != X86_X_OK)
        return o;
    bool conforming = hi >> 8 & 4;
    if (!conforming && ((sel & 3u) > st->cpl || (hi >> 13 & 3) != st->cpl))
        return ia32_fault(x, X86_VEC_GP, true, sel & 0xFFFCu,
                          "far transfer to another privilege level (call gates are not modelled)");
    struct x86_seg cs;
    ia32_desc_hidden(lo, hi | 1u << 8, (uint16_t)((sel & 0xFFFCu) | st->cpl), &cs);
    if (off > cs.limit)
        return ia32_fault(x, X86_VEC_GP, true, 0, "far target beyond the code segment's limit");
    if (call) {
        uint32_t esp = st->gpr[X86_ESP];
        o = ia32_push(x, 4, st->seg[X86_CS].sel);
        if (o == X86_X_OK)
            o = ia32_push(x, 4, x->next);
        if (o != X86_X_OK) {
            st->gpr[X86_ESP] = esp;
            return o;
        }
    }
    o = ia32_desc_touch(x, sel, hi);
    if (o != X86_X_OK)
        return o;
    st->seg[X86_CS] = cs;
    ia32_branch(x, call ? BR_CALL : BR_UNCOND, true, off);
    return X86_X_OK;
}

/* After a return to an outer ring, data segments the new CPL may not use
 * become null (Vol. 2A IRET, Vol. 2B RET: data or non-conforming code
 * with DPL < CPL). */
static void drop_inner_segments(struct x86_state *st)
{
    static const unsigned regs[] = {X86_ES, X86_FS, X86_GS, X86_DS};
    for (unsigned i = 0; i < 4; i++) {
        struct x86_seg *s = &st->seg[regs[i]];
        unsigned t = s->attr & X86_AR_TYPE;
        bool conf_code = (t & 8) && (t & 4);
        if (!(s->attr & X86_AR_UNUSABLE) && !conf_code && X86_AR_DPL(s->attr) < st->cpl) {
            s->sel = 0;
            s->attr = X86_AR_UNUSABLE;
        }
    }
}

/* EFLAGS bits IRET restores (Vol. 2A IRET): at CPL 0 the status flags,
 * TF, IF, DF, IOPL, NT, RF, AC, ID; above CPL 0 not IOPL; above IOPL not
 * IF. */
static uint32_t iret_mask(const struct x86_state *st)
{
    uint32_t m =
        X86_STATUS | X86_TF | X86_IF | X86_DF | X86_IOPL | X86_NT | X86_RF | X86_AC | X86_ID;
    if (st->cpl > 0)
        m &= ~X86_IOPL;
    if (st->cpl > ((st->eflags & X86_IOPL) >> 12))
        m &= ~X86_IF;
    return m;
}

/* The common part of iret and far ret: pop EIP, CS[, EFLAGS] and, to an
 * outer ring, ESP and SS; `release` bytes of arguments (ret imm16) are
 * dropped from both stacks. */
static enum x86_outcome ret_far(struct xctx *x, bool iret, uint32_t release)
{
    struct x86_state *st = x->st;
    uint32_t sp = st->gpr[X86_ESP], eip, csw, fl = 0, lo, hi, slo, shi, nesp, ssw;
    bool beyond;
    enum x86_outcome o = ia32_load(x, X86_SS, sp, 4, &eip);
    if (o == X86_X_OK)
        o = ia32_load(x, X86_SS, sp + 4, 4, &csw);
    if (o == X86_X_OK && iret)
        o = ia32_load(x, X86_SS, sp + 8, 4, &fl);
    if (o != X86_X_OK)
        return o;
    if (iret && (fl & X86_VM) && st->cpl == 0)
        return ia32_fault(x, X86_VEC_GP, true, 0, "iret to virtual-8086 mode is not modelled");
    uint16_t sel = (uint16_t)csw;
    unsigned rpl = sel & 3u;
    if (!(sel & 0xFFFCu))
        return ia32_fault(x, X86_VEC_GP, true, 0, "return to a null code selector");
    if (rpl < st->cpl)
        return ia32_fault(x, X86_VEC_GP, true, sel & 0xFFFCu, "return to an inner ring");
    o = ia32_check_code(x, sel, &lo, &hi, 3, 0);
    if (o != X86_X_OK)
        return o;
    bool conforming = hi >> 8 & 4;
    unsigned dpl = hi >> 13 & 3;
    if (conforming ? dpl > rpl : dpl != rpl)
        return ia32_fault(x, X86_VEC_GP, true, sel & 0xFFFCu, "return code segment DPL mismatch");
    struct x86_seg cs, ss = st->seg[X86_SS];
    ia32_desc_hidden(lo, hi | 1u << 8, sel, &cs);
    sp += (iret ? 12 : 8) + release;
    if (rpl > st->cpl) {
        o = ia32_load(x, X86_SS, sp, 4, &nesp);
        if (o == X86_X_OK)
            o = ia32_load(x, X86_SS, sp + 4, 4, &ssw);
        if (o != X86_X_OK)
            return o;
        uint16_t ssel = (uint16_t)ssw;
        if (!(ssel & 0xFFFCu))
            return ia32_fault(x, X86_VEC_GP, true, 0, "return to a null stack selector");
        if ((ssel & 3u) != rpl)
            return ia32_fault(x, X86_VEC_GP, true, ssel & 0xFFFCu, "return SS RPL is not CS RPL");
        o = ia32_desc_read(x, ssel, &slo, &shi, &beyond);
        if (o != X86_X_OK)
            return o;
        unsigned t = shi >> 8 & 0xF;
        if (beyond || !(shi & (1u << 12)) || (t & 8) || !(t & 2) || (shi >> 13 & 3) != rpl)
            return ia32_fault(x, X86_VEC_GP, true, ssel & 0xFFFCu,
                              "return SS is not writable data at the new CPL");
        if (!(shi & (1u << 15)))
            return ia32_fault(x, X86_VEC_SS, true, ssel & 0xFFFCu, "return SS not present");
        if (eip > cs.limit)
            return ia32_fault(x, X86_VEC_GP, true, 0, "return EIP beyond the code limit");
        o = ia32_desc_touch(x, ssel, shi);
        if (o != X86_X_OK)
            return o;
        ia32_desc_hidden(slo, shi | 1u << 8, ssel, &ss);
        sp = nesp + release;
    } else if (eip > cs.limit) {
        return ia32_fault(x, X86_VEC_GP, true, 0, "return EIP beyond the code limit");
    }
    o = ia32_desc_touch(x, sel, hi);
    if (o != X86_X_OK)
        return o;
    if (iret) {
        uint32_t m = iret_mask(st);
        st->eflags = (st->eflags & ~m) | (fl & m) | X86_FIXED1;
    }
    st->seg[X86_CS] = cs;
    st->seg[X86_SS] = ss;
    st->gpr[X86_ESP] = sp;
    if (rpl != st->cpl) {
        st->cpl = rpl;
        drop_inner_segments(st);
    }
    /* iret has no matching call: it must not pop the return stack. */
    ia32_branch(x, iret ? BR_INDIRECT : BR_RET, true, eip);
    return X86_X_OK;
}

enum x86_outcome ia32_ret_far(struct xctx *x, uint32_t release)
{
    if (x->in->opsize != 4)
        return ia32_fault(x, X86_VEC_UD, false, 0, "16-bit far returns are not modelled");
    return ret_far(x, false, release);
}

enum x86_outcome ia32_iret(struct xctx *x, unsigned arg)
{
    (void)arg;
    if (x->in->opsize != 4)
        return ia32_fault(x, X86_VEC_UD, false, 0, "16-bit iret is not modelled");
    if (x->st->eflags & X86_NT)
        return ia32_fault(x, X86_VEC_GP, true, 0, "iret with NT set: task return is not modelled");
    x->res->serialize = true; /* IRET is serializing (Vol. 3A 8.3) */
    return ret_far(x, true, 0);
}
