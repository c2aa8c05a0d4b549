/*
 * ctl.c - the simulator-control device (see ctl.h).
 */
#include "model/platform/ctl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/base/stats.h"

_Static_assert(CTL_NHVSTATS < 256, "hvstat_sel keeps a row + 1 in a byte");

/* ctl_hvstat.def as data, for registration. */
static const struct {
    const char *name, *unit, *desc;
} hvstat_rows[CTL_NHVSTATS] = {
#define HVSTAT(id, name, unit, desc) [CTL_HVSTAT_##id] = {name, unit, desc},
#include "model/platform/ctl_hvstat.def"
#undef HVSTAT
};

/* The events counted per VM (ctl.vmN.<event>): what a VM loses to the
 * others sharing its caches and BTB, and what each switch costs it. */
static const struct {
    enum emon_event ev;
    const char *what;
} vm_events[] = {
    {EMON_L1D_MISSES, "L1D misses"},
    {EMON_L2_MISSES, "L2 misses"},
    {EMON_L3_MISSES, "L3 misses"},
    {EMON_BTB_MISSES, "BTB misses"},
    {EMON_BR_MISPREDICTS, "branch mispredictions"},
};

/* The table as the event mask emon_attribute takes. */
static uint64_t vm_event_mask(void)
{
    uint64_t m = 0;
    for (size_t k = 0; k < sizeof(vm_events) / sizeof(vm_events[0]); k++)
        m |= 1ull << vm_events[k].ev;
    return m;
}

void ctl_attach_emon(struct ctl *c, unsigned hart, struct emon *e)
{
    if (hart < CTL_MAX_HARTS)
        c->emon[hart] = e;
}

void ctl_free(struct ctl *c)
{
    if (c->quantum_hist) {
        histogram_free(c->quantum_hist);
        free(c->quantum_hist);
        c->quantum_hist = NULL;
    }
}

void ctl_init(struct ctl *c, const struct ctl_sink *sink, struct physmem *pm)
{
    memset(c, 0, sizeof(*c));
    c->sink = *sink;
    c->pm = pm;
}

/* A NUL-terminated name at physical address a, at most 63 characters of
 * [a-z0-9_.-]; false when unreadable or malformed. */
static bool read_name(struct ctl *c, uint64_t a, char name[64])
{
    for (unsigned i = 0; i < 64; i++) {
        uint64_t v;
        if (!c->pm || physmem_read(c->pm, a + i, 1, &v) != PM_OK)
            return false;
        char ch = (char)v;
        name[i] = ch;
        if (!ch)
            return i > 0;
        if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_' || ch == '.' ||
              ch == '-'))
            return false;
    }
    return false;
}

void ctl_set_port(struct ctl *c, const struct ctl_port *port)
{
    c->port = port;
}

void ctl_write(struct ctl *c, unsigned hart, enum ctl_reg reg, uint64_t val)
{
    if (c->port)
        c->port->write(c->port->ctx, hart, reg, val);
    else
        ctl_write_direct(c, hart, reg, val);
}

#define FNV_OFFSET 0xcbf29ce484222325ull

/* One FNV-1a step over a whole value, kept to 48 bits so a digest is
 * exact as a double in claims. */
static uint64_t fnv48(uint64_t digest, uint64_t v)
{
    return ((digest ^ v) * 0x100000001b3ull) & 0xFFFFFFFFFFFFull;
}

void ctl_write_direct(struct ctl *c, unsigned hart, enum ctl_reg reg, uint64_t val)
{
    char name[64];
    uint64_t arg = hart < CTL_MAX_HARTS ? c->arg[hart] : 0;
    unsigned vm = hart < CTL_MAX_HARTS ? c->vm[hart] : 0;
    switch (reg) {
    case CTL_CONSOLE: {
        char ch = (char)val;
        c->console_bytes++;
        if (c->sink.console)
            c->sink.console(c->sink.ctx, hart, &ch, 1);
        return;
    }
    case CTL_EXIT:
        if (c->sink.exit)
            c->sink.exit(c->sink.ctx, hart, (int)(val & 0xff));
        return;
    case CTL_ARG:
        if (hart < CTL_MAX_HARTS)
            c->arg[hart] = val;
        return;
    case CTL_NAME_BASE:
        if (hart < CTL_MAX_HARTS)
            c->name_base[hart] = val;
        return;
    case CTL_VM:
        if (hart < CTL_MAX_HARTS && val < CTL_MAX_VMS) {
            c->vm[hart] = (uint8_t)val;
            if (c->emon[hart])
                emon_attribute(c->emon[hart], c->vm_ev[val], vm_event_mask());
        } else
            c->bad_commands++;
        return;
    case CTL_COUNT:
        if (val < CTL_NEVENTS)
            c->events[val]++;
        else
            c->bad_commands++;
        return;
    case CTL_CMD:
        c->commands++;
        switch (val) {
        case CTL_CMD_PHASE_BEGIN:
        case CTL_CMD_PHASE_END:
            if (!read_name(c, arg + (hart < CTL_MAX_HARTS ? c->name_base[hart] : 0), name)) {
                c->bad_commands++;
                return;
            }
            if (c->sink.phase)
                c->sink.phase(c->sink.ctx, hart, name, val == CTL_CMD_PHASE_BEGIN);
            return;
        case CTL_CMD_ROI_BEGIN:
        case CTL_CMD_ROI_END:
            if (c->sink.phase)
                c->sink.phase(c->sink.ctx, hart, "roi", val == CTL_CMD_ROI_BEGIN);
            return;
        case CTL_CMD_ASSERT:
            if (c->sink.assert_failed)
                c->sink.assert_failed(c->sink.ctx, hart, arg);
            return;
        case CTL_CMD_RESULT:
            /* FNV-1a over the values in order, kept to 48 bits so the
             * stat is exact as a double in claims. */
            c->result_digest = fnv48(c->results ? c->result_digest : FNV_OFFSET, arg);
            c->results++;
            c->vm_digest[vm] = fnv48(c->vm_results[vm] ? c->vm_digest[vm] : FNV_OFFSET, arg);
            c->vm_results[vm]++;
            return;
        case CTL_CMD_WORK:
            c->work[hart < CTL_MAX_HARTS ? c->vm[hart] : 0] += arg;
            if (hart < CTL_MAX_HARTS)
                c->hart_work[hart] += arg;
            return;
        case CTL_CMD_VIOLATION:
            c->violations[hart < CTL_MAX_HARTS ? c->vm[hart] : 0] += arg;
            return;
        case CTL_CMD_IPIS:
            c->guest_ipis[hart < CTL_MAX_HARTS ? c->vm[hart] : 0] += arg;
            return;
        case CTL_CMD_HVSTAT_SELECT:
            if (hart < CTL_MAX_HARTS)
                c->hvstat_sel[hart] = arg < CTL_NHVSTATS ? (uint8_t)(arg + 1) : 0;
            if (hart >= CTL_MAX_HARTS || arg >= CTL_NHVSTATS)
                c->bad_commands++;
            return;
        case CTL_CMD_HVSTAT_ADD:
            if (hart < CTL_MAX_HARTS && c->hvstat_sel[hart])
                c->hvstat[c->hvstat_sel[hart] - 1] += arg;
            else
                c->bad_commands++;
            return;
        case CTL_CMD_QUANTUM: {
            c->quanta[vm]++;
            c->quantum_cycles[vm] += arg;
            if (c->quantum_hist)
                histogram_add(c->quantum_hist, arg);
            return;
        }
        default:
            c->bad_commands++;
            return;
        }
    }
}

bool ctl_port_write(struct ctl *c, unsigned hart, uint16_t port, unsigned size, uint64_t val)
{
    switch (port) {
    case CTL_PORT_CONSOLE:
        ctl_write(c, hart, CTL_CONSOLE, val);
        return true;
    case CTL_PORT_EXIT:
        ctl_write(c, hart, CTL_EXIT, val);
        return true;
    case CTL_PORT_ARG:
        ctl_write(c, hart, CTL_ARG, size >= 4 ? (val & 0xffffffffu) : (val & 0xff));
        return true;
    case CTL_PORT_CMD:
        ctl_write(c, hart, CTL_CMD, val & 0xff);
        return true;
    case CTL_PORT_COUNT:
        ctl_write(c, hart, CTL_COUNT, val & 0xff);
        return true;
    case CTL_PORT_VM:
        ctl_write(c, hart, CTL_VM, val & 0xff);
        return true;
    default:
        return false;
    }
}

static enum pm_status mmio_read(void *ctx, uint64_t off, unsigned size, uint64_t *val)
{
    (void)ctx;
    (void)off;
    (void)size;
    *val = 0;
    return PM_OK;
}

static enum pm_status mmio_write(void *ctx, uint64_t off, unsigned size, uint64_t val)
{
    struct ctl *c = ctx;
    (void)size;
    switch (off) {
    case 0x00:
        ctl_write(c, c->hart, CTL_CONSOLE, val);
        return PM_OK;
    case 0x08:
        ctl_write(c, c->hart, CTL_EXIT, val);
        return PM_OK;
    case 0x10:
        ctl_write(c, c->hart, CTL_ARG, val);
        return PM_OK;
    case 0x18:
        ctl_write(c, c->hart, CTL_CMD, val);
        return PM_OK;
    case 0x20:
        ctl_write(c, c->hart, CTL_NAME_BASE, val);
        return PM_OK;
    case 0x28:
        ctl_write(c, c->hart, CTL_COUNT, val);
        return PM_OK;
    case 0x30:
        ctl_write(c, c->hart, CTL_VM, val);
        return PM_OK;
    default:
        return PM_DEVICE;
    }
}

const struct mmio_ops ctl_mmio_ops = {mmio_read, mmio_write};

int ctl_register_stats(struct ctl *c, struct stats_group *g, unsigned nvms, unsigned nharts)
{
    if (!g || nvms > CTL_MAX_VMS || nharts > CTL_MAX_HARTS)
        return -1;
    int rc = 0;
    rc |= stats_counter(g, "console_bytes", &c->console_bytes, "bytes", "console output");
    rc |= stats_counter(g, "commands", &c->commands, "commands", "commands received");
    rc |= stats_counter(g, "bad_commands", &c->bad_commands, "commands",
                        "commands ignored (unknown, or a name that could not be read)");
    rc |= stats_counter(g, "results", &c->results, "values",
                        "values the program reported as its result");
    rc |= stats_counter(g, "result_digest", &c->result_digest, "digest",
                        "48-bit FNV-1a digest of the reported values, in order (0: none)");
    rc |= stats_counter(g, "hv_patches", &c->events[CTL_EV_PATCH], "patches",
                        "guest slots the hypervisor rewrote (emulation patches)");
    rc |= stats_counter(g, "hv_routines_built", &c->events[CTL_EV_ROUTINE], "routines",
                        "emulation routines the hypervisor built");
    struct stats_group *hv =
        stats_group(g, "hv", "counts the hypervisor measured itself and reported (commands 11-12)");
    for (unsigned i = 0; i < CTL_NHVSTATS && !rc; i++)
        rc |= !hv || stats_counter(hv, hvstat_rows[i].name, &c->hvstat[i], hvstat_rows[i].unit,
                                   hvstat_rows[i].desc);
    for (unsigned i = 0; i < nvms && !rc; i++) {
        struct stats_group *v =
            stats_instance(g, "vm", i, "one VM, as the hypervisor numbers them");
        rc |= !v || stats_counter(v, "work_units", &c->work[i], "units",
                                  "units of work the VM's guest reported done");
        rc |= !v || stats_counter(v, "quanta", &c->quanta[i], "quanta",
                                  "quanta the hypervisor reported the VM ran");
        rc |= !v || stats_counter(v, "quantum_cycles", &c->quantum_cycles[i], "cycles",
                                  "cycles of those quanta, in all");
        rc |= !v || stats_counter(v, "violations", &c->violations[i], "violations",
                                  "consistency violations the VM's guest reported observing");
        rc |= !v || stats_counter(v, "guest_ipis", &c->guest_ipis[i], "interrupts",
                                  "IPIs the VM's guest reported sending, by its own count");
        for (unsigned k = 0; k < sizeof(vm_events) / sizeof(vm_events[0]) && !rc; k++) {
            char desc[120];
            snprintf(desc, sizeof(desc), "%s on a hart while it ran the VM (EMON %s)",
                     vm_events[k].what, emon_event_name(vm_events[k].ev));
            rc |= stats_counter(v, emon_event_name(vm_events[k].ev), &c->vm_ev[i][vm_events[k].ev],
                                "events", desc);
        }
        rc |= !v || stats_counter(v, "result_digest", &c->vm_digest[i], "digest",
                                  "48-bit FNV-1a digest of the values the VM's guest reported "
                                  "as its result, in order (0: none)");
    }
    for (unsigned i = 0; i < nharts && !rc; i++) {
        struct stats_group *h =
            stats_instance(g, "hart", i, "one hart, as the machine numbers them");
        rc |= !h || stats_counter(h, "work_units", &c->hart_work[i], "units",
                                  "units of work reported by code running on the hart");
    }
    /* Quanta lengths: 50 buckets of 100,000 cycles (0.04 ms at 2.4 GHz). */
    if (!rc && !c->quantum_hist) {
        c->quantum_hist = calloc(1, sizeof(*c->quantum_hist));
        rc |= !c->quantum_hist || histogram_init(c->quantum_hist, 50, 100000) != 0;
    }
    rc |= rc || stats_histogram(g, "quantum_cycles", c->quantum_hist, "cycles",
                                "lengths of the quanta hypervisors reported") != 0;
    return rc ? -1 : 0;
}
