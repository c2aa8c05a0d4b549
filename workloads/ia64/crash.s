// crash: executes a break with no interruption handler; vtsim must end the
// run with a diagnostic naming the hart, IP, bundle bytes and cause.
    .text
    .global _start
    .proc _start
_start:
    mov r8 = 7
    ;;
    break.m 0x42
    ;;
    .endp _start
