/*
 * console.c - pfkernel's reports through the simulator-control device
 * (model/platform/ctl.h): console bytes on port 0xE9 (Bochs/QEMU
 * debugcon), phase marks through ports 0xE0 (ARG) and 0xE4 (CMD), which
 * QEMU ignores, and the exit status on port 0xF4 (QEMU isa-debug-exit),
 * so one image prints the same lines on QEMU and vtsim.
 */
#include "kern.h"

#define PORT_CONSOLE    0xE9
#define PORT_EXIT       0xF4
#define PORT_ARG        0xE0
#define PORT_CMD        0xE4
#define CMD_PHASE_BEGIN 1
#define CMD_PHASE_END   2
#define CMD_ROI_BEGIN   3
#define CMD_ROI_END     4
#define CMD_RESULT      6

static inline void outb(u16 port, u8 v)
{
    __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outl(u16 port, u32 v)
{
    __asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

void con_puts(const char *s)
{
    while (*s)
        outb(PORT_CONSOLE, (u8)*s++);
}

void con_putdec(u32 v)
{
    char buf[12];
    int n = 0;
    do {
        buf[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n)
        outb(PORT_CONSOLE, (u8)buf[--n]);
}

void con_puthex(u32 v)
{
    con_puts("0x");
    for (int i = 28; i >= 0; i -= 4)
        outb(PORT_CONSOLE, (u8) "0123456789abcdef"[(v >> i) & 15]);
}

void ctl_phase(const char *name, int begin)
{
    outl(PORT_ARG, (u32)name);
    outb(PORT_CMD, begin ? CMD_PHASE_BEGIN : CMD_PHASE_END);
}

void ctl_result(u32 value)
{
    outl(PORT_ARG, value);
    outb(PORT_CMD, CMD_RESULT);
}

void ctl_roi(int begin)
{
    outl(PORT_ARG, 0);
    outb(PORT_CMD, begin ? CMD_ROI_BEGIN : CMD_ROI_END);
}

_Noreturn void ctl_exit(u32 status)
{
    outb(PORT_EXIT, (u8)status);
    for (;;)
        __asm__ volatile("cli; hlt");
}

_Noreturn void fatal(u32 status, const char *what, u32 a, u32 b)
{
    con_puts("pfkernel: FATAL ");
    con_puts(what);
    con_puts(" ");
    con_puthex(a);
    con_puts(" ");
    con_puthex(b);
    con_puts("\n");
    ctl_exit(status);
}
