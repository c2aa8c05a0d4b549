/*
 * vtx_params.c - parameters of machine.vtx (see vtx.h).  The neutral
 * default is 0; configs/machines/ presets give measured values.
 */
#include "model/cpu/x86/vtx.h"

#include <stddef.h>

const struct param x86_vtx_params[2] = {
    {.key = "exit_latency",
     .type = PARAM_UINT,
     .offset = offsetof(struct x86_vtx_config, exit_latency),
     .def = "0",
     .min = 0,
     .max = 100000,
     .unit = "cycles",
     .doc = "cycles a VM exit costs beyond its VMCS accesses and pipeline flush"},
    {.key = "entry_latency",
     .type = PARAM_UINT,
     .offset = offsetof(struct x86_vtx_config, entry_latency),
     .def = "0",
     .min = 0,
     .max = 100000,
     .unit = "cycles",
     .doc = "cycles a VM entry (VMLAUNCH/VMRESUME) costs beyond its VMCS accesses and flush"},
};
