/*
 * wl_ptchurn.c - page-table churn: every CPU maps, writes, write-protects
 * and remaps pages of one shared window, and reads the pages the others
 * mapped, so translations of each page end up cached in several TLBs and
 * every remap needs a shootdown.  Seed 004 [0085] calls these MMU traces
 * the bulk of a guest's trace activity.
 *
 * The work is a fixed set of tasks (k, p): round k of window page p.
 * Task (k, p) runs on CPU (p + k) mod ncpus, after task (k - 1, p), so
 * each page moves from CPU to CPU.  Under the page's lock it
 *   1. unmaps the page (PTE cleared) and shoots it down on every CPU that
 *      may cache it (the page's mask: the CPUs that touched it since);
 *   2. maps it, writable, to the other of its two frames (a present PTE
 *      replacing a not-present one needs no flush: not-present entries
 *      are not cached, Intel SDM Vol. 3A 4.10.2.3);
 *   3. writes a pattern of (k, p) through the window and checks it landed
 *      in the frame it mapped (read through the identity mapping): a
 *      stale translation would have put it in the old frame;
 *   4. write-protects the page and shoots it down again (a permission
 *      cut needs a flush as well, Vol. 3A 4.10.4.1).
 * Between its tasks each CPU reads NPEEK other pages through the window,
 * under their locks, and checks it sees the pattern of the page's last
 * task.  A failed check is a violation (a TLB the protocol left stale).
 *
 * The checksum sums what the tasks read back: it depends on the tasks
 * only, so it is the same for every number of CPUs.
 */
#include "kern.h"

#ifndef ROUNDS
#define ROUNDS 24u
#endif
#define NPAGES 16u
#define NPEEK  2u
#define NWORDS 16u /* pattern words per page, 256 bytes apart */

const char workload_name[] = "ptchurn";

static u8 frames[NPAGES * 2][4096] __attribute__((aligned(4096)));

struct page {
    struct spinlock lock;
    volatile u32 gen;  /* tasks done on the page */
    volatile u32 mask; /* CPUs that may cache its translation */
    u32 pad[13];
} __attribute__((aligned(64)));
static struct page pages[NPAGES];
static volatile u32 sums[MAXCPU];
static volatile u32 peeks[MAXCPU];

static u32 pattern(u32 k, u32 p, u32 i)
{
    u32 x = (k * 0x9E3779B9u) ^ (p << 16) ^ (i * 0x85EBCA6Bu);
    return x ^ (x >> 15);
}

static u32 *window(u32 p)
{
    return (u32 *)(WINDOW_VA + p * 4096);
}

static void task(u32 cpu, u32 k, u32 p)
{
    struct page *pg = &pages[p];
    /* Wait for the turn without the lock: gen moves only under it, and
     * only this task moves it past k.  Polling with the lock held kept
     * the lock's line hot on the waiters and could starve the CPU whose
     * task was due (a livelock of the test-and-set lock). */
    while (pg->gen != k)
        cpu_relax();
    spin_lock(&pg->lock);
    u32 va = WINDOW_VA + p * 4096;
    if (pt_window[p] & PTE_P) {
        pt_window[p] = 0;
        tlb_shootdown(cpu, va, pg->mask);
        pg->mask = 0;
    }
    u32 *frame = (u32 *)frames[p * 2 + (k & 1)];
    pt_window[p] = (u32)frame | PTE_RW | PTE_P;
    pg->mask |= 1u << cpu;
    volatile u32 *w = window(p);
    for (u32 i = 0; i < NWORDS; i++)
        w[i * 64] = pattern(k, p, i);
    u32 sum = 0;
    for (u32 i = 0; i < NWORDS; i++) {
        if (((volatile u32 *)frame)[i * 64] != pattern(k, p, i))
            percpu[cpu].violations++;
        sum += w[i * 64];
    }
    pt_window[p] &= ~PTE_RW;
    tlb_shootdown(cpu, va, pg->mask);
    sums[cpu] += sum;
    pg->gen = k + 1;
    spin_unlock(&pg->lock);
    percpu[cpu].units++;
}

/* Read a page another CPU mapped: the pattern of its last task. */
static void peek(u32 cpu, u32 p)
{
    struct page *pg = &pages[p];
    spin_lock(&pg->lock);
    u32 k = pg->gen;
    if (k && (pt_window[p] & PTE_P)) {
        pg->mask |= 1u << cpu;
        if (window(p)[0] != pattern(k - 1, p, 0))
            percpu[cpu].violations++;
        peeks[cpu]++;
    }
    spin_unlock(&pg->lock);
}

void workload_setup(void) {}

void workload_run(u32 cpu)
{
    u32 n = 0;
    for (u32 k = 0; k < ROUNDS; k++)
        for (u32 p = 0; p < NPAGES; p++) {
            if ((p + k) % ncpus != cpu)
                continue;
            task(cpu, k, p);
            for (u32 j = 1; j <= NPEEK; j++)
                peek(cpu, (p + j * 5 + n) % NPAGES);
            n++;
        }
}

u32 workload_report(void)
{
    u32 sum = 0, np = 0;
    for (u32 c = 0; c < ncpus; c++) {
        sum += sums[c];
        np += peeks[c];
    }
    con_line("tasks", ROUNDS * NPAGES);
    con_line("peeks", np);
    con_lock();
    con_puts("smp: checksum ");
    con_hex(sum);
    con_puts("\n");
    con_unlock();
    ctl_cmd(CMD_RESULT, sum);
    for (u32 c = 0; c < ncpus; c++)
        if (percpu[c].violations)
            return 1;
    return 0;
}
