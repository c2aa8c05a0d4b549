/*
 * branchy.c - the branchy, interpreter-like kernel: a bytecode
 * interpreter with 64 opcodes, each handler ending in its own indirect
 * jump to the next handler (threaded code, GNU C computed goto) and
 * holding a data-dependent conditional branch, so a program spreads over
 * about 200 branch sites whose targets the BTB must hold (the presets'
 * BTB has 1,024 entries, docs/config.md).  The program mostly walks
 * the opcodes in a fixed stride, so each dispatch has a dominant target
 * that a warm BTB predicts.  Phases: every BRANCHY_PHASE_UNITS units the
 * program is regenerated from a new seed, so the stride, the sequence and
 * the indirect targets change and the BTB must learn them again.
 * Unit: 16 runs of a 256-op program, about 48k instructions.
 */
#include "vq.h"

#define NOPS                64u
#define PROG_LEN            256u
#define BRANCHY_PASSES      16u
#define BRANCHY_PHASE_UNITS 16u

const char vq_name[] = "branchy";
static uint8_t prog[PROG_LEN];
static uint32_t hist[16];

/* A program for the phase `seed`: opcode n is followed by n + c (mod 64,
 * c odd, so the walk visits every opcode) seven times in eight, and by a
 * random opcode otherwise.  Each handler's dispatch thus has one dominant
 * target, which a warm BTB predicts and a cold or evicted one does not. */
static void generate(uint32_t seed)
{
    uint32_t x = seed * 2654435761u + 12345u;
    uint32_t c = (x >> 8) % NOPS | 1u, op = x % NOPS;

    for (uint32_t i = 0; i < PROG_LEN - 1; i++) {
        x = x * 1103515245u + 12345u;
        op = (x >> 28) % 8 == 0 ? (x >> 16) % NOPS : (op + c) % NOPS;
        prog[i] = (uint8_t)op;
    }
    prog[PROG_LEN - 1] = NOPS; /* the end */
}

void vq_init(void) {}

/* The operation of opcode n: constant-folded in each handler. */
static inline uint32_t alu(unsigned n, uint32_t a, uint32_t b)
{
    switch (n % 6) {
    case 0:
        return a + b + n;
    case 1:
        return a - (b >> (n % 7));
    case 2:
        return a ^ (b * 0x9e3779b9u);
    case 3:
        return (a << (n % 5 + 1)) | (b >> 3);
    case 4:
        return a * (b | 1u);
    default:
        return (a >> 1) + (b ^ n);
    }
}

/* A handler: r[n % 8] op= r[n / 8 % 8]; a store taken or not on a data
 * bit (a conditional store is not if-converted, so it stays a branch);
 * then its own dispatch. */
#define HANDLER(n)                                                                                 \
    op_##n:                                                                                        \
    {                                                                                              \
        uint32_t a = alu(n, r[(n) % 8], r[(n) / 8 % 8]);                                           \
        if (a & (1u << ((n) % 13)))                                                                \
            hist[(n) % 16] += a;                                                                   \
        r[(n) % 8] = a;                                                                            \
        goto *tbl[*++pc];                                                                          \
    }
#define HANDLERS8(n)                                                                               \
    HANDLER(n##0)                                                                                  \
    HANDLER(n##1)                                                                                  \
    HANDLER(n##2) HANDLER(n##3) HANDLER(n##4) HANDLER(n##5) HANDLER(n##6) HANDLER(n##7)
#define L8(n)                                                                                      \
    &&op_##n##0, &&op_##n##1, &&op_##n##2, &&op_##n##3, &&op_##n##4, &&op_##n##5, &&op_##n##6,     \
        &&op_##n##7

/* No cross-jumping or GCSE: either would merge the handlers' identical
 * dispatch tails into a few shared indirect jumps (GCC manual, "Labels
 * as Values": -fno-gcse for computed-goto interpreters). */
__attribute__((optimize("no-crossjumping", "no-gcse"))) static uint32_t interpret(uint32_t *r)
{
    /* Handlers are named by two digits pasted together, the group then the
     * member: opcode 8 * g + m jumps to op_gm. */
    static void *const tbl[NOPS + 1] = {L8(0), L8(1), L8(2), L8(3), L8(4),
                                        L8(5), L8(6), L8(7), &&end};
    const uint8_t *pc = prog;

    goto *tbl[*pc];
    HANDLERS8(0)
    HANDLERS8(1)
    HANDLERS8(2)
    HANDLERS8(3)
    HANDLERS8(4)
    HANDLERS8(5)
    HANDLERS8(6)
    HANDLERS8(7)
end:
    return r[0] ^ r[1] ^ r[2] ^ r[3] ^ r[4] ^ r[5] ^ r[6] ^ r[7];
}

uint32_t vq_unit(uint32_t u)
{
    uint32_t r[8] = {u, 1, 2, 3, 4, 5, 6, 7};
    uint32_t s = 0;

    if (u % BRANCHY_PHASE_UNITS == 0)
        generate(u / BRANCHY_PHASE_UNITS);
    for (uint32_t pass = 0; pass < BRANCHY_PASSES; pass++)
        s += interpret(r);
    for (unsigned i = 0; i < 16; i++)
        s ^= hist[i];
    return s;
}
