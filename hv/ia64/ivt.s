// ivt.s - the hypervisor's interruption vector table (SDM Vol. 2 5.7:
// 32 KiB, entries 0-19 of 0x400 bytes, 20-67 of 0x100).  Vectors the
// hypervisor expects branch to their handlers with the interrupted
// predicates saved in bank-0 r31; any other ends the run with the vector
// offset as the failure code.
    .include "defs.inc"

    .text
    .align 32768
    .global ivt
ivt:
    PANIC 0x0000
    .skip ivt + 0x0400 - .
    PANIC 0x0400
    .skip ivt + 0x0800 - .
    PANIC 0x0800
    .skip ivt + 0x0c00 - .
    // 0x0c00 alternate instruction TLB: guest memory
    mov r31 = pr
    mov r30 = 0
    br.sptk.many guest_tlb_miss ;;
    .skip ivt + 0x1000 - .
    // 0x1000 alternate data TLB: guest memory
    mov r31 = pr
    mov r30 = 1
    br.sptk.many guest_tlb_miss ;;
    .skip ivt + 0x1400 - .
    PANIC 0x1400
    .skip ivt + 0x1800 - .
    PANIC 0x1800
    .skip ivt + 0x1c00 - .
    PANIC 0x1c00
    .skip ivt + 0x2000 - .
    PANIC 0x2000
    .skip ivt + 0x2400 - .
    PANIC 0x2400
    .skip ivt + 0x2800 - .
    PANIC 0x2800
    .skip ivt + 0x2c00 - .
    // 0x2c00 break: patched instructions (patch.s)
    mov r31 = pr
    br.sptk.many break_entry ;;
    .skip ivt + 0x3000 - .
    // 0x3000 external interrupt: the hypervisor's tick (vtimer.s)
    mov r31 = pr
    br.sptk.many vmm_tick ;;
    .skip ivt + 0x3400 - .
    PANIC 0x3400
    .skip ivt + 0x3800 - .
    PANIC 0x3800
    .skip ivt + 0x3c00 - .
    PANIC 0x3c00
    .skip ivt + 0x4000 - .
    PANIC 0x4000
    .skip ivt + 0x4400 - .
    PANIC 0x4400
    .skip ivt + 0x4800 - .
    PANIC 0x4800
    .skip ivt + 0x4c00 - .
    PANIC 0x4c00
    .skip ivt + 0x5000 - .
    PANIC 0x5000
    .skip ivt + 0x5100 - .
    PANIC 0x5100
    .skip ivt + 0x5200 - .
    PANIC 0x5200
    .skip ivt + 0x5300 - .
    PANIC 0x5300
    .skip ivt + 0x5400 - .
    PANIC 0x5400
    .skip ivt + 0x5500 - .
    PANIC 0x5500
    .skip ivt + 0x5600 - .
    PANIC 0x5600
    .skip ivt + 0x5700 - .
    PANIC 0x5700
    .skip ivt + 0x5800 - .
    PANIC 0x5800
    .skip ivt + 0x5900 - .
    PANIC 0x5900
    .skip ivt + 0x5a00 - .
    PANIC 0x5a00
    .skip ivt + 0x5b00 - .
    PANIC 0x5b00
    .skip ivt + 0x5c00 - .
    PANIC 0x5c00
    .skip ivt + 0x5d00 - .
    PANIC 0x5d00
    .skip ivt + 0x5e00 - .
    PANIC 0x5e00
    .skip ivt + 0x5f00 - .
    PANIC 0x5f00
    .skip ivt + 0x6000 - .
    PANIC 0x6000
    .skip ivt + 0x6100 - .
    // 0x6100 virtualization: the emulation paths
    mov r31 = pr
    br.sptk.many virt_entry ;;
    .skip ivt + 0x6200 - .
    PANIC 0x6200
    .skip ivt + 0x6300 - .
    PANIC 0x6300
    .skip ivt + 0x6400 - .
    PANIC 0x6400
    .skip ivt + 0x6500 - .
    PANIC 0x6500
    .skip ivt + 0x6600 - .
    PANIC 0x6600
    .skip ivt + 0x6700 - .
    PANIC 0x6700
    .skip ivt + 0x6800 - .
    PANIC 0x6800
    .skip ivt + 0x6900 - .
    PANIC 0x6900
    .skip ivt + 0x6a00 - .
    PANIC 0x6a00
    .skip ivt + 0x6b00 - .
    PANIC 0x6b00
    .skip ivt + 0x6c00 - .
    PANIC 0x6c00
    .skip ivt + 0x6d00 - .
    PANIC 0x6d00
    .skip ivt + 0x6e00 - .
    PANIC 0x6e00
    .skip ivt + 0x6f00 - .
    PANIC 0x6f00
    .skip ivt + 0x7000 - .
    PANIC 0x7000
    .skip ivt + 0x7100 - .
    PANIC 0x7100
    .skip ivt + 0x7200 - .
    PANIC 0x7200
    .skip ivt + 0x7300 - .
    PANIC 0x7300
    .skip ivt + 0x7400 - .
    PANIC 0x7400
    .skip ivt + 0x7500 - .
    PANIC 0x7500
    .skip ivt + 0x7600 - .
    PANIC 0x7600
    .skip ivt + 0x7700 - .
    PANIC 0x7700
    .skip ivt + 0x7800 - .
    PANIC 0x7800
    .skip ivt + 0x7900 - .
    PANIC 0x7900
    .skip ivt + 0x7a00 - .
    PANIC 0x7a00
    .skip ivt + 0x7b00 - .
    PANIC 0x7b00
    .skip ivt + 0x7c00 - .
    PANIC 0x7c00
    .skip ivt + 0x7d00 - .
    PANIC 0x7d00
    .skip ivt + 0x7e00 - .
    PANIC 0x7e00
    .skip ivt + 0x7f00 - .
    PANIC 0x7f00
    .skip ivt + 0x8000 - .
