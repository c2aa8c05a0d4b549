/*
 * cpu.h - the privileged instructions the hypervisor uses, as inline
 * assembly: control registers, MSRs, CPUID and the VMX instructions with
 * their VMfail checks (SDM Vol. 3C 30.2).
 */
#ifndef VTSIM_HV_X86_CPU_H
#define VTSIM_HV_X86_CPU_H

#include <stdint.h>

#include "console.h"

#define CR_ACCESSORS(n)                                                                            \
    static inline uint32_t read_cr##n(void)                                                        \
    {                                                                                              \
        uint32_t v;                                                                                \
        __asm__ volatile("mov %%cr" #n ", %0" : "=r"(v));                                          \
        return v;                                                                                  \
    }                                                                                              \
    static inline void write_cr##n(uint32_t v)                                                     \
    {                                                                                              \
        __asm__ volatile("mov %0, %%cr" #n : : "r"(v) : "memory");                                 \
    }
CR_ACCESSORS(0)
CR_ACCESSORS(2)
CR_ACCESSORS(3)
CR_ACCESSORS(4)

static inline uint64_t rdmsr(uint32_t msr)
{
    uint32_t lo, hi;
    __asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
    return (uint64_t)hi << 32 | lo;
}

static inline void cpuid(uint32_t *a, uint32_t *b, uint32_t *c, uint32_t *d)
{
    __asm__ volatile("cpuid" : "+a"(*a), "=b"(*b), "+c"(*c), "=d"(*d));
}

/* The local APIC's registers (xAPIC, memory mapped at its reset base,
 * SDM Vol. 3A 10.4.1); every hart reaches its own at the same address. */
#define APIC_BASE 0xFEE00000u

static inline void apic_write(uint32_t reg, uint32_t v)
{
    *(volatile uint32_t *)(APIC_BASE + reg) = v;
}

/* VMX instructions: 0 on VMsucceed, nonzero on VMfail (CF or ZF). */
static inline int vmx_op_m64(const char *what, uint32_t insn, uint64_t *pa)
{
    uint8_t fail;
    switch (insn) {
    case 0:
        __asm__ volatile("vmxon %1; setna %0" : "=q"(fail) : "m"(*pa) : "cc", "memory");
        break;
    case 1:
        __asm__ volatile("vmclear %1; setna %0" : "=q"(fail) : "m"(*pa) : "cc", "memory");
        break;
    default:
        __asm__ volatile("vmptrld %1; setna %0" : "=q"(fail) : "m"(*pa) : "cc", "memory");
        break;
    }
    if (fail)
        vmm_panic("%s failed", what);
    return 0;
}

static inline uint32_t vmread(uint32_t field)
{
    uint32_t v;
    uint8_t fail;
    __asm__ volatile("vmread %2, %0; setna %1" : "=rm"(v), "=q"(fail) : "r"(field) : "cc");
    if (fail)
        vmm_panic("vmread of field 0x%x failed", field);
    return v;
}

static inline void vmwrite(uint32_t field, uint32_t v)
{
    uint8_t fail;
    __asm__ volatile("vmwrite %1, %2; setna %0" : "=q"(fail) : "rm"(v), "r"(field) : "cc");
    if (fail)
        vmm_panic("vmwrite of 0x%x to field 0x%x failed (VM-instruction error %u)", v, field,
                  vmread(0x4400));
}

#endif
