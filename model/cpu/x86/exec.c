/*
 * exec.c - the mnemonic -> semantics table, operand access and the
 * one-instruction step (see exec.h).  Hot: x86_execute and the operand
 * helpers run for every instruction.
 */
#include "model/cpu/x86/exec_impl.h"

#include <string.h>

#include <Zydis/Zydis.h>

struct row {
    uint16_t mnemonic;
    x86_fn fn;
    unsigned arg;
};

/* Row 0 is "none" so that a zeroed x86_insn executes as #UD. */
static const struct row rows[] = {
    {0, NULL, 0},
#define INSN(m, f, a) {ZYDIS_MNEMONIC_##m, f, a},
#include "model/cpu/x86/insns.def"
#undef INSN
};
#define NROWS (sizeof(rows) / sizeof(rows[0]))

void x86_bind(struct x86_insn *in)
{
    in->row = 0;
    if (!in->mnemonic)
        return;
    for (unsigned i = 1; i < NROWS; i++) {
        if (rows[i].mnemonic == in->mnemonic) {
            in->row = (uint16_t)i;
            return;
        }
    }
}

unsigned x86_table_duplicate(void)
{
    for (unsigned i = 1; i < NROWS; i++)
        for (unsigned j = i + 1; j < NROWS; j++)
            if (rows[i].mnemonic == rows[j].mnemonic)
                return rows[j].mnemonic;
    return 0;
}

const char *x86_vector_name(unsigned vector)
{
    static const char *const names[] = {"#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD",
                                        "#NM", "#DF", "#MF", "#TS", "#NP", "#SS", "#GP",
                                        "#PF", "#15", "#MF", "#AC", "#MC", "#XM"};
    return vector < sizeof(names) / sizeof(names[0]) ? names[vector] : "#?";
}

enum x86_outcome ia32_fault(struct xctx *x, unsigned vector, bool has_error, uint32_t error,
                            const char *why)
{
    struct x86_fault *f = &x->res->fault;
    f->vector = (uint8_t)vector;
    f->has_error = has_error;
    f->error = error;
    snprintf(x->res->reason, sizeof(x->res->reason), "%s: %s", x86_vector_name(vector), why);
    return X86_X_FAULT;
}

uint32_t ia32_ea(const struct xctx *x, const struct x86_op *o)
{
    uint32_t a = o->imm;
    if (o->base != X86_NO_REG)
        a += x->st->gpr[o->base];
    if (o->index != X86_NO_REG)
        a += x->st->gpr[o->index] * o->scale;
    return x->in->adsize == 2 ? a & 0xFFFF : a;
}

static enum x86_outcome outside(struct xctx *x, const char *what, uint64_t a, unsigned size)
{
    snprintf(x->res->reason, sizeof(x->res->reason), "%s of %u bytes at 0x%08llx: outside memory",
             what, size, (unsigned long long)a);
    return X86_X_MEMORY;
}

enum x86_outcome ia32_load(struct xctx *x, unsigned seg, uint32_t off, unsigned size, uint32_t *v)
{
    uint32_t lin = x->st->seg[seg].base + off;
    if (x->mem->read(x->mem->ctx, lin, size, v, &x->res->stall) != 0)
        return outside(x, "read", lin, size);
    return X86_X_OK;
}

enum x86_outcome ia32_store(struct xctx *x, unsigned seg, uint32_t off, unsigned size, uint32_t v)
{
    uint32_t lin = x->st->seg[seg].base + off;
    if (x->mem->write(x->mem->ctx, lin, size, v & x86_mask(size), &x->res->stall) != 0)
        return outside(x, "write", lin, size);
    return X86_X_OK;
}

static enum x86_outcome bad_operand(struct xctx *x, unsigned i)
{
    char why[64];
    snprintf(why, sizeof(why), "operand %u of %s is not supported", i,
             x86_mnemonic_name(x->in->mnemonic));
    return ia32_fault(x, X86_VEC_UD, false, 0, why);
}

enum x86_outcome ia32_get(struct xctx *x, unsigned i, unsigned size, uint32_t *v)
{
    const struct x86_op *o = &x->in->op[i];
    if (!size)
        size = o->size;
    switch (o->kind) {
    case X86_OP_REG:
        *v = ia32_getreg(x->st, o->reg, size, o->hi);
        return X86_X_OK;
    case X86_OP_IMM:
    case X86_OP_REL:
        *v = o->imm & x86_mask(size);
        return X86_X_OK;
    case X86_OP_MEM:
        return ia32_load(x, o->seg, ia32_ea(x, o), size, v);
    case X86_OP_SREG:
        *v = x->st->seg[o->reg].sel;
        return X86_X_OK;
    default:
        return bad_operand(x, i);
    }
}

enum x86_outcome ia32_put(struct xctx *x, unsigned i, unsigned size, uint32_t v)
{
    const struct x86_op *o = &x->in->op[i];
    if (!size)
        size = o->size;
    switch (o->kind) {
    case X86_OP_REG:
        ia32_setreg(x->st, o->reg, size, o->hi, v);
        return X86_X_OK;
    case X86_OP_MEM:
        return ia32_store(x, o->seg, ia32_ea(x, o), size, v);
    default:
        /* Segment register loads read descriptors: not modelled yet. */
        return bad_operand(x, i);
    }
}

enum x86_outcome ia32_push(struct xctx *x, unsigned size, uint32_t v)
{
    uint32_t sp = x->st->gpr[X86_ESP] - size;
    enum x86_outcome o = ia32_store(x, X86_SS, sp, size, v);
    if (o == X86_X_OK)
        x->st->gpr[X86_ESP] = sp;
    return o;
}

enum x86_outcome ia32_pop(struct xctx *x, unsigned size, uint32_t *v)
{
    enum x86_outcome o = ia32_load(x, X86_SS, x->st->gpr[X86_ESP], size, v);
    if (o == X86_X_OK)
        x->st->gpr[X86_ESP] += size;
    return o;
}

void ia32_branch(struct xctx *x, enum br_kind kind, bool taken, uint32_t target)
{
    x->res->branch = true;
    x->res->branch_kind = kind;
    x->res->taken = taken;
    x->res->target = target;
    if (taken)
        x->next = target;
}

void x86_execute(struct x86_state *st, const struct x86_insn *in, const struct x86_mem *mem,
                 struct x86_exec_result *res)
{
    memset(res, 0, sizeof(*res));
    struct xctx x = {.st = st, .in = in, .mem = mem, .res = res, .next = st->eip + in->len};
    enum x86_outcome o;
    if (!in->row || in->row >= NROWS) {
        char why[64];
        snprintf(why, sizeof(why), "unsupported instruction '%s'",
                 in->mnemonic ? x86_mnemonic_name(in->mnemonic) : "(invalid encoding)");
        o = ia32_fault(&x, X86_VEC_UD, false, 0, why);
    } else {
        o = rows[in->row].fn(&x, rows[in->row].arg);
    }
    res->outcome = o;
    if ((o == X86_X_OK || o == X86_X_HALT) && !x.again) {
        st->eip = x.next;
        res->retired = true;
    }
}
