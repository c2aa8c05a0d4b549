/*
 * host.c - the hypervisor's own machine state for VMX root operation: a
 * GDT with flat ring-0 segments and a TSS (a VM exit needs a non-null host
 * TR, SDM Vol. 3C 26.2.3), and paging with an identity map of all 4 GiB in
 * 4 MiB pages, because VMX operation requires CR0.PG = 1 (IA32_VMX_CR0_
 * FIXED0, Vol. 3D A.7).  The identity map lets the hypervisor reach every
 * VM's partition at its machine address.
 *
 * Several harts share the GDT and the map, but each has its own TSS and
 * descriptor: LTR marks the descriptor busy, and loading a busy one
 * faults (Vol. 3A 7.2.4), so two harts cannot load the same one.
 */
#include "host.h"

#include "cpu.h"
#include "vmcs_fields.h"

#define PDE_P    0x001u
#define PDE_RW   0x002u
#define PDE_PS   0x080u
#define SEG_CODE 0x00CF9A000000FFFFull /* base 0, limit 4 GiB, 32-bit, execute/read */
#define SEG_DATA 0x00CF92000000FFFFull /* read/write */

static uint64_t gdt[3 + HOST_MAX_HARTS] __attribute__((aligned(8)));
static uint32_t tss[HOST_MAX_HARTS][26] __attribute__((aligned(16)));
static uint32_t host_pd[1024] __attribute__((aligned(4096)));

static uint64_t tss_descriptor(uint32_t base, uint32_t limit)
{
    /* type 9 (available 32-bit TSS), present, DPL 0 (Vol. 3A 7.2.2) */
    return (uint64_t)(limit & 0xFFFF) | (uint64_t)(base & 0xFFFFFF) << 16 | 0x89ull << 40 |
           (uint64_t)((limit >> 16) & 0xF) << 48 | (uint64_t)(base >> 24) << 56;
}

void host_init(uint32_t hart)
{
    if (hart == 0) {
        gdt[1] = SEG_CODE;
        gdt[2] = SEG_DATA;
        for (uint32_t h = 0; h < HOST_MAX_HARTS; h++)
            gdt[3 + h] = tss_descriptor((uint32_t)tss[h], sizeof(tss[h]) - 1);
        for (uint32_t i = 0; i < 1024; i++)
            host_pd[i] = i << 22 | PDE_PS | PDE_RW | PDE_P;
    }
    struct __attribute__((packed)) {
        uint16_t limit;
        uint32_t base;
    } gdtr = {sizeof(gdt) - 1, (uint32_t)gdt};
    uint16_t tr = (uint16_t)(HOST_TR + 8 * hart);
    __asm__ volatile("lgdt %0\n\t"
                     "ljmp %1, $1f\n"
                     "1:\n\t"
                     "mov %2, %%ax\n\t"
                     "mov %%ax, %%ds\n\t"
                     "mov %%ax, %%es\n\t"
                     "mov %%ax, %%ss\n\t"
                     "mov %%ax, %%fs\n\t"
                     "mov %%ax, %%gs\n\t"
                     "mov %3, %%ax\n\t"
                     "ltr %%ax"
                     :
                     : "m"(gdtr), "i"(HOST_CS), "i"(HOST_DS), "m"(tr)
                     : "eax", "memory");
    write_cr4(read_cr4() | CR4_PSE);
    write_cr3((uint32_t)host_pd);
    write_cr0(read_cr0() | CR0_PG | CR0_NE);
}

void host_vmcs_state(uint32_t hart)
{
    vmwrite(V_HOST_CR0, read_cr0());
    vmwrite(V_HOST_CR3, read_cr3());
    vmwrite(V_HOST_CR4, read_cr4());
    vmwrite(V_HOST_ES_SEL, HOST_DS);
    vmwrite(V_HOST_CS_SEL, HOST_CS);
    vmwrite(V_HOST_SS_SEL, HOST_DS);
    vmwrite(V_HOST_DS_SEL, HOST_DS);
    vmwrite(V_HOST_FS_SEL, HOST_DS);
    vmwrite(V_HOST_GS_SEL, HOST_DS);
    vmwrite(V_HOST_TR_SEL, HOST_TR + 8 * hart);
    vmwrite(V_HOST_FS_BASE, 0);
    vmwrite(V_HOST_GS_BASE, 0);
    vmwrite(V_HOST_TR_BASE, (uint32_t)tss[hart]);
    vmwrite(V_HOST_GDTR_BASE, (uint32_t)gdt);
    vmwrite(V_HOST_IDTR_BASE, 0);
}
