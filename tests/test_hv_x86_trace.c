/*
 * test_hv_x86_trace.c - the IA-32 hypervisor's trace subsystem
 * (hv/x86/trace.h), built for the host, with the shadow page tables
 * (hv/x86/shadow.h) as the MMU traces' consumer.
 *
 * The scripted scenarios step an actor X, a consumer Y and a bystander Z
 * by hand and compare the log of what happened with the sequences of seed
 * 004 [0077]-[0081]; the [0087] test explores every interleaving of a
 * small model of the litmus test and states which semantics can let the
 * consumer observe the contradiction.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cunit_main.h"

#include "hv/x86/shadow.c"
#include "hv/x86/trace.c"

enum { X, Y, Z };

/* ---- a log of events: "N1" note to 1, "A1" ack from 1, "R1" release of
 * 1, "C1" 1 consumed, "W" the write, "w" the actor waits, "D" it is done,
 * "S1" 1 stays stalled ---- */

static char logbuf[512];
static struct trace tr;
static struct tr_note last_note;
static int actor_free_in_consume; /* tr_step(X) != TR_WAIT seen from inside a consume */

static void logf_(const char *s)
{
    strcat(logbuf, s);
    strcat(logbuf, " ");
}

static void logv(char c, unsigned v)
{
    char s[4] = {c, (char)('0' + v), 0, 0};
    logf_(s);
}

static void on_ipi(void *ctx, unsigned from, unsigned to)
{
    (void)ctx;
    (void)from;
    logv('N', to);
}

static void on_ack(void *ctx, unsigned consumer, unsigned actor)
{
    (void)ctx;
    (void)actor;
    logv('A', consumer);
}

static void on_release(void *ctx, unsigned actor, unsigned to)
{
    (void)ctx;
    (void)actor;
    logv('R', to);
}

static void on_consume(void *ctx, unsigned v, const struct tr_note *n)
{
    (void)ctx;
    logv('C', v);
    last_note = *n;
    /* Does the actor still wait on this consumer?  (post_sync waits for the
     * acknowledgement only, [0078].) */
    if (v != X && !(tr.v[X].pc < 5 && protocols[tr.v[X].cur.sem].steps[tr.v[X].pc] == S_WAIT_ACKS &&
                    !all_acked(&tr, &tr.v[X])))
        actor_free_in_consume = 1;
}

static const struct tr_ops log_ops = {on_ipi, on_ack, on_release, NULL, on_consume};

#define L_GPA 0x01234000u

static void fresh(unsigned n, enum tr_sem sem)
{
    tr_init(&tr, n, &log_ops, NULL);
    tr.override = (int)sem;
    logbuf[0] = 0;
    actor_free_in_consume = 0;
    memset(&last_note, 0, sizeof last_note);
    CU_ASSERT_EQUAL(tr_add(&tr, L_GPA, L_GPA + 0x1000, TR_CODE, Y), 0);
}

/* The actor runs until it must wait or is done; returns its last action. */
static enum tr_action actor_run(void)
{
    for (;;) {
        enum tr_action a = tr_step(&tr, X);
        if (a == TR_WRITE) {
            logf_("W");
            continue;
        }
        logf_(a == TR_DONE ? "D" : "w");
        return a;
    }
}

static void service(unsigned v)
{
    if (tr_service(&tr, v))
        logv('S', v);
}

static void test_bracketing(void)
{
    fresh(3, TR_BRACKETING);
    CU_ASSERT_EQUAL(tr_begin(&tr, X, L_GPA + 8, 4, 0), 0);
    CU_ASSERT_EQUAL(actor_run(), TR_WAIT); /* pre-write notification, then wait */
    CU_ASSERT_EQUAL(actor_run(), TR_WAIT); /* still no acknowledgement */
    service(Y);                            /* Y acks at its boundary and stalls */
    service(Y);                            /* ... and stays stalled */
    CU_ASSERT_EQUAL(actor_run(), TR_DONE); /* write, then the completion */
    service(Y);                            /* released: re-derive, run */
    service(Z);
    CU_ASSERT_STRING_EQUAL(logbuf, "N1 w w A1 S1 S1 W R1 D C1 ");
    struct tr_stats s = tr_totals(&tr);
    CU_ASSERT_EQUAL(s.notes_sent, 1);
    CU_ASSERT_EQUAL(s.acks, 1);
    CU_ASSERT_EQUAL(s.actor_waits, 2);
    CU_ASSERT_EQUAL(s.stall_waits, 2);
    CU_ASSERT_EQUAL(s.releases, 1);
    CU_ASSERT_EQUAL(s.invalidated, 1);
    CU_ASSERT_EQUAL(s.faults[TR_CODE], 1);

    /* Released, and the actor's next bracketing note arrives before Y's
     * next boundary: both writes are re-derived, in order. */
    fresh(3, TR_BRACKETING);
    CU_ASSERT_EQUAL(tr_begin(&tr, X, L_GPA + 8, 4, 0), 0);
    actor_run();
    service(Y);
    CU_ASSERT_EQUAL(actor_run(), TR_DONE);
    CU_ASSERT_EQUAL(tr_begin(&tr, X, L_GPA + 16, 4, 0), 0);
    CU_ASSERT_EQUAL(actor_run(), TR_WAIT);
    service(Y);
    CU_ASSERT_EQUAL(last_note.gpa, L_GPA + 8);
    CU_ASSERT_EQUAL(actor_run(), TR_DONE);
    service(Y);
    CU_ASSERT_EQUAL(last_note.gpa, L_GPA + 16);
    CU_ASSERT_STRING_EQUAL(logbuf, "N1 w A1 S1 W R1 D N1 w A1 C1 S1 W R1 D C1 ");
    CU_ASSERT_EQUAL(tr_totals(&tr).invalidated, 2);
}

static void test_post_sync(void)
{
    fresh(3, TR_POST_SYNC);
    CU_ASSERT_EQUAL(tr_begin(&tr, X, L_GPA, 4, 0), 0);
    CU_ASSERT_EQUAL(actor_run(), TR_WAIT); /* write, notify, wait */
    service(Y);
    CU_ASSERT_EQUAL(actor_run(), TR_DONE);
    CU_ASSERT_STRING_EQUAL(logbuf, "W N1 w A1 C1 D ");
    /* the actor was free once Y acknowledged, before Y's processing */
    CU_ASSERT_TRUE(actor_free_in_consume);
    CU_ASSERT_EQUAL(tr_totals(&tr).stall_waits, 0);
}

static void test_post_async(void)
{
    fresh(3, TR_POST_ASYNC);
    CU_ASSERT_EQUAL(tr_begin(&tr, X, L_GPA, 4, 0), 0);
    CU_ASSERT_EQUAL(actor_run(), TR_DONE); /* never waits */
    service(Y);
    CU_ASSERT_STRING_EQUAL(logbuf, "W N1 D A1 C1 ");
    CU_ASSERT_EQUAL(tr_totals(&tr).actor_waits, 0);
}

static void test_pre_write(void)
{
    fresh(3, TR_PRE_WRITE);
    CU_ASSERT_EQUAL(tr_begin(&tr, X, L_GPA, 4, 0xC3C3C3C3u), 0);
    CU_ASSERT_EQUAL(actor_run(), TR_DONE); /* intent, then the write; no wait */
    service(Y);
    CU_ASSERT_STRING_EQUAL(logbuf, "N1 W D A1 C1 ");
    CU_ASSERT_EQUAL(last_note.data, 0); /* no data: Y can only invalidate */
    CU_ASSERT_EQUAL(last_note.sem, TR_PRE_WRITE);

    fresh(3, TR_PRE_WRITE_DATA);
    CU_ASSERT_EQUAL(tr_begin(&tr, X, L_GPA, 4, 0xC3C3C3C3u), 0);
    service(Y); /* nothing yet */
    CU_ASSERT_EQUAL(tr_step(&tr, X), TR_WRITE);
    service(Y); /* Y learns the value before the write is made */
    CU_ASSERT_EQUAL(tr_step(&tr, X), TR_DONE);
    CU_ASSERT_STRING_EQUAL(logbuf, "N1 A1 C1 ");
    CU_ASSERT_EQUAL(last_note.data, 0xC3C3C3C3u);
}

static void test_null_trace(void)
{
    /* [0075]: no bystanders; Z is notified, acknowledges, stalls under
     * bracketing, and ignores what it receives. */
    fresh(3, TR_BRACKETING);
    tr.null_trace = 1;
    CU_ASSERT_EQUAL(tr_begin(&tr, X, L_GPA, 4, 0), 0);
    CU_ASSERT_EQUAL(actor_run(), TR_WAIT);
    service(Y);
    CU_ASSERT_EQUAL(actor_run(), TR_WAIT); /* Z has not acknowledged */
    service(Z);
    CU_ASSERT_EQUAL(actor_run(), TR_DONE);
    service(Y);
    service(Z);
    CU_ASSERT_STRING_EQUAL(logbuf, "N1 N2 w A1 S1 w A2 S2 W R1 R2 D C1 ");
    struct tr_stats s = tr_totals(&tr);
    CU_ASSERT_EQUAL(s.null_notes, 1);
    CU_ASSERT_EQUAL(s.notes_sent, 2);
    /* without null_trace Z is a bystander: nothing reaches it */
    fresh(3, TR_POST_SYNC);
    CU_ASSERT_EQUAL(tr_begin(&tr, X, L_GPA, 4, 0), 0);
    actor_run();
    service(Z);
    service(Y);
    actor_run();
    CU_ASSERT_STRING_EQUAL(logbuf, "W N1 w A1 C1 D ");
}

static void test_roles(void)
{
    /* [0070]-[0071], Figure 3: a and c trace [m1, m2), b traces [m3, m4);
     * e writes in [m1, m2): a and c consume, b and e stand by. */
    struct trace t;
    tr_init(&t, 6, &log_ops, NULL);
    enum { a, b, c, d, e };
    CU_ASSERT_EQUAL(tr_add(&t, 0x1000, 0x2000, TR_GDT, a), 0);
    CU_ASSERT_EQUAL(tr_add(&t, 0x1000, 0x2000, TR_GDT, c), 0);
    CU_ASSERT_EQUAL(tr_add(&t, 0x3000, 0x4000, TR_CODE, b), 0);
    struct tr_event ev = tr_lookup(&t, 0x1ffc, 4);
    CU_ASSERT_EQUAL(ev.consumers, (1u << a) | (1u << c));
    CU_ASSERT_EQUAL(ev.bystanders, 0x3Fu & ~ev.consumers);
    CU_ASSERT_EQUAL(ev.types, 1u << TR_GDT);
    CU_ASSERT_EQUAL(tr_lookup(&t, 0x2000, 4).types, 0); /* upper bound excluded */
    CU_ASSERT_EQUAL(tr_lookup(&t, 0x0ffe, 4).consumers, (1u << a) | (1u << c));
    CU_ASSERT_EQUAL(tr_begin(&t, e, 0x5000, 4, 0), -1); /* untraced */

    /* Figure 4's overlap: a on [m1, m3) GDT, c on [m2, m4) CODE, b on
     * [m5, m6) MMU; a write in [m2, m3) has both types; its semantics is
     * the stronger one. */
    tr_init(&t, 3, &log_ops, NULL);
    tr_add(&t, 0x1000, 0x3000, TR_GDT, a);
    tr_add(&t, 0x2000, 0x4000, TR_CODE, c);
    tr_add(&t, 0x5000, 0x6000, TR_MMU, b);
    t.defaults[TR_GDT] = TR_POST_ASYNC;
    ev = tr_lookup(&t, 0x2800, 4);
    CU_ASSERT_EQUAL(ev.consumers, (1u << a) | (1u << c));
    CU_ASSERT_EQUAL(ev.types, (1u << TR_GDT) | (1u << TR_CODE));
    CU_ASSERT_EQUAL(ev.sem, TR_BRACKETING);
    CU_ASSERT_EQUAL(tr_lookup(&t, 0x1800, 4).consumers, 1u << a);
    CU_ASSERT_EQUAL(tr_lookup(&t, 0x3800, 4).consumers, 1u << c);
    CU_ASSERT_EQUAL(tr_lookup(&t, 0x5800, 4).consumers, 1u << b);
    tr_remove(&t, 0x2000, 0x4000, TR_CODE, c);
    CU_ASSERT_EQUAL(tr_lookup(&t, 0x3800, 4).types, 0);
    CU_ASSERT_EQUAL(tr_add(&t, 0x10, 0x10, TR_MMU, a), -1);
    CU_ASSERT_EQUAL(tr_add(&t, 0x10, 0x20, TR_MMU, 7), -1);
}

static void test_defaults_override(void)
{
    struct trace t;
    tr_init(&t, 2, &log_ops, NULL);
    CU_ASSERT_EQUAL(tr_semantics(&t, TR_MMU), TR_POST_SYNC);
    CU_ASSERT_EQUAL(tr_semantics(&t, TR_GDT), TR_BRACKETING);
    CU_ASSERT_EQUAL(tr_semantics(&t, TR_CODE), TR_BRACKETING);
    t.override = TR_POST_ASYNC; /* [0084]: one switch for every type */
    for (int k = 0; k < TR_NTYPES; k++)
        CU_ASSERT_EQUAL(tr_semantics(&t, (enum tr_type)k), TR_POST_ASYNC);
    t.override = -1;
    t.defaults[TR_MMU] = TR_BRACKETING;
    CU_ASSERT_EQUAL(tr_semantics(&t, TR_MMU), TR_BRACKETING);
}

/* ---- MMU traces with shadows as consumers ([0085]) ---- */

#define BASE 0x01000000u
#define SIZE 0x01000000u
#define GPD  0x01100000u
#define GPT  0x01101000u

static uint8_t *gmem, *pools[2], wmaps[2][SIZE / 4096];
static struct shadow shs[2];

static uint32_t *gat(uint32_t pa)
{
    return (uint32_t *)(void *)(gmem + (pa - BASE));
}

static void mmu_consume(void *ctx, unsigned v, const struct tr_note *n)
{
    (void)ctx;
    if (n->len == 0)
        sh_flush(&shs[v]);
    else
        sh_invalidate_gpa(&shs[v], n->gpa);
}

static void mmu_ipi(void *ctx, unsigned from, unsigned to)
{
    (void)ctx;
    (void)from;
    (void)to;
}

/* Each shadow places its MMU traces as it derives from frames. */
static void mmu_source(void *ctx, uint32_t frame, int on)
{
    unsigned v = (unsigned)(uintptr_t)ctx;
    if (on)
        tr_add(&tr, frame, frame + 4096, TR_MMU, v);
    else
        tr_remove(&tr, frame, frame + 4096, TR_MMU, v);
}

/* While the actor (0) waits, the other virtual CPU reaches a boundary. */
static void mmu_poll(void *ctx, unsigned self)
{
    (void)ctx;
    tr_service(&tr, 1 - self);
}

static const struct tr_ops mmu_ops = {mmu_ipi, NULL, NULL, mmu_poll, mmu_consume};

static int leaf(unsigned v, uint32_t la, uint32_t *pa)
{
    return sh_translate(&shs[v], la, 0, 0, pa);
}

static void fill(unsigned v, uint32_t la)
{
    uint32_t pa;
    if (leaf(v, la, &pa) != 0)
        CU_ASSERT_EQUAL(sh_fault(&shs[v], la, 0).v, SH_FIXED);
}

static void mmu_setup(int defer)
{
    if (!gmem) {
        gmem = calloc(1, SIZE);
        pools[0] = calloc(SH_POOL_FRAMES, 4096);
        pools[1] = calloc(SH_POOL_FRAMES, 4096);
    }
    memset(gmem, 0, SIZE);
    tr_init(&tr, 2, &mmu_ops, NULL);
    tr.defer_mmu = defer;
    *gat(GPD) = GPT | SH_P | SH_RW;
    *gat(GPD + 4) = GPT | SH_P | SH_RW; /* GPT mapped as data at 0x400000... */
    *gat(GPT) = 0x01300000u | SH_P | SH_RW | SH_D;
    *gat(GPT + 4) = 0x01301000u | SH_P | SH_RW | SH_D;
    *gat(GPT + 0x100 * 4) = GPT | SH_P | SH_RW | SH_D; /* ... at 0x100000 */
    for (unsigned v = 0; v < 2; v++) {
        sh_init(&shs[v], gmem, BASE, SIZE, wmaps[v], pools[v], 0xF0000000u + v * 0x100000u);
        shs[v].source = mmu_source;
        shs[v].ctx = (void *)(uintptr_t)v;
        CU_ASSERT_EQUAL(sh_load_cr3(&shs[v], GPD), 0);
        fill(v, 0x0000u);
        fill(v, 0x1000u);
    }
}

static uint32_t pte_new;
static void do_pte_write(void *arg)
{
    (void)arg;
    *gat(GPT + 4) = pte_new;
}

static void test_mmu_shadows(void)
{
    uint32_t pa;
    mmu_setup(0);
    /* both shadows derive from GPD and GPT: both consume them */
    struct tr_event ev = tr_lookup(&tr, GPT + 4, 4);
    CU_ASSERT_EQUAL(ev.consumers, 3u);
    CU_ASSERT_EQUAL(ev.types, 1u << TR_MMU);
    /* X (0) writes GPT[1] through its mapping of GPT at 0x100000: a trace
     * fault, not a hidden one */
    struct sh_result r = sh_fault(&shs[0], 0x00100004u, SH_EC_W);
    CU_ASSERT_EQUAL(r.v, SH_TRACE);
    CU_ASSERT_EQUAL(r.gpa, GPT + 4);
    pte_new = 0x01302000u | SH_P | SH_RW | SH_D;
    /* post_sync: Y must acknowledge; the poll hook is Y's boundary */
    CU_ASSERT_EQUAL(tr_begin(&tr, 0, r.gpa, 4, pte_new), 0);
    enum tr_action a;
    while ((a = tr_step(&tr, 0)) != TR_DONE) {
        if (a == TR_WRITE)
            do_pte_write(NULL);
        else
            tr_service(&tr, 1);
    }
    /* each shadow dropped exactly the leaf derived from GPT[1] */
    for (unsigned v = 0; v < 2; v++) {
        CU_ASSERT_EQUAL(leaf(v, 0x0000u, &pa), 0);
        CU_ASSERT_EQUAL(leaf(v, 0x1000u, &pa), -1);
        fill(v, 0x1000u);
        CU_ASSERT_EQUAL(leaf(v, 0x1000u, &pa), 0);
        CU_ASSERT_EQUAL(pa, 0x01302000u);
    }
    struct tr_stats s = tr_totals(&tr);
    CU_ASSERT_EQUAL(s.faults[TR_MMU], 1);
    CU_ASSERT_EQUAL(s.invalidated, 2);

    /* [0085]: deferred to the guest's TLB flush.  Y keeps the stale leaf
     * (as its TLB may) until its INVLPG; the actor's own shadow too. */
    mmu_setup(1);
    pte_new = 0x01303000u | SH_P | SH_RW | SH_D;
    CU_ASSERT_EQUAL(tr_write(&tr, 0, GPT + 4, 4, pte_new, do_pte_write, NULL), 0);
    tr_service(&tr, 1);
    s = tr_totals(&tr);
    CU_ASSERT_EQUAL(s.deferred, 2);
    CU_ASSERT_EQUAL(s.invalidated, 0);
    CU_ASSERT_EQUAL(leaf(1, 0x1000u, &pa), 0);
    CU_ASSERT_EQUAL(pa, 0x01301000u); /* stale, as the SDM lets a TLB be (4.10.4.3) */
    tr_tlb_flush(&tr, 1);
    CU_ASSERT_EQUAL(leaf(1, 0x1000u, &pa), -1);
    CU_ASSERT_EQUAL(leaf(1, 0x0000u, &pa), 0);
    CU_ASSERT_EQUAL(leaf(0, 0x1000u, &pa), 0); /* X has not flushed yet */
    tr_tlb_flush(&tr, 0);
    CU_ASSERT_EQUAL(leaf(0, 0x1000u, &pa), -1);
    s = tr_totals(&tr);
    CU_ASSERT_EQUAL(s.deferred_flushed, 2);
    CU_ASSERT_EQUAL(s.invalidated, 2);
}

static void test_overflows(void)
{
    /* asynchronous notes beyond the mailbox's spare room are dropped and
     * become one consume-everything; waited-on notes always fit */
    fresh(2, TR_POST_ASYNC);
    for (int i = 0; i < 20; i++) {
        CU_ASSERT_EQUAL(tr_begin(&tr, X, L_GPA + (uint32_t)i * 4, 4, 0), 0);
        while (tr_step(&tr, X) != TR_DONE)
            ;
    }
    struct tr_stats s = tr_totals(&tr);
    CU_ASSERT_EQUAL(s.mailbox_overflows, 20 - (TR_QLEN - TR_MAX_VCPUS));
    logbuf[0] = 0;
    CU_ASSERT_EQUAL(tr_service(&tr, Y), 0);
    CU_ASSERT_EQUAL(last_note.len, 4); /* the last queued note came last */
    s = tr_totals(&tr);
    CU_ASSERT_EQUAL(s.invalidated, (TR_QLEN - TR_MAX_VCPUS) + 1);
    CU_ASSERT_EQUAL(s.acks, TR_QLEN - TR_MAX_VCPUS);

    /* deferred entries beyond TR_MAX_DEFER: the whole shadow at the flush */
    mmu_setup(1);
    for (int i = 0; i < TR_MAX_DEFER + 3; i++) {
        pte_new = *gat(GPT + 4);
        CU_ASSERT_EQUAL(tr_write(&tr, 0, GPT + 4, 4, pte_new, do_pte_write, NULL), 0);
    }
    tr_service(&tr, 1);
    CU_ASSERT_EQUAL(tr.v[1].defer_all, 1);
    tr_tlb_flush(&tr, 1);
    uint32_t pa;
    CU_ASSERT_EQUAL(leaf(1, 0x0000u, &pa), -1);
    CU_ASSERT_EQUAL(tr_totals(&tr).defer_overflows, 6);
}

/* ---- several actors at once ----
 * Four virtual CPUs, each consuming two of four ranges, write at random,
 * stepped in a random order: an actor that waits services its own mailbox
 * (so two actors waiting on each other both progress), a stalled one runs
 * no guest code.  Checked: no deadlock; under bracketing every target of a
 * write is stalled on its actor when the write is made; once drained,
 * every consumer has consumed every actor's last write. */

#define SV 4
static struct trace st;
static uint32_t seen[SV][SV];              /* seen[c][a]: the last of a's notes c consumed */
static uint32_t sent[SV][SV], got[SV][SV]; /* notes a sent c, notes of a c consumed */

static void st_ipi(void *ctx, unsigned from, unsigned to)
{
    (void)ctx;
    sent[to][from]++;
}

static void st_consume(void *ctx, unsigned v, const struct tr_note *n)
{
    (void)ctx;
    if (n->len == 0) { /* lost notes: everything, up to now */
        for (unsigned a = 0; a < SV; a++)
            seen[v][a] = st.v[a].seq;
        return;
    }
    CU_ASSERT(n->seq >= seen[v][n->actor] || n->actor == v);
    got[v][n->actor] += n->actor != v;
    if (n->seq > seen[v][n->actor])
        seen[v][n->actor] = n->seq;
}

static const struct tr_ops st_ops = {st_ipi, NULL, NULL, NULL, st_consume};

static uint32_t srng = 7;
static uint32_t srnd(void)
{
    srng = srng * 1103515245u + 12345u;
    return srng >> 8;
}

static void stress(enum tr_sem sem)
{
    int acting[SV] = {0};
    unsigned writes = 0, bad_brackets = 0;
    tr_init(&st, SV, &st_ops, NULL);
    st.override = (int)sem;
    memset(seen, 0, sizeof seen);
    memset(sent, 0, sizeof sent);
    memset(got, 0, sizeof got);
    for (unsigned v = 0; v < SV; v++) {
        tr_add(&st, 0x1000 * v, 0x1000 * v + 0x1000, TR_CODE, v);
        tr_add(&st, 0x1000 * ((v + 1) % SV), 0x1000 * ((v + 1) % SV) + 0x1000, TR_CODE, v);
    }
    int n;
    for (n = 0; n < 200000; n++) {
        int draining = writes >= 3000;
        unsigned v = srnd() % SV;
        if (acting[v]) {
            enum tr_action a = tr_step(&st, v);
            if (a == TR_WRITE && sem == TR_BRACKETING)
                for (unsigned c = 0; c < SV; c++)
                    if ((st.v[v].targets & (1u << c)) && !(st.v[c].stalled & (1u << v)))
                        bad_brackets++;
            if (a == TR_WAIT)
                tr_service(&st, v);
            if (a == TR_DONE)
                acting[v] = 0;
            continue;
        }
        if (tr_service(&st, v))
            continue; /* stalled: no guest instruction */
        if (!draining && srnd() % 3 == 0) {
            CU_ASSERT_EQUAL(tr_begin(&st, v, 0x1000 * (srnd() % SV) + 4 * (srnd() % 64), 4, 0), 0);
            acting[v] = 1;
            writes++;
        }
        if (draining) {
            int busy = 0;
            for (unsigned c = 0; c < SV; c++)
                busy |= acting[c] || st.v[c].stalled || st.v[c].qhead != st.v[c].qtail;
            if (!busy)
                break;
        }
    }
    CU_ASSERT(n < 200000); /* drained: no deadlock */
    CU_ASSERT_EQUAL(writes, 3000);
    CU_ASSERT_EQUAL(bad_brackets, 0);
    /* every consumer pair: v consumes range v and v+1, so it hears from
     * every actor that wrote there; the last write of each actor reached
     * all its consumers */
    struct tr_stats s = tr_totals(&st);
    unsigned f = 0;
    for (int k = 0; k < TR_NTYPES; k++)
        f += s.faults[k];
    CU_ASSERT_EQUAL(f, 3000);
    for (unsigned a = 0; a < SV; a++)
        for (unsigned c = 0; c < SV; c++)
            if (c != a && st.v[a].seq && st.v[a].targets & (1u << c))
                CU_ASSERT_EQUAL(seen[c][a], st.v[a].seq);
    /* with no note lost, each one was consumed exactly once */
    if (s.mailbox_overflows == 0)
        CU_ASSERT_EQUAL(memcmp(sent, got, sizeof sent), 0);
    if (sem == TR_BRACKETING || sem == TR_POST_SYNC) {
        CU_ASSERT(s.actor_waits > 0);
        CU_ASSERT_EQUAL(s.mailbox_overflows, 0);
    }
    if (sem == TR_POST_ASYNC || sem == TR_PRE_WRITE)
        CU_ASSERT_EQUAL(s.actor_waits, 0);
}

static void test_stress(void)
{
    for (int sem = 0; sem < TR_NSEMS; sem++)
        stress((enum tr_sem)sem);
}

/* ---- [0087] as a model: every interleaving ----
 *
 * Memory holds the code at L (0 old, 1 new) and a word M (0).  X is the
 * actor: it writes the new code at L through the trace protocol; in the
 * "actor" variant it then writes M = 1 itself.  Y consumes the CODE trace
 * on L: it holds a translation of L's old code and, at each turn, first
 * takes any notification (only once an IPI has arrived: until then it runs
 * guest code), then runs its translation, which reads M.  Z, a bystander
 * in the "bystander" variant, runs L from memory once: the new code writes
 * M = 1.  Y observes the contradiction when its old translation reads
 * M = 1 (M can be 1 only after the new code ran, or after X's write
 * completed).  IPI delivery is a move of its own, so every delay of
 * delivery, of the actor between its steps, and of Y and Z is explored.
 */

struct world {
    struct trace t;
    uint8_t L, M, yl;   /* yl: Y's translation: 0 old, 1 new, 2 invalid */
    uint8_t inflight_y; /* IPIs sent to Y, not yet arrived */
    uint8_t kicked_y;   /* an IPI arrived: Y will look at its mailbox */
    uint8_t y_runs, z_done, x_done, x_wrote_m;
    uint8_t violation;
};

static int actor_writes_m; /* the variant */
static unsigned long explored;

static void w_ipi(void *ctx, unsigned from, unsigned to)
{
    (void)from;
    struct world *w = ctx;
    if (to == Y)
        w->inflight_y++;
}

static void w_consume(void *ctx, unsigned v, const struct tr_note *n)
{
    struct world *w = ctx;
    if (v != Y)
        return;
    if (n->sem == TR_PRE_WRITE || n->len == 0)
        w->yl = 2; /* nothing to re-derive from yet: retranslate on next run */
    else if (n->sem == TR_PRE_WRITE_DATA)
        w->yl = (uint8_t)n->data;
    else
        w->yl = w->L; /* re-derive from memory */
}

static const struct tr_ops world_ops = {w_ipi, NULL, NULL, NULL, w_consume};

static int explore(const struct world *w);

/* Try one move on a copy; recurse when it did something. */
static int move(const struct world *w, int who)
{
    struct world n = *w;
    n.t.ctx = &n;
    switch (who) {
    case 0: { /* X: one step of its protocol */
        if (n.x_done) {
            if (!actor_writes_m || n.x_wrote_m)
                return 0;
            n.M = 1;
            n.x_wrote_m = 1;
            break;
        }
        enum tr_action a = tr_step(&n.t, X);
        if (a == TR_WAIT && n.t.v[X].pc == w->t.v[X].pc)
            return 0; /* still waiting: not a move */
        if (a == TR_WRITE)
            n.L = 1;
        if (a == TR_DONE)
            n.x_done = 1;
        break;
    }
    case 1: /* an IPI reaches Y */
        if (!n.inflight_y)
            return 0;
        n.inflight_y--;
        n.kicked_y = 1;
        break;
    case 2: /* Y's turn */
        if (n.y_runs >= 2)
            return 0;
        if (n.kicked_y || n.t.v[Y].stalled) {
            n.kicked_y = 0;
            if (tr_service(&n.t, Y)) {
                if (w->t.v[Y].stalled == n.t.v[Y].stalled && !w->kicked_y)
                    return 0; /* still stalled, nothing new */
                break;
            }
        }
        if (n.yl == 2)
            n.yl = n.L;
        if (n.yl == 0 && n.M == 1)
            n.violation = 1;
        n.y_runs++;
        break;
    default: /* Z runs L from memory */
        if (actor_writes_m || n.z_done)
            return 0;
        n.z_done = 1;
        if (n.L == 1)
            n.M = 1;
        break;
    }
    return explore(&n);
}

/* 1 when some continuation of w lets Y observe the contradiction. */
static int explore(const struct world *w)
{
    explored++;
    if (w->violation)
        return 1;
    for (int who = 0; who < 4; who++)
        if (move(w, who))
            return 1;
    return 0;
}

static int litmus(enum tr_sem sem, int null_trace, int actor_m)
{
    static struct world w;
    memset(&w, 0, sizeof w);
    tr_init(&w.t, 3, &world_ops, &w);
    w.t.override = (int)sem;
    w.t.null_trace = null_trace;
    tr_add(&w.t, L_GPA, L_GPA + 0x1000, TR_CODE, Y);
    actor_writes_m = actor_m;
    tr_begin(&w.t, X, L_GPA, 4, 1);
    return explore(&w);
}

static void test_litmus_0087(void)
{
    /* Bystander Z runs the new code and writes M ([0087] as written): only
     * bracketing keeps Y from running its old translation after that, since
     * Y is stalled before the write is made.  Post-write semantics leave a
     * window between X's write and its notification (the delay of [0087]);
     * pre-write ones do not wait for Y at all. */
    CU_ASSERT_EQUAL(litmus(TR_BRACKETING, 0, 0), 0);
    CU_ASSERT_EQUAL(litmus(TR_BRACKETING, 1, 0), 0);
    CU_ASSERT_EQUAL(litmus(TR_POST_SYNC, 0, 0), 1);
    CU_ASSERT_EQUAL(litmus(TR_POST_ASYNC, 0, 0), 1);
    CU_ASSERT_EQUAL(litmus(TR_PRE_WRITE, 0, 0), 1);
    CU_ASSERT_EQUAL(litmus(TR_PRE_WRITE_DATA, 0, 0), 1);
    /* The actor itself writes M once its trace event is over: the
     * synchronous post-write acknowledgement now orders Y's re-derivation
     * before M = 1, as bracketing does; the others still fail. */
    CU_ASSERT_EQUAL(litmus(TR_BRACKETING, 0, 1), 0);
    CU_ASSERT_EQUAL(litmus(TR_POST_SYNC, 0, 1), 0);
    CU_ASSERT_EQUAL(litmus(TR_POST_ASYNC, 0, 1), 1);
    CU_ASSERT_EQUAL(litmus(TR_PRE_WRITE, 0, 1), 1);
    CU_ASSERT_EQUAL(litmus(TR_PRE_WRITE_DATA, 0, 1), 1);
    CU_ASSERT(explored > 100);
}

/* The model can find a violation at all: with no trace on L, Y is never
 * told, and its old translation runs after Z's write. */
static void test_litmus_checker_fails(void)
{
    static struct world w;
    memset(&w, 0, sizeof w);
    tr_init(&w.t, 3, &world_ops, &w);
    actor_writes_m = 0;
    w.x_done = 1;
    w.L = 1;
    CU_ASSERT_EQUAL(explore(&w), 1);
}

/* A consumer that places its trace after the actor looked the consumers
 * up, but before the write, gets a note at the write's unlock; one that
 * comes after the unlock does not (it derives from the new value). */
static void test_late_consumer(void)
{
    fresh(3, TR_BRACKETING);
    CU_ASSERT_EQUAL(tr_begin(&tr, X, L_GPA + 8, 4, 0), 0);
    CU_ASSERT_EQUAL(tr_step(&tr, X), TR_WAIT); /* Y notified; Z not a consumer */
    CU_ASSERT_EQUAL(tr_add(&tr, L_GPA, L_GPA + 0x1000, TR_CODE, Z), 0); /* Z joins */
    service(Y);
    CU_ASSERT_EQUAL(tr_step(&tr, X), TR_WRITE);
    tr_write_lock(&tr, X);
    tr_write_unlock(&tr, X); /* Z gets a late note */
    CU_ASSERT_EQUAL(tr_step(&tr, X), TR_DONE);
    service(Z);
    CU_ASSERT_EQUAL(last_note.gpa, L_GPA + 8);
    CU_ASSERT_EQUAL(last_note.sem, TR_POST_ASYNC);
    CU_ASSERT_FALSE(tr_service(&tr, Z)); /* not stalled: nobody releases it */
    CU_ASSERT_EQUAL(tr_totals(&tr).late_notes, 1);
    /* post_sync, X joins nothing new: no late note */
    fresh(3, TR_POST_SYNC);
    CU_ASSERT_EQUAL(tr_begin(&tr, X, L_GPA, 4, 0), 0);
    CU_ASSERT_EQUAL(tr_step(&tr, X), TR_WRITE);
    tr_write_lock(&tr, X);
    tr_write_unlock(&tr, X);
    CU_ASSERT_EQUAL(tr_totals(&tr).late_notes, 0);
    /* joining after the unlock: no note either */
    CU_ASSERT_EQUAL(tr_step(&tr, X), TR_WAIT);
    CU_ASSERT_EQUAL(tr_add(&tr, L_GPA, L_GPA + 0x1000, TR_CODE, Z), 0);
    service(Y);
    CU_ASSERT_EQUAL(tr_step(&tr, X), TR_DONE);
    CU_ASSERT_EQUAL(tr_totals(&tr).late_notes, 0);
    CU_ASSERT_FALSE(tr_service(&tr, Z));
}

static CU_TestInfo tests[] = {
    {"a consumer joining during the event gets a late note", test_late_consumer},
    {"roles: actor, consumers, bystanders", test_roles},
    {"per-type defaults and the override", test_defaults_override},
    {"bracketing: consumers stalled across the write", test_bracketing},
    {"post_sync: waits for acks, not processing", test_post_sync},
    {"post_async: the actor never waits", test_post_async},
    {"pre_write with and without the data", test_pre_write},
    {"null traces: no bystanders", test_null_trace},
    {"MMU traces: shadows invalidated, or deferred to the TLB flush", test_mmu_shadows},
    {"mailbox and deferral overflows", test_overflows},
    {"four actors at once, every semantics", test_stress},
    {"[0087] litmus: which semantics can show the contradiction", test_litmus_0087},
    {"[0087] model can fail", test_litmus_checker_fails},
    CU_TEST_INFO_NULL,
};

CUNIT_MAIN("hv_x86_trace", tests)
