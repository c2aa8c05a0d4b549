/*
 * smc.c - self-modifying code: code written, run, rewritten and run again
 * must run as rewritten (Intel SDM Vol. 3A 11.6: a write to a code
 * address in the same linear-address space is detected), including an
 * instruction that straddles a page boundary and is changed through its
 * second page.  vtsim caches decoded instructions per physical address,
 * so this checks that writes invalidate them.  Prints one line per check
 * and "smc: ok"; exits 0 only when all passed.
 */
#include "ctl.h"

int main(void);

typedef unsigned (*fn)(void);

/* Two pages of code space (the image is one writable, executable
 * segment). */
static unsigned char code[8192] __attribute__((aligned(4096)));

/* mov eax, imm32; ret */
static void emit(unsigned off, unsigned imm)
{
    code[off] = 0xB8;
    for (int i = 0; i < 4; i++)
        code[off + 1 + i] = (unsigned char)(imm >> (8 * i));
    code[off + 5] = 0xC3;
}

static unsigned call(unsigned off)
{
    fn f = (fn)(void *)&code[off];
    __asm__ volatile("" : "+r"(f) : : "memory");
    return f();
}

static int check(const char *what, unsigned got, unsigned want)
{
    ctl_puts(what);
    ctl_puts(got == want ? ": ok\n" : ": FAILED\n");
    return got == want;
}

int main(void)
{
    int ok = 1;
    emit(0, 1);
    ok &= check("first version", call(0), 1);
    code[1] = 2;
    ok &= check("immediate rewritten", call(0), 2);
    emit(0, 3);
    ok &= check("instruction rewritten", call(0), 3);
    /* mov eax, imm32 at 4094: its immediate's top bytes are in page 2. */
    emit(4094, 0x11223344);
    ok &= check("across pages", call(4094), 0x11223344);
    code[4098] = 0x55;
    ok &= check("rewritten through the second page", call(4094), 0x55223344);
    ctl_puts(ok ? "smc: ok\n" : "smc: FAILED\n");
    return ok ? 0 : 1;
}
