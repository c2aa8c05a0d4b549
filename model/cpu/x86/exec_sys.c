/*
 * exec_sys.c - I/O ports, hlt, nop, cpuid and rdtsc.
 */
#include "model/cpu/x86/exec_impl.h"

#define X86_CR4_TSD (1u << 2)

/* Port access in protected mode needs CPL <= IOPL; otherwise the TSS's
 * I/O permission bitmap decides (Vol. 1 18.5.2), which is not modelled
 * yet: such an access raises #GP(0). */
static bool io_allowed(const struct x86_state *st)
{
    return st->cpl <= ((st->eflags & X86_IOPL) >> 12);
}

/* IN acc, imm8/DX. */
enum x86_outcome ia32_in(struct xctx *x, unsigned arg)
{
    (void)arg;
    unsigned size = x->in->op[0].size;
    uint32_t port;
    enum x86_outcome o = ia32_get(x, 1, 2, &port);
    if (o != X86_X_OK)
        return o;
    if (!io_allowed(x->st))
        return ia32_fault(x, X86_VEC_GP, true, 0, "in with CPL > IOPL");
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
    if (o != X86_X_OK)
        return o;
    if (!io_allowed(x->st))
        return ia32_fault(x, X86_VEC_GP, true, 0, "out with CPL > IOPL");
    x->mem->port_out(x->mem->ctx, (uint16_t)port, size, v);
    return X86_X_OK;
}

/* HLT is privileged (Vol. 2A HLT): #GP(0) above CPL 0. */
enum x86_outcome ia32_hlt(struct xctx *x, unsigned arg)
{
    (void)arg;
    if (x->st->cpl)
        return ia32_fault(x, X86_VEC_GP, true, 0, "hlt above CPL 0");
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
 * model 15, stepping 6 (Core 2 Duo E6600); EBX = 0 (brand index, CLFLUSH
 * size and APIC ID not reported yet); ECX = 0; EDX = TSC (bit 4), CX8
 * (bit 8), CMOV (bit 15).  No x87: FPU (bit 0) is clear.  Other leaves
 * read as zeros.
 */
enum x86_outcome ia32_cpuid(struct xctx *x, unsigned arg)
{
    (void)arg;
    uint32_t *g = x->st->gpr;
    switch (g[X86_EAX]) {
    case 0:
        g[X86_EAX] = 1;
        g[X86_EBX] = 0x756E6547; /* "Genu" */
        g[X86_EDX] = 0x49656E69; /* "ineI" */
        g[X86_ECX] = 0x6C65746E; /* "ntel" */
        break;
    case 1:
        g[X86_EAX] = 0x000006F6;
        g[X86_EBX] = 0;
        g[X86_ECX] = 0;
        g[X86_EDX] = 1u << 4 | 1u << 8 | 1u << 15;
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
    x->st->gpr[X86_EAX] = (uint32_t)x->st->tsc;
    x->st->gpr[X86_EDX] = (uint32_t)(x->st->tsc >> 32);
    return X86_X_OK;
}
