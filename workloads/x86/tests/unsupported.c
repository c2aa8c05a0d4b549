/*
 * unsupported.c - an instruction vtsim does not execute (x87 fld1): the
 * run must end with a diagnostic naming it, never run on.
 */
#include "ctl.h"

int main(void);

int main(void)
{
    ctl_puts("before\n");
    __asm__ volatile("fld1");
    ctl_puts("after\n");
    return 0;
}
