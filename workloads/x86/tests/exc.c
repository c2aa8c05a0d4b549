/*
 * exc.c - self-checking test of protected-mode exceptions, interrupts,
 * segmentation and the system instructions, run on QEMU and vtsim so that
 * both agree check for check.  Expected values come from the Intel SDM:
 * Vol. 3A 6.3 (vectors), 6.13 (error codes), 6.12.1 (frames and the TSS
 * stack switch), Table 6-5 (double faults), 5.x (segment checks), and the
 * Vol. 2 pages of each instruction.
 *
 * Error codes of faults raised while delivering a hardware exception carry
 * EXT = 1 on hardware, but QEMU leaves EXT clear; the cases here raise
 * such faults only from int n (EXT = 0 on both), and tests/sys_vtsim.c
 * checks EXT on vtsim alone.
 */
#include "rt.h"

int main(void);

#define SPARE(n) (GDT_SPARE + (n))
#define SEL(n)   (SPARE(n) << 3)

static u32 user_value;

/* ---- exceptions and software interrupts ---- */

static void test_vectors(void)
{
    u32 a = 1, d = 0, zero = 0;
    TRY(T("divl %2") : "+a"(a), "+d"(d) : "r"(zero) : "memory");
    EXPECT_FAULT(0, 0);
    TRY(T("ud2") : : : "memory");
    EXPECT_FAULT(6, 0);
    /* int n, int3 and into are traps: the frame saves the next EIP. */
    TRY(T("int $0x40") : : : "memory");
    EXPECT_TRAP(0x40);
    CHECK(rt_last.cs, SEL_KCODE);
    TRY(T("int3") : : : "memory");
    EXPECT_TRAP(3);
    TRY(T("movl $0x7fffffff, %%eax\n\taddl $1, %%eax\n\tinto") : : : "eax", "memory");
    CHECK(rt_last.vector, 4);
    TRY(T("xorl %%eax, %%eax\n\tinto") : : : "eax", "memory");
    EXPECT_NONE();
    /* An interrupt gate clears IF, a trap gate keeps it; the frame has the
     * EFLAGS from before. */
    rt_gate(0x41, 0xF, 0, 1);
    __asm__ volatile("sti");
    TRY(T("int $0x41") : : : "memory");
    CHECK(rt_last.eflags & 0x200, 0x200);
    TRY(T("int $0x40") : : : "memory");
    CHECK(rt_last.eflags & 0x200, 0x200);
    __asm__ volatile("cli");
    CHECK(read_eflags() & 0x200, 0);
    /* A gate that is not present: #NP(vector * 8 + 2), IDT bit set. */
    rt_gate(0x42, 0xE, 0, 0);
    TRY(T("int $0x42") : : : "memory");
    EXPECT_FAULT(11, 0x42 * 8 + 2);
    rt_gate(0x42, 0xE, 0, 1);
    /* Not a gate at all (a data-segment-like type): #GP(vector * 8 + 2). */
    rt_idt[0x43] = rt_idt[0x40] & ~(0x1Full << 40);
    rt_idt[0x43] |= 0x80ull << 40 | 0x1ull << 40;
    TRY(T("int $0x43") : : : "memory");
    EXPECT_FAULT(13, 0x43 * 8 + 2);
    rt_gate(0x43, 0xE, 0, 1);
}

/* A #GP whose gate is not present: the #NP during delivery of a
 * contributory exception makes a double fault with error code 0. */
static int df_hook(struct frame *f)
{
    if (f->vector != 8)
        return 0;
    rt_gate(13, 0xE, 0, 1);
    f->eip = rt_resume;
    rt_resume = 0;
    return 1;
}

static void test_double_fault(void)
{
    rt_gate(13, 0xE, 0, 0);
    rt_hook = df_hook;
    TRY(T("movw %w0, %%ds") : : "r"(0x7FF8) : "memory");
    rt_hook = 0;
    CHECK(rt_last.vector, 8);
    CHECK(rt_last.error, 0);
    __asm__ volatile("movw %w0, %%ds" : : "r"(SEL_KDATA));
}

/* ---- segment loads ---- */

static void test_segments(void)
{
    u16 sel;
    /* Beyond the GDT limit. */
    TRY(T("movw %w0, %%ds") : : "r"(0x1F8) : "memory");
    EXPECT_FAULT(13, 0x1F8);
    /* RPL 3 > DPL 0 data. */
    TRY(T("movw %w0, %%es") : : "r"(SEL_KDATA | 3) : "memory");
    EXPECT_FAULT(13, SEL_KDATA);
    /* A system descriptor (the TSS) is not a data segment. */
    TRY(T("movw %w0, %%fs") : : "r"(SEL_TSS) : "memory");
    EXPECT_FAULT(13, SEL_TSS);
    /* Execute-only code cannot be loaded into a data register. */
    rt_gdt[SPARE(0)] = rt_desc(0, 0xFFFFF, 0x98, 0xC);
    TRY(T("movw %w0, %%gs") : : "r"(SEL(0)) : "memory");
    EXPECT_FAULT(13, SEL(0));
    /* Not present: #NP(selector), or #SS(selector) for SS. */
    rt_gdt[SPARE(1)] = rt_desc(0, 0xFFFFF, 0x12, 0xC);
    TRY(T("movw %w0, %%gs") : : "r"(SEL(1)) : "memory");
    EXPECT_FAULT(11, SEL(1));
    TRY(T("movw %w0, %%ss") : : "r"(SEL(1)) : "memory");
    EXPECT_FAULT(12, SEL(1));
    /* SS: null and a read-only data segment are #GP. */
    TRY(T("movw %w0, %%ss") : : "r"(0) : "memory");
    EXPECT_FAULT(13, 0);
    rt_gdt[SPARE(2)] = rt_desc(0, 0xFFFFF, 0x90, 0xC);
    TRY(T("movw %w0, %%ss") : : "r"(SEL(2)) : "memory");
    EXPECT_FAULT(13, SEL(2));
    /* A readable code segment loads into DS; the accessed bit is set. */
    rt_gdt[SPARE(3)] = rt_desc(0, 0xFFFFF, 0x9A, 0xC);
    __asm__ volatile("movw %w0, %%fs\n\tmovw %%fs, %1" : : "r"(SEL(3)), "m"(sel) : "memory");
    __asm__ volatile("movw %%fs, %0" : "=r"(sel));
    CHECK(sel, SEL(3));
    CHECK((rt_gdt[SPARE(3)] >> 40) & 1, 1);
    /* A null selector loads into GS (an access through it is checked in
     * sys_vtsim.c: QEMU does not fault it). */
    __asm__ volatile("movw %w0, %%gs" : : "r"(0));
    /* A data segment with base 0x1000: fs:[x] reads x + 0x1000. */
    static u32 words[0x500];
    words[0x400] = 0xC0FFEE;
    rt_gdt[SPARE(4)] = rt_desc(0x1000, 0xFFFFF, 0x92, 0xC);
    u32 v;
    __asm__ volatile("movw %w1, %%fs\n\tmovl %%fs:(%2), %0"
                     : "=r"(v)
                     : "r"(SEL(4)), "r"((u32)&words[0])
                     : "memory");
    CHECK(v, 0xC0FFEE);
    __asm__ volatile("movw %w0, %%fs\n\tmovw %w0, %%gs" : : "r"(SEL_KDATA));
}

/* ---- descriptor tables ---- */

static void test_tables(void)
{
    struct {
        u16 limit;
        u32 base;
    } __attribute__((packed)) g, i;
    __asm__ volatile("sgdt %0\n\tsidt %1" : "=m"(g), "=m"(i));
    CHECK(g.base, (u32)rt_gdt);
    CHECK(g.limit, sizeof(rt_gdt) - 1);
    CHECK(i.base, (u32)rt_idt);
    CHECK(i.limit, sizeof(rt_idt) - 1);
    u32 tr = 0xFFFFFFFF, ldt = 0xFFFFFFFF;
    __asm__ volatile("str %0\n\tsldt %1" : "=r"(tr), "=r"(ldt));
    CHECK(tr, SEL_TSS);
    CHECK(ldt, 0);
    /* ltr marked the TSS busy (type 11). */
    CHECK((rt_gdt[5] >> 40) & 0xF, 0xB);
    /* A busy TSS cannot be loaded again. */
    TRY(T("ltr %w0") : : "r"(SEL_TSS) : "memory");
    EXPECT_FAULT(13, SEL_TSS);
    /* An LDT with one data segment (base 0x2000); selector index 0, TI. */
    static u64 ldt_table[2] __attribute__((aligned(8)));
    static u32 words[0x900];
    words[0x800] = 0xABCD1234;
    ldt_table[0] = rt_desc(0x2000, 0xFFFFF, 0x92, 0xC);
    rt_gdt[SPARE(5)] = rt_desc((u32)ldt_table, sizeof(ldt_table) - 1, 0x82, 0);
    __asm__ volatile("lldt %w0" : : "r"(SEL(5)));
    __asm__ volatile("sldt %0" : "=r"(ldt));
    CHECK(ldt, SEL(5));
    u32 v;
    __asm__ volatile("movw %w1, %%fs\n\tmovl %%fs:(%2), %0"
                     : "=r"(v)
                     : "r"(4), "r"((u32)&words[0])
                     : "memory");
    CHECK(v, 0xABCD1234);
    /* Index 1 of the LDT is beyond its limit of 15: #GP(0x0C). */
    TRY(T("movw %w0, %%fs") : : "r"(0x0C) : "memory");
    EXPECT_FAULT(13, 0x0C);
    __asm__ volatile("movw %w0, %%fs\n\tlldt %w1" : : "r"(SEL_KDATA), "r"(0));
    /* lldt with a data descriptor. */
    TRY(T("lldt %w0") : : "r"(SEL_KDATA) : "memory");
    EXPECT_FAULT(13, SEL_KDATA);
}

/* ---- far transfers ---- */

void far_target(void);
__asm__(".text\nfar_target:\n\tmovw %cs, %ax\n\tmovzwl %ax, %eax\n\tlret\n");

static void test_far(void)
{
    /* A second flat code segment. */
    rt_gdt[SPARE(6)] = rt_desc(0, 0xFFFFF, 0x9A, 0xC);
    u32 cs;
    struct {
        u32 off;
        u16 sel;
    } __attribute__((packed)) p = {(u32)far_target, SEL(6)};
    __asm__ volatile("lcall *%1" : "=a"(cs) : "m"(p) : "memory");
    CHECK(cs, SEL(6));
    __asm__ volatile("movw %%cs, %w0" : "=r"(cs));
    CHECK(cs & 0xFFFF, SEL_KCODE);
    /* Far jump there and back. */
    __asm__ volatile("ljmp %1, $1f\n1:\tmovw %%cs, %w0\n\tljmp $0x08, $2f\n2:"
                     : "=r"(cs)
                     : "i"(SEL(6))
                     : "memory");
    CHECK(cs & 0xFFFF, SEL(6));
    /* Not present: #NP(selector); a data segment: #GP(selector). */
    rt_gdt[SPARE(7)] = rt_desc(0, 0xFFFFF, 0x1A, 0xC);
    p.sel = SEL(7);
    TRY(T("ljmp *%0") : : "m"(p) : "memory");
    EXPECT_FAULT(11, SEL(7));
    p.sel = SEL_KDATA;
    TRY(T("lcall *%0") : : "m"(p) : "memory");
    EXPECT_FAULT(13, SEL_KDATA);
    /* A DPL-3 non-conforming code segment from CPL 0. */
    p.sel = SEL_UCODE;
    TRY(T("ljmp *%0") : : "m"(p) : "memory");
    EXPECT_FAULT(13, SEL_UCODE & ~3);
}

/* ---- ring 3 ---- */

static u32 user_cs(void)
{
    u32 cs, ss;
    __asm__ volatile("movw %%cs, %w0\n\tmovw %%ss, %w1" : "=r"(cs), "=r"(ss));
    user_value = ss & 0xFFFF;
    return cs & 0xFFFF;
}

static u32 user_faults(void)
{
    u32 esp;
    /* Privileged instructions at CPL 3: #GP(0). */
    TRY(T("hlt") : : : "memory");
    EXPECT_FAULT(13, 0);
    __asm__ volatile("movl %%esp, %0" : "=r"(esp));
    CHECK(rt_last.ss, SEL_UDATA);
    CHECK(rt_last.cs, SEL_UCODE);
    /* The frame was pushed on the TSS's ring-0 stack, and saved the user
     * ESP. */
    CHECK(rt_last.handler_esp < rt_tss_block.tss[1], 1);
    CHECK(rt_last.handler_esp > rt_tss_block.tss[1] - 512, 1);
    CHECK(rt_last.esp - esp < 64, 1);
    TRY(T("cli") : : : "memory");
    EXPECT_FAULT(13, 0);
    TRY(T("movl %%cr0, %%eax") : : : "eax", "memory");
    EXPECT_FAULT(13, 0);
    TRY(T("movl %%eax, %%dr7") : : : "memory");
    EXPECT_FAULT(13, 0);
    TRY(T("rdmsr") : : "c"(0x174) : "eax", "edx", "memory");
    EXPECT_FAULT(13, 0);
    TRY(T("wrmsr") : : "c"(0x174), "a"(0), "d"(0) : "memory");
    EXPECT_FAULT(13, 0);
    TRY(T("lidt (%0)") : : "r"(0) : "memory");
    EXPECT_FAULT(13, 0);
    TRY(T("invlpg (%0)") : : "r"(0) : "memory");
    EXPECT_FAULT(13, 0);
    TRY(T("wbinvd") : : : "memory");
    EXPECT_FAULT(13, 0);
    TRY(T("clts") : : : "memory");
    EXPECT_FAULT(13, 0);
    /* int n to a DPL-0 gate: #GP(vector * 8 + 2); to a DPL-3 gate: OK. */
    TRY(T("int $0x40") : : : "memory");
    EXPECT_FAULT(13, 0x40 * 8 + 2);
    TRY(T("int $0x44") : : : "memory");
    EXPECT_TRAP(0x44);
    CHECK(rt_last.cs, SEL_UCODE);
    /* Loading a DPL-0 data segment at CPL 3. */
    TRY(T("movw %w0, %%es") : : "r"(SEL_KDATA) : "memory");
    EXPECT_FAULT(13, SEL_KDATA);
    /* Ports: IOPL is 0, so the TSS bitmap decides: port 0x80 is open,
     * 0x81 and a word at 0x7F (which covers 0x80) are closed. */
    TRY(T("outb %%al, $0x80") : : "a"(0) : "memory");
    EXPECT_NONE();
    TRY(T("outb %%al, $0x81") : : "a"(0) : "memory");
    EXPECT_FAULT(13, 0);
    TRY(T("outw %%ax, %%dx") : : "a"(0), "d"(0x7F) : "memory");
    EXPECT_FAULT(13, 0);
    /* sgdt and str work at any CPL (no UMIP). */
    struct {
        u16 limit;
        u32 base;
    } __attribute__((packed)) g;
    __asm__ volatile("sgdt %0" : "=m"(g));
    CHECK(g.base, (u32)rt_gdt);
    return 7;
}

static void test_rings(void)
{
    CHECK(rt_user_call(user_cs), SEL_UCODE);
    CHECK(user_value, SEL_UDATA);
    rt_gate(0x44, 0xE, 3, 1);
    rt_tss_block.iomap[0x80 / 8] &= (u8) ~(1u << (0x80 % 8));
    CHECK(rt_user_call(user_faults), 7);
    rt_tss_block.iomap[0x80 / 8] = 0xFF;
    /* Back in ring 0 with the kernel's segments. */
    u32 cs, ds;
    __asm__ volatile("movw %%cs, %w0\n\tmovw %%ds, %w1" : "=r"(cs), "=r"(ds));
    CHECK(cs & 0xFFFF, SEL_KCODE);
    CHECK(ds & 0xFFFF, SEL_KDATA);
}

/* ---- system registers and instructions ---- */

static void test_system(void)
{
    u32 v;
    /* CR2 and the debug registers hold what is written. */
    __asm__ volatile("movl %1, %%cr2\n\tmovl %%cr2, %0" : "=r"(v) : "r"(0x12345678));
    CHECK(v, 0x12345678);
    __asm__ volatile("movl %1, %%dr0\n\tmovl %%dr0, %0" : "=r"(v) : "r"(0xCAFE0000));
    CHECK(v, 0xCAFE0000);
    __asm__ volatile("movl %1, %%dr3\n\tmovl %%dr3, %0" : "=r"(v) : "r"(0x1000));
    CHECK(v, 0x1000);
    __asm__ volatile("movl %1, %%dr7\n\tmovl %%dr7, %0" : "=r"(v) : "r"(0));
    CHECK(v, 0x400);
    CHECK(read_cr0() & 0x80000011, 0x11); /* PE, ET; no paging */
    write_cr4(read_cr4() | 0x10);
    CHECK(read_cr4() & 0x10, 0x10);
    write_cr4(read_cr4() & ~0x10u);
    /* CPUID reports PSE, MSR, PGE. */
    u32 a, b, c, d;
    __asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "0"(1));
    CHECK(d & (1u << 3 | 1u << 5 | 1u << 13), 1u << 3 | 1u << 5 | 1u << 13);
    /* An MSR every part has. */
    __asm__ volatile("wrmsr" : : "c"(0x174), "a"(0x10), "d"(0));
    __asm__ volatile("rdmsr" : "=a"(a), "=d"(d) : "c"(0x174));
    CHECK(a, 0x10);
    /* cli/sti and pushf. */
    __asm__ volatile("sti");
    CHECK(read_eflags() & 0x200, 0x200);
    __asm__ volatile("cli");
    CHECK(read_eflags() & 0x200, 0);
    /* Instructions that change no architectural state here (clflush and
     * the fences are in sys_vtsim.c: QEMU's default CPU lacks them). */
    static u32 line[16];
    TRY(T("pause\n\twbinvd\n\tinvlpg (%0)") : : "r"(line) : "memory");
    EXPECT_NONE();
    /* rep outsb to the console; rep insb moves EDI and counts ECX down. */
    static const char msg[] = "rep outsb ok\n";
    u32 si = (u32)msg, cx = sizeof(msg) - 1;
    __asm__ volatile("cld\n\trep outsb" : "+S"(si), "+c"(cx) : "d"(CTL_CONSOLE_PORT) : "memory");
    CHECK(cx, 0);
    CHECK(si, (u32)msg + sizeof(msg) - 1);
    static u8 buf[8];
    u32 di = (u32)buf;
    cx = 4;
    __asm__ volatile("rep insb" : "+D"(di), "+c"(cx) : "d"(0x80) : "memory");
    CHECK(cx, 0);
    CHECK(di, (u32)buf + 4);
    /* in/out of every width to an open port. */
    __asm__ volatile("outw %%ax, %%dx\n\toutl %%eax, %%dx" : : "a"(0), "d"(0x80));
}

int main(void)
{
    rt_init();
    test_vectors();
    test_double_fault();
    test_segments();
    test_tables();
    test_far();
    test_rings();
    test_system();
    return rt_done("exc");
}
