// patch.s - the emulation-patch path (seed 000, Figures 2 and 3).
//
// virt_entry: a virtualization fault goes to the trap-frame path, or, when
//   the study chose hypervisor.emulation: patch, to the patch manager.
// patch_fault / static_scan: the patch manager.  It fetches and decodes the
//   instruction (decode.inc), decides whether it is patchable (an M-unit
//   instruction of a kind with a template, its register in r0-r31), finds
//   or builds the routine made for it - the emulation routine database
//   keyed by kind, register and parameter; building copies the template,
//   fixes its register field and enters it in the routine map as
//   BASE_ID + n - and rewrites the guest's slot as break.m BASE_ID + n
//   with the same qualifying predicate, flushing the code (fc, sync.i,
//   srlz.i).  The guest then re-executes the slot: now a break.  What is
//   not patchable takes the trap-frame path.  static_scan does the same
//   for every slot of the guest's code before it runs.
// break_entry: the emulation manager.  A break whose cr.iim is a routine's
//   id jumps through the routine map at once: no frame, no fetch, no
//   decode.  Any other break is the guest's own, reflected to its IVT
//   (reflect.s).
//
// Only bank-0 registers are used on the fault path (r1-r15 and bank 1 are
// the guest's); p63 says whether the manager serves the static scan.
    .include "defs.inc"
    .include "decode.inc"

// UNLOCK_ROUTINES: serve the next ticket (clobbers r20, r25).
    .macro UNLOCK_ROUTINES
    LA r25, patch_lock + 8 ;;
    ld8 r20 = [r25] ;;
    adds r20 = 1, r20 ;;
    st8.rel [r25] = r20
    .endm

    .text
    .global virt_entry
    .proc virt_entry
virt_entry:                              // r31 = pr
    LA r16, BI + BI_EMULATION ;;
    ld8 r16 = [r16] ;;
    cmp.eq p6, p7 = 0, r16
(p6) br.cond.sptk tf_entry ;;
    cmp.ne p63, p0 = r0, r0              // not the static scan
    mov r18 = cr.iip
    mov r17 = cr.ipsr ;;
    extr.u r19 = r17, 41, 2
    br.sptk.many patch_site ;;
    .endp virt_entry

// r18 = guest IIP of the bundle, r19 = slot.
    .proc patch_site
patch_site:
    FETCH_BUNDLE ;;
    CLASSIFY ;;
    // Patchable: a kind with a template, in the unit its kind has (B for
    // cover and bsw, M for the rest), operands in r0-r31.
    LA r16, tmpl_map
    shl r17 = r23, 7 ;;                  // two 64-byte entries per kind
    add r16 = r16, r17 ;;
    ld8 r16 = [r16]
    cmp.leu p9, p10 = K_COVER, r23 ;;     // B kinds: K_COVER .. K_RFI
(p9) cmp.geu p9, p10 = K_RFI, r23 ;;
(p9) cmp.ne p6, p0 = 2, r30              // B kinds in a B slot
(p10) cmp.ne p6, p0 = 0, r30             // the others in an M slot
    cmp.eq p7, p0 = 0, r16 ;;            // no template
(p6) br.cond.spnt not_patchable
(p7) br.cond.spnt not_patchable ;;
    LA r16, b_sites_used ;;
    ld8 r16 = [r16] ;;
(p9) cmp.leu.unc p8, p0 = MAX_BSITES, r16
(p8) br.cond.spnt not_patchable ;;
    extr.u r29 = r26, 20, 7              // r3 field: CR or AR number
    cmp.eq p9, p0 = K_FROM_AR, r23 ;;
(p9) cmp.ne.and p9, p0 = 44, r29         // only ar.itc
(p9) br.cond.spnt not_patchable ;;
    cmp.eq p10, p11 = K_TO_CR, r23
    cmp.eq p12, p0 = K_TO_PSRL, r23
    cmp.eq p13, p0 = K_TO_RR, r23 ;;
(p12) cmp.eq p10, p11 = r0, r0
(p13) cmp.eq p10, p11 = r0, r0
    ;;
(p10) extr.u r20 = r26, 13, 7            // source: the r2 field
(p11) extr.u r20 = r26, 6, 7             // target: the r1 field
    mov r30 = 0                          // a second register: the r3 field
    cmp.eq p12, p0 = K_FROM_RR, r23
    cmp.eq p14, p0 = K_CPUID, r23
    cmp.eq p15, p0 = K_THASH, r23
    cmp.eq p16, p0 = K_TTAG, r23 ;;
(p15) cmp.eq p14, p0 = r0, r0
(p16) cmp.eq p14, p0 = r0, r0 ;;
(p12) cmp.eq p13, p0 = r0, r0
(p14) cmp.eq p13, p0 = r0, r0 ;;
(p13) extr.u r30 = r26, 20, 7 ;;         // (rr index, cpuid index: non-banked only)
(p13) cmp.ltu.unc p15, p0 = 15, r30
(p13) cmp.ltu.unc p16, p0 = 15, r20      // their templates have no banked variant
    cmp.ltu p6, p0 = 31, r20 ;;
(p15) cmp.eq p6, p0 = r0, r0 ;;
(p16) cmp.eq p6, p0 = r0, r0
    cmp.eq p7, p0 = K_FROM_PSR, r23 ;;
(p7) cmp.eq.or p6, p0 = 0, r20           // a result cannot go to r0
    cmp.eq p8, p0 = K_FROM_CR, r23 ;;
(p8) cmp.eq.or p6, p0 = 0, r20
    cmp.eq p9, p0 = K_FROM_AR, r23 ;;
(p9) cmp.eq.or p6, p0 = 0, r20
(p12) cmp.eq.or p6, p0 = 0, r20
(p14) cmp.eq.or p6, p0 = 0, r20
(p6) br.cond.spnt not_patchable ;;
    LA r16, routines_used
    mov r17 = MAX_ROUTINES ;;
    ld8 r16 = [r16] ;;
    cmp.leu p6, p0 = r17, r16
(p6) br.cond.spnt not_patchable ;;
    // Patchable.  Parameter: the virtual CR's address, or the ssm/rsm mask.
    mov r17 = 0
    cmp.eq p6, p0 = K_FROM_CR, r23
    cmp.eq p7, p0 = K_TO_CR, r23 ;;
(p7) cmp.eq p6, p0 = r0, r0 ;;
(p6) movl r17 = R7 + vpd + VPD_CR ;;
(p6) shladd r17 = r29, 3, r17
    cmp.eq p8, p0 = K_FROM_CR, r23 ;;
(p8) cmp.eq.and p8, p0 = 65, r29 ;;      // cr.ivr takes the pending vector
(p8) mov r23 = K_FROM_IVR                // (vtimer.s): a routine of its own
    cmp.eq p9, p0 = K_SSM, r23
    cmp.eq p10, p0 = K_RSM, r23 ;;
(p10) cmp.eq p9, p0 = r0, r0 ;;
(p9) extr.u r17 = r26, 36, 1             // imm24 = i:i2d:imm21
(p9) extr.u r22 = r26, 31, 2 ;;
(p9) shl r17 = r17, 23
(p9) shl r22 = r22, 21 ;;
(p9) or r17 = r17, r22
(p9) extr.u r22 = r26, 6, 21 ;;
(p9) or r17 = r17, r22 ;;
(p9) tbit.nz.unc p10, p0 = r17, 17       // psr.dt: a mode switch, for the trap frame
(p10) br.cond.spnt not_patchable ;;
    cmp.eq p10, p0 = K_BSW1, r23 ;;
(p10) mov r17 = 1                        // bsw: the bank it switches to
    cmp.leu p11, p0 = K_COVER, r23 ;;
(p11) cmp.geu.unc p11, p0 = K_RFI, r23 ;;
(p11) mov r20 = 0                        // B kinds name no register
    ;;
    // The database key: kind | banked << 8 | register << 16 | second << 24.
    cmp.leu p6, p7 = 16, r20 ;;
(p6) mov r22 = 1
(p7) mov r22 = 0 ;;
    shl r24 = r22, 8
    shl r25 = r20, 16 ;;
    or r24 = r24, r25
    shl r25 = r30, 24 ;;
    or r24 = r24, r25 ;;
    or r24 = r24, r23                    // key
    shladd r22 = r23, 1, r22 ;;          // template index: kind * 2 + banked
    // Some kinds have no banked variant.
    LA r25, tmpl_map
    shl r30 = r22, 6 ;;
    add r25 = r25, r30 ;;
    ld8 r25 = [r25] ;;
    cmp.eq p6, p0 = 0, r25
(p6) br.cond.spnt not_patchable_late ;;
    // The routines are shared by the harts: one looks up and builds at a
    // time (a ticket lock: fetchadd takes a ticket, the hart waits until
    // patch_lock + 8 serves it).  The count is read again under it.
    // (The address in r16: the model decodes fetchadd only with r3 a
    // multiple of 8, its mask taking r3{2:0} for reserved bits.)
    LA r16, patch_lock ;;
    fetchadd8.acq r30 = [r16], 1
    adds r25 = 8, r16 ;;
7:  ld8.acq r29 = [r25] ;;
    cmp.ne p6, p0 = r29, r30
(p6) br.cond.spnt 7b ;;
    LA r16, routines_used ;;
    ld8 r16 = [r16]
    mov r29 = MAX_ROUTINES ;;
    cmp.leu p6, p0 = r29, r16
(p6) br.cond.spnt 8f ;;
    // Look the key and parameter up among the routines built so far.
    LA r25, routine_db
    mov r29 = 0 ;;
1:  cmp.eq p6, p0 = r29, r16
(p6) br.cond.spnt build ;;
    ld8 r20 = [r25], 8 ;;
    ld8 r30 = [r25], 16
    cmp.eq p7, p0 = r20, r24 ;;
(p7) cmp.eq.and p7, p0 = r30, r17
(p7) br.cond.spnt found ;;
    adds r29 = 1, r29
    br.cond.sptk 1b ;;
8:  UNLOCK_ROUTINES
    br.sptk.many not_patchable ;;
found:
    UNLOCK_ROUTINES
    br.sptk.many have_routine ;;

// Build routine n = r29 from template r22: copy, fix, map, flush.
build:
    LA r25, tmpl_map
    shl r20 = r22, 6 ;;                  // 64-byte entries
    add r25 = r25, r20 ;;
    ld8 r20 = [r25], 8 ;;                // template
    ld8 r30 = [r25], 8 ;;                // bundles
    shl r30 = r30, 1                     // words
    LA r25, routine_area ;;
    shl r22 = r29, 9 ;;                  // n * ROUTINE_BYTES
    add r25 = r25, r22 ;;
    mov r22 = r25 ;;                     // the routine
2:  ld8 r16 = [r20], 8 ;;
    st8 [r25] = r16, 8
    adds r30 = -1, r30 ;;
    cmp.ne p6, p0 = 0, r30
(p6) br.cond.sptk 2b ;;
    // Fixes: slot 0 of bundle `fixbundle`, field at 5 + `field` in word 0;
    // the first takes the register of key{23:16}, the second key{31:24}.
    LA r25, tmpl_map
    extr.u r20 = r24, 0, 8
    extr.u r16 = r24, 8, 1 ;;
    shladd r20 = r20, 1, r16 ;;
    shl r20 = r20, 6 ;;
    add r25 = r25, r20 ;;
    adds r25 = 16, r25
    LA r16, patch_words ;;               // the bundle's words, while r27/r28 serve here
    st8 [r16] = r27, 8 ;;
    st8 [r16] = r28
    mov r28 = 16 ;;                      // key bit of the register
4:  ld8 r20 = [r25], 8 ;;                // fix bundle
    ld8 r30 = [r25], 8 ;;                // field
    cmp.eq p6, p0 = 0, r30
(p6) br.cond.spnt 3f ;;
    shl r20 = r20, 4 ;;
    add r20 = r22, r20 ;;                // the bundle to fix
    ld8 r16 = [r20]
    adds r30 = 5, r30
    mov r27 = 0x7f ;;
    shl r27 = r27, r30 ;;
    andcm r16 = r16, r27
    shr.u r27 = r24, r28 ;;
    extr.u r27 = r27, 0, 8 ;;
    shl r27 = r27, r30 ;;
    or r16 = r16, r27 ;;
    st8 [r20] = r16
    cmp.eq p7, p0 = 16, r28
    adds r28 = 8, r28 ;;
(p7) br.cond.sptk 4b ;;
3:  LA r16, patch_words ;;
    ld8 r27 = [r16], 8 ;;
    ld8 r28 = [r16]
    fc r22 ;;
    sync.i ;;
    srlz.i ;;
    // Enter it: map[n] = routine, parameter; db[n] = key, parameter.
    LA r25, routine_map ;;
    shladd r25 = r29, 4, r25 ;;
    st8 [r25] = r22, 8 ;;
    st8 [r25] = r17
    LA r25, routine_db ;;
    shladd r20 = r29, 4, r0 ;;
    shladd r20 = r29, 3, r20 ;;          // 24-byte entries
    add r25 = r25, r20 ;;
    st8 [r25] = r24, 8 ;;
    st8 [r25] = r17
    LA r25, routines_used ;;
    adds r16 = 1, r29 ;;
    st8 [r25] = r16
    UNLOCK_ROUTINES
    COUNT_EVENT 1

// Rewrite slot r19 of the bundle (r27 low, r28 high words; r21 its address
// through the temporary translation) as break.m PATCH_BASE + n.
have_routine:
    // A B-unit slot gets break.b, whose cr.iim is 0: remember the site.
    cmp.leu p6, p0 = K_COVER, r23 ;;
(p6) cmp.geu.unc p6, p0 = K_RFI, r23 ;;
(p6) movl r25 = R7 + b_sites_used ;;
(p6) ld8 r16 = [r25] ;;
(p6) adds r17 = 1, r16
(p6) shladd r20 = r16, 4, r0 ;;
(p6) st8 [r25] = r17
(p6) shladd r20 = r16, 3, r20            // 24-byte entries
(p6) movl r25 = R7 + b_sites ;;
(p6) add r25 = r25, r20
(p6) mov r17 = rr[r18] ;;
(p6) or r16 = r18, r19                   // bundle address | slot
(p6) extr.u r17 = r17, 8, 24 ;;          // region id
(p6) st8 [r25] = r16, 8 ;;
(p6) st8 [r25] = r17, 8 ;;
(p6) st8 [r25] = r29
    movl r16 = PATCH_BASE ;;
    add r16 = r16, r29 ;;
    extr.u r17 = r16, 20, 1
    dep.z r16 = r16, 6, 20 ;;
    shl r17 = r17, 36
    extr.u r20 = r26, 0, 6 ;;            // the qualifying predicate stays
    or r16 = r16, r17 ;;
    or r16 = r16, r20                    // major 0, x3 0, x4 0, x2 0: break.m
    cmp.eq p8, p0 = 0, r19
    cmp.eq p9, p0 = 1, r19
    cmp.eq p10, p0 = 2, r19
    movl r17 = (1 << 41) - 1 ;;
(p8) shl r17 = r17, 5                    // slot 0: low word bits 45:5
(p8) shl r20 = r16, 5 ;;
(p8) andcm r27 = r27, r17 ;;
(p8) or r27 = r27, r20
(p9) extr.u r27 = r27, 0, 46             // slot 1: low word bits 63:46, high 22:0
(p9) shl r20 = r16, 46 ;;
(p9) or r27 = r27, r20
(p9) shr.u r20 = r16, 18
(p9) shr.u r28 = r28, 23 ;;
(p9) shl r28 = r28, 23 ;;
(p9) or r28 = r28, r20
(p10) extr.u r28 = r28, 0, 23            // slot 2: high word bits 63:23
(p10) shl r20 = r16, 23 ;;
(p10) or r28 = r28, r20 ;;
    st8 [r21] = r27, 8 ;;
    st8 [r21] = r28, -8 ;;
    fc r21 ;;
    sync.i ;;
    srlz.i ;;
    PURGE_SCRATCH
    LA r16, patches ;;
    ld8 r17 = [r16] ;;
    adds r17 = 1, r17 ;;
    st8 [r16] = r17
    COUNT_EVENT 0
(p63) br.cond.sptk scan_next ;;
    mov pr = r31, -1 ;;                  // re-execute the slot: now the break
    rfi ;;

not_patchable_late:                      // the checks above must have declined it
    PANIC 0x2003
not_patchable:
    PURGE_SCRATCH
(p63) br.cond.sptk scan_next ;;
    br.sptk.many tf_entry ;;             // the conventional path (r24/r25 untouched)
    .endp patch_site

// Static patching: every slot of [vm_xlo, vm_xhi) before the guest runs.
// State in r1-r3 (the guest has not started): guest address, end, slot.
    .global static_scan
    .proc static_scan
static_scan:
    LA r1, vm_xlo ;;
    ld8 r2 = [r1], 8 ;;
    ld8 r3 = [r1] ;;
    dep r1 = 0, r2, 0, 4                 // bundle-aligned
    mov r2 = r3
    mov r3 = 0
    cmp.eq p63, p0 = r0, r0 ;;
scan_slot:
    cmp.leu p6, p0 = r2, r1
(p6) br.cond.spnt scan_done ;;       // start.s: the next VM, or start
    mov r18 = r1
    mov r19 = r3
    br.sptk.many patch_site ;;
scan_next:
    adds r3 = 1, r3 ;;
    cmp.eq p6, p0 = 3, r3 ;;
(p6) mov r3 = 0
(p6) adds r1 = 16, r1
    br.sptk.many scan_slot ;;
    .endp static_scan

    .global break_entry
    .proc break_entry
break_entry:                             // r31 = pr
    mov r16 = cr.iim
    movl r17 = PATCH_BASE
    LA r19, routines_used ;;
    sub r18 = r16, r17
    ld8 r19 = [r19]
    mov r30 = b6 ;;
    cmp.eq p7, p0 = 0, r16
    cmp.ltu p6, p0 = r18, r19 ;;
(p7) br.cond.spnt b_lookup
(p6) br.cond.sptk dispatch ;;
    mov r16 = 0x2c00                     // the guest's own break: to its IVT
    br.sptk.many reflect ;;
b_lookup:                                // break.b: find the site by IIP.slot and region id
    mov r18 = cr.iip
    mov r19 = cr.ipsr ;;
    extr.u r19 = r19, 41, 2
    mov r20 = rr[r18] ;;
    or r18 = r18, r19
    extr.u r20 = r20, 8, 24
    LA r21, b_sites_used ;;
    ld8 r22 = [r21]
    LA r21, b_sites ;;
1:  cmp.eq p8, p0 = 0, r22
(p8) br.cond.spnt 2f ;;
    ld8 r23 = [r21], 8 ;;
    ld8 r24 = [r21], 8 ;;
    ld8 r25 = [r21], 8
    adds r22 = -1, r22
    cmp.eq p9, p0 = r23, r18 ;;
(p9) cmp.eq.and p9, p0 = r24, r20 ;;
(p9) mov r18 = r25
(p9) br.cond.sptk dispatch ;;
    br.cond.sptk 1b ;;
2:  mov r16 = 0x2c00                     // the guest's own break.b: to its IVT
    br.sptk.many reflect ;;
dispatch:                                // r18 = routine id
    LA r20, routine_map ;;
    shladd r20 = r18, 4, r20 ;;
    ld8 r21 = [r20], 8 ;;
    ld8 r17 = [r20]
    mov b6 = r21 ;;
    br.sptk.many b6 ;;
    .endp break_entry

    .section .rodata
    .align 8
// The decode table: key (unit << 16 | major << 12 | x3 << 8 | x6, or x4
// for major 0), kind.  SDM Vol. 3 ch. 4 (formats M29-M46).
    .global decode_table
decode_table:
    data8 0x1025, K_FROM_PSR             // mov r1 = psr
    data8 0x102d, K_TO_PSRL              // mov psr.l = r2
    data8 0x1024, K_FROM_CR              // mov r1 = cr3
    data8 0x102c, K_TO_CR                // mov cr3 = r2
    data8 0x1022, K_FROM_AR              // mov.m r1 = ar3
    data8 0x102a, K_TO_AR                // mov.m ar3 = r2
    data8 0x1017, K_CPUID                // mov r1 = cpuid[r3]
    data8 0x1000, K_TO_RR                // mov rr[r3] = r2
    data8 0x1010, K_FROM_RR              // mov r1 = rr[r3]
    data8 0x102e, K_ITC_D                // itc.d r2
    data8 0x102f, K_ITC_I                // itc.i r2
    data8 0x100e, K_ITR_D                // itr.d dtr[r3] = r2
    data8 0x100f, K_ITR_I                // itr.i itr[r3] = r2
    data8 0x1009, K_PTC                  // ptc.l r3, r2
    data8 0x100a, K_PTC                  // ptc.g r3, r2
    data8 0x100b, K_PTC                  // ptc.ga r3, r2
    data8 0x100c, K_PTR_D                // ptr.d r3, r2
    data8 0x100d, K_PTR_I                // ptr.i r3, r2
    data8 0x1034, K_PTC_E                // ptc.e r3
    data8 0x101a, K_THASH                // thash r1 = r3
    data8 0x101b, K_TTAG                 // ttag r1 = r3
    data8 0x0006, K_SSM                  // ssm imm24
    data8 0x0007, K_RSM                  // rsm imm24
    data8 0x20002, K_COVER               // cover (B8, x6 0x02)
    data8 0x2000c, K_BSW0                // bsw.0 (B8, x6 0x0c)
    data8 0x2000d, K_BSW1                // bsw.1 (B8, x6 0x0d)
    data8 0x20008, K_RFI                 // rfi (B8, x6 0x08)
    data8 -1, K_NONE
// VT-i cause code -> kind (shared/reference ia64-facts 7).
    .global cause_kind
cause_kind:
    .byte 0, K_TO_AR, 0, K_FROM_AR, K_TO_CR, K_FROM_CR, K_TO_PSRL, K_FROM_PSR
    .byte K_ITC_D, K_ITC_I, K_TO_RR, 0, 0, 0, 0, 0
    .byte K_ITR_D, K_ITR_I, K_FROM_RR, 0, 0, 0, 0, K_CPUID
    .byte K_SSM, K_RSM, K_PTC, K_PTC, K_PTC, K_PTR_D, K_PTR_I, K_THASH
    .byte K_TTAG, 0, 0, K_PTC_E, K_COVER, K_RFI, K_BSW0, K_BSW1
    .byte 0, 0, 0, 0, 0, 0, 0, 0
    .byte 0, 0, 0, 0, 0, 0, 0, 0
    .byte 0, 0, 0, 0, 0, 0, 0, 0
// Units of slots 0-2 per template (SDM Vol. 1 Table 3-10): 0 M, 1 I, 2 B,
// 3 F, 4 L/X, 5 reserved.
    .global tmpl_units
tmpl_units:
    .byte 0,1,1,0, 0,1,1,0, 0,1,1,0, 0,1,1,0      // 00-03 MII
    .byte 0,4,4,0, 0,4,4,0, 5,5,5,0, 5,5,5,0      // 04-05 MLX, 06-07 reserved
    .byte 0,0,1,0, 0,0,1,0, 0,0,1,0, 0,0,1,0      // 08-0B MMI
    .byte 0,3,1,0, 0,3,1,0, 0,0,3,0, 0,0,3,0      // 0C-0D MFI, 0E-0F MMF
    .byte 0,1,2,0, 0,1,2,0, 0,2,2,0, 0,2,2,0      // 10-11 MIB, 12-13 MBB
    .byte 5,5,5,0, 5,5,5,0, 2,2,2,0, 2,2,2,0      // 14-15 reserved, 16-17 BBB
    .byte 0,0,2,0, 0,0,2,0, 5,5,5,0, 5,5,5,0      // 18-19 MMB, 1A-1B reserved
    .byte 0,3,2,0, 0,3,2,0, 5,5,5,0, 5,5,5,0      // 1C-1D MFB, 1E-1F reserved
