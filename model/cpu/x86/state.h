/*
 * state.h - the architectural state of one IA-32 hart, apart from the
 * machinery that decodes, executes and times it.
 *
 * 32-bit protected mode only: eight 32-bit GPRs, EIP, EFLAGS, the six
 * segment registers with their hidden descriptor caches (base, limit,
 * attributes: what the processor loaded from the descriptor, Intel SDM
 * Vol. 3A 3.4.3), CR0/CR2/CR3/CR4, GDTR/IDTR and the CPL (the DPL of the
 * loaded CS, Vol. 3A 5.5), LDTR and TR with their hidden parts, the debug
 * registers, the few MSRs the model keeps, and the interrupt shadow.
 */
#ifndef VTSIM_MODEL_CPU_X86_STATE_H
#define VTSIM_MODEL_CPU_X86_STATE_H

#include <stdbool.h>
#include <stdint.h>

/* GPR numbers as the ModRM reg field encodes them (Vol. 2A Table 2-2). */
enum x86_gpr { X86_EAX, X86_ECX, X86_EDX, X86_EBX, X86_ESP, X86_EBP, X86_ESI, X86_EDI };

/* Segment registers in the order of the sreg encoding (Vol. 2A 3.1.1.3). */
enum x86_sreg { X86_ES, X86_CS, X86_SS, X86_DS, X86_FS, X86_GS, X86_NSREGS };

/* EFLAGS bits (Vol. 1 3.4.3, Figure 3-8). */
#define X86_CF     (1u << 0)
#define X86_FIXED1 (1u << 1) /* reads as 1 */
#define X86_PF     (1u << 2)
#define X86_AF     (1u << 4)
#define X86_ZF     (1u << 6)
#define X86_SF     (1u << 7)
#define X86_TF     (1u << 8)
#define X86_IF     (1u << 9)
#define X86_DF     (1u << 10)
#define X86_OF     (1u << 11)
#define X86_IOPL   (3u << 12)
#define X86_NT     (1u << 14)
#define X86_RF     (1u << 16)
#define X86_VM     (1u << 17)
#define X86_AC     (1u << 18)
#define X86_ID     (1u << 21)
/* The six status flags the arithmetic instructions write. */
#define X86_STATUS (X86_CF | X86_PF | X86_AF | X86_ZF | X86_SF | X86_OF)

/* CR0 bits (Vol. 3A 2.5). */
#define X86_CR0_PE (1u << 0)
#define X86_CR0_MP (1u << 1)
#define X86_CR0_EM (1u << 2)
#define X86_CR0_TS (1u << 3)
#define X86_CR0_ET (1u << 4)
#define X86_CR0_NE (1u << 5)
#define X86_CR0_AM (1u << 18)
#define X86_CR0_NW (1u << 29)
#define X86_CR0_CD (1u << 30)
#define X86_CR0_WP (1u << 16)
#define X86_CR0_PG (1u << 31)

/* CR4 bits the model implements (Vol. 3A 2.5); setting any other raises
 * #GP(0), as CPUID does not report them. */
#define X86_CR4_TSD  (1u << 2)
#define X86_CR4_DE   (1u << 3)
#define X86_CR4_PSE  (1u << 4)
#define X86_CR4_PGE  (1u << 7)
#define X86_CR4_PCE  (1u << 8)
#define X86_CR4_VMXE (1u << 13) /* VMX enable (Vol. 3C 23.7) */

/* Access rights of a hidden descriptor part, in the VMCS layout (Vol. 3C
 * 24.4.1): descriptor bits 40-47 in 0-7, bits 52-55 in 12-15, and bit 16
 * "unusable" for a register loaded with a null selector. */
#define X86_AR_TYPE     0x000Fu
#define X86_AR_S        0x0010u /* code or data (not system) */
#define X86_AR_DPL(ar)  (((ar) >> 5) & 3u)
#define X86_AR_P        0x0080u
#define X86_AR_DB       0x4000u
#define X86_AR_G        0x8000u
#define X86_AR_UNUSABLE 0x10000u

/* A segment register: the visible selector and the hidden part. */
struct x86_seg {
    uint16_t sel;
    uint32_t base;
    uint32_t limit; /* in bytes, granularity already applied */
    uint32_t attr;  /* X86_AR_*: descriptor bits 40-47 and 52-55 as in VMCS access rights (type,
                       S, DPL, P, AVL, D/B, G) and "unusable" */
};

/* Table registers: GDTR and IDTR (Vol. 3A 2.4). */
struct x86_dtr {
    uint32_t base;
    uint16_t limit;
};

/*
 * VMX operation (Intel SDM Vol. 3C 23-27).  The VMCS lives in memory
 * (model/vmcs/vmcs.h); while a guest runs, the controls that decide its
 * exits are kept here, read from the VMCS at VM entry, as a processor
 * caches them (a VMWRITE to the running VMCS is impossible from the guest).
 */
struct x86_vmx {
    bool on;        /* in VMX operation (after VMXON) */
    bool guest;     /* VMX non-root operation */
    uint32_t vmxon; /* physical address of the VMXON region */
    uint32_t vmcs;  /* current VMCS, VMCS_NONE when none */
    uint32_t pin, proc, exit_ctls, exc_bitmap, pfec_mask, pfec_match;
    uint32_t pf_variant, pfec_mask2, pfec_match2; /* extension fields (model/vmcs/pf_filter.h) */
    uint32_t pf_criteria, pf_ptbase;              /* ... the fault-filtering criteria */
    uint32_t cr0_mask, cr0_shadow, cr4_mask, cr4_shadow;
    uint32_t cr3_count, cr3_target[4];
    uint32_t io_bitmap[2];     /* physical addresses of I/O bitmaps A and B */
    uint32_t msr_bitmap;       /* physical address of the MSR bitmaps */
    uint64_t preempt_deadline; /* the cycle the preemption timer reaches 0 */
};

struct x86_state {
    uint32_t gpr[8]; /* enum x86_gpr */
    uint32_t eip;
    uint32_t eflags;
    struct x86_seg seg[X86_NSREGS];
    uint32_t cr0, cr2, cr3, cr4;
    struct x86_dtr gdtr, idtr;
    struct x86_seg ldtr, tr; /* selector and hidden part, as for segment registers */
    uint32_t dr[8];          /* DR0-DR3, DR6, DR7 (DR4/DR5 alias DR6/DR7) */
    unsigned cpl;
    bool shadow;          /* interrupts blocked for one instruction (after sti, mov/pop ss) */
    bool halted;          /* hlt: waiting for an interrupt */
    uint64_t tsc;         /* the time-stamp counter as rdtsc reads it; the hart keeps it current */
    uint64_t tsc_offset;  /* added to the hart's clock (a wrmsr to IA32_TIME_STAMP_COUNTER) */
    uint64_t apic_base;   /* IA32_APIC_BASE: where the xAPIC registers are (lapic.h) */
    uint8_t apic_id;      /* initial APIC ID (CPUID.1:EBX[31:24]) = the hart's id */
    uint32_t sysenter[3]; /* IA32_SYSENTER_CS, _ESP, _EIP: kept, sysenter is not executed */
    struct x86_vmx vmx;
};

/* Debug-register values after reset (Vol. 3B 17.2.4, 17.2.6). */
#define X86_DR6_FIXED 0xFFFF0FF0u
#define X86_DR7_FIXED 0x00000400u

/*
 * The state a Multiboot (v1) loader hands the OS (Multiboot Specification
 * 0.6.96 section 3.2, "Machine state"; shared/reference ia32-vtx-facts 9.2):
 * EAX = 0x2BADB002, EBX = the physical address of the information block,
 * CS a 32-bit execute/read segment and DS/ES/FS/GS/SS 32-bit read/write
 * segments, all with base 0 and limit 0xFFFFFFFF; CR0.PE = 1, PG = 0;
 * EFLAGS.VM = 0 and IF = 0.  Selectors as QEMU's multiboot option ROM
 * loads them (CS 0x08, data 0x10; ia32-vtx-facts 9.3); other registers 0.
 */
#define X86_MULTIBOOT_MAGIC 0x2BADB002u
void x86_state_multiboot(struct x86_state *st, uint32_t entry, uint32_t mbi);

#endif
