/*
 * test_cache.c - caches, replacement, MESI and the hierarchy, against
 * outcomes worked out by hand (in the comments) and a naive reference.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cunit_main.h"
#include "model/base/rng.h"
#include "model/cache/memsys.h"

static struct rng rng;

static void mk(struct cache *c, uint64_t size, uint64_t ways, uint64_t line, int repl)
{
    struct cache_config cfg = {
        .size = size, .ways = ways, .line = line, .latency = 1, .replacement = repl};
    char err[128];
    rng_seed(&rng, 1);
    CU_ASSERT_EQUAL_FATAL(cache_init(c, "t", &cfg, &rng, err, sizeof(err)), 0);
}

/* A read through one cache: hit (touch) or miss (fill).  Returns hit. */
static bool touch_line(struct cache *c, uint64_t la, uint64_t *victim_tag)
{
    int w = cache_lookup(c, la);
    if (w >= 0) {
        cache_touch(c, la, w);
        return true;
    }
    struct cache_line v;
    if (cache_fill(c, la, MESI_E, &v) && victim_tag)
        *victim_tag = v.tag;
    return false;
}

/* One set of 4 ways (256 bytes of 64-byte lines); lines A=0 B=1 C=2 D=3.
 * Fill A B C D, touch A, then insert E and F.
 *   LRU order after touching A: B C D A -> E evicts B, F evicts C.
 *   tree-PLRU (bits: root, left pair, right pair; 0 = victim on the left):
 *     after A B C D: root 0, left 0, right 0; touch A: root 1, left 1;
 *     E: root 1 -> right pair, right 0 -> way 2 = C; touch way 2: root 0, right 1;
 *     F: root 0 -> left pair, left 1 -> way 1 = B. */
static void test_lru_and_plru_victims(void)
{
    struct cache c;
    uint64_t v = 99;
    mk(&c, 256, 4, 64, REPL_LRU);
    for (uint64_t la = 0; la < 4; la++)
        CU_ASSERT_FALSE(touch_line(&c, la, NULL));
    CU_ASSERT_TRUE(touch_line(&c, 0, NULL));
    CU_ASSERT_FALSE(touch_line(&c, 4, &v));
    CU_ASSERT_EQUAL(v, 1);
    CU_ASSERT_FALSE(touch_line(&c, 5, &v));
    CU_ASSERT_EQUAL(v, 2);
    cache_free(&c);

    mk(&c, 256, 4, 64, REPL_PLRU);
    for (uint64_t la = 0; la < 4; la++)
        CU_ASSERT_FALSE(touch_line(&c, la, NULL));
    CU_ASSERT_TRUE(touch_line(&c, 0, NULL));
    CU_ASSERT_FALSE(touch_line(&c, 4, &v));
    CU_ASSERT_EQUAL(v, 2);
    CU_ASSERT_FALSE(touch_line(&c, 5, &v));
    CU_ASSERT_EQUAL(v, 1);
    /* The checks can fail: PLRU's first victim is not LRU's. */
    CU_ASSERT_NOT_EQUAL(v, 2);
    cache_free(&c);
}

static void test_random_is_seeded(void)
{
    uint64_t seq[3][64];
    for (int run = 0; run < 3; run++) {
        struct cache c;
        struct cache_config cfg = {
            .size = 256, .ways = 4, .line = 64, .latency = 1, .replacement = REPL_RANDOM};
        char err[64];
        rng_seed(&rng, run == 2 ? 7 : 3);
        CU_ASSERT_EQUAL_FATAL(cache_init(&c, "r", &cfg, &rng, err, sizeof(err)), 0);
        for (uint64_t i = 0; i < 64 + 4; i++) {
            uint64_t v = 0;
            touch_line(&c, 100 + i, &v);
            if (i >= 4)
                seq[run][i - 4] = v;
        }
        cache_free(&c);
    }
    CU_ASSERT_EQUAL(memcmp(seq[0], seq[1], sizeof(seq[0])), 0);
    CU_ASSERT_NOT_EQUAL(memcmp(seq[0], seq[2], sizeof(seq[0])), 0);
}

/* Known miss counts for streams on 1 KiB, 4-way, 64-byte lines (4 sets). */
static void test_stream_miss_counts(void)
{
    struct cache c;
    unsigned misses = 0;
    mk(&c, 1024, 4, 64, REPL_LRU);
    /* 32 lines (twice the capacity), twice: LRU misses every time. */
    for (int pass = 0; pass < 2; pass++)
        for (uint64_t la = 0; la < 32; la++)
            misses += !touch_line(&c, la, NULL);
    CU_ASSERT_EQUAL(misses, 64);
    cache_free(&c);

    mk(&c, 1024, 4, 64, REPL_LRU);
    misses = 0;
    /* 16 lines fit: 16 cold misses, then 16 hits. */
    for (int pass = 0; pass < 2; pass++)
        for (uint64_t la = 200; la < 216; la++)
            misses += !touch_line(&c, la, NULL);
    CU_ASSERT_EQUAL(misses, 16);
    cache_free(&c);

    mk(&c, 1024, 4, 64, REPL_LRU);
    misses = 0;
    /* Stride of the set span: 5 lines in one 4-way set, cycled: all miss. */
    for (int pass = 0; pass < 4; pass++)
        for (uint64_t k = 0; k < 5; k++)
            misses += !touch_line(&c, k * 4, NULL);
    CU_ASSERT_EQUAL(misses, 20);
    cache_free(&c);
}

/* A naive LRU reference: per set, a list of line addresses, most recent first. */
static void test_against_reference(void)
{
    enum { SETS = 8, WAYS = 4 };
    uint64_t ref[SETS][WAYS];
    unsigned nref[SETS] = {0};
    struct cache c;
    struct rng r;
    unsigned disagree = 0, hits = 0;
    mk(&c, SETS * WAYS * 64, WAYS, 64, REPL_LRU);
    rng_seed(&r, 42);
    for (int i = 0; i < 20000; i++) {
        uint64_t la = rng_below(&r, 64);
        unsigned s = la % SETS, pos = WAYS;
        for (unsigned k = 0; k < nref[s]; k++)
            if (ref[s][k] == la)
                pos = k;
        bool ref_hit = pos < WAYS;
        if (!ref_hit)
            pos = nref[s] < WAYS ? nref[s]++ : WAYS - 1;
        memmove(&ref[s][1], &ref[s][0], pos * sizeof(ref[s][0]));
        ref[s][0] = la;
        bool hit = touch_line(&c, la, NULL);
        disagree += hit != ref_hit;
        hits += hit;
    }
    CU_ASSERT_EQUAL(disagree, 0);
    CU_ASSERT_TRUE(hits > 5000 && hits < 15000);
    cache_free(&c);
}

/* Every (state, event) pair, written independently from Culler & Singh's
 * MESI diagram. */
static void test_mesi_table(void)
{
    struct {
        uint8_t st;
        enum mesi_event ev;
        bool shared;
        uint8_t next;
        enum mesi_action act;
    } rows[] = {
        {MESI_I, MESI_PR_RD, false, MESI_E, MESI_ACT_BUS_RD},
        {MESI_I, MESI_PR_RD, true, MESI_S, MESI_ACT_BUS_RD},
        {MESI_I, MESI_PR_WR, false, MESI_M, MESI_ACT_BUS_RDX},
        {MESI_I, MESI_BUS_RD, false, MESI_I, MESI_ACT_NONE},
        {MESI_I, MESI_BUS_RDX, false, MESI_I, MESI_ACT_NONE},
        {MESI_I, MESI_BUS_UPGR, false, MESI_I, MESI_ACT_NONE},
        {MESI_S, MESI_PR_RD, false, MESI_S, MESI_ACT_NONE},
        {MESI_S, MESI_PR_WR, false, MESI_M, MESI_ACT_BUS_UPGR},
        {MESI_S, MESI_BUS_RD, false, MESI_S, MESI_ACT_NONE},
        {MESI_S, MESI_BUS_RDX, false, MESI_I, MESI_ACT_NONE},
        {MESI_S, MESI_BUS_UPGR, false, MESI_I, MESI_ACT_NONE},
        {MESI_E, MESI_PR_RD, false, MESI_E, MESI_ACT_NONE},
        {MESI_E, MESI_PR_WR, false, MESI_M, MESI_ACT_NONE},
        {MESI_E, MESI_BUS_RD, false, MESI_S, MESI_ACT_NONE},
        {MESI_E, MESI_BUS_RDX, false, MESI_I, MESI_ACT_NONE},
        {MESI_E, MESI_BUS_UPGR, false, MESI_I, MESI_ACT_NONE},
        {MESI_M, MESI_PR_RD, false, MESI_M, MESI_ACT_NONE},
        {MESI_M, MESI_PR_WR, false, MESI_M, MESI_ACT_NONE},
        {MESI_M, MESI_BUS_RD, false, MESI_S, MESI_ACT_FLUSH},
        {MESI_M, MESI_BUS_RDX, false, MESI_I, MESI_ACT_FLUSH},
        {MESI_M, MESI_BUS_UPGR, false, MESI_I, MESI_ACT_FLUSH},
    };
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        enum mesi_action a;
        uint8_t n = mesi_next(rows[i].st, rows[i].ev, rows[i].shared, &a);
        if (n != rows[i].next || a != rows[i].act)
            fprintf(stderr, "\nrow %zu: %s ev %d -> %s act %d\n", i, mesi_state_name(rows[i].st),
                    rows[i].ev, mesi_state_name(n), a);
        CU_ASSERT_EQUAL(n, rows[i].next);
        CU_ASSERT_EQUAL(a, rows[i].act);
    }
    enum mesi_action a;
    CU_ASSERT_EQUAL(mesi_next(9, MESI_PR_RD, false, &a), MESI_I); /* bad input */
    CU_ASSERT_NOT_EQUAL(mesi_next(MESI_S, MESI_PR_WR, false, &a), MESI_S);
}

static struct memsys_config small_config(void)
{
    struct memsys_config m = {
        .l1i = {1024, 2, 64, 1, REPL_LRU, WRITE_BACK, false},
        .l1d = {1024, 2, 64, 1, REPL_LRU, WRITE_BACK, false},
        .l2 = {4096, 4, 128, 5, REPL_LRU, WRITE_BACK, false},
        .l3 = {16384, 4, 128, 14, REPL_LRU, WRITE_BACK, false},
        .coherence = {60, 20, 20},
        .dram = {240, 0, 100},
    };
    return m;
}

static uint64_t stat_of(struct memsys *ms, unsigned core, const char *lv, size_t off)
{
    struct cache *c = memsys_cache(ms, core, lv);
    return *(uint64_t *)((char *)&c->st + off);
}

#define ST(ms, core, lv, field) stat_of(ms, core, lv, offsetof(struct cache_stats, field))

/* Two cores on one line; latencies and counts worked out in the text:
 * 1 c0 write: miss everywhere, DRAM: 1+5+14+240 = 260, c0 M
 * 2 c1 read: c0 supplies (c2c) and drops to S: 1+5+60 = 66
 * 3 c0 write: L1 hit on S, upgrade invalidates c1: 1+20 = 21
 * 4 c1 write: misses, c0 supplies and is invalidated: 1+5+20+60 = 86
 * 5 c0 read: c1 supplies, drops to S: 1+5+60 = 66 */
static void test_ping_pong(void)
{
    char err[128];
    struct memsys_config cfg = small_config();
    struct memsys *ms = memsys_new(&cfg, 2, 1, err, sizeof(err));
    CU_ASSERT_PTR_NOT_NULL_FATAL(ms);
    const uint64_t X = 0x1000;
    struct mem_result r;
    CU_ASSERT_EQUAL(memsys_access(ms, 0, X, 8, MEM_WRITE, 0, 0, &r), 260);
    CU_ASSERT_EQUAL(r.level, LEVEL_DRAM);
    CU_ASSERT_EQUAL(memsys_access(ms, 1, X, 8, MEM_READ, 0, 300, &r), 66);
    CU_ASSERT_EQUAL(r.level, LEVEL_PEER);
    CU_ASSERT_EQUAL(memsys_access(ms, 0, X, 8, MEM_WRITE, 0, 400, &r), 21);
    CU_ASSERT_EQUAL(memsys_access(ms, 1, X, 8, MEM_WRITE, 0, 500, &r), 86);
    CU_ASSERT_EQUAL(memsys_access(ms, 0, X, 8, MEM_READ, 0, 600, &r), 66);
    CU_ASSERT_EQUAL(ST(ms, 0, "l2", inval_received), 1);
    CU_ASSERT_EQUAL(ST(ms, 0, "l2", inval_sent), 1);
    CU_ASSERT_EQUAL(ST(ms, 0, "l2", c2c_supplied), 2);
    CU_ASSERT_EQUAL(ST(ms, 0, "l2", upgrades), 1);
    CU_ASSERT_EQUAL(ST(ms, 1, "l2", inval_received), 1);
    CU_ASSERT_EQUAL(ST(ms, 1, "l2", inval_sent), 1);
    CU_ASSERT_EQUAL(ST(ms, 1, "l2", c2c_supplied), 1);
    CU_ASSERT_EQUAL(ST(ms, 1, "l2", upgrades), 0);
    /* Only step 1 went to DRAM; nothing was written back to it. */
    CU_ASSERT_EQUAL(ST(ms, 0, "l3", misses[MEM_WRITE]), 1);
    /* A remote write also invalidates L1I copies: code stays coherent. */
    memsys_access(ms, 1, 0x8000, 4, MEM_IFETCH, 0, 700, &r);
    memsys_access(ms, 0, 0x8000, 4, MEM_WRITE, 0, 800, &r);
    CU_ASSERT_EQUAL(memsys_access(ms, 1, 0x8000, 4, MEM_IFETCH, 0, 900, &r), 1 + 5 + 60);
    memsys_free(ms);
}

static void test_write_through_and_uncached(void)
{
    char err[128];
    struct memsys_config cfg = small_config();
    cfg.l1d.write_policy = WRITE_THROUGH;
    struct memsys *ms = memsys_new(&cfg, 1, 1, err, sizeof(err));
    CU_ASSERT_PTR_NOT_NULL_FATAL(ms);
    struct cache *l1 = memsys_cache(ms, 0, "l1d"), *l2 = memsys_cache(ms, 0, "l2");
    memsys_access(ms, 0, 0x2000, 8, MEM_READ, 0, 0, NULL);
    CU_ASSERT_EQUAL(memsys_access(ms, 0, 0x2000, 8, MEM_WRITE, 0, 10, NULL), 1);
    int w = cache_lookup(l1, cache_line_of(l1, 0x2000));
    CU_ASSERT_TRUE_FATAL(w >= 0);
    CU_ASSERT_NOT_EQUAL(cache_line_at(l1, cache_line_of(l1, 0x2000), w)->state, MESI_M);
    w = cache_lookup(l2, cache_line_of(l2, 0x2000));
    CU_ASSERT_TRUE_FATAL(w >= 0);
    CU_ASSERT_EQUAL(cache_line_at(l2, cache_line_of(l2, 0x2000), w)->state, MESI_M);
    /* A write miss does not allocate in the write-through L1D. */
    memsys_access(ms, 0, 0x3000, 8, MEM_WRITE, 0, 20, NULL);
    CU_ASSERT_EQUAL(cache_lookup(l1, cache_line_of(l1, 0x3000)), -1);
    CU_ASSERT_TRUE(cache_lookup(l2, cache_line_of(l2, 0x3000)) >= 0);

    CU_ASSERT_EQUAL(memsys_add_uncacheable(ms, 0xF0000000, 4096), 0);
    uint64_t before = l1->st.accesses;
    struct mem_result r;
    CU_ASSERT_EQUAL(memsys_access(ms, 0, 0xF0000010, 4, MEM_READ, 0, 30, &r), 100);
    CU_ASSERT_EQUAL(r.level, LEVEL_UNCACHED);
    CU_ASSERT_EQUAL(l1->st.accesses, before);
    memsys_free(ms);
}

static void test_latencies_and_bandwidth(void)
{
    char err[128];
    struct memsys_config cfg = small_config();
    cfg.dram.bandwidth = 16; /* a 128-byte line occupies the channel 8 cycles */
    struct memsys *ms = memsys_new(&cfg, 1, 1, err, sizeof(err));
    CU_ASSERT_PTR_NOT_NULL_FATAL(ms);
    /* Three misses at the same time queue: waits 0, 8, 16. */
    CU_ASSERT_EQUAL(memsys_access(ms, 0, 0x10000, 8, MEM_READ, 0, 1000, NULL), 260);
    CU_ASSERT_EQUAL(memsys_access(ms, 0, 0x20000, 8, MEM_READ, 0, 1000, NULL), 268);
    CU_ASSERT_EQUAL(memsys_access(ms, 0, 0x30000, 8, MEM_READ, 0, 1000, NULL), 276);
    /* All three map to L1D set 0 (2 ways): 0x10000 left the L1 but not the
     * 4-way L2.  0x10040 shares the 128-byte L2 line of 0x10000. */
    CU_ASSERT_EQUAL(memsys_access(ms, 0, 0x30000, 8, MEM_READ, 0, 2000, NULL), 1);
    CU_ASSERT_EQUAL(memsys_access(ms, 0, 0x10000, 8, MEM_READ, 0, 2000, NULL), 1 + 5);
    CU_ASSERT_EQUAL(memsys_access(ms, 0, 0x10040, 8, MEM_READ, 0, 2000, NULL), 1 + 5);
    /* A line crossing costs the slower half: 0x20040 is in L2, 0x20080 nowhere. */
    CU_ASSERT_EQUAL(memsys_access(ms, 0, 0x2007c, 8, MEM_READ, 0, 3000, NULL), 260);
    CU_ASSERT_EQUAL(memsys_access(ms, 0, 0x1003c, 8, MEM_READ, 0, 3000, NULL), 1);
    memsys_free(ms);

    /* Bad geometry is an error, not a crash. */
    cfg = small_config();
    cfg.l2.ways = 3;
    CU_ASSERT_PTR_NULL(memsys_new(&cfg, 1, 1, err, sizeof(err)));
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "power-of-two number of sets"));
    cfg = small_config();
    cfg.l1d.line = 256;
    CU_ASSERT_PTR_NULL(memsys_new(&cfg, 1, 1, err, sizeof(err)));
    cfg = small_config();
    cfg.l2.replacement = REPL_PLRU;
    cfg.l2.ways = 4;
    CU_ASSERT_PTR_NOT_NULL(ms = memsys_new(&cfg, 1, 1, err, sizeof(err)));
    memsys_free(ms);
}

static CU_TestInfo tests[] = {
    {"LRU and tree-PLRU victims", test_lru_and_plru_victims},
    {"random replacement is seeded", test_random_is_seeded},
    {"stream miss counts", test_stream_miss_counts},
    {"against a naive LRU reference", test_against_reference},
    {"MESI transitions", test_mesi_table},
    {"two-core ping-pong", test_ping_pong},
    {"write-through L1D, uncached ranges", test_write_through_and_uncached},
    {"latencies and DRAM bandwidth", test_latencies_and_bandwidth},
    CU_TEST_INFO_NULL,
};

CUNIT_MAIN("cache", tests)
