// trapframe.s - the conventional emulation path (seed 000, "trap
// frame"): on a virtualization fault save the guest's whole interrupted
// state - predicates, IPSR/IIP, the register stack (cover, then a switch
// to the hypervisor's backing store), the application and branch
// registers, r1-r15 and bank-1 r16-r31 with their NaT bits - as an
// operating system's interruption path does (Linux/ia64 SAVE_MIN +
// SAVE_REST); then get the instruction (fetch and decode it, or take the
// cause and opcode the machine handed over), emulate it on the saved
// registers and the virtual processor state, restore everything, step
// past the instruction and rfi.  Also the fallback of the patch path.
//
// Supported: the kinds of defs.inc whose register operands are r0-r31
// (static and banked); a stacked operand (r32 and up) or an instruction
// outside the list ends the run with a failure code.
    .include "defs.inc"
    .include "decode.inc"
    .include "guestrr.inc"
    .include "trapframe.inc"

    .text
    .global tf_entry
    .proc tf_entry
tf_entry:                                // bank 0, ic = 0; r31 = pr; r24/r25 handed over
    TF_SAVE

    // The instruction: handed over, or fetched and decoded.
    extr.u r19 = r17, 41, 2
    LA r20, BI + BI_FAULTINFO ;;
    ld8 r20 = [r20] ;;
    cmp.ne p6, p7 = 0, r20 ;;
(p6) mov r26 = r25
(p6) movl r20 = R7 + cause_kind ;;
(p6) add r20 = r20, r24 ;;
(p6) ld1 r23 = [r20]
(p6) br.cond.sptk tf_emulate ;;
    FETCH_BUNDLE ;;
    PURGE_SCRATCH
    CLASSIFY ;;

// r23 kind, r26 slot.
tf_emulate:
    LA r16, tf ;;
    adds r1 = TF_GR, r16                 // the saved r0
    extr.u r2 = r26, 6, 7                // r1 field
    extr.u r3 = r26, 13, 7               // r2 field
    extr.u r4 = r26, 20, 7 ;;            // r3 field
    // The fields as frame slots (each routine checks that the fields it
    // uses as registers name r0-r31: USES below).
    extr.u r13 = r2, 0, 5
    extr.u r14 = r3, 0, 5
    extr.u r15 = r4, 0, 5 ;;
    shladd r5 = r13, 3, r1               // &r1-field register
    shladd r6 = r14, 3, r1               // &r2-field register
    shladd r7 = r15, 3, r1 ;;            // &r3-field register
    ld8 r9 = [r6]                        // r2-field register's value
    ld8 r10 = [r7]                       // r3-field register's value
    LA r11, vpd ;;
    ld8 r12 = [r11] ;;                   // the virtual PSR
    cmp.eq p6, p0 = K_FROM_PSR, r23
    cmp.eq p7, p0 = K_TO_PSRL, r23
    cmp.eq p8, p0 = K_SSM, r23
    cmp.eq p9, p0 = K_RSM, r23
    cmp.eq p10, p0 = K_FROM_CR, r23
    cmp.eq p11, p0 = K_TO_CR, r23
    cmp.eq p12, p0 = K_FROM_AR, r23
    cmp.eq p13, p0 = K_CPUID, r23
    cmp.eq p14, p0 = K_TO_RR, r23
    cmp.eq p15, p0 = K_FROM_RR, r23
    cmp.eq p16, p0 = K_COVER, r23
    cmp.eq p17, p0 = K_BSW0, r23
    cmp.eq p18, p0 = K_BSW1, r23
    cmp.eq p19, p0 = K_RFI, r23
    cmp.eq p20, p0 = K_THASH, r23
    cmp.eq p21, p0 = K_TTAG, r23
    cmp.eq p22, p0 = K_ITC_D, r23
    cmp.eq p23, p0 = K_ITC_I, r23
    cmp.eq p24, p0 = K_ITR_D, r23
    cmp.eq p25, p0 = K_ITR_I, r23
    cmp.eq p26, p0 = K_PTC, r23
    cmp.eq p27, p0 = K_PTR_D, r23
    cmp.eq p28, p0 = K_PTR_I, r23
    cmp.eq p29, p0 = K_PTC_E, r23 ;;
(p6) br.cond.sptk em_from_psr
(p7) br.cond.sptk em_to_psrl
(p8) br.cond.sptk em_ssm
(p9) br.cond.sptk em_rsm
(p10) br.cond.sptk em_from_cr
(p11) br.cond.sptk em_to_cr
(p12) br.cond.sptk em_from_ar
(p13) br.cond.sptk em_cpuid
(p14) br.cond.sptk em_to_rr
(p15) br.cond.sptk em_from_rr
(p16) br.cond.sptk em_cover
(p17) br.cond.sptk em_bsw
(p18) br.cond.sptk em_bsw
(p19) br.cond.sptk em_rfi
(p20) br.cond.sptk em_thash
(p21) br.cond.sptk em_ttag
(p22) br.cond.sptk em_itc
(p23) br.cond.sptk em_itc
(p24) br.cond.sptk em_itr
(p25) br.cond.sptk em_itr
(p26) br.cond.sptk em_ptc
(p27) br.cond.sptk em_ptr
(p28) br.cond.sptk em_ptr
(p29) br.cond.sptk em_ptc_e ;;
tf_unsupported:
    PANIC 0x2001

// The general emulation routines: the result goes to the saved register
// (r5 points at its slot), or the virtual state changes.
    .macro USES field
    cmp.ltu p6, p0 = 31, \field
(p6) br.cond.spnt tf_unsupported ;;
    .endm
em_from_psr:
    USES r2                             // PSR{31:0} and {36:35} (SDM Vol. 2 Table 3-1)
    movl r13 = 0x18ffffffff ;;
    and r8 = r12, r13
    br.sptk.many em_write ;;
em_to_psrl:
    USES r3
    xor r6 = r12, r9                     // bit 17: a change of mode
    extr.u r13 = r9, 0, 32
    shr.u r12 = r12, 32 ;;
    shl r12 = r12, 32 ;;
    or r12 = r12, r13 ;;
    st8 [r11] = r12
    tbit.nz p6, p7 = r6, 17
(p6) br.cond.spnt mode_check
(p7) br.cond.sptk tf_exit ;;
em_ssm:
em_rsm:                                  // imm24 = i{36} i2d{32:31} imm21{26:6}
    extr.u r13 = r26, 36, 1
    extr.u r14 = r26, 31, 2
    extr.u r15 = r26, 6, 21 ;;
    shl r13 = r13, 23
    shl r14 = r14, 21 ;;
    or r13 = r13, r14 ;;
    or r13 = r13, r15 ;;
(p8) or r12 = r12, r13
(p9) andcm r12 = r12, r13 ;;
    st8 [r11] = r12
    tbit.nz p6, p7 = r13, 17             // psr.dt in the mask: perhaps a new mode
(p6) br.cond.spnt mode_check
(p7) br.cond.sptk tf_exit ;;
em_from_cr:                              // the r3 field numbers the CR
    USES r2
    cmp.eq p6, p7 = 65, r4               // cr.ivr: the pending vector, or 15
    adds r13 = VPD_CR, r11 ;;
    shladd r13 = r4, 3, r13 ;;
(p7) ld8 r8 = [r13]
(p6) movl r13 = R7 + vtimer_pending ;;
(p6) ld8 r14 = [r13]
(p6) mov r8 = 15 ;;
(p6) tbit.nz.unc p8, p0 = r14, 8 ;;
(p8) extr.u r8 = r14, 0, 8
(p8) st8 [r13] = r0                      // in service now
    br.sptk.many em_write ;;
em_to_cr:
    USES r3
    adds r13 = VPD_CR, r11 ;;
    shladd r13 = r4, 3, r13 ;;
    st8 [r13] = r9
    br.sptk.many tf_exit ;;
em_from_ar:                              // ar.itc only: the guest sees the machine's
    USES r2
    cmp.ne p6, p0 = 44, r4
(p6) br.cond.spnt tf_unsupported ;;
    mov r8 = ar.itc
    br.sptk.many em_write ;;
em_cpuid:
    USES r2
    USES r4
    mov r8 = cpuid[r10]
    br.sptk.many em_write ;;
em_to_rr:                                // the guest's view; physical mode keeps the real ones
    USES r3
    USES r4
    adds r13 = VPD_RR, r11
    shr.u r14 = r10, 61 ;;
    shladd r13 = r14, 3, r13 ;;
    st8 [r13] = r9
    tbit.nz p6, p7 = r12, 17             // virtual mode uses the guest's rids
(p6) br.cond.spnt mode_check
(p7) br.cond.sptk tf_exit ;;
em_from_rr:
    USES r2
    USES r4
    adds r13 = VPD_RR, r11
    shr.u r14 = r10, 61 ;;
    shladd r13 = r14, 3, r13 ;;
    ld8 r8 = [r13]
    br.sptk.many em_write ;;
em_cover:                                // the VMM's own cover already covered the guest's frame
    adds r13 = TF_IFS, r16
    tbit.z p6, p0 = r12, 13 ;;           // virtual PSR.ic clear: the guest's IFS records it
    ld8 r14 = [r13]
    adds r15 = VPD_CR + 23 * 8, r11 ;;
(p6) st8 [r15] = r14
    movl r14 = 1 << 63 ;;                // rfi then leaves the guest's CFM empty
    st8 [r13] = r14
    br.sptk.many tf_exit ;;
em_bsw:                                  // the other bank lives in VPD_BANK: swap with the frame's
    mov r13 = 0 ;;
(p18) mov r13 = 1
    extr.u r14 = r12, 44, 1 ;;
    cmp.eq p6, p0 = r13, r14
    dep r12 = r13, r12, 44, 1 ;;
    st8 [r11] = r12
(p6) br.cond.spnt tf_exit ;;             // already on that bank
    adds r13 = TF_GR + 16 * 8, r16
    adds r14 = VPD_BANK, r11
    mov r15 = 16 ;;
1:  ld8 r8 = [r13]
    ld8 r9 = [r14] ;;
    st8 [r13] = r9, 8
    st8 [r14] = r8, 8
    adds r15 = -1, r15 ;;
    cmp.ne p7, p0 = 0, r15
(p7) br.cond.sptk 1b ;;
    br.sptk.many tf_exit ;;
em_rfi:                                  // the guest's return from its own handler
    adds r13 = VPD_CR + 16 * 8, r11 ;;
    ld8 r14 = [r13], (19 - 16) * 8 ;;    // the guest's IPSR
    ld8 r15 = [r13], (23 - 19) * 8 ;;    // IIP
    ld8 r8 = [r13]                       // IFS
    extr.u r9 = r14, 44, 1
    extr.u r10 = r12, 44, 1
    xor r6 = r12, r14 ;;                 // bit 17: a change of mode
    cmp.ne p6, p0 = r9, r10              // a bank change: swap the frame's banked slots
    dep r12 = 0, r14, 41, 2 ;;           // the new virtual PSR (the slot goes to the machine's)
    st8 [r11] = r12
(p6) adds r13 = TF_GR + 16 * 8, r16
(p6) adds r9 = VPD_BANK, r11
(p6) mov r10 = 16 ;;
1:
(p6) ld8 r2 = [r13]
(p6) ld8 r3 = [r9] ;;
(p6) st8 [r13] = r3, 8
(p6) st8 [r9] = r2, 8
(p6) adds r10 = -1, r10 ;;
(p6) cmp.ne p6, p0 = 0, r10
(p6) br.cond.sptk 1b ;;
    // IIP and slot from the guest's IIP/IPSR.ri; CFM from its IFS if valid.
    adds r13 = TF_IPSR, r16
    extr.u r9 = r14, 41, 2 ;;
    ld8 r10 = [r13] ;;
    dep r10 = r9, r10, 41, 2 ;;
    st8 [r13] = r10, TF_IIP - TF_IPSR ;;
    st8 [r13] = r15, TF_IFS - TF_IIP
    tbit.nz p7, p0 = r8, 63 ;;
(p7) st8 [r13] = r8
    tbit.z p6, p0 = r6, 17
(p6) br.cond.sptk tf_restore ;;
    SET_GUEST_RRS
    br.sptk.many tf_restore ;;
// thash and ttag on the guest's PTA and region registers (SDM Vol. 2
// 4.1.6; the long-format hash and tag as mmu.c models them): r10 = the
// address (r3 field), implemented address bits 50:0.
em_thash:
    USES r2
    USES r4
    shr.u r13 = r10, 61
    adds r14 = VPD_RR, r11 ;;
    shladd r14 = r13, 3, r14 ;;
    ld8 r14 = [r14]                      // the guest's RR of that region
    adds r15 = VPD_CR + 8 * 8, r11 ;;
    ld8 r15 = [r15]                      // the guest's PTA
    extr.u r9 = r10, 0, 51 ;;
    extr.u r3 = r14, 2, 6 ;;             // RR.ps
    shr.u r9 = r9, r3                    // the virtual page number
    extr.u r3 = r15, 2, 6                // PTA.size
    mov r8 = 1 ;;
    shl r8 = r8, r3 ;;
    adds r8 = -1, r8                     // Mask = 2^size - 1
    tbit.nz p6, p7 = r15, 8              // PTA.vf: long format
    extr.u r3 = r14, 8, 24 ;;            // RR.rid
(p6) xor r9 = r9, r3 ;;
(p6) shl r9 = r9, 5                      // 32-byte entries
(p7) shl r9 = r9, 3                      // 8-byte entries
    movl r12 = (1 << 61) - (1 << 15) ;;  // PTA{60:15}
    and r12 = r15, r12 ;;
    andcm r12 = r12, r8
    and r9 = r9, r8 ;;
    or r12 = r12, r9
(p6) extr.u r9 = r15, 61, 3              // the region: PTA's (long) or the address's
(p7) mov r9 = r13 ;;
    shl r9 = r9, 61 ;;
    or r8 = r12, r9
    br.sptk.many em_write ;;
em_ttag:
    USES r2
    USES r4
    shr.u r13 = r10, 61
    adds r14 = VPD_RR, r11 ;;
    shladd r14 = r13, 3, r14 ;;
    ld8 r14 = [r14]
    extr.u r9 = r10, 0, 51 ;;
    extr.u r3 = r14, 2, 6 ;;
    shr.u r9 = r9, r3
    extr.u r3 = r14, 8, 24 ;;
    shl r3 = r3, 39 ;;
    xor r8 = r9, r3 ;;
    dep r8 = 0, r8, 63, 1                // ti = 0
    br.sptk.many em_write ;;
// The virtual PSR or a region register changed: the machine's region
// registers follow the guest's mode (guestrr.inc).
mode_check:
    SET_GUEST_RRS
    br.sptk.many tf_exit ;;
em_write:
    cmp.eq p6, p0 = 0, r2
(p6) br.cond.spnt tf_unsupported ;;
    st8 [r5] = r8
    // The NaT bit of the result: clear it in the saved collection.
    adds r13 = TF_NATS, r16
    extr.u r14 = r5, 3, 6 ;;
    ld8 r15 = [r13]
    mov r9 = 1 ;;
    shl r9 = r9, r14 ;;
    andcm r15 = r15, r9 ;;
    st8 [r13] = r15
    br.sptk.many tf_exit ;;

// Restore the frame, with IIP/IPSR.ri stepped past the instruction.
    .global tf_exit
tf_exit:
    adds r20 = TF_IPSR, r16 ;;
    ld8 r17 = [r20], 8 ;;
    ld8 r18 = [r20] ;;
    extr.u r19 = r17, 41, 2 ;;
    cmp.eq p6, p7 = 2, r19 ;;
(p6) mov r19 = 0
(p6) adds r18 = 16, r18
(p7) adds r19 = 1, r19 ;;
    dep r17 = r19, r17, 41, 2 ;;
    st8 [r20] = r18, -8 ;;
    st8 [r20] = r17
    .global tf_restore
tf_restore:
    adds r29 = TF_NATS, r16 ;;
    ld8 r28 = [r29] ;;
    mov ar.unat = r28
    adds r2 = TF_GR + 16 * 8, r16 ;;
    bsw.1 ;;
    ld8.fill r16 = [r2], 8 ;;
    ld8.fill r17 = [r2], 8 ;;
    ld8.fill r18 = [r2], 8 ;;
    ld8.fill r19 = [r2], 8 ;;
    ld8.fill r20 = [r2], 8 ;;
    ld8.fill r21 = [r2], 8 ;;
    ld8.fill r22 = [r2], 8 ;;
    ld8.fill r23 = [r2], 8 ;;
    ld8.fill r24 = [r2], 8 ;;
    ld8.fill r25 = [r2], 8 ;;
    ld8.fill r26 = [r2], 8 ;;
    ld8.fill r27 = [r2], 8 ;;
    ld8.fill r28 = [r2], 8 ;;
    ld8.fill r29 = [r2], 8 ;;
    ld8.fill r30 = [r2], 8 ;;
    ld8.fill r31 = [r2], 8 ;;
    bsw.0 ;;
    adds r20 = TF_LOADRS, r16 ;;
    ld8 r27 = [r20], 8 ;;
    ld8 r26 = [r20], 8 ;;                // the guest's ar.unat, restored last
    ld8 r29 = [r20], 8 ;;
    mov ar.pfs = r29
    ld8 r29 = [r20], 8 ;;
    mov ar.ccv = r29
    ld8 r29 = [r20], 8 ;;
    mov ar.fpsr = r29
    ld8 r29 = [r20], 8 ;;
    mov ar.lc = r29
    ld8 r29 = [r20], 8 ;;
    mov b0 = r29
    ld8 r29 = [r20], 8 ;;
    mov b6 = r29
    ld8 r29 = [r20], 8 + 8 + 8 ;;        // past TF_NATS and r0: at r1
    mov b7 = r29
    ld8.fill r1 = [r20], 8 ;;
    ld8.fill r2 = [r20], 8 ;;
    ld8.fill r3 = [r20], 8 ;;
    ld8.fill r4 = [r20], 8 ;;
    ld8.fill r5 = [r20], 8 ;;
    ld8.fill r6 = [r20], 8 ;;
    ld8.fill r7 = [r20], 8 ;;
    ld8.fill r8 = [r20], 8 ;;
    ld8.fill r9 = [r20], 8 ;;
    ld8.fill r10 = [r20], 8 ;;
    ld8.fill r11 = [r20], 8 ;;
    ld8.fill r12 = [r20], 8 ;;
    ld8.fill r13 = [r20], 8 ;;
    ld8.fill r14 = [r20], 8 ;;
    ld8.fill r15 = [r20], 8 ;;
    mov ar.unat = r26
    // The register stack: the guest's dirty registers back into the
    // physical registers, then its own backing store.
    mov ar.rsc = r27 ;;
    loadrs ;;
    adds r20 = TF_BSPSTORE, r16 ;;
    ld8 r21 = [r20], 8 ;;
    ld8 r22 = [r20] ;;
    mov ar.bspstore = r21 ;;
    mov ar.rnat = r22
    adds r20 = TF_IPSR, r16 ;;
    ld8 r17 = [r20], 8 ;;
    ld8 r18 = [r20], 8 ;;
    ld8 r21 = [r20], 8 ;;
    ld8 r19 = [r20] ;;
    mov ar.rsc = r19
    mov cr.ipsr = r17
    mov cr.iip = r18
    mov cr.ifs = r21
    ld8 r29 = [r16] ;;
    mov pr = r29, -1 ;;
    rfi ;;
    .endp tf_entry
