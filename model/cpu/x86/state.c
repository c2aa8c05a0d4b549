/*
 * state.c - the start-up state of an IA-32 hart (see state.h).
 */
#include "model/cpu/x86/state.h"

#include <string.h>

/* Access rights of flat segments, in the VMCS layout (Vol. 3C 24.4.1):
 * type, S = 1, DPL 0, P = 1, D/B = 1, G = 1. */
#define AR_CODE 0xC09Bu /* execute/read, accessed */
#define AR_DATA 0xC093u /* read/write, accessed */

static void flat(struct x86_seg *s, uint16_t sel, uint32_t attr)
{
    s->sel = sel;
    s->base = 0;
    s->limit = 0xFFFFFFFFu;
    s->attr = attr;
}

void x86_state_multiboot(struct x86_state *st, uint32_t entry, uint32_t mbi)
{
    memset(st, 0, sizeof(*st));
    st->gpr[X86_EAX] = X86_MULTIBOOT_MAGIC;
    st->gpr[X86_EBX] = mbi;
    st->eip = entry;
    st->eflags = X86_FIXED1; /* IF = 0, VM = 0 */
    for (unsigned i = 0; i < X86_NSREGS; i++)
        flat(&st->seg[i], 0x10, AR_DATA);
    flat(&st->seg[X86_CS], 0x08, AR_CODE);
    /* PE, and ET which reads as 1 on every processor since the i486
     * (Vol. 3A 2.5). */
    st->cr0 = X86_CR0_PE | X86_CR0_ET;
    /* Multiboot leaves GDTR and IDTR undefined; take their reset values,
     * base 0 and limit 0xFFFF (Vol. 3A 9.1.1, Table 9-1). */
    st->gdtr.limit = 0xFFFF;
    st->idtr.limit = 0xFFFF;
    st->cpl = 0;
    /* LDTR and TR hold null selectors until lldt/ltr (Vol. 3A Table 9-1
     * gives base 0, limit 0xFFFF; the model marks them unusable so that a
     * gate taken from ring 3 before ltr faults with #TS). */
    st->ldtr.attr = X86_AR_UNUSABLE;
    st->tr.attr = X86_AR_UNUSABLE;
    st->dr[6] = X86_DR6_FIXED;
    st->dr[7] = X86_DR7_FIXED;
    /* The bootstrap processor's APIC at the default base, enabled (Vol. 3A
     * 10.4.4, Figure 10-5: BSP bit 8, enable bit 11). */
    st->apic_base = 0xFEE00000u | 1u << 8 | 1u << 11;
    st->vmx.vmcs = 0xFFFFFFFFu; /* no current VMCS */
}
