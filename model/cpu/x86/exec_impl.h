/*
 * exec_impl.h - what the semantics files share: the execution context,
 * operand access and the handler signature.  Private to model/cpu/x86.
 */
#ifndef VTSIM_MODEL_CPU_X86_EXEC_IMPL_H
#define VTSIM_MODEL_CPU_X86_EXEC_IMPL_H

#include <stdio.h>

#include "model/cpu/bpred/bpred.h"
#include "model/cpu/x86/exec.h"
#include "model/cpu/x86/flags.h"

struct xctx {
    struct x86_state *st;
    const struct x86_insn *in;
    const struct x86_mem *mem;
    struct x86_exec_result *res;
    uint32_t next; /* EIP after this instruction; branches change it */
    bool again;    /* a REP iteration with more to do: EIP stays */
};

/* One semantics function per family; `arg` is the row's argument (which
 * operation of the family, a condition code, ...). */
typedef enum x86_outcome (*x86_fn)(struct xctx *x, unsigned arg);

/* Registers of any width; `hi` names AH-BH. */
static inline uint32_t ia32_getreg(const struct x86_state *st, unsigned r, unsigned size, bool hi)
{
    if (hi)
        return st->gpr[r] >> 8 & 0xFF;
    return st->gpr[r] & x86_mask(size);
}

static inline void ia32_setreg(struct x86_state *st, unsigned r, unsigned size, bool hi, uint32_t v)
{
    if (hi)
        st->gpr[r] = (st->gpr[r] & ~0xFF00u) | (v & 0xFF) << 8;
    else if (size >= 4)
        st->gpr[r] = v;
    else
        st->gpr[r] = (st->gpr[r] & ~x86_mask(size)) | (v & x86_mask(size));
}

/* Update the status flags in `mask` from fl, keeping the others. */
static inline void ia32_flags(struct x86_state *st, uint32_t fl, uint32_t mask)
{
    st->eflags = (st->eflags & ~mask) | (fl & mask);
}

/* exec.c: faults and operand access. */
enum x86_outcome ia32_fault(struct xctx *x, unsigned vector, bool has_error, uint32_t error,
                            const char *why);
uint32_t ia32_ea(const struct xctx *x, const struct x86_op *o);
/* Linear accesses (through paging when CR0.PG is set); `user` makes it a
 * user-mode access for the page rights (CPL 3, not an implicit supervisor
 * access to a descriptor table or TSS). */
enum x86_outcome ia32_lin_read(struct xctx *x, uint32_t lin, unsigned size, uint32_t *v, bool user);
enum x86_outcome ia32_lin_write(struct xctx *x, uint32_t lin, unsigned size, uint32_t v, bool user);
/* Segmented accesses: type and limit checked (seg.c), then linear. */
/* The physical address of the byte at seg:off, checked and translated as a
 * byte load would be (CLFLUSH, Vol. 2A), without accessing it. */
enum x86_outcome ia32_flush_pa(struct xctx *x, unsigned seg, uint32_t off, uint64_t *pa);
enum x86_outcome ia32_load(struct xctx *x, unsigned seg, uint32_t off, unsigned size, uint32_t *v);
enum x86_outcome ia32_store(struct xctx *x, unsigned seg, uint32_t off, unsigned size, uint32_t v);
/* Operand i of the instruction at width `size` (immediates are masked). */
enum x86_outcome ia32_get(struct xctx *x, unsigned i, unsigned size, uint32_t *v);
enum x86_outcome ia32_put(struct xctx *x, unsigned i, unsigned size, uint32_t v);
enum x86_outcome ia32_push(struct xctx *x, unsigned size, uint32_t v);
enum x86_outcome ia32_pop(struct xctx *x, unsigned size, uint32_t *v);
/* Record a resolved control transfer; taken ones continue at target. */
void ia32_branch(struct xctx *x, enum br_kind kind, bool taken, uint32_t target);

/* seg.c: whether an access of `size` bytes at `off` fits the segment's
 * type and limit; the same as a fault (#SS(0) for SS, else #GP(0)). */
bool ia32_seg_ok(const struct x86_seg *s, uint32_t off, unsigned size, bool write);
enum x86_outcome ia32_seg_check(struct xctx *x, unsigned seg, uint32_t off, unsigned size,
                                bool write);
/* The hidden part a descriptor (lo, hi) gives a register loaded with sel. */
void ia32_desc_hidden(uint32_t lo, uint32_t hi, uint16_t sel, struct x86_seg *s);
/* Read the descriptor of sel from the GDT or LDT; *beyond when the index
 * is outside the table (or the LDT is unusable): nothing was read. */
enum x86_outcome ia32_desc_read(struct xctx *x, uint16_t sel, uint32_t *lo, uint32_t *hi,
                                bool *beyond);
/* Set the accessed bit of the descriptor of sel (high dword hi) in memory. */
enum x86_outcome ia32_desc_touch(struct xctx *x, uint16_t sel, uint32_t hi);
/* Load DS, ES, FS, GS or SS with its checks (mov, pop); CS raises #UD. */
enum x86_outcome ia32_load_sreg(struct xctx *x, unsigned sreg, uint16_t sel);
/* Read and check the code segment of sel: present code with DPL <=
 * max_dpl; faults carry the selector with `ext` or'ed in. */
enum x86_outcome ia32_check_code(struct xctx *x, uint16_t sel, uint32_t *lo, uint32_t *hi,
                                 unsigned max_dpl, uint32_t ext);

/* The families (exec_alu.c, exec_bits.c, exec_move.c, exec_branch.c,
 * exec_string.c, exec_sys.c). */
enum x86_outcome ia32_alu2(struct xctx *x, unsigned op);
enum x86_outcome ia32_incdec(struct xctx *x, unsigned dec);
enum x86_outcome ia32_neg(struct xctx *x, unsigned arg);
enum x86_outcome ia32_not(struct xctx *x, unsigned arg);
enum x86_outcome ia32_mul(struct xctx *x, unsigned is_signed);
enum x86_outcome ia32_div(struct xctx *x, unsigned is_signed);
enum x86_outcome ia32_xadd(struct xctx *x, unsigned arg);
enum x86_outcome ia32_cmpxchg(struct xctx *x, unsigned arg);
enum x86_outcome ia32_cmpxchg8b(struct xctx *x, unsigned arg);
enum x86_outcome ia32_shift(struct xctx *x, unsigned op);
enum x86_outcome ia32_shxd(struct xctx *x, unsigned right);
enum x86_outcome ia32_bt(struct xctx *x, unsigned op);
enum x86_outcome ia32_bscan(struct xctx *x, unsigned reverse);
enum x86_outcome ia32_bswap(struct xctx *x, unsigned arg);
enum x86_outcome ia32_setcc(struct xctx *x, unsigned cc);
enum x86_outcome ia32_cmovcc(struct xctx *x, unsigned cc);
enum x86_outcome ia32_mov(struct xctx *x, unsigned arg);
enum x86_outcome ia32_movx(struct xctx *x, unsigned sign);
enum x86_outcome ia32_lea(struct xctx *x, unsigned arg);
enum x86_outcome ia32_xchg(struct xctx *x, unsigned arg);
enum x86_outcome ia32_widen(struct xctx *x, unsigned op);
enum x86_outcome ia32_flagop(struct xctx *x, unsigned op);
enum x86_outcome ia32_jmp(struct xctx *x, unsigned arg);
enum x86_outcome ia32_jcc(struct xctx *x, unsigned cc);
enum x86_outcome ia32_jcxz(struct xctx *x, unsigned arg);
enum x86_outcome ia32_loop(struct xctx *x, unsigned op);
enum x86_outcome ia32_call(struct xctx *x, unsigned arg);
enum x86_outcome ia32_ret(struct xctx *x, unsigned arg);
enum x86_outcome ia32_push_op(struct xctx *x, unsigned arg);
enum x86_outcome ia32_pop_op(struct xctx *x, unsigned arg);
enum x86_outcome ia32_pusha(struct xctx *x, unsigned arg);
enum x86_outcome ia32_popa(struct xctx *x, unsigned arg);
enum x86_outcome ia32_leave(struct xctx *x, unsigned arg);
enum x86_outcome ia32_string(struct xctx *x, unsigned op);
enum x86_outcome ia32_in(struct xctx *x, unsigned arg);
enum x86_outcome ia32_out(struct xctx *x, unsigned arg);
enum x86_outcome ia32_hlt(struct xctx *x, unsigned arg);
enum x86_outcome ia32_nop(struct xctx *x, unsigned arg);
enum x86_outcome ia32_cpuid(struct xctx *x, unsigned arg);
enum x86_outcome ia32_rdtsc(struct xctx *x, unsigned arg);
enum x86_outcome ia32_lgdt(struct xctx *x, unsigned idt);
enum x86_outcome ia32_sgdt(struct xctx *x, unsigned idt);
enum x86_outcome ia32_lldt(struct xctx *x, unsigned arg);
enum x86_outcome ia32_ltr(struct xctx *x, unsigned arg);
enum x86_outcome ia32_sldt(struct xctx *x, unsigned tr);
enum x86_outcome ia32_iret(struct xctx *x, unsigned arg);
enum x86_outcome ia32_int(struct xctx *x, unsigned kind);
enum x86_outcome ia32_movcr(struct xctx *x);
enum x86_outcome ia32_rdmsr(struct xctx *x, unsigned arg);
enum x86_outcome ia32_wrmsr(struct xctx *x, unsigned arg);
enum x86_outcome ia32_rdpmc(struct xctx *x, unsigned arg);
enum x86_outcome ia32_invlpg(struct xctx *x, unsigned arg);
enum x86_outcome ia32_cacheop(struct xctx *x, unsigned op);
enum x86_outcome ia32_clts(struct xctx *x, unsigned arg);
/* exec_far.c: far jmp, call and ret (rows of JMP, CALL, RET pass here
 * when the decoder marked them far). */
enum x86_outcome ia32_jmp_far(struct xctx *x, bool call);
enum x86_outcome ia32_ret_far(struct xctx *x, uint32_t release);
/* exec_sys.c: whether the port range may be accessed (IOPL, then the
 * TSS's I/O permission bitmap); a fault otherwise. */
enum x86_outcome ia32_io_check(struct xctx *x, uint16_t port, unsigned size);
/* exec_sys.c: in the guest, whether the access exits (X86_X_VMEXIT) or
 * proceeds (X86_X_OK); flags are IO_QUAL_* bits of the qualification. */
#define IO_QUAL_IN     (1u << 3)
#define IO_QUAL_STRING (1u << 4)
#define IO_QUAL_REP    (1u << 5)
#define IO_QUAL_IMM    (1u << 6)
enum x86_outcome ia32_io_exit(struct xctx *x, uint16_t port, unsigned size, unsigned flags);

/* vmx_insn.c: the VMX instructions (arg: which one) and VMCALL. */
enum x86_outcome ia32_vmx(struct xctx *x, unsigned op);
/* vmx_entry.c: VMLAUNCH/VMRESUME once the instruction's own checks have
 * passed: the entry checks and the guest-state load. */
enum x86_outcome ia32_vmentry(struct xctx *x, bool launch);
/* Leave the guest for the host: the instruction causes a VM exit with
 * `reason` and qualification `qual` (Vol. 3C 25.1.2, 25.1.3). */
static inline enum x86_outcome ia32_vmexit(struct xctx *x, uint32_t reason, uint32_t qual)
{
    x->res->exit = (struct x86_vmexit){.reason = reason, .qual = qual, .insn_len = x->in->len};
    return X86_X_VMEXIT;
}

/* Row arguments. */
enum {
    VMX_OP_VMXON,
    VMX_OP_VMXOFF,
    VMX_OP_VMCLEAR,
    VMX_OP_VMPTRLD,
    VMX_OP_VMPTRST,
    VMX_OP_VMREAD,
    VMX_OP_VMWRITE,
    VMX_OP_VMLAUNCH,
    VMX_OP_VMRESUME,
    VMX_OP_VMCALL
};
enum { ALU_ADD, ALU_OR, ALU_ADC, ALU_SBB, ALU_AND, ALU_SUB, ALU_XOR, ALU_CMP, ALU_TEST };
enum { SH_ROL, SH_ROR, SH_RCL, SH_RCR, SH_SHL, SH_SHR, SH_SAR };
enum { BT_TEST, BT_SET, BT_RESET, BT_COMPLEMENT };
enum { WIDEN_CBW, WIDEN_CWDE, WIDEN_CWD, WIDEN_CDQ };
enum {
    FL_CLC,
    FL_STC,
    FL_CMC,
    FL_CLD,
    FL_STD,
    FL_CLI,
    FL_STI,
    FL_LAHF,
    FL_SAHF,
    FL_PUSHF,
    FL_POPF
};
enum { LOOP_ALWAYS, LOOP_E, LOOP_NE };
enum { STR_MOVS, STR_STOS, STR_LODS, STR_CMPS, STR_SCAS, STR_INS, STR_OUTS };
enum { CACHE_WBINVD, CACHE_INVD, CACHE_CLFLUSH, CACHE_FENCE };

/* Condition codes (tttn, Vol. 2D B.1.4.7). */
enum {
    CC_O,
    CC_NO,
    CC_B,
    CC_NB,
    CC_Z,
    CC_NZ,
    CC_BE,
    CC_NBE,
    CC_S,
    CC_NS,
    CC_P,
    CC_NP,
    CC_L,
    CC_NL,
    CC_LE,
    CC_NLE
};

#endif
