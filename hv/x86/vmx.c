/*
 * vmx.c - VMX operation: enter it (VMXON), build a VMCS per virtual CPU
 * with the Multiboot state its guest expects (SDM Vol. 3C 24.4-24.8, 26.3
 * guest-state checks), and run them, one exit at a time.  With several
 * VMs the scheduler (sched.c) time-slices them on each hart: each has its
 * own VMCS and register save area in memory, and a world switch is a
 * VMPTRLD of the next one.
 *
 * Several harts (seed 003 [0065]-[0070]): the boot processor sets up what
 * all share (GDT, identity map, I/O bitmaps), enters VMX, and starts one
 * application processor per further hart that gets a VM; each hart enters
 * VMX with its own VMXON region and runs its own scheduler over its own
 * VMs, VM i on hart i mod harts.  A VM never moves, so its VMCS is only
 * ever current on the hart that cleared and loaded it first (Vol. 3C
 * 24.11.1: a VMCS active on one processor must be cleared before another
 * loads it).
 */
#include "console.h"
#include "cpu.h"
#include "host.h"
#include "smp.h"
#include "vcpu.h"
#include "vmcs_fields.h"
#include "vmm.h"
#include "vmxon.h"

#define START_VECTOR 0xF0u /* the start IPI's vector: the AP consumes it (docs/isa-x86.md) */
#define APIC_ICR_LO  0x300u
#define APIC_ICR_HI  0x310u
#define ICR_ASSERT   (1u << 14)

#define PAGE     4096u
#define MAX_PART (64u << 20) /* largest partition a frame table covers */

int vmx_enter(struct em_regs *regs, int launched);

static uint8_t vmcs_region[XBI_MAX_VMS][PAGE] __attribute__((aligned(PAGE)));
static uint8_t io_bitmap[2][PAGE] __attribute__((aligned(PAGE)));
static uint32_t ident_pd[XBI_MAX_VMS][1024] __attribute__((aligned(PAGE)));
static uint8_t pt_frames[XBI_MAX_VMS][MAX_PART / PAGE];
static struct vcpu vcpus[XBI_MAX_VMS];
/* Set by the boot processor before it starts any other hart. */
static const struct xbi *boot_bi;
static uint32_t nharts; /* harts that run VMs: min(machine harts, VMs) */
static int protect;     /* guest page tables write-protected */
static int smp_mode;    /* one VM with several virtual CPUs on shadow paging (smp.c) */
static uint32_t nents;  /* what the schedulers run: the VMs, or the SMP VM's virtual CPUs */

/* Flat 32-bit segments as a Multiboot loader leaves them (CS 0x08, data
 * 0x10), LDTR unusable, TR a busy 32-bit TSS (26.3.1.2). */
static void guest_segments(void)
{
    for (uint32_t s = 0; s < 6; s++) {
        int code = s == 1;
        vmwrite(V_GUEST_ES_SEL + 2 * s, code ? 0x08 : 0x10);
        vmwrite(V_GUEST_ES_BASE + 2 * s, 0);
        vmwrite(V_GUEST_ES_LIMIT + 2 * s, 0xFFFFFFFFu);
        vmwrite(V_GUEST_ES_AR + 2 * s, code ? 0xC09B : 0xC093);
    }
    vmwrite(V_GUEST_ES_SEL + 12, 0); /* LDTR */
    vmwrite(V_GUEST_ES_BASE + 12, 0);
    vmwrite(V_GUEST_ES_LIMIT + 12, 0);
    vmwrite(V_GUEST_ES_AR + 12, 0x10000); /* unusable */
    vmwrite(V_GUEST_TR_SEL, 0);
    vmwrite(V_GUEST_ES_BASE + 14, 0);
    vmwrite(V_GUEST_ES_LIMIT + 14, 0x67);
    vmwrite(V_GUEST_ES_AR + 14, 0x8B);
    vmwrite(V_GUEST_GDTR_BASE, 0);
    vmwrite(V_GUEST_GDTR_LIMIT, 0xFFFF);
    vmwrite(V_GUEST_IDTR_BASE, 0);
    vmwrite(V_GUEST_IDTR_LIMIT, 0xFFFF);
}

static void vmcs_init(struct vcpu *v, const struct xbi *bi, uint32_t hart)
{
    uint64_t pa = v->vmcs_pa;
    vmx_op_m64("vmclear", 1, &pa);
    vmx_op_m64("vmptrld", 2, &pa);
    host_vmcs_state(hart);
    v->hart = hart;
    /* Controls: CR3 loads and stores exit (the hypervisor validates the
     * guest's page directory), I/O exits only for the exit port through
     * the bitmap, so the hypervisor can report before the run ends. */
    /* With several VMs the hypervisor's timer interrupt must leave the
     * guest: external-interrupt exiting, acknowledged on exit (24.6.1,
     * 24.7.1), so the vector arrives in the exit information. */
    /* An SMP VM's harts interrupt each other (notes, guest IPIs), and
     * its virtual CPUs' INVLPGs and HLTs exit: the shadows follow the
     * guest's TLB flushes, and a halted virtual CPU leaves its hart. */
    int timed = nents > 1;
    uint32_t proc = PROC_CR3_LOAD | PROC_CR3_STORE | PROC_IO_BITMAPS;
    if (v->smp)
        proc |= PROC_INVLPG | PROC_HLT;
    vmwrite(V_PIN_CTLS, vmx_controls(MSR_VMX_PINBASED, timed ? PIN_EXTINT : 0));
    vmwrite(V_PROC_CTLS, vmx_controls(MSR_VMX_PROCBASED, proc));
    vmwrite(V_EXIT_CTLS, vmx_controls(MSR_VMX_EXIT, timed ? EXIT_ACK_INTR : 0));
    vmwrite(V_ENTRY_CTLS, vmx_controls(MSR_VMX_ENTRY, 0));
    vmwrite(V_IO_BITMAP_A, (uint32_t)io_bitmap[0]);
    vmwrite(V_IO_BITMAP_A_HI, 0);
    vmwrite(V_IO_BITMAP_B, (uint32_t)io_bitmap[1]);
    vmwrite(V_IO_BITMAP_B_HI, 0);
    vmwrite(V_CR3_TARGET_COUNT, 0);
    vmwrite(V_LINK_POINTER, 0xFFFFFFFFu);
    vmwrite(V_LINK_POINTER_HI, 0xFFFFFFFFu);
    /* Page faults: the study's filter (seed 002); under shadow paging
     * every one exits (mask = match = 0), since the shadows are filled
     * from them, and so does #NP, for descriptors the shadow GDT
     * invalidated (sgdt.c). */
    vmwrite(V_EXC_BITMAP, (bi->pf_bit14 || v->smp ? 1u << 14 : 0) | (v->smp ? 1u << 11 : 0));
    vmwrite(V_PFEC_MASK, bi->pf_mask);
    vmwrite(V_PFEC_MATCH, bi->pf_match);
    if (v->smp) {
        vmwrite(V_PFEC_MASK, 0);
        vmwrite(V_PFEC_MATCH, 0);
    } else if (bi->pf_variant || bi->pf_criteria) {
        vmwrite(V_PF_VARIANT, bi->pf_variant);
        vmwrite(V_PF_MASK2, bi->pf_mask2);
        vmwrite(V_PF_MATCH2, bi->pf_match2);
        vmwrite(V_PF_CRITERIA, bi->pf_criteria);
        vmwrite(V_PF_PTBASE, bi->ptbase);
    }
    /* The guest owns every CR0 bit but PG and NE (and WP under shadow
     * paging), and every CR4 bit but PSE and VMXE: those differ from what
     * it wrote while its paging is off, or to keep the shadows' write
     * protection. */
    vmwrite(V_CR0_MASK, CR0_PG | CR0_NE | (v->smp ? CR0_WP : 0));
    vmwrite(V_CR4_MASK, CR4_PSE | CR4_VMXE);
    guest_segments();
    vmwrite(V_GUEST_DR7, 0x400);
    vmwrite(V_GUEST_RFLAGS, 0x2);
    vmwrite(V_GUEST_RIP, v->vm->entry);
    vmwrite(V_GUEST_RSP, 0);
    vmwrite(V_GUEST_INTERRUPTIBILITY, 0);
    vmwrite(V_GUEST_ACTIVITY, 0);
    v->cr0 = CR0_PE | CR0_ET;
    v->cr4 = 0;
    v->cr3 = 0;
    vcpu_sync_paging(v);
    v->g.r[0] = 0x2BADB002u; /* EAX, EBX: what a Multiboot loader leaves */
    v->g.r[3] = v->vm->mbi;
}

/* Whether the study's filter sends a guest's supervisor write to a
 * present page (error code 3, a page-table edit once the tables are
 * write-protected) to the hypervisor: the rule of SDM Vol. 3C 25.2 and
 * seed 002 Figs. 3-5, as the processor applies it.  If it does not, the
 * guest's page-table writes would fault into the guest itself, so the
 * hypervisor leaves them unprotected and says so. */
static int filter_exits(const struct xbi *bi, uint32_t ec)
{
    int hit;
    switch (bi->pf_variant) {
    case 1:
        return (ec & bi->pf_mask) == bi->pf_match || (ec & bi->pf_mask2) == bi->pf_match2;
    case 2:
        hit = (ec & bi->pf_mask2) != 0 || (ec & bi->pf_mask) == bi->pf_match;
        break;
    default:
        hit = (ec & bi->pf_mask) == bi->pf_match;
        break;
    }
    return hit ? (int)bi->pf_bit14 : !bi->pf_bit14;
}

/* The identity map of the partition, for a guest whose paging is off. */
static void ident_map(uint32_t *pd, const struct xbi_vm *vm)
{
    for (uint32_t a = vm->base; a - vm->base < vm->size; a += 4u << 20)
        pd[a >> 22] = a | 0x87; /* P, RW, U, PS */
}

/* Make v the current VMCS (a world switch when another was). */
void vcpu_load(struct vcpu *v)
{
    uint64_t pa = v->vmcs_pa;
    vmx_op_m64("vmptrld", 2, &pa);
}

void vcpu_release(struct vcpu *v)
{
    uint64_t pa = v->vmcs_pa;
    vmx_op_m64("vmclear", 1, &pa);
    v->launched = 0;
}

/* Hart `hart`'s VMs and its scheduler, one exit at a time. */
__attribute__((noreturn)) static void hart_run(const struct xbi *bi, uint32_t hart)
{
    for (uint32_t i = hart; i < nents; i += nharts) {
        struct vcpu *v = &vcpus[i];
        const struct xbi_vm *vm = &bi->vm[smp_mode ? 0 : i];
        *(uint32_t *)(void *)vmcs_region[i] = vmx_revision();
        v->id = vm->id;
        v->vm = vm;
        v->idx = smp_mode ? i : 0;
        v->vmcs_pa = (uint32_t)vmcs_region[i];
        v->ident_pd = (uint32_t)ident_pd[i];
        ident_map(ident_pd[i], v->vm);
        v->protect = protect && !smp_mode;
        if (smp_mode)
            smp_vcpu_init(v);
        else
            ptv_init(&v->pt, (uint8_t *)v->vm->base, v->vm->base, v->vm->size, pt_frames[i]);
        vmcs_init(v, bi, hart);
    }
    struct vcpu *v = sched_start(bi, vcpus, nents, hart, nharts);
    vcpu_load(v);
    for (;;) {
        if (smp_mode)
            v = smp_prepare(v);
        if (vmx_enter(&v->g, v->launched) != 0)
            vmm_panic("VM entry failed: VM-instruction error %u", vmread(V_INSN_ERROR));
        v->launched = 1;
        v->exits++;
        struct vcpu *next = exit_handle(v, bi);
        if (next != v) {
            v = next;
            vcpu_load(v);
            if (v->hart != hart) { /* it last ran on another hart (sched.c) */
                host_vmcs_state(hart);
                v->hart = hart;
            }
        }
    }
}

/* Start application processor `hart`: vtsim starts a waiting hart on the
 * first IPI it receives (docs/isa-x86.md), so one fixed IPI in physical
 * destination mode (ICR, Vol. 3A 10.6.1) stands in for the SDM's
 * INIT-SIPI-SIPI sequence (Vol. 3A 8.4.4.1), which the model does not
 * implement (it has no real mode to start in). */
static void start_ap(uint32_t hart)
{
    apic_write(APIC_ICR_HI, hart << 24);
    apic_write(APIC_ICR_LO, ICR_ASSERT | START_VECTOR);
}

void vmm_run(const struct xbi *bi)
{
    smp_mode = bi->mmu_mode == 1;
    for (uint32_t i = 0; i < bi->nvms; i++) {
        if (bi->vm[i].vcpus != 1 && !smp_mode)
            vmm_panic("VM %u: several virtual CPUs need shadow paging (mmu_mode 1)", i);
        if (bi->vm[i].size > MAX_PART)
            vmm_panic("VM %u: partition over %u MiB", i, MAX_PART >> 20);
    }
    if (smp_mode && (bi->nvms != 1 || bi->vm[0].vcpus < 1 || bi->vm[0].vcpus > XBI_MAX_VMS))
        vmm_panic("shadow paging runs one VM of 1 to %u virtual CPUs (%u VMs, %u vCPUs)",
                  XBI_MAX_VMS, bi->nvms, bi->vm[0].vcpus);
    nents = smp_mode ? bi->vm[0].vcpus : bi->nvms;
    uint32_t harts = bi->harts ? bi->harts : 1;
    if (harts > HOST_MAX_HARTS)
        harts = HOST_MAX_HARTS;
    nharts = harts < nents ? harts : nents;
    host_init(0);
    vmx_on(0);
    protect = filter_exits(bi, 3);
    if (smp_mode)
        smp_init(bi, vcpus, nents, nharts);
    else
        con_printf("vmm: guest page tables %s\n",
                   protect ? "write-protected"
                           : "left writable: the filter does not send present supervisor "
                             "writes (error code 3) to the hypervisor");
    io_bitmap[0][0xF4 / 8] |= 1u << (0xF4 % 8);
    boot_bi = bi;
    if (nharts > 1 && !smp_mode)
        con_printf("vmm: %u harts (%u threads a core) run the VMs, VM i on hart i mod %u\n", nharts,
                   bi->threads_per_core ? bi->threads_per_core : 1, nharts);
    for (uint32_t h = 1; h < nharts; h++)
        start_ap(h);
    hart_run(bi, 0);
}

void vmm_run_ap(uint32_t hart)
{
    if (!boot_bi || hart >= nharts)
        vmm_panic("hart %u started with no VMs for it", hart);
    host_init(hart);
    vmx_on(hart);
    hart_run(boot_bi, hart);
}
