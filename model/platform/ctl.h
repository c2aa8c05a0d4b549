/*
 * ctl.h - the simulator-control device: console output, phase marks (ROI
 * and named phases), exit with a status, and "assert failed", reachable
 * from both ISAs.  The device core is ISA-neutral; its effects go through
 * a sink the simulator provides, so model/platform knows nothing of sim/.
 *
 * Registers (writes; reads return 0):
 *   CTL_CONSOLE  one byte of console output
 *   CTL_EXIT     end the run with this status (low 8 bits on IA-32)
 *   CTL_ARG      per hart: argument of the next command that hart writes (a
 *                physical address or a code); per hart because harts run
 *                interleaved, and one hart's ARG must not feed another's command
 *   CTL_CMD      1 phase begin, 2 phase end (ARG = physical address of a
 *                NUL-terminated name, at most 63 characters), 3 ROI begin,
 *                4 ROI end (the phase "roi"), 5 assert failed (ARG = code),
 *                6 result (ARG = a value the program computed, e.g. a
 *                checksum: folded into the stat ctl.result_digest, so a
 *                study can claim that every point computed the same, and
 *                into ctl.vmN.result_digest of the VM running on the hart,
 *                which does not depend on how the VMs' harts interleave),
 *                7 work (ARG = units of work done: added to the stat
 *                ctl.vmN.work_units of the VM running on the hart),
 *                8 quantum (ARG = cycles the hart's VM just ran in one
 *                quantum: ctl.vmN.quanta and quantum_cycles, and the
 *                histogram ctl.quantum_cycles; a hypervisor reports it),
 *                9 violations (ARG = consistency violations the guest
 *                observed, e.g. the litmus test of seed 004 [0087]: added
 *                to ctl.vmN.violations; 0 on correct hardware),
 *                10 IPIs (ARG = inter-processor interrupts the guest sent
 *                by its own count: ctl.vmN.guest_ipis, to set beside the
 *                IPIs the machine delivered),
 *                11 hv stat select (ARG = a row of ctl_hvstat.def, per
 *                hart: the counter that hart's next command 12 adds to),
 *                12 hv stat add (ARG = a value the hypervisor measured:
 *                added to the selected row's 64-bit counter, the stat
 *                ctl.hv.<name>, machine-wide; ARG is 32 bits on IA-32,
 *                so a larger count goes in pieces).  A hypervisor reports
 *                a count it keeps in its own memory this way, e.g. at the
 *                end of its run; a row out of range is a bad command and
 *                leaves the hart with no row, so its adds are bad
 *                commands too until it selects a valid one, as they are
 *                before its first select.
 *              Work units also count per hart (ctl.hartN.work_units), so a
 *              study can see that every CPU of an SMP guest did work.
 *   CTL_COUNT    count one hypervisor event of this number (stats
 *                ctl.hv_*): 0 a patch inserted, 1 a routine built; the
 *                firmware pays one uncached store per event, so only rare
 *                events are counted this way
 *   CTL_NAME_BASE  per hart: added to ARG when a name is read.  A
 *                hypervisor sets it to the machine address of the guest
 *                memory it runs on that hart, so guests pass their own
 *                (guest-physical) addresses.
 *   CTL_VM       per hart: the VM the hypervisor runs there now (0 on a
 *                bare machine), set at each world switch; work units
 *                count for it.
 *
 * IA-32 maps them to I/O ports: 0xE9 console (Bochs/QEMU debugcon), 0xF4
 * exit (QEMU isa-debug-exit: an 8-bit write; QEMU then exits with
 * (status << 1) | 1, vtsim with the status itself), 0xE0 ARG (32-bit) and
 * 0xE4 CMD (8-bit), which QEMU ignores, so one binary runs on both; and,
 * for hypervisors, 0xE5 COUNT and 0xE6 VM (8-bit).
 * IA-64 maps them to an uncacheable MMIO page at CTL_IA64_BASE: console at
 * +0x00, exit +0x08, ARG +0x10, CMD +0x18, NAME_BASE +0x20, COUNT +0x28, VM +0x30
 * (8-byte registers).
 *
 * A port (ctl_set_port) can take every register write, from either
 * mapping, before the device handles it: under the SystemC kernel with
 * run.systemc_tlm_memory it is a TLM-2.0 transaction to a target over the
 * device (sim/systemc/ctl_target.hh), which calls ctl_write_direct().
 */
#ifndef VTSIM_MODEL_PLATFORM_CTL_H
#define VTSIM_MODEL_PLATFORM_CTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/cpu/emon/emon.h"
#include "model/platform/physmem.h"

enum ctl_reg { CTL_CONSOLE, CTL_EXIT, CTL_ARG, CTL_CMD, CTL_NAME_BASE, CTL_COUNT, CTL_VM };
enum ctl_event { CTL_EV_PATCH, CTL_EV_ROUTINE, CTL_NEVENTS };
#define CTL_MAX_HARTS 512
#define CTL_MAX_VMS   16
enum ctl_cmd {
    CTL_CMD_PHASE_BEGIN = 1,
    CTL_CMD_PHASE_END = 2,
    CTL_CMD_ROI_BEGIN = 3,
    CTL_CMD_ROI_END = 4,
    CTL_CMD_ASSERT = 5,
    CTL_CMD_RESULT = 6,
    CTL_CMD_WORK = 7,
    CTL_CMD_QUANTUM = 8,
    CTL_CMD_VIOLATION = 9,
    CTL_CMD_IPIS = 10,
    CTL_CMD_HVSTAT_SELECT = 11,
    CTL_CMD_HVSTAT_ADD = 12,
};

/* Rows of ctl_hvstat.def: CTL_HVSTAT_<ID>, the index command 11 takes. */
enum ctl_hvstat {
#define HVSTAT(id, name, unit, desc) CTL_HVSTAT_##id,
#include "model/platform/ctl_hvstat.def"
#undef HVSTAT
    CTL_NHVSTATS
};

#define CTL_PORT_CONSOLE 0xE9
#define CTL_PORT_EXIT    0xF4
#define CTL_PORT_ARG     0xE0
#define CTL_PORT_CMD     0xE4
#define CTL_PORT_COUNT   0xE5
#define CTL_PORT_VM      0xE6
#define CTL_IA64_BASE    0xFFFF0000ull
#define CTL_IA64_SIZE    0x1000ull

/* What the device asks of the simulator. */
struct ctl_sink {
    void (*console)(void *ctx, unsigned hart, const char *buf, size_t n);
    void (*phase)(void *ctx, unsigned hart, const char *name, bool begin);
    void (*exit)(void *ctx, unsigned hart, int status);
    void (*assert_failed)(void *ctx, unsigned hart, uint64_t code);
    void *ctx;
};

/* Where register writes go first when set (see above). */
struct ctl_port {
    void (*write)(void *ctx, unsigned hart, enum ctl_reg reg, uint64_t val);
    void *ctx;
};

struct ctl {
    struct ctl_sink sink;
    const struct ctl_port *port; /* NULL: writes go straight to the device */
    struct physmem *pm;          /* to read phase names */
    uint64_t arg[CTL_MAX_HARTS]; /* CTL_ARG per hart */
    uint64_t name_base[CTL_MAX_HARTS];
    uint8_t vm[CTL_MAX_HARTS]; /* CTL_VM per hart */
    uint64_t work[CTL_MAX_VMS];
    uint64_t hart_work[CTL_MAX_HARTS]; /* CTL_CMD_WORK by the hart it came from */
    uint64_t violations[CTL_MAX_VMS], guest_ipis[CTL_MAX_VMS];
    uint64_t vm_results[CTL_MAX_VMS], vm_digest[CTL_MAX_VMS]; /* CTL_CMD_RESULT per VM */
    uint64_t quanta[CTL_MAX_VMS], quantum_cycles[CTL_MAX_VMS];
    /* Each hart's event monitor (ctl_attach_emon), and per VM the misses
     * counted on a hart since it reported the VM with CTL_VM. */
    struct emon *emon[CTL_MAX_HARTS];
    uint64_t vm_ev[CTL_MAX_VMS][EMON_NEVENTS];
    uint64_t hvstat[CTL_NHVSTATS];     /* ctl.hv.<name> */
    uint8_t hvstat_sel[CTL_MAX_HARTS]; /* per hart: selected row + 1; 0 none */
    struct histogram *quantum_hist;    /* made by ctl_register_stats */
    unsigned hart; /* the hart whose access is being served (set by the front end) */
    uint64_t console_bytes, commands, bad_commands;
    uint64_t results, result_digest; /* CTL_CMD_RESULT: how many, and their digest */
    uint64_t events[CTL_NEVENTS];
};

void ctl_init(struct ctl *c, const struct ctl_sink *sink, struct physmem *pm);
void ctl_free(struct ctl *c);

struct stats_group;
struct histogram;
/* ctl.console_bytes, commands, bad_commands, results, result_digest, the
 * hv_* event counts, ctl.hv.<name> for every row of ctl_hvstat.def,
 * ctl.vmN.work_units, violations and guest_ipis for VMs 0..nvms-1, and
 * ctl.hartN.work_units for harts 0..nharts-1. */
int ctl_register_stats(struct ctl *c, struct stats_group *g, unsigned nvms, unsigned nharts);

/* Count hart's misses for the VM it reports with CTL_VM from then on
 * (ctl.vmN.l1d_misses, ...): each VM's share of the caches and the BTB,
 * hypervisor work while the VM is switched in included. */
void ctl_attach_emon(struct ctl *c, unsigned hart, struct emon *e);

/* A write to a register by `hart`, through the port when one is set.
 * Unknown commands are counted and ignored. */
void ctl_write(struct ctl *c, unsigned hart, enum ctl_reg reg, uint64_t val);

/* The device's own handling of a write (the port's far end calls it). */
void ctl_write_direct(struct ctl *c, unsigned hart, enum ctl_reg reg, uint64_t val);

/* Send every write through `port` from now on (NULL: none); the port
 * must outlive its use. */
void ctl_set_port(struct ctl *c, const struct ctl_port *port);

/* IA-32 port write; false when the port is not the device's. */
bool ctl_port_write(struct ctl *c, unsigned hart, uint16_t port, unsigned size, uint64_t val);

/* IA-64 MMIO: physmem_add_mmio(pm, CTL_IA64_BASE, CTL_IA64_SIZE, &ctl_mmio_ops, ctl);
 * the front end sets c->hart before the access. */
extern const struct mmio_ops ctl_mmio_ops;

#endif
