/*
 * intc.c - per-hart interrupt controller (see intc.h).
 */
#include "model/platform/intc.h"

#include <string.h>

#include "model/base/stats.h"

void intc_init(struct intc *ic, unsigned hart, void (*wake)(void *, unsigned), void *ctx)
{
    memset(ic, 0, sizeof(*ic));
    ic->hart = hart;
    ic->wake = wake;
    ic->ctx = ctx;
}

static int highest(const uint64_t v[4])
{
    for (int w = 3; w >= 0; w--)
        if (v[w])
            return w * 64 + 63 - __builtin_clzll(v[w]);
    return -1;
}

static unsigned ppr_class(const struct intc *ic)
{
    int isv = highest(ic->in_service);
    unsigned tpc = ic->tpr >> 4, isc = isv < 0 ? 0 : (unsigned)isv >> 4;
    return tpc > isc ? tpc : isc;
}

int intc_highest(const struct intc *ic)
{
    int v = highest(ic->pending);
    if (v < 0 || ((unsigned)v >> 4) <= ppr_class(ic))
        return -1;
    return v;
}

void intc_raise(struct intc *ic, unsigned vector)
{
    vector &= 0xff;
    ic->raised++;
    ic->pending[vector / 64] |= 1ull << (vector % 64);
    if (ic->wake && intc_highest(ic) >= 0)
        ic->wake(ic->ctx, ic->hart);
}

int intc_ack(struct intc *ic)
{
    int v = intc_highest(ic);
    if (v < 0)
        return -1;
    ic->pending[v / 64] &= ~(1ull << (v % 64));
    ic->in_service[v / 64] |= 1ull << (v % 64);
    ic->acked++;
    return v;
}

void intc_eoi(struct intc *ic)
{
    int v = highest(ic->in_service);
    if (v < 0)
        return;
    ic->in_service[v / 64] &= ~(1ull << (v % 64));
    ic->eois++;
    if (ic->wake && intc_highest(ic) >= 0)
        ic->wake(ic->ctx, ic->hart);
}

void intc_set_tpr(struct intc *ic, unsigned tpr)
{
    ic->tpr = tpr & 0xff;
    if (ic->wake && intc_highest(ic) >= 0)
        ic->wake(ic->ctx, ic->hart);
}

int intc_register_stats(struct intc *ic, struct stats_group *g)
{
    int rc = 0;
    rc |= stats_counter(g, "raised", &ic->raised, "interrupts", "vectors raised");
    rc |= stats_counter(g, "accepted", &ic->acked, "interrupts", "vectors accepted by the core");
    rc |= stats_counter(g, "eois", &ic->eois, "interrupts", "end-of-interrupt writes");
    return rc ? -1 : 0;
}
