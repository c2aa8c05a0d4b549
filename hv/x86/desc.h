/*
 * desc.h - segment descriptors as the shadow GDT holds them (sgdt.c;
 * seed 004 [0036]-[0037]).  Pure C: the host tests run it.
 */
#ifndef VTSIM_HV_X86_DESC_H
#define VTSIM_HV_X86_DESC_H

#include <stdint.h>

/* The shadow of guest descriptor `d` (Intel SDM Vol. 3A 3.4.5) for a
 * monitor that owns the linear range from `top` up: a present code or
 * data descriptor gets its accessed bit set (the processor then never
 * writes the shadow); an expand-up one whose segment reaches `top` is cut
 * to end just below it (limit 0 when it starts there or above).  System
 * descriptors, absent ones and expand-down data come back as they are. */
uint64_t desc_shadow(uint64_t d, uint32_t top);

/* Base and effective limit (bytes - 1) of a code or data descriptor. */
uint32_t desc_base(uint64_t d);
uint32_t desc_limit(uint64_t d);

#endif
