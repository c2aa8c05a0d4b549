/*
 * vtx.h - machine options of the VT-x model (machine.vtx).
 *
 * A VM exit or entry costs the VMCS accesses it makes (through the cache
 * model), a pipeline flush, and the processor's own transition work,
 * which no instruction stream shows: exit_latency and entry_latency, in
 * cycles, set by the machine preset from published measurements
 * (docs/fidelity.md).
 */
#ifndef VTSIM_MODEL_CPU_X86_VTX_H
#define VTSIM_MODEL_CPU_X86_VTX_H

#include <stdint.h>

#include "model/base/param.h"

struct x86_vtx_config {
    uint64_t exit_latency;  /* cycles a VM exit adds beyond its VMCS traffic and flush */
    uint64_t entry_latency; /* the same for VMLAUNCH/VMRESUME */
};

extern const struct param x86_vtx_params[2];

#endif
