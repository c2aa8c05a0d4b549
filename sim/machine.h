/*
 * machine.h - one simulated machine: its harts, scheduler, stats and
 * console sinks, assembled from a resolved study config.
 *
 * machine_build() asks the ISA front end named by machine.isa to create the
 * harts and load the images; the machine then owns them.  Everything a run
 * measures is registered in m->stats before the run starts.
 */
#ifndef VTSIM_SIM_MACHINE_H
#define VTSIM_SIM_MACHINE_H

#include <stdbool.h>
#include <stdio.h>

#include "model/base/sched.h"
#include "model/base/stats.h"
#include "model/platform/ctl.h"
#include "model/platform/extwin.h"
#include "sim/schema.h"

struct study_config;
struct isa_frontend;

#define MACHINE_MAX_HARTS 512

struct machine {
    const struct study_config *cfg;
    const char *study_dir;   /* relative image paths resolve against it */
    const char *console_dir; /* where console/<name>.log files go; NULL = discard */
    FILE *console_stream;    /* when set, console bytes go here too (vtsim boot, Platform) */
    struct sched *sched;
    struct stats *stats;
    struct hart *harts[MACHINE_MAX_HARTS];
    unsigned nharts;
    struct memsys *mem; /* caches, coherence, DRAM: every access goes through it */
    const struct isa_frontend *fe;
    void *isa; /* the front end's machine-wide state */
    FILE *console[MACHINE_MAX_HARTS];
    struct physmem *pm;  /* the physical address space, set by the front end's build */
    struct ctl *ctl;     /* the control device, set by the front end's build */
    struct intc **intcs; /* each hart's interrupt controller, set by the front end's build */
    struct extwin external[SCHEMA_MAX_EXTERNAL]; /* machine.external, mapped into pm */
    unsigned nexternal;
};

/*
 * Build the machine for `cfg`: scheduler, stats registry, harts (through
 * the front end), per-hart stats.  0, or -1 with a one-line reason in err
 * (e.g. a front end not in this build, an unreadable image); on failure
 * everything made so far is released and *out is NULL.
 */
int machine_build(const struct study_config *cfg, const char *study_dir, const char *console_dir,
                  struct machine **out, char *err, size_t errlen);

/* Check what the config tables cannot (e.g. cache geometry) by building the
 * parts that can be built without images.  0, or -1 with a reason. */
int machine_check_config(const struct study_config *cfg, char *err, size_t errlen);

/* The reason `vtsim run` cannot run cfg when it declares external MMIO
 * windows (nothing there binds them: that takes vtsim::Platform).  0 when
 * it declares none, else -1 with the reason. */
int machine_check_unbound_external(const struct study_config *cfg, char *err, size_t errlen);

/* Window `window`'s device raised its interrupt line: its irq_vector
 * becomes pending at its irq_hart (waking the hart if it sleeps).  The
 * scheduler's clock must already be at the time of the edge.  0, or -1
 * for a window with no line. */
int machine_external_irq(struct machine *m, unsigned window);

/* Add a hart built by the front end: registers it with the scheduler and
 * its stats (cpuN.cycles, .instructions, .ipc, ...).  0 or -1. */
int machine_add_hart(struct machine *m, struct hart *h);

/* Resolve an image path from the config (relative to the study's folder,
 * then to the current directory).  Returns buf, or NULL if too long. */
const char *machine_image_path(const struct machine *m, const char *image, char *buf, size_t len);

/* The resolved image paths of every VM of the study, for a front end that
 * places them under a hypervisor: an array of nvms paths in one block the
 * caller frees (NULL for an empty slot, `image: null`), or NULL when out of
 * memory. */
char **machine_vm_image_paths(const struct machine *m);

/* Check the study's VM images for a front end: a bare machine runs the
 * first VM's image, so it needs one; a hypervisor needs at least one VM
 * with an image, and empty slots only where `empty_slots` says the
 * front end's hypervisor keeps them (isa is named in the message).  0, or
 * -1 with err. */
int machine_check_vm_images(const struct study_config *c, const char *isa, bool empty_slots,
                            char *err, size_t errlen);

/* The control device's sink for this machine: console, phases, exit
 * requests and failed asserts go to the functions below and the
 * scheduler. */
struct ctl_sink machine_ctl_sink(struct machine *m);

/* Console output of hart `hart` (bytes as written, no translation). */
void machine_console(struct machine *m, unsigned hart, const char *buf, size_t n);

/* A phase mark from code running on the machine (ROI, named phases).  Bad
 * names or unbalanced marks are reported on stderr and otherwise ignored. */
void machine_phase(struct machine *m, unsigned hart, const char *name, bool begin);

/* Register the per-hart stats of `h` in `stats` (used by machine_add_hart and
 * by `vtsim docs stats`). */
int machine_register_hart_stats(struct stats *stats, struct hart *h);

void machine_free(struct machine *m);

#endif
