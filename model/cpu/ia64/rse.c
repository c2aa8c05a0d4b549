/*
 * rse.c - the register stack engine: the 96 physical stacked registers
 * as a ring, the dirty partition below the current frame, and the
 * mandatory spills and fills to the backing store at ar.bspstore that
 * calls, allocs, returns, rfi, flushrs and loadrs need (SDM Vol. 2 6.5).
 *
 * The engine is modelled in enforced-lazy mode whatever RSC.mode says: it
 * moves registers only when an instruction cannot proceed otherwise (the
 * mode changes when, not what, memory holds).  Every 64th backing-store
 * slot (address bits 8:3 all ones) holds the NaT collection, ar.rnat:
 * it is stored as BSPSTORE reaches such a slot and loaded when a fill
 * steps back over one.  Accesses are translated with PSR.rt and go
 * through the hart's memory (cache model, timing).
 */
#include "model/cpu/ia64/exec_impl.h"

#include "model/cpu/ia64/mmu.h"

#define AR_RSC      16
#define AR_BSP      17
#define AR_BSPSTORE 18
#define AR_RNAT     19

static bool collection_slot(uint64_t addr)
{
    return ((addr >> 3) & 63) == 63;
}

uint64_t ia64_rse_skip(uint64_t addr, int n)
{
    for (; n > 0; n--) {
        addr += 8;
        if (collection_slot(addr))
            addr += 8;
    }
    for (; n < 0; n++) {
        addr -= 8;
        if (collection_slot(addr))
            addr -= 8;
    }
    return addr;
}

/* One 8-byte backing-store access. */
static enum ia64_outcome access(struct xctx *x, uint64_t va, bool write, uint64_t *val)
{
    uint64_t pa = va & ~(1ull << 63);
    if ((x->st->psr & IA64_PSR_RT) && x->mem->mmu) {
        unsigned cycles;
        struct ia64_fault f;
        if (ia64_translate(x->mem->mmu, x->st, va, write ? IA64_ACC_W : IA64_ACC_R, 0, &pa, &f,
                           &cycles) != 0) {
            x_fault(x, f.vector, f.isr | 1ull << 37, "register stack engine translation fault");
            x->res->fault = f;
            x->res->fault.isr |= 1ull << 37; /* ISR.rs: a mandatory RSE access */
            return IA64_X_FAULT;
        }
        x->res->stall += cycles;
        x->res->tlb_stall += cycles;
    }
    unsigned lat = 0;
    int rc = write ? (x->mem->write ? x->mem->write(x->mem->ctx, pa, 8, *val, &lat) : -1)
                   : (x->mem->read ? x->mem->read(x->mem->ctx, pa, 8, val, &lat) : -1);
    if (rc != 0) {
        snprintf(x->res->reason, sizeof(x->res->reason), "backing store access at 0x%llx",
                 (unsigned long long)pa);
        return IA64_X_MEMORY;
    }
    x->res->stall += lat > 1 ? lat - 1 : 0;
    return IA64_X_OK;
}

/* Store the oldest dirty register at BSPSTORE. */
static enum ia64_outcome spill_one(struct xctx *x)
{
    struct ia64_state *st = x->st;
    unsigned i = (st->bof + IA64_STACKED - st->ndirty) % IA64_STACKED;
    uint64_t a = st->ar[AR_BSPSTORE];
    enum ia64_outcome o = access(x, a, true, &st->stk[i]);
    if (o != IA64_X_OK)
        return o;
    uint64_t bit = 1ull << ((a >> 3) & 63);
    st->ar[AR_RNAT] = st->stk_nat[i] ? st->ar[AR_RNAT] | bit : st->ar[AR_RNAT] & ~bit;
    a += 8;
    if (collection_slot(a)) {
        uint64_t rnat = st->ar[AR_RNAT] & ~(1ull << 63);
        if ((o = access(x, a, true, &rnat)) != IA64_X_OK)
            return o;
        a += 8;
    }
    st->ar[AR_BSPSTORE] = a;
    st->ndirty--;
    x->res->rse_spills++;
    return IA64_X_OK;
}

/* Load the register just below the dirty partition from below BSPSTORE. */
static enum ia64_outcome fill_one(struct xctx *x)
{
    struct ia64_state *st = x->st;
    uint64_t a = st->ar[AR_BSPSTORE] - 8;
    enum ia64_outcome o;
    if (collection_slot(a)) {
        if ((o = access(x, a, false, &st->ar[AR_RNAT])) != IA64_X_OK)
            return o;
        st->ar[AR_RNAT] &= ~(1ull << 63);
        a -= 8;
    }
    unsigned i = (st->bof + 2 * IA64_STACKED - st->ndirty - 1) % IA64_STACKED;
    if ((o = access(x, a, false, &st->stk[i])) != IA64_X_OK)
        return o;
    st->stk_nat[i] = (st->ar[AR_RNAT] >> ((a >> 3) & 63)) & 1;
    st->ar[AR_BSPSTORE] = a;
    st->ndirty++;
    x->res->rse_fills++;
    return IA64_X_OK;
}

enum ia64_outcome ia64_rse_room(struct xctx *x, unsigned sof)
{
    while (x->st->ndirty + sof > IA64_STACKED) {
        enum ia64_outcome o = spill_one(x);
        if (o != IA64_X_OK)
            return o;
    }
    return IA64_X_OK;
}

enum ia64_outcome ia64_rse_fill(struct xctx *x, unsigned n)
{
    while (x->st->ndirty < n) {
        enum ia64_outcome o = fill_one(x);
        if (o != IA64_X_OK)
            return o;
    }
    return IA64_X_OK;
}

/* flushrs: store every dirty register (and the collections) so that
 * BSPSTORE reaches BSP. */
enum ia64_outcome ia64_rse_flush(struct xctx *x)
{
    while (x->st->ndirty) {
        enum ia64_outcome o = spill_one(x);
        if (o != IA64_X_OK)
            return o;
    }
    return IA64_X_OK;
}

/* loadrs: make the dirty partition exactly the RSC.loadrs bytes below
 * BSP, filling what is missing and dropping the rest (SDM Vol. 3,
 * loadrs).  Needs RSC.mode = 0 and, with a non-zero count, an empty
 * frame. */
enum ia64_outcome ia64_rse_loadrs(struct xctx *x)
{
    struct ia64_state *st = x->st;
    uint64_t rsc = st->ar[AR_RSC], bytes = (rsc >> 16) & 0x3ff8;
    if ((rsc & 3) || (bytes && ia64_sof(st)))
        return x_fault(x, IA64_IVT_GENERAL, IA64_GE_ILLEGAL,
                       "illegal operation: loadrs with RSC.mode != 0 or a current frame");
    uint64_t target = st->ar[AR_BSP] - bytes;
    unsigned n = 0;
    for (uint64_t a = target; a < st->ar[AR_BSP]; a += 8)
        n += !collection_slot(a);
    if (n > IA64_STACKED - ia64_sof(st))
        return x_fault(x, IA64_IVT_GENERAL, IA64_GE_ILLEGAL,
                       "illegal operation: loadrs beyond the physical registers");
    if (n <= st->ndirty) {
        st->ndirty = n;
        st->ar[AR_BSPSTORE] = target;
        return IA64_X_OK;
    }
    return ia64_rse_fill(x, n);
}

/* mov ar.bspstore = r: the dirty registers will go to the new place. */
void ia64_rse_set_bspstore(struct ia64_state *st, uint64_t v)
{
    st->ar[AR_BSPSTORE] = v & ~7ull;
    st->ar[AR_BSP] = ia64_rse_skip(st->ar[AR_BSPSTORE], (int)st->ndirty);
}
