// reflect.s - delivering an interruption the machine took from the guest
// to the guest's own IVT, as the architecture would have delivered it on
// the virtual processor (SDM Vol. 2 5.5): with the virtual PSR.ic set the
// guest's IPSR (its virtual PSR and the slot), IIP, IFS (not valid), ISR
// and IIM are written; ISR.ni = !PSR.ic; the new virtual PSR keeps up,
// mfl, mfh, pk, dt, rt, mc, it and takes be/pp from the virtual DCR; the
// guest's handler runs on its bank 0 (swapped in when it was on bank 1);
// it starts at its IVA + the vector.  The machine's PSR (vm, ic, bank 1)
// is the guest's container and does not change.  A guest without an IVT
// ends the run.
//
// Reflected so far: the guest's own breaks (break_entry) and its TLB
// misses in virtual mode (guestmem.s).  The guest
// returns with rfi, which the hypervisor emulates (trapframe.s).
    .include "defs.inc"
    .include "banks.inc"

    .text
    .global reflect
    .proc reflect
reflect:                                 // r16 = vector offset; r31 = pr; bank 0, ic = 0
    mov r26 = r16
    LA r24, vpd ;;
    ld8 r25 = [r24]                      // the virtual PSR
    adds r27 = VPD_CR + 2 * 8, r24 ;;
    ld8 r27 = [r27] ;;                   // the virtual IVA
    dep r27 = 0, r27, 0, 15 ;;
    cmp.eq p6, p0 = 0, r27
(p6) br.cond.spnt no_guest_ivt ;;
    mov r28 = cr.ipsr
    mov r29 = cr.iip
    mov r30 = cr.isr ;;
    tbit.nz p6, p7 = r25, 13             // virtual PSR.ic
    extr.u r20 = r28, 41, 2 ;;
    dep r21 = r20, r25, 41, 2            // the guest's IPSR: its PSR and the slot
(p7) dep r30 = -1, r30, 39, 1            // ISR.ni
(p6) dep r30 = 0, r30, 39, 1
    adds r22 = VPD_CR + 16 * 8, r24 ;;
(p6) st8 [r22] = r21, (19 - 16) * 8 ;;   // cr.ipsr
(p6) st8 [r22] = r29, (23 - 19) * 8 ;;   // cr.iip
(p6) st8 [r22] = r0 ;;                   // cr.ifs: not valid
    adds r22 = VPD_CR + 17 * 8, r24
    mov r23 = 0x2c00 ;;
    cmp.eq p9, p0 = r23, r26             // breaks write cr.iim too
    mov r23 = cr.iim ;;
(p7) cmp.ne p9, p0 = r0, r0
    st8 [r22] = r30, (24 - 17) * 8 ;;    // cr.isr, always
(p9) st8 [r22] = r23                     // cr.iim
    // The new virtual PSR.
    movl r22 = (1 << 2) | (1 << 4) | (1 << 5) | (1 << 15) | (1 << 17) | (1 << 27) | (1 << 35) | (1 << 36)
    adds r23 = VPD_CR + 0 * 8, r24 ;;
    ld8 r23 = [r23]                      // the virtual DCR: pp{0}, be{1}
    and r20 = r25, r22 ;;
    extr.u r22 = r23, 0, 1
    extr.u r23 = r23, 1, 1 ;;
    dep r20 = r22, r20, 21, 1 ;;         // pp
    dep r20 = r23, r20, 1, 1             // be
    tbit.nz p8, p0 = r25, 44 ;;          // the guest was on its bank 1
    st8 [r24] = r20
    SWAP_BANKS p8
    // Enter the guest's handler: its IVA + the vector, slot 0.
    LA r24, vpd + VPD_CR + 2 * 8 ;;
    ld8 r27 = [r24] ;;
    dep r27 = 0, r27, 0, 15 ;;
    add r27 = r27, r26
    mov r28 = cr.ipsr ;;
    dep r28 = 0, r28, 41, 2 ;;
    mov cr.ipsr = r28
    mov cr.iip = r27
    LA r24, reflections ;;
    ld8 r25 = [r24] ;;
    adds r25 = 1, r25 ;;
    st8 [r24] = r25
    mov pr = r31, -1 ;;
    rfi ;;
no_guest_ivt:
    PANIC 0x3001
    .endp reflect
