// ia64_window: an IA-64 program for test_platform_ia64.cc.  In physical
// mode it stores 8 bytes at offset 0 of the external window at 0xFE000000,
// loads 4 bytes at offset 8 (the test's target answers 0xCAFEF00D), and
// loads them again under a predicate computed from the first load, so the
// second load issues only once the first one's data is back.  Exit status
// 0 when both loads got the value, 3 otherwise (exit register of the
// control page, docs/model-platform.md).
    .text
    .global _start
    .proc _start
_start:
    movl r2 = 0xFE000000
    movl r3 = 0x1122334455667788
    movl r7 = 0xCAFEF00D
    movl r8 = 0xFFFF0008
    mov r9 = 3
    ;;
    st8 [r2] = r3
    adds r5 = 8, r2
    ;;
    ld4 r6 = [r5]
    ;;
    cmp.eq p6, p7 = r6, r7
    ;;
(p6) ld4 r11 = [r5]
(p7) st8 [r8] = r9
    ;;
    cmp.eq p8, p9 = r11, r7
    ;;
(p8) st8 [r8] = r0
(p9) st8 [r8] = r9
1:  br.cond.sptk 1b
    .endp _start
