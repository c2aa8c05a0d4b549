/*
 * vmcs_fields.h - the VMCS field encodings, control bits, exit reasons
 * and MSRs the hypervisor uses (Intel SDM Vol. 3C Appendix B, 24.6-24.9,
 * Appendix C; Vol. 3D Appendix A).
 */
#ifndef VTSIM_HV_X86_VMCS_FIELDS_H
#define VTSIM_HV_X86_VMCS_FIELDS_H

enum vmcs_enc {
    V_GUEST_ES_SEL = 0x0800, /* ES, CS, SS, DS, FS, GS, LDTR, TR: + 2 each */
    V_GUEST_TR_SEL = 0x080E,
    V_HOST_ES_SEL = 0x0C00, /* ES, CS, SS, DS, FS, GS, TR: + 2 each */
    V_HOST_CS_SEL = 0x0C02,
    V_HOST_SS_SEL = 0x0C04,
    V_HOST_DS_SEL = 0x0C06,
    V_HOST_FS_SEL = 0x0C08,
    V_HOST_GS_SEL = 0x0C0A,
    V_HOST_TR_SEL = 0x0C0C,
    V_IO_BITMAP_A = 0x2000,
    V_IO_BITMAP_A_HI = 0x2001,
    V_IO_BITMAP_B = 0x2002,
    V_IO_BITMAP_B_HI = 0x2003,
    V_LINK_POINTER = 0x2800,
    V_LINK_POINTER_HI = 0x2801,
    V_PIN_CTLS = 0x4000,
    V_PROC_CTLS = 0x4002,
    V_EXC_BITMAP = 0x4004,
    V_PFEC_MASK = 0x4006,
    V_PFEC_MATCH = 0x4008,
    V_CR3_TARGET_COUNT = 0x400A,
    V_EXIT_CTLS = 0x400C,
    V_ENTRY_CTLS = 0x4012,
    V_ENTRY_INTR_INFO = 0x4016,
    V_ENTRY_EXC_ERROR = 0x4018,
    V_ENTRY_INSN_LEN = 0x401A,
    V_INSN_ERROR = 0x4400,
    V_EXIT_REASON = 0x4402,
    V_EXIT_INTR_INFO = 0x4404,
    V_EXIT_INTR_ERROR = 0x4406,
    V_IDT_VEC_INFO = 0x4408,
    V_IDT_VEC_ERROR = 0x440A,
    V_EXIT_INSN_LEN = 0x440C,
    V_GUEST_ES_LIMIT = 0x4800, /* ... TR: + 2 each, then GDTR 0x4810, IDTR 0x4812 */
    V_GUEST_GDTR_LIMIT = 0x4810,
    V_GUEST_IDTR_LIMIT = 0x4812,
    V_GUEST_ES_AR = 0x4814, /* ... TR: + 2 each */
    V_GUEST_INTERRUPTIBILITY = 0x4824,
    V_GUEST_ACTIVITY = 0x4826,
    V_CR0_MASK = 0x6000,
    V_CR4_MASK = 0x6002,
    V_CR0_SHADOW = 0x6004,
    V_CR4_SHADOW = 0x6006,
    V_EXIT_QUAL = 0x6400,
    V_GUEST_CR0 = 0x6800,
    V_GUEST_CR3 = 0x6802,
    V_GUEST_CR4 = 0x6804,
    V_GUEST_ES_BASE = 0x6806, /* ... TR: + 2 each, then GDTR 0x6816, IDTR 0x6818 */
    V_GUEST_GDTR_BASE = 0x6816,
    V_GUEST_IDTR_BASE = 0x6818,
    V_GUEST_DR7 = 0x681A,
    V_GUEST_RSP = 0x681C,
    V_GUEST_RIP = 0x681E,
    V_GUEST_RFLAGS = 0x6820,
    V_HOST_CR0 = 0x6C00,
    V_HOST_CR3 = 0x6C02,
    V_HOST_CR4 = 0x6C04,
    V_HOST_FS_BASE = 0x6C06,
    V_HOST_GS_BASE = 0x6C08,
    V_HOST_TR_BASE = 0x6C0A,
    V_HOST_GDTR_BASE = 0x6C0C,
    V_HOST_IDTR_BASE = 0x6C0E,
    V_HOST_RSP = 0x6C14,
    V_HOST_RIP = 0x6C16,
    /* vtsim's extension fields for seed 002's filters (docs/vmx.md; the
     * simulator's model/vmcs/pf_filter.h has the same encodings). */
    V_PF_VARIANT = 0x4080,
    V_PF_MASK2 = 0x4082,
    V_PF_MATCH2 = 0x4084,
    V_PF_CRITERIA = 0x4086,
    V_PF_PTBASE = 0x6080,
};

/* Pin-based (24.6.1) and exit (24.7.1) controls. */
#define PIN_EXTINT    (1u << 0)
#define EXIT_ACK_INTR (1u << 15)

/* Processor-based controls (24.6.2). */
#define PROC_HLT        (1u << 7)
#define PROC_INVLPG     (1u << 9)
#define PROC_CR3_LOAD   (1u << 15)
#define PROC_CR3_STORE  (1u << 16)
#define PROC_IO_BITMAPS (1u << 25)

/* Exit reasons (Appendix C). */
enum exit_reason {
    EXIT_EXCEPTION = 0,
    EXIT_EXTINT = 1,
    EXIT_TRIPLE_FAULT = 2,
    EXIT_INTR_WINDOW = 7,
    EXIT_CPUID = 10,
    EXIT_HLT = 12,
    EXIT_INVLPG = 14,
    EXIT_VMCALL = 18,
    EXIT_CR_ACCESS = 28,
    EXIT_IO = 30,
    EXIT_RDMSR = 31,
    EXIT_WRMSR = 32,
    EXIT_BAD_GUEST = 33,
};

/* MSRs (Vol. 4, Table 2-2). */
#define MSR_VMX_BASIC      0x480
#define MSR_VMX_PINBASED   0x481
#define MSR_VMX_PROCBASED  0x482
#define MSR_VMX_EXIT       0x483
#define MSR_VMX_ENTRY      0x484
#define MSR_VMX_CR0_FIXED0 0x486
#define MSR_VMX_CR4_FIXED0 0x488

#define CR0_PE   0x00000001u
#define CR0_ET   0x00000010u
#define CR0_NE   0x00000020u
#define CR0_WP   0x00010000u
#define CR0_PG   0x80000000u
#define CR4_PSE  0x00000010u
#define CR4_VMXE 0x00002000u

#endif
