/*
 * mmu.c - IA-64 translation: TLB lookups, the VHPT walker, the
 * translation faults and their priority, inserts and purges (see mmu.h).
 *
 * Formats (SDM Vol. 2 4.1; shared/reference ia64-facts 6): RR ve{0}
 * ps{7:2} rid{31:8}; PTA ve{0} size{7:2} vf{8} base{63:15}; PTE p{0}
 * ma{4:2} a{5} d{6} pl{8:7} ar{11:9} ppn{49:12} ed{52}; ITIR ps{7:2}
 * key{31:8}.  The long-format hash and tag are implementation-specific;
 * this model uses the functions ski and Xen use (hash = vpn ^ rid,
 * tag = vpn ^ rid << 39).  Hot: ia64_translate() on every access with
 * translation on; a first-level hit returns after one array probe.
 */
#include "model/cpu/ia64/mmu.h"

#include <stdio.h>
#include <string.h>

#include "model/base/stats.h"

#define VA_MASK   ((1ull << 61) - 1) /* TLB entries match rid and va{60:0} */
#define IMPL_VA   ((1ull << 51) - 1) /* Itanium 2 implements va{50:0} per region */
#define PPN_MASK  0x0003fffffffff000ull
#define PTE_ATTRS (0xfffull | 1ull << 52) /* what an entry keeps besides the frame */
#define KEY_SHIFT 24 /* an entry's attr holds the PTE bits above and the key here */
#define PTE_P     1ull
#define PTE_A     (1ull << 5)
#define PTE_D     (1ull << 6)

/* ISR access bits (SDM Vol. 2 Table 3-7). */
#define ISR_X  (1ull << 32)
#define ISR_W  (1ull << 33)
#define ISR_R  (1ull << 34)
#define ISR_NA (1ull << 35)

#define rid_of ia64_rid

static unsigned ps_of(const struct ia64_state *st, uint64_t va)
{
    return (unsigned)(st->rr[va >> 61] >> 2) & 63;
}

int ia64_mmu_init(struct ia64_mmu *m, const struct ia64_mmu_config *c, struct rng *rng, char *err,
                  size_t errlen)
{
    memset(m, 0, sizeof(*m));
    const struct tlb_config *cfg[2][2] = {{c->itlb, c->itlb2}, {c->dtlb, c->dtlb2}};
    static const char *names[2][2] = {{"itlb", "itlb2"}, {"dtlb", "dtlb2"}};
    for (unsigned d = 0; d < 2; d++) {
        if (tlb_init(&m->l1[d], names[d][0], cfg[d][0], rng, err, errlen) != 0)
            return -1;
        m->has_l2[d] = cfg[d][1]->entries > 0;
        if (m->has_l2[d] && tlb_init(&m->l2[d], names[d][1], cfg[d][1], rng, err, errlen) != 0)
            return -1;
    }
    return 0;
}

void ia64_mmu_free(struct ia64_mmu *m)
{
    for (unsigned d = 0; d < 2; d++) {
        tlb_free(&m->l1[d]);
        if (m->has_l2[d])
            tlb_free(&m->l2[d]);
    }
}

static struct tlb *tc_of(struct ia64_mmu *m, unsigned d)
{
    return m->has_l2[d] ? &m->l2[d] : &m->l1[d];
}

uint64_t ia64_thash(const struct ia64_state *st, uint64_t va)
{
    uint64_t pta = st->cr[8];
    unsigned size = (unsigned)(pta >> 2) & 63;
    uint64_t mask = size >= 61 ? VA_MASK : (1ull << size) - 1;
    unsigned ps = ps_of(st, va);
    if (pta & (1ull << 8)) { /* long format: 32-byte entries in PTA's region */
        uint64_t off = (((va & IMPL_VA) >> ps) ^ rid_of(st, va)) << 5;
        return (pta & ~VA_MASK) | ((pta & VA_MASK & ~0x7fffull & ~mask) | (off & mask));
    }
    uint64_t off = ((va & IMPL_VA) >> ps) << 3;
    return (va & ~VA_MASK) | ((pta & VA_MASK & ~0x7fffull & ~mask) | (off & mask));
}

uint64_t ia64_ttag(const struct ia64_state *st, uint64_t va)
{
    return (((va & IMPL_VA) >> ps_of(st, va)) ^ (uint64_t)rid_of(st, va) << 39) & ~(1ull << 63);
}

/*
 * Page access rights by TLB.ar and TLB.pl (SDM Vol. 2 4.1.1.6, "Page
 * Access Rights"): ar 0-6 grant nothing when cpl > pl; at cpl == pl they
 * grant R, RX, RW, RWX, R, RX, RWX, and at more privileged levels R, RX,
 * RW, RWX, RW, RWX, RW.  ar 7 is execute-only at every level, readable at
 * cpl 0 of a pl-0 page (epc promotes to the page's pl, exec_sys.c).
 */
bool ia64_rights_ok(uint64_t pte, unsigned pl_now, unsigned acc)
{
    static const uint8_t at_pl[7] = {1, 5, 3, 7, 1, 5, 7}, above_pl[7] = {1, 5, 3, 7, 3, 7, 3};
    unsigned ar = (unsigned)(pte >> 9) & 7, pl = (unsigned)(pte >> 7) & 3;
    unsigned ok; /* bit 0 read, 1 write, 2 execute */
    if (ar == 7)
        ok = 4 | (pl == 0 && pl_now == 0);
    else if (pl_now > pl)
        ok = 0;
    else
        ok = pl_now == pl ? at_pl[ar] : above_pl[ar];
    unsigned want =
        (acc & IA64_ACC_R ? 1 : 0) | (acc & IA64_ACC_W ? 2 : 0) | (acc & IA64_ACC_X ? 4 : 0);
    return (ok & want) == want;
}

static uint64_t isr_bits(unsigned acc, unsigned na_code)
{
    uint64_t isr = 0;
    if (acc & IA64_ACC_X)
        isr |= ISR_X;
    if (acc & IA64_ACC_W)
        isr |= ISR_W;
    if (acc & IA64_ACC_R)
        isr |= ISR_R;
    if (acc & IA64_ACC_NA)
        isr |= ISR_NA | na_code;
    return isr;
}

static int fault(struct ia64_mmu *m, struct ia64_fault *f, unsigned vector, uint64_t isr,
                 uint64_t va, uint64_t itir, unsigned writes, uint64_t iha)
{
    memset(f, 0, sizeof(*f));
    f->vector = vector;
    f->isr = isr;
    f->ifa = va;
    f->itir = itir;
    f->iha = iha;
    f->writes = writes;
    m->st.faults++;
    return 1;
}

/* The TR of side d matching va, or NULL. */
static const struct ia64_tr *tr_lookup(const struct ia64_mmu *m, unsigned d, uint64_t va,
                                       uint32_t rid)
{
    for (unsigned i = 0; i < IA64_NTR; i++) {
        const struct ia64_tr *t = &m->tr[d][i];
        if (t->valid && t->rid == rid && ((va & VA_MASK) >> t->ps) == (t->va >> t->ps))
            return t;
    }
    return NULL;
}

static uint64_t entry_pte(const struct tlb_entry *e)
{
    return (e->attr & PTE_ATTRS) | e->pfn << e->shift;
}

static uint64_t attr_of(uint64_t pte, uint64_t key)
{
    return (pte & PTE_ATTRS) | (key & 0xffffff) << KEY_SHIFT;
}

/* Walk the VHPT for va: 1 with the entry inserted into the TC and *e set,
 * 0 when the walk failed (no entry), or -1 with a fault in *f when the
 * VHPT's own translation is missing (VHPT Translation fault). */
static int walk(struct ia64_mmu *m, const struct ia64_state *st, unsigned d, uint64_t va,
                uint64_t isr, uint64_t iha, struct tlb_entry **e, struct ia64_fault *f,
                unsigned *cycles)
{
    m->st.walks++;
    /* The walker references the VHPT virtually, through the data TLB
     * (translation registers and cache; it never walks for itself). */
    uint32_t hrid = rid_of(st, iha);
    struct tlb_entry *he = tlb_lookup(&m->l1[1], iha & VA_MASK, hrid);
    if (!he && m->has_l2[1])
        he = tlb_lookup(&m->l2[1], iha & VA_MASK, hrid);
    uint64_t hpa;
    if (he) {
        hpa = he->pfn << he->shift | (iha & ((1ull << he->shift) - 1));
    } else {
        const struct ia64_tr *t = tr_lookup(m, 1, iha, hrid);
        if (!t) {
            m->st.walk_faults++;
            fault(m, f, IA64_IVT_VHPT, isr, va, st->rr[iha >> 61] & 0xfffffffcull,
                  IA64_FW_IFA | IA64_FW_ITIR | IA64_FW_IHA, iha);
            return -1;
        }
        hpa = (t->pte & PPN_MASK & ~((1ull << t->ps) - 1)) | (iha & ((1ull << t->ps) - 1));
    }
    bool lf = st->cr[8] & (1ull << 8);
    uint64_t pte, itir = st->rr[va >> 61] & 0xfffffffcull, tag;
    unsigned c = 0, c2 = 0;
    if (m->read(m->ctx, hpa, &pte, &c) != 0)
        return 0;
    *cycles += c;
    if (lf) {
        if (m->read(m->ctx, hpa + 8, &itir, &c2) != 0 || m->read(m->ctx, hpa + 16, &tag, &c) != 0)
            return 0;
        *cycles += c2 + c;
        if ((tag >> 63) || tag != ia64_ttag(st, va))
            return 0;
    }
    unsigned ps = (unsigned)(itir >> 2) & 63;
    if (!(pte & PTE_P) || !ia64_page_size_ok(ps))
        return 0;
    struct tlb *tc = tc_of(m, d);
    uint32_t rid = rid_of(st, va);
    if (tlb_insert(tc, va & VA_MASK, pte & PPN_MASK, ps, rid, attr_of(pte, itir >> 8), false,
                   false) != 0)
        return 0;
    m->generation++;
    m->st.walk_hits++;
    *e = tlb_lookup(tc, va & VA_MASK, rid);
    return *e != NULL;
}

int ia64_translate(struct ia64_mmu *m, const struct ia64_state *st, uint64_t va, unsigned acc,
                   unsigned na_code, uint64_t *pa, struct ia64_fault *f, unsigned *cycles)
{
    unsigned d = acc & IA64_ACC_X ? 0 : 1;
    uint32_t rid = rid_of(st, va);
    uint64_t v = va & VA_MASK;
    *cycles = 0;
    struct tlb_entry *e = tlb_lookup(&m->l1[d], v, rid);
    uint64_t pte, mask, key;
    unsigned ps;
    if (e) {
        pte = entry_pte(e);
        ps = e->shift;
        key = e->attr >> KEY_SHIFT;
    } else {
        const struct ia64_tr *t = tr_lookup(m, d, va, rid);
        uint64_t isr = isr_bits(acc, na_code);
        if (t) {
            m->st.tr_hits++;
            pte = t->pte;
            ps = t->ps;
            key = t->key;
        } else {
            if (m->has_l2[d]) {
                e = tlb_lookup(&m->l2[d], v, rid);
                *cycles += m->l2[d].latency;
            }
            if (!e) {
                bool ic = st->psr & IA64_PSR_IC;
                uint64_t rr = st->rr[va >> 61];
                /* Data misses with PSR.ic = 0 go to the nested vector (SDM
                 * Vol. 2 5.4; ski dataLookup); the walker runs when PTA.ve,
                 * RR.ve and, for instructions, PSR.ic allow it. */
                if (d == 1 && !ic)
                    return fault(m, f, IA64_IVT_NESTED_DTLB, isr, va, 0, 0, 0);
                bool walker = (st->cr[8] & 1) && (rr & 1) && (d == 1 || ic);
                if (!walker)
                    return fault(m, f, d ? IA64_IVT_ALT_DTLB : IA64_IVT_ALT_ITLB, isr, va,
                                 rr & 0xfffffffcull, IA64_FW_IFA | IA64_FW_ITIR, 0);
                uint64_t iha = ia64_thash(st, va);
                int w = walk(m, st, d, va, isr, iha, &e, f, cycles);
                if (w < 0)
                    return 1;
                if (w == 0)
                    return fault(m, f, d ? IA64_IVT_DTLB : IA64_IVT_ITLB, isr, va,
                                 rr & 0xfffffffcull, IA64_FW_IFA | IA64_FW_ITIR | IA64_FW_IHA, iha);
            } else {
                m->st.tc_hits++;
            }
            pte = entry_pte(e);
            ps = e->shift;
            key = e->attr >> KEY_SHIFT;
        }
        /* Fill the first level from the registers or the cache. */
        tlb_insert(&m->l1[d], v, pte & PPN_MASK, ps, rid, attr_of(pte, key), false, false);
    }
    mask = (1ull << ps) - 1;
    /* The checks in the SDM's priority order (Vol. 2 5.6): not present,
     * access rights, dirty bit, access bit.  Keys are not modelled. */
    uint64_t isr = isr_bits(acc, na_code);
    uint64_t itir = (uint64_t)ps << 2 | key << 8;
    unsigned w = IA64_FW_IFA | IA64_FW_ITIR;
    if (!(pte & PTE_P))
        return fault(m, f, IA64_IVT_NOT_PRESENT, isr, va, itir, w, 0);
    if (!(acc & IA64_ACC_NA) && !ia64_rights_ok(pte, ia64_cpl(st), acc))
        return fault(m, f, d ? IA64_IVT_DRIGHTS : IA64_IVT_IRIGHTS, isr, va, itir, w, 0);
    if ((acc & IA64_ACC_W) && !(pte & PTE_D) && !(st->psr & IA64_PSR_DD))
        return fault(m, f, IA64_IVT_DIRTY, isr, va, itir, w, 0);
    if (!(pte & PTE_A) && !(acc & IA64_ACC_NA) && !(st->psr & (d ? IA64_PSR_DA : IA64_PSR_IA)))
        return fault(m, f, d ? IA64_IVT_DACCESS : IA64_IVT_IACCESS, isr, va, itir, w, 0);
    *pa = (pte & PPN_MASK & ~mask) | (va & mask);
    m->last_pte = pte;
    return 0;
}

static void purge_l1(struct ia64_mmu *m, uint64_t va, uint64_t size, uint32_t rid)
{
    for (unsigned d = 0; d < 2; d++)
        tlb_purge_range(&m->l1[d], va, size, rid, false, true);
}

int ia64_mmu_insert(struct ia64_mmu *m, const struct ia64_state *st, unsigned d, bool tr,
                    unsigned slot, uint64_t pte)
{
    uint64_t ifa = st->cr[20], itir = st->cr[21];
    unsigned ps = (unsigned)(itir >> 2) & 63;
    if (!ia64_page_size_ok(ps))
        return -1;
    uint32_t rid = rid_of(st, ifa);
    uint64_t v = ifa & VA_MASK & ~((1ull << ps) - 1);
    m->generation++;
    tlb_purge_range(&m->l1[d], v, 1ull << ps, rid, false, true);
    if (tr) {
        /* A register overlapping cache entries purges them (SDM Vol. 3, itr). */
        if (m->has_l2[d])
            tlb_purge_range(&m->l2[d], v, 1ull << ps, rid, false, true);
        m->tr[d][slot % IA64_NTR] =
            (struct ia64_tr){v, pte, (uint32_t)(itir >> 8) & 0xffffff, rid, (uint8_t)ps, true};
        return 0;
    }
    return tlb_insert(tc_of(m, d), v, pte & PPN_MASK, ps, rid, attr_of(pte, itir >> 8), false,
                      false) == 0
               ? 0
               : -1;
}

void ia64_mmu_purge(struct ia64_mmu *m, uint32_t rid, uint64_t va, unsigned ps)
{
    uint64_t size = ps >= 61 ? VA_MASK + 1 : 1ull << ps, v = va & VA_MASK & ~(size - 1);
    m->generation++;
    purge_l1(m, v, size, rid);
    for (unsigned d = 0; d < 2; d++)
        if (m->has_l2[d])
            tlb_purge_range(&m->l2[d], v, size, rid, false, true);
    /* First-level copies of registers come back on the next lookup. */
}

void ia64_mmu_purge_tr(struct ia64_mmu *m, const struct ia64_state *st, unsigned d, uint64_t va,
                       unsigned ps)
{
    uint32_t rid = rid_of(st, va);
    uint64_t size = ps >= 61 ? VA_MASK + 1 : 1ull << ps, v = va & VA_MASK & ~(size - 1);
    for (unsigned i = 0; i < IA64_NTR; i++) {
        struct ia64_tr *t = &m->tr[d][i];
        uint64_t tsize = 1ull << t->ps;
        if (t->valid && t->rid == rid && t->va < v + size && v < t->va + tsize)
            t->valid = false;
    }
    m->generation++;
    tlb_purge_range(&m->l1[d], v, size, rid, false, true);
    if (m->has_l2[d])
        tlb_purge_range(&m->l2[d], v, size, rid, false, true);
}

void ia64_mmu_purge_all(struct ia64_mmu *m)
{
    m->generation++;
    for (unsigned d = 0; d < 2; d++) {
        tlb_purge_all(&m->l1[d], false);
        if (m->has_l2[d])
            tlb_purge_all(&m->l2[d], false);
    }
}

uint64_t ia64_mmu_key(struct ia64_mmu *m, const struct ia64_state *st, uint64_t va)
{
    uint32_t rid = rid_of(st, va);
    struct tlb_entry *e = tlb_lookup(&m->l1[1], va & VA_MASK, rid);
    if (!e && m->has_l2[1])
        e = tlb_lookup(&m->l2[1], va & VA_MASK, rid);
    if (e)
        return e->attr >> KEY_SHIFT;
    const struct ia64_tr *t = tr_lookup(m, 1, va, rid);
    return t ? t->key : 1;
}

int ia64_mmu_register_stats(struct ia64_mmu *m, struct stats_group *g)
{
    for (unsigned d = 0; d < 2; d++) {
        if (tlb_register_stats(&m->l1[d], stats_group(g, m->l1[d].name, "first-level TLB")) != 0)
            return -1;
        if (m->has_l2[d] &&
            tlb_register_stats(&m->l2[d], stats_group(g, m->l2[d].name, "translation cache")) != 0)
            return -1;
    }
    struct stats_group *w = stats_group(g, "vhpt", "the VHPT walker and translation faults");
    if (!w)
        return -1;
    int rc = 0;
    rc |= stats_counter(w, "walks", &m->st.walks, "walks", "walks started");
    rc |= stats_counter(w, "walk_hits", &m->st.walk_hits, "walks",
                        "walks that inserted a translation");
    rc |= stats_counter(w, "walk_faults", &m->st.walk_faults, "walks",
                        "walks whose VHPT address had no translation");
    rc |= stats_counter(w, "tc_hits", &m->st.tc_hits, "lookups",
                        "second-level translation cache hits");
    rc |= stats_counter(w, "tr_hits", &m->st.tr_hits, "lookups", "translation register hits");
    rc |= stats_counter(w, "faults", &m->st.faults, "faults", "translation faults raised");
    return rc ? -1 : 0;
}
