/*
 * smp.c - two harts (vtsim, machine.cores=2): hart 0 starts hart 1 with a
 * fixed IPI (vtsim's stand-in for INIT/SIPI, docs/isa-x86.md), then sends
 * it a fixed IPI by APIC ID and one to all but itself; hart 1 sleeps in
 * hlt between them and answers with an IPI to hart 0.  Checks the APIC
 * IDs (xAPIC ID register and CPUID.1:EBX[31:24]) of both.
 */
#include "apic.h"

static volatile u32 seen[2][256]; /* interrupts taken, per hart and vector */
static volatile u32 ap_up, ap_id, ap_cpuid, ap_done;

static u32 my_id(void)
{
    return apic_read(APIC_ID) >> 24;
}

static int hook(struct frame *f)
{
    if (f->vector < 0x20)
        return 0;
    seen[my_id() & 1][f->vector]++;
    apic_write(APIC_EOI, 0);
    return 1;
}

static void wait_for(unsigned h, unsigned v, u32 n)
{
    for (unsigned i = 0; i < 1000000 && seen[h][v] < n; i++)
        __asm__ volatile("sti; hlt; cli");
}

static void wait_flag(volatile u32 *f)
{
    for (unsigned i = 0; i < 10000000 && !*f; i++)
        __asm__ volatile("pause");
}

/* Hart 1: the runtime's tables are already built; load them, take IPIs. */
static void ap_main(void)
{
    struct {
        u16 limit;
        u32 base;
    } __attribute__((packed)) g = {sizeof(rt_gdt) - 1, (u32)rt_gdt},
                              i = {sizeof(rt_idt) - 1, (u32)rt_idt};
    __asm__ volatile("lgdt %0\n\tlidt %1" : : "m"(g), "m"(i) : "memory");
    apic_write(APIC_SVR, 0x1FF);
    u32 a, b, c, d;
    __asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(1));
    ap_cpuid = b >> 24;
    ap_id = my_id();
    ap_up = 1;
    wait_for(1, 0x31, 1);
    wait_for(1, 0x32, 1);
    apic_ipi(0, 0x33); /* answer hart 0 */
    ap_done = 1;
    for (;;)
        __asm__ volatile("sti; hlt");
}

int main(u32 id)
{
    if (id != 0)
        ap_main();
    rt_init();
    rt_hook = hook;
    apic_write(APIC_SVR, 0x1FF);
    CHECK(my_id(), 0);
    apic_ipi(1, 0x30); /* start hart 1 */
    wait_flag(&ap_up);
    CHECK(ap_up, 1);
    CHECK(ap_id, 1);
    CHECK(ap_cpuid, 1);
    CHECK(seen[1][0x30], 0); /* the start IPI is consumed, not taken */
    apic_ipi(1, 0x31);
    apic_write(APIC_ICR_LO, ICR_ALL_BUT_ME | 0x32);
    wait_for(0, 0x33, 1);
    wait_flag(&ap_done);
    CHECK(seen[1][0x31], 1);
    CHECK(seen[1][0x32], 1);
    CHECK(seen[0][0x33], 1);
    CHECK(seen[0][0x32], 0); /* all-but-self spares the sender */
    return rt_done("smp");
}
