// guestmem.s - guest memory.  Guest-physical p is machine address
// vm_base + p.  Guest regions have the walker off, so every TLB miss
// arrives here (alternate TLB vectors).  In physical mode (virtual PSR.dt
// = 0) an address's offset in its region is guest-physical and the miss
// is filled with a 16 MiB translation of that part of the VM's memory; in
// virtual mode the hypervisor's copy of the guest's translations (vtlb.s)
// gives the guest-physical page, and a miss there is the guest's own TLB
// miss, reflected to its IVT (its alternate TLB vectors: the guest's VHPT
// walker is not emulated).  The control device's page is passed through,
// uncached.  Anything else the guest touches outside its memory ends the
// run.
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
    LA r20, vpd ;;
    ld8 r20 = [r20] ;;
    tbit.nz p6, p0 = r20, 17             // virtual mode
(p6) br.cond.spnt virtual ;;
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
    .global guest_map_insert
2:
guest_map_insert:
    mov cr.itir = r23
    cmp.eq p10, p11 = 0, r30 ;;
(p10) itc.i r22 ;;
(p11) itc.d r22 ;;
    mov pr = r31, -1 ;;
    rfi ;;
// Virtual mode: r16 = the address, r18 its region, r30 the side.
virtual:
    LA r20, vpd + VPD_RR ;;
    shladd r20 = r18, 3, r20 ;;
    ld8 r27 = [r20]                      // the guest's RR
    LA r21, vtlb
    mov r22 = VTLB_N ;;
    extr.u r28 = r27, 8, 24              // its rid
3:  cmp.eq p7, p0 = 0, r22
(p7) br.cond.spnt guest_miss ;;
    ld8 r23 = [r21], 8 ;;                // page
    ld8 r24 = [r21], 8 ;;                // rid
    ld8 r25 = [r21], 8                   // ps | side | valid
    adds r22 = -1, r22 ;;
    ld8 r26 = [r21], 8                   // PTE
    cmp.eq p8, p0 = r24, r28
    extr.u r29 = r25, 8, 1 ;;
(p8) tbit.nz.and p8, p0 = r25, 16
(p8) cmp.eq.and p8, p0 = r29, r30
    extr.u r29 = r25, 0, 6 ;;
    shr.u r24 = r16, r29
    shr.u r17 = r23, r29 ;;
(p8) cmp.eq.and p8, p0 = r24, r17
(p8) br.cond.sptk vhit ;;
    br.cond.sptk 3b ;;
vhit:                                    // r26 = the guest's PTE, r29 = ps
    movl r17 = 0x0003fffffffff000 ;;     // PTE.ppn
    and r19 = r26, r17                   // guest-physical frame
    andcm r26 = r26, r17
    LA r24, vm_base ;;
    ld8 r25 = [r24], 8 ;;                // base
    ld8 r24 = [r24]                      // size
    mov r23 = -1 ;;
    shl r23 = r23, r29 ;;
    and r19 = r19, r23                   // the page, aligned to its size
    movl r17 = CTL ;;
    cmp.eq p10, p11 = r19, r17           // the control device: passed through
(p11) cmp.geu.unc p9, p0 = r19, r24 ;;
(p9) br.cond.spnt guest_bad
(p11) add r19 = r19, r25 ;;              // machine
    or r22 = r26, r19
    shl r23 = r29, 2
    br.sptk.many 2b ;;
// Not in the copy: the guest's own miss, to its alternate TLB vector, with
// its IFA and ITIR (from its region register) when its PSR.ic is set.
guest_miss:
    LA r24, vpd ;;
    ld8 r25 = [r24]
    adds r26 = VPD_CR + 20 * 8, r24
    movl r29 = 0xfffffffc ;;
    tbit.nz p6, p0 = r25, 13
    and r27 = r27, r29 ;;
(p6) st8 [r26] = r16, 8 ;;               // cr.ifa
(p6) st8 [r26] = r27                     // cr.itir
    cmp.eq p7, p8 = 0, r30 ;;
(p7) mov r16 = 0x0c00
(p8) mov r16 = 0x1000
    br.sptk.many reflect ;;
tlb_panic:
    PANIC 0x1001
guest_bad:                               // the guest left its memory: end the run
    movl r16 = R7 + CTL + CTL_EXIT
    mov r17 = 98 ;;
    st8 [r16] = r17
1:  br.cond.sptk 1b ;;
    .endp guest_tlb_miss
