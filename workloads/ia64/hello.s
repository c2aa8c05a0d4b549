// hello: prints a line through the simulator-control device's console
// register and exits with status 0 (docs/model-platform.md: the IA-64
// control page is at physical 0xFFFF0000, console +0x00, exit +0x08).
    .text
    .global _start
    .proc _start
_start:
    movl r2 = 0xFFFF0000
    movl r3 = msg
    ;;
1:  ld1 r4 = [r3], 1
    ;;
    cmp.eq p6, p7 = 0, r4
    ;;
(p7) st8 [r2] = r4
(p7) br.cond.sptk 1b
    ;;
    adds r5 = 8, r2
    ;;
    st8 [r5] = r0
2:  br.cond.sptk 2b
    .endp _start

    .section .rodata
msg:
    stringz "hello from bare-metal ia64\n"
