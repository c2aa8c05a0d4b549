// translate: a self-checking test of address translation.  With code and
// the control device mapped by translation registers it turns PSR.it/dt
// on, then checks: the Alternate Data TLB fault (walker off) whose handler
// inserts a translation and retries; the short-format VHPT walker finding
// an entry (no fault, the right data) through a VHPT that is itself mapped
// by a register; a walk that finds no entry (Data TLB fault, cr.iha);
// the Dirty-Bit and Data Access-Rights faults; thash and tpa; probe.r/.w;
// and ptc.l purging a translation.  Prints "translate ok" and exits 0, or
// exits with the number of the failing check.
// Handlers leave r11 = vector tag, r12 = ISR, r13 = IFA, r7 = IHA, r14 =
// interruptions taken.
    .include "tests/check.inc"

    RR1 = (5 << 8) | (12 << 2)             // rid 5, 4 KiB pages, walker off
    RR2 = (7 << 8) | (12 << 2) | 1         // rid 7, 4 KiB pages, walker on
    PTE_RWX = 0x661                        // p, a, d, pl 0, ar 3 (RWX), WB
    VA1 = 0x2000000000001000               // region 1
    VA2 = 0x4000000000003000               // region 2, found by the walker
    VA3 = 0x4000000000005000               // region 2, no VHPT entry
    VHPT_VA = 0x4000000000200000           // the VHPT as region 2 sees it

    .text
    .global _start
    .proc _start
_start:
    movl r2 = 0xFFFF0000
    mov r9 = 1
    mov r14 = 0
    movl r3 = ivt ;;
    mov cr.iva = r3
    movl r3 = RR1
    movl r4 = 0x2000000000000000 ;;
    mov rr[r4] = r3
    movl r3 = RR2
    movl r4 = 0x4000000000000000 ;;
    mov rr[r4] = r3
    movl r3 = 12 << 2 ;;
    mov rr[r0] = r3 ;;                     // region 0: rid 0, walker off
    srlz.d ;;
    // Translation registers (with psr.ic = 0, as inserts require):
    // code and data 1 MiB identity, the control device, the VHPT.
    mov r3 = 20 << 2
    movl r4 = 0x100000 ;;
    mov cr.itir = r3
    mov cr.ifa = r4
    movl r5 = 0x100000 | PTE_RWX ;;
    itr.i itr[r0] = r5 ;;
    itr.d dtr[r0] = r5 ;;
    mov r3 = 12 << 2
    movl r4 = 0xFFFF0000 ;;
    mov cr.itir = r3
    mov cr.ifa = r4
    movl r5 = 0xFFFF0000 | PTE_RWX | (4 << 2) ;;   // uncacheable
    mov r6 = 1 ;;
    itr.d dtr[r6] = r5 ;;
    mov r3 = 16 << 2
    movl r4 = VHPT_VA ;;
    mov cr.itir = r3
    mov cr.ifa = r4
    movl r5 = vhpt + PTE_RWX
    mov r6 = 2 ;;
    itr.d dtr[r6] = r5 ;;
    // PTA: the VHPT base, 64 KiB, short format, walker on.
    movl r3 = VHPT_VA | (16 << 2) | 1 ;;
    mov cr.pta = r3
    // The VHPT entry for VA2 maps page2.
    movl r4 = vhpt + ((VA2 & 0x7ffffffffffff) >> 12) * 8
    movl r5 = page2 + PTE_RWX ;;
    st8 [r4] = r5
    movl r3 = (1 << 13) | (1 << 17) | (1 << 27) | (1 << 36) ;;  // ic, dt, rt, it
    mov cr.ipsr = r3
    movl r3 = virt ;;
    mov cr.iip = r3
    mov cr.ifs = r0 ;;
    srlz.i ;;
    rfi ;;

virt:
    // Alternate Data TLB: the handler inserts VA1 -> page1 and retries.
    movl r3 = VA1 + 8 ;;
    ld8 r4 = [r3] ;;
    check r4, 0x1111
    check r11, 0x10
    movl r3 = VA1 + 8 ;;
    check r13, VA1 + 8
    check r14, 1
    ld8 r4 = [r3] ;;                       // now in the TLB: no fault
    check r14, 1
    // The walker finds VA2's entry: no fault.
    movl r3 = VA2 + 16 ;;
    ld8 r4 = [r3] ;;
    check r4, 0x2222
    check r14, 1
    // thash and tpa agree with the walker.
    movl r3 = VA2 ;;
    thash r4 = r3 ;;
    check r4, VHPT_VA + 0x18
    movl r3 = VA2 + 16 ;;
    tpa r4 = r3 ;;
    check r4, page2 + 16
    // A walk that finds nothing: Data TLB fault with cr.iha.
    movl r3 = VA3 ;;
    ld8 r4 = [r3] ;;
    check r11, 0x08
    check r7, VHPT_VA + 0x28
    check r13, VA3
    extr.u r4 = r12, 34, 1 ;;              // ISR.r
    check r4, 1
    // Dirty bit: a clean, writable page.
    rsm 0x2000 ;;
    srlz.d ;;
    movl r3 = 0x2000000000002000
    mov r4 = 12 << 2 ;;
    mov cr.ifa = r3
    mov cr.itir = r4
    movl r5 = page3 + (PTE_RWX & ~0x40) ;;   // d = 0
    itc.d r5 ;;
    // Read-only page: ar 0.
    movl r3 = 0x2000000000003000 ;;
    mov cr.ifa = r3
    movl r5 = page3 + (PTE_RWX & ~0xe00) ;;  // ar = 0
    itc.d r5 ;;
    ssm 0x2000 ;;
    srlz.d ;;
    movl r3 = 0x2000000000002000 ;;
    st8 [r3] = r0 ;;
    check r11, 0x20
    extr.u r4 = r12, 33, 1 ;;              // ISR.w
    check r4, 1
    ld8 r4 = [r3] ;;                       // reads are fine
    check r4, 0x3333
    movl r3 = 0x2000000000003000 ;;
    st8 [r3] = r0 ;;
    check r11, 0x53
    probe.r r4 = r3, r0 ;;
    check r4, 1
    probe.w r4 = r3, r0 ;;
    check r4, 0
    check r14, 4
    // ptc.l drops VA2; with its VHPT entry cleared the next access faults.
    movl r3 = VA2
    mov r4 = 12 << 2 ;;
    ptc.l r3, r4 ;;
    movl r5 = VHPT_VA + 0x18 ;;
    st8 [r5] = r0 ;;
    srlz.d ;;
    ld8 r4 = [r3] ;;
    check r11, 0x08
    check r14, 5
    movl r3 = msg ;;
    pass_with_message_at_r3
    fail_label
    .endp _start

// Return past the interrupted instruction.
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

    .macro record tag
    mov r11 = \tag
    mov r12 = cr.isr
    mov r13 = cr.ifa
    adds r14 = 1, r14 ;;
    .endm

    .section .rodata
msg:
    stringz "translate ok\n"

    .data
    .align 4096
page1:
    data8 0, 0x1111
    .align 4096
page2:
    data8 0, 0, 0x2222
    .align 4096
page3:
    data8 0x3333
    .align 65536
vhpt:
    .skip 65536

    .text
    .align 32768
ivt:
    .skip 0x0800
    record 0x08                            // 0x0800 Data TLB
    mov r7 = cr.iha
    br.sptk.many skip ;;
    .skip ivt + 0x1000 - .
    record 0x10                            // 0x1000 Alternate Data TLB: map and retry
    movl r16 = page1 + PTE_RWX ;;
    itc.d r16 ;;
    rfi ;;
    .skip ivt + 0x2000 - .
    record 0x20                            // 0x2000 Dirty bit
    br.sptk.many skip ;;
    .skip ivt + 0x2c00 - .
    br.sptk.many fail ;;                   // 0x2c00 break: not expected
    .skip ivt + 0x5300 - .
    record 0x53                            // 0x5300 Data access rights
    br.sptk.many skip ;;
    .skip ivt + 0x5400 - .
    br.sptk.many fail ;;                   // 0x5400 general exception: not expected
    .skip ivt + 0x8000 - .
