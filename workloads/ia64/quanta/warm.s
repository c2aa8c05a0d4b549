// warm: the cache-friendly kernel.  Each unit makes four read-modify-
// write passes over an 8 KiB working set, half the Itanium 2 L1D (16 KiB,
// configs/machines/itanium2.yaml), so once warm nearly every load hits.
// Phases: the working set moves to the next of four windows, 64 KiB apart
// in a 256 KiB arena, every 8 units; the first unit of a phase refills the
// L1D from the L2 (256 KiB, which holds the whole arena once it is warm).
// Unit: 4 x 1,024 words, 49k instructions (cpu.instructions, measured).
    .include "vq.inc"

    WARM_WORDS = 1024                    // 8 KiB of 8-byte words
    WARM_WINDOWS = 4
    WARM_STRIDE_SHIFT = 16               // 64 KiB between windows
    WARM_PHASE_SHIFT = 3                 // 8 units per phase
    WARM_PASSES = 4

    VQ_DRIVER warm

    .text
    .proc vq_init
vq_init:
    movl r14 = warm_arena
    movl r15 = 0x9e3779b97f4a7c15        // a Weyl sequence: no multiply needed
    mov r16 = 0
    movl r17 = (WARM_WINDOWS << WARM_STRIDE_SHIFT) / 8 - 1 ;;
    mov ar.lc = r17 ;;
1:  add r16 = r16, r15 ;;
    st8 [r14] = r16, 8
    br.cloop.sptk.few 1b ;;
    br.ret.sptk.many b0 ;;
    .endp vq_init

    .proc vq_unit
vq_unit:
    shr.u r14 = r4, WARM_PHASE_SHIFT
    movl r15 = warm_arena ;;
    and r14 = WARM_WINDOWS - 1, r14 ;;
    shl r14 = r14, WARM_STRIDE_SHIFT ;;
    add r14 = r14, r15                   // this phase's window
    mov r8 = r4                          // s
    mov r16 = WARM_PASSES ;;
2:  mov r17 = r14
    mov r18 = WARM_WORDS - 1 ;;
    mov ar.lc = r18 ;;
1:  ld8 r19 = [r17]
    shl r20 = r8, 5 ;;
    sub r20 = r20, r8 ;;                 // s * 31
    add r8 = r20, r19 ;;                 // s = s * 31 + w[i]
    shr.u r21 = r8, 11 ;;
    add r19 = r19, r21 ;;
    st8 [r17] = r19, 8                   // w[i] += s >> 11
    br.cloop.sptk.few 1b ;;
    adds r16 = -1, r16 ;;
    cmp.ne p6, p0 = 0, r16
(p6) br.cond.sptk 2b ;;
    br.ret.sptk.many b0 ;;
    .endp vq_unit

    .bss
    .align 128
warm_arena: .skip WARM_WINDOWS << WARM_STRIDE_SHIFT
