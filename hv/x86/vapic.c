/*
 * vapic.c - the local APIC an SMP guest sees (xAPIC, Intel SDM Vol. 3A
 * chapter 10), emulated by the hypervisor: the machines of the studies have
 * no APIC virtualization, so the guest's APIC page is never mapped in its
 * shadows and each access exits as a page fault, which is decoded and
 * completed here.  The guest's IPIs become pending vectors in the target
 * virtual CPU and a kick of its hart; they are injected as external
 * interrupts at the next entry while the guest has interrupts open, or
 * when it opens them (interrupt-window exiting, Vol. 3C 25.2).
 *
 * Registers kept: ID (the virtual CPU's number, bits 31:24, 10.4.6), TPR,
 * SVR and ICR high as written; ICR low sends (10.6.1): fixed delivery,
 * physical destination or the shorthands self / all / all but self.  The
 * first IPI a waiting application processor receives starts it at its
 * Multiboot entry and is consumed, as vtsim's bare machine does
 * (docs/isa-x86.md).  EOI is accepted and ignored: there is no in-service
 * register, since the guests' handlers run with interrupts closed
 * (interrupt gates) and do not nest.  Timer and the other LVT registers
 * read 0 and ignore writes.
 */
#include "console.h"
#include "cpu.h"
#include "emulate.h"
#include "smp.h"
#include "vmcs_fields.h"

#define APIC_ID      0x020u
#define APIC_VER     0x030u
#define APIC_TPR     0x080u
#define APIC_EOI     0x0B0u
#define APIC_SVR     0x0F0u
#define APIC_ICR_LO  0x300u
#define APIC_ICR_HI  0x310u
#define APIC_VERSION 0x00050014u /* an xAPIC with 6 LVT entries (10.4.8) */

#define ICR_MODE(icr)      (((icr) >> 8) & 7)
#define ICR_SHORTHAND(icr) (((icr) >> 18) & 3)
#define MODE_FIXED         0
#define MODE_INIT          5
#define MODE_STARTUP       6

#define RFLAGS_IF        0x200u
#define INTR_VALID       (1u << 31)
#define PROC_INTR_WINDOW (1u << 2)

int vapic_pending(const struct vcpu *v)
{
    for (int i = 7; i >= 0; i--)
        if (v->irr[i])
            return 1;
    return 0;
}

/* Vector `vec` for virtual CPU `to`, from `from` (an IPI). */
static void post(struct vcpu *from, uint32_t to, uint32_t mode, uint32_t vec)
{
    struct vcpu *u = smp_vcpu(to);
    if (mode == MODE_INIT)
        return;
    if (!u->started || mode == MODE_STARTUP) {
        __atomic_store_n(&u->started, 1, __ATOMIC_RELEASE);
    } else {
        if (vec < 16) /* illegal vectors (10.5.3): not delivered */
            return;
        __atomic_fetch_or(&u->irr[vec / 32], 1u << (vec % 32), __ATOMIC_RELEASE);
    }
    from->st->guest_ipis++;
    smp_kick(from, to);
}

static void send(struct vcpu *v, uint32_t icr)
{
    uint32_t mode = ICR_MODE(icr), vec = icr & 0xFF, n = smp_nvcpus();
    switch (ICR_SHORTHAND(icr)) {
    case 0: {
        uint32_t dest = v->apic_icr_hi >> 24;
        if (dest == 0xFF) { /* broadcast (10.6.2.1) */
            for (uint32_t i = 0; i < n; i++)
                post(v, i, mode, vec);
        } else if (dest < n) {
            post(v, dest, mode, vec);
        }
        break;
    }
    case 1:
        post(v, v->idx, mode, vec);
        break;
    default:
        for (uint32_t i = 0; i < n; i++)
            if (i != v->idx || ICR_SHORTHAND(icr) == 2)
                post(v, i, mode, vec);
        break;
    }
}

static uint32_t reg_read(const struct vcpu *v, uint32_t off)
{
    switch (off) {
    case APIC_ID:
        return v->idx << 24;
    case APIC_VER:
        return APIC_VERSION;
    case APIC_TPR:
        return v->apic_tpr;
    case APIC_SVR:
        return v->apic_svr;
    case APIC_ICR_HI:
        return v->apic_icr_hi;
    default:
        return 0; /* ICR low: delivery status idle (bit 12 clear) */
    }
}

static void reg_write(struct vcpu *v, uint32_t off, uint32_t val)
{
    switch (off) {
    case APIC_TPR:
        v->apic_tpr = val & 0xFF;
        break;
    case APIC_SVR:
        v->apic_svr = val;
        break;
    case APIC_ICR_HI:
        v->apic_icr_hi = val & 0xFF000000u;
        break;
    case APIC_ICR_LO:
        send(v, val);
        break;
    default: /* EOI and the rest: see the header */
        break;
    }
}

int vapic_access(struct vcpu *v, uint32_t gpa)
{
    uint8_t b[15];
    unsigned n = vcpu_fetch(v, b);
    struct em_insn in;
    vcpu_regs_in(v);
    if (em_decode(b, n, &v->g, &in) != 0 || in.size != 4 || (gpa & 3))
        return -1;
    int store;
    uint32_t off = gpa & 0xFF0u;
    uint32_t val = (uint32_t)em_apply(&in, reg_read(v, off), &v->g, &store);
    if (store)
        reg_write(v, off, val);
    vcpu_regs_out(v, in.len);
    v->st->apic_accesses++;
    return 0;
}

/* The highest pending vector, taken; -1 if none. */
static int take(struct vcpu *v)
{
    for (int i = 7; i >= 0; i--) {
        uint32_t w = __atomic_load_n(&v->irr[i], __ATOMIC_ACQUIRE);
        if (!w)
            continue;
        uint32_t bit = 31 - (uint32_t)__builtin_clz(w);
        __atomic_fetch_and(&v->irr[i], ~(1u << bit), __ATOMIC_ACQ_REL);
        return i * 32 + (int)bit;
    }
    return -1;
}

void vapic_inject(struct vcpu *v)
{
    uint32_t proc = vmread(V_PROC_CTLS);
    if (!vapic_pending(v)) {
        if (proc & PROC_INTR_WINDOW)
            vmwrite(V_PROC_CTLS, proc & ~PROC_INTR_WINDOW);
        return;
    }
    /* Open for an external interrupt: IF set, no STI or MOV SS blocking
     * (interruptibility bits 1:0, 24.4.2), nothing else being injected. */
    int open = (vmread(V_GUEST_RFLAGS) & RFLAGS_IF) && !(vmread(V_GUEST_INTERRUPTIBILITY) & 3) &&
               !(vmread(V_ENTRY_INTR_INFO) & INTR_VALID);
    int vec = open ? take(v) : -1;
    if (vec >= 0)
        vmwrite(V_ENTRY_INTR_INFO, INTR_VALID | (uint32_t)vec); /* type 0: external */
    uint32_t want =
        vapic_pending(v) || vec < 0 ? proc | PROC_INTR_WINDOW : proc & ~PROC_INTR_WINDOW;
    if (want != proc)
        vmwrite(V_PROC_CTLS, want);
}
