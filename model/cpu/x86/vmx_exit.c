/*
 * vmx_exit.c - a VM exit (Intel SDM Vol. 3C 27): record the exit
 * information, save the guest state, load the host state (see vmx.h).
 */
#include "model/cpu/x86/vmx.h"

#include <stdio.h>

/* Field writes that remember the first failure (the VMCS outside
 * memory); the caller reports it once. */
struct vw {
    const struct x86_mem *mem;
    uint32_t vmcs;
    unsigned *stall;
    int rc;
};

static void put(struct vw *w, enum vmcs_field f, uint32_t v)
{
    w->rc |= x86_vmcs_put(w->mem, w->vmcs, f, v, w->stall);
}

static uint32_t get(struct vw *w, enum vmcs_field f)
{
    uint32_t v = 0;
    w->rc |= x86_vmcs_get(w->mem, w->vmcs, f, &v, w->stall);
    return v;
}

/* Guest-state area (27.3): control and segment registers with their
 * hidden parts in the access-rights format the model already keeps,
 * descriptor tables, RSP/RIP/RFLAGS, SYSENTER MSRs, interruptibility
 * (an interrupt shadow is reported as blocking by STI when IF is set,
 * else by MOV SS: the model does not tell them apart) and activity. */
static void save_guest(struct vw *w, const struct x86_state *st)
{
    put(w, VMCS_GUEST_CR0, st->cr0);
    put(w, VMCS_GUEST_CR3, st->cr3);
    put(w, VMCS_GUEST_CR4, st->cr4);
    put(w, VMCS_GUEST_DR7, st->dr[7]);
    for (unsigned i = 0; i < X86_NSREGS; i++) {
        const struct x86_seg *s = &st->seg[i];
        put(w, VMCS_GUEST_ES_SEL + i, s->sel);
        put(w, VMCS_GUEST_ES_BASE + i, s->base);
        put(w, VMCS_GUEST_ES_LIMIT + i, s->limit);
        put(w, VMCS_GUEST_ES_AR + i, s->attr);
    }
    put(w, VMCS_GUEST_LDTR_SEL, st->ldtr.sel);
    put(w, VMCS_GUEST_LDTR_BASE, st->ldtr.base);
    put(w, VMCS_GUEST_LDTR_LIMIT, st->ldtr.limit);
    put(w, VMCS_GUEST_LDTR_AR, st->ldtr.attr);
    put(w, VMCS_GUEST_TR_SEL, st->tr.sel);
    put(w, VMCS_GUEST_TR_BASE, st->tr.base);
    put(w, VMCS_GUEST_TR_LIMIT, st->tr.limit);
    put(w, VMCS_GUEST_TR_AR, st->tr.attr);
    put(w, VMCS_GUEST_GDTR_BASE, st->gdtr.base);
    put(w, VMCS_GUEST_GDTR_LIMIT, st->gdtr.limit);
    put(w, VMCS_GUEST_IDTR_BASE, st->idtr.base);
    put(w, VMCS_GUEST_IDTR_LIMIT, st->idtr.limit);
    put(w, VMCS_GUEST_RSP, st->gpr[X86_ESP]);
    put(w, VMCS_GUEST_RIP, st->eip);
    put(w, VMCS_GUEST_RFLAGS, st->eflags);
    put(w, VMCS_GUEST_SYSENTER_CS, st->sysenter[0]);
    put(w, VMCS_GUEST_SYSENTER_ESP, st->sysenter[1]);
    put(w, VMCS_GUEST_SYSENTER_EIP, st->sysenter[2]);
    put(w, VMCS_GUEST_INTERRUPTIBILITY, st->shadow ? (st->eflags & X86_IF ? 1u : 2u) : 0);
    put(w, VMCS_GUEST_ACTIVITY, st->halted ? 1u : 0);
    if (st->vmx.exit_ctls & VMX_EXIT_SAVE_TIMER) {
        uint64_t left =
            st->tsc >= st->vmx.preempt_deadline ? 0 : (st->vmx.preempt_deadline - st->tsc) >> 5;
        put(w, VMCS_PREEMPT_TIMER, left > 0xFFFFFFFFu ? 0xFFFFFFFFu : (uint32_t)left);
    }
    /* Every exit clears the valid bit of the VM-entry interruption
     * information (24.8.3), so a VMRESUME does not inject it twice. */
    put(w, VMCS_ENTRY_INTR_INFO, get(w, VMCS_ENTRY_INTR_INFO) & ~(1u << 31));
}

static void host_seg(struct x86_seg *s, uint16_t sel, uint32_t base, uint32_t ar)
{
    s->sel = sel;
    s->base = base;
    s->limit = 0xFFFFFFFFu;
    s->attr = ar;
}

/* Host-state area (27.5): CR0 keeps the bits the host field does not
 * load (ET, NW, CD and the reserved ones, 27.5.1); DR7 = 0x400;
 * segments flat with base 0 (FS, GS and TR bases from the host fields),
 * null data selectors unusable, TR a busy 32-bit TSS of limit 0x67, LDTR
 * unusable, GDTR/IDTR limits 0xFFFF (27.5.2); RFLAGS = 2 (27.5.3). */
static void load_host(struct vw *w, struct x86_state *st)
{
    const uint32_t loaded = X86_CR0_PE | X86_CR0_MP | X86_CR0_EM | X86_CR0_TS | X86_CR0_NE |
                            X86_CR0_WP | X86_CR0_AM | X86_CR0_PG;
    st->cr0 = (st->cr0 & ~loaded) | (get(w, VMCS_HOST_CR0) & loaded);
    st->cr3 = get(w, VMCS_HOST_CR3);
    st->cr4 = get(w, VMCS_HOST_CR4);
    st->dr[7] = X86_DR7_FIXED;
    st->sysenter[0] = get(w, VMCS_HOST_SYSENTER_CS);
    st->sysenter[1] = get(w, VMCS_HOST_SYSENTER_ESP);
    st->sysenter[2] = get(w, VMCS_HOST_SYSENTER_EIP);
    for (unsigned i = 0; i < X86_NSREGS; i++) {
        uint16_t sel = (uint16_t)get(w, VMCS_HOST_ES_SEL + i);
        uint32_t base = i == X86_FS   ? get(w, VMCS_HOST_FS_BASE)
                        : i == X86_GS ? get(w, VMCS_HOST_GS_BASE)
                                      : 0;
        if (i == X86_CS)
            host_seg(&st->seg[i], sel, 0, 0xC09Bu);
        else
            host_seg(&st->seg[i], sel, base, sel ? 0xC093u : X86_AR_UNUSABLE);
    }
    st->tr.sel = (uint16_t)get(w, VMCS_HOST_TR_SEL);
    st->tr.base = get(w, VMCS_HOST_TR_BASE);
    st->tr.limit = 0x67;
    st->tr.attr = 0x8B;
    st->ldtr = (struct x86_seg){.attr = X86_AR_UNUSABLE};
    st->gdtr = (struct x86_dtr){get(w, VMCS_HOST_GDTR_BASE), 0xFFFF};
    st->idtr = (struct x86_dtr){get(w, VMCS_HOST_IDTR_BASE), 0xFFFF};
    st->gpr[X86_ESP] = get(w, VMCS_HOST_RSP);
    st->eip = get(w, VMCS_HOST_RIP);
    st->eflags = X86_FIXED1;
    st->cpl = 0;
    st->shadow = false;
    st->halted = false;
}

enum x86_outcome x86_vmx_exit(struct x86_state *st, const struct x86_mem *mem,
                              const struct x86_vmexit *e, struct x86_exec_result *res)
{
    struct vw w = {mem, st->vmx.vmcs, &res->stall, 0};
    put(&w, VMCS_EXIT_REASON, e->reason);
    put(&w, VMCS_EXIT_QUAL, e->qual);
    put(&w, VMCS_EXIT_INSN_LEN, e->insn_len);
    put(&w, VMCS_EXIT_INTR_INFO, e->intr_info);
    put(&w, VMCS_EXIT_INTR_ERROR, e->intr_error);
    /* An exit during event delivery names that event (Vol. 3C 27.2.4). */
    put(&w, VMCS_IDT_VEC_INFO, e->idt_info);
    put(&w, VMCS_IDT_VEC_ERROR, e->idt_error);
    if (!(e->reason & VMX_EXIT_ENTRY_FAIL))
        save_guest(&w, st);
    load_host(&w, st);
    st->vmx.guest = false;
    x86_mmu_flush(mem->mmu, false);
    if (w.rc) {
        snprintf(res->reason, sizeof(res->reason), "VM exit: the VMCS at 0x%08x is outside memory",
                 st->vmx.vmcs);
        return X86_X_MEMORY;
    }
    return X86_X_OK;
}
