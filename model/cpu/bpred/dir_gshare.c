/*
 * dir_gshare.c - gshare: 2-bit counters indexed by the branch address xor
 * the global history of outcomes (McFarling, "Combining branch
 * predictors", DEC WRL TN-36, 1993).
 */
#include "model/cpu/bpred/bpred.h"

static bool gs_predict(const uint8_t *ctr, uint64_t mask, uint64_t pc, uint64_t ghr)
{
    return ctr[(pc ^ ghr) & mask] >= 2;
}

static void gs_update(uint8_t *ctr, uint64_t mask, uint64_t pc, uint64_t ghr, bool taken)
{
    uint8_t *c = &ctr[(pc ^ ghr) & mask];
    if (taken && *c < 3)
        (*c)++;
    else if (!taken && *c > 0)
        (*c)--;
}

const struct dir_ops dir_gshare = {"gshare", gs_predict, gs_update};
