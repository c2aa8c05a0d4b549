/*
 * apic.h - the xAPIC registers as the tests use them (Intel SDM Vol. 3A
 * 10.4.1, Table 10-1): 32-bit registers, 16 bytes apart, at 0xFEE00000.
 */
#ifndef WORKLOADS_X86_TESTS_APIC_H
#define WORKLOADS_X86_TESTS_APIC_H

#include "rt.h"

#define APIC_ID      0x020
#define APIC_TPR     0x080
#define APIC_PPR     0x0A0
#define APIC_EOI     0x0B0
#define APIC_SVR     0x0F0
#define APIC_ISR     0x100
#define APIC_IRR     0x200
#define APIC_ICR_LO  0x300
#define APIC_ICR_HI  0x310
#define APIC_LVT_TMR 0x320
#define APIC_INITIAL 0x380
#define APIC_CURRENT 0x390
#define APIC_DIVIDE  0x3E0

#define ICR_SELF       (1u << 18) /* destination shorthand 01 */
#define ICR_ALL_BUT_ME (3u << 18) /* shorthand 11 */

static inline u32 apic_read(u32 off)
{
    return *(volatile u32 *)(0xFEE00000u + off);
}

static inline void apic_write(u32 off, u32 v)
{
    *(volatile u32 *)(0xFEE00000u + off) = v;
}

/* Whether vector v's bit is set in the 256-bit register at off (ISR, IRR). */
static inline int apic_bit(u32 off, unsigned v)
{
    return (apic_read(off + 0x10 * (v / 32)) >> (v % 32)) & 1;
}

/* Fixed IPI to the APIC ID dest (ICR high first: the low write sends). */
static inline void apic_ipi(unsigned dest, u32 lo)
{
    apic_write(APIC_ICR_HI, dest << 24);
    apic_write(APIC_ICR_LO, lo);
}

#endif
