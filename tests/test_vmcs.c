/*
 * test_vmcs.c - VMCS field lookup (model/vmcs/vmcs.h) and the SDM's #PF
 * exit rule on raw VMCS values.
 *
 * The rule, from Intel SDM Vol. 3C 25.2 (2016 edition): "if (PFEC &
 * PFEC_MASK) = PFEC_MATCH, the processor consults bit 14 in the exception
 * bitmap: a #PF causes a VM exit if the bit is 1 and is delivered through
 * the guest IDT if it is 0; if they differ, the meaning of the bit is
 * reversed".  Each row's `exit` column was worked out by hand from that
 * text, not from the code.
 */
#include "cunit_main.h"
#include "model/vmcs/vmcs.h"

static const struct {
    unsigned bit14;
    uint32_t mask, match, pfec;
    bool exit;
} rows[] = {
    {1, 0, 0, 0x0, true}, /* mask 0 matches every code: follow bit 14 */
    {1, 0, 0, 0x7, true},           {0, 0, 0, 0x3, false},
    {1, 0, 0xFFFFFFFF, 0x3, false}, /* match never equals: reversed, bit 1 -> no exit */
    {0, 0, 0xFFFFFFFF, 0x3, true},  /* reversed, bit 0 -> exit */
    {1, 0x1, 0x1, 0x3, true},       /* present faults exit */
    {1, 0x1, 0x1, 0x2, false},      /* not-present ones go to the guest */
    {0, 0x1, 0x1, 0x2, true},       /* bit 0 inverts: not-present ones exit */
    {0, 0x1, 0x1, 0x1, false},      {1, 0x6, 0x6, 0x7, true},  /* user writes */
    {1, 0x6, 0x6, 0x5, false},                                 /* a user read does not match */
    {1, 0x6, 0x2, 0x3, true},                                  /* supervisor writes */
    {1, 0x6, 0x2, 0x7, false},      {0, 0x8, 0x8, 0x9, false}, /* RSVD faults, bit 0: delivered */
    {0, 0x8, 0x8, 0x1, true},                                  /* others exit */
};

static void test_pf_rule(void)
{
    for (unsigned i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        bool got = vmcs_pf_exits(rows[i].bit14 << 14, rows[i].pfec, rows[i].mask, rows[i].match);
        if (got != rows[i].exit)
            fprintf(stderr, "row %u: got %d\n", i, got);
        CU_ASSERT_EQUAL(got, rows[i].exit);
    }
}

/* The checker can fail: a row with the wrong answer is caught. */
static void test_checker_catches(void)
{
    CU_ASSERT_NOT_EQUAL(vmcs_pf_exits(1u << 14, 0x2, 0x1, 0x1), true);
}

static void test_lookup(void)
{
    enum vmcs_width w;
    bool hi, ro;
    int f = vmcs_lookup(0x4004, &w, &hi, &ro); /* exception bitmap */
    CU_ASSERT_EQUAL(f, VMCS_EXC_BITMAP);
    CU_ASSERT_EQUAL(w, VMCS_W32);
    CU_ASSERT_FALSE(ro);
    CU_ASSERT_EQUAL(vmcs_lookup(0x4402, &w, &hi, &ro), VMCS_EXIT_REASON);
    CU_ASSERT_TRUE(ro);
    CU_ASSERT_EQUAL(vmcs_lookup(0x2801, &w, &hi, &ro), VMCS_LINK_POINTER);
    CU_ASSERT_TRUE(hi);
    CU_ASSERT_EQUAL(w, VMCS_W64);
    CU_ASSERT_EQUAL(vmcs_lookup(0x4005, &w, &hi, &ro), -1); /* odd 32-bit encoding */
    CU_ASSERT_EQUAL(vmcs_lookup(0x1000, &w, &hi, &ro), -1); /* reserved bit 12 */
    CU_ASSERT_EQUAL(vmcs_lookup(0x6C16, &w, &hi, &ro), VMCS_HOST_RIP);
    CU_ASSERT_EQUAL(w, VMCS_WNAT);
    CU_ASSERT_EQUAL(vmcs_encoding(VMCS_GUEST_CR3), 0x6802u);
}

static CU_TestInfo tests[] = {
    {"the SDM's #PF rule over a worked table", test_pf_rule},
    {"a wrong expectation is caught", test_checker_catches},
    {"field encodings", test_lookup},
    CU_TEST_INFO_NULL,
};

CUNIT_MAIN("vmcs", tests)
