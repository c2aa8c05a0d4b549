/*
 * trace.c - the trace subsystem (see trace.h): ranges and roles, the
 * semantics as step tables, mailboxes, acknowledgements and releases.
 */
#include "trace.h"

enum step { S_NOTIFY, S_WAIT_ACKS, S_WRITE, S_RELEASE, S_DONE };

/* One row per semantics: the actor's program, and whether consumers stall
 * until the release (bracketing) and receive the data (pre_write_data). */
static const struct protocol {
    uint8_t steps[5];
    uint8_t stalls, data;
} protocols[TR_NSEMS] = {
    [TR_BRACKETING] = {{S_NOTIFY, S_WAIT_ACKS, S_WRITE, S_RELEASE, S_DONE}, 1, 0},
    [TR_POST_SYNC] = {{S_WRITE, S_NOTIFY, S_WAIT_ACKS, S_DONE}, 0, 0},
    [TR_POST_ASYNC] = {{S_WRITE, S_NOTIFY, S_DONE}, 0, 0},
    [TR_PRE_WRITE] = {{S_NOTIFY, S_WRITE, S_DONE}, 0, 0},
    [TR_PRE_WRITE_DATA] = {{S_NOTIFY, S_WRITE, S_DONE}, 0, 1},
};

/* Strongest first: when one write hits types of different semantics, the
 * strongest guarantee any of them asks for is kept. */
static const uint8_t strength[TR_NSEMS] = {
    [TR_BRACKETING] = 4, [TR_POST_SYNC] = 3,  [TR_PRE_WRITE_DATA] = 2,
    [TR_PRE_WRITE] = 1,  [TR_POST_ASYNC] = 0,
};

static uint32_t load(const uint32_t *p)
{
    return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

static void store(uint32_t *p, uint32_t v)
{
    __atomic_store_n(p, v, __ATOMIC_RELEASE);
}

static void lock(uint32_t *l)
{
    while (__atomic_exchange_n(l, 1u, __ATOMIC_ACQUIRE))
        ;
}

static void unlock(uint32_t *l)
{
    __atomic_store_n(l, 0u, __ATOMIC_RELEASE);
}

static uint32_t all_vcpus(const struct trace *t)
{
    return t->nvcpus >= 32 ? 0xFFFFFFFFu : (1u << t->nvcpus) - 1;
}

/* Zero a large object word by word: a compound literal this big becomes a
 * memset call, which the freestanding hypervisor does not have. */
static void zero(void *p, unsigned long n)
{
    volatile uint32_t *w = p;
    for (unsigned long i = 0; i < n / 4; i++)
        w[i] = 0;
}

void tr_init(struct trace *t, unsigned nvcpus, const struct tr_ops *ops, void *ctx)
{
    if (nvcpus > TR_MAX_VCPUS)
        nvcpus = TR_MAX_VCPUS;
    zero(t, sizeof *t);
    t->nvcpus = nvcpus;
    t->override = -1;
    t->ops = ops;
    t->ctx = ctx;
    t->defaults[TR_MMU] = TR_POST_SYNC;
    t->defaults[TR_GDT] = TR_BRACKETING;
    t->defaults[TR_CODE] = TR_BRACKETING;
}

enum tr_sem tr_semantics(const struct trace *t, enum tr_type type)
{
    return (enum tr_sem)(t->override >= 0 ? t->override : t->defaults[type]);
}

int tr_add(struct trace *t, uint32_t start, uint32_t end, enum tr_type type, unsigned vcpu)
{
    if (start >= end || type >= TR_NTYPES || vcpu >= t->nvcpus)
        return -1;
    /* Virtual CPUs on several harts place and lift traces at once: the
     * table changes under its lock (a lookup reads whole words). */
    int free = -1, rc = 0;
    lock(&t->rlock);
    store(&t->adds, t->adds + 1);
    for (int i = 0; i < TR_MAX_TRACES; i++) {
        struct tr_range *r = &t->r[i];
        if (r->consumers && r->start == start && r->end == end && r->type == type) {
            store(&r->consumers, r->consumers | 1u << vcpu);
            unlock(&t->rlock);
            return 0;
        }
        if (!r->consumers && free < 0)
            free = i;
    }
    if (free < 0) {
        rc = -1;
    } else {
        struct tr_range *r = &t->r[free];
        r->start = start;
        r->end = end;
        r->type = (uint8_t)type;
        store(&r->consumers, 1u << vcpu); /* last: the row is live from here */
    }
    unlock(&t->rlock);
    return rc;
}

void tr_remove(struct trace *t, uint32_t start, uint32_t end, enum tr_type type, unsigned vcpu)
{
    lock(&t->rlock);
    for (int i = 0; i < TR_MAX_TRACES; i++) {
        struct tr_range *r = &t->r[i];
        if (r->consumers && r->start == start && r->end == end && r->type == type)
            store(&r->consumers, r->consumers & ~(1u << vcpu));
    }
    unlock(&t->rlock);
}

struct tr_event tr_lookup(const struct trace *t, uint32_t gpa, uint32_t len)
{
    struct tr_event e = {0};
    int best = -1;
    for (int i = 0; i < TR_MAX_TRACES; i++) {
        const struct tr_range *r = &t->r[i];
        if (!r->consumers || gpa >= r->end || gpa + len <= r->start)
            continue;
        e.types |= 1u << r->type;
        e.consumers |= r->consumers;
        enum tr_sem s = tr_semantics(t, (enum tr_type)r->type);
        if (best < 0 || strength[s] > strength[best])
            best = (int)s;
    }
    e.bystanders = all_vcpus(t) & ~e.consumers;
    e.sem = best < 0 ? TR_POST_ASYNC : (enum tr_sem)best;
    return e;
}

int tr_begin(struct trace *t, unsigned actor, uint32_t gpa, uint32_t len, uint64_t data)
{
    uint32_t adds = load(&t->adds); /* before the lookup: an add during it is a change */
    struct tr_event e = tr_lookup(t, gpa, len);
    struct tr_vcpu *a = &t->v[actor];
    if (!e.types)
        return -1;
    /* One event per write; its type for the counters is the lowest hit. */
    unsigned type = 0;
    while (!(e.types & (1u << type)))
        type++;
    a->st.faults[type]++;
    a->seq++;
    a->cur = (struct tr_note){.gpa = gpa,
                              .len = len,
                              .data = protocols[e.sem].data ? data : 0,
                              .seq = a->seq,
                              .actor = (uint8_t)actor,
                              .type = (uint8_t)type,
                              .sem = (uint8_t)e.sem};
    a->consumers = e.consumers;
    a->adds = adds;
    a->targets = (t->null_trace ? all_vcpus(t) : e.consumers) & ~(1u << actor);
    a->pc = 0;
    return 0;
}

/* Consume one note now (or record it for the TLB flush). */
static void consume(struct trace *t, unsigned v, const struct tr_note *n)
{
    struct tr_vcpu *c = &t->v[v];
    if (n->null) {
        c->st.null_notes++;
        return;
    }
    if (n->type == TR_MMU && t->defer_mmu && n->len) {
        if (c->ndefer < TR_MAX_DEFER) {
            c->defer[c->ndefer++] = n->gpa;
        } else {
            c->defer_all = 1;
            c->st.defer_overflows++;
        }
        c->st.deferred++;
        return;
    }
    if (n->type == TR_GDT)
        c->st.rederived++;
    else
        c->st.invalidated++;
    if (t->ops->consume)
        t->ops->consume(t->ctx, v, n);
}

/* Put a note in `to`'s mailbox.  Slots are kept for the notes actors wait
 * on (at most one per actor); an asynchronous note that finds too few is
 * dropped and turns into a consume-everything of its type. */
static void post(struct trace *t, unsigned to, const struct tr_note *n, int waited_on)
{
    struct tr_vcpu *c = &t->v[to];
    lock(&c->qlock);
    uint32_t used = c->qtail - c->qhead;
    if (waited_on || used + TR_MAX_VCPUS < TR_QLEN) {
        c->q[c->qtail % TR_QLEN] = *n;
        store(&c->qtail, c->qtail + 1);
    } else {
        c->lost_types |= 1u << n->type;
        t->v[n->actor].st.mailbox_overflows++;
    }
    unlock(&c->qlock);
}

static int all_acked(const struct trace *t, const struct tr_vcpu *a)
{
    for (unsigned c = 0; c < t->nvcpus; c++)
        if ((a->targets & (1u << c)) && load(&a->acked[c]) < a->cur.seq)
            return 0;
    return 1;
}

enum tr_action tr_step(struct trace *t, unsigned actor)
{
    struct tr_vcpu *a = &t->v[actor];
    const struct protocol *p = &protocols[a->cur.sem];
    for (;;) {
        switch (p->steps[a->pc]) {
        case S_NOTIFY:
            for (unsigned c = 0; c < t->nvcpus; c++) {
                if (!(a->targets & (1u << c)))
                    continue;
                struct tr_note n = a->cur;
                n.null = !(a->consumers & (1u << c));
                post(t, c, &n, a->cur.sem == TR_BRACKETING || a->cur.sem == TR_POST_SYNC);
                a->st.notes_sent++;
                t->ops->send_ipi(t->ctx, actor, c);
            }
            a->pc++;
            break;
        case S_WAIT_ACKS:
            if (!all_acked(t, a)) {
                a->st.actor_waits++;
                return TR_WAIT;
            }
            a->pc++;
            break;
        case S_WRITE:
            a->pc++;
            return TR_WRITE;
        case S_RELEASE:
            store(&a->released, a->cur.seq);
            for (unsigned c = 0; c < t->nvcpus; c++)
                if ((a->targets & (1u << c)) && t->ops->release)
                    t->ops->release(t->ctx, actor, c);
            a->st.releases++;
            a->pc++;
            break;
        default: /* S_DONE: the actor, when a consumer, consumes its own write */
            if (a->consumers & (1u << actor))
                consume(t, actor, &a->cur);
            return TR_DONE;
        }
    }
}

void tr_write_lock(struct trace *t, unsigned actor)
{
    (void)actor;
    lock(&t->rlock);
}

void tr_write_unlock(struct trace *t, unsigned actor)
{
    struct tr_vcpu *a = &t->v[actor];
    if (load(&t->adds) == a->adds) { /* nothing placed since the lookup: the common case */
        unlock(&t->rlock);
        return;
    }
    uint32_t late = tr_lookup(t, a->cur.gpa, a->cur.len).consumers & ~a->consumers;
    late &= ~(1u << actor);
    unlock(&t->rlock);
    for (unsigned c = 0; c < t->nvcpus; c++) {
        if (!(late & (1u << c)))
            continue;
        /* Asynchronous: the write is done, the consumer re-derives when it
         * takes the note (nobody waits for it). */
        struct tr_note n = a->cur;
        n.sem = TR_POST_ASYNC;
        n.null = 0;
        post(t, c, &n, 0);
        a->st.late_notes++;
        t->ops->send_ipi(t->ctx, actor, c);
    }
}

int tr_service(struct trace *t, unsigned v)
{
    struct tr_vcpu *c = &t->v[v];
    lock(&c->qlock);
    uint32_t lost = c->lost_types;
    c->lost_types = 0;
    unlock(&c->qlock);
    for (unsigned type = 0; type < TR_NTYPES; type++)
        if (lost & (1u << type)) {
            struct tr_note all = {.type = (uint8_t)type, .actor = (uint8_t)v};
            consume(t, v, &all);
        }
    while (c->qhead != load(&c->qtail)) {
        struct tr_note n = c->q[c->qhead % TR_QLEN];
        store(&c->qhead, c->qhead + 1);
        struct tr_vcpu *a = &t->v[n.actor];
        store(&a->acked[v], n.seq);
        c->st.acks++;
        if (t->ops->ack)
            t->ops->ack(t->ctx, v, n.actor);
        if (protocols[n.sem].stalls) {
            /* A bracketing actor sends its next note only after releasing
             * the last one: a stall still recorded for it is over. */
            if (c->stalled & (1u << n.actor))
                consume(t, v, &c->stall[n.actor]);
            c->stalled |= 1u << n.actor;
            c->stall[n.actor] = n;
        } else {
            consume(t, v, &n);
        }
    }
    for (unsigned a = 0; a < t->nvcpus; a++)
        if ((c->stalled & (1u << a)) && load(&t->v[a].released) >= c->stall[a].seq) {
            c->stalled &= ~(1u << a);
            consume(t, v, &c->stall[a]);
        }
    if (c->stalled) {
        c->st.stall_waits++;
        return 1;
    }
    return 0;
}

void tr_tlb_flush(struct trace *t, unsigned v)
{
    struct tr_vcpu *c = &t->v[v];
    if (c->defer_all) {
        struct tr_note all = {.type = TR_MMU, .actor = (uint8_t)v};
        c->st.invalidated++;
        if (t->ops->consume)
            t->ops->consume(t->ctx, v, &all);
    } else {
        for (uint32_t i = 0; i < c->ndefer; i++) {
            struct tr_note n = {.gpa = c->defer[i], .len = 4, .type = TR_MMU, .actor = (uint8_t)v};
            c->st.invalidated++;
            if (t->ops->consume)
                t->ops->consume(t->ctx, v, &n);
        }
    }
    c->st.deferred_flushed += c->ndefer;
    c->ndefer = 0;
    c->defer_all = 0;
}

int tr_write(struct trace *t, unsigned actor, uint32_t gpa, uint32_t len, uint64_t data,
             void (*write)(void *arg), void *arg)
{
    if (tr_begin(t, actor, gpa, len, data) != 0)
        return -1;
    for (;;) {
        enum tr_action act = tr_step(t, actor);
        if (act == TR_DONE)
            return 0;
        if (act == TR_WRITE) {
            tr_write_lock(t, actor);
            write(arg);
            tr_write_unlock(t, actor);
            continue;
        }
        tr_service(t, actor);
        if (t->ops->poll)
            t->ops->poll(t->ctx, actor);
    }
}

struct tr_stats tr_totals(const struct trace *t)
{
    struct tr_stats s = {0};
    for (unsigned i = 0; i < t->nvcpus; i++) {
        const struct tr_stats *v = &t->v[i].st;
        for (int k = 0; k < TR_NTYPES; k++)
            s.faults[k] += v->faults[k];
        s.notes_sent += v->notes_sent;
        s.acks += v->acks;
        s.releases += v->releases;
        s.actor_waits += v->actor_waits;
        s.stall_waits += v->stall_waits;
        s.rederived += v->rederived;
        s.invalidated += v->invalidated;
        s.deferred += v->deferred;
        s.deferred_flushed += v->deferred_flushed;
        s.defer_overflows += v->defer_overflows;
        s.null_notes += v->null_notes;
        s.mailbox_overflows += v->mailbox_overflows;
        s.late_notes += v->late_notes;
    }
    return s;
}
