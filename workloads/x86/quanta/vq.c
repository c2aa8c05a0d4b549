/*
 * vq.c - the driver of every IA-32 VM-quanta workload: runs the kernel's
 * units, reports them in batches with CTL_CMD_WORK (ARG on port 0xE0, the
 * command on 0xE4; QEMU ignores both), and at the end of a bounded run
 * prints the checksum of all units and hands it to CTL_CMD_RESULT, so a
 * model that computes wrongly shows on the console (checked against the
 * QEMU oracle) and in ctl.result_digest.  The units run inside the
 * region of interest (phase "roi").
 */
#include "vq.h"

#define PORT_CONSOLE  0xE9
#define PORT_EXIT     0xF4
#define PORT_ARG      0xE0
#define PORT_CMD      0xE4
#define CMD_ROI_BEGIN 3
#define CMD_ROI_END   4
#define CMD_RESULT    6
#define CMD_WORK      7

int main(void);

void vq_puts(const char *s)
{
    while (*s)
        vq_outb(PORT_CONSOLE, (uint8_t)*s++);
}

void vq_putdec(uint32_t v)
{
    char buf[11];
    int n = 0;
    do {
        buf[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n)
        vq_outb(PORT_CONSOLE, (uint8_t)buf[--n]);
}

void vq_puthex(uint32_t v)
{
    vq_puts("0x");
    for (int i = 28; i >= 0; i -= 4)
        vq_outb(PORT_CONSOLE, (uint8_t) "0123456789abcdef"[(v >> i) & 15]);
}

static void command(uint8_t cmd, uint32_t arg)
{
    vq_outl(PORT_ARG, arg);
    vq_outb(PORT_CMD, cmd);
}

/* Order-sensitive, so units computed out of turn change it too. */
static uint32_t fold(uint32_t sum, uint32_t v)
{
    return ((sum << 5) | (sum >> 27)) ^ v;
}

int main(void)
{
    const uint32_t units = VQ_UNITS; /* a variable: VQ_UNITS 0 must not warn */
    uint32_t sum = 0, pending = 0;

    vq_puts("vq ");
    vq_puts(vq_name);
    vq_puts(": units ");
    vq_putdec(units);
    vq_puts(" batch ");
    vq_putdec(VQ_BATCH);
    vq_puts("\n");
    vq_init();
    /* The units are the region of interest: the set-up pass, which touches
     * a whole arena once, is not what a scheduler sees in steady state. */
    command(CMD_ROI_BEGIN, 0);
    /* VQ_UNITS 0: forever; u wraps after 2^32 units, which no run reaches. */
    for (uint32_t u = 0; units == 0 || u < units; u++) {
        sum = fold(sum, vq_unit(u));
        if (++pending == VQ_BATCH) {
            command(CMD_WORK, pending);
            pending = 0;
        }
    }
    if (pending)
        command(CMD_WORK, pending);
    command(CMD_ROI_END, 0);
    vq_puts("vq ");
    vq_puts(vq_name);
    vq_puts(": done ");
    vq_putdec(units);
    vq_puts(" units checksum ");
    vq_puthex(sum);
    vq_puts("\n");
    command(CMD_RESULT, sum);
    return 0;
}
