// data.s - the hypervisor's memory: the virtual processor state, the trap
// frame, its backing store, the patch manager's tables and routine area,
// and the current VM's placement.
    .include "defs.inc"

    .data
    .global vm_base, vm_size, vm_entry, vm_xlo, vm_xhi, vm_id
    .align 8
vm_base:  data8 0                        // machine address of the VM's memory
vm_size:  data8 0
vm_entry: data8 0
vm_xlo:   data8 0                        // guest-physical code range (static patching)
vm_xhi:   data8 0
vm_id:    data8 0                        // its slot in the study: the VM number it reports
    .global vm_prid, vm_vrid, cur_vm
vm_prid:  data8 (GUEST_RID << 8) | (24 << 2)  // this VM's region ids (guestrr.inc)
vm_vrid:  data8 VRID_BASE
cur_vm:   data8 0                        // the VM running now (sched.s)

    .global routines_used
routines_used: data8 0

    .bss
    .global vpd, tf, vmm_rbs, routine_map, routine_db, routine_area
    .align 4096
vpd:      .skip 4096                     // VPD_PSR, VPD_CR, VPD_RR (defs.inc)
    .align 512
tf:       .skip 512                      // the trap frame (trapframe.s)
    .align 512
vmm_rbs:  .skip 16384                    // the hypervisor's register backing store
    .align 16
routine_map: .skip 16 * (MAX_ROUTINES + 1)   // per id: routine address, parameter
routine_db:  .skip 24 * (MAX_ROUTINES + 1)   // per id: kind | banked << 8 | reg << 16, parameter, -
    .align 4096
routine_area: .skip ROUTINE_BYTES * (MAX_ROUTINES + 1)
