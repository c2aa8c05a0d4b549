/*
 * Multiboot (v1) entry for bare-metal IA-32 programs.  The loader enters in
 * 32-bit protected mode with flat segments and paging off (Multiboot
 * Specification 0.6.96, section 3.2); we set a stack and call main().
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
    mov $stack_top, %esp
    call main
    /* main returned: exit with its value through the exit port. */
    mov %eax, %edx
    mov %dl, %al
    mov $0xf4, %dx
    outb %al, %dx
1:  hlt
    jmp 1b

    .bss
    .align 16
    .space 16384
stack_top:
