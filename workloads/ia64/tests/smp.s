// smp: a self-checking test of start-up and inter-processor interrupts on
// two harts (run with machine.cores=2).  Hart 0 starts alone; it wakes
// hart 1 with an IPI through the processor interrupt block (vector 0xf0 to
// id 1).  Hart 1 starts at the same entry point, tells itself apart by
// cr.lid, unmasks interrupts (TPR), reads the start vector from cr.ivr,
// ends it, and reports through memory; hart 0 waits for the report (the
// caches keep the harts coherent) and checks it.  Prints "smp ok" and
// exits 0, or exits with the failing check's number.
    .include "tests/check.inc"

    PIB = 0xFEE00000

    .text
    .global _start
    .proc _start
_start:
    mov r3 = cr.lid ;;
    extr.u r3 = r3, 24, 8 ;;             // id: the hart
    cmp.ne p6, p0 = 0, r3
(p6) br.cond.spnt ap ;;
    movl r2 = 0xFFFF0000
    mov r9 = 1
    movl r4 = PIB + (1 << 12)            // id 1, eid 0
    mov r5 = 0xf0 ;;
    st8 [r4] = r5 ;;                     // start hart 1
    movl r6 = report
    movl r7 = 1000000 ;;
1:  ld8 r8 = [r6]
    adds r7 = -1, r7 ;;
    cmp.eq p7, p0 = 0, r7
(p7) br.cond.spnt fail ;;
    cmp.eq p6, p0 = 0, r8
(p6) br.cond.sptk 1b ;;
    adds r9 = 1, r9
    check r8, 0x1f0                      // hart 1 saw vector 0xf0
    movl r3 = msg ;;
    pass_with_message_at_r3
    fail_label
    .endp _start

    .proc ap
ap:                                      // hart 1
    mov cr.tpr = r0 ;;
    srlz.d ;;
    mov r8 = cr.ivr ;;                   // the start-up vector
    srlz.d ;;
    mov cr.eoi = r0
    adds r8 = 0x100, r8                  // | 0x100: a report is never 0
    movl r6 = report ;;
    st8 [r6] = r8
2:  br.cond.sptk 2b ;;
    .endp ap

    .section .rodata
msg:
    stringz "smp ok\n"
    .data
    .align 64
report: data8 0
