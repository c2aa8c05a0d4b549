/*
 * test_intc.c - interrupt priorities, the timer and IPIs on the native
 * scheduler, with exact delivery times.
 */
#include <string.h>

#include "cunit_main.h"
#include "model/cpu/emon/emon.h"
#include "model/platform/intc.h"
#include "model/platform/ipi.h"
#include "model/platform/timer.h"
#include "scripted_hart.h"
#include "sim/sched_native.h"

static struct sched *S;
static uint64_t wakes[64];
static unsigned wake_hart[64], nwakes;

static void on_wake(void *ctx, unsigned hart)
{
    (void)ctx;
    if (nwakes < 64) {
        wake_hart[nwakes] = hart;
        wakes[nwakes++] = sched_now(S);
    }
}

/* Worked through the LAPIC rule (class = vector >> 4; deliverable when the
 * class is above max(TPR class, highest in-service class)). */
static void test_priorities(void)
{
    struct intc ic;
    intc_init(&ic, 0, NULL, NULL);
    CU_ASSERT_EQUAL(intc_highest(&ic), -1);
    intc_raise(&ic, 0x31);
    intc_raise(&ic, 0x52);
    CU_ASSERT_EQUAL(intc_highest(&ic), 0x52);
    CU_ASSERT_EQUAL(intc_ack(&ic), 0x52);
    intc_raise(&ic, 0x55); /* same class as the one in service: waits */
    CU_ASSERT_EQUAL(intc_highest(&ic), -1);
    intc_raise(&ic, 0x61); /* higher class: nests */
    CU_ASSERT_EQUAL(intc_ack(&ic), 0x61);
    intc_eoi(&ic); /* ends 0x61 */
    CU_ASSERT_EQUAL(intc_highest(&ic), -1);
    intc_eoi(&ic); /* ends 0x52 */
    CU_ASSERT_EQUAL(intc_highest(&ic), 0x55);
    intc_set_tpr(&ic, 0x60);
    CU_ASSERT_EQUAL(intc_highest(&ic), -1);
    intc_set_tpr(&ic, 0x00);
    CU_ASSERT_EQUAL(intc_ack(&ic), 0x55);
    intc_eoi(&ic);
    CU_ASSERT_EQUAL(intc_ack(&ic), 0x31);
    CU_ASSERT_EQUAL(ic.raised, 4);
    CU_ASSERT_EQUAL(ic.eois, 3);
    CU_ASSERT_NOT_EQUAL(ic.acked, 3);
}

struct rig {
    struct script *sc;
    struct scripted_hart *h[3];
    unsigned n;
};

static void rig_up(struct rig *r, unsigned n)
{
    char err[64];
    memset(r, 0, sizeof(*r));
    S = sched_native_new();
    nwakes = 0;
    scripted_parse("step 1 0 x100000", &r->sc, err, sizeof(err));
    r->n = n;
    for (unsigned i = 0; i < n; i++) {
        r->h[i] = scripted_hart_new(r->sc, S, NULL);
        sched_add_hart(S, scripted_hart_hart(r->h[i]));
    }
}

static void rig_down(struct rig *r)
{
    sched_free(S);
    for (unsigned i = 0; i < r->n; i++)
        scripted_hart_free(r->h[i]);
    script_free(r->sc);
}

static void test_timer(void)
{
    struct rig r;
    struct intc ic;
    struct hart_timer t;
    struct run_result res;
    struct run_limits lim = {.max_cycles = 200};
    rig_up(&r, 1);
    intc_init(&ic, 0, on_wake, NULL);
    timer_init(&t, S, &ic);
    timer_arm(&t, 100, 0, 0x40);
    sched_run(S, &lim, &res);
    CU_ASSERT_EQUAL(t.fired, 1);
    CU_ASSERT_EQUAL(nwakes, 1);
    CU_ASSERT_EQUAL(wakes[0], 100);
    CU_ASSERT_EQUAL(intc_highest(&ic), 0x40);
    /* Periodic from 250 every 30, up to the limit of 400: 250, 280, ..., 370. */
    nwakes = 0;
    intc_ack(&ic); /* keep 0x40 in service: later raises are not deliverable */
    intc_eoi(&ic);
    timer_arm(&t, 250, 30, 0x41);
    lim.max_cycles = 400;
    sched_run(S, &lim, &res);
    CU_ASSERT_EQUAL(t.fired, 1 + 5);
    CU_ASSERT_EQUAL(wakes[0], 250);
    CU_ASSERT_EQUAL(wakes[4], 370);
    timer_cancel(&t);
    lim.max_cycles = 600;
    sched_run(S, &lim, &res);
    CU_ASSERT_EQUAL(t.fired, 6);
    rig_down(&r);
}

static struct ipi_net *NET;

static void send_at_10(void *ctx, uint64_t now)
{
    (void)ctx;
    (void)now;
    ipi_send(NET, 0, 1, 0x90);
    ipi_send(NET, 2, IPI_BROADCAST, 0xa0);
}

static void test_ipis(void)
{
    struct rig r;
    struct intc ics[3];
    struct intc *icp[3] = {&ics[0], &ics[1], &ics[2]};
    struct ipi_net net;
    struct run_result res;
    struct run_limits lim = {.max_cycles = 100};
    rig_up(&r, 3);
    for (unsigned i = 0; i < 3; i++)
        intc_init(&ics[i], i, on_wake, NULL);
    CU_ASSERT_EQUAL_FATAL(ipi_init(&net, S, icp, 3, 25), 0);
    struct emon em[3];
    for (unsigned i = 0; i < 3; i++) {
        CU_ASSERT_EQUAL_FATAL(emon_init(&em[i], 0, 48, NULL, NULL), 0);
        ipi_attach_emon(&net, i, &em[i]);
    }
    NET = &net;
    sched_post(S, 10, send_at_10, NULL);
    sched_run(S, &lim, &res);
    /* Sent at 10, delivered 25 cycles later, in sending order. */
    CU_ASSERT_EQUAL(nwakes, 3);
    CU_ASSERT_EQUAL(wakes[0], 35);
    CU_ASSERT_EQUAL(wake_hart[0], 1);
    CU_ASSERT_EQUAL(wake_hart[1], 0);
    CU_ASSERT_EQUAL(wake_hart[2], 1);
    CU_ASSERT_EQUAL(net.sent[0], 1);
    CU_ASSERT_EQUAL(net.sent[2], 2);
    CU_ASSERT_EQUAL(net.received[1], 2);
    CU_ASSERT_EQUAL(net.received[2], 0);
    /* ... and each hart's EMON unit counts its own. */
    CU_ASSERT_EQUAL(em[0].ev[EMON_IPIS_SENT], 1);
    CU_ASSERT_EQUAL(em[2].ev[EMON_IPIS_SENT], 2);
    CU_ASSERT_EQUAL(em[1].ev[EMON_IPIS_RECEIVED], 2);
    CU_ASSERT_EQUAL(em[0].ev[EMON_IPIS_RECEIVED], 1);
    CU_ASSERT_EQUAL(em[2].ev[EMON_IPIS_RECEIVED], 0);
    CU_ASSERT_EQUAL(intc_highest(&ics[1]), 0xa0);
    CU_ASSERT_EQUAL(ipi_send(&net, 0, 7, 1), -1);
    ipi_free(&net);
    rig_down(&r);
}

static CU_TestInfo tests[] = {
    {"interrupt priorities", test_priorities},
    {"timer one-shot and periodic", test_timer},
    {"IPIs with latency", test_ipis},
    CU_TEST_INFO_NULL,
};

CUNIT_MAIN("intc", tests)
