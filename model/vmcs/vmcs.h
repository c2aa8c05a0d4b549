/*
 * vmcs.h - the VT-x virtual-machine control structure as the model keeps
 * it: field encodings (fields.def), the region's layout in simulated
 * memory, exit reasons, VM-instruction error numbers, control bits and
 * the page-fault filtering rule.  ISA-neutral data: model/cpu/x86 runs the
 * instructions, entries and exits on it.
 *
 * Layout of a VMCS (or VMXON) region, 4 KiB in physical memory: dword 0
 * the revision identifier (bits 30:0), dword 1 the VMX-abort indicator
 * (Intel SDM Vol. 3C 24.2); the rest is implementation specific - here
 * the launch state at byte 8 and then one 8-byte slot per supported field
 * in fields.def order, the low dword first.  VMREAD/VMWRITE and every
 * entry and exit read and write these slots through the cache model, so
 * the VMCS traffic of a transition is measured.
 *
 * Not hot: VMREAD/VMWRITE look encodings up linearly; entries and exits
 * use the slot numbers directly.
 */
#ifndef VTSIM_MODEL_VMCS_VMCS_H
#define VTSIM_MODEL_VMCS_VMCS_H

#include <stdbool.h>
#include <stdint.h>

enum vmcs_field {
#define VMCS_FIELD(name, enc) VMCS_##name,
#include "model/vmcs/fields.def"
#undef VMCS_FIELD
    VMCS_NFIELDS
};

#define VMCS_REVISION    1u /* IA32_VMX_BASIC[30:0] */
#define VMCS_REGION_SIZE 4096u
#define VMCS_LAUNCH_OFF  8u /* launch state: 0 clear, 1 launched */
#define VMCS_SLOT_OFF(f) (16u + 8u * (unsigned)(f))
#define VMCS_NONE        0xFFFFFFFFu /* no current VMCS (the pointer's all-ones value) */

/* Field widths (encoding bits 14:13, Vol. 3C 24.11.2). */
enum vmcs_width { VMCS_W16, VMCS_W64, VMCS_W32, VMCS_WNAT };

/* The field of an encoding for VMREAD/VMWRITE: its slot, width, whether
 * the access is the high half of a 64-bit field (encoding bit 0) and
 * whether it is read-only (type 1, VM-exit information).  -1 when the
 * model does not support the encoding (VM-instruction error 12). */
int vmcs_lookup(uint32_t encoding, enum vmcs_width *w, bool *high, bool *readonly);
/* The encoding of a slot (for diagnostics and tests). */
uint32_t vmcs_encoding(enum vmcs_field f);

/* Basic exit reasons (Vol. 3C Appendix C). */
enum {
    VMX_EXIT_EXCEPTION = 0,
    VMX_EXIT_EXTINT = 1,
    VMX_EXIT_TRIPLE_FAULT = 2,
    VMX_EXIT_INTR_WINDOW = 7,
    VMX_EXIT_CPUID = 10,
    VMX_EXIT_HLT = 12,
    VMX_EXIT_INVD = 13,
    VMX_EXIT_INVLPG = 14,
    VMX_EXIT_RDPMC = 15,
    VMX_EXIT_RDTSC = 16,
    VMX_EXIT_VMCALL = 18,
    VMX_EXIT_VMCLEAR = 19,
    VMX_EXIT_VMLAUNCH = 20,
    VMX_EXIT_VMPTRLD = 21,
    VMX_EXIT_VMPTRST = 22,
    VMX_EXIT_VMREAD = 23,
    VMX_EXIT_VMRESUME = 24,
    VMX_EXIT_VMWRITE = 25,
    VMX_EXIT_VMXOFF = 26,
    VMX_EXIT_VMXON = 27,
    VMX_EXIT_CR_ACCESS = 28,
    VMX_EXIT_IO = 30,
    VMX_EXIT_RDMSR = 31,
    VMX_EXIT_WRMSR = 32,
    VMX_EXIT_BAD_GUEST = 33,
    VMX_EXIT_PREEMPT = 52,
    VMX_NEXIT_REASONS = 65 /* the size of a per-reason count table */
};
#define VMX_EXIT_ENTRY_FAIL 0x80000000u /* exit reason bit 31: VM-entry failure */

/* VM-instruction error numbers (Vol. 3C 30.4, Table 30-1). */
enum {
    VMX_ERR_VMCALL_ROOT = 1,
    VMX_ERR_VMCLEAR_ADDR = 2,
    VMX_ERR_VMCLEAR_VMXON = 3,
    VMX_ERR_LAUNCH_NOT_CLEAR = 4,
    VMX_ERR_RESUME_NOT_LAUNCHED = 5,
    VMX_ERR_BAD_CONTROLS = 7,
    VMX_ERR_BAD_HOST = 8,
    VMX_ERR_VMPTRLD_ADDR = 9,
    VMX_ERR_VMPTRLD_VMXON = 10,
    VMX_ERR_VMPTRLD_REVISION = 11,
    VMX_ERR_FIELD = 12,
    VMX_ERR_READONLY = 13,
    VMX_ERR_VMXON_ROOT = 15,
    VMX_ERR_MOV_SS = 26,
};

/* Pin-based controls (Vol. 3C 24.6.1, Table 24-5). */
#define VMX_PIN_EXTINT  (1u << 0)
#define VMX_PIN_NMI     (1u << 3)
#define VMX_PIN_PREEMPT (1u << 6)
/* Primary processor-based controls (Table 24-6). */
#define VMX_PROC_INTR_WINDOW (1u << 2)
#define VMX_PROC_HLT         (1u << 7)
#define VMX_PROC_INVLPG      (1u << 9)
#define VMX_PROC_RDPMC       (1u << 11)
#define VMX_PROC_RDTSC       (1u << 12)
#define VMX_PROC_CR3_LOAD    (1u << 15)
#define VMX_PROC_CR3_STORE   (1u << 16)
#define VMX_PROC_IO_UNCOND   (1u << 24)
#define VMX_PROC_IO_BITMAPS  (1u << 25)
#define VMX_PROC_MSR_BITMAPS (1u << 28)
/* VM-exit controls (Table 24-11). */
#define VMX_EXIT_HOST_64    (1u << 9)
#define VMX_EXIT_ACK_INTR   (1u << 15)
#define VMX_EXIT_SAVE_TIMER (1u << 22)
/* VM-entry controls (Table 24-12). */
#define VMX_ENTRY_IA32E (1u << 9)

/*
 * Whether a page fault with error code `pfec` causes a VM exit (Vol. 3C
 * 25.2 in the 2016 edition, "Other Causes of VM Exits", exceptions): when
 * (pfec & mask) == match the exit follows exception-bitmap bit 14; when
 * they differ, the meaning of the bit is reversed (the fault exits iff
 * bit 14 is clear).
 */
bool vmcs_pf_exits(uint32_t exc_bitmap, uint32_t pfec, uint32_t mask, uint32_t match);

#endif
