// branchy: the branchy, interpreter-like kernel.  A bytecode interpreter
// with 64 opcodes, each handler ending in its own indirect branch to the
// next handler (threaded code: ld8 of the handler's address, mov to b6,
// br b6) and holding a conditional branch on a bit of its result, so a
// program spreads over about 130 branch sites whose targets the BTB must
// hold (the presets' BTB has 1,024 entries, docs/config.md).  The program
// mostly walks the opcodes in a fixed stride, so each dispatch has a
// dominant target that a warm BTB predicts.  The eight interpreted
// registers live in memory.  Phases: every 16 units the 256-op program is
// regenerated from a new seed (a 64-bit xorshift), so the stride, the
// sequence and the indirect targets change and the BTB must learn them
// again.
// Unit: 8 runs of the program, 62k instructions (cpu.instructions, measured).
    .include "vq.inc"

    NOPS = 64
    PROG_LEN = 256
    BRANCHY_PASSES = 8
    BRANCHY_PHASE_SHIFT = 4              // 16 units per phase

    VQ_DRIVER branchy

    .text
    .proc vq_init
vq_init:
    br.ret.sptk.many b0 ;;
    .endp vq_init

// Registers while interpreting: r27 the handler table, r28 the program
// counter (address of the current op), r29 the hist array, r30 the
// interpreted registers.
    .proc vq_unit
vq_unit:
    movl r27 = branchy_tbl
    movl r29 = branchy_hist
    movl r30 = branchy_regs
    and r14 = (1 << BRANCHY_PHASE_SHIFT) - 1, r4 ;;
    cmp.ne p6, p0 = 0, r14
(p6) br.cond.sptk 5f ;;
    // A new phase: a new program from the seed u / 16.  Opcode n is
    // followed by n + c (mod 64, c odd, so the walk visits every opcode)
    // seven times in eight, by a random opcode otherwise: each handler's
    // dispatch has one dominant target, which a warm BTB predicts.
    movl r15 = 0x9e3779b97f4a7c15
    shr.u r16 = r4, BRANCHY_PHASE_SHIFT ;;
    add r16 = r16, r15                   // x: never 0
    movl r17 = branchy_prog
    mov r18 = PROG_LEN - 2 ;;
    mov ar.lc = r18
    extr.u r19 = r16, 0, 6               // the first opcode
    extr.u r20 = r16, 8, 6 ;;
    or r20 = 1, r20                      // c
1:  shl r18 = r16, 13 ;;
    xor r16 = r16, r18 ;;
    shr.u r18 = r16, 7 ;;
    xor r16 = r16, r18 ;;
    shl r18 = r16, 17 ;;
    xor r16 = r16, r18
    add r19 = r19, r20 ;;
    extr.u r21 = r16, 40, 3
    and r19 = NOPS - 1, r19 ;;           // the stride's next opcode
    cmp.eq p6, p0 = 0, r21 ;;
(p6) extr.u r19 = r16, 20, 6 ;;          // or a random one
    st1 [r17] = r19, 1
    br.cloop.sptk.few 1b ;;
    mov r19 = NOPS ;;                    // the end
    st1 [r17] = r19
5:  // The interpreted registers start as {u, 1, ..., 7}.
    mov r8 = 0                           // s
    mov r17 = r30
    mov r18 = 1 ;;
    st8 [r17] = r4, 8
    mov r19 = 6 ;;
    mov ar.lc = r19 ;;
6:  st8 [r17] = r18, 8
    adds r18 = 1, r18
    br.cloop.sptk.few 6b ;;
    mov r26 = BRANCHY_PASSES ;;
7:  // One run: enter the first handler.
    movl r28 = branchy_prog ;;
    ld1 r15 = [r28] ;;
    shladd r15 = r15, 3, r27 ;;
    ld8 r15 = [r15] ;;
    mov b6 = r15 ;;
    br.cond.sptk.many b6 ;;
branchy_end:
    // The run's result: the xor of the registers, added into s.
    mov r17 = r30
    mov r20 = 0
    mov r19 = 7 ;;
    mov ar.lc = r19 ;;
8:  ld8 r18 = [r17], 8 ;;
    xor r20 = r20, r18
    br.cloop.sptk.few 8b ;;
    add r8 = r8, r20
    adds r26 = -1, r26 ;;
    cmp.ne p6, p0 = 0, r26
(p6) br.cond.sptk 7b ;;
    mov r17 = r29
    mov r19 = 15 ;;
    mov ar.lc = r19 ;;
9:  ld8 r18 = [r17], 8 ;;
    xor r8 = r8, r18
    br.cloop.sptk.few 9b ;;
    br.ret.sptk.many b0 ;;

// Handler n: a = r[n % 8] op r[n / 8] (the operation chosen by n % 4);
// if bit n % 13 of a is set, hist[n % 16] += a (a branch over the store);
// r[n % 8] = a; then the next op's handler.
    .macro HANDLER n
branchy_h\n:
    adds r10 = ((\n) % 8) * 8, r30
    adds r11 = ((\n) / 8) * 8, r30 ;;
    ld8 r12 = [r10]
    ld8 r13 = [r11] ;;
    .if (\n) % 4 == 0
    add r12 = r12, r13 ;;
    adds r12 = \n, r12
    .elseif (\n) % 4 == 1
    xor r12 = r12, r13
    .elseif (\n) % 4 == 2
    shladd r12 = r12, (\n) % 3 + 1, r13
    .else
    sub r12 = r12, r13 ;;
    shr.u r12 = r12, 1
    .endif
    ;;
    tbit.z p6, p0 = r12, (\n) % 13
    adds r14 = ((\n) % 16) * 8, r29 ;;
(p6) br.cond.dptk 1f ;;
    ld8 r15 = [r14] ;;
    add r15 = r15, r12 ;;
    st8 [r14] = r15
1:  st8 [r10] = r12
    adds r28 = 1, r28 ;;
    ld1 r15 = [r28] ;;
    shladd r15 = r15, 3, r27 ;;
    ld8 r15 = [r15] ;;
    mov b6 = r15 ;;
    br.cond.sptk.many b6 ;;
    .endm

    .irp n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63
    HANDLER \n
    .endr
    .endp vq_unit

    .section .rodata
    .align 8
branchy_tbl:
    .irp n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63
    data8 branchy_h\n
    .endr
    data8 branchy_end

    .bss
    .align 8
branchy_regs: .skip 64
branchy_hist: .skip 128
branchy_prog: .skip PROG_LEN
