/*
 * desc.c - the shadow GDT's descriptor arithmetic (desc.h).  Layout: SDM
 * Vol. 3A 3.4.5, Figure 3-8: limit 15:0 in bits 15:0 and 19:16 in bits
 * 51:48, base 23:0 in bits 39:16 and 31:24 in bits 63:56, type 43:40,
 * S 44, P 47, G 55.
 */
#include "desc.h"

#define DESC_A       (1ull << 40)
#define DESC_EXPDOWN (1ull << 42) /* data only */
#define DESC_CODE    (1ull << 43)
#define DESC_S       (1ull << 44)
#define DESC_P       (1ull << 47)
#define DESC_G       (1ull << 55)

uint32_t desc_base(uint64_t d)
{
    return (uint32_t)(d >> 16 & 0xFFFFFF) | (uint32_t)(d >> 32 & 0xFF000000u);
}

uint32_t desc_limit(uint64_t d)
{
    uint32_t l = (uint32_t)(d & 0xFFFF) | (uint32_t)(d >> 32 & 0xF0000);
    return (d & DESC_G) ? l << 12 | 0xFFF : l;
}

uint64_t desc_shadow(uint64_t d, uint32_t top)
{
    if (!(d & DESC_S) || !(d & DESC_P))
        return d;
    d |= DESC_A;
    if (!(d & DESC_CODE) && (d & DESC_EXPDOWN))
        return d;
    uint32_t base = desc_base(d);
    if ((uint64_t)base + desc_limit(d) < top)
        return d;
    /* The largest limit that keeps base + limit below top: in 4 KiB units
     * with G set, whose effective limit is (limit << 12) | 0xFFF. */
    uint32_t room = base < top ? top - 1 - base : 0, nl;
    if (d & DESC_G)
        nl = room >= 0xFFF ? (room - 0xFFF) >> 12 : 0;
    else
        nl = room > 0xFFFFF ? 0xFFFFF : room;
    d &= ~(0xFFFFull | 0xFull << 48);
    return d | (nl & 0xFFFF) | (uint64_t)(nl >> 16 & 0xF) << 48;
}
