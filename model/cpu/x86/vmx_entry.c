/*
 * vmx_entry.c - VM entry (Intel SDM Vol. 3C 26): the checks on the
 * controls (failure: VMfailValid(7)) and on the host-state area
 * (VMfailValid(8)), which leave the host where it was, then the checks
 * on the guest-state area (failure: a VM exit with reason 33 and bit 31,
 * back to the host), the guest-state load and the event injection.
 *
 * Checked are those a hypervisor is likely to get wrong (26.2, 26.3.1):
 * controls against the capability MSRs, CR3-target count, I/O-bitmap
 * alignment, MSR-load/store counts (the model has no MSR areas: they must
 * be 0), the event to inject; host CR0/CR4 fixed bits, host selectors
 * (RPL and TI 0, CS, SS and TR not null); guest CR0/CR4 fixed bits,
 * RFLAGS reserved bits and VM = 0, every segment's access rights (type,
 * S, P, DPL, reserved bits, granularity against the limit), TR and
 * LDTR, GDTR/IDTR limits, activity and interruptibility states and the
 * VMCS link pointer.  Not checked: the rest of 26.3.1 (docs/isa-x86.md).
 */
#include "model/cpu/x86/exec_impl.h"
#include "model/cpu/x86/vmx.h"
#include "model/vmcs/pf_filter.h"

/* Reads of the current VMCS that remember a failure (outside memory). */
struct vr {
    struct xctx *x;
    uint32_t vmcs;
    int rc;
};

static uint32_t rd(struct vr *r, enum vmcs_field f)
{
    uint32_t v = 0;
    r->rc |= x86_vmcs_get(r->x->mem, r->vmcs, f, &v, &r->x->res->stall);
    return v;
}

static uint32_t rd_high(struct vr *r, enum vmcs_field f)
{
    uint32_t v = 0;
    r->rc |= r->x->mem->read(r->x->mem->ctx, (uint64_t)r->vmcs + VMCS_SLOT_OFF(f) + 4, 4, &v,
                             &r->x->res->stall);
    return v;
}

/* Whether an exception vector pushes an error code (Vol. 3A 6.13; 26.2.1.3
 * lists 8, 10-14 and 17). */
static bool has_error_code(unsigned v)
{
    return v == 8 || (v >= 10 && v <= 14) || v == 17;
}

/* The event-injection field (26.2.1.3). */
static bool injection_ok(uint32_t info, uint32_t error, uint32_t len)
{
    if (!(info >> 31))
        return true;
    unsigned vec = info & 0xFF, type = info >> 8 & 7;
    bool ev = info >> 11 & 1;
    if (info & 0x7FFFF000u || type == 1 || type == 7)
        return false;
    if ((type == 2 && vec != 2) || (type == 3 && vec > 31))
        return false;
    if (ev != (type == 3 && has_error_code(vec)) || (ev && (error & 0xFFFF0000u)))
        return false;
    return type < 4 || (len >= 1 && len <= 15);
}

static bool controls_ok(struct vr *r, struct x86_vmx *v)
{
    uint32_t entry = rd(r, VMCS_ENTRY_CTLS);
    if (!x86_vmx_ctl_ok(0x481, v->pin) || !x86_vmx_ctl_ok(0x482, v->proc) ||
        !x86_vmx_ctl_ok(0x483, v->exit_ctls) || !x86_vmx_ctl_ok(0x484, entry))
        return false;
    if (v->cr3_count > 4 || v->pf_variant >= PF_VARIANT_COUNT ||
        v->pf_criteria >= PF_CRITERIA_COUNT)
        return false;
    if ((v->proc & VMX_PROC_IO_BITMAPS) && ((v->io_bitmap[0] | v->io_bitmap[1]) & 0xFFF))
        return false;
    if ((v->proc & VMX_PROC_MSR_BITMAPS) && (v->msr_bitmap & 0xFFF)) /* 26.2.1.1 */
        return false;
    if (rd(r, VMCS_EXIT_MSR_STORE_COUNT) || rd(r, VMCS_EXIT_MSR_LOAD_COUNT) ||
        rd(r, VMCS_ENTRY_MSR_LOAD_COUNT))
        return false;
    return injection_ok(rd(r, VMCS_ENTRY_INTR_INFO), rd(r, VMCS_ENTRY_EXC_ERROR),
                        rd(r, VMCS_ENTRY_INSN_LEN));
}

/* CR0 with PE, NE and PG; CR4 with VMXE and nothing the model lacks
 * (the fixed-bit MSRs, A.7 and A.8). */
static bool crs_ok(uint32_t cr0, uint32_t cr4)
{
    uint64_t f0, f1, g0, g1;
    x86_vmx_rdmsr(0x486, &f0);
    x86_vmx_rdmsr(0x487, &f1);
    x86_vmx_rdmsr(0x488, &g0);
    x86_vmx_rdmsr(0x489, &g1);
    return (cr0 & f0) == f0 && !(cr0 & ~f1) && (cr4 & g0) == g0 && !(cr4 & ~g1);
}

static bool host_ok(struct vr *r)
{
    if (!crs_ok(rd(r, VMCS_HOST_CR0), rd(r, VMCS_HOST_CR4)))
        return false;
    for (unsigned i = 0; i <= VMCS_HOST_TR_SEL - VMCS_HOST_ES_SEL; i++)
        if (rd(r, VMCS_HOST_ES_SEL + i) & 7)
            return false;
    return rd(r, VMCS_HOST_CS_SEL) && rd(r, VMCS_HOST_SS_SEL) && rd(r, VMCS_HOST_TR_SEL);
}

/* Granularity consistent with the limit (26.3.1.2): limit bits 11:0 not
 * all ones needs G = 0; any of bits 31:20 set needs G = 1. */
static bool granular(const struct x86_seg *s)
{
    bool g = s->attr & X86_AR_G;
    if ((s->limit & 0xFFF) != 0xFFF && g)
        return false;
    return !(s->limit & 0xFFF00000u) || g;
}

/* Access rights of a usable code or data segment (26.3.1.2). */
static bool seg_ok(const struct x86_seg *s, unsigned i, unsigned ss_dpl)
{
    uint32_t ar = s->attr, type = ar & X86_AR_TYPE, dpl = X86_AR_DPL(ar);
    if (ar & X86_AR_UNUSABLE)
        return i != X86_CS; /* CS must be usable; TR and LDTR are checked apart */
    if (ar & 0xFFFE0F00u || !(ar & X86_AR_S) || !(ar & X86_AR_P) || !granular(s))
        return false;
    switch (i) {
    case X86_CS:
        if (type != 9 && type != 11 && type != 13 && type != 15)
            return false;
        return type <= 11 ? dpl == ss_dpl : dpl <= ss_dpl;
    case X86_SS:
        return (type == 3 || type == 7) && dpl == (s->sel & 3u);
    default: /* accessed; code must be readable; DPL >= RPL unless conforming */
        if (!(type & 1) || ((type & 8) && !(type & 2)))
            return false;
        return type > 11 || dpl >= (s->sel & 3u);
    }
}

static void read_seg(struct vr *r, unsigned i, struct x86_seg *s)
{
    s->sel = (uint16_t)rd(r, VMCS_GUEST_ES_SEL + i);
    s->base = rd(r, VMCS_GUEST_ES_BASE + i);
    s->limit = rd(r, VMCS_GUEST_ES_LIMIT + i);
    s->attr = rd(r, VMCS_GUEST_ES_AR + i);
}

/* The guest state as the VMCS holds it, read into `g`; false when a
 * check fails. */
static bool guest_ok(struct vr *r, struct x86_state *g, uint32_t *intr, uint32_t *act)
{
    g->cr0 = rd(r, VMCS_GUEST_CR0);
    g->cr3 = rd(r, VMCS_GUEST_CR3);
    g->cr4 = rd(r, VMCS_GUEST_CR4);
    g->dr[7] = rd(r, VMCS_GUEST_DR7);
    g->gpr[X86_ESP] = rd(r, VMCS_GUEST_RSP);
    g->eip = rd(r, VMCS_GUEST_RIP);
    g->eflags = rd(r, VMCS_GUEST_RFLAGS);
    for (unsigned i = 0; i < X86_NSREGS; i++)
        read_seg(r, i, &g->seg[i]);
    read_seg(r, 6, &g->ldtr);
    read_seg(r, 7, &g->tr);
    g->gdtr.base = rd(r, VMCS_GUEST_GDTR_BASE);
    g->idtr.base = rd(r, VMCS_GUEST_IDTR_BASE);
    uint32_t gl = rd(r, VMCS_GUEST_GDTR_LIMIT), il = rd(r, VMCS_GUEST_IDTR_LIMIT);
    g->gdtr.limit = (uint16_t)gl;
    g->idtr.limit = (uint16_t)il;
    for (unsigned i = 0; i < 3; i++)
        g->sysenter[i] = rd(r, i ? VMCS_GUEST_SYSENTER_ESP + i - 1 : VMCS_GUEST_SYSENTER_CS);
    *intr = rd(r, VMCS_GUEST_INTERRUPTIBILITY);
    *act = rd(r, VMCS_GUEST_ACTIVITY);
    uint32_t link_lo = rd(r, VMCS_LINK_POINTER), link_hi = rd_high(r, VMCS_LINK_POINTER);

    /* 26.3.1.1: control registers; 26.3.1.4: RFLAGS bits 31:22, 15, 5, 3
     * clear, bit 1 set; VM = 0 (virtual-8086 guests are not modelled). */
    if (!crs_ok(g->cr0, g->cr4) || ((g->cr0 & X86_CR0_NW) && !(g->cr0 & X86_CR0_CD)))
        return false;
    if (g->eflags & 0xFFC08028u || !(g->eflags & X86_FIXED1) || (g->eflags & X86_VM))
        return false;
    /* 26.3.1.2: segments, then TR (a busy 32- or 16-bit TSS) and LDTR. */
    unsigned ss_dpl = X86_AR_DPL(g->seg[X86_SS].attr);
    for (unsigned i = 0; i < X86_NSREGS; i++)
        if (!seg_ok(&g->seg[i], i, ss_dpl))
            return false;
    uint32_t tr = g->tr.attr, ldtr = g->ldtr.attr;
    if ((tr & (X86_AR_UNUSABLE | X86_AR_S | 0xFFFE0F00u)) || !(tr & X86_AR_P) ||
        ((tr & X86_AR_TYPE) != 11 && (tr & X86_AR_TYPE) != 3) || (g->tr.sel & 4) ||
        !granular(&g->tr))
        return false;
    if (!(ldtr & X86_AR_UNUSABLE) &&
        ((ldtr & (X86_AR_S | 0xFFFE0F00u)) || !(ldtr & X86_AR_P) || (ldtr & X86_AR_TYPE) != 2 ||
         (g->ldtr.sel & 4) || !granular(&g->ldtr)))
        return false;
    /* 26.3.1.3: descriptor-table limits fit 16 bits. */
    if (gl > 0xFFFF || il > 0xFFFF)
        return false;
    /* 26.3.1.5: active or HLT (the only states IA32_VMX_MISC offers); HLT
     * needs SS.DPL 0; blocking by STI and by MOV SS not both, STI
     * blocking only with IF = 1, and either only when active. */
    if (*act > 1 || (*act == 1 && ss_dpl != 0) || (*intr & ~0xFu) || (*intr & 3) == 3)
        return false;
    if (((*intr & 1) && !(g->eflags & X86_IF)) || ((*intr & 3) && *act != 0))
        return false;
    /* 26.3.1.5: no VMCS shadowing, so the link pointer must be all ones. */
    return link_lo == 0xFFFFFFFFu && link_hi == 0xFFFFFFFFu;
}

/* The injected event (26.5.1) as the hart delivers it: the frame of a
 * software interrupt or exception saves RIP + the VM-entry instruction
 * length. */
static void inject(struct xctx *x, uint32_t info, uint32_t error, uint32_t len)
{
    static const uint8_t kind[8] = {X86_EV_EXTERNAL, X86_EV_FAULT, X86_EV_FAULT,    X86_EV_FAULT,
                                    X86_EV_SOFT_INT, X86_EV_ICEBP, X86_EV_SOFT_EXC, X86_EV_FAULT};
    unsigned type = info >> 8 & 7;
    x->res->inject = true;
    x->res->fault = (struct x86_fault){(uint8_t)info, kind[type], info >> 11 & 1, error};
    x->res->inject_eip = x->st->eip + (type >= 4 ? len : 0);
}

enum x86_outcome ia32_vmentry(struct xctx *x, bool launch)
{
    struct x86_state *st = x->st;
    struct x86_vmx v = st->vmx;
    struct vr r = {x, st->vmx.vmcs, 0};
    v.pin = rd(&r, VMCS_PIN_CTLS);
    v.proc = rd(&r, VMCS_PROC_CTLS);
    v.exit_ctls = rd(&r, VMCS_EXIT_CTLS);
    v.exc_bitmap = rd(&r, VMCS_EXC_BITMAP);
    v.pfec_mask = rd(&r, VMCS_PFEC_MASK);
    v.pfec_match = rd(&r, VMCS_PFEC_MATCH);
    v.pf_variant = rd(&r, VMCS_EXT_PF_VARIANT);
    v.pfec_mask2 = rd(&r, VMCS_EXT_PF_MASK2);
    v.pfec_match2 = rd(&r, VMCS_EXT_PF_MATCH2);
    v.pf_criteria = rd(&r, VMCS_EXT_PF_CRITERIA);
    v.pf_ptbase = rd(&r, VMCS_EXT_PF_PTBASE);
    v.cr0_mask = rd(&r, VMCS_CR0_MASK);
    v.cr0_shadow = rd(&r, VMCS_CR0_SHADOW);
    v.cr4_mask = rd(&r, VMCS_CR4_MASK);
    v.cr4_shadow = rd(&r, VMCS_CR4_SHADOW);
    v.cr3_count = rd(&r, VMCS_CR3_TARGET_COUNT);
    for (unsigned i = 0; i < 4; i++)
        v.cr3_target[i] = rd(&r, VMCS_CR3_TARGET0 + i);
    v.io_bitmap[0] = rd(&r, VMCS_IO_BITMAP_A);
    v.io_bitmap[1] = rd(&r, VMCS_IO_BITMAP_B);
    v.msr_bitmap = rd(&r, VMCS_MSR_BITMAP);
    if (!controls_ok(&r, &v)) {
        st->eflags = (st->eflags & ~X86_STATUS) | X86_ZF;
        r.rc |= x86_vmcs_put(x->mem, r.vmcs, VMCS_INSN_ERROR, VMX_ERR_BAD_CONTROLS, &x->res->stall);
        goto out;
    }
    if (!host_ok(&r)) {
        st->eflags = (st->eflags & ~X86_STATUS) | X86_ZF;
        r.rc |= x86_vmcs_put(x->mem, r.vmcs, VMCS_INSN_ERROR, VMX_ERR_BAD_HOST, &x->res->stall);
        goto out;
    }
    struct x86_state g = *st;
    uint32_t intr, act;
    if (!guest_ok(&r, &g, &intr, &act)) {
        if (r.rc)
            goto out;
        /* 26.7: the failed entry exits to the host with reason 33. */
        st->vmx.exit_ctls = v.exit_ctls;
        x->res->exit = (struct x86_vmexit){.reason = VMX_EXIT_BAD_GUEST | VMX_EXIT_ENTRY_FAIL};
        return X86_X_VMEXIT;
    }
    uint32_t info = rd(&r, VMCS_ENTRY_INTR_INFO), err = rd(&r, VMCS_ENTRY_EXC_ERROR);
    uint32_t len = rd(&r, VMCS_ENTRY_INSN_LEN), timer = rd(&r, VMCS_PREEMPT_TIMER);
    if (r.rc)
        goto out;
    if (launch &&
        x->mem->write(x->mem->ctx, (uint64_t)r.vmcs + VMCS_LAUNCH_OFF, 4, 1, &x->res->stall) != 0) {
        r.rc = -1;
        goto out;
    }
    /* 26.3.2: load.  CR0.ET reads as 1 always; the CPL is SS.DPL. */
    g.cr0 |= X86_CR0_ET;
    g.cpl = X86_AR_DPL(g.seg[X86_SS].attr);
    g.shadow = intr & 3;
    g.halted = act == 1;
    g.vmx = v;
    g.vmx.guest = true;
    /* The preemption timer counts down at the TSC rate >> 5 (A.6). */
    g.vmx.preempt_deadline = st->tsc + ((uint64_t)timer << 5);
    *st = g;
    x86_mmu_flush(x->mem->mmu, false);
    x->next = st->eip;
    x->res->vmentry = true;
    if (info >> 31)
        inject(x, info, err, len);
    return X86_X_OK;
out:
    if (r.rc) {
        snprintf(x->res->reason, sizeof(x->res->reason),
                 "VM entry: the VMCS at 0x%08x is outside "
                 "memory",
                 r.vmcs);
        return X86_X_MEMORY;
    }
    return X86_X_OK;
}
