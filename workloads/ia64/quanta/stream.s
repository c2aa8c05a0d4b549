// stream: the streaming kernel.  Each unit reads and rewrites the next
// 32 KiB of an 8 MiB buffer, more than the Itanium 2 last-level cache (the
// 6 MiB L3, configs/machines/itanium2.yaml), so every line comes from
// memory and goes back dirty, evicting whatever else the caches held.  No
// phases: the buffer wraps every 256 units.  The buffer is bss (zero at
// load), so no set-up pass touches it first.
// Unit: 4,096 words, 37k instructions (cpu.instructions, measured).
    .include "vq.inc"

    STREAM_CHUNKS = 256                  // 8 bits of u
    CHUNK_SHIFT = 15                     // 32 KiB per unit

    VQ_DRIVER stream

    .text
    .proc vq_init
vq_init:
    br.ret.sptk.many b0 ;;
    .endp vq_init

    .proc vq_unit
vq_unit:
    extr.u r14 = r4, 0, 8                // u % STREAM_CHUNKS
    movl r15 = stream_buf ;;
    shl r14 = r14, CHUNK_SHIFT ;;
    add r14 = r14, r15                   // this unit's chunk
    mov r8 = r4                          // s
    mov r16 = 0                          // i
    movl r17 = (1 << CHUNK_SHIFT) / 8 - 1 ;;
    mov ar.lc = r17 ;;
1:  ld8 r18 = [r14]
    add r19 = r16, r4 ;;
    add r18 = r18, r19 ;;                // v = c[i] + i + u
    st8 [r14] = r18, 8
    xor r20 = r8, r18
    shl r21 = r8, 3 ;;
    add r8 = r20, r21                    // s = (s ^ v) + (s << 3)
    adds r16 = 1, r16
    br.cloop.sptk.few 1b ;;
    br.ret.sptk.many b0 ;;
    .endp vq_unit

    .bss
    .align 128
stream_buf: .skip STREAM_CHUNKS << CHUNK_SHIFT
