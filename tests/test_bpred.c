/*
 * test_bpred.c - branch prediction against hand-worked traces.
 */
#include <string.h>

#include "cunit_main.h"
#include "model/cpu/bpred/bpred.h"

static struct bpred mk(int dir, unsigned hist, unsigned btb_entries, unsigned btb_ways, bool tag_vm,
                       unsigned ras)
{
    struct bpred bp;
    struct bpred_config c = {.btb_entries = btb_entries,
                             .btb_ways = btb_ways,
                             .btb_tag_vm = tag_vm,
                             .direction = dir,
                             .table_entries = 16,
                             .history_bits = hist,
                             .ras_depth = ras};
    char err[128];
    CU_ASSERT_EQUAL(bpred_init(&bp, &c, err, sizeof(err)), 0);
    return bp;
}

/* One branch, outcomes T T N T; counter from 1 (weakly not taken):
 *   T: predicts N (1) -> miss, 2;  T: predicts T, BTB has it -> hit, 3;
 *   N: predicts T -> miss, 2;      T: predicts T -> hit, 3.  */
static void test_bimodal_walk(void)
{
    struct bpred bp = mk(DIR_BIMODAL, 0, 16, 4, false, 4);
    const bool outcome[] = {true, true, false, true};
    const bool expect_miss[] = {true, false, true, false};
    for (int i = 0; i < 4; i++)
        CU_ASSERT_EQUAL(bpred_resolve(&bp, 0x40, BR_COND, outcome[i], 0x80, 0x44, 0),
                        expect_miss[i]);
    CU_ASSERT_EQUAL(bp.st.cond_mispredicts, 2);
    CU_ASSERT_EQUAL(bp.st.mispredicts, 2);
    CU_ASSERT_NOT_EQUAL(bp.st.mispredicts, 1);
    bpred_free(&bp);
}

/* Alternating T/N, 100 times.  Bimodal: the counter swings 1 <-> 2 and
 * predicts the opposite every time: 100 mispredictions.  gshare with one
 * history bit: only the first branch is missed (worked out step by step:
 * index 0 learns T, index 1 learns N). */
static void test_gshare_learns_alternation(void)
{
    struct bpred bim = mk(DIR_BIMODAL, 0, 16, 4, false, 4);
    struct bpred gs = mk(DIR_GSHARE, 1, 16, 4, false, 4);
    for (int i = 0; i < 100; i++) {
        bool t = i % 2 == 0;
        bpred_resolve(&bim, 0, BR_COND, t, 0x100, 0x10, 0);
        bpred_resolve(&gs, 0, BR_COND, t, 0x100, 0x10, 0);
    }
    CU_ASSERT_EQUAL(bim.st.mispredicts, 100);
    CU_ASSERT_EQUAL(gs.st.mispredicts, 1);
    bpred_free(&bim);
    bpred_free(&gs);
}

static void test_btb_aliasing_and_capacity(void)
{
    /* Untagged: VM 2's target for the same address replaces VM 1's. */
    struct bpred bp = mk(DIR_BIMODAL, 0, 16, 4, false, 4);
    CU_ASSERT_TRUE(bpred_resolve(&bp, 0x500, BR_UNCOND, true, 0x900, 0, 1));
    CU_ASSERT_FALSE(bpred_resolve(&bp, 0x500, BR_UNCOND, true, 0x900, 0, 1));
    CU_ASSERT_TRUE(bpred_resolve(&bp, 0x500, BR_UNCOND, true, 0xa00, 0, 2));
    CU_ASSERT_TRUE(bpred_resolve(&bp, 0x500, BR_UNCOND, true, 0x900, 0, 1));
    CU_ASSERT_EQUAL(bpred_btb_occupancy(&bp, 1), 1);
    bpred_free(&bp);

    /* Tagged by VM: both keep their own entry. */
    bp = mk(DIR_BIMODAL, 0, 16, 4, true, 4);
    bpred_resolve(&bp, 0x500, BR_UNCOND, true, 0x900, 0, 1);
    bpred_resolve(&bp, 0x500, BR_UNCOND, true, 0xa00, 0, 2);
    CU_ASSERT_FALSE(bpred_resolve(&bp, 0x500, BR_UNCOND, true, 0x900, 0, 1));
    CU_ASSERT_FALSE(bpred_resolve(&bp, 0x500, BR_UNCOND, true, 0xa00, 0, 2));
    CU_ASSERT_EQUAL(bpred_btb_occupancy(&bp, 1), 1);
    CU_ASSERT_EQUAL(bpred_btb_occupancy(&bp, 2), 1);
    bpred_btb_flush(&bp, 2);
    CU_ASSERT_EQUAL(bpred_btb_occupancy(&bp, 2), 0);
    CU_ASSERT_EQUAL(bpred_btb_occupancy(&bp, 1), 1);
    bpred_free(&bp);

    /* Capacity: 2 ways, 3 branches in one set, cycled: LRU misses each time. */
    bp = mk(DIR_BIMODAL, 0, 2, 2, false, 4);
    unsigned misses = 0;
    for (int round = 0; round < 5; round++)
        for (uint64_t b = 0; b < 3; b++)
            misses += bpred_resolve(&bp, b * 2, BR_UNCOND, true, 0x1000 + b, 0, 0);
    CU_ASSERT_EQUAL(misses, 15);
    CU_ASSERT_EQUAL(bp.st.btb_hits, 0);
    bpred_free(&bp);
}

/* Depth 2: calls A, B, C overwrite A; returns: C ok, B ok, then empty. */
static void test_return_stack(void)
{
    struct bpred bp = mk(DIR_BIMODAL, 0, 16, 4, false, 2);
    bpred_resolve(&bp, 0x10, BR_CALL, true, 0x1000, 0x14, 0);
    bpred_resolve(&bp, 0x20, BR_CALL, true, 0x2000, 0x24, 0);
    bpred_resolve(&bp, 0x30, BR_CALL, true, 0x3000, 0x34, 0);
    CU_ASSERT_FALSE(bpred_resolve(&bp, 0x3100, BR_RET, true, 0x34, 0, 0));
    CU_ASSERT_FALSE(bpred_resolve(&bp, 0x2100, BR_RET, true, 0x24, 0, 0));
    CU_ASSERT_TRUE(bpred_resolve(&bp, 0x1100, BR_RET, true, 0x14, 0, 0));
    CU_ASSERT_EQUAL(bp.st.ras_hits, 2);
    CU_ASSERT_EQUAL(bp.st.ras_mispredicts, 1);
    /* A return to somewhere else is a misprediction. */
    bpred_resolve(&bp, 0x40, BR_CALL, true, 0x4000, 0x44, 0);
    CU_ASSERT_TRUE(bpred_resolve(&bp, 0x4100, BR_RET, true, 0x48, 0, 0));
    bpred_free(&bp);
}

/* IA-64 branch addresses are bundle | slot: with the raw address 16 bundles
 * in a row share one set; with the front end's shift of 4 they spread over
 * 16 sets, and slots of one bundle do not collide in the direction table. */
static void test_index_shift(void)
{
    struct bpred raw = mk(DIR_BIMODAL, 0, 64, 1, false, 4);
    struct bpred sh = mk(DIR_BIMODAL, 0, 64, 1, false, 4);
    bpred_set_index_shift(&sh, 4);
    for (uint64_t b = 0; b < 16; b++) {
        bpred_resolve(&raw, 0x1000 + 16 * b + 2, BR_UNCOND, true, 0x2000 + b, 0, 0);
        bpred_resolve(&sh, 0x1000 + 16 * b + 2, BR_UNCOND, true, 0x2000 + b, 0, 0);
    }
    /* Direct-mapped, 64 sets: with the raw address, addresses 16 bytes
     * apart use one set in 16 (4 entries survive); shifted, all 16 do. */
    CU_ASSERT_EQUAL(bpred_btb_occupancy(&raw, 0), 4);
    CU_ASSERT_EQUAL(bpred_btb_occupancy(&sh, 0), 16);
    unsigned misses = 0;
    for (uint64_t b = 0; b < 16; b++)
        misses += bpred_resolve(&sh, 0x1000 + 16 * b + 2, BR_UNCOND, true, 0x2000 + b, 0, 0);
    CU_ASSERT_EQUAL(misses, 0);
    bpred_free(&raw);
    bpred_free(&sh);
    /* Two conditional branches in one bundle (slots 1, 2) with opposite
     * outcomes train separate counters. */
    struct bpred d = mk(DIR_BIMODAL, 0, 64, 4, false, 4);
    bpred_set_index_shift(&d, 4);
    for (int i = 0; i < 4; i++) {
        bpred_resolve(&d, 0x3001, BR_COND, true, 0x4000, 0, 0);
        bpred_resolve(&d, 0x3002, BR_COND, false, 0, 0, 0);
    }
    CU_ASSERT_FALSE(bpred_resolve(&d, 0x3001, BR_COND, true, 0x4000, 0, 0));
    CU_ASSERT_FALSE(bpred_resolve(&d, 0x3002, BR_COND, false, 0, 0, 0));
    bpred_free(&d);
}

static void test_bad_config(void)
{
    struct bpred bp;
    struct bpred_config c = {.btb_entries = 12, .btb_ways = 4, .table_entries = 16, .ras_depth = 4};
    char err[128];
    CU_ASSERT_EQUAL(bpred_init(&bp, &c, err, sizeof(err)), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "powers of two"));
}

/* Two hyperthreads of one core: a target one learns is a BTB hit for the
 * other; each keeps its own return stack. */
static void test_shared_by_threads(void)
{
    struct bpred t0 = mk(DIR_BIMODAL, 0, 16, 4, true, 4), t1 = mk(DIR_BIMODAL, 0, 16, 4, true, 4);
    bpred_share(&t1, &t0);
    CU_ASSERT_TRUE(bpred_resolve(&t0, 0x500, BR_UNCOND, true, 0x900, 0, 1));
    CU_ASSERT_FALSE(bpred_resolve(&t1, 0x500, BR_UNCOND, true, 0x900, 0, 1)); /* t0's entry */
    CU_ASSERT_EQUAL(t1.st.btb_hits, 1);
    CU_ASSERT_TRUE(bpred_resolve(&t1, 0x500, BR_UNCOND, true, 0x900, 0, 2)); /* another VM's tag */
    CU_ASSERT_EQUAL(bpred_btb_occupancy(&t0, 2), 1);
    /* One LRU order over both threads' uses: t0 uses VM 1's entry again,
     * two more fill the set, and the next evicts VM 2's, the oldest. */
    CU_ASSERT_FALSE(bpred_resolve(&t0, 0x500, BR_UNCOND, true, 0x900, 0, 1));
    bpred_resolve(&t1, 0x500 + 16 * 16, BR_UNCOND, true, 0x100, 0, 1);
    bpred_resolve(&t0, 0x500 + 32 * 16, BR_UNCOND, true, 0x100, 0, 1);
    bpred_resolve(&t1, 0x500 + 48 * 16, BR_UNCOND, true, 0x100, 0, 1);
    CU_ASSERT_EQUAL(bpred_btb_occupancy(&t1, 2), 0);
    CU_ASSERT_FALSE(bpred_resolve(&t1, 0x500, BR_UNCOND, true, 0x900, 0, 1));
    /* return stacks: t1's calls do not feed t0's returns */
    bpred_resolve(&t1, 0x10, BR_CALL, true, 0x1000, 0x14, 1);
    CU_ASSERT_TRUE(bpred_resolve(&t0, 0x1100, BR_RET, true, 0x14, 0, 1));
    CU_ASSERT_FALSE(bpred_resolve(&t1, 0x1100, BR_RET, true, 0x14, 0, 1));
    bpred_free(&t1);
    bpred_free(&t0);
}

static CU_TestInfo tests[] = {
    {"two hyperthreads share the BTB, not the return stack", test_shared_by_threads},
    {"bimodal counter walk", test_bimodal_walk},
    {"gshare learns alternation, bimodal cannot", test_gshare_learns_alternation},
    {"BTB aliasing across VMs, capacity", test_btb_aliasing_and_capacity},
    {"return stack", test_return_stack},
    {"IA-64 index shift spreads bundles over the sets", test_index_shift},
    {"bad configs", test_bad_config},
    CU_TEST_INFO_NULL,
};

CUNIT_MAIN("bpred", tests)
