// sched.s - several VMs on each hart, time-sliced by the hypervisor's
// timer, and seed 003's state management unit ([0050]-[0063], Figure 5),
// with the same policies, parameters and reports as the IA-32 hypervisor's
// scheduler (hv/x86/sched.c), so the two ISAs can be compared.
//
// Several harts ([0065]-[0070]): VM i runs on hart i mod nharts, nharts =
// min(machine harts, VMs, MAX_HARTS); each hart runs this scheduler over
// its own run queue with its own timer and counters, its running VM's
// state in its per-hart area (defs.inc).  Hart 0 prepares every VM and
// starts the others (sched_start, sched_ap).  Hyperthreads ([0074]-
// [0076]): each thread publishes its VM's miss rate in its core's record
// (core_recs), which smt_pair reads.
//
// The tick: the hypervisor owns cr.itm/cr.itv (vtimer.s ticks every TICK
// cycles on VMM_TIMER_VEC, its own vector; the guest's timer is virtual).
// With more than one VM, a tick at or past sched_next is a scheduler tick
// (one every hypervisor.sched.tick cycles, so it comes up to TICK cycles
// late): the guest is saved in the trap frame (TF_SAVE), the counters are
// read, and the policy decides whether the running VM goes on, stretches
// or ends its quantum (Figure 5: evaluate 504-508, increase 510/512 or
// decrease 514).
//
// Counters (SDM Vol. 2 7.2; model/cpu/ia64/extint.c: pmc4-7 select
// vtsim's EMON events by number in es{15:8}, pmd4-7 count): pmd4
// instructions retired in a guest, pmd5 last-level (L3 on Itanium 2)
// misses, pmd6 BTB hits, pmd7 BTB misses, every privilege level.  The
// hypervisor's own work is counted too; it is small next to a tick.
//
// The world switch: each VM has an area (vm_areas) holding what the
// running VM keeps in the hypervisor's fixed places while it runs - the
// trap frame (predicates, IPSR/IIP/IFS, RSC, BSPSTORE, RNAT, the dirty
// bytes of its register stack, UNAT, PFS, CCV, FPSR, LC, b0/b6/b7, r1-r15
// and bank-1 r16-r31 with NaTs), b1-b5 and EC, its virtual processor
// state (PSR, the other bank of r16-r31, CRs including its timer's
// cr.itm/itv, RRs), its copy of its translations (vtlb.s), its virtual
// timer's pending vector, its patch sites (patch.s) and its placement.
// Switching copies the running VM's out and the next one's in through
// memory, moves the next VM's dirty stacked registers back onto the
// hypervisor's backing store (flushrs before, loadrs in tf_restore),
// loads its region registers and returns to it through tf_restore.  The
// machine's TLB keeps every VM's translations apart by region id
// (guestrr.inc), so none is purged.  The machine has no floating-point
// registers to switch (the model executes no FP instructions).
    .include "defs.inc"
    .include "guestrr.inc"
    .include "trapframe.inc"

// vtsim EMON event numbers (model/cpu/emon/events.def rows).
    EV_GUEST_INSTRUCTIONS = 2
    EV_L3_MISSES = 7
    EV_BTB_HITS = 11
    EV_BTB_MISSES = 12
    PLM_ALL = 0xf                        // count at every privilege level

    POL_EXTEND_WARM = 1
    POL_CUT_AFTER_FLUSH = 2
    POL_BTB_LOOP = 3
    POL_PAYBACK = 4
    POL_PROFILE = 5
    POL_SMT_PAIR = 6
    MAX_THREADS = 8                      // machine.threads_per_core's bound
    CORE_REC = 128                       // a core's record: vm[8], then rate[8]

// A VM's area.
    VA_SHIFT = 14                        // 16 KiB each
    VA_TF = 0                            // the trap frame
    TF_WORDS = TF_GR / 8 + 32
    VA_BR = 0x200                        // b1-b5, ar.ec, the RNAT of its dirty bytes
    VA_MISC = 0x240                      // vm_base..vm_id, vtc_next, vtimer_pending/fired,
                                         // b_sites_used
    VA_PROF = 0x300                      // the state management unit's profile
    P_SWIN = VA_PROF                     // ITC when it was switched in
    P_BUDGET = VA_PROF + 8               // its quantum this time
    P_TICKS = VA_PROF + 16               // ticks in this quantum
    P_LRATE = VA_PROF + 24               // the previous tick's miss rate
    P_LBTB = VA_PROF + 32                // and BTB hit percentage
    P_PMC = VA_PROF + 40                 // pmd4-7 at the last reading
    P_COLD = VA_PROF + 72                // x16 averages of first-tick and later-tick
    P_WARM = VA_PROF + 80                // miss rates ([0063]: recent and long history)
    P_DEBT = VA_PROF + 88                // time owed to it (payback)
    P_QUANTA = VA_PROF + 96              // quanta it ended
    P_ORATE = VA_PROF + 104              // its miss rate at the last tick it ran
    VA_RBS = 0x400                       // its dirty stacked registers, up to 1 KiB
    VA_RBS_WORDS = 128
    VA_VPD0 = 0x800                      // vpd [0, 0x180): PSR, the other bank
    VA_VPD1 = 0xa00                      // vpd [0x800, 0xc40): CRs, RRs
    VA_VTLB = 0x1000
    VA_BSITES = 0x1c00

// COPYW dst, src, n: n words (register or immediate, n >= 1) from [src]
// to [dst], both advanced.  Clobbers r29, r30, ar.lc.
    .macro COPYW dst, src, n
    adds r29 = -1, \n ;;
    mov ar.lc = r29 ;;
.Lcw\@:
    ld8 r30 = [\src], 8 ;;
    st8 [\dst] = r30, 8
    br.cloop.sptk.few .Lcw\@ ;;
    .endm

// XFER save, off, sym, n: n words between the area at r8 + off and the
// hypervisor's symbol: into the area when save is 1, out of it when 0.
// Clobbers r9, r10, r29, r30, ar.lc.
    .macro XFER save, off, sym, n
    mov r9 = \off
    movl r10 = R7 + \sym ;;
    add r9 = r9, r8
    mov r30 = \n ;;
    .if \save
    COPYW r9, r10, r30
    .else
    COPYW r10, r9, r30
    .endif
    .endm

// VM_STATE save: the running VM's state in the hypervisor's fixed places
// to (1) or from (0) the area at r8.
    .macro VM_STATE save
    XFER \save, VA_TF, tf, TF_WORDS
    XFER \save, VA_MISC, vm_base, 6
    XFER \save, VA_MISC + 48, vtc_next, 1
    XFER \save, VA_MISC + 56, vtimer_pending, 2
    XFER \save, VA_MISC + 72, b_sites_used, 1
    XFER \save, VA_VPD0, vpd, 0x180 / 8
    XFER \save, VA_VPD1, vpd + 0x800, 0x440 / 8
    XFER \save, VA_VTLB, vtlb, VTLB_N * 4
    XFER \save, VA_BSITES, b_sites, 3 * MAX_BSITES
    .endm

// UDIV q, a, b: q = a / b for a, b below 2^32, b != 0 (IA-64 has no
// integer divide; shift and subtract).  Clobbers r25-r28, p14, p15.
    .macro UDIV q, a, b
    mov r26 = 0                          // remainder
    mov r27 = 0                          // quotient
    mov r28 = 31 ;;
.Ld\@:
    shr.u r25 = \a, r28
    shl r26 = r26, 1
    shl r27 = r27, 1 ;;
    and r25 = 1, r25 ;;
    or r26 = r26, r25 ;;
    cmp.geu p14, p0 = r26, \b
    adds r28 = -1, r28 ;;
(p14) sub r26 = r26, \b
(p14) adds r27 = 1, r27
    cmp.le p15, p0 = r0, r28
(p15) br.cond.sptk .Ld\@ ;;
    mov \q = r27 ;;
    .endm

// MUL q, a, b: q = (a * b) mod 2^32, as the IA-32 scheduler's 32-bit
// arithmetic gives (no integer multiply outside the FP unit; shift and
// add).  Clobbers r25-r27, p14, p15.
    .macro MUL q, a, b
    mov r25 = \a
    mov r26 = \b
    mov r27 = 0 ;;
.Lm\@:
    cmp.eq p15, p0 = 0, r26
(p15) br.cond.spnt .Lme\@ ;;
    tbit.nz p14, p0 = r26, 0 ;;
(p14) add r27 = r27, r25
    shl r25 = r25, 1
    shr.u r26 = r26, 1
    br.cond.sptk .Lm\@ ;;
.Lme\@:
    extr.u \q = r27, 0, 32 ;;
    .endm

// PMC_SETUP: pmc4-7 count the four events at every privilege level.
// Clobbers r2, r3.
    .macro PMC_SETUP
    mov r2 = 4
    mov r3 = (EV_GUEST_INSTRUCTIONS << 8) | PLM_ALL ;;
    mov pmc[r2] = r3
    adds r2 = 1, r2
    mov r3 = (EV_L3_MISSES << 8) | PLM_ALL ;;
    mov pmc[r2] = r3
    adds r2 = 1, r2
    mov r3 = (EV_BTB_HITS << 8) | PLM_ALL ;;
    mov pmc[r2] = r3
    adds r2 = 1, r2
    mov r3 = (EV_BTB_MISSES << 8) | PLM_ALL ;;
    mov pmc[r2] = r3 ;;
    srlz.d ;;
    .endm

// NEXT_VM dst: the VM after r1 in this hart's run queue (VM hart, hart +
// nharts, ...; r1 itself when it is the hart's only VM).  Clobbers r25,
// p14.
    .macro NEXT_VM dst
    LA r25, nharts ;;
    ld8 r25 = [r25] ;;
    add \dst = r1, r25
    LA r25, BI + BI_NVMS ;;
    ld8 r25 = [r25] ;;
    cmp.geu p14, p0 = \dst, r25 ;;
(p14) movl r25 = R7 + my_hart ;;
(p14) ld8 \dst = [r25] ;;
    .endm

// PUBLISH rate: with hyperthreads, this thread runs VM r1 (stored + 1)
// at miss rate `rate`, in its core's record (hv/x86/sched.c publish()).
// Each thread writes its own words only.  Clobbers r16, r17, r25, r26, p14.
    .macro PUBLISH rate
    LA r16, my_slot ;;
    ld8 r17 = [r16], 8 ;;
    ld8 r25 = [r16], 8 ;;
    ld8 r26 = [r16]
    cmp.ltu p14, p0 = 1, r25 ;;
(p14) shladd r26 = r17, 3, r26
    adds r17 = 1, r1 ;;
(p14) st8.rel [r26] = r17
(p14) adds r26 = 64, r26 ;;
(p14) st8.rel [r26] = \rate
    .endm

// SIB_STREAMS th: p12 = another thread of this core runs a VM whose last
// tick missed at least th per 10,000 instructions (sibling_streams() in
// hv/x86/sched.c).  Clobbers r16, r17, r25-r28, p14, p15.
    .macro SIB_STREAMS th
    LA r16, my_slot ;;
    ld8 r17 = [r16], 8 ;;
    ld8 r25 = [r16], 8 ;;
    ld8 r26 = [r16]
    mov r27 = 0
    cmp.ne p12, p0 = r0, r0 ;;
.Lss\@:
    cmp.eq p14, p0 = r27, r25
(p14) br.cond.spnt .Lse\@ ;;
    cmp.ne p15, p0 = r27, r17
    shladd r28 = r27, 3, r26 ;;
(p15) ld8.acq r16 = [r28]
    adds r28 = 64, r28 ;;
(p15) ld8.acq r28 = [r28] ;;
(p15) cmp.ne.unc p15, p0 = 0, r16 ;;
(p15) cmp.geu.unc p15, p0 = r28, \th ;;
(p15) cmp.eq p12, p0 = r0, r0
    adds r27 = 1, r27
    br.cond.sptk .Lss\@ ;;
.Lse\@:
    .endm

// HART_PLACE: hart r1's thread in its core (hart mod threads per core),
// the core's threads and its record (core = hart / threads per core), as
// hv/x86/sched.c sched_start().  Clobbers r2-r5, p6.
    .macro HART_PLACE
    LA r2, BI + BI_TPC ;;
    ld8 r3 = [r2]
    mov r4 = r1
    mov r5 = 0 ;;
    cmp.eq p6, p0 = 0, r3 ;;
(p6) mov r3 = 1 ;;
.Lhp\@:
    cmp.ltu p6, p0 = r4, r3
(p6) br.cond.sptk .Lhe\@ ;;
    sub r4 = r4, r3
    adds r5 = 1, r5
    br.cond.sptk .Lhp\@ ;;
.Lhe\@:
    LA r2, my_slot ;;
    st8 [r2] = r4, 8
    cmp.ltu p6, p0 = MAX_THREADS, r3 ;;
(p6) mov r3 = MAX_THREADS
    shl r5 = r5, 7                       // CORE_REC
    LA r4, core_recs ;;
    st8 [r2] = r3, 8
    add r4 = r4, r5 ;;
    st8 [r2] = r4
    .endm

    .text
// sched_start: more than one VM.  Program the counters, switch VM 0 in
// and arm the first scheduler tick; then start the hypervisor's timer.
    .global sched_start
    .proc sched_start
sched_start:
    // The harts that run VMs: min(machine harts, VMs, MAX_HARTS).
    LA r2, BI + BI_HARTS ;;
    ld8 r3 = [r2], BI_NVMS - BI_HARTS ;;
    ld8 r4 = [r2]
    cmp.eq p6, p0 = 0, r3 ;;
(p6) mov r3 = 1 ;;
    cmp.ltu p6, p0 = r4, r3 ;;
(p6) mov r3 = r4 ;;
    cmp.ltu p6, p0 = MAX_HARTS, r3 ;;
(p6) mov r3 = MAX_HARTS
    LA r2, nharts ;;
    st8 [r2] = r3
    mov r1 = 0 ;;
    HART_PLACE
    PMC_SETUP
    // The other harts: each is started by one IPI, once every VM's area
    // is written (mf orders those stores before the IPI's).
    LA r2, nharts ;;
    ld8 r3 = [r2]
    movl r4 = R7 + PIB + (1 << 12)
    mov r5 = 1
    mov r6 = START_VEC ;;
    mf ;;
1:  cmp.leu p6, p0 = r3, r5
(p6) br.cond.sptk 2f ;;
    st8 [r4] = r6
    adds r5 = 1, r5
    movl r7 = 1 << 12 ;;
    add r4 = r4, r7
    br.cond.sptk 1b ;;
2:  LA r8, vm_areas ;;
    XFER 1, VA_MISC, vm_base, 6          // switch_in reads the placement from the area
    br.call.sptk.many b6 = switch_in ;;
    mov r2 = ar.itc
    LA r3, BI + BI_TICK ;;
    ld8 r3 = [r3]
    LA r4, sched_next ;;
    add r2 = r2, r3 ;;
    st8 [r4] = r2
    br.sptk.many vtimer_start ;;
    .endp sched_start

// sched_ap: hart r3 (>= 1), started by hart 0's IPI, translated, ic = 0,
// its per-hart area mapped (start.s).  It takes the start vector, programs
// its own counters and timer and enters its first VM, VM r3, from the
// state hart 0 wrote into its area (sched_prep_vm).
    .global sched_ap
    .proc sched_ap
sched_ap:
    mov cr.tpr = r0 ;;
    srlz.d ;;
    mov r2 = cr.ivr ;;                   // the start vector
    srlz.d ;;
    mov cr.eoi = r0
    mov r1 = r3 ;;
    LA r2, cur_vm ;;
    st8 [r2] = r1
    HART_PLACE
    PMC_SETUP
    LA r8, vm_areas
    shl r2 = r1, VA_SHIFT ;;
    add r8 = r8, r2 ;;
    br.call.sptk.many b6 = switch_in ;;
    mov r2 = ar.itc
    LA r3, BI + BI_TICK ;;
    ld8 r3 = [r3]
    LA r4, sched_next ;;
    add r3 = r2, r3
    movl r5 = TICK ;;
    st8 [r4] = r3
    add r5 = r2, r5
    mov r6 = VMM_TIMER_VEC ;;
    mov cr.itv = r6
    cmp.ltu p6, p0 = r3, r5 ;;
(p6) mov r5 = r3 ;;
    mov cr.itm = r5 ;;
    srlz.d ;;
    br.sptk.many switch_load ;;
    .endp sched_ap

// sched_prep_vm: at boot, VM r3 (>= 1), its placement loaded into vm_base..
// vm_xhi (and its code patched when patching is static): its area gets the
// state it starts from, as launch (start.s) enters VM 0; then the boot goes
// on with the VM before it.
    .global sched_prep_vm
    .proc sched_prep_vm
sched_prep_vm:
    LA r8, vm_areas
    shl r2 = r3, VA_SHIFT ;;
    add r8 = r8, r2 ;;
    adds r2 = VA_TF + TF_IPSR, r8
    movl r4 = PSR_VM | PSR_IT | PSR_DT | PSR_RT | PSR_IC | PSR_BN | PSR_I ;;
    st8 [r2] = r4, TF_IIP - TF_IPSR
    LA r5, vm_entry ;;
    ld8 r5 = [r5] ;;
    st8 [r2] = r5
    adds r2 = VA_TF + TF_BSPSTORE, r8
    movl r4 = 0x10000 ;;                 // as launch: until the guest sets its own
    st8 [r2] = r4
    adds r2 = VA_TF + TF_FPSR, r8
    mov r4 = ar.fpsr ;;
    st8 [r2] = r4
    adds r2 = VA_VPD1 + 72 * 8, r8
    movl r4 = 1 << 16 ;;
    st8 [r2] = r4                        // its cr.itv: masked, as vtimer_start gives VM 0
    XFER 1, VA_MISC, vm_base, 6
    XFER 1, VA_BSITES, b_sites, 3 * MAX_BSITES
    XFER 1, VA_MISC + 72, b_sites_used, 1
    LA r2, b_sites_used ;;
    st8 [r2] = r0
    LA r2, boot_vm ;;
    ld8 r3 = [r2] ;;
    adds r3 = -1, r3 ;;
    st8 [r2] = r3
    br.sptk.many prep_vm ;;
    .endp sched_prep_vm

// switch_in (br.call b6): the VM of cur_vm, area r8, starts a quantum:
// the control device learns which VM runs (its work units) and where its
// memory is; its budget, as budget_for() in hv/x86/sched.c; its counters'
// starting values.  As on IA-32, where the tick's handler re-arms the
// timer and switch_in follows at once, the quantum starts right after the
// tick that ended the last one: the state's copy belongs to the new
// quantum.  With hyperthreads it publishes the VM (r1) and its last miss
// rate in its core's record.  Clobbers r2-r7, r9-r11, r16, r17, r25-r27,
// p6-p9, p14, p15.
    .proc switch_in
switch_in:
    // Until its first tick, the rate it last ran at stands for it ([0063]:
    // nearly instantaneous history).
    adds r27 = P_ORATE, r8 ;;
    ld8 r27 = [r27] ;;
    PUBLISH r27
    adds r3 = VA_MISC + 40, r8
    movl r4 = R7 + CTL + CTL_VM ;;
    ld8 r3 = [r3]                        // its slot in the study
    adds r5 = VA_MISC, r8 ;;
    ld8 r5 = [r5]                        // its vm_base
    st8 [r4] = r3
    adds r4 = CTL_NAMEBASE - CTL_VM, r4 ;;
    st8 [r4] = r5                        // phase names the guest passes are guest-physical
    mov r2 = ar.itc
    adds r3 = P_SWIN, r8 ;;
    st8 [r3] = r2
    LA r2, BI ;;
    adds r3 = BI_POLICY, r2
    adds r4 = BI_QUANTUM, r2
    adds r5 = BI_QMAX, r2
    adds r6 = BI_JUMP, r2 ;;
    ld8 r3 = [r3]
    ld8 r4 = [r4]
    ld8 r5 = [r5]
    ld8 r6 = [r6]
    adds r9 = P_WARM, r8
    adds r10 = P_DEBT, r8 ;;
    ld8 r9 = [r9]
    ld8 r10 = [r10]
    adds r11 = P_COLD, r8
    mov r7 = r4 ;;                       // the base quantum
    ld8 r11 = [r11]
    MUL r2, r6, r9                       // jump_factor * warm
    cmp.eq p6, p0 = POL_PAYBACK, r3
    cmp.eq p7, p0 = POL_PROFILE, r3 ;;
    // payback: the base plus what the VM is owed, up to the bound.
(p6) add r7 = r4, r10 ;;
(p6) extr.u r7 = r7, 0, 32 ;;
(p6) cmp.ltu.unc p8, p0 = r5, r7 ;;
(p8) mov r7 = r5
    // profile ([0062]): a VM whose history shows a costly cold start (its
    // first tick misses jump_factor times more than its warm ticks) keeps
    // its cache longer.
(p7) cmp.ne.unc p9, p0 = 0, r9 ;;
(p9) cmp.geu.unc p9, p0 = r11, r2 ;;
(p9) mov r7 = r5
    adds r3 = P_BUDGET, r8 ;;
    st8 [r3] = r7, P_TICKS - P_BUDGET ;;
    st8 [r3] = r0, P_LRATE - P_TICKS ;;
    st8 [r3] = r0, P_LBTB - P_LRATE ;;
    st8 [r3] = r0, P_PMC - P_LBTB
    mov r2 = 4 ;;
    mov r4 = pmd[r2]
    adds r2 = 1, r2 ;;
    st8 [r3] = r4, 8
    mov r4 = pmd[r2]
    adds r2 = 1, r2 ;;
    st8 [r3] = r4, 8
    mov r4 = pmd[r2]
    adds r2 = 1, r2 ;;
    st8 [r3] = r4, 8
    mov r4 = pmd[r2] ;;
    st8 [r3] = r4
    br.ret.sptk.many b6 ;;
    .endp switch_in

// sched_tick: from vmm_tick (bank 0, ic = 0, r31 = the guest's
// predicates) when a scheduler tick is due.
    .global sched_tick
    .proc sched_tick
sched_tick:
    TF_SAVE
    LA r1, cur_vm
    LA r8, vm_areas ;;
    ld8 r1 = [r1] ;;                     // r1: the running VM
    shl r2 = r1, VA_SHIFT ;;
    add r8 = r8, r2                      // r8: its area
    // Figure 5, 504: gather.  The tick's counts fit in 32 bits.
    mov r2 = 4 ;;
    mov r3 = pmd[r2]
    adds r2 = 1, r2 ;;
    mov r4 = pmd[r2]
    adds r2 = 1, r2 ;;
    mov r5 = pmd[r2]
    adds r2 = 1, r2 ;;
    mov r6 = pmd[r2]
    adds r9 = P_PMC, r8 ;;
    ld8 r10 = [r9] ;;
    st8 [r9] = r3, 8
    sub r3 = r3, r10 ;;                  // instructions
    ld8 r10 = [r9] ;;
    st8 [r9] = r4, 8
    sub r4 = r4, r10 ;;                  // last-level misses
    ld8 r10 = [r9] ;;
    st8 [r9] = r5, 8
    sub r5 = r5, r10 ;;                  // BTB hits
    ld8 r10 = [r9] ;;
    st8 [r9] = r6
    sub r6 = r6, r10 ;;
    extr.u r3 = r3, 0, 32
    extr.u r4 = r4, 0, 32
    extr.u r5 = r5, 0, 32 ;;
    add r6 = r5, r6 ;;
    extr.u r6 = r6, 0, 32                         // BTB lookups
    // 506: evaluate.  r7: misses per 10,000 instructions.
    movl r10 = 10000
    mov r7 = 0 ;;
    cmp.geu p6, p0 = r3, r10
    cmp.eq p7, p0 = 0, r3
(p6) br.cond.sptk 1f
(p7) br.cond.spnt 2f ;;
    UDIV r11, r10, r3
    MUL r7, r4, r11
    br.sptk.many 2f ;;
1:  UDIV r11, r3, r10
    UDIV r7, r4, r11
2:  // r12: BTB hits per 100 lookups.
    mov r12 = 0
    cmp.eq p6, p0 = 0, r6
(p6) br.cond.spnt 3f ;;
    mov r10 = 100 ;;
    UDIV r11, r6, r10
    ;;
    cmp.eq p7, p0 = 0, r11 ;;
(p7) mov r11 = 1 ;;
    UDIV r12, r5, r11
    ;;
    cmp.ltu p8, p0 = 100, r12 ;;
(p8) mov r12 = 100
3:  // r2: ticks in this quantum; the history of first-tick and later-tick
    // miss rates, x16 exponential averages.
    adds r9 = P_TICKS, r8 ;;
    ld8 r2 = [r9] ;;
    adds r2 = 1, r2 ;;
    st8 [r9] = r2
    cmp.eq p6, p7 = 1, r2 ;;
(p6) adds r9 = P_COLD, r8
(p7) adds r9 = P_WARM, r8 ;;
    ld8 r10 = [r9]
    shl r11 = r7, 4 ;;                   // 16 rate
    cmp.eq p8, p9 = 0, r10
    shl r13 = r10, 4 ;;
(p9) sub r13 = r13, r10 ;;               // 15 h
(p9) add r13 = r13, r11 ;;
(p9) extr.u r13 = r13, 0, 32 ;;
(p9) shr.u r10 = r13, 4
(p8) adds r10 = 16, r11 ;;
(p8) extr.u r10 = r10, 0, 32 ;;
    st8 [r9] = r10
    // r15: cycles since the VM was switched in.
    mov r15 = ar.itc
    adds r9 = P_SWIN, r8 ;;
    ld8 r9 = [r9] ;;
    sub r15 = r15, r9
    PUBLISH r7                           // for the siblings (smt_pair)
    // The parameters and the profile.
    LA r9, BI ;;
    adds r18 = BI_POLICY, r9
    adds r20 = BI_QMIN, r9
    adds r21 = BI_QMAX, r9
    adds r22 = BI_MISS_TH, r9 ;;
    ld8 r18 = [r18]
    ld8 r20 = [r20]
    ld8 r21 = [r21]
    ld8 r22 = [r22]
    adds r23 = BI_BTB_TH, r9
    adds r24 = BI_JUMP, r9
    adds r29 = BI_QUANTUM, r9
    adds r19 = P_BUDGET, r8 ;;
    ld8 r23 = [r23]
    ld8 r24 = [r24]
    ld8 r29 = [r29]
    ld8 r19 = [r19]
    adds r13 = P_LRATE, r8
    adds r14 = P_LBTB, r8 ;;
    ld8 r13 = [r13]
    ld8 r14 = [r14] ;;
    MUL r9, r24, r13                     // jump_factor * the previous rate
    // p10: the working set changed (or was flushed): the rate jumped.
    cmp.ltu p10, p0 = 1, r2 ;;
(p10) cmp.ltu.unc p10, p0 = r22, r7 ;;
(p10) cmp.geu.unc p10, p0 = r7, r9
    // 508: does the running VM go on (r30 = 1)?  The default, fixed and
    // profile: while its budget lasts.
    cmp.ltu p11, p0 = r15, r19
    mov r30 = 0 ;;
(p11) mov r30 = 1
    cmp.eq p6, p0 = POL_EXTEND_WARM, r18
    cmp.eq p7, p0 = POL_CUT_AFTER_FLUSH, r18
    cmp.eq p8, p0 = POL_PAYBACK, r18
    cmp.eq p9, p0 = POL_BTB_LOOP, r18
    cmp.eq p12, p0 = POL_SMT_PAIR, r18
(p12) br.cond.sptk smt_pair
(p6) br.cond.sptk extend_warm
(p7) br.cond.sptk cut_after_flush
(p8) br.cond.sptk cut_after_flush
(p9) br.cond.sptk btb_loop
    br.sptk.many decided ;;
// [0063]: past the base quantum, stretch while the cache is warm (few
// misses, not rising), up to the bound (510, 512).
extend_warm:
(p11) br.cond.sptk decided ;;
    cmp.ltu p12, p0 = r15, r21 ;;
(p12) cmp.ltu.unc p12, p0 = r7, r22 ;;
(p12) cmp.geu.unc p12, p0 = r13, r7 ;;
(p12) mov r30 = 1
    br.sptk.many decided ;;
// [0052]: the working set changed (or was flushed): what the cache held no
// longer helps, so end the quantum early (514), once the minimum is
// served; payback ([0053]) owes the VM what it did not use and pays it
// back in later budgets.
cut_after_flush:
(p10) cmp.geu.unc p12, p13 = r15, r20 ;;
(p12) br.cond.spnt 1f ;;
(p8) cmp.geu.unc p13, p0 = r15, r19 ;;   // payback, budget used up: repaid
(p13) sub r11 = r15, r29
    adds r9 = P_DEBT, r8 ;;
(p13) ld8 r10 = [r9] ;;
(p13) cmp.ltu.unc p14, p15 = r11, r10 ;;
(p14) sub r10 = r10, r11
(p15) mov r10 = 0 ;;
(p13) st8 [r9] = r10
    br.sptk.many decided ;;
1:  mov r30 = 0
(p8) cmp.ltu.unc p13, p0 = r15, r19
    adds r9 = P_DEBT, r8 ;;
(p13) ld8 r10 = [r9]
(p13) sub r11 = r19, r15 ;;
(p13) add r10 = r10, r11 ;;
(p13) extr.u r10 = r10, 0, 32 ;;
(p13) st8 [r9] = r10
    br.sptk.many decided ;;
// [0053]: a tight loop (the BTB hits almost always) is worth finishing;
// the loop's exit (the hit rate falls) ends the quantum once the minimum
// is served.
btb_loop:
    cmp.geu p12, p13 = r12, r23 ;;
(p12) cmp.ltu.unc p14, p0 = r15, r21
(p12) mov r30 = 0 ;;
(p14) mov r30 = 1
(p12) br.cond.sptk decided ;;
    cmp.geu p14, p0 = r14, r23 ;;
(p14) cmp.geu.unc p14, p0 = r15, r20 ;;
(p14) mov r30 = 0
    br.sptk.many decided ;;
// [0074]-[0076]: the threads share the core and its caches, so the state
// to evaluate is the core's.  A warm VM's quantum stretches as under
// extend_warm, but only while no sibling streams (its misses evict what
// the stretch would reuse); and two streaming VMs on siblings thrash the
// shared caches for each other, so a streaming VM's quantum ends once the
// minimum is served if a VM with a warm history waits on this hart.  The
// rule of hv/x86/sched.c keep_running(), SMT_PAIR.
smt_pair:
    SIB_STREAMS r22                      // p12: a sibling streams
    cmp.geu p13, p0 = r7, r22            // p13: this VM streams
(p11) br.cond.sptk 1f ;;
    // Past its budget: stretch while warm, not rising, and no sibling streams.
    cmp.ltu p14, p0 = r15, r21 ;;
(p14) cmp.geu.unc p14, p0 = r13, r7 ;;
(p13) cmp.ne p14, p0 = r0, r0 ;;
(p12) cmp.ne p14, p0 = r0, r0 ;;
(p14) mov r30 = 1
    br.sptk.many decided ;;
1:  // Within its budget: cut a streaming VM beside a streaming sibling once
    // the minimum is served, if the next VM here was warm when it last ran.
(p12) cmp.geu.unc p14, p0 = r15, r20 ;;
(p14) cmp.geu.unc p14, p0 = r7, r22 ;;
(p14) br.cond.spnt 2f ;;
    br.sptk.many decided ;;
2:  NEXT_VM r16
    LA r17, vm_areas ;;
    cmp.eq p14, p0 = r16, r1
    shl r16 = r16, VA_SHIFT ;;
(p14) br.cond.spnt decided
    add r17 = r17, r16 ;;
    adds r16 = P_QUANTA, r17
    adds r17 = P_ORATE, r17 ;;
    ld8 r16 = [r16]
    ld8 r17 = [r17] ;;
    cmp.eq p14, p0 = 0, r16
    cmp.geu p15, p0 = r17, r22 ;;
(p14) br.cond.spnt decided
(p15) br.cond.spnt decided ;;
    mov r30 = 0
    br.sptk.many decided ;;
decided:
    adds r9 = P_LRATE, r8
    adds r10 = P_LBTB, r8 ;;
    st8 [r9] = r7
    st8 [r10] = r12
    // The next tick.
    mov r2 = ar.itc
    LA r3, BI + BI_TICK ;;
    ld8 r3 = [r3]
    LA r4, sched_next ;;
    add r2 = r2, r3
    cmp.ne p6, p0 = 0, r30 ;;
    st8 [r4] = r2
    LA r16, tf
(p6) br.cond.sptk tf_restore ;;
    // The quantum ends, if another VM waits on this hart: its only VM goes
    // on, unreported, as on IA-32.
    NEXT_VM r17
    LA r16, tf ;;
    cmp.eq p6, p0 = r17, r1
(p6) br.cond.sptk tf_restore ;;
    adds r9 = P_QUANTA, r8
    adds r10 = P_ORATE, r8 ;;
    ld8 r11 = [r9]
    st8 [r10] = r7 ;;
    adds r11 = 1, r11 ;;
    st8 [r9] = r11
    // Report it (ctl.vmN.quanta, quantum_cycles).
    movl r2 = R7 + CTL + CTL_ARG ;;
    st8 [r2] = r15, CTL_CMD - CTL_ARG
    mov r3 = CTL_QUANTUM ;;
    st8 [r2] = r3
    br.sptk.many world_switch ;;
    .endp sched_tick

// world_switch: from the VM of cur_vm (r1, area r8, saved in tf, its dirty
// stacked registers on the hypervisor's backing store) to VM r17, the next
// in this hart's run queue.
    .proc world_switch
world_switch:
    mov r20 = r8                         // the VM leaving
    mov r1 = r17                         // the VM arriving
    LA r2, cur_vm ;;
    st8 [r2] = r1
    LA r8, vm_areas
    shl r2 = r1, VA_SHIFT ;;
    add r8 = r8, r2 ;;
    br.call.sptk.many b6 = switch_in ;;
    mov r21 = r8                         // the VM arriving
    mov r8 = r20
    LA r16, tf
    flushrs ;;                           // the dirty registers into vmm_rbs
    mov r3 = ar.rnat                     // with the NaT bits of the last ones
    adds r4 = VA_BR, r8
    mov r5 = b1 ;;
    st8 [r4] = r5, 8
    mov r5 = b2 ;;
    st8 [r4] = r5, 8
    mov r5 = b3 ;;
    st8 [r4] = r5, 8
    mov r5 = b4 ;;
    st8 [r4] = r5, 8
    mov r5 = b5 ;;
    st8 [r4] = r5, 8
    mov r5 = ar.ec ;;
    st8 [r4] = r5, 8 ;;
    st8 [r4] = r3
    adds r4 = TF_LOADRS, r16 ;;
    ld8 r5 = [r4] ;;
    shr.u r5 = r5, 19                    // RSC.loadrs{29:16} bytes, in words
    mov r6 = VA_RBS_WORDS ;;
    cmp.ltu p6, p0 = r6, r5
    cmp.eq p7, p0 = 0, r5
(p6) br.cond.spnt rbs_too_big
    adds r9 = VA_RBS, r8
    LA r10, vmm_rbs
(p7) br.cond.spnt 1f ;;
    COPYW r9, r10, r5
1:  VM_STATE 1
    mov r8 = r21 ;;
// switch_load: VM r1, area r8, into the fixed places, and into it (also
// a hart's first VM, sched_ap).
switch_load:
    VM_STATE 0
    // Its region ids (guestrr.inc) and region registers.
    movl r3 = (GUEST_RID << 8) | (24 << 2)
    shl r4 = r1, 11                      // 8 rids a VM, rid{31:8}
    adds r5 = 1, r1 ;;
    add r3 = r3, r4
    shl r5 = r5, 20
    LA r6, vm_prid ;;
    st8 [r6] = r3, 8 ;;
    st8 [r6] = r5
    LA r11, vpd ;;
    SET_GUEST_RRS
    adds r4 = VA_BR, r8 ;;
    ld8 r5 = [r4], 8 ;;
    mov b1 = r5
    ld8 r5 = [r4], 8 ;;
    mov b2 = r5
    ld8 r5 = [r4], 8 ;;
    mov b3 = r5
    ld8 r5 = [r4], 8 ;;
    mov b4 = r5
    ld8 r5 = [r4], 8 ;;
    mov b5 = r5
    ld8 r5 = [r4], 8 ;;
    mov ar.ec = r5
    ld8 r7 = [r4]                        // the RNAT of its dirty bytes
    // Its dirty stacked registers back onto the hypervisor's backing store,
    // where tf_restore's loadrs takes them: the physical registers the
    // last VM left are dropped first (loadrs of nothing).
    mov ar.rsc = r0 ;;
    loadrs ;;
    LA r16, tf ;;
    adds r4 = TF_LOADRS, r16 ;;
    ld8 r5 = [r4] ;;
    shr.u r6 = r5, 16                    // bytes
    shr.u r5 = r5, 19                    // words
    adds r9 = VA_RBS, r8
    LA r10, vmm_rbs ;;
    cmp.eq p7, p0 = 0, r5
    add r6 = r10, r6
(p7) br.cond.spnt 2f ;;
    COPYW r10, r9, r5
2:  mov ar.bspstore = r6 ;;
    mov ar.rnat = r7
    LA r16, tf
    br.sptk.many tf_restore ;;
rbs_too_big:
    PANIC 0x4001
    .endp world_switch

    .data
    .align 8
nharts:     data8 1                      // harts that run VMs (hart 0 sets it before
                                         // it starts the others; read only after)
    .bss
    .align 4096
    .global vm_areas
vm_areas:   .skip MAX_VMS << VA_SHIFT    // the VMs' areas: VM i's only ever used by hart
                                         // i mod nharts
    .align CORE_REC
core_recs:  .skip MAX_HARTS * CORE_REC   // per core, its threads' VMs and miss rates
                                         // (PUBLISH), written by each thread in its own
                                         // words and read by its siblings
