/*
 * rt_vectors.S - the entry stubs of the test runtime (rt.h): one per
 * vector, 16 bytes apart, pushing a dummy error code where the processor
 * pushes none (Intel SDM Vol. 3A 6.13: vectors 8, 10-14 and 17 have one),
 * then the vector; the common path saves the registers, loads the kernel
 * data segments (the interrupted code may have had any) and calls
 * rt_handler(frame).  Vector 0x81 is the way back from ring 3.
 */
    .text
    .globl rt_stubs
    .align 16
rt_stubs:
    .set vec, 0
    .rept 256
    .align 16
    .if (vec == 8) || (vec >= 10 && vec <= 14) || (vec == 17)
    nop
    nop
    .else
    pushl $0
    .endif
    pushl $vec
    jmp rt_common
    .set vec, vec + 1
    .endr

rt_common:
    pushal
    pushl %ds
    pushl %es
    movw $0x10, %ax
    movw %ax, %ds
    movw %ax, %es
    pushl %esp
    call rt_handler
    addl $4, %esp
    popl %es
    popl %ds
    popal
    addl $8, %esp
    iret

/* u32 rt_user_call(u32 (*fn)(void)): run fn in ring 3. */
    .globl rt_user_call
rt_user_call:
    pushl %ebp
    pushl %ebx
    pushl %esi
    pushl %edi
    movl 20(%esp), %eax
    movl %eax, rt_ufn
    movl %esp, rt_ksp
    /* Ring-0 entries from ring 3 use the stack below this frame. */
    leal -256(%esp), %ecx
    movl %ecx, rt_tss_block + 4
    pushl $0x23
    pushl $rt_ustack_top
    pushfl
    pushl $0x1B
    pushl $rt_user_entry
    iret
rt_user_entry:
    movw $0x23, %ax
    movw %ax, %ds
    movw %ax, %es
    call *rt_ufn
    int $0x81

    .globl rt_user_return
rt_user_return:
    movw $0x10, %cx
    movw %cx, %ds
    movw %cx, %es
    movl rt_ksp, %esp
    popl %edi
    popl %esi
    popl %ebx
    popl %ebp
    ret

    .data
rt_ufn: .long 0
rt_ksp: .long 0
    .bss
    .align 16
    .space 8192
    .globl rt_ustack_top
rt_ustack_top:
