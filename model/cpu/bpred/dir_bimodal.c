/*
 * dir_bimodal.c - bimodal direction prediction: a table of 2-bit
 * saturating counters indexed by the branch address (Smith, "A study of
 * branch prediction strategies", ISCA 1981).  >= 2 predicts taken.
 */
#include "model/cpu/bpred/bpred.h"

static bool bim_predict(const uint8_t *ctr, uint64_t mask, uint64_t pc, uint64_t ghr)
{
    (void)ghr;
    return ctr[pc & mask] >= 2;
}

static void bim_update(uint8_t *ctr, uint64_t mask, uint64_t pc, uint64_t ghr, bool taken)
{
    (void)ghr;
    uint8_t *c = &ctr[pc & mask];
    if (taken && *c < 3)
        (*c)++;
    else if (!taken && *c > 0)
        (*c)--;
}

const struct dir_ops dir_bimodal = {"bimodal", bim_predict, bim_update};
