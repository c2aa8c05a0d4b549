// vtimer.s - the guest's interval timer and its external interrupt.  The
// hypervisor owns the machine's timer: it ticks every TICK cycles (defs.inc; the
// external interrupt vector of its IVT).  At each tick the guest's
// virtual timer is checked - cr.itv unmasked and ar.itc past cr.itm, once
// per cr.itm value - and its vector made pending; a pending vector is
// delivered to the guest's IVT (0x3000) when its PSR.i is set and its TPR
// lets the vector's class through.  The guest's cr.ivr read takes the
// pending vector (trapframe.s); cr.eoi ends it.  Delivery waits for the
// next tick: the guest sees its timer up to TICK cycles late.  With
// several VMs the machine's timer also fires at the scheduler's ticks
// (sched.s); the virtual-timer check of such a tick waits for the next.
    .include "defs.inc"

    .text
    .global vmm_tick, vtimer_start
    .proc vmm_tick
// Arm the hypervisor's tick and give the guest a masked virtual timer, as
// at reset (clobbers r16-r18).
vtimer_start:
    mov r16 = ar.itc
    movl r17 = TICK ;;
    add r16 = r16, r17
    mov r18 = VMM_TIMER_VEC ;;
    mov cr.itv = r18
    mov cr.tpr = r0
    mov cr.itm = r16
    LA r17, vpd + VPD_CR + 72 * 8
    movl r18 = 1 << 16 ;;
    st8 [r17] = r18                      // the guest's cr.itv: masked
    srlz.d ;;
    br.sptk.many launch ;;

vmm_tick:                                // bank 0, ic = 0; r31 = pr
    mov r16 = cr.ivr ;;
    srlz.d ;;
    mov cr.eoi = r0
    mov r17 = ar.itc
    movl r18 = TICK ;;
    add r18 = r17, r18
    // With several VMs, the scheduler's tick (sched.s): the timer fires at
    // it when it comes before the next 20,000 cycles, and the tick that
    // reaches it goes to the scheduler.
    LA r19, sched_next ;;
    ld8 r19 = [r19] ;;
    cmp.ne p6, p0 = 0, r19 ;;
(p6) cmp.ltu.unc p7, p0 = r17, r19 ;;   // not due yet
(p7) cmp.ltu.unc p7, p0 = r19, r18 ;;   // and before the next tick
(p7) mov r18 = r19 ;;
    mov cr.itm = r18
(p6) cmp.leu.unc p6, p0 = r19, r17 ;;
(p6) br.cond.spnt sched_tick
    LA r19, vpd + VPD_CR + 72 * 8        // the guest's cr.itv
    LA r20, vpd + VPD_CR + 1 * 8 ;;      // its cr.itm
    ld8 r21 = [r19]
    ld8 r22 = [r20]
    LA r23, vtimer_fired ;;
    ld8 r24 = [r23]
    tbit.z p6, p0 = r21, 16 ;;           // unmasked
(p6) cmp.leu.unc p7, p0 = r22, r17 ;;    // reached
(p7) cmp.ne.unc p8, p0 = r22, r24 ;;     // not yet for this value
(p8) st8 [r23] = r22
(p8) extr.u r25 = r21, 0, 8
    LA r26, vtimer_pending ;;
(p8) adds r25 = 0x100, r25 ;;            // valid | vector
(p8) st8 [r26] = r25
    ld8 r25 = [r26]
    LA r27, vpd ;;
    ld8 r28 = [r27]                      // the guest's PSR
    adds r29 = VPD_CR + 66 * 8, r27 ;;
    ld8 r29 = [r29]                      // its TPR
    cmp.ne p9, p0 = 0, r25 ;;
(p9) tbit.nz.and p9, p0 = r28, 14        // psr.i
(p9) tbit.z.and p9, p0 = r29, 16 ;;      // not tpr.mmi
    extr.u r30 = r25, 4, 4
    extr.u r29 = r29, 4, 4 ;;
(p9) cmp.ltu.unc p9, p0 = r29, r30       // the vector's class above tpr.mic
(p9) br.cond.spnt deliver ;;
    mov pr = r31, -1 ;;
    rfi ;;
deliver:
    mov r16 = 0x3000
    br.sptk.many reflect ;;
    .endp vmm_tick
