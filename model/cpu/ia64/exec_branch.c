/*
 * exec_branch.c - branches, calls and returns with their register stack
 * frames (alloc), moves to and from branch and predicate registers,
 * mov =ip, nop and break.  System forms are in exec_sys.c.
 */
#include "model/cpu/ia64/exec_impl.h"

#include "model/cpu/bpred/bpred.h"

#define AR_BSP   17
#define AR_PFS   64
#define AR_LC    65
#define AR_EC    66
#define CFM_MASK ((1ull << 38) - 1)

static enum ia64_outcome taken(struct xctx *x, uint64_t target, enum br_kind kind)
{
    x->res->branch = true;
    x->res->taken = true;
    x->res->branch_kind = kind;
    x->res->branch_ip = x->ip | x->slot;
    x->res->target = target;
    x->redirect = true;
    x->next_ip = target;
    return IA64_X_OK;
}

void ia64_branch_not_taken(struct xctx *x, const struct ia64_insn *in)
{
    x->res->branch = true;
    x->res->taken = false;
    x->res->branch_kind = BR_COND;
    x->res->branch_ip = x->ip | x->slot;
    x->res->target = x->ip + (uint64_t)in->imm;
}

/* br.call: b1 gets the return address, ar.pfs the caller's frame marker,
 * and the callee's frame is the caller's output area (SDM Vol. 3, br). */
static enum ia64_outcome call(struct xctx *x, unsigned b1, uint64_t target)
{
    struct ia64_state *st = x->st;
    unsigned sof = ia64_sof(st), sol = ia64_sol(st);
    st->br[b1] = x->ip + 16;
    st->ar[AR_PFS] =
        (st->cfm & CFM_MASK) | (st->ar[AR_EC] & 0x3f) << 52 | (uint64_t)ia64_cpl(st) << 62;
    st->bof = (st->bof + sol) % IA64_STACKED;
    st->ndirty += sol;
    st->ar[AR_BSP] = ia64_rse_skip(st->ar[AR_BSP], (int)sol);
    st->cfm = sof - sol;
    x->res->frame_changed = true;
    return taken(x, target, BR_CALL);
}

/* br.ret: the caller's frame comes back from ar.pfs. */
static enum ia64_outcome ret(struct xctx *x, uint64_t target)
{
    struct ia64_state *st = x->st;
    uint64_t pfm = st->ar[AR_PFS] & CFM_MASK;
    unsigned sol = (unsigned)((pfm >> 7) & 0x7f), sof = (unsigned)(pfm & 0x7f);
    /* The caller's locals come back from the backing store if they were
     * spilled; its whole frame must fit beside what stays dirty. */
    enum ia64_outcome o = ia64_rse_fill(x, sol);
    if (o != IA64_X_OK)
        return o;
    st->bof = (st->bof + IA64_STACKED - sol) % IA64_STACKED;
    st->ndirty -= sol;
    st->ar[AR_BSP] = ia64_rse_skip(st->ar[AR_BSP], -(int)sol);
    st->cfm = pfm;
    x->res->frame_changed = true;
    if ((o = ia64_rse_room(x, sof)) != IA64_X_OK)
        return o;
    unsigned ppl = (unsigned)(st->ar[AR_PFS] >> 62);
    if (ppl > ia64_cpl(st)) /* a return may lower privilege, never raise it */
        st->psr = (st->psr & ~(3ull << IA64_PSR_CPL_SHIFT)) | (uint64_t)ppl << IA64_PSR_CPL_SHIFT;
    st->ar[AR_EC] = (st->ar[AR_PFS] >> 52) & 0x3f;
    return taken(x, target, BR_RET);
}

/* alloc r1 = ar.pfs, i, l, o, r: a new frame of sof = i+l+o registers. */
static enum ia64_outcome alloc(struct xctx *x, const struct ia64_insn *in)
{
    struct ia64_state *st = x->st;
    uint64_t s = in->raw;
    unsigned sof = (unsigned)(s >> 13) & 127, sol = (unsigned)(s >> 20) & 127,
             sor = (unsigned)((s >> 27) & 15) * 8;
    if (sol > sof || sor > sof || sof > 96)
        return x_fault(x, IA64_IVT_GENERAL, IA64_GE_ILLEGAL,
                       "illegal operation: alloc with sol or sor above sof, or sof above 96");
    if (sor)
        return x_unimpl(x, "register rotation (alloc with rotating registers)");
    enum ia64_outcome o = ia64_rse_room(x, sof);
    if (o != IA64_X_OK)
        return o;
    uint64_t pfs = st->ar[AR_PFS];
    st->cfm = sof | (uint64_t)sol << 7;
    x->res->frame_changed = true;
    return x_setgr(x, in->r1, pfs);
}

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
    case IA64_BR_CALL:
    case IA64_BRL_CALL:
        return call(x, in->b1, x->ip + (uint64_t)in->imm);
    case IA64_BR_CALL_IND:
        return call(x, in->b1, x->st->br[in->b2] & ~15ull);
    case IA64_BR_RET:
        return ret(x, x->st->br[in->b2] & ~15ull);
    case IA64_BR_CLOOP: /* counted loop: taken while ar.lc != 0, which counts down */
        if (x->st->ar[AR_LC] == 0) {
            ia64_branch_not_taken(x, in);
            return IA64_X_OK;
        }
        x->st->ar[AR_LC]--;
        target = x->ip + (uint64_t)in->imm;
        break;
    default:
        return x_unimpl(x,
                        ia64_forms[in->form].mnemonic + (ia64_forms[in->form].mnemonic[0] == '!'));
    }
    return taken(x, target, BR_COND);
}

enum ia64_outcome x_movbr(struct xctx *x, const struct ia64_insn *in)
{
    if (ia64_nat(x->st, in->r2))
        return x_nat_fault(x, 0);
    x->st->br[in->b1] = ia64_gr(x->st, in->r2);
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
    case IA64_BREAK_X: {
        char why[48];
        snprintf(why, sizeof(why), "break 0x%llx", (unsigned long long)in->imm);
        x_fault(x, IA64_IVT_BREAK, 0, why);
        x->res->fault.writes = IA64_FW_IIM;
        x->res->fault.iim = (uint64_t)in->imm & 0x1fffff; /* .x: imm62{20:0} (SDM Vol. 3, break) */
        return IA64_X_FAULT;
    }
    case IA64_BREAK_B: /* cr.iim is written as 0 whatever the immediate (SDM Vol. 3, break) */
        x_fault(x, IA64_IVT_BREAK, 0, "break.b");
        x->res->fault.writes = IA64_FW_IIM;
        return IA64_X_FAULT;
    case IA64_ALLOC:
        return alloc(x, in);
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
        uint64_t v = ia64_gr(st, (unsigned)(s >> 13) & 127);
        for (unsigned i = 1; i < 64; i++)
            if ((m >> i) & 1)
                st->pr[i] = (v >> i) & 1;
        return IA64_X_OK;
    }
    default:
        return x_sys(x, in);
    }
}
