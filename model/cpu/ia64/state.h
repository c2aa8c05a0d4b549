/*
 * state.h - the architectural state of one IA-64 hart, apart from the
 * machinery that executes and times it.
 *
 * Registers: r0-r31 static with NaT bits; r32-r127 name the current frame
 * of the register stack: IA64_STACKED physical registers used as a ring,
 * the frame starting at index `bof` (CFM.sof says how many are visible),
 * the `ndirty` registers below it belonging to callers' frames not yet
 * stored to the backing store (rse.c; rotation is not modelled); p0-p63, b0-b7,
 * the application and control registers by number, PSR, CFM and the IP
 * with its slot (PSR.ri).
 */
#ifndef VTSIM_MODEL_CPU_IA64_STATE_H
#define VTSIM_MODEL_CPU_IA64_STATE_H

#include <stdbool.h>
#include <stdint.h>

#define IA64_STACKED 96 /* physical stacked registers of Itanium 2 (doc. 251110) */

struct ia64_state {
    uint64_t gr[32];
    bool nat[32];
    uint64_t stk[IA64_STACKED];
    bool stk_nat[IA64_STACKED];
    unsigned bof;      /* ring index of the current frame's r32 */
    unsigned ndirty;   /* registers below bof not yet in the backing store */
    uint64_t bank[16]; /* r16-r31 of the bank PSR.bn does not select */
    bool bank_nat[16];
    bool pr[64]; /* pr[0] is always true */
    uint64_t br[8];
    uint64_t ar[128];
    uint64_t cr[128];
    uint64_t rr[8];     /* region registers, selected by va{63:61} */
    uint64_t itc_delta; /* ar.itc minus the cycle count (writes to ar.itc) */
    uint64_t psr;
    uint64_t cfm;
    uint64_t ip; /* bundle address */
    unsigned ri; /* slot to execute next in the bundle */
};

/* Reset: everything zero, p0 true, IP at `entry`. */
void ia64_state_reset(struct ia64_state *st, uint64_t entry);

/* PSR bits (SDM Vol. 2 3.3.2; shared/reference ia64-facts 3). */
#define IA64_PSR_IC        (1ull << 13)
#define IA64_PSR_I         (1ull << 14)
#define IA64_PSR_DT        (1ull << 17)
#define IA64_PSR_SI        (1ull << 23)
#define IA64_PSR_RT        (1ull << 27)
#define IA64_PSR_CPL_SHIFT 32
#define IA64_PSR_IT        (1ull << 36)
#define IA64_PSR_DA        (1ull << 38)
#define IA64_PSR_DD        (1ull << 39)
#define IA64_PSR_SS        (1ull << 40)
#define IA64_PSR_RI_SHIFT  41
#define IA64_PSR_BN        (1ull << 44)
#define IA64_PSR_IA        (1ull << 45)
#define IA64_PSR_VM        (1ull << 46)

static inline unsigned ia64_cpl(const struct ia64_state *st)
{
    return (unsigned)(st->psr >> IA64_PSR_CPL_SHIFT) & 3;
}

/* Make bank b (0 or 1) the one r16-r31 name (PSR.bn). */
static inline void ia64_switch_bank(struct ia64_state *st, unsigned b)
{
    if (!!(st->psr & IA64_PSR_BN) == !!b)
        return;
    for (unsigned i = 0; i < 16; i++) {
        uint64_t v = st->gr[16 + i];
        bool n = st->nat[16 + i];
        st->gr[16 + i] = st->bank[i];
        st->nat[16 + i] = st->bank_nat[i];
        st->bank[i] = v;
        st->bank_nat[i] = n;
    }
    st->psr = b ? st->psr | IA64_PSR_BN : st->psr & ~IA64_PSR_BN;
}

static inline unsigned ia64_sof(const struct ia64_state *st)
{
    return (unsigned)(st->cfm & 0x7f);
}

static inline unsigned ia64_sol(const struct ia64_state *st)
{
    return (unsigned)((st->cfm >> 7) & 0x7f);
}

/* Storage of general register r in the current frame, or NULL when r is
 * beyond CFM.sof. */
static inline uint64_t *ia64_grp(struct ia64_state *st, unsigned r, bool **nat)
{
    r &= 127;
    if (r < 32) {
        *nat = &st->nat[r];
        return &st->gr[r];
    }
    if (r - 32 >= ia64_sof(st))
        return 0;
    unsigned i = (st->bof + r - 32) % IA64_STACKED;
    *nat = &st->stk_nat[i];
    return &st->stk[i];
}

/* The value of r (0 outside the current frame: reading there is an
 * illegal operation the executor does not raise yet). */
static inline uint64_t ia64_gr(struct ia64_state *st, unsigned r)
{
    bool *nat;
    uint64_t *p = ia64_grp(st, r, &nat);
    return p ? *p : 0;
}

static inline bool ia64_nat(struct ia64_state *st, unsigned r)
{
    bool *nat;
    return ia64_grp(st, r, &nat) ? *nat : false;
}

#endif
