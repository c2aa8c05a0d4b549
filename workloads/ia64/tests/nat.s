// nat: a self-checking test of NaT bits.  ld8.fill makes a NaT from
// ar.unat; ALU results inherit it (tnat sees it); a plain compare of a NaT
// clears both predicates, a .or compare leaves them; st8.spill stores it
// without a fault; a load through a NaT address, a plain store of a NaT
// value and a move of a NaT into ar.ccv take the Register NaT Consumption
// fault (0x5600, ISR.code 0x10), whose handler records it and steps past.
// Prints "nat ok" and exits 0, or exits with the failing check's number.
    .include "tests/check.inc"

    .text
    .global _start
    .proc _start
_start:
    movl r2 = 0xFFFF0000
    mov r9 = 1
    mov r14 = 0
    movl r3 = ivt ;;
    mov cr.iva = r3 ;;
    ssm 0x2000 ;;                        // psr.ic
    srlz.i ;;
    movl r3 = natword ;;
    mov r4 = 1 ;;
    mov ar.unat = r4 ;;
    ld8.fill r20 = [r3] ;;               // r20: NaT
    add r21 = r20, r0                    // inherits it
    adds r22 = 5, r20
    add r23 = r4, r4 ;;                  // no NaT source
    tnat.nz p6, p7 = r21 ;;
(p7) br.cond.spnt fail ;;
    adds r9 = 1, r9
    tnat.nz p6, p7 = r22 ;;
(p7) br.cond.spnt fail ;;
    adds r9 = 1, r9
    tnat.z p6, p7 = r23 ;;
(p7) br.cond.spnt fail ;;
    adds r9 = 1, r9
    // compares: plain clears both; .or leaves them
    cmp.eq p8, p9 = r0, r0 ;;            // p8 = 1, p9 = 0
    cmp.eq p8, p9 = r20, r0 ;;           // NaT: both 0
(p8) br.cond.spnt fail
(p9) br.cond.spnt fail ;;
    adds r9 = 1, r9
    cmp.eq p8, p9 = r0, r0 ;;
    cmp.eq.or p8, p9 = r20, r0 ;;        // NaT: unchanged
(p9) br.cond.spnt fail ;;
    adds r9 = 1, r9
(p8) br.cond.sptk 1f ;;
    br.cond.spnt fail ;;
1:  adds r9 = 1, r9
    // spill: no fault, the NaT goes to ar.unat
    movl r3 = spillslot ;;
    st8.spill [r3] = r20 ;;
    check r14, 0
    // consumption: three faults
    ld8 r24 = [r20] ;;
    check r14, 1
    check r11, 0x10
    st8 [r3] = r21 ;;
    check r14, 2
    mov ar.ccv = r22 ;;
    check r14, 3
    movl r3 = msg ;;
    pass_with_message_at_r3
    fail_label
    .endp _start

// Step past the faulting instruction.
skip:
    mov r16 = cr.ipsr
    mov r17 = cr.iip ;;
    extr.u r18 = r16, 41, 2 ;;
    cmp.eq p6, p7 = 2, r18 ;;
(p6) mov r18 = 0
(p6) adds r17 = 16, r17
(p7) adds r18 = 1, r18 ;;
    dep r16 = r18, r16, 41, 2 ;;
    mov cr.ipsr = r16
    mov cr.iip = r17 ;;
    rfi ;;

    .section .rodata
msg:
    stringz "nat ok\n"

    .data
    .align 512
natword:   data8 0x55                    // bits 8:3 of its address are 0: ar.unat bit 0
spillslot: data8 0

    .text
    .align 32768
ivt:
    .skip 0x2c00
    br.sptk.many fail ;;                 // 0x2c00 break: not expected
    .skip ivt + 0x5400 - .
    br.sptk.many fail ;;                 // 0x5400 general exception: not expected
    .skip ivt + 0x5600 - .
    adds r14 = 1, r14                    // 0x5600 NaT consumption
    mov r16 = cr.isr ;;
    extr.u r11 = r16, 0, 8
    br.sptk.many skip ;;
    .skip ivt + 0x8000 - .
