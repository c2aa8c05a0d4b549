/*
 * wl_xmc.c - cross-modifying code: CPU 0 rewrites a code sequence the
 * other CPUs then execute, following the IA-32 rule for cross-modifying
 * code (Intel SDM Vol. 3A 8.1.3, the rule seed 004 [0086] cites): the
 * modifier writes the code, then sets a flag; each executor waits until
 * it sees the flag, executes a serializing instruction (CPUID), and only
 * then runs the new code.  The modifier waits until every executor has
 * run generation g before it writes g + 1, so no code is rewritten while
 * another CPU may be executing it.
 *
 * Generation g is eight 5-byte instructions on EAX (add, xor or sub of
 * an immediate, or a rotate padded with NOPs) chosen from g, then RET;
 * every CPU runs it on input g and checks the result against the same
 * sequence interpreted in C.  A CPU that ran any other generation fails
 * the check: a violation.  The modifier runs its own new code too (self-
 * modifying code, Vol. 3A 8.1.1, after the stores and a branch).
 *
 * The checksum folds the expected results: the same for every number of
 * CPUs.
 */
#include "kern.h"

#ifndef ROUNDS
#define ROUNDS 24u
#endif
#define GENS (ROUNDS * 4u)
#define NOPS 8u

const char workload_name[] = "xmc";

static volatile u8 code[64] __attribute__((section(".xmc"), aligned(64)));
static volatile u32 flag, acks;
static u32 checksum;

static u32 op_hash(u32 g, u32 i)
{
    u32 x = g * 0x9E3779B9u + i * 0x7F4A7C15u;
    x ^= x >> 13;
    return x * 0x85EBCA6Bu;
}

/* Write generation g with byte stores (the modifier's side). */
static void write_code(u32 g)
{
    for (u32 i = 0; i < NOPS; i++) {
        u32 h = op_hash(g, i), imm = h >> 3;
        volatile u8 *c = code + 5 * i;
        static const u8 opc[3] = {0x05, 0x35, 0x2D}; /* add, xor, sub eax, imm32 */
        if ((h & 3) < 3) {
            c[0] = opc[h & 3];
            c[1] = (u8)imm;
            c[2] = (u8)(imm >> 8);
            c[3] = (u8)(imm >> 16);
            c[4] = (u8)(imm >> 24);
        } else {
            c[0] = 0xC1; /* rol eax, imm8 */
            c[1] = 0xC0;
            c[2] = (u8)(1 + imm % 31);
            c[3] = 0x90;
            c[4] = 0x90;
        }
    }
    code[5 * NOPS] = 0xC3;
}

/* The same sequence, interpreted. */
static u32 expect(u32 g, u32 x)
{
    for (u32 i = 0; i < NOPS; i++) {
        u32 h = op_hash(g, i), imm = h >> 3, r;
        switch (h & 3) {
        case 0:
            x += imm;
            break;
        case 1:
            x ^= imm;
            break;
        case 2:
            x -= imm;
            break;
        default:
            r = 1 + imm % 31;
            x = x << r | x >> (32 - r);
        }
    }
    return x;
}

static u32 run_code(u32 x)
{
    __asm__ volatile("call *%1" : "+a"(x) : "r"(code) : "memory", "cc");
    return x;
}

void workload_setup(void)
{
    code[0] = 0xC3;
}

void workload_run(u32 cpu)
{
    for (u32 g = 1; g <= GENS; g++) {
        if (cpu == 0) {
            while (acks != (ncpus - 1) * (g - 1))
                cpu_relax();
            write_code(g);
            if (run_code(g) != expect(g, g))
                percpu[cpu].violations++;
            checksum = checksum * 33 + expect(g, g);
            flag = g; /* after the code: stores are seen in order (Vol. 3A 8.2.2) */
        } else {
            while (flag != g)
                cpu_relax();
            serialize();
            if (run_code(g) != expect(g, g))
                percpu[cpu].violations++;
            atomic_xadd(&acks, 1);
        }
        percpu[cpu].units++;
    }
}

u32 workload_report(void)
{
    con_line("generations", GENS);
    con_lock();
    con_puts("smp: checksum ");
    con_hex(checksum);
    con_puts("\n");
    con_unlock();
    ctl_cmd(CMD_RESULT, checksum);
    for (u32 c = 0; c < ncpus; c++)
        if (percpu[c].violations)
            return 1;
    return 0;
}
