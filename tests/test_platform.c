/*
 * test_platform.c - physical memory, the ELF loader (on the project's own
 * images and on damaged ones) and the simulator-control device.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cunit_main.h"
#include "model/base/stats.h"
#include "model/platform/ctl.h"
#include "model/platform/elf_load.h"
#include "model/platform/extwin.h"
#include "model/platform/physmem.h"

static unsigned hook_calls;
static uint64_t hook_addr;
static size_t hook_len;
static bool hook_keep;

static bool on_code_write(void *ctx, uint64_t addr, size_t len)
{
    (void)ctx;
    hook_calls++;
    hook_addr = addr;
    hook_len = len;
    return hook_keep;
}

static void test_physmem(void)
{
    struct physmem *pm = physmem_new();
    uint64_t v;
    CU_ASSERT_EQUAL(physmem_add_ram(pm, 0, 4ull << 30), 0); /* 4 GiB costs nothing yet */
    CU_ASSERT_EQUAL(physmem_add_rom(pm, 0x100000000ull, 0x10000), 0);
    CU_ASSERT_EQUAL(physmem_add_ram(pm, 0x1000, 0x1000), -1); /* overlap */
    CU_ASSERT_EQUAL(physmem_pages(pm), 0);
    /* Reads of untouched RAM are zero and allocate nothing. */
    CU_ASSERT_EQUAL(physmem_read(pm, 0x12345678, 8, &v), PM_OK);
    CU_ASSERT_EQUAL(v, 0);
    CU_ASSERT_EQUAL(physmem_pages(pm), 0);
    /* Two far-apart writes allocate exactly two pages. */
    CU_ASSERT_EQUAL(physmem_write(pm, 0x10, 4, 0xdeadbeef), PM_OK);
    CU_ASSERT_EQUAL(physmem_write(pm, 0xF0000000, 8, 0x0102030405060708ull), PM_OK);
    CU_ASSERT_EQUAL(physmem_pages(pm), 2);
    CU_ASSERT_EQUAL(physmem_read(pm, 0x11, 2, &v), PM_OK);
    CU_ASSERT_EQUAL(v, 0xadbe); /* little-endian */
    /* An access across a page boundary. */
    CU_ASSERT_EQUAL(physmem_write(pm, 0x1ffe, 4, 0xaabbccdd), PM_OK);
    CU_ASSERT_EQUAL(physmem_read(pm, 0x1ffe, 4, &v), PM_OK);
    CU_ASSERT_EQUAL(v, 0xaabbccdd);
    /* Unmapped, bad sizes, ROM. */
    CU_ASSERT_EQUAL(physmem_read(pm, 0x200000000ull, 4, &v), PM_UNMAPPED);
    CU_ASSERT_EQUAL(physmem_read(pm, 0, 3, &v), PM_UNMAPPED);
    CU_ASSERT_EQUAL(physmem_write(pm, 0x100000000ull, 4, 1), PM_ROM_WRITE);
    uint8_t rom[4] = {1, 2, 3, 4};
    CU_ASSERT_EQUAL(physmem_copy_in(pm, 0x100000000ull, rom, 4), PM_OK);
    CU_ASSERT_EQUAL(physmem_read(pm, 0x100000000ull, 4, &v), PM_OK);
    CU_ASSERT_EQUAL(v, 0x04030201);
    CU_ASSERT_EQUAL(physmem_copy_in(pm, 0x10000fffeull, rom, 4), PM_UNMAPPED);
    /* The code hook sees the bytes written to a marked page; the page stays
     * marked while the hook says so. */
    physmem_set_code_hook(pm, on_code_write, NULL);
    physmem_mark_code(pm, 0x5000);
    physmem_write(pm, 0x6000, 4, 1);
    CU_ASSERT_EQUAL(hook_calls, 0);
    hook_keep = true;
    physmem_write(pm, 0x5abc, 4, 1);
    CU_ASSERT_EQUAL(hook_calls, 1);
    CU_ASSERT_EQUAL(hook_addr, 0x5abc);
    CU_ASSERT_EQUAL(hook_len, 4);
    hook_keep = false;
    physmem_write(pm, 0x5ab0, 2, 2);
    CU_ASSERT_EQUAL(hook_calls, 2);
    physmem_write(pm, 0x5abc, 4, 2); /* the mark was cleared */
    CU_ASSERT_EQUAL(hook_calls, 2);
    /* A write across pages reports each page's part. */
    physmem_mark_code(pm, 0x7000);
    physmem_mark_code(pm, 0x8000);
    hook_keep = true;
    physmem_write(pm, 0x7ffe, 4, 3);
    CU_ASSERT_EQUAL(hook_calls, 4);
    CU_ASSERT_EQUAL(hook_addr, 0x8000);
    CU_ASSERT_EQUAL(hook_len, 2);
    physmem_free(pm);
}

static void test_elf_project_images(void)
{
    struct elf_image img;
    char err[256];
    const char *x86 = VTSIM_BINARY_DIR "/workloads/x86/x86_hello.elf";
    const char *ia64 = VTSIM_BINARY_DIR "/workloads/ia64/ia64_spin.elf";
    if (access(x86, R_OK) != 0 || access(ia64, R_OK) != 0) {
        /* Built with VTSIM_FIRMWARE=OFF (the sanitizer build): no images. */
        CU_PASS("images not built in this configuration");
        return;
    }
    struct physmem *pm = physmem_new();
    physmem_add_ram(pm, 0, 16 << 20);
    CU_ASSERT_EQUAL_FATAL(elf_load_file(x86, pm, &img, err, sizeof(err)), 0);
    CU_ASSERT_EQUAL(img.machine, ELF_MACHINE_386);
    CU_ASSERT_FALSE(img.is64);
    CU_ASSERT_EQUAL(img.lo, 0x100000);
    /* The multiboot header is the first thing in the image. */
    uint64_t magic;
    CU_ASSERT_EQUAL(physmem_read(pm, 0x100000, 4, &magic), PM_OK);
    CU_ASSERT_EQUAL(magic, 0x1BADB002);
    uint64_t off;
    CU_ASSERT_STRING_EQUAL(elf_symbolize(&img, img.entry, &off), "_start");
    CU_ASSERT_EQUAL(off, 0);
    elf_image_free(&img);

    CU_ASSERT_EQUAL_FATAL(elf_load_file(ia64, pm, &img, err, sizeof(err)), 0);
    CU_ASSERT_EQUAL(img.machine, ELF_MACHINE_IA64);
    CU_ASSERT_TRUE(img.is64);
    CU_ASSERT_EQUAL(img.entry, 0x100000);
    /* The first bundle's template byte matches the file's .text. */
    uint64_t b0;
    CU_ASSERT_EQUAL(physmem_read(pm, 0x100000, 8, &b0), PM_OK);
    CU_ASSERT_NOT_EQUAL(b0, 0);
    elf_image_free(&img);

    /* An image outside the machine's memory is refused with a reason. */
    struct physmem *small = physmem_new();
    physmem_add_ram(small, 0, 0x10000);
    CU_ASSERT_EQUAL(elf_load_file(x86, small, &img, err, sizeof(err)), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "is not in the machine's memory"));
    physmem_free(small);
    physmem_free(pm);
}

/* A minimal ELF32 executable with one PT_LOAD of `filesz` bytes at 0x1000. */
static size_t make_elf32(uint8_t *b, size_t cap, uint32_t filesz, uint32_t memsz, uint32_t off)
{
    memset(b, 0, cap);
    memcpy(b,
           "\x7f"
           "ELF",
           4);
    b[4] = 1; /* 32-bit */
    b[5] = 1; /* little-endian */
    b[6] = 1;
    b[16] = 2;                  /* ET_EXEC */
    b[18] = 3;                  /* EM_386 */
    b[24] = 0x00, b[25] = 0x10; /* entry 0x1000 */
    b[28] = 52;                 /* phoff */
    b[42] = 32;                 /* phentsize */
    b[44] = 1;                  /* phnum */
    uint8_t *ph = b + 52;
    ph[0] = 1; /* PT_LOAD */
    memcpy(ph + 4, &off, 4);
    uint32_t addr = 0x1000;
    memcpy(ph + 8, &addr, 4);
    memcpy(ph + 12, &addr, 4);
    memcpy(ph + 16, &filesz, 4);
    memcpy(ph + 20, &memsz, 4);
    return 52 + 32 + 16;
}

static void test_elf_damaged(void)
{
    uint8_t b[256];
    struct elf_image img;
    char err[256];
    size_t n = make_elf32(b, sizeof(b), 16, 32, 84);
    struct physmem *pm = physmem_new();
    physmem_add_ram(pm, 0, 0x10000);
    memset(b + 84, 0xab, 16);
    physmem_write(pm, 0x1010, 8, 0x1111111111111111ull); /* must be zeroed by memsz */
    CU_ASSERT_EQUAL_FATAL(elf_load_buffer(b, n, pm, &img, err, sizeof(err)), 0);
    uint64_t v;
    physmem_read(pm, 0x1000, 8, &v);
    CU_ASSERT_EQUAL(v, 0xababababababababull);
    physmem_read(pm, 0x1010, 8, &v);
    CU_ASSERT_EQUAL(v, 0);
    elf_image_free(&img);

    CU_ASSERT_EQUAL(elf_load_buffer(b, 40, pm, &img, err, sizeof(err)), -1);
    CU_ASSERT_STRING_EQUAL(err, "not an ELF file");
    make_elf32(b, sizeof(b), 0x1000, 0x1000, 84);
    CU_ASSERT_EQUAL(elf_load_buffer(b, n, pm, &img, err, sizeof(err)), -1);
    CU_ASSERT_STRING_EQUAL(err, "segment 0 extends past the end of the file");
    make_elf32(b, sizeof(b), 16, 8, 84);
    CU_ASSERT_EQUAL(elf_load_buffer(b, n, pm, &img, err, sizeof(err)), -1);
    CU_ASSERT_STRING_EQUAL(err, "segment 0: bad sizes (file 16, memory 8)");
    make_elf32(b, sizeof(b), 16, 16, 0xfffffff0u);
    CU_ASSERT_EQUAL(elf_load_buffer(b, n, pm, &img, err, sizeof(err)), -1);
    make_elf32(b, sizeof(b), 16, 16, 84);
    b[5] = 2;
    CU_ASSERT_EQUAL(elf_load_buffer(b, n, pm, &img, err, sizeof(err)), -1);
    CU_ASSERT_STRING_EQUAL(err, "only little-endian ELF files are supported");
    make_elf32(b, sizeof(b), 16, 16, 84);
    b[16] = 1; /* ET_REL */
    CU_ASSERT_EQUAL(elf_load_buffer(b, n, pm, &img, err, sizeof(err)), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "not an executable"));
    make_elf32(b, sizeof(b), 16, 16, 84);
    b[44] = 200; /* 200 program headers: past the end */
    CU_ASSERT_EQUAL(elf_load_buffer(b, n, pm, &img, err, sizeof(err)), -1);
    CU_ASSERT_STRING_EQUAL(err, "program headers missing or outside the file");
    physmem_free(pm);
}

struct sink_log {
    char text[256];
    size_t n;
};

static void s_console(void *ctx, unsigned hart, const char *buf, size_t n)
{
    struct sink_log *l = ctx;
    (void)hart;
    memcpy(l->text + l->n, buf, n);
    l->n += n;
}

static void s_phase(void *ctx, unsigned hart, const char *name, bool begin)
{
    struct sink_log *l = ctx;
    l->n += (size_t)sprintf(l->text + l->n, "[%u %s %s]", hart, begin ? "begin" : "end", name);
}

static void s_exit(void *ctx, unsigned hart, int status)
{
    struct sink_log *l = ctx;
    l->n += (size_t)sprintf(l->text + l->n, "[%u exit %d]", hart, status);
}

static void s_assert(void *ctx, unsigned hart, uint64_t code)
{
    struct sink_log *l = ctx;
    l->n += (size_t)sprintf(l->text + l->n, "[%u assert %llu]", hart, (unsigned long long)code);
}

static void test_ctl(void)
{
    struct sink_log log = {{0}, 0};
    struct ctl_sink sink = {s_console, s_phase, s_exit, s_assert, &log};
    struct physmem *pm = physmem_new();
    struct ctl c;
    physmem_add_ram(pm, 0, 0x10000);
    physmem_copy_in(pm, 0x800, "warmup", 7);
    physmem_copy_in(pm, 0x900, "Bad Name", 9);
    ctl_init(&c, &sink, pm);
    /* IA-32 ports. */
    CU_ASSERT_TRUE(ctl_port_write(&c, 1, 0xE9, 1, 'h'));
    CU_ASSERT_TRUE(ctl_port_write(&c, 1, 0xE9, 1, 'i'));
    ctl_port_write(&c, 1, CTL_PORT_ARG, 4, 0x800);
    ctl_port_write(&c, 1, CTL_PORT_CMD, 1, CTL_CMD_PHASE_BEGIN);
    ctl_port_write(&c, 1, CTL_PORT_CMD, 1, CTL_CMD_ROI_BEGIN);
    ctl_port_write(&c, 1, CTL_PORT_ARG, 4, 0x900);
    ctl_port_write(&c, 1, CTL_PORT_CMD, 1, CTL_CMD_PHASE_END); /* bad name: ignored */
    ctl_port_write(&c, 1, CTL_PORT_CMD, 1, 99);                /* unknown: ignored */
    CU_ASSERT_FALSE(ctl_port_write(&c, 1, 0x80, 1, 0));
    /* IA-64 MMIO page. */
    CU_ASSERT_EQUAL(physmem_add_mmio(pm, CTL_IA64_BASE, CTL_IA64_SIZE, &ctl_mmio_ops, &c), 0);
    c.hart = 2;
    physmem_write(pm, CTL_IA64_BASE + 0x18, 8, CTL_CMD_ROI_END);
    physmem_write(pm, CTL_IA64_BASE + 0x10, 8, 7);
    physmem_write(pm, CTL_IA64_BASE + 0x18, 8, CTL_CMD_ASSERT);
    /* A per-hart name base: hart 2 names "warmup" at 0x800 as 0x700. */
    physmem_write(pm, CTL_IA64_BASE + 0x20, 8, 0x100);
    physmem_write(pm, CTL_IA64_BASE + 0x10, 8, 0x700);
    physmem_write(pm, CTL_IA64_BASE + 0x18, 8, CTL_CMD_PHASE_END);
    c.hart = 1; /* hart 1 has no base: 0x700 holds no name */
    physmem_write(pm, CTL_IA64_BASE + 0x18, 8, CTL_CMD_PHASE_END);
    c.hart = 2;
    physmem_write(pm, CTL_IA64_BASE + 0x08, 8, 0x103); /* status keeps its low 8 bits */
    /* Event counts: known numbers count, others are bad commands. */
    CU_ASSERT_EQUAL(physmem_write(pm, CTL_IA64_BASE + 0x28, 8, CTL_EV_ROUTINE), PM_OK);
    CU_ASSERT_EQUAL(physmem_write(pm, CTL_IA64_BASE + 0x28, 8, CTL_EV_ROUTINE), PM_OK);
    CU_ASSERT_EQUAL(physmem_write(pm, CTL_IA64_BASE + 0x28, 8, 99), PM_OK);
    CU_ASSERT_EQUAL(c.events[CTL_EV_ROUTINE], 2);
    CU_ASSERT_EQUAL(c.events[CTL_EV_PATCH], 0);
    CU_ASSERT_EQUAL(physmem_write(pm, CTL_IA64_BASE + 0x38, 8, 0), PM_DEVICE);
    log.text[log.n] = '\0';
    CU_ASSERT_STRING_EQUAL(log.text, "hi[1 begin warmup][1 begin roi][2 end roi][2 assert 7][2 end "
                                     "warmup][2 exit 3]");
    CU_ASSERT_EQUAL(c.bad_commands, 4);
    CU_ASSERT_EQUAL(c.console_bytes, 2);
    /* Results: a 48-bit FNV-1a digest of the values in order (worked out
     * separately: offset 0xcbf29ce484222325, prime 0x100000001b3). */
    CU_ASSERT_EQUAL(c.result_digest, 0);
    ctl_port_write(&c, 1, CTL_PORT_ARG, 4, 0x723fc392);
    ctl_port_write(&c, 1, CTL_PORT_CMD, 1, CTL_CMD_RESULT);
    ctl_port_write(&c, 1, CTL_PORT_ARG, 4, 0x3e8cacf4);
    ctl_port_write(&c, 1, CTL_PORT_CMD, 1, CTL_CMD_RESULT);
    CU_ASSERT_EQUAL(c.results, 2);
    CU_ASSERT_EQUAL(c.result_digest, 0x8db79274fb3ull);
    ctl_init(&c, &sink, pm); /* the other order gives another digest */
    ctl_port_write(&c, 1, CTL_PORT_ARG, 4, 0x3e8cacf4);
    ctl_port_write(&c, 1, CTL_PORT_CMD, 1, CTL_CMD_RESULT);
    ctl_port_write(&c, 1, CTL_PORT_ARG, 4, 0x723fc392);
    ctl_port_write(&c, 1, CTL_PORT_CMD, 1, CTL_CMD_RESULT);
    CU_ASSERT_EQUAL(c.result_digest, 0x3b9f9ea925c3ull);
    /* Per VM, the values its own guest reported: hart 1 runs VM 0, so
     * VM 0's digest is the machine's; a value from hart 2, running VM 5,
     * leaves VM 0's alone and starts VM 5's (FNV-1a of one value). */
    CU_ASSERT_EQUAL(c.vm_digest[0], 0x3b9f9ea925c3ull);
    ctl_port_write(&c, 2, CTL_PORT_VM, 1, 5);
    ctl_port_write(&c, 2, CTL_PORT_ARG, 4, 0x723fc392);
    ctl_port_write(&c, 2, CTL_PORT_CMD, 1, CTL_CMD_RESULT);
    CU_ASSERT_EQUAL(c.vm_digest[0], 0x3b9f9ea925c3ull);
    CU_ASSERT_EQUAL(c.vm_digest[5], 0x500e34c4d6f5ull);
    CU_ASSERT_EQUAL(c.vm_results[5], 1);
    CU_ASSERT_EQUAL(c.results, 3);
    /* Work units count for the VM the hypervisor set on that hart. */
    ctl_port_write(&c, 1, CTL_PORT_ARG, 4, 5);
    ctl_port_write(&c, 1, CTL_PORT_CMD, 1, CTL_CMD_WORK); /* VM 0 */
    ctl_port_write(&c, 1, CTL_PORT_VM, 1, 3);
    ctl_port_write(&c, 1, CTL_PORT_CMD, 1, CTL_CMD_WORK); /* VM 3 */
    ctl_port_write(&c, 0, CTL_PORT_CMD, 1, CTL_CMD_WORK); /* hart 0: VM 0, its own ARG 0 */
    ctl_port_write(&c, 0, CTL_PORT_ARG, 4, 5);
    ctl_port_write(&c, 0, CTL_PORT_CMD, 1, CTL_CMD_WORK); /* hart 0: still VM 0 */
    ctl_port_write(&c, 1, CTL_PORT_VM, 1, CTL_MAX_VMS);   /* no such VM: ignored */
    ctl_port_write(&c, 1, CTL_PORT_ARG, 4, 2);
    ctl_port_write(&c, 1, CTL_PORT_CMD, 1, CTL_CMD_WORK); /* VM 3 */
    /* ARG is per hart: hart 0's write in between does not change what
     * hart 1's next command reads. */
    ctl_port_write(&c, 1, CTL_PORT_ARG, 4, 4);
    ctl_port_write(&c, 0, CTL_PORT_ARG, 4, 100);
    ctl_port_write(&c, 1, CTL_PORT_CMD, 1, CTL_CMD_WORK); /* VM 3, ARG 4 */
    c.hart = 2;
    physmem_write(pm, CTL_IA64_BASE + 0x30, 8, 1);
    physmem_write(pm, CTL_IA64_BASE + 0x10, 8, 2);
    physmem_write(pm, CTL_IA64_BASE + 0x18, 8, CTL_CMD_WORK); /* VM 1, ARG 2 */
    CU_ASSERT_EQUAL(c.work[0], 10);
    CU_ASSERT_EQUAL(c.work[1], 2);
    CU_ASSERT_EQUAL(c.work[3], 11);
    CU_ASSERT_EQUAL(c.bad_commands, 1);
    /* And per hart, whatever VM runs there. */
    CU_ASSERT_EQUAL(c.hart_work[0], 5);
    CU_ASSERT_EQUAL(c.hart_work[1], 16);
    CU_ASSERT_EQUAL(c.hart_work[2], 2);
    /* Violations and the guest's own IPI count go to the hart's VM. */
    ctl_port_write(&c, 1, CTL_PORT_ARG, 4, 3);
    ctl_port_write(&c, 1, CTL_PORT_CMD, 1, CTL_CMD_VIOLATION); /* VM 3 */
    ctl_port_write(&c, 0, CTL_PORT_ARG, 4, 3);
    ctl_port_write(&c, 0, CTL_PORT_CMD, 1, CTL_CMD_IPIS); /* VM 0 */
    ctl_port_write(&c, 0, CTL_PORT_CMD, 1, CTL_CMD_IPIS);
    CU_ASSERT_EQUAL(c.violations[3], 3);
    CU_ASSERT_EQUAL(c.violations[0], 0);
    CU_ASSERT_EQUAL(c.guest_ipis[0], 6);
    CU_ASSERT_EQUAL(c.bad_commands, 1);
    physmem_free(pm);
}

/* Value of the stat `name` now. */
static double stat_now(struct stats *s, const char *name)
{
    double v = -1;
    CU_ASSERT_TRUE(stats_value(s, "total", name, &v));
    return v;
}

/* Commands 11 and 12: each hart selects a row of ctl_hvstat.def and adds
 * to it; the selection is the hart's own, like its ARG. */
static void test_ctl_hvstat(void)
{
    struct ctl_sink sink = {0};
    struct ctl c;
    struct stats *s = stats_new();
    ctl_init(&c, &sink, NULL);
    CU_ASSERT_EQUAL_FATAL(ctl_register_stats(&c, stats_group(stats_root(s), "ctl", "ctl"), 1, 2),
                          0);
    /* An add before any select has no row to go to. */
    ctl_port_write(&c, 0, CTL_PORT_ARG, 4, 9);
    ctl_port_write(&c, 0, CTL_PORT_CMD, 1, CTL_CMD_HVSTAT_ADD);
    CU_ASSERT_EQUAL(c.bad_commands, 1);
    /* Hart 0 selects trace_acks, hart 1 shadow_fills; each adds to its own. */
    ctl_port_write(&c, 0, CTL_PORT_ARG, 4, CTL_HVSTAT_TRACE_ACKS);
    ctl_port_write(&c, 0, CTL_PORT_CMD, 1, CTL_CMD_HVSTAT_SELECT);
    ctl_port_write(&c, 1, CTL_PORT_ARG, 4, CTL_HVSTAT_SHADOW_FILLS);
    ctl_port_write(&c, 1, CTL_PORT_CMD, 1, CTL_CMD_HVSTAT_SELECT);
    ctl_port_write(&c, 0, CTL_PORT_ARG, 4, 0xFFFFFFFF);
    ctl_port_write(&c, 0, CTL_PORT_CMD, 1, CTL_CMD_HVSTAT_ADD);
    ctl_port_write(&c, 0, CTL_PORT_CMD, 1, CTL_CMD_HVSTAT_ADD); /* past 32 bits */
    ctl_port_write(&c, 1, CTL_PORT_ARG, 4, 5);
    ctl_port_write(&c, 1, CTL_PORT_CMD, 1, CTL_CMD_HVSTAT_ADD);
    /* The IA-64 mapping reaches the same commands. */
    c.hart = 1;
    ctl_mmio_ops.write(&c, 0x10, 8, CTL_HVSTAT_ACTOR_DELAYS);
    ctl_mmio_ops.write(&c, 0x18, 8, CTL_CMD_HVSTAT_SELECT);
    ctl_mmio_ops.write(&c, 0x10, 8, 3);
    ctl_mmio_ops.write(&c, 0x18, 8, CTL_CMD_HVSTAT_ADD);
    CU_ASSERT_EQUAL(stat_now(s, "ctl.hv.trace_acks"), 2.0 * 0xFFFFFFFF);
    CU_ASSERT_EQUAL(stat_now(s, "ctl.hv.shadow_fills"), 5);
    CU_ASSERT_EQUAL(stat_now(s, "ctl.hv.actor_delays"), 3);
    CU_ASSERT_EQUAL(stat_now(s, "ctl.hv.trace_faults_mmu"), 0);
    CU_ASSERT_EQUAL(stat_now(s, "ctl.bad_commands"), 1);
    /* A row out of range is a bad command and leaves the hart no row. */
    ctl_port_write(&c, 1, CTL_PORT_ARG, 4, CTL_NHVSTATS);
    ctl_port_write(&c, 1, CTL_PORT_CMD, 1, CTL_CMD_HVSTAT_SELECT);
    CU_ASSERT_EQUAL(c.bad_commands, 2);
    ctl_port_write(&c, 1, CTL_PORT_CMD, 1, CTL_CMD_HVSTAT_ADD);
    CU_ASSERT_EQUAL(c.bad_commands, 3);
    CU_ASSERT_EQUAL(stat_now(s, "ctl.hv.actor_delays"), 3);
    /* Hart 0 kept its row through hart 1's bad select. */
    ctl_port_write(&c, 0, CTL_PORT_ARG, 4, 1);
    ctl_port_write(&c, 0, CTL_PORT_CMD, 1, CTL_CMD_HVSTAT_ADD);
    CU_ASSERT_EQUAL(stat_now(s, "ctl.hv.trace_acks"), 2.0 * 0xFFFFFFFF + 1);
    /* Every row of the table is a stat, the last one included. */
    CU_ASSERT_EQUAL(CTL_HVSTAT_SCHED_MIGRATIONS, CTL_NHVSTATS - 1);
    CU_ASSERT_EQUAL(stat_now(s, "ctl.hv.trace_faults_gdt"), 0);
    CU_ASSERT_EQUAL(stat_now(s, "ctl.hv.code_rederived"), 0);
    stats_free(s);
    ctl_free(&c);
}

/* A device behind an external window: a 16-byte register file that
 * charges 7 cycles per access, and refuses offset 0x100. */
struct fake_dev {
    uint8_t regs[16];
    unsigned calls, last_hart;
    uint64_t last_clock;
};

static enum pm_status fake_access(void *ctx, struct extwin_access *a)
{
    struct fake_dev *d = ctx;
    d->calls++;
    d->last_hart = a->hart;
    d->last_clock = a->clock;
    if (a->offset + a->size > sizeof(d->regs))
        return PM_DEVICE;
    for (unsigned i = 0; i < a->size; i++) {
        if (a->write)
            d->regs[a->offset + i] = (uint8_t)(a->data >> (8 * i));
        else
            a->data |= (uint64_t)d->regs[a->offset + i] << (8 * i);
    }
    if (!a->write && a->size < 8)
        a->data |= 0xABull << (8 * a->size); /* junk above the access's bytes */
    a->cycles = 7;
    return PM_OK;
}

static void test_extwin(void)
{
    struct physmem *pm = physmem_new();
    CU_ASSERT_EQUAL(physmem_add_ram(pm, 0, 0x10000), 0);
    const struct extwin_config cfg = {"dev", 0x20000, 0x1000, 0, 0};
    struct extwin w;
    CU_ASSERT_EQUAL(extwin_map(&w, 0, &cfg, pm), 0);
    struct pm_origin *o = physmem_origin(pm);
    uint64_t v = 1;
    /* Unbound: the access fails and is counted, nothing reads as zero. */
    o->hart = 2;
    o->cycles = 0;
    fprintf(stderr, "(an unbound-window diagnostic follows, as expected)\n");
    CU_ASSERT_EQUAL(physmem_read(pm, 0x20000, 4, &v), PM_DEVICE);
    CU_ASSERT_EQUAL(w.errors, 1);
    struct fake_dev d = {0};
    const struct extwin_port port = {fake_access, &d};
    extwin_bind(&w, &port);
    o->hart = 1;
    o->clock = 1234;
    o->cycles = 0;
    CU_ASSERT_EQUAL(physmem_write(pm, 0x20004, 4, 0x11223344), PM_OK);
    CU_ASSERT_EQUAL(d.last_hart, 1);
    CU_ASSERT_EQUAL(d.last_clock, 1234);
    CU_ASSERT_EQUAL(o->cycles, 7);
    CU_ASSERT_EQUAL(d.regs[4], 0x44);
    CU_ASSERT_EQUAL(d.regs[7], 0x11);
    o->cycles = 0;
    CU_ASSERT_EQUAL(physmem_read(pm, 0x20005, 2, &v), PM_OK);
    CU_ASSERT_EQUAL(v, 0x2233); /* the port's junk above the access's bytes is dropped */
    CU_ASSERT_EQUAL(physmem_read(pm, 0x20100, 8, &v), PM_DEVICE);
    CU_ASSERT_EQUAL(o->cycles, 7); /* a refused access charges nothing */
    CU_ASSERT_EQUAL(w.reads, 1);
    CU_ASSERT_EQUAL(w.writes, 1);
    CU_ASSERT_EQUAL(w.errors, 2);
    /* The range is taken: RAM and another window cannot map over it. */
    struct extwin w2;
    const struct extwin_config over = {"b", 0x8000, 0x1000, 0, 0};
    CU_ASSERT_NOT_EQUAL(extwin_map(&w2, 1, &over, pm), 0);
    physmem_free(pm);

    char err[200];
    const struct extwin_config good[2] = {{"a", 0x1000, 0x1000, 0, 0},
                                          {"b_2", 0x2000, 0x2000, 0, 0}};
    CU_ASSERT_EQUAL(extwin_check(good, 2, err, sizeof(err)), 0);
    const struct extwin_config overlap[2] = {{"a", 0x1000, 0x2000, 0, 0},
                                             {"b", 0x2000, 0x1000, 0, 0}};
    CU_ASSERT_NOT_EQUAL(extwin_check(overlap, 2, err, sizeof(err)), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "overlaps"));
    const struct extwin_config dup[2] = {{"a", 0x1000, 0x1000, 0, 0}, {"a", 0x3000, 0x1000, 0, 0}};
    CU_ASSERT_NOT_EQUAL(extwin_check(dup, 2, err, sizeof(err)), 0);
    const struct extwin_config odd[1] = {{"a", 0x1800, 0x1000, 0, 0}};
    CU_ASSERT_NOT_EQUAL(extwin_check(odd, 1, err, sizeof(err)), 0);
    const struct extwin_config name[1] = {{"Bad-Name", 0x1000, 0x1000, 0, 0}};
    CU_ASSERT_NOT_EQUAL(extwin_check(name, 1, err, sizeof(err)), 0);
    const struct extwin_config high[1] = {{"a", 0xFFFFFFFFF000ull, 0x2000, 0, 0}};
    CU_ASSERT_NOT_EQUAL(extwin_check(high, 1, err, sizeof(err)), 0);
    const struct extwin_config exc[1] = {{"a", 0x1000, 0x1000, 14, 0}};
    CU_ASSERT_NOT_EQUAL(extwin_check(exc, 1, err, sizeof(err)), 0);
    const struct extwin_config line[1] = {{"a", 0x1000, 0x1000, 0x40, 0}};
    CU_ASSERT_EQUAL(extwin_check(line, 1, err, sizeof(err)), 0);
}

static CU_TestInfo tests[] = {
    {"sparse physical memory", test_physmem},
    {"ELF: the project's images", test_elf_project_images},
    {"ELF: damaged files", test_elf_damaged},
    {"simulator-control device", test_ctl},
    {"simulator-control device: hypervisor stats", test_ctl_hvstat},
    {"external MMIO windows", test_extwin},
    CU_TEST_INFO_NULL,
};

CUNIT_MAIN("platform", tests)
