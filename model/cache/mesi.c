/*
 * mesi.c - the MESI transition table (see mesi.h).
 */
#include "model/cache/mesi.h"

struct transition {
    uint8_t next;
    uint8_t action;
};

/* Rows: state I, S, E, M.  Columns: PR_RD, PR_WR, BUS_RD, BUS_RDX, BUS_UPGR.
 * I + PR_RD lists E; it becomes S when another cache has the line.
 * E + BUS_UPGR and M + BUS_UPGR cannot happen (an upgrade means another
 * cache holds the line shared); they invalidate to stay safe. */
static const struct transition table[MESI_NSTATES][MESI_NEVENTS] = {
    [MESI_I] = {{MESI_E, MESI_ACT_BUS_RD},
                {MESI_M, MESI_ACT_BUS_RDX},
                {MESI_I, MESI_ACT_NONE},
                {MESI_I, MESI_ACT_NONE},
                {MESI_I, MESI_ACT_NONE}},
    [MESI_S] = {{MESI_S, MESI_ACT_NONE},
                {MESI_M, MESI_ACT_BUS_UPGR},
                {MESI_S, MESI_ACT_NONE},
                {MESI_I, MESI_ACT_NONE},
                {MESI_I, MESI_ACT_NONE}},
    [MESI_E] = {{MESI_E, MESI_ACT_NONE},
                {MESI_M, MESI_ACT_NONE},
                {MESI_S, MESI_ACT_NONE},
                {MESI_I, MESI_ACT_NONE},
                {MESI_I, MESI_ACT_NONE}},
    [MESI_M] = {{MESI_M, MESI_ACT_NONE},
                {MESI_M, MESI_ACT_NONE},
                {MESI_S, MESI_ACT_FLUSH},
                {MESI_I, MESI_ACT_FLUSH},
                {MESI_I, MESI_ACT_FLUSH}},
};

uint8_t mesi_next(uint8_t state, enum mesi_event event, bool others_have_copy,
                  enum mesi_action *action)
{
    if (state >= MESI_NSTATES || event >= MESI_NEVENTS) {
        *action = MESI_ACT_NONE;
        return MESI_I;
    }
    const struct transition *t = &table[state][event];
    *action = (enum mesi_action)t->action;
    if (state == MESI_I && event == MESI_PR_RD && others_have_copy)
        return MESI_S;
    return t->next;
}

const char *mesi_state_name(uint8_t s)
{
    static const char *const names[] = {"I", "S", "E", "M"};
    return s < MESI_NSTATES ? names[s] : "?";
}
