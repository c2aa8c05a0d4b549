// calls: a self-checking test of the register stack as executed so far:
// alloc, br.call and br.ret (direct and indirect), frames that preserve
// the caller's stacked registers, outputs becoming the callee's inputs,
// ar.pfs save/restore, and a recursion ten frames deep.  Prints "calls ok"
// and exits 0, or exits with the number of the failing check.
    .include "tests/check.inc"

    .text
    .global _start
    .proc _start
_start:
    movl r2 = 0xFFFF0000
    mov r9 = 1
    ;;
    alloc r34 = ar.pfs, 0, 3, 2, 0     // locals r32-r34, outputs r35-r36
    ;;
    mov r32 = 11
    mov r33 = 22
    mov r35 = 5
    mov r36 = 6
    ;;
    br.call.sptk.many b0 = addfn
    ;;
    check r8, 11
    check r32, 11
    check r33, 22
    mov r35 = 10
    ;;
    br.call.sptk.many b0 = sumrec
    ;;
    check r8, 55
    check r32, 11
    movl r11 = addfn ;;
    mov b6 = r11
    mov r35 = 100
    mov r36 = 23
    ;;
    br.call.sptk.many b0 = b6          // indirect call
    ;;
    check r8, 123
    movl r3 = msg ;;
    pass_with_message_at_r3
    fail_label
    .endp _start

// r8 = in0 + in1
    .proc addfn
addfn:
    alloc r34 = ar.pfs, 2, 1, 0, 0
    ;;
    add r8 = r32, r33
    mov.i ar.pfs = r34
    ;;
    br.ret.sptk.many b0
    ;;
    .endp addfn

// r8 = in0 + (in0 - 1) + ... + 0, recursively
    .proc sumrec
sumrec:
    alloc r35 = ar.pfs, 1, 3, 1, 0
    ;;
    mov r34 = b0
    cmp.eq p6, p7 = 0, r32
    ;;
(p6) mov r8 = 0
(p6) br.cond.sptk.few 9f
    ;;
    adds r36 = -1, r32
    ;;
    br.call.sptk.many b0 = sumrec
    ;;
    add r8 = r8, r32
    ;;
9:  mov b0 = r34
    mov.i ar.pfs = r35
    ;;
    br.ret.sptk.many b0
    ;;
    .endp sumrec

    .section .rodata
msg:
    stringz "calls ok\n"
