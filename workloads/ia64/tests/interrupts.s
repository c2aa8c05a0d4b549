// interrupts: a self-checking test of interruption delivery and rfi.
//  - break from every slot and unit (M, I, B, X): vector 0x2c00, cr.iim
//    (0 for break.b), ISR.ei = slot, cr.iip, and resuming after the break
//    in the same bundle without re-running the slots before it;
//  - the privileged-operation fault of `mov r = psr` at cpl 3 (0x5400,
//    ISR.code 0x10), reached by an rfi that lowers the privilege;
//  - single step (0x6000): a trap after each instruction, IPSR.ri naming
//    the next slot;
//  - the VT-i virtualization fault (0x6100) of `mov r = cr.iva` with
//    PSR.vm = 1, with what the machine hands over: nothing under
//    machine.vti.fault_info: none, the cause (5) and the opcode in bank-0
//    r24/r25 under cause_opcode.  The message says which was seen.
// Exits 0 after printing the message, or with the number of the failing
// check.  Handlers leave r11 = iim or a vector tag, r12 = ISR, r13 = IIP,
// r14 = interruptions taken, r5/r6 = r25/r24 at the virtualization fault.
    .include "tests/check.inc"

    .text
    .global _start
    .proc _start
_start:
    movl r2 = 0xFFFF0000
    mov r9 = 1
    mov r14 = 0
    mov r10 = 0
    movl r3 = ivt ;;
    mov cr.iva = r3 ;;
    ssm 0x2000 ;;                        // psr.ic: collect interruption state
    srlz.i ;;

    // break.m in slot 0
brk0: { .mii
    break.m 0x11
    nop.i 0
    nop.i 0 ;; }
    check r11, 0x11
    extr.u r13 = r12, 41, 2 ;;
    check r13, 0
    // break.m in slot 1
brk1: { .mmi
    nop.m 0
    break.m 0x22
    nop.i 0 ;; }
    check r11, 0x22
    extr.u r7 = r12, 41, 2 ;;
    check r7, 1
    check r13, brk1
    // break.i in slot 2
    { .mii
    nop.m 0
    nop.i 0
    break.i 0x1fffff ;; }
    check r11, 0x1fffff
    extr.u r7 = r12, 41, 2 ;;
    check r7, 2
    // break.b: cr.iim is 0 whatever the immediate
    { .mib
    nop.m 0
    nop.i 0
    break.b 0x44 ;; }
    check r11, 0
    // break.x: the L+X instruction is slot 1 of its MLX bundle
    mov r10 = 1 ;;
    { .mlx
    nop.m 0
    break.x 0x55 ;; }
    mov r10 = 0 ;;
    check r11, 0x55
    extr.u r7 = r12, 41, 2 ;;
    check r7, 1
    // resume after the break: slot 0 runs once, slot 2 runs after the handler
    mov r8 = 7 ;;
    { .mmi
    adds r8 = 1, r8 ;;
    break.m 0x66
    adds r8 = 10, r8 ;; }
    check r8, 18
    check r14, 6

    // Privileged operation at cpl 3: rfi there, then mov r = psr faults.
    rsm 0x2000 ;;
    srlz.d ;;
    movl r3 = 0x300002000 ;;            // ipsr: cpl 3, ic
    mov cr.ipsr = r3
    movl r3 = user ;;
    mov cr.iip = r3
    mov cr.ifs = r0 ;;
    rfi ;;
user:
    mov r3 = psr ;;                      // faults; the handler returns at cpl 0
    check r11, 0x54
    extr.u r7 = r12, 0, 16 ;;
    check r7, 0x10
    check r13, user
    mov r3 = psr ;;                      // cpl 0 again: no fault
    check r14, 7
    // epc outside an execute-only page (here: no translation): illegal.
    epc ;;
    check r11, 0x54
    extr.u r7 = r12, 0, 16 ;;
    check r7, 0
    check r14, 8

    // Banks: code on bank 1 keeps its r16-r31 across a handler, which
    // runs on bank 0 and clobbers bank-0 r16-r18; IPSR.bn brings bank 1 back.
    rsm 0x2000 ;;
    srlz.d ;;
    movl r3 = (1 << 44) | (1 << 13) ;;   // ipsr: bn, ic
    mov cr.ipsr = r3
    movl r3 = onbank1 ;;
    mov cr.iip = r3
    mov cr.ifs = r0 ;;
    rfi ;;
onbank1:
    mov r16 = 0x77
    mov r17 = 0x78 ;;
    break.m 0x99 ;;
    check r16, 0x77
    check r17, 0x78
    check r11, 0x99
    bsw.0 ;;
    check r14, 9

    // Virtualization fault: rfi with vm = 1, then a privileged instruction.
    movl r24 = 0xdead
    mov r25 = 0 ;;
    rsm 0x2000 ;;
    srlz.d ;;
    movl r3 = 0x400000002000 ;;         // ipsr: vm, ic
    mov cr.ipsr = r3
    movl r3 = guest ;;
    mov cr.iip = r3
    mov cr.ifs = r0 ;;
    rfi ;;
guest:
    { .mii
    mov r3 = cr.iva
    nop.i 0
    nop.i 0 ;; }
    check r11, 0x61
    check r13, guest
    check r14, 10
    // Single step: a trap after each instruction; the handler clears
    // IPSR.ss at the fourth, so the rest of the bundle runs untrapped.
    mov r7 = 0
    mov r4 = r6
    mov r8 = r5 ;;
    rsm 0x2000 ;;
    srlz.d ;;
    movl r3 = (1 << 40) | (1 << 13) ;;   // ipsr: ss, ic
    mov cr.ipsr = r3
    movl r3 = stepped ;;
    mov cr.iip = r3
    mov cr.ifs = r0 ;;
    rfi ;;
stepped:
    { .mii
    adds r20 = 1, r0
    adds r21 = 2, r0
    adds r22 = 3, r0 ;; }
    { .mii
    adds r23 = 4, r0
    adds r24 = 5, r0
    nop.i 0 ;; }
    check r7, 4
    check r23, 4
    check r24, 5
    check r12, 1                         // IPSR.ri at the first trap: the next slot
    check r13, stepped
    mov r6 = r4
    mov r5 = r8 ;;
    movl r15 = 0xdead ;;
    cmp.eq p8, p9 = r6, r15 ;;
    movl r3 = msg_none ;;
(p8) br.cond.sptk print ;;
    check r6, 5                          // cause: mov r = cr
    check r5, 0x21202000c0               // the opcode of mov r3 = cr.iva
    movl r3 = msg_cause ;;
print:
    pass_with_message_at_r3
    fail_label
    .endp _start

// Common return: step past the interrupted instruction (past the whole
// bundle for the L+X slot of an MLX bundle, flagged by r10), back to cpl 0
// with vm = 0, and rfi.
resume:
    mov r16 = cr.ipsr
    mov r17 = cr.iip
    adds r14 = 1, r14 ;;
    extr.u r18 = r16, 41, 2
    cmp.ne p8, p0 = 0, r10 ;;
(p8) mov r18 = 2 ;;
    cmp.eq p6, p7 = 2, r18 ;;
(p6) mov r18 = 0
(p6) adds r17 = 16, r17
(p7) adds r18 = 1, r18 ;;
    dep r16 = r18, r16, 41, 2 ;;
    dep r16 = 0, r16, 32, 2 ;;
    dep r16 = 0, r16, 46, 1 ;;
    mov cr.ipsr = r16
    mov cr.iip = r17 ;;
    rfi ;;

    .section .rodata
msg_none:
    stringz "interrupts ok (fault_info none)\n"
msg_cause:
    stringz "interrupts ok (fault_info cause_opcode)\n"

// The IVT: 32 KiB aligned; entries 0-19 are 0x400 bytes, 20-67 0x100.
    .text
    .align 32768
ivt:
    .skip 0x2c00
    mov r11 = cr.iim                     // 0x2c00 break
    mov r12 = cr.isr
    mov r13 = cr.iip
    br.sptk.many resume ;;
    .skip ivt + 0x5400 - .
    mov r11 = 0x54                       // 0x5400 general exception
    mov r12 = cr.isr
    mov r13 = cr.iip
    br.sptk.many resume ;;
    .skip ivt + 0x6000 - .
    adds r7 = 1, r7                      // 0x6000 single step
    mov r16 = cr.ipsr ;;
    cmp.eq p6, p0 = 1, r7
    cmp.eq p7, p0 = 4, r7 ;;
(p6) extr.u r12 = r16, 41, 2
(p6) mov r13 = cr.iip
(p7) dep r16 = 0, r16, 40, 1 ;;
    mov cr.ipsr = r16 ;;
    rfi ;;
    .skip ivt + 0x6100 - .
    mov r11 = 0x61                       // 0x6100 virtualization
    mov r12 = cr.isr
    mov r13 = cr.iip
    mov r6 = r24
    mov r5 = r25
    br.sptk.many resume ;;
    .skip ivt + 0x8000 - .
