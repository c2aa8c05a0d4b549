/*
 * sgdt.c - the shadow GDT of each virtual CPU of an SMP VM (seed 004
 * [0036]-[0038]: a derived descriptor table whose segment limits are
 * truncated so that no guest segment reaches the monitor's range; study
 * 3's GDT traces).
 *
 * The monitor reserves the top 4 MiB of every guest's linear space
 * (HV_LINEAR; shadow.c keeps that directory entry for it).  Each virtual
 * CPU's shadow GDT lives in a frame of its own mapped there, and the VMCS
 * GDTR points at it.  The guest's LGDT does not exit on the machines of
 * the studies, so the monitor finds a new guest GDTR at the next exit (the
 * VMCS field no longer holds its own base), takes it as the primary
 * structure, derives the shadow from it and points GDTR back at the
 * shadow; until that exit the guest runs on its own table, which holds
 * the same descriptors before truncation.  SGDT shows the guest the
 * monitor's base, as it did under the software monitors of the time.
 *
 * Deriving a descriptor (Intel SDM Vol. 3A 3.4.5): code and data
 * descriptors that are present get their accessed bit set (the processor
 * then never writes the shadow), and an expand-up segment whose limit
 * reaches HV_LINEAR is cut to end just below it.  System descriptors are
 * copied.  The guest table's frame carries a GDT trace with the virtual
 * CPU as consumer; a note re-derives the written descriptors from guest
 * memory (the post-write semantics and bracketing's release), from the
 * note's data (pre_write_data), or marks them not present (pre_write: the
 * value is not there yet).  A segment load of such a descriptor raises
 * #NP, which exits (exception bitmap bit 11): the descriptor is derived
 * again then and the instruction restarts.
 *
 * While the guest's paging is off it runs on its own GDT (there is no
 * shadow then); the shadow takes over when paging goes on.
 *
 * Limits: a guest GDT within one page; no LDT.
 */
#include "console.h"
#include "cpu.h"
#include "desc.h"
#include "smp.h"
#include "trace.h"
#include "vmcs_fields.h"

#define PAGE      4096u
#define HV_LINEAR 0xFFC00000u /* the monitor's linear range: its top 4 MiB */
#define DESC_P    (1ull << 47)

static struct {
    uint32_t gbase, glimit; /* the guest's GDTR (linear) */
    uint32_t gpa;           /* machine address of its first byte; 0: none derived */
} st[TR_MAX_VCPUS];

static uint8_t frames[TR_MAX_VCPUS][PAGE] __attribute__((aligned(PAGE)));
static uint32_t hv_pt[TR_MAX_VCPUS][1024] __attribute__((aligned(PAGE)));

uint32_t sgdt_pde(const struct vcpu *v)
{
    hv_pt[v->idx][0] = (uint32_t)frames[v->idx] | SH_P | SH_RW;
    return (uint32_t)hv_pt[v->idx] | SH_P | SH_RW;
}

static uint64_t *shadow_desc(const struct vcpu *v, uint32_t i)
{
    return (uint64_t *)(void *)&frames[v->idx][(st[v->idx].gbase & (PAGE - 1)) + 8 * i];
}

/* Derive descriptors [first, last] from guest memory. */
static void derive_from_guest(struct vcpu *v, uint32_t first, uint32_t last)
{
    for (uint32_t i = first; i <= last && 8 * i <= st[v->idx].glimit; i++)
        *shadow_desc(v, i) =
            desc_shadow(*(const volatile uint64_t *)(st[v->idx].gpa + 8 * i), HV_LINEAR);
}

/* The guest loaded GDTR (base, limit): take the table at it as primary. */
static void adopt(struct vcpu *v, uint32_t base, uint32_t limit)
{
    uint32_t i = v->idx, pa = vcpu_translate(v, base);
    if (!pa || pa - v->vm->base >= v->vm->size || (base & (PAGE - 1)) + limit >= PAGE)
        vmm_panic("VM: vCPU %u loads a GDT at 0x%x (limit 0x%x) the shadow GDT does not take "
                  "(unmapped, or across pages)",
                  v->idx, base, limit);
    if (st[i].gpa)
        smp_trace_frame(v, st[i].gpa & ~(PAGE - 1), TR_GDT, 0);
    st[i].gbase = base;
    st[i].glimit = limit;
    st[i].gpa = pa;
    smp_trace_frame(v, pa & ~(PAGE - 1), TR_GDT, 1);
    derive_from_guest(v, 0, limit / 8);
    v->st->gdt_derived++;
}

void sgdt_sync(struct vcpu *v, int remap)
{
    uint32_t i = v->idx, base = vmread(V_GUEST_GDTR_BASE), limit = vmread(V_GUEST_GDTR_LIMIT);
    uint32_t mine = HV_LINEAR + (st[i].gbase & (PAGE - 1));
    if (!v->paging || (!st[i].gpa && base == 0))
        return; /* paging off (no shadow), or the launch state's GDTR: none loaded yet */
    if (base != mine || !st[i].gpa)
        adopt(v, base, limit);
    else if (remap) /* the guest's tables changed: its GDT may sit elsewhere */
        adopt(v, st[i].gbase, st[i].glimit);
    else
        return;
    vmwrite(V_GUEST_GDTR_BASE, HV_LINEAR + (st[i].gbase & (PAGE - 1)));
}

void sgdt_consume(struct vcpu *u, const struct tr_note *n)
{
    uint32_t g = st[u->idx].gpa;
    if (!g)
        return;
    if (!n->len) {
        derive_from_guest(u, 0, st[u->idx].glimit / 8);
        return;
    }
    uint32_t end = g + st[u->idx].glimit + 1;
    if (n->gpa + n->len <= g || n->gpa >= end)
        return; /* elsewhere on the table's page */
    uint32_t lo = n->gpa > g ? n->gpa : g, hi = n->gpa + n->len < end ? n->gpa + n->len : end;
    uint32_t first = (lo - g) / 8, last = (hi - 1 - g) / 8;
    for (uint32_t i = first; i <= last; i++) {
        uint64_t d = *(const volatile uint64_t *)(g + 8 * i);
        if (n->sem == TR_PRE_WRITE) {
            *shadow_desc(u, i) &= ~DESC_P; /* derived again at its next load (#NP) */
            continue;
        }
        if (n->sem == TR_PRE_WRITE_DATA) /* the value, not yet in memory */
            for (uint32_t b = 0; b < 8; b++) {
                uint32_t a = g + 8 * i + b;
                if (a >= n->gpa && a < n->gpa + n->len) {
                    uint64_t byte = (uint64_t)(uint8_t)(n->data >> (8 * (a - n->gpa)));
                    d = (d & ~(0xFFull << (8 * b))) | byte << (8 * b);
                }
            }
        *shadow_desc(u, i) = desc_shadow(d, HV_LINEAR);
    }
}

int sgdt_not_present(struct vcpu *v, uint32_t ec)
{
    uint32_t i = ec >> 3;
    /* A GDT selector (not IDT, not LDT: error code bits 1 and 2, Vol. 3A
     * 6.13) whose guest descriptor is present: ours was invalidated. */
    if ((ec & 6) || !st[v->idx].gpa || 8 * i > st[v->idx].glimit)
        return -1;
    if (!(*(const volatile uint64_t *)(st[v->idx].gpa + 8 * i) & DESC_P))
        return -1;
    derive_from_guest(v, i, i);
    v->st->gdt_lazy++;
    return 0;
}
