/*
 * lapic.h - the local APIC of an IA-32 hart, in xAPIC mode: its registers
 * are memory mapped in the 4 KiB page IA32_APIC_BASE names (0xFEE00000
 * after reset), one 32-bit register per 16 bytes (Intel SDM Vol. 3A 10.4.1,
 * Table 10-1).  xAPIC rather than x2APIC MSRs because QEMU's default i386
 * CPU offers an xAPIC, so one test image runs on both.
 *
 * The pending (IRR) and in-service (ISR) bits, the task priority and EOI
 * live in the hart's ISA-neutral controller (model/platform/intc.h); this
 * unit maps the register file onto it, runs the timer on a hart_timer
 * (model/platform/timer.h) and sends IPIs through the platform's network
 * (model/platform/ipi.h), which delivers them machine.platform.ipi_latency
 * cycles later.
 *
 * Implemented (Vol. 3A 10.4-10.8): ID, version, TPR, PPR, EOI, LDR/DFR
 * (stored), SVR (bit 8 software enable masks every LVT entry when clear),
 * ISR/TMR/IRR readback, ESR (reads 0), ICR, the LVT entries (timer acted
 * on; the others stored), the timer's initial and current count and divide
 * configuration.  Simplifications (docs/isa-x86.md): the timer counts the
 * core clock divided by the divide configuration, which takes effect at
 * the next initial-count write; TSC-deadline mode is not offered (CPUID
 * does not report it); ICR sends fixed interrupts in physical destination
 * mode (an APIC ID, 0xFF for all) or by shorthand, and drops (and counts)
 * every other delivery mode and logical destinations; the delivery-status
 * bit always reads 0; accesses are taken as 32-bit at the register's
 * offset.
 *
 * Not hot: a register access costs a switch.
 */
#ifndef VTSIM_MODEL_CPU_X86_LAPIC_H
#define VTSIM_MODEL_CPU_X86_LAPIC_H

#include <stdbool.h>
#include <stdint.h>

#include "model/platform/intc.h"
#include "model/platform/ipi.h"
#include "model/platform/timer.h"

struct stats_group;

#define X86_LAPIC_BASE   0xFEE00000u /* IA32_APIC_BASE after reset (Vol. 3A 10.4.4) */
#define X86_LAPIC_NLVT   7           /* CMCI, timer, thermal, perfmon, LINT0, LINT1, error */
#define X86_LVT_MASKED   (1u << 16)
#define X86_LVT_PERIODIC (1u << 17) /* timer mode 01 (Vol. 3A 10.5.4, Figure 10-8) */

struct x86_lapic {
    struct intc *ic;       /* the hart's controller: IRR, ISR, TPR */
    struct ipi_net *ipi;   /* NULL until attached: sends are dropped */
    struct hart_timer tmr; /* the timer's next expiry */
    unsigned id;           /* APIC ID = hart id */
    uint32_t svr;          /* spurious-interrupt vector register */
    uint32_t lvt[X86_LAPIC_NLVT];
    uint32_t icr_lo, icr_hi;
    uint32_t ldr, dfr;
    uint32_t initial;    /* timer initial count as written */
    uint32_t divide;     /* divide configuration as written */
    uint32_t div_active; /* the divisor the running count uses */
    uint64_t start;      /* cycle the count was loaded */
    bool timer_sched;    /* attached: the timer may post events */
    /* Stats. */
    uint64_t ipis_sent;    /* IPI messages sent (one per target) */
    uint64_t ipis_dropped; /* ICR writes with a mode or destination not modelled */
    uint64_t timer_loads;  /* initial-count writes */
};

/* Reset state (Vol. 3A 10.4.7.1): every LVT masked, SVR 0xFF (software
 * disabled), TPR 0, counts 0. */
void x86_lapic_init(struct x86_lapic *a, unsigned id, struct intc *ic);
/* Give the unit the scheduler its timer posts on and the IPI network. */
void x86_lapic_attach(struct x86_lapic *a, struct sched *s, struct ipi_net *ipi);
/* Register access at byte offset `off` in the page at cycle `now`.  Reads
 * of unknown or write-only offsets return 0; writes to read-only ones are
 * ignored (real parts may raise an APIC error; the model does not). */
uint32_t x86_lapic_read(struct x86_lapic *a, uint32_t off, uint64_t now);
void x86_lapic_write(struct x86_lapic *a, uint32_t off, uint32_t v, uint64_t now);
/* Timer current count at `now` (exported for tests). */
uint32_t x86_lapic_current(const struct x86_lapic *a, uint64_t now);
int x86_lapic_register_stats(struct x86_lapic *a, struct stats_group *g);

#endif
