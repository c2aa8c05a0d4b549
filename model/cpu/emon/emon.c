/*
 * emon.c - programmable counters and stats of EMON (see emon.h).
 */
#include "model/cpu/emon/emon.h"

#include <stddef.h>
#include <string.h>

#include "model/base/stats.h"

static const char *const names[EMON_NEVENTS] = {
#define EV(id, name, desc) name,
#include "model/cpu/emon/events.def"
#undef EV
};

static const char *const descs[EMON_NEVENTS] = {
#define EV(id, name, desc) desc,
#include "model/cpu/emon/events.def"
#undef EV
};

const char *emon_event_name(unsigned ev)
{
    return ev < EMON_NEVENTS ? names[ev] : NULL;
}

/* Which counters watch each event in the current mode. */
static void rewatch(struct emon *e)
{
    memset(e->watch, 0, sizeof(e->watch));
    unsigned priv = e->kernel ? EMON_PRIV_KERNEL : EMON_PRIV_USER;
    unsigned mode = e->guest ? EMON_MODE_GUEST : EMON_MODE_HOST;
    for (unsigned i = 0; i < e->ncounters; i++) {
        const struct emon_pmc *p = &e->pmc[i];
        if (p->enable && (p->priv & priv) && (p->mode & mode))
            e->watch[p->event] |= 1u << i;
    }
    for (unsigned ev = 0; e->sink && ev < EMON_NEVENTS; ev++)
        if (e->sink_events >> ev & 1)
            e->watch[ev] |= EMON_WATCH_SINK;
}

_Static_assert(EMON_NEVENTS <= 64, "emon_attribute takes the events as a 64-bit mask");

void emon_attribute(struct emon *e, uint64_t *sink, uint64_t events)
{
    e->sink = sink;
    e->sink_events = events;
    rewatch(e);
}

int emon_init(struct emon *e, unsigned ncounters, unsigned width, emon_overflow_fn fn, void *ctx)
{
    memset(e, 0, sizeof(*e));
    if (ncounters > EMON_MAX_COUNTERS || width == 0 || width > 64)
        return -1;
    e->ncounters = ncounters;
    e->mask = width == 64 ? UINT64_MAX : (1ull << width) - 1;
    e->overflow = fn;
    e->ctx = ctx;
    e->kernel = true;
    return 0;
}

void emon_set_mode(struct emon *e, bool kernel, bool guest)
{
    if (e->kernel == kernel && e->guest == guest)
        return;
    e->kernel = kernel;
    e->guest = guest;
    rewatch(e);
}

int emon_program(struct emon *e, unsigned i, unsigned event, bool enable, unsigned priv,
                 unsigned mode)
{
    if (i >= e->ncounters || event >= EMON_NEVENTS)
        return -1;
    e->pmc[i].event = (uint16_t)event;
    e->pmc[i].enable = enable;
    e->pmc[i].priv = (uint8_t)(priv & EMON_PRIV_ALL);
    e->pmc[i].mode = (uint8_t)(mode & EMON_MODE_ALL);
    rewatch(e);
    return 0;
}

int emon_write(struct emon *e, unsigned i, uint64_t value)
{
    if (i >= e->ncounters)
        return -1;
    e->pmc[i].value = value & e->mask;
    return 0;
}

uint64_t emon_read(const struct emon *e, unsigned i)
{
    return i < e->ncounters ? e->pmc[i].value : 0;
}

void emon_count_slow(struct emon *e, enum emon_event ev, uint64_t n)
{
    uint32_t w = e->watch[ev];
    if (w & EMON_WATCH_SINK) {
        e->sink[ev] += n;
        w &= ~EMON_WATCH_SINK;
    }
    for (uint32_t m = w; m; m &= m - 1) {
        unsigned i = (unsigned)__builtin_ctz(m);
        struct emon_pmc *p = &e->pmc[i];
        uint64_t before = p->value;
        p->value = (before + n) & e->mask;
        /* Wrapped past the top: one overflow per wrap (n is small). */
        if (p->value < before || (n > e->mask)) {
            e->overflows++;
            if (e->overflow)
                e->overflow(e->ctx, i);
        }
    }
}

int emon_register_stats(struct emon *e, struct stats_group *g)
{
    struct stats_group *eg = stats_group(g, "emon", "event monitor counts");
    int rc = 0;
    for (unsigned i = 0; i < EMON_NEVENTS; i++)
        rc |= stats_counter(eg, names[i], &e->ev[i], "events", descs[i]);
    rc |= stats_counter(eg, "pmc_overflows", &e->overflows, "events",
                        "programmable counter overflows (PMU interrupts requested)");
    return rc ? -1 : 0;
}

/* Defaults: Itanium 2 has 4 generic counters (PMC4-7/PMD4-7) of 47 bits
 * (Intel Itanium 2 Processor Reference Manual for Software Development and
 * Optimization, doc. 251110, "Performance Monitoring"); Core 2 has 2
 * general-purpose counters of 40 bits (Intel SDM Vol. 3B, 18.2). */
const struct param emon_params[2] = {
    {.key = "counters",
     .type = PARAM_UINT,
     .offset = offsetof(struct emon_config, counters),
     .def = "4",
     .min = 0,
     .max = EMON_MAX_COUNTERS,
     .unit = "counters",
     .doc = "programmable counters per hart"},
    {.key = "width",
     .type = PARAM_UINT,
     .offset = offsetof(struct emon_config, width),
     .def = "47",
     .min = 1,
     .max = 64,
     .unit = "bits",
     .doc = "width of a programmable counter; it overflows when it wraps"},
};
