/*
 * bpred_params.c - parameters of machine.bpred.  Defaults follow the
 * Itanium 2 front end: a 2-level predictor and a 6-cycle penalty for a
 * branch mispredicted in the back end (Intel Itanium 2 Processor Reference
 * Manual for Software Development and Optimization, doc. 251110, section
 * on branch prediction; McNairy and Soltis, IEEE Micro 2003).  The BTB
 * size is a modelling choice (the Itanium 2 keeps targets in its L1I
 * bundle stream), documented in docs/model-tlb-bpred.md.
 */
#include <stddef.h>

#include "model/cpu/bpred/bpred.h"

static const char *const dir_names[] = {"bimodal", "gshare", NULL};

#define U(k, field, def_, lo, hi, unit_, doc_)                                                     \
    {                                                                                              \
        .key = k, .type = PARAM_UINT, .offset = offsetof(struct bpred_config, field), .def = def_, \
        .min = lo, .max = hi, .unit = unit_, .doc = doc_                                           \
    }

const struct param bpred_params[8] = {
    U("btb_entries", btb_entries, "1024", 1, 1048576, "entries", "branch target buffer entries"),
    U("btb_ways", btb_ways, "4", 1, 1048576, "ways", "BTB associativity"),
    {.key = "btb_tag_vm",
     .type = PARAM_BOOL,
     .offset = offsetof(struct bpred_config, btb_tag_vm),
     .def = "false",
     .min = 1,
     .max = 0,
     .unit = "",
     .doc = "tag BTB entries with the VM id (false: VMs alias and evict each other)"},
    {.key = "direction",
     .type = PARAM_ENUM,
     .offset = offsetof(struct bpred_config, direction),
     .def = "gshare",
     .min = 1,
     .max = 0,
     .choices = dir_names,
     .unit = "",
     .doc = "direction predictor: bimodal or gshare"},
    U("table_entries", table_entries, "4096", 1, 1 << 24, "counters",
      "2-bit counters of the direction predictor"),
    U("history_bits", history_bits, "12", 0, 32, "bits", "global history length (gshare)"),
    U("ras_depth", ras_depth, "8", 1, 1024, "entries", "return stack depth"),
    U("mispredict_penalty", mispredict_penalty, "6", 0, 1000, "cycles",
      "cycles lost on a mispredicted branch"),
};
