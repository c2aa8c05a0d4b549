// exits: the tight loop with periodic exits.  A generator loop of a few
// instructions (a 64-bit xorshift, one counted branch, no data) that
// executes `mov r = psr` every 1,024 iterations.  Reading the PSR is
// privileged and, with PSR.vm = 1, raises a virtualization fault to the
// hypervisor (Intel Itanium Architecture SDM 2.3, Vol. 3, mov from psr;
// Vol. 2, 3.4 Processor Virtualization), which emulates it; on the bare
// machine it just executes.  Its value differs between the two and is not
// part of the checksum.
// Unit: 4 x 1,024 iterations and 4 PSR reads, 49k instructions
// (cpu.instructions, measured).
    .include "vq.inc"

    EXITS_PERIODS = 4                    // PSR reads per unit
    EXITS_PERIOD = 1024                  // iterations between them

    VQ_DRIVER exits

    .text
    .proc vq_init
vq_init:
    br.ret.sptk.many b0 ;;
    .endp vq_init

    .proc vq_unit
vq_unit:
    movl r14 = 0x9e3779b97f4a7c15 ;;
    add r8 = r4, r14                     // s: never 0 for xorshift
    mov r16 = EXITS_PERIODS ;;
2:  mov r17 = EXITS_PERIOD - 1 ;;
    mov ar.lc = r17 ;;
1:  shl r18 = r8, 13 ;;
    xor r8 = r8, r18 ;;
    shr.u r18 = r8, 7 ;;
    xor r8 = r8, r18 ;;
    shl r18 = r8, 17 ;;
    xor r8 = r8, r18
    br.cloop.sptk.few 1b ;;
    mov r19 = psr ;;                     // the exit
    adds r16 = -1, r16 ;;
    cmp.ne p6, p0 = 0, r16
(p6) br.cond.sptk 2b ;;
    br.ret.sptk.many b0 ;;
    .endp vq_unit
