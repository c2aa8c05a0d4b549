/*
 * smp_start.S - Multiboot entry for images that run on several harts: on
 * vtsim an application processor starts here too, on its first IPI
 * (docs/isa-x86.md), so each hart takes its own stack by its APIC ID (the
 * xAPIC ID register, bits 31:24; Intel SDM Vol. 3A 10.4.6) and calls
 * main(id).
 */
#define MB_MAGIC 0x1BADB002
#define MB_FLAGS 0x00000000

    .section .multiboot, "a"
    .align 4
    .long MB_MAGIC
    .long MB_FLAGS
    .long -(MB_MAGIC + MB_FLAGS)

#define NSTACKS    4
#define STACK_SIZE 8192

    .text
    .globl _start
_start:
    movl 0xFEE00020, %eax
    shrl $24, %eax
    andl $(NSTACKS - 1), %eax
    leal 1(%eax), %ecx
    imull $STACK_SIZE, %ecx
    leal stacks(%ecx), %esp
    pushl %eax
    call main
    /* main returned: exit with its value through the exit port. */
    mov $0xf4, %dx
    outb %al, %dx
1:  hlt
    jmp 1b

    .bss
    .align 16
stacks:
    .space NSTACKS * STACK_SIZE
