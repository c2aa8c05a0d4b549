/*
 * decode.c - Zydis to the compact form (see decode.h).  Cold: runs on a
 * decode-cache miss only.
 */
#include "model/cpu/x86/decode.h"

#include <string.h>

#include <Zydis/Zydis.h>

#include "model/cpu/x86/state.h"

/* A Zydis register as a GPR number (with the high-byte flag), or -1. */
static int gpr(ZydisRegister r, bool *hi)
{
    ZydisRegisterClass c = ZydisRegisterGetClass(r);
    int id = ZydisRegisterGetId(r);
    *hi = false;
    if (c == ZYDIS_REGCLASS_GPR32 || c == ZYDIS_REGCLASS_GPR16)
        return id;
    if (c == ZYDIS_REGCLASS_GPR8) {
        /* Zydis numbers AL, CL, DL, BL, AH, CH, DH, BH as 0-7: the legacy
         * encoding of byte registers (Vol. 2A Table 2-2). */
        if (id >= 4 && id < 8) {
            *hi = true;
            return id - 4;
        }
        return id < 4 ? id : -1;
    }
    return -1;
}

static uint8_t mem_reg(ZydisRegister r)
{
    bool hi;
    int g = r == ZYDIS_REGISTER_NONE ? -1 : gpr(r, &hi);
    return g < 0 ? X86_NO_REG : (uint8_t)g;
}

static void convert(const ZydisDecodedOperand *z, struct x86_op *o)
{
    memset(o, 0, sizeof(*o));
    o->size = (uint8_t)(z->size / 8);
    o->base = o->index = X86_NO_REG;
    switch (z->type) {
    case ZYDIS_OPERAND_TYPE_REGISTER: {
        bool hi;
        int g = gpr(z->reg.value, &hi);
        if (g >= 0) {
            o->kind = X86_OP_REG;
            o->reg = (uint8_t)g;
            o->hi = hi;
        } else if (ZydisRegisterGetClass(z->reg.value) == ZYDIS_REGCLASS_SEGMENT) {
            o->kind = X86_OP_SREG;
            o->reg = (uint8_t)ZydisRegisterGetId(z->reg.value);
        } else if (ZydisRegisterGetClass(z->reg.value) == ZYDIS_REGCLASS_CONTROL) {
            o->kind = X86_OP_CR;
            o->reg = (uint8_t)ZydisRegisterGetId(z->reg.value);
        } else if (ZydisRegisterGetClass(z->reg.value) == ZYDIS_REGCLASS_DEBUG) {
            o->kind = X86_OP_DR;
            o->reg = (uint8_t)ZydisRegisterGetId(z->reg.value);
        } else {
            o->kind = X86_OP_OTHER;
        }
        return;
    }
    case ZYDIS_OPERAND_TYPE_MEMORY:
        o->kind = X86_OP_MEM;
        o->seg = z->mem.segment == ZYDIS_REGISTER_NONE
                     ? X86_DS
                     : (uint8_t)ZydisRegisterGetId(z->mem.segment);
        o->base = mem_reg(z->mem.base);
        o->index = mem_reg(z->mem.index);
        o->scale = z->mem.scale ? z->mem.scale : 1;
        o->imm = z->mem.disp.has_displacement ? (uint32_t)z->mem.disp.value : 0;
        /* Registers that are not GPRs (vector index, ...) are not modelled. */
        if ((z->mem.base != ZYDIS_REGISTER_NONE && o->base == X86_NO_REG) ||
            (z->mem.index != ZYDIS_REGISTER_NONE && o->index == X86_NO_REG))
            o->kind = X86_OP_OTHER;
        return;
    case ZYDIS_OPERAND_TYPE_POINTER:
        o->kind = X86_OP_PTR;
        o->sel = z->ptr.segment;
        o->imm = z->ptr.offset;
        return;
    case ZYDIS_OPERAND_TYPE_IMMEDIATE:
        o->kind = z->imm.is_relative ? X86_OP_REL : X86_OP_IMM;
        o->imm = (uint32_t)z->imm.value.u;
        return;
    default:
        o->kind = X86_OP_OTHER;
        return;
    }
}

int x86_decode(const uint8_t *bytes, unsigned n, struct x86_insn *in)
{
    ZydisDecoder dec;
    ZydisDecodedInstruction z;
    ZydisDecodedOperand ops[ZYDIS_MAX_OPERAND_COUNT];
    memset(in, 0, sizeof(*in));
    in->len = 1;
    if (!ZYAN_SUCCESS(ZydisDecoderInit(&dec, ZYDIS_MACHINE_MODE_LEGACY_32, ZYDIS_STACK_WIDTH_32)) ||
        !ZYAN_SUCCESS(
            ZydisDecoderDecodeFull(&dec, bytes, n > X86_MAX_LEN ? X86_MAX_LEN : n, &z, ops)))
        return -1;
    in->mnemonic = (uint16_t)z.mnemonic;
    in->len = z.length;
    in->opsize = (uint8_t)(z.operand_width / 8);
    in->adsize = (uint8_t)(z.address_width / 8);
    if (z.attributes & (ZYDIS_ATTRIB_HAS_REP | ZYDIS_ATTRIB_HAS_REPE))
        in->prefixes |= X86_PFX_REP;
    if (z.attributes & ZYDIS_ATTRIB_HAS_REPNE)
        in->prefixes |= X86_PFX_REPNE;
    if (z.attributes & ZYDIS_ATTRIB_HAS_LOCK)
        in->prefixes |= X86_PFX_LOCK;
    if (z.meta.branch_type == ZYDIS_BRANCH_TYPE_FAR)
        in->prefixes |= X86_PFX_FAR;
    in->seg = X86_DS;
    for (unsigned i = 0; i < z.operand_count; i++) {
        const ZydisDecodedOperand *o = &ops[i];
        /* The string instructions' source [esi] carries the override. */
        if (o->type == ZYDIS_OPERAND_TYPE_MEMORY &&
            (o->mem.base == ZYDIS_REGISTER_ESI || o->mem.base == ZYDIS_REGISTER_SI) &&
            o->mem.segment != ZYDIS_REGISTER_NONE)
            in->seg = (uint8_t)ZydisRegisterGetId(o->mem.segment);
        if (o->visibility == ZYDIS_OPERAND_VISIBILITY_HIDDEN || in->nops == 3)
            continue;
        convert(o, &in->op[in->nops++]);
    }
    return 0;
}

const char *x86_mnemonic_name(unsigned mnemonic)
{
    const char *s = ZydisMnemonicGetString((ZydisMnemonic)mnemonic);
    return s ? s : "?";
}
