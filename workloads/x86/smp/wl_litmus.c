/*
 * wl_litmus.c - the litmus test of seed 004 [0087].  Three roles:
 *   X (CPU 0) writes new code at L (in the study a hypervisor may delay
 *     its notification of that write);
 *   Z (CPU 2; CPU 0 itself on two CPUs), a bystander of L: it holds no
 *     translation of L, because it never fetches from L's page; it reads
 *     L's opcode as data until it finds the new version and then does
 *     what that code does (an interpreter of L's two versions): it stores
 *     the round number to M, as soon as X's write is visible and before
 *     any notification X's hypervisor sends;
 *   Y (every other CPU), a consumer of L, keeps executing L until it runs
 *     the new code.
 * L's old code is one instruction that loads M (mov eax, [M]); the
 * new code stores ECX to M (mov [M], ecx) and leaves EAX as it was.  Only
 * the new code writes the round number to M, and only after X's write.
 * So if Y runs the old code and it returns the round number, Y executed
 * L's old code after L had changed and someone had run the new one: the
 * contradiction [0087] describes (a consumer still running its old
 * translation of L).  Each such observation is a violation; Y stops the
 * round at the new code or at the first observation.  Coherent hardware
 * never shows one: an instruction fetched after the write sees it.
 *
 * X replaces L's eight bytes with one locked CMPXCHG8B, so no CPU can
 * fetch half of each version.  Rounds are separated by barriers, and X
 * puts the old code back and clears M between them.
 *
 * LITMUS_STALE_COPY=1 builds a consumer that never refreshes its copy of
 * L's old code (a translation never invalidated): it must observe the
 * contradiction in every round (a test builds it, so the count can fail).
 *
 * The checksum folds what Z's runs returned: the same for every number
 * of CPUs.
 */
#include "kern.h"

#ifndef ROUNDS
#define ROUNDS 24u
#endif
#ifndef LITMUS_STALE_COPY
#define LITMUS_STALE_COPY 0
#endif
#define LROUNDS  (ROUNDS * 4u)
#define SENTINEL 0xFFFFFFFFu

const char workload_name[] = "litmus";

static volatile u64 l_code __attribute__((section(".xmc"), aligned(64)));
static volatile u64 stale[MAXCPU] __attribute__((section(".xmc"), aligned(64)));
static volatile u32 m_loc;
static u64 old_code, new_code;
static u32 checksum, observed_rounds;

#define OLD_OP 0x058Bu /* mov eax, [M] */
#define NEW_OP 0x0D89u /* mov [M], ecx */

/* Run the 8 bytes at code with EAX = SENTINEL and ECX = val: the old code
 * returns M, the new one SENTINEL (and stores val to M). */
static u32 run_l(volatile u64 *code, u32 val)
{
    u32 r = SENTINEL;
    __asm__ volatile("call *%1" : "+a"(r) : "r"(code), "c"(val) : "memory", "cc");
    return r;
}

void workload_setup(void)
{
    u32 m = (u32)&m_loc;
    /* old: 8B 05 M32 C3 CC = mov eax, [M]; ret; int3
     * new: 89 0D M32 C3 CC = mov [M], ecx; ret; int3
     * Both are one 6-byte instruction and the same RET: a consumer that
     * ran the first instruction of either version finds the RET next. */
    old_code = (u64)0xCCC3u << 48 | (u64)m << 16 | OLD_OP;
    new_code = (u64)0xCCC3u << 48 | (u64)m << 16 | NEW_OP;
    l_code = old_code;
}

/* The opcode is L's first two bytes, read in one aligned load (never
 * torn); the M operand is the same in both versions. */
static u32 l_opcode(void)
{
    u32 op;
    __asm__ volatile("movzwl %1, %0" : "=r"(op) : "m"(l_code));
    return op;
}

static void role_z(u32 r)
{
    while (l_opcode() != NEW_OP)
        cpu_relax();
    m_loc = r; /* what the new code does with ECX = r */
    checksum = checksum * 33 + SENTINEL + m_loc;
}

static void role_y(u32 cpu, u32 r)
{
    volatile u64 *code = LITMUS_STALE_COPY ? &stale[cpu] : &l_code;
    for (;;) {
        u32 res = run_l(code, r);
        if (res == SENTINEL)
            return;
        if (res == r) {
            percpu[cpu].violations++;
            return;
        }
        cpu_relax();
    }
}

void workload_run(u32 cpu)
{
    u32 z = ncpus >= 3 ? 2 : 0;
    for (u32 r = 1; r <= LROUNDS; r++) {
        if (LITMUS_STALE_COPY)
            stale[cpu] = l_code; /* the consumer's "translation" of L */
        /* A consumer runs L's old code once before the round starts, so
         * a hypervisor that translates code holds a translation of it
         * when X writes (the old code only loads M, which is 0 here). */
        if (cpu != 0 && cpu != z)
            (void)run_l(LITMUS_STALE_COPY ? &stale[cpu] : &l_code, r);
        barrier();
        if (cpu == 0)
            atomic_store64(&l_code, new_code);
        if (cpu == z)
            role_z(r);
        else if (cpu != 0)
            role_y(cpu, r);
        percpu[cpu].units++;
        barrier();
        if (cpu == 0) {
            atomic_store64(&l_code, old_code);
            m_loc = 0;
        }
        barrier();
    }
}

u32 workload_report(void)
{
    u32 obs = 0;
    for (u32 c = 0; c < ncpus; c++)
        obs += percpu[c].violations;
    observed_rounds = obs;
    con_line("rounds", LROUNDS);
    con_line("litmus observations", observed_rounds);
    con_lock();
    con_puts("smp: checksum ");
    con_hex(checksum);
    con_puts("\n");
    con_unlock();
    ctl_cmd(CMD_RESULT, checksum);
    /* Observations are what the test measures, not a failure. */
    return 0;
}
