/*
 * priv.c - the checks a form passes before it executes: privileged
 * operations at PSR.cpl != 0 (General Exception, Privileged Operation or
 * Privileged Register) and, with PSR.vm = 1, the VT-i virtualization fault
 * (IVT 0x6100) that hands the VMM the instruction instead of running it.
 *
 * One row per form: whether it is privileged and its virtualization cause
 * code.  Causes are the VMAL 2.0 numbers Xen and KVM use
 * (shared/reference ia64-facts 7); privileged forms check cpl first, then
 * vm (SDM Vol. 3, the pages of mov cr, mov psr, bsw, itr).  Unprivileged
 * forms that VT-i still intercepts (thash, ttag, mov =cpuid) fault on vm
 * alone; cover only at cpl 0.
 *
 * Application registers: writes to ar.k0-k7 and ar.itc are privileged,
 * as are reads of ar.itc when PSR.si = 1 (SDM Vol. 2 3.3.2, Vol. 3 mov
 * ar).  Of the AR moves VT-i intercepts, this model intercepts those of
 * ar.itc, the one the VMMs above emulate; the others run on the machine.
 */
#include "model/cpu/ia64/exec_impl.h"

enum {
    PRIV = 1,    /* privileged operation fault at cpl != 0 */
    VIRT = 2,    /* virtualization fault with PSR.vm = 1 */
    CPL0VM = 4,  /* ...and only at cpl 0 (cover) */
    AR_RULES = 8 /* privilege and interception depend on the AR (see above) */
};

struct priv_row {
    uint8_t flags, cause;
};

#define ROW(form, flags_, cause_) [IA64_##form] = {flags_, cause_}
static const struct priv_row rows[IA64_NFORMS] = {
    ROW(MOV_TO_AR_M, AR_RULES, 1),
    ROW(MOV_TO_AR_I, AR_RULES, 1),
    ROW(MOV_TO_AR_II, AR_RULES, 2),
    ROW(MOV_FROM_AR_M, AR_RULES, 3),
    ROW(MOV_FROM_AR_I, AR_RULES, 3),
    ROW(MOV_TO_CR, PRIV | VIRT, 4),
    ROW(MOV_FROM_CR, PRIV | VIRT, 5),
    ROW(MOV_TO_PSRL, PRIV | VIRT, 6),
    ROW(MOV_FROM_PSR, PRIV | VIRT, 7),
    ROW(ITC_D, PRIV | VIRT, 8),
    ROW(ITC_I, PRIV | VIRT, 9),
    ROW(MOV_TO_RR, PRIV | VIRT, 10),
    ROW(MOV_TO_PKR, PRIV | VIRT, 13),
    ROW(MOV_TO_PMC, PRIV | VIRT, 14),
    ROW(MOV_TO_PMD, PRIV | VIRT, 15),
    ROW(ITR_D, PRIV | VIRT, 16),
    ROW(ITR_I, PRIV | VIRT, 17),
    ROW(MOV_FROM_RR, PRIV | VIRT, 18),
    ROW(MOV_FROM_PKR, PRIV | VIRT, 21),
    ROW(MOV_FROM_PMC, PRIV | VIRT, 22),
    ROW(MOV_FROM_CPUID, VIRT, 23),
    ROW(SSM, PRIV | VIRT, 24),
    ROW(RSM, PRIV | VIRT, 25),
    ROW(PTC_L, PRIV | VIRT, 26),
    ROW(PTC_G, PRIV | VIRT, 27),
    ROW(PTC_GA, PRIV | VIRT, 28),
    ROW(PTR_D, PRIV | VIRT, 29),
    ROW(PTR_I, PRIV | VIRT, 30),
    ROW(THASH, VIRT, 31),
    ROW(TTAG, VIRT, 32),
    ROW(TPA, PRIV | VIRT, 33),
    ROW(TAK, PRIV | VIRT, 34),
    ROW(PTC_E, PRIV | VIRT, 35),
    ROW(COVER, VIRT | CPL0VM, 36),
    ROW(RFI, PRIV | VIRT, 37),
    ROW(BSW_0, PRIV | VIRT, 38),
    ROW(BSW_1, PRIV | VIRT, 39),
};
#undef ROW

#define AR_ITC 44

/* The AR rules: returns the flags that apply to this move. */
static unsigned ar_flags(const struct ia64_state *st, const struct ia64_insn *in)
{
    unsigned ar = (unsigned)(in->raw >> 20) & 127;
    bool write = in->form != IA64_MOV_FROM_AR_M && in->form != IA64_MOV_FROM_AR_I;
    unsigned f = ar == AR_ITC ? VIRT : 0;
    if (write && (ar < 8 || ar == AR_ITC))
        f |= PRIV;
    if (!write && ar == AR_ITC && (st->psr & IA64_PSR_SI))
        f |= PRIV;
    return f;
}

enum ia64_outcome ia64_priv_check(struct xctx *x, const struct ia64_insn *in)
{
    const struct priv_row *r = &rows[in->form];
    if (!r->flags)
        return IA64_X_OK;
    const struct ia64_state *st = x->st;
    unsigned f = r->flags & AR_RULES ? ar_flags(st, in) : r->flags;
    unsigned cpl = ia64_cpl(st);
    if ((f & PRIV) && cpl != 0)
        return x_fault(x, IA64_IVT_GENERAL, r->flags & AR_RULES ? IA64_GE_PRIVREG : IA64_GE_PRIVOP,
                       "privileged operation at cpl != 0");
    if ((f & VIRT) && (st->psr & IA64_PSR_VM) && (!(f & CPL0VM) || cpl == 0)) {
        x_fault(x, IA64_IVT_VIRT, 0, "virtualization fault");
        x->res->fault.cause = r->cause;
        x->res->fault.opcode = in->raw;
        return IA64_X_FAULT;
    }
    return IA64_X_OK;
}
