// vti: a self-checking test of the VT-i virtualization fault for every
// instruction VT-i intercepts (shared/reference ia64-facts 7): a guest at
// cpl 0 with PSR.vm = 1 runs each in turn; each must fault to 0x6100 with
// its cause code in bank-0 r24 (machine.vti.fault_info: cause_opcode) and
// its opcode in r25, and not execute.  The handler records the causes and
// the opcode's major opcode, skips the instruction and returns to the
// guest with vm still set; a final break (never intercepted) ends the
// guest.  Prints "vti ok" and exits 0, or exits with the failing check.
    .include "tests/check.inc"
    .text
    .global _start
    .proc _start
_start:
    movl r2 = 0xFFFF0000
    mov r9 = 1
    movl r3 = ivt ;;
    mov cr.iva = r3
    movl r10 = causes ;;
    movl r3 = 0x400000002000 ;;         // ipsr: vm, ic
    mov cr.ipsr = r3
    movl r3 = guest ;;
    mov cr.iip = r3
    mov cr.ifs = r0 ;;
    rfi ;;
guest:
    mov.m ar.itc = r3 ;;
    srlz.i ;;
    mov.m r3 = ar.itc ;;
    srlz.i ;;
    mov cr.iva = r3 ;;
    srlz.i ;;
    mov r3 = cr.iva ;;
    srlz.i ;;
    mov psr.l = r3 ;;
    srlz.i ;;
    mov r3 = psr ;;
    srlz.i ;;
    itc.d r3 ;;
    srlz.i ;;
    itc.i r3 ;;
    srlz.i ;;
    mov rr[r3] = r4 ;;
    srlz.i ;;
    mov pkr[r3] = r4 ;;
    srlz.i ;;
    mov pmc[r3] = r4 ;;
    srlz.i ;;
    mov pmd[r3] = r4 ;;
    srlz.i ;;
    itr.d dtr[r3] = r4 ;;
    srlz.i ;;
    itr.i itr[r3] = r4 ;;
    srlz.i ;;
    mov r3 = rr[r4] ;;
    srlz.i ;;
    mov r3 = pkr[r4] ;;
    srlz.i ;;
    mov r3 = pmc[r4] ;;
    srlz.i ;;
    mov r3 = cpuid[r4] ;;
    srlz.i ;;
    ssm 0x4000 ;;
    srlz.i ;;
    rsm 0x4000 ;;
    srlz.i ;;
    ptc.l r3, r4 ;;
    srlz.i ;;
    ptc.g r3, r4 ;;
    srlz.i ;;
    ptc.ga r3, r4 ;;
    srlz.i ;;
    ptr.d r3, r4 ;;
    srlz.i ;;
    ptr.i r3, r4 ;;
    srlz.i ;;
    thash r3 = r4 ;;
    srlz.i ;;
    ttag r3 = r4 ;;
    srlz.i ;;
    tpa r3 = r4 ;;
    srlz.i ;;
    tak r3 = r4 ;;
    srlz.i ;;
    ptc.e r3 ;;
    srlz.i ;;
    cover ;;
    srlz.i ;;
    rfi ;;
    srlz.i ;;
    bsw.0 ;;
    srlz.i ;;
    bsw.1 ;;
    srlz.i ;;
    break.m 1 ;;

    // Back at vm = 0: compare the recorded causes with the table.
check:
    movl r3 = causes
    movl r4 = expect ;;
1:  ld8 r5 = [r4], 8
    ld8 r6 = [r3], 8 ;;
    cmp.eq p7, p0 = 0, r5
(p7) br.cond.spnt pass ;;
    cmp.ne p6, p0 = r5, r6
(p6) br.cond.spnt fail ;;
    adds r9 = 1, r9
    br.cond.sptk 1b ;;
pass:
    cmp.ne p6, p0 = 0, r11              // any opcode not from major 0 or 1
(p6) br.cond.spnt fail ;;
    movl r3 = msg ;;
    pass_with_message_at_r3
    fail_label
    .endp _start

// Virtualization fault: record the cause, fold any opcode whose major
// opcode is not 0 or 1 (the system forms) into r11, skip the instruction.
virt:
    st8 [r10] = r24, 8
    extr.u r16 = r25, 38, 3 ;;          // major opcode{3:1}: 0 for majors 0 and 1
    or r11 = r11, r16
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
expect:
    data8 1
    data8 3
    data8 4
    data8 5
    data8 6
    data8 7
    data8 8
    data8 9
    data8 10
    data8 13
    data8 14
    data8 15
    data8 16
    data8 17
    data8 18
    data8 21
    data8 22
    data8 23
    data8 24
    data8 25
    data8 26
    data8 27
    data8 28
    data8 29
    data8 30
    data8 31
    data8 32
    data8 33
    data8 34
    data8 35
    data8 36
    data8 37
    data8 38
    data8 39
    data8 0
msg:
    stringz "vti ok\n"

    .data
causes:
    .skip 8 * 35

    .text
    .align 32768
ivt:
    .skip 0x2c00
    movl r3 = check ;;                   // 0x2c00 break: leave the guest
    mov cr.iip = r3
    mov cr.ipsr = r0 ;;
    rfi ;;
    .skip ivt + 0x6100 - .
    br.sptk.many virt ;;                 // 0x6100 virtualization
    .skip ivt + 0x8000 - .
