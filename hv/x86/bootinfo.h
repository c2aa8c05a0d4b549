/*
 * bootinfo.h - the boot-info block through which the x86 front end tells
 * the IA-32 hypervisor what to run: the VMs (their memory partitions,
 * entry points and Multiboot information) and the study's policy knobs.
 * The simulator writes it (sim/bootinfo_x86.c) and the hypervisor reads
 * it (hv/x86); both include this one header, so the layout is declared
 * once.  All fields are 32-bit little-endian words.
 *
 * There is no EPT on the machines of the studies: a guest's own page
 * tables run on the hardware and guest-physical addresses are machine
 * addresses.  Each VM therefore gets a partition [base, base + size) of
 * machine memory, 16 MiB aligned, and its image must be linked inside it.
 * The last page of the partition holds the guest's Multiboot information
 * (mbi) and memory map, which describes the partition minus that page.
 */
#ifndef VTSIM_HV_X86_BOOTINFO_H
#define VTSIM_HV_X86_BOOTINFO_H

#include <stdint.h>

#define XBI_ADDR    0x8000u     /* physical address of the block */
#define XBI_MAGIC   0x31584256u /* "VBX1" */
#define XBI_VERSION 2u
#define XBI_MAX_VMS 16u
#define XBI_ALIGN   (16u << 20) /* partitions: 16 MiB aligned and sized */
#define XBI_FIRST   (16u << 20) /* the first partition; the hypervisor lives below */

struct xbi_vm {
    uint32_t base;  /* machine address of the partition */
    uint32_t size;  /* its bytes */
    uint32_t entry; /* guest EIP at launch (the image's entry) */
    uint32_t mbi;   /* guest EBX at launch: its Multiboot information */
    uint32_t vcpus; /* virtual CPUs */
    uint32_t id;    /* its slot in the study's vms list: the VM number it reports */
    uint32_t reserved[2];
};

struct xbi {
    uint32_t magic, version;
    uint32_t memory; /* machine memory bytes (the front end caps it at 4 GiB - 1) */
    uint32_t nvms;
    /* hypervisor.pf_filter (model/vmcs/pf_filter.h and seed 002). */
    uint32_t pf_variant; /* 0 single, 1 dual, 2 anybit */
    uint32_t pf_bit14;
    uint32_t pf_mask, pf_match, pf_mask2, pf_match2;
    uint32_t pf_criteria; /* 0 off, 1 fig7, 2 fig8 */
    uint32_t ptbase;
    uint32_t freq_mhz; /* machine.frequency_mhz: cycles per microsecond */
    /* hypervisor.sched (seed 003), times in cycles. */
    uint32_t sched_policy; /* 0 fixed, 1 extend_warm, 2 cut_after_flush, 3 btb_loop, 4 payback, 5
                              profile, 6 smt_pair */
    uint32_t quantum, quantum_min, quantum_max, tick;
    uint32_t miss_threshold; /* last-level misses per 10,000 instructions */
    uint32_t btb_threshold;  /* percent */
    uint32_t jump_factor;
    /* The machine's harts: machine.cores x machine.threads_per_core, APIC
     * IDs 0..harts-1, hart h on core h / threads_per_core (0 in a block
     * from before these fields: one hart). */
    uint32_t harts;
    uint32_t threads_per_core;
    /* Study 3 (seed 004): how the hypervisor virtualizes guest memory and
     * keeps derived structures coherent across virtual CPUs. */
    uint32_t mmu_mode;       /* 0 direct (guest tables validated, ptval.c), 1 shadow tables */
    uint32_t tr_sem[3];      /* semantics per trace type MMU, GDT, CODE (enum tr_sem) */
    uint32_t tr_override;    /* 0: none; else one enum tr_sem + 1 for every type */
    uint32_t tr_null;        /* null_trace: every other virtual CPU is notified ([0075]) */
    uint32_t tr_defer_mmu;   /* defer MMU invalidations to the guest's TLB flush ([0085]) */
    uint32_t tr_actor_delay; /* cycles an actor waits after its write, before it goes on */
    uint32_t code_patch;     /* 1: derive per-virtual-CPU patched copies of guest code */
    uint32_t
        sched_queue; /* 0 per hart, 1 shared, 2 shared with affinity (hypervisor.sched.queue) */
    struct xbi_vm vm[XBI_MAX_VMS];
};

#endif
