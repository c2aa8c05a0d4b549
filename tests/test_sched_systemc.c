/*
 * test_sched_systemc.c - the SystemC kernel (sim/systemc) against the
 * native scheduler, its reference: the same scripted scenario runs on both
 * and must give the same global log of steps and events, the same run
 * results and the same per-hart stats at a quantum of one cycle.
 *
 * SystemC elaborates once per process, so every SystemC run happens in a
 * forked child that sends its outcome back through a pipe; the native run
 * happens in the test process.  One comparison is made against a doctored
 * outcome to prove that it can fail.  In a build without SystemC the tests
 * check that the kernel says it is absent, and compare nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cunit_main.h"
#include "scripted_hart.h"
#include "sim/sched_native.h"
#include "sim/systemc/sched_systemc.h"

#define MAXLOG  4096
#define MAXH    4
#define MAXEV   8
#define MAXRUNS 3

struct rec {
    int who; /* >= 0: hart `who` starts a step; < 0: event tagged -who fires */
    uint64_t t;
};

/* What a scenario produced: compared field by field, never as raw bytes
 * (structs have padding). */
struct outcome {
    int ok; /* the child ran the scenario to its end */
    unsigned nlog;
    struct rec log[MAXLOG];
    unsigned nruns;
    struct run_result res[MAXRUNS];
    int rc[MAXRUNS];
    unsigned nharts;
    struct {
        uint64_t clock, cycles, sleep_cycles, retired;
        bool sleeping;
    } hart[MAXH];
};

struct event_spec {
    uint64_t when;
    int tag;
    bool stop; /* the event requests the end of the run */
};

struct scenario {
    const char *scripts[MAXH];
    struct event_spec events[MAXEV]; /* posted before the first run; tag 0 ends */
    uint64_t limits[MAXRUNS];        /* max_cycles of each run; 0 ends the list... */
    unsigned nruns;                  /* ...unless nruns says how many */
};

static struct outcome *cur; /* the outcome being recorded */
static struct sched *cur_sched;
static const struct hart_ops *scripted_ops;

static void log_rec(int who, uint64_t t)
{
    if (cur->nlog < MAXLOG)
        cur->log[cur->nlog++] = (struct rec){who, t};
}

static enum step_status logged_step(struct hart *h, uint64_t now, struct step_out *out)
{
    log_rec((int)h->id, now);
    return scripted_ops->step(h, now, out);
}

static const struct hart_ops logged_ops = {.step = logged_step};

static const struct event_spec spawned = {0, 98, false}; /* 98 % 3 != 0: spawns nothing */

static void ev_fire(void *ctx, uint64_t now)
{
    const struct event_spec *e = ctx;
    log_rec(-e->tag, now);
    if (e->stop)
        sched_stop(cur_sched, e->tag, "event stop");
    else if (e->tag % 3 == 0)
        /* Some events post one more at the same time: it fires in the
         * same pass, after this one. */
        sched_post(cur_sched, now, ev_fire, (void *)&spawned);
}

/* Run scenario sc on scheduler s, recording into *o.  Never fails the
 * test itself (it may run in a child): problems show as differences. */
static void play(const struct scenario *sc, struct sched *s, struct outcome *o)
{
    struct script *scr[MAXH] = {0};
    struct scripted_hart *sh[MAXH] = {0};
    memset(o, 0, sizeof(*o));
    cur = o;
    cur_sched = s;
    for (unsigned i = 0; i < MAXH && sc->scripts[i]; i++) {
        char err[160];
        if (scripted_parse(sc->scripts[i], &scr[i], err, sizeof(err)) != 0)
            goto out;
        sh[i] = scripted_hart_new(scr[i], s, NULL);
        if (!sh[i])
            goto out;
        struct hart *h = scripted_hart_hart(sh[i]);
        scripted_ops = h->ops;
        h->ops = &logged_ops;
        if (sched_add_hart(s, h) != 0)
            goto out;
        o->nharts++;
    }
    for (unsigned i = 0; i < MAXEV && sc->events[i].tag; i++)
        sched_post(s, sc->events[i].when, ev_fire, (void *)&sc->events[i]);
    unsigned nruns = sc->nruns ? sc->nruns : 1;
    for (unsigned r = 0; r < nruns; r++) {
        struct run_limits lim = {.max_cycles = sc->limits[r]};
        o->rc[r] = sched_run(s, &lim, &o->res[r]);
        o->nruns++;
    }
    for (unsigned i = 0; i < o->nharts; i++) {
        const struct hart *h = scripted_hart_hart(sh[i]);
        o->hart[i].clock = h->clock;
        o->hart[i].cycles = h->cycles;
        o->hart[i].sleep_cycles = h->sleep_cycles;
        o->hart[i].retired = h->retired;
        o->hart[i].sleeping = h->sleeping;
    }
    o->ok = 1;
out:
    sched_free(s);
    for (unsigned i = 0; i < MAXH; i++) {
        scripted_hart_free(sh[i]);
        script_free(scr[i]);
    }
}

/* The scenario on the SystemC kernel with `quantum`, in a child process. */
static int play_systemc(const struct scenario *sc, uint64_t quantum, struct outcome *o)
{
    int p[2];
    if (pipe(p) != 0)
        return -1;
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        close(p[0]);
        struct outcome *mine = calloc(1, sizeof(*mine));
        char err[200];
        struct sched *s = sched_systemc_new(quantum, err, sizeof(err));
        if (mine && s)
            play(sc, s, mine);
        else
            fprintf(stderr, "systemc: %s\n", err);
        ssize_t n = mine ? write(p[1], mine, sizeof(*mine)) : -1;
        _exit(n == (ssize_t)sizeof(*mine) ? 0 : 3);
    }
    close(p[1]);
    size_t got = 0;
    char *buf = (char *)o;
    while (got < sizeof(*o)) {
        ssize_t n = read(p[0], buf + got, sizeof(*o) - got);
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    close(p[0]);
    int st;
    waitpid(pid, &st, 0);
    return got == sizeof(*o) && WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}

/* The first difference between two outcomes, described in why; 0 if none. */
static int differ(const struct outcome *a, const struct outcome *b, char *why, size_t len)
{
    if (a->ok != b->ok || a->nharts != b->nharts || a->nruns != b->nruns)
        return snprintf(why, len, "shape: ok %d/%d harts %u/%u runs %u/%u", a->ok, b->ok, a->nharts,
                        b->nharts, a->nruns, b->nruns);
    for (unsigned i = 0; i < a->nlog || i < b->nlog; i++)
        if (i >= a->nlog || i >= b->nlog || a->log[i].who != b->log[i].who ||
            a->log[i].t != b->log[i].t)
            return snprintf(why, len, "log entry %u: %d@%llu / %d@%llu", i,
                            i < a->nlog ? a->log[i].who : 0,
                            (unsigned long long)(i < a->nlog ? a->log[i].t : 0),
                            i < b->nlog ? b->log[i].who : 0,
                            (unsigned long long)(i < b->nlog ? b->log[i].t : 0));
    for (unsigned r = 0; r < a->nruns; r++) {
        const struct run_result *x = &a->res[r], *y = &b->res[r];
        if (a->rc[r] != b->rc[r] || x->reason != y->reason || x->exit_status != y->exit_status ||
            x->end_cycle != y->end_cycle || strcmp(x->message, y->message) != 0 ||
            x->fatal.hart != y->fatal.hart || strcmp(x->fatal.cause, y->fatal.cause) != 0)
            return snprintf(why, len, "run %u: reason %d/%d end %llu/%llu '%s' / '%s'", r,
                            x->reason, y->reason, (unsigned long long)x->end_cycle,
                            (unsigned long long)y->end_cycle, x->message, y->message);
    }
    for (unsigned i = 0; i < a->nharts; i++)
        if (a->hart[i].clock != b->hart[i].clock || a->hart[i].cycles != b->hart[i].cycles ||
            a->hart[i].sleep_cycles != b->hart[i].sleep_cycles ||
            a->hart[i].retired != b->hart[i].retired || a->hart[i].sleeping != b->hart[i].sleeping)
            return snprintf(why, len, "hart %u stats differ", i);
    return 0;
}

static struct outcome native_out, systemc_out;

/* Run sc on both kernels (quantum 1) and require equal outcomes. */
static void same_on_both(const struct scenario *sc, int line)
{
    if (!sched_systemc_available())
        return;
    struct sched *s = sched_native_new();
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    play(sc, s, &native_out);
    CU_ASSERT_EQUAL(native_out.ok, 1);
    CU_ASSERT_EQUAL_FATAL(play_systemc(sc, 1, &systemc_out), 0);
    char why[300];
    if (differ(&native_out, &systemc_out, why, sizeof(why))) {
        fprintf(stderr, "\nline %d: native / systemc: %s\n", line, why);
        CU_FAIL("the SystemC kernel differs from the native scheduler");
    }
}

#define SAME_ON_BOTH(sc) same_on_both(sc, __LINE__)

static void test_interleaving_and_ties(void)
{
    static const struct scenario a = {{"step 3 1 x4", "step 5 1 x3"}, {{0}}, {0}, 0};
    static const struct scenario b = {
        {"step 4 0 x2", "step 2 0 x4", "step 1 0\nstep 3 0"}, {{0}}, {0}, 0};
    SAME_ON_BOTH(&a);
    SAME_ON_BOTH(&b);
}

static void test_events_and_harts(void)
{
    /* Events at times harts step at (ties go to events), in the past of
     * nobody, equal times in posting order, one spawning another. */
    static const struct scenario sc = {{"step 10 1 x5", "step 7 2 x6"},
                                       {{25, 2, false},
                                        {20, 1, false},
                                        {5, 3, false},
                                        {14, 4, false},
                                        {30, 6, false},
                                        {30, 5, false},
                                        {0, 7, false}},
                                       {0},
                                       0};
    SAME_ON_BOTH(&sc);
}

static void test_halt_wake_and_exit(void)
{
    /* h1 sleeps until h0 wakes it (through an event h0 posts), h2 wakes a
     * lower id at the clock it runs at, h0 finally asks for the exit. */
    static const struct scenario sc = {
        {"step 2 1\npost 5 wake 1\nstep 3 1 x4\npost 0 wake 2\nstep 4 1 x3\nexit 7",
         "halt\nstep 2 1 x3\nhalt\nstep 1 1", "step 1 1\nhalt\nstep 3 1\npost 0 wake 1\nstep 1 1",
         NULL},
        {{0}},
        {0},
        0};
    SAME_ON_BOTH(&sc);
}

static void test_limits_and_continuation(void)
{
    /* A run stops at max_cycles; the next continues with a larger one; a
     * third ends on an event's stop request. */
    static const struct scenario sc = {
        {"step 3 1\nloop 0", "step 5 2\nloop 0"}, {{77, 8, true}}, {40, 60, 0}, 3};
    SAME_ON_BOTH(&sc);
    /* Every hart asleep until an event beyond the limit. */
    static const struct scenario asleep = {{"halt", NULL}, {{500, 2, false}}, {100, 0}, 2};
    SAME_ON_BOTH(&asleep);
}

static void test_fatal_and_front_end_bugs(void)
{
    static const struct scenario fatal = {
        {"step 2 1 x3\nfatal wild jump", "step 3 1 x9"}, {{0}}, {0, 0}, 2};
    static const struct scenario zero = {{"step 1 1\nstep 0 1"}, {{0}}, {0}, 0};
    SAME_ON_BOTH(&fatal);
    SAME_ON_BOTH(&zero);
}

static void test_comparison_can_fail(void)
{
    if (!sched_systemc_available())
        return;
    static const struct scenario sc = {{"step 3 1 x4", "step 5 1 x3"}, {{0}}, {0}, 0};
    struct sched *s = sched_native_new();
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    play(&sc, s, &native_out);
    CU_ASSERT_EQUAL_FATAL(play_systemc(&sc, 1, &systemc_out), 0);
    char why[300];
    CU_ASSERT_EQUAL(differ(&native_out, &systemc_out, why, sizeof(why)), 0);
    systemc_out.log[1].who = 0; /* the tie at clock 0 swapped */
    CU_ASSERT_NOT_EQUAL(differ(&native_out, &systemc_out, why, sizeof(why)), 0);
}

static void test_quantum(void)
{
    /* With a quantum of 10 cycles harts run ahead: the interleaving may
     * change, but a program retires what it retires, and time still ends
     * where the work ends. */
    if (!sched_systemc_available())
        return;
    static const struct scenario sc = {{"step 3 1 x40", "step 5 2 x20"}, {{0}}, {0}, 0};
    struct sched *s = sched_native_new();
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    play(&sc, s, &native_out);
    CU_ASSERT_EQUAL_FATAL(play_systemc(&sc, 10, &systemc_out), 0);
    CU_ASSERT_EQUAL(systemc_out.res[0].reason, STOP_IDLE);
    for (unsigned i = 0; i < 2; i++) {
        CU_ASSERT_EQUAL(systemc_out.hart[i].retired, native_out.hart[i].retired);
        CU_ASSERT_EQUAL(systemc_out.hart[i].clock, native_out.hart[i].clock);
    }
    /* Decoupled: hart 0 takes several steps before hart 1 takes its first. */
    CU_ASSERT_EQUAL(systemc_out.log[0].who, 0);
    CU_ASSERT_EQUAL(systemc_out.log[1].who, 0);
}

static void test_creation_rules(void)
{
    char err[200] = "";
    if (!sched_systemc_available()) {
        CU_ASSERT_PTR_NULL(sched_systemc_new(1, err, sizeof(err)));
        CU_ASSERT_PTR_NOT_NULL(strstr(err, "not part of this build"));
        return;
    }
    /* In a child: the test process must stay free of SystemC. */
    fflush(NULL);
    pid_t pid = fork();
    CU_ASSERT_FATAL(pid >= 0);
    if (pid == 0) {
        int bad = 0;
        bad |= sched_systemc_new(0, err, sizeof(err)) != NULL;
        bad |= strstr(err, "at least 1") == NULL;
        struct sched *s = sched_systemc_new(1, err, sizeof(err));
        bad |= s == NULL;
        bad |= sched_systemc_new(1, err, sizeof(err)) != NULL;
        bad |= strstr(err, "one machine per process") == NULL;
        struct run_result res;
        bad |= sched_run(s, NULL, &res) != 0 || res.reason != STOP_NO_HARTS;
        sched_free(s);
        _exit(bad);
    }
    int st;
    waitpid(pid, &st, 0);
    CU_ASSERT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

static CU_TestInfo tests[] = {
    {"interleaving and ties", test_interleaving_and_ties},
    {"events and harts", test_events_and_harts},
    {"halt, wake and exit", test_halt_wake_and_exit},
    {"limits and continuation", test_limits_and_continuation},
    {"fatal and front-end bugs", test_fatal_and_front_end_bugs},
    {"the comparison can fail", test_comparison_can_fail},
    {"quantum", test_quantum},
    {"creation rules", test_creation_rules},
    CU_TEST_INFO_NULL,
};

CUNIT_MAIN("sched_systemc", tests)
