// guest_mixed: the "kernel-like" guest of the emulation-patch study.  Its
// loop is what an operating system kernel does between user work, with
// privileged instructions sprinkled in ordinary code rather than in tight
// loops.  Per iteration (ITER of them, inside the ROI):
//   - a timestamp:                     mov r = ar.itc              (1)
//   - a critical section:              rsm psr.i ... ssm psr.i     (2)
//     around a shared-counter update (load, add, store)
//   - a device section at raised TPR:  mov cr.tpr = r, mov r = cr.tpr,
//     eight stores to a device buffer, mov cr.tpr = r0            (3)
//   - ordinary work: 16 rounds of load/add/xor/store over a buffer
//     (about 100 instructions)
//   - a PSR check:                     mov r = psr                 (1)
// and every 8th iteration a simulated context switch: region registers 1
// and 2 rewritten and read back (mov rr[] = r, mov r = rr[]: 4).
// About 7.5 privileged instructions per 150 executed.  Everything is
// checked: the counter, the TPR and PSR read back, the region registers.
// Prints "mixed ok" and exits 0, or exits with the failing check's number.
    .include "tests/check.inc"

    ITER = 128

    .text
    .global _start
    .proc _start
_start:
    movl r2 = 0xFFFF0000
    mov r9 = 1
    movl r3 = rbs ;;
    mov ar.rsc = r0 ;;
    mov ar.bspstore = r3 ;;
    ssm 0x6000 ;;                        // psr.ic, psr.i
    srlz.d ;;
    movl r20 = counter
    movl r21 = work
    movl r22 = device
    mov r23 = ITER
    mov r24 = 0                          // the previous timestamp
    mov r25 = 0x40                       // the device section's TPR
    adds r4 = 0x18, r2
    mov r5 = 3 ;;
    st8 [r4] = r5 ;;                     // ROI begin
kernel:
    mov r8 = ar.itc ;;                   // timestamp: time moves forward
    cmp.leu p6, p0 = r8, r24
(p6) br.cond.spnt fail ;;
    mov r24 = r8
    rsm 0x4000 ;;                        // critical section
    ld8 r10 = [r20] ;;
    adds r10 = 1, r10 ;;
    st8 [r20] = r10
    ssm 0x4000 ;;
    mov cr.tpr = r25 ;;                  // device section
    srlz.d ;;
    mov r11 = cr.tpr ;;
    cmp.ne p6, p0 = r11, r25
(p6) br.cond.spnt fail ;;
    mov r12 = r22 ;;
    .rept 8
    st8 [r12] = r23, 8 ;;
    .endr
    mov cr.tpr = r0 ;;
    srlz.d ;;
    mov r13 = 16                         // ordinary work
    mov r12 = r21 ;;
1:  ld8 r14 = [r12] ;;
    add r14 = r14, r13 ;;
    xor r14 = r14, r23 ;;
    st8 [r12] = r14, 8
    adds r13 = -1, r13 ;;
    cmp.ne p7, p0 = 0, r13
(p7) br.cond.sptk 1b ;;
    mov r15 = psr ;;                     // psr.i is on again
    movl r16 = 0x6000 ;;
    cmp.ne p6, p0 = r15, r16
(p6) br.cond.spnt fail ;;
    and r17 = 7, r23 ;;                  // every 8th: a context switch
    cmp.ne p7, p0 = 0, r17
(p7) br.cond.sptk 2f ;;
    movl r26 = 1 << 61
    movl r27 = 2 << 61
    shl r28 = r23, 8 ;;                  // region ids from the iteration
    adds r28 = 14 << 2, r28 ;;           // 16 KiB pages, walker off
    adds r29 = 1 << 8, r28 ;;
    mov rr[r26] = r28
    mov rr[r27] = r29 ;;
    srlz.d ;;
    mov r30 = rr[r26] ;;
    cmp.ne p6, p0 = r30, r28
(p6) br.cond.spnt fail ;;
    mov r30 = rr[r27] ;;
    cmp.ne p6, p0 = r30, r29
(p6) br.cond.spnt fail ;;
2:  adds r23 = -1, r23 ;;
    cmp.ne p7, p0 = 0, r23
(p7) br.cond.sptk kernel ;;
    adds r4 = 0x18, r2
    mov r5 = 4 ;;
    st8 [r4] = r5 ;;                     // ROI end
    adds r9 = 1, r9
    ld8 r10 = [r20] ;;
    check r10, ITER
    mov cr.tpr = r0 ;;
    srlz.d ;;
    movl r3 = msg ;;
    pass_with_message_at_r3
    fail_label
    .endp _start

    .section .rodata
msg:      stringz "mixed ok\n"

    .data
    .align 64
counter:  data8 0
    .align 64
work:     .skip 16 * 8
device:   .skip 8 * 8

    .bss
    .align 512
rbs:      .skip 4096
