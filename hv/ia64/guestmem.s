// guestmem.s - guest memory.  Guests run in physical mode: a guest
// address's offset in its region is guest-physical, and guest-physical p
// is machine address vm_base + p.  Guest regions have the walker off, so
// every TLB miss arrives here (alternate TLB vectors) and is filled with a
// 16 MiB translation of that part of the VM's memory.  The control
// device's page is passed through, uncached.  Anything else the guest
// touches outside its memory ends the run.
    .include "defs.inc"

    .text
    .global guest_tlb_miss
    .proc guest_tlb_miss
guest_tlb_miss:                          // r30: 0 instruction, 1 data; r31: pr
    mov r16 = cr.ifa
    mov r17 = cr.ipsr ;;
    tbit.z p6, p0 = r17, 46              // a miss of the hypervisor itself
(p6) br.cond.spnt tlb_panic ;;
    extr.u r18 = r16, 61, 3
    dep r19 = 0, r16, 61, 3 ;;           // guest-physical address
    cmp.eq p6, p0 = 7, r18
(p6) br.cond.spnt guest_bad ;;
    movl r20 = CTL
    shr.u r21 = r19, 12 ;;
    shr.u r20 = r20, 12 ;;
    cmp.eq p7, p8 = r20, r21 ;;
(p7) movl r22 = CTL | PTE_RWX | PTE_UC
(p7) mov r23 = 12 << 2
(p8) br.cond.sptk 1f ;;
    br.sptk.many 2f ;;
1:  LA r24, vm_base ;;
    ld8 r25 = [r24], 8 ;;                // base
    ld8 r26 = [r24] ;;                   // size
    cmp.geu p9, p0 = r19, r26
(p9) br.cond.spnt guest_bad ;;
    dep r27 = 0, r19, 0, 24
    movl r28 = PTE_RWX ;;
    add r22 = r25, r27 ;;
    or r22 = r22, r28
    mov r23 = 24 << 2 ;;
2:  mov cr.itir = r23
    cmp.eq p10, p11 = 0, r30 ;;
(p10) itc.i r22 ;;
(p11) itc.d r22 ;;
    mov pr = r31, -1 ;;
    rfi ;;
tlb_panic:
    PANIC 0x1001
guest_bad:                               // the guest left its memory: end the run
    movl r16 = R7 + CTL + CTL_EXIT
    mov r17 = 98 ;;
    st8 [r16] = r17
1:  br.cond.sptk 1b ;;
    .endp guest_tlb_miss
