/*
 * exec_tlb.c - the translation forms: region register moves, TLB inserts
 * (itc, itr) and purges (ptc.l/g/ga/e, ptr), and the queries thash, ttag,
 * tpa, tak and probe (SDM Vol. 3, one page each; mmu.c does the work).
 */
#include "model/cpu/ia64/exec_impl.h"

#include "model/cpu/ia64/mmu.h"
#include "model/cache/memsys.h"

/* The reserved bits of a region register: all but ve{0}, ps{7:2} and
 * rid{31:8} (SDM Vol. 2 4.1.2). */
#define RR_MASK 0xfffffffdull

static unsigned r2_of(const struct ia64_insn *in)
{
    return (unsigned)(in->raw >> 13) & 127;
}

static unsigned r3_of(const struct ia64_insn *in)
{
    return (unsigned)(in->raw >> 20) & 127;
}

static enum ia64_outcome reserved(struct xctx *x, const char *why)
{
    return x_fault(x, IA64_IVT_GENERAL, IA64_GE_RESERVED, why);
}

/* A translation fault from a non-access form (tpa, probe). */
static enum ia64_outcome xlate(struct xctx *x, uint64_t va, unsigned code, uint64_t *pa)
{
    unsigned cycles;
    struct ia64_fault f;
    if (ia64_translate(x->mem->mmu, x->st, va, IA64_ACC_NA, code, pa, &f, &cycles) != 0) {
        x_fault(x, f.vector, f.isr, "translation fault");
        x->res->fault = f;
        return IA64_X_FAULT;
    }
    x->res->stall += cycles;
    x->res->tlb_stall += cycles;
    return IA64_X_OK;
}

/*
 * fc r3, fc.i r3 (SDM Vol. 3 fc, fc.i): a non-access data reference
 * (ISR.code 1 on a translation fault; the non-access codes are tpa 0,
 * fc 1, probe 2, SDM Vol. 2 5.5.2);
 * fc flushes the line from every level of every processor in the coherence
 * domain, writing it back if dirty; fc.i makes the instruction caches
 * coherent with the data caches for it.  Uncacheable addresses (physical
 * with bit 63 set) have nothing to flush.  The decoded-bundle cache is
 * invalidated by writes, not by fc, so it is never stale either way.
 */
enum ia64_outcome x_fc(struct xctx *x, const struct ia64_insn *in)
{
    unsigned r3 = r3_of(in);
    if (ia64_nat(x->st, r3))
        return x_nat_fault(x, 1ull << 35 | 1);
    uint64_t va = ia64_gr(x->st, r3), pa = va & ~(1ull << 63);
    if ((x->st->psr & IA64_PSR_DT) && x->mem->mmu) {
        enum ia64_outcome o = xlate(x, va, 1, &pa);
        if (o != IA64_X_OK)
            return o;
    } else if (va >> 63) {
        return IA64_X_OK;
    }
    if (x->mem->flush)
        x->res->stall +=
            x->mem->flush(x->mem->ctx, pa, in->form == IA64_FC_I ? FLUSH_LINE_ICACHE : FLUSH_LINE);
    return IA64_X_OK;
}

enum ia64_outcome x_tlb(struct xctx *x, const struct ia64_insn *in)
{
    struct ia64_state *st = x->st;
    struct ia64_mmu *m = x->mem->mmu;
    uint64_t a2 = ia64_gr(st, r2_of(in)), a3 = ia64_gr(st, r3_of(in));
    unsigned ps = (unsigned)(a2 >> 2) & 63;
    if (!m)
        return x_unimpl(x, "a translation form on a hart without an MMU");
    /* Inserts, purges and region writes consume their registers; the
     * queries (thash, ttag, tpa, tak, probe) defer a NaT to their result. */
    bool query = in->form == IA64_THASH || in->form == IA64_TTAG || in->form == IA64_TPA ||
                 in->form == IA64_TAK || in->form == IA64_PROBE_R || in->form == IA64_PROBE_W ||
                 in->form == IA64_MOV_FROM_RR;
    if (!query && (ia64_nat(st, r2_of(in)) || ia64_nat(st, r3_of(in))))
        return x_nat_fault(x, 0);
    switch (in->form) {
    case IA64_MOV_TO_RR:
        if (a2 & ~RR_MASK || !ia64_page_size_ok((unsigned)(a2 >> 2) & 63))
            return reserved(x, "reserved register field: region register");
        st->rr[a3 >> 61] = a2;
        m->generation++;
        return IA64_X_OK;
    case IA64_MOV_FROM_RR:
        return x_setgr(x, in->r1, st->rr[a3 >> 61]);
    case IA64_ITC_D:
    case IA64_ITC_I:
    case IA64_ITR_D:
    case IA64_ITR_I: {
        /* Inserts need PSR.ic = 0: IFA and ITIR are interruption state. */
        if (st->psr & IA64_PSR_IC)
            return x_fault(x, IA64_IVT_GENERAL, IA64_GE_ILLEGAL,
                           "illegal operation: insert with ic");
        bool tr = in->form == IA64_ITR_D || in->form == IA64_ITR_I;
        unsigned d = in->form == IA64_ITC_D || in->form == IA64_ITR_D;
        if (tr && (a3 & 0xff) >= IA64_NTR)
            return reserved(x, "reserved register field: translation register number");
        if (ia64_mmu_insert(m, st, d, tr, (unsigned)a3 & 0xff, a2) != 0)
            return reserved(x, "reserved register field: page size");
        return IA64_X_OK;
    }
    case IA64_PTC_L:
        ia64_mmu_purge(m, ia64_rid(st, a3), a3, ps);
        return IA64_X_OK;
    case IA64_PTC_G:
    case IA64_PTC_GA:
        if (x->mem->purge_global)
            x->mem->purge_global(x->mem->ctx, ia64_rid(st, a3), a3, ps);
        else
            ia64_mmu_purge(m, ia64_rid(st, a3), a3, ps);
        return IA64_X_OK;
    case IA64_PTC_E:
        ia64_mmu_purge_all(m);
        return IA64_X_OK;
    case IA64_PTR_D:
    case IA64_PTR_I:
        ia64_mmu_purge_tr(m, st, in->form == IA64_PTR_D, a3, ps);
        return IA64_X_OK;
    case IA64_THASH:
        return x_setgr(x, in->r1, ia64_thash(st, a3));
    case IA64_TTAG:
        return x_setgr(x, in->r1, ia64_ttag(st, a3));
    case IA64_TPA: { /* ISR.code 0 for tpa (shared/reference ia64-facts 2.2) */
        uint64_t pa;
        enum ia64_outcome o = xlate(x, a3, 0, &pa);
        return o != IA64_X_OK ? o : x_setgr(x, in->r1, pa);
    }
    case IA64_TAK:
        return x_setgr(x, in->r1, st->psr & IA64_PSR_DT ? ia64_mmu_key(m, st, a3) : 1);
    case IA64_PROBE_R:
    case IA64_PROBE_W: {
        /* r1 = 1 when the page allows the access at privilege max(cpl,
         * r2{1:0}); with data translation off every address is open. */
        if (!(st->psr & IA64_PSR_DT))
            return x_setgr(x, in->r1, 1);
        uint64_t pa;
        enum ia64_outcome o = xlate(x, a3, 2, &pa);
        if (o != IA64_X_OK)
            return o;
        unsigned pl = (unsigned)a2 & 3, cpl = ia64_cpl(st);
        bool ok = ia64_rights_ok(m->last_pte, pl > cpl ? pl : cpl,
                                 in->form == IA64_PROBE_R ? IA64_ACC_R : IA64_ACC_W);
        return x_setgr(x, in->r1, ok);
    }
    default:
        return x_unimpl(x,
                        ia64_forms[in->form].mnemonic + (ia64_forms[in->form].mnemonic[0] == '!'));
    }
}
