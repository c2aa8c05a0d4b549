/*
 * hart.c - the IA-32 hart (see hart.h).  Hot: step() once per instruction.
 */
#include "model/cpu/x86/hart.h"

#include <stdio.h>
#include <string.h>

#include "model/base/stats.h"
#include "model/cpu/x86/exec.h"

/* An access through the cache model: its cycles beyond an L1 hit stall
 * the in-order pipeline (the L1 latency itself is hidden by it). */
static unsigned timed(struct x86_hart *h, uint64_t pa, unsigned size, enum mem_kind k)
{
    struct mem_result r;
    unsigned lat = memsys_access(h->ms, h->core, pa, size, k, 0, h->hart.clock, &r);
    if (r.l1_miss)
        emon_count(&h->emon, k == MEM_IFETCH ? EMON_L1I_MISSES : EMON_L1D_MISSES, 1);
    if (r.l2_miss)
        emon_count(&h->emon, EMON_L2_MISSES, 1);
    if (r.l3_miss)
        emon_count(&h->emon, EMON_L3_MISSES, 1);
    return r.level == LEVEL_L1 ? 0 : lat;
}

static int mem_read(void *ctx, uint64_t pa, unsigned size, uint32_t *val, unsigned *stall)
{
    struct x86_hart *h = ctx;
    uint64_t v;
    if (physmem_read(h->pm, pa, size, &v) != PM_OK)
        return -1;
    *val = (uint32_t)v;
    *stall += timed(h, pa, size, MEM_READ);
    return 0;
}

static int mem_write(void *ctx, uint64_t pa, unsigned size, uint32_t val, unsigned *stall)
{
    struct x86_hart *h = ctx;
    enum pm_status s = physmem_write(h->pm, pa, size, val);
    if (s != PM_OK && s != PM_ROM_WRITE)
        return -1;
    *stall += timed(h, pa, size, MEM_WRITE);
    return 0;
}

/* Ports: the control device's, and nothing else yet.  A read of a port
 * no device serves returns all ones, as on the PC bus. */
static uint32_t port_in(void *ctx, uint16_t port, unsigned size)
{
    struct x86_hart *h = ctx;
    if (port == CTL_PORT_CONSOLE || port == CTL_PORT_EXIT || port == CTL_PORT_ARG ||
        port == CTL_PORT_CMD)
        return 0; /* the device's registers read as 0 (ctl.h) */
    h->port_ignored++;
    return size >= 4 ? 0xFFFFFFFFu : (1u << (8 * size)) - 1;
}

static void port_out(void *ctx, uint16_t port, unsigned size, uint32_t val)
{
    struct x86_hart *h = ctx;
    h->ctl->hart = h->hart.id;
    if (!ctl_port_write(h->ctl, h->hart.id, port, size, val))
        h->port_ignored++;
}

/* Up to X86_MAX_LEN bytes at pa; fewer when memory ends sooner. */
static unsigned fetch_bytes(struct x86_hart *h, uint64_t pa, uint8_t *b)
{
    if (physmem_copy_out(h->pm, pa, b, X86_MAX_LEN) == PM_OK)
        return X86_MAX_LEN;
    unsigned n = 0;
    while (n < X86_MAX_LEN && physmem_copy_out(h->pm, pa + n, b + n, 1) == PM_OK)
        n++;
    return n;
}

static void fatal(struct x86_hart *h, uint64_t pa, unsigned len, const char *cause)
{
    struct fatal_info *f = &h->hart.fatal;
    uint8_t b[X86_MAX_LEN];
    memset(f, 0, sizeof(*f));
    f->ip = h->st.eip;
    unsigned n = fetch_bytes(h, pa, b);
    if (len && len < n)
        n = len;
    memcpy(f->bytes, b, n);
    f->nbytes = n;
    snprintf(f->cause, sizeof(f->cause), "%s", cause);
}

/* The decoded instruction at pa, from the cache or decoded now; NULL when
 * no byte of it is in memory. */
static const struct x86_insn *decoded(struct x86_hart *h, uint64_t pa)
{
    unsigned idx = (unsigned)pa & (X86_DCACHE_SLOTS - 1);
    if (h->dc[idx].addr == pa + 1)
        return &h->dc[idx].in;
    uint8_t b[X86_MAX_LEN];
    unsigned n = fetch_bytes(h, pa, b);
    if (!n)
        return NULL;
    struct x86_insn *in = &h->dc[idx].in;
    x86_decode(b, n, in);
    x86_bind(in);
    /* Both pages an instruction touches are code now: a write to either
     * re-decodes it. */
    physmem_mark_code(h->pm, pa);
    physmem_mark_code(h->pm, pa + in->len - 1);
    h->dc[idx].addr = pa + 1;
    h->decodes++;
    return in;
}

static enum step_status step(struct hart *hh, uint64_t now, struct step_out *out)
{
    struct x86_hart *h = (struct x86_hart *)hh;
    if (!h->boot) {
        out->cycles = 1; /* application processors wait for a start IPI */
        return STEP_HALT;
    }
    struct x86_state *st = &h->st;
    st->tsc = now;
    /* Linear = physical: paging is not modelled yet. */
    uint64_t pa = (uint32_t)(st->seg[X86_CS].base + st->eip);
    const struct x86_insn *in = decoded(h, pa);
    if (!in) {
        fatal(h, pa, 0, "instruction fetch outside memory");
        return STEP_FATAL;
    }
    unsigned fstall = timed(h, pa, in->len, MEM_IFETCH);
    struct x86_mem mem = {mem_read, mem_write, port_in, port_out, h};
    struct x86_exec_result r;
    uint32_t eip = st->eip;
    x86_execute(st, in, &mem, &r);
    uint64_t cycles = 1 + fstall + r.stall;
    h->fetch_stall += fstall;
    h->data_stall += r.stall;
    emon_count(&h->emon, EMON_STALL_CACHE_MISS, fstall + r.stall);
    if (r.branch) {
        uint64_t hits = h->bp.st.btb_hits;
        bool miss = bpred_resolve(&h->bp, eip, (enum br_kind)r.branch_kind, r.taken, r.target,
                                  eip + in->len, 0);
        emon_count(&h->emon, h->bp.st.btb_hits != hits ? EMON_BTB_HITS : EMON_BTB_MISSES, 1);
        if (miss) {
            cycles += h->bp.penalty;
            emon_count(&h->emon, EMON_BR_MISPREDICTS, 1);
            emon_count(&h->emon, EMON_STALL_BRANCH, h->bp.penalty);
        }
    }
    out->cycles = cycles;
    out->retired = r.retired;
    emon_count(&h->emon, EMON_CYCLES, cycles);
    emon_count(&h->emon, EMON_INSTRUCTIONS, r.retired);
    emon_count(&h->emon, EMON_HV_INSTRUCTIONS, r.retired);
    switch (r.outcome) {
    case X86_X_OK:
        return STEP_OK;
    case X86_X_HALT:
        /* Nothing can wake the hart yet (no interrupts are modelled), so
         * it sleeps for good; the scheduler ends an idle machine. */
        return STEP_HALT;
    case X86_X_FAULT: {
        /* No IDT delivery yet: every exception ends the run. */
        char why[160];
        snprintf(why, sizeof(why), "%s (exception delivery is not modelled yet)", r.reason);
        fatal(h, pa, in->len, why);
        return STEP_FATAL;
    }
    default:
        fatal(h, pa, in->len, r.reason);
        return STEP_FATAL;
    }
}

static const struct hart_ops x86_ops = {.step = step};

int x86_hart_init(struct x86_hart *h, struct physmem *pm, struct memsys *ms, struct ctl *ctl,
                  unsigned core, bool boot, uint32_t entry, uint32_t mbi,
                  const struct x86_hart_config *c, char *err, size_t errlen)
{
    memset(h, 0, sizeof(*h));
    h->hart.ops = &x86_ops;
    h->hart.impl = h;
    h->pm = pm;
    h->ms = ms;
    h->ctl = ctl;
    h->core = core;
    h->boot = boot;
    x86_state_multiboot(&h->st, entry, mbi);
    if (emon_init(&h->emon, (unsigned)c->emon->counters, (unsigned)c->emon->width, NULL, NULL) !=
        0) {
        snprintf(err, errlen, "machine.emon: bad counter configuration");
        return -1;
    }
    /* Ring 0, host mode: there is no VMX non-root operation yet. */
    emon_set_mode(&h->emon, true, false);
    return bpred_init(&h->bp, c->bpred, err, errlen);
}

int x86_hart_register_stats(struct x86_hart *h, struct stats_group *g)
{
    if (!g || emon_register_stats(&h->emon, g) != 0 ||
        bpred_register_stats(&h->bp, stats_group(g, "bpred", "branch prediction")) != 0)
        return -1;
    struct stats_group *f = stats_group(g, "frontend", "fetch and decode");
    if (!f ||
        stats_counter(f, "decodes", &h->decodes, "instructions",
                      "instructions decoded (decode-cache misses)") != 0 ||
        stats_counter(f, "fetch_stall", &h->fetch_stall, "cycles",
                      "cycles waiting for instruction bytes beyond an L1I hit") != 0 ||
        stats_counter(f, "data_stall", &h->data_stall, "cycles",
                      "cycles waiting for data beyond an L1D hit") != 0 ||
        stats_counter(f, "ports_ignored", &h->port_ignored, "accesses",
                      "I/O port accesses no device serves") != 0)
        return -1;
    return 0;
}

void x86_hart_free(struct x86_hart *h)
{
    bpred_free(&h->bp);
}

void x86_hart_invalidate(struct x86_hart *h, uint64_t page_addr)
{
    /* Instructions starting up to 14 bytes before the page reach into it. */
    uint64_t from = page_addr >= X86_MAX_LEN - 1 ? page_addr - (X86_MAX_LEN - 1) : 0;
    for (uint64_t a = from; a < page_addr + PM_PAGE_SIZE; a++) {
        unsigned idx = (unsigned)a & (X86_DCACHE_SLOTS - 1);
        if (h->dc[idx].addr == a + 1)
            h->dc[idx].addr = 0;
    }
}
