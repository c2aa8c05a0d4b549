// start.s - boot: check the boot-info block, pin region 7 over machine
// memory, the control device, the processor interrupt block and the
// hart's own per-hart area (defs.inc), set the IVT, switch to translated
// mode; then hart 0 prepares the VMs (their memory, region registers,
// static patching; several VMs share the harts through sched.s), starts
// the other harts that get a VM, and enters VM 0 with PSR.vm = 1.  Every
// other hart starts here too, on the IPI hart 0 sends it (the model starts
// a waiting hart at the entry point on its first interrupt), and goes to
// its first VM (sched_ap, sched.s).
    .include "defs.inc"

    .text
    .global _start
    .proc _start
_start:                                  // physical mode, PSR = 0, bank 0
    movl r2 = BI ;;
    ld8 r3 = [r2]
    movl r4 = BI_MAGIC ;;
    cmp.ne p6, p0 = r3, r4
(p6) br.cond.spnt no_bootinfo ;;
    movl r3 = (VMM_RID << 8) | (30 << 2)
    movl r4 = R7 ;;
    mov rr[r4] = r3 ;;
    srlz.d ;;
    // itr0/dtr0: R7 + [0, 1 GiB) -> machine [0, 1 GiB); dtr1: the control device.
    mov r5 = 30 << 2 ;;
    mov cr.itir = r5
    mov cr.ifa = r4
    movl r6 = PTE_RWX ;;
    itr.i itr[r0] = r6 ;;
    itr.d dtr[r0] = r6 ;;
    mov r5 = 12 << 2
    movl r4 = R7 + CTL ;;
    mov cr.itir = r5
    mov cr.ifa = r4
    movl r6 = CTL | PTE_RWX | PTE_UC
    mov r7 = 1 ;;
    itr.d dtr[r7] = r6 ;;
    // dtr2: R7 + PERHART -> this hart's frame of ph_frames (a hart past
    // MAX_HARTS is never started: hart 0 starts at most MAX_HARTS).
    mov r3 = cr.lid
    mov r5 = PH_SHIFT << 2
    movl r4 = R7 + PERHART ;;
    extr.u r3 = r3, 24, 8                // id: the hart
    mov cr.itir = r5
    mov cr.ifa = r4
    movl r6 = ph_frames + PTE_RWX ;;
    shl r3 = r3, PH_SHIFT ;;
    add r6 = r6, r3
    mov r7 = 2 ;;
    itr.d dtr[r7] = r6 ;;
    // dtr3: the processor interrupt block, for the start IPIs.
    mov r5 = 20 << 2
    movl r4 = R7 + PIB ;;
    mov cr.itir = r5
    mov cr.ifa = r4
    movl r6 = PIB | PTE_RWX | PTE_UC
    mov r7 = 3 ;;
    itr.d dtr[r7] = r6 ;;
    srlz.i ;;
    LA r3, ivt ;;
    mov cr.iva = r3
    movl r3 = PSR_IC | PSR_IT | PSR_DT | PSR_RT ;;
    mov cr.ipsr = r3
    LA r3, vmm_main ;;
    mov cr.iip = r3
    mov cr.ifs = r0 ;;
    srlz.i ;;
    rfi ;;
no_bootinfo:
    movl r2 = CTL + CTL_EXIT
    mov r3 = 99 ;;
    st8 [r2] = r3
1:  br.cond.sptk 1b ;;
    .endp _start

    .proc vmm_main
    .global vmm_main
vmm_main:                                // translated, region 7
    mov ar.rsc = r0 ;;
    LA r3, vmm_rbs ;;
    mov ar.bspstore = r3
    // Guest regions 0-6: their own region ids, 16 MiB pages, no walker:
    // every miss reaches the hypervisor (guestmem.s).
    movl r3 = (GUEST_RID << 8) | (24 << 2)
    mov r9 = 0
    mov r10 = 7 ;;
1:  mov rr[r9] = r3
    movl r11 = 1 << 61 ;;
    add r9 = r9, r11
    adds r3 = 1 << 8, r3
    adds r10 = -1, r10 ;;
    cmp.ne p6, p0 = 0, r10
(p6) br.cond.sptk 1b ;;
    srlz.d ;;
    rsm PSR_IC ;;                        // inserts and CR writes below need ic = 0
    srlz.d ;;
    // The per-hart area: this hart's number and VM 0's region ids.
    mov r3 = cr.lid
    LA r2, my_hart ;;
    extr.u r3 = r3, 24, 8
    movl r4 = (GUEST_RID << 8) | (24 << 2)
    movl r5 = VRID_BASE ;;
    st8 [r2] = r3
    LA r2, vm_prid ;;
    st8 [r2] = r4, 8 ;;
    st8 [r2] = r5
    cmp.ne p6, p0 = 0, r3
(p6) br.cond.spnt sched_ap ;;
    // Each VM, the last first: its placement, its code patched when
    // patching is static, and (VMs 1 and up) the state it will start from
    // (sched.s); VM 0 stays in the hypervisor's fixed places and starts.
    LA r2, BI + BI_NVMS ;;
    ld8 r3 = [r2]
    LA r2, boot_vm ;;
    adds r3 = -1, r3 ;;
    st8 [r2] = r3
    .global prep_vm
prep_vm:
    LA r2, boot_vm ;;
    ld8 r3 = [r2]
    LA r2, BI + BI_VM0 ;;
    shl r4 = r3, 6 ;;                    // BI_VM_SIZE
    add r2 = r2, r4 ;;
    ld8 r4 = [r2], 8 ;;                  // base
    ld8 r5 = [r2], 8 ;;                  // size
    ld8 r6 = [r2], 8 ;;                  // entry
    ld8 r7 = [r2], 8 ;;                  // code lo
    ld8 r8 = [r2], 16 ;;                 // code hi
    ld8 r9 = [r2]                        // its slot (an empty slot starts no VM)
    LA r2, vm_base ;;
    st8 [r2] = r4, 8 ;;
    st8 [r2] = r5, 8 ;;
    st8 [r2] = r6, 8 ;;
    st8 [r2] = r7, 8 ;;
    st8 [r2] = r8, 8 ;;
    st8 [r2] = r9 ;;
    // Static patching: rewrite every patchable instruction before the guest runs.
    LA r2, BI + BI_EMULATION ;;
    ld8 r3 = [r2], BI_PATCHING - BI_EMULATION ;;
    ld8 r4 = [r2] ;;
    cmp.eq p6, p0 = 1, r3 ;;
(p6) cmp.eq.and p6, p0 = 1, r4
(p6) br.cond.spnt static_scan ;;
    .global scan_done
scan_done:
    LA r2, boot_vm ;;
    ld8 r3 = [r2] ;;
    cmp.ne p6, p0 = 0, r3
(p6) br.cond.spnt sched_prep_vm ;;
    // Phase names the guest passes are guest-physical; its work counts
    // for its slot.
    LA r2, vm_base ;;
    ld8 r4 = [r2]
    LA r3, vm_id ;;
    ld8 r3 = [r3]
    LA r2, CTL + CTL_NAMEBASE ;;
    st8 [r2] = r4, CTL_VM - CTL_NAMEBASE ;;
    st8 [r2] = r3
    LA r2, BI + BI_NVMS ;;
    ld8 r3 = [r2] ;;
    cmp.ltu p6, p0 = 1, r3
(p6) br.cond.spnt sched_start ;;
    br.sptk.many vtimer_start ;;
    .global launch
launch:
    mov ar.rsc = r0 ;;
    movl r2 = 0x10000 ;;                 // a guest-physical backing store until the guest sets its own
    mov ar.bspstore = r2
    movl r3 = PSR_VM | PSR_IT | PSR_DT | PSR_RT | PSR_IC | PSR_BN | PSR_I ;;
    mov cr.ipsr = r3
    LA r2, vm_entry ;;
    ld8 r3 = [r2] ;;
    mov cr.iip = r3
    mov cr.ifs = r0 ;;
    rfi ;;
    .endp vmm_main
