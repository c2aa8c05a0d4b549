/*
 * test_pf_filter.c - page-fault filtering decisions (model/vmcs/pf_filter.h)
 * over all 16 combinations of the error-code bits P, W/R, U/S and RSVD.
 *
 * Each row's `exits` is a 16-bit set, bit n standing for error code n,
 * worked out by hand from seed 002 (Figs. 3-5) and SDM Vol. 3C 25.2: the
 * comment on each row lists the error codes that exit and why.  Error code
 * bits: P 0x1, W 0x2, U 0x4, RSVD 0x8.
 */
#include "cunit_main.h"
#include "model/vmcs/pf_filter.h"

struct row {
    unsigned variant;
    int bit14;
    uint32_t mask, match, mask2, match2;
    uint16_t exits;
};

static const struct row rows[] = {
    /* single = the SDM rule. mask 0 matches everything: the bit alone. */
    {PF_VARIANT_SINGLE, 1, 0, 0, 0, 0, 0xFFFF},
    {PF_VARIANT_SINGLE, 0, 0, 0, 0, 0, 0x0000},
    /* P == 0 matches and the bit is 1: the not-present faults 0,2,...,14. */
    {PF_VARIANT_SINGLE, 1, 0x1, 0x0, 0, 0, 0x5555},
    /* P == 1 matches and the bit is 0: no exit there, the inverse (exit)
     * elsewhere: again the even codes ([0049]'s point). */
    {PF_VARIANT_SINGLE, 0, 0x1, 0x1, 0, 0, 0x5555},
    /* present write faults only: 3, 7, 11, 15. */
    {PF_VARIANT_SINGLE, 1, 0x3, 0x3, 0, 0, 0x8888},
    /* a match no error code can give, bit 0: always the inverse, exit. */
    {PF_VARIANT_SINGLE, 0, 0xF, 0x10, 0, 0, 0xFFFF},
    /* user writes (W and U both set: 6, 7, 14, 15) stay in the guest. */
    {PF_VARIANT_SINGLE, 0, 0x6, 0x6, 0, 0, 0x3F3F},
    /* dual: not present (even codes) or reserved bit (8-15). */
    {PF_VARIANT_DUAL, 0, 0x1, 0x0, 0x8, 0x8, 0xFF55},
    {PF_VARIANT_DUAL, 1, 0x1, 0x0, 0x8, 0x8, 0xFF55}, /* bit 14 plays no part */
    /* present writes, second pair unmatchable: 3, 7, 11, 15. */
    {PF_VARIANT_DUAL, 1, 0x3, 0x3, 0xF, 0x10, 0x8888},
    /* neither pair can match: no exit at all. */
    {PF_VARIANT_DUAL, 1, 0xF, 0x10, 0xF, 0x20, 0x0000},
    /* anybit: RSVD set (8-15), or present read (1, 5, 9, 13); bit 1: exit
     * on those, 0xFF22. */
    {PF_VARIANT_ANYBIT, 1, 0x3, 0x1, 0x8, 0, 0xFF22},
    /* the same with the bit clear: exit on the others, 0, 2, 3, 4, 6, 7. */
    {PF_VARIANT_ANYBIT, 0, 0x3, 0x1, 0x8, 0, 0x00DD},
    /* mask 0 matches match 0 always. */
    {PF_VARIANT_ANYBIT, 1, 0, 0, 0, 0, 0xFFFF},
    /* nothing can hit: the inverse of bit 1, never. */
    {PF_VARIANT_ANYBIT, 1, 0, 1, 0, 0, 0x0000},
    /* any of W or U (2-7, 10-15), bit 0: exit only on 0, 1, 8, 9. */
    {PF_VARIANT_ANYBIT, 0, 0xF, 0x10, 0x6, 0, 0x0303},
};

static void test_control_transfer(void)
{
    for (unsigned i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        const struct row *r = &rows[i];
        struct pf_filter f = {r->variant, r->bit14, r->mask, r->match, r->mask2, r->match2};
        uint16_t got = 0;
        for (uint32_t ec = 0; ec < 16; ec++)
            if (pf_filter_exits(&f, ec))
                got |= (uint16_t)(1u << ec);
        if (got != r->exits)
            printf("\n  row %u: exits 0x%04x, expected 0x%04x", i, got, r->exits);
        CU_ASSERT_EQUAL(got, r->exits);
    }
}

static void test_self_map(void)
{
    /* CR3 0x105000, PTBASE 0xC0000000: slot 0x300, entry at 0x105C00. */
    CU_ASSERT_EQUAL(pf_self_map_pde_addr(0x105000, 0xC0000000u), 0x105C00);
    CU_ASSERT_EQUAL(pf_self_map_pde_addr(0x105FFF, 0x00400000u), 0x105004);
    CU_ASSERT_EQUAL(pf_self_map_pde_addr(0x105000, 0xC0001000u), -1);
    CU_ASSERT_EQUAL(pf_self_map_pde_addr(0x105000, 0xC0200000u), -1);
    CU_ASSERT_TRUE(pf_self_map_ok(0x105000, 0x105003));
    CU_ASSERT_TRUE(pf_self_map_ok(0x105018, 0x105001));
    CU_ASSERT_FALSE(pf_self_map_ok(0x105000, 0x106003));
    CU_ASSERT_FALSE(pf_self_map_ok(0x105000, 0x105002));
    /* The window is 0xC0000000-0xC03FFFFF; its page directory page is
     * 0xC0300000-0xC0300FFF. */
    CU_ASSERT_TRUE(pf_is_pte_address(0xC0000000u, 0xC0000000u));
    CU_ASSERT_TRUE(pf_is_pte_address(0xC0000000u, 0xC02FFFFCu));
    CU_ASSERT_TRUE(pf_is_pte_address(0xC0000000u, 0xC0301000u));
    CU_ASSERT_FALSE(pf_is_pte_address(0xC0000000u, 0xC0300C00u));
    CU_ASSERT_FALSE(pf_is_pte_address(0xC0000000u, 0xC0400000u));
    CU_ASSERT_FALSE(pf_is_pte_address(0xC0000000u, 0xBFFFFFFCu));
}

static void test_criteria(void)
{
    const uint32_t pt = 0xC0000000u, la = 0xC0001004u;
    /* off: nothing completes. */
    CU_ASSERT_FALSE(pf_criteria_allow(PF_CRITERIA_OFF, pt, la, 4, 0x123007, 0x123006));
    /* Fig. 7: clearing P or writing a non-present entry completes;
     * setting P does not, whatever the old entry. */
    CU_ASSERT_TRUE(pf_criteria_allow(PF_CRITERIA_FIG7, pt, la, 4, 0x123007, 0x123006));
    CU_ASSERT_TRUE(pf_criteria_allow(PF_CRITERIA_FIG7, pt, la, 4, 0, 0x999000));
    CU_ASSERT_FALSE(pf_criteria_allow(PF_CRITERIA_FIG7, pt, la, 4, 0x123007, 0x123007));
    CU_ASSERT_FALSE(pf_criteria_allow(PF_CRITERIA_FIG7, pt, la, 4, 0x123005, 0x123005));
    /* Only PTEs, aligned, whole: a PDE, outside, partial, misaligned. */
    CU_ASSERT_FALSE(pf_criteria_allow(PF_CRITERIA_FIG7, pt, 0xC0300C00u, 4, 0x123007, 0));
    CU_ASSERT_FALSE(pf_criteria_allow(PF_CRITERIA_FIG7, pt, 0xC0400000u, 4, 0x123007, 0));
    CU_ASSERT_FALSE(pf_criteria_allow(PF_CRITERIA_FIG7, pt, la, 2, 0x123007, 0));
    CU_ASSERT_FALSE(pf_criteria_allow(PF_CRITERIA_FIG7, pt, la + 2, 4, 0x123007, 0));
    /* Fig. 8 adds: present, same frame, not adding R/W. */
    CU_ASSERT_TRUE(pf_criteria_allow(PF_CRITERIA_FIG8, pt, la, 4, 0x123007, 0x123006));
    CU_ASSERT_TRUE(pf_criteria_allow(PF_CRITERIA_FIG8, pt, la, 4, 0x123007, 0x123005));
    CU_ASSERT_TRUE(pf_criteria_allow(PF_CRITERIA_FIG8, pt, la, 4, 0x123007, 0x123067));
    CU_ASSERT_TRUE(pf_criteria_allow(PF_CRITERIA_FIG8, pt, la, 4, 0x123005, 0x123165));
    CU_ASSERT_FALSE(pf_criteria_allow(PF_CRITERIA_FIG8, pt, la, 4, 0x123005, 0x123007));
    CU_ASSERT_FALSE(pf_criteria_allow(PF_CRITERIA_FIG8, pt, la, 4, 0x123005, 0x124005));
    CU_ASSERT_FALSE(pf_criteria_allow(PF_CRITERIA_FIG8, pt, la, 4, 0x123004, 0x123005));
    CU_ASSERT_FALSE(pf_criteria_allow(PF_CRITERIA_FIG8, pt, 0xC0300C00u, 4, 0x123007, 0x123005));
    CU_ASSERT_FALSE(pf_criteria_allow(PF_CRITERIA_COUNT, pt, la, 4, 0x123007, 0x123006));
}

static CU_TestInfo tests[] = {
    {"control-transfer filtering, 16 error codes per row", test_control_transfer},
    {"self-map checks", test_self_map},
    {"fault-filtering criteria", test_criteria},
    CU_TEST_INFO_NULL,
};

CUNIT_MAIN("pf_filter", tests)
