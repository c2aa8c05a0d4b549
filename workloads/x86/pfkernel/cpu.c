/*
 * cpu.c - pfkernel's descriptor tables: a flat GDT with ring-0 and ring-3
 * code and data and a TSS whose ESP0 is the trap stack (ring-3 faults and
 * int 0x80 land there), and an IDT: #PF to pf_entry, int 0x80 (DPL 3) to
 * sys_entry, every other exception to a stub that ends the run.
 * Formats: Intel SDM Vol. 3A 3.4.5 (segment descriptors), 6.11 (gates),
 * 7.2.1 (the 32-bit TSS).
 */
#include "kern.h"

static u64 gdt[6] __attribute__((aligned(8)));
static u64 idt[256] __attribute__((aligned(8)));
static u32 tss[26] __attribute__((aligned(16)));

extern char exc_stubs[], pf_entry[], sys_entry[], trap_stack_top[];

/* The frame exc_common hands over: pushal, vector, error, EIP, CS. */
struct exc_frame {
    u32 edi, esi, ebp, esp, ebx, edx, ecx, eax;
    u32 vector, error, eip, cs, eflags;
};

void trap_fatal(struct exc_frame *f);

_Noreturn void trap_fatal(struct exc_frame *f)
{
    con_puts("pfkernel: FATAL exception ");
    con_putdec(f->vector);
    con_puts(" error ");
    con_puthex(f->error);
    con_puts(" at ");
    con_puthex(f->eip);
    con_puts("\n");
    ctl_exit(EXIT_TRAP);
}

static u64 seg_desc(u32 base, u32 limit, u32 access, u32 flags)
{
    return (u64)(limit & 0xFFFF) | (u64)(base & 0xFFFFFF) << 16 | (u64)(access & 0xFF) << 40 |
           (u64)((limit >> 16) & 0xF) << 48 | (u64)(flags & 0xF) << 52 | (u64)(base >> 24) << 56;
}

/* A 32-bit interrupt gate (type 0xE: IF cleared on entry). */
static u64 gate(const void *handler, u32 dpl)
{
    u32 off = (u32)handler;
    return (u64)(off & 0xFFFF) | (u64)SEL_KCODE << 16 | (u64)(0x80 | dpl << 5 | 0xE) << 40 |
           (u64)(off >> 16) << 48;
}

void cpu_init(void)
{
    gdt[1] = seg_desc(0, 0xFFFFF, 0x9A, 0xC); /* ring-0 code, 4 GiB */
    gdt[2] = seg_desc(0, 0xFFFFF, 0x92, 0xC); /* ring-0 data */
    gdt[3] = seg_desc(0, 0xFFFFF, 0xFA, 0xC); /* ring-3 code */
    gdt[4] = seg_desc(0, 0xFFFFF, 0xF2, 0xC); /* ring-3 data */
    gdt[5] = seg_desc((u32)tss, sizeof(tss) - 1, 0x89, 0);
    tss[1] = (u32)trap_stack_top; /* ESP0 */
    tss[2] = SEL_KDATA;           /* SS0 */
    /* The I/O map base past the limit: ring 3 has no I/O ports. */
    tss[25] = (u32)sizeof(tss) << 16;
    for (u32 v = 0; v < 32; v++)
        idt[v] = gate(exc_stubs + 16 * v, 0);
    idt[14] = gate(pf_entry, 0);
    idt[0x80] = gate(sys_entry, 3);

    struct {
        u16 limit;
        u32 base;
    } __attribute__((packed)) g = {sizeof(gdt) - 1, (u32)gdt}, i = {sizeof(idt) - 1, (u32)idt};
    __asm__ volatile("lgdt %0\n\tlidt %1\n\t"
                     "ljmp $0x08, $1f\n1:\n\t"
                     "movw $0x10, %%ax\n\tmovw %%ax, %%ds\n\tmovw %%ax, %%es\n\t"
                     "movw %%ax, %%fs\n\tmovw %%ax, %%gs\n\tmovw %%ax, %%ss\n\t"
                     "movw $0x28, %%ax\n\tltr %%ax"
                     :
                     : "m"(g), "m"(i)
                     : "eax", "memory");
}
