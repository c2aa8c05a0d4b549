/*
 * vmxon.c - VMX root operation (SDM Vol. 3C 24.6 discovering VMX support,
 * 24.7-24.8 enabling and entering it; Vol. 3D A.1, A.3, A.7, A.8).
 */
#include "vmxon.h"

#include "console.h"
#include "host.h"
#include "cpu.h"
#include "vmcs_fields.h"

static uint8_t vmxon_region[HOST_MAX_HARTS][4096] __attribute__((aligned(4096)));

uint32_t vmx_revision(void)
{
    return (uint32_t)rdmsr(MSR_VMX_BASIC) & 0x7FFFFFFFu;
}

void vmx_on(uint32_t hart)
{
    uint32_t a = 1, b, c = 0, d;
    cpuid(&a, &b, &c, &d);
    if (!((c >> 5) & 1))
        vmm_panic("the processor has no VMX (CPUID.1:ECX bit 5 is clear)");
    *(uint32_t *)(void *)vmxon_region[hart] = vmx_revision();
    write_cr0(read_cr0() | (uint32_t)rdmsr(MSR_VMX_CR0_FIXED0));
    write_cr4(read_cr4() | (uint32_t)rdmsr(MSR_VMX_CR4_FIXED0) | CR4_VMXE);
    uint64_t pa = (uint32_t)vmxon_region[hart];
    vmx_op_m64("vmxon", 0, &pa);
}

uint32_t vmx_controls(uint32_t msr, uint32_t want)
{
    uint64_t cap = rdmsr(msr);
    uint32_t must = (uint32_t)cap, may = (uint32_t)(cap >> 32);
    if (want & ~may)
        vmm_panic("VMX controls 0x%x not allowed by MSR 0x%x (0x%x)", want, msr, may);
    return want | must;
}
