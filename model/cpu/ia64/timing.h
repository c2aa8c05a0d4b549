/*
 * timing.h - the Itanium 2 issue model: in-order dispersal of up to
 * `bundles_per_cycle` bundles per cycle, issue groups split at stops,
 * taken branches and port limits (M, I, B units; loads and stores on
 * their M ports), a register scoreboard that stalls an instruction until
 * its sources are ready (loads at the latency the cache model reports,
 * AR/CR/BR/PR reads at their published latencies), a store buffer, and
 * the costs of serialization, pipeline flushes and branch mispredictions.
 *
 * The executor runs each bundle functionally first; this model then
 * places its instructions in cycles.  Machine parameters are in
 * machine.pipeline (timing_params.c).
 */
#ifndef VTSIM_MODEL_CPU_IA64_TIMING_H
#define VTSIM_MODEL_CPU_IA64_TIMING_H

#include <stdbool.h>
#include <stdint.h>

#include "model/base/param.h"
#include "model/cpu/ia64/decode.h"
#include "model/cpu/ia64/exec.h"

struct stats_group;

struct ia64_pipeline_config {
    uint64_t bundles_per_cycle;
    uint64_t m_ports, i_ports, b_ports, load_ports, store_ports;
    uint64_t store_buffer;  /* entries */
    uint64_t flush_penalty; /* cycles to refill after an interruption, rfi, srlz.i */
};
extern const struct param ia64_pipeline_params[8];

/* What the model needs of one slot, worked out once per decoded bundle. */
enum ia64_tclass {
    TC_NONE,      /* nop, break */
    TC_ALU,       /* fixed latency `lat` */
    TC_LOAD,      /* latency from the memory access */
    TC_STORE,     /* through the store buffer */
    TC_SEM,       /* load and store */
    TC_BRANCH,    /* B-unit control transfer */
    TC_SRLZ_D,    /* wait for every outstanding result */
    TC_SRLZ_I,    /* ... and refill the pipeline */
    TC_FENCE,     /* mf, sync.i: drain the store buffer */
    TC_FLUSH,     /* rfi: refill the pipeline */
    TC_STALL_LAT, /* the next group waits `lat` cycles (bsw) */
};

struct ia64_slot_timing {
    uint8_t cls;    /* enum ia64_tclass */
    uint8_t unit;   /* enum ia64_unit of the slot (A forms: the slot's M or I) */
    uint8_t lat;    /* TC_ALU: cycles until the result can be used */
    uint8_t src[2]; /* general registers read (0: none) */
    uint8_t dst[2]; /* general registers written (0: none) */
};

/* Fill the per-slot timing of a decoded bundle (slot 1 of MLX: the L+X
 * instruction). */
void ia64_timing_decode(const struct ia64_bundle *b, struct ia64_slot_timing t[3]);

struct ia64_timing_stats {
    uint64_t groups, load_use_stall, port_splits, store_buffer_stall, serialize_stall, flushes;
};

struct ia64_timing {
    struct ia64_pipeline_config cfg;
    uint64_t t;       /* the cycle the next instruction may issue in */
    unsigned bundles; /* bundles dispersed in cycle t */
    unsigned m, i, b, ld, st;
    uint64_t gr_ready[128];
    uint64_t sb[64]; /* store buffer: completion cycle per entry, a ring */
    unsigned sb_next;
    struct ia64_timing_stats s;
};

void ia64_timing_init(struct ia64_timing *tm, const struct ia64_pipeline_config *c);

/* Close the current cycle: the next instruction issues at t + n. */
void ia64_timing_advance(struct ia64_timing *tm, uint64_t n);

/*
 * Place the slots a bundle executed (r->first_slot up to r->end_slot) in
 * cycles, starting no earlier than `now`.  `frame_changed`: the bundle
 * changed the register frame (stacked scoreboard entries are dropped).
 */
void ia64_timing_bundle(struct ia64_timing *tm, const struct ia64_bundle *b,
                        const struct ia64_slot_timing st[3], const struct ia64_exec_result *r);

int ia64_timing_register_stats(struct ia64_timing *tm, struct stats_group *g);

#endif
