/*
 * rt.h - a small protected-mode runtime for the self-checking system
 * tests: a GDT (ring 0 and ring 3 flat segments, a TSS, spare entries for
 * the tests), an IDT whose 256 gates all lead to one recording handler, a
 * TSS with a full I/O permission bitmap, a way to run a function in ring 3,
 * and the check and report helpers.  Runs unchanged on QEMU and vtsim.
 *
 * Expected faults: TRY(asm) runs one instruction with a resume point just
 * after it; the handler records the event (vector, error code, saved EIP,
 * CS, EFLAGS, ESP/SS when from ring 3, CR2) and continues at the resume
 * point.  An event nobody expected ends the test with a message.
 */
#ifndef WORKLOADS_X86_TESTS_RT_H
#define WORKLOADS_X86_TESTS_RT_H

#include "ctl.h"

typedef unsigned int u32;
typedef unsigned short u16;
typedef unsigned char u8;
typedef unsigned long long u64;

#define SEL_KCODE 0x08
#define SEL_KDATA 0x10
#define SEL_UCODE 0x1B
#define SEL_UDATA 0x23
#define SEL_TSS   0x28
#define GDT_SPARE 6 /* first free GDT index; entries 6..15 are the tests' */
#define GDT_N     16

/* The interrupt frame the common handler sees. */
struct frame {
    u32 es, ds;
    u32 edi, esi, ebp, esp_pusha, ebx, edx, ecx, eax;
    u32 vector, error;
    u32 eip, cs, eflags;
    u32 esp, ss; /* pushed only when the event came from an outer ring */
};

/* The last event recorded. */
struct event {
    u32 vector, error, eip, cs, eflags, esp, ss, cr2, handler_esp;
};

extern volatile struct event rt_last;
extern volatile u32 rt_events; /* events recorded */
extern volatile u32 rt_resume; /* where to continue after the next event (0: return) */
extern volatile u32 rt_at;     /* address of the instruction TRY ran */
extern volatile u32 rt_next;   /* address after it */
/* Called with the frame before the default action; returns nonzero when
 * it handled the event itself (and may change the frame). */
extern int (*volatile rt_hook)(struct frame *f);

extern u64 rt_gdt[GDT_N];
extern u64 rt_idt[256];
/* The 104-byte 32-bit TSS and its I/O permission bitmap for every port
 * (the byte after it all ones, Vol. 1 18.5.2); rt_init sets every bit. */
struct rt_tss_block {
    u32 tss[26];
    u8 iomap[8193];
} __attribute__((packed, aligned(16)));
extern struct rt_tss_block rt_tss_block;

void rt_init(void);
/* Set IDT gate `vec` to the common stub: type 0xE interrupt or 0xF trap,
 * DPL, present. */
void rt_gate(unsigned vec, unsigned type, unsigned dpl, int present);
/* A code/data descriptor: base, limit (bytes, or pages when g), access byte
 * (P DPL S type), flags nibble (G D/B). */
u64 rt_desc(u32 base, u32 limit, u32 access, u32 flags);
/* Run fn in ring 3 on the user stack (DS = ES = 0x23) and return its
 * value; TSS.ESP0 points below the caller's stack. */
u32 rt_user_call(u32 (*fn)(void));

/* Run one instruction that may raise an event; the handler continues at
 * the next instruction.  Use as TRY(T("insn") : outputs : inputs :
 * clobbers), the asm operands as for __asm__. */
#define T(insn)                                                                                    \
    "movl $1f, rt_resume\n\tmovl $0f, rt_at\n\tmovl $1f, rt_next\n0:\t" insn                       \
    "\n1:\n\tmovl $0, rt_resume"
#define TRY(...)                                                                                   \
    do {                                                                                           \
        rt_last.vector = 0xFFFF;                                                                   \
        __asm__ volatile(__VA_ARGS__);                                                             \
    } while (0)

/* Checks. */
void rt_check(int line, u32 got, u32 want);
#define CHECK(got, want) rt_check(__LINE__, (u32)(got), (u32)(want))
/* The last TRY raised `vec` with error code `err` and saved the
 * faulting instruction's EIP (fault) or the next one (trap). */
#define EXPECT_FAULT(vec, err)                                                                     \
    do {                                                                                           \
        CHECK(rt_last.vector, vec);                                                                \
        CHECK(rt_last.error, err);                                                                 \
        CHECK(rt_last.eip, rt_at);                                                                 \
    } while (0)
#define EXPECT_TRAP(vec)                                                                           \
    do {                                                                                           \
        CHECK(rt_last.vector, vec);                                                                \
        CHECK(rt_last.eip, rt_next);                                                               \
    } while (0)
#define EXPECT_NONE() CHECK(rt_last.vector, 0xFFFF)
/* Print the summary line and exit with 0 when every check passed. */
int rt_done(const char *name);

void rt_puthex(u32 v);

static inline u32 read_cr0(void)
{
    u32 v;
    __asm__ volatile("mov %%cr0, %0" : "=r"(v));
    return v;
}
static inline u32 read_cr2(void)
{
    u32 v;
    __asm__ volatile("mov %%cr2, %0" : "=r"(v));
    return v;
}
static inline u32 read_cr3(void)
{
    u32 v;
    __asm__ volatile("mov %%cr3, %0" : "=r"(v));
    return v;
}
static inline u32 read_cr4(void)
{
    u32 v;
    __asm__ volatile("mov %%cr4, %0" : "=r"(v));
    return v;
}
static inline void write_cr0(u32 v)
{
    __asm__ volatile("mov %0, %%cr0" : : "r"(v) : "memory");
}
static inline void write_cr3(u32 v)
{
    __asm__ volatile("mov %0, %%cr3" : : "r"(v) : "memory");
}
static inline void write_cr4(u32 v)
{
    __asm__ volatile("mov %0, %%cr4" : : "r"(v) : "memory");
}
static inline u32 read_eflags(void)
{
    u32 v;
    __asm__ volatile("pushfl\n\tpopl %0" : "=r"(v));
    return v;
}

#endif
