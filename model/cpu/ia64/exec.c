/*
 * exec.c - the slot loop and the form -> semantics table (see exec.h).
 */
#include "model/cpu/ia64/exec_impl.h"

#include <string.h>

/*
 * IVA-based interruption delivery (SDM Vol. 2, 5.5; the order ski models,
 * shared/reference ia64-facts 2.2): bank 0; with PSR.ic, IPSR/IIP/IFS
 * record the interrupted state and the fault's own registers (IFA, ITIR,
 * IHA, IIM) are written; ISR always, with ei = slot and ni = !ic; a new
 * PSR keeping only up, mfl, mfh, pk, dt, rt, mc, it, with be and pp from
 * DCR; IP to the vector.  Returns false when no IVT is set up (cr.iva = 0).
 */
bool ia64_interrupt(struct ia64_state *st, const struct ia64_fault *f, unsigned slot, bool handoff)
{
    static const uint64_t keep = 1ull << 2 | 1ull << 4 | 1ull << 5 | 1ull << 15 | 1ull << 17 |
                                 1ull << 27 | 1ull << 35 | 1ull << 36;
    if (!(st->cr[2] & ~0x7fffull))
        return false;
    uint64_t psr = st->psr; /* before the bank switch clears PSR.bn */
    bool ic = psr & IA64_PSR_IC;
    ia64_switch_bank(st, 0);
    if (ic) {
        uint64_t ri = f->trap ? st->ri : slot;
        st->cr[16] = (psr & ~(3ull << IA64_PSR_RI_SHIFT)) | ri << IA64_PSR_RI_SHIFT;
        st->cr[19] = st->ip & ~15ull;
        st->cr[23] = 0;
        if (f->writes & IA64_FW_IFA)
            st->cr[20] = f->ifa;
        if (f->writes & IA64_FW_ITIR)
            st->cr[21] = f->itir;
        if (f->writes & IA64_FW_IHA)
            st->cr[25] = f->iha;
        if (f->writes & IA64_FW_IIM)
            st->cr[24] = f->iim;
    }
    st->cr[17] = f->isr | (uint64_t)slot << 41 | (uint64_t)!ic << 39;
    /* PAL's virtualization intercept handoff: cause and opcode in bank-0
     * r24/r25 (VT-i spec 5.2.3.1; shared/reference ia64-facts 7). */
    if (handoff && f->vector == IA64_IVT_VIRT) {
        st->gr[24] = f->cause;
        st->gr[25] = f->opcode;
        st->nat[24] = st->nat[25] = false;
    }
    uint64_t dcr = st->cr[0];
    st->psr = (st->psr & keep) | (dcr & 1) << 21 | (dcr >> 1 & 1) << 1;
    st->ip = (st->cr[2] & ~0x7fffull) + f->vector;
    st->ri = 0;
    return true;
}

enum ia64_outcome x_fault(struct xctx *x, unsigned vector, uint64_t isr, const char *why)
{
    struct ia64_fault *f = &x->res->fault;
    memset(f, 0, sizeof(*f));
    f->vector = vector;
    f->isr = isr;
    snprintf(x->res->reason, sizeof(x->res->reason), "%s", why);
    return IA64_X_FAULT;
}

void ia64_state_reset(struct ia64_state *st, uint64_t entry)
{
    memset(st, 0, sizeof(*st));
    st->pr[0] = true;
    st->ip = entry;
}

enum ia64_outcome x_nat_fault(struct xctx *x, uint64_t isr_access)
{
    return x_fault(x, IA64_IVT_NAT, 0x10 | isr_access, "register NaT consumption");
}

enum ia64_outcome x_setgr(struct xctx *x, unsigned r, uint64_t v)
{
    return x_setgr_nat(x, r, v, false);
}

enum ia64_outcome x_setgr_nat(struct xctx *x, unsigned r, uint64_t v, bool nat_in)
{
    if (r == 0)
        return x_fault(x, IA64_IVT_GENERAL, IA64_GE_ILLEGAL, "illegal operation: write to r0");
    bool *nat;
    uint64_t *p = ia64_grp(x->st, r, &nat);
    if (!p)
        return x_fault(x, IA64_IVT_GENERAL, IA64_GE_ILLEGAL,
                       "illegal operation: write outside the current frame");
    *p = v;
    *nat = nat_in;
    return IA64_X_OK;
}

enum ia64_outcome x_unimpl(struct xctx *x, const char *what)
{
    snprintf(x->res->reason, sizeof(x->res->reason), "%s is not executed yet", what);
    return IA64_X_UNIMPLEMENTED;
}

/* Which function runs each form; NULL: not executed yet. */
static exec_fn handler(unsigned form)
{
    switch (ia64_forms[form].fmt) {
    case FMT_A1:
    case FMT_A1_1:
        return x_a1;
    case FMT_A2:
        return x_a2;
    case FMT_A3:
        return x_a3;
    case FMT_A4:
    case FMT_A5:
        return x_adds;
    case FMT_A6:
    case FMT_A7:
    case FMT_A8:
        return x_cmp;
    case FMT_M1:
    case FMT_M2:
    case FMT_M3:
        return x_load;
    case FMT_M4:
    case FMT_M5:
        return x_store;
    case FMT_M16:
    case FMT_M16X:
    case FMT_M17:
        return x_semaphore;
    case FMT_X2:
        return x_movl;
    case FMT_BR:
    case FMT_BR_IND:
    case FMT_BRL:
    case FMT_BR_CALL:
    case FMT_BR_CALLI:
    case FMT_BRL_CALL:
        return x_branch;
    case FMT_MOVBR:
        return x_movbr;
    case FMT_EXTR:
    case FMT_DEPZ:
        return x_shift;
    default:
        break;
    }
    if (form >= IA64_TBIT_Z && form <= IA64_TNAT_NZ_ORCM)
        return x_tbit;
    switch (form) {
    case IA64_SHL_R:
    case IA64_SHR_R:
    case IA64_SHRU_R:
    case IA64_SHRP:
    case IA64_DEP_Z_I:
    case IA64_DEP_I:
    case IA64_DEP:
        return x_shift;
    default:
        return x_misc;
    }
}

static bool is_branch(unsigned form)
{
    enum ia64_fmt f = ia64_forms[form].fmt;
    return f == FMT_BR || f == FMT_BR_IND || f == FMT_BR_CALL || f == FMT_BR_CALLI ||
           f == FMT_BRL || f == FMT_BRL_CALL;
}

/* Compares and tbit write their predicates even when qp is false (.unc). */
static bool runs_when_false(unsigned form)
{
    enum ia64_fmt f = ia64_forms[form].fmt;
    return f == FMT_A6 || f == FMT_A7 || f == FMT_A8 ||
           (form >= IA64_TBIT_Z && form <= IA64_TNAT_NZ_ORCM);
}

void ia64_execute(struct ia64_state *st, const struct ia64_bundle *b, const struct ia64_mem *mem,
                  struct ia64_exec_result *res)
{
    memset(res, 0, sizeof(*res));
    struct xctx x = {.st = st, .mem = mem, .res = res, .ip = st->ip};
    res->first_slot = res->end_slot = st->ri;
    if (b->reserved) {
        res->outcome =
            x_fault(&x, IA64_IVT_GENERAL, IA64_GE_ILLEGAL, "illegal operation: reserved template");
        return;
    }
    /* An MLX bundle holds two instructions: slot 0 and the L+X one, which
     * is slot 1 for IPSR.ri and ISR.ei; resuming it at slot 2 is an
     * illegal operation (SDM Vol. 3, rfi). */
    bool mlx = b->unit[1] == U_L;
    unsigned last = mlx ? 1 : 2;
    if (st->ri > last) {
        res->slot = st->ri;
        res->outcome = x_fault(&x, IA64_IVT_GENERAL, IA64_GE_ILLEGAL,
                               "illegal operation: resuming an MLX bundle at slot 2");
        return;
    }
    for (unsigned i = st->ri; i <= last; i++) {
        const struct ia64_insn *in = &b->insn[mlx && i == 1 ? 2 : i];
        x.slot = i;
        res->slot = i;
        if (in->form >= IA64_NFORMS) {
            res->outcome = x_fault(&x, IA64_IVT_GENERAL, IA64_GE_ILLEGAL,
                                   "illegal operation: unsupported or reserved encoding");
            st->ri = i;
            return;
        }
        x.qp = st->pr[in->qp];
        enum ia64_outcome o = IA64_X_OK;
        if (x.qp || runs_when_false(in->form)) {
            o = ia64_priv_check(&x, in);
            if (o == IA64_X_OK)
                o = handler(in->form)(&x, in);
        } else if (is_branch(in->form)) {
            ia64_branch_not_taken(&x, in);
        }
        if (o != IA64_X_OK) {
            res->outcome = o;
            st->ri = i;
            return;
        }
        res->retired++;
        res->end_slot = i + 1;
        st->pr[0] = true;
        /* PSR.da, dd, ia, id and ed last for one instruction (SDM Vol. 2
         * 3.3.2); rfi is the instruction that sets them. */
        if (in->form != IA64_RFI)
            st->psr &= ~(IA64_PSR_DA | IA64_PSR_DD | IA64_PSR_IA | 1ull << 37 | 1ull << 43);
        /* Single step: a trap after every instruction but rfi (SDM Vol. 2
         * 5.6; ISR.code bit 3), its IIP the next instruction. */
        if ((st->psr & IA64_PSR_SS) && in->form != IA64_RFI) {
            st->ip = x.redirect ? x.next_ip : i == last ? st->ip + 16 : st->ip;
            st->ri = x.redirect ? x.next_ri : i == last ? 0 : i + 1;
            res->outcome = x_fault(&x, IA64_IVT_SSTEP, 0x8, "single step trap");
            res->fault.trap = true;
            return;
        }
        if (x.redirect) {
            st->ip = x.next_ip;
            st->ri = x.next_ri;
            return;
        }
    }
    st->ip += 16;
    st->ri = 0;
}
