/*
 * vmx.h - the contract between the VMX test monitor (vmx_monitor.c, VMX
 * root) and its guest (vmx_guest.c, non-root): hypercalls through VMCALL and
 * the page-fault filter settings both sides read.
 */
#ifndef WORKLOADS_X86_TESTS_VMX_H
#define WORKLOADS_X86_TESTS_VMX_H

/* VMCALL with EAX = command, EBX = argument; results in EAX..EDX. */
enum hypercall {
    HC_FILTER = 1, /* EBX = row of filter_rows to program */
    HC_PF = 2,     /* -> EAX #PF exits since the last HC_PF, EBX last error code, ECX last CR2 */
    HC_ARM = 3,    /* EBX = enum arm: turn one control on until the next other exit */
    HC_LAST = 4,   /* -> EAX reason, EBX qualification, ECX instruction length, EDX intr info */
    HC_INJECT = 5, /* on the next entry inject #GP with error code EBX */
    HC_DONE = 6,   /* EBX = the guest's failed checks; the guest then triple-faults */
    HC_ERROR = 7,  /* -> EAX the intr error code of the last exit */
    HC_IDT = 8,    /* -> EAX IDT-vectoring information of the last exit, EBX its error code */
};

enum arm {
    ARM_HLT = 1,
    ARM_INVLPG,
    ARM_RDTSC,
    ARM_IO,
    ARM_UD,
    ARM_BP,
    ARM_GP,
    ARM_CR0_TS,
    ARM_PREEMPT,
    ARM_WINDOW,     /* interrupt-window exiting */
    ARM_DELIVERY,   /* the next #PF exit is recorded and its instruction skipped, not reflected */
    ARM_MSR_BITMAP, /* MSR bitmaps with only MSR 0x10's read bit set */
};

/* One page-fault filter setting and the error codes (bit n = code n)
 * it must send to the monitor, worked out by hand. */
struct filter_row {
    unsigned variant, bit14, mask, match, mask2, match2;
    unsigned exits;
    const char *what;
};
extern const struct filter_row filter_rows[];
extern const unsigned filter_nrows;

#endif
