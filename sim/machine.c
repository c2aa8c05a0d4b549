/*
 * machine.c - assembles a machine from a resolved config (see machine.h).
 * Cold code: runs once per sweep point.
 */
#include "sim/machine.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model/cache/memsys.h"
#include "model/platform/intc.h"
#include "model/cpu/bpred/bpred.h"
#include "model/tlb/tlb.h"
#include "sim/isa.h"
#include "sim/kernel.h"
#include "sim/schema.h"

int machine_register_hart_stats(struct stats *stats, struct hart *h)
{
    struct stats_group *g = stats_instance(stats_root(stats), "cpu", h->id, "one hart");
    if (!g)
        return -1;
    int rc = 0;
    rc |= stats_counter(g, "cycles", &h->clock, "cycles",
                        "the hart's clock at the end: cycles stepping plus cycles asleep");
    rc |= stats_counter(g, "busy_cycles", &h->cycles, "cycles",
                        "cycles spent executing issue groups, stalls included");
    rc |= stats_counter(g, "sleep_cycles", &h->sleep_cycles, "cycles",
                        "cycles the hart slept waiting for an event (e.g. hlt)");
    rc |= stats_counter(g, "instructions", &h->retired, "instructions", "instructions retired");
    rc |= stats_formula(g, "ipc", "instructions / busy_cycles", "ratio",
                        "instructions retired per busy cycle");
    return rc ? -1 : 0;
}

int machine_add_hart(struct machine *m, struct hart *h)
{
    if (m->nharts >= MACHINE_MAX_HARTS)
        return -1;
    if (sched_add_hart(m->sched, h) != 0)
        return -1;
    m->harts[m->nharts++] = h;
    return machine_register_hart_stats(m->stats, h);
}

const char *machine_image_path(const struct machine *m, const char *image, char *buf, size_t len)
{
    int n;
    if (image[0] != '/' && m->study_dir) {
        n = snprintf(buf, len, "%s/%s", m->study_dir, image);
        if (n > 0 && (size_t)n < len && access(buf, F_OK) == 0)
            return buf;
    }
    n = snprintf(buf, len, "%s", image);
    return (n > 0 && (size_t)n < len) ? buf : NULL;
}

static void on_console(void *ctx, unsigned hart, const char *buf, size_t n)
{
    machine_console(ctx, hart, buf, n);
}

static void on_phase(void *ctx, unsigned hart, const char *name, bool begin)
{
    machine_phase(ctx, hart, name, begin);
}

static void on_exit_req(void *ctx, unsigned hart, int status)
{
    char why[64];
    snprintf(why, sizeof(why), "exit requested by hart %u", hart);
    sched_stop(((struct machine *)ctx)->sched, status, why);
}

static void on_assert(void *ctx, unsigned hart, uint64_t code)
{
    char why[64];
    snprintf(why, sizeof(why), "assert failed on hart %u (code %llu)", hart,
             (unsigned long long)code);
    sched_stop(((struct machine *)ctx)->sched, 1, why);
}

struct ctl_sink machine_ctl_sink(struct machine *m)
{
    return (struct ctl_sink){on_console, on_phase, on_exit_req, on_assert, m};
}

char **machine_vm_image_paths(const struct machine *m)
{
    unsigned n = m->cfg->nvms;
    char **paths = calloc(1, n * (sizeof(char *) + 4096) + 1);
    if (!paths)
        return NULL;
    char *buf = (char *)(paths + n);
    for (unsigned i = 0; i < n; i++, buf += 4096) {
        /* A path too long to resolve stays empty, and fails to open. */
        if (!m->cfg->vms[i].image)
            continue; /* an empty slot */
        if (!machine_image_path(m, m->cfg->vms[i].image, buf, 4096))
            buf[0] = 0;
        paths[i] = buf;
    }
    return paths;
}

int machine_check_vm_images(const struct study_config *c, const char *isa, bool empty_slots,
                            char *err, size_t errlen)
{
    unsigned used = 0;
    for (unsigned i = 0; i < c->nvms; i++) {
        if (c->vms[i].image) {
            used++;
        } else if (!c->hypervisor.image || !empty_slots) {
            snprintf(err, errlen,
                     "vms.%u.image: required (an empty slot, image: null, is for a "
                     "hypervisor's partitions, not a%s %s machine)",
                     i, c->hypervisor.image ? "n" : " bare", isa);
            return -1;
        }
    }
    if (used == 0) {
        snprintf(err, errlen, "vms: a%s %s machine needs one image to run",
                 c->hypervisor.image ? "" : " bare-metal", isa);
        return -1;
    }
    return 0;
}

void machine_console(struct machine *m, unsigned hart, const char *buf, size_t n)
{
    if (m->console_stream) {
        fwrite(buf, 1, n, m->console_stream);
        fflush(m->console_stream);
    }
    if (!m->console_dir || hart >= MACHINE_MAX_HARTS)
        return;
    if (!m->console[hart]) {
        char path[4096];
        snprintf(path, sizeof(path), "%s/hart%u.log", m->console_dir, hart);
        m->console[hart] = fopen(path, "wb");
        if (!m->console[hart])
            return;
    }
    fwrite(buf, 1, n, m->console[hart]);
}

void machine_phase(struct machine *m, unsigned hart, const char *name, bool begin)
{
    int rc = begin ? stats_phase_begin(m->stats, name) : stats_phase_end(m->stats, name);
    if (rc != 0)
        fprintf(stderr, "vtsim: hart %u: ignored phase %s '%s' (bad name or unbalanced)\n", hart,
                begin ? "begin" : "end", name);
}

int machine_check_unbound_external(const struct study_config *cfg, char *err, size_t errlen)
{
    if (cfg->machine.nexternal == 0)
        return 0;
    snprintf(err, errlen,
             "machine.external: window '%s' has no device here: external MMIO windows are "
             "served by SystemC models bound to vtsim::Platform (libvtsim-sc, docs/systemc.md), "
             "not by `vtsim run`",
             cfg->machine.external[0].name);
    return -1;
}

int machine_check_config(const struct study_config *cfg, char *err, size_t errlen)
{
    char e[200];
    if (kernel_check(&cfg->run, err, errlen) != 0)
        return -1;
    if (extwin_check(cfg->machine.external, cfg->machine.nexternal, err, errlen) != 0)
        return -1;
    struct memsys *ms =
        memsys_new(&cfg->machine.mem, (unsigned)cfg->machine.cores, cfg->run.seed, e, sizeof(e));
    if (!ms) {
        snprintf(err, errlen, "machine: %s", e);
        return -1;
    }
    memsys_free(ms);
    /* The per-hart parts the front ends will build, checked the same way. */
    const struct tlb_config *tl[4] = {&cfg->machine.itlb, &cfg->machine.dtlb, &cfg->machine.itlb2,
                                      &cfg->machine.dtlb2};
    static const char *const tn[4] = {"itlb", "dtlb", "itlb2", "dtlb2"};
    struct rng r;
    rng_seed(&r, 1);
    for (int i = 0; i < 4; i++) {
        struct tlb t;
        if (tl[i]->entries == 0)
            continue;
        if (tlb_init(&t, tn[i], tl[i], &r, e, sizeof(e)) != 0) {
            snprintf(err, errlen, "machine: %s", e);
            return -1;
        }
        tlb_free(&t);
    }
    struct bpred bp;
    if (bpred_init(&bp, &cfg->machine.bpred, e, sizeof(e)) != 0) {
        snprintf(err, errlen, "machine: %s", e);
        return -1;
    }
    bpred_free(&bp);
    return 0;
}

/* machine.external: each window an MMIO region of the front end's
 * address space, uncacheable, with its stats; bound later, if at all. */
static int map_external(struct machine *m, char *err, size_t errlen)
{
    const struct machine_config *mc = &m->cfg->machine;
    if (mc->nexternal == 0)
        return 0;
    if (extwin_check(mc->external, mc->nexternal, err, errlen) != 0)
        return -1;
    if (!m->pm) {
        snprintf(err, errlen, "machine.external: the front end has no physical address space");
        return -1;
    }
    struct stats_group *g = stats_group(stats_root(m->stats), "external", "external MMIO windows");
    for (unsigned i = 0; i < mc->nexternal; i++) {
        const struct extwin_config *c = &mc->external[i];
        struct extwin *w = &m->external[i];
        if (extwin_map(w, i, c, m->pm) != 0 ||
            memsys_add_uncacheable(m->mem, c->base, c->size) != 0) {
            snprintf(err, errlen,
                     "machine.external.%u ('%s'): 0x%llx-0x%llx overlaps memory or a device", i,
                     c->name, (unsigned long long)c->base,
                     (unsigned long long)(c->base + c->size - 1));
            return -1;
        }
        if (c->irq_vector && (c->irq_hart >= m->nharts || !m->intcs)) {
            snprintf(err, errlen, "machine.external.%u.irq_hart: the machine has no hart %llu", i,
                     (unsigned long long)c->irq_hart);
            return -1;
        }
        m->nexternal = i + 1;
        struct stats_group *wg = g ? stats_group(g, c->name, "one external window") : NULL;
        if (!wg || extwin_register_stats(w, wg) != 0) {
            snprintf(err, errlen, "cannot register the stats of machine.external.%u", i);
            return -1;
        }
    }
    return 0;
}

int machine_external_irq(struct machine *m, unsigned window)
{
    if (window >= m->nexternal || !m->external[window].cfg->irq_vector)
        return -1;
    const struct extwin_config *c = m->external[window].cfg;
    m->external[window].interrupts++;
    intc_raise(m->intcs[c->irq_hart], (unsigned)c->irq_vector);
    return 0;
}

int machine_build(const struct study_config *cfg, const char *study_dir, const char *console_dir,
                  struct machine **out, char *err, size_t errlen)
{
    *out = NULL;
    struct machine *m = calloc(1, sizeof(*m));
    if (!m) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    m->cfg = cfg;
    m->study_dir = study_dir;
    m->console_dir = console_dir;
    m->sched = kernel_sched_new(&cfg->run, err, errlen);
    if (!m->sched)
        goto fail;
    char e0[200];
    if (kernel_set_cycle_time(cfg, m->sched, e0, sizeof(e0)) != 0) {
        snprintf(err, errlen, "run.systemc_cycle_ps: %s", e0);
        goto fail;
    }
    m->stats = stats_new();
    if (!m->stats) {
        snprintf(err, errlen, "out of memory");
        goto fail;
    }
    char e[200];
    m->mem =
        memsys_new(&cfg->machine.mem, (unsigned)cfg->machine.cores, cfg->run.seed, e, sizeof(e));
    if (!m->mem) {
        snprintf(err, errlen, "machine: %s", e);
        goto fail;
    }
    if (memsys_register_stats(m->mem, stats_root(m->stats), cfg->nvms ? cfg->nvms : 1) != 0) {
        snprintf(err, errlen, "cannot register the memory system's stats");
        goto fail;
    }
    if (kernel_attach_memory(&cfg->run, m->sched, m->mem, (unsigned)cfg->machine.cores, e,
                             sizeof(e)) != 0) {
        snprintf(err, errlen, "run.systemc_tlm_memory: %s", e);
        goto fail;
    }
    m->fe = isa_frontend_at(cfg->machine.isa);
    if (!m->fe) {
        snprintf(err, errlen, "machine.isa: the %s front end is not part of this build yet",
                 isa_names[cfg->machine.isa] ? isa_names[cfg->machine.isa] : "?");
        goto fail;
    }
    if (m->fe->build(m, err, errlen) != 0)
        goto fail;
    if (map_external(m, err, errlen) != 0)
        goto fail;
    if (m->ctl && kernel_attach_devices(&cfg->run, m->sched, m->ctl, e, sizeof(e)) != 0) {
        snprintf(err, errlen, "run.systemc_tlm_memory: %s", e);
        goto fail;
    }
    *out = m;
    return 0;
fail:
    machine_free(m);
    return -1;
}

void machine_free(struct machine *m)
{
    if (!m)
        return;
    if (m->fe && m->fe->destroy)
        m->fe->destroy(m);
    for (unsigned i = 0; i < MACHINE_MAX_HARTS; i++)
        if (m->console[i])
            fclose(m->console[i]);
    sched_free(m->sched);
    stats_free(m->stats);
    memsys_free(m->mem);
    free(m);
}
