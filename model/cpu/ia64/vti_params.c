/*
 * vti_params.c - parameters of machine.vti (see vti.h).
 */
#include "model/cpu/ia64/vti.h"

#include <stddef.h>

static const char *const fault_info_names[] = {"none", "cause_opcode", NULL};

const struct param ia64_vti_params[1] = {
    {.key = "fault_info",
     .type = PARAM_ENUM,
     .offset = offsetof(struct ia64_vti_config, fault_info),
     .def = "none",
     .min = 1,
     .max = 0,
     .choices = fault_info_names,
     .unit = "",
     .doc = "what a virtualization fault hands the VMM: none (it fetches and decodes the "
            "instruction) or cause_opcode (cause code in r24, opcode in r25)"},
};
