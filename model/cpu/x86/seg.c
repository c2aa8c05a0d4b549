/*
 * seg.c - protected-mode segmentation: the type and limit check of every
 * access, descriptor reads from the GDT and LDT, segment-register loads
 * with their checks, and the descriptor-table instructions (lgdt, lidt,
 * lldt, ltr, sgdt, sidt, sldt, str).  Intel SDM Vol. 3A chapters 3 and 5,
 * Vol. 2 pages of MOV, POP, LGDT ... STR.
 *
 * Hot: ia32_seg_ok() on every data access; the rest runs on loads.
 * Error codes of selector faults are the selector with RPL cleared (Vol.
 * 3A 6.13: index, TI, IDT = 0, EXT = 0 for faults of the instruction).
 */
#include "model/cpu/x86/exec_impl.h"

/* Descriptor bits (Vol. 3A 3.4.5, Figure 3-8) in the high dword. */
#define D_TYPE(hi) (((hi) >> 8) & 0xFu)
#define D_S        (1u << 12)
#define D_DPL(hi)  (((hi) >> 13) & 3u)
#define D_P        (1u << 15)
#define T_CODE     0x8u
#define T_CONF     0x4u /* code: conforming */
#define T_EXPDOWN  0x4u /* data: expand-down */
#define T_RW       0x2u /* code: readable; data: writable */
#define T_ACCESSED 0x1u

bool ia32_seg_ok(const struct x86_seg *s, uint32_t off, unsigned size, bool write)
{
    uint32_t ar = s->attr, type = ar & X86_AR_TYPE;
    if (ar & X86_AR_UNUSABLE)
        return false;
    /* Code is never writable and readable only when R is set; data is
     * always readable and writable only when W is set (Vol. 3A 5.4). */
    if (type & T_CODE) {
        if (write || !(type & T_RW))
            return false;
    } else if (write && !(type & T_RW)) {
        return false;
    }
    uint64_t end = (uint64_t)off + size - 1;
    if (!(type & T_CODE) && (type & T_EXPDOWN)) {
        /* Expand-down: valid offsets are limit + 1 .. 0xFFFF or
         * 0xFFFFFFFF by the B flag (Vol. 3A 5.3). */
        uint64_t top = ar & X86_AR_DB ? 0xFFFFFFFFu : 0xFFFFu;
        return off > s->limit && end <= top;
    }
    return end <= s->limit;
}

enum x86_outcome ia32_seg_check(struct xctx *x, unsigned seg, uint32_t off, unsigned size,
                                bool write)
{
    if (__builtin_expect(ia32_seg_ok(&x->st->seg[seg], off, size, write), 1))
        return X86_X_OK;
    /* Stack-segment violations raise #SS(0), the others #GP(0) (Vol. 3A
     * 6.15, interrupts 12 and 13). */
    return ia32_fault(x, seg == X86_SS ? X86_VEC_SS : X86_VEC_GP, true, 0,
                      write ? "write outside the segment's limit or rights"
                            : "read outside the segment's limit or rights");
}

void ia32_desc_hidden(uint32_t lo, uint32_t hi, uint16_t sel, struct x86_seg *s)
{
    s->sel = sel;
    s->base = lo >> 16 | (hi & 0xFFu) << 16 | (hi & 0xFF000000u);
    uint32_t limit = (lo & 0xFFFFu) | (hi & 0xF0000u);
    s->attr = (hi >> 8 & 0xFFu) | (hi >> 8 & 0xF000u);
    s->limit = s->attr & X86_AR_G ? limit << 12 | 0xFFFu : limit;
}

enum x86_outcome ia32_desc_read(struct xctx *x, uint16_t sel, uint32_t *lo, uint32_t *hi,
                                bool *beyond)
{
    const struct x86_state *st = x->st;
    uint32_t base, limit, idx = sel & 0xFFF8u;
    if (sel & 4) {
        if (st->ldtr.attr & X86_AR_UNUSABLE) {
            *beyond = true;
            return X86_X_OK;
        }
        base = st->ldtr.base;
        limit = st->ldtr.limit;
    } else {
        base = st->gdtr.base;
        limit = st->gdtr.limit;
    }
    *beyond = idx + 7 > limit;
    if (*beyond)
        return X86_X_OK;
    /* Descriptor tables are read with supervisor rights whatever the CPL
     * (Vol. 3A 5.1, implicit supervisor-mode accesses). */
    enum x86_outcome o = ia32_lin_read(x, base + idx, 4, lo, false);
    return o == X86_X_OK ? ia32_lin_read(x, base + idx + 4, 4, hi, false) : o;
}

enum x86_outcome ia32_desc_touch(struct xctx *x, uint16_t sel, uint32_t hi)
{
    /* The processor sets the accessed bit of a segment descriptor it
     * loads (Vol. 3A 3.4.5.1). */
    if (hi & (T_ACCESSED << 8))
        return X86_X_OK;
    uint32_t base = sel & 4 ? x->st->ldtr.base : x->st->gdtr.base;
    return ia32_lin_write(x, base + (sel & 0xFFF8u) + 5, 1, (hi >> 8 | T_ACCESSED) & 0xFF, false);
}

static enum x86_outcome sel_fault(struct xctx *x, unsigned vec, uint16_t sel, const char *why)
{
    return ia32_fault(x, vec, true, sel & 0xFFFCu, why);
}

/* Load SS (Vol. 2B MOV, "IF SS is loaded"). */
static enum x86_outcome load_ss(struct xctx *x, uint16_t sel)
{
    struct x86_state *st = x->st;
    uint32_t lo, hi;
    bool beyond;
    if (!(sel & 0xFFFCu))
        return ia32_fault(x, X86_VEC_GP, true, 0, "ss loaded with a null selector");
    if ((sel & 3) != st->cpl)
        return sel_fault(x, X86_VEC_GP, sel, "ss selector's RPL is not the CPL");
    enum x86_outcome o = ia32_desc_read(x, sel, &lo, &hi, &beyond);
    if (o != X86_X_OK)
        return o;
    if (beyond)
        return sel_fault(x, X86_VEC_GP, sel, "ss selector beyond the table limit");
    unsigned t = D_TYPE(hi);
    if (!(hi & D_S) || (t & T_CODE) || !(t & T_RW) || D_DPL(hi) != st->cpl)
        return sel_fault(x, X86_VEC_GP, sel, "ss needs a writable data segment at the CPL");
    if (!(hi & D_P))
        return sel_fault(x, X86_VEC_SS, sel, "ss segment not present");
    o = ia32_desc_touch(x, sel, hi);
    if (o != X86_X_OK)
        return o;
    ia32_desc_hidden(lo, hi | T_ACCESSED << 8, sel, &st->seg[X86_SS]);
    /* Interrupts wait one instruction so that the ESP load that follows
     * completes the switch (Vol. 2B MOV). */
    st->shadow = true;
    return X86_X_OK;
}

enum x86_outcome ia32_load_sreg(struct xctx *x, unsigned sreg, uint16_t sel)
{
    struct x86_state *st = x->st;
    if (sreg == X86_CS)
        return ia32_fault(x, X86_VEC_UD, false, 0, "cs cannot be loaded by mov or pop");
    if (sreg == X86_SS)
        return load_ss(x, sel);
    struct x86_seg *s = &st->seg[sreg];
    if (!(sel & 0xFFFCu)) {
        /* A null selector makes the register unusable; an access through
         * it raises #GP(0) (Vol. 3A 3.4.2). */
        s->sel = sel;
        s->base = 0;
        s->limit = 0;
        s->attr = X86_AR_UNUSABLE;
        return X86_X_OK;
    }
    uint32_t lo, hi;
    bool beyond;
    enum x86_outcome o = ia32_desc_read(x, sel, &lo, &hi, &beyond);
    if (o != X86_X_OK)
        return o;
    if (beyond)
        return sel_fault(x, X86_VEC_GP, sel, "selector beyond the table limit");
    unsigned t = D_TYPE(hi), dpl = D_DPL(hi);
    if (!(hi & D_S) || (t & (T_CODE | T_RW)) == T_CODE)
        return sel_fault(x, X86_VEC_GP, sel, "not a data or readable code segment");
    /* Data and non-conforming code need RPL <= DPL and CPL <= DPL. */
    if ((!(t & T_CODE) || !(t & T_CONF)) && ((sel & 3u) > dpl || st->cpl > dpl))
        return sel_fault(x, X86_VEC_GP, sel, "segment more privileged than RPL or CPL");
    if (!(hi & D_P))
        return sel_fault(x, X86_VEC_NP, sel, "segment not present");
    o = ia32_desc_touch(x, sel, hi);
    if (o != X86_X_OK)
        return o;
    ia32_desc_hidden(lo, hi | T_ACCESSED << 8, sel, s);
    return X86_X_OK;
}

enum x86_outcome ia32_check_code(struct xctx *x, uint16_t sel, uint32_t *lo, uint32_t *hi,
                                 unsigned max_dpl_conf, uint32_t ext)
{
    bool beyond;
    if (!(sel & 0xFFFCu))
        return ia32_fault(x, X86_VEC_GP, true, ext, "null code selector");
    enum x86_outcome o = ia32_desc_read(x, sel, lo, hi, &beyond);
    if (o != X86_X_OK)
        return o;
    if (beyond)
        return ia32_fault(x, X86_VEC_GP, true, (sel & 0xFFFCu) | ext,
                          "code selector beyond the table limit");
    if (!(*hi & D_S) || !(D_TYPE(*hi) & T_CODE))
        return ia32_fault(x, X86_VEC_GP, true, (sel & 0xFFFCu) | ext,
                          "not a code segment (call gates and task switches are not modelled)");
    if (D_DPL(*hi) > max_dpl_conf)
        return ia32_fault(x, X86_VEC_GP, true, (sel & 0xFFFCu) | ext, "code segment DPL too high");
    if (!(*hi & D_P))
        return ia32_fault(x, X86_VEC_NP, true, (sel & 0xFFFCu) | ext, "code segment not present");
    return X86_X_OK;
}

/* ---- the descriptor-table instructions ---- */

static enum x86_outcome need_cpl0(struct xctx *x, const char *what)
{
    return x->st->cpl ? ia32_fault(x, X86_VEC_GP, true, 0, what) : X86_X_OK;
}

/* LGDT/LIDT m16&32: the 16-bit limit, then the 32-bit base (with a 16-bit
 * operand size only 24 bits of it, Vol. 2A LGDT). */
enum x86_outcome ia32_lgdt(struct xctx *x, unsigned idt)
{
    const struct x86_op *op = &x->in->op[0];
    uint32_t limit, base;
    enum x86_outcome o = need_cpl0(x, "lgdt/lidt above CPL 0");
    if (o != X86_X_OK)
        return o;
    if (op->kind != X86_OP_MEM)
        return ia32_fault(x, X86_VEC_UD, false, 0, "lgdt/lidt with a register operand");
    uint32_t ea = ia32_ea(x, op);
    o = ia32_load(x, op->seg, ea, 2, &limit);
    if (o == X86_X_OK)
        o = ia32_load(x, op->seg, ea + 2, 4, &base);
    if (o != X86_X_OK)
        return o;
    if (x->in->opsize == 2)
        base &= 0xFFFFFFu;
    struct x86_dtr *d = idt ? &x->st->idtr : &x->st->gdtr;
    d->base = base;
    d->limit = (uint16_t)limit;
    return X86_X_OK;
}

enum x86_outcome ia32_sgdt(struct xctx *x, unsigned idt)
{
    const struct x86_op *op = &x->in->op[0];
    const struct x86_dtr *d = idt ? &x->st->idtr : &x->st->gdtr;
    if (op->kind != X86_OP_MEM)
        return ia32_fault(x, X86_VEC_UD, false, 0, "sgdt/sidt with a register operand");
    uint32_t ea = ia32_ea(x, op);
    enum x86_outcome o = ia32_store(x, op->seg, ea, 2, d->limit);
    return o == X86_X_OK ? ia32_store(x, op->seg, ea + 2, 4, d->base) : o;
}

/* LLDT (Vol. 2A LLDT): a null selector leaves LDTR unusable; otherwise an
 * LDT descriptor (type 2) in the GDT. */
enum x86_outcome ia32_lldt(struct xctx *x, unsigned arg)
{
    (void)arg;
    uint32_t sel, lo, hi;
    bool beyond;
    enum x86_outcome o = need_cpl0(x, "lldt above CPL 0");
    if (o == X86_X_OK)
        o = ia32_get(x, 0, 2, &sel);
    if (o != X86_X_OK)
        return o;
    if (!(sel & 0xFFFCu)) {
        x->st->ldtr.sel = (uint16_t)sel;
        x->st->ldtr.attr = X86_AR_UNUSABLE;
        return X86_X_OK;
    }
    if (sel & 4)
        return sel_fault(x, X86_VEC_GP, (uint16_t)sel, "lldt selector points into the LDT");
    o = ia32_desc_read(x, (uint16_t)sel, &lo, &hi, &beyond);
    if (o != X86_X_OK)
        return o;
    if (beyond || (hi & D_S) || D_TYPE(hi) != 2)
        return sel_fault(x, X86_VEC_GP, (uint16_t)sel, "not an LDT descriptor");
    if (!(hi & D_P))
        return sel_fault(x, X86_VEC_NP, (uint16_t)sel, "LDT not present");
    ia32_desc_hidden(lo, hi, (uint16_t)sel, &x->st->ldtr);
    return X86_X_OK;
}

/* LTR (Vol. 2A LTR): an available 32-bit TSS (type 9) in the GDT, which
 * becomes busy (type 11) in memory too. */
enum x86_outcome ia32_ltr(struct xctx *x, unsigned arg)
{
    (void)arg;
    uint32_t sel, lo, hi;
    bool beyond;
    enum x86_outcome o = need_cpl0(x, "ltr above CPL 0");
    if (o == X86_X_OK)
        o = ia32_get(x, 0, 2, &sel);
    if (o != X86_X_OK)
        return o;
    if (!(sel & 0xFFFCu))
        return ia32_fault(x, X86_VEC_GP, true, 0, "ltr with a null selector");
    if (sel & 4)
        return sel_fault(x, X86_VEC_GP, (uint16_t)sel, "ltr selector points into the LDT");
    o = ia32_desc_read(x, (uint16_t)sel, &lo, &hi, &beyond);
    if (o != X86_X_OK)
        return o;
    if (beyond || (hi & D_S) || D_TYPE(hi) != 9)
        return sel_fault(x, X86_VEC_GP, (uint16_t)sel, "not an available 32-bit TSS");
    if (!(hi & D_P))
        return sel_fault(x, X86_VEC_NP, (uint16_t)sel, "TSS not present");
    hi |= 2u << 8; /* busy */
    o = ia32_lin_write(x, x->st->gdtr.base + (sel & 0xFFF8u) + 5, 1, hi >> 8 & 0xFF, false);
    if (o != X86_X_OK)
        return o;
    ia32_desc_hidden(lo, hi, (uint16_t)sel, &x->st->tr);
    return X86_X_OK;
}

/* SLDT/STR: the selector; a register destination takes it zero-extended
 * under a 32-bit operand size (Vol. 2B SLDT, STR), memory 16 bits. */
enum x86_outcome ia32_sldt(struct xctx *x, unsigned tr)
{
    uint16_t sel = tr ? x->st->tr.sel : x->st->ldtr.sel;
    const struct x86_op *op = &x->in->op[0];
    return ia32_put(x, 0, op->kind == X86_OP_MEM ? 2 : op->size, sel);
}
