// vtlb.s - the hypervisor's copy of the guest's translations.  The guest's
// itc/itr/ptc/ptr are privileged: each faults and is emulated here on the
// copy (trap-frame path), which the TLB-miss handler (guestmem.s) reads
// when the guest runs in virtual mode: a hit becomes a machine translation
// of the guest page to the VM's memory, a miss goes to the guest's own
// TLB handler (reflect.s).  Entries (vtlb in data.s, 32 bytes): page
// address (with its region bits), guest rid, ps | side << 8 | valid << 16
// (side 0 instruction, 1 data), PTE.  The 64 cache entries are replaced
// round robin; the 16 registers sit where itr puts them.
//
// Entered from tf_emulate with r9 = the r2-field register's value, r10 =
// the r3-field register's value, r11 = the VPD, r16 = the frame, r23 =
// the kind; ends in tf_exit.
    .include "defs.inc"

    .text
    .global em_itc, em_itr, em_ptc, em_ptr, em_ptc_e
    .proc em_itc
em_itc:                                  // itc.d / itc.i r2: IFA, ITIR from the guest's CRs
    cmp.eq p6, p7 = K_ITC_D, r23
    LA r13, vtc_next ;;
    ld8 r8 = [r13] ;;
    adds r2 = 1, r8 ;;
    and r2 = VTLB_TC - 1, r2 ;;
    st8 [r13] = r2
    br.sptk.many fill ;;
em_itr:                                  // itr.d dtr[r3] / itr.i itr[r3] = r2
    cmp.eq p6, p7 = K_ITR_D, r23
    extr.u r8 = r10, 0, 3 ;;
    adds r8 = VTLB_TC, r8 ;;
(p6) adds r8 = 8, r8
    br.sptk.many fill ;;
// Entry r8 = the guest's translation (p6: data side); drop the machine's
// translations of that page.
fill:
    adds r13 = VPD_CR + 20 * 8, r11 ;;
    ld8 r14 = [r13], 8 ;;                // IFA
    ld8 r15 = [r13]                      // ITIR
    shr.u r3 = r14, 61 ;;
    adds r13 = VPD_RR, r11
    extr.u r4 = r15, 2, 6 ;;             // ps
    shladd r13 = r3, 3, r13
    mov r2 = -1 ;;
    ld8 r13 = [r13]
    shl r2 = r2, r4 ;;
    and r2 = r14, r2                     // the page
    extr.u r13 = r13, 8, 24              // the guest's rid
    LA r3, vtlb ;;
    shl r8 = r8, 5 ;;
    add r3 = r3, r8
    mov r8 = 1 ;;
    shl r8 = r8, 16 ;;
(p6) adds r8 = 1 << 8, r8 ;;
    or r8 = r8, r4
    st8 [r3] = r2, 8 ;;
    st8 [r3] = r13, 8 ;;
    st8 [r3] = r8, 8 ;;
    st8 [r3] = r9
    shl r4 = r4, 2 ;;
    ptc.l r14, r4 ;;
    srlz.d ;;
    br.sptk.many tf_exit ;;
    .endp em_itc

    .proc em_ptc
em_ptc:                                  // ptc.l/g/ga r3, r2: the cache entries of both sides
    mov r6 = 0
    mov r7 = VTLB_TC
    mov r8 = 2 ;;
    br.sptk.many purge ;;
em_ptr:                                  // ptr.d/i r3, r2: that side's registers and cache
    mov r6 = 0
    mov r7 = VTLB_N
    cmp.eq p6, p7 = K_PTR_D, r23 ;;
(p6) mov r8 = 1
(p7) mov r8 = 0
    br.sptk.many purge ;;
em_ptc_e:                                // ptc.e: the whole cache, every region
    LA r3, vtlb + 16
    mov r6 = VTLB_TC ;;
3:  st8 [r3] = r0, 32
    adds r6 = -1, r6 ;;
    cmp.ne p6, p0 = 0, r6
(p6) br.cond.sptk 3b ;;
    br.sptk.many 2f ;;
// Invalidate entries [r6, r7) of side r8 (2: any) whose page overlaps
// [r10, r10 + 2^ps) (ps = r9{7:2}) in r10's region id; then the machine's.
purge:
    shr.u r3 = r10, 61
    extr.u r4 = r9, 2, 6
    adds r13 = VPD_RR, r11 ;;
    shladd r13 = r3, 3, r13
    mov r2 = 1 ;;
    ld8 r13 = [r13]
    shl r2 = r2, r4 ;;                   // the range's size
    adds r14 = -1, r2 ;;
    andcm r14 = r10, r14                 // its base
    extr.u r13 = r13, 8, 24              // rid
    LA r3, vtlb
    shl r15 = r6, 5 ;;
    add r3 = r3, r15 ;;
1:  cmp.leu p6, p0 = r7, r6
(p6) br.cond.spnt 2f ;;
    ld8 r4 = [r3], 8 ;;                  // page
    ld8 r15 = [r3], 8 ;;                 // rid
    ld8 r12 = [r3], -16                  // ps | side | valid
    cmp.eq p7, p0 = r15, r13 ;;
(p7) tbit.nz.and p7, p0 = r12, 16
    extr.u r15 = r12, 8, 1
    cmp.ne p8, p0 = 2, r8 ;;
(p8) cmp.ne.and p8, p0 = r15, r8         // another side: keep
    extr.u r15 = r12, 0, 6
    mov r12 = 1 ;;
    shl r12 = r12, r15 ;;
    add r12 = r4, r12                    // the entry's end
    add r15 = r14, r2 ;;                 // the range's end
(p7) cmp.ltu.unc p9, p0 = r4, r15 ;;
(p9) cmp.ltu.unc p10, p0 = r14, r12 ;;
(p8) cmp.ne p10, p0 = r0, r0             // p10 = false
    ;;
(p10) adds r15 = 16, r3 ;;
(p10) st8 [r15] = r0                     // invalid
    adds r3 = 32, r3
    adds r6 = 1, r6
    br.cond.sptk 1b ;;
2:  cmp.eq p6, p7 = K_PTC_E, r23 ;;
(p6) ptc.e r10
(p7) ptc.l r10, r9 ;;
    srlz.d ;;
    br.sptk.many tf_exit ;;
    .endp em_ptc
