/*
 * vmx.c - running the VMs under VT-x.  The processor must report VMX
 * (CPUID.1:ECX bit 5, SDM Vol. 3C 24.6 "Discovering Support for VMX");
 * a machine without it ends the run here with a clear message.
 */
#include "console.h"
#include "vmm.h"

static int has_vmx(void)
{
    uint32_t a = 1, b, c = 0, d;
    __asm__ volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
    return (c >> 5) & 1;
}

void vmm_run(const struct xbi *bi)
{
    (void)bi;
    if (!has_vmx())
        vmm_panic("the processor has no VMX (CPUID.1:ECX bit 5 is clear)");
    vmm_panic("VMX operation is not implemented yet");
}
