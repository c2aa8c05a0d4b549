/*
 * test_emon.c - EMON: always-on counts, programmable counters with
 * filters, overflow after exactly N events.
 */
#include <string.h>

#include "cunit_main.h"
#include "model/cpu/emon/emon.h"

static unsigned fired[EMON_MAX_COUNTERS], nfired;

static void on_overflow(void *ctx, unsigned i)
{
    (void)ctx;
    fired[i]++;
    nfired++;
}

static void test_counts_and_overflow(void)
{
    struct emon e;
    memset(fired, 0, sizeof(fired));
    nfired = 0;
    CU_ASSERT_EQUAL_FATAL(emon_init(&e, 4, 47, on_overflow, NULL), 0);
    CU_ASSERT_EQUAL(emon_program(&e, 0, EMON_L1D_MISSES, true, EMON_PRIV_ALL, EMON_MODE_ALL), 0);
    /* Preset 5 below the top of a 47-bit counter: overflow on the 5th event. */
    emon_write(&e, 0, (1ull << 47) - 5);
    for (int i = 0; i < 4; i++)
        emon_count(&e, EMON_L1D_MISSES, 1);
    CU_ASSERT_EQUAL(nfired, 0);
    emon_count(&e, EMON_L1D_MISSES, 1);
    CU_ASSERT_EQUAL(fired[0], 1);
    CU_ASSERT_EQUAL(emon_read(&e, 0), 0);
    for (int i = 0; i < 100; i++)
        emon_count(&e, EMON_L1D_MISSES, 1);
    CU_ASSERT_EQUAL(fired[0], 1); /* once per wrap */
    CU_ASSERT_EQUAL(emon_read(&e, 0), 100);
    CU_ASSERT_EQUAL(e.ev[EMON_L1D_MISSES], 105);
    CU_ASSERT_EQUAL(e.overflows, 1);
    CU_ASSERT_NOT_EQUAL(emon_read(&e, 0), 105);
    CU_ASSERT_EQUAL(emon_program(&e, 4, EMON_CYCLES, true, 3, 3), -1);
    CU_ASSERT_EQUAL(emon_program(&e, 0, EMON_NEVENTS, true, 3, 3), -1);
    CU_ASSERT_EQUAL(emon_init(&e, 17, 47, NULL, NULL), -1);
}

static void test_filters(void)
{
    struct emon e;
    emon_init(&e, 4, 40, NULL, NULL);
    emon_program(&e, 0, EMON_INSTRUCTIONS, true, EMON_PRIV_USER, EMON_MODE_ALL);
    emon_program(&e, 1, EMON_INSTRUCTIONS, true, EMON_PRIV_ALL, EMON_MODE_GUEST);
    emon_program(&e, 2, EMON_INSTRUCTIONS, false, EMON_PRIV_ALL, EMON_MODE_ALL);
    emon_program(&e, 3, EMON_INSTRUCTIONS, true, EMON_PRIV_KERNEL, EMON_MODE_HOST);
    emon_set_mode(&e, true, false); /* host kernel */
    emon_count(&e, EMON_INSTRUCTIONS, 10);
    emon_set_mode(&e, false, true); /* guest user */
    emon_count(&e, EMON_INSTRUCTIONS, 7);
    emon_set_mode(&e, true, true); /* guest kernel */
    emon_count(&e, EMON_INSTRUCTIONS, 3);
    CU_ASSERT_EQUAL(emon_read(&e, 0), 7);
    CU_ASSERT_EQUAL(emon_read(&e, 1), 10);
    CU_ASSERT_EQUAL(emon_read(&e, 2), 0);
    CU_ASSERT_EQUAL(emon_read(&e, 3), 10);
    CU_ASSERT_EQUAL(e.ev[EMON_INSTRUCTIONS], 20);
    /* Width: a 40-bit write keeps 40 bits. */
    emon_write(&e, 0, ~0ull);
    CU_ASSERT_EQUAL(emon_read(&e, 0), (1ull << 40) - 1);
    CU_ASSERT_STRING_EQUAL(emon_event_name(EMON_VM_EXITS), "vm_exits");
    CU_ASSERT_PTR_NULL(emon_event_name(EMON_NEVENTS));
}

static CU_TestInfo tests[] = {
    {"counts and overflow", test_counts_and_overflow},
    {"privilege and guest filters", test_filters},
    CU_TEST_INFO_NULL,
};

CUNIT_MAIN("emon", tests)
