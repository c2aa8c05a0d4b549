/*
 * vmx_monitor.c - the VMX test monitor: enters VMX root operation with the
 * hypervisor's own pieces (hv/x86 host.c, vmxon.c, vmx_asm.S), launches
 * vmx_guest.c's code in a VM, and answers its hypercalls: arming one control
 * at a time, reporting the last exit, programming the page-fault filter
 * rows and counting #PF exits.  Every exit it did not arm for is a
 * failure; a triple-fault exit ends the run with the guest's verdict.
 */
#include "../../../hv/x86/console.h"
#include "../../../hv/x86/cpu.h"
#include "../../../hv/x86/emulate.h"
#include "../../../hv/x86/host.h"
#include "../../../hv/x86/vmcs_fields.h"
#include "../../../hv/x86/vmxon.h"
#include "vmx.h"

#define PROC_HLT        (1u << 7)
#define PROC_INVLPG     (1u << 9)
#define PROC_RDTSC      (1u << 12)
#define PROC_IO_UNCOND  (1u << 24)
#define PIN_PREEMPT     (1u << 6)
#define PROC_WINDOW     (1u << 2)
#define PROC_MSR_BITMAP (1u << 28)
#define V_MSR_BITMAP    0x2004
#define V_MSR_BITMAP_HI 0x2005
#define EXIT_WINDOW     7
#define V_IDT_VEC_INFO  0x4408
#define V_IDT_VEC_ERROR 0x440A
#define V_PREEMPT_TIMER 0x482E
#define EXIT_PREEMPT    52
#define INTR_VALID      (1u << 31)

int vmx_enter(struct em_regs *regs, int launched);
void guest_main(void);
__attribute__((noreturn)) void vmm_main(uint32_t magic, uint32_t mbi);

static uint8_t vmcs[4096] __attribute__((aligned(4096)));
static uint8_t msr_bitmap[4096] __attribute__((aligned(4096)));
static uint8_t guest_stack[16384] __attribute__((aligned(16)));
static struct em_regs g;
static uint32_t pin0, proc0; /* controls with nothing armed */
static uint32_t armed;
static struct {
    uint32_t reason, qual, len, info, error, idt, idt_error;
} last;
static uint32_t pf_exits, pf_ec, pf_cr2, guest_status = 1;

static void skip(void)
{
    vmwrite(V_GUEST_RIP, vmread(V_GUEST_RIP) + vmread(V_EXIT_INSN_LEN));
}

static void disarm(void)
{
    armed = 0;
    vmwrite(V_PIN_CTLS, pin0);
    vmwrite(V_PROC_CTLS, proc0);
    vmwrite(V_EXC_BITMAP, vmread(V_EXC_BITMAP) & (1u << 14));
    vmwrite(V_CR0_MASK, 0);
}

static void arm(uint32_t what)
{
    armed = what;
    switch (what) {
    case ARM_HLT:
        vmwrite(V_PROC_CTLS, proc0 | PROC_HLT);
        break;
    case ARM_INVLPG:
        vmwrite(V_PROC_CTLS, proc0 | PROC_INVLPG);
        break;
    case ARM_RDTSC:
        vmwrite(V_PROC_CTLS, proc0 | PROC_RDTSC);
        break;
    case ARM_IO:
        vmwrite(V_PROC_CTLS, proc0 | PROC_IO_UNCOND);
        break;
    case ARM_UD:
    case ARM_BP:
    case ARM_GP: {
        uint32_t vec = what == ARM_UD ? 6 : what == ARM_BP ? 3 : 13;
        vmwrite(V_EXC_BITMAP, vmread(V_EXC_BITMAP) | 1u << vec);
        break;
    }
    case ARM_CR0_TS:
        vmwrite(V_CR0_SHADOW, 0);
        vmwrite(V_CR0_MASK, 8);
        break;
    case ARM_PREEMPT:
        vmwrite(V_PIN_CTLS, pin0 | PIN_PREEMPT);
        vmwrite(V_PREEMPT_TIMER, 50);
        break;
    case ARM_WINDOW:
        vmwrite(V_PROC_CTLS, proc0 | PROC_WINDOW);
        break;
    case ARM_DELIVERY:
        break;
    case ARM_MSR_BITMAP:
        msr_bitmap[0x10 / 8] |= 1u << (0x10 % 8); /* read-low: MSR 0x10 (the TSC) */
        vmwrite(V_MSR_BITMAP, (uint32_t)msr_bitmap);
        vmwrite(V_MSR_BITMAP_HI, 0);
        vmwrite(V_PROC_CTLS, proc0 | PROC_MSR_BITMAP);
        break;
    default:
        vmm_panic("unknown arm %u", what);
    }
}

static void filter(uint32_t row)
{
    if (row >= filter_nrows)
        vmm_panic("filter row %u", row);
    const struct filter_row *r = &filter_rows[row];
    vmwrite(V_EXC_BITMAP, r->bit14 ? 1u << 14 : 0);
    vmwrite(V_PFEC_MASK, r->mask);
    vmwrite(V_PFEC_MATCH, r->match);
    vmwrite(V_PF_VARIANT, r->variant);
    vmwrite(V_PF_MASK2, r->mask2);
    vmwrite(V_PF_MATCH2, r->match2);
}

static void hypercall(void)
{
    uint32_t *r = g.r;
    switch (r[0]) {
    case HC_FILTER:
        filter(r[3]);
        break;
    case HC_PF:
        r[0] = pf_exits;
        r[3] = pf_ec;
        r[1] = pf_cr2;
        pf_exits = 0;
        break;
    case HC_ARM:
        arm(r[3]);
        break;
    case HC_LAST:
        r[0] = last.reason;
        r[3] = last.qual;
        r[1] = last.len;
        r[2] = last.info;
        break;
    case HC_ERROR:
        r[0] = last.error;
        break;
    case HC_IDT:
        r[0] = last.idt;
        r[3] = last.idt_error;
        break;
    case HC_INJECT: /* #GP, hardware exception with an error code */
        vmwrite(V_ENTRY_INTR_INFO, INTR_VALID | 1u << 11 | 3u << 8 | 13);
        vmwrite(V_ENTRY_EXC_ERROR, r[3]);
        break;
    case HC_DONE:
        guest_status = r[3];
        break;
    default:
        vmm_panic("unknown hypercall %u", r[0]);
    }
    skip();
}

/* Reflect an exception to the guest as it was raised (26.5.1.1: a
 * software exception needs the instruction length). */
static void reflect(uint32_t info, uint32_t error)
{
    vmwrite(V_ENTRY_INTR_INFO, info);
    if (info & 1u << 11)
        vmwrite(V_ENTRY_EXC_ERROR, error);
    if (((info >> 8) & 7) == 6)
        vmwrite(V_ENTRY_INSN_LEN, vmread(V_EXIT_INSN_LEN));
}

static void on_exit(void)
{
    uint32_t reason = vmread(V_EXIT_REASON) & 0xFFFF;
    vmwrite(V_ENTRY_INTR_INFO, 0);
    if (reason == EXIT_VMCALL) {
        hypercall();
        return;
    }
    uint32_t info = vmread(V_EXIT_INTR_INFO), error = vmread(V_EXIT_INTR_ERROR);
    if (reason == EXIT_EXCEPTION && (info & 0xFF) == 14 && armed != ARM_DELIVERY) {
        pf_exits++;
        pf_ec = error;
        pf_cr2 = vmread(V_EXIT_QUAL);
        write_cr2(pf_cr2);
        reflect(info, error);
        return;
    }
    if (reason == EXIT_TRIPLE_FAULT) {
        con_printf("monitor: triple fault exit\n");
        con_exit(guest_status);
    }
    last.reason = reason;
    last.qual = vmread(V_EXIT_QUAL);
    last.len = vmread(V_EXIT_INSN_LEN);
    last.info = info;
    last.error = error;
    last.idt = vmread(V_IDT_VEC_INFO);
    last.idt_error = vmread(V_IDT_VEC_ERROR);
    uint32_t *r = g.r;
    switch (reason) {
    case EXIT_CPUID:
        r[0] = 0xC0FFEE;
        skip();
        return; /* always exits: nothing armed */
    case 13:    /* INVD: always exits; the guest's cache contents are kept */
        skip();
        return;
    case EXIT_CR_ACCESS: {
        uint32_t cr = last.qual & 15, type = (last.qual >> 4) & 3, reg = (last.qual >> 8) & 15;
        if (cr == 3 && type == 0)
            vmwrite(V_GUEST_CR3, r[reg]);
        else if (cr == 3 && type == 1)
            r[reg] = vmread(V_GUEST_CR3);
        else if (armed != ARM_CR0_TS)
            vmm_panic("CR access 0x%x not armed", last.qual);
        skip();
        break;
    }
    case EXIT_IO:
        if (last.qual & 8)
            r[0] = (r[0] & ~0xFFu) | 0x5A;
        skip();
        break;
    case EXIT_RDMSR:
        r[0] = 0x31;
        r[2] = 0x13;
        skip();
        if (armed == ARM_MSR_BITMAP)
            disarm();
        return;
    case EXIT_WRMSR:
        skip();
        return;
    case 16: /* RDTSC */
        r[0] = 0x1111;
        r[2] = 0x2222;
        skip();
        break;
    case EXIT_HLT:
    case 14: /* INVLPG */
        skip();
        break;
    case EXIT_EXCEPTION:
        if (armed == ARM_DELIVERY) /* a fault while delivering the guest's int n */
            skip();
        else
            reflect(info, error);
        break;
    case EXIT_WINDOW:
        break;
    case EXIT_PREEMPT:
        break;
    default:
        vmm_panic("unexpected exit %u (qualification 0x%x) at 0x%x", reason, last.qual,
                  vmread(V_GUEST_RIP));
    }
    /* CR3 loads and stores exit on their own; the rest only when armed. */
    if (reason == EXIT_CR_ACCESS && (last.qual & 15) == 3)
        return;
    if (!armed)
        vmm_panic("exit %u without a control armed", reason);
    disarm();
}

static void guest_state(void)
{
    for (uint32_t s = 0; s < 6; s++) {
        vmwrite(V_GUEST_ES_SEL + 2 * s, s == 1 ? HOST_CS : HOST_DS);
        vmwrite(V_GUEST_ES_BASE + 2 * s, 0);
        vmwrite(V_GUEST_ES_LIMIT + 2 * s, 0xFFFFFFFFu);
        vmwrite(V_GUEST_ES_AR + 2 * s, s == 1 ? 0xC09B : 0xC093);
    }
    vmwrite(V_GUEST_ES_AR + 12, 0x10000); /* LDTR unusable */
    vmwrite(V_GUEST_TR_SEL, HOST_TR);
    vmwrite(V_GUEST_ES_LIMIT + 14, 0x67);
    vmwrite(V_GUEST_ES_AR + 14, 0x8B);
    vmwrite(V_GUEST_GDTR_LIMIT, 0xFFFF);
    vmwrite(V_GUEST_IDTR_LIMIT, 0xFFFF);
    vmwrite(V_GUEST_CR0, read_cr0());
    vmwrite(V_GUEST_CR3, read_cr3());
    vmwrite(V_GUEST_CR4, read_cr4());
    vmwrite(V_CR4_MASK, CR4_VMXE);
    vmwrite(V_CR4_SHADOW, 0);
    vmwrite(V_GUEST_DR7, 0x400);
    vmwrite(V_GUEST_RFLAGS, 0x2);
    vmwrite(V_GUEST_RIP, (uint32_t)guest_main);
    vmwrite(V_GUEST_RSP, (uint32_t)(guest_stack + sizeof(guest_stack) - 16));
    vmwrite(V_LINK_POINTER, 0xFFFFFFFFu);
    vmwrite(V_LINK_POINTER_HI, 0xFFFFFFFFu);
}

void vmm_main(uint32_t magic, uint32_t mbi)
{
    (void)magic;
    (void)mbi;
    host_init(0);
    vmx_on(0);
    *(uint32_t *)(void *)vmcs = vmx_revision();
    uint64_t pa = (uint32_t)vmcs;
    vmx_op_m64("vmclear", 1, &pa);
    vmx_op_m64("vmptrld", 2, &pa);
    host_vmcs_state(0);
    pin0 = vmx_controls(MSR_VMX_PINBASED, 0);
    proc0 = vmx_controls(MSR_VMX_PROCBASED, 0);
    vmwrite(V_PIN_CTLS, pin0);
    vmwrite(V_PROC_CTLS, proc0);
    vmwrite(V_EXIT_CTLS, vmx_controls(MSR_VMX_EXIT, 0));
    vmwrite(V_ENTRY_CTLS, vmx_controls(MSR_VMX_ENTRY, 0));
    vmwrite(V_EXC_BITMAP, 0);
    guest_state();
    for (int launched = 0;; launched = 1) {
        if (vmx_enter(&g, launched) != 0)
            vmm_panic("VM entry failed: VM-instruction error %u", vmread(V_INSN_ERROR));
        on_exit();
    }
}
