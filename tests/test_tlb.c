/*
 * test_tlb.c - the generic TLB array against hand-worked sequences and a
 * linear-search reference.
 */
#include <string.h>

#include "cunit_main.h"
#include "model/tlb/tlb.h"

static struct rng rng;

static void mk(struct tlb *t, unsigned entries, unsigned ways, int repl)
{
    struct tlb_config c = {.entries = entries, .ways = ways, .replacement = repl};
    char err[128];
    rng_seed(&rng, 5);
    CU_ASSERT_EQUAL_FATAL(tlb_init(t, "t", &c, &rng, err, sizeof(err)), 0);
}

#define K4 12
#define M4 22

static void test_lru_fully_associative(void)
{
    struct tlb t;
    mk(&t, 4, 4, TLB_LRU);
    for (uint64_t p = 0; p < 4; p++)
        CU_ASSERT_EQUAL(tlb_insert(&t, p << K4, (p + 100) << K4, K4, 0, 0, false, false), 0);
    CU_ASSERT_PTR_NOT_NULL(tlb_lookup(&t, 0x0123, 0)); /* touch page 0 */
    /* LRU is now page 1: inserting page 4 evicts it. */
    tlb_insert(&t, 4 << K4, 104 << K4, K4, 0, 0, false, false);
    CU_ASSERT_PTR_NULL(tlb_lookup(&t, 1 << K4, 0));
    struct tlb_entry *e = tlb_lookup(&t, (0 << K4) + 5, 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(e);
    CU_ASSERT_EQUAL(e->pfn, 100);
    CU_ASSERT_EQUAL(t.st.evictions, 1);
    CU_ASSERT_EQUAL(t.st.misses, 1);
    CU_ASSERT_EQUAL(t.st.hits, 2);
    CU_ASSERT_NOT_EQUAL(t.st.hits, 3);
    tlb_free(&t);
}

static void test_set_associative(void)
{
    struct tlb t;
    mk(&t, 8, 2, TLB_LRU); /* 4 sets: pages 0, 4, 8 share set 0 */
    tlb_insert(&t, 0 << K4, 0, K4, 0, 0, false, false);
    tlb_insert(&t, 4 << K4, 0, K4, 0, 0, false, false);
    tlb_insert(&t, 1 << K4, 0, K4, 0, 0, false, false); /* set 1: no effect on set 0 */
    tlb_insert(&t, 8 << K4, 0, K4, 0, 0, false, false); /* evicts page 0 (LRU of set 0) */
    CU_ASSERT_PTR_NULL(tlb_lookup(&t, 0, 0));
    CU_ASSERT_PTR_NOT_NULL(tlb_lookup(&t, 4 << K4, 0));
    CU_ASSERT_PTR_NOT_NULL(tlb_lookup(&t, 8 << K4, 0));
    CU_ASSERT_PTR_NOT_NULL(tlb_lookup(&t, 1 << K4, 0));
    tlb_free(&t);
}

static void test_large_pages_tags_globals(void)
{
    struct tlb t;
    mk(&t, 16, 4, TLB_LRU);
    /* A 4 MiB page at 4 MiB covers 0x400000-0x7fffff. */
    tlb_insert(&t, 0x400000, 0x1c00000, M4, 1, 0x7, false, false);
    struct tlb_entry *e = tlb_lookup(&t, 0x5ff123, 1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(e);
    CU_ASSERT_EQUAL(e->pfn << e->shift, 0x1c00000);
    CU_ASSERT_EQUAL(e->attr, 0x7);
    CU_ASSERT_PTR_NULL(tlb_lookup(&t, 0x800000, 1));
    CU_ASSERT_PTR_NULL(tlb_lookup(&t, 0x5ff123, 2)); /* other address space */
    tlb_insert(&t, 0x9000, 0x3000, K4, 1, 0, true, false);
    CU_ASSERT_PTR_NOT_NULL(tlb_lookup(&t, 0x9abc, 2)); /* global: any tag */
    /* Both sizes present: a 4 KiB lookup still finds the 4 MiB entry. */
    CU_ASSERT_PTR_NOT_NULL(tlb_lookup(&t, 0x400000, 1));
    /* A new 4 MiB page over a 4 KiB one of the same tag replaces it. */
    tlb_insert(&t, 0x1000, 0x5000, K4, 3, 0, false, false);
    tlb_insert(&t, 0x0, 0x800000, M4, 3, 0, false, false);
    e = tlb_lookup(&t, 0x1000, 3);
    CU_ASSERT_PTR_NOT_NULL_FATAL(e);
    CU_ASSERT_EQUAL(e->shift, M4);
    CU_ASSERT_EQUAL(tlb_insert(&t, 0, 0, 11, 0, 0, false, false), -1); /* 2 KiB: unsupported */
    tlb_free(&t);
}

static void test_purges_and_pinned(void)
{
    struct tlb t;
    mk(&t, 4, 4, TLB_LRU);
    tlb_insert(&t, 0x400000, 0, M4, 1, 0, false, false);
    tlb_insert(&t, 0x1000, 0, K4, 1, 0, false, false);
    tlb_insert(&t, 0x2000, 0, K4, 2, 0, false, false);
    tlb_insert(&t, 0x3000, 0, K4, 2, 0, true, true); /* pinned global (a TR) */
    /* A 4 KiB range inside the 4 MiB page removes the whole page. */
    CU_ASSERT_EQUAL(tlb_purge_range(&t, 0x401000, 0x1000, 1, false, false), 1);
    CU_ASSERT_EQUAL(tlb_purge_range(&t, 0x2000, 0x1000, 1, false, false), 0); /* tag 2 kept */
    CU_ASSERT_EQUAL(tlb_purge_tag(&t, 2), 1);
    CU_ASSERT_EQUAL(tlb_purge_all(&t, false), 1); /* 0x1000; the pinned one stays */
    CU_ASSERT_PTR_NOT_NULL(tlb_lookup(&t, 0x3000, 9));
    CU_ASSERT_EQUAL(tlb_purge_range(&t, 0, 1ull << 40, 0, true, true), 1);
    /* A set full of pinned entries refuses an insert. */
    for (uint64_t p = 0; p < 4; p++)
        tlb_insert(&t, p << K4, 0, K4, 0, 0, false, true);
    CU_ASSERT_EQUAL(tlb_insert(&t, 9 << K4, 0, K4, 0, 0, false, false), -1);
    CU_ASSERT_EQUAL(t.st.purged, 4);
    tlb_free(&t);
}

/* With room for every page, the array must answer exactly like a linear
 * list with the same overlap rule. */
struct ref {
    uint64_t lo, hi, pa;
    uint32_t tag;
    bool global, valid;
};

static void test_against_linear_reference(void)
{
    struct tlb t;
    static struct ref r[4096];
    size_t nr = 0;
    struct rng g;
    unsigned disagree = 0, hits = 0;
    mk(&t, 256, 256, TLB_LRU);
    rng_seed(&g, 11);
    for (int i = 0; i < 20000; i++) {
        uint32_t tag = (uint32_t)rng_below(&g, 3);
        unsigned shift = rng_below(&g, 8) ? K4 : M4;
        uint64_t va = rng_below(&g, 64) << K4;
        if (rng_below(&g, 4) == 0 && nr < 4096) {
            bool global = rng_below(&g, 16) == 0;
            uint64_t lo = va >> shift << shift, hi = lo + (1ull << shift);
            for (size_t k = 0; k < nr; k++)
                if (r[k].valid && r[k].lo < hi && lo < r[k].hi &&
                    (global || r[k].global || r[k].tag == tag))
                    r[k].valid = false;
            r[nr++] = (struct ref){lo, hi, (uint64_t)i << shift, tag, global, true};
            tlb_insert(&t, va, (uint64_t)i << shift, shift, tag, 0, global, false);
            continue;
        }
        const struct ref *want = NULL;
        for (size_t k = 0; k < nr; k++)
            if (r[k].valid && va >= r[k].lo && va < r[k].hi && (r[k].global || r[k].tag == tag))
                want = &r[k];
        struct tlb_entry *e = tlb_lookup(&t, va, tag);
        if (!want != !e || (e && e->pfn << e->shift != want->pa))
            disagree++;
        hits += e != NULL;
    }
    CU_ASSERT_EQUAL(disagree, 0);
    CU_ASSERT_TRUE(hits > 1000);
    CU_ASSERT_EQUAL(t.st.evictions, 0);
    tlb_free(&t);
}

static void test_bad_config(void)
{
    struct tlb t;
    struct tlb_config c = {.entries = 12, .ways = 4};
    char err[128];
    CU_ASSERT_EQUAL(tlb_init(&t, "x", &c, &rng, err, sizeof(err)), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "powers of two"));
    c = (struct tlb_config){.entries = 4, .ways = 8};
    CU_ASSERT_EQUAL(tlb_init(&t, "x", &c, &rng, err, sizeof(err)), -1);
}

static CU_TestInfo tests[] = {
    {"LRU, fully associative", test_lru_fully_associative},
    {"set associative", test_set_associative},
    {"large pages, tags, globals", test_large_pages_tags_globals},
    {"purges and pinned entries", test_purges_and_pinned},
    {"against a linear reference", test_against_linear_reference},
    {"bad configs", test_bad_config},
    CU_TEST_INFO_NULL,
};

CUNIT_MAIN("tlb", tests)
