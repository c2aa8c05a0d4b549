/*
 * console.h - the hypervisor's console (port 0xE9) and its exit (port
 * 0xF4): a small formatted print for diagnostics and the run's report.
 */
#ifndef VTSIM_HV_X86_CONSOLE_H
#define VTSIM_HV_X86_CONSOLE_H

#include <stdint.h>

/* printf subset: %s, %c, %u, %d, %x, %08x (a zero-padded width), %%. */
void con_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* End the run with this status (never returns). */
__attribute__((noreturn)) void con_exit(unsigned status);

/* The rows of ctl.hv.* (model/platform/ctl_hvstat.def). */
#define HVSTAT(id, name, unit, doc) CTL_HVSTAT_##id,
enum {
#include "../../model/platform/ctl_hvstat.def"
};
#undef HVSTAT

/* Add `val` to the control device's ctl.hv.<row id> (commands 11, 12). */
void con_hvstat(uint32_t id, uint64_t val);

/* Print a message and end the run with status 1. */
__attribute__((noreturn, format(printf, 1, 2))) void vmm_panic(const char *fmt, ...);

#endif
