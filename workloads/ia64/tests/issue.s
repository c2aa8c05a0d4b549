// issue: a self-checking guard of the issue model's cycle counts on the
// Itanium 2 preset (two bundles per cycle, two load ports).  Each block
// runs twice, so its code and data are cached, and ar.itc is read before
// and after the second run; the bundle that reads ar.itc first ends with a
// stop, so the block starts in a new cycle.  Worked by hand:
//  1. 4 pairs of MMI bundles of adds (A-type: M slots take M ports), a
//     stop after each pair: one cycle per pair, plus the cycle of the
//     first itc read: 5.
//  1b. 2 pairs of MII bundles: four I slots, two I ports, so each pair
//     splits over two cycles: 4 + 1 = 5.
//  2. the same 8 bundles with a stop after every bundle: 9.
//  3. three loads in one issue group: two load ports, so two cycles,
//     plus the first read: 3.
//  4. a load and its use in the next group, an L1 hit (1 cycle): no
//     stall; two groups after the first read: 3.
//  5. srlz.i waits for every outstanding result - here the ar.itc read
//     itself, 12 cycles - then refills the pipeline (flush_penalty 8),
//     and its group ends: 12 + 8 + 1 = 21.
// Prints "issue ok" and exits 0, or exits with the failing check.
    .include "tests/check.inc"

    .macro twice label
    mov r8 = 2 ;;
\label:
    mov r3 = ar.itc ;;
    .endm
    .macro again label, expect
    mov r4 = ar.itc ;;
    adds r8 = -1, r8 ;;
    cmp.ne p7, p0 = 0, r8
(p7) br.cond.sptk \label ;;
    sub r4 = r4, r3 ;;
    check r4, \expect
    .endm

    .text
    .global _start
    .proc _start
_start:
    movl r2 = 0xFFFF0000
    mov r9 = 1
    movl r20 = buf ;;
    adds r21 = 8, r20
    adds r22 = 16, r20 ;;

    twice l1
    { .mmi
    add r10 = r11, r12
    add r13 = r14, r15
    add r16 = r17, r18 }
    { .mmi
    add r23 = r11, r12
    add r24 = r14, r15
    add r25 = r17, r18 ;; }
    { .mmi
    add r10 = r11, r12
    add r13 = r14, r15
    add r16 = r17, r18 }
    { .mmi
    add r23 = r11, r12
    add r24 = r14, r15
    add r25 = r17, r18 ;; }
    { .mmi
    add r10 = r11, r12
    add r13 = r14, r15
    add r16 = r17, r18 }
    { .mmi
    add r23 = r11, r12
    add r24 = r14, r15
    add r25 = r17, r18 ;; }
    { .mmi
    add r10 = r11, r12
    add r13 = r14, r15
    add r16 = r17, r18 }
    { .mmi
    add r23 = r11, r12
    add r24 = r14, r15
    add r25 = r17, r18 ;; }
    again l1, 5

    twice l6
    { .mii
    add r10 = r11, r12
    add r13 = r14, r15
    add r16 = r17, r18 }
    { .mii
    add r23 = r11, r12
    add r24 = r14, r15
    add r25 = r17, r18 ;; }
    { .mii
    add r10 = r11, r12
    add r13 = r14, r15
    add r16 = r17, r18 }
    { .mii
    add r23 = r11, r12
    add r24 = r14, r15
    add r25 = r17, r18 ;; }
    again l6, 5

    twice l2
    .rept 8
    { .mii
    add r10 = r11, r12
    add r13 = r14, r15
    add r16 = r17, r18 ;; }
    .endr
    again l2, 9

    twice l3
    { .mmi
    ld8 r10 = [r20]
    ld8 r11 = [r21]
    nop.i 0 }
    { .mmi
    ld8 r12 = [r22]
    nop.m 0
    nop.i 0 ;; }
    again l3, 3

    twice l4
    { .mii
    ld8 r10 = [r20]
    nop.i 0
    nop.i 0 ;; }
    { .mii
    nop.m 0
    add r11 = r10, r0
    nop.i 0 ;; }
    again l4, 3

    twice l5
    { .mii
    srlz.i
    nop.i 0
    nop.i 0 ;; }
    again l5, 21

    movl r3 = msg ;;
    pass_with_message_at_r3
    fail_label
    .endp _start

    .section .rodata
msg:
    stringz "issue ok\n"
    .data
    .align 64
buf:
    data8 1, 2, 3, 4
