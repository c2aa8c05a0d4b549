/*
 * Multiboot (v1) entry of the IA-32 hypervisor: the loader leaves 32-bit
 * protected mode with flat segments and paging off (Multiboot 0.6.96
 * §3.2).  Set a stack and enter vmm_main(); it does not return, but if it
 * did, the exit port ends the run with status 99.
 */
#define MB_MAGIC 0x1BADB002
#define MB_FLAGS 0x00000000

    .section .multiboot, "a"
    .align 4
    .long MB_MAGIC
    .long MB_FLAGS
    .long -(MB_MAGIC + MB_FLAGS)

    .text
    .globl _start
_start:
    mov $vmm_stack_top, %esp
    push %ebx /* the Multiboot information */
    push %eax /* the loader's magic */
    call vmm_main
    mov $99, %al
    mov $0xf4, %dx
    outb %al, %dx
1:  hlt
    jmp 1b

    .bss
    .align 16
    .space 16384
    .globl vmm_stack_top
vmm_stack_top:
