/*
 * lapic.c - the local APIC of one hart: timer (one-shot, periodic, divide
 * configuration, current count), hlt woken by the timer, self-IPIs through
 * the ICR, TPR and in-service masking, EOI and the ISR/IRR/PPR readback
 * (Intel SDM Vol. 3A 10.5.4, 10.6.1, 10.8).  Runs on QEMU (a real xAPIC)
 * and vtsim with the same output.
 */
#include "apic.h"

static volatile u32 seen[256];       /* interrupts taken, per vector */
static volatile u32 isr_in_handler;  /* ISR bit of the vector inside its handler */
static volatile u32 no_eoi = 0xFFFF; /* a vector whose handler leaves it in service */

static int hook(struct frame *f)
{
    if (f->vector < 0x20)
        return 0;
    seen[f->vector]++;
    isr_in_handler = (u32)apic_bit(APIC_ISR, f->vector);
    if (f->vector != no_eoi)
        apic_write(APIC_EOI, 0);
    return 1;
}

/* Wait (interrupts on) until vector v has been taken n times; hlt sleeps
 * between them.  Gives up after many wake-ups. */
static void wait_for(unsigned v, u32 n)
{
    for (unsigned i = 0; i < 100000 && seen[v] < n; i++)
        __asm__ volatile("sti; hlt; cli");
}

/* Poll until vector v shows in the IRR (an IPI takes some cycles). */
static int wait_irr(unsigned v)
{
    for (unsigned i = 0; i < 100000; i++)
        if (apic_bit(APIC_IRR, v))
            return 1;
    return 0;
}

static void spin(unsigned n)
{
    for (volatile unsigned i = 0; i < n; i++)
        ;
}

static void timer_one_shot(void)
{
    apic_write(APIC_DIVIDE, 0xB); /* divide by 1 */
    apic_write(APIC_LVT_TMR, 0x40);
    apic_write(APIC_INITIAL, 200000);
    u32 a = apic_read(APIC_CURRENT);
    spin(100);
    u32 b = apic_read(APIC_CURRENT);
    CHECK(a <= 200000 && a > 0, 1);
    CHECK(b < a, 1);
    CHECK(seen[0x40], 0);
    wait_for(0x40, 1);
    CHECK(seen[0x40], 1);
    CHECK(isr_in_handler, 1);
    CHECK(apic_read(APIC_CURRENT), 0);
    CHECK(apic_bit(APIC_ISR, 0x40), 0);
    /* One-shot: no second interrupt. */
    spin(3000);
    CHECK(seen[0x40], 1);
}

static void timer_periodic(void)
{
    apic_write(APIC_DIVIDE, 0x0); /* divide by 2 */
    apic_write(APIC_LVT_TMR, 0x41 | 1u << 17);
    apic_write(APIC_INITIAL, 20000);
    wait_for(0x41, 3);
    CHECK(seen[0x41] >= 3, 1);
    /* Periodic: the count reloads, so it never reads 0 for long. */
    CHECK(apic_read(APIC_CURRENT) <= 20000, 1);
    apic_write(APIC_LVT_TMR, 0x41 | 1u << 16); /* masked */
    apic_write(APIC_INITIAL, 0);               /* stopped */
    u32 n = seen[0x41];
    spin(20000);
    CHECK(seen[0x41], n);
    CHECK(apic_read(APIC_CURRENT), 0);
}

static void tpr_masking(void)
{
    apic_write(APIC_TPR, 0x50);
    CHECK(apic_read(APIC_TPR), 0x50);
    apic_ipi(0, ICR_SELF | 0x45);
    CHECK(wait_irr(0x45), 1);
    __asm__ volatile("sti; nop; nop; nop; cli");
    CHECK(seen[0x45], 0); /* class 4 is not above TPR class 5 */
    apic_write(APIC_TPR, 0x40);
    __asm__ volatile("sti; nop; nop; nop; cli");
    CHECK(seen[0x45], 0); /* class 4 is not above class 4 either */
    apic_write(APIC_TPR, 0x30);
    __asm__ volatile("sti; nop; nop; nop; cli");
    CHECK(seen[0x45], 1);
    CHECK(apic_bit(APIC_IRR, 0x45), 0);
    apic_write(APIC_TPR, 0);
}

/* A vector left in service blocks its class and lower ones until EOI. */
static void eoi_masking(void)
{
    no_eoi = 0x65;
    apic_ipi(0, ICR_SELF | 0x65);
    CHECK(wait_irr(0x65), 1);
    __asm__ volatile("sti; nop; nop; cli");
    CHECK(seen[0x65], 1);
    CHECK(apic_bit(APIC_ISR, 0x65), 1);
    CHECK(apic_read(APIC_PPR) & 0xF0, 0x60);
    apic_ipi(0, ICR_SELF | 0x62);
    CHECK(wait_irr(0x62), 1);
    __asm__ volatile("sti; nop; nop; cli");
    CHECK(seen[0x62], 0);
    /* A higher class still gets through. */
    apic_ipi(0, ICR_SELF | 0x72);
    CHECK(wait_irr(0x72), 1);
    __asm__ volatile("sti; nop; nop; cli");
    CHECK(seen[0x72], 1);
    no_eoi = 0xFFFF;
    apic_write(APIC_EOI, 0); /* ends 0x65 */
    CHECK(apic_bit(APIC_ISR, 0x65), 0);
    __asm__ volatile("sti; nop; nop; cli");
    CHECK(seen[0x62], 1);
    CHECK(apic_read(APIC_PPR), 0);
}

int main(void)
{
    rt_init();
    rt_hook = hook;
    apic_write(APIC_SVR, 0x100 | 0xFF); /* software enable, spurious vector 0xFF */
    CHECK(apic_read(APIC_ID) >> 24, 0);
    u32 a, b, c, d;
    __asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(1));
    CHECK(d >> 9 & 1, 1); /* CPUID.1:EDX.APIC */
    CHECK(b >> 24, 0);    /* initial APIC ID */
    timer_one_shot();
    timer_periodic();
    tpr_masking();
    eoi_masking();
    return rt_done("lapic");
}
