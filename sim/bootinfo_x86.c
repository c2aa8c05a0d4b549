/*
 * bootinfo_x86.c - VM partitions, their Multiboot information and the
 * boot-info block of hv/x86/bootinfo.h (see bootinfo_x86.h).
 */
#include "sim/bootinfo_x86.h"

#include <stdio.h>
#include <string.h>

#include "hv/x86/bootinfo.h"
#include "hv/x86/trace.h"
#include "sim/multiboot.h"

/* A guest's Multiboot information sits in its partition's last page. */
#define MBI_PAGE     4096u
#define MBI_OFF_MMAP 0x100u
#define MBI_OFF_NAME 0x200u

static int put(struct physmem *pm, uint32_t addr, uint32_t v)
{
    return physmem_write(pm, addr, 4, v) == PM_OK ? 0 : -1;
}

/* One VM: its image inside its partition, its information block. */
static int build_vm(const struct study_config *c, struct physmem *pm, unsigned i, const char *path,
                    uint32_t base, struct xbi_vm *out, char *err, size_t errlen)
{
    const struct vm_config *v = &c->vms[i];
    uint32_t size = (uint32_t)v->memory, last = base + size - MBI_PAGE;
    struct elf_image img;
    if (multiboot_load(path, pm, &img, err, errlen) != 0)
        return -1;
    uint64_t entry = img.entry;
    bool inside = img.lo >= base && img.hi <= last && entry >= base && entry < last;
    elf_image_free(&img);
    if (!inside) {
        snprintf(err, errlen,
                 "%s: vms.%u must be linked inside its partition 0x%x-0x%x (without EPT a "
                 "guest runs at machine addresses; the last page holds its Multiboot "
                 "information)",
                 path, i, base, last);
        return -1;
    }
    const uint64_t range[1][2] = {{base, last - base}};
    struct multiboot_info mi = {.info = last,
                                .mmap = last + MBI_OFF_MMAP,
                                .name = last + MBI_OFF_NAME,
                                .ranges = range,
                                .nranges = 1};
    if (multiboot_write_info(pm, &mi) != 0) {
        snprintf(err, errlen, "vms.%u: cannot write its Multiboot information", i);
        return -1;
    }
    *out = (struct xbi_vm){.base = base,
                           .size = size,
                           .entry = (uint32_t)entry,
                           .mbi = last,
                           .vcpus = (uint32_t)v->vcpus,
                           .id = i};
    return 0;
}

/* Microseconds to core cycles, capped at 32 bits (about 1.8 s at 2.4 GHz). */
static uint32_t us_cycles(const struct study_config *c, uint64_t us)
{
    uint64_t cy = us * c->machine.frequency_mhz;
    return cy > 0xFFFFFFFFu ? 0xFFFFFFFFu : (uint32_t)cy;
}

/* The block passes the schema's semantics as they are. */
_Static_assert((int)HV_TR_BRACKETING == (int)TR_BRACKETING &&
                   (int)HV_TR_POST_SYNC == (int)TR_POST_SYNC &&
                   (int)HV_TR_POST_ASYNC == (int)TR_POST_ASYNC &&
                   (int)HV_TR_PRE_WRITE == (int)TR_PRE_WRITE &&
                   (int)HV_TR_PRE_WRITE_DATA == (int)TR_PRE_WRITE_DATA,
               "enum hv_tr_sem must follow enum tr_sem");

/* The trace subsystem keeps per-virtual-CPU state in arrays of
 * TR_MAX_VCPUS, and only shadow page tables let several virtual CPUs share a guest: in
 * direct mode each guest CR3 is validated and write-protected for the one
 * CPU that loaded it, and nothing tells the others of a write.  Every
 * slot is checked, empty or not, so a VM's run alone fails as its mix
 * does. */
static int check_vcpus(const struct study_config *c, char *err, size_t errlen)
{
    for (unsigned i = 0; i < c->nvms; i++) {
        uint64_t n = c->vms[i].vcpus;
        if (n > TR_MAX_VCPUS) {
            snprintf(err, errlen, "vms.%u.vcpus: at most %u virtual CPUs for the IA-32 hypervisor",
                     i, TR_MAX_VCPUS);
            return -1;
        }
        if (n > 1 && c->hypervisor.mmu == HV_MMU_DIRECT) {
            snprintf(err, errlen,
                     "hypervisor.mmu: several virtual CPUs need mmu: shadow (vms.%u.vcpus is %llu)",
                     i, (unsigned long long)n);
            return -1;
        }
    }
    return 0;
}

int bootinfo_x86_build(const struct study_config *c, struct physmem *pm,
                       const char *const *image_paths, char *err, size_t errlen)
{
    const struct hv_pf_filter_config *f = &c->hypervisor.pf_filter;
    const struct hv_trace_config *t = &c->hypervisor.trace;
    if (c->nvms > XBI_MAX_VMS) {
        snprintf(err, errlen, "vms: at most %u VMs for the IA-32 hypervisor", XBI_MAX_VMS);
        return -1;
    }
    if (check_vcpus(c, err, errlen) != 0)
        return -1;
    if (c->hypervisor.sched.queue != HV_QUEUE_PER_HART && c->hypervisor.mmu != HV_MMU_DIRECT) {
        snprintf(err, errlen,
                 "hypervisor.sched.queue: an SMP VM's virtual CPUs stay on their "
                 "harts (per_hart); shared and affine need mmu: direct");
        return -1;
    }
    if (c->machine.memory > 0xFFFFFFFFull) {
        snprintf(err, errlen, "machine.memory: at most 4 GiB - 1 for the IA-32 hypervisor");
        return -1;
    }
    struct xbi bi = {
        .magic = XBI_MAGIC,
        .version = XBI_VERSION,
        .memory = (uint32_t)c->machine.memory,
        .nvms = 0, /* counted below: empty slots start no VM */
        .pf_variant = (uint32_t)f->variant,
        .pf_bit14 = f->bit14,
        .pf_mask = (uint32_t)f->mask,
        .pf_match = (uint32_t)f->match,
        .pf_mask2 = (uint32_t)f->mask2,
        .pf_match2 = (uint32_t)f->match2,
        .pf_criteria = (uint32_t)f->criteria,
        .ptbase = (uint32_t)f->ptbase,
        .freq_mhz = (uint32_t)c->machine.frequency_mhz,
        .sched_policy = (uint32_t)c->hypervisor.sched.policy,
        .quantum = us_cycles(c, c->hypervisor.sched.quantum_us),
        .quantum_min = us_cycles(c, c->hypervisor.sched.min_us),
        .quantum_max = us_cycles(c, c->hypervisor.sched.max_us),
        .tick = us_cycles(c, c->hypervisor.sched.tick_us),
        .miss_threshold = (uint32_t)c->hypervisor.sched.miss_threshold,
        .btb_threshold = (uint32_t)c->hypervisor.sched.btb_threshold,
        .jump_factor = (uint32_t)c->hypervisor.sched.jump_factor,
        .sched_queue = (uint32_t)c->hypervisor.sched.queue,
        .harts = (uint32_t)(c->machine.cores * c->machine.threads_per_core),
        .threads_per_core = (uint32_t)c->machine.threads_per_core,
        /* The schema's enums are in the block's order (sim/schema.h):
         * override's "none" is 0 and each semantics is its tr_sem + 1. */
        .mmu_mode = (uint32_t)c->hypervisor.mmu,
        .tr_sem = {(uint32_t)t->mmu, (uint32_t)t->gdt, (uint32_t)t->code},
        .tr_override = (uint32_t)t->override,
        .tr_null = t->null_trace,
        .tr_defer_mmu = t->defer_mmu,
        .tr_actor_delay = (uint32_t)t->actor_delay_cycles,
        .code_patch = t->code_patch,
    };
    uint64_t base = XBI_FIRST;
    for (unsigned i = 0; i < c->nvms; i++) {
        const struct vm_config *v = &c->vms[i];
        if (v->memory % XBI_ALIGN) {
            snprintf(err, errlen, "vms.%u.memory: must be a multiple of 16 MiB", i);
            return -1;
        }
        if (base + v->memory > c->machine.memory) {
            snprintf(err, errlen,
                     "vms: %u VMs do not fit in machine.memory (VM %u would end at %llu MiB)",
                     c->nvms, i, (unsigned long long)((base + v->memory) >> 20));
            return -1;
        }
        /* An empty slot keeps its partition, so a VM's run alone puts it
         * at the addresses it has in a mix; the block lists only the VMs
         * to start, each with its slot number. */
        if (image_paths[i] &&
            build_vm(c, pm, i, image_paths[i], (uint32_t)base, &bi.vm[bi.nvms++], err, errlen) != 0)
            return -1;
        base += v->memory;
    }
    const uint32_t *w = (const uint32_t *)&bi;
    for (size_t k = 0; k < sizeof(bi) / 4; k++)
        if (put(pm, XBI_ADDR + 4 * (uint32_t)k, w[k]) != 0) {
            snprintf(err, errlen, "cannot write the boot-info block at 0x%x", XBI_ADDR);
            return -1;
        }
    return 0;
}
