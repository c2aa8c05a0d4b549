/*
 * vq_ref.c - a reference model of the IA-64 VM-quanta workloads
 * (workloads/ia64/quanta, docs/workloads-vq.md): each kernel's
 * computation written again in C, printing the console lines the guest
 * prints.  IA-64 has no QEMU oracle; this plays its part, so a model that
 * computes wrongly, or a kernel edited without its .expected file, fails
 * the test (the IA-32 builds are checked against QEMU instead).
 *
 * Usage: vq_ref KERNEL UNITS.  Exit status 2 on an unknown kernel.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WEYL 0x9e3779b97f4a7c15ull

static uint64_t xorshift(uint64_t x)
{
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return x;
}

/* warm.s: four windows of 1,024 words, 64 KiB apart. */
static uint64_t warm_arena[4 * 65536 / 8];

static void warm_init(void)
{
    uint64_t v = 0;
    for (size_t i = 0; i < sizeof warm_arena / 8; i++) {
        v += WEYL;
        warm_arena[i] = v;
    }
}

static uint64_t warm_unit(uint64_t u)
{
    uint64_t *w = warm_arena + ((u >> 3) & 3) * (65536 / 8), s = u;
    for (int pass = 0; pass < 4; pass++) {
        for (int i = 0; i < 1024; i++) {
            s = s * 31 + w[i];
            w[i] += s >> 11;
        }
    }
    return s;
}

/* stream.s: 256 chunks of 4,096 words. */
static uint64_t stream_buf[256 * 4096];

static void stream_init(void) {}

static uint64_t stream_unit(uint64_t u)
{
    uint64_t *c = stream_buf + (u & 255) * 4096, s = u;
    for (uint64_t i = 0; i < 4096; i++) {
        uint64_t v = c[i] + i + u;
        c[i] = v;
        s = (s ^ v) + (s << 3);
    }
    return s;
}

/* exits.s: four periods of 1,024 xorshift steps; the PSR reads leave no trace. */
static void exits_init(void) {}

static uint64_t exits_unit(uint64_t u)
{
    uint64_t s = u + WEYL;
    for (int i = 0; i < 4 * 1024; i++)
        s = xorshift(s);
    return s;
}

/* flush.s: two windows of 16,384 words; fc changes no value. */
static uint64_t flush_arena[2 * 16384];

static void flush_init(void)
{
    for (uint64_t i = 0; i < 2 * 16384; i++)
        flush_arena[i] = i ^ 0x5a5a5a5a5a5a5a5aull;
}

static uint64_t flush_unit(uint64_t u)
{
    uint64_t *w = flush_arena + ((u >> 3) & 1) * 16384, s = u;
    for (int pass = 0; pass < 2; pass++) {
        for (int line = 0; line < 2048; line++) {
            s = s * 33 + w[line * 8];
            w[line * 8 + 4] = s;
        }
    }
    return s;
}

/* branchy.s: 64 handlers over eight registers in memory; hist lives
 * across units. */
static uint64_t br_regs[8], br_hist[16];
static uint8_t br_prog[256];

static void branchy_init(void) {}

static void branchy_op(unsigned n)
{
    uint64_t a = br_regs[n % 8], b = br_regs[n / 8];
    switch (n % 4) {
    case 0:
        a = a + b + n;
        break;
    case 1:
        a ^= b;
        break;
    case 2:
        a = (a << (n % 3 + 1)) + b;
        break;
    default:
        a = (a - b) >> 1;
        break;
    }
    if (a >> (n % 13) & 1)
        br_hist[n % 16] += a;
    br_regs[n % 8] = a;
}

static uint64_t branchy_unit(uint64_t u)
{
    uint64_t s = 0;
    if ((u & 15) == 0) {
        uint64_t x = (u >> 4) + WEYL, op = x & 63, c = (x >> 8 & 63) | 1;
        for (int i = 0; i < 255; i++) {
            x = xorshift(x);
            op = (x >> 40 & 7) == 0 ? x >> 20 & 63 : (op + c) & 63;
            br_prog[i] = (uint8_t)op;
        }
        br_prog[255] = 64;
    }
    br_regs[0] = u;
    for (unsigned i = 1; i < 8; i++)
        br_regs[i] = i;
    for (int pass = 0; pass < 8; pass++) {
        uint64_t x = 0;
        for (const uint8_t *pc = br_prog; *pc != 64; pc++)
            branchy_op(*pc);
        for (int i = 0; i < 8; i++)
            x ^= br_regs[i];
        s += x;
    }
    for (int i = 0; i < 16; i++)
        s ^= br_hist[i];
    return s;
}

static const struct kernel {
    const char *name;
    void (*init)(void);
    uint64_t (*unit)(uint64_t u);
} kernels[] = {
    {"warm", warm_init, warm_unit},          {"stream", stream_init, stream_unit},
    {"branchy", branchy_init, branchy_unit}, {"exits", exits_init, exits_unit},
    {"flush", flush_init, flush_unit},
};

int main(int argc, char **argv)
{
    const struct kernel *k = NULL;
    for (size_t i = 0; argc == 3 && i < sizeof kernels / sizeof kernels[0]; i++)
        if (strcmp(argv[1], kernels[i].name) == 0)
            k = &kernels[i];
    if (!k) {
        fprintf(stderr, "usage: vq_ref warm|stream|branchy|exits|flush UNITS\n");
        return 2;
    }
    uint64_t units = strtoull(argv[2], NULL, 0), sum = 0;
    printf("vq %s: units %llu batch 4\n", k->name, (unsigned long long)units);
    k->init();
    for (uint64_t u = 0; u < units; u++)
        sum = (sum << 5 | sum >> 59) ^ k->unit(u);
    printf("vq %s: done %llu units checksum 0x%016llx\n", k->name, (unsigned long long)units,
           (unsigned long long)sum);
    return 0;
}
