/*
 * timing_params.c - parameters of machine.pipeline (timing.h).  The
 * defaults are Itanium 2's: two bundles dispersed per cycle to 11 ports,
 * M0-M3 (loads on M0/M1, stores on M2/M3), I0-I1, B0-B2 (GCC's Itanium 2
 * pipeline description; shared/reference ia64-facts 9).  The store buffer
 * size and the refill cost are not published: 8 entries and the 8 stages
 * of the pipeline are this model's assumptions.
 */
#include <stddef.h>

#include "model/cpu/ia64/timing.h"

#define U(field, key_, def_, lo, hi, unit_, doc_)                                                  \
    {                                                                                              \
        .key = key_, .type = PARAM_UINT, .offset = offsetof(struct ia64_pipeline_config, field),   \
        .def = def_, .min = lo, .max = hi, .unit = unit_, .doc = doc_                              \
    }

const struct param ia64_pipeline_params[8] = {
    U(bundles_per_cycle, "bundles_per_cycle", "2", 1, 8, "bundles",
      "bundles dispersed per cycle (IA-64)"),
    U(m_ports, "m_ports", "4", 1, 16, "ports", "memory-unit issue ports"),
    U(i_ports, "i_ports", "2", 1, 16, "ports", "integer-unit issue ports"),
    U(b_ports, "b_ports", "3", 1, 16, "ports", "branch-unit issue ports"),
    U(load_ports, "load_ports", "2", 1, 16, "ports", "M ports that take loads"),
    U(store_ports, "store_ports", "2", 1, 16, "ports", "M ports that take stores and semaphores"),
    U(store_buffer, "store_buffer", "8", 1, 64, "entries",
      "stores in flight before a store waits (assumed)"),
    U(flush_penalty, "flush_penalty", "8", 0, 1000, "cycles",
      "pipeline refill after an interruption, rfi or srlz.i (assumed: 8 stages)"),
};
