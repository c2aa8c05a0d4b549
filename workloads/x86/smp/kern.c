/*
 * kern.c - smpkernel's core: bring-up of every CPU, the shared GDT, IDT
 * and page tables, the barrier, the console and the TLB-shootdown
 * protocol (kern.h).  The workload (wl_*.c) runs on all CPUs at once
 * inside the ROI.
 *
 * Bring-up (docs/isa-x86.md): the bootstrap processor builds the tables,
 * then sends one fixed IPI to all but itself, which starts every
 * application processor at the Multiboot entry; each loads the same
 * tables, turns paging on and checks in.  There is no MP table or ACPI on
 * the machine, so the BSP counts the CPUs that check in within
 * PROBE_CYCLES, as kernels did before firmware described the CPUs; a CPU
 * that checks in later parks and takes no part.
 */
#include "kern.h"

#ifndef PROBE_CYCLES
#define PROBE_CYCLES 200000u /* 83 us at 2.4 GHz; an AP is up in a few thousand */
#endif

/* 1: the shootdown handler acknowledges without invalidating, as a broken
 * kernel would; the page-table workload's checks must then fail (a test
 * builds it). */
#ifndef SHOOTDOWN_SKIPS_INVLPG
#define SHOOTDOWN_SKIPS_INVLPG 0
#endif

#define APIC_BASE      0xFEE00000u
#define APIC_ID        0x020
#define APIC_EOI       0x0B0
#define APIC_SVR       0x0F0
#define APIC_ICR_LO    0x300
#define APIC_ICR_HI    0x310
#define ICR_ALL_BUT_ME (3u << 18) /* destination shorthand 11 (Vol. 3A 10.6.1) */

static u32 popcount(u32 m)
{
    u32 n = 0;
    for (; m; m &= m - 1)
        n++;
    return n;
}

static inline u32 apic_read(u32 off)
{
    return *(volatile u32 *)(APIC_BASE + off);
}

static inline void apic_write(u32 off, u32 v)
{
    *(volatile u32 *)(APIC_BASE + off) = v;
}

/* Fixed IPI to APIC ID dest: ICR high first, the low write sends. */
static void apic_ipi(u32 dest, u32 vec)
{
    apic_write(APIC_ICR_HI, dest << 24);
    apic_write(APIC_ICR_LO, vec);
}

struct percpu percpu[MAXCPU];
u32 ncpus;
static volatile u32 online_mask; /* APs that checked in */
static volatile u32 members;     /* CPUs of the run, fixed by the BSP */
static volatile u32 go;          /* the BSP has fixed members */

/* --- descriptor tables and page tables ------------------------------ */

/* Flat 4 GiB code and data (Vol. 3A 3.4.5): base 0, limit 0xFFFFF pages,
 * present, DPL 0, 32-bit.  Entry GDT_WL is the descriptor workload's; it
 * starts flat like the data segment. */
u64 gdt[8] __attribute__((aligned(64))) = {
    0,
    0x00CF9A000000FFFFull,
    0x00CF92000000FFFFull,
    0x00CF92000000FFFFull,
};

struct gate {
    u16 off_lo, sel;
    u8 zero, type;
    u16 off_hi;
};
static struct gate idt[256] __attribute__((aligned(8)));

static u32 pd[1024] __attribute__((aligned(4096)));
u32 pt_window[1024] __attribute__((aligned(4096)));

extern char exc_stubs[], shootdown_entry[], spurious_entry[];

static void set_gate(unsigned v, void *fn)
{
    u32 a = (u32)fn;
    /* 32-bit interrupt gate, DPL 0 (Vol. 3A 6.11): IF is cleared on entry. */
    idt[v] = (struct gate){(u16)a, SEL_CODE, 0, 0x8E, (u16)(a >> 16)};
}

static void build_tables(void)
{
    for (unsigned v = 0; v < 256; v++)
        set_gate(v, v < 32 ? exc_stubs + 16 * v : spurious_entry);
    set_gate(VEC_SHOOTDOWN, shootdown_entry);
    /* 0-64 MiB and the LAPIC's 4 MiB identity mapped with 4 MiB pages
     * (CR4.PSE, Vol. 3A 4.3), the LAPIC's uncached; the window by pt_window. */
    for (u32 i = 0; i < 16; i++)
        pd[i] = i << 22 | 0x83;
    pd[APIC_BASE >> 22] = (APIC_BASE & 0xFFC00000u) | 0x93;
    pd[WINDOW_VA >> 22] = (u32)pt_window | PTE_RW | PTE_P;
}

/* What every CPU does with the tables: load GDTR and IDTR, reload the
 * segment registers (the Multiboot ones are the loader's), paging on. */
static void load_tables(void)
{
    struct {
        u16 limit;
        u32 base;
    } __attribute__((packed)) g = {sizeof(gdt) - 1, (u32)gdt}, i = {sizeof(idt) - 1, (u32)idt};
    __asm__ volatile("lgdt %0\n\t"
                     "lidt %1\n\t"
                     "ljmp $0x08, $1f\n"
                     "1:\tmovw $0x10, %%ax\n\t"
                     "movw %%ax, %%ds\n\t"
                     "movw %%ax, %%es\n\t"
                     "movw %%ax, %%fs\n\t"
                     "movw %%ax, %%gs\n\t"
                     "movw %%ax, %%ss"
                     :
                     : "m"(g), "m"(i)
                     : "eax", "memory");
    __asm__ volatile("movl %0, %%cr3\n\t"
                     "movl %%cr4, %%eax\n\t"
                     "orl $0x10, %%eax\n\t" /* PSE */
                     "movl %%eax, %%cr4\n\t"
                     "movl %%cr0, %%eax\n\t"
                     "orl $0x80000000, %%eax\n\t" /* PG */
                     "movl %%eax, %%cr0"
                     :
                     : "r"(pd)
                     : "eax", "memory");
    apic_write(APIC_SVR, 0x1FF); /* software enable, spurious vector 0xFF */
}

u32 this_cpu(void)
{
    return apic_read(APIC_ID) >> 24;
}

/* --- console ---------------------------------------------------------- */

static struct spinlock con;

void con_lock(void)
{
    spin_lock(&con);
}

void con_unlock(void)
{
    spin_unlock(&con);
}

void con_puts(const char *s)
{
    ctl_puts(s);
}

void con_hex(u32 v)
{
    char b[11] = "0x";
    for (int i = 0; i < 8; i++)
        b[2 + i] = "0123456789abcdef"[v >> (28 - 4 * i) & 15];
    b[10] = 0;
    ctl_puts(b);
}

void con_dec(u32 v)
{
    char b[11];
    int i = 10;
    b[i] = 0;
    do
        b[--i] = (char)('0' + v % 10);
    while (v /= 10);
    ctl_puts(b + i);
}

void con_line(const char *what, u32 v)
{
    con_lock();
    con_puts("smp: ");
    con_puts(what);
    con_puts(" ");
    con_dec(v);
    con_puts("\n");
    con_unlock();
}

void fatal(const char *why, u32 a, u32 b)
{
    con_lock();
    con_puts("smp: FATAL cpu ");
    con_dec(this_cpu());
    con_puts(" ");
    con_puts(why);
    con_puts(" ");
    con_hex(a);
    con_puts(" ");
    con_hex(b);
    con_puts("\n");
    for (;;)
        ctl_exit(3);
}

struct trap_frame {
    u32 edi, esi, ebp, esp, ebx, edx, ecx, eax;
    u32 vector, error, eip, cs, eflags;
};

void trap_fatal(struct trap_frame *f);
void trap_fatal(struct trap_frame *f)
{
    u32 cr2;
    __asm__ volatile("movl %%cr2, %0" : "=r"(cr2));
    if (f->vector == 14)
        fatal("page fault: eip, address", f->eip, cr2);
    fatal("exception: vector << 16 | error, eip", f->vector << 16 | (f->error & 0xFFFF), f->eip);
}

/* --- barrier and shootdown -------------------------------------------- */

static volatile u32 bar_count, bar_gen;

/* Central counter with a generation: read the generation before arriving,
 * so the last arriver's increment releases exactly this round. */
void barrier(void)
{
    u32 gen = bar_gen;
    if (atomic_xadd(&bar_count, 1) == ncpus - 1) {
        bar_count = 0;
        __asm__ volatile("" ::: "memory");
        bar_gen = gen + 1;
    } else {
        while (bar_gen == gen)
            cpu_relax();
    }
}

/* One shootdown in flight at a time (its lock), like the early Linux
 * flush_tlb_others: the initiator publishes the address and the number of
 * acknowledgements it waits for, sends one IPI per target, and spins until
 * the count is 0.  Targets invalidate in the IPI handler and decrement.
 * The initiator waits with interrupts enabled: no CPU waits for it
 * with them disabled, so no cycle of waits can form. */
static struct spinlock sd_lock;
static volatile u32 sd_va, sd_pending;

void shootdown_handler(void);
void shootdown_handler(void)
{
    if (!SHOOTDOWN_SKIPS_INVLPG)
        invlpg(sd_va);
    percpu[this_cpu()].sd_handled++;
    atomic_xadd(&sd_pending, (u32)-1);
}

void tlb_shootdown(u32 cpu, u32 va, u32 mask)
{
    invlpg(va);
    mask &= members & ~(1u << cpu);
    if (!mask)
        return;
    spin_lock(&sd_lock);
    sd_va = va;
    sd_pending = popcount(mask);
    u64 t0 = rdtsc();
    for (u32 c = 0; c < ncpus; c++)
        if (mask >> c & 1) {
            apic_ipi(c, VEC_SHOOTDOWN);
            percpu[cpu].sd_sent++;
        }
    while (sd_pending)
        cpu_relax();
    percpu[cpu].sd_cycles += rdtsc() - t0;
    percpu[cpu].sd_rounds++;
    spin_unlock(&sd_lock);
}

/* --- start-up and the run --------------------------------------------- */

/* Every CPU: the workload between barriers, inside the ROI, then its own
 * units and violations to the control device from its own hart (so the
 * machine counts them per hart). */
static void run(u32 cpu)
{
    percpu[cpu].id = cpu;
    barrier();
    if (cpu == 0)
        ctl_cmd(CMD_ROI_BEGIN, 0);
    barrier();
    workload_run(cpu);
    ctl_cmd(CMD_WORK, percpu[cpu].units);
    if (percpu[cpu].violations)
        ctl_cmd(CMD_VIOLATION, percpu[cpu].violations);
    barrier();
}

static void ap_main(u32 id)
{
    load_tables();
    atomic_or(&online_mask, 1u << id);
    while (!go)
        cpu_relax();
    if (!(members >> id & 1))
        return; /* too late: parks in entry.S */
    __asm__ volatile("sti");
    run(id);
    for (;;)
        __asm__ volatile("hlt");
}

static void bsp_main(void)
{
    build_tables();
    workload_setup();
    load_tables();
    apic_write(APIC_ICR_LO, ICR_ALL_BUT_ME | VEC_START);
    /* The time the last AP checked in, as the BSP saw the mask change:
     * the cost of bring-up, which a hypervisor's IPI path changes. */
    u64 t0 = rdtsc(), now = t0, last_up = t0;
    u32 seen = 0;
    while (online_mask != (1u << MAXCPU) - 2 && (now = rdtsc()) - t0 < PROBE_CYCLES) {
        if (online_mask != seen) {
            seen = online_mask;
            last_up = now;
        }
        cpu_relax();
    }
    if (online_mask != seen)
        last_up = rdtsc();
    u32 m = online_mask | 1;
    ncpus = popcount(m);
    if (m != (1u << ncpus) - 1)
        fatal("APIC IDs not contiguous: online mask, count", m, ncpus);
    members = m;
    go = 1;
    __asm__ volatile("sti");
    con_lock();
    con_puts("smp: ");
    con_puts(workload_name);
    con_puts(" on ");
    con_dec(ncpus);
    con_puts(" cpus, the last up ");
    con_dec((u32)(last_up - t0));
    con_puts(" cycles after the start IPI\n");
    con_unlock();
    run(0);
    u32 sent = 0, handled = 0, rounds = 0, units = 0, viol = 0;
    u64 cyc = 0; /* below 2^32 in any run of these sizes */
    for (u32 c = 0; c < ncpus; c++) {
        sent += percpu[c].sd_sent;
        handled += percpu[c].sd_handled;
        rounds += percpu[c].sd_rounds;
        cyc += percpu[c].sd_cycles;
        units += percpu[c].units;
        viol += percpu[c].violations;
    }
    /* Inside the ROI: every IPI of the ROI is a shootdown IPI. */
    ctl_cmd(CMD_IPIS, sent);
    ctl_cmd(CMD_ROI_END, 0);
    if (handled != sent)
        fatal("shootdown IPIs sent, answered", sent, handled);
    con_lock();
    for (u32 c = 0; c < ncpus; c++) {
        con_puts("smp: cpu ");
        con_dec(c);
        con_puts(" units ");
        con_dec(percpu[c].units);
        con_puts(" shootdowns ");
        con_dec(percpu[c].sd_rounds);
        con_puts(" ipis sent ");
        con_dec(percpu[c].sd_sent);
        con_puts(" answered ");
        con_dec(percpu[c].sd_handled);
        con_puts("\n");
    }
    con_unlock();
    con_line("units", units);
    con_line("shootdown ipis", sent);
    con_line("cycles per shootdown", rounds ? (u32)cyc / rounds : 0);
    con_line("violations", viol);
    u32 status = workload_report();
    con_line("status", status);
    ctl_exit((u8)status);
    for (;;)
        __asm__ volatile("hlt");
}

void kmain(u32 id);
void kmain(u32 id)
{
    if (id == 0)
        bsp_main();
    else
        ap_main(id);
}
