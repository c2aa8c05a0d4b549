/*
 * vmcs.c - field lookup for VMREAD/VMWRITE (see vmcs.h).
 */
#include "model/vmcs/vmcs.h"

static const uint16_t encodings[VMCS_NFIELDS] = {
#define VMCS_FIELD(name, enc) enc,
#include "model/vmcs/fields.def"
#undef VMCS_FIELD
};

int vmcs_lookup(uint32_t encoding, enum vmcs_width *w, bool *high, bool *readonly)
{
    /* Bits 31:15 and 12 are reserved (Vol. 3C 24.11.2): no such field. */
    if (encoding & 0xFFFF9000u)
        return -1;
    enum vmcs_width width = (enum vmcs_width)(encoding >> 13 & 3);
    bool hi = encoding & 1;
    /* Only 64-bit fields have a high-half encoding (odd); an odd encoding
     * of any other width names no field. */
    if (hi && width != VMCS_W64)
        return -1;
    for (unsigned i = 0; i < VMCS_NFIELDS; i++) {
        if (encodings[i] == (encoding & ~1u)) {
            *w = width;
            *high = hi;
            *readonly = (encoding >> 10 & 3) == 1;
            return (int)i;
        }
    }
    return -1;
}

uint32_t vmcs_encoding(enum vmcs_field f)
{
    return (unsigned)f < VMCS_NFIELDS ? encodings[f] : 0xFFFFFFFFu;
}
