/*
 * test_hv_x86_ptval.c - the IA-32 hypervisor's page-table validation and
 * write protection (hv/x86/ptval.h), built for the host over a 16 MiB
 * partition at machine address 16 MiB.
 *
 * Entry bits: P 0x1, R/W 0x2, U/S 0x4, PS 0x80 (SDM Vol. 3A Tables 4-4 to
 * 4-6).  Expected values are worked out by hand from the rules of
 * ptval.h.
 */
#include <stdlib.h>
#include <string.h>

#include "cunit_main.h"

#include "hv/x86/ptval.c"

#define BASE 0x01000000u
#define SIZE 0x01000000u
#define PD   0x01100000u
#define PT0  0x01101000u
#define PT1  0x01102000u
#define PT2  0x01103000u
#define DATA 0x01200000u

static uint8_t *mem;
static uint8_t is_pt[SIZE / 4096];
static struct ptv v;

static uint32_t *at(uint32_t pa)
{
    return (uint32_t *)(void *)(mem + (pa - BASE));
}

/* PD: PD[4] -> PT0, PD[8] a 4 MiB page at 0x01800000, PD[0x300] the
 * self-map.  PT0: [0] data, [1] PT0 itself, [2] the PD, [3] not present
 * with a frame outside the partition. */
static void setup(void)
{
    if (!mem)
        mem = calloc(1, SIZE);
    memset(mem, 0, SIZE);
    ptv_init(&v, mem, BASE, SIZE, is_pt);
    *at(PD + 4 * 4) = PT0 | 0x7;
    *at(PD + 8 * 4) = 0x01800000u | 0x83;
    *at(PD + 0x300 * 4) = PD | 0x3;
    *at(PT0 + 0) = DATA | 0x3;
    *at(PT0 + 4) = PT0 | 0x3;
    *at(PT0 + 8) = PD | 0x3;
    *at(PT0 + 12) = 0xFFFFF000u;
}

static void test_load(void)
{
    setup();
    CU_ASSERT_EQUAL(ptv_load_cr3(&v, PD | 0x18), 0);
    CU_ASSERT_EQUAL(*at(PD + 0x300 * 4), PD | 0x1); /* the self-map made read-only */
    CU_ASSERT_EQUAL(*at(PD + 4 * 4), PT0 | 0x7);    /* a PDE keeps R/W */
    CU_ASSERT_EQUAL(*at(PD + 8 * 4), 0x01800000u | 0x83);
    CU_ASSERT_EQUAL(*at(PT0 + 0), DATA | 0x3);
    CU_ASSERT_EQUAL(*at(PT0 + 4), PT0 | 0x1); /* tables mapped as data: read-only */
    CU_ASSERT_EQUAL(*at(PT0 + 8), PD | 0x1);
    CU_ASSERT_EQUAL(*at(PT0 + 12), 0xFFFFF000u);
    CU_ASSERT_EQUAL(v.entries_forced_ro, 3);
    CU_ASSERT_EQUAL(v.tables_validated, 1);
    CU_ASSERT_TRUE(ptv_is_table(&v, PD + 0xC00));
    CU_ASSERT_TRUE(ptv_is_table(&v, PT0));
    CU_ASSERT_FALSE(ptv_is_table(&v, DATA));
    CU_ASSERT_FALSE(ptv_is_table(&v, 0x00100000u));

    /* Refused: a directory outside, a PTE outside, a 4 MiB page outside,
     * a 4 MiB page over the directory. */
    setup();
    CU_ASSERT_EQUAL(ptv_load_cr3(&v, 0x00100000u), -1);
    setup();
    *at(PT0 + 16) = 0x00500000u | 0x1;
    CU_ASSERT_EQUAL(ptv_load_cr3(&v, PD), -1);
    setup();
    *at(PD + 9 * 4) = 0xFF800000u | 0x81;
    CU_ASSERT_EQUAL(ptv_load_cr3(&v, PD), -1);
    setup();
    *at(PD + 9 * 4) = 0x01000000u | 0x81;
    CU_ASSERT_EQUAL(ptv_load_cr3(&v, PD), -1);
}

static void test_writes(void)
{
    uint32_t out;
    setup();
    CU_ASSERT_EQUAL_FATAL(ptv_load_cr3(&v, PD), 0);
    /* PTEs */
    CU_ASSERT_EQUAL(ptv_entry_write(&v, PT0 + 16, 0x01300003u, &out), PTV_STORE);
    CU_ASSERT_EQUAL(out, 0x01300003u);
    CU_ASSERT_EQUAL(ptv_entry_write(&v, PT0 + 16, 0x00400001u, &out), PTV_REFUSE);
    CU_ASSERT_EQUAL(v.writes_refused, 1);
    CU_ASSERT_EQUAL(ptv_entry_write(&v, PT0 + 16, 0x00400000u, &out), PTV_STORE);
    CU_ASSERT_EQUAL(out, 0x00400000u);
    CU_ASSERT_EQUAL(ptv_entry_write(&v, PT0 + 16, PD | 0x7, &out), PTV_STORE);
    CU_ASSERT_EQUAL(out, PD | 0x5);

    /* A PDE installs PT1, which PT0[5] maps writable as data: PT1 becomes
     * a table and PT0[5] loses R/W. */
    *at(PT1) = 0x01300007u;
    *at(PT0 + 20) = PT1 | 0x3;
    CU_ASSERT_EQUAL(ptv_entry_write(&v, PD + 5 * 4, PT1 | 0x7, &out), PTV_STORE);
    CU_ASSERT_EQUAL(out, PT1 | 0x7);
    CU_ASSERT_TRUE(ptv_is_table(&v, PT1));
    CU_ASSERT_EQUAL(*at(PT0 + 20), PT1 | 0x1);
    CU_ASSERT_EQUAL(*at(PT1), 0x01300007u);
    /* PT2 maps outside the partition: refused, and it stays data. */
    *at(PT2) = 0x00000007u;
    CU_ASSERT_EQUAL(ptv_entry_write(&v, PD + 6 * 4, PT2 | 0x7, &out), PTV_REFUSE);
    CU_ASSERT_FALSE(ptv_is_table(&v, PT2));
    /* 4 MiB pages: clear of tables, or over the directory. */
    CU_ASSERT_EQUAL(ptv_entry_write(&v, PD + 7 * 4, 0x01400083u, &out), PTV_STORE);
    CU_ASSERT_EQUAL(out, 0x01400083u);
    CU_ASSERT_EQUAL(ptv_entry_write(&v, PD + 7 * 4, 0x01000081u, &out), PTV_REFUSE);
    /* A second self-map entry loses R/W; a not-present PDE stores as is. */
    CU_ASSERT_EQUAL(ptv_entry_write(&v, PD + 0x301 * 4, PD | 0x3, &out), PTV_STORE);
    CU_ASSERT_EQUAL(out, PD | 0x1);
    CU_ASSERT_EQUAL(ptv_entry_write(&v, PD + 7 * 4, 0xDEAD0000u, &out), PTV_STORE);
    CU_ASSERT_EQUAL(out, 0xDEAD0000u);
    /* A PDE to a table outside the partition. */
    CU_ASSERT_EQUAL(ptv_entry_write(&v, PD + 7 * 4, 0x00200007u, &out), PTV_REFUSE);
    CU_ASSERT_EQUAL(v.writes_refused, 4);
}

static CU_TestInfo tests[] = {
    {"CR3 load: validation and write protection", test_load},
    {"entry writes: PTEs, new tables, large pages, the self-map", test_writes},
    CU_TEST_INFO_NULL,
};

CUNIT_MAIN("hv_x86_ptval", tests)
