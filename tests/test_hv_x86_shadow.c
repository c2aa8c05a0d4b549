/*
 * test_hv_x86_shadow.c - the IA-32 hypervisor's shadow page tables
 * (hv/x86/shadow.h), built for the host over a 16 MiB partition at machine
 * address 16 MiB and a frame pool at a fake machine address.
 *
 * The reference is a plain walk of the guest's tables (SDM Vol. 3A 4.3,
 * permissions per 4.6 with CR0.WP = 1) written here independently of
 * shadow.c; what the shadow translates, after its hidden faults are
 * handled, must be what that walk says, over random mappings.
 */
#include <stdlib.h>
#include <string.h>

#include "cunit_main.h"

#include "hv/x86/shadow.c"

#define BASE    0x01000000u
#define SIZE    0x01000000u
#define PD      0x01100000u
#define PT(i)   (0x01101000u + (uint32_t)(i)*0x1000u)
#define NPT     8
#define POOL_PA 0xF0000000u
#define OUTSIDE 0x00300000u

static uint8_t *mem, *pool;
static uint8_t wmap[SIZE / 4096];
static struct shadow sh;
static uint32_t rng = 12345;

static uint32_t rnd(void)
{
    rng = rng * 1103515245u + 12345u;
    return rng >> 8;
}

static uint32_t *at(uint32_t pa)
{
    return (uint32_t *)(void *)(mem + (pa - BASE));
}

static int sources_on, sources_off;
static void source_hook(void *ctx, uint32_t frame, int on)
{
    (void)ctx;
    (void)frame;
    if (on)
        sources_on++;
    else
        sources_off++;
}

static void setup(void)
{
    if (!mem) {
        mem = calloc(1, SIZE);
        pool = calloc(SH_POOL_FRAMES, 4096);
    }
    memset(mem, 0, SIZE);
    sh_init(&sh, mem, BASE, SIZE, wmap, pool, POOL_PA);
    sh.source = source_hook;
    sources_on = sources_off = 0;
}

/* ---- the reference walk ---- */

enum { R_OK, R_FAULT, R_REFUSE };

static int in_part(uint32_t pa, uint32_t len)
{
    return pa >= BASE && pa - BASE <= SIZE && len <= SIZE - (pa - BASE);
}

/* Frames the shadow must keep read-only: the directory and every table a
 * present 4 KiB-table PDE references (all of them derived: see warm()). */
static int ref_traced(uint32_t frame)
{
    if (frame == PD)
        return 1;
    for (uint32_t i = 0; i < 1024; i++) {
        uint32_t e = *at(PD + i * 4);
        if ((e & SH_P) && !(e & SH_PS) && (e & SH_PFN) == frame)
            return 1;
    }
    return 0;
}

static int ref_walk(uint32_t la, int w, int u, uint32_t *pa, uint32_t *ec)
{
    uint32_t acc = (w ? SH_EC_W : 0) | (u ? SH_EC_U : 0);
    uint32_t pde = *at(PD + (la >> 22) * 4);
    *ec = acc;
    if (!(pde & SH_P))
        return R_FAULT;
    uint32_t frame, rw, us;
    if (pde & SH_PS) {
        if (!in_part(pde & 0xFFC00000u, 4u << 20))
            return R_REFUSE;
        frame = (pde & 0xFFC00000u) | (la & 0x3FF000u);
        rw = pde & SH_RW;
        us = pde & SH_US;
    } else {
        if (!in_part(pde & SH_PFN, 4096))
            return R_REFUSE;
        uint32_t pte = *at((pde & SH_PFN) + ((la >> 12) & 1023) * 4);
        if (!(pte & SH_P))
            return R_FAULT;
        if (!in_part(pte & SH_PFN, 4096))
            return R_REFUSE;
        frame = pte & SH_PFN;
        rw = pde & pte & SH_RW;
        us = pde & pte & SH_US;
    }
    *ec = acc | SH_EC_P;
    if ((u && !us) || (w && !rw))
        return R_FAULT;
    *pa = frame | (la & 0xFFF);
    return R_OK;
}

/* ---- the shadow as the guest sees it ---- */

enum { S_OK, S_FAULT, S_REFUSE, S_TRACE };

/* Access `la` on the shadow, handling hidden faults as the hypervisor
 * would (at most three tries: a fill and a dirty refill). */
static int shadow_access(uint32_t la, int w, int u, uint32_t *pa, uint32_t *ec)
{
    for (int tries = 0; tries < 3; tries++) {
        if (sh_translate(&sh, la, w, u, pa) == 0)
            return S_OK;
        uint32_t dummy;
        uint32_t hw = (sh_translate(&sh, la, 0, 0, &dummy) == 0 ? SH_EC_P : 0) | (w ? SH_EC_W : 0) |
                      (u ? SH_EC_U : 0);
        struct sh_result r = sh_fault(&sh, la, hw);
        if (r.v == SH_GUEST) {
            *ec = r.ec;
            return S_FAULT;
        }
        if (r.v == SH_REFUSE)
            return S_REFUSE;
        if (r.v == SH_TRACE) {
            *pa = r.gpa;
            return S_TRACE;
        }
    }
    return -1;
}

/* One access, shadow against reference: 0 when they agree. */
static int check_la(uint32_t la, int w, int u)
{
    uint32_t rpa = 0, rec = 0, spa = 0, sec = 0;
    int r = ref_walk(la, w, u, &rpa, &rec);
    int s = shadow_access(la, w, u, &spa, &sec);
    if (r == R_OK && w && ref_traced(rpa & SH_PFN))
        return !(s == S_TRACE && spa == rpa);
    if (r == R_OK)
        return !(s == S_OK && spa == rpa);
    if (r == R_FAULT)
        return !(s == S_FAULT && sec == rec);
    return !(s == S_REFUSE && sh_translate(&sh, la, 0, 0, &spa) != 0);
}

static uint32_t data_frame(void)
{
    return 0x01200000u + (rnd() % 0xC00u) * 0x1000u;
}

static uint32_t rand_pte(void)
{
    uint32_t k = rnd() % 100, f;
    if (k < 5)
        f = OUTSIDE;
    else if (k < 12)
        f = PT(rnd() % NPT);
    else
        f = data_frame();
    uint32_t flags = (rnd() % 10 < 8 ? SH_P : 0) | (rnd() & (SH_RW | SH_US | SH_A | SH_D));
    return f | flags;
}

static uint32_t pdis[48];

/* A directory of 48 entries: 4 KiB tables (shared between entries at
 * random, so guest PDEs alias tables) and 4 MiB pages, two of which cover
 * the page tables themselves. */
static void random_tables(void)
{
    for (int i = 0; i < NPT; i++)
        for (uint32_t j = 0; j < 1024; j++)
            *at(PT(i) + j * 4) = rand_pte();
    for (int i = 0; i < 48; i++) {
        uint32_t pdi;
        do
            pdi = 1 + rnd() % 1000;
        while (*at(PD + pdi * 4));
        pdis[i] = pdi;
        uint32_t flags = SH_P | (rnd() % 4 ? SH_RW : 0) | (rnd() % 4 ? SH_US : 0);
        if (i < NPT)
            *at(PD + pdi * 4) = PT(i) | flags;
        else if (i < 40)
            *at(PD + pdi * 4) = PT(rnd() % NPT) | flags;
        else
            *at(PD + pdi * 4) = (BASE + (rnd() % 4) * 0x400000u) | SH_PS | flags | (rnd() & SH_D);
    }
}

/* Read one present address through every PDE: every table is derived
 * before the random accesses, so the traced set is the reference's. */
static void warm(void)
{
    for (int i = 0; i < 48; i++)
        for (uint32_t p = 0; p < 1024; p++) {
            uint32_t la = (pdis[i] << 22) | (p << 12), pa, ec;
            if (ref_walk(la, 0, 0, &pa, &ec) == R_OK) {
                shadow_access(la, 0, 0, &pa, &ec);
                break;
            }
        }
}

static uint32_t rand_la(void)
{
    uint32_t pdi = rnd() % 16 ? pdis[rnd() % 48] : rnd() % 1024;
    return (pdi << 22) | (rnd() & 0x3FFFFFu);
}

static void test_random_against_reference(void)
{
    setup();
    random_tables();
    CU_ASSERT_EQUAL_FATAL(sh_load_cr3(&sh, PD), 0);
    warm();
    unsigned bad = 0, mutations = 0;
    for (int n = 0; n < 40000; n++) {
        uint32_t la = rand_la();
        int w = rnd() & 1, u = rnd() & 1;
        bad += (unsigned)check_la(la, w, u);
        uint32_t pa, ec;
        if (ref_walk(la, w, u, &pa, &ec) == R_OK) {
            /* the walk set A, and D for a write that completed */
            uint32_t pde = *at(PD + (la >> 22) * 4);
            CU_ASSERT(pde & SH_A);
            uint32_t leaf = pde & SH_PS ? pde : *at((pde & SH_PFN) + ((la >> 12) & 1023) * 4);
            CU_ASSERT(leaf & SH_A);
            if (w)
                CU_ASSERT(leaf & SH_D);
        }
        if (rnd() % 10 == 0) {
            /* a traced guest PTE write, completed and invalidated */
            uint32_t gpa = PT(rnd() % NPT) + (rnd() % 1024) * 4;
            *at(gpa) = rand_pte();
            sh_invalidate_gpa(&sh, gpa);
            mutations++;
        }
        if (rnd() % 200 == 0) {
            /* a traced PDE write that keeps its target, flags changed */
            uint32_t gpa = PD + pdis[rnd() % 48] * 4;
            *at(gpa) ^= (rnd() & (SH_RW | SH_US));
            sh_invalidate_gpa(&sh, gpa);
        }
    }
    CU_ASSERT_EQUAL(bad, 0);
    CU_ASSERT(mutations > 1000);
    CU_ASSERT(sh.fills > 1000);
    CU_ASSERT(sh.dirty_faults > 100);
    CU_ASSERT(sh.trace_faults > 10);
    CU_ASSERT(sh.refused > 10);
    CU_ASSERT(sh.guest_faults > 1000);
    CU_ASSERT_EQUAL(sh.recycled, 0);

    /* The comparison can fail: point one filled leaf at another frame. */
    for (uint32_t pdi = 0; pdi < 1024; pdi++) {
        int s = sh.slot_of[pdi];
        if (s < 0)
            continue;
        for (uint32_t i = 0; i < 1024; i++) {
            uint32_t *e = &spt(&sh, s)[i];
            if (*e & SH_P) {
                *e ^= 0x1000u;
                CU_ASSERT_EQUAL(check_la((pdi << 22) | (i << 12), 0, 0), 1);
                return;
            }
        }
    }
    CU_FAIL("no filled leaf");
}

/* More directory entries than shadow page tables: recycled, still right. */
static void test_recycling(void)
{
    setup();
    for (uint32_t i = 0; i < 200; i++)
        *at(PD + (4 + i) * 4) = (BASE + (i % 4) * 0x400000u) | SH_PS | SH_P | SH_RW | SH_D;
    *at(PD + 2 * 4) = PT(0) | SH_P | SH_RW;
    *at(PT(0)) = PD | SH_P | SH_RW | SH_D;
    CU_ASSERT_EQUAL_FATAL(sh_load_cr3(&sh, PD), 0);
    unsigned bad = 0;
    for (int n = 0; n < 5000; n++) {
        /* PT(0) is traced only once derived, through PD[2]: leave it out */
        uint32_t la = ((4 + rnd() % 200) << 22) | (rnd() & 0x3FFFFFu), pa, ec;
        if (ref_walk(la, 0, 0, &pa, &ec) == R_OK && (pa & SH_PFN) == PT(0))
            continue;
        bad += (unsigned)check_la(la, rnd() & 1, 0);
    }
    CU_ASSERT_EQUAL(bad, 0);
    CU_ASSERT(sh.recycled > 100);
    /* the directory stays traced through a 4 MiB page and the self-map */
    CU_ASSERT_EQUAL(check_la((4u << 22) | 0x100000u, 1, 0), 0);
    CU_ASSERT_EQUAL(check_la(2u << 22, 1, 0), 0);
    uint32_t pa, ec;
    CU_ASSERT_EQUAL(shadow_access(2u << 22, 1, 0, &pa, &ec), S_TRACE);
    CU_ASSERT_EQUAL(pa, PD);
}

static void map_simple(void)
{
    setup();
    *at(PD + 0) = PT(0) | SH_P | SH_RW | SH_US;
    *at(PD + 4) = PT(1) | SH_P | SH_RW | SH_US;
    *at(PD + 8) = PT(0) | SH_P | SH_RW | SH_US; /* aliases PD[0] */
    *at(PD + 12) = 0x01800000u | SH_PS | SH_P | SH_RW;
    for (uint32_t i = 0; i < 8; i++) {
        *at(PT(0) + i * 4) = (0x01300000u + i * 0x1000u) | SH_P | SH_RW | SH_D;
        *at(PT(1) + i * 4) = (0x01400000u + i * 0x1000u) | SH_P | SH_RW | SH_D;
    }
    CU_ASSERT_EQUAL_FATAL(sh_load_cr3(&sh, PD), 0);
}

static int present(uint32_t la)
{
    uint32_t pa;
    return sh_translate(&sh, la, 0, 0, &pa) == 0;
}

static void touch(uint32_t la, int w)
{
    uint32_t pa, ec;
    CU_ASSERT_EQUAL(shadow_access(la, w, 0, &pa, &ec), S_OK);
}

static void test_dirty(void)
{
    map_simple();
    *at(PT(1) + 4) &= ~SH_D;
    uint32_t la = 0x00401000u, pa;
    touch(la, 0);
    CU_ASSERT_EQUAL(sh.dirty_faults, 0);
    CU_ASSERT_EQUAL(sh_translate(&sh, la, 1, 0, &pa), -1); /* read-only until D */
    struct sh_result r = sh_fault(&sh, la, SH_EC_P | SH_EC_W);
    CU_ASSERT_EQUAL(r.v, SH_FIXED);
    CU_ASSERT_EQUAL(sh.dirty_faults, 1);
    CU_ASSERT(*at(PT(1) + 4) & SH_D);
    CU_ASSERT_EQUAL(sh_translate(&sh, la, 1, 0, &pa), 0);
    CU_ASSERT_EQUAL(pa, 0x01401000u);
    /* a 4 MiB page: D lives in the PDE; setting it keeps the split table */
    la = 0x00C05000u;
    touch(la, 0);
    int s = sh.slot_of[3];
    CU_ASSERT_EQUAL(sh_translate(&sh, la, 1, 0, &pa), -1);
    touch(la, 1);
    CU_ASSERT(*at(PD + 12) & SH_D);
    CU_ASSERT_EQUAL(sh.slot_of[3], s);
    CU_ASSERT_EQUAL(sh.dirty_faults, 2);
    /* a user access to a supervisor page is the guest's fault */
    CU_ASSERT_EQUAL(sh_fault(&sh, la, SH_EC_U).v, SH_GUEST);
}

static void test_protection(void)
{
    map_simple();
    /* PT(2) is data, mapped writable at 0x5000, until PD[5] makes it a table */
    *at(PT(0) + 5 * 4) = PT(2) | SH_P | SH_RW | SH_D;
    *at(PT(2)) = 0x01500000u | SH_P | SH_RW | SH_D;
    touch(0x5000u, 1);
    CU_ASSERT_FALSE(sh_is_source(&sh, PT(2)));
    *at(PD + 5 * 4) = PT(2) | SH_P | SH_RW;
    sh_invalidate_gpa(&sh, PD + 5 * 4);
    int on = sources_on;
    touch(0x01400000u, 0); /* derives PT(2): it becomes traced */
    CU_ASSERT_EQUAL(sources_on, on + 1);
    CU_ASSERT(sh_is_source(&sh, PT(2)));
    CU_ASSERT_EQUAL(sh.leaves_protected, 1);
    uint32_t pa, ec;
    CU_ASSERT_EQUAL(sh_translate(&sh, 0x5000u, 1, 0, &pa), -1);
    CU_ASSERT_EQUAL(shadow_access(0x5004u, 1, 0, &pa, &ec), S_TRACE);
    CU_ASSERT_EQUAL(pa, PT(2) + 4);
    CU_ASSERT_EQUAL(sh_translate(&sh, 0x5004u, 0, 0, &pa), 0); /* reads go on */
    /* the PDE goes away: PT(2) is no source, its next write is plain */
    *at(PD + 5 * 4) = 0;
    CU_ASSERT_EQUAL(sh_invalidate_gpa(&sh, PD + 5 * 4), 1);
    CU_ASSERT_EQUAL(sources_off, 1);
    CU_ASSERT_EQUAL(shadow_access(0x5004u, 1, 0, &pa, &ec), S_OK);
}

static void test_invlpg(void)
{
    map_simple();
    for (uint32_t i = 0; i < 8; i++)
        touch(i << 12, 0);
    touch(0x00C00000u, 0);
    touch(0x00C01000u, 0);
    /* a guest PTE edit without invalidation leaves the old translation, as
     * a TLB may (SDM 4.10.4.3); INVLPG drops exactly that leaf */
    *at(PT(0) + 2 * 4) = 0x01600000u | SH_P | SH_RW | SH_D;
    uint32_t pa;
    CU_ASSERT_EQUAL(sh_translate(&sh, 0x2000u, 0, 0, &pa), 0);
    CU_ASSERT_EQUAL(pa, 0x01302000u);
    sh_invlpg(&sh, 0x2000u);
    for (uint32_t i = 0; i < 8; i++)
        CU_ASSERT_EQUAL(present(i << 12), i != 2);
    touch(0x2000u, 0);
    CU_ASSERT_EQUAL(sh_translate(&sh, 0x2000u, 0, 0, &pa), 0);
    CU_ASSERT_EQUAL(pa, 0x01600000u);
    /* a 4 MiB page is one translation: dropped whole */
    sh_invlpg(&sh, 0x00C00000u);
    CU_ASSERT_FALSE(present(0x00C01000u));
    CU_ASSERT(present(0x1000u));
    /* a changed PDE: the whole table */
    *at(PD + 0) = PT(1) | SH_P | SH_RW | SH_US;
    sh_invlpg(&sh, 0x3000u);
    CU_ASSERT_FALSE(present(0x1000u));
    touch(0x1000u, 0);
    CU_ASSERT_EQUAL(sh_translate(&sh, 0x1000u, 0, 0, &pa), 0);
    CU_ASSERT_EQUAL(pa, 0x01401000u);
}

static void test_reverse_map(void)
{
    map_simple();
    for (uint32_t i = 0; i < 8; i++) {
        touch(i << 12, 0);
        touch(0x00800000u | (i << 12), 0); /* PD[2] aliases PT(0) */
        touch(0x00400000u | (i << 12), 0);
    }
    /* PT(0)[3] feeds two leaves: 0x3000 and 0x803000 */
    *at(PT(0) + 3 * 4) = 0x01700000u | SH_P | SH_RW | SH_D;
    CU_ASSERT_EQUAL(sh_invalidate_gpa(&sh, PT(0) + 3 * 4), 2);
    for (uint32_t i = 0; i < 8; i++) {
        CU_ASSERT_EQUAL(present(i << 12), i != 3);
        CU_ASSERT_EQUAL(present(0x00800000u | (i << 12)), i != 3);
        CU_ASSERT(present(0x00400000u | (i << 12)));
    }
    /* an entry nothing derives from yet */
    CU_ASSERT_EQUAL(sh_invalidate_gpa(&sh, PT(1) + 100 * 4), 0);
    /* a PDE: its table only */
    CU_ASSERT_EQUAL(sh_invalidate_gpa(&sh, PD + 4), 1);
    CU_ASSERT_FALSE(present(0x00400000u));
    CU_ASSERT(present(0x1000u));
    CU_ASSERT(present(0x00801000u));
    /* a CR3 load flushes everything and tells the sources */
    int off = sources_off;
    CU_ASSERT_EQUAL(sh_load_cr3(&sh, PD), 0);
    CU_ASSERT_FALSE(present(0x1000u));
    CU_ASSERT_EQUAL(sources_off, off + 1); /* PT(0); PT(1) went with PD[1] */
    CU_ASSERT(sh_is_source(&sh, PD));
}

static void test_refused(void)
{
    map_simple();
    CU_ASSERT_EQUAL(sh_load_cr3(&sh, 0x00200000u), -1);
    CU_ASSERT_EQUAL(sh.gpd, PD); /* unchanged */
    *at(PT(0) + 6 * 4) = OUTSIDE | SH_P | SH_RW | SH_D;
    CU_ASSERT_EQUAL(sh_fault(&sh, 0x6000u, 0).v, SH_REFUSE);
    CU_ASSERT_FALSE(present(0x6000u));
    /* a 4 MiB page that ends past the partition, a table outside */
    *at(PD + 16) = 0x01C00000u | SH_PS | SH_P;
    CU_ASSERT_EQUAL(sh_fault(&sh, 0x01000000u, 0).v, SH_FIXED);
    *at(PD + 16) = 0x02000000u | SH_PS | SH_P;
    sh_invalidate_gpa(&sh, PD + 16);
    CU_ASSERT_EQUAL(sh_fault(&sh, 0x01000000u, 0).v, SH_REFUSE);
    *at(PD + 20) = 0x00500000u | SH_P;
    CU_ASSERT_EQUAL(sh_fault(&sh, 0x01400000u, 0).v, SH_REFUSE);
    CU_ASSERT_EQUAL(sh.refused, 3);
    /* no guest directory yet: every fault is the guest's */
    setup();
    CU_ASSERT_EQUAL(sh_fault(&sh, 0x1000u, SH_EC_W).v, SH_GUEST);
}

/* The monitor's top 4 MiB: kept through flushes and CR3 loads, never
 * derived from the guest, faults there are the guest's. */
static void test_reserved_top(void)
{
    map_simple();
    sh_reserve_top(&sh, 0xF0100000u | SH_P | SH_RW);
    uint32_t *spd0 = (uint32_t *)(void *)pool;
    CU_ASSERT_EQUAL(spd0[1023], 0xF0100000u | SH_P | SH_RW);
    *at(PD + 1023 * 4) = 0x01800000u | SH_PS | SH_P | SH_RW; /* the guest maps it too */
    struct sh_result r = sh_fault(&sh, 0xFFC01000u, SH_EC_W);
    CU_ASSERT_EQUAL(r.v, SH_GUEST);
    CU_ASSERT_EQUAL(spd0[1023], 0xF0100000u | SH_P | SH_RW);
    sh_flush(&sh);
    CU_ASSERT_EQUAL(sh_load_cr3(&sh, PD), 0);
    CU_ASSERT_EQUAL(spd0[1023], 0xF0100000u | SH_P | SH_RW);
    sh_invlpg(&sh, 0xFFC00000u);
    CU_ASSERT_EQUAL(spd0[1023], 0xF0100000u | SH_P | SH_RW);
}

/* A frame another shadow traces (the hook): read-only here too; a write
 * is a trace event; sh_protect takes R/W from leaves filled before. */
static uint32_t hook_frame;
static int traced_hook(void *ctx, uint32_t frame)
{
    (void)ctx;
    return frame == hook_frame;
}

static void test_traced_elsewhere(void)
{
    map_simple();
    sh.traced = traced_hook;
    hook_frame = 0;
    touch(0x1000u, 1); /* 0x01301000, writable: nobody traces it */
    uint32_t pa, ec;
    CU_ASSERT_EQUAL(sh_translate(&sh, 0x1000u, 1, 0, &pa), 0);
    hook_frame = 0x01301000u; /* another virtual CPU starts to derive from it */
    sh_protect(&sh, hook_frame);
    CU_ASSERT_EQUAL(sh_translate(&sh, 0x1000u, 1, 0, &pa), -1);
    CU_ASSERT_EQUAL(sh_translate(&sh, 0x1000u, 0, 0, &pa), 0);
    CU_ASSERT_EQUAL(shadow_access(0x1008u, 1, 0, &pa, &ec), S_TRACE);
    CU_ASSERT_EQUAL(pa, 0x01301008u);
    /* filled after: read-only from the start */
    CU_ASSERT_EQUAL(shadow_access(0x00401000u, 1, 0, &pa, &ec), S_OK); /* PT(1)'s */
    hook_frame = 0x01302000u;
    CU_ASSERT_EQUAL(shadow_access(0x2000u, 1, 0, &pa, &ec), S_TRACE);
    /* a leaf pointed at a monitor frame: read-only, the rest kept */
    CU_ASSERT_EQUAL(sh_set_frame(&sh, 0x00401000u, 0xF0200000u), 0);
    CU_ASSERT_EQUAL(sh_translate(&sh, 0x00401abcu, 0, 0, &pa), 0);
    CU_ASSERT_EQUAL(pa, 0xF0200abcu);
    CU_ASSERT_EQUAL(sh_translate(&sh, 0x00401abcu, 1, 0, &pa), -1);
    CU_ASSERT_EQUAL(sh_set_frame(&sh, 0x00405000u, 0xF0200000u), -1); /* no leaf there */
}

static CU_TestInfo tests[] = {
    {"the monitor's top 4 MiB is kept", test_reserved_top},
    {"frames traced elsewhere are read-only", test_traced_elsewhere},
    {"shadow = reference walk over random mappings", test_random_against_reference},
    {"recycled shadow tables", test_recycling},
    {"A/D: read-only until D", test_dirty},
    {"page-table frames write-protected", test_protection},
    {"INVLPG drops the leaf or the table", test_invlpg},
    {"reverse map drops exactly what derives", test_reverse_map},
    {"outside the partition refused", test_refused},
    CU_TEST_INFO_NULL,
};

CUNIT_MAIN("hv_x86_shadow", tests)
