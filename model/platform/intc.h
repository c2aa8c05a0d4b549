/*
 * intc.h - a per-hart interrupt controller, ISA-neutral: 256 vectors,
 * pending and in-service bits, a task-priority threshold, EOI.  Priority
 * follows the x86 local APIC (Intel SDM Vol. 3A, 10.8.3): a vector's class
 * is vector >> 4; the processor priority is the larger of the task
 * priority and the class of the highest in-service vector; a pending
 * vector is deliverable when its class is above the processor priority's
 * class.  IA-64's TPR.mic and in-service masking map onto the same rule
 * (Itanium SDM Vol. 2, 5.8.3: higher vector numbers have higher priority,
 * in groups of 16).
 *
 * Whether the core takes the interrupt (IF, PSR.i, VMX controls) is the
 * front end's business; this unit only says what is deliverable.
 */
#ifndef VTSIM_MODEL_PLATFORM_INTC_H
#define VTSIM_MODEL_PLATFORM_INTC_H

#include <stdbool.h>
#include <stdint.h>

struct stats_group;

struct intc {
    uint64_t pending[4], in_service[4];
    unsigned tpr; /* 0..255 */
    unsigned hart;
    /* Called when a vector becomes deliverable (to wake a halted hart). */
    void (*wake)(void *ctx, unsigned hart);
    void *ctx;
    uint64_t raised, acked, eois;
};

void intc_init(struct intc *ic, unsigned hart, void (*wake)(void *, unsigned), void *ctx);
/* Make `vector` pending (raising a pending vector again changes nothing). */
void intc_raise(struct intc *ic, unsigned vector);
/* The highest deliverable pending vector, or -1. */
int intc_highest(const struct intc *ic);
/* Accept the highest deliverable vector: pending -> in service.  -1 if none. */
int intc_ack(struct intc *ic);
/* End of interrupt: clear the highest in-service vector. */
void intc_eoi(struct intc *ic);
void intc_set_tpr(struct intc *ic, unsigned tpr);
int intc_register_stats(struct intc *ic, struct stats_group *g);

#endif
