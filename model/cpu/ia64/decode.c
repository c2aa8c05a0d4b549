/*
 * decode.c - bundle templates and slot decoding from insns.def (see
 * decode.h).  Templates: Intel Itanium Architecture Software Developer's
 * Manual, Vol. 1, Table 3-10 ("Template Field Encoding and Instruction
 * Slot Mapping").
 */
#include "model/cpu/ia64/decode.h"

#include <string.h>

const struct ia64_form_info ia64_forms[IA64_NFORMS] = {
#define FORM(id, unit_, match_, mask_, fmt_, mn) [IA64_##id] = {mn, unit_, match_, mask_, fmt_},
#include "model/cpu/ia64/insns.def"
#undef FORM
};

/* Units of each template and where its stops are (bit i: after slot i). */
static const struct {
    uint8_t u[3];
    uint8_t stop;
    const char *name;
} templates[32] = {
    [0x00] = {{U_M, U_I, U_I}, 0, "MII"}, [0x01] = {{U_M, U_I, U_I}, 4, "MII"},
    [0x02] = {{U_M, U_I, U_I}, 2, "MII"}, [0x03] = {{U_M, U_I, U_I}, 6, "MII"},
    [0x04] = {{U_M, U_L, U_X}, 0, "MLX"}, [0x05] = {{U_M, U_L, U_X}, 4, "MLX"},
    [0x08] = {{U_M, U_M, U_I}, 0, "MMI"}, [0x09] = {{U_M, U_M, U_I}, 4, "MMI"},
    [0x0a] = {{U_M, U_M, U_I}, 1, "MMI"}, [0x0b] = {{U_M, U_M, U_I}, 5, "MMI"},
    [0x0c] = {{U_M, U_F, U_I}, 0, "MFI"}, [0x0d] = {{U_M, U_F, U_I}, 4, "MFI"},
    [0x0e] = {{U_M, U_M, U_F}, 0, "MMF"}, [0x0f] = {{U_M, U_M, U_F}, 4, "MMF"},
    [0x10] = {{U_M, U_I, U_B}, 0, "MIB"}, [0x11] = {{U_M, U_I, U_B}, 4, "MIB"},
    [0x12] = {{U_M, U_B, U_B}, 0, "MBB"}, [0x13] = {{U_M, U_B, U_B}, 4, "MBB"},
    [0x16] = {{U_B, U_B, U_B}, 0, "BBB"}, [0x17] = {{U_B, U_B, U_B}, 4, "BBB"},
    [0x18] = {{U_M, U_M, U_B}, 0, "MMB"}, [0x19] = {{U_M, U_M, U_B}, 4, "MMB"},
    [0x1c] = {{U_M, U_F, U_B}, 0, "MFB"}, [0x1d] = {{U_M, U_F, U_B}, 4, "MFB"},
};

void ia64_template(unsigned tmpl, uint8_t unit[3], uint8_t *stop, bool *reserved)
{
    tmpl &= 31;
    *reserved = templates[tmpl].name == NULL;
    for (int i = 0; i < 3; i++)
        unit[i] = *reserved ? U_NONE : templates[tmpl].u[i];
    *stop = templates[tmpl].stop;
}

const char *ia64_template_name(unsigned tmpl)
{
    const char *n = templates[tmpl & 31].name;
    return n ? n : "???";
}

static uint64_t bits(uint64_t v, unsigned lo, unsigned len)
{
    return (v >> lo) & ((1ull << len) - 1);
}

static int64_t sext(uint64_t v, unsigned width)
{
    uint64_t m = 1ull << (width - 1);
    return (int64_t)((v ^ m) - m);
}

static bool unit_ok(enum ia64_unit form_unit, enum ia64_unit slot_unit)
{
    if (form_unit == U_A)
        return slot_unit == U_M || slot_unit == U_I;
    return form_unit == slot_unit;
}

/* Operand fields by format (Vol. 3, chapter 4). */
static void fields(struct ia64_insn *in, uint64_t s, uint64_t l)
{
    in->qp = (uint8_t)bits(s, 0, 6);
    in->r1 = (uint8_t)bits(s, 6, 7);
    in->r2 = (uint8_t)bits(s, 13, 7);
    in->r3 = (uint8_t)bits(s, 20, 7);
    switch (ia64_forms[in->form].fmt) {
    case FMT_A1:
    case FMT_A1_1:
    case FMT_PAT: /* printed from the raw slot */
        break;
    case FMT_MOVBR: /* b1 8:6, r2, wh 21:20, x 22 (.ret), ih 23 (.imp), tag 32:24 */
        in->b1 = (uint8_t)bits(s, 6, 3);
        in->wh = (uint8_t)bits(s, 20, 2);
        in->ph = (uint8_t)bits(s, 22, 1);
        in->dh = (uint8_t)bits(s, 23, 1);
        in->imm = sext(bits(s, 24, 9), 9) * 16;
        break;
    case FMT_EXTR: /* pos6 19:14, len 32:27 + 1 */
        in->p1 = (uint8_t)bits(s, 14, 6);
        in->p2 = (uint8_t)(bits(s, 27, 6) + 1);
        break;
    case FMT_DEPZ: /* pos = 63 - cpos6c 25:20, len 32:27 + 1 */
        in->p1 = (uint8_t)(63 - bits(s, 20, 6));
        in->p2 = (uint8_t)(bits(s, 27, 6) + 1);
        break;
    case FMT_A6:
    case FMT_A7:
        in->p1 = (uint8_t)bits(s, 6, 6);
        in->p2 = (uint8_t)bits(s, 27, 6);
        break;
    case FMT_A8: /* imm8 = s:imm7b */
        in->p1 = (uint8_t)bits(s, 6, 6);
        in->p2 = (uint8_t)bits(s, 27, 6);
        in->imm = sext(bits(s, 36, 1) << 7 | bits(s, 13, 7), 8);
        break;
    case FMT_BR:
    case FMT_BR_CALL:
    case FMT_BR_IND:
    case FMT_BR_CALLI:
        in->b1 = (uint8_t)bits(s, 6, 3);
        in->b2 = (uint8_t)bits(s, 13, 3);
        in->ph = (uint8_t)bits(s, 12, 1);
        in->wh = (uint8_t)bits(s, 33, 2);
        in->dh = (uint8_t)bits(s, 35, 1);
        in->imm = sext(bits(s, 36, 1) << 20 | bits(s, 13, 20), 21) * 16;
        break;
    case FMT_BRL:
    case FMT_BRL_CALL:
        in->b1 = (uint8_t)bits(s, 6, 3);
        in->ph = (uint8_t)bits(s, 12, 1);
        in->wh = (uint8_t)bits(s, 33, 2);
        in->dh = (uint8_t)bits(s, 35, 1);
        in->imm = sext(bits(s, 36, 1) << 59 | bits(l, 2, 39) << 20 | bits(s, 13, 20), 60) * 16;
        break;
    case FMT_A2: /* count = count2 + 1 */
        in->imm = (int64_t)bits(s, 27, 2) + 1;
        break;
    case FMT_A3: /* imm8 = s:imm7b */
        in->imm = sext(bits(s, 36, 1) << 7 | bits(s, 13, 7), 8);
        break;
    case FMT_M1:
    case FMT_M2:
    case FMT_M4:
    case FMT_M16:
    case FMT_M16X:
        in->size = (uint8_t)bits(s, 30, 2);
        in->hint = (uint8_t)bits(s, 28, 2);
        break;
    case FMT_M3: /* imm9 = s:i:imm7b */
        in->size = (uint8_t)bits(s, 30, 2);
        in->hint = (uint8_t)bits(s, 28, 2);
        in->imm = sext(bits(s, 36, 1) << 8 | bits(s, 27, 1) << 7 | bits(s, 13, 7), 9);
        break;
    case FMT_M17: { /* inc3 = s 15 : i2b 14:13 */
        static const int inc[4] = {16, 8, 4, 1};
        in->size = (uint8_t)bits(s, 30, 2);
        in->hint = (uint8_t)bits(s, 28, 2);
        in->imm = bits(s, 15, 1) ? -inc[bits(s, 13, 2)] : inc[bits(s, 13, 2)];
        break;
    }
    case FMT_M5: /* imm9 = s:i:imm7a */
        in->size = (uint8_t)bits(s, 30, 2);
        in->hint = (uint8_t)bits(s, 28, 2);
        in->imm = sext(bits(s, 36, 1) << 8 | bits(s, 27, 1) << 7 | bits(s, 6, 7), 9);
        break;
    case FMT_A4: /* imm14 = s:imm6d:imm7b */
        in->imm = sext(bits(s, 36, 1) << 13 | bits(s, 27, 6) << 7 | bits(s, 13, 7), 14);
        break;
    case FMT_A5: /* imm22 = s:imm5c:imm9d:imm7b, r3 in 2 bits */
        in->r3 = (uint8_t)bits(s, 20, 2);
        in->imm = sext(
            bits(s, 36, 1) << 21 | bits(s, 22, 5) << 16 | bits(s, 27, 9) << 7 | bits(s, 13, 7), 22);
        break;
    case FMT_IMM21: /* imm21 = i:imm20a */
        in->imm = (int64_t)(bits(s, 36, 1) << 20 | bits(s, 6, 20));
        break;
    case FMT_X1: /* imm62 = imm41:i:imm20a (as GNU as and objdump place them) */
        in->imm = (int64_t)(bits(l, 0, 41) << 21 | bits(s, 36, 1) << 20 | bits(s, 6, 20));
        break;
    case FMT_X2: /* imm64 = i:imm41:ic:imm5c:imm9d:imm7b */
        in->imm = (int64_t)(bits(s, 36, 1) << 63 | bits(l, 0, 41) << 22 | bits(s, 21, 1) << 21 |
                            bits(s, 22, 5) << 16 | bits(s, 27, 9) << 7 | bits(s, 13, 7));
        break;
    }
}

static void decode_slot(struct ia64_insn *in, enum ia64_unit u, uint64_t s, uint64_t l)
{
    memset(in, 0, sizeof(*in));
    in->raw = s;
    in->form = IA64_UNSUPPORTED;
    in->qp = (uint8_t)bits(s, 0, 6);
    for (unsigned f = 0; f < IA64_NFORMS; f++)
        if (unit_ok(ia64_forms[f].unit, u) && (s & ia64_forms[f].mask) == ia64_forms[f].match) {
            in->form = (uint16_t)f;
            fields(in, s, l);
            if (ia64_forms[f].mnemonic[0] == '!')
                in->qp = 0; /* not predicated */
            return;
        }
}

void ia64_decode_bundle(const uint8_t bytes[16], struct ia64_bundle *b)
{
    uint64_t lo = 0, hi = 0;
    for (int i = 0; i < 8; i++) {
        lo |= (uint64_t)bytes[i] << (8 * i);
        hi |= (uint64_t)bytes[8 + i] << (8 * i);
    }
    memset(b, 0, sizeof(*b));
    b->tmpl = (uint8_t)(lo & 31);
    b->slot[0] = (lo >> 5) & ((1ull << 41) - 1);
    b->slot[1] = (lo >> 46 | hi << 18) & ((1ull << 41) - 1);
    b->slot[2] = hi >> 23;
    ia64_template(b->tmpl, b->unit, &b->stop, &b->reserved);
    for (int i = 0; i < 3; i++) {
        if (b->reserved || b->unit[i] == U_L) {
            b->insn[i].form = IA64_UNSUPPORTED;
            b->insn[i].raw = b->slot[i];
            continue;
        }
        decode_slot(&b->insn[i], (enum ia64_unit)b->unit[i], b->slot[i], b->slot[1]);
    }
}

bool ia64_forms_overlap(const struct ia64_form_info *x, const struct ia64_form_info *y)
{
    bool units = x->unit == y->unit || (x->unit == U_A && (y->unit == U_M || y->unit == U_I)) ||
                 (y->unit == U_A && (x->unit == U_M || x->unit == U_I));
    /* Both match some slot iff they agree on the bits both fix. */
    uint64_t common = x->mask & y->mask;
    return units && (x->match & common) == (y->match & common);
}

unsigned ia64_table_overlaps(FILE *f)
{
    unsigned n = 0;
    for (unsigned a = 0; a < IA64_NFORMS; a++)
        for (unsigned c = a + 1; c < IA64_NFORMS; c++)
            if (ia64_forms_overlap(&ia64_forms[a], &ia64_forms[c])) {
                n++;
                if (f)
                    fprintf(f, "overlap: %s (row %u) and %s (row %u)\n", ia64_forms[a].mnemonic, a,
                            ia64_forms[c].mnemonic, c);
            }
    return n;
}
