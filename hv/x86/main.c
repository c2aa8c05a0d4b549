/*
 * main.c - the IA-32 hypervisor's boot: find the boot-info block the
 * front end wrote (bootinfo.h), check it, and report what it was given.
 * Each VM then runs under VT-x (vmx.c).  Application processors enter
 * here too, once the boot processor starts them; they go straight to
 * their share of the VMs.
 */
#include "bootinfo.h"
#include "console.h"
#include "cpu.h"
#include "vmm.h"

#define MULTIBOOT_LOADER_MAGIC 0x2BADB002u

/* The block is the front end's promise; check it before trusting it. */
static const struct xbi *boot_info(void)
{
    const struct xbi *bi = (const struct xbi *)XBI_ADDR;
    if (bi->magic != XBI_MAGIC || bi->version != XBI_VERSION)
        vmm_panic("no boot-info block at 0x%x (magic 0x%x version %u)", XBI_ADDR, bi->magic,
                  bi->version);
    if (bi->nvms == 0 || bi->nvms > XBI_MAX_VMS)
        vmm_panic("boot-info: %u VMs", bi->nvms);
    for (uint32_t i = 0; i < bi->nvms; i++) {
        const struct xbi_vm *v = &bi->vm[i];
        if (v->base < XBI_FIRST || v->base % XBI_ALIGN || v->size % XBI_ALIGN ||
            v->base + v->size > bi->memory || v->entry - v->base >= v->size)
            vmm_panic("boot-info: VM %u has a bad partition 0x%x+0x%x", i, v->base, v->size);
    }
    return bi;
}

#define MSR_APIC_BASE 0x1Bu
#define APIC_BASE_BSP (1u << 8) /* set on the boot processor only (Vol. 3A 10.4.4) */

__attribute__((noreturn)) void vmm_main(uint32_t magic, uint32_t mbi, uint32_t apic_id);

void vmm_main(uint32_t magic, uint32_t mbi, uint32_t apic_id)
{
    (void)mbi;
    if (!(rdmsr(MSR_APIC_BASE) & APIC_BASE_BSP))
        vmm_run_ap(apic_id); /* the boot processor has checked the block */
    if (magic != MULTIBOOT_LOADER_MAGIC)
        vmm_panic("not started by a Multiboot loader (EAX 0x%x)", magic);
    const struct xbi *bi = boot_info();
    con_printf("vmm: %u VM%s, %u MiB, pf_filter variant %u bit14 %u mask 0x%x match 0x%x "
               "mask2 0x%x match2 0x%x criteria %u ptbase 0x%08x\n",
               bi->nvms, bi->nvms == 1 ? "" : "s", bi->memory >> 20, bi->pf_variant, bi->pf_bit14,
               bi->pf_mask, bi->pf_match, bi->pf_mask2, bi->pf_match2, bi->pf_criteria, bi->ptbase);
    for (uint32_t i = 0; i < bi->nvms; i++) {
        const struct xbi_vm *v = &bi->vm[i];
        con_printf("vmm: VM %u: partition 0x%08x-0x%08x entry 0x%08x mbi 0x%08x vcpus %u\n", i,
                   v->base, v->base + v->size - 1, v->entry, v->mbi, v->vcpus);
    }
    vmm_run(bi);
}
