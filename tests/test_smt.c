/*
 * test_smt.c - issue slots shared by a core's threads (model/cpu/smt.h),
 * stepped by the native scheduler as the ISA front ends step their harts:
 * each step claims the core's next free cycle and adds its own stall.
 */
#include <string.h>

#include "cunit_main.h"
#include "model/cpu/smt.h"
#include "sim/sched_native.h"

/* A thread: `steps` steps, each of one issue cycle plus `stall` cycles
 * every `every` steps (0: never). */
struct thr {
    struct hart hart;
    struct smt_issue *slots;
    unsigned steps, every;
    uint64_t stall, waited, issued_at[64];
    unsigned done;
};

static enum step_status thr_step(struct hart *h, uint64_t now, struct step_out *out)
{
    struct thr *t = (struct thr *)h;
    uint64_t wait = t->slots ? smt_issue_claim(t->slots, now) : 0;
    if (t->done < 64)
        t->issued_at[t->done] = now + wait;
    t->waited += wait;
    t->done++;
    out->cycles = wait + 1 + (t->every && t->done % t->every == 0 ? t->stall : 0);
    out->retired = 1;
    if (t->done == t->steps)
        return STEP_HALT; /* sleeps for good: the run ends idle */
    return STEP_OK;
}

static const struct hart_ops thr_ops = {.step = thr_step};

/* Run threads a and b to their ends; returns the last end cycle. */
static uint64_t run2(struct thr *a, struct thr *b)
{
    struct sched *s = sched_native_new();
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    a->hart.ops = b->hart.ops = &thr_ops;
    CU_ASSERT_EQUAL(sched_add_hart(s, &a->hart), 0);
    CU_ASSERT_EQUAL(sched_add_hart(s, &b->hart), 0);
    struct run_limits lim = {0};
    struct run_result res;
    sched_run(s, &lim, &res);
    CU_ASSERT_EQUAL(res.reason, STOP_IDLE);
    uint64_t end = res.end_cycle;
    sched_free(s);
    return end;
}

/* Two threads always ready take alternate cycles: each issues at half the
 * rate it would alone, and the core issues in every cycle. */
static void test_round_robin(void)
{
    struct smt_issue core = {0};
    struct thr a = {.slots = &core, .steps = 20}, b = {.slots = &core, .steps = 20};
    uint64_t end = run2(&a, &b);
    for (unsigned i = 0; i < 20; i++) {
        CU_ASSERT_EQUAL(a.issued_at[i], 2 * i);
        CU_ASSERT_EQUAL(b.issued_at[i], 2 * i + 1);
    }
    CU_ASSERT_EQUAL(end, 40);
    CU_ASSERT_EQUAL(a.waited + b.waited, 39); /* all but the first of the 40 issues */
    /* Two cores: no sharing, each thread alone. */
    struct thr c = {.steps = 20}, d = {.steps = 20};
    CU_ASSERT_EQUAL(run2(&c, &d), 20);
    CU_ASSERT_EQUAL(c.waited + d.waited, 0);
}

/* A thread that stalls (a cache miss) holds no slot: its sibling issues
 * in every cycle of the stall. */
static void test_stall_frees_slots(void)
{
    struct smt_issue core = {0};
    /* a: one step, then a 10-cycle stall, then its second step. */
    struct thr a = {.slots = &core, .steps = 2, .every = 1, .stall = 10};
    struct thr b = {.slots = &core, .steps = 12};
    run2(&a, &b);
    CU_ASSERT_EQUAL(a.issued_at[0], 0);
    CU_ASSERT_EQUAL(b.issued_at[0], 1);
    /* b alone from cycle 1 through a's stall: one issue a cycle, no wait. */
    for (unsigned i = 1; i < 10; i++)
        CU_ASSERT_EQUAL(b.issued_at[i], 1 + i);
    /* a is ready again at 11 and takes its turn; b goes on around it. */
    CU_ASSERT_EQUAL(a.issued_at[1], 11);
    CU_ASSERT_EQUAL(b.issued_at[10], 12);
    CU_ASSERT_EQUAL(b.issued_at[11], 13);
    CU_ASSERT_EQUAL(a.waited, 0);
    CU_ASSERT_EQUAL(b.waited, 2); /* its first step, behind a, and at 11 */
}

static CU_TestInfo tests[] = {
    {"ready threads take alternate issue cycles", test_round_robin},
    {"a stalled thread leaves the slots to its sibling", test_stall_frees_slots},
    CU_TEST_INFO_NULL,
};

CUNIT_MAIN("smt", tests)
