/*
 * vmx_rows.c - the page-fault filter settings of the VMX test and, for each,
 * the error codes that exit, worked out by hand from SDM Vol. 3C 25.2 and
 * seed 002 Figs. 3-5 ([0046] supplies rows 0-3).  Error-code bits: P 0x1,
 * W 0x2, U 0x4, RSVD 0x8.  The test raises the eleven codes 32-bit paging
 * can produce (0, 2, 4, 6 not present; 3, 5, 7 protection; 9, 11, 13, 15
 * reserved bit); 1 needs SMAP and 8, 10, 12, 14 a reserved bit in a
 * not-present entry, which cannot fault.
 */
#include "vmx.h"

#define B(n) (1u << (n))

const struct filter_row filter_rows[] = {
    {0, 1, 0x0, 0x0, 0, 0, 0xFFFF, "all (bit 1, mask 0, match 0)"},
    {0, 0, 0x0, 0xF, 0, 0, 0xFFFF, "all (bit 0, mask 0, match 0xF)"},
    {0, 1, 0xF, 0x3, 0, 0, B(3), "supervisor writes to present pages"},
    /* exit unless P = 1 and RSVD = 0 */
    {0, 0, 0x9, 0x1, 0, 0, B(0) | B(2) | B(4) | B(6) | B(9) | B(11) | B(13) | B(15),
     "not present or reserved bit"},
    {0, 0, 0x0, 0x0, 0, 0, 0, "none"},
    /* (EC & 3) == 1: present reads */
    {0, 1, 0x3, 0x1, 0, 0, B(5) | B(9) | B(13), "present reads"},
    {0, 0, 0x3, 0x1, 0, 0, B(0) | B(2) | B(3) | B(4) | B(6) | B(7) | B(11) | B(15),
     "all but present reads"},
    /* dual: EC == 3, or RSVD */
    {1, 0, 0xF, 0x3, 0x8, 0x8, B(3) | B(9) | B(11) | B(13) | B(15), "dual: 3 or reserved"},
    /* dual: (EC & 7) == 7, or EC == 0 */
    {1, 1, 0x7, 0x7, 0xF, 0x0, B(0) | B(7) | B(15), "dual: user present writes or 0"},
    /* anybit: RSVD, or EC == 3; bit 1 */
    {2, 1, 0xF, 0x3, 0x8, 0, B(3) | B(9) | B(11) | B(13) | B(15), "anybit: reserved or 3"},
    /* anybit: W or U set, never equal; bit 0: codes with W = U = 0 */
    {2, 0, 0xF, 0x10, 0x6, 0, B(0) | B(9), "anybit inverted: neither W nor U"},
};
const unsigned filter_nrows = sizeof(filter_rows) / sizeof(filter_rows[0]);
