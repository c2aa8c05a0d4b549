/*
 * wl_gdt.c - descriptor updates: CPU 0 rewrites the base and limit of one
 * data-segment descriptor in the shared GDT while every other CPU keeps
 * reloading FS from it and reading through it.  Under a hypervisor the
 * GDT is a primary structure with a derived shadow (seed 004 [0036]-
 * [0038]); here it runs on the bare machine, where the processor reads
 * the descriptor from memory at each segment load (Intel SDM Vol. 3A
 * 3.4.3).
 *
 * Version v of the descriptor points at area (i, i) with i = v mod 4, in
 * a grid of 4 x 4 areas: area (i, j) is at AREAS + j * 64 KiB + i * 4 KiB,
 * so base bits 15:0 (the descriptor's low doubleword) say i and bits
 * 23:16 (its high doubleword) say j.  The writer installs a version with
 * one 8-byte locked CMPXCHG8B, as a kernel must for a descriptor in use;
 * a reader that loaded half of one version and half of another would
 * land in an area (i, j) with i != j, which holds the TORN mark.  Each
 * area in use holds its version at offset 0.
 *
 * The writer reuses an area only when every reader has read a version at
 * most three older than the new one, so no reader can still be holding
 * the area's previous version (a grace period, as RCU would keep).
 * Readers check what they read: never TORN, never older than what they
 * read before, never newer than the writer has published.  A failed
 * check is a violation.
 *
 * The checksum folds the descriptors the writer installed: the same for
 * every number of CPUs.
 */
#include "kern.h"

#ifndef ROUNDS
#define ROUNDS 24u
#endif
#define VERSIONS (ROUNDS * 8u)
#define TORN     0xDEADDEADu
/* 1: install with two 4-byte stores, as a careless kernel would; the
 * readers' checks must then see torn descriptors (a test builds it). */
#ifndef GDT_SPLIT_STORE
#define GDT_SPLIT_STORE 0
#endif

const char workload_name[] = "gdt";

extern u64 gdt[];

static u8 areas[4 * 65536] __attribute__((aligned(65536)));
static volatile u32 published; /* the newest version installed, or being installed */
static volatile u32 done;
static volatile u32 seen[MAXCPU]; /* per reader: the version it read last */
static u32 installed_sum;

static volatile u32 *area(u32 i, u32 j)
{
    return (volatile u32 *)(areas + j * 65536 + i * 4096);
}

/* A present, writable, expand-up data descriptor, DPL 0, 32-bit, byte
 * granular (Vol. 3A 3.4.5): limit 4 KiB - 1 + 256 * i, so the limit
 * changes with the base. */
static u64 descriptor(u32 i)
{
    u32 base = (u32)area(i, i), limit = 0xFFF + 0x100 * i;
    u32 lo = (base & 0xFFFF) << 16 | (limit & 0xFFFF);
    u32 hi = (base & 0xFF000000) | 0x00400000 | (limit & 0xF0000) | 0x9200 | (base >> 16 & 0xFF);
    return (u64)hi << 32 | lo;
}

static void writer(u32 cpu)
{
    for (u32 v = 1; v <= VERSIONS; v++) {
        /* Grace period: nobody still reads through area v mod 4's last use. */
        for (u32 c = 1; c < ncpus; c++)
            while (seen[c] + 4 <= v)
                cpu_relax();
        u32 i = v % 4;
        area(i, i)[0] = v;
        published = v;
        u64 d = descriptor(i);
        if (GDT_SPLIT_STORE) {
            volatile u32 *half = (volatile u32 *)(u32)&gdt[GDT_WL];
            half[0] = (u32)d;
            for (u32 k = 0; k < 64; k++)
                cpu_relax();
            half[1] = (u32)(d >> 32);
        } else {
            atomic_store64((volatile u64 *)&gdt[GDT_WL], d);
        }
        installed_sum = installed_sum * 31 + (u32)d + (u32)(d >> 32) + v;
        percpu[cpu].units++;
    }
    done = 1;
}

static u32 read_fs(void)
{
    u32 v;
    __asm__ volatile("movw %w1, %%fs\n\t"
                     "movl %%fs:0, %0\n\t"
                     "movw %w2, %%fs"
                     : "=r"(v)
                     : "r"(SEL_WL), "r"(SEL_DATA)
                     : "memory");
    return v;
}

static void reader(u32 cpu)
{
    u32 last = 0, loads = 0;
    while (!done) {
        u32 v = read_fs();
        u32 pub = published;
        if (v == TORN || v < last || v > pub)
            percpu[cpu].violations++;
        else
            last = v;
        seen[cpu] = last;
        if (++loads % 16 == 0)
            percpu[cpu].units++;
    }
}

void workload_run(u32 cpu)
{
    if (cpu == 0)
        writer(cpu);
    else
        reader(cpu);
}

/* Every area TORN but version 0's (area 0, 0), whose descriptor is
 * installed before any CPU loads FS. */
void workload_setup(void)
{
    for (u32 j = 0; j < 4; j++)
        for (u32 i = 0; i < 4; i++)
            area(i, j)[0] = TORN;
    area(0, 0)[0] = 0;
    gdt[GDT_WL] = descriptor(0);
}

u32 workload_report(void)
{
    con_line("versions", VERSIONS);
    con_lock();
    con_puts("smp: checksum ");
    con_hex(installed_sum);
    con_puts("\n");
    con_unlock();
    ctl_cmd(CMD_RESULT, installed_sum);
    for (u32 c = 0; c < ncpus; c++)
        if (percpu[c].violations)
            return 1;
    return 0;
}
