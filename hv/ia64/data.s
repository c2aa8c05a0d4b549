// data.s - the hypervisor's memory shared by its harts: the patch
// manager's tables and routine area, and the frames of the harts' per-hart
// areas (the virtual processor state, the trap frame, the backing store,
// the running VM's placement: defs.inc).
    .include "defs.inc"

    .data
    .align 8
    .global routines_used, patch_lock
routines_used: data8 0
patch_lock: data8 0, 0                   // next ticket, ticket served (patch.s)

    .bss
    .global routine_map, routine_db, routine_area, ph_frames
    .align 16
routine_map: .skip 16 * (MAX_ROUTINES + 1)   // per id: routine address, parameter
routine_db:  .skip 24 * (MAX_ROUTINES + 1)   // per id: kind | banked << 8 | reg << 16, parameter, -
    .align 4096
routine_area: .skip ROUTINE_BYTES * (MAX_ROUTINES + 1)
    .align 1 << PH_SHIFT
ph_frames: .skip MAX_HARTS << PH_SHIFT   // the harts' per-hart areas (defs.inc)
