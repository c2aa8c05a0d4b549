/*
 * exec_branch.c - near control transfers (jmp, jcc, jecxz, loop, call,
 * ret) and the stack instructions (push, pop, pushad, popad, leave).
 * Far forms of jmp, call and ret go to exec_far.c.
 */
#include "model/cpu/x86/exec_impl.h"

/* The target of a near transfer through operand 0: relative to the next
 * instruction, or absolute from a register or memory; truncated to 16
 * bits under a 16-bit operand size (Vol. 2A JMP). */
static enum x86_outcome target_of(struct xctx *x, uint32_t *t, bool *indirect)
{
    const struct x86_op *o = &x->in->op[0];
    enum x86_outcome r = X86_X_OK;
    *indirect = o->kind != X86_OP_REL;
    if (*indirect)
        r = ia32_get(x, 0, x->in->opsize, t);
    else
        *t = x->next + o->imm;
    if (x->in->opsize == 2)
        *t &= 0xFFFF;
    return r;
}

enum x86_outcome ia32_jmp(struct xctx *x, unsigned arg)
{
    (void)arg;
    if (x->in->prefixes & X86_PFX_FAR)
        return ia32_jmp_far(x, false);
    uint32_t t;
    bool ind;
    enum x86_outcome o = target_of(x, &t, &ind);
    if (o == X86_X_OK)
        ia32_branch(x, ind ? BR_INDIRECT : BR_UNCOND, true, t);
    return o;
}

enum x86_outcome ia32_jcc(struct xctx *x, unsigned cc)
{
    uint32_t t;
    bool ind;
    enum x86_outcome o = target_of(x, &t, &ind);
    if (o == X86_X_OK)
        ia32_branch(x, BR_COND, x86_cond(x->st->eflags, cc), t);
    return o;
}

/* The count register of JECXZ and LOOP is ECX, or CX under a 16-bit
 * address size. */
static uint32_t count_mask(const struct xctx *x)
{
    return x->in->adsize == 2 ? 0xFFFF : 0xFFFFFFFFu;
}

enum x86_outcome ia32_jcxz(struct xctx *x, unsigned arg)
{
    (void)arg;
    uint32_t t;
    bool ind;
    enum x86_outcome o = target_of(x, &t, &ind);
    if (o == X86_X_OK)
        ia32_branch(x, BR_COND, !(x->st->gpr[X86_ECX] & count_mask(x)), t);
    return o;
}

/* LOOP/LOOPE/LOOPNE: decrement the count (no flag changes), branch while
 * it is non-zero and, for E/NE, ZF agrees. */
enum x86_outcome ia32_loop(struct xctx *x, unsigned op)
{
    uint32_t t, m = count_mask(x);
    bool ind;
    enum x86_outcome o = target_of(x, &t, &ind);
    if (o != X86_X_OK)
        return o;
    uint32_t *c = &x->st->gpr[X86_ECX];
    *c = (*c & ~m) | ((*c - 1) & m);
    bool taken = (*c & m) != 0;
    if (op == LOOP_E)
        taken = taken && (x->st->eflags & X86_ZF);
    else if (op == LOOP_NE)
        taken = taken && !(x->st->eflags & X86_ZF);
    ia32_branch(x, BR_COND, taken, t);
    return X86_X_OK;
}

/* CALL: the target is read before the return address is pushed, so an
 * ESP-relative operand sees the old ESP. */
enum x86_outcome ia32_call(struct xctx *x, unsigned arg)
{
    (void)arg;
    if (x->in->prefixes & X86_PFX_FAR)
        return ia32_jmp_far(x, true);
    uint32_t t;
    bool ind;
    enum x86_outcome o = target_of(x, &t, &ind);
    if (o == X86_X_OK)
        o = ia32_push(x, x->in->opsize, x->next);
    if (o == X86_X_OK)
        ia32_branch(x, BR_CALL, true, t);
    return o;
}

/* RET [imm16]: pop EIP, then release imm16 bytes of arguments. */
enum x86_outcome ia32_ret(struct xctx *x, unsigned arg)
{
    (void)arg;
    uint32_t t, n = 0;
    if (x->in->nops == 1)
        ia32_get(x, 0, 2, &n);
    if (x->in->prefixes & X86_PFX_FAR)
        return ia32_ret_far(x, n);
    enum x86_outcome o = ia32_pop(x, x->in->opsize, &t);
    if (o != X86_X_OK)
        return o;
    x->st->gpr[X86_ESP] += n;
    ia32_branch(x, BR_RET, true, t);
    return X86_X_OK;
}

/* PUSH: the value is read first (PUSH ESP pushes the old ESP, Vol. 2B). */
enum x86_outcome ia32_push_op(struct xctx *x, unsigned arg)
{
    (void)arg;
    unsigned size = x->in->opsize;
    uint32_t v;
    enum x86_outcome o = ia32_get(x, 0, x->in->op[0].kind == X86_OP_SREG ? 2 : size, &v);
    if (o == X86_X_OK && x->in->op[0].kind == X86_OP_IMM && x->in->op[0].size < size &&
        (v & x86_sign(x->in->op[0].size)))
        v |= ~x86_mask(x->in->op[0].size); /* push imm8 sign-extends */
    return o == X86_X_OK ? ia32_push(x, size, v) : o;
}

/* POP: ESP is incremented before a memory destination's address is
 * computed (Vol. 2B POP). */
enum x86_outcome ia32_pop_op(struct xctx *x, unsigned arg)
{
    (void)arg;
    unsigned size = x->in->opsize;
    uint32_t v, esp = x->st->gpr[X86_ESP];
    enum x86_outcome o = ia32_pop(x, size, &v);
    if (o == X86_X_OK)
        o = ia32_put(x, 0, size, v);
    if (o != X86_X_OK)
        x->st->gpr[X86_ESP] = esp;
    return o;
}

/* PUSHAD: EAX, ECX, EDX, EBX, the original ESP, EBP, ESI, EDI. */
enum x86_outcome ia32_pusha(struct xctx *x, unsigned arg)
{
    (void)arg;
    unsigned size = x->in->opsize;
    uint32_t esp = x->st->gpr[X86_ESP];
    for (unsigned r = X86_EAX; r <= X86_EDI; r++) {
        enum x86_outcome o =
            ia32_push(x, size, r == X86_ESP ? esp : ia32_getreg(x->st, r, size, false));
        if (o != X86_X_OK) {
            x->st->gpr[X86_ESP] = esp;
            return o;
        }
    }
    return X86_X_OK;
}

/* POPAD: the reverse, skipping the saved ESP. */
enum x86_outcome ia32_popa(struct xctx *x, unsigned arg)
{
    (void)arg;
    unsigned size = x->in->opsize;
    uint32_t esp = x->st->gpr[X86_ESP], v[8];
    for (int r = X86_EDI; r >= X86_EAX; r--) {
        enum x86_outcome o = ia32_pop(x, size, &v[r]);
        if (o != X86_X_OK) {
            x->st->gpr[X86_ESP] = esp;
            return o;
        }
    }
    for (unsigned r = X86_EAX; r <= X86_EDI; r++)
        if (r != X86_ESP)
            ia32_setreg(x->st, r, size, false, v[r]);
    return X86_X_OK;
}

/* LEAVE: ESP = EBP, then pop EBP. */
enum x86_outcome ia32_leave(struct xctx *x, unsigned arg)
{
    (void)arg;
    uint32_t esp = x->st->gpr[X86_ESP], v;
    x->st->gpr[X86_ESP] = x->st->gpr[X86_EBP];
    enum x86_outcome o = ia32_pop(x, x->in->opsize, &v);
    if (o != X86_X_OK) {
        x->st->gpr[X86_ESP] = esp;
        return o;
    }
    ia32_setreg(x->st, X86_EBP, x->in->opsize, false, v);
    return X86_X_OK;
}
