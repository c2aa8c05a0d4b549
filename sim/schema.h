/*
 * schema.h - the typed form of a study and the section tables that
 * describe it (model/base/param.h).  The tables are the single source of
 * truth for validation, defaults, show-config and docs/config.md; a new
 * model section is added by writing its table and listing it here.
 */
#ifndef VTSIM_SIM_SCHEMA_H
#define VTSIM_SIM_SCHEMA_H

#include <stdbool.h>
#include <stdint.h>

#include "model/base/param.h"
#include "model/cache/memsys.h"
#include "model/cpu/bpred/bpred.h"
#include "model/cpu/emon/emon.h"
#include "model/cpu/ia64/timing.h"
#include "model/cpu/ia64/vti.h"
#include "model/platform/extwin.h"
#include "model/cpu/x86/vtx.h"
#include "model/platform/ipi.h"
#include "model/tlb/tlb.h"

#define SCHEMA_MAX_VMS      16
#define SCHEMA_MAX_AXES     16
#define SCHEMA_MAX_POINTS   4096
#define SCHEMA_MAX_EXTERNAL 8

struct machine_config {
    const char *preset;
    int isa; /* index into isa_names */
    uint64_t cores;
    uint64_t threads_per_core;
    uint64_t memory;
    uint64_t frequency_mhz;
    struct memsys_config mem; /* machine.l1i ... machine.dram */
    /* Used by the ISA front ends when they build their harts: */
    struct tlb_config itlb, dtlb, itlb2, dtlb2;
    struct bpred_config bpred;
    struct emon_config emon;
    struct platform_config platform;
    struct ia64_vti_config vti;
    struct ia64_pipeline_config pipeline;
    /* MMIO windows served outside vtsim (model/platform/extwin.h). */
    struct extwin_config external[SCHEMA_MAX_EXTERNAL];
    unsigned nexternal;
    struct x86_vtx_config vtx;
};

enum hv_emulation { HV_TRAP_FRAME, HV_PATCH };
enum hv_patching { HV_PATCH_DYNAMIC, HV_PATCH_STATIC };
/* hypervisor.mmu: how the IA-32 hypervisor virtualizes guest memory. */
enum hv_mmu { HV_MMU_DIRECT, HV_MMU_SHADOW };

/* Trace notification semantics (seed 004 [0064]-[0087]), in the order of
 * hv/x86/trace.h's enum tr_sem, so the boot-info block takes the value as
 * it is. */
enum hv_tr_sem {
    HV_TR_BRACKETING,
    HV_TR_POST_SYNC,
    HV_TR_POST_ASYNC,
    HV_TR_PRE_WRITE,
    HV_TR_PRE_WRITE_DATA,
};

/* hypervisor.trace: how the IA-32 hypervisor keeps the structures it
 * derives from guest memory coherent across virtual CPUs (seed 004). */
struct hv_trace_config {
    int mmu, gdt, code;          /* enum hv_tr_sem per trace type */
    int override;                /* 0 none, else one enum hv_tr_sem + 1 for every type */
    bool null_trace;             /* notify every other virtual CPU, derived or not ([0075]) */
    bool defer_mmu;              /* MMU invalidations wait for the guest's TLB flush ([0085]) */
    uint64_t actor_delay_cycles; /* an actor's wait after its write ([0087]) */
    bool code_patch;             /* per-virtual-CPU patched copies of guest code pages */
};

/* hypervisor.pf_filter: the IA-32 hypervisor's page-fault filter settings,
 * which it writes into each VMCS (model/vmcs/pf_filter.h). */
struct hv_pf_filter_config {
    int variant; /* enum pf_variant */
    bool bit14;  /* exception bitmap bit 14 */
    uint64_t mask, match, mask2, match2;
    int criteria;    /* enum pf_criteria */
    uint64_t ptbase; /* the guest's self-map base, for the criteria */
};

/* hypervisor.sched: the VM scheduler's policy and bounds (seed 003). */
struct hv_sched_config {
    int policy;              /* enum hv_sched_policy */
    uint64_t quantum_us;     /* base quantum */
    uint64_t min_us, max_us; /* bounds a policy may cut to or stretch to */
    uint64_t tick_us;        /* how often the state management unit looks */
    uint64_t miss_threshold; /* last-level misses per 10,000 instructions: "warm" below */
    uint64_t btb_threshold;  /* BTB hits in percent of lookups: "tight loop" at or above */
    uint64_t jump_factor;    /* a miss rate this many times the last: the working set changed */
    int queue;               /* enum hv_sched_queue */
};

/* Where a hart finds the next VM (seed 003 [0074]). */
enum hv_sched_queue {
    HV_QUEUE_PER_HART, /* VM i on hart i mod harts, for good */
    HV_QUEUE_SHARED,   /* one queue, first come first served: VMs migrate */
    HV_QUEUE_AFFINE,   /* one queue, but a hart takes a VM that last ran on it first */
};

enum hv_sched_policy {
    HV_SCHED_FIXED,
    HV_SCHED_EXTEND_WARM,
    HV_SCHED_CUT_AFTER_FLUSH,
    HV_SCHED_BTB_LOOP,
    HV_SCHED_PAYBACK,
    HV_SCHED_PROFILE,
    HV_SCHED_SMT_PAIR,
};

struct hypervisor_config {
    const char *image; /* NULL: bare machine */
    int emulation;     /* enum hv_emulation */
    int patching;      /* enum hv_patching */
    int mmu;           /* enum hv_mmu */
    struct hv_pf_filter_config pf_filter;
    struct hv_sched_config sched;
    struct hv_trace_config trace;
};

struct vm_config {
    const char *name;
    const char *image;
    uint64_t memory;
    uint64_t vcpus;
};

struct run_config {
    uint64_t max_cycles;
    uint64_t seed;
    uint64_t fast_forward;     /* instructions per hart run functionally first */
    bool warm_caches;          /* fast-forward still updates caches and predictors */
    int kernel;                /* enum kernel_kind (sim/kernel.h) */
    uint64_t systemc_quantum;  /* cycles a hart runs ahead of SystemC time */
    bool systemc_tlm_memory;   /* SystemC: memory accesses as TLM transactions */
    uint64_t systemc_cycle_ps; /* SystemC: picoseconds per cycle, 0 = from the frequency */
};

/* One sweep axis: a key path and the values it takes, as written. */
struct sweep_axis {
    const char *key;
    const char **values;
    unsigned nvalues;
    bool zip; /* from sweep_zip: moves with the other zip axes */
};

#define SCHEMA_MAX_CLAIMS  64
#define SCHEMA_MAX_PLOTS   32
#define SCHEMA_MAX_DERIVED 32

struct claim_config {
    const char *name;
    const char *expect;
    const char *phase;
    double tolerance;
};

/* A stat computed from other points' stats when a run is read back (for
 * plots, claims and derived.csv; never written into stats.json). */
struct derived_config {
    const char *name;
    const char *value; /* an expression, evaluated at each point `where` picks */
    const char *where; /* selectors joined by '|' (any of them); NULL = every point */
    const char *phase;
};

enum plot_kind { PLOT_LINE, PLOT_BAR, PLOT_STACKED, PLOT_SCATTER };

struct plot_config {
    const char *name;
    const char *x;      /* a swept key path (or a stat) for the x axis */
    const char *y;      /* a stat */
    const char *series; /* a swept key path: one line/bar group per value; NULL = one series */
    int kind;           /* enum plot_kind */
    bool logx, logy;
    const char *title, *xlabel, *ylabel;
    const char *phase;
    const char *where; /* a claims selector: only the points it selects */
};

struct config_arena;

struct study_config {
    const char *study;
    const char *description;
    struct machine_config machine;
    struct hypervisor_config hypervisor;
    struct vm_config vms[SCHEMA_MAX_VMS];
    unsigned nvms;
    struct run_config run;
    struct strlist report;
    struct claim_config claims[SCHEMA_MAX_CLAIMS];
    unsigned nclaims;
    struct plot_config plots[SCHEMA_MAX_PLOTS];
    unsigned nplots;
    struct derived_config derived[SCHEMA_MAX_DERIVED];
    unsigned nderived;
    struct sweep_axis sweep[SCHEMA_MAX_AXES];
    unsigned nsweep;
    struct config_arena *arena; /* owns every string above */
};

/* The root section (study-level keys and every sub-section). */
extern const struct section schema_root;

#endif
