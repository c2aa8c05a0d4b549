/*
 * exec_sys.c - the system instructions: I/O ports with the TSS's
 * permission bitmap, hlt, cpuid, rdtsc, int n/int3/into/int1, mov to and
 * from control and debug registers, clts, rdmsr/wrmsr/rdpmc (through the
 * hart, which backs MSRs with EMON), invlpg and the cache and ordering
 * instructions.  Intel SDM Vol. 2, each instruction's page.
 */
#include "model/cache/memsys.h"
#include "model/cpu/x86/exec_impl.h"
#include "model/cpu/x86/vmx.h"

static enum x86_outcome io_fault(struct xctx *x)
{
    return ia32_fault(x, X86_VEC_GP, true, 0, "I/O port access denied (CPL > IOPL and bitmap)");
}

/* Port access in protected mode needs CPL <= IOPL; otherwise every bit of
 * the range in the TSS's I/O permission bitmap must be 0.  The bitmap
 * starts at the 16-bit offset at TSS byte 102; bytes beyond the TSS limit
 * count as set (Vol. 1 18.5.2). */
enum x86_outcome ia32_io_check(struct xctx *x, uint16_t port, unsigned size)
{
    const struct x86_state *st = x->st;
    uint32_t base, bits;
    if (st->cpl <= ((st->eflags & X86_IOPL) >> 12))
        return X86_X_OK;
    if ((st->tr.attr & X86_AR_UNUSABLE) || st->tr.limit < 103)
        return io_fault(x);
    enum x86_outcome o = ia32_lin_read(x, st->tr.base + 102, 2, &base, false);
    if (o != X86_X_OK)
        return o;
    uint32_t at = base + port / 8u;
    if (at + 1 > st->tr.limit)
        return io_fault(x);
    o = ia32_lin_read(x, st->tr.base + at, 2, &bits, false);
    if (o != X86_X_OK)
        return o;
    return (bits >> (port & 7u)) & ((1u << size) - 1) ? io_fault(x) : X86_X_OK;
}

/* Whether an I/O access in the guest exits (Intel SDM Vol. 3C 25.1.3):
 * with "use I/O bitmaps", when the bit of any port it touches is set in
 * bitmap A (ports 0-0x7FFF) or B, or it wraps past 0xFFFF; else with
 * "unconditional I/O exiting".  The qualification (27.2.1, Table 27-5):
 * size - 1, direction (1 = in), string, REP, immediate operand, port in
 * bits 31:16.  X86_X_OK when the access proceeds. */
enum x86_outcome ia32_io_exit(struct xctx *x, uint16_t port, unsigned size, unsigned flags)
{
    const struct x86_vmx *v = &x->st->vmx;
    if (!v->guest)
        return X86_X_OK;
    bool exits = false;
    if (v->proc & VMX_PROC_IO_BITMAPS) {
        for (unsigned i = 0; i < size && !exits; i++) {
            uint32_t p = port + i, byte;
            if (p > 0xFFFF) {
                exits = true;
                break;
            }
            uint64_t pa = (uint64_t)v->io_bitmap[p >> 15] + ((p & 0x7FFF) >> 3);
            if (x->mem->read(x->mem->ctx, pa, 1, &byte, &x->res->stall) != 0) {
                snprintf(x->res->reason, sizeof(x->res->reason),
                         "I/O bitmap at 0x%08llx outside memory", (unsigned long long)pa);
                return X86_X_MEMORY;
            }
            exits = byte >> (p & 7) & 1;
        }
    } else {
        exits = v->proc & VMX_PROC_IO_UNCOND;
    }
    if (!exits)
        return X86_X_OK;
    return ia32_vmexit(x, VMX_EXIT_IO, (size - 1) | flags | (uint32_t)port << 16);
}

/* IN acc, imm8/DX. */
enum x86_outcome ia32_in(struct xctx *x, unsigned arg)
{
    (void)arg;
    unsigned size = x->in->op[0].size;
    uint32_t port;
    enum x86_outcome o = ia32_get(x, 1, 2, &port);
    if (o == X86_X_OK)
        o = ia32_io_check(x, (uint16_t)port, size);
    if (o == X86_X_OK)
        o = ia32_io_exit(x, (uint16_t)port, size,
                         IO_QUAL_IN | (x->in->op[1].kind == X86_OP_IMM ? IO_QUAL_IMM : 0));
    if (o != X86_X_OK)
        return o;
    ia32_setreg(x->st, X86_EAX, size, false, x->mem->port_in(x->mem->ctx, (uint16_t)port, size));
    return X86_X_OK;
}

/* OUT imm8/DX, acc. */
enum x86_outcome ia32_out(struct xctx *x, unsigned arg)
{
    (void)arg;
    unsigned size = x->in->op[1].size;
    uint32_t port, v;
    enum x86_outcome o = ia32_get(x, 0, 2, &port);
    if (o == X86_X_OK)
        o = ia32_get(x, 1, size, &v);
    if (o == X86_X_OK)
        o = ia32_io_check(x, (uint16_t)port, size);
    if (o == X86_X_OK)
        o = ia32_io_exit(x, (uint16_t)port, size,
                         x->in->op[0].kind == X86_OP_IMM ? IO_QUAL_IMM : 0);
    if (o != X86_X_OK)
        return o;
    x->mem->port_out(x->mem->ctx, (uint16_t)port, size, v);
    return X86_X_OK;
}

/* HLT is privileged (Vol. 2A HLT): #GP(0) above CPL 0.  The hart sleeps
 * until an interrupt; the frame of that interrupt saves the EIP after
 * the hlt. */
enum x86_outcome ia32_hlt(struct xctx *x, unsigned arg)
{
    (void)arg;
    if (x->st->cpl)
        return ia32_fault(x, X86_VEC_GP, true, 0, "hlt above CPL 0");
    if (x->st->vmx.guest && (x->st->vmx.proc & VMX_PROC_HLT))
        return ia32_vmexit(x, VMX_EXIT_HLT, 0);
    x->st->halted = true;
    return X86_X_HALT;
}

enum x86_outcome ia32_nop(struct xctx *x, unsigned arg)
{
    (void)x;
    (void)arg;
    return X86_X_OK;
}

/*
 * CPUID (Vol. 2A CPUID, Tables 3-8 and 3-11): a Core 2 class identity,
 * claiming only the features the model executes.  Leaf 0: highest leaf 1,
 * vendor "GenuineIntel" in EBX, EDX, ECX.  Leaf 1: signature family 6,
 * model 15, stepping 6 (Core 2 Duo E6600); EBX = CLFLUSH line size 8
 * (x 8 = 64 bytes, bits 15:8; brand index 0; the initial APIC ID in bits
 * 31:24); ECX = VMX (bit 5); EDX = DE (bit 2), PSE (3), TSC (4), MSR (5), CX8 (8),
 * APIC (9), PGE (13), CMOV (15), CLFSH (19).  No x87: FPU (bit 0) is
 * clear; no PSE-36 or PAE.
 * Other leaves read as zeros.
 */
enum x86_outcome ia32_cpuid(struct xctx *x, unsigned arg)
{
    (void)arg;
    uint32_t *g = x->st->gpr;
    if (x->st->vmx.guest) /* CPUID always exits in the guest (Vol. 3C 25.1.2) */
        return ia32_vmexit(x, VMX_EXIT_CPUID, 0);
    switch (g[X86_EAX]) {
    case 0:
        g[X86_EAX] = 1;
        g[X86_EBX] = 0x756E6547; /* "Genu" */
        g[X86_EDX] = 0x49656E69; /* "ineI" */
        g[X86_ECX] = 0x6C65746E; /* "ntel" */
        break;
    case 1:
        g[X86_EAX] = 0x000006F6;
        g[X86_EBX] = 8u << 8 | (uint32_t)x->st->apic_id << 24;
        g[X86_ECX] = 1u << 5; /* VMX */
        g[X86_EDX] = 1u << 2 | 1u << 3 | 1u << 4 | 1u << 5 | 1u << 8 | 1u << 9 | 1u << 13 |
                     1u << 15 | 1u << 19;
        break;
    default:
        g[X86_EAX] = g[X86_EBX] = g[X86_ECX] = g[X86_EDX] = 0;
        break;
    }
    return X86_X_OK;
}

/* RDTSC: EDX:EAX = the time-stamp counter; #GP(0) above CPL 0 when
 * CR4.TSD is set (Vol. 2B RDTSC). */
enum x86_outcome ia32_rdtsc(struct xctx *x, unsigned arg)
{
    (void)arg;
    if ((x->st->cr4 & X86_CR4_TSD) && x->st->cpl)
        return ia32_fault(x, X86_VEC_GP, true, 0, "rdtsc above CPL 0 with CR4.TSD");
    if (x->st->vmx.guest && (x->st->vmx.proc & VMX_PROC_RDTSC))
        return ia32_vmexit(x, VMX_EXIT_RDTSC, 0);
    x->st->gpr[X86_EAX] = (uint32_t)x->st->tsc;
    x->st->gpr[X86_EDX] = (uint32_t)(x->st->tsc >> 32);
    return X86_X_OK;
}

/* INT n, INT3, INTO, INT1 (Vol. 2A INT n/INTO/INT3/INT1): events the hart
 * delivers as traps (the frame saves the next EIP).  arg: the event kind
 * << 8 | the vector (INT n takes it from its operand). */
enum x86_outcome ia32_int(struct xctx *x, unsigned arg)
{
    unsigned kind = arg >> 8, vec = arg & 0xFF;
    if (kind == X86_EV_SOFT_INT)
        vec = x->in->op[0].imm & 0xFF;
    else if (vec == X86_VEC_OF && !(x->st->eflags & X86_OF))
        return X86_X_OK; /* into without overflow */
    char why[32];
    snprintf(why, sizeof(why), "int 0x%02x", vec);
    enum x86_outcome o = ia32_fault(x, vec, false, 0, why);
    x->res->fault.kind = (uint8_t)kind;
    return o;
}

static enum x86_outcome need_cpl0(struct xctx *x, const char *what)
{
    return x->st->cpl ? ia32_fault(x, X86_VEC_GP, true, 0, what) : X86_X_OK;
}

#define CR0_KNOWN                                                                                  \
    (X86_CR0_PE | X86_CR0_MP | X86_CR0_EM | X86_CR0_TS | X86_CR0_ET | X86_CR0_NE | X86_CR0_WP |    \
     X86_CR0_AM | X86_CR0_NW | X86_CR0_CD | X86_CR0_PG)
#define CR4_KNOWN                                                                                  \
    (X86_CR4_TSD | X86_CR4_DE | X86_CR4_PSE | X86_CR4_PGE | X86_CR4_PCE | X86_CR4_VMXE)

/* MOV to CRn (Vol. 2A "MOV - Move to/from Control Registers", Vol. 3A
 * 2.5): CR0 ignores its reserved bits, keeps ET set, refuses PG without PE
 * and NW without CD, and PE = 0 (real mode is not modelled); CR4 refuses
 * bits CPUID does not report.  TLB effects (Vol. 3A 4.10.4.1): CR3 flushes
 * all but global entries, a change of CR0.PG or CR4.PGE/PSE all. */
static enum x86_outcome write_cr(struct xctx *x, unsigned n, uint32_t v)
{
    struct x86_state *st = x->st;
    switch (n) {
    case 0:
        v = (v & CR0_KNOWN) | X86_CR0_ET;
        if (((v & X86_CR0_PG) && !(v & X86_CR0_PE)) || ((v & X86_CR0_NW) && !(v & X86_CR0_CD)))
            return ia32_fault(x, X86_VEC_GP, true, 0, "invalid CR0 combination");
        if (!(v & X86_CR0_PE))
            return ia32_fault(x, X86_VEC_GP, true, 0, "CR0.PE = 0: real mode is not modelled");
        if ((v ^ st->cr0) & X86_CR0_PG)
            x86_mmu_flush(x->mem->mmu, false);
        st->cr0 = v;
        return X86_X_OK;
    case 2:
        st->cr2 = v;
        return X86_X_OK;
    case 3:
        st->cr3 = v & 0xFFFFF018u; /* the directory base, PWT and PCD */
        x86_mmu_flush(x->mem->mmu, st->cr4 & X86_CR4_PGE);
        return X86_X_OK;
    case 4:
        if (v & ~CR4_KNOWN)
            return ia32_fault(x, X86_VEC_GP, true, 0, "CR4 bit not supported");
        /* VMXE stays set in VMX operation (Vol. 3C 23.8). */
        if (st->vmx.on && !(v & X86_CR4_VMXE))
            return ia32_fault(x, X86_VEC_GP, true, 0, "clearing CR4.VMXE in VMX operation");
        if ((v ^ st->cr4) & (X86_CR4_PGE | X86_CR4_PSE))
            x86_mmu_flush(x->mem->mmu, false);
        st->cr4 = v;
        return X86_X_OK;
    default:
        return ia32_fault(x, X86_VEC_UD, false, 0, "no such control register");
    }
}

/* DR4/DR5 alias DR6/DR7 unless CR4.DE, which makes them #UD (Vol. 3B
 * 17.2.2). */
static enum x86_outcome dr_index(struct xctx *x, unsigned *n)
{
    if (*n == 4 || *n == 5) {
        if (x->st->cr4 & X86_CR4_DE)
            return ia32_fault(x, X86_VEC_UD, false, 0, "DR4/DR5 with CR4.DE");
        *n += 2;
    }
    return *n < 8 ? X86_X_OK : ia32_fault(x, X86_VEC_UD, false, 0, "no such debug register");
}

/*
 * CR accesses in the guest (Vol. 3C 25.1.3, 25.3; qualification 27.2.1,
 * Table 27-3: CR number 3:0, access type 5:4 (0 MOV to, 1 MOV from, 2
 * CLTS), GPR 11:8).  MOV to CR0/CR4 exits when a bit owned by the host
 * (set in the guest/host mask) would differ from the read shadow;
 * otherwise the owned bits keep their value.  MOV to CR3 exits with
 * CR3-load exiting unless the value is one of the first CR3-target-count
 * targets; MOV from CR3 exits with CR3-store exiting.  Reads of CR0/CR4
 * see the shadow in the owned bits.
 */
static enum x86_outcome guest_write_cr(struct xctx *x, unsigned n, unsigned gpr, uint32_t *v)
{
    const struct x86_vmx *m = &x->st->vmx;
    uint32_t qual = n | gpr << 8;
    if (n == 0 || n == 4) {
        uint32_t mask = n ? m->cr4_mask : m->cr0_mask, shadow = n ? m->cr4_shadow : m->cr0_shadow;
        uint32_t cur = n ? x->st->cr4 : x->st->cr0;
        if ((*v ^ shadow) & mask)
            return ia32_vmexit(x, VMX_EXIT_CR_ACCESS, qual);
        *v = (*v & ~mask) | (cur & mask);
    } else if (n == 3 && (m->proc & VMX_PROC_CR3_LOAD)) {
        for (unsigned i = 0; i < m->cr3_count && i < 4; i++)
            if (m->cr3_target[i] == *v)
                return X86_X_OK;
        return ia32_vmexit(x, VMX_EXIT_CR_ACCESS, qual);
    }
    return X86_X_OK;
}

static enum x86_outcome guest_read_cr(struct xctx *x, unsigned n, unsigned gpr, uint32_t *v)
{
    const struct x86_vmx *m = &x->st->vmx;
    if (n == 3 && (m->proc & VMX_PROC_CR3_STORE))
        return ia32_vmexit(x, VMX_EXIT_CR_ACCESS, n | 1u << 4 | gpr << 8);
    if (n == 0)
        *v = (*v & ~m->cr0_mask) | (m->cr0_shadow & m->cr0_mask);
    else if (n == 4)
        *v = (*v & ~m->cr4_mask) | (m->cr4_shadow & m->cr4_mask);
    return X86_X_OK;
}

/* MOV between a GPR and CRn or DRn: CPL 0 only; always 32 bits.  The
 * debug registers are stored; breakpoints do not fire (docs/isa-x86.md). */
enum x86_outcome ia32_movcr(struct xctx *x)
{
    const struct x86_op *d = &x->in->op[0], *s = &x->in->op[1];
    struct x86_state *st = x->st;
    enum x86_outcome o = need_cpl0(x, "mov to/from CRn/DRn above CPL 0");
    if (o != X86_X_OK)
        return o;
    bool to = d->kind == X86_OP_CR || d->kind == X86_OP_DR;
    const struct x86_op *r = to ? d : s, *g = to ? s : d;
    unsigned n = r->reg;
    if (r->kind == X86_OP_DR && (o = dr_index(x, &n)) != X86_X_OK)
        return o;
    if (!to) {
        uint32_t v;
        if (r->kind == X86_OP_DR) {
            v = st->dr[n];
        } else if (n == 0 || n == 2 || n == 3 || n == 4) {
            const uint32_t *crs[5] = {&st->cr0, NULL, &st->cr2, &st->cr3, &st->cr4};
            v = *crs[n];
            if (st->vmx.guest && (o = guest_read_cr(x, n, g->reg, &v)) != X86_X_OK)
                return o;
        } else {
            return ia32_fault(x, X86_VEC_UD, false, 0, "no such control register");
        }
        ia32_setreg(st, g->reg, 4, false, v);
        return X86_X_OK;
    }
    uint32_t v = st->gpr[g->reg];
    x->res->serialize = true; /* MOV to CRn/DRn serializes (Vol. 3A 8.3) */
    if (r->kind == X86_OP_CR && st->vmx.guest && (o = guest_write_cr(x, n, g->reg, &v)) != X86_X_OK)
        return o;
    if (r->kind == X86_OP_CR)
        return write_cr(x, n, v);
    st->dr[n] = n == 6 ? v | X86_DR6_FIXED : n == 7 ? v | X86_DR7_FIXED : v;
    return X86_X_OK;
}

enum x86_outcome ia32_clts(struct xctx *x, unsigned arg)
{
    (void)arg;
    enum x86_outcome o = need_cpl0(x, "clts above CPL 0");
    const struct x86_vmx *m = &x->st->vmx;
    if (o != X86_X_OK)
        return o;
    /* In the guest (Vol. 3C 25.1.3, 25.3): CLTS exits when the host owns
     * TS and the shadow has it set; owned with a clear shadow, it leaves
     * TS alone. */
    if (m->guest && (m->cr0_mask & X86_CR0_TS)) {
        if (m->cr0_shadow & X86_CR0_TS)
            return ia32_vmexit(x, VMX_EXIT_CR_ACCESS, 2u << 4);
        return X86_X_OK;
    }
    x->st->cr0 &= ~X86_CR0_TS;
    return o;
}

/*
 * Whether a guest's RDMSR (write = false) or WRMSR exits (Vol. 3C 25.1.3,
 * 24.6.9): always without "use MSR bitmaps"; with them, the bit of the
 * MSR in the 4 KiB bitmap - read-low at +0 (MSRs 0-0x1FFF), read-high at
 * +1024 (0xC0000000-0xC0001FFF), write-low at +2048, write-high at +3072;
 * an MSR in neither range always exits.  -1 when the bitmap is outside
 * memory (reason set).
 */
static int msr_exits(struct xctx *x, uint32_t msr, bool write)
{
    const struct x86_vmx *v = &x->st->vmx;
    if (!(v->proc & VMX_PROC_MSR_BITMAPS))
        return 1;
    uint32_t off;
    if (msr <= 0x1FFF)
        off = 0;
    else if (msr >= 0xC0000000u && msr <= 0xC0001FFFu)
        off = 1024;
    else
        return 1;
    off += write ? 2048 : 0;
    uint32_t bit = msr & 0x1FFF, byte;
    uint64_t pa = (uint64_t)v->msr_bitmap + off + (bit >> 3);
    if (x->mem->read(x->mem->ctx, pa, 1, &byte, &x->res->stall) != 0) {
        snprintf(x->res->reason, sizeof(x->res->reason), "MSR bitmap at 0x%08llx outside memory",
                 (unsigned long long)pa);
        return -1;
    }
    return byte >> (bit & 7) & 1;
}

/* RDMSR/WRMSR (Vol. 2B): CPL 0; ECX names the MSR; EDX:EAX the value.  The
 * hart answers for the MSRs it has, others raise #GP(0). */
enum x86_outcome ia32_rdmsr(struct xctx *x, unsigned arg)
{
    (void)arg;
    uint32_t *g = x->st->gpr;
    uint64_t v;
    enum x86_outcome o = need_cpl0(x, "rdmsr above CPL 0");
    if (o != X86_X_OK)
        return o;
    if (x->st->vmx.guest) {
        int e = msr_exits(x, g[X86_ECX], false);
        if (e < 0)
            return X86_X_MEMORY;
        if (e)
            return ia32_vmexit(x, VMX_EXIT_RDMSR, 0);
    }
    if (x->mem->rdmsr(x->mem->ctx, g[X86_ECX], &v) != 0)
        return ia32_fault(x, X86_VEC_GP, true, 0, "rdmsr of an MSR the model does not have");
    g[X86_EAX] = (uint32_t)v;
    g[X86_EDX] = (uint32_t)(v >> 32);
    return X86_X_OK;
}

enum x86_outcome ia32_wrmsr(struct xctx *x, unsigned arg)
{
    (void)arg;
    const uint32_t *g = x->st->gpr;
    enum x86_outcome o = need_cpl0(x, "wrmsr above CPL 0");
    if (o != X86_X_OK)
        return o;
    if (x->st->vmx.guest) {
        int e = msr_exits(x, g[X86_ECX], true);
        if (e < 0)
            return X86_X_MEMORY;
        if (e)
            return ia32_vmexit(x, VMX_EXIT_WRMSR, 0);
    }
    x->res->serialize = true; /* WRMSR serializes (Vol. 3A 8.3) */
    uint64_t v = (uint64_t)g[X86_EDX] << 32 | g[X86_EAX];
    if (x->mem->wrmsr(x->mem->ctx, g[X86_ECX], v) != 0)
        return ia32_fault(x, X86_VEC_GP, true, 0, "wrmsr of an MSR the model does not have");
    return X86_X_OK;
}

/* RDPMC (Vol. 2B): above CPL 0 only with CR4.PCE; ECX selects a counter. */
enum x86_outcome ia32_rdpmc(struct xctx *x, unsigned arg)
{
    (void)arg;
    uint32_t *g = x->st->gpr;
    uint64_t v;
    if (x->st->cpl && !(x->st->cr4 & X86_CR4_PCE))
        return ia32_fault(x, X86_VEC_GP, true, 0, "rdpmc above CPL 0 without CR4.PCE");
    if (x->st->vmx.guest && (x->st->vmx.proc & VMX_PROC_RDPMC))
        return ia32_vmexit(x, VMX_EXIT_RDPMC, 0);
    if (x->mem->rdpmc(x->mem->ctx, g[X86_ECX], &v) != 0)
        return ia32_fault(x, X86_VEC_GP, true, 0, "rdpmc of a counter the hart does not have");
    g[X86_EAX] = (uint32_t)v;
    g[X86_EDX] = (uint32_t)(v >> 32);
    return X86_X_OK;
}

/* INVLPG m (Vol. 2A): CPL 0; the linear address is segment base +
 * offset, with no limit check and no fault. */
enum x86_outcome ia32_invlpg(struct xctx *x, unsigned arg)
{
    (void)arg;
    const struct x86_op *op = &x->in->op[0];
    enum x86_outcome o = need_cpl0(x, "invlpg above CPL 0");
    if (o != X86_X_OK)
        return o;
    if (op->kind != X86_OP_MEM)
        return ia32_fault(x, X86_VEC_UD, false, 0, "invlpg with a register operand");
    uint32_t lin = x->st->seg[op->seg].base + ia32_ea(x, op);
    /* INVLPG exiting: the qualification is the linear address (Vol. 3C
     * 27.2.1). */
    if (x->st->vmx.guest && (x->st->vmx.proc & VMX_PROC_INVLPG))
        return ia32_vmexit(x, VMX_EXIT_INVLPG, lin);
    x86_mmu_invlpg(x->mem->mmu, lin);
    x->res->serialize = true;
    return X86_X_OK;
}

/* WBINVD/INVD: CPL 0, serializing; WBINVD writes back and invalidates the
 * caches, INVD invalidates them without writing back (Vol. 2B WBINVD,
 * Vol. 2A INVD).  CLFLUSH: checked and translated like a byte load, then
 * the line leaves every level of the coherence domain (Vol. 2A CLFLUSH).
 * The memory system charges the cycles (docs/model-cache.md).
 * MFENCE/LFENCE/SFENCE: ordering only. */
enum x86_outcome ia32_cacheop(struct xctx *x, unsigned op)
{
    uint64_t pa;
    switch (op) {
    case CACHE_WBINVD:
    case CACHE_INVD: {
        enum x86_outcome o = need_cpl0(x, "wbinvd/invd above CPL 0");
        if (o != X86_X_OK)
            return o;
        /* INVD exits unconditionally in VMX non-root operation (Vol. 3C
         * 25.1.2), after the privilege check, which has priority (25.1.1):
         * a guest must not discard the VMM's dirty lines. */
        if (op == CACHE_INVD && x->st->vmx.guest)
            return ia32_vmexit(x, VMX_EXIT_INVD, 0);
        x->res->serialize = true;
        if (x->mem->flush)
            x->res->stall += x->mem->flush(
                x->mem->ctx, 0, op == CACHE_WBINVD ? FLUSH_ALL_WRITEBACK : FLUSH_ALL_DISCARD);
        return o;
    }
    case CACHE_CLFLUSH: {
        if (x->in->op[0].kind != X86_OP_MEM)
            return ia32_fault(x, X86_VEC_UD, false, 0, "clflush with a register operand");
        enum x86_outcome o = ia32_flush_pa(x, x->in->op[0].seg, ia32_ea(x, &x->in->op[0]), &pa);
        if (o == X86_X_OK && x->mem->flush)
            x->res->stall += x->mem->flush(x->mem->ctx, pa, FLUSH_LINE);
        return o;
    }
    default:
        return X86_X_OK;
    }
}
