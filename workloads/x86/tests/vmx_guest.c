/*
 * vmx_guest.c - the guest of the VMX test: runs in VMX non-root operation on
 * the test runtime (workloads/x86/tests/rt.h: its GDT, IDT, TSS, TRY and
 * CHECK), asks the monitor through VMCALL to arm one control at a time,
 * executes the instruction and checks the exit the monitor saw (reason,
 * qualification, instruction length, interruption information; SDM Vol.
 * 3C 27.2 and Appendix C).  Then, for every filter row, it raises each
 * page-fault error code 32-bit paging can produce and checks that exactly
 * the codes of the row exited, and that the guest saw every fault either
 * way (delivered directly, or injected back by the monitor).
 */
#include "rt.h"
#include "vmx.h"

void guest_main(void);

struct hc {
    u32 a, b, c, d;
};

static struct hc vmcall(u32 cmd, u32 arg)
{
    struct hc r;
    __asm__ volatile("vmcall"
                     : "=a"(r.a), "=b"(r.b), "=c"(r.c), "=d"(r.d)
                     : "a"(cmd), "b"(arg)
                     : "memory");
    return r;
}

/* The last exit must be `reason` with qualification `qual` (unless ~0)
 * and instruction length `len` (unless 0). */
static void expect_exit(u32 reason, u32 qual, u32 len)
{
    struct hc r = vmcall(HC_LAST, 0);
    CHECK(r.a, reason);
    if (qual != ~0u)
        CHECK(r.b, qual);
    if (len)
        CHECK(r.c, len);
}

static void exits(void)
{
    /* CPUID exits unconditionally; the monitor answers EAX = 0xC0FFEE. */
    u32 a = 0, b, c = 0, d;
    __asm__ volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
    CHECK(a, 0xC0FFEE);
    expect_exit(10, 0, 2);

    /* INVD exits unconditionally too (Vol. 3C 25.1.2): the monitor skips it. */
    __asm__ volatile("invd" ::: "memory");
    expect_exit(13, 0, 2);

    vmcall(HC_ARM, ARM_HLT);
    __asm__ volatile("hlt");
    expect_exit(12, 0, 1);

    vmcall(HC_ARM, ARM_INVLPG); /* qualification: the linear address */
    __asm__ volatile("invlpg (%0)" : : "r"(0x12345678u) : "memory");
    expect_exit(14, 0x12345678u, 3);

    vmcall(HC_ARM, ARM_RDTSC);
    __asm__ volatile("rdtsc" : "=a"(a), "=d"(d));
    CHECK(a, 0x1111);
    CHECK(d, 0x2222);
    expect_exit(16, 0, 2);

    /* MOV CR (Table 27-3): CR in 3:0, type in 5:4 (0 to, 1 from, 2 CLTS),
     * register in 11:8.  CR3 loads and stores always exit on this
     * processor (must-be-1 controls). */
    u32 cr3;
    __asm__ volatile("mov %%cr3, %0" : "=a"(cr3));
    expect_exit(28, 3 | 1u << 4 | 0u << 8, 3);
    __asm__ volatile("mov %0, %%cr3" : : "c"(cr3) : "memory");
    expect_exit(28, 3 | 0u << 4 | 1u << 8, 3);
    __asm__ volatile("mov %%cr3, %0" : "=d"(a));
    expect_exit(28, 3 | 1u << 4 | 2u << 8, 3);
    CHECK(a, cr3);

    /* CR0.TS owned by the monitor with a shadow of 0: setting it exits. */
    vmcall(HC_ARM, ARM_CR0_TS);
    __asm__ volatile("mov %0, %%cr0" : : "b"(read_cr0() | 8) : "memory");
    expect_exit(28, 0 | 0u << 4 | 3u << 8, 3);

    /* I/O (Table 27-5): size - 1 in 2:0, IN in bit 3, immediate port in
     * bit 6, the port in 31:16. */
    vmcall(HC_ARM, ARM_IO);
    __asm__ volatile("outb %%al, $0x80" : : "a"(0));
    expect_exit(30, 0x80u << 16 | 1u << 6, 2);
    vmcall(HC_ARM, ARM_IO);
    u8 in8;
    __asm__ volatile("inb $0x80, %0" : "=a"(in8));
    expect_exit(30, 0x80u << 16 | 1u << 6 | 1u << 3, 2);
    CHECK(in8, 0x5A);
    vmcall(HC_ARM, ARM_IO);
    __asm__ volatile("outl %%eax, %%dx" : : "a"(0), "d"(0x1234));
    expect_exit(30, 0x1234u << 16 | 3u, 1);

    /* RDMSR/WRMSR: no MSR bitmaps, so every access exits. */
    __asm__ volatile("rdmsr" : "=a"(a), "=d"(d) : "c"(0x10));
    expect_exit(31, 0, 2);
    CHECK(a, 0x31);
    __asm__ volatile("wrmsr" : : "a"(1), "d"(2), "c"(0x10));
    expect_exit(32, 0, 2);
    /* With MSR bitmaps (24.6.9) only the MSRs whose bit is set exit:
     * IA32_APIC_BASE (0x1B) reads the processor's value, the TSC (0x10)
     * exits. */
    vmcall(HC_ARM, ARM_MSR_BITMAP);
    __asm__ volatile("rdmsr" : "=a"(a), "=d"(d) : "c"(0x1B));
    CHECK(a & 0xFFFFF000u, 0xFEE00000u);
    __asm__ volatile("rdmsr" : "=a"(a), "=d"(d) : "c"(0x10));
    CHECK(a, 0x31);
    expect_exit(31, 0, 2);

    /* Exceptions through the bitmap (24.9.2 interruption information:
     * vector, type 3 hardware / 6 software exception, error-code valid
     * bit 11, valid bit 31); the monitor reflects them, so the guest's
     * own handler runs as well. */
    vmcall(HC_ARM, ARM_UD);
    TRY(T("ud2"));
    EXPECT_FAULT(6, 0);
    struct hc r = vmcall(HC_LAST, 0);
    CHECK(r.a, 0);
    CHECK(r.d, 0x80000306u);
    vmcall(HC_ARM, ARM_BP);
    TRY(T("int3"));
    EXPECT_TRAP(3);
    r = vmcall(HC_LAST, 0);
    CHECK(r.a, 0);
    CHECK(r.d, 0x80000603u);
    CHECK(r.c, 1);
    vmcall(HC_ARM, ARM_GP);
    TRY(T("mov %0, %%ds") : : "r"(0x1230) : "memory");
    EXPECT_FAULT(13, 0x1230);
    r = vmcall(HC_LAST, 0);
    CHECK(r.d, 0x80000B0Du);
    CHECK(vmcall(HC_ERROR, 0).a, 0x1230);

    /* Event injection with an error code (26.5.1). */
    u32 cmd = HC_INJECT, arg = 0x42;
    TRY(T("vmcall") : "+a"(cmd), "+b"(arg) : : "ecx", "edx", "memory");
    CHECK(rt_last.vector, 13);
    CHECK(rt_last.error, 0x42);

    /* The VMX-preemption timer (pin-based control bit 6). */
    vmcall(HC_ARM, ARM_PREEMPT);
    for (volatile u32 i = 0; i < 100000; i++)
        ;
    expect_exit(52, ~0u, 0);

    /* Interrupt-window exiting (Vol. 3C 25.2): no exit while IF is clear
     * or during the STI shadow; then one before the next instruction. */
    vmcall(HC_ARM, ARM_WINDOW);
    __asm__ volatile("nop; sti; nop; nop; cli");
    expect_exit(7, 0, 0);
}

/* Page tables for the faults: 16 MiB identity in 4 MiB user pages, then a
 * 4 MiB window at 0x40000000 with page 0 not present, page 1 a read-only
 * user page and page 2 a supervisor page, and at 0x40400000 a 4 MiB page
 * with reserved bit 13 set (Vol. 3A 4.3, Table 4-4). */
#define WIN 0x40000000u
static u32 pd[1024] __attribute__((aligned(4096)));
static u32 pt[1024] __attribute__((aligned(4096)));
static u8 frames[2][4096] __attribute__((aligned(4096)));

static u32 target;
static u32 user_read(void)
{
    u32 v = 0;
    TRY(T("movl (%1), %0") : "+r"(v) : "r"(target) : "memory");
    return v;
}
static u32 user_write(void)
{
    TRY(T("movl $1, (%0)") : : "r"(target) : "memory");
    return 0;
}

struct fault {
    unsigned ec;
    u32 addr;
};
static const struct fault faults[] = {
    {0, WIN},
    {2, WIN},
    {4, WIN},
    {6, WIN},
    {3, WIN + 0x1000},
    {5, WIN + 0x2000},
    {7, WIN + 0x1000},
    {9, WIN + 0x400000},
    {11, WIN + 0x400000},
    {13, WIN + 0x400000},
    {15, WIN + 0x400000},
};

static void raise_fault(const struct fault *f)
{
    target = f->addr;
    if (f->ec & 4)
        rt_user_call(f->ec & 2 ? user_write : user_read);
    else if (f->ec & 2)
        TRY(T("movl $1, (%0)") : : "r"(target) : "memory");
    else
        TRY(T("movl (%0), %%eax") : : "r"(target) : "eax", "memory");
}

static void page_faults(void)
{
    for (u32 i = 0; i < 4; i++)
        pd[i] = i << 22 | 0x87;
    pd[WIN >> 22] = (u32)pt | 0x7;
    pd[(WIN >> 22) + 1] = 0x01000000u | 1u << 13 | 0x87;
    pt[1] = (u32)frames[0] | 0x5;
    pt[2] = (u32)frames[1] | 0x3;
    __asm__ volatile("mov %0, %%cr4" : : "r"(read_cr4() | 0x10) : "memory"); /* PSE */
    write_cr0(read_cr0() | 0x10000);                                         /* WP */
    write_cr3((u32)pd);
    /* An exit during event delivery (27.2.4): with the IDT on the page
     * that is not present, int $0x40 faults reading its gate; the fault
     * exits (filter row 0) and the exit names the interrupt being
     * delivered: vector 0x40, type 4 (software interrupt), valid. */
    vmcall(HC_FILTER, 0);
    vmcall(HC_ARM, ARM_DELIVERY);
    struct __attribute__((packed)) {
        u16 limit;
        u32 base;
    } saved, away = {0x7FF, WIN};
    __asm__ volatile("sidt %0" : "=m"(saved));
    __asm__ volatile("lidt %0; int $0x40; lidt %1" : : "m"(away), "m"(saved) : "memory");
    struct hc d = vmcall(HC_LAST, 0);
    CHECK(d.a, 0);
    CHECK(d.b, WIN + 0x40 * 8);
    CHECK(d.c, 2);
    CHECK(d.d, 0x80000B0Eu);
    d = vmcall(HC_IDT, 0);
    CHECK(d.a, 0x80000440u);
    CHECK(d.b, 0);

    for (unsigned r = 0; r < filter_nrows; r++) {
        const struct filter_row *row = &filter_rows[r];
        vmcall(HC_FILTER, r);
        vmcall(HC_PF, 0);
        for (unsigned k = 0; k < sizeof(faults) / sizeof(faults[0]); k++) {
            const struct fault *f = &faults[k];
            raise_fault(f);
            /* The guest sees every fault, exiting or not. */
            CHECK(rt_last.vector, 14);
            CHECK(rt_last.error, f->ec);
            CHECK(rt_last.cr2, f->addr);
            struct hc s = vmcall(HC_PF, 0);
            unsigned want = (row->exits >> f->ec) & 1;
            if (s.a != want) {
                ctl_puts("  filter row: ");
                ctl_puts(row->what);
                ctl_puts(", error code ");
                rt_puthex(f->ec);
                ctl_puts("\n");
            }
            CHECK(s.a, want);
            if (s.a) {
                CHECK(s.b, f->ec);
                CHECK(s.c, f->addr);
            }
        }
    }
}

void guest_main(void)
{
    rt_init();
    exits();
    page_faults();
    int status = rt_done("vmx");
    vmcall(HC_DONE, (u32)status);
    /* End with a triple fault: no IDT, then an exception (exit reason 2). */
    struct __attribute__((packed)) {
        u16 limit;
        u32 base;
    } none = {0, 0};
    __asm__ volatile("lidt %0; int3" : : "m"(none));
    for (;;)
        ;
}
