// guest_vm: a guest that runs with translation on, as an operating system
// does: it pins its code and data (region 0, identity) and the control
// device with translation registers, turns PSR.it/dt on with rfi, and
// maps a region-1 data page on demand from its own alternate data TLB
// handler with itc.d.  Each of N iterations purges the page (ptc.l) and
// loads from it again, so every load takes the guest's TLB-miss path: on
// the bare machine the handler runs directly; under the hypervisor the
// miss is the hypervisor's, which finds nothing in its copy of the guest's
// translations and reflects it, emulates the handler's itc.d, cr moves and
// rfi, and then fills the machine's TLB from the copy.  Prints "vm ok" and
// exits 0, or exits with the failing check's number.
    .include "tests/check.inc"

    N = 100
    PTE_RWX = 0x661
    VA1 = 0x2000000000004000             // the region-1 page

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
_start:                                  // physical mode
    movl r2 = 0xFFFF0000
    mov r9 = 1
    movl r3 = guest_ivt ;;
    mov cr.iva = r3
    movl r3 = 20 << 2                    // region 0: rid 0, 1 MiB pages
    movl r4 = (5 << 8) | (12 << 2)       // region 1: rid 5, 4 KiB pages
    movl r5 = 1 << 61 ;;
    mov rr[r0] = r3
    mov rr[r5] = r4 ;;
    srlz.d ;;
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
    movl r5 = 0xFFFF0000 | PTE_RWX | (4 << 2)
    mov r6 = 1 ;;
    itr.d dtr[r6] = r5 ;;
    srlz.i ;;
    movl r3 = (1 << 13) | (1 << 17) | (1 << 27) | (1 << 36) ;;   // ic, dt, rt, it
    mov cr.ipsr = r3
    movl r3 = virt ;;
    mov cr.iip = r3
    mov cr.ifs = r0 ;;
    rfi ;;
virt:
    PHASE 1, n_miss
    mov r11 = N
    mov r14 = 0
    movl r12 = VA1 + 8
    movl r13 = VA1
    mov r10 = 12 << 2 ;;
1:  ld8 r4 = [r12] ;;                    // misses: the guest's handler maps it
    movl r15 = 0x1111 ;;
    cmp.ne p6, p0 = r4, r15
(p6) br.cond.spnt fail ;;
    ptc.l r13, r10 ;;                    // gone again
    srlz.d ;;
    adds r11 = -1, r11 ;;
    cmp.ne p7, p0 = 0, r11
(p7) br.cond.sptk 1b ;;
    PHASE 2, n_miss
    adds r9 = 1, r9
    check r14, N
    movl r3 = msg ;;
    pass_with_message_at_r3
    fail_label
    .endp _start

    .section .rodata
msg:      stringz "vm ok\n"
n_miss:   stringz "guest_tlb_miss"

    .data
    .align 4096
page1:    data8 0, 0x1111

// The guest's IVT: the alternate data TLB handler maps the region-1 page.
    .text
    .align 32768
guest_ivt:
    .skip 0x1000
    adds r14 = 1, r14                    // cr.ifa/cr.itir came with the fault
    movl r16 = page1 + PTE_RWX ;;
    itc.d r16 ;;
    rfi ;;
    .skip guest_ivt + 0x8000 - .
