// bench_loop: a fixed integer workload for scripts/bench: 2,000,000
// iterations of loads, ALU work, a store and a compare-and-branch over a
// 1 KiB part of a buffer, then exit 0.
    .text
    .global _start
    .proc _start
_start:
    movl r2 = 0xFFFF0000
    movl r20 = buf
    movl r21 = 2000000
    mov r22 = 0
    ;;
1:  and r23 = 0x7f, r21
    ;;
    shladd r24 = r23, 3, r20
    ;;
    ld8 r25 = [r24]
    ;;
    add r22 = r22, r25
    adds r21 = -1, r21
    ;;
    xor r25 = r22, r21
    ;;
    st8 [r24] = r25
    cmp.ne p6, p7 = 0, r21
(p6) br.cond.sptk 1b
    ;;
    adds r5 = 8, r2
    ;;
    st8 [r5] = r0
2:  br.cond.sptk 2b
    .endp _start

    .data
    .align 64
buf:
    .skip 4096
