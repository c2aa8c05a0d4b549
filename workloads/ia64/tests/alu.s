// alu: a self-checking bare-metal test of the integer forms vtsim executes
// so far.  Each check computes a value, compares it with the result worked
// out by hand, and on a mismatch exits with the check's number; all good
// prints "alu ok" and exits 0.
    .text
    .global _start
    .proc _start
_start:
    movl r2 = 0xFFFF0000        // control device
    mov r9 = 1                  // check number
    ;;
    .include "tests/check.inc"

    mov r20 = 100
    mov r21 = 7
    ;;
    add r22 = r20, r21 ;;
    check r22, 107
    sub r22 = r20, r21 ;;
    check r22, 93
    sub r22 = r20, r21, 1 ;;
    check r22, 92
    add r22 = r20, r21, 1 ;;
    check r22, 108
    shladd r22 = r21, 3, r20 ;;
    check r22, 156
    and r22 = 12, r21 ;;
    check r22, 4
    andcm r22 = r20, r21 ;;
    check r22, 96
    xor r22 = r20, r21 ;;
    check r22, 99
    adds r22 = -200, r20 ;;
    check r22, -100
    addl r22 = -2097152, r0 ;;
    check r22, -2097152
    // compares: signed vs unsigned, 32-bit, unc
    mov r23 = -1 ;;
    cmp.lt p6, p7 = r23, r20 ;;     // signed: -1 < 100
(p7) br.cond.spnt fail ;;
    adds r9 = 1, r9
    cmp.ltu p6, p7 = r23, r20 ;;    // unsigned: huge < 100 is false
(p6) br.cond.spnt fail ;;
    adds r9 = 1, r9
    movl r24 = 0x1ffffffff ;;        // low 32 bits all ones
    cmp4.eq p6, p7 = r24, r23 ;;    // 32-bit: -1 == -1
(p7) br.cond.spnt fail ;;
    adds r9 = 1, r9
    cmp.eq.unc p8, p9 = r0, r0 ;;
(p9) br.cond.spnt fail ;;
    adds r9 = 1, r9
    // test bit, extract, deposit, shifts
    tbit.nz p6, p7 = r21, 2 ;;      // 7 has bit 2 set
(p7) br.cond.spnt fail ;;
    adds r9 = 1, r9
    extr r22 = r23, 4, 8 ;;
    check r22, -1
    extr.u r22 = r23, 4, 8 ;;
    check r22, 255
    dep.z r22 = r21, 8, 2 ;;
    check r22, 0x300
    shl r22 = r21, 4 ;;
    check r22, 112
    shr.u r22 = r20, 2 ;;
    check r22, 25
    shr r22 = r23, 60 ;;
    check r22, -1
    // loads and stores with post-increment, sizes
    movl r25 = buf ;;
    mov r26 = r25
    movl r27 = 0x8877665544332211 ;;
    st8 [r26] = r27, 8 ;;
    st2 [r26] = r21 ;;
    ld1 r22 = [r25], 2 ;;
    check r22, 0x11
    ld2 r22 = [r25], 6 ;;               // aligned: misaligned loads fault
    check r22, 0x4433
    ld8 r22 = [r25] ;;
    check r22, 7
    cmp.eq p6, p0 = r25, r26 ;;
(p0) adds r9 = 1, r9
    // br.cloop: taken while ar.lc counts down from 4
    mov ar.lc = 4
    mov r22 = 0 ;;
4:  adds r22 = 1, r22
    br.cloop.sptk.few 4b ;;
    check r22, 5
    mov r22 = ar.lc ;;
    check r22, 0
    // the user mask: sum/rum and mov psr.um (ac is bit 3)
    sum 0x8 ;;
    mov r22 = psr.um ;;
    check r22, 8
    rum 0x8 ;;
    mov r22 = psr.um ;;
    check r22, 0
    // predicates through a general register
    mov r28 = pr ;;
    mov pr = r0, 0x40 ;;        // clear p6
(p6) br.cond.spnt fail ;;
    // print and exit 0
    movl r3 = msg ;;
    pass_with_message_at_r3
    fail_label
    .endp _start

    .section .rodata
msg:
    stringz "alu ok\n"
    .data
    .align 16
buf:
    data8 0, 0, 0
