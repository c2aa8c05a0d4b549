/*
 * isa_x86.c - the "x86" front end: builds an IA-32 machine (RAM from
 * machine.memory, the control device on I/O ports, the cache hierarchy,
 * one hart per core and thread) and boots the first VM's image on hart 0
 * as a Multiboot (v1) loader would: the ELF's PT_LOAD segments at their
 * physical addresses, a Multiboot information block in low memory, and
 * the register state of state.h; the other harts wait for a start IPI
 * (hart.h).  With hypervisor.image, that image boots instead and finds
 * the VMs through the boot-info block (sim/bootinfo_x86.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/cpu/x86/hart.h"
#include "model/platform/elf_load.h"
#include "model/platform/ipi.h"
#include "hv/x86/bootinfo.h"
#include "sim/bootinfo_x86.h"
#include "sim/isa.h"
#include "sim/machine.h"
#include "sim/multiboot.h"
#include "sim/schema.h"

/* Where the information block and its memory map go: QEMU's addresses
 * (hw/i386/multiboot.c; shared/reference ia32-vtx-facts 9.3), below the
 * 1 MiB images are linked at. */
#define MBI_ADDR  0x9500u
#define MMAP_ADDR 0x9000u
#define MB_NAME   0x9600u /* boot_loader_name */
#define MB_END    0x9700u

struct x86_machine {
    struct machine *m;
    struct physmem *pm;
    struct ctl ctl;
    struct x86_hart *harts;
    unsigned nharts;
    struct intc **ics; /* each hart's controller, for the IPI network */
    struct ipi_net ipi;
    struct elf_image img;
};

/* A write to a page with decoded instructions drops them all; the page
 * is marked again when something there is decoded. */
static bool on_code_write(void *ctx, uint64_t addr, size_t len)
{
    struct x86_machine *xm = ctx;
    (void)len;
    for (unsigned i = 0; i < xm->nharts; i++)
        x86_hart_invalidate(&xm->harts[i], addr & ~(uint64_t)(PM_PAGE_SIZE - 1));
    return false;
}

/* The machine's Multiboot information: conventional memory below 640 KiB
 * and RAM from 1 MiB; the PC's hole between them is not RAM to the OS. */
static int write_mbi(struct physmem *pm, uint64_t memory)
{
    uint64_t upper = memory > 0x100000 ? (memory - 0x100000) / 1024 : 0;
    const uint64_t ranges[2][2] = {{0, 0xA0000}, {0x100000, memory - 0x100000}};
    struct multiboot_info mi = {.info = MBI_ADDR,
                                .mmap = MMAP_ADDR,
                                .name = MB_NAME,
                                .ranges = ranges,
                                .nranges = 2,
                                .basic = true,
                                .mem_lower = 640,
                                .mem_upper = upper > 0xFFFFFFFFu ? 0xFFFFFFFFu : (uint32_t)upper};
    return multiboot_write_info(pm, &mi);
}

/* Load the image that boots (the program, or the hypervisor), clear of the
 * information block. */
static int load_image(struct x86_machine *xm, const char *path, char *err, size_t errlen)
{
    if (multiboot_load(path, xm->pm, &xm->img, err, errlen) != 0)
        return -1;
    if (xm->img.lo < MB_END && xm->img.hi > XBI_ADDR) {
        snprintf(err, errlen, "%s: the image overlaps the boot information at 0x%x-0x%x", path,
                 XBI_ADDR, MB_END);
        return -1;
    }
    return 0;
}

static void x86_destroy(struct machine *m)
{
    struct x86_machine *xm = m->isa;
    if (!xm)
        return;
    for (unsigned i = 0; i < xm->nharts; i++)
        x86_hart_free(&xm->harts[i]);
    ipi_free(&xm->ipi);
    free(xm->ics);
    free(xm->harts);
    elf_image_free(&xm->img);
    ctl_free(&xm->ctl);
    physmem_free(xm->pm);
    m->pm = NULL;
    m->ctl = NULL;
    m->intcs = NULL;
    free(xm);
    m->isa = NULL;
}

static int x86_build(struct machine *m, char *err, size_t errlen)
{
    const struct study_config *c = m->cfg;
    char path[4096];
    struct x86_machine *xm = calloc(1, sizeof(*xm));
    if (!xm) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    m->isa = xm;
    xm->m = m;
    if (c->run.fast_forward) {
        snprintf(err, errlen, "run.fast_forward: not supported by the x86 front end yet");
        return -1;
    }
    if (machine_check_vm_images(c, "x86", true, err, errlen) != 0)
        return -1;
    xm->pm = physmem_new();
    if (!xm->pm || physmem_add_ram(xm->pm, 0, c->machine.memory) != 0) {
        snprintf(err, errlen, "cannot build the memory map");
        return -1;
    }
    m->pm = xm->pm;
    m->ctl = &xm->ctl;
    struct ctl_sink sink = machine_ctl_sink(m);
    ctl_init(&xm->ctl, &sink, xm->pm);
    if (ctl_register_stats(
            &xm->ctl, stats_group(stats_root(m->stats), "ctl", "the simulator-control device"),
            c->nvms, (unsigned)(c->machine.cores * c->machine.threads_per_core)) != 0) {
        snprintf(err, errlen, "cannot register the control device's stats");
        return -1;
    }
    physmem_set_code_hook(xm->pm, on_code_write, xm);
    /* Bare metal: the first VM's image is the program.  With a hypervisor,
     * its image boots and finds the VMs through the boot-info block. */
    machine_image_path(m, c->hypervisor.image ? c->hypervisor.image : c->vms[0].image, path,
                       sizeof(path));
    if (load_image(xm, path, err, errlen) != 0)
        return -1;
    if (write_mbi(xm->pm, c->machine.memory) != 0) {
        snprintf(err, errlen, "cannot write the multiboot information");
        return -1;
    }
    if (c->hypervisor.image) {
        char **paths = machine_vm_image_paths(m);
        if (!paths) {
            snprintf(err, errlen, "out of memory");
            return -1;
        }
        int rc = bootinfo_x86_build(c, xm->pm, (const char *const *)paths, err, errlen);
        free(paths);
        if (rc != 0)
            return -1;
    }
    unsigned n = (unsigned)(c->machine.cores * c->machine.threads_per_core);
    xm->harts = calloc(n, sizeof(*xm->harts));
    xm->ics = calloc(n, sizeof(*xm->ics));
    if (!xm->harts || !xm->ics) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    struct x86_hart_config hc = {.bpred = &c->machine.bpred,
                                 .emon = &c->machine.emon,
                                 .itlb = &c->machine.itlb,
                                 .dtlb = &c->machine.dtlb,
                                 .vtx = &c->machine.vtx,
                                 .seed = c->run.seed};
    for (unsigned i = 0; i < n; i++) {
        unsigned core = i / (unsigned)c->machine.threads_per_core;
        if (x86_hart_init(&xm->harts[i], xm->pm, m->mem, &xm->ctl, core, i == 0,
                          (uint32_t)xm->img.entry, MBI_ADDR, &hc, err, errlen) != 0)
            return -1;
        xm->nharts++;
        /* Hyperthreads share their core's branch arrays (bpred_share)
         * and issue slots (model/cpu/smt.h). */
        struct x86_hart *first = &xm->harts[core * (unsigned)c->machine.threads_per_core];
        if (c->machine.threads_per_core > 1)
            xm->harts[i].slots = &first->own_slots;
        if (i % (unsigned)c->machine.threads_per_core)
            bpred_share(&xm->harts[i].bp, &first->bp);
        if (machine_add_hart(m, &xm->harts[i].hart) != 0) {
            snprintf(err, errlen, "cannot add hart %u", i);
            return -1;
        }
        xm->ics[i] = &xm->harts[i].ic;
        x86_hart_attach(&xm->harts[i], m->sched, &xm->ipi);
        struct stats_group *g = stats_instance(stats_root(m->stats), "cpu", i, "one hart");
        if (x86_hart_register_stats(&xm->harts[i], g) != 0) {
            snprintf(err, errlen, "cannot register the stats of hart %u", i);
            return -1;
        }
    }
    /* The harts' APICs send through one network with the platform's
     * delivery latency. */
    m->intcs = xm->ics;
    if (ipi_init(&xm->ipi, m->sched, xm->ics, n, c->machine.platform.ipi_latency) != 0 ||
        ipi_register_stats(&xm->ipi, stats_group(stats_root(m->stats), "ipi",
                                                 "inter-processor interrupts")) != 0) {
        snprintf(err, errlen, "cannot build the IPI network");
        return -1;
    }
    for (unsigned i = 0; i < n; i++) {
        ipi_attach_emon(&xm->ipi, i, &xm->harts[i].emon);
        ctl_attach_emon(&xm->ctl, i, &xm->harts[i].emon);
    }
    return 0;
}

const struct isa_frontend isa_x86_frontend = {
    .name = "x86",
    .build = x86_build,
    .destroy = x86_destroy,
};
