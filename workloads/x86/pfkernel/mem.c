/*
 * mem.c - pfkernel's physical memory: the check that the loader's memory
 * map covers the part of the partition the kernel uses, the data-frame
 * pool (a LIFO free list, so the order frames come back in is the same on
 * every run) and the page-table pool (taken in order, zeroed once before
 * paging, never freed).
 *
 * Hot: frame_alloc/frame_free and page_zero/page_copy, once per demand
 * fault or copy-on-write fault.
 */
#include "kern.h"

#define MB_BOOT_MAGIC 0x2BADB002u
#define MBI_MEM       (1u << 0) /* mem_lower/mem_upper valid */
#define MBI_MMAP      (1u << 6) /* mmap_length/mmap_addr valid */

static u32 free_frames[DPOOL_FRAMES];
static u32 nfree;
static u32 tables_next;

/* Is [lo, hi) RAM according to the Multiboot memory map (Multiboot
 * 0.6.96 3.3: entries of `size` bytes after a 4-byte size field; type 1
 * is RAM)?  The entries need not be sorted or merged. */
static int mmap_covers(u32 addr, u32 len, u64 lo, u64 hi)
{
    u64 cur = lo;
    for (int progress = 1; cur < hi && progress;) {
        progress = 0;
        for (u32 p = addr; p + 24 <= addr + len; p += *(u32 *)p + 4) {
            const u32 *e = (const u32 *)p;
            u64 base = (u64)e[2] << 32 | e[1], n = (u64)e[4] << 32 | e[3];
            if (e[5] == 1 && base <= cur && cur < base + n) {
                cur = base + n;
                progress = 1;
            }
        }
    }
    return cur >= hi;
}

void mem_check(u32 magic, u32 mbi)
{
    if (magic != MB_BOOT_MAGIC)
        fatal(EXIT_MEMORY, "not started by a multiboot loader: magic", magic, 0);
    const u32 *info = (const u32 *)mbi;
    int ok;
    if (info[0] & MBI_MMAP)
        ok = mmap_covers(info[12], info[11], PART_BASE, USED_END);
    else if (info[0] & MBI_MEM)
        ok = 0x100000u + (u64)info[2] * 1024 >= USED_END;
    else
        ok = 0;
    if (!ok)
        fatal(EXIT_MEMORY, "memory does not cover", PART_BASE, USED_END);
}

/* Before paging: zero the table pool (physical writes), fill the free
 * list so that the lowest frame is taken first. */
void mem_init(void)
{
    for (u32 i = 0; i < TPOOL_FRAMES; i++)
        page_zero(TPOOL_BASE + i * PAGE);
    for (u32 i = 0; i < DPOOL_FRAMES; i++)
        free_frames[i] = DPOOL_BASE + (DPOOL_FRAMES - 1 - i) * PAGE;
    nfree = DPOOL_FRAMES;
}

u32 frame_alloc(void)
{
    if (nfree == 0)
        fatal(EXIT_MEMORY, "data pool empty", DPOOL_FRAMES, 0);
    return free_frames[--nfree];
}

void frame_free(u32 frame)
{
    if (frame < DPOOL_BASE || frame >= DPOOL_BASE + DPOOL_FRAMES * PAGE || (frame & (PAGE - 1)) ||
        nfree == DPOOL_FRAMES)
        fatal(EXIT_MEMORY, "bad frame freed", frame, nfree);
    free_frames[nfree++] = frame;
}

u32 table_alloc(void)
{
    if (tables_next == TPOOL_FRAMES)
        fatal(EXIT_MEMORY, "table pool empty", TPOOL_FRAMES, 0);
    return TPOOL_BASE + tables_next++ * PAGE;
}

u32 tables_used(void)
{
    return tables_next;
}

void page_zero(u32 frame)
{
    u32 d = frame, n = PAGE / 4;
    __asm__ volatile("cld\n\trep stosl" : "+D"(d), "+c"(n) : "a"(0) : "memory");
}

void page_copy(u32 dst, u32 src)
{
    u32 n = PAGE / 4;
    __asm__ volatile("cld\n\trep movsl" : "+D"(dst), "+S"(src), "+c"(n) : : "memory");
}
