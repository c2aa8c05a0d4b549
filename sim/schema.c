/*
 * schema.c - the section tables of a study (see schema.h).  Defaults that
 * model real hardware live in the machine presets (configs/machines/),
 * each with its source; the defaults here are neutral.
 */
#include "sim/schema.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "sim/claims.h"
#include "sim/isa.h"
#include "sim/kernel.h"

/* One row; lo > hi means no bound. */
#define P(st, field, key_, type_, def_, lo, hi, choices_, unit_, doc_)                             \
    {                                                                                              \
        .key = key_, .type = type_, .offset = offsetof(st, field), .def = def_, .min = lo,         \
        .max = hi, .choices = choices_, .unit = unit_, .doc = doc_, .check = NULL,                 \
    }

static const struct param machine_params[] = {
    P(struct machine_config, preset, "preset", PARAM_STRING, "null", 1, 0, NULL, "",
      "machine preset from configs/machines/<name>.yaml; the study's own keys override it"),
    P(struct machine_config, isa, "isa", PARAM_ENUM, NULL, 1, 0, isa_names, "",
      "instruction set of every hart"),
    P(struct machine_config, cores, "cores", PARAM_UINT, "1", 1, 64, NULL, "cores",
      "number of cores"),
    P(struct machine_config, threads_per_core, "threads_per_core", PARAM_UINT, "1", 1, 8, NULL,
      "threads",
      "hardware threads (harts) per core, sharing its caches, predictors and issue slots"),
    P(struct machine_config, memory, "memory", PARAM_SIZE, "256MiB", 1048576.0, 68719476736.0, NULL,
      "bytes", "physical memory"),
    P(struct machine_config, frequency_mhz, "frequency_mhz", PARAM_UINT, "1500", 1, 100000, NULL,
      "MHz", "core clock, used to convert cycles to time in reports"),
};

#define MEM_SECTION(name, k, field, doc_)                                                          \
    static const struct section name = {                                                           \
        .key = k,                                                                                  \
        .doc = doc_,                                                                               \
        .params = memsys_##field##_params,                                                         \
        .nparams = sizeof(memsys_##field##_params) / sizeof(struct param),                         \
        .offset = offsetof(struct machine_config, mem.field),                                      \
    }

MEM_SECTION(l1i_section, "l1i", l1i, "L1 instruction cache, one per core.");
MEM_SECTION(l1d_section, "l1d", l1d, "L1 data cache, one per core.");
MEM_SECTION(l2_section, "l2", l2, "L2 cache: one per core, or one shared (`shared: true`).");
MEM_SECTION(l3_section, "l3", l3, "Shared last-level cache; `size: 0` for none.");
MEM_SECTION(coherence_section, "coherence", coherence,
            "MESI coherence between the cores' private caches over a snooping bus.");
MEM_SECTION(dram_section, "dram", dram, "Main memory: latency and channel bandwidth.");

/* TLBs: Itanium 2 has 32-entry fully associative L1 ITLB and DTLB and
 * 128-entry fully associative L2 ITLB and DTLB (doc. 251110, "TLBs").  The
 * second-level hit latency is a modelling assumption (no published cycle
 * count); 0 for a first-level hit, which the pipeline hides. */
static const struct param itlb_params[] = TLB_PARAMS("32", "32", "0", 1);
static const struct param dtlb_params[] = TLB_PARAMS("32", "32", "0", 1);
static const struct param itlb2_params[] = TLB_PARAMS("128", "128", "2", 0);
static const struct param dtlb2_params[] = TLB_PARAMS("128", "128", "4", 0);

#define SUB(name, k, params_, field, doc_)                                                         \
    static const struct section name = {                                                           \
        .key = k,                                                                                  \
        .doc = doc_,                                                                               \
        .params = params_,                                                                         \
        .nparams = sizeof(params_) / sizeof(struct param),                                         \
        .offset = offsetof(struct machine_config, field),                                          \
    }

SUB(itlb_section, "itlb", itlb_params, itlb, "First-level instruction TLB, one per hart.");
SUB(dtlb_section, "dtlb", dtlb_params, dtlb, "First-level data TLB, one per hart.");
SUB(itlb2_section, "itlb2", itlb2_params, itlb2,
    "Second-level instruction TLB (`entries: 0` for none).");
SUB(dtlb2_section, "dtlb2", dtlb2_params, dtlb2, "Second-level data TLB (`entries: 0` for none).");
SUB(bpred_section, "bpred", bpred_params, bpred,
    "Branch prediction per hart: BTB, direction predictor, return stack.");
SUB(emon_section, "emon", emon_params, emon, "Programmable event counters per hart.");
SUB(platform_section, "platform", platform_params, platform, "Interrupt and device timing.");
SUB(vti_section, "vti", ia64_vti_params, vti, "IA-64 virtualization (VT-i) options.");
SUB(pipeline_section, "pipeline", ia64_pipeline_params, pipeline,
    "Issue model: dispersal width, ports, store buffer, refill cost.");
SUB(vtx_section, "vtx", x86_vtx_params, vtx, "IA-32 virtualization (VT-x) transition costs.");

static const struct section external_section = {
    .key = "external",
    .doc = "MMIO windows vtsim does not model: a list.  Each hart load or store in a window "
           "becomes a TLM-2.0 transaction on the socket of that name of vtsim::Platform, which "
           "the embedding SystemC program binds to its device (docs/systemc.md).  `vtsim run` "
           "has no device to bind and rejects a study that declares one.",
    .params = extwin_params,
    .nparams = PARAM_COUNTOF(extwin_params),
    .offset = offsetof(struct machine_config, external),
    .is_list = true,
    .elem_size = sizeof(struct extwin_config),
    .max_elems = SCHEMA_MAX_EXTERNAL,
    .count_offset = offsetof(struct machine_config, nexternal),
};

static const struct section *const machine_subs[] = {
    &l1i_section,      &l1d_section,  &l2_section,       &l3_section,    &coherence_section,
    &dram_section,     &itlb_section, &dtlb_section,     &itlb2_section, &dtlb2_section,
    &bpred_section,    &emon_section, &platform_section, &vti_section,   &pipeline_section,
    &external_section, &vtx_section,
};

static const struct section machine_section = {
    .key = "machine",
    .doc = "The simulated machine.  `preset` loads a machine file first; every other key "
           "overrides it.",
    .params = machine_params,
    .nparams = PARAM_COUNTOF(machine_params),
    .subs = machine_subs,
    .nsubs = PARAM_COUNTOF(machine_subs),
    .offset = offsetof(struct study_config, machine),
};

static const char *const emulation_names[] = {"trap_frame", "patch", NULL};
static const char *const patching_names[] = {"dynamic", "static", NULL};
static const char *const mmu_names[] = {"direct", "shadow", NULL};

static const struct param hypervisor_params[] = {
    P(struct hypervisor_config, image, "image", PARAM_STRING, "null", 1, 0, NULL, "",
      "hypervisor firmware image (ELF); none runs the VMs' images on the bare machine"),
    P(struct hypervisor_config, emulation, "emulation", PARAM_ENUM, "trap_frame", 1, 0,
      emulation_names, "",
      "how the IA-64 hypervisor emulates a privileged guest instruction: trap_frame (save the "
      "frame, decode, emulate) or patch (replace it with a break to a routine made for it)"),
    P(struct hypervisor_config, patching, "patching", PARAM_ENUM, "dynamic", 1, 0, patching_names,
      "",
      "with emulation: patch, when instructions are patched: dynamic (at their first fault) "
      "or static (a scan of the guest's code before it runs)"),
    P(struct hypervisor_config, mmu, "mmu", PARAM_ENUM, "direct", 1, 0, mmu_names, "",
      "how the IA-32 hypervisor virtualizes guest memory: direct (the guest's page tables run "
      "on the hardware, validated and write-protected) or shadow (shadow page tables per "
      "virtual CPU; guest CR3 loads and INVLPG exit; seed 004, hypervisor.trace); a VM of "
      "several virtual CPUs needs shadow; IA-32 only"),
};

static const char *const pf_variant_names[] = {"single", "dual", "anybit", NULL};
static const char *const pf_criteria_names[] = {"off", "fig7", "fig8", NULL};

/* Seed 002: Figs. 3-5 (variant, mask/match pairs, bit 14) and Figs. 7-8
 * (criteria, PTBASE).  The defaults make every guest #PF exit, the SDM's
 * behaviour with bit 14 set and PFEC mask = match = 0. */
static const struct param pf_filter_params[] = {
    P(struct hv_pf_filter_config, variant, "variant", PARAM_ENUM, "single", 1, 0, pf_variant_names,
      "",
      "control-transfer filter: single ((EC & mask) == match decides with bit 14, the SDM's "
      "rule), dual (exit if either mask/match pair matches), anybit (EC & mask2 has any bit "
      "set or (EC & mask) == match, then bit 14)"),
    P(struct hv_pf_filter_config, bit14, "bit14", PARAM_BOOL, "true", 1, 0, NULL, "",
      "exception-bitmap bit 14 (#PF) the hypervisor sets in each VMCS"),
    P(struct hv_pf_filter_config, mask, "mask", PARAM_UINT, "0", 0, 4294967295.0, NULL, "",
      "page-fault error-code mask (VMCS 0x4006)"),
    P(struct hv_pf_filter_config, match, "match", PARAM_UINT, "0", 0, 4294967295.0, NULL, "",
      "page-fault error-code match (VMCS 0x4008)"),
    P(struct hv_pf_filter_config, mask2, "mask2", PARAM_UINT, "0", 0, 4294967295.0, NULL, "",
      "second mask (dual: compared with match2; anybit: any bit set)"),
    P(struct hv_pf_filter_config, match2, "match2", PARAM_UINT, "0", 0, 4294967295.0, NULL, "",
      "second match (dual only)"),
    P(struct hv_pf_filter_config, criteria, "criteria", PARAM_ENUM, "off", 1, 0, pf_criteria_names,
      "",
      "fault-filtering criteria for guest writes to PTEs in the self-map: off, fig7 (a write "
      "leaving P clear completes), fig8 (fig7, plus edits that keep P and the frame and add no "
      "write access)"),
    P(struct hv_pf_filter_config, ptbase, "ptbase", PARAM_UINT, "0xC0000000", 0, 4294967295.0, NULL,
      "", "linear base of the guest's self-mapped page tables (4 MiB aligned)"),
};

static const struct section pf_filter_section = {
    .key = "pf_filter",
    .doc = "IA-32 page-fault filtering the hypervisor programs into each VMCS (seed 002).",
    .params = pf_filter_params,
    .nparams = PARAM_COUNTOF(pf_filter_params),
    .offset = offsetof(struct hypervisor_config, pf_filter),
};

static const char *const sched_policy_names[] = {
    "fixed", "extend_warm", "cut_after_flush", "btb_loop", "payback", "profile", "smt_pair", NULL};

/* Seed 003 [0050]-[0063], Figure 5: a base quantum (1 ms, [0061]) that
 * the state management unit stretches or cuts within bounds (0.5 and 1.5
 * ms in [0061]) from EMON counters, cache and BTB state. */
static const char *const sched_queue_names[] = {"per_hart", "shared", "affine", NULL};

static const struct param sched_params[] = {
    P(struct hv_sched_config, policy, "policy", PARAM_ENUM, "fixed", 1, 0, sched_policy_names, "",
      "fixed (the base quantum), extend_warm (stretch while the VM's cache is warm, [0063]), "
      "cut_after_flush (end early after a flush or a working-set change, [0052]), btb_loop "
      "(stretch while the BTB shows a tight loop, cut at its exit, [0053]), payback (give "
      "time back to VMs cut early, [0053]), profile (each VM's history decides, [0062]), smt_pair "
      "(extend_warm judged on the core both hyperthreads share: stretch only while no sibling "
      "streams, and end a streaming VM's quantum while a sibling streams too, [0074]-[0076])"),
    P(struct hv_sched_config, quantum_us, "quantum_us", PARAM_UINT, "1000", 10, 1000000, NULL, "us",
      "base time quantum"),
    P(struct hv_sched_config, min_us, "min_us", PARAM_UINT, "500", 10, 1000000, NULL, "us",
      "shortest quantum a policy may cut to"),
    P(struct hv_sched_config, max_us, "max_us", PARAM_UINT, "1500", 10, 1000000, NULL, "us",
      "longest quantum a policy may stretch to"),
    P(struct hv_sched_config, tick_us, "tick_us", PARAM_UINT, "250", 10, 1000000, NULL, "us",
      "interval at which the state management unit reads the counters"),
    P(struct hv_sched_config, miss_threshold, "miss_threshold", PARAM_UINT, "20", 0, 1000000, NULL,
      "per 10k instructions",
      "last-level misses per 10,000 instructions below which a VM's cache is warm"),
    P(struct hv_sched_config, btb_threshold, "btb_threshold", PARAM_UINT, "98", 0, 100, NULL,
      "percent", "BTB hits (of lookups) at or above which a VM is in a tight loop"),
    P(struct hv_sched_config, jump_factor, "jump_factor", PARAM_UINT, "4", 1, 1000, NULL, "",
      "a miss rate this many times the previous tick's means the working set changed"),
    P(struct hv_sched_config, queue, "queue", PARAM_ENUM, "per_hart", 1, 0, sched_queue_names, "",
      "where a hart finds its next VM ([0074]): per_hart (VM i on hart i mod harts, for good), "
      "shared (one run queue, first in first out: a VM resumes on whichever hart ends a quantum "
      "first), affine (one run queue, but a hart takes the first VM that last ran on it, else the "
      "head); shared and affine are the IA-32 hypervisor's, whose VMs then migrate between harts"),
};

static const struct section sched_section = {
    .key = "sched",
    .doc = "The hypervisor's VM scheduler: base quantum, bounds and the policy of its state "
           "management unit (seed 003); the IA-32 and IA-64 hypervisors read the same values.",
    .params = sched_params,
    .nparams = PARAM_COUNTOF(sched_params),
    .offset = offsetof(struct hypervisor_config, sched),
};

/* In the order of enum hv_tr_sem (hv/x86/trace.h's enum tr_sem). */
#define TR_SEM_NAMES "bracketing", "post_sync", "post_async", "pre_write", "pre_write_data"
static const char *const tr_sem_names[] = {TR_SEM_NAMES, NULL};
static const char *const tr_override_names[] = {"none", TR_SEM_NAMES, NULL};

/* Seed 004 [0064]-[0087]: the notification semantics of each trace type
 * and the variations of [0075], [0084], [0085] and [0087].  The defaults
 * follow [0085]-[0086]: guests already tolerate stale TLB entries until
 * their own shootdown, so MMU traces can be post-write; descriptors and
 * cross-CPU code modification give no such slack, so they bracket. */
static const struct param trace_params[] = {
    P(struct hv_trace_config, mmu, "mmu", PARAM_ENUM, "post_sync", 1, 0, tr_sem_names, "",
      "semantics of traces on guest page tables (the shadow entries derived from them): "
      "bracketing (consumers acknowledge and stall before the actor writes, and resume at its "
      "completion signal, [0077]), post_sync (the actor writes, notifies and waits for every "
      "acknowledgement, [0078]), post_async (the actor writes, notifies and goes on, [0079]), "
      "pre_write (the actor announces its write, then writes, [0081]), pre_write_data "
      "(pre_write, the notes carrying the value written, [0081])"),
    P(struct hv_trace_config, gdt, "gdt", PARAM_ENUM, "bracketing", 1, 0, tr_sem_names, "",
      "semantics of traces on guest descriptor tables (GDT)"),
    P(struct hv_trace_config, code, "code", PARAM_ENUM, "bracketing", 1, 0, tr_sem_names, "",
      "semantics of traces on guest code pages (patched copies, with code_patch)"),
    P(struct hv_trace_config, override, "override", PARAM_ENUM, "none", 1, 0, tr_override_names, "",
      "none, or one semantics for every trace type ([0084])"),
    P(struct hv_trace_config, null_trace, "null_trace", PARAM_BOOL, "false", 1, 0, NULL, "",
      "notify every other virtual CPU of a traced write, whether or not it derived anything "
      "from the page ([0075])"),
    P(struct hv_trace_config, defer_mmu, "defer_mmu", PARAM_BOOL, "false", 1, 0, NULL, "",
      "defer MMU invalidations until the guest flushes its TLB ([0085])"),
    P(struct hv_trace_config, actor_delay_cycles, "actor_delay_cycles", PARAM_UINT, "0", 0,
      100000000, NULL, "cycles",
      "cycles an actor waits after its write before it goes on: widens the window of [0087]"),
    P(struct hv_trace_config, code_patch, "code_patch", PARAM_BOOL, "false", 1, 0, NULL, "",
      "the hypervisor derives per-virtual-CPU patched copies of guest code pages (traced as "
      "code)"),
};

static const struct section trace_section = {
    .key = "trace",
    .doc = "IA-32 hypervisor only: traces on guest memory, by which the hypervisor keeps the "
           "structures it derives per virtual CPU (shadow page tables, descriptors, patched "
           "code) coherent when a guest CPU writes their source (seed 004 [0064]-[0087]).  "
           "The memory mode itself is hypervisor.mmu.",
    .params = trace_params,
    .nparams = PARAM_COUNTOF(trace_params),
    .offset = offsetof(struct hypervisor_config, trace),
};

static const struct section *const hypervisor_subs[] = {&pf_filter_section, &sched_section,
                                                        &trace_section};

static const struct section hypervisor_section = {
    .key = "hypervisor",
    .doc = "The hypervisor firmware and its policy knobs (passed to it in the boot-info block).",
    .params = hypervisor_params,
    .nparams = PARAM_COUNTOF(hypervisor_params),
    .subs = hypervisor_subs,
    .nsubs = PARAM_COUNTOF(hypervisor_subs),
    .offset = offsetof(struct study_config, hypervisor),
};

static const struct param vm_params[] = {
    P(struct vm_config, name, "name", PARAM_STRING, NULL, 1, 0, NULL, "",
      "name of the VM, used in stats and console file names"),
    P(struct vm_config, image, "image", PARAM_STRING, NULL, 1, 0, NULL, "",
      "guest image (ELF), relative to the study file's folder or the current directory; "
      "null leaves the slot empty under a hypervisor (IA-32 or IA-64): its memory stays where "
      "it is and no VM runs in it (a VM's run alone, at the same addresses)"),
    P(struct vm_config, memory, "memory", PARAM_SIZE, "64MiB", 4096, 68719476736.0, NULL, "bytes",
      "guest physical memory"),
    P(struct vm_config, vcpus, "vcpus", PARAM_UINT, "1", 1, 64, NULL, "vcpus",
      "virtual CPUs of the VM"),
};

static const struct section vms_section = {
    .key = "vms",
    .doc = "The virtual machines, a list; each element is a mapping with these keys.",
    .params = vm_params,
    .nparams = PARAM_COUNTOF(vm_params),
    .offset = offsetof(struct study_config, vms),
    .is_list = true,
    .elem_size = sizeof(struct vm_config),
    .max_elems = SCHEMA_MAX_VMS,
    .count_offset = offsetof(struct study_config, nvms),
};

static const struct param run_params[] = {
    P(struct run_config, max_cycles, "max_cycles", PARAM_COUNT, "2G", 1, PARAM_NOBOUND_HI, NULL,
      "cycles", "stop when every hart's clock has reached this many cycles"),
    P(struct run_config, seed, "seed", PARAM_UINT, "1", 1, 0, NULL, "",
      "seed of every pseudo-random choice in the models (e.g. random replacement)"),
    P(struct run_config, fast_forward, "fast_forward", PARAM_COUNT, "0", 1, 0, NULL, "instructions",
      "instructions each hart executes functionally (one cycle per bundle, no stalls) before "
      "detailed timing; the phase `detailed` holds what follows"),
    P(struct run_config, warm_caches, "warm_caches", PARAM_BOOL, "true", 1, 0, NULL, "",
      "during fast-forward, still update caches, TLBs and predictors (without charging them)"),
    P(struct run_config, kernel, "kernel", PARAM_ENUM, "native", 1, 0, kernel_names, "",
      "simulation kernel: native (the built-in event loop) or systemc (SystemC TLM-2.0, loosely "
      "timed, one thread per hart; docs/systemc.md); both give the same stats at a quantum of 1"),
    P(struct run_config, systemc_quantum, "systemc_quantum", PARAM_COUNT, "1", 1, PARAM_NOBOUND_HI,
      NULL, "cycles",
      "with kernel: systemc, how far a hart runs ahead of SystemC time before it synchronises "
      "(temporal decoupling); 1 reproduces the native kernel exactly, more runs faster but "
      "delivers events up to a quantum late"),
    P(struct run_config, systemc_tlm_memory, "systemc_tlm_memory", PARAM_BOOL, "false", 1, 0, NULL,
      "",
      "with kernel: systemc, the harts reach the memory hierarchy through TLM-2.0 initiator "
      "sockets (b_transport, the latency in the annotated delay) instead of direct calls; the "
      "stats are the same either way"),
    P(struct run_config, systemc_cycle_ps, "systemc_cycle_ps", PARAM_UINT, "1", 0, 1000000000, NULL,
      "ps",
      "with kernel: systemc, how long one cycle lasts on SystemC's time axis, which SystemC "
      "peripherals share (vtsim::Platform); 0 takes it from machine.frequency_mhz, rounded to "
      "whole picoseconds; the stats are the same for any value"),
};

static const struct section run_section = {
    .key = "run",
    .doc = "Limits of one run (one sweep point).",
    .params = run_params,
    .nparams = PARAM_COUNTOF(run_params),
    .offset = offsetof(struct study_config, run),
};

/* A claim's expect or a derived stat's value: its syntax, by `check`. */
static int check_text(const void *field, int (*check)(const char *, char *, size_t), char *err,
                      size_t errlen)
{
    const char *s = *(const char *const *)field;
    char e[160];
    if (check(s, e, sizeof(e)) == 0)
        return 0;
    snprintf(err, errlen, "'%s': %s", s, e);
    return -1;
}

static int check_claim(const void *field, char *err, size_t errlen)
{
    return check_text(field, claim_check_syntax, err, errlen);
}

static const struct param claim_params[] = {
    P(struct claim_config, name, "name", PARAM_STRING, NULL, 1, 0, NULL, "",
      "what the claim says, shown in the check table"),
    {.key = "expect",
     .type = PARAM_STRING,
     .offset = offsetof(struct claim_config, expect),
     .min = 1,
     .max = 0,
     .unit = "",
     .doc = "comparison over sweep points, e.g. `ratio(cpu.cycles, machine.cores=1, "
            "machine.cores=2) >= 1.5` (docs/studies.md)",
     .check = check_claim},
    P(struct claim_config, phase, "phase", PARAM_STRING, "total", 1, 0, NULL, "",
      "phase whose stats the claim reads (total, roi, ...)"),
    P(struct claim_config, tolerance, "tolerance", PARAM_DOUBLE, "0", 0, 1e9, NULL, "ratio",
      "relative slack: the bound moves by tolerance * |bound| in the claim's favour"),
};

static const struct section claims_section = {
    .key = "claims",
    .doc = "Claims checked after the run and by `vtsim check`; a list.",
    .params = claim_params,
    .nparams = PARAM_COUNTOF(claim_params),
    .offset = offsetof(struct study_config, claims),
    .is_list = true,
    .elem_size = sizeof(struct claim_config),
    .max_elems = SCHEMA_MAX_CLAIMS,
    .count_offset = offsetof(struct study_config, nclaims),
};

static int check_derived(const void *field, char *err, size_t errlen)
{
    return check_text(field, claim_check_expr, err, errlen);
}

static const struct param derived_params[] = {
    P(struct derived_config, name, "name", PARAM_STRING, NULL, 1, 0, NULL, "",
      "the stat's name, as claims, plots and derived.csv use it (e.g. fairness.jain)"),
    {.key = "value",
     .type = PARAM_STRING,
     .offset = offsetof(struct derived_config, value),
     .min = 1,
     .max = 0,
     .unit = "",
     .doc = "expression evaluated at each point: a bare stat is the point's own, `@` in a "
            "selector value stands for the point's value of that key, e.g. "
            "`ctl.vm0.work_units / value(ctl.vm0.work_units, vms.1.name=none&vms.0.name=alone_@)` "
            "(docs/studies.md)",
     .check = check_derived},
    P(struct derived_config, where, "where", PARAM_STRING, "null", 1, 0, NULL, "",
      "the points it is defined at: key=value selectors, several joined by | (any of them); "
      "null = every point"),
    P(struct derived_config, phase, "phase", PARAM_STRING, "total", 1, 0, NULL, "",
      "phase whose stats it reads and which it joins"),
};

static const struct section derived_section = {
    .key = "derived",
    .doc = "Stats computed from the measured ones when a run is read back (normalisation "
           "against a baseline point, fairness indices); a list, evaluated in order, so one "
           "may use those before it.",
    .params = derived_params,
    .nparams = PARAM_COUNTOF(derived_params),
    .offset = offsetof(struct study_config, derived),
    .is_list = true,
    .elem_size = sizeof(struct derived_config),
    .max_elems = SCHEMA_MAX_DERIVED,
    .count_offset = offsetof(struct study_config, nderived),
};

static const char *const plot_kinds[] = {"line", "bar", "stacked", "scatter", NULL};

static const struct param plot_params[] = {
    P(struct plot_config, name, "name", PARAM_STRING, NULL, 1, 0, NULL, "",
      "file name of the plot under plots/ ([a-z0-9_-])"),
    P(struct plot_config, x, "x", PARAM_STRING, NULL, 1, 0, NULL, "",
      "x axis: a swept key path (categories or numbers) or a stat"),
    P(struct plot_config, y, "y", PARAM_STRING, NULL, 1, 0, NULL, "", "y axis: a stat"),
    P(struct plot_config, series, "series", PARAM_STRING, "null", 1, 0, NULL, "",
      "a swept key path: one line or bar group per value"),
    P(struct plot_config, kind, "kind", PARAM_ENUM, "line", 1, 0, plot_kinds, "",
      "line, bar (clustered), stacked (bars) or scatter"),
    P(struct plot_config, logx, "logx", PARAM_BOOL, "false", 1, 0, NULL, "", "logarithmic x axis"),
    P(struct plot_config, logy, "logy", PARAM_BOOL, "false", 1, 0, NULL, "", "logarithmic y axis"),
    P(struct plot_config, title, "title", PARAM_STRING, "null", 1, 0, NULL, "",
      "title (default: y against x)"),
    P(struct plot_config, xlabel, "xlabel", PARAM_STRING, "null", 1, 0, NULL, "",
      "x axis label (default: x)"),
    P(struct plot_config, ylabel, "ylabel", PARAM_STRING, "null", 1, 0, NULL, "",
      "y axis label (default: y)"),
    P(struct plot_config, where, "where", PARAM_STRING, "null", 1, 0, NULL, "",
      "only the points this selector picks (key=value&key=value, as in claims; several "
      "joined by | pick the points any of them picks); two points landing on one mark are "
      "an error"),
    P(struct plot_config, phase, "phase", PARAM_STRING, "total", 1, 0, NULL, "",
      "phase whose stats are plotted"),
};

static const struct section plots_section = {
    .key = "plots",
    .doc = "Plots written under plots/ as data, a gnuplot script, PNG and SVG; a list.",
    .params = plot_params,
    .nparams = PARAM_COUNTOF(plot_params),
    .offset = offsetof(struct study_config, plots),
    .is_list = true,
    .elem_size = sizeof(struct plot_config),
    .max_elems = SCHEMA_MAX_PLOTS,
    .count_offset = offsetof(struct study_config, nplots),
};

/* Study names become folder names: keep them to a safe alphabet. */
static int check_study_name(const void *field, char *err, size_t errlen)
{
    const char *s = *(const char *const *)field;
    bool ok = s && ((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9')) && strlen(s) <= 64;
    for (const char *p = s; ok && *p; p++)
        ok = (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_' || *p == '.' ||
             *p == '-';
    if (!ok)
        snprintf(err, errlen, "'%s' is not a study name: use [a-z0-9][a-z0-9_.-]*, at most 64",
                 s ? s : "");
    return ok ? 0 : -1;
}

static const struct param root_params[] = {
    {.key = "study",
     .type = PARAM_STRING,
     .offset = offsetof(struct study_config, study),
     .min = 1,
     .max = 0,
     .unit = "",
     .doc = "name of the study: [a-z0-9][a-z0-9_.-]*, used for the results folder",
     .check = check_study_name},
    P(struct study_config, description, "description", PARAM_STRING, "\"\"", 1, 0, NULL, "",
      "one line saying what the study shows"),
    P(struct study_config, report, "report", PARAM_STRLIST, "[]", 1, 0, NULL, "",
      "stats for summary.csv and the printed table (default: every top-level stat)"),
};

static const struct section *const root_subs[] = {
    &machine_section, &hypervisor_section, &vms_section,     &run_section,
    &plots_section,   &claims_section,     &derived_section,
};

const struct section schema_root = {
    .key = NULL,
    .doc = "Top-level keys of a study.",
    .params = root_params,
    .nparams = PARAM_COUNTOF(root_params),
    .subs = root_subs,
    .nsubs = PARAM_COUNTOF(root_subs),
};
