/* hello: the smallest bare-metal IA-32 program; prints a line and exits 0. */
#include "ctl.h"

int main(void);

int main(void)
{
    ctl_puts("hello from bare-metal ia32\n");
    ctl_exit(0);
    return 0;
}
