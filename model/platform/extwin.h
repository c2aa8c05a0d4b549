/*
 * extwin.h - external MMIO windows: physical address ranges a study
 * declares (machine.external) whose device vtsim does not model.  Each
 * load or store a hart makes there is handed, with its data, to a port
 * the embedding program provides (sim/systemc: a TLM-2.0 initiator socket
 * of vtsim::Platform), and the latency the port reports is added to the
 * access's.  Without a port an access fails (PM_DEVICE, which the front
 * ends turn into a fatal error) after a one-line diagnostic: a window
 * never reads as zeros behind the study's back.
 *
 * A window may also have an interrupt line (irq_vector): the embedding
 * program raises it and the vector becomes pending at irq_hart's
 * interrupt controller (sim/machine.h, machine_external_irq).
 *
 * ISA-neutral: a window is an MMIO region of physmem; the hart and its
 * clock come from physmem's origin record (physmem.h).  Cold: only
 * accesses to a window come here.
 */
#ifndef VTSIM_MODEL_PLATFORM_EXTWIN_H
#define VTSIM_MODEL_PLATFORM_EXTWIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/base/param.h"
#include "model/platform/physmem.h"

/* One window as the study declares it (machine.external.N). */
struct extwin_config {
    const char *name;    /* [a-z0-9_], names the window's socket and stats */
    uint64_t base;       /* physical address, 4 KiB aligned */
    uint64_t size;       /* bytes, a multiple of 4 KiB */
    uint64_t irq_vector; /* the device's interrupt line raises this vector; 0: no line */
    uint64_t irq_hart;   /* at this hart's interrupt controller */
};

/* name, base, size, irq_vector, irq_hart: the table behind
 * machine.external (sim/schema.c). */
extern const struct param extwin_params[5];

/* One access, as the port sees it. */
struct extwin_access {
    unsigned window; /* index in machine.external */
    unsigned hart;
    uint64_t clock; /* the hart's clock when it accesses */
    bool write;
    uint64_t offset; /* from the window's base */
    unsigned size;   /* 1, 2, 4 or 8 bytes */
    uint64_t data;   /* a write's value; a read's value, filled by the port */
    uint64_t cycles; /* filled by the port: the access's latency in cycles */
};

/* What the embedding program provides.  access returns PM_OK, or
 * PM_DEVICE when the device refused the access. */
struct extwin_port {
    enum pm_status (*access)(void *ctx, struct extwin_access *a);
    void *ctx;
};

struct extwin {
    const struct extwin_config *cfg;
    unsigned index;
    struct physmem *pm;
    const struct extwin_port *port; /* NULL until bound */
    uint64_t reads, writes, errors, interrupts;
};

/* Check a list of windows: names well-formed and distinct, bases and
 * sizes page-aligned, below 2^48, no two overlapping.  0, or -1 with a
 * reason naming the window. */
int extwin_check(const struct extwin_config *w, unsigned n, char *err, size_t errlen);

/* Map window `index` described by cfg (which must outlive w) into pm.
 * 0, or -1 when the range is taken (RAM, a device, another window). */
int extwin_map(struct extwin *w, unsigned index, const struct extwin_config *cfg,
               struct physmem *pm);

/* Bind (or, with NULL, unbind) the port serving w's accesses. */
void extwin_bind(struct extwin *w, const struct extwin_port *port);

struct stats_group;
/* reads, writes, errors and interrupts under g. */
int extwin_register_stats(struct extwin *w, struct stats_group *g);

#endif
