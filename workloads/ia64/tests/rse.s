// rse: a self-checking test of the register stack engine.  A recursion 40
// frames deep with 8 locals each needs far more than the 96 physical
// stacked registers, so the engine spills to the backing store on the way
// down and fills on the way up; every frame checks its locals after the
// call.  A NaT bit set by ld8.fill must survive the trip through ar.rnat.
// At the bottom, flushrs must leave ar.bspstore == ar.bsp with the
// first frame's registers in memory at the start of the backing store and
// its NaT collection at slot 63.  loadrs must bring back exactly the
// bytes asked for.  Prints "rse ok" and exits 0, or exits with the number
// of the failing check.
    .include "tests/check.inc"

    DEPTH = 40

    .text
    .global _start
    .proc _start
_start:
    movl r2 = 0xFFFF0000
    mov r9 = 1
    movl r3 = bstore ;;
    mov ar.rsc = r0 ;;                   // enforced lazy, loadrs 0
    mov ar.bspstore = r3 ;;
    mov r4 = ar.bsp ;;
    check r4, bstore                     // nothing dirty: BSP == BSPSTORE
    alloc r34 = ar.pfs, 0, 3, 1, 0
    movl r32 = 0x5151
    movl r3 = natword ;;
    mov r4 = 1 ;;
    mov ar.unat = r4 ;;                  // bit 0: natword (8-aligned, bits 8:3 = 0)
    ld8.fill r33 = [r3] ;;               // r33 is NaT
    mov r35 = DEPTH ;;
    br.call.sptk.many b0 = deep ;;
    check r8, 1                          // every level saw its locals intact
    check r32, 0x5151
    tnat.nz p6, p7 = r33 ;;
(p7) br.cond.spnt fail ;;
    adds r9 = 1, r9
    check r10, 1                         // the bottom's own checks ran
    movl r3 = msg ;;
    pass_with_message_at_r3
    fail_label
    .endp _start

// deep(n): 8 locals set from n, recurse to n - 1, check them after.
// r8 = 1 when this level and all below were intact.
    .proc deep
deep:
    alloc r41 = ar.pfs, 1, 9, 1, 0       // in r32, locals r33-r41, out r42
    mov r40 = b0
    shl r33 = r32, 4 ;;
    adds r34 = 1, r33
    adds r35 = 2, r33
    adds r36 = 3, r33
    adds r37 = 4, r33
    adds r38 = 5, r33
    adds r39 = 6, r33
    cmp.eq p6, p0 = 0, r32
(p6) br.cond.spnt bottom ;;
    adds r42 = -1, r32
    br.call.sptk.many b0 = deep ;;
    shl r3 = r32, 4 ;;
    cmp.ne p6, p0 = r3, r33
    adds r4 = 6, r3 ;;
    cmp.ne.or p6, p0 = r4, r39
    adds r4 = 3, r3 ;;
    cmp.ne.or p6, p0 = r4, r36 ;;
(p6) mov r8 = 0
    mov b0 = r40
    mov ar.pfs = r41 ;;
    br.ret.sptk.many b0 ;;

bottom:
    // Everything above is in registers or memory; flushrs stores it all.
    flushrs ;;
    mov r3 = ar.bsp
    mov r4 = ar.bspstore ;;
    cmp.ne p6, p0 = r3, r4
    movl r5 = bstore ;;
    ld8 r6 = [r5] ;;                     // _start's r32
    movl r7 = 0x5151 ;;
    cmp.ne.or p6, p0 = r6, r7
    adds r5 = 63 * 8, r5 ;;
    ld8 r6 = [r5] ;;                     // the first NaT collection
    and r6 = 2, r6 ;;                    // bit 1: _start's r33 (slot 1)
    cmp.eq.or p6, p0 = 0, r6
(p6) br.cond.spnt fail ;;
    // loadrs: bring back the 5 registers below BSP (no collection there
    // unless slot 63 lies within: count by address, as the engine does).
    mov r16 = ar.pfs
    mov r17 = b0 ;;
    alloc r18 = ar.pfs, 0, 0, 0, 0 ;;    // loadrs needs an empty frame
    movl r19 = 5 * 8 << 16 ;;
    mov ar.rsc = r19 ;;
    loadrs ;;
    mov ar.rsc = r0 ;;
    mov r3 = ar.bsp
    mov r4 = ar.bspstore ;;
    sub r3 = r3, r4 ;;
    cmp.ne p6, p0 = 5 * 8, r3
(p6) br.cond.spnt fail ;;
    mov r10 = 1
    mov r8 = 1
    mov ar.pfs = r16
    mov b0 = r17 ;;
    br.ret.sptk.many b0 ;;
    .endp deep

    .section .rodata
msg:
    stringz "rse ok\n"

    .data
    .align 512
natword:
    data8 0x77
    .align 512
bstore:
    .skip 8192
