/*
 * kern.h - pfkernel, the guest kernel of the page-fault filtering study
 * (seed 002): a 32-bit paging kernel whose page tables are self-mapped at
 * PTBASE (seed 002 [0071], [0074]-[0075]), with ring-3 code, that takes
 * page faults of every kind the study filters, fixes each one through the
 * self-map and counts them by error code (seed 002 [0030]; Intel SDM
 * Vol. 3A 4.7).  docs/workloads-x86.md describes it for users.
 *
 * Invariants every file relies on:
 *  - Everything physical lies in the partition [16 MiB, 32 MiB): the
 *    image, the table pool, the data pool and the 4 MiB frame of the
 *    reserved-bit scenario.  Nothing outside it is read after paging is
 *    on, and nothing outside it is ever written.
 *  - Page-table frames come from the table pool, which has no linear
 *    alias except the self-map window at PTBASE: a hypervisor that clears
 *    R/W in the self-map PDE write-protects every page table at once.
 *  - After paging is on, every paging-structure write goes through
 *    pt_write() on a self-map address (pt.c).
 *  - The data pool and the image are identity-mapped (linear == physical),
 *    supervisor-only except the user pages of the image.
 */
#ifndef PFKERNEL_KERN_H
#define PFKERNEL_KERN_H

typedef unsigned int u32;
typedef unsigned short u16;
typedef unsigned char u8;
typedef unsigned long long u64;

/* The linear base of the self-mapped page tables: 4 MiB aligned (seed 002
 * [0074]); 32-bit Windows uses 0xC0000000. */
#ifndef PTBASE
#define PTBASE 0xC0000000u
#endif
/* Rounds of the five scenarios; the default takes about 1.3 s on vtsim. */
#ifndef ROUNDS
#define ROUNDS 200
#endif

/* The kernel's own test of its checks: the DROP_PT_WRITE-th self-map
 * write (from 1) is not made, as a faulty hypervisor or filter that lost
 * it would leave it.  0, the default, makes every write. */
#ifndef DROP_PT_WRITE
#define DROP_PT_WRITE 0u
#endif

/* ---- physical layout (the partition) ---- */
#define PART_BASE    0x01000000u /* 16 MiB: the image is linked here */
#define PART_END     0x02000000u /* 32 MiB */
#define IMAGE_LIMIT  0x01100000u /* the image ends below (the linker checks) */
#define TPOOL_BASE   0x01100000u /* page-table frames, never identity-mapped */
#define TPOOL_FRAMES 64u
#define DPOOL_BASE   0x01200000u /* data frames, identity-mapped supervisor RW */
#define DPOOL_FRAMES 512u
#define BIG_BASE     0x01400000u /* the 4 MiB frame of the reserved-bit scenario */
#define BIG_USED     0x00010000u /* the part of it the scenario touches */
/* The end of what the kernel uses: the rest of the partition is left to
 * the loader (a hypervisor puts the Multiboot information in its last
 * page, hv/x86/bootinfo.h). */
#define USED_END (BIG_BASE + 0x00400000u)

/* ---- linear layout (beside the identity map of 16-20 MiB) ---- */
#define UDEMAND_VA   0x08000000u /* user demand-paged region */
#define UCOW_VA      0x08400000u /* user copy-on-write region */
#define USUP_VA      0x08800000u /* supervisor pages under a user PDE */
#define KDEMAND_VA   0x40000000u /* kernel demand-paged region */
#define KCOW_VA      0x40400000u /* kernel copy-on-write region */
#define BIG_VA       0x50000000u /* the 4 MiB page that gets a reserved bit */
#define DEMAND_PAGES 16u
#define COW_PAGES    8u
#define USUP_PAGES   4u

#define PAGE 4096u

_Static_assert((PTBASE & 0x3FFFFFu) == 0, "PTBASE must be 4 MiB aligned (seed 002 [0074])");
_Static_assert((PTBASE >> 22) != (PART_BASE >> 22) && (PTBASE >> 22) != (UDEMAND_VA >> 22) &&
                   (PTBASE >> 22) != (UCOW_VA >> 22) && (PTBASE >> 22) != (USUP_VA >> 22) &&
                   (PTBASE >> 22) != (KDEMAND_VA >> 22) && (PTBASE >> 22) != (KCOW_VA >> 22) &&
                   (PTBASE >> 22) != (BIG_VA >> 22) && PTBASE >= PART_END,
               "PTBASE collides with a region of the kernel");

/* ---- paging-structure entries (SDM Vol. 3A Tables 4-4 to 4-6) ---- */
#define PTE_P    0x001u
#define PTE_RW   0x002u
#define PTE_U    0x004u
#define PTE_A    0x020u
#define PTE_D    0x040u
#define PTE_PS   0x080u
#define PTE_G    0x100u
#define PTE_COW  0x200u /* AVL bit 9: read-only because shared; copy on write */
#define PTE_WWAT 0x400u /* AVL bit 10: write-watched; a write restores R/W */
#define PTE_AVL2 0x800u /* AVL bit 11: a scratch bit the edits toggle */
#define PTE_PFN  0xFFFFF000u
/* Bit 21 of a 4 MiB PDE is reserved on every processor; bits 20:13 are
 * address bits 39:32 when PSE-36 is reported, as QEMU does (Table 4-4). */
#define PDE4M_RSVD 0x00200000u

/* ---- page-fault error code (seed 002 [0030]; SDM Vol. 3A Figure 4-12) ---- */
#define PF_P    1u
#define PF_W    2u
#define PF_U    4u
#define PF_RSVD 8u

/* ---- segments ---- */
#define SEL_KCODE 0x08
#define SEL_KDATA 0x10
#define SEL_UCODE 0x1B
#define SEL_UDATA 0x23
#define SEL_TSS   0x28

/* ---- console and control device (console.c) ---- */
void con_puts(const char *s);
void con_putdec(u32 v);
void con_puthex(u32 v);
/* Phase marks through ports 0xE0/0xE4 (model/platform/ctl.h); QEMU
 * ignores them.  `name` is a static string: its linear address is its
 * physical address (identity map). */
void ctl_phase(const char *name, int begin);
void ctl_roi(int begin);
/* Report a value the run computed (ctl.result_digest), so a study can
 * check that every setting computed the same. */
void ctl_result(u32 value);
/* End the run: status on port 0xF4, then halt. */
_Noreturn void ctl_exit(u32 status);
/* Exit statuses. */
enum { EXIT_OK = 0, EXIT_FAULT = 1, EXIT_CHECK = 2, EXIT_MEMORY = 3, EXIT_TRAP = 4 };
/* Print "pfkernel: FATAL what a b" and exit with `status`. */
_Noreturn void fatal(u32 status, const char *what, u32 a, u32 b);

/* ---- processor set-up (cpu.c) ---- */
void cpu_init(void);

static inline u32 read_cr2(void)
{
    u32 v;
    __asm__ volatile("mov %%cr2, %0" : "=r"(v));
    return v;
}
static inline void invlpg(u32 va)
{
    __asm__ volatile("invlpg (%0)" : : "r"(va) : "memory");
}

/* ---- frames (mem.c) ---- */
/* Check the multiboot memory map covers [PART_BASE, USED_END); fatal
 * otherwise. */
void mem_check(u32 magic, u32 mbi);
void mem_init(void);
/* A data frame (physical == linear address), contents undefined;
 * fatal when the pool is empty. */
u32 frame_alloc(void);
void frame_free(u32 frame);
/* A zeroed page-table frame (zeroed before paging); never freed. */
u32 table_alloc(void);
u32 tables_used(void);
void page_zero(u32 frame);
void page_copy(u32 dst, u32 src);

/* ---- page tables and the self-map (pt.c) ---- */
/* The self-map addresses of the entries that translate va (seed 002
 * [0075]): its PTE at PTBASE + (va >> 12) * 4, its PDE in the page
 * directory, which the self-map shows at PTBASE + (PTBASE >> 22) * 4096. */
#define PT_SELF (PTBASE >> 22)
static inline volatile u32 *pte_of(u32 va)
{
    return (volatile u32 *)(PTBASE + ((va >> 12) << 2));
}
static inline volatile u32 *pde_of(u32 va)
{
    return (volatile u32 *)(PTBASE + (PT_SELF << 12) + ((va >> 22) << 2));
}
/* Build the tables physically, then turn paging on (PG, WP, PSE). */
void pt_init(void);
/* Write one paging-structure entry through the self-map and count it
 * for the current scenario; fatal when `slot` is not a self-map address. */
void pt_write(volatile u32 *slot, u32 val);
/* Map one 4 KiB page: makes the page table (a new PDE) when missing. */
void map_page(u32 va, u32 pte);

/* ---- scenarios' bookkeeping (fault.c) ---- */
enum scen { SC_SETUP, SC_DEMAND, SC_PTEDIT, SC_COW, SC_USUP, SC_RSVD, SC_N };
struct scen_stats {
    u32 faults;
    u32 pte_writes;  /* PTE writes through the self-map */
    u32 pde_writes;  /* PDE writes through the self-map */
    u32 pte_clear_p; /* PTE writes with P = 0 (seed 002 Fig. 7 lets them complete) */
    u32 pte_fig8;    /* PTE writes Fig. 8 lets complete ([0082]-[0083]) */
    u32 accesses;    /* checked accesses */
};
extern struct scen_stats scen_stats[SC_N];
extern enum scen scen_cur;
extern u32 pf_count[16]; /* by error code bits 3:0 */
extern u32 pf_total;
/* The last faults, for the checks of user batches. */
#define PF_LOG 64u
extern u32 pf_log_ec[PF_LOG], pf_log_va[PF_LOG];
extern u32 pf_window; /* faults since the last checked access began */

/* ---- user mode (user.c, entry.S) ---- */
struct uop {
    u32 va;
    u32 val;   /* written, or the value read */
    u32 write; /* 1 write, 0 read */
};
#define UOPS_MAX 64u
struct ubatch {
    u32 n;
    struct uop op[UOPS_MAX];
};
extern struct ubatch ubatch;
/* Run the batch in ring 3 (user_main), back through int 0x80. */
void user_run(void);

/* ---- scenarios (scen_*.c) and checksum (checksum.c) ---- */
void scen_demand(u32 round);
void scen_ptedit(u32 round);
void scen_cow(u32 round);
void scen_usup(u32 round);
void scen_rsvd(u32 round);
u32 lcg(void);
/* One checked access from ring 0 or ring 3 (`user`): expect exactly one
 * fault with error code `ec` at va, or none when ec is NO_FAULT; a read
 * must see `val`, a write stores it.  Fatal on any difference. */
#define NO_FAULT 0xFFFFFFFFu
void access_check(int user, int write, u32 va, u32 val, u32 ec);
u32 checksum_data(void);
u32 checksum_tables(void);

#endif
