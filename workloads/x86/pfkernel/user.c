/*
 * user.c - pfkernel's ring-3 part: the batch of accesses user code makes
 * and the code that makes them.  Both live on user pages (.udata, .utext
 * in pfkernel.ld) and nothing here calls or reads kernel code or data:
 * the loop is all the compiler emits, so ring 3 touches only its own
 * pages and the addresses the batch names.  entry.S enters it with iret
 * and leaves it with int 0x80.
 */
#include "kern.h"

struct ubatch ubatch __attribute__((section(".udata"), aligned(16)));

void user_main(struct ubatch *b);

__attribute__((section(".utext"), used, noinline)) void user_main(struct ubatch *b)
{
    for (u32 i = 0; i < b->n; i++) {
        volatile u32 *p = (volatile u32 *)b->op[i].va;
        if (b->op[i].write)
            *p = b->op[i].val;
        else
            b->op[i].val = *p;
    }
}
