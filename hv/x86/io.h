/*
 * io.h - port I/O and the few privileged instructions the hypervisor
 * needs outside VMX, as inline assembly.
 */
#ifndef VTSIM_HV_X86_IO_H
#define VTSIM_HV_X86_IO_H

#include <stdint.h>

static inline void outb(uint16_t port, uint8_t v)
{
    __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outl(uint16_t port, uint32_t v)
{
    __asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

#endif
