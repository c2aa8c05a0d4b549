// guest_micro: the micro guest kernel of the emulation-patch study.  One
// phase per privileged instruction form the hypervisor emulates, each a
// loop of N executions inside its own phase (named for the form), each
// result checked against what the architecture specifies for the state
// the guest set up itself - so the emulation is proven correct, not only
// timed.  It runs the same way on the bare machine (the instructions then
// execute natively), which is the study's unvirtualized baseline.
// Prints "micro ok" and exits 0, or exits with the failing check's number.
//
// Registers: non-banked targets are r8-r10, banked ones r20-r22 (the
// guest runs with PSR.bn = 1 under the hypervisor, bank 0 on bare metal:
// either way they are r16-r31).
    .include "tests/check.inc"

    N = 200                              // executions per phase

// Phase marks through the control device: ARG = the name's address.
    .macro PHASE cmd, name
    movl r3 = \name
    adds r4 = 0x10, r2 ;;
    st8 [r4] = r3
    adds r4 = 0x18, r2
    mov r5 = \cmd ;;
    st8 [r4] = r5 ;;
    .endm

    .text
    .global _start
    .proc _start
_start:
    movl r2 = 0xFFFF0000
    mov r9 = 1
    movl r3 = rbs ;;
    mov ar.rsc = r0 ;;
    mov ar.bspstore = r3 ;;
    ssm 0x6000 ;;                        // psr.ic and psr.i: the state the checks expect
    srlz.d ;;

    // mov r = psr, non-banked and banked targets.
    PHASE 1, n_psr
    mov r11 = N ;;
1:  mov r8 = psr ;;
    movl r15 = 0x6000 ;;
    cmp.ne p6, p0 = r8, r15
(p6) br.cond.spnt fail ;;
    adds r11 = -1, r11 ;;
    cmp.ne p7, p0 = 0, r11
(p7) br.cond.sptk 1b ;;
    PHASE 2, n_psr
    adds r9 = 1, r9
    PHASE 1, n_psr_banked
    mov r11 = N ;;
1:  mov r20 = psr ;;
    movl r15 = 0x6000 ;;
    cmp.ne p6, p0 = r20, r15
(p6) br.cond.spnt fail ;;
    adds r11 = -1, r11 ;;
    cmp.ne p7, p0 = 0, r11
(p7) br.cond.sptk 1b ;;
    PHASE 2, n_psr_banked
    adds r9 = 1, r9

    // mov r = ar.itc: time moves forward.
    PHASE 1, n_itc
    mov r11 = N
    mov r12 = 0 ;;
1:  mov r8 = ar.itc ;;
    cmp.leu p6, p0 = r8, r12
(p6) br.cond.spnt fail ;;
    mov r12 = r8
    adds r11 = -1, r11 ;;
    cmp.ne p7, p0 = 0, r11
(p7) br.cond.sptk 1b ;;
    PHASE 2, n_itc
    adds r9 = 1, r9

    // rsm/ssm psr.i: an interrupt-disable/enable pair; the PSR agrees after.
    PHASE 1, n_rsm_ssm
    mov r11 = N ;;
1:  rsm 0x4000 ;;
    ssm 0x4000 ;;
    adds r11 = -1, r11 ;;
    cmp.ne p7, p0 = 0, r11
(p7) br.cond.sptk 1b ;;
    PHASE 2, n_rsm_ssm
    mov r8 = psr ;;
    check r8, 0x6000

    // mov cr.tpr = r / mov r = cr.tpr: what goes in comes out (mic bits).
    PHASE 1, n_tpr
    mov r11 = N ;;
1:  movl r15 = 0xf0 ;;
    and r10 = r15, r11 ;;
    mov cr.tpr = r10 ;;
    srlz.d ;;
    mov r8 = cr.tpr ;;
    cmp.ne p6, p0 = r8, r10
(p6) br.cond.spnt fail ;;
    adds r11 = -1, r11 ;;
    cmp.ne p7, p0 = 0, r11
(p7) br.cond.sptk 1b ;;
    PHASE 2, n_tpr
    adds r9 = 1, r9
    PHASE 1, n_tpr_banked
    mov r11 = N ;;
1:  movl r15 = 0xf0 ;;
    and r21 = r15, r11 ;;
    mov cr.tpr = r21 ;;
    srlz.d ;;
    mov r22 = cr.tpr ;;
    cmp.ne p6, p0 = r22, r21
(p6) br.cond.spnt fail ;;
    adds r11 = -1, r11 ;;
    cmp.ne p7, p0 = 0, r11
(p7) br.cond.sptk 1b ;;
    PHASE 2, n_tpr_banked
    adds r9 = 1, r9
    mov cr.tpr = r0 ;;
    srlz.d ;;

    // mov r = cpuid[r]: the vendor, "GenuineI".
    PHASE 1, n_cpuid
    mov r11 = N ;;
1:  mov r8 = cpuid[r0] ;;
    movl r15 = 0x49656e69756e6547 ;;
    cmp.ne p6, p0 = r8, r15
(p6) br.cond.spnt fail ;;
    adds r11 = -1, r11 ;;
    cmp.ne p7, p0 = 0, r11
(p7) br.cond.sptk 1b ;;
    PHASE 2, n_cpuid
    adds r9 = 1, r9

    // bsw.1 / bsw.0: the two banks of r16-r31 keep their own values.
    PHASE 1, n_bsw
    mov r11 = N ;;
1:  mov r20 = r11 ;;                     // bank 0
    bsw.1 ;;
    adds r20 = 1000, r11 ;;              // bank 1
    bsw.0 ;;
    cmp.ne p6, p0 = r20, r11
(p6) br.cond.spnt fail ;;
    bsw.1 ;;
    adds r12 = 1000, r11 ;;
    cmp.ne p6, p0 = r20, r12
    bsw.0 ;;
(p6) br.cond.spnt fail ;;
    adds r11 = -1, r11 ;;
    cmp.ne p7, p0 = 0, r11
(p7) br.cond.sptk 1b ;;
    PHASE 2, n_bsw
    adds r9 = 1, r9

    // cover: a one-register frame joins the dirty registers; BSP moves by
    // one register, or two when it steps over a NaT collection slot.
    PHASE 1, n_cover
    mov r11 = N ;;
1:  alloc r8 = ar.pfs, 0, 1, 0, 0 ;;
    mov r12 = ar.bsp ;;
    cover ;;
    mov r13 = ar.bsp ;;
    sub r13 = r13, r12 ;;
    cmp.ne p6, p0 = 8, r13
    cmp.ne p7, p0 = 16, r13 ;;
(p6) cmp.ne.and p6, p0 = 16, r13
(p6) br.cond.spnt fail ;;
    adds r11 = -1, r11 ;;
    cmp.ne p7, p0 = 0, r11
(p7) br.cond.sptk 1b ;;
    PHASE 2, n_cover
    adds r9 = 1, r9

    // thash and ttag of a region-1 address under the guest's own PTA and
    // region register (worked by hand: short format, 32 KiB table at
    // 0x200000, 16 KiB pages, rid 0x123).
    movl r3 = (0x123 << 8) | (14 << 2)
    movl r4 = 1 << 61 ;;
    mov rr[r4] = r3
    movl r3 = 0x200000 | (15 << 2) | 1 ;;
    mov cr.pta = r3 ;;
    srlz.d ;;
    PHASE 1, n_thash
    mov r11 = N
    movl r12 = 0x2000000000123456 ;;
1:  thash r8 = r12
    ttag r10 = r12 ;;
    movl r15 = 0x2000000000200240 ;;
    cmp.ne p6, p0 = r8, r15
    movl r15 = 0x918000000048 ;;
    cmp.ne.or p6, p0 = r10, r15
(p6) br.cond.spnt fail ;;
    adds r11 = -1, r11 ;;
    cmp.ne p7, p0 = 0, r11
(p7) br.cond.sptk 1b ;;
    PHASE 2, n_thash
    adds r9 = 1, r9

    // break as a system call: delivered to the guest's own IVT, whose
    // handler counts it, steps past it and returns with rfi - on the
    // bare machine directly, under the hypervisor reflected and emulated.
    movl r3 = guest_ivt ;;
    mov cr.iva = r3 ;;
    srlz.i ;;
    PHASE 1, n_syscall
    mov r11 = N
    mov r14 = 0 ;;
1:  break.m 0x100000 ;;
    adds r11 = -1, r11 ;;
    cmp.ne p7, p0 = 0, r11
(p7) br.cond.sptk 1b ;;
    PHASE 2, n_syscall
    check r14, N

    // The interval timer: cr.itm armed 3,000 cycles ahead, twenty times;
    // the guest's handler (0x3000) reads cr.ivr, checks the vector, ends it
    // with cr.eoi and counts.  Under the hypervisor the timer is virtual and
    // delivered at the hypervisor's next tick.
    mov cr.tpr = r0
    movl r3 = 0xe0 ;;
    mov cr.itv = r3 ;;
    srlz.d ;;
    PHASE 1, n_timer
    mov r11 = 20
    mov r13 = 0
    mov r14 = 0 ;;
1:  mov r8 = ar.itc ;;
    adds r8 = 3000, r8
    mov r15 = r14 ;;
    mov cr.itm = r8
    movl r12 = 1000000 ;;
2:  cmp.eq p6, p0 = r14, r15
    adds r12 = -1, r12 ;;
    cmp.eq p7, p0 = 0, r12
(p7) br.cond.spnt fail ;;
(p6) br.cond.sptk 2b ;;
    adds r11 = -1, r11 ;;
    cmp.ne p7, p0 = 0, r11
(p7) br.cond.sptk 1b ;;
    PHASE 2, n_timer
    movl r3 = 1 << 16 ;;
    mov cr.itv = r3 ;;                   // masked again
    srlz.d ;;
    check r13, 0                         // every cr.ivr read the timer's vector
    check r14, 20

    movl r3 = msg ;;
    pass_with_message_at_r3
    fail_label
    .endp _start

    .section .rodata
msg:      stringz "micro ok\n"
n_psr:    stringz "mov_from_psr"
n_psr_banked: stringz "mov_from_psr_banked"
n_itc:    stringz "mov_from_itc"
n_rsm_ssm: stringz "rsm_ssm_psr_i"
n_tpr:    stringz "mov_tpr"
n_tpr_banked: stringz "mov_tpr_banked"
n_cpuid:  stringz "mov_from_cpuid"
n_bsw:    stringz "bsw"
n_cover:  stringz "cover"
n_syscall: stringz "break_syscall"
n_thash:  stringz "thash_ttag"
n_timer:  stringz "timer_interrupt"

// The guest's IVT: only the break vector is used.
    .text
    .align 32768
guest_ivt:
    .skip 0x2c00
    adds r14 = 1, r14                    // count; step past the break; return
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
    .skip guest_ivt + 0x3000 - .
    mov r16 = cr.ivr ;;                  // 0x3000: the timer's vector
    srlz.d ;;
    mov r17 = 0xe0 ;;
    cmp.ne p6, p0 = r17, r16 ;;
(p6) adds r13 = 1, r13
    mov cr.eoi = r0 ;;
    srlz.d ;;
    adds r14 = 1, r14
    rfi ;;
    .skip guest_ivt + 0x8000 - .

    .bss
    .align 512
rbs:      .skip 8192
