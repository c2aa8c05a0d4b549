/*
 * physmem.h - the machine's physical address space: RAM and ROM regions
 * backed by sparse 4 KiB pages (allocated on first write, so a large
 * address space costs nothing until touched), and MMIO regions served by
 * device callbacks.  Anything else is unmapped: the access fails and the
 * CPU model turns that into a machine check or a fatal error.
 *
 * Decoded-code tracking: a front end that caches decoded instructions marks
 * the page (physmem_mark_code); a write to a marked page calls the code
 * hook with the bytes written, so self-modifying and patched code is
 * re-decoded.  The hook says whether the page keeps its mark: a front end
 * that dropped only what the write touched keeps it (code and data sharing
 * a page then cost one call per store); one that dropped the whole page
 * clears it until it decodes there again.  The write path pays one flag
 * test for this.
 *
 * The origin: devices that serve each hart apart or take time (external
 * windows, extwin.h) need to know who accesses them and when, and must be
 * able to add a latency.  Rather than widen every access, physmem keeps one
 * origin record: a front end writes the hart and its clock there before an
 * access and adds the cycles a device charged to the access's latency
 * after it.  Accesses are never concurrent (one hart steps at a time under
 * either kernel), so one record serves every hart.
 *
 * Hot: physmem_read/physmem_write.  Page lookup is three array indexations;
 * region lookup checks the last region used first.
 */
#ifndef VTSIM_MODEL_PLATFORM_PHYSMEM_H
#define VTSIM_MODEL_PLATFORM_PHYSMEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PM_PAGE_SHIFT  12
#define PM_PAGE_SIZE   (1u << PM_PAGE_SHIFT)
#define PM_ADDR_BITS   48 /* physical addresses above 2^48 are unmapped */
#define PM_MAX_REGIONS 32

enum pm_status {
    PM_OK,
    PM_UNMAPPED,  /* no region at this address */
    PM_ROM_WRITE, /* a write to ROM: ignored, reported */
    PM_DEVICE,    /* the device refused the access */
};

/* A device's registers: 1, 2, 4 or 8-byte accesses at an offset in its region. */
struct mmio_ops {
    enum pm_status (*read)(void *ctx, uint64_t off, unsigned size, uint64_t *val);
    enum pm_status (*write)(void *ctx, uint64_t off, unsigned size, uint64_t val);
};

/* Who makes the current access (see above). */
struct pm_origin {
    unsigned hart;   /* set by the front end */
    uint64_t clock;  /* the hart's clock at the access, set by the front end */
    uint64_t cycles; /* cleared by the front end; a device adds its latency */
};

struct physmem;

struct physmem *physmem_new(void);

/* The origin record of pm (not NULL); never NULL, lives as long as pm. */
struct pm_origin *physmem_origin(struct physmem *pm);
void physmem_free(struct physmem *pm);

/* Add a region; regions may not overlap.  0, or -1 (overlap, full, beyond
 * 2^48, size 0). */
int physmem_add_ram(struct physmem *pm, uint64_t base, uint64_t size);
int physmem_add_rom(struct physmem *pm, uint64_t base, uint64_t size);
int physmem_add_mmio(struct physmem *pm, uint64_t base, uint64_t size, const struct mmio_ops *ops,
                     void *ctx);

/* Little-endian access of size 1, 2, 4 or 8 (any alignment). */
enum pm_status physmem_read(struct physmem *pm, uint64_t addr, unsigned size, uint64_t *val);
enum pm_status physmem_write(struct physmem *pm, uint64_t addr, unsigned size, uint64_t val);

/* Bulk copies of RAM/ROM (loaders, DMA, diagnostics); copy_in may write
 * ROM.  PM_UNMAPPED if any byte is not RAM/ROM. */
enum pm_status physmem_copy_in(struct physmem *pm, uint64_t addr, const void *src, size_t n);
enum pm_status physmem_copy_out(struct physmem *pm, uint64_t addr, void *dst, size_t n);

/* Decoded-code tracking (see above). */
typedef bool (*pm_code_hook)(void *ctx, uint64_t addr, size_t len);
void physmem_set_code_hook(struct physmem *pm, pm_code_hook fn, void *ctx);
void physmem_mark_code(struct physmem *pm, uint64_t addr);

/* Pages allocated so far (for tests and memory reports). */
uint64_t physmem_pages(const struct physmem *pm);

#endif
