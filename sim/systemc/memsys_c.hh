/*
 * memsys_c.hh - model/cache/memsys.h for the C++ side: the hierarchy's
 * functions have C linkage, and the C headers of model/ stay free of
 * C++ guards (sim/systemc is their only C++ user).
 */
#ifndef VTSIM_SIM_SYSTEMC_MEMSYS_C_HH
#define VTSIM_SIM_SYSTEMC_MEMSYS_C_HH

extern "C" {
#include "model/cache/memsys.h"
}

#endif
