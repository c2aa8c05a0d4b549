/*
 * ipi.c - IPI delivery through the event queue (see ipi.h).  Messages come
 * from a free list and are all freed with the network, so IPIs still in
 * flight when a run ends leak nothing.
 */
#include "model/platform/ipi.h"

#include <stddef.h>
#include <stdlib.h>

#include "model/base/stats.h"
#include "model/cpu/emon/emon.h"

struct ipi_msg {
    struct ipi_net *net;
    unsigned to, vector;
    struct ipi_msg *next_free, *next_all;
};

int ipi_init(struct ipi_net *n, struct sched *s, struct intc **ic, unsigned nharts,
             uint64_t latency)
{
    *n = (struct ipi_net){.sched = s, .ic = ic, .nharts = nharts, .latency = latency};
    n->sent = calloc(nharts ? nharts : 1, sizeof(*n->sent));
    n->received = calloc(nharts ? nharts : 1, sizeof(*n->received));
    n->emon = calloc(nharts ? nharts : 1, sizeof(*n->emon));
    if (!n->sent || !n->received || !n->emon) {
        ipi_free(n);
        return -1;
    }
    return 0;
}

void ipi_free(struct ipi_net *n)
{
    while (n->all) {
        struct ipi_msg *m = n->all;
        n->all = m->next_all;
        free(m);
    }
    free(n->sent);
    free(n->received);
    free(n->emon);
    n->sent = n->received = NULL;
    n->emon = NULL;
    n->free = NULL;
}

static void deliver(void *ctx, uint64_t now)
{
    struct ipi_msg *m = ctx;
    struct ipi_net *n = m->net;
    (void)now;
    n->received[m->to]++;
    if (n->emon[m->to])
        emon_count(n->emon[m->to], EMON_IPIS_RECEIVED, 1);
    intc_raise(n->ic[m->to], m->vector);
    m->next_free = n->free;
    n->free = m;
}

static int post_one(struct ipi_net *n, unsigned to, unsigned vector)
{
    struct ipi_msg *m = n->free;
    if (m) {
        n->free = m->next_free;
    } else {
        m = calloc(1, sizeof(*m));
        if (!m)
            return -1;
        m->next_all = n->all;
        n->all = m;
    }
    m->net = n;
    m->to = to;
    m->vector = vector & 0xff;
    if (!sched_post(n->sched, sched_now(n->sched) + n->latency, deliver, m)) {
        m->next_free = n->free;
        n->free = m;
        return -1;
    }
    return 0;
}

int ipi_send(struct ipi_net *n, unsigned from, unsigned to, unsigned vector)
{
    if (from >= n->nharts || (to != IPI_BROADCAST && to >= n->nharts))
        return -1;
    int rc = 0;
    for (unsigned h = 0; h < n->nharts; h++) {
        if (to == IPI_BROADCAST ? h == from : h != to)
            continue;
        n->sent[from]++;
        if (n->emon[from])
            emon_count(n->emon[from], EMON_IPIS_SENT, 1);
        rc |= post_one(n, h, vector);
    }
    return rc;
}

void ipi_attach_emon(struct ipi_net *n, unsigned h, struct emon *e)
{
    if (h < n->nharts)
        n->emon[h] = e;
}

int ipi_register_stats(struct ipi_net *n, struct stats_group *g)
{
    int rc = 0;
    for (unsigned h = 0; h < n->nharts; h++) {
        struct stats_group *hg = stats_instance(g, "ipis", h, "IPIs of one hart");
        rc |= stats_counter(hg, "sent", &n->sent[h], "interrupts", "IPIs sent by this hart");
        rc |= stats_counter(hg, "received", &n->received[h], "interrupts",
                            "IPIs delivered to this hart");
    }
    return rc ? -1 : 0;
}

/* The IPI latency is a modelling parameter: an interrupt message crosses
 * the system bus (Itanium 2) or the APIC bus/FSB (Core 2) in some tens of
 * bus clocks; 200 core cycles is the default, to be swept. */
const struct param platform_params[1] = {
    {.key = "ipi_latency",
     .type = PARAM_UINT,
     .offset = offsetof(struct platform_config, ipi_latency),
     .def = "200",
     .min = 0,
     .max = 100000000,
     .unit = "cycles",
     .doc = "cycles from sending an IPI to its arrival at the target's interrupt controller"},
};
