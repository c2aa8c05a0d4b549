/*
 * exec_mem.c - integer loads and stores.  Speculative, advanced and check
 * loads execute as ordinary loads (no ALAT and no deferred faults yet);
 * ordering completers (.acq, .rel) need nothing in a sequentially
 * consistent model; fill/spill move the NaT bit through ar.unat.
 */
#include "model/cpu/ia64/exec_impl.h"

enum ia64_outcome x_load(struct xctx *x, const struct ia64_insn *in)
{
    struct ia64_state *st = x->st;
    uint64_t addr = ia64_gr(st, in->r3), v;
    unsigned size = 1u << in->size, lat = 0;
    if (!x->mem->read || x->mem->read(x->mem->ctx, addr, size, &v, &lat) != 0) {
        snprintf(x->res->reason, sizeof(x->res->reason), "load of %u bytes at 0x%llx", size,
                 (unsigned long long)addr);
        return IA64_X_MEMORY;
    }
    x->res->stall += lat > 1 ? lat - 1 : 0;
    enum ia64_outcome o = x_setgr(x, in->r1, v);
    if (o != IA64_X_OK)
        return o;
    if (in->form == IA64_LDFILL || in->form == IA64_LDFILL_R || in->form == IA64_LDFILL_RH ||
        in->form == IA64_LDFILL_I || in->form == IA64_LDFILL_IH) {
        bool *nat;
        if (ia64_grp(st, in->r1, &nat))
            *nat = (st->ar[36] >> ((addr >> 3) & 63)) & 1; /* ar.unat */
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
    uint64_t addr = ia64_gr(st, in->r3);
    unsigned size = 1u << in->size, lat = 0;
    if (!x->mem->write || x->mem->write(x->mem->ctx, addr, size, ia64_gr(st, in->r2), &lat) != 0) {
        snprintf(x->res->reason, sizeof(x->res->reason), "store of %u bytes at 0x%llx", size,
                 (unsigned long long)addr);
        return IA64_X_MEMORY;
    }
    x->res->stall += lat > 1 ? lat - 1 : 0;
    if (in->form == IA64_STSPILL || in->form == IA64_STSPILL_I || in->form == IA64_STSPILL_IH) {
        uint64_t m = 1ull << ((addr >> 3) & 63);
        st->ar[36] = ia64_nat(st, in->r2) ? st->ar[36] | m : st->ar[36] & ~m;
    }
    if (ia64_forms[in->form].fmt == FMT_M5)
        return x_setgr(x, in->r3, addr + (uint64_t)in->imm);
    return IA64_X_OK;
}
