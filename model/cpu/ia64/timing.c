/*
 * timing.c - the issue model (see timing.h).  Hot: ia64_timing_bundle()
 * once per bundle in detailed mode; a handful of compares per slot.
 *
 * Latencies (shared/reference ia64-facts 9, which cites GCC's Itanium 2
 * pipeline description and Linux's hand annotations of its interruption
 * paths): integer ALU 1; mov =b, =pr and mov.i =ar.pfs/lc/ec 2; reads of
 * ar.unat, ar.rnat, ar.ccv 5; of the kernel registers, ar.rsc, bsp,
 * bspstore, fpsr 12; of cr.ipsr 12 and of the other control registers 2.
 * Not published, and assumed here: mov =psr, =pmd, =cpuid and =rr 12
 * (the M2 read path of cr.ipsr).
 */
#include "model/cpu/ia64/timing.h"

#include <string.h>

#include "model/base/stats.h"

void ia64_timing_init(struct ia64_timing *tm, const struct ia64_pipeline_config *c)
{
    memset(tm, 0, sizeof(*tm));
    tm->cfg = *c;
    if (tm->cfg.store_buffer > 64)
        tm->cfg.store_buffer = 64;
}

static unsigned ar_read_latency(unsigned ar)
{
    if (ar == 32 || ar == 36 || ar == 19) /* ccv, unat, rnat */
        return 5;
    if (ar < 8 || (ar >= 16 && ar <= 18) || ar == 40) /* kr, rsc, bsp, bspstore, fpsr */
        return 12;
    return ar >= 64 ? 2 : 12; /* I-unit ARs (pfs, lc, ec) */
}

/* Source and destination roles of each format's register fields. */
static void roles(const struct ia64_insn *in, struct ia64_slot_timing *t)
{
    const struct ia64_form_info *f = &ia64_forms[in->form];
    uint8_t r1 = in->r1, r2 = in->r2, r3 = in->r3;
    t->cls = TC_ALU;
    t->lat = 1;
    switch (f->fmt) {
    case FMT_A1:
    case FMT_A1_1:
    case FMT_A2:
        t->dst[0] = r1, t->src[0] = r2, t->src[1] = r3;
        return;
    case FMT_A3:
    case FMT_A4:
    case FMT_A5:
    case FMT_EXTR:
        t->dst[0] = r1, t->src[0] = r3;
        return;
    case FMT_DEPZ:
        t->dst[0] = r1, t->src[0] = r2;
        return;
    case FMT_A6:
        t->src[0] = r2, t->src[1] = r3;
        return;
    case FMT_A7:
    case FMT_A8:
        t->src[0] = r3;
        return;
    case FMT_M1:
        t->cls = TC_LOAD, t->dst[0] = r1, t->src[0] = r3;
        return;
    case FMT_M2:
        t->cls = TC_LOAD, t->dst[0] = r1, t->dst[1] = r3, t->src[0] = r3, t->src[1] = r2;
        return;
    case FMT_M3:
        t->cls = TC_LOAD, t->dst[0] = r1, t->dst[1] = r3, t->src[0] = r3;
        return;
    case FMT_M4:
        t->cls = TC_STORE, t->src[0] = r2, t->src[1] = r3;
        return;
    case FMT_M5:
        t->cls = TC_STORE, t->src[0] = r2, t->src[1] = r3, t->dst[0] = r3;
        return;
    case FMT_M16:
    case FMT_M16X:
        t->cls = TC_SEM, t->dst[0] = r1, t->src[0] = r2, t->src[1] = r3;
        return;
    case FMT_M17:
        t->cls = TC_SEM, t->dst[0] = r1, t->src[0] = r3;
        return;
    case FMT_X2:
        t->dst[0] = r1;
        return;
    case FMT_MOVBR:
        t->src[0] = r2;
        return;
    case FMT_BR:
    case FMT_BR_CALL:
    case FMT_BR_IND:
    case FMT_BR_CALLI:
    case FMT_BRL:
    case FMT_BRL_CALL:
        t->cls = TC_BRANCH;
        return;
    case FMT_IMM21:
    case FMT_X1:
        t->cls = TC_NONE;
        return;
    default:
        break;
    }
    /* System forms: the printing pattern names the fields it uses; {r1}
     * is written, {r2} and {r3} are read. */
    const char *p = f->mnemonic;
    if (strstr(p, "{r1}"))
        t->dst[0] = r1;
    if (strstr(p, "{r2}"))
        t->src[0] = r2;
    if (strstr(p, "{r3}"))
        t->src[1] = r3;
    switch (in->form) {
    case IA64_SRLZ_D:
        t->cls = TC_SRLZ_D;
        break;
    case IA64_SRLZ_I:
        t->cls = TC_SRLZ_I;
        break;
    case IA64_MF:
    case IA64_SYNC_I:
        t->cls = TC_FENCE;
        break;
    case IA64_RFI:
        t->cls = TC_FLUSH;
        break;
    case IA64_BSW_0:
    case IA64_BSW_1: /* 6 cycles (Linux's annotation of bsw.1 on McKinley) */
        t->cls = TC_STALL_LAT;
        t->lat = 6;
        break;
    case IA64_MOV_FROM_BR:
    case IA64_MOV_FROM_PR:
        t->lat = 2;
        break;
    case IA64_MOV_FROM_AR_M:
    case IA64_MOV_FROM_AR_I:
        t->lat = (uint8_t)ar_read_latency((unsigned)(in->raw >> 20) & 127);
        break;
    case IA64_MOV_FROM_CR:
        t->lat = ((in->raw >> 20) & 127) == 16 ? 12 : 2;
        break;
    case IA64_MOV_FROM_PSR:
    case IA64_MOV_FROM_PMD:
    case IA64_MOV_FROM_PMC:
    case IA64_MOV_FROM_CPUID:
    case IA64_MOV_FROM_RR:
        t->lat = 12;
        break;
    case IA64_NOP_M:
    case IA64_NOP_I:
    case IA64_NOP_B:
    case IA64_NOP_X:
        t->cls = TC_NONE;
        break;
    default:
        break;
    }
}

void ia64_timing_decode(const struct ia64_bundle *b, struct ia64_slot_timing t[3])
{
    memset(t, 0, 3 * sizeof(*t));
    bool mlx = b->unit[1] == U_L;
    for (unsigned s = 0; s < 3; s++) {
        if (mlx && s == 2)
            break;
        const struct ia64_insn *in = &b->insn[mlx && s == 1 ? 2 : s];
        t[s].unit = mlx && s == 1 ? U_I : b->unit[s];
        if (in->form >= IA64_NFORMS) {
            t[s].cls = TC_NONE;
            continue;
        }
        roles(in, &t[s]); /* r0 as a source or destination is 0: never waited for */
    }
}

static void new_cycle(struct ia64_timing *tm, uint64_t t)
{
    tm->t = t;
    tm->bundles = tm->m = tm->i = tm->b = tm->ld = tm->st = 0;
    tm->s.groups++;
}

void ia64_timing_advance(struct ia64_timing *tm, uint64_t n)
{
    new_cycle(tm, tm->t + n);
}

/* The cycle every outstanding register result is ready. */
static uint64_t all_ready(const struct ia64_timing *tm)
{
    uint64_t m = 0;
    for (unsigned r = 0; r < 128; r++)
        if (tm->gr_ready[r] > m)
            m = tm->gr_ready[r];
    return m;
}

static uint64_t stores_drained(const struct ia64_timing *tm)
{
    uint64_t m = 0;
    for (unsigned k = 0; k < tm->cfg.store_buffer; k++)
        if (tm->sb[k] > m)
            m = tm->sb[k];
    return m;
}

/* Whether the slot's unit has a free port in cycle t (and take it). */
static bool take_port(struct ia64_timing *tm, const struct ia64_slot_timing *s)
{
    const struct ia64_pipeline_config *c = &tm->cfg;
    switch (s->unit) {
    case U_M:
        if (tm->m >= c->m_ports || (s->cls == TC_LOAD && tm->ld >= c->load_ports) ||
            ((s->cls == TC_STORE || s->cls == TC_SEM) && tm->st >= c->store_ports))
            return false;
        tm->m++;
        tm->ld += s->cls == TC_LOAD || s->cls == TC_SEM;
        tm->st += s->cls == TC_STORE || s->cls == TC_SEM;
        return true;
    case U_I:
        if (tm->i >= c->i_ports)
            return false;
        tm->i++;
        return true;
    case U_B:
        if (tm->b >= c->b_ports)
            return false;
        tm->b++;
        return true;
    default:
        return true;
    }
}

void ia64_timing_bundle(struct ia64_timing *tm, const struct ia64_bundle *b,
                        const struct ia64_slot_timing st[3], const struct ia64_exec_result *r)
{
    if (tm->bundles >= tm->cfg.bundles_per_cycle)
        new_cycle(tm, tm->t + 1);
    tm->bundles++;
    bool mlx = b->unit[1] == U_L;
    for (unsigned s = r->first_slot; s < r->end_slot; s++) {
        const struct ia64_slot_timing *x = &st[s];
        /* A stop before this slot ends the issue group. */
        if (s > r->first_slot && (b->stop >> (s - 1) & 1) && !(mlx && s == 2))
            new_cycle(tm, tm->t + 1);
        uint64_t ready = tm->t;
        for (unsigned k = 0; k < 2; k++)
            if (x->src[k] && tm->gr_ready[x->src[k]] > ready)
                ready = tm->gr_ready[x->src[k]];
        if (ready > tm->t) {
            tm->s.load_use_stall += ready - tm->t;
            new_cycle(tm, ready);
        }
        if (!take_port(tm, x)) {
            tm->s.port_splits++;
            new_cycle(tm, tm->t + 1);
            take_port(tm, x);
        }
        uint64_t done = tm->t + x->lat;
        switch (x->cls) {
        case TC_LOAD:
        case TC_SEM:
            done = tm->t + (r->lat[s] ? r->lat[s] : 1);
            if (x->cls == TC_LOAD)
                break;
            /* a semaphore also occupies the store buffer */
            __attribute__((fallthrough));
        case TC_STORE: {
            uint64_t *e = &tm->sb[tm->sb_next];
            if (*e > tm->t) { /* full: wait for the oldest store to leave */
                tm->s.store_buffer_stall += *e - tm->t;
                new_cycle(tm, *e);
                take_port(tm, x);
            }
            *e = tm->t + (r->lat[s] ? r->lat[s] : 1);
            tm->sb_next = (tm->sb_next + 1) % (unsigned)tm->cfg.store_buffer;
            break;
        }
        case TC_SRLZ_D:
        case TC_SRLZ_I:
        case TC_FENCE: {
            uint64_t w = x->cls == TC_FENCE ? stores_drained(tm) : all_ready(tm);
            if (x->cls != TC_FENCE && stores_drained(tm) > w)
                w = stores_drained(tm);
            if (w > tm->t) {
                tm->s.serialize_stall += w - tm->t;
                new_cycle(tm, w);
            }
            if (x->cls == TC_SRLZ_I) {
                tm->s.flushes++;
                new_cycle(tm, tm->t + tm->cfg.flush_penalty);
            }
            break;
        }
        case TC_FLUSH:
            tm->s.flushes++;
            new_cycle(tm, tm->t + tm->cfg.flush_penalty);
            break;
        case TC_STALL_LAT:
            new_cycle(tm, tm->t + x->lat);
            break;
        default:
            break;
        }
        for (unsigned k = 0; k < 2; k++)
            if (x->dst[k])
                tm->gr_ready[x->dst[k]] = done;
    }
    /* A frame change renames r32 and up: their pending results no longer
     * belong to the names the next frame uses. */
    if (r->frame_changed)
        for (unsigned k = 32; k < 128; k++)
            if (tm->gr_ready[k] > tm->t)
                tm->gr_ready[k] = tm->t;
    /* The group ends with the bundle at a stop, a taken branch or a fault;
     * B-unit branches end the dispersal window. */
    if (r->taken || r->outcome != IA64_X_OK || (b->stop >> 2 & 1))
        new_cycle(tm, tm->t + 1);
}

int ia64_timing_register_stats(struct ia64_timing *tm, struct stats_group *g)
{
    if (!g)
        return -1;
    int rc = 0;
    rc |=
        stats_counter(g, "cycles_started", &tm->s.groups, "events",
                      "new issue cycles: after a stop, a full window, a port conflict or a stall");
    rc |= stats_counter(g, "load_use_stall", &tm->s.load_use_stall, "cycles",
                        "cycles waiting for a source register (loads, long-latency reads)");
    rc |= stats_counter(g, "port_splits", &tm->s.port_splits, "events",
                        "issue groups split because a unit's ports were taken");
    rc |= stats_counter(g, "store_buffer_stall", &tm->s.store_buffer_stall, "cycles",
                        "cycles waiting for a store buffer entry");
    rc |= stats_counter(g, "serialize_stall", &tm->s.serialize_stall, "cycles",
                        "cycles srlz, mf and sync.i waited for outstanding work");
    rc |= stats_counter(g, "flushes", &tm->s.flushes, "events",
                        "pipeline refills after rfi, srlz.i and interruptions");
    return rc ? -1 : 0;
}
