/*
 * rt.c - the test runtime's tables, handler and reports (see rt.h).
 * Descriptor formats: Intel SDM Vol. 3A 3.4.5 (segments), 6.11 (gates),
 * 7.2.1 (the 32-bit TSS); the I/O bitmap: Vol. 1 18.5.2.
 */
#include "rt.h"

volatile struct event rt_last;
volatile u32 rt_events, rt_resume, rt_at, rt_next;
int (*volatile rt_hook)(struct frame *f);

u64 rt_gdt[GDT_N] __attribute__((aligned(8)));
u64 rt_idt[256] __attribute__((aligned(8)));
/* The TSS and its I/O bitmap, one block: the bitmap offset (TSS byte 102)
 * is 104. */
struct rt_tss_block rt_tss_block;

extern char rt_stubs[];
void rt_handler(struct frame *f);

static unsigned checks, fails;

u64 rt_desc(u32 base, u32 limit, u32 access, u32 flags)
{
    return (u64)(limit & 0xFFFF) | (u64)(base & 0xFFFFFF) << 16 | (u64)(access & 0xFF) << 40 |
           (u64)((limit >> 16) & 0xF) << 48 | (u64)(flags & 0xF) << 52 | (u64)(base >> 24) << 56;
}

void rt_gate(unsigned vec, unsigned type, unsigned dpl, int present)
{
    u32 off = (u32)rt_stubs + 16 * vec;
    rt_idt[vec] = (u64)(off & 0xFFFF) | (u64)SEL_KCODE << 16 |
                  (u64)((present ? 0x80 : 0) | dpl << 5 | type) << 40 | (u64)(off >> 16) << 48;
}

static void lgdt_lidt(void)
{
    struct {
        u16 limit;
        u32 base;
    } __attribute__((packed)) g = {sizeof(rt_gdt) - 1, (u32)rt_gdt},
                              i = {sizeof(rt_idt) - 1, (u32)rt_idt};
    __asm__ volatile("lgdt %0\n\tlidt %1" : : "m"(g), "m"(i) : "memory");
}

void rt_init(void)
{
    extern char rt_user_return[];
    rt_gdt[1] = rt_desc(0, 0xFFFFF, 0x9A, 0xC);
    rt_gdt[2] = rt_desc(0, 0xFFFFF, 0x92, 0xC);
    rt_gdt[3] = rt_desc(0, 0xFFFFF, 0xFA, 0xC);
    rt_gdt[4] = rt_desc(0, 0xFFFFF, 0xF2, 0xC);
    rt_gdt[5] = rt_desc((u32)&rt_tss_block, sizeof(rt_tss_block) - 1, 0x89, 0);
    for (unsigned v = 0; v < 256; v++)
        rt_gate(v, 0xE, 0, 1);
    /* The way back from ring 3: int 0x81 through a DPL-3 gate. */
    u32 off = (u32)rt_user_return;
    rt_idt[0x81] = (u64)(off & 0xFFFF) | (u64)SEL_KCODE << 16 | (u64)(0x80 | 3 << 5 | 0xE) << 40 |
                   (u64)(off >> 16) << 48;
    rt_tss_block.tss[2] = SEL_KDATA;   /* SS0 */
    rt_tss_block.tss[25] = 104u << 16; /* I/O map base */
    for (unsigned i = 0; i < sizeof(rt_tss_block.iomap); i++)
        rt_tss_block.iomap[i] = 0xFF;
    lgdt_lidt();
    __asm__ volatile("ljmp $0x08, $1f\n1:\n\t"
                     "movw $0x10, %%ax\n\tmovw %%ax, %%ds\n\tmovw %%ax, %%es\n\t"
                     "movw %%ax, %%fs\n\tmovw %%ax, %%gs\n\tmovw %%ax, %%ss\n\t"
                     "movw $0x28, %%ax\n\tltr %%ax"
                     :
                     :
                     : "eax", "memory");
}

void rt_puthex(u32 v)
{
    static const char digits[] = "0123456789abcdef";
    ctl_puts("0x");
    for (int i = 28; i >= 0; i -= 4)
        outb(CTL_CONSOLE_PORT, (unsigned char)digits[(v >> i) & 15]);
}

static void putdec(u32 v)
{
    char buf[12];
    int n = 0;
    do {
        buf[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n)
        outb(CTL_CONSOLE_PORT, (unsigned char)buf[--n]);
}

void rt_check(int line, u32 got, u32 want)
{
    checks++;
    if (got == want)
        return;
    fails++;
    ctl_puts("FAIL line ");
    putdec((u32)line);
    ctl_puts(": got ");
    rt_puthex(got);
    ctl_puts(" want ");
    rt_puthex(want);
    ctl_puts("\n");
}

int rt_done(const char *name)
{
    ctl_puts(name);
    ctl_puts(": ");
    putdec(checks);
    ctl_puts(" checks, ");
    putdec(fails);
    ctl_puts(" failed\n");
    return fails ? 1 : 0;
}

void rt_handler(struct frame *f)
{
    u32 esp_now;
    __asm__ volatile("movl %%esp, %0" : "=r"(esp_now));
    rt_last.vector = f->vector;
    rt_last.error = f->error;
    rt_last.eip = f->eip;
    rt_last.cs = f->cs;
    rt_last.eflags = f->eflags;
    rt_last.cr2 = read_cr2();
    rt_last.handler_esp = esp_now;
    /* ESP and SS are in the frame only when the event came from ring 3. */
    rt_last.esp = (f->cs & 3) ? f->esp : 0;
    rt_last.ss = (f->cs & 3) ? f->ss : 0;
    rt_events++;
    if (rt_hook && rt_hook(f))
        return;
    if (rt_resume) {
        f->eip = rt_resume;
        rt_resume = 0;
        return;
    }
    ctl_puts("unexpected event ");
    rt_puthex(f->vector);
    ctl_puts(" error ");
    rt_puthex(f->error);
    ctl_puts(" at ");
    rt_puthex(f->eip);
    ctl_puts("\n");
    ctl_exit(3);
    for (;;)
        __asm__ volatile("cli; hlt");
}
