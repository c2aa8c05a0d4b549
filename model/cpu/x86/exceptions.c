/*
 * exceptions.c - delivery of exceptions and interrupts in 32-bit
 * protected mode through IDT interrupt and trap gates (Intel SDM Vol. 3A
 * 6.10-6.14, Vol. 2A INT n/INTO/INT3/INT1 "Operation"), and the exception
 * classes of the double-fault rule (Table 6-5).
 *
 * Order of checks, each raising the fault named (EXT = 1 unless the event
 * is int n, int3 or into; IDT = 2 in error codes that name a gate):
 *   vector beyond the IDT limit              #GP(vector * 8 + 2 + EXT)
 *   not a 32-bit interrupt or trap gate      #GP(vector * 8 + 2 + EXT)
 *   int n/int3/into with gate DPL < CPL      #GP(vector * 8 + 2)
 *   gate not present                         #NP(vector * 8 + 2 + EXT)
 *   code selector null / bad / DPL > CPL     #GP(EXT) / #GP(sel + EXT)
 *   code segment not present                 #NP(sel + EXT)
 *   to an inner ring: TSS too short          #TS(TR + EXT)
 *     new SS null / RPL, DPL, type wrong     #TS(EXT) / #TS(SS + EXT)
 *     new SS not present                     #SS(SS + EXT)
 *   frame beyond the stack's limit           #SS(EXT) or #SS(SS + EXT)
 *   handler EIP beyond the code limit        #GP(EXT)
 * Page faults on the IDT, GDT, TSS or stack come through paging.
 *
 * Not modelled: task gates and 16-bit gates (they raise the #GP of a bad
 * gate type, documented in docs/isa-x86.md), virtual-8086 mode.
 */
#include "model/cpu/x86/exec_impl.h"

#include <string.h>

enum x86_class x86_exception_class(const struct x86_fault *f)
{
    if (f->kind != X86_EV_FAULT)
        return X86_BENIGN; /* software interrupts and external interrupts */
    switch (f->vector) {
    case X86_VEC_DE:
    case X86_VEC_TS:
    case X86_VEC_NP:
    case X86_VEC_SS:
    case X86_VEC_GP:
        return X86_CONTRIBUTORY;
    case X86_VEC_PF:
        return X86_PAGE_FAULT;
    default:
        return X86_BENIGN;
    }
}

bool x86_is_double(const struct x86_fault *first, const struct x86_fault *second)
{
    enum x86_class a = x86_exception_class(first), b = x86_exception_class(second);
    if (a == X86_CONTRIBUTORY)
        return b == X86_CONTRIBUTORY;
    if (a == X86_PAGE_FAULT)
        return b != X86_BENIGN;
    return false;
}

/* A 32-bit push onto (ss, *esp) with its limit check; the fault names
 * `err` (the new SS selector or 0, plus EXT). */
static enum x86_outcome push32(struct xctx *x, const struct x86_seg *ss, uint32_t *esp, uint32_t v,
                               bool user, uint32_t err)
{
    uint32_t sp = *esp - 4;
    if (!ia32_seg_ok(ss, sp, 4, true))
        return ia32_fault(x, X86_VEC_SS, true, err, "interrupt frame beyond the stack's limit");
    enum x86_outcome o = ia32_lin_write(x, ss->base + sp, 4, v, user);
    if (o == X86_X_OK)
        *esp = sp;
    return o;
}

/* The stack of ring `dpl` from the TSS (Vol. 3A 7.2.1: ESPn at 4 + 8n,
 * SSn at 8 + 8n) and its checks (Vol. 3A 6.12.1, "stack switch"). */
static enum x86_outcome inner_stack(struct xctx *x, unsigned dpl, uint32_t ext, struct x86_seg *ss,
                                    uint32_t *esp)
{
    const struct x86_state *st = x->st;
    uint32_t off = 4 + 8 * dpl, sel, lo, hi;
    bool beyond;
    if ((st->tr.attr & X86_AR_UNUSABLE) || off + 5 > st->tr.limit)
        return ia32_fault(x, X86_VEC_TS, true, (st->tr.sel & 0xFFFCu) | ext,
                          "TSS too short for the inner stack");
    enum x86_outcome o = ia32_lin_read(x, st->tr.base + off, 4, esp, false);
    if (o == X86_X_OK)
        o = ia32_lin_read(x, st->tr.base + off + 4, 2, &sel, false);
    if (o != X86_X_OK)
        return o;
    if (!(sel & 0xFFFCu))
        return ia32_fault(x, X86_VEC_TS, true, ext, "null stack selector in the TSS");
    uint32_t err = (sel & 0xFFFCu) | ext;
    if ((sel & 3) != dpl)
        return ia32_fault(x, X86_VEC_TS, true, err, "TSS stack selector's RPL is not the new CPL");
    o = ia32_desc_read(x, (uint16_t)sel, &lo, &hi, &beyond);
    if (o != X86_X_OK)
        return o;
    unsigned type = hi >> 8 & 0xF;
    if (beyond || !(hi & (1u << 12)) || (type & 8) || !(type & 2) || (hi >> 13 & 3) != dpl)
        return ia32_fault(x, X86_VEC_TS, true, err,
                          "TSS stack segment is not writable data at the new CPL");
    if (!(hi & (1u << 15)))
        return ia32_fault(x, X86_VEC_SS, true, err, "TSS stack segment not present");
    o = ia32_desc_touch(x, (uint16_t)sel, hi);
    if (o == X86_X_OK)
        ia32_desc_hidden(lo, hi | 1u << 8, (uint16_t)sel, ss);
    return o;
}

enum x86_outcome x86_deliver(struct x86_state *st, const struct x86_mem *mem,
                             const struct x86_fault *ev, uint32_t ret_eip,
                             struct x86_exec_result *res)
{
    memset(res, 0, sizeof(*res));
    struct xctx x = {.st = st, .mem = mem, .res = res};
    bool soft = ev->kind == X86_EV_SOFT_INT || ev->kind == X86_EV_SOFT_EXC;
    uint32_t ext = soft ? 0 : 1, gate_err = ev->vector * 8u + 2 + ext;
    uint32_t lo, hi, clo, chi;
    enum x86_outcome o;

    if (ev->vector * 8u + 7 > st->idtr.limit)
        return ia32_fault(&x, X86_VEC_GP, true, gate_err, "vector beyond the IDT limit");
    o = ia32_lin_read(&x, st->idtr.base + ev->vector * 8u, 4, &lo, false);
    if (o == X86_X_OK)
        o = ia32_lin_read(&x, st->idtr.base + ev->vector * 8u + 4, 4, &hi, false);
    if (o != X86_X_OK)
        return o;
    unsigned type = hi >> 8 & 0x1F; /* S and type: 0x0E interrupt gate, 0x0F trap gate */
    if (type != 0x0E && type != 0x0F)
        return ia32_fault(&x, X86_VEC_GP, true, gate_err,
                          "not a 32-bit interrupt or trap gate (task and 16-bit gates are not "
                          "modelled)");
    if (soft && (hi >> 13 & 3) < st->cpl)
        return ia32_fault(&x, X86_VEC_GP, true, gate_err,
                          "software interrupt to a gate of DPL < CPL");
    if (!(hi & (1u << 15)))
        return ia32_fault(&x, X86_VEC_NP, true, gate_err, "interrupt gate not present");
    uint16_t sel = (uint16_t)(lo >> 16);
    uint32_t eip = (hi & 0xFFFF0000u) | (lo & 0xFFFFu);
    o = ia32_check_code(&x, sel, &clo, &chi, st->cpl, ext);
    if (o != X86_X_OK)
        return o;

    unsigned dpl = chi >> 13 & 3, cpl = st->cpl;
    bool conforming = chi >> 8 & 4;
    unsigned new_cpl = conforming ? cpl : dpl;
    struct x86_seg ss = st->seg[X86_SS], cs;
    uint32_t esp = st->gpr[X86_ESP], ss_err = ext;
    bool user = new_cpl == 3;
    ia32_desc_hidden(clo, chi | 1u << 8, (uint16_t)((sel & 0xFFFCu) | new_cpl), &cs);
    if (new_cpl < cpl) {
        o = inner_stack(&x, new_cpl, ext, &ss, &esp);
        if (o != X86_X_OK)
            return o;
        ss_err = (ss.sel & 0xFFFCu) | ext;
        o = push32(&x, &ss, &esp, st->seg[X86_SS].sel, user, ss_err);
        if (o == X86_X_OK)
            o = push32(&x, &ss, &esp, st->gpr[X86_ESP], user, ss_err);
        if (o != X86_X_OK)
            return o;
    }
    o = push32(&x, &ss, &esp, st->eflags, user, ss_err);
    if (o == X86_X_OK)
        o = push32(&x, &ss, &esp, st->seg[X86_CS].sel, user, ss_err);
    if (o == X86_X_OK)
        o = push32(&x, &ss, &esp, ret_eip, user, ss_err);
    if (o == X86_X_OK && ev->has_error)
        o = push32(&x, &ss, &esp, ev->error, user, ss_err);
    if (o != X86_X_OK)
        return o;
    if (eip > cs.limit)
        return ia32_fault(&x, X86_VEC_GP, true, ext, "handler beyond its code segment's limit");
    o = ia32_desc_touch(&x, sel, chi);
    if (o != X86_X_OK)
        return o;

    /* Commit: the frame is written, nothing can fault any more. */
    st->seg[X86_SS] = ss;
    st->gpr[X86_ESP] = esp;
    st->seg[X86_CS] = cs;
    st->cpl = new_cpl;
    st->eip = eip;
    /* TF, VM, RF and NT are cleared; an interrupt gate clears IF too
     * (Vol. 3A 6.12.1.3). */
    st->eflags &= ~(X86_TF | X86_VM | X86_RF | X86_NT);
    if (type == 0x0E)
        st->eflags &= ~X86_IF;
    st->halted = false;
    return X86_X_OK;
}
