/*
 * vmx_caps.c - what the VMX model offers and how exceptions map to exits:
 * the capability MSRs, the exception-bitmap decision and the exit
 * information of an exception (see vmx.h).
 */
#include "model/cpu/x86/vmx.h"
#include "model/vmcs/pf_filter.h"

/*
 * Capability MSRs (Intel SDM Vol. 3D Appendix A): each control MSR has
 * the allowed-0 settings (bits that must be 1) in its low dword and the
 * allowed-1 settings (bits that may be 1) in its high dword.  The
 * must-be-1 bits are the SDM's default-1 classes (A.3.1-A.5; the values
 * of a Core 2, as Bochs also reports them); no TRUE_* MSRs (BASIC bit 55
 * clear), so CR3-load and CR3-store exiting stay must-be-1 as on Core 2.
 * The may-be-1 bits are the controls the model implements.
 */
#define PIN_DEFAULT1   0x00000016u
#define PROC_DEFAULT1  0x0401E172u
#define EXIT_DEFAULT1  0x00036DFFu
#define ENTRY_DEFAULT1 0x000011FFu
#define PIN_ALLOWED    (PIN_DEFAULT1 | VMX_PIN_EXTINT | VMX_PIN_PREEMPT)
#define PROC_ALLOWED                                                                               \
    (PROC_DEFAULT1 | VMX_PROC_INTR_WINDOW | VMX_PROC_HLT | VMX_PROC_INVLPG | VMX_PROC_RDPMC |      \
     VMX_PROC_RDTSC | VMX_PROC_IO_UNCOND | VMX_PROC_IO_BITMAPS | VMX_PROC_MSR_BITMAPS)
#define EXIT_ALLOWED  (EXIT_DEFAULT1 | VMX_EXIT_ACK_INTR | VMX_EXIT_SAVE_TIMER)
#define ENTRY_ALLOWED ENTRY_DEFAULT1

static uint64_t ctls(uint32_t allowed0, uint32_t allowed1)
{
    return (uint64_t)allowed1 << 32 | allowed0;
}

int x86_vmx_rdmsr(uint32_t msr, uint64_t *val)
{
    switch (msr) {
    case 0x3A: /* IA32_FEATURE_CONTROL: locked (bit 0), VMXON outside SMX (bit 2) */
        *val = 0x5;
        return 0;
    case 0x480: /* IA32_VMX_BASIC (A.1): revision, region size 4096 (44:32),
                 * 32-bit physical addresses (48), write-back (53:50 = 6) */
        *val = VMCS_REVISION | (uint64_t)VMCS_REGION_SIZE << 32 | 1ull << 48 | 6ull << 50;
        return 0;
    case 0x481:
        *val = ctls(PIN_DEFAULT1, PIN_ALLOWED);
        return 0;
    case 0x482:
        *val = ctls(PROC_DEFAULT1, PROC_ALLOWED);
        return 0;
    case 0x483:
        *val = ctls(EXIT_DEFAULT1, EXIT_ALLOWED);
        return 0;
    case 0x484:
        *val = ctls(ENTRY_DEFAULT1, ENTRY_ALLOWED);
        return 0;
    case 0x485: /* IA32_VMX_MISC (A.6): preemption timer at TSC >> 5, the HLT
                 * activity state (bit 6), four CR3-target values (24:16) */
        *val = 5u | 1u << 6 | 4u << 16;
        return 0;
    case 0x486: /* CR0 fixed-0: PE, NE, PG must be 1 (A.7) */
        *val = 0x80000021u;
        return 0;
    case 0x487: /* CR0 fixed-1: the bits CR0 has */
        *val = 0xE005003Fu;
        return 0;
    case 0x488: /* CR4 fixed-0: VMXE (A.8) */
        *val = X86_CR4_VMXE;
        return 0;
    case 0x489: /* CR4 fixed-1: the bits the model implements */
        *val = X86_CR4_TSD | X86_CR4_DE | X86_CR4_PSE | X86_CR4_PGE | X86_CR4_PCE | X86_CR4_VMXE;
        return 0;
    case 0x48A: /* IA32_VMX_VMCS_ENUM (A.9): highest index, 0x17 of 0x482E */
        *val = 0x17u << 1;
        return 0;
    default:
        return -1;
    }
}

/* Whether ctl respects a capability MSR's allowed settings. */
bool x86_vmx_ctl_ok(uint32_t msr, uint32_t ctl)
{
    uint64_t v;
    if (x86_vmx_rdmsr(msr, &v) != 0)
        return false;
    uint32_t must = (uint32_t)v, may = (uint32_t)(v >> 32);
    return (ctl & must) == must && !(ctl & ~may);
}

bool x86_vmx_exception_exits(const struct x86_state *st, const struct x86_fault *f)
{
    if (f->kind == X86_EV_SOFT_INT || f->kind == X86_EV_EXTERNAL || f->vector > 31)
        return false;
    if (f->vector == X86_VEC_PF) {
        /* The SDM's rule, or the variant the VMCS's extension field
         * selects (model/vmcs/pf_filter.h). */
        struct pf_filter pf = {st->vmx.pf_variant, st->vmx.exc_bitmap >> 14 & 1,
                               st->vmx.pfec_mask,  st->vmx.pfec_match,
                               st->vmx.pfec_mask2, st->vmx.pfec_match2};
        return pf_filter_exits(&pf, f->error);
    }
    return st->vmx.exc_bitmap >> f->vector & 1;
}

/* Interruption types (Vol. 3C 24.9.2, Table 24-15). */
uint32_t x86_vmx_event_type(const struct x86_fault *f)
{
    switch (f->kind) {
    case X86_EV_EXTERNAL:
        return 0;
    case X86_EV_SOFT_INT:
        return 4;
    case X86_EV_ICEBP:
        return 5;
    case X86_EV_SOFT_EXC:
        return 6;
    default:
        return f->vector == 2 ? 2 : 3; /* NMI, else hardware exception */
    }
}

struct x86_vmexit x86_vmx_exception_exit(const struct x86_fault *f, uint32_t cr2, unsigned len)
{
    uint32_t type = x86_vmx_event_type(f);
    struct x86_vmexit e = {.reason = VMX_EXIT_EXCEPTION};
    e.intr_info = f->vector | type << 8 | (f->has_error ? 1u << 11 : 0) | 1u << 31;
    e.intr_error = f->has_error ? f->error : 0;
    /* Software exceptions report their length for re-injection (27.2.4). */
    e.insn_len = type >= 4 ? len : 0;
    /* #PF: the linear address CR2 would have received (27.2.1, Table 27-1);
     * CR2 itself is left alone. */
    e.qual = f->vector == X86_VEC_PF ? cr2 : 0;
    return e;
}

const char *x86_vmx_exit_name(unsigned reason)
{
    switch (reason) {
    case VMX_EXIT_EXCEPTION:
        return "exception";
    case VMX_EXIT_EXTINT:
        return "external_interrupt";
    case VMX_EXIT_TRIPLE_FAULT:
        return "triple_fault";
    case VMX_EXIT_INTR_WINDOW:
        return "interrupt_window";
    case VMX_EXIT_CPUID:
        return "cpuid";
    case VMX_EXIT_HLT:
        return "hlt";
    case VMX_EXIT_INVD:
        return "invd";
    case VMX_EXIT_INVLPG:
        return "invlpg";
    case VMX_EXIT_RDPMC:
        return "rdpmc";
    case VMX_EXIT_RDTSC:
        return "rdtsc";
    case VMX_EXIT_VMCALL:
        return "vmcall";
    case VMX_EXIT_CR_ACCESS:
        return "cr_access";
    case VMX_EXIT_IO:
        return "io";
    case VMX_EXIT_RDMSR:
        return "rdmsr";
    case VMX_EXIT_WRMSR:
        return "wrmsr";
    case VMX_EXIT_BAD_GUEST:
        return "entry_failure";
    case VMX_EXIT_PREEMPT:
        return "preemption_timer";
    default:
        return NULL;
    }
}
