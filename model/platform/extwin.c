/*
 * extwin.c - external MMIO windows (see extwin.h).
 */
#include "model/platform/extwin.h"

#include <stdio.h>
#include <string.h>

#include "model/base/stats.h"

static enum pm_status access(struct extwin *w, bool write, uint64_t off, unsigned size,
                             uint64_t *val)
{
    struct pm_origin *o = physmem_origin(w->pm);
    if (!w->port || !w->port->access) {
        w->errors++;
        fprintf(stderr,
                "vtsim: hart %u: %s of %u bytes at 0x%llx in external window '%s' with nothing "
                "bound to it (machine.external needs vtsim::Platform, docs/systemc.md)\n",
                o->hart, write ? "store" : "load", size, (unsigned long long)(w->cfg->base + off),
                w->cfg->name);
        return PM_DEVICE;
    }
    struct extwin_access a = {
        .window = w->index,
        .hart = o->hart,
        .clock = o->clock,
        .write = write,
        .offset = off,
        .size = size,
        .data = write ? *val : 0,
    };
    enum pm_status s = w->port->access(w->port->ctx, &a);
    if (s != PM_OK) {
        w->errors++;
        return s;
    }
    if (write)
        w->writes++;
    else
        w->reads++;
    if (!write)
        *val = size == 8 ? a.data : a.data & ((1ull << (8 * size)) - 1);
    o->cycles += a.cycles;
    return PM_OK;
}

static enum pm_status ext_read(void *ctx, uint64_t off, unsigned size, uint64_t *val)
{
    return access(ctx, false, off, size, val);
}

static enum pm_status ext_write(void *ctx, uint64_t off, unsigned size, uint64_t val)
{
    return access(ctx, true, off, size, &val);
}

static const struct mmio_ops extwin_ops = {ext_read, ext_write};

static bool good_name(const char *s)
{
    if (!s || !*s || strlen(s) > 32)
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
            return false;
    return true;
}

int extwin_check(const struct extwin_config *w, unsigned n, char *err, size_t errlen)
{
    const uint64_t page = PM_PAGE_SIZE, top = 1ull << PM_ADDR_BITS;
    for (unsigned i = 0; i < n; i++) {
        const struct extwin_config *a = &w[i];
        if (!good_name(a->name)) {
            snprintf(err, errlen,
                     "machine.external.%u.name: '%s' is not a window name: use "
                     "[a-z0-9_], at most 32",
                     i, a->name ? a->name : "");
            return -1;
        }
        if (a->base % page || a->size % page || a->size == 0 || a->base >= top ||
            a->size > top - a->base) {
            snprintf(err, errlen,
                     "machine.external.%u ('%s'): base and size must be multiples "
                     "of 4 KiB, size above 0, the window below 2^48",
                     i, a->name);
            return -1;
        }
        if (a->irq_vector && a->irq_vector < 32) {
            snprintf(err, errlen,
                     "machine.external.%u.irq_vector: %llu is an exception vector; use 32-255", i,
                     (unsigned long long)a->irq_vector);
            return -1;
        }
        for (unsigned j = 0; j < i; j++) {
            const struct extwin_config *b = &w[j];
            if (strcmp(a->name, b->name) == 0) {
                snprintf(err, errlen,
                         "machine.external.%u: the name '%s' is taken by "
                         "machine.external.%u",
                         i, a->name, j);
                return -1;
            }
            if (a->base < b->base + b->size && b->base < a->base + a->size) {
                snprintf(err, errlen,
                         "machine.external.%u ('%s') overlaps machine.external.%u "
                         "('%s')",
                         i, a->name, j, b->name);
                return -1;
            }
        }
    }
    return 0;
}

int extwin_map(struct extwin *w, unsigned index, const struct extwin_config *cfg,
               struct physmem *pm)
{
    memset(w, 0, sizeof(*w));
    w->cfg = cfg;
    w->index = index;
    w->pm = pm;
    return physmem_add_mmio(pm, cfg->base, cfg->size, &extwin_ops, w);
}

void extwin_bind(struct extwin *w, const struct extwin_port *port)
{
    w->port = port;
}

int extwin_register_stats(struct extwin *w, struct stats_group *g)
{
    int rc = 0;
    rc |= stats_counter(g, "reads", &w->reads, "accesses", "loads the window's device served");
    rc |= stats_counter(g, "writes", &w->writes, "accesses", "stores the window's device served");
    rc |= stats_counter(g, "errors", &w->errors, "accesses",
                        "accesses refused, by the device or for want of one");
    rc |= stats_counter(g, "interrupts", &w->interrupts, "interrupts",
                        "rising edges of the device's interrupt line (irq_vector)");
    return rc ? -1 : 0;
}

const struct param extwin_params[5] = {
    {.key = "name",
     .type = PARAM_STRING,
     .offset = offsetof(struct extwin_config, name),
     .min = 1,
     .max = 0,
     .unit = "",
     .doc = "name of the window ([a-z0-9_]): vtsim::Platform's socket for it, and its stats "
            "(external.NAME.*)"},
    {.key = "base",
     .type = PARAM_UINT,
     .offset = offsetof(struct extwin_config, base),
     .min = 0,
     .max = 281474976710655.0,
     .unit = "bytes",
     .doc = "physical address of the window, a multiple of 4 KiB"},
    {.key = "size",
     .type = PARAM_SIZE,
     .offset = offsetof(struct extwin_config, size),
     .def = "4KiB",
     .min = 4096,
     .max = 281474976710656.0,
     .unit = "bytes",
     .doc = "length of the window, a multiple of 4 KiB"},
    {.key = "irq_vector",
     .type = PARAM_UINT,
     .offset = offsetof(struct extwin_config, irq_vector),
     .def = "0",
     .min = 0,
     .max = 255,
     .unit = "",
     .doc = "the device's interrupt line: a rising edge on vtsim::Platform's irq port for the "
            "window makes this vector pending at irq_hart (0: the window has no line; 1-31 are "
            "rejected, being exception vectors on IA-32 and reserved on IA-64)"},
    {.key = "irq_hart",
     .type = PARAM_UINT,
     .offset = offsetof(struct extwin_config, irq_hart),
     .def = "0",
     .min = 0,
     .max = 511,
     .unit = "",
     .doc = "the hart whose interrupt controller receives irq_vector"},
};
