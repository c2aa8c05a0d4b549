/*
 * emon.h - event monitoring per hart: every event of events.def counted
 * always (for the stats), plus N programmable counters (event select,
 * enable, privilege and guest/host filters, a value of configurable width
 * with an overflow callback) that each ISA front end exposes through its
 * own interface (IA-64 pmc/pmd, IA-32 event-select MSRs and rdpmc).
 *
 * Hot: emon_count() on every event; with no programmable counter watching
 * the event in the current mode it is one add and one test.
 */
#ifndef VTSIM_MODEL_CPU_EMON_EMON_H
#define VTSIM_MODEL_CPU_EMON_EMON_H

#include <stdbool.h>
#include <stdint.h>

#include "model/base/param.h"

struct stats_group;

enum emon_event {
#define EV(id, name, desc) EMON_##id,
#include "model/cpu/emon/events.def"
#undef EV
    EMON_NEVENTS
};

#define EMON_MAX_COUNTERS 16

/* Which modes a programmable counter counts in (bit masks). */
enum { EMON_PRIV_USER = 1, EMON_PRIV_KERNEL = 2, EMON_PRIV_ALL = 3 };
enum { EMON_MODE_GUEST = 1, EMON_MODE_HOST = 2, EMON_MODE_ALL = 3 };

struct emon_pmc {
    uint16_t event;
    bool enable;
    uint8_t priv; /* EMON_PRIV_* */
    uint8_t mode; /* EMON_MODE_* */
    uint64_t value;
};

typedef void (*emon_overflow_fn)(void *ctx, unsigned counter);

/* machine.emon: how many programmable counters a hart has, and their width. */
struct emon_config {
    uint64_t counters;
    uint64_t width;
};
extern const struct param emon_params[2];

/* In emon.watch: the event is also added to the attribution sink. */
#define EMON_WATCH_SINK (1u << EMON_MAX_COUNTERS)

struct emon {
    uint64_t ev[EMON_NEVENTS];
    uint32_t watch[EMON_NEVENTS]; /* counters counting this event in the current mode,
                                   * and EMON_WATCH_SINK */
    uint64_t *sink;               /* NULL, or per event: where attributed counts go too */
    uint64_t sink_events;         /* the events attributed, a bit each */
    struct emon_pmc pmc[EMON_MAX_COUNTERS];
    unsigned ncounters;
    uint64_t mask; /* (1 << width) - 1 */
    bool kernel, guest;
    uint64_t overflows;
    emon_overflow_fn overflow;
    void *ctx;
};

/* `ncounters` programmable counters of `width` bits (1..64); 0 or -1. */
int emon_init(struct emon *e, unsigned ncounters, unsigned width, emon_overflow_fn fn, void *ctx);

/* The privilege and guest/host mode the hart is in now (front ends call
 * this on every mode change). */
void emon_set_mode(struct emon *e, bool kernel, bool guest);

/* Program counter i (value written separately).  0, or -1 for a bad index
 * or event. */
int emon_program(struct emon *e, unsigned i, unsigned event, bool enable, unsigned priv,
                 unsigned mode);
int emon_write(struct emon *e, unsigned i, uint64_t value);
uint64_t emon_read(const struct emon *e, unsigned i);

/* Add the events in `events` (bit i: event i) to sink[event] as
 * well from now on, until the next call; NULL: to nothing.  The control
 * device uses this to count each VM's misses (ctl.vmN.*). */
void emon_attribute(struct emon *e, uint64_t *sink, uint64_t events);

void emon_count_slow(struct emon *e, enum emon_event ev, uint64_t n);

static inline void emon_count(struct emon *e, enum emon_event ev, uint64_t n)
{
    e->ev[ev] += n;
    if (e->watch[ev])
        emon_count_slow(e, ev, n);
}

/* Every event under g as emon.<name>, plus the overflow count. */
int emon_register_stats(struct emon *e, struct stats_group *g);

const char *emon_event_name(unsigned ev);

#endif
