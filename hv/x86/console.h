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

/* Print a message and end the run with status 1. */
__attribute__((noreturn, format(printf, 1, 2))) void vmm_panic(const char *fmt, ...);

#endif
