/*
 * test_hv_x86_desc.c - the shadow GDT's descriptors (hv/x86/desc.h): the
 * accessed bit, and limits cut below the monitor's range (seed 004
 * [0036]-[0037]), on descriptors written out by hand from the SDM's
 * layout (Vol. 3A 3.4.5).
 */
#include "cunit_main.h"

#include "hv/x86/desc.c"

#define TOP 0xFFC00000u

/* A descriptor from its fields: type 4 bits, S, DPL 0, P, D/B, G. */
static uint64_t mk(uint32_t base, uint32_t limit, unsigned type, int s, int p, int g)
{
    return (uint64_t)(limit & 0xFFFF) | (uint64_t)(base & 0xFFFFFF) << 16 | (uint64_t)type << 40 |
           (uint64_t)(s != 0) << 44 | (uint64_t)(p != 0) << 47 |
           (uint64_t)(limit >> 16 & 0xF) << 48 | 1ull << 54 | (uint64_t)(g != 0) << 55 |
           (uint64_t)(base >> 24) << 56;
}

static void test_flat(void)
{
    uint64_t code = 0x00CF9A000000FFFFull, data = 0x00CF92000000FFFFull; /* flat 4 GiB */
    CU_ASSERT_EQUAL(code, mk(0, 0xFFFFF, 0xA, 1, 1, 1));
    uint64_t c = desc_shadow(code, TOP), d = desc_shadow(data, TOP);
    CU_ASSERT_EQUAL(desc_base(c), 0);
    CU_ASSERT_EQUAL(desc_limit(c), 0xFFBFFFFFu); /* ends just below the monitor */
    CU_ASSERT_EQUAL(desc_limit(d), 0xFFBFFFFFu);
    CU_ASSERT_EQUAL(c, 0x00CF9B000000FBFFull); /* limit 0xFFBFF, accessed */
    CU_ASSERT_EQUAL(d >> 40 & 0xF, 0x3);       /* read/write, accessed */
}

static void test_below_top_kept(void)
{
    uint64_t d = mk(0x01050000u, 0xFFF, 0x2, 1, 1, 0); /* gdt workload's 4 KiB segment */
    uint64_t s = desc_shadow(d, TOP);
    CU_ASSERT_EQUAL(s, d | 1ull << 40); /* only the accessed bit */
    /* a page-granular one ending exactly at TOP - 1 */
    d = mk(0x00400000u, (TOP - 0x00400000u) / 4096 - 1, 0x2, 1, 1, 1);
    CU_ASSERT_EQUAL(desc_limit(d), TOP - 1 - 0x00400000u);
    CU_ASSERT_EQUAL(desc_shadow(d, TOP), d | 1ull << 40);
}

static void test_cut(void)
{
    /* byte granular, base close to the top: cut to the bytes below it */
    uint64_t d = mk(0xFFBFF000u, 0xFFFFF, 0x2, 1, 1, 0);
    uint64_t s = desc_shadow(d, TOP);
    CU_ASSERT_EQUAL(desc_base(s), 0xFFBFF000u);
    CU_ASSERT_EQUAL(desc_limit(s), 0xFFFu);
    /* page granular with a base not page aligned: whole pages only */
    d = mk(0x10000800u, 0xFFFFF, 0x2, 1, 1, 1);
    s = desc_shadow(d, TOP);
    CU_ASSERT((uint64_t)desc_base(s) + desc_limit(s) < TOP);
    CU_ASSERT((uint64_t)desc_base(s) + desc_limit(s) + 4096 >= TOP);
    /* starting inside the monitor's range: limit 0 */
    d = mk(0xFFD00000u, 0x10, 0x2, 1, 1, 0);
    CU_ASSERT_EQUAL(desc_limit(desc_shadow(d, TOP)), 0);
}

static void test_left_alone(void)
{
    uint64_t tss = mk(0x00100000u, 0x67, 0x9, 0, 1, 0); /* system: as it is */
    CU_ASSERT_EQUAL(desc_shadow(tss, TOP), tss);
    uint64_t absent = mk(0, 0xFFFFF, 0x2, 1, 0, 1);
    CU_ASSERT_EQUAL(desc_shadow(absent, TOP), absent);
    uint64_t down = mk(0, 0x0FFFF, 0x6, 1, 1, 1); /* expand-down data: limits mean the reverse */
    CU_ASSERT_EQUAL(desc_shadow(down, TOP), down | 1ull << 40);
    uint64_t conforming = mk(0, 0xFFFFF, 0xE, 1, 1, 1); /* code with bit 42 (conforming) is cut */
    CU_ASSERT_EQUAL(desc_limit(desc_shadow(conforming, TOP)), 0xFFBFFFFFu);
}

static CU_TestInfo tests[] = {
    {"flat segments end below the monitor", test_flat},
    {"segments below it keep their limit", test_below_top_kept},
    {"limits cut to the monitor's range", test_cut},
    {"system, absent and expand-down descriptors", test_left_alone},
    CU_TEST_INFO_NULL,
};

CUNIT_MAIN("hv/x86 shadow GDT descriptors", tests)
