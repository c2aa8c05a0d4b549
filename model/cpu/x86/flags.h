/*
 * flags.h - the integer results and status flags of the IA-32 arithmetic
 * instructions, computed eagerly at one operand width (1, 2 or 4 bytes).
 *
 * Each function returns the result truncated to the width and writes the
 * six status flags (X86_STATUS bits of state.h) to *fl; flags the SDM calls
 * "undefined" for an instruction get the one fixed value named in the
 * comment (so runs are deterministic; no test compares them), and callers keep
 * flags an instruction leaves "unaffected" themselves.  Definitions: Intel
 * SDM Vol. 1 3.4.3.1 (status flags) and the Vol. 2 instruction pages.
 *
 * Hot: every ALU instruction calls one of these.
 */
#ifndef VTSIM_MODEL_CPU_X86_FLAGS_H
#define VTSIM_MODEL_CPU_X86_FLAGS_H

#include <stdint.h>

/* Mask of a width in bytes, and its sign bit. */
static inline uint32_t x86_mask(unsigned size)
{
    return size >= 4 ? 0xFFFFFFFFu : (1u << (8 * size)) - 1;
}
static inline uint32_t x86_sign(unsigned size)
{
    return 1u << (8 * size - 1);
}

/* PF, ZF and SF of a result (Vol. 1 3.4.3.1): PF is set when the low byte
 * has an even number of 1 bits. */
uint32_t x86_flags_szp(uint32_t r, unsigned size);

/* a + b + cin (ADD, ADC; cin 0 or 1): CF carry out, OF signed overflow, AF
 * carry out of bit 3. */
uint32_t x86_add(uint32_t a, uint32_t b, unsigned cin, unsigned size, uint32_t *fl);

/* a - b - bin (SUB, SBB, CMP, NEG as 0 - b): CF borrow, OF signed
 * overflow, AF borrow from bit 4. */
uint32_t x86_sub(uint32_t a, uint32_t b, unsigned bin, unsigned size, uint32_t *fl);

/* AND, OR, XOR, TEST results: CF = OF = 0, AF undefined (0). */
uint32_t x86_logic(uint32_t r, unsigned size, uint32_t *fl);

/* Shifts by `count` (already masked to 5 bits by the caller, Vol. 2B
 * SAL/SAR/SHL/SHR): count 0 leaves every flag as `old`.  CF is the last
 * bit shifted out; OF is defined for count 1 (SHL: MSB(r) ^ CF, SHR: the
 * operand's MSB, SAR: 0) and given the same formula for larger counts; AF
 * undefined (0). */
uint32_t x86_shl(uint32_t a, unsigned count, unsigned size, uint32_t old, uint32_t *fl);
uint32_t x86_shr(uint32_t a, unsigned count, unsigned size, uint32_t old, uint32_t *fl);
uint32_t x86_sar(uint32_t a, unsigned count, unsigned size, uint32_t old, uint32_t *fl);

/* Rotates (Vol. 2B RCL/RCR/ROL/ROR): only CF and OF change, and not at all
 * when the masked count is 0.  OF is defined for count 1 (ROL/RCL:
 * MSB(r) ^ CF; ROR/RCR: the two top bits of r xored) and given the same
 * formula for larger counts.  RCL/RCR rotate through CF (bit 0 of old). */
uint32_t x86_rol(uint32_t a, unsigned count, unsigned size, uint32_t old, uint32_t *fl);
uint32_t x86_ror(uint32_t a, unsigned count, unsigned size, uint32_t old, uint32_t *fl);
uint32_t x86_rcl(uint32_t a, unsigned count, unsigned size, uint32_t old, uint32_t *fl);
uint32_t x86_rcr(uint32_t a, unsigned count, unsigned size, uint32_t old, uint32_t *fl);

/* SHLD/SHRD dst, src, count (count masked to 5 bits; a count larger than
 * the width of a 16-bit operand is undefined and taken modulo 32 as for
 * 32-bit operands): CF the last bit shifted out of dst, OF as for SHL/SHR
 * (sign change), AF undefined (0). */
uint32_t x86_shld(uint32_t dst, uint32_t src, unsigned count, unsigned size, uint32_t old,
                  uint32_t *fl);
uint32_t x86_shrd(uint32_t dst, uint32_t src, unsigned count, unsigned size, uint32_t old,
                  uint32_t *fl);

/* The truncated product of a signed multiply (IMUL, Vol. 2A): CF = OF = 1
 * when the full product does not fit the width signed; SF, ZF, PF from the
 * truncated result and AF = 0 (undefined). */
uint32_t x86_imul(uint32_t a, uint32_t b, unsigned size, uint32_t *fl);

/* Flags of an unsigned multiply (MUL) whose upper half is `hi`: CF = OF =
 * (hi != 0); SF, ZF, PF from the low half and AF = 0 (undefined). */
uint32_t x86_mul_flags(uint32_t lo, uint32_t hi, unsigned size);

/* Condition tttn of Jcc/SETcc/CMOVcc (Vol. 2D Appendix B.1.4.7), 0-15:
 * O, NO, B, NB, Z, NZ, BE, NBE, S, NS, P, NP, L, NL, LE, NLE. */
int x86_cond(uint32_t eflags, unsigned cc);

#endif
