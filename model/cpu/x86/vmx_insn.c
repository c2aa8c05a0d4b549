/*
 * vmx_insn.c - the VMX instructions (Intel SDM Vol. 3C 30.3, each
 * instruction's operation): VMXON, VMXOFF, VMCLEAR, VMPTRLD, VMPTRST,
 * VMREAD, VMWRITE, the checks of VMLAUNCH/VMRESUME before the entry
 * itself (vmx_entry.c), and VMCALL.  Status through RFLAGS (30.2):
 * VMsucceed clears CF, PF, AF, ZF, SF, OF; VMfailInvalid sets CF (no
 * current VMCS); VMfailValid sets ZF and writes the VM-instruction error
 * field of the current VMCS.
 */
#include "model/cpu/x86/exec_impl.h"
#include "model/cpu/x86/vmx.h"

/* The exit reason of each VMX instruction in non-root operation. */
static const uint8_t exit_reason[] = {
    [VMX_OP_VMXON] = VMX_EXIT_VMXON,       [VMX_OP_VMXOFF] = VMX_EXIT_VMXOFF,
    [VMX_OP_VMCLEAR] = VMX_EXIT_VMCLEAR,   [VMX_OP_VMPTRLD] = VMX_EXIT_VMPTRLD,
    [VMX_OP_VMPTRST] = VMX_EXIT_VMPTRST,   [VMX_OP_VMREAD] = VMX_EXIT_VMREAD,
    [VMX_OP_VMWRITE] = VMX_EXIT_VMWRITE,   [VMX_OP_VMLAUNCH] = VMX_EXIT_VMLAUNCH,
    [VMX_OP_VMRESUME] = VMX_EXIT_VMRESUME, [VMX_OP_VMCALL] = VMX_EXIT_VMCALL,
};

static enum x86_outcome succeed(struct xctx *x)
{
    x->st->eflags &= ~X86_STATUS;
    return X86_X_OK;
}

static enum x86_outcome outside(struct xctx *x, uint64_t pa)
{
    snprintf(x->res->reason, sizeof(x->res->reason), "VMX structure at 0x%08llx outside memory",
             (unsigned long long)pa);
    return X86_X_MEMORY;
}

/* VMfail(err): VMfailValid when there is a current VMCS, else
 * VMfailInvalid. */
static enum x86_outcome fail(struct xctx *x, unsigned err)
{
    struct x86_state *st = x->st;
    st->eflags &= ~X86_STATUS;
    if (st->vmx.vmcs == VMCS_NONE) {
        st->eflags |= X86_CF;
        return X86_X_OK;
    }
    st->eflags |= X86_ZF;
    if (x86_vmcs_put(x->mem, st->vmx.vmcs, VMCS_INSN_ERROR, err, &x->res->stall) != 0)
        return outside(x, st->vmx.vmcs);
    return X86_X_OK;
}

/* The 64-bit physical address in the m64 operand. */
static enum x86_outcome operand_pa(struct xctx *x, uint64_t *pa)
{
    const struct x86_op *o = &x->in->op[0];
    uint32_t lo, hi;
    if (o->kind != X86_OP_MEM)
        return ia32_fault(x, X86_VEC_UD, false, 0, "VMX instruction with a register operand");
    uint32_t off = ia32_ea(x, o);
    enum x86_outcome r = ia32_load(x, o->seg, off, 4, &lo);
    if (r == X86_X_OK)
        r = ia32_load(x, o->seg, off + 4, 4, &hi);
    *pa = (uint64_t)hi << 32 | lo;
    return r;
}

/* A VMXON region or VMCS address: 4 KiB aligned and within the 32-bit
 * physical-address width IA32_VMX_BASIC[48] reports. */
static bool good_pa(uint64_t pa)
{
    return !(pa & 0xFFF) && pa <= 0xFFFFFFFFu;
}

static enum x86_outcome read32(struct xctx *x, uint64_t pa, uint32_t *v)
{
    return x->mem->read(x->mem->ctx, pa, 4, v, &x->res->stall) ? outside(x, pa) : X86_X_OK;
}

static enum x86_outcome write32(struct xctx *x, uint64_t pa, uint32_t v)
{
    return x->mem->write(x->mem->ctx, pa, 4, v, &x->res->stall) ? outside(x, pa) : X86_X_OK;
}

static enum x86_outcome vmxon(struct xctx *x)
{
    struct x86_state *st = x->st;
    uint64_t pa, fc;
    uint32_t rev;
    if (x->in->op[0].kind != X86_OP_MEM || !(st->cr4 & X86_CR4_VMXE))
        return ia32_fault(x, X86_VEC_UD, false, 0, "vmxon with CR4.VMXE = 0");
    if (st->vmx.guest)
        return ia32_vmexit(x, VMX_EXIT_VMXON, 0);
    if (st->cpl)
        return ia32_fault(x, X86_VEC_GP, true, 0, "vmxon above CPL 0");
    if (st->vmx.on)
        return fail(x, VMX_ERR_VMXON_ROOT);
    /* CR0 and CR4 against the fixed bits, IA32_FEATURE_CONTROL (23.7, 23.8). */
    x86_vmx_rdmsr(0x3A, &fc);
    if ((st->cr0 & 0x80000021u) != 0x80000021u || !(fc & 1) || !(fc & 4))
        return ia32_fault(x, X86_VEC_GP, true, 0, "vmxon with CR0.PE, NE or PG clear");
    enum x86_outcome o = operand_pa(x, &pa);
    if (o != X86_X_OK)
        return o;
    x->st->eflags &= ~X86_STATUS;
    if (!good_pa(pa)) {
        st->eflags |= X86_CF; /* VMfailInvalid */
        return X86_X_OK;
    }
    if ((o = read32(x, pa, &rev)) != X86_X_OK)
        return o;
    if (rev != VMCS_REVISION) {
        st->eflags |= X86_CF;
        return X86_X_OK;
    }
    st->vmx.on = true;
    st->vmx.vmxon = (uint32_t)pa;
    st->vmx.vmcs = VMCS_NONE;
    return X86_X_OK;
}

static enum x86_outcome vmclear(struct xctx *x)
{
    uint64_t pa;
    enum x86_outcome o = operand_pa(x, &pa);
    if (o != X86_X_OK)
        return o;
    if (!good_pa(pa))
        return fail(x, VMX_ERR_VMCLEAR_ADDR);
    if (pa == x->st->vmx.vmxon)
        return fail(x, VMX_ERR_VMCLEAR_VMXON);
    /* The data is in memory already; only the launch state changes. */
    if ((o = write32(x, pa + VMCS_LAUNCH_OFF, 0)) != X86_X_OK)
        return o;
    if (pa == x->st->vmx.vmcs)
        x->st->vmx.vmcs = VMCS_NONE;
    return succeed(x);
}

static enum x86_outcome vmptrld(struct xctx *x)
{
    uint64_t pa;
    uint32_t rev;
    enum x86_outcome o = operand_pa(x, &pa);
    if (o != X86_X_OK)
        return o;
    if (!good_pa(pa))
        return fail(x, VMX_ERR_VMPTRLD_ADDR);
    if (pa == x->st->vmx.vmxon)
        return fail(x, VMX_ERR_VMPTRLD_VMXON);
    if ((o = read32(x, pa, &rev)) != X86_X_OK)
        return o;
    if (rev != VMCS_REVISION) /* bit 31 (shadow VMCS) is not supported either */
        return fail(x, VMX_ERR_VMPTRLD_REVISION);
    x->st->vmx.vmcs = (uint32_t)pa;
    return succeed(x);
}

static enum x86_outcome vmptrst(struct xctx *x)
{
    const struct x86_op *op = &x->in->op[0];
    uint32_t cur = x->st->vmx.vmcs, off = ia32_ea(x, op);
    if (op->kind != X86_OP_MEM)
        return ia32_fault(x, X86_VEC_UD, false, 0, "vmptrst with a register operand");
    enum x86_outcome o = ia32_store(x, op->seg, off, 4, cur);
    if (o == X86_X_OK) /* the all-ones pointer when none is current */
        o = ia32_store(x, op->seg, off + 4, 4, cur == VMCS_NONE ? 0xFFFFFFFFu : 0);
    return o == X86_X_OK ? succeed(x) : o;
}

/* VMREAD r/m32, r32 and VMWRITE r32, r/m32: operand size 32 outside
 * 64-bit mode (30.3); 16-bit fields zero-extend on read and take bits
 * 15:0 on write; a full-width access to a 64-bit field reads the low
 * dword and writes it with the high dword cleared, the high encoding
 * (bit 0) reaches bits 63:32 (24.11.2, 31.9.2.2). */
static enum x86_outcome vmread_write(struct xctx *x, bool write)
{
    struct x86_state *st = x->st;
    uint32_t enc, v = 0;
    enum vmcs_width w;
    bool high, ro;
    enum x86_outcome o = ia32_get(x, write ? 0 : 1, 4, &enc);
    if (o != X86_X_OK)
        return o;
    if (st->vmx.vmcs == VMCS_NONE)
        return fail(x, 0);
    int f = vmcs_lookup(enc, &w, &high, &ro);
    if (f < 0)
        return fail(x, VMX_ERR_FIELD);
    uint64_t slot = (uint64_t)st->vmx.vmcs + VMCS_SLOT_OFF(f) + (high ? 4 : 0);
    if (!write) {
        if ((o = read32(x, slot, &v)) != X86_X_OK)
            return o;
        o = ia32_put(x, 0, 4, v);
        return o == X86_X_OK ? succeed(x) : o;
    }
    if (ro)
        return fail(x, VMX_ERR_READONLY);
    if ((o = ia32_get(x, 1, 4, &v)) != X86_X_OK)
        return o;
    if (w == VMCS_W16)
        v &= 0xFFFF;
    if ((o = write32(x, slot, v)) != X86_X_OK)
        return o;
    if (w == VMCS_W64 && !high && (o = write32(x, slot + 4, 0)) != X86_X_OK)
        return o;
    return succeed(x);
}

static enum x86_outcome launch(struct xctx *x, bool first)
{
    uint32_t state;
    if (x->st->vmx.vmcs == VMCS_NONE)
        return fail(x, 0);
    enum x86_outcome o = read32(x, (uint64_t)x->st->vmx.vmcs + VMCS_LAUNCH_OFF, &state);
    if (o != X86_X_OK)
        return o;
    if (first && state != 0)
        return fail(x, VMX_ERR_LAUNCH_NOT_CLEAR);
    if (!first && state != 1)
        return fail(x, VMX_ERR_RESUME_NOT_LAUNCHED);
    return ia32_vmentry(x, first);
}

enum x86_outcome ia32_vmx(struct xctx *x, unsigned op)
{
    struct x86_state *st = x->st;
    if (op == VMX_OP_VMXON)
        return vmxon(x);
    /* Outside VMX operation every other VMX instruction is #UD; in the
     * guest it exits; in the host it needs CPL 0 (30.3). */
    if (!st->vmx.on)
        return ia32_fault(x, X86_VEC_UD, false, 0, "VMX instruction outside VMX operation");
    if (st->vmx.guest)
        return ia32_vmexit(x, exit_reason[op], 0);
    if (st->cpl)
        return ia32_fault(x, X86_VEC_GP, true, 0, "VMX instruction above CPL 0");
    switch (op) {
    case VMX_OP_VMXOFF:
        st->vmx.on = false;
        st->vmx.vmcs = VMCS_NONE;
        return succeed(x);
    case VMX_OP_VMCLEAR:
        return vmclear(x);
    case VMX_OP_VMPTRLD:
        return vmptrld(x);
    case VMX_OP_VMPTRST:
        return vmptrst(x);
    case VMX_OP_VMREAD:
        return vmread_write(x, false);
    case VMX_OP_VMWRITE:
        return vmread_write(x, true);
    case VMX_OP_VMLAUNCH:
        return launch(x, true);
    case VMX_OP_VMRESUME:
        return launch(x, false);
    default: /* VMCALL in the host, without dual-monitor treatment */
        return fail(x, VMX_ERR_VMCALL_ROOT);
    }
}
