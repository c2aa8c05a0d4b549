/*
 * vti.h - machine options of the VT-i virtualization model (machine.vti).
 *
 * fault_info says what a virtualization fault hands the VMM: nothing
 * (`none`: the VMM fetches and decodes the faulting instruction itself, as
 * seed 000 describes), or the cause code and opcode in bank-0 r24/r25
 * (`cause_opcode`, as later VT-i revisions do through PAL).
 */
#ifndef VTSIM_MODEL_CPU_IA64_VTI_H
#define VTSIM_MODEL_CPU_IA64_VTI_H

#include "model/base/param.h"

enum ia64_fault_info { IA64_FI_NONE, IA64_FI_CAUSE_OPCODE };

struct ia64_vti_config {
    int fault_info; /* enum ia64_fault_info */
};

extern const struct param ia64_vti_params[1];

#endif
