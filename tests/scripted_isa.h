/*
 * scripted_isa.h - a test-only ISA front end named "scripted": each hart
 * runs a script (tests/scripted_hart.h) read from its VM's image file, so
 * the whole `vtsim run` path (config, machine, scheduler, stats, results)
 * can be tested before, and independently of, the real ISA front ends.
 * Hart i runs the script of vms[i % nvms].  Never part of the product.
 */
#ifndef VTSIM_TESTS_SCRIPTED_ISA_H
#define VTSIM_TESTS_SCRIPTED_ISA_H

/* Register the "scripted" front end (idempotent). */
void scripted_isa_register(void);

#endif
