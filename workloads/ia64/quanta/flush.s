// flush: the workload that flushes its cache at phase changes.  Each unit
// makes two passes over a 128 KiB working set (eight times the Itanium 2
// L1D, half its L2), reading and updating two words of every 64-byte
// line.  Every 8 units it flushes that working set with `fc` - which
// writes back and invalidates the line holding an address in every cache
// of the coherence domain, at least 32 bytes aligned (Intel Itanium
// Architecture SDM 2.3, Vol. 3, fc) - then `sync.i` and `srlz.i`, and
// moves to the other of two windows of a 256 KiB arena, so the next unit
// starts from memory.
// Unit: 2 x 2,048 lines, 38k instructions (cpu.instructions, measured),
// plus 4,096 fc at a phase change.
    .include "vq.inc"

    FLUSH_SHIFT = 17                     // 128 KiB working set
    FLUSH_WINDOWS = 2
    FLUSH_PHASE_SHIFT = 3                // 8 units per phase
    FLUSH_PASSES = 2
    FC_STRIDE = 32                       // the smallest line fc is defined to flush

    VQ_DRIVER flush

    .text
    .proc vq_init
vq_init:
    movl r14 = flush_arena
    movl r15 = 0x5a5a5a5a5a5a5a5a
    mov r16 = 0
    movl r17 = (FLUSH_WINDOWS << FLUSH_SHIFT) / 8 - 1 ;;
    mov ar.lc = r17 ;;
1:  xor r18 = r16, r15
    adds r16 = 1, r16 ;;
    st8 [r14] = r18, 8
    br.cloop.sptk.few 1b ;;
    br.ret.sptk.many b0 ;;
    .endp vq_init

    .proc vq_unit
vq_unit:
    movl r15 = flush_arena
    and r14 = (1 << FLUSH_PHASE_SHIFT) - 1, r4 ;;
    cmp.eq p6, p0 = 0, r14 ;;
    cmp.ne.and p6, p0 = 0, r4            // a phase change, not the first
    adds r14 = -1, r4 ;;
    shr.u r14 = r14, FLUSH_PHASE_SHIFT ;;
    and r14 = FLUSH_WINDOWS - 1, r14 ;;
    shl r14 = r14, FLUSH_SHIFT ;;
    add r14 = r14, r15                   // the last phase's window
    movl r16 = (1 << FLUSH_SHIFT) / FC_STRIDE - 1
(p6) br.cond.dpnt 3f ;;
    br.cond.sptk 4f ;;
3:  mov ar.lc = r16 ;;
1:  fc r14
    adds r14 = FC_STRIDE, r14
    br.cloop.sptk.few 1b ;;
    sync.i ;;
    srlz.i ;;
4:  shr.u r14 = r4, FLUSH_PHASE_SHIFT ;;
    and r14 = FLUSH_WINDOWS - 1, r14 ;;
    shl r14 = r14, FLUSH_SHIFT ;;
    add r14 = r14, r15                   // this phase's window
    mov r8 = r4                          // s
    mov r16 = FLUSH_PASSES ;;
2:  mov r17 = r14
    adds r20 = 32, r14
    movl r18 = (1 << FLUSH_SHIFT) / 64 - 1 ;;
    mov ar.lc = r18 ;;
1:  ld8 r19 = [r17], 64
    shl r21 = r8, 5 ;;
    add r8 = r21, r8 ;;                  // s * 33
    add r8 = r8, r19 ;;                  // s = s * 33 + w[line]
    st8 [r20] = r8, 64                   // w[line + 32 bytes] = s
    br.cloop.sptk.few 1b ;;
    adds r16 = -1, r16 ;;
    cmp.ne p6, p0 = 0, r16
(p6) br.cond.sptk 2b ;;
    br.ret.sptk.many b0 ;;
    .endp vq_unit

    .bss
    .align 128
flush_arena: .skip FLUSH_WINDOWS << FLUSH_SHIFT
