/*
 * exec_mem.c - integer loads, stores and semaphores.  Addresses are
 * translated when PSR.dt is set (mmu.c) and must be naturally aligned
 * (otherwise the Unaligned Data Reference fault: this model takes it for
 * every misaligned access, as software must be ready to on Itanium 2).
 * Speculative, advanced and check loads execute as ordinary loads (no
 * ALAT, no deferred faults); ordering completers (.acq, .rel) need nothing
 * in a sequentially consistent model; fill/spill move the NaT bit through
 * ar.unat.
 */
#include "model/cpu/ia64/exec_impl.h"

#include "model/cpu/ia64/mmu.h"

#define AR_UNAT 36
#define AR_CCV  32

/* The physical address of a data access, or a fault outcome. */
static enum ia64_outcome data_pa(struct xctx *x, uint64_t va, unsigned size, unsigned acc,
                                 uint64_t *pa)
{
    if (va & (size - 1)) {
        x_fault(x, IA64_IVT_UNALIGNED, acc & IA64_ACC_W ? 1ull << 33 : 1ull << 34,
                "unaligned data reference");
        x->res->fault.writes = IA64_FW_IFA;
        x->res->fault.ifa = va;
        return IA64_X_FAULT;
    }
    if (!(x->st->psr & IA64_PSR_DT) || !x->mem->mmu) {
        *pa = va & ~(1ull << 63); /* physical addressing: bit 63 selects uncacheable */
        return IA64_X_OK;
    }
    unsigned cycles;
    struct ia64_fault f;
    if (ia64_translate(x->mem->mmu, x->st, va, acc, 0, pa, &f, &cycles) != 0) {
        x_fault(x, f.vector, f.isr, "data translation fault");
        x->res->fault = f;
        return IA64_X_FAULT;
    }
    x->res->stall += cycles;
    x->res->tlb_stall += cycles;
    return IA64_X_OK;
}

static enum ia64_outcome rd(struct xctx *x, uint64_t pa, unsigned size, uint64_t *v)
{
    unsigned lat = 0;
    if (!x->mem->read || x->mem->read(x->mem->ctx, pa, size, v, &lat) != 0) {
        snprintf(x->res->reason, sizeof(x->res->reason), "load of %u bytes at 0x%llx", size,
                 (unsigned long long)pa);
        return IA64_X_MEMORY;
    }
    if (lat > x->res->lat[x->slot])
        x->res->lat[x->slot] = lat;
    return IA64_X_OK;
}

static enum ia64_outcome wr(struct xctx *x, uint64_t pa, unsigned size, uint64_t v)
{
    unsigned lat = 0;
    if (!x->mem->write || x->mem->write(x->mem->ctx, pa, size, v, &lat) != 0) {
        snprintf(x->res->reason, sizeof(x->res->reason), "store of %u bytes at 0x%llx", size,
                 (unsigned long long)pa);
        return IA64_X_MEMORY;
    }
    if (lat > x->res->lat[x->slot])
        x->res->lat[x->slot] = lat;
    return IA64_X_OK;
}

enum ia64_outcome x_load(struct xctx *x, const struct ia64_insn *in)
{
    struct ia64_state *st = x->st;
    uint64_t addr = ia64_gr(st, in->r3), v, pa;
    unsigned size = 1u << in->size;
    if (ia64_nat(st, in->r3))
        return x_nat_fault(x, 1ull << 34);
    enum ia64_outcome o = data_pa(x, addr, size, IA64_ACC_R, &pa);
    if (o == IA64_X_OK)
        o = rd(x, pa, size, &v);
    if (o == IA64_X_OK)
        o = x_setgr(x, in->r1, v);
    if (o != IA64_X_OK)
        return o;
    if (in->form == IA64_LDFILL || in->form == IA64_LDFILL_R || in->form == IA64_LDFILL_RH ||
        in->form == IA64_LDFILL_I || in->form == IA64_LDFILL_IH) {
        bool *nat;
        if (ia64_grp(st, in->r1, &nat))
            *nat = (st->ar[AR_UNAT] >> ((addr >> 3) & 63)) & 1;
    }
    if (ia64_forms[in->form].fmt == FMT_M2)
        return in->r3 == in->r1 ? IA64_X_OK : x_setgr(x, in->r3, addr + ia64_gr(st, in->r2));
    if (ia64_forms[in->form].fmt == FMT_M3)
        return in->r3 == in->r1 ? IA64_X_OK : x_setgr(x, in->r3, addr + (uint64_t)in->imm);
    return IA64_X_OK;
}

enum ia64_outcome x_store(struct xctx *x, const struct ia64_insn *in)
{
    struct ia64_state *st = x->st;
    uint64_t addr = ia64_gr(st, in->r3), pa;
    unsigned size = 1u << in->size;
    bool spill =
        in->form == IA64_STSPILL || in->form == IA64_STSPILL_I || in->form == IA64_STSPILL_IH;
    /* A NaT address, or a NaT value other than spilled, is consumed. */
    if (ia64_nat(st, in->r3) || (!spill && ia64_nat(st, in->r2)))
        return x_nat_fault(x, 1ull << 33);
    enum ia64_outcome o = data_pa(x, addr, size, IA64_ACC_W, &pa);
    if (o == IA64_X_OK)
        o = wr(x, pa, size, ia64_gr(st, in->r2));
    if (o != IA64_X_OK)
        return o;
    if (spill) {
        uint64_t m = 1ull << ((addr >> 3) & 63);
        st->ar[AR_UNAT] = ia64_nat(st, in->r2) ? st->ar[AR_UNAT] | m : st->ar[AR_UNAT] & ~m;
    }
    if (ia64_forms[in->form].fmt == FMT_M5)
        return x_setgr(x, in->r3, addr + (uint64_t)in->imm);
    return IA64_X_OK;
}

/* cmpxchg, xchg and fetchadd: one read-modify-write (SDM Vol. 3 pages):
 * r1 gets the old value; cmpxchg stores r2 when the old value equals
 * ar.ccv (zero-extended to the size), xchg always stores r2, fetchadd
 * stores old + inc. */
enum ia64_outcome x_semaphore(struct xctx *x, const struct ia64_insn *in)
{
    struct ia64_state *st = x->st;
    uint64_t addr = ia64_gr(st, in->r3), pa, old;
    unsigned size = 1u << in->size;
    uint64_t mask = size == 8 ? ~0ull : (1ull << (8 * size)) - 1;
    if (ia64_nat(st, in->r3) || (ia64_forms[in->form].fmt != FMT_M17 && ia64_nat(st, in->r2)))
        return x_nat_fault(x, 3ull << 33);
    enum ia64_outcome o = data_pa(x, addr, size, IA64_ACC_R | IA64_ACC_W, &pa);
    if (o == IA64_X_OK)
        o = rd(x, pa, size, &old);
    if (o != IA64_X_OK)
        return o;
    bool store = true;
    uint64_t nv = ia64_gr(st, in->r2);
    if (ia64_forms[in->form].fmt == FMT_M17)
        nv = old + (uint64_t)in->imm;
    else if (ia64_forms[in->form].fmt == FMT_M16)
        store = old == (st->ar[AR_CCV] & mask);
    if (store && (o = wr(x, pa, size, nv & mask)) != IA64_X_OK)
        return o;
    return x_setgr(x, in->r1, old);
}
