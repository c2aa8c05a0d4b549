// spin: counts r8 down from 1000 and stops in a tight loop; the smallest
// IA-64 image, used to check the toolchain rule.
    .text
    .global _start
    .proc _start
_start:
    mov r8 = 1000
    ;;
1:  adds r8 = -1, r8
    ;;
    cmp.ne p6, p0 = 0, r8
(p6) br.cond.sptk 1b
    ;;
2:  br.cond.sptk 2b
    .endp _start
