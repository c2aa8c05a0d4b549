/*
 * state.h - the architectural state of one IA-32 hart, apart from the
 * machinery that decodes, executes and times it.
 *
 * 32-bit protected mode only: eight 32-bit GPRs, EIP, EFLAGS, the six
 * segment registers with their hidden descriptor caches (base, limit,
 * attributes: what the processor loaded from the descriptor, Intel SDM
 * Vol. 3A 3.4.3), CR0/CR2/CR3/CR4, GDTR/IDTR and the CPL (the DPL of the
 * loaded CS, Vol. 3A 5.5).  Descriptor loads, paging and the IDT come with
 * later steps; the fields are here so that they need no reshaping.
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
#define X86_CR0_ET (1u << 4)
#define X86_CR0_WP (1u << 16)
#define X86_CR0_PG (1u << 31)

/* A segment register: the visible selector and the hidden part. */
struct x86_seg {
    uint16_t sel;
    uint32_t base;
    uint32_t limit; /* in bytes, granularity already applied */
    uint16_t attr;  /* descriptor bits 40-47 and 52-55 as in VMCS access rights (type, S, DPL,
                       P, AVL, D/B, G) */
};

/* Table registers: GDTR and IDTR (Vol. 3A 2.4). */
struct x86_dtr {
    uint32_t base;
    uint16_t limit;
};

struct x86_state {
    uint32_t gpr[8]; /* enum x86_gpr */
    uint32_t eip;
    uint32_t eflags;
    struct x86_seg seg[X86_NSREGS];
    uint32_t cr0, cr2, cr3, cr4;
    struct x86_dtr gdtr, idtr;
    unsigned cpl;
    uint64_t tsc; /* the time-stamp counter as rdtsc reads it; the hart keeps it current */
};

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
