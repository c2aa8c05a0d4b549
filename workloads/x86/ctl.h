/*
 * ctl.h - the simulator-control ports as seen by bare-metal IA-32 code:
 * 0xE9 is the console (Bochs/QEMU debugcon), 0xF4 the exit port (QEMU
 * isa-debug-exit).  One binary runs unchanged on QEMU and vtsim.
 */
#ifndef WORKLOADS_X86_CTL_H
#define WORKLOADS_X86_CTL_H

#define CTL_CONSOLE_PORT 0xE9
#define CTL_EXIT_PORT    0xF4

static inline void outb(unsigned short port, unsigned char v)
{
    __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline void ctl_puts(const char *s)
{
    while (*s)
        outb(CTL_CONSOLE_PORT, (unsigned char)*s++);
}

static inline void ctl_exit(unsigned char status)
{
    outb(CTL_EXIT_PORT, status);
}

#endif
