/*
 * mesi.h - the MESI protocol as one table: (state, event) -> (next state,
 * bus action).  Processor events come from the cache's own core; bus events
 * are snoops of another core's request.  The hierarchy (memsys.c) performs
 * the actions; the table is the single statement of the protocol.
 *
 * Source: Papamarcos and Patel, "A low-overhead coherence solution for
 * multiprocessors with private cache memories", ISCA 1984 (the Illinois
 * protocol), in the form given by Culler, Singh and Gupta, Parallel
 * Computer Architecture, section 5.3.2.
 */
#ifndef VTSIM_MODEL_CACHE_MESI_H
#define VTSIM_MODEL_CACHE_MESI_H

#include <stdbool.h>
#include <stdint.h>

enum mesi_state { MESI_I, MESI_S, MESI_E, MESI_M, MESI_NSTATES };

enum mesi_event {
    MESI_PR_RD,    /* own read (load, fetch, walk) */
    MESI_PR_WR,    /* own write (store, atomic) */
    MESI_BUS_RD,   /* another core reads the line */
    MESI_BUS_RDX,  /* another core writes the line it does not hold */
    MESI_BUS_UPGR, /* another core writes the line it holds shared */
    MESI_NEVENTS,
};

enum mesi_action {
    MESI_ACT_NONE,
    MESI_ACT_BUS_RD,   /* issue a read on the bus */
    MESI_ACT_BUS_RDX,  /* issue a read-for-ownership (others invalidate) */
    MESI_ACT_BUS_UPGR, /* issue an upgrade (others invalidate, no data) */
    MESI_ACT_FLUSH,    /* supply the dirty line and write it back */
};

/*
 * Next state of a line in `state` on `event`.  `others_have_copy` matters
 * only for a read miss (I + PR_RD: S if another cache holds the line,
 * else E).  *action receives what must be done on the bus.
 */
uint8_t mesi_next(uint8_t state, enum mesi_event event, bool others_have_copy,
                  enum mesi_action *action);

const char *mesi_state_name(uint8_t s);

#endif
