/*
 * checksum.c - bare-metal IA-32 firmware of the vtsim::Platform example:
 * it has the checksum engine behind the external window at CSUM_BASE
 * (checksum.yaml, ../checksum_engine.hh) compute the CRC-32 of
 * "123456789", polls until the engine is done, and checks the result
 * against the standard check value 0xCBF43926 (the CRC-32 catalogue's
 * "check" for CRC-32/ISO-HDLC).  The firmware never computes a CRC
 * itself: a wrong or absent engine fails the check.
 */
#include "../../../workloads/x86/ctl.h"

#define CSUM_BASE 0xFE000000u
enum { ID = 0x00, CTRL = 0x04, DATA = 0x08, STATUS = 0x0C, RESULT = 0x10, COUNT = 0x14 };

static volatile unsigned *reg(unsigned off)
{
    return (volatile unsigned *)(CSUM_BASE + off);
}

static void put_hex(unsigned v)
{
    char b[9];
    for (int i = 7; i >= 0; i--, v >>= 4)
        b[i] = "0123456789abcdef"[v & 15];
    b[8] = 0;
    ctl_puts(b);
}

static void put_dec(unsigned v)
{
    char b[11];
    int i = 10;
    b[i] = 0;
    do
        b[--i] = (char)('0' + v % 10);
    while (v /= 10);
    ctl_puts(b + i);
}

int main(void);

int main(void)
{
    static const char msg[] = "123456789";
    if (*reg(ID) != 0x4D555343u) {
        ctl_puts("checksum: no engine in the window\n");
        return 1;
    }
    *reg(CTRL) = 1;
    /* Two 4-byte pushes and one 1-byte push: the engine takes each
     * access's size from the transaction. */
    *reg(DATA) =
        (unsigned)msg[0] | (unsigned)msg[1] << 8 | (unsigned)msg[2] << 16 | (unsigned)msg[3] << 24;
    *reg(DATA) =
        (unsigned)msg[4] | (unsigned)msg[5] << 8 | (unsigned)msg[6] << 16 | (unsigned)msg[7] << 24;
    *(volatile unsigned char *)(CSUM_BASE + DATA) = (unsigned char)msg[8];
    *reg(CTRL) = 2;
    unsigned polls = 0;
    while (*reg(STATUS) & 1)
        polls++;
    unsigned status = *reg(STATUS), crc = *reg(RESULT), n = *reg(COUNT);
    ctl_puts("checksum engine: crc32(\"123456789\") = 0x");
    put_hex(crc);
    ctl_puts(" over ");
    put_dec(n);
    ctl_puts(" bytes, busy for ");
    put_dec(polls);
    ctl_puts(" polls\n");
    if (!(status & 2) || crc != 0xCBF43926u || n != 9 || polls == 0) {
        ctl_puts("checksum engine: FAIL (expected 0xcbf43926 over 9 bytes after a busy time)\n");
        return 1;
    }
    ctl_puts("checksum engine: ok\n");
    return 0;
}
