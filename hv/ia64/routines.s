// routines.s - the templates of the emulation routines (seed 000, Figure
// 2: the code template map).  The patch manager copies one per
// (instruction kind, target or source register, parameter), fixes the
// register field of the instruction marked FIX - always slot 0 of its
// bundle - and enters it in the routine map.  A routine runs in bank 0
// with ic = 0 straight from the break vector: r17 = its parameter, r30 =
// the guest's b6, r31 = the guest's predicates.  It touches only bank-0
// registers (a banked guest register is reached through bsw.1 and
// cr.iim), updates the virtual state, steps IIP/IPSR.ri past the patched
// slot and returns with rfi: no trap frame, no fetch, no decode.
// Templates hold no IP-relative branch, so a copy runs anywhere.
    .include "defs.inc"
    .include "banks.inc"

// Step past the patched slot and return to the guest.
    .macro TAIL
    mov r16 = cr.ipsr
    mov r18 = cr.iip ;;
    extr.u r19 = r16, 41, 2 ;;
    cmp.eq p6, p7 = 2, r19 ;;
(p6) mov r19 = 0
(p6) adds r18 = 16, r18
(p7) adds r19 = 1, r19 ;;
    dep r16 = r19, r16, 41, 2 ;;
    mov cr.ipsr = r16
    mov cr.iip = r18
    mov b6 = r30
    mov pr = r31, -1 ;;
    rfi ;;
    .endm

// The value in r16 to the guest's banked register FIXed below (bank 1).
    .macro TO_BANKED fix
    mov cr.iim = r16 ;;
    { .mib
    nop.m 0
    nop.i 0
    bsw.1 ;; }
\fix:
    { .mii
    mov r16 = cr.iim                     // FIX r1
    nop.i 0
    nop.i 0 ;; }
    { .mib
    nop.m 0
    nop.i 0
    bsw.0 ;; }
    .endm

// The guest's banked register FIXed below into r16.
    .macro FROM_BANKED fix
    { .mib
    nop.m 0
    nop.i 0
    bsw.1 ;; }
\fix:
    { .mii
    mov cr.iim = r16                     // FIX r2
    nop.i 0
    nop.i 0 ;; }
    { .mib
    nop.m 0
    nop.i 0
    bsw.0 ;; }
    mov r16 = cr.iim ;;
    .endm

    .text
    .align 16
    .global tp_begin
tp_begin:

// mov r1 = psr: PSR{31:0} and {36:35} of the virtual PSR.
    .global tp_from_psr, tp_from_psr_b
tp_from_psr:
    LA r18, vpd + VPD_PSR ;;
    ld8 r16 = [r18]
    movl r19 = 0x18ffffffff ;;
    and r16 = r16, r19 ;;
tp_from_psr_fix:
    { .mii
    adds r1 = 0, r16                     // FIX r1
    nop.i 0
    nop.i 0 ;; }
    TAIL
    .align 16
tp_from_psr_end:
tp_from_psr_b:
    LA r18, vpd + VPD_PSR ;;
    ld8 r16 = [r18]
    movl r19 = 0x18ffffffff ;;
    and r16 = r16, r19 ;;
    TO_BANKED tp_from_psr_b_fix
    TAIL
    .align 16
tp_from_psr_b_end:

// mov r1 = ar.itc: the machine's interval time counter.
    .global tp_from_itc, tp_from_itc_b
tp_from_itc:
    { .mii
    mov r1 = ar.itc                      // FIX r1
    nop.i 0
    nop.i 0 ;; }
    TAIL
    .align 16
tp_from_itc_end:
tp_from_itc_b:
    { .mib
    nop.m 0
    nop.i 0
    bsw.1 ;; }
tp_from_itc_b_fix:
    { .mii
    mov r16 = ar.itc                     // FIX r1
    nop.i 0
    nop.i 0 ;; }
    { .mib
    nop.m 0
    nop.i 0
    bsw.0 ;; }
    TAIL
    .align 16
tp_from_itc_b_end:

// mov r1 = crN: the virtual CR at the address in r17 (cr.ivr: the
// spurious vector).
    .global tp_from_cr, tp_from_cr_b
tp_from_cr:
    { .mii
    ld8 r1 = [r17]                       // FIX r1
    nop.i 0
    nop.i 0 ;; }
    TAIL
    .align 16
tp_from_cr_end:
tp_from_cr_b:
    ld8 r16 = [r17] ;;
    TO_BANKED tp_from_cr_b_fix
    TAIL
    .align 16
tp_from_cr_b_end:

// mov crN = r2: into the virtual CR at the address in r17.
    .global tp_to_cr, tp_to_cr_b
tp_to_cr:
    { .mii
    st8 [r17] = r1                       // FIX r2
    nop.i 0
    nop.i 0 ;; }
    TAIL
    .align 16
tp_to_cr_end:
tp_to_cr_b:
    FROM_BANKED tp_to_cr_b_fix
    st8 [r17] = r16
    TAIL
    .align 16
tp_to_cr_b_end:

// ssm / rsm imm24: the mask is the parameter.
    .global tp_ssm, tp_rsm
tp_ssm:
    LA r18, vpd + VPD_PSR ;;
    ld8 r19 = [r18] ;;
    or r19 = r19, r17 ;;
    st8 [r18] = r19
    TAIL
    .align 16
tp_ssm_end:
tp_rsm:
    LA r18, vpd + VPD_PSR ;;
    ld8 r19 = [r18] ;;
    andcm r19 = r19, r17 ;;
    st8 [r18] = r19
    TAIL
    .align 16
tp_rsm_end:

// cover (break.b site): cover the guest's frame here, where it is still
// the current one; with the virtual PSR.ic clear the guest's IFS records
// it; rfi with IFS = {v, sof 0} leaves the frame covered.
    .global tp_cover
tp_cover:
    cover ;;
    LA r18, vpd + VPD_PSR ;;
    ld8 r19 = [r18]
    mov r20 = cr.ifs ;;
    tbit.z p6, p0 = r19, 13
    LA r21, vpd + VPD_CR + 23 * 8 ;;
(p6) st8 [r21] = r20
    movl r20 = 1 << 63 ;;
    mov cr.ifs = r20
    TAIL
    .align 16
tp_cover_end:

// bsw.0 / bsw.1 (break.b site), r17 = the bank switched to: a switch to
// the other bank swaps the machine's bank 1 with VPD_BANK (banks.inc).
    .global tp_bsw
tp_bsw:
    LA r18, vpd + VPD_PSR ;;
    ld8 r19 = [r18] ;;
    extr.u r20 = r19, 44, 1 ;;
    cmp.ne p7, p0 = r20, r17
    dep r19 = r17, r19, 44, 1 ;;
    st8 [r18] = r19
    SWAP_BANKS p7
    TAIL
    .align 16
tp_bsw_end:

// mov rr[r3] = r2 / mov r1 = rr[r3]: the guest's view (physical mode
// keeps the machine's); registers non-banked only.
    .global tp_to_rr, tp_from_rr
tp_to_rr:
    { .mii
    adds r20 = 0, r1                     // FIX r3 <- the value's register
    nop.i 0
    nop.i 0 ;; }
tp_to_rr_fix2:
    { .mii
    adds r16 = 0, r1                     // FIX r3 <- the address's register
    nop.i 0
    nop.i 0 ;; }
    shr.u r19 = r16, 61
    LA r18, vpd + VPD_RR ;;
    shladd r18 = r19, 3, r18
    LA r21, vpd + VPD_PSR ;;
    st8 [r18] = r20
    ld8 r21 = [r21] ;;
    // In virtual mode the machine's region register follows (guestrr.inc).
    tbit.nz p6, p0 = r21, 17
    extr.u r22 = r20, 8, 20
    extr.u r23 = r20, 2, 6 ;;
(p6) movl r21 = R7 + vm_vrid ;;       // this VM's rid base (guestrr.inc)
(p6) ld8 r21 = [r21] ;;
(p6) add r21 = r21, r22
(p6) cmp.gtu.unc p7, p0 = 12, r23 ;;
(p7) mov r23 = 12
(p6) shl r21 = r21, 8 ;;
(p6) shladd r21 = r23, 2, r21 ;;
(p6) mov rr[r16] = r21 ;;
    srlz.d ;;
    TAIL
    .align 16
tp_to_rr_end:
tp_from_rr:
    { .mii
    adds r16 = 0, r1                     // FIX r3
    nop.i 0
    nop.i 0 ;; }
    shr.u r16 = r16, 61
    LA r18, vpd + VPD_RR ;;
    shladd r18 = r16, 3, r18 ;;
tp_from_rr_fix2:
    { .mii
    ld8 r1 = [r18]                       // FIX r1
    nop.i 0
    nop.i 0 ;; }
    TAIL
    .align 16
tp_from_rr_end:

// mov r1 = cpuid[r3]: the machine's CPUID registers; both fields fixed.
    .global tp_cpuid
tp_cpuid:
    { .mii
    mov r1 = cpuid[r1]                   // FIX r1 and r3
    nop.i 0
    nop.i 0 ;; }
    TAIL
    .align 16
tp_cpuid_end:

// mov r1 = cr.ivr: the guest's pending timer vector, now in service, or
// 15, the spurious vector (vtimer.s).
    .global tp_ivr, tp_ivr_b
tp_ivr:
    LA r18, vtimer_pending ;;
    ld8 r19 = [r18]
    mov r16 = 15 ;;
    tbit.nz p6, p0 = r19, 8 ;;
(p6) extr.u r16 = r19, 0, 8
(p6) st8 [r18] = r0
    ;;
tp_ivr_fix:
    { .mii
    adds r1 = 0, r16                     // FIX r1
    nop.i 0
    nop.i 0 ;; }
    TAIL
    .align 16
tp_ivr_end:
tp_ivr_b:
    LA r18, vtimer_pending ;;
    ld8 r19 = [r18]
    mov r16 = 15 ;;
    tbit.nz p6, p0 = r19, 8 ;;
(p6) extr.u r16 = r19, 0, 8
(p6) st8 [r18] = r0
    ;;
    TO_BANKED tp_ivr_b_fix
    TAIL
    .align 16
tp_ivr_b_end:

// thash r1 = r3 / ttag r1 = r3: the guest's PTA and region registers, as
// the trap-frame path computes them (trapframe.s em_thash); registers
// non-banked only.
    .global tp_thash, tp_ttag
tp_thash:
    { .mii
    adds r16 = 0, r1                     // FIX r3 <- the address's register
    nop.i 0
    nop.i 0 ;; }
    shr.u r18 = r16, 61
    LA r19, vpd + VPD_RR ;;
    shladd r19 = r18, 3, r19
    LA r20, vpd + VPD_CR + 8 * 8 ;;
    ld8 r19 = [r19]                      // RR
    ld8 r20 = [r20] ;;                   // PTA
    extr.u r21 = r16, 0, 51
    extr.u r22 = r19, 2, 6 ;;
    shr.u r21 = r21, r22                 // vpn
    extr.u r22 = r20, 2, 6
    mov r23 = 1 ;;
    shl r23 = r23, r22 ;;
    adds r23 = -1, r23                   // Mask
    tbit.nz p6, p7 = r20, 8              // long format
    extr.u r22 = r19, 8, 24 ;;           // rid
(p6) xor r21 = r21, r22 ;;
(p6) shl r21 = r21, 5
(p7) shl r21 = r21, 3
    movl r22 = (1 << 61) - (1 << 15) ;;
    and r22 = r20, r22 ;;
    andcm r22 = r22, r23
    and r21 = r21, r23 ;;
    or r22 = r22, r21
(p6) extr.u r21 = r20, 61, 3
(p7) mov r21 = r18 ;;
    shl r21 = r21, 61 ;;
    or r16 = r22, r21 ;;
tp_thash_fix:
    { .mii
    adds r1 = 0, r16                     // FIX r1
    nop.i 0
    nop.i 0 ;; }
    TAIL
    .align 16
tp_thash_end:
tp_ttag:
    { .mii
    adds r16 = 0, r1                     // FIX r3 <- the address's register
    nop.i 0
    nop.i 0 ;; }
    shr.u r18 = r16, 61
    LA r19, vpd + VPD_RR ;;
    shladd r19 = r18, 3, r19 ;;
    ld8 r19 = [r19]
    extr.u r21 = r16, 0, 51 ;;
    extr.u r22 = r19, 2, 6 ;;
    shr.u r21 = r21, r22
    extr.u r22 = r19, 8, 24 ;;
    shl r22 = r22, 39 ;;
    xor r16 = r21, r22 ;;
    dep r16 = 0, r16, 63, 1 ;;
tp_ttag_fix:
    { .mii
    adds r1 = 0, r16                     // FIX r1
    nop.i 0
    nop.i 0 ;; }
    TAIL
    .align 16
tp_ttag_end:

// The template map: per kind, non-banked then banked variant: template,
// bundles, then up to two fixes: bundle holding the FIX instruction (slot
// 0) and bit of the field in the slot (6 r1, 13 r2, 20 r3; 0: none).
    .section .rodata
    .align 8
    .global tmpl_map
    .macro TMPL start, end, fixaddr, field, fix2addr=0, field2=0
    .ifeq \field2
    data8 R7 + \start, (\end - \start) / 16, (\fixaddr - \start) / 16, \field, 0, 0, 0, 0
    .else
    data8 R7 + \start, (\end - \start) / 16, (\fixaddr - \start) / 16, \field
    data8 (\fix2addr - \start) / 16, \field2, 0, 0
    .endif
    .endm
    .macro NOTMPL
    data8 0, 0, 0, 0, 0, 0, 0, 0
    .endm
tmpl_map:
    NOTMPL                                           // K_NONE
    NOTMPL
    TMPL tp_from_psr, tp_from_psr_end, tp_from_psr_fix, 6      // K_FROM_PSR
    TMPL tp_from_psr_b, tp_from_psr_b_end, tp_from_psr_b_fix, 6
    NOTMPL                                                      // K_TO_PSRL: may switch
    NOTMPL                                                      // modes (trap frame)
    TMPL tp_ssm, tp_ssm_end, tp_ssm, 0                          // K_SSM
    TMPL tp_ssm, tp_ssm_end, tp_ssm, 0
    TMPL tp_rsm, tp_rsm_end, tp_rsm, 0                          // K_RSM
    TMPL tp_rsm, tp_rsm_end, tp_rsm, 0
    TMPL tp_from_cr, tp_from_cr_end, tp_from_cr, 6              // K_FROM_CR
    TMPL tp_from_cr_b, tp_from_cr_b_end, tp_from_cr_b_fix, 6
    TMPL tp_to_cr, tp_to_cr_end, tp_to_cr, 13                   // K_TO_CR
    TMPL tp_to_cr_b, tp_to_cr_b_end, tp_to_cr_b_fix, 13
    TMPL tp_from_itc, tp_from_itc_end, tp_from_itc, 6           // K_FROM_AR (ar.itc)
    TMPL tp_from_itc_b, tp_from_itc_b_end, tp_from_itc_b_fix, 6
    TMPL tp_cpuid, tp_cpuid_end, tp_cpuid, 6, tp_cpuid, 20       // K_CPUID
    NOTMPL
    TMPL tp_to_rr, tp_to_rr_end, tp_to_rr, 20, tp_to_rr_fix2, 20 // K_TO_RR
    NOTMPL
    TMPL tp_from_rr, tp_from_rr_end, tp_from_rr_fix2, 6, tp_from_rr, 20 // K_FROM_RR
    NOTMPL
    NOTMPL                                                      // K_TO_AR: the trap frame's
    NOTMPL
    TMPL tp_cover, tp_cover_end, tp_cover, 0                    // K_COVER
    TMPL tp_cover, tp_cover_end, tp_cover, 0
    TMPL tp_bsw, tp_bsw_end, tp_bsw, 0                          // K_BSW0
    TMPL tp_bsw, tp_bsw_end, tp_bsw, 0
    TMPL tp_bsw, tp_bsw_end, tp_bsw, 0                          // K_BSW1
    TMPL tp_bsw, tp_bsw_end, tp_bsw, 0
    NOTMPL                                                      // K_RFI: the trap frame's
    NOTMPL
    TMPL tp_thash, tp_thash_end, tp_thash_fix, 6, tp_thash, 20  // K_THASH
    NOTMPL
    TMPL tp_ttag, tp_ttag_end, tp_ttag_fix, 6, tp_ttag, 20      // K_TTAG
    NOTMPL
    .rept K_PTC_E - K_TTAG                                      // the TLB instructions:
    NOTMPL                                                      // the trap frame's
    NOTMPL
    .endr
    TMPL tp_ivr, tp_ivr_end, tp_ivr_fix, 6                      // K_FROM_IVR
    TMPL tp_ivr_b, tp_ivr_b_end, tp_ivr_b_fix, 6
