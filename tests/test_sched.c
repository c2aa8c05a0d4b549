/*
 * test_sched.c - the native scheduler against hand-worked interleavings.
 *
 * Every step and event is logged globally as (who, time): who >= 0 is a
 * hart starting a step at its clock, who == EV is an event firing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cunit_main.h"
#include "scripted_hart.h"
#include "sim/sched_native.h"

#define EV     (-1)
#define MAXLOG 4096

struct entry {
    int who;
    uint64_t t;
};

static struct entry logbuf[MAXLOG];
static size_t nlog;
static const struct hart_ops *orig_ops;

static void log_it(int who, uint64_t t)
{
    if (nlog < MAXLOG)
        logbuf[nlog++] = (struct entry){who, t};
}

static enum step_status logging_step(struct hart *h, uint64_t now, struct step_out *out)
{
    log_it((int)h->id, now);
    return orig_ops->step(h, now, out);
}

static const struct hart_ops logging_ops = {.step = logging_step};

struct rig {
    struct sched *s;
    struct script *scripts[8];
    struct scripted_hart *harts[8];
    unsigned n;
};

static void rig_init(struct rig *r, const char *const *scripts, unsigned n)
{
    char err[128];
    memset(r, 0, sizeof(*r));
    nlog = 0;
    r->s = sched_native_new();
    r->n = n;
    for (unsigned i = 0; i < n; i++) {
        CU_ASSERT_EQUAL_FATAL(scripted_parse(scripts[i], &r->scripts[i], err, sizeof(err)), 0);
        r->harts[i] = scripted_hart_new(r->scripts[i], r->s, NULL);
        struct hart *h = scripted_hart_hart(r->harts[i]);
        orig_ops = h->ops;
        h->ops = &logging_ops;
        CU_ASSERT_EQUAL_FATAL(sched_add_hart(r->s, h), 0);
    }
}

static void rig_free(struct rig *r)
{
    sched_free(r->s);
    for (unsigned i = 0; i < r->n; i++) {
        scripted_hart_free(r->harts[i]);
        script_free(r->scripts[i]);
    }
}

static struct hart *H(struct rig *r, unsigned i)
{
    return scripted_hart_hart(r->harts[i]);
}

static bool log_equals(const struct entry *expect, size_t n)
{
    if (n != nlog)
        return false;
    for (size_t i = 0; i < n; i++)
        if (expect[i].who != logbuf[i].who || expect[i].t != logbuf[i].t)
            return false;
    return true;
}

static void test_interleaving(void)
{
    /* h0: 4 steps of 3 cycles; h1: 3 steps of 5.  Earliest clock first, ties
     * to the lower id; after their scripts both halt (one logged step each). */
    const char *sc[] = {"step 3 1 x4", "step 5 1 x3"};
    struct rig r;
    struct run_result res;
    rig_init(&r, sc, 2);
    sched_run(r.s, NULL, &res);
    const struct entry expect[] = {{0, 0}, {1, 0},  {0, 3},  {1, 5}, {0, 6},
                                   {0, 9}, {1, 10}, {0, 12}, {1, 15}};
    CU_ASSERT_TRUE(log_equals(expect, sizeof(expect) / sizeof(expect[0])));
    /* The comparison can fail: swapping the tie at clock 0 is detected. */
    struct entry wrong[sizeof(expect) / sizeof(expect[0])];
    memcpy(wrong, expect, sizeof(wrong));
    wrong[0].who = 1;
    wrong[1].who = 0;
    CU_ASSERT_FALSE(log_equals(wrong, sizeof(wrong) / sizeof(wrong[0])));
    CU_ASSERT_EQUAL(res.reason, STOP_IDLE);
    CU_ASSERT_PTR_NOT_NULL(strstr(res.message, "asleep"));
    CU_ASSERT_EQUAL(H(&r, 0)->retired, 4);
    CU_ASSERT_EQUAL(H(&r, 1)->retired, 3);
    CU_ASSERT_EQUAL(H(&r, 0)->clock, 13);
    CU_ASSERT_EQUAL(res.end_cycle, 16);
    rig_free(&r);
}

struct ev_arg {
    struct sched *s;
    int tag;
    int post_more;
};

static void ev_log(void *ctx, uint64_t now)
{
    struct ev_arg *a = ctx;
    CU_ASSERT_EQUAL(sched_now(a->s), now);
    log_it(EV - a->tag, now);
    if (a->post_more) {
        static struct ev_arg b = {NULL, 10, 0}, c = {NULL, 11, 0};
        b.s = c.s = a->s;
        sched_post(a->s, now, ev_log, &b);
        sched_post(a->s, now, ev_log, &c);
    }
}

static void test_events(void)
{
    /* Steps at 0, 10, 20, 30, 40.  Event tags: 20 fires before the step at
     * 20 (same time), 25 before the step at 30; the one at 5 posts two more
     * at 5, which fire after it in posting order; the cancelled one never. */
    const char *sc[] = {"step 10 1 x5"};
    struct rig r;
    struct run_result res;
    rig_init(&r, sc, 1);
    struct ev_arg a20 = {r.s, 1, 0}, a25 = {r.s, 2, 0}, a5 = {r.s, 3, 1}, ax = {r.s, 4, 0};
    sched_post(r.s, 25, ev_log, &a25);
    sched_post(r.s, 20, ev_log, &a20);
    sched_post(r.s, 5, ev_log, &a5);
    uint64_t id = sched_post(r.s, 7, ev_log, &ax);
    CU_ASSERT_TRUE(id > 0);
    CU_ASSERT_TRUE(sched_cancel(r.s, id));
    CU_ASSERT_FALSE(sched_cancel(r.s, id));
    CU_ASSERT_FALSE(sched_cancel(r.s, 9999));
    CU_ASSERT_FALSE(sched_cancel(r.s, 0));
    sched_run(r.s, NULL, &res);
    const struct entry expect[] = {{0, 0},  {EV - 3, 5},  {EV - 10, 5}, {EV - 11, 5},
                                   {0, 10}, {EV - 1, 20}, {0, 20},      {EV - 2, 25},
                                   {0, 30}, {0, 40},      {0, 50}};
    CU_ASSERT_TRUE(log_equals(expect, sizeof(expect) / sizeof(expect[0])));
    rig_free(&r);
}

static void wake0(void *ctx, uint64_t now)
{
    sched_wake(ctx, 0, now);
}

static void test_halt_and_wake(void)
{
    const char *sc[] = {"step 2 1\nhalt\nstep 1 1"};
    struct rig r;
    struct run_result res;
    rig_init(&r, sc, 1);
    sched_post(r.s, 100, wake0, r.s);
    sched_run(r.s, NULL, &res);
    /* step @0 -> 2; halt @2 -> 3 asleep; woken at 100; step @100 -> 101; halt. */
    const struct entry expect[] = {{0, 0}, {0, 2}, {0, 100}, {0, 101}};
    CU_ASSERT_TRUE(log_equals(expect, 4));
    CU_ASSERT_EQUAL(H(&r, 0)->sleep_cycles, 97);
    CU_ASSERT_EQUAL(H(&r, 0)->cycles, 5);
    CU_ASSERT_EQUAL(H(&r, 0)->clock, 102);
    CU_ASSERT_EQUAL(res.reason, STOP_IDLE);
    /* Waking a hart that is awake does nothing. */
    sched_wake(r.s, 0, 5);
    sched_wake(r.s, 7, 5);
    rig_free(&r);
}

static void test_max_cycles_and_continue(void)
{
    const char *sc[] = {"step 3 2 x1000"};
    struct rig r;
    struct run_result res;
    struct run_limits lim = {.max_cycles = 10};
    rig_init(&r, sc, 1);
    sched_run(r.s, &lim, &res);
    /* Steps start at 0, 3, 6, 9 (< 10); the last ends at 12. */
    CU_ASSERT_EQUAL(res.reason, STOP_MAX_CYCLES);
    CU_ASSERT_EQUAL(res.end_cycle, 12);
    CU_ASSERT_EQUAL(H(&r, 0)->retired, 8);
    lim.max_cycles = 20;
    sched_run(r.s, &lim, &res);
    /* Continues at 12, 15, 18 -> 21. */
    CU_ASSERT_EQUAL(res.reason, STOP_MAX_CYCLES);
    CU_ASSERT_EQUAL(res.end_cycle, 21);
    CU_ASSERT_EQUAL(H(&r, 0)->retired, 14);
    /* A limit equal to the clock starts nothing. */
    lim.max_cycles = 21;
    sched_run(r.s, &lim, &res);
    CU_ASSERT_EQUAL(H(&r, 0)->retired, 14);
    rig_free(&r);
}

static void stop_twice(void *ctx, uint64_t now)
{
    (void)now;
    sched_stop(ctx, 5, "first");
    sched_stop(ctx, 6, "second");
}

static void test_stops(void)
{
    struct rig r;
    struct run_result res;
    const char *ex[] = {"step 1 0\nexit 7\nstep 1 1 x100"};
    rig_init(&r, ex, 1);
    sched_run(r.s, NULL, &res);
    CU_ASSERT_EQUAL(res.reason, STOP_EXIT);
    CU_ASSERT_EQUAL(res.exit_status, 7);
    CU_ASSERT_EQUAL(H(&r, 0)->clock, 2);
    rig_free(&r);

    const char *ev[] = {"post 5 stop 9\nstep 1 1 x100"};
    rig_init(&r, ev, 1);
    sched_run(r.s, NULL, &res);
    /* post @0 -> 1; steps at 1..4; the event at 5 fires before the step at 5. */
    CU_ASSERT_EQUAL(res.reason, STOP_EXIT);
    CU_ASSERT_EQUAL(res.exit_status, 9);
    CU_ASSERT_EQUAL(H(&r, 0)->retired, 4);
    rig_free(&r);

    const char *two[] = {"exit 1", "exit 2"};
    rig_init(&r, two, 2);
    sched_run(r.s, NULL, &res);
    CU_ASSERT_EQUAL(res.exit_status, 1);
    CU_ASSERT_EQUAL(nlog, 1);
    rig_free(&r);

    const char *sp[] = {"step 1 1 x100"};
    rig_init(&r, sp, 1);
    sched_post(r.s, 3, stop_twice, r.s);
    sched_run(r.s, NULL, &res);
    CU_ASSERT_EQUAL(res.exit_status, 5);
    CU_ASSERT_PTR_NOT_NULL(strstr(res.message, "first"));
    rig_free(&r);
}

static void test_fatal_and_bugs(void)
{
    struct rig r;
    struct run_result res;
    const char *f[] = {"step 1 1", "step 2 1\nfatal invalid opcode"};
    rig_init(&r, f, 2);
    sched_run(r.s, NULL, &res);
    CU_ASSERT_EQUAL(res.reason, STOP_FATAL);
    CU_ASSERT_EQUAL(res.fatal.hart, 1);
    CU_ASSERT_EQUAL(res.fatal.ip, 1);
    CU_ASSERT_EQUAL(res.fatal.nbytes, 4);
    CU_ASSERT_EQUAL(memcmp(res.fatal.bytes, "fata", 4), 0);
    CU_ASSERT_STRING_EQUAL(res.fatal.cause, "invalid opcode");
    CU_ASSERT_STRING_EQUAL(res.message, "hart 1: invalid opcode");
    rig_free(&r);

    const char *z[] = {"step 0 1"};
    rig_init(&r, z, 1);
    sched_run(r.s, NULL, &res);
    CU_ASSERT_EQUAL(res.reason, STOP_FATAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(res.message, "0 cycles"));
    rig_free(&r);

    struct sched *s = sched_native_new();
    sched_run(s, NULL, &res);
    CU_ASSERT_EQUAL(res.reason, STOP_NO_HARTS);
    sched_free(s);
}

static void test_script_errors(void)
{
    struct script *s = NULL;
    char err[128];
    CU_ASSERT_EQUAL(scripted_parse("step 1 1\n# c\n\nfrob 3\n", &s, err, sizeof(err)), -1);
    CU_ASSERT_STRING_EQUAL(err, "line 4: cannot parse 'frob 3'");
    CU_ASSERT_PTR_NULL(s);
    CU_ASSERT_EQUAL(scripted_parse("step 1 1\nloop 5\n", &s, err, sizeof(err)), -1);
    CU_ASSERT_EQUAL(scripted_parse("step x\n", &s, err, sizeof(err)), -1);
    CU_ASSERT_STRING_EQUAL(err, "line 1: cannot parse 'step x'");
}

static void copy_log(struct entry *dst, size_t *n)
{
    memcpy(dst, logbuf, nlog * sizeof(*dst));
    *n = nlog;
}

static void test_determinism(void)
{
    const char *sc[] = {
        "step 3 2 x50\npost 7 wake 3\nstep 2 1 x40\nloop 0",
        "step 5 1 x20\nhalt\nstep 1 1 x30\nloop 0",
        "step 7 7 x10\npost 1 wake 1\nloop 0",
        "halt\nstep 4 2 x25\npost 3 wake 1\nloop 1",
    };
    static struct entry first[MAXLOG];
    size_t nfirst;
    struct run_limits lim = {.max_cycles = 5000};
    struct run_result res;
    struct rig r;
    rig_init(&r, sc, 4);
    sched_run(r.s, &lim, &res);
    copy_log(first, &nfirst);
    uint64_t end = res.end_cycle;
    rig_free(&r);
    rig_init(&r, sc, 4);
    sched_run(r.s, &lim, &res);
    CU_ASSERT_EQUAL(res.end_cycle, end);
    CU_ASSERT_TRUE(nfirst > 1000);
    CU_ASSERT_TRUE(log_equals(first, nfirst));
    rig_free(&r);
}

static CU_TestInfo tests[] = {
    {"earliest clock first, ties to lowest id", test_interleaving},
    {"events fire before harts pass them", test_events},
    {"halt and wake", test_halt_and_wake},
    {"max_cycles and continuation", test_max_cycles_and_continue},
    {"exit from steps and events", test_stops},
    {"fatal errors and front-end bugs", test_fatal_and_bugs},
    {"script parse errors", test_script_errors},
    {"determinism", test_determinism},
    CU_TEST_INFO_NULL,
};

CUNIT_MAIN("sched", tests)
