/*
 * exec_branch.c - branches, moves to and from branch registers, and the
 * few other forms executed so far (nop, break, mov =ip, mov =pr,
 * mov pr=).  Calls and returns need the register stack and are not
 * executed yet; neither are the system forms.
 */
#include "model/cpu/ia64/exec_impl.h"

enum ia64_outcome x_branch(struct xctx *x, const struct ia64_insn *in)
{
    uint64_t target;
    switch (in->form) {
    case IA64_BR_COND:
    case IA64_BRL_COND:
        target = x->ip + (uint64_t)in->imm;
        break;
    case IA64_BR_COND_IND:
        target = x->st->br[in->b2] & ~15ull;
        break;
    default:
        return x_unimpl(x,
                        ia64_forms[in->form].mnemonic + (ia64_forms[in->form].mnemonic[0] == '!'));
    }
    x->res->branch = true;
    x->res->taken = true;
    x->res->branch_ip = x->ip | x->slot;
    x->res->target = target;
    x->redirect = true;
    x->next_ip = target;
    return IA64_X_OK;
}

enum ia64_outcome x_movbr(struct xctx *x, const struct ia64_insn *in)
{
    x->st->br[in->b1] = x->st->gr[in->r2];
    return IA64_X_OK;
}

enum ia64_outcome x_misc(struct xctx *x, const struct ia64_insn *in)
{
    struct ia64_state *st = x->st;
    uint64_t s = in->raw;
    switch (in->form) {
    case IA64_NOP_M:
    case IA64_NOP_I:
    case IA64_NOP_B:
    case IA64_NOP_X:
        return IA64_X_OK;
    case IA64_BREAK_M:
    case IA64_BREAK_I:
    case IA64_BREAK_B:
    case IA64_BREAK_X:
        snprintf(x->res->reason, sizeof(x->res->reason), "break 0x%llx with no handler",
                 (unsigned long long)in->imm);
        return IA64_X_BREAK;
    case IA64_MOV_FROM_IP:
        return x_setgr(x, in->r1, x->ip);
    case IA64_MOV_FROM_BR:
        return x_setgr(x, in->r1, st->br[(s >> 13) & 7]);
    case IA64_MOV_FROM_PR: {
        uint64_t v = 0;
        for (unsigned i = 0; i < 64; i++)
            v |= (uint64_t)st->pr[i] << i;
        return x_setgr(x, in->r1, v);
    }
    case IA64_MOV_TO_PR: {
        uint64_t m = ((s >> 36) & 1) << 16 | ((s >> 24) & 0xff) << 8 | ((s >> 6) & 0x7f) << 1;
        if (m & 0x10000)
            m |= ~0x1ffffull; /* bit 16 stands for p16-p63 */
        uint64_t v = st->gr[(s >> 13) & 127];
        for (unsigned i = 1; i < 64; i++)
            if ((m >> i) & 1)
                st->pr[i] = (v >> i) & 1;
        return IA64_X_OK;
    }
    default:
        return x_unimpl(x,
                        ia64_forms[in->form].mnemonic + (ia64_forms[in->form].mnemonic[0] == '!'));
    }
}
