/*
 * exec_sys.c - the system forms: PSR, control, application and region
 * register moves, ssm/rsm, rfi, cover, bank switches, serialization and
 * fences; TLB forms go on to exec_tlb.c.  Privilege and VT-i checks have
 * already run (priv.c).
 */
#include "model/cpu/ia64/exec_impl.h"

#include "model/cpu/bpred/bpred.h"
#include "model/cpu/ia64/mmu.h"

#define CFM_MASK ((1ull << 38) - 1)

/* The user mask: be, up, ac, mfl, mfh; the system mask: PSR{23:0} but its
 * reserved bits 0, 6-12 and 16. */
#define UM_BITS 0x3eull
#define SM_BITS (0xffffffull & ~(1ull | 0x1fc0ull | 1ull << 16))

/* Control registers that exist (SDM Vol. 2 3.3.5; IIB0/1 are not
 * implemented): dcr, itm, iva, pta, ipsr, isr, iip-iha, lid-cmcv, lrr0-1. */
static bool cr_exists(unsigned cr)
{
    return cr <= 2 || cr == 8 || cr == 16 || cr == 17 || (cr >= 19 && cr <= 25) ||
           (cr >= 64 && cr <= 74) || cr == 80 || cr == 81;
}

/* The ones the hart's devices back (extint.c). */
static bool device_cr(unsigned cr)
{
    return cr == 1 || (cr >= 64 && cr <= 72);
}

/* CPUID registers of an Itanium 2 (Madison): vendor "GenuineIntel" in
 * cpuid0-1, cpuid3 = number of the last register (4), revision, model 1,
 * family 0x1f (doc. 251110, "CPUID Registers"; SDM Vol. 1 3.1.11);
 * cpuid4 bit 0: long branch (brl) implemented. */
static const uint64_t cpuid[5] = {0x49656e69756e6547ull, 0x6c65746eull, 0, 0x1f010004ull, 1};

#define AR_RSC      16
#define AR_BSP      17
#define AR_BSPSTORE 18
#define AR_RNAT     19
#define AR_ITC      44

/* Writes with side effects (SDM Vol. 3, mov ar): BSP is read-only;
 * BSPSTORE and RNAT need RSC.mode = 0; a BSPSTORE write moves BSP with
 * it; RNAT bit 63 reads 0; ar.itc is kept as an offset from the cycle
 * count. */
static enum ia64_outcome set_ar(struct xctx *x, unsigned ar, uint64_t v)
{
    struct ia64_state *st = x->st;
    switch (ar) {
    case AR_BSP:
        return x_fault(x, IA64_IVT_GENERAL, IA64_GE_ILLEGAL, "illegal operation: write to ar.bsp");
    case AR_BSPSTORE:
    case AR_RNAT:
        if (st->ar[AR_RSC] & 3)
            return x_fault(x, IA64_IVT_GENERAL, IA64_GE_ILLEGAL,
                           "illegal operation: ar.bspstore/rnat write with RSC.mode != 0");
        if (ar == AR_BSPSTORE)
            ia64_rse_set_bspstore(st, v);
        else
            st->ar[AR_RNAT] = v & ~(1ull << 63);
        return IA64_X_OK;
    case AR_ITC:
        st->itc_delta += v - st->ar[AR_ITC];
        st->ar[AR_ITC] = v;
        return IA64_X_OK;
    default:
        st->ar[ar] = v;
        return IA64_X_OK;
    }
}

enum ia64_outcome x_sys(struct xctx *x, const struct ia64_insn *in)
{
    struct ia64_state *st = x->st;
    uint64_t s = in->raw;
    /* Moves into system state cannot take a NaT (SDM Vol. 3, mov). */
    switch (in->form) {
    case IA64_MOV_TO_CR:
    case IA64_MOV_TO_PSRL:
    case IA64_MOV_TO_PSRUM:
    case IA64_MOV_TO_AR_I:
    case IA64_MOV_TO_AR_M:
    case IA64_MOV_TO_PMC:
    case IA64_MOV_TO_PMD:
        if (ia64_nat(st, (unsigned)(s >> 13) & 127))
            return x_nat_fault(x, 0);
        break;
    default:
        break;
    }
    switch (in->form) {
    /* Serialization and fences need no work in this model. */
    case IA64_SRLZ_I:
    case IA64_SRLZ_D:
    case IA64_SYNC_I:
    case IA64_MF:
        return IA64_X_OK;
    case IA64_FC:
    case IA64_FC_I:
        return x_fc(x, in);
    case IA64_MOV_TO_CR:
    case IA64_MOV_FROM_CR: {
        unsigned cr = (unsigned)(s >> 20) & 127;
        bool to = in->form == IA64_MOV_TO_CR;
        uint64_t v = to ? ia64_gr(st, (unsigned)(s >> 13) & 127) : 0;
        if (!cr_exists(cr))
            return x_fault(x, IA64_IVT_GENERAL, IA64_GE_RESERVED, "reserved control register");
        /* The interruption registers are only stable with PSR.ic = 0
         * (SDM Vol. 3, mov cr). */
        if (cr >= 16 && cr <= 27 && (st->psr & IA64_PSR_IC))
            return x_fault(x, IA64_IVT_GENERAL, IA64_GE_ILLEGAL,
                           "illegal operation: interruption register access with ic = 1");
        if (!device_cr(cr) || !x->mem->sysreg_read) {
            if (to)
                st->cr[cr] = v;
            return to ? IA64_X_OK : x_setgr(x, in->r1, st->cr[cr]);
        }
        if (to)
            return x->mem->sysreg_write(x->mem->ctx, IA64_SR_CR, cr, v) == 0
                       ? IA64_X_OK
                       : x_fault(x, IA64_IVT_GENERAL, IA64_GE_RESERVED, "reserved register field");
        x->mem->sysreg_read(x->mem->ctx, IA64_SR_CR, cr, &v);
        return x_setgr(x, in->r1, v);
    }
    case IA64_MOV_TO_PMC:
    case IA64_MOV_TO_PMD:
    case IA64_MOV_FROM_PMC:
    case IA64_MOV_FROM_PMD: {
        if (!x->mem->sysreg_read)
            return x_unimpl(x, "performance monitors on a hart without them");
        unsigned kind = in->form == IA64_MOV_TO_PMC || in->form == IA64_MOV_FROM_PMC ? IA64_SR_PMC
                                                                                     : IA64_SR_PMD;
        bool to = in->form == IA64_MOV_TO_PMC || in->form == IA64_MOV_TO_PMD;
        unsigned idx = (unsigned)ia64_gr(st, (unsigned)(s >> 20) & 127) & 0xff;
        uint64_t v = ia64_gr(st, (unsigned)(s >> 13) & 127);
        if (to)
            return x->mem->sysreg_write(x->mem->ctx, kind, idx, v) == 0
                       ? IA64_X_OK
                       : x_fault(x, IA64_IVT_GENERAL, IA64_GE_RESERVED, "reserved register field");
        x->mem->sysreg_read(x->mem->ctx, kind, idx, &v);
        return x_setgr(x, in->r1, v);
    }
    case IA64_MOV_FROM_CPUID: {
        unsigned idx = (unsigned)ia64_gr(st, (unsigned)(s >> 20) & 127);
        if (idx > 4)
            return x_fault(x, IA64_IVT_GENERAL, IA64_GE_RESERVED, "reserved register: cpuid");
        return x_setgr(x, in->r1, cpuid[idx]);
    }
    case IA64_MOV_TO_PSRL:
        st->psr =
            (st->psr & ~0xffffffffull) | (ia64_gr(st, (unsigned)(s >> 13) & 127) & 0xffffffffull);
        return IA64_X_OK;
    case IA64_MOV_FROM_PSR: /* PSR{31:0} and {36:35} (SDM2 Table 3-1) */
        return x_setgr(x, in->r1, st->psr & (0xffffffffull | 3ull << 35));
    case IA64_SSM:
    case IA64_RSM:
    case IA64_SUM:
    case IA64_RUM: {
        uint64_t imm = ((s >> 36) & 1) << 23 | ((s >> 31) & 3) << 21 | ((s >> 6) & 0x1fffff);
        /* The system mask is PSR{23:0}, the user mask PSR{5:1}; setting a
         * reserved bit is a Reserved Register/Field fault (SDM Vol. 2
         * 3.3.2, shared/reference ia64-facts 3). */
        bool user = in->form == IA64_SUM || in->form == IA64_RUM;
        if (imm & (user ? ~UM_BITS : ~SM_BITS))
            return x_fault(x, IA64_IVT_GENERAL, IA64_GE_RESERVED, "reserved PSR field");
        bool set = in->form == IA64_SSM || in->form == IA64_SUM;
        st->psr = set ? st->psr | imm : st->psr & ~imm;
        return IA64_X_OK;
    }
    case IA64_MOV_TO_PSRUM: {
        uint64_t v = ia64_gr(st, (unsigned)(s >> 13) & 127);
        if (v & 0x3f & ~UM_BITS)
            return x_fault(x, IA64_IVT_GENERAL, IA64_GE_RESERVED, "reserved PSR field");
        st->psr = (st->psr & ~UM_BITS) | (v & UM_BITS);
        return IA64_X_OK;
    }
    case IA64_MOV_FROM_PSRUM:
        return x_setgr(x, in->r1, st->psr & UM_BITS);
    case IA64_CLRRRB: /* no rotation is modelled: the rename bases are 0 already */
        st->cfm &= (1ull << 18) - 1;
        return IA64_X_OK;
    case IA64_EPC: { /* promote to the page's privilege if it is execute-only (ar 7) */
        uint64_t pa, pte;
        unsigned cycles;
        struct ia64_fault f;
        if (!(st->psr & IA64_PSR_IT) || !x->mem->mmu ||
            ia64_translate(x->mem->mmu, st, x->ip, IA64_ACC_X, 0, &pa, &f, &cycles) != 0)
            return x_fault(x, IA64_IVT_GENERAL, IA64_GE_ILLEGAL,
                           "illegal operation: epc outside an execute-only page");
        pte = x->mem->mmu->last_pte;
        unsigned pl = (unsigned)(pte >> 7) & 3;
        if (((pte >> 9) & 7) != 7)
            return x_fault(x, IA64_IVT_GENERAL, IA64_GE_ILLEGAL,
                           "illegal operation: epc outside an execute-only page");
        if (pl < ia64_cpl(st))
            st->psr = (st->psr & ~(3ull << IA64_PSR_CPL_SHIFT)) | (uint64_t)pl
                                                                      << IA64_PSR_CPL_SHIFT;
        return IA64_X_OK;
    }
    case IA64_BSW_0:
    case IA64_BSW_1:
        ia64_switch_bank(st, in->form == IA64_BSW_1);
        return IA64_X_OK;
    case IA64_COVER: /* the frame joins the dirty partition; IFS records it when ic = 0 */
        if (!(st->psr & IA64_PSR_IC))
            st->cr[23] = (st->cfm & CFM_MASK) | 1ull << 63;
        st->ndirty += ia64_sof(st);
        st->bof = (st->bof + ia64_sof(st)) % IA64_STACKED;
        st->ar[17] = ia64_rse_skip(st->ar[17], (int)ia64_sof(st));
        st->cfm = 0;
        x->res->frame_changed = true;
        return IA64_X_OK;
    case IA64_RFI: { /* PSR <- IPSR, IP <- IIP at slot IPSR.ri, CFM <- IFS if valid */
        uint64_t ipsr = st->cr[16], ifs = st->cr[23];
        if (ifs >> 63) {
            unsigned sof = (unsigned)(ifs & 0x7f);
            enum ia64_outcome o = ia64_rse_fill(x, sof);
            if (o != IA64_X_OK)
                return o;
            st->ndirty -= sof;
            st->bof = (st->bof + IA64_STACKED - sof) % IA64_STACKED;
            st->ar[17] = ia64_rse_skip(st->ar[17], -(int)sof);
            st->cfm = ifs & CFM_MASK;
            x->res->frame_changed = true;
        }
        ia64_switch_bank(st, (unsigned)((ipsr >> 44) & 1));
        st->psr = ipsr;
        x->res->branch = true;
        x->res->taken = true;
        x->res->branch_kind = BR_INDIRECT;
        x->res->branch_ip = x->ip | x->slot;
        x->res->target = st->cr[19] & ~15ull;
        x->redirect = true;
        x->next_ip = st->cr[19] & ~15ull;
        x->next_ri = (unsigned)((ipsr >> IA64_PSR_RI_SHIFT) & 3);
        return IA64_X_OK;
    }
    case IA64_MOV_TO_AR_I:
    case IA64_MOV_TO_AR_M:
        return set_ar(x, (unsigned)(s >> 20) & 127, ia64_gr(st, (unsigned)(s >> 13) & 127));
    case IA64_MOV_TO_AR_II: {
        int64_t imm = (int64_t)((((s >> 36) & 1) << 7 | ((s >> 13) & 0x7f)) ^ 0x80) - 0x80;
        return set_ar(x, (unsigned)(s >> 20) & 127, (uint64_t)imm);
    }
    case IA64_FLUSHRS:
        return ia64_rse_flush(x);
    case IA64_LOADRS:
        return ia64_rse_loadrs(x);
    case IA64_MOV_FROM_AR_I:
    case IA64_MOV_FROM_AR_M:
        return x_setgr(x, in->r1, st->ar[(s >> 20) & 127]);
    default:
        return x_tlb(x, in);
    }
}
