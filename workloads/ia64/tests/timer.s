// timer: a self-checking test of external interrupts, the interval timer
// and the performance monitors.
//  - cr.ivr reads the spurious vector 15 when nothing is pending;
//  - with TPR.mic masking its class, a timer match only shows in cr.irr3;
//    lowering TPR delivers it to 0x3000, where cr.ivr returns its vector
//    and cr.eoi ends it; the handler re-arms cr.itm twice more and the
//    main loop waits until three interrupts were taken;
//  - ITV.m masks the timer entirely;
//  - pmc4 counting retired instructions (EMON event 1) at every privilege
//    level gives pmd4 deltas that match a hand count.
// Prints "timer ok" and exits 0, or exits with the failing check's number.
    .include "tests/check.inc"

    VEC = 0xe5                           // class 14, bit 37 of irr3

    .text
    .global _start
    .proc _start
_start:
    movl r2 = 0xFFFF0000
    mov r9 = 1
    mov r14 = 0
    movl r3 = ivt ;;
    mov cr.iva = r3 ;;
    mov r3 = cr.ivr ;;
    check r3, 15
    // Timer 2000 cycles ahead, class masked by TPR.mic = 14.
    mov r3 = 0xe0 ;;
    mov cr.tpr = r3 ;;
    srlz.d ;;
    mov r3 = VEC ;;
    mov cr.itv = r3
    mov r3 = ar.itc ;;
    adds r3 = 2000, r3 ;;
    mov cr.itm = r3
    ssm 0x6000 ;;                        // psr.ic, psr.i
    srlz.d ;;
    movl r15 = 100000 ;;
1:  mov r4 = cr.irr3 ;;                  // wait for the match to pend
    tbit.z p6, p0 = r4, VEC - 192
    adds r15 = -1, r15 ;;
    cmp.eq p7, p0 = 0, r15
(p7) br.cond.spnt fail ;;
(p6) br.cond.sptk 1b ;;
    check r14, 0                         // pending but masked: not taken
    mov cr.tpr = r0 ;;                   // unmask: taken at once
    srlz.d ;;
    movl r15 = 100000 ;;
2:  cmp.ne p7, p0 = 3, r14              // spin until the handler ran 3 times
    adds r15 = -1, r15 ;;
    cmp.eq p8, p0 = 0, r15
(p8) br.cond.spnt fail ;;
(p7) br.cond.sptk 2b ;;
    check r11, VEC
    // ITV.m: a match that would fire never does.
    movl r3 = VEC | (1 << 16) ;;
    mov cr.itv = r3
    mov r3 = ar.itc ;;
    adds r3 = 200, r3 ;;
    mov cr.itm = r3
    movl r15 = 2000 ;;
3:  adds r15 = -1, r15 ;;
    cmp.ne p6, p0 = 0, r15
(p6) br.cond.sptk 3b ;;
    check r14, 3
    mov r4 = cr.irr3 ;;
    check r4, 0
    // pmc4: EMON event 1 (instructions), all privilege levels.
    mov r4 = 4
    movl r5 = (1 << 8) | 0xf ;;
    mov pmc[r4] = r5 ;;
    srlz.d ;;
    mov pmd[r4] = r0 ;;
    srlz.d ;;
    { .mii
    mov r6 = pmd[r4]
    nop.i 0
    nop.i 0 ;; }
    { .mii
    nop.m 0
    nop.i 0
    nop.i 0 }
    { .mii
    nop.m 0
    nop.i 0
    nop.i 0 ;; }
    { .mii
    mov r7 = pmd[r4]
    nop.i 0
    nop.i 0 ;; }
    sub r7 = r7, r6 ;;
    check r7, 9                          // three bundles of three
    movl r3 = msg ;;
    pass_with_message_at_r3
    fail_label
    .endp _start

// Timer handler: acknowledge, count, end, re-arm twice, return.
tick:
    mov r11 = cr.ivr ;;
    srlz.d ;;
    adds r14 = 1, r14
    mov cr.eoi = r0 ;;
    cmp.ge p6, p0 = 2, r14 ;;
    mov r16 = ar.itc ;;
    adds r16 = 500, r16 ;;
(p6) mov cr.itm = r16 ;;
    srlz.d ;;
    rfi ;;

    .section .rodata
msg:
    stringz "timer ok\n"

    .text
    .align 32768
ivt:
    .skip 0x2c00
    br.sptk.many fail ;;                 // 0x2c00 break: not expected
    .skip ivt + 0x3000 - .
    br.sptk.many tick ;;                 // 0x3000 external interrupt
    .skip ivt + 0x5400 - .
    br.sptk.many fail ;;                 // 0x5400 general exception: not expected
    .skip ivt + 0x8000 - .
