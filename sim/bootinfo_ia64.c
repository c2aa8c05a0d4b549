/*
 * bootinfo_ia64.c - VM placement and the boot-info block (see
 * bootinfo_ia64.h).  Block layout, all 8-byte little-endian words:
 *   +0 magic, +8 version (3), +16 number of VMs,
 *   +24 hypervisor.emulation (0 trap_frame, 1 patch),
 *   +32 hypervisor.patching (0 dynamic, 1 static),
 *   +40 machine.vti.fault_info (0 none, 1 cause_opcode),
 *   +48 machine memory bytes, +56 control device base;
 *   hypervisor.sched (seed 003; the same fields, in the same units, as the
 *   IA-32 block of hv/x86/bootinfo.h, so the two schedulers read one
 *   policy): +64 machine.frequency_mhz, +72 policy (0 fixed, 1
 *   extend_warm, 2 cut_after_flush, 3 btb_loop, 4 payback, 5 profile, 6
 *   smt_pair),
 *   +80 base quantum, +88 shortest, +96 longest, +104 tick (all in core
 *   cycles, which the ITC counts), +112 miss threshold (last-level misses
 *   per 10,000 instructions), +120 BTB threshold (percent), +128 jump
 *   factor; +136 the machine's harts (machine.cores x threads_per_core),
 *   +144 machine.threads_per_core (the hypervisor runs VM i on hart
 *   i mod min(harts, VMs), as the IA-32 one does);
 *   at +256 + 64 * i, VM i: +0 machine-physical base of its memory, +8 its
 *   size, +16 entry (guest-physical), +24/+32 the guest image's executable
 *   range (guest-physical, for static patching), +40 virtual CPUs, +48 its
 *   slot in the study's vms list (the VM number it reports).  The table
 *   lists the VMs to start: an empty slot (image: null) keeps its memory
 *   but starts none, and the number of VMs at +16 counts the started.
 */
#include "sim/bootinfo_ia64.h"

#include <stdio.h>
#include <string.h>

#include "model/platform/ctl.h"
#include "model/platform/elf_load.h"

static int put(struct physmem *pm, uint64_t off, uint64_t v)
{
    return physmem_write(pm, BI_ADDR + off, 8, v) == PM_OK ? 0 : -1;
}

/* Microseconds to core cycles, capped at 32 bits as on IA-32
 * (sim/bootinfo_x86.c), so both hypervisors get the same numbers. */
static uint64_t us_cycles(const struct study_config *c, uint64_t us)
{
    uint64_t cy = us * c->machine.frequency_mhz;
    return cy > 0xFFFFFFFFu ? 0xFFFFFFFFu : cy;
}

static int put_sched(const struct study_config *c, struct physmem *pm)
{
    const struct hv_sched_config *s = &c->hypervisor.sched;
    return put(pm, 64, c->machine.frequency_mhz) | put(pm, 72, (uint64_t)s->policy) |
           put(pm, 80, us_cycles(c, s->quantum_us)) | put(pm, 88, us_cycles(c, s->min_us)) |
           put(pm, 96, us_cycles(c, s->max_us)) | put(pm, 104, us_cycles(c, s->tick_us)) |
           put(pm, 112, s->miss_threshold) | put(pm, 120, s->btb_threshold) |
           put(pm, 128, s->jump_factor) |
           put(pm, 136, (uint64_t)c->machine.cores * c->machine.threads_per_core) |
           put(pm, 144, c->machine.threads_per_core);
}

int bootinfo_ia64_build(const struct study_config *c, struct physmem *pm,
                        const char *const *image_paths, char *err, size_t errlen)
{
    if (c->nvms > BI_MAX_VMS) {
        snprintf(err, errlen, "vms: at most %u VMs for the IA-64 hypervisor", BI_MAX_VMS);
        return -1;
    }
    /* Shadow page tables are the IA-32 hypervisor's; a study that asks for
     * them here would measure something else than it says. */
    if (c->hypervisor.mmu != HV_MMU_DIRECT) {
        snprintf(err, errlen, "hypervisor.mmu: shadow is for the IA-32 hypervisor only");
        return -1;
    }
    /* Its VMs stay on their harts (hv/ia64/sched.s): a shared queue
     * would be measured as a per-hart one. */
    if (c->hypervisor.sched.queue != HV_QUEUE_PER_HART) {
        snprintf(err, errlen,
                 "hypervisor.sched.queue: the IA-64 hypervisor has per-hart queues "
                 "only (per_hart)");
        return -1;
    }
    int rc = put(pm, 0, BI_MAGIC) | put(pm, 8, 3) | put_sched(c, pm) |
             put(pm, 24, (uint64_t)c->hypervisor.emulation) |
             put(pm, 32, (uint64_t)c->hypervisor.patching) |
             put(pm, 40, (uint64_t)c->machine.vti.fault_info) | put(pm, 48, c->machine.memory) |
             put(pm, 56, CTL_IA64_BASE);
    uint64_t base = BI_VM_FIRST;
    unsigned n = 0; /* VMs to start: empty slots start none */
    for (unsigned i = 0; i < c->nvms && rc == 0; i++) {
        const struct vm_config *v = &c->vms[i];
        if (v->memory % BI_VM_ALIGN) {
            snprintf(err, errlen,
                     "vms.%u.memory: must be a multiple of 16 MiB (the hypervisor "
                     "maps guest memory with 16 MiB pages)",
                     i);
            return -1;
        }
        if (base + v->memory > c->machine.memory || base + v->memory < base) {
            snprintf(err, errlen,
                     "vms: %u VMs do not fit in machine.memory (VM %u would end at %llu MiB)",
                     c->nvms, i, (unsigned long long)((base + v->memory) >> 20));
            return -1;
        }
        /* An empty slot (image: null) keeps its memory, so a VM's run alone
         * uses the machine addresses it has in a mix. */
        if (!image_paths[i]) {
            base += v->memory;
            continue;
        }
        struct elf_image img;
        if (elf_load_file_at(image_paths[i], pm, base, &img, err, errlen) != 0)
            return -1;
        bool ok = img.machine == ELF_MACHINE_IA64 && img.hi <= v->memory;
        uint64_t entry = img.entry, xlo = img.xlo, xhi = img.xhi;
        elf_image_free(&img);
        if (!ok) {
            snprintf(err, errlen, "%s: not an IA-64 image that fits in vms.%u.memory",
                     image_paths[i], i);
            return -1;
        }
        uint64_t e = BI_VM_BASE + (uint64_t)n++ * BI_VM_SIZE;
        rc |= put(pm, e, base) | put(pm, e + 8, v->memory) | put(pm, e + 16, entry) |
              put(pm, e + 24, xlo <= xhi ? xlo : 0) | put(pm, e + 32, xlo <= xhi ? xhi : 0) |
              put(pm, e + 40, v->vcpus) | put(pm, e + 48, i);
        base += v->memory;
    }
    rc |= put(pm, 16, n);
    if (rc) {
        snprintf(err, errlen, "cannot write the boot-info block at 0x%llx",
                 (unsigned long long)BI_ADDR);
        return -1;
    }
    return 0;
}
