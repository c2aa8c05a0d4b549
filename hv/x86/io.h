/*
 * io.h - port I/O, the time-stamp counter and a spin lock: the few
 * instructions the hypervisor needs outside VMX, as inline assembly.
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

/* The time-stamp counter's low word: enough for intervals under 2^32
 * cycles, with no 64-bit arithmetic. */
static inline uint32_t rdtsc32(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return lo;
}

/* A test-and-test-and-set spin lock shared by harts. */
static inline void spin_lock(volatile uint32_t *l)
{
    while (__atomic_exchange_n(l, 1, __ATOMIC_ACQUIRE))
        while (__atomic_load_n(l, __ATOMIC_RELAXED))
            __asm__ volatile("pause");
}

static inline void spin_unlock(volatile uint32_t *l)
{
    __atomic_store_n(l, 0, __ATOMIC_RELEASE);
}

#endif
