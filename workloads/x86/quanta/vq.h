/*
 * vq.h - what the IA-32 guest workloads of the VM-quanta study share
 * (docs/workloads-vq.md).  Each workload is one kernel file defining the
 * three symbols below; vq.c runs it unit after unit and reports the work
 * through the simulator-control device (model/platform/ctl.h).
 *
 * Build-time knobs (-D, see CMakeLists.txt):
 *   VQ_UNITS  units to run, then print the checksum and exit 0; 0 runs
 *             forever (the study's build: the run ends at run.max_cycles)
 *   VQ_BATCH  units per CTL_CMD_WORK report (default 4)
 *   VQ_BASE   the link address, a linker symbol (-Wl,--defsym), not a macro
 */
#ifndef WORKLOADS_X86_QUANTA_VQ_H
#define WORKLOADS_X86_QUANTA_VQ_H

#include <stdint.h>

#ifndef VQ_UNITS
#define VQ_UNITS 64u
#endif
#ifndef VQ_BATCH
#define VQ_BATCH 4u
#endif

/* The kernel's name, printed on the console. */
extern const char vq_name[];
/* Set up the kernel's data; called once before the first unit. */
void vq_init(void);
/* Do unit number u (a fixed amount of work) and return a value computed
 * from it, folded into the run's checksum. */
uint32_t vq_unit(uint32_t u);

static inline void vq_outb(uint16_t port, uint8_t v)
{
    __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline void vq_outl(uint16_t port, uint32_t v)
{
    __asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

void vq_puts(const char *s);
void vq_putdec(uint32_t v);
void vq_puthex(uint32_t v);

#endif
