/*
 * test_sched.c - the native scheduler (sim/sched.c) and the scripted hart
 * (tests/scripted_hart.c) against hand-worked interleavings, and the event
 * queue against a naive reference (sort by time, then posting order).
 *
 * Every hart step and every test event goes into one global log as
 * (who, time): who >= 0 is hart `who` starting a step at clock `time`,
 * who < 0 is the event tagged -who firing at `time`.  Each kind of
 * comparison is also run once against a deliberately wrong expectation, to
 * prove that it can fail.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cunit_main.h"
#include "model/base/file.h"
#include "scripted_hart.h"
#include "sim/sched_native.h"

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))
#define MAXLOG  (1u << 16)
#define MAXH    16

struct rec {
    int who;
    uint64_t t;
};

static struct rec logbuf[MAXLOG];
static size_t nlog;

static void log_rec(int who, uint64_t t)
{
    if (nlog < MAXLOG)
        logbuf[nlog++] = (struct rec){who, t};
}

/* Index of the first difference between the log and want[0..n), or -1. */
static long log_diff(const struct rec *want, size_t n)
{
    size_t m = n < nlog ? n : nlog;
    for (size_t i = 0; i < m; i++)
        if (want[i].who != logbuf[i].who || want[i].t != logbuf[i].t)
            return (long)i;
    return n == nlog ? -1 : (long)m;
}

static void check_log(const struct rec *want, size_t n, int line)
{
    long d = log_diff(want, n);
    if (d >= 0) {
        fprintf(stderr, "\nline %d: log differs at %ld (who,time: got / want)\n", line, d);
        for (size_t i = 0; i < nlog || i < n; i++) {
            if (i < nlog)
                fprintf(stderr, "  %zu: %d,%llu", i, logbuf[i].who,
                        (unsigned long long)logbuf[i].t);
            else
                fprintf(stderr, "  %zu: -", i);
            if (i < n)
                fprintf(stderr, " / %d,%llu\n", want[i].who, (unsigned long long)want[i].t);
            else
                fprintf(stderr, " / -\n");
        }
    }
    CU_ASSERT_EQUAL(d, -1);
}

#define CHECK_LOG(want) check_log(want, N_OF(want), __LINE__)

/* Scripted harts, logged: every scripted hart shares the same ops, which
 * the wrapper calls after logging. */
static const struct hart_ops *scripted_ops;

static enum step_status logged_step(struct hart *h, uint64_t now, struct step_out *out)
{
    log_rec((int)h->id, now);
    return scripted_ops->step(h, now, out);
}

static const struct hart_ops logged_ops = {.step = logged_step};

struct rig {
    struct sched *s;
    struct script *sc[MAXH];
    struct scripted_hart *sh[MAXH];
    unsigned n;
};

/* A scripted hart running `text`, logged; not yet added to the scheduler. */
static struct hart *rig_make(struct rig *r, const char *text)
{
    char err[160];
    unsigned i = r->n;
    CU_ASSERT_FATAL(i < MAXH);
    CU_ASSERT_EQUAL_FATAL(scripted_parse(text, &r->sc[i], err, sizeof(err)), 0);
    r->sh[i] = scripted_hart_new(r->sc[i], r->s, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(r->sh[i]);
    r->n++;
    struct hart *h = scripted_hart_hart(r->sh[i]);
    scripted_ops = h->ops;
    h->ops = &logged_ops;
    return h;
}

static struct hart *rig_add(struct rig *r, const char *text)
{
    struct hart *h = rig_make(r, text);
    CU_ASSERT_EQUAL_FATAL(sched_add_hart(r->s, h), 0);
    return h;
}

static void rig_up(struct rig *r, const char *const *texts, unsigned n)
{
    memset(r, 0, sizeof(*r));
    nlog = 0;
    r->s = sched_native_new();
    CU_ASSERT_PTR_NOT_NULL_FATAL(r->s);
    for (unsigned i = 0; i < n; i++)
        rig_add(r, texts[i]);
}

static void rig_down(struct rig *r)
{
    sched_free(r->s);
    for (unsigned i = 0; i < r->n; i++) {
        scripted_hart_free(r->sh[i]);
        script_free(r->sc[i]);
    }
    memset(r, 0, sizeof(*r));
}

/* The i-th scripted hart made by the rig (its id when added in order). */
static struct hart *H(struct rig *r, unsigned i)
{
    return scripted_hart_hart(r->sh[i]);
}

/* A test event: logs its tag and checks sched_now. */
struct tag {
    struct sched *s;
    int tag;
};

static void ev_log(void *ctx, uint64_t now)
{
    struct tag *t = ctx;
    CU_ASSERT_EQUAL(sched_now(t->s), now);
    log_rec(-t->tag, now);
}

/* ---- ordering ---- */

static void test_interleaving(void)
{
    /* h0: 4 steps of 3 cycles, h1: 3 steps of 5; then each halts (a logged
     * 1-cycle step).  Worked by hand: smallest clock first, ties to id 0. */
    const char *sc[] = {"step 3 1 x4", "step 5 1 x3"};
    const struct rec want[] = {{0, 0}, {1, 0},  {0, 3},  {1, 5}, {0, 6},
                               {0, 9}, {1, 10}, {0, 12}, {1, 15}};
    struct rig r;
    struct run_result res;
    rig_up(&r, sc, 2);
    CU_ASSERT_EQUAL(sched_run(r.s, NULL, &res), 0);
    CHECK_LOG(want);
    /* The comparison can fail: the tie at clock 0 swapped, or one step too
     * many, are both reported. */
    struct rec wrong[N_OF(want)];
    memcpy(wrong, want, sizeof(wrong));
    wrong[0].who = 1;
    wrong[1].who = 0;
    CU_ASSERT_EQUAL(log_diff(wrong, N_OF(wrong)), 0);
    CU_ASSERT_EQUAL(log_diff(want, N_OF(want) - 1), (long)N_OF(want) - 1);
    CU_ASSERT_EQUAL(res.reason, STOP_IDLE);
    CU_ASSERT_EQUAL(res.end_cycle, 16);
    CU_ASSERT_EQUAL(H(&r, 0)->retired, 4);
    CU_ASSERT_EQUAL(H(&r, 0)->cycles, 13);
    CU_ASSERT_EQUAL(H(&r, 0)->clock, 13);
    CU_ASSERT_EQUAL(H(&r, 1)->retired, 3);
    CU_ASSERT_EQUAL(H(&r, 1)->cycles, 16);
    CU_ASSERT_TRUE(H(&r, 1)->sleeping);
    rig_down(&r);
}

static void test_ties_by_id(void)
{
    /* h0 4,4; h1 2,2,2,2; h2 1,3; every hart meets the others at clock 4. */
    const char *sc[] = {"step 4 0 x2", "step 2 0 x4", "step 1 0\nstep 3 0"};
    const struct rec want[] = {{0, 0}, {1, 0}, {2, 0}, {2, 1}, {1, 2}, {0, 4},
                               {1, 4}, {2, 4}, {1, 6}, {0, 8}, {1, 8}};
    struct rig r;
    struct run_result res;
    rig_up(&r, sc, 3);
    sched_run(r.s, NULL, &res);
    CHECK_LOG(want);
    CU_ASSERT_EQUAL(res.reason, STOP_IDLE);
    CU_ASSERT_EQUAL(res.end_cycle, 9);
    rig_down(&r);
}

/* ---- events ---- */

struct spawner_ev {
    struct tag self;
    struct tag more[3];
};

static void ev_spawn(void *ctx, uint64_t now)
{
    struct spawner_ev *e = ctx;
    ev_log(&e->self, now);
    /* Two at the same time and one in the past (clamped to now): all three
     * fire in this pass, after this one, in posting order. */
    CU_ASSERT_NOT_EQUAL(sched_post(e->self.s, now, ev_log, &e->more[0]), 0);
    CU_ASSERT_NOT_EQUAL(sched_post(e->self.s, now, ev_log, &e->more[1]), 0);
    CU_ASSERT_NOT_EQUAL(sched_post(e->self.s, 2, ev_log, &e->more[2]), 0);
}

static void test_events_before_harts(void)
{
    const char *sc[] = {"step 10 1 x5"};
    struct rig r;
    struct run_result res;
    rig_up(&r, sc, 1);
    struct tag t1 = {r.s, 1}, t2 = {r.s, 2}, t4 = {r.s, 4}, t5 = {r.s, 5}, t6 = {r.s, 6};
    struct spawner_ev t3 = {{r.s, 3}, {{r.s, 10}, {r.s, 11}, {r.s, 12}}};
    /* Ids count from 1 in posting order. */
    CU_ASSERT_EQUAL(sched_post(r.s, 25, ev_log, &t2), 1);
    CU_ASSERT_EQUAL(sched_post(r.s, 20, ev_log, &t1), 2);
    CU_ASSERT_EQUAL(sched_post(r.s, 5, ev_spawn, &t3), 3);
    uint64_t id4 = sched_post(r.s, 7, ev_log, &t4);
    CU_ASSERT_EQUAL(id4, 4);
    CU_ASSERT_EQUAL(sched_post(r.s, 30, ev_log, &t6), 5);
    CU_ASSERT_EQUAL(sched_post(r.s, 30, ev_log, &t5), 6);
    CU_ASSERT_EQUAL(sched_post(r.s, 30, NULL, &t5), 0);
    CU_ASSERT_TRUE(sched_cancel(r.s, id4));
    CU_ASSERT_FALSE(sched_cancel(r.s, id4));
    CU_ASSERT_FALSE(sched_cancel(r.s, 0));
    CU_ASSERT_FALSE(sched_cancel(r.s, 9999));
    CU_ASSERT_EQUAL(sched_run(r.s, NULL, &res), 0);
    /* Steps at 0..50 every 10.  An event at a hart's clock fires before the
     * step (20, 30); one between steps fires before the hart passes it (5,
     * 25); equal times fire in posting order (6 before 5). */
    const struct rec want[] = {{0, 0},  {-3, 5},  {-10, 5}, {-11, 5}, {-12, 5}, {0, 10}, {-1, 20},
                               {0, 20}, {-2, 25}, {-6, 30}, {-5, 30}, {0, 30},  {0, 40}, {0, 50}};
    CHECK_LOG(want);
    CU_ASSERT_EQUAL(res.reason, STOP_IDLE);
    /* Fired events cannot be cancelled; new ids keep counting. */
    CU_ASSERT_FALSE(sched_cancel(r.s, 1));
    CU_ASSERT_EQUAL(sched_post(r.s, 100, ev_log, &t1), 10);
    rig_down(&r);
}

struct canceller {
    struct sched *s;
    uint64_t self_id, victim_id;
    bool self_ok, victim_ok;
};

static void ev_cancel(void *ctx, uint64_t now)
{
    struct canceller *c = ctx;
    log_rec(-1, now);
    c->self_ok = sched_cancel(c->s, c->self_id);
    c->victim_ok = sched_cancel(c->s, c->victim_id);
}

static void test_cancel_inside_events(void)
{
    const char *sc[] = {"halt"};
    struct rig r;
    struct run_result res;
    rig_up(&r, sc, 1);
    struct canceller c = {.s = r.s};
    struct tag t2 = {r.s, 2}, t3 = {r.s, 3};
    c.self_id = sched_post(r.s, 10, ev_cancel, &c);
    c.victim_id = sched_post(r.s, 20, ev_log, &t2);
    sched_post(r.s, 30, ev_log, &t3);
    sched_run(r.s, NULL, &res);
    /* The hart sleeps from 1; time jumps to each event; 20 was cancelled. */
    const struct rec want[] = {{0, 0}, {-1, 10}, {-3, 30}};
    CHECK_LOG(want);
    CU_ASSERT_FALSE(c.self_ok);
    CU_ASSERT_TRUE(c.victim_ok);
    CU_ASSERT_EQUAL(res.reason, STOP_IDLE);
    CU_ASSERT_EQUAL(sched_now(r.s), 30);
    rig_down(&r);
}

/* The event queue against a reference: 1000 events at pseudo-random times
 * with many ties (enough to grow the slab and rehash the id map several
 * times), every third cancelled; the rest must fire sorted by (time, id). */
#define NREF 1000

struct refev {
    uint64_t time, id;
    int idx;
    bool cancelled;
};

static int fired[NREF];
static size_t nfired;

static void ev_record(void *ctx, uint64_t now)
{
    const struct refev *e = ctx;
    CU_ASSERT_EQUAL(now, e->time);
    if (nfired < NREF)
        fired[nfired++] = e->idx;
}

static int ref_cmp(const void *pa, const void *pb)
{
    const struct refev *a = pa, *b = pb;
    if (a->time != b->time)
        return a->time < b->time ? -1 : 1;
    return a->id < b->id ? -1 : a->id > b->id;
}

static long seq_diff(const int *a, size_t na, const int *b, size_t nb)
{
    size_t m = na < nb ? na : nb;
    for (size_t i = 0; i < m; i++)
        if (a[i] != b[i])
            return (long)i;
    return na == nb ? -1 : (long)m;
}

static void test_event_queue_reference(void)
{
    static struct refev evs[NREF], sorted[NREF];
    static int want[NREF];
    const char *sc[] = {"halt"};
    struct rig r;
    struct run_result res;
    uint64_t x = 12345;
    size_t nwant = 0;
    rig_up(&r, sc, 1);
    nfired = 0;
    for (int i = 0; i < NREF; i++) {
        x = x * 6364136223846793005ull + 1442695040888963407ull;
        evs[i] = (struct refev){.time = (x >> 33) % 500, .idx = i};
        evs[i].id = sched_post(r.s, evs[i].time, ev_record, &evs[i]);
        CU_ASSERT_EQUAL(evs[i].id, (uint64_t)i + 1);
        if (i % 3 == 2) {
            /* Cancel an earlier one too, so removals hit the middle of the heap. */
            int j = (int)((x >> 20) % (uint64_t)(i + 1));
            if (!evs[j].cancelled) {
                CU_ASSERT_TRUE(sched_cancel(r.s, evs[j].id));
                evs[j].cancelled = true;
            }
        }
    }
    for (int i = 0; i < NREF; i++)
        if (!evs[i].cancelled)
            sorted[nwant++] = evs[i];
    qsort(sorted, nwant, sizeof(sorted[0]), ref_cmp);
    for (size_t i = 0; i < nwant; i++)
        want[i] = sorted[i].idx;
    CU_ASSERT_TRUE(nwant > NREF / 2 && nwant < NREF);
    sched_run(r.s, NULL, &res);
    CU_ASSERT_EQUAL(res.reason, STOP_IDLE);
    CU_ASSERT_EQUAL(nfired, nwant);
    CU_ASSERT_EQUAL(seq_diff(fired, nfired, want, nwant), -1);
    /* The comparison can fail: two events of different times swapped. */
    size_t k = 0;
    while (k + 1 < nwant && sorted[k].time == sorted[k + 1].time)
        k++;
    int t = want[k];
    want[k] = want[k + 1];
    want[k + 1] = t;
    CU_ASSERT_EQUAL(seq_diff(fired, nfired, want, nwant), (long)k);
    /* Fired and cancelled ids stay dead; new ids are never reused ones. */
    CU_ASSERT_FALSE(sched_cancel(r.s, evs[0].id));
    uint64_t id = sched_post(r.s, 1000, ev_record, &evs[0]);
    CU_ASSERT_EQUAL(id, NREF + 1);
    CU_ASSERT_TRUE(sched_cancel(r.s, id));
    CU_ASSERT_FALSE(sched_cancel(r.s, id));
    rig_down(&r);
}

/* The event queue under churn against a linear reference: ~48 events
 * pending at all times over 20000 firings, each firing posting a new one and
 * now and then cancelling a random pending one, so the ids alive at once
 * spread far apart and collide in the id map.  At every firing the reference
 * names the event that must fire: the earliest (time, id) it holds. */
#define CHURN_LIVE  48
#define CHURN_FIRES 20000
#define CHURN_POSTS (CHURN_LIVE + 2 * CHURN_FIRES)

struct churn_ev {
    uint64_t time, id;
};

static struct churn {
    struct sched *s;
    struct churn_ev live[CHURN_LIVE + 1]; /* the reference: pending events */
    unsigned nlive;
    uint64_t post_id[CHURN_POSTS]; /* id of each post, found through ctx */
    unsigned nposts;
    uint64_t x;
    unsigned fires, wrong, cancels;
    uint64_t last_fired;
    bool later_id_first; /* a deliberately wrong reference */
} churn;

static uint64_t churn_rand(void)
{
    churn.x = churn.x * 6364136223846793005ull + 1442695040888963407ull;
    return churn.x >> 33;
}

static void ev_churn(void *ctx, uint64_t now);

static void churn_post(uint64_t now)
{
    uint64_t t = now + churn_rand() % 200;
    unsigned k = churn.nposts++;
    CU_ASSERT_FATAL(k < CHURN_POSTS);
    churn.post_id[k] = sched_post(churn.s, t, ev_churn, &churn.post_id[k]);
    churn.live[churn.nlive++] = (struct churn_ev){t, churn.post_id[k]};
}

static void churn_forget(unsigned i)
{
    churn.live[i] = churn.live[--churn.nlive];
}

static bool churn_before(const struct churn_ev *a, const struct churn_ev *b)
{
    if (a->time != b->time)
        return a->time < b->time;
    return churn.later_id_first ? a->id > b->id : a->id < b->id;
}

static void ev_churn(void *ctx, uint64_t now)
{
    const uint64_t *id = ctx;
    unsigned m = 0;
    for (unsigned i = 1; i < churn.nlive; i++)
        if (churn_before(&churn.live[i], &churn.live[m]))
            m = i;
    if (churn.live[m].id != *id || churn.live[m].time != now)
        churn.wrong++;
    for (unsigned i = 0; i < churn.nlive; i++)
        if (churn.live[i].id == *id)
            churn_forget(i);
    churn.last_fired = *id;
    CU_ASSERT_FALSE(sched_cancel(churn.s, *id));
    churn_post(now);
    if (churn_rand() % 4 == 0) {
        unsigned j = (unsigned)(churn_rand() % churn.nlive);
        uint64_t victim = churn.live[j].id;
        CU_ASSERT_TRUE(sched_cancel(churn.s, victim));
        CU_ASSERT_FALSE(sched_cancel(churn.s, victim));
        churn_forget(j);
        churn.cancels++;
        churn_post(now);
    }
    if (++churn.fires == CHURN_FIRES)
        sched_stop(churn.s, 0, "churn done");
}

static void churn_run(bool later_id_first)
{
    const char *sc[] = {"halt"};
    struct rig r;
    struct run_result res;
    rig_up(&r, sc, 1);
    memset(&churn, 0, sizeof(churn));
    churn.s = r.s;
    churn.x = 99;
    churn.later_id_first = later_id_first;
    for (unsigned i = 0; i < CHURN_LIVE; i++)
        churn_post(0);
    sched_run(r.s, NULL, &res);
    CU_ASSERT_EQUAL(res.reason, STOP_EXIT);
    CU_ASSERT_EQUAL(churn.fires, CHURN_FIRES);
    CU_ASSERT_EQUAL(churn.nlive, CHURN_LIVE);
    CU_ASSERT_TRUE(churn.cancels > CHURN_FIRES / 5);
    rig_down(&r);
}

static void test_event_queue_churn(void)
{
    churn_run(false);
    CU_ASSERT_EQUAL(churn.wrong, 0);
    /* The comparison can fail: a reference that breaks ties the wrong way
     * disagrees with the scheduler. */
    churn_run(true);
    CU_ASSERT_TRUE(churn.wrong > 0);
}

/* ---- sleeping and waking ---- */

struct waker {
    struct sched *s;
    int tag;
    unsigned hart;
    uint64_t when;
};

static void ev_wake(void *ctx, uint64_t now)
{
    struct waker *w = ctx;
    log_rec(-w->tag, now);
    sched_wake(w->s, w->hart, w->when);
}

static void test_halt_and_wake(void)
{
    const char *sc[] = {"step 2 1\nhalt\nstep 1 1\nhalt\nstep 1 1\nhalt\nstep 1 1"};
    struct rig r;
    struct run_result res;
    rig_up(&r, sc, 1);
    /* Woken at the event's time, later than it, and "earlier than now",
     * which means now. */
    struct waker w1 = {r.s, 1, 0, 100}, w2 = {r.s, 2, 0, 180}, w3 = {r.s, 3, 0, 0};
    sched_post(r.s, 100, ev_wake, &w1);
    sched_post(r.s, 150, ev_wake, &w2);
    sched_post(r.s, 300, ev_wake, &w3);
    sched_run(r.s, NULL, &res);
    const struct rec want[] = {{0, 0},   {0, 2},   {-1, 100}, {0, 100}, {0, 101}, {-2, 150},
                               {0, 180}, {0, 181}, {-3, 300}, {0, 300}, {0, 301}};
    CHECK_LOG(want);
    /* Asleep 3..100, 102..180, 182..300. */
    CU_ASSERT_EQUAL(H(&r, 0)->sleep_cycles, 97 + 78 + 118);
    CU_ASSERT_EQUAL(H(&r, 0)->cycles, 9);
    CU_ASSERT_EQUAL(H(&r, 0)->clock, 302);
    CU_ASSERT_EQUAL(H(&r, 0)->retired, 4);
    CU_ASSERT_TRUE(H(&r, 0)->sleeping);
    CU_ASSERT_EQUAL(res.reason, STOP_IDLE);
    CU_ASSERT_EQUAL(res.end_cycle, 302);
    /* An unknown hart is ignored; a wake between runs works like any other. */
    sched_wake(r.s, 7, 5);
    sched_wake(r.s, 0, 400);
    CU_ASSERT_FALSE(H(&r, 0)->sleeping);
    CU_ASSERT_EQUAL(H(&r, 0)->clock, 400);
    CU_ASSERT_EQUAL(H(&r, 0)->sleep_cycles, 97 + 78 + 118 + 98);
    sched_run(r.s, NULL, &res);
    CU_ASSERT_EQUAL(H(&r, 0)->clock, 401);
    rig_down(&r);

    /* Waking a hart that is awake does nothing. */
    const char *busy[] = {"step 1 1 x5"};
    rig_up(&r, busy, 1);
    struct waker w4 = {r.s, 4, 0, 50};
    sched_post(r.s, 1, ev_wake, &w4);
    sched_run(r.s, NULL, &res);
    const struct rec want2[] = {{0, 0}, {-4, 1}, {0, 1}, {0, 2}, {0, 3}, {0, 4}, {0, 5}};
    CHECK_LOG(want2);
    CU_ASSERT_EQUAL(H(&r, 0)->sleep_cycles, 0);
    rig_down(&r);
}

/* A hand-made hart for what scripts cannot do from inside a step. */
enum probe_mode { PROBE_WAKER, PROBE_SPAWNER, PROBE_BAD_STATUS, PROBE_HUGE, PROBE_HALT0 };

struct probe {
    struct hart h;
    enum probe_mode mode;
    struct sched *s;
    unsigned steps;
    struct hart *spawn;
    struct tag tag;
    int inner_run, add_rc;
};

static enum step_status probe_step(struct hart *h, uint64_t now, struct step_out *out)
{
    struct probe *p = h->impl;
    struct run_result inner;
    log_rec((int)h->id, now);
    p->steps++;
    switch (p->mode) {
    case PROBE_WAKER:
        if (now == 10)
            sched_wake(p->s, 0, now);
        out->cycles = 10;
        return STEP_OK;
    case PROBE_SPAWNER:
        if (p->steps == 2) {
            p->inner_run = sched_run(p->s, NULL, &inner);
            p->add_rc = sched_add_hart(p->s, p->spawn);
            sched_post(p->s, now, ev_log, &p->tag);
        }
        out->cycles = p->steps == 3 ? 1 : 5;
        return p->steps == 3 ? STEP_HALT : STEP_OK;
    case PROBE_BAD_STATUS:
        out->cycles = 1;
        return (enum step_status)42;
    case PROBE_HUGE:
        out->cycles = UINT64_MAX;
        out->retired = 1;
        return STEP_OK;
    case PROBE_HALT0:
        return STEP_HALT;
    }
    return STEP_FATAL;
}

static const struct hart_ops probe_ops = {.step = probe_step};

static void probe_init(struct probe *p, enum probe_mode mode, struct sched *s)
{
    *p = (struct probe){.h = {.ops = &probe_ops, .impl = p}, .mode = mode, .s = s};
}

static void test_wake_inside_step(void)
{
    /* h1 wakes h0 from inside its own step at 10.  h0 (clock 10, id 0) then
     * goes before h2 and h3 (clock 10) but after h1's step, and h1's own
     * place in the heap must survive being pushed down by the wake. */
    struct rig r;
    struct run_result res;
    struct probe w;
    struct run_limits lim = {.max_cycles = 35};
    rig_up(&r, NULL, 0);
    rig_add(&r, "halt\nstep 1 0 x3");
    probe_init(&w, PROBE_WAKER, r.s);
    CU_ASSERT_EQUAL(sched_add_hart(r.s, &w.h), 0);
    rig_add(&r, "step 10 0 x5");
    rig_add(&r, "step 10 0 x5");
    sched_run(r.s, &lim, &res);
    const struct rec want[] = {{0, 0},  {1, 0},  {2, 0},  {3, 0},  {1, 10}, {0, 10},
                               {2, 10}, {3, 10}, {0, 11}, {0, 12}, {0, 13}, {1, 20},
                               {2, 20}, {3, 20}, {1, 30}, {2, 30}, {3, 30}};
    CHECK_LOG(want);
    CU_ASSERT_EQUAL(res.reason, STOP_MAX_CYCLES);
    CU_ASSERT_EQUAL(res.end_cycle, 40);
    CU_ASSERT_EQUAL(H(&r, 0)->sleep_cycles, 9);
    rig_down(&r);
}

static void test_event_wakes_earlier_hart(void)
{
    /* h0's long step takes it to 100.  The event at 50 wakes h1, which must
     * step at 50 before the event at 60 fires: time never runs backwards. */
    const char *sc[] = {"step 100 0\nstep 1 0 x3", "halt\nstep 10 0 x3"};
    struct rig r;
    struct run_result res;
    rig_up(&r, sc, 2);
    struct waker w = {r.s, 1, 1, 0};
    struct tag t2 = {r.s, 2};
    sched_post(r.s, 50, ev_wake, &w);
    sched_post(r.s, 60, ev_log, &t2);
    sched_run(r.s, NULL, &res);
    const struct rec want[] = {{0, 0},  {1, 0},  {-1, 50}, {1, 50},  {-2, 60}, {1, 60},
                               {1, 70}, {1, 80}, {0, 100}, {0, 101}, {0, 102}, {0, 103}};
    CHECK_LOG(want);
    CU_ASSERT_EQUAL(H(&r, 1)->sleep_cycles, 49);
    rig_down(&r);
}

/* ---- how runs end ---- */

static void test_idle_and_no_harts(void)
{
    const char *sc[] = {"step 1 1\nhalt"};
    struct rig r;
    struct run_result res;
    rig_up(&r, sc, 1);
    CU_ASSERT_EQUAL(sched_run(r.s, NULL, &res), 0);
    CU_ASSERT_EQUAL(res.reason, STOP_IDLE);
    CU_ASSERT_STRING_EQUAL(res.message, "every hart is asleep and no event is pending");
    CU_ASSERT_EQUAL(res.end_cycle, 2);
    CU_ASSERT_EQUAL(sched_run(r.s, NULL, NULL), -1);
    /* Bad harts are refused. */
    struct hart bare = {0};
    CU_ASSERT_EQUAL(sched_add_hart(r.s, NULL), -1);
    CU_ASSERT_EQUAL(sched_add_hart(r.s, &bare), -1);
    CU_ASSERT_EQUAL(sched_add_hart(r.s, H(&r, 0)), -1);
    rig_down(&r);

    rig_up(&r, NULL, 0);
    struct tag t1 = {r.s, 1};
    sched_post(r.s, 5, ev_log, &t1);
    CU_ASSERT_EQUAL(sched_run(r.s, NULL, &res), 0);
    CU_ASSERT_EQUAL(res.reason, STOP_NO_HARTS);
    CU_ASSERT_EQUAL(nlog, 0);
    rig_down(&r);
    sched_free(NULL);
}

static void test_max_cycles(void)
{
    struct rig r;
    struct run_result res;
    struct run_limits lim = {.max_cycles = 10};

    /* A hart whose clock equals the limit does not step. */
    const char *eq[] = {"step 5 1 x10"};
    rig_up(&r, eq, 1);
    sched_run(r.s, &lim, &res);
    CU_ASSERT_EQUAL(res.reason, STOP_MAX_CYCLES);
    CU_ASSERT_STRING_EQUAL(res.message, "run.max_cycles (10) reached");
    CU_ASSERT_EQUAL(H(&r, 0)->retired, 2);
    CU_ASSERT_EQUAL(res.end_cycle, 10);
    rig_down(&r);

    /* A step that starts below the limit may end above it. */
    const char *over[] = {"step 3 2 x1000"};
    rig_up(&r, over, 1);
    sched_run(r.s, &lim, &res);
    CU_ASSERT_EQUAL(H(&r, 0)->retired, 8);
    CU_ASSERT_EQUAL(res.end_cycle, 12);
    rig_down(&r);

    /* Events below the limit fire even after the last step overshot; those
     * at or above it wait for the next run, where they fire first. */
    const char *ev[] = {"step 4 0 x100"};
    rig_up(&r, ev, 1);
    struct tag t1 = {r.s, 1}, t2 = {r.s, 2};
    sched_post(r.s, 9, ev_log, &t1);
    sched_post(r.s, 10, ev_log, &t2);
    sched_run(r.s, &lim, &res);
    const struct rec want1[] = {{0, 0}, {0, 4}, {0, 8}, {-1, 9}};
    CHECK_LOG(want1);
    CU_ASSERT_EQUAL(res.end_cycle, 12);
    lim.max_cycles = 20;
    sched_run(r.s, &lim, &res);
    const struct rec want2[] = {{0, 0}, {0, 4}, {0, 8}, {-1, 9}, {-2, 10}, {0, 12}, {0, 16}};
    CHECK_LOG(want2);
    CU_ASSERT_EQUAL(res.reason, STOP_MAX_CYCLES);
    CU_ASSERT_EQUAL(res.end_cycle, 20);
    rig_down(&r);

    /* Every hart asleep and the next event beyond the limit: the limit, not
     * idleness, ends the run; without a limit the event fires. */
    const char *sl[] = {"halt"};
    rig_up(&r, sl, 1);
    struct tag t3 = {r.s, 3};
    sched_post(r.s, 50, ev_log, &t3);
    lim.max_cycles = 20;
    sched_run(r.s, &lim, &res);
    CU_ASSERT_EQUAL(res.reason, STOP_MAX_CYCLES);
    CU_ASSERT_STRING_EQUAL(res.message,
                           "run.max_cycles (20) reached with every hart asleep until an event "
                           "at 50");
    CU_ASSERT_EQUAL(nlog, 1);
    sched_run(r.s, NULL, &res);
    CU_ASSERT_EQUAL(res.reason, STOP_IDLE);
    CU_ASSERT_EQUAL(nlog, 2);
    rig_down(&r);
}

/* A 4-hart machine with steps of different lengths, halts and wake events. */
static const char *const det_scripts[] = {
    "step 3 2 x50\npost 7 wake 3\nstep 2 1 x40\nloop 0",
    "step 5 1 x20\nhalt\nstep 1 1 x30\nloop 0",
    "step 7 7 x10\npost 1 wake 1\nloop 0",
    "halt\nstep 4 2 x25\npost 3 wake 1\nloop 1",
};

static long trace_diff(const struct scripted_trace *a, size_t na, const struct scripted_trace *b,
                       size_t nb)
{
    size_t m = na < nb ? na : nb;
    for (size_t i = 0; i < m; i++)
        if (a[i].op != b[i].op || a[i].clock != b[i].clock)
            return (long)i;
    return na == nb ? -1 : (long)m;
}

struct det_run {
    struct rec log[MAXLOG];
    size_t nlog;
    struct scripted_trace trace[4][SCRIPTED_TRACE_MAX];
    size_t ntrace[4];
    uint64_t clock[4], cycles[4], sleep[4], retired[4];
    uint64_t end;
    enum stop_reason reason;
};

/* Run det_scripts with successive limits (each run continuing the last). */
static void det_run(struct det_run *d, const uint64_t *limits, size_t nlimits)
{
    struct rig r;
    struct run_result res;
    rig_up(&r, det_scripts, 4);
    for (size_t i = 0; i < nlimits; i++) {
        struct run_limits lim = {.max_cycles = limits[i]};
        CU_ASSERT_EQUAL(sched_run(r.s, &lim, &res), 0);
    }
    CU_ASSERT_TRUE(nlog < MAXLOG);
    memcpy(d->log, logbuf, nlog * sizeof(logbuf[0]));
    d->nlog = nlog;
    for (unsigned h = 0; h < 4; h++) {
        const struct scripted_trace *t = scripted_hart_trace(r.sh[h], &d->ntrace[h]);
        memcpy(d->trace[h], t, d->ntrace[h] * sizeof(*t));
        d->clock[h] = H(&r, h)->clock;
        d->cycles[h] = H(&r, h)->cycles;
        d->sleep[h] = H(&r, h)->sleep_cycles;
        d->retired[h] = H(&r, h)->retired;
    }
    d->end = res.end_cycle;
    d->reason = res.reason;
    rig_down(&r);
}

static void check_same(const struct det_run *a, const struct det_run *b)
{
    CU_ASSERT_EQUAL(a->reason, b->reason);
    CU_ASSERT_EQUAL(a->end, b->end);
    CU_ASSERT_EQUAL(a->nlog, b->nlog);
    CU_ASSERT_EQUAL(memcmp(a->log, b->log, a->nlog * sizeof(a->log[0])), 0);
    for (unsigned h = 0; h < 4; h++) {
        CU_ASSERT_EQUAL(trace_diff(a->trace[h], a->ntrace[h], b->trace[h], b->ntrace[h]), -1);
        CU_ASSERT_EQUAL(a->clock[h], b->clock[h]);
        CU_ASSERT_EQUAL(a->cycles[h], b->cycles[h]);
        CU_ASSERT_EQUAL(a->sleep[h], b->sleep[h]);
        CU_ASSERT_EQUAL(a->retired[h], b->retired[h]);
    }
}

static struct det_run det_a, det_b;

static void test_determinism(void)
{
    const uint64_t lim[] = {5000};
    det_run(&det_a, lim, 1);
    det_run(&det_b, lim, 1);
    check_same(&det_a, &det_b);
    /* Not a trivial run: all four harts stepped, and wakes happened. */
    CU_ASSERT_EQUAL(det_a.reason, STOP_MAX_CYCLES);
    CU_ASSERT_TRUE(det_a.nlog > 1000);
    CU_ASSERT_TRUE(det_a.sleep[1] > 0 && det_a.sleep[3] > 0);
    CU_ASSERT_TRUE(det_a.ntrace[2] > 100);
    /* The trace comparison can fail: one clock changed in a copy. */
    det_b.trace[2][100].clock++;
    CU_ASSERT_EQUAL(trace_diff(det_a.trace[2], det_a.ntrace[2], det_b.trace[2], det_b.ntrace[2]),
                    100);
}

static void test_continuation(void)
{
    /* One run to 5000 equals runs to 1234, 2500 and 5000 continuing each
     * other: stopping at a limit loses and reorders nothing. */
    const uint64_t one[] = {5000}, split[] = {1234, 2500, 5000};
    det_run(&det_a, one, 1);
    det_run(&det_b, split, 3);
    check_same(&det_a, &det_b);
}

static void stop_twice(void *ctx, uint64_t now)
{
    (void)now;
    sched_stop(ctx, 5, "first");
    sched_stop(ctx, 6, "second");
}

static void test_exit(void)
{
    struct rig r;
    struct run_result res;

    /* From a step: the exit step itself takes its cycle, nothing follows. */
    const char *st[] = {"step 1 0\nexit 7\nstep 1 1 x100"};
    rig_up(&r, st, 1);
    sched_run(r.s, NULL, &res);
    CU_ASSERT_EQUAL(res.reason, STOP_EXIT);
    CU_ASSERT_EQUAL(res.exit_status, 7);
    CU_ASSERT_STRING_EQUAL(res.message, "guest exit request (status 7)");
    CU_ASSERT_EQUAL(H(&r, 0)->clock, 2);
    CU_ASSERT_EQUAL(H(&r, 0)->retired, 0);
    CU_ASSERT_EQUAL(res.end_cycle, 2);
    rig_down(&r);

    /* From an event: posted at 0 for 5, it fires before the step at 5. */
    const char *ev[] = {"post 5 stop -9\nstep 1 1 x100"};
    rig_up(&r, ev, 1);
    sched_run(r.s, NULL, &res);
    CU_ASSERT_EQUAL(res.reason, STOP_EXIT);
    CU_ASSERT_EQUAL(res.exit_status, -9);
    CU_ASSERT_STRING_EQUAL(res.message, "scripted stop event (status -9)");
    CU_ASSERT_EQUAL(H(&r, 0)->retired, 4);
    CU_ASSERT_EQUAL(H(&r, 0)->clock, 5);
    rig_down(&r);

    /* The first stop wins; the run ends after the step that asked, and a
     * second run continues where it ended. */
    const char *two[] = {"exit 1", "exit 2"};
    rig_up(&r, two, 2);
    sched_run(r.s, NULL, &res);
    CU_ASSERT_EQUAL(res.exit_status, 1);
    const struct rec want1[] = {{0, 0}};
    CHECK_LOG(want1);
    sched_run(r.s, NULL, &res);
    CU_ASSERT_EQUAL(res.reason, STOP_EXIT);
    CU_ASSERT_EQUAL(res.exit_status, 2);
    const struct rec want2[] = {{0, 0}, {1, 0}};
    CHECK_LOG(want2);
    rig_down(&r);

    const char *sp[] = {"step 1 1 x100"};
    rig_up(&r, sp, 1);
    sched_post(r.s, 3, stop_twice, r.s);
    sched_run(r.s, NULL, &res);
    CU_ASSERT_EQUAL(res.exit_status, 5);
    CU_ASSERT_STRING_EQUAL(res.message, "first (status 5)");
    /* A stop between runs ends the next run before anything steps. */
    size_t before = nlog;
    sched_stop(r.s, 3, NULL);
    sched_run(r.s, NULL, &res);
    CU_ASSERT_EQUAL(res.reason, STOP_EXIT);
    CU_ASSERT_EQUAL(res.exit_status, 3);
    CU_ASSERT_STRING_EQUAL(res.message, "exit requested (status 3)");
    CU_ASSERT_EQUAL(nlog, before);
    struct run_limits lim = {.max_cycles = 10};
    sched_run(r.s, &lim, &res);
    CU_ASSERT_EQUAL(res.reason, STOP_MAX_CYCLES);
    CU_ASSERT_EQUAL(H(&r, 0)->retired, 10);
    rig_down(&r);
}

/* ---- errors ---- */

static void test_fatal(void)
{
    const char *sc[] = {"step 1 1", "step 2 1\nfatal invalid opcode"};
    struct rig r;
    struct run_result res;
    rig_up(&r, sc, 2);
    CU_ASSERT_EQUAL(sched_run(r.s, NULL, &res), 0);
    const struct rec want[] = {{0, 0}, {1, 0}, {0, 1}, {1, 2}};
    CHECK_LOG(want);
    CU_ASSERT_EQUAL(res.reason, STOP_FATAL);
    CU_ASSERT_EQUAL(res.fatal.hart, 1);
    CU_ASSERT_EQUAL(res.fatal.ip, 1);
    CU_ASSERT_EQUAL(res.fatal.nbytes, 4);
    CU_ASSERT_EQUAL(memcmp(res.fatal.bytes, "fata", 4), 0);
    CU_ASSERT_STRING_EQUAL(res.fatal.cause, "invalid opcode");
    CU_ASSERT_STRING_EQUAL(res.message, "hart 1: invalid opcode");
    /* The fatal step does not count. */
    CU_ASSERT_EQUAL(H(&r, 1)->clock, 2);
    CU_ASSERT_EQUAL(H(&r, 1)->retired, 1);
    CU_ASSERT_EQUAL(res.end_cycle, 2);
    rig_down(&r);
}

static void test_front_end_bugs(void)
{
    struct rig r;
    struct run_result res;

    /* A zero-cycle step ends the run (instead of looping forever). */
    const char *z[] = {"step 5 1 x10", "step 2 1\nstep 0 0"};
    rig_up(&r, z, 2);
    CU_ASSERT_EQUAL(sched_run(r.s, NULL, &res), 0);
    CU_ASSERT_EQUAL(res.reason, STOP_FATAL);
    CU_ASSERT_EQUAL(res.fatal.hart, 1);
    CU_ASSERT_STRING_EQUAL(res.message,
                           "hart 1: front-end bug: a step returned STEP_OK with 0 cycles at "
                           "clock 2");
    const struct rec want[] = {{0, 0}, {1, 0}, {1, 2}};
    CHECK_LOG(want);
    rig_down(&r);

    struct probe p;
    rig_up(&r, NULL, 0);
    probe_init(&p, PROBE_BAD_STATUS, r.s);
    sched_add_hart(r.s, &p.h);
    sched_run(r.s, NULL, &res);
    CU_ASSERT_EQUAL(res.reason, STOP_FATAL);
    CU_ASSERT_STRING_EQUAL(res.message,
                           "hart 0: front-end bug: a step returned an unknown status at clock 0");
    rig_down(&r);

    rig_up(&r, NULL, 0);
    probe_init(&p, PROBE_HUGE, r.s);
    sched_add_hart(r.s, &p.h);
    sched_run(r.s, NULL, &res);
    CU_ASSERT_EQUAL(res.reason, STOP_FATAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(res.message, "overflow"));
    CU_ASSERT_EQUAL(p.steps, 2);
    CU_ASSERT_EQUAL(res.end_cycle, UINT64_MAX);
    rig_down(&r);

    /* A halt may take 0 cycles. */
    rig_up(&r, NULL, 0);
    probe_init(&p, PROBE_HALT0, r.s);
    sched_add_hart(r.s, &p.h);
    sched_run(r.s, NULL, &res);
    CU_ASSERT_EQUAL(res.reason, STOP_IDLE);
    CU_ASSERT_EQUAL(p.h.clock, 0);
    CU_ASSERT_TRUE(p.h.sleeping);
    rig_down(&r);
}

static void test_reentrancy(void)
{
    /* Hart 0 adds a ninth hart (growing the scheduler's arrays), posts an
     * event at its own clock and tries a nested run, all from its second
     * step at 5.  The new hart starts at 5 and steps after that event. */
    struct rig r;
    struct run_result res;
    struct probe p;
    rig_up(&r, NULL, 0);
    probe_init(&p, PROBE_SPAWNER, r.s);
    p.tag = (struct tag){r.s, 1};
    sched_add_hart(r.s, &p.h);
    for (int i = 0; i < 7; i++)
        rig_add(&r, "halt");
    p.spawn = rig_make(&r, "step 1 1 x2");
    sched_run(r.s, NULL, &res);
    const struct rec want[] = {{0, 0}, {1, 0}, {2, 0},  {3, 0}, {4, 0}, {5, 0}, {6, 0},
                               {7, 0}, {0, 5}, {-1, 5}, {8, 5}, {8, 6}, {8, 7}, {0, 10}};
    CHECK_LOG(want);
    CU_ASSERT_EQUAL(p.inner_run, -1);
    CU_ASSERT_EQUAL(p.add_rc, 0);
    CU_ASSERT_EQUAL(p.spawn->id, 8);
    CU_ASSERT_EQUAL(p.spawn->retired, 2);
    CU_ASSERT_EQUAL(res.reason, STOP_IDLE);
    rig_down(&r);
}

struct prog {
    struct sched *s;
    unsigned n;
    uint64_t at[8];
    bool stop;
};

static void on_progress(void *ctx, uint64_t now)
{
    struct prog *p = ctx;
    if (p->n < 8)
        p->at[p->n] = now;
    p->n++;
    if (p->stop)
        sched_stop(p->s, 11, "interrupted");
}

static void test_progress(void)
{
    const char *sc[] = {"step 1 0 x200000"};
    struct rig r;
    struct run_result res;
    rig_up(&r, sc, 1);
    struct prog p = {.s = r.s};
    struct run_limits lim = {.max_cycles = 200000, .progress = on_progress, .progress_ctx = &p};
    sched_run(r.s, &lim, &res);
    /* Every 65536 steps, with the smallest clock after that step. */
    CU_ASSERT_EQUAL(p.n, 3);
    CU_ASSERT_EQUAL(p.at[0], 65536);
    CU_ASSERT_EQUAL(p.at[1], 131072);
    CU_ASSERT_EQUAL(p.at[2], 196608);
    CU_ASSERT_EQUAL(res.reason, STOP_MAX_CYCLES);
    CU_ASSERT_EQUAL(res.end_cycle, 200000);
    rig_down(&r);

    /* The callback may stop the run. */
    rig_up(&r, sc, 1);
    struct prog q = {.s = r.s, .stop = true};
    lim.progress_ctx = &q;
    sched_run(r.s, &lim, &res);
    CU_ASSERT_EQUAL(res.reason, STOP_EXIT);
    CU_ASSERT_EQUAL(res.exit_status, 11);
    CU_ASSERT_EQUAL(res.end_cycle, 65536);
    rig_down(&r);
}

/* ---- the scripted hart itself ---- */

struct phase_rec {
    struct sched *s;
    unsigned n;
    char name[8][16];
    bool begin[8];
    uint64_t at[8];
};

static void on_phase(void *opaque, const char *name, bool begin)
{
    struct phase_rec *p = opaque;
    if (p->n < 8) {
        snprintf(p->name[p->n], sizeof(p->name[0]), "%s", name);
        p->begin[p->n] = begin;
        p->at[p->n] = sched_now(p->s);
    }
    p->n++;
}

static void test_scripted_trace_and_phases(void)
{
    char err[160];
    struct script *sc;
    struct run_result res;
    struct sched *s = sched_native_new();
    struct phase_rec pr = {.s = s};
    struct scripted_ctx ctx = {.phase = on_phase, .opaque = &pr};
    CU_ASSERT_EQUAL_FATAL(scripted_parse("phase_begin roi\nstep 2 3 x2\nphase_end roi\nloop 1", &sc,
                                         err, sizeof(err)),
                          0);
    CU_ASSERT_EQUAL(script_len(sc), 4);
    struct scripted_hart *sh = scripted_hart_new(sc, s, &ctx);
    sched_add_hart(s, scripted_hart_hart(sh));
    struct run_limits lim = {.max_cycles = 20};
    sched_run(s, &lim, &res);
    const struct scripted_trace want[] = {{0, 0},  {1, 1},  {1, 3},  {2, 5},  {3, 6},
                                          {1, 7},  {1, 9},  {2, 11}, {3, 12}, {1, 13},
                                          {1, 15}, {2, 17}, {3, 18}, {1, 19}};
    size_t n;
    const struct scripted_trace *t = scripted_hart_trace(sh, &n);
    CU_ASSERT_EQUAL(trace_diff(t, n, want, N_OF(want)), -1);
    CU_ASSERT_EQUAL(scripted_hart_steps(sh), N_OF(want));
    CU_ASSERT_EQUAL(scripted_hart_hart(sh)->retired, 7 * 3);
    CU_ASSERT_EQUAL(pr.n, 4);
    CU_ASSERT_STRING_EQUAL(pr.name[0], "roi");
    CU_ASSERT_TRUE(pr.begin[0]);
    CU_ASSERT_FALSE(pr.begin[1]);
    CU_ASSERT_EQUAL(pr.at[0], 0);
    CU_ASSERT_EQUAL(pr.at[1], 5);
    CU_ASSERT_EQUAL(pr.at[3], 17);
    sched_free(s);
    scripted_hart_free(sh);
    script_free(sc);

    /* The trace keeps the first SCRIPTED_TRACE_MAX steps; the halt after
     * the last op shows as op script_len(). */
    s = sched_native_new();
    CU_ASSERT_EQUAL_FATAL(scripted_parse("step 1 0 x5000", &sc, err, sizeof(err)), 0);
    sh = scripted_hart_new(sc, s, NULL);
    sched_add_hart(s, scripted_hart_hart(sh));
    sched_run(s, NULL, &res);
    t = scripted_hart_trace(sh, &n);
    CU_ASSERT_EQUAL(n, SCRIPTED_TRACE_MAX);
    CU_ASSERT_EQUAL(scripted_hart_steps(sh), 5001);
    CU_ASSERT_EQUAL(t[SCRIPTED_TRACE_MAX - 1].op, 0);
    CU_ASSERT_EQUAL(t[SCRIPTED_TRACE_MAX - 1].clock, SCRIPTED_TRACE_MAX - 1);
    sched_free(s);
    scripted_hart_free(sh);
    script_free(sc);

    CU_ASSERT_EQUAL_FATAL(scripted_parse("step 1 0", &sc, err, sizeof(err)), 0);
    s = sched_native_new();
    sh = scripted_hart_new(sc, s, NULL);
    sched_add_hart(s, scripted_hart_hart(sh));
    sched_run(s, NULL, &res);
    t = scripted_hart_trace(sh, &n);
    CU_ASSERT_EQUAL(n, 2);
    CU_ASSERT_EQUAL(t[1].op, 1);
    CU_ASSERT_EQUAL(t[1].clock, 1);
    CU_ASSERT_PTR_NULL(scripted_hart_new(NULL, s, NULL));
    CU_ASSERT_PTR_NULL(scripted_hart_new(sc, NULL, NULL));
    sched_free(s);
    scripted_hart_free(sh);
    script_free(sc);
}

static void test_scripted_many_pending_posts(void)
{
    /* Hart 0 posts a stop for 1000, then a wake for hart 1 at every odd
     * clock up to 999 (500 events pending at once, of two kinds).  Each
     * event must keep its own kind and argument: the stop fires at 1000. */
    const char *sc[] = {"post 1000 stop 5\npost 300 wake 1\nloop 1", "halt\nloop 0"};
    struct rig r;
    struct run_result res;
    struct run_limits lim = {.max_cycles = 5000};
    rig_up(&r, sc, 2);
    sched_run(r.s, &lim, &res);
    CU_ASSERT_EQUAL(res.reason, STOP_EXIT);
    CU_ASSERT_EQUAL(res.exit_status, 5);
    CU_ASSERT_EQUAL(H(&r, 0)->clock, 1000);
    CU_ASSERT_EQUAL(scripted_hart_steps(r.sh[0]), 1000);
    /* Hart 1 slept 1..301, then was woken every 2 cycles: loop, halt. */
    CU_ASSERT_EQUAL(H(&r, 1)->sleep_cycles, 300);
    CU_ASSERT_EQUAL(H(&r, 1)->clock, 1000);
    rig_down(&r);
}

static void expect_parse_error(const char *text, const char *msg)
{
    static int sentinel;
    char err[160] = "";
    struct script *s = (struct script *)(void *)&sentinel; /* must come back NULL */
    CU_ASSERT_EQUAL(scripted_parse(text, &s, err, sizeof(err)), -1);
    CU_ASSERT_PTR_NULL(s);
    if (strcmp(err, msg) != 0)
        fprintf(stderr, "\nscript %s\n  got  %s\n  want %s\n", text, err, msg);
    CU_ASSERT_STRING_EQUAL(err, msg);
}

static void test_script_parse(void)
{
    expect_parse_error("step 1 1\n# c\n\nfrob 3\n", "line 4: unknown op 'frob'");
    expect_parse_error("step x 1", "line 1: step: CYCLES 'x' is not a count");
    expect_parse_error("\n  step -1 1", "line 2: step: CYCLES '-1' is not a count");
    expect_parse_error("step 18446744073709551616 1",
                       "line 1: step: CYCLES '18446744073709551616' is not a count");
    expect_parse_error("step 1 +1", "line 1: step: RETIRED '+1' is not a count");
    expect_parse_error("step 1", "line 1: step needs CYCLES RETIRED [xN]");
    expect_parse_error("step 1 1 x0", "line 1: step: repeat 'x0' is not xN with N >= 1");
    expect_parse_error("step 1 1 2", "line 1: step: repeat '2' is not xN with N >= 1");
    expect_parse_error("step 1 1 x2 junk", "line 1: unexpected 'junk' after step");
    expect_parse_error("step 1 1 x2 a b c d", "line 1: unexpected 'a' after step");
    expect_parse_error("halt now", "line 1: unexpected 'now' after halt");
    expect_parse_error("post 5 poke 1", "line 1: post: 'poke' is neither wake nor stop");
    expect_parse_error("post 5 wake", "line 1: post needs DELAY wake HART or DELAY stop STATUS");
    expect_parse_error("post 5 wake 4294967296", "line 1: post: hart '4294967296' is not a hart "
                                                 "number");
    expect_parse_error("exit", "line 1: exit needs an int STATUS");
    expect_parse_error("exit 2147483648", "line 1: exit needs an int STATUS");
    expect_parse_error("fatal   # only a comment", "line 1: fatal needs a CAUSE");
    expect_parse_error("phase_begin", "line 1: phase_begin needs a NAME");
    expect_parse_error("step 1 1\nloop 5\nhalt",
                       "line 2: loop target 5 is past the last op (3 ops)");
    /* The checker can fail: a different message is not accepted. */
    char err[160];
    struct script *s = NULL;
    CU_ASSERT_EQUAL(scripted_parse("frob", &s, err, sizeof(err)), -1);
    CU_ASSERT_STRING_NOT_EQUAL(err, "line 2: unknown op 'frob'");
    /* No text, no out, no err buffer: errors, not crashes. */
    CU_ASSERT_EQUAL(scripted_parse(NULL, &s, err, sizeof(err)), -1);
    CU_ASSERT_EQUAL(scripted_parse("halt", NULL, err, sizeof(err)), -1);
    CU_ASSERT_EQUAL(scripted_parse("frob", &s, NULL, 0), -1);

    /* Everything valid at once: CRLF, tabs, comments, a 0-cycle step,
     * negative and extreme statuses, a cause with spaces. */
    const char *ok = "  step 0 1 # zero is accepted\r\n\tstep 1 2 x3\r\n"
                     "exit -2147483648\nfatal bad  thing  \npost 0 wake 0\n"
                     "post 18446744073709551615 stop 2147483647\nphase_end a.b\nloop 0\n\n#\n";
    CU_ASSERT_EQUAL(scripted_parse(ok, &s, err, sizeof(err)), 0);
    CU_ASSERT_EQUAL(script_len(s), 8);
    script_free(s);
    CU_ASSERT_EQUAL(scripted_parse("", &s, err, sizeof(err)), 0);
    CU_ASSERT_EQUAL(script_len(s), 0);
    script_free(s);
    script_free(NULL);

    /* Scripts load from files, e.g. the ones the CLI tests run. */
    const char *files[] = {"a.script", "b.script"};
    const unsigned lens[] = {8, 3};
    for (int i = 0; i < 2; i++) {
        char path[4096], *text = NULL;
        size_t len;
        snprintf(path, sizeof(path), "%s/tests/data/cli/%s", VTSIM_SOURCE_DIR, files[i]);
        CU_ASSERT_EQUAL_FATAL(file_read_all(path, 1u << 20, &text, &len), 0);
        CU_ASSERT_EQUAL(scripted_parse(text, &s, err, sizeof(err)), 0);
        CU_ASSERT_EQUAL(script_len(s), lens[i]);
        script_free(s);
        free(text);
    }
}

static CU_TestInfo tests[] = {
    {"earliest clock first", test_interleaving},
    {"ties go to the lowest id", test_ties_by_id},
    {"events fire before harts pass them", test_events_before_harts},
    {"cancel from inside events", test_cancel_inside_events},
    {"event queue against a sorted reference", test_event_queue_reference},
    {"event queue churn against a linear reference", test_event_queue_churn},
    {"halt and wake", test_halt_and_wake},
    {"wake from inside a step", test_wake_inside_step},
    {"an event wakes a hart behind the others", test_event_wakes_earlier_hart},
    {"idle and no harts", test_idle_and_no_harts},
    {"max_cycles boundary", test_max_cycles},
    {"determinism", test_determinism},
    {"continuation after max_cycles", test_continuation},
    {"exit from steps and events", test_exit},
    {"fatal errors", test_fatal},
    {"front-end bugs end the run", test_front_end_bugs},
    {"sched calls from inside a step", test_reentrancy},
    {"progress callback", test_progress},
    {"scripted hart trace and phases", test_scripted_trace_and_phases},
    {"scripted hart with many pending posts", test_scripted_many_pending_posts},
    {"script parsing", test_script_parse},
    CU_TEST_INFO_NULL,
};

CUNIT_MAIN("sched", tests)
