/*
 * exec_move.c - data movement (mov, movzx/movsx, lea, xchg), the
 * accumulator widenings (cbw, cwde, cwd, cdq) and the instructions that
 * move flags (clc ... popfd).
 */
#include "model/cpu/x86/exec_impl.h"

enum x86_outcome ia32_mov(struct xctx *x, unsigned arg)
{
    (void)arg;
    if (x->in->op[0].kind >= X86_OP_CR || x->in->op[1].kind >= X86_OP_CR) {
        if (x->in->op[0].kind == X86_OP_OTHER || x->in->op[1].kind == X86_OP_OTHER)
            return ia32_fault(x, X86_VEC_UD, false, 0, "mov of an unsupported register");
        return ia32_movcr(x);
    }
    /* A segment register operand is 16 bits whatever the operand size. */
    unsigned size =
        x->in->op[0].kind == X86_OP_SREG || x->in->op[1].kind == X86_OP_SREG ? 2 : x->in->opsize;
    uint32_t v;
    enum x86_outcome o = ia32_get(x, 1, size, &v);
    return o == X86_X_OK ? ia32_put(x, 0, size, v) : o;
}

/* MOVZX/MOVSX: the source has its own (smaller) width. */
enum x86_outcome ia32_movx(struct xctx *x, unsigned sign)
{
    unsigned from = x->in->op[1].size, to = x->in->opsize;
    uint32_t v;
    enum x86_outcome o = ia32_get(x, 1, from, &v);
    if (o != X86_X_OK)
        return o;
    if (sign && (v & x86_sign(from)))
        v |= ~x86_mask(from);
    return ia32_put(x, 0, to, v);
}

/* LEA computes the offset only: no segment, no access. */
enum x86_outcome ia32_lea(struct xctx *x, unsigned arg)
{
    (void)arg;
    if (x->in->op[1].kind != X86_OP_MEM)
        return ia32_fault(x, X86_VEC_UD, false, 0, "lea with a register source");
    return ia32_put(x, 0, x->in->opsize, ia32_ea(x, &x->in->op[1]));
}

enum x86_outcome ia32_xchg(struct xctx *x, unsigned arg)
{
    (void)arg;
    unsigned size = x->in->opsize;
    uint32_t a, b;
    enum x86_outcome o = ia32_get(x, 0, size, &a);
    if (o == X86_X_OK)
        o = ia32_get(x, 1, size, &b);
    if (o == X86_X_OK)
        o = ia32_put(x, 0, size, b);
    return o == X86_X_OK ? ia32_put(x, 1, size, a) : o;
}

enum x86_outcome ia32_widen(struct xctx *x, unsigned op)
{
    struct x86_state *st = x->st;
    uint32_t ax = st->gpr[X86_EAX];
    switch (op) {
    case WIDEN_CBW:
        ia32_setreg(st, X86_EAX, 2, false, (uint32_t)(int32_t)(int8_t)(ax & 0xFF));
        break;
    case WIDEN_CWDE:
        st->gpr[X86_EAX] = (uint32_t)(int32_t)(int16_t)(ax & 0xFFFF);
        break;
    case WIDEN_CWD:
        ia32_setreg(st, X86_EDX, 2, false, (ax & 0x8000) ? 0xFFFF : 0);
        break;
    default: /* CDQ */
        st->gpr[X86_EDX] = (ax & 0x80000000u) ? 0xFFFFFFFFu : 0;
        break;
    }
    return X86_X_OK;
}

/* EFLAGS bits POPF may change at CPL 0 (Vol. 2B POPF): the status flags,
 * TF, IF, DF, IOPL, NT, AC, ID; VM, VIF, VIP stay as they were and RF is
 * cleared. */
#define POPF_CPL0 (X86_STATUS | X86_TF | X86_IF | X86_DF | X86_IOPL | X86_NT | X86_AC | X86_ID)

static unsigned iopl(const struct x86_state *st)
{
    return (st->eflags & X86_IOPL) >> 12;
}

enum x86_outcome ia32_flagop(struct xctx *x, unsigned op)
{
    struct x86_state *st = x->st;
    uint32_t v;
    enum x86_outcome o;
    switch (op) {
    case FL_CLC:
        st->eflags &= ~X86_CF;
        break;
    case FL_STC:
        st->eflags |= X86_CF;
        break;
    case FL_CMC:
        st->eflags ^= X86_CF;
        break;
    case FL_CLD:
        st->eflags &= ~X86_DF;
        break;
    case FL_STD:
        st->eflags |= X86_DF;
        break;
    case FL_CLI:
    case FL_STI:
        /* Protected mode: CPL must not exceed IOPL, else #GP(0) (Vol. 2A
         * CLI; virtual-8086 and PVI modes are not modelled). */
        if (st->cpl > iopl(st))
            return ia32_fault(x, X86_VEC_GP, true, 0, "cli/sti with CPL > IOPL");
        if (op == FL_CLI) {
            st->eflags &= ~X86_IF;
        } else {
            /* STI with IF clear delays interrupts by one instruction
             * (Vol. 2B STI), so that "sti; hlt" cannot miss one. */
            if (!(st->eflags & X86_IF))
                st->shadow = true;
            st->eflags |= X86_IF;
        }
        break;
    case FL_LAHF:
        /* AH = SF:ZF:0:AF:0:PF:1:CF, the low byte of EFLAGS. */
        ia32_setreg(st, X86_EAX, 1, true, (st->eflags & 0xD5) | X86_FIXED1);
        break;
    case FL_SAHF:
        ia32_flags(st, ia32_getreg(st, X86_EAX, 1, true),
                   X86_SF | X86_ZF | X86_AF | X86_PF | X86_CF);
        break;
    case FL_PUSHF:
        /* The image has VM and RF clear (Vol. 2B PUSHF). */
        return ia32_push(x, x->in->opsize, st->eflags & ~(X86_VM | X86_RF));
    default: /* FL_POPF */ {
        o = ia32_pop(x, x->in->opsize, &v);
        if (o != X86_X_OK)
            return o;
        uint32_t mask = POPF_CPL0;
        if (st->cpl > 0)
            mask &= ~X86_IOPL;
        if (st->cpl > iopl(st))
            mask &= ~X86_IF;
        if (x->in->opsize == 2)
            mask &= 0xFFFF;
        st->eflags = ((st->eflags & ~mask & ~X86_RF) | (v & mask) | X86_FIXED1);
        break;
    }
    }
    return X86_X_OK;
}
