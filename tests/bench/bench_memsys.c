/*
 * bench_memsys.c - accesses per host second through the memory hierarchy
 * on three fixed streams: L1 hits, L2 hits (L1 misses), DRAM (misses
 * everywhere), on the default Itanium 2 hierarchy.  Run by scripts/bench;
 * never a test (speed is measured, not asserted).
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "model/cache/memsys.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static struct memsys_config itanium2(void)
{
    struct memsys_config m = {
        .l1i = {16384, 4, 64, 1, REPL_LRU, WRITE_BACK, false},
        .l1d = {16384, 4, 64, 1, REPL_LRU, WRITE_THROUGH, false},
        .l2 = {262144, 8, 128, 5, REPL_LRU, WRITE_BACK, false},
        .l3 = {6291456, 24, 128, 14, REPL_LRU, WRITE_BACK, false},
        .coherence = {60, 20, 20},
        .dram = {240, 0, 240},
    };
    return m;
}

/* Run n accesses over a working set of `span` bytes with `stride`. */
static void run(const char *name, uint64_t span, uint64_t stride, uint64_t n)
{
    char err[128];
    struct memsys_config cfg = itanium2();
    struct memsys *ms = memsys_new(&cfg, 1, 1, err, sizeof(err));
    if (!ms) {
        fprintf(stderr, "bench_memsys: %s\n", err);
        return;
    }
    uint64_t addr = 0, cycles = 0, sum = 0;
    for (uint64_t i = 0; i < span / stride; i++) /* warm up */
        memsys_access(ms, 0, (i * stride) % span, 8, MEM_READ, 0, 0, NULL);
    double t0 = now_s();
    for (uint64_t i = 0; i < n; i++) {
        sum += memsys_access(ms, 0, addr, 8, MEM_READ, 0, cycles, NULL);
        cycles += 1;
        addr += stride;
        if (addr >= span)
            addr = 0;
    }
    double dt = now_s() - t0;
    printf("memsys %-8s %8.2f M accesses/s  (mean latency %.1f cycles)\n", name,
           (double)n / dt / 1e6, (double)sum / (double)n);
    memsys_free(ms);
}

int main(int argc, char **argv)
{
    uint64_t scale = argc > 1 && strcmp(argv[1], "--quick") == 0 ? 1 : 10;
    run("l1_hit", 8 * 1024, 8, 2000000 * scale);
    run("l2_hit", 128 * 1024, 64, 1000000 * scale);
    run("dram", 64ull << 20, 128, 200000 * scale);
    return 0;
}
