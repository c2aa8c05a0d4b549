/*
 * test_cache_flush.c - cache flush instructions on the hierarchy
 * (memsys_flush: WBINVD, INVD, CLFLUSH/fc, fc.i), outcomes worked out by
 * hand in the comments.
 */
#include <string.h>

#include "cunit_main.h"
#include "model/cache/memsys.h"

/* 64-byte L1 lines, 128-byte L2/L3 lines (the coherence unit); DRAM 240
 * cycles, no bandwidth limit.  Frames per core: L1I 16, L1D 16, L2 32;
 * the shared L3 128, so a one-core WBINVD walks 192 frames. */
static struct memsys *mk(unsigned cores)
{
    struct memsys_config m = {
        .l1i = {1024, 2, 64, 1, REPL_LRU, WRITE_BACK, false},
        .l1d = {1024, 2, 64, 1, REPL_LRU, WRITE_BACK, false},
        .l2 = {4096, 4, 128, 5, REPL_LRU, WRITE_BACK, false},
        .l3 = {16384, 4, 128, 14, REPL_LRU, WRITE_BACK, false},
        .coherence = {60, 20, 20},
        .dram = {240, 0, 100},
    };
    char err[128];
    struct memsys *ms = memsys_new(&m, cores, 1, err, sizeof(err));
    CU_ASSERT_PTR_NOT_NULL_FATAL(ms);
    return ms;
}

static struct mem_result acc(struct memsys *ms, unsigned core, uint64_t pa, enum mem_kind k)
{
    struct mem_result r;
    memsys_access(ms, core, pa, 8, k, 0, 1000, &r);
    return r;
}

/* Three dirty units and two clean ones: in L1D, L2 and L3 each (15 valid
 * lines; the L3 got them when they were read from DRAM). */
static void dirty3_clean2(struct memsys *ms)
{
    acc(ms, 0, 0x000, MEM_WRITE);
    acc(ms, 0, 0x080, MEM_WRITE);
    acc(ms, 0, 0x100, MEM_WRITE);
    acc(ms, 0, 0x1000, MEM_READ);
    acc(ms, 0, 0x1080, MEM_READ);
}

/* WBINVD: each dirty unit written once (the L2's dirty copy marks the L3
 * line dirty, the L3 walk writes it), every valid line dropped; cost: 192
 * frames walked, then the last write-back's DRAM latency: 192 + 240. */
static void test_wbinvd_writes_back_the_dirty_lines(void)
{
    struct memsys *ms = mk(1);
    dirty3_clean2(ms);
    struct flush_result fr;
    uint32_t lat = memsys_flush(ms, 0, 0, FLUSH_ALL_WRITEBACK, 2000, &fr);
    CU_ASSERT_EQUAL(fr.written_back, 3);
    CU_ASSERT_NOT_EQUAL(fr.written_back, 5);
    CU_ASSERT_EQUAL(fr.invalidated, 15);
    CU_ASSERT_EQUAL(fr.frames, 192);
    CU_ASSERT_EQUAL(lat, 192 + 240);
    CU_ASSERT_EQUAL(cache_occupancy(memsys_cache(ms, 0, "l1d")), 0);
    CU_ASSERT_EQUAL(cache_occupancy(memsys_cache(ms, 0, "l3")), 0);
    struct mem_result r = acc(ms, 0, 0x000, MEM_READ);
    CU_ASSERT_TRUE(r.l1_miss && r.l2_miss && r.l3_miss);
    CU_ASSERT_EQUAL(r.level, LEVEL_DRAM);
    /* Nothing dirty left: a second WBINVD writes nothing back. */
    memsys_flush(ms, 0, 0, FLUSH_ALL_WRITEBACK, 3000, &fr);
    CU_ASSERT_EQUAL(fr.written_back, 0);
    memsys_free(ms);
}

/* INVD: the same lines dropped, none written; cost: the walk alone. */
static void test_invd_discards(void)
{
    struct memsys *ms = mk(1);
    dirty3_clean2(ms);
    struct flush_result fr;
    uint32_t lat = memsys_flush(ms, 0, 0, FLUSH_ALL_DISCARD, 2000, &fr);
    CU_ASSERT_EQUAL(fr.written_back, 0);
    CU_ASSERT_EQUAL(fr.invalidated, 15);
    CU_ASSERT_EQUAL(lat, 192);
    CU_ASSERT_EQUAL(acc(ms, 0, 0x100, MEM_READ).level, LEVEL_DRAM);
    memsys_free(ms);
}

/* WBINVD empties the shared L3 but not another core's private caches. */
static void test_wbinvd_spares_other_cores(void)
{
    struct memsys *ms = mk(2);
    acc(ms, 1, 0x2000, MEM_WRITE);
    acc(ms, 0, 0x000, MEM_READ);
    memsys_flush(ms, 0, 0, FLUSH_ALL_WRITEBACK, 2000, NULL);
    CU_ASSERT_EQUAL(acc(ms, 1, 0x2000, MEM_READ).level, LEVEL_L1);
    CU_ASSERT_EQUAL(acc(ms, 0, 0x000, MEM_READ).level, LEVEL_DRAM);
    memsys_free(ms);
}

/*
 * CLFLUSH/fc of a line two cores share: c0 writes it (M), c1 reads it (c0
 * supplies it, the L3 gets the dirty data, both S).  A flush from c0 drops
 * it from both cores' L1D and L2 (4 lines) and the L3 (1), and writes the
 * L3's dirty copy (1).  Cost: its own L1D 1 + L2 5 + L3 14 lookups + 20 to
 * invalidate the other core's copy = 40.  Both cores then miss: c1 to
 * DRAM, c0 after it to the L3 (c1's clean copy supplies nothing).
 */
static void test_clflush_two_cores(void)
{
    struct memsys *ms = mk(2);
    acc(ms, 0, 0x200, MEM_WRITE);
    CU_ASSERT_EQUAL(acc(ms, 1, 0x200, MEM_READ).level, LEVEL_PEER);
    struct flush_result fr;
    uint32_t lat = memsys_flush(ms, 0, 0x208, FLUSH_LINE, 2000, &fr);
    CU_ASSERT_EQUAL(fr.invalidated, 5);
    CU_ASSERT_EQUAL(fr.written_back, 1);
    CU_ASSERT_EQUAL(lat, 1 + 5 + 14 + 20);
    CU_ASSERT_EQUAL(acc(ms, 1, 0x200, MEM_READ).level, LEVEL_DRAM);
    CU_ASSERT_EQUAL(acc(ms, 0, 0x200, MEM_READ).level, LEVEL_L3);
    memsys_free(ms);
}

/* A line dirty only in the other core's private caches: flushed from
 * there (L1D, L2), through the L3 copy (marked dirty, then dropped) to
 * DRAM once.  A neighbouring line of another unit stays. */
static void test_clflush_remote_dirty(void)
{
    struct memsys *ms = mk(2);
    acc(ms, 1, 0x300, MEM_WRITE);
    acc(ms, 1, 0x380, MEM_WRITE);
    struct flush_result fr;
    uint32_t lat = memsys_flush(ms, 0, 0x300, FLUSH_LINE, 2000, &fr);
    CU_ASSERT_EQUAL(fr.invalidated, 3);
    CU_ASSERT_EQUAL(fr.written_back, 1);
    CU_ASSERT_EQUAL(lat, 40);
    CU_ASSERT_EQUAL(acc(ms, 1, 0x380, MEM_READ).level, LEVEL_L1);
    CU_ASSERT_EQUAL(acc(ms, 1, 0x300, MEM_READ).level, LEVEL_DRAM);
    /* A line nobody holds: lookups only, nothing dropped or written. */
    lat = memsys_flush(ms, 0, 0x8000, FLUSH_LINE, 3000, &fr);
    CU_ASSERT_EQUAL(fr.invalidated + fr.written_back, 0);
    CU_ASSERT_EQUAL(lat, 1 + 5 + 14);
    memsys_free(ms);
}

/* fc.i: the L1I copy goes, the data stays: the next fetch hits the L2. */
static void test_fc_i(void)
{
    struct memsys *ms = mk(1);
    acc(ms, 0, 0x400, MEM_IFETCH);
    acc(ms, 0, 0x400, MEM_WRITE);
    struct flush_result fr;
    memsys_flush(ms, 0, 0x400, FLUSH_LINE_ICACHE, 2000, &fr);
    CU_ASSERT_EQUAL(fr.invalidated, 1);
    CU_ASSERT_EQUAL(fr.written_back, 0);
    CU_ASSERT_EQUAL(acc(ms, 0, 0x400, MEM_IFETCH).level, LEVEL_L2);
    CU_ASSERT_EQUAL(acc(ms, 0, 0x400, MEM_READ).level, LEVEL_L1);
    memsys_free(ms);
}

/* Bad core: nothing happens. */
static void test_bad_core(void)
{
    struct memsys *ms = mk(1);
    struct flush_result fr;
    CU_ASSERT_EQUAL(memsys_flush(ms, 3, 0, FLUSH_ALL_WRITEBACK, 0, &fr), 0);
    CU_ASSERT_EQUAL(fr.frames, 0);
    memsys_free(ms);
}

static CU_TestInfo tests[] = {
    {"WBINVD writes back exactly the dirty lines", test_wbinvd_writes_back_the_dirty_lines},
    {"INVD discards dirty data", test_invd_discards},
    {"WBINVD spares other cores' private caches", test_wbinvd_spares_other_cores},
    {"CLFLUSH/fc across two cores", test_clflush_two_cores},
    {"CLFLUSH/fc of a line dirty in another core", test_clflush_remote_dirty},
    {"fc.i drops the L1I copy only", test_fc_i},
    {"bad core", test_bad_core},
    CU_TEST_INFO_NULL,
};

CUNIT_MAIN("cache_flush", tests)
