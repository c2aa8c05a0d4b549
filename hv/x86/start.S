/*
 * Multiboot (v1) entry of the IA-32 hypervisor: the loader leaves 32-bit
 * protected mode with flat segments and paging off (Multiboot 0.6.96
 * §3.2).  Every hart enters here: the boot processor from the loader,
 * each application processor when the boot processor's start IPI reaches
 * it, in the same state (docs/isa-x86.md: vtsim's stand-in for INIT/SIPI).
 * The local APIC ID (xAPIC ID register bits 31:24, SDM Vol. 3A 10.4.6)
 * picks the hart's own stack; then vmm_main(magic, mbi, apic_id).  It does
 * not return, but if it did, the exit port ends the run with status 99.
 */
#define MB_MAGIC   0x1BADB002
#define MB_FLAGS   0x00000000
#define APIC_ID    0xFEE00020
#define STACK_LOG2 14          /* 16 KiB a hart */
#define MAX_HARTS  16          /* host.h HOST_MAX_HARTS */

    .section .multiboot, "a"
    .align 4
    .long MB_MAGIC
    .long MB_FLAGS
    .long -(MB_MAGIC + MB_FLAGS)

    .text
    .globl _start
_start:
    mov APIC_ID, %ecx
    shr $24, %ecx
    cmp $MAX_HARTS, %ecx
    jae 2f                      /* no stack for it: stay halted */
    mov %ecx, %esi
    inc %ecx
    shl $STACK_LOG2, %ecx
    lea vmm_stacks(%ecx), %esp  /* top of stack number apic_id */
    push %esi                   /* the APIC ID */
    push %ebx                   /* the Multiboot information */
    push %eax                   /* the loader's magic */
    call vmm_main
    mov $99, %al
    mov $0xf4, %dx
    outb %al, %dx
1:  hlt
    jmp 1b
2:  cli
    hlt
    jmp 2b

    .bss
    .align 16
    .globl vmm_stacks
vmm_stacks:
    .space MAX_HARTS << STACK_LOG2
