/*
 * test_x86_paging.c - the IA-32 walker and TLBs (model/cpu/x86/paging.h)
 * over a small physical memory, and the double-fault classes.
 *
 * Expected error codes were worked out by hand from Intel SDM Vol. 3A
 * 4.6.1 (rights: user accesses need U/S in both levels, user writes R/W
 * in both, supervisor writes R/W in both only with CR0.WP) and 4.7 (P = 1
 * for a protection or reserved-bit violation, W/R, U/S, RSVD); A/D from
 * 4.8; TLB invalidation from 4.10.4; the double-fault table from Table 6-5.
 */
#include <string.h>

#include "cunit_main.h"
#include "model/cpu/x86/exec.h"
#include "model/cpu/x86/paging.h"

#define PD 0x1000u
#define PT 0x2000u
static uint32_t mem[0x4000]; /* 64 KiB */
static unsigned reads, writes;

static int rd(void *ctx, uint64_t pa, uint32_t *v, unsigned *cycles)
{
    (void)ctx;
    if (pa >= sizeof(mem))
        return -1;
    *v = mem[pa / 4];
    *cycles += 10;
    reads++;
    return 0;
}

static int wr(void *ctx, uint64_t pa, uint32_t v, unsigned *cycles)
{
    (void)ctx;
    if (pa >= sizeof(mem))
        return -1;
    mem[pa / 4] = v;
    *cycles += 10;
    writes++;
    return 0;
}

static struct x86_mmu mmu;
static struct x86_state st;
static struct rng rng;

static void setup(void)
{
    static const struct tlb_config cfg = {.entries = 16, .ways = 16, .replacement = 0};
    char err[100];
    memset(mem, 0, sizeof(mem));
    memset(&st, 0, sizeof(st));
    rng_seed(&rng, 1);
    CU_ASSERT_EQUAL_FATAL(x86_mmu_init(&mmu, &cfg, &cfg, &rng, err, sizeof(err)), 0);
    mmu.read = rd;
    mmu.write = wr;
    st.cr0 = X86_CR0_PE | X86_CR0_PG;
    st.cr3 = PD;
    st.cr4 = X86_CR4_PSE;
}

/* Translate; returns the rc and leaves the error code in *pfec. */
static int xl(uint32_t lin, unsigned acc, uint64_t *pa, uint32_t *pfec)
{
    unsigned c;
    *pfec = 0xDEAD;
    return x86_translate(&mmu, &st, lin, acc, pa, pfec, &c);
}

struct row {
    uint32_t pde, pte; /* flags of the entries for linear 0x00400000 (PDE 1, PTE 0) */
    bool wp;
    unsigned acc;
    int rc;
    uint32_t pfec;
};

enum { R = 0, Wr = X86_ACC_W, Ur = X86_ACC_U, Uw = X86_ACC_U | X86_ACC_W };

static const struct row rows[] = {
    /* Not present at either level: P = 0; W/R and U/S from the access. */
    {0x0, 0x7, false, R, 1, 0x0},
    {0x0, 0x7, false, Uw, 1, 0x6},
    {0x7, 0x0, false, Wr, 1, 0x2},
    {0x7, 0x0, false, Ur, 1, 0x4},
    /* Supervisor: reads always; writes to read-only only without WP. */
    {0x1, 0x1, false, R, 0, 0},
    {0x1, 0x1, false, Wr, 0, 0},
    {0x1, 0x1, true, Wr, 1, 0x3},
    {0x3, 0x1, true, Wr, 1, 0x3},
    {0x3, 0x3, true, Wr, 0, 0},
    /* User: U/S in both levels; writes need R/W in both, WP or not. */
    {0x3, 0x3, false, Ur, 1, 0x5},
    {0x3, 0x3, false, Uw, 1, 0x7},
    {0x7, 0x3, false, Ur, 1, 0x5},
    {0x3, 0x7, false, Ur, 1, 0x5},
    {0x5, 0x7, false, Ur, 0, 0},
    {0x5, 0x7, false, Uw, 1, 0x7},
    {0x7, 0x5, false, Uw, 1, 0x7},
    {0x7, 0x7, false, Uw, 0, 0},
    {0x7, 0x7, true, Uw, 0, 0},
};

static void test_error_codes(void)
{
    for (unsigned i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        const struct row *r = &rows[i];
        setup();
        mem[PD / 4 + 1] = PT | r->pde;
        mem[PT / 4] = 0x9000u | r->pte;
        st.cr0 = X86_CR0_PE | X86_CR0_PG | (r->wp ? X86_CR0_WP : 0);
        uint64_t pa = 0;
        uint32_t pfec;
        int rc = xl(0x00400123u, r->acc, &pa, &pfec);
        CU_ASSERT_EQUAL(rc, r->rc);
        if (rc == 0) {
            CU_ASSERT_EQUAL(pa, 0x9123u);
        } else {
            CU_ASSERT_EQUAL(pfec, r->pfec);
        }
        x86_mmu_free(&mmu);
    }
}

/* The checker can fail: a row with a wrong expectation must not match. */
static void test_checker_catches(void)
{
    setup();
    mem[PD / 4 + 1] = PT | 0x3;
    mem[PT / 4] = 0x9000u | 0x3;
    uint64_t pa;
    uint32_t pfec;
    int rc = xl(0x00400000u, Ur, &pa, &pfec);
    CU_ASSERT_FALSE(rc == 1 && pfec == 0x4); /* the right answer is 0x5 */
    x86_mmu_free(&mmu);
}

/* 4 MiB pages: PSE on; bits 21:13 reserved (no PSE-36), P | RSVD. */
static void test_large_pages(void)
{
    uint64_t pa;
    uint32_t pfec;
    setup();
    mem[PD / 4 + 2] = 0x00C00000u | 0x83;
    CU_ASSERT_EQUAL(xl(0x00812345u, R, &pa, &pfec), 0);
    CU_ASSERT_EQUAL(pa, 0x00C12345u);
    CU_ASSERT_EQUAL(mem[PD / 4 + 2] & 0x60, 0x20); /* A, not D */
    CU_ASSERT_EQUAL(xl(0x00812345u, Wr, &pa, &pfec), 0);
    CU_ASSERT_EQUAL(mem[PD / 4 + 2] & 0x60, 0x60); /* D set by a re-walk */
    mem[PD / 4 + 3] = 0x00C00000u | 0x83 | 1u << 13;
    CU_ASSERT_EQUAL(xl(0x00C00000u, R, &pa, &pfec), 1);
    CU_ASSERT_EQUAL(pfec, 0x9);
    CU_ASSERT_EQUAL(xl(0x00C00000u, Uw, &pa, &pfec), 1);
    CU_ASSERT_EQUAL(pfec, 0xF);
    mem[PD / 4 + 3] = 0x00C00000u | 0x83 | 1u << 21;
    CU_ASSERT_EQUAL(xl(0x00C00000u, Wr, &pa, &pfec), 1);
    CU_ASSERT_EQUAL(pfec, 0xB);
    /* Without CR4.PSE the PS bit is ignored: the PDE points at a table. */
    st.cr4 = 0;
    x86_mmu_flush(&mmu, false);
    mem[PD / 4 + 2] = PT | 0x83;
    mem[PT / 4 + 0x12] = 0x7000u | 0x3;
    CU_ASSERT_EQUAL(xl(0x00812345u, R, &pa, &pfec), 0);
    CU_ASSERT_EQUAL(pa, 0x7345u);
    x86_mmu_free(&mmu);
}

/* A in both levels on a read, D in the PTE on a write; a TLB hit reads no
 * memory; global entries survive a CR3-style flush, INVLPG drops them. */
static void test_ad_and_tlb(void)
{
    uint64_t pa;
    uint32_t pfec;
    setup();
    st.cr4 |= X86_CR4_PGE;
    mem[PD / 4] = PT | 0x3;
    mem[PT / 4 + 5] = 0x9000u | 0x3 | 0x100; /* global */
    mem[PT / 4 + 6] = 0xA000u | 0x3;
    CU_ASSERT_EQUAL(xl(0x5000u, R, &pa, &pfec), 0);
    CU_ASSERT_EQUAL(mem[PD / 4] & 0x60, 0x20);
    CU_ASSERT_EQUAL(mem[PT / 4 + 5] & 0x60, 0x20);
    CU_ASSERT_EQUAL(xl(0x5000u, Wr, &pa, &pfec), 0);
    CU_ASSERT_EQUAL(mem[PD / 4] & 0x60, 0x20);
    CU_ASSERT_EQUAL(mem[PT / 4 + 5] & 0x60, 0x60);
    CU_ASSERT_EQUAL(xl(0x6000u, R, &pa, &pfec), 0);
    /* Change both PTEs behind the TLB's back: hits keep the old frames. */
    mem[PT / 4 + 5] = 0xB000u | 0x163;
    mem[PT / 4 + 6] = 0xC000u | 0x23;
    unsigned before = reads;
    CU_ASSERT_EQUAL(xl(0x5004u, Wr, &pa, &pfec), 0);
    CU_ASSERT_EQUAL(pa, 0x9004u);
    CU_ASSERT_EQUAL(reads, before);
    /* A CR3 write with PGE keeps the global page only. */
    x86_mmu_flush(&mmu, true);
    CU_ASSERT_EQUAL(xl(0x5000u, R, &pa, &pfec), 0);
    CU_ASSERT_EQUAL(pa, 0x9000u);
    CU_ASSERT_EQUAL(xl(0x6000u, R, &pa, &pfec), 0);
    CU_ASSERT_EQUAL(pa, 0xC000u);
    x86_mmu_invlpg(&mmu, 0x5FFFu);
    CU_ASSERT_EQUAL(xl(0x5000u, R, &pa, &pfec), 0);
    CU_ASSERT_EQUAL(pa, 0xB000u);
    /* A page fault drops the address's entry: the fix is seen at once. */
    mem[PT / 4 + 7] = 0;
    CU_ASSERT_EQUAL(xl(0x7000u, R, &pa, &pfec), 1);
    mem[PT / 4 + 7] = 0xD000u | 0x1;
    CU_ASSERT_EQUAL(xl(0x7000u, R, &pa, &pfec), 0);
    CU_ASSERT_EQUAL(pa, 0xD000u);
    /* A paging structure outside memory. */
    mem[PD / 4 + 8] = 0x80000000u | 0x3;
    CU_ASSERT_EQUAL(xl(0x02000000u, R, &pa, &pfec), -1);
    x86_mmu_free(&mmu);
}

/* Table 6-5: contributory + contributory and page fault + (contributory or
 * page fault) are double faults; benign ones never are. */
static void test_double_fault_classes(void)
{
    struct x86_fault gp = {X86_VEC_GP, X86_EV_FAULT, true, 0};
    struct x86_fault np = {X86_VEC_NP, X86_EV_FAULT, true, 0};
    struct x86_fault pf = {X86_VEC_PF, X86_EV_FAULT, true, 0};
    struct x86_fault ud = {X86_VEC_UD, X86_EV_FAULT, false, 0};
    struct x86_fault de = {X86_VEC_DE, X86_EV_FAULT, false, 0};
    struct x86_fault intn = {X86_VEC_GP, X86_EV_SOFT_INT, false, 0};
    CU_ASSERT_TRUE(x86_is_double(&gp, &np));
    CU_ASSERT_TRUE(x86_is_double(&de, &gp));
    CU_ASSERT_FALSE(x86_is_double(&gp, &pf));
    CU_ASSERT_TRUE(x86_is_double(&pf, &pf));
    CU_ASSERT_TRUE(x86_is_double(&pf, &gp));
    CU_ASSERT_FALSE(x86_is_double(&pf, &ud));
    CU_ASSERT_FALSE(x86_is_double(&ud, &gp));
    CU_ASSERT_FALSE(x86_is_double(&intn, &gp)); /* int 13 is no #GP */
}

static CU_TestInfo tests[] = {
    {"error codes", test_error_codes},
    {"a wrong expectation is caught", test_checker_catches},
    {"4 MiB pages and reserved bits", test_large_pages},
    {"accessed, dirty and the TLB", test_ad_and_tlb},
    {"double-fault classes", test_double_fault_classes},
    CU_TEST_INFO_NULL,
};

CUNIT_MAIN("x86 paging", tests)
