/*
 * hart.c - the IA-64 hart (see hart.h).  Hot: step() once per bundle.
 */
#include "model/cpu/ia64/hart.h"

#include "model/base/stats.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

/* The cache model is consulted in detailed mode, and in fast-forward only
 * to warm it (its latency is then not charged). */
static unsigned timed(struct ia64_hart *h, uint64_t addr, unsigned size, enum mem_kind k)
{
    if (h->ff_left && !h->ff_warm)
        return 0;
    struct mem_result r;
    unsigned lat = memsys_access(h->ms, h->core, addr, size, k, 0, h->hart.clock, &r);
    if (r.l1_miss) {
        bool i = k == MEM_IFETCH;
        emon_count(&h->emon, i ? EMON_L1I_MISSES : EMON_L1D_MISSES, 1);
        /* A hypervisor's share: whatever runs with PSR.vm = 0. */
        if (!(h->st.psr & IA64_PSR_VM))
            emon_count(&h->emon, i ? EMON_HV_L1I_MISSES : EMON_HV_L1D_MISSES, 1);
    }
    if (r.l2_miss)
        emon_count(&h->emon, EMON_L2_MISSES, 1);
    if (r.l3_miss)
        emon_count(&h->emon, EMON_L3_MISSES, 1);
    return h->ff_left ? 0 : lat;
}

/* Name the hart to the devices behind pm (physmem.h, the origin). */
static struct pm_origin *origin(struct ia64_hart *h)
{
    struct pm_origin *o = h->origin;
    h->ctl->hart = h->hart.id;
    o->hart = h->hart.id;
    o->clock = h->hart.clock;
    o->cycles = 0;
    return o;
}

/* A device's latency, charged as the cache model's is (none in
 * fast-forward). */
static unsigned device_cycles(const struct ia64_hart *h, const struct pm_origin *o)
{
    return h->ff_left ? 0 : (unsigned)o->cycles;
}

static int mem_read(void *ctx, uint64_t addr, unsigned size, uint64_t *val, unsigned *lat)
{
    struct ia64_hart *h = ctx;
    struct pm_origin *o = origin(h);
    if (physmem_read(h->pm, addr, size, val) != PM_OK)
        return -1;
    *lat = timed(h, addr, size, MEM_READ) + device_cycles(h, o);
    return 0;
}

static int mem_write(void *ctx, uint64_t addr, unsigned size, uint64_t val, unsigned *lat)
{
    struct ia64_hart *h = ctx;
    struct pm_origin *o = origin(h);
    enum pm_status s = physmem_write(h->pm, addr, size, val);
    if (s != PM_OK && s != PM_ROM_WRITE)
        return -1;
    *lat = timed(h, addr, size, MEM_WRITE) + device_cycles(h, o);
    return 0;
}

/* The VHPT walker's reads: data-side accesses through the cache model. */
static int walk_read(void *ctx, uint64_t pa, uint64_t *val, unsigned *cycles)
{
    struct ia64_hart *h = ctx;
    if (physmem_read(h->pm, pa, 8, val) != PM_OK)
        return -1;
    *cycles = timed(h, pa, 8, MEM_READ);
    return 0;
}

static void purge_global(void *ctx, uint32_t rid, uint64_t va, unsigned ps)
{
    struct ia64_hart *h = ctx;
    if (h->purge_global)
        h->purge_global(h->purge_ctx, rid, va, ps);
    else
        ia64_mmu_purge(&h->mmu, rid, va, ps);
}

/* fc, fc.i on the memory system, counted in EMON; like timed(), skipped
 * in fast-forward unless warming, and then not charged. */
static unsigned flush(void *ctx, uint64_t pa, unsigned kind)
{
    struct ia64_hart *h = ctx;
    if (h->ff_left && !h->ff_warm)
        return 0;
    struct flush_result fr;
    unsigned lat = memsys_flush(h->ms, h->core, pa, (enum flush_kind)kind, h->hart.clock, &fr);
    emon_count(&h->emon, EMON_CACHE_FLUSH_LINES, fr.invalidated);
    emon_count(&h->emon, EMON_CACHE_FLUSH_WRITEBACKS, fr.written_back);
    return h->ff_left ? 0 : lat;
}

/* The physical address of the bundle at st.ip: 0, or 1 with a fault.  The
 * last page's translation is reused until a TLB change or a PSR change. */
static int fetch_pa(struct ia64_hart *h, uint64_t *pa, struct ia64_fault *f, unsigned *cycles)
{
    uint64_t ip = h->st.ip;
    *cycles = 0;
    if (!(h->st.psr & IA64_PSR_IT)) {
        *pa = ip & ~(1ull << 63);
        return 0;
    }
    if (h->fetch_gen == h->mmu.generation + 1 && h->fetch_psr == h->st.psr &&
        ip >> h->fetch_shift == h->fetch_page) {
        *pa = h->fetch_frame | (ip & ((1ull << h->fetch_shift) - 1));
        return 0;
    }
    if (ia64_translate(&h->mmu, &h->st, ip, IA64_ACC_X, 0, pa, f, cycles) != 0) {
        emon_count(&h->emon, EMON_ITLB_MISSES, 1);
        if (!(h->st.psr & IA64_PSR_VM))
            emon_count(&h->emon, EMON_HV_TLB_MISSES, 1);
        return 1;
    }
    if (*cycles) {
        emon_count(&h->emon, EMON_ITLB_MISSES, 1);
        if (!(h->st.psr & IA64_PSR_VM))
            emon_count(&h->emon, EMON_HV_TLB_MISSES, 1);
    }
    /* Remember the smallest page any translation may use (4 KiB) so the
     * fast path never outlives a finer mapping. */
    h->fetch_shift = 12;
    h->fetch_page = ip >> 12;
    h->fetch_frame = *pa & ~0xfffull;
    h->fetch_psr = h->st.psr;
    h->fetch_gen = h->mmu.generation + 1;
    return 0;
}

static void fatal(struct ia64_hart *h, const uint8_t *bytes, unsigned n, const char *cause,
                  unsigned slot)
{
    struct fatal_info *f = &h->hart.fatal;
    memset(f, 0, sizeof(*f));
    f->ip = h->st.ip | slot;
    if (bytes)
        memcpy(f->bytes, bytes, n);
    f->nbytes = n;
    snprintf(f->cause, sizeof(f->cause), "slot %u: %s", slot, cause);
}

/* Faults go to the program's own IVT; with none (cr.iva = 0), and on
 * anything the model cannot continue from, the run ends. */
static enum step_status deliver(struct ia64_hart *h, const struct ia64_exec_result *r, uint64_t ip,
                                uint64_t pa)
{
    uint8_t bytes[16];
    if (r->outcome == IA64_X_OK)
        return STEP_OK;
    if (r->outcome == IA64_X_FAULT) {
        bool vm = h->st.psr & IA64_PSR_VM;
        if (ia64_interrupt(&h->st, &r->fault, r->slot, h->handoff)) {
            h->ivt[(r->fault.vector >> 8) & 127]++;
            emon_count(&h->emon, EMON_INTERRUPTIONS, 1);
            if (vm && r->fault.vector == IA64_IVT_VIRT)
                emon_count(&h->emon, EMON_VM_EXITS, 1);
            return STEP_OK;
        }
        char why[160];
        snprintf(why, sizeof(why), "%s (IVT vector 0x%04x) with no IVT (cr.iva = 0)", r->reason,
                 r->fault.vector);
        h->st.ip = ip;
        unsigned n = physmem_copy_out(h->pm, pa, bytes, 16) == PM_OK ? 16 : 0;
        fatal(h, n ? bytes : NULL, n, why, r->slot);
        return STEP_FATAL;
    }
    h->st.ip = ip;
    unsigned n = physmem_copy_out(h->pm, pa, bytes, 16) == PM_OK ? 16 : 0;
    fatal(h, n ? bytes : NULL, n, r->reason, r->slot);
    return STEP_FATAL;
}

/*
 * The address space a branch belongs to, for a VM-tagged BTB: 0 for code
 * run with PSR.vm = 0 (the VMM), else 1 + the region id of the branch
 * address's region register.  VT-i has no VM number in hardware; a VMM
 * gives each guest its own region ids (SDM Vol. 2 4.1: region ids tag
 * the TLB the same way), so the rid tells guests apart as the hardware
 * could, and a guest's regions sharing a BTB tag is not needed.
 */
static unsigned btb_vm(const struct ia64_hart *h, bool vm, uint64_t branch_ip)
{
    return vm ? 1 + ia64_rid(&h->st, branch_ip) : 0;
}

/* Fetch, decode (cached per physical bundle) and execute the bundle at
 * st.ip, charging its fetch and the memory system; in detailed mode place
 * its instructions in cycles.  Returns what deliver() makes of it. */
static enum step_status run_bundle(struct ia64_hart *h, struct ia64_exec_result *r, bool timing)
{
    uint64_t ip = h->st.ip, pa;
    uint8_t bytes[16];
    unsigned tcycles;
    struct ia64_timing *tm = &h->tm_issue;
    if (fetch_pa(h, &pa, &r->fault, &tcycles) != 0) {
        /* An instruction translation fault: taken before any slot runs. */
        struct ia64_fault f = r->fault;
        memset(r, 0, sizeof(*r));
        r->fault = f;
        r->outcome = IA64_X_FAULT;
        r->slot = r->first_slot = r->end_slot = h->st.ri;
        snprintf(r->reason, sizeof(r->reason), "instruction translation fault");
        if (timing)
            ia64_timing_advance(tm, tcycles + h->tm_issue.cfg.flush_penalty);
        emon_count(&h->emon, EMON_STALL_TLB_MISS, tcycles);
        return deliver(h, r, ip, pa);
    }
    unsigned idx = (unsigned)(pa >> 4) & (IA64_DCACHE_SLOTS - 1);
    if (h->dc[idx].addr != pa + 1) {
        if (physmem_copy_out(h->pm, pa, bytes, 16) != PM_OK) {
            fatal(h, NULL, 0, "instruction fetch outside memory", h->st.ri);
            return STEP_FATAL;
        }
        ia64_decode_bundle(bytes, &h->dc[idx].b);
        h->dc[idx].b.ip = pa;
        h->dc[idx].addr = pa + 1;
        ia64_timing_decode(&h->dc[idx].b, h->dc[idx].t);
        physmem_mark_code(h->pm, pa);
        h->decodes++;
    }
    const struct ia64_bundle *b = &h->dc[idx].b;
    h->st.ar[44] = tm->t + h->st.itc_delta; /* ar.itc counts cycles */
    unsigned flat = timed(h, pa, 16, MEM_IFETCH);
    unsigned fstall = (flat > 1 ? flat - 1 : 0) + tcycles;
    if (timing && fstall) {
        /* The front end waits for the bundle: nothing issues meanwhile. */
        ia64_timing_advance(tm, fstall);
        h->fetch_stall += fstall;
        emon_count(&h->emon, EMON_STALL_CACHE_MISS, fstall - tcycles);
        emon_count(&h->emon, EMON_STALL_TLB_MISS, tcycles);
    }
    struct ia64_mem mem = {mem_read,     mem_write, ia64_sysreg_read, ia64_sysreg_write,
                           purge_global, flush,     &h->mmu,          h};
    uint64_t itc_delta = h->st.itc_delta, dmisses = h->mmu.l1[1].st.misses;
    bool vm = h->st.psr & IA64_PSR_VM;
    ia64_execute(&h->st, b, &mem, r);
    emon_count(&h->emon, EMON_DTLB_MISSES, h->mmu.l1[1].st.misses - dmisses);
    if (!vm)
        emon_count(&h->emon, EMON_HV_TLB_MISSES, h->mmu.l1[1].st.misses - dmisses);
    if (h->st.itc_delta != itc_delta)
        ia64_itc_changed(h);
    h->rse_spills += r->rse_spills;
    h->rse_fills += r->rse_fills;
    if (timing) {
        /* Blocking work inside the bundle (RSE traffic, walks, purges)
         * comes first; then the issue model places the instructions. */
        if (r->stall) {
            ia64_timing_advance(tm, r->stall);
            h->data_stall += r->stall;
            emon_count(&h->emon, EMON_STALL_CACHE_MISS, r->stall - r->tlb_stall);
            emon_count(&h->emon, EMON_STALL_TLB_MISS, r->tlb_stall);
        }
        uint64_t before = tm->s.load_use_stall;
        ia64_timing_bundle(tm, b, h->dc[idx].t, r);
        emon_count(&h->emon, EMON_STALL_LOAD_USE, tm->s.load_use_stall - before);
    }
    /* The predictor learns in fast-forward when warming, but only detailed
     * mode pays for a misprediction. */
    if (r->branch && (!h->ff_left || h->ff_warm)) {
        uint64_t btb_hits = h->bp.st.btb_hits;
        bool miss = bpred_resolve(&h->bp, r->branch_ip, (enum br_kind)r->branch_kind, r->taken,
                                  r->target, ip + 16, btb_vm(h, vm, r->branch_ip));
        emon_count(&h->emon, h->bp.st.btb_hits != btb_hits ? EMON_BTB_HITS : EMON_BTB_MISSES, 1);
        if (miss && timing) {
            ia64_timing_advance(tm, h->bp.penalty);
            h->mispredicts++;
            emon_count(&h->emon, EMON_BR_MISPREDICTS, 1);
            emon_count(&h->emon, EMON_STALL_BRANCH, h->bp.penalty);
        }
    }
    emon_count(&h->emon, EMON_INSTRUCTIONS, r->retired);
    emon_count(&h->emon, vm ? EMON_GUEST_INSTRUCTIONS : EMON_HV_INSTRUCTIONS, r->retired);
    if (r->outcome == IA64_X_FAULT && timing)
        ia64_timing_advance(tm, tm->cfg.flush_penalty);
    return deliver(h, r, ip, pa);
}

/*
 * One step is one issue cycle: the bundles dispersed together (up to
 * machine.pipeline.bundles_per_cycle) and whatever stalls follow them.  In
 * fast-forward a bundle costs one cycle and nothing is timed.
 */
static enum step_status step(struct hart *hh, uint64_t now, struct step_out *out)
{
    struct ia64_hart *h = (struct ia64_hart *)hh;
    struct ia64_timing *tm = &h->tm_issue;
    if (!h->boot) {
        /* An application processor waits for any interrupt sent to it,
         * then starts at the entry point with that vector pending. */
        if (!(h->ic.pending[0] | h->ic.pending[1] | h->ic.pending[2] | h->ic.pending[3])) {
            out->cycles = 1;
            return STEP_HALT;
        }
        h->boot = true;
    }
    bool hv_step = !(h->st.psr & IA64_PSR_VM); /* the mode the step starts in */
    if (h->ff_switch) {
        h->ff_switch = false;
        if (h->on_detailed)
            h->on_detailed(h->ff_ctx, h->hart.id);
    }
    bool timing = !h->ff_left;
    if (tm->t < now)
        ia64_timing_advance(tm, now - tm->t);
    if (timing && h->slots) { /* a hyperthread: issue in its core's next free cycle */
        uint64_t wait = smt_issue_claim(h->slots, now);
        if (wait) {
            ia64_timing_advance(tm, wait);
            emon_count(&h->emon, EMON_STALL_SMT, wait);
        }
    }
    uint64_t issue = tm->t; /* the cycle this step's group issues in */
    /* An unmasked external interrupt is taken between instructions: IIP
     * and IPSR.ri name the next one to run (SDM Vol. 2 5.8). */
    if ((h->st.psr & IA64_PSR_I) && intc_highest(&h->ic) >= 0) {
        struct ia64_fault f = {.vector = IA64_IVT_EXTINT};
        if (ia64_interrupt(&h->st, &f, h->st.ri, h->handoff)) {
            h->ivt[IA64_IVT_EXTINT >> 8]++;
            emon_count(&h->emon, EMON_INTERRUPTIONS, 1);
            emon_count(&h->emon, EMON_PIPELINE_FLUSHES, 1);
            if (timing)
                ia64_timing_advance(tm, tm->cfg.flush_penalty);
        }
    }
    /* EMON counts by privilege and by guest/host mode. */
    uint64_t mode = h->st.psr & (3ull << IA64_PSR_CPL_SHIFT | IA64_PSR_VM);
    if (mode != h->emon_psr) {
        h->emon_psr = mode;
        emon_set_mode(&h->emon, ia64_cpl(&h->st) == 0, h->st.psr & IA64_PSR_VM);
    }
    struct ia64_exec_result r;
    enum step_status status = STEP_OK;
    unsigned retired = 0;
    if (!timing) {
        status = run_bundle(h, &r, false);
        retired = r.retired;
        ia64_timing_advance(tm, now + 1 - tm->t);
    } else {
        /* Keep dispersing while the bundles still issue in this cycle. */
        for (unsigned n = 0; status == STEP_OK && tm->t == issue && n < tm->cfg.bundles_per_cycle;
             n++) {
            status = run_bundle(h, &r, true);
            retired += r.retired;
        }
        if (tm->t == issue)
            ia64_timing_advance(tm, 1);
    }
    out->cycles = tm->t - now;
    out->retired = retired;
    emon_count(&h->emon, EMON_CYCLES, out->cycles);
    if (hv_step)
        emon_count(&h->emon, EMON_HV_CYCLES, out->cycles);
    if (h->step_counter_reads) {
        emon_count(&h->emon, EMON_COUNTER_READS, h->step_counter_reads);
        emon_count(&h->emon, EMON_COUNTER_READ_CYCLES, out->cycles);
        h->step_counter_reads = 0;
    }
    if (h->ff_left) {
        h->ff_left = retired >= h->ff_left ? 0 : h->ff_left - retired;
        /* Switch at the start of the next step, once this bundle's
         * instructions are counted, so the phase starts exactly here. */
        h->ff_switch = !h->ff_left;
    }
    return status;
}

static const struct hart_ops ia64_ops = {.step = step};

int ia64_hart_init(struct ia64_hart *h, struct physmem *pm, struct memsys *ms, struct ctl *ctl,
                   unsigned core, bool boot, uint64_t entry, const struct ia64_hart_config *c,
                   char *err, size_t errlen)
{
    memset(h, 0, sizeof(*h));
    h->hart.ops = &ia64_ops;
    h->hart.impl = h;
    h->pm = pm;
    h->origin = pm ? physmem_origin(pm) : NULL; /* NULL: a hart built without memory (docs) */
    h->ms = ms;
    h->ctl = ctl;
    h->core = core;
    h->boot = boot;
    h->handoff = c->vti->fault_info == IA64_FI_CAUSE_OPCODE;
    ia64_state_reset(&h->st, entry);
    h->emon_psr = ~0ull;
    rng_seed(&h->rng, c->seed);
    if (emon_init(&h->emon, (unsigned)c->emon->counters, (unsigned)c->emon->width, NULL, NULL) !=
        0) {
        snprintf(err, errlen, "machine.emon: bad counter configuration");
        return -1;
    }
    ia64_timing_init(&h->tm_issue, c->pipeline);
    if (ia64_mmu_init(&h->mmu, &c->mmu, &h->rng, err, errlen) != 0)
        return -1;
    h->mmu.read = walk_read;
    h->mmu.ctx = h;
    if (bpred_init(&h->bp, c->bpred, err, errlen) != 0)
        return -1;
    /* Branch addresses are bundle address | slot: bundles are 16-byte
     * aligned (SDM Vol. 1 3.4), so the low 4 bits are the slot. */
    bpred_set_index_shift(&h->bp, 4);
    return 0;
}

int ia64_hart_register_stats(struct ia64_hart *h, struct stats_group *g)
{
    if (!g || emon_register_stats(&h->emon, g) != 0 ||
        bpred_register_stats(&h->bp, stats_group(g, "bpred", "branch prediction")) != 0 ||
        ia64_mmu_register_stats(&h->mmu, g) != 0 ||
        ia64_timing_register_stats(&h->tm_issue, stats_group(g, "pipeline", "the issue model")) !=
            0)
        return -1;
    static const struct {
        unsigned vector;
        const char *name;
    } vectors[] = {
        {IA64_IVT_VHPT, "vhpt_translation"},
        {IA64_IVT_ITLB, "itlb"},
        {IA64_IVT_DTLB, "dtlb"},
        {IA64_IVT_ALT_ITLB, "alt_itlb"},
        {IA64_IVT_ALT_DTLB, "alt_dtlb"},
        {IA64_IVT_NESTED_DTLB, "nested_dtlb"},
        {IA64_IVT_DIRTY, "dirty_bit"},
        {IA64_IVT_IACCESS, "instruction_access_bit"},
        {IA64_IVT_DACCESS, "data_access_bit"},
        {IA64_IVT_BREAK, "break"},
        {IA64_IVT_EXTINT, "external_interrupt"},
        {IA64_IVT_NOT_PRESENT, "page_not_present"},
        {IA64_IVT_IRIGHTS, "instruction_access_rights"},
        {IA64_IVT_DRIGHTS, "data_access_rights"},
        {IA64_IVT_GENERAL, "general_exception"},
        {IA64_IVT_UNALIGNED, "unaligned_reference"},
        {IA64_IVT_SSTEP, "single_step"},
        {IA64_IVT_VIRT, "virtualization"},
    };
    struct stats_group *iv = stats_group(g, "ivt", "interruptions delivered, by IVT vector");
    if (!iv)
        return -1;
    for (size_t k = 0; k < sizeof(vectors) / sizeof(vectors[0]); k++)
        if (stats_counter(iv, vectors[k].name, &h->ivt[vectors[k].vector >> 8], "interruptions",
                          "interruptions delivered to this vector") != 0)
            return -1;
    struct stats_group *r = stats_group(g, "rse", "the register stack engine");
    if (!r ||
        stats_counter(r, "spills", &h->rse_spills, "registers",
                      "registers stored to the backing store") != 0 ||
        stats_counter(r, "fills", &h->rse_fills, "registers",
                      "registers loaded from the backing store") != 0)
        return -1;
    return 0;
}

void ia64_hart_fast_forward(struct ia64_hart *h, uint64_t instructions, bool warm,
                            void (*on_detailed)(void *ctx, unsigned hart), void *ctx)
{
    h->ff_left = instructions;
    h->ff_warm = warm;
    h->on_detailed = on_detailed;
    h->ff_ctx = ctx;
}

void ia64_hart_free(struct ia64_hart *h)
{
    bpred_free(&h->bp);
    ia64_mmu_free(&h->mmu);
}

void ia64_hart_invalidate(struct ia64_hart *h, uint64_t addr, size_t len)
{
    for (uint64_t a = addr & ~15ull; a < addr + len; a += 16) {
        unsigned idx = (unsigned)(a >> 4) & (IA64_DCACHE_SLOTS - 1);
        if (h->dc[idx].addr == a + 1)
            h->dc[idx].addr = 0;
    }
}
