/*
 * ipi.h - inter-processor interrupts between harts, delivered `latency`
 * cycles after they are sent (a machine parameter), through the event
 * queue, to the target's interrupt controller.
 */
#ifndef VTSIM_MODEL_PLATFORM_IPI_H
#define VTSIM_MODEL_PLATFORM_IPI_H

#include <stdint.h>

#include "model/base/param.h"
#include "model/base/sched.h"
#include "model/platform/intc.h"

struct stats_group;
struct emon;

#define IPI_BROADCAST 0xffffffffu /* every hart but the sender */

/* machine.platform: device timing. */
struct platform_config {
    uint64_t ipi_latency;
};
extern const struct param platform_params[1];

struct ipi_msg;

struct ipi_net {
    struct sched *sched;
    struct intc **ic; /* one per hart */
    unsigned nharts;
    uint64_t latency;
    uint64_t *sent, *received; /* per hart */
    struct emon **emon;        /* per hart, NULL until attached: EMON IPI events */
    struct ipi_msg *free, *all;
};

/* 0, or -1 on no memory. */
int ipi_init(struct ipi_net *n, struct sched *s, struct intc **ic, unsigned nharts,
             uint64_t latency);
void ipi_free(struct ipi_net *n);
/* Send `vector` from hart `from` to hart `to` (or IPI_BROADCAST) at the
 * current time; 0, or -1 for a bad hart. */
int ipi_send(struct ipi_net *n, unsigned from, unsigned to, unsigned vector);
/* Count hart h's IPIs in its EMON unit too (ipis_sent when it sends,
 * ipis_received when one is delivered to it), so a program reading its own
 * counters sees them. */
void ipi_attach_emon(struct ipi_net *n, unsigned h, struct emon *e);
/* ipisN.sent / .received under g. */
int ipi_register_stats(struct ipi_net *n, struct stats_group *g);

#endif
