/*
 * test_x86_lapic.c - the xAPIC register file (model/cpu/x86/lapic.h) on a
 * bare controller, with no scheduler (the timer's count is arithmetic).
 * Expected values worked out from Intel SDM Vol. 3A 10.5.4 (the count
 * falls by one every `divisor` clocks; Figure 10-10 for the divisor),
 * 10.8.3.1 (PPR) and Table 10-1 (ISR/IRR: vector v is bit v % 32 of the
 * register at base + 0x10 * (v / 32)).
 */
#include "cunit_main.h"
#include "model/cpu/x86/lapic.h"

static struct intc ic;
static struct x86_lapic a;

static void setup(void)
{
    intc_init(&ic, 0, NULL, NULL);
    x86_lapic_init(&a, 3, &ic);
}

static void test_id_and_reset(void)
{
    setup();
    CU_ASSERT_EQUAL(x86_lapic_read(&a, 0x20, 0), 3u << 24);
    CU_ASSERT_EQUAL(x86_lapic_read(&a, 0xF0, 0), 0xFFu);           /* SVR */
    CU_ASSERT_EQUAL(x86_lapic_read(&a, 0x320, 0), X86_LVT_MASKED); /* LVT timer */
    x86_lapic_write(&a, 0x320, 0x40, 0); /* software disabled: stays masked */
    CU_ASSERT_EQUAL(x86_lapic_read(&a, 0x320, 0), 0x40u | X86_LVT_MASKED);
    x86_lapic_write(&a, 0xF0, 0x1FF, 0);
    x86_lapic_write(&a, 0x320, 0x40, 0);
    CU_ASSERT_EQUAL(x86_lapic_read(&a, 0x320, 0), 0x40u);
}

static void test_timer_count(void)
{
    setup();
    x86_lapic_write(&a, 0xF0, 0x1FF, 0);
    x86_lapic_write(&a, 0x3E0, 0x3, 0); /* 0011: divide by 16 */
    x86_lapic_write(&a, 0x380, 100, 1000);
    CU_ASSERT_EQUAL(x86_lapic_current(&a, 1000), 100u);
    CU_ASSERT_EQUAL(x86_lapic_current(&a, 1015), 100u);
    CU_ASSERT_EQUAL(x86_lapic_current(&a, 1016), 99u);
    CU_ASSERT_EQUAL(x86_lapic_current(&a, 1000 + 16 * 100), 0u); /* one-shot stops at 0 */
    CU_ASSERT_EQUAL(x86_lapic_current(&a, 99999), 0u);
    x86_lapic_write(&a, 0x320, 0x40 | X86_LVT_PERIODIC, 2000);
    CU_ASSERT_EQUAL(x86_lapic_current(&a, 1000 + 16 * 100), 100u); /* periodic reloads */
    CU_ASSERT_EQUAL(x86_lapic_current(&a, 1000 + 16 * 130), 70u);
    x86_lapic_write(&a, 0x3E0, 0xB, 3000); /* 1011: by 1, from the next load */
    CU_ASSERT_EQUAL(x86_lapic_current(&a, 1000 + 16 * 130), 70u);
    x86_lapic_write(&a, 0x380, 50, 5000);
    CU_ASSERT_EQUAL(x86_lapic_current(&a, 5010), 40u);
    x86_lapic_write(&a, 0x380, 0, 6000); /* 0 stops */
    CU_ASSERT_EQUAL(x86_lapic_current(&a, 7000), 0u);
    CU_ASSERT_EQUAL(x86_lapic_read(&a, 0x3E0, 0), 0xBu);
}

static void test_irr_isr_ppr_eoi(void)
{
    setup();
    intc_raise(&ic, 0x45);
    intc_raise(&ic, 0x21);
    CU_ASSERT_EQUAL(x86_lapic_read(&a, 0x220, 0), 1u << 5); /* IRR 64-95 */
    CU_ASSERT_EQUAL(x86_lapic_read(&a, 0x210, 0), 1u << 1); /* IRR 32-63 */
    CU_ASSERT_EQUAL(intc_ack(&ic), 0x45);
    CU_ASSERT_EQUAL(x86_lapic_read(&a, 0x120, 0), 1u << 5); /* ISR */
    CU_ASSERT_EQUAL(x86_lapic_read(&a, 0x220, 0), 0u);
    CU_ASSERT_EQUAL(x86_lapic_read(&a, 0xA0, 0), 0x40u); /* PPR = ISRV[7:4]:0 */
    x86_lapic_write(&a, 0x80, 0x52, 0);
    CU_ASSERT_EQUAL(x86_lapic_read(&a, 0xA0, 0), 0x52u); /* PPR = TPR */
    x86_lapic_write(&a, 0x80, 0x32, 0);
    CU_ASSERT_EQUAL(x86_lapic_read(&a, 0xA0, 0), 0x40u);
    x86_lapic_write(&a, 0xB0, 0, 0);
    CU_ASSERT_EQUAL(x86_lapic_read(&a, 0x120, 0), 0u);
    CU_ASSERT_EQUAL(x86_lapic_read(&a, 0xA0, 0), 0x32u);
}

static void test_icr_without_network(void)
{
    setup();
    x86_lapic_write(&a, 0x310, 1u << 24, 0);
    x86_lapic_write(&a, 0x300, 0x4031, 0);
    CU_ASSERT_EQUAL(a.ipis_dropped, 1u);
    CU_ASSERT_EQUAL(x86_lapic_read(&a, 0x300, 0), 0x4031u);
    CU_ASSERT_EQUAL(x86_lapic_read(&a, 0x310, 0), 1u << 24);
}

static CU_TestInfo tests[] = {
    {"ID and reset state", test_id_and_reset},
    {"timer count and divide", test_timer_count},
    {"IRR, ISR, PPR and EOI", test_irr_isr_ppr_eoi},
    {"ICR with no network", test_icr_without_network},
    CU_TEST_INFO_NULL,
};

CUNIT_MAIN("x86 lapic", tests)
