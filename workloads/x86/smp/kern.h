/*
 * kern.h - smpkernel: a small SMP guest kernel for IA-32 and its four
 * workloads (docs/workloads-smp.md).  The kernel brings up every CPU the
 * machine has through the xAPIC, runs them on one set of page tables and
 * one GDT, and gives the workloads what a real SMP kernel gives its code:
 * spinlocks, a barrier, per-CPU data and a TLB-shootdown protocol.
 *
 * Memory (physical = virtual, identity mapped with 4 MiB pages): the image
 * at 16 MiB, the partition base a hypervisor gives a guest; the LAPIC page
 * at 0xFEE00000; and one 4 KiB page table for the window at WINDOW_VA
 * whose mappings the page-table workload changes.
 *
 * Hot paths: the lock, barrier and shootdown helpers are inline; the
 * workloads spend their time in them and in their own loops.
 */
#ifndef WORKLOADS_X86_SMP_KERN_H
#define WORKLOADS_X86_SMP_KERN_H

#include "../ctl.h"

typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long long u64;

#define MAXCPU 8 /* entry.S keeps one stack per APIC ID below this */

/* Vectors: 0-31 exceptions (fatal), the shootdown IPI, the start IPI (an
 * application processor consumes it to start; docs/isa-x86.md). */
#define VEC_SHOOTDOWN 0xF0
#define VEC_START     0xF1

/* Selectors of the kernel's GDT (kern.c); SEL_WL is the data segment the
 * descriptor workload rewrites. */
#define SEL_CODE 0x08
#define SEL_DATA 0x10
#define SEL_WL   0x18
#define GDT_WL   3 /* its index */

#define WINDOW_VA 0x40000000u /* the page-table workload's window */
#define PTE_P     0x001u
#define PTE_RW    0x002u

/* The control device's command port beyond ctl.h's console and exit. */
#define CTL_ARG_PORT 0xE0
#define CTL_CMD_PORT 0xE4
enum {
    CMD_ROI_BEGIN = 3,
    CMD_ROI_END = 4,
    CMD_RESULT = 6,
    CMD_WORK = 7,
    CMD_VIOLATION = 9,
    CMD_IPIS = 10
};

static inline void outl(u16 port, u32 v)
{
    __asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

/* One command with its argument (model/platform/ctl.h). */
static inline void ctl_cmd(u32 cmd, u32 arg)
{
    outl(CTL_ARG_PORT, arg);
    outb(CTL_CMD_PORT, (u8)cmd);
}

/* --- processor ------------------------------------------------------- */

static inline void cpu_relax(void)
{
    __asm__ volatile("pause" ::: "memory");
}

static inline u64 rdtsc(void)
{
    u32 lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return (u64)hi << 32 | lo;
}

/* CPUID is serializing (Intel SDM Vol. 3A 8.3): the cross-modifying-code
 * rule (8.1.3) has the executing CPU run one before the new code. */
static inline void serialize(void)
{
    u32 a = 0, b, c = 0, d;
    __asm__ volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d) : : "memory");
}

static inline void invlpg(u32 va)
{
    __asm__ volatile("invlpg (%0)" : : "r"(va) : "memory");
}

/* --- atomics (lock-prefixed read-modify-writes, SDM Vol. 3A 8.1.2) ---- */

static inline u32 atomic_xadd(volatile u32 *p, u32 v)
{
    __asm__ volatile("lock xaddl %0, %1" : "+r"(v), "+m"(*p) : : "memory");
    return v;
}

static inline u32 atomic_xchg(volatile u32 *p, u32 v)
{
    __asm__ volatile("xchgl %0, %1" : "+r"(v), "+m"(*p) : : "memory");
    return v;
}

static inline u32 atomic_cmpxchg(volatile u32 *p, u32 old, u32 new)
{
    __asm__ volatile("lock cmpxchgl %2, %1" : "+a"(old), "+m"(*p) : "r"(new) : "memory");
    return old;
}

static inline void atomic_or(volatile u32 *p, u32 v)
{
    __asm__ volatile("lock orl %1, %0" : "+m"(*p) : "r"(v) : "memory");
}

/* An aligned 8-byte store that no other CPU can see half done: CMPXCHG8B
 * with LOCK (Vol. 3A 8.1.2.2), looping until it replaces what it read. */
static inline void atomic_store64(volatile u64 *p, u64 v)
{
    u32 lo = (u32)*p, hi = (u32)(*p >> 32);
    __asm__ volatile("1: lock cmpxchg8b %0\n\tjnz 1b"
                     : "+m"(*p), "+a"(lo), "+d"(hi)
                     : "b"((u32)v), "c"((u32)(v >> 32))
                     : "memory", "cc");
}

/* Test-and-test-and-set lock.  Waiters spin with interrupts enabled, so a
 * CPU waiting for a lock still answers shootdown IPIs: the holder may be
 * waiting for that very acknowledgement. */
struct spinlock {
    volatile u32 v;
};

static inline void spin_lock(struct spinlock *l)
{
    while (atomic_xchg(&l->v, 1))
        while (l->v)
            cpu_relax();
}

static inline void spin_unlock(struct spinlock *l)
{
    __asm__ volatile("" ::: "memory");
    l->v = 0; /* stores are not reordered with older stores (Vol. 3A 8.2.2) */
}

/* --- the kernel (kern.c) ---------------------------------------------- */

/* Per-CPU data, one cache line each so CPUs do not share lines. */
struct percpu {
    u32 id;         /* APIC ID */
    u32 units;      /* work units done (reported with CMD_WORK at the end) */
    u32 violations; /* consistency violations this CPU observed */
    u32 sd_handled; /* shootdown IPIs it answered */
    u32 sd_sent;    /* shootdown IPIs it sent */
    u32 sd_rounds;  /* shootdowns it started that needed IPIs */
    u64 sd_cycles;  /* cycles from the first IPI to the last acknowledgement */
    u32 pad[7];
} __attribute__((aligned(64)));

extern struct percpu percpu[MAXCPU];
extern u32 ncpus;
extern u32 pt_window[1024]; /* the window's page table */

u32 this_cpu(void); /* the APIC ID */
void barrier(void); /* every CPU of the run */

/* Console: printing takes a lock, so CPUs' lines do not interleave. */
void con_puts(const char *s);
void con_hex(u32 v);
void con_dec(u32 v);
void con_line(const char *what, u32 v); /* "smp: <what> <v>\n" */
void con_lock(void);
void con_unlock(void);
__attribute__((noreturn)) void fatal(const char *why, u32 a, u32 b);

/* TLB shootdown of one page (kern.c), called by CPU `cpu`: invalidate va
 * here and on every other CPU in mask (bit i: CPU i), and return once all
 * of them have acknowledged. */
void tlb_shootdown(u32 cpu, u32 va, u32 mask);

/* --- the workload (one wl_*.c per image) ------------------------------ */

extern const char workload_name[];
/* The BSP alone, before it starts the other CPUs. */
void workload_setup(void);
/* Run on every CPU at once, between two barriers, inside the ROI. */
void workload_run(u32 cpu);
/* The BSP alone, after the ROI: print the summary, report the checksum
 * (CMD_RESULT); return the exit status (0: every check passed). */
u32 workload_report(void);

#endif
