/*
 * entry.S - pfkernel's ways in and out: the Multiboot (v1) header and
 * entry, the exception entry stubs, the page-fault entry, and the ring-3
 * round trip (iret to user_entry, back through int 0x80).
 *
 * Multiboot enters in 32-bit protected mode, paging off, EAX = magic and
 * EBX = the information block (Multiboot Specification 0.6.96, 3.2).
 * Exceptions 8, 10-14 and 17 push an error code; the others get a dummy
 * one so every frame looks alike (Intel SDM Vol. 3A 6.13).
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
    mov $kstack_top, %esp
    pushl %ebx
    pushl %eax
    call kmain
1:  hlt
    jmp 1b

/* Exceptions other than #PF: vector and error code, then trap_fatal(frame).
 * They never return. */
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

/* #PF: struct pf_frame is the pushal block, the error code and the
 * processor's frame (with ESP and SS when it came from ring 3).  DS and
 * ES are saved because ring 3 runs with the user data segment. */
    .globl pf_entry
pf_entry:
    pushal
    pushl %ds
    pushl %es
    movw $0x10, %ax
    movw %ax, %ds
    movw %ax, %es
    pushl %esp
    call pf_handler
    addl $4, %esp
    popl %es
    popl %ds
    popal
    addl $4, %esp
    iret

/* void user_run(void): run user_main(&ubatch) in ring 3.  The kernel
 * context is the callee-saved registers on this stack; int 0x80 comes
 * back on the trap stack (TSS.ESP0) and returns from here.  IF stays 0
 * and IOPL 0: user code has no interrupts and no I/O. */
    .globl user_run
user_run:
    pushl %ebp
    pushl %ebx
    pushl %esi
    pushl %edi
    movl %esp, user_saved_esp
    pushl $0x23
    pushl $ustack_top
    pushfl
    pushl $0x1B
    pushl $user_entry
    iret

    .globl sys_entry
sys_entry:
    movw $0x10, %ax
    movw %ax, %ds
    movw %ax, %es
    movl user_saved_esp, %esp
    popl %edi
    popl %esi
    popl %ebx
    popl %ebp
    ret

/* Ring 3: iret to an outer ring leaves DS and ES null when they held
 * ring-0 selectors (SDM Vol. 3A 6.12.1 / IRET), so load the user ones. */
    .section .utext, "ax"
user_entry:
    movw $0x23, %ax
    movw %ax, %ds
    movw %ax, %es
    pushl $ubatch
    call user_main
    int $0x80
1:  jmp 1b

    .data
user_saved_esp: .long 0

    .bss
    .align 16
    .space 16384
    .globl kstack_top
kstack_top:
    .space 8192
    .globl trap_stack_top
trap_stack_top:

/* The ring-3 stack, on a user page (pfkernel.ld: .udata). */
    .section .udata, "aw"
    .align 4096
    .space 4096
ustack_top:
