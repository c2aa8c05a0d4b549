/*
 * vmx_asm.S - entering the guest and coming back: vmx_enter() loads the
 * guest's general registers from a struct em_regs (EAX, ECX, EDX, EBX,
 * ESP slot unused, EBP, ESI, EDI at offsets 0-28) and launches or resumes
 * it; a VM exit arrives at vmx_exit_entry (HOST_RIP) on the stack
 * vmx_enter left in HOST_RSP, stores the guest's registers back and
 * returns 0 to vmx_enter's caller.  A VM entry that fails with VMfail
 * returns -1 (SDM Vol. 3C 30.2: CF or ZF set).
 */
    .text
    .globl vmx_enter
/* int vmx_enter(struct em_regs *regs, int launched) */
vmx_enter:
    push %ebp
    push %ebx
    push %esi
    push %edi
    mov 20(%esp), %eax          /* regs */
    mov 24(%esp), %ebx          /* launched */
    push %eax                   /* regs, found again at the exit */
    mov $0x6C14, %edx           /* HOST_RSP */
    vmwrite %esp, %edx
    mov $0x6C16, %edx           /* HOST_RIP */
    mov $vmx_exit_entry, %ecx
    vmwrite %ecx, %edx
    test %ebx, %ebx             /* moves below keep the flags */
    mov 4(%eax), %ecx
    mov 8(%eax), %edx
    mov 12(%eax), %ebx
    mov 20(%eax), %ebp
    mov 24(%eax), %esi
    mov 28(%eax), %edi
    mov 0(%eax), %eax
    jnz 1f
    vmlaunch
    jmp 2f
1:  vmresume
2:  pop %eax                    /* VMfail: back to the caller */
    pop %edi
    pop %esi
    pop %ebx
    pop %ebp
    mov $-1, %eax
    ret

    .globl vmx_exit_entry
vmx_exit_entry:
    push %eax                   /* the guest's EAX; regs is above it */
    mov 4(%esp), %eax
    mov %ecx, 4(%eax)
    mov %edx, 8(%eax)
    mov %ebx, 12(%eax)
    mov %ebp, 20(%eax)
    mov %esi, 24(%eax)
    mov %edi, 28(%eax)
    pop %ecx
    mov %ecx, 0(%eax)
    pop %eax
    pop %edi
    pop %esi
    pop %ebx
    pop %ebp
    xor %eax, %eax
    ret
