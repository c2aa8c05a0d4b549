/*
 * exits.c - what the hypervisor does on each VM exit (SDM Vol. 3C 27.2
 * exit information, Appendix C reasons).
 *
 * Page faults are the study's subject (seed 002): the VMCS filter decides
 * which guest #PFs exit at all.  An exiting #PF is either a write to a
 * page-table page the hypervisor write-protected — then the hypervisor
 * emulates the instruction, validates the new entry and completes it
 * ([0070], [0084]) — or the guest's own fault, which it injects back with
 * the same error code and CR2.
 */
#include "console.h"
#include "cpu.h"
#include "smp.h"
#include "vcpu.h"
#include "vmcs_fields.h"

#define PF_P         0x1u
#define PF_W         0x2u
#define PTE_P        0x001u
#define PTE_PS       0x080u
#define PTE_PFN      0xFFFFF000u
#define INTR_VALID   (1u << 31)
#define INTR_HW_EXC  (3u << 8)
#define INTR_ERRCODE (1u << 11)

void vcpu_sync_paging(struct vcpu *v)
{
    if (v->smp) {
        smp_sync_paging(v, 1);
        return;
    }
    v->paging = (v->cr0 & CR0_PG) != 0;
    /* The real CR0 has PG and NE set whatever the guest says (IA32_VMX_
     * CR0_FIXED0); the shadow shows the guest its own values. */
    vmwrite(V_GUEST_CR0, v->cr0 | CR0_PG | CR0_NE);
    vmwrite(V_CR0_SHADOW, v->cr0);
    vmwrite(V_CR4_SHADOW, v->cr4);
    if (v->paging) {
        if (v->protect && ptv_load_cr3(&v->pt, v->cr3) != 0)
            vmm_panic("VM: the guest's page directory at 0x%x maps memory outside its partition",
                      v->cr3);
        vmwrite(V_GUEST_CR3, v->cr3);
        vmwrite(V_GUEST_CR4, v->cr4 | CR4_VMXE);
    } else {
        vmwrite(V_GUEST_CR3, v->ident_pd);
        vmwrite(V_GUEST_CR4, v->cr4 | CR4_VMXE | CR4_PSE);
    }
}

/* The machine address of guest linear `la` through the guest's live
 * tables (or the identity while its paging is off); 0 when not mapped. */
uint32_t vcpu_translate(const struct vcpu *v, uint32_t la)
{
    if (!v->paging)
        return la;
    uint32_t pde = *(const uint32_t *)((v->cr3 & PTE_PFN) + (la >> 22) * 4);
    if (!(pde & PTE_P))
        return 0;
    if ((pde & PTE_PS) && (v->cr4 & CR4_PSE))
        return (pde & 0xFFC00000u) | (la & 0x3FFFFFu);
    uint32_t pte = *(const uint32_t *)((pde & PTE_PFN) + ((la >> 12) & 0x3FF) * 4);
    if (!(pte & PTE_P))
        return 0;
    return (pte & PTE_PFN) | (la & 0xFFFu);
}

static uint32_t *gpr(struct vcpu *v, unsigned n)
{
    if (n == 4) /* ESP lives in the VMCS; the caller syncs it */
        v->g.r[4] = vmread(V_GUEST_RSP);
    return &v->g.r[n];
}

static void skip(uint32_t len)
{
    vmwrite(V_GUEST_RIP, vmread(V_GUEST_RIP) + len);
}

unsigned vcpu_fetch(struct vcpu *v, uint8_t b[15])
{
    uint32_t eip = vmread(V_GUEST_RIP);
    unsigned n = 0;
    for (; n < 15; n++) { /* byte by byte: it may straddle pages */
        uint32_t p = vcpu_translate(v, eip + n);
        if (!p)
            break;
        b[n] = *(const uint8_t *)p;
    }
    return n;
}

void vcpu_regs_in(struct vcpu *v)
{
    v->g.r[4] = vmread(V_GUEST_RSP);
    v->g.eflags = vmread(V_GUEST_RFLAGS);
}

void vcpu_regs_out(struct vcpu *v, unsigned len)
{
    vmwrite(V_GUEST_RSP, v->g.r[4]);
    vmwrite(V_GUEST_RFLAGS, v->g.eflags);
    skip(len);
}

void vcpu_inject_pf(struct vcpu *v, uint32_t ec, uint32_t la)
{
    vmwrite(V_ENTRY_INTR_INFO, INTR_VALID | INTR_ERRCODE | INTR_HW_EXC | 14);
    vmwrite(V_ENTRY_EXC_ERROR, ec);
    write_cr2(la); /* CR2 is not in the VMCS: the guest sees the processor's */
    v->pf_injected++;
}

/* The guest's write at `la` hit a write-protected page-table page:
 * emulate the instruction.  Returns 0, or -1 if it is not such a write. */
static int emulate_pt_write(struct vcpu *v, uint32_t la)
{
    uint32_t pa = vcpu_translate(v, la);
    if (!pa || !ptv_is_table(&v->pt, pa))
        return -1;
    uint32_t eip = vmread(V_GUEST_RIP);
    uint8_t b[15];
    for (unsigned i = 0; i < sizeof(b); i++) { /* byte by byte: it may straddle pages */
        uint32_t p = vcpu_translate(v, eip + i);
        if (!p)
            vmm_panic("VM: cannot fetch the faulting instruction at 0x%x", eip + i);
        b[i] = *(const uint8_t *)p;
    }
    v->g.r[4] = vmread(V_GUEST_RSP);
    v->g.eflags = vmread(V_GUEST_RFLAGS);
    struct em_insn in;
    if (em_decode(b, sizeof(b), &v->g, &in) != 0 || in.size != 4 || in.addr != la || (la & 3))
        vmm_panic("VM: page-table write at 0x%x by an instruction the emulator does not "
                  "handle (eip 0x%x, bytes %x %x %x %x)",
                  la, eip, b[0], b[1], b[2], b[3]);
    uint32_t *ent = (uint32_t *)pa;
    int store;
    uint32_t val = (uint32_t)em_apply(&in, *ent, &v->g, &store), out;
    if (store) {
        if (ptv_entry_write(&v->pt, pa, val, &out) != PTV_STORE)
            vmm_panic("VM: the guest tried to map 0x%x, outside its partition (entry 0x%x)",
                      val & PTE_PFN, pa);
        *ent = out;
    }
    vmwrite(V_GUEST_RFLAGS, v->g.eflags);
    skip(in.len);
    v->pt_writes++;
    return 0;
}

static void on_exception(struct vcpu *v)
{
    uint32_t info = vmread(V_EXIT_INTR_INFO);
    if ((info & 0xFF) == 11 && v->smp) { /* #NP: the shadow GDT's, or the guest's own */
        uint32_t ec = vmread(V_EXIT_INTR_ERROR);
        if (sgdt_not_present(v, ec) != 0) {
            vmwrite(V_ENTRY_INTR_INFO, INTR_VALID | INTR_ERRCODE | INTR_HW_EXC | 11);
            vmwrite(V_ENTRY_EXC_ERROR, ec);
        }
        return;
    }
    if ((info & 0xFF) != 14)
        vmm_panic("VM: unexpected exception exit, interruption info 0x%x", info);
    uint32_t ec = vmread(V_EXIT_INTR_ERROR), la = vmread(V_EXIT_QUAL);
    v->pf_exits++;
    v->pf_by_ec[ec & 15]++;
    if (v->smp) {
        smp_page_fault(v, ec, la);
        return;
    }
    if ((ec & (PF_P | PF_W)) == (PF_P | PF_W) && v->paging && v->protect &&
        emulate_pt_write(v, la) == 0)
        return;
    vcpu_inject_pf(v, ec, la);
}

/* MOV to/from CR (exit qualification, Table 27-3): CR number bits 3:0,
 * access type bits 5:4, register bits 11:8. */
static void on_cr(struct vcpu *v)
{
    uint32_t q = vmread(V_EXIT_QUAL), cr = q & 15, type = (q >> 4) & 3, reg = (q >> 8) & 15;
    uint32_t *r = gpr(v, reg);
    v->cr_exits++;
    if (type == 1 && cr == 3) {
        *r = v->cr3;
        if (reg == 4)
            vmwrite(V_GUEST_RSP, *r);
    } else if (type == 0 && (cr == 0 || cr == 3 || cr == 4)) {
        if (cr == 0)
            v->cr0 = *r;
        else if (cr == 3)
            v->cr3 = *r;
        else
            v->cr4 = *r & ~CR4_VMXE;
        vcpu_sync_paging(v);
    } else {
        vmm_panic("VM: control-register access the hypervisor does not handle (0x%x)", q);
    }
    skip(vmread(V_EXIT_INSN_LEN));
}

static void on_cpuid(struct vcpu *v)
{
    uint32_t *g = v->g.r;
    cpuid(&g[0], &g[3], &g[1], &g[2]);
    /* Leaf 1: no VMX for the guest. */
    v->cpuid_exits++;
    skip(vmread(V_EXIT_INSN_LEN));
}

void vcpu_report(const struct vcpu *v)
{
    con_printf("vmm: exits %u: #PF %u (page-table writes emulated %u, injected %u), CR %u, "
               "CPUID %u\n",
               v->exits, v->pf_exits, v->pt_writes, v->pf_injected, v->cr_exits, v->cpuid_exits);
    con_printf("vmm: #PF exits by error code:");
    for (unsigned i = 0; i < 16; i++)
        con_printf(" %u", v->pf_by_ec[i]);
    con_printf("\nvmm: page tables validated %u, entries made read-only %u, writes refused %u\n",
               v->pt.tables_validated, v->pt.entries_forced_ro, v->pt.writes_refused);
}

/* OUT to the exit port (the only port in the I/O bitmap): report, then
 * end the run with the guest's status, or, with several VMs, retire this
 * one (the scheduler ends the run with the last).  Qualification (Table
 * 27-5): size bits 2:0, direction bit 3, port bits 31:16. */
static struct vcpu *on_io(struct vcpu *v)
{
    uint32_t q = vmread(V_EXIT_QUAL);
    if ((q >> 16) != 0xF4 || (q & 8))
        vmm_panic("VM: unexpected I/O exit 0x%x", q);
    vcpu_report(v);
    if (v->smp) { /* any virtual CPU's exit ends the VM, and the run */
        smp_report();
        con_exit(v->g.r[0] & 0xFF);
    }
    return sched_retire(v, v->g.r[0] & 0xFF);
}

#define KICK_VECTOR 0x21u /* smp.c: another hart has notes or interrupts for this one */
#define APIC_EOI    0xB0u

/* An external interrupt: the scheduler's tick, or a kick from another
 * hart, whose work smp_prepare() does before the next entry. */
static struct vcpu *on_extint(struct vcpu *v)
{
    if ((vmread(V_EXIT_INTR_INFO) & 0xFF) == KICK_VECTOR) {
        apic_write(APIC_EOI, 0);
        return v;
    }
    return sched_tick(v);
}

struct vcpu *exit_handle(struct vcpu *v, const struct xbi *bi)
{
    struct vcpu *next = v;
    (void)bi;
    uint32_t reason = vmread(V_EXIT_REASON);
    vmwrite(V_ENTRY_INTR_INFO, 0); /* nothing to inject unless a handler says so */
    /* An exit during event delivery: deliver the event again on entry
     * unless something is injected instead (27.2.4, 26.5). */
    uint32_t idt = vmread(V_IDT_VEC_INFO);
    switch (reason & 0xFFFF) {
    case EXIT_EXCEPTION:
        on_exception(v);
        break;
    case EXIT_CR_ACCESS:
        on_cr(v);
        break;
    case EXIT_CPUID:
        on_cpuid(v);
        break;
    case EXIT_IO:
        next = on_io(v);
        break;
    case EXIT_EXTINT:
        next = on_extint(v);
        break;
    case EXIT_INVLPG:
        smp_invlpg(v, vmread(V_EXIT_QUAL));
        break;
    case EXIT_HLT:
        smp_hlt(v);
        break;
    case EXIT_INTR_WINDOW:
        smp_intr_window(v);
        break;
    case EXIT_TRIPLE_FAULT:
        vcpu_report(v);
        vmm_panic("VM: triple fault at eip 0x%x", vmread(V_GUEST_RIP));
    default:
        vmm_panic("VM: exit reason %u (qualification 0x%x) at eip 0x%x", reason,
                  vmread(V_EXIT_QUAL), vmread(V_GUEST_RIP));
    }
    if ((idt & INTR_VALID) && !(vmread(V_ENTRY_INTR_INFO) & INTR_VALID)) {
        vmwrite(V_ENTRY_INTR_INFO, idt);
        if (idt & INTR_ERRCODE)
            vmwrite(V_ENTRY_EXC_ERROR, vmread(V_IDT_VEC_ERROR));
        if (((idt >> 8) & 7) >= 4) /* a software event: its length (26.5.1.1) */
            vmwrite(V_ENTRY_INSN_LEN, vmread(V_EXIT_INSN_LEN));
    }
    return next;
}
