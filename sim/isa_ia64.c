/*
 * isa_ia64.c - the "ia64" front end: builds an IA-64 machine (physical
 * memory with RAM from machine.memory and the control device's MMIO page,
 * the cache hierarchy, one hart per core and thread) and loads the first
 * VM's image to run bare-metal on hart 0.  Hypervisor images come with the
 * emulation-patch study.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/base/stats.h"
#include "model/cpu/ia64/hart.h"
#include "model/platform/elf_load.h"
#include "model/platform/ipi.h"
#include "sim/bootinfo_ia64.h"
#include "sim/isa.h"
#include "sim/machine.h"
#include "sim/schema.h"

struct ia64_machine {
    struct machine *m;
    struct physmem *pm;
    struct ctl ctl;
    struct ia64_hart *harts;
    unsigned nharts;
    struct elf_image img;
    struct ipi_net ipi;
    struct intc **ics;
    uint64_t pib_bad;
};

/*
 * The processor interrupt block (SDM Vol. 2 5.8.4.2): an 8-byte store at
 * PIB_BASE + (id << 12 | eid << 4) sends the vector in data{7:0} to the
 * processor whose cr.lid has that id (here the hart number; eid and the
 * delivery mode are ignored), through the platform's IPI network with its
 * latency.  A waiting application processor starts when it arrives.
 */
#define PIB_BASE 0xFEE00000ull
#define PIB_SIZE 0x100000ull

static enum pm_status pib_read(void *ctx, uint64_t off, unsigned size, uint64_t *val)
{
    (void)ctx;
    (void)off;
    (void)size;
    *val = 0;
    return PM_OK;
}

static enum pm_status pib_write(void *ctx, uint64_t off, unsigned size, uint64_t val)
{
    struct ia64_machine *im = ctx;
    unsigned to = (unsigned)(off >> 12) & 0xff;
    (void)size;
    if (to >= im->nharts || ipi_send(&im->ipi, im->ctl.hart, to, (unsigned)val & 0xff) != 0) {
        im->pib_bad++;
        return PM_OK;
    }
    sched_wake(im->m->sched, to, sched_now(im->m->sched) + im->ipi.latency);
    return PM_OK;
}

static const struct mmio_ops pib_ops = {pib_read, pib_write};

/* The boot hart leaving fast-forward opens the phase "detailed". */
static void on_detailed(void *ctx, unsigned hart)
{
    machine_phase(((struct ia64_machine *)ctx)->m, hart, "detailed", true);
}

/* A write drops the decoded bundles it touches; the rest of the page
 * stays decoded (and marked). */
static bool on_code_write(void *ctx, uint64_t addr, size_t len)
{
    struct ia64_machine *im = ctx;
    for (unsigned i = 0; i < im->nharts; i++)
        ia64_hart_invalidate(&im->harts[i], addr, len);
    return true;
}

/* ptc.g and ptc.ga reach every hart's TLBs. */
static void purge_global(void *ctx, uint32_t rid, uint64_t va, unsigned ps)
{
    struct ia64_machine *im = ctx;
    for (unsigned i = 0; i < im->nharts; i++)
        ia64_mmu_purge(&im->harts[i].mmu, rid, va, ps);
}

static void ia64_destroy(struct machine *m)
{
    struct ia64_machine *im = m->isa;
    if (!im)
        return;
    for (unsigned i = 0; i < im->nharts; i++)
        ia64_hart_free(&im->harts[i]);
    ipi_free(&im->ipi);
    free(im->ics);
    free(im->harts);
    elf_image_free(&im->img);
    ctl_free(&im->ctl);
    physmem_free(im->pm);
    m->pm = NULL;
    m->ctl = NULL;
    m->intcs = NULL;
    free(im);
    m->isa = NULL;
}

static int ia64_build(struct machine *m, char *err, size_t errlen)
{
    const struct study_config *c = m->cfg;
    char path[4096];
    struct ia64_machine *im = calloc(1, sizeof(*im));
    if (!im) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    m->isa = im;
    im->m = m;
    if (machine_check_vm_images(c, "ia64", true, err, errlen) != 0)
        return -1;
    im->pm = physmem_new();
    if (!im->pm || physmem_add_ram(im->pm, 0, c->machine.memory) != 0 ||
        physmem_add_mmio(im->pm, CTL_IA64_BASE, CTL_IA64_SIZE, &ctl_mmio_ops, &im->ctl) != 0 ||
        physmem_add_mmio(im->pm, PIB_BASE, PIB_SIZE, &pib_ops, im) != 0 ||
        memsys_add_uncacheable(m->mem, PIB_BASE, PIB_SIZE) != 0 ||
        memsys_add_uncacheable(m->mem, CTL_IA64_BASE, CTL_IA64_SIZE) != 0) {
        snprintf(err, errlen, "cannot build the memory map (is machine.memory below 0x%llx?)",
                 (unsigned long long)CTL_IA64_BASE);
        return -1;
    }
    m->pm = im->pm;
    m->ctl = &im->ctl;
    struct ctl_sink sink = machine_ctl_sink(m);
    ctl_init(&im->ctl, &sink, im->pm);
    physmem_set_code_hook(im->pm, on_code_write, im);
    if (ctl_register_stats(
            &im->ctl, stats_group(stats_root(m->stats), "ctl", "the simulator-control device"),
            c->nvms, (unsigned)(c->machine.cores * c->machine.threads_per_core)) != 0) {
        snprintf(err, errlen, "cannot register the control device's stats");
        return -1;
    }
    /* Bare metal: the first VM's image is the program.  With a hypervisor,
     * its image boots and finds the VMs through the boot-info block. */
    machine_image_path(m, c->hypervisor.image ? c->hypervisor.image : c->vms[0].image, path,
                       sizeof(path));
    if (elf_load_file(path, im->pm, &im->img, err, errlen) != 0)
        return -1;
    if (c->hypervisor.image) {
        char **paths = machine_vm_image_paths(m);
        if (!paths) {
            snprintf(err, errlen, "out of memory");
            return -1;
        }
        int rc = bootinfo_ia64_build(c, im->pm, (const char *const *)paths, err, errlen);
        free(paths);
        if (rc != 0)
            return -1;
    }
    if (im->img.machine != ELF_MACHINE_IA64) {
        snprintf(err, errlen, "%s: not an IA-64 image (ELF machine %u)", path, im->img.machine);
        return -1;
    }
    unsigned n = (unsigned)(c->machine.cores * c->machine.threads_per_core);
    im->harts = calloc(n, sizeof(*im->harts));
    if (!im->harts) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    const struct machine_config *mc = &c->machine;
    struct ia64_hart_config hc = {
        .bpred = &mc->bpred,
        .emon = &mc->emon,
        .vti = &mc->vti,
        .pipeline = &mc->pipeline,
        .mmu = {&mc->itlb, &mc->dtlb, &mc->itlb2, &mc->dtlb2},
    };
    for (unsigned i = 0; i < n; i++) {
        hc.seed = c->run.seed + i;
        unsigned core = i / (unsigned)c->machine.threads_per_core;
        if (ia64_hart_init(&im->harts[i], im->pm, m->mem, &im->ctl, core, i == 0, im->img.entry,
                           &hc, err, errlen) != 0)
            return -1;
        im->harts[i].purge_global = purge_global;
        im->harts[i].purge_ctx = im;
        im->nharts++;
        /* Hyperthreads share their core's branch arrays (bpred_share)
         * and issue slots (model/cpu/smt.h). */
        struct ia64_hart *first = &im->harts[core * (unsigned)c->machine.threads_per_core];
        if (c->machine.threads_per_core > 1)
            im->harts[i].slots = &first->own_slots;
        if (i % (unsigned)c->machine.threads_per_core)
            bpred_share(&im->harts[i].bp, &first->bp);
        if (i == 0 && c->run.fast_forward)
            ia64_hart_fast_forward(&im->harts[i], c->run.fast_forward, c->run.warm_caches,
                                   on_detailed, im);
        if (machine_add_hart(m, &im->harts[i].hart) != 0) {
            snprintf(err, errlen, "cannot add hart %u", i);
            return -1;
        }
        ia64_hart_attach(&im->harts[i], m->sched);
        struct stats_group *g = stats_instance(stats_root(m->stats), "cpu", i, "one hart");
        if (ia64_hart_register_stats(&im->harts[i], g) != 0) {
            snprintf(err, errlen, "cannot register the stats of hart %u", i);
            return -1;
        }
    }
    im->ics = calloc(n, sizeof(*im->ics));
    if (!im->ics) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    for (unsigned i = 0; i < n; i++)
        im->ics[i] = &im->harts[i].ic;
    m->intcs = im->ics;
    if (ipi_init(&im->ipi, m->sched, im->ics, n, c->machine.platform.ipi_latency) != 0 ||
        ipi_register_stats(&im->ipi, stats_group(stats_root(m->stats), "ipi",
                                                 "inter-processor interrupts")) != 0) {
        snprintf(err, errlen, "cannot build the IPI network");
        return -1;
    }
    for (unsigned i = 0; i < n; i++) {
        ipi_attach_emon(&im->ipi, i, &im->harts[i].emon);
        ctl_attach_emon(&im->ctl, i, &im->harts[i].emon);
    }
    return 0;
}

/* For `vtsim docs stats`: the stats an IA-64 machine adds, registered on
 * a stand-in hart 0 of configuration c with its control device and IPI
 * network.  Returns what isa_ia64_doc_stats_free releases, or NULL. */
struct ia64_doc {
    struct ia64_hart h;
    struct ctl ctl;
    struct ipi_net ipi;
    struct intc *ics[1];
};

void *isa_ia64_doc_stats(struct stats *s, const struct study_config *c, struct memsys *ms)
{
    struct ia64_doc *d = calloc(1, sizeof(*d));
    char err[200];
    const struct machine_config *mc = &c->machine;
    struct ia64_hart_config hc = {
        .bpred = &mc->bpred,
        .emon = &mc->emon,
        .vti = &mc->vti,
        .pipeline = &mc->pipeline,
        .mmu = {&mc->itlb, &mc->dtlb, &mc->itlb2, &mc->dtlb2},
    };
    struct ctl_sink sink = {0};
    if (!d)
        return NULL;
    ctl_init(&d->ctl, &sink, NULL);
    d->ics[0] = &d->h.ic;
    if (ia64_hart_init(&d->h, NULL, ms, &d->ctl, 0, true, 0, &hc, err, sizeof(err)) != 0 ||
        ipi_init(&d->ipi, NULL, d->ics, 1, 0) != 0 ||
        ia64_hart_register_stats(&d->h, stats_instance(stats_root(s), "cpu", 0, "one hart")) != 0 ||
        ctl_register_stats(&d->ctl, stats_group(stats_root(s), "ctl", "the control device"), 1,
                           1) != 0 ||
        ipi_register_stats(&d->ipi,
                           stats_group(stats_root(s), "ipi", "inter-processor interrupts")) != 0) {
        isa_ia64_doc_stats_free(d);
        return NULL;
    }
    return d;
}

void isa_ia64_doc_stats_free(void *doc)
{
    struct ia64_doc *d = doc;
    if (!d)
        return;
    ia64_hart_free(&d->h);
    ipi_free(&d->ipi);
    ctl_free(&d->ctl);
    free(d);
}

const struct isa_frontend isa_ia64_frontend = {
    .name = "ia64",
    .build = ia64_build,
    .destroy = ia64_destroy,
};
