/*
 * checksum.c - bare-metal IA-32 firmware of the vtsim::Platform example:
 * the checksum engine behind the external window at CSUM_BASE
 * (checksum.yaml, ../checksum_engine.hh) computes two CRC-32s.
 *
 *  1. "123456789", polling the engine's busy bit until it is done;
 *  2. "The quick brown fox jumps over the lazy dog", which the engine
 *     reads from memory itself (DMA) while the firmware sleeps in hlt
 *     until the engine's interrupt (vector CSUM_VECTOR, the window's
 *     irq_vector) says it is done.
 *
 * Each result is checked against its known value (0xCBF43926 is the CRC-32
 * catalogue's check value; 0x414FA339 the classic pangram's); the firmware
 * never computes a CRC itself, so a wrong or absent engine fails.  The
 * small protected-mode runtime of the IA-32 tests (workloads/x86/tests/rt.h)
 * provides the IDT; apic.h the end of interrupt.
 */
#include "apic.h"

#define CSUM_BASE   0xFE000000u
#define CSUM_VECTOR 0x40
enum { ID = 0x00, CTRL = 0x04, DATA = 0x08, STATUS = 0x0C, RESULT = 0x10, COUNT = 0x14 };
enum { SRC = 0x18, LEN = 0x1C };
enum { CTRL_CLEAR = 1, CTRL_START = 2, CTRL_IRQ = 4, CTRL_DMA = 8 };

static volatile u32 interrupts;

static volatile u32 *reg(u32 off)
{
    return (volatile u32 *)(CSUM_BASE + off);
}

static void put_dec(u32 v)
{
    char b[11];
    int i = 10;
    b[i] = 0;
    do
        b[--i] = (char)('0' + v % 10);
    while (v /= 10);
    ctl_puts(b + i);
}

/* The engine's interrupt: count it, clear the job (which lowers the line)
 * once its result is read, end the interrupt at the local APIC. */
static int on_event(struct frame *f)
{
    if (f->vector != CSUM_VECTOR)
        return 0;
    interrupts++;
    apic_write(APIC_EOI, 0);
    return 1;
}

/* Push s: four bytes per store while they last, then single bytes (the
 * engine takes each access's size from the transaction). */
static u32 push(const char *s)
{
    u32 n = 0;
    while (s[n])
        n++;
    u32 i = 0;
    for (; i + 4 <= n; i += 4)
        *reg(DATA) = (u32)(u8)s[i] | (u32)(u8)s[i + 1] << 8 | (u32)(u8)s[i + 2] << 16 |
                     (u32)(u8)s[i + 3] << 24;
    for (; i < n; i++)
        *(volatile u8 *)(CSUM_BASE + DATA) = (u8)s[i];
    return n;
}

/* One line: the engine's CRC of s and how the firmware waited for it
 * (`count` polls or interrupts, at least one, or the engine did not
 * act).  Nonzero when anything is not as it must be. */
static int report(const char *s, u32 crc, u32 want, u32 n, u32 len, const char *how, u32 count,
                  const char *what)
{
    ctl_puts("checksum engine: crc32(\"");
    ctl_puts(s);
    ctl_puts("\") = ");
    rt_puthex(crc);
    ctl_puts(" over ");
    put_dec(n);
    ctl_puts(" bytes, ");
    ctl_puts(how);
    put_dec(count);
    ctl_puts(what);
    ctl_puts("\n");
    if (crc != want || n != len || count == 0) {
        ctl_puts("checksum engine: FAIL (expected ");
        rt_puthex(want);
        ctl_puts(")\n");
        return 1;
    }
    return 0;
}

int main(void);

int main(void)
{
    static const char s1[] = "123456789";
    static const char s2[] = "The quick brown fox jumps over the lazy dog";
    int bad = 0;
    rt_init();
    rt_hook = on_event;
    if (*reg(ID) != 0x4D555343u) {
        ctl_puts("checksum: no engine in the window\n");
        return 1;
    }

    /* 1. Polled. */
    *reg(CTRL) = CTRL_CLEAR;
    u32 len = push(s1);
    *reg(CTRL) = CTRL_START;
    u32 polls = 0;
    while (*reg(STATUS) & 1)
        polls++;
    bad |= !(*reg(STATUS) & 2);
    bad |= report(s1, *reg(RESULT), 0xCBF43926u, *reg(COUNT), len, "busy for ", polls, " polls");

    /* 2. DMA and interrupt: the engine fetches the string (its physical
     * address: paging is off) and interrupts; hlt until then.  cli before
     * the test, sti; hlt after it: the interrupt cannot slip in between
     * (sti takes effect after the next instruction, Vol. 2B STI). */
    *reg(CTRL) = CTRL_CLEAR;
    len = sizeof(s2) - 1;
    *reg(SRC) = (u32)s2;
    *reg(LEN) = len;
    *reg(CTRL) = CTRL_DMA | CTRL_IRQ | CTRL_START;
    u32 sleeps = 0;
    while (!interrupts && sleeps < 1000) {
        __asm__ volatile("sti; hlt; cli");
        sleeps++;
    }
    bad |= !(*reg(STATUS) & 2);
    bad |= report(s2, *reg(RESULT), 0x414FA339u, *reg(COUNT), len, "read by DMA, woken by ",
                  interrupts, " interrupt");
    *reg(CTRL) = CTRL_CLEAR;

    if (bad)
        return 1;
    ctl_puts("checksum engine: ok\n");
    return 0;
}
