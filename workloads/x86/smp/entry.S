/*
 * entry.S - smpkernel's ways in: the Multiboot (v1) header and entry, and
 * the interrupt entry stubs.
 *
 * Every CPU enters at _start in the Multiboot state (32-bit protected
 * mode, paging off): the bootstrap processor from the loader, and on
 * vtsim each application processor on the first IPI it receives
 * (docs/isa-x86.md, which stands that in for INIT/SIPI).  Each takes its
 * own stack by its APIC ID (the xAPIC ID register, bits 31:24; Intel SDM
 * Vol. 3A 10.4.6) and calls kmain(id); IDs at or above MAXCPU park.
 */
#define MB_MAGIC 0x1BADB002
#define MB_FLAGS 0x00000000

#define MAXCPU     8
#define STACK_SIZE 16384

    .section .multiboot, "a"
    .align 4
    .long MB_MAGIC
    .long MB_FLAGS
    .long -(MB_MAGIC + MB_FLAGS)

    .text
    .globl _start
_start:
    movl 0xFEE00020, %eax
    shrl $24, %eax
    cmpl $MAXCPU, %eax
    jae 2f
    leal 1(%eax), %ecx
    imull $STACK_SIZE, %ecx
    leal stacks(%ecx), %esp
    pushl %eax
    call kmain
2:  cli
1:  hlt
    jmp 1b

/* Exceptions: a dummy error code where the processor pushes none (Vol. 3A
 * 6.13: vectors 8, 10-14 and 17 have one), then the vector, then
 * trap_fatal(frame), which does not return. */
    .globl exc_stubs
    .align 16
exc_stubs:
    .set vec, 0
    .rept 32
    .align 16
    .if (vec == 8) || (vec >= 10 && vec <= 14) || (vec == 17)
    nop
    nop
    .else
    pushl $0
    .endif
    pushl $vec
    jmp exc_common
    .set vec, vec + 1
    .endr

exc_common:
    pushal
    movw $0x10, %ax
    movw %ax, %ds
    movw %ax, %es
    pushl %esp
    call trap_fatal

/* The shootdown IPI: the C handler invalidates and acknowledges, then the
 * end of interrupt.  Only EAX, ECX and EDX are the handler's to clobber. */
    .globl shootdown_entry
shootdown_entry:
    pushl %eax
    pushl %ecx
    pushl %edx
    cld
    call shootdown_handler
    movl $0, 0xFEE000B0
    popl %edx
    popl %ecx
    popl %eax
    iret

/* Any other interrupt (a late start IPI): acknowledge and return. */
    .globl spurious_entry
spurious_entry:
    movl $0, 0xFEE000B0
    iret

    .bss
    .align 16
stacks:
    .space MAXCPU * STACK_SIZE
