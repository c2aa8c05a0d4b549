/*
 * exec.c - the mnemonic -> semantics table, operand access and the
 * one-instruction step (see exec.h).  Hot: x86_execute and the operand
 * helpers run for every instruction.
 */
#include "model/cpu/x86/exec_impl.h"
#include "model/vmcs/pf_filter.h"

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
    static const char *const names[] = {"#DE", "#DB", "NMI",  "#BP", "#OF", "#BR", "#UD",
                                        "#NM", "#DF", "#CSO", "#TS", "#NP", "#SS", "#GP",
                                        "#PF", "#15", "#MF",  "#AC", "#MC", "#XM"};
    return vector < sizeof(names) / sizeof(names[0]) ? names[vector] : "interrupt";
}

enum x86_outcome ia32_fault(struct xctx *x, unsigned vector, bool has_error, uint32_t error,
                            const char *why)
{
    struct x86_fault *f = &x->res->fault;
    f->vector = (uint8_t)vector;
    f->kind = X86_EV_FAULT;
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

/* The physical address of lin, through the walker when CR0.PG is set; a
 * page fault sets CR2 (Vol. 3A 4.7). */
static enum x86_outcome xlate(struct xctx *x, uint32_t lin, unsigned acc, uint64_t *pa)
{
    uint32_t pfec;
    unsigned c;
    int rc = x86_translate(x->mem->mmu, x->st, lin, acc, pa, &pfec, &c);
    x->res->stall += c;
    if (rc == 0)
        return X86_X_OK;
    if (rc < 0)
        return outside(x, "page walk for", lin, 4);
    char why[64];
    x->st->cr2 = lin;
    snprintf(why, sizeof(why), "page fault at 0x%08x, error code 0x%x", lin, pfec);
    return ia32_fault(x, X86_VEC_PF, true, pfec, why);
}

/* An access that crosses a page boundary with paging on: both pages are
 * translated before any byte moves, then the bytes go one by one. */
static enum x86_outcome split(struct xctx *x, uint32_t lin, unsigned size, uint32_t *v,
                              unsigned acc)
{
    uint64_t pa[2];
    uint32_t second = (lin | 0xFFFu) + 1;
    enum x86_outcome o = xlate(x, lin, acc, &pa[0]);
    if (o == X86_X_OK)
        o = xlate(x, second, acc, &pa[1]);
    if (o != X86_X_OK)
        return o;
    uint32_t val = acc & X86_ACC_W ? *v : 0;
    for (unsigned i = 0; i < size; i++) {
        uint64_t a = lin + i < second ? pa[0] + i : pa[1] + (lin + i - second);
        uint32_t b = val >> (8 * i) & 0xFF;
        int rc = acc & X86_ACC_W ? x->mem->write(x->mem->ctx, a, 1, b, &x->res->stall)
                                 : x->mem->read(x->mem->ctx, a, 1, &b, &x->res->stall);
        if (rc != 0)
            return outside(x, acc & X86_ACC_W ? "write" : "read", a, 1);
        if (!(acc & X86_ACC_W))
            *v |= (b & 0xFF) << (8 * i);
    }
    return X86_X_OK;
}

static bool crosses(const struct x86_state *st, uint32_t lin, unsigned size)
{
    return (st->cr0 & X86_CR0_PG) && (lin & 0xFFFu) + size > 0x1000u;
}

enum x86_outcome ia32_lin_read(struct xctx *x, uint32_t lin, unsigned size, uint32_t *v, bool user)
{
    uint64_t pa = lin;
    unsigned acc = user ? X86_ACC_U : 0;
    if (__builtin_expect(crosses(x->st, lin, size), 0)) {
        *v = 0;
        return split(x, lin, size, v, acc);
    }
    if (x->st->cr0 & X86_CR0_PG) {
        enum x86_outcome o = xlate(x, lin, acc, &pa);
        if (o != X86_X_OK)
            return o;
    }
    if (x->mem->read(x->mem->ctx, pa, size, v, &x->res->stall) != 0)
        return outside(x, "read", pa, size);
    return X86_X_OK;
}

/*
 * Seed 002's fault-filtering criteria (Figs. 7-8, model/vmcs/pf_filter.h):
 * in VMX non-root operation, a write that faults only because its page is
 * read-only may complete with no fault and no exit when it lands on a PTE
 * of the guest's self-map at PTBASE and the rule allows the new value.
 * The processor checks the self-map entry ([0074]) and reads the old
 * entry through the caches, as hardware doing this would.  True when the
 * write was done.
 */
static bool filtered_write(struct xctx *x, uint32_t lin, unsigned size, uint32_t v, uint32_t pfec)
{
    const struct x86_state *st = x->st;
    if (!st->vmx.guest || st->vmx.pf_criteria == PF_CRITERIA_OFF ||
        (pfec & (X86_PF_P | X86_PF_W | X86_PF_RSVD)) != (X86_PF_P | X86_PF_W) || size != 4 ||
        (lin & 3) || !pf_is_pte_address(st->vmx.pf_ptbase, lin))
        return false;
    int64_t pde_pa = pf_self_map_pde_addr(st->cr3, st->vmx.pf_ptbase);
    uint32_t pde, old, f;
    uint64_t pa;
    unsigned c = 0;
    if (pde_pa < 0 || x->mem->read(x->mem->ctx, (uint64_t)pde_pa, 4, &pde, &x->res->stall) != 0 ||
        !pf_self_map_ok(st->cr3, pde))
        return false;
    /* The entry is present and readable: the fault was the write. */
    int rc = x86_translate(x->mem->mmu, st, lin, pfec & X86_PF_U ? X86_ACC_U : 0, &pa, &f, &c);
    x->res->stall += c;
    if (rc != 0 || x->mem->read(x->mem->ctx, pa, 4, &old, &x->res->stall) != 0 ||
        !pf_criteria_allow(st->vmx.pf_criteria, st->vmx.pf_ptbase, lin, size, old, v) ||
        x->mem->write(x->mem->ctx, pa, 4, v, &x->res->stall) != 0)
        return false;
    x->res->pte_filtered++;
    return true;
}

enum x86_outcome ia32_lin_write(struct xctx *x, uint32_t lin, unsigned size, uint32_t v, bool user)
{
    uint64_t pa = lin;
    unsigned acc = X86_ACC_W | (user ? X86_ACC_U : 0);
    v &= x86_mask(size);
    if (__builtin_expect(crosses(x->st, lin, size), 0))
        return split(x, lin, size, &v, acc);
    if (x->st->cr0 & X86_CR0_PG) {
        uint32_t cr2 = x->st->cr2;
        enum x86_outcome o = xlate(x, lin, acc, &pa);
        if (o == X86_X_FAULT && x->res->fault.vector == X86_VEC_PF &&
            filtered_write(x, lin, size, v, x->res->fault.error)) {
            x->st->cr2 = cr2; /* no fault happened */
            x->res->fault = (struct x86_fault){0};
            x->res->reason[0] = '\0';
            return X86_X_OK;
        }
        if (o != X86_X_OK)
            return o;
    }
    if (x->mem->write(x->mem->ctx, pa, size, v, &x->res->stall) != 0)
        return outside(x, "write", pa, size);
    return X86_X_OK;
}

enum x86_outcome ia32_flush_pa(struct xctx *x, unsigned seg, uint32_t off, uint64_t *pa)
{
    enum x86_outcome o = ia32_seg_check(x, seg, off, 1, false);
    if (o != X86_X_OK)
        return o;
    uint32_t lin = x->st->seg[seg].base + off;
    *pa = lin;
    if (x->st->cr0 & X86_CR0_PG)
        return xlate(x, lin, x->st->cpl == 3 ? X86_ACC_U : 0, pa);
    return X86_X_OK;
}

enum x86_outcome ia32_load(struct xctx *x, unsigned seg, uint32_t off, unsigned size, uint32_t *v)
{
    enum x86_outcome o = ia32_seg_check(x, seg, off, size, false);
    if (o != X86_X_OK)
        return o;
    return ia32_lin_read(x, x->st->seg[seg].base + off, size, v, x->st->cpl == 3);
}

enum x86_outcome ia32_store(struct xctx *x, unsigned seg, uint32_t off, unsigned size, uint32_t v)
{
    enum x86_outcome o = ia32_seg_check(x, seg, off, size, true);
    if (o != X86_X_OK)
        return o;
    return ia32_lin_write(x, x->st->seg[seg].base + off, size, v, x->st->cpl == 3);
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
    case X86_OP_SREG:
        return ia32_load_sreg(x, o->reg, (uint16_t)v);
    default:
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
    /* Traps (int n, int3, into, int1) complete: the frame saves the next
     * EIP (Vol. 3A 6.5). */
    if ((o == X86_X_OK || o == X86_X_HALT ||
         (o == X86_X_FAULT && res->fault.kind != X86_EV_FAULT)) &&
        !x.again) {
        st->eip = x.next;
        res->retired = true;
    }
}
