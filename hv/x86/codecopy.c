/*
 * codecopy.c - derived code: study 3's CODE traces (seed 004
 * [0086]-[0087]).
 *
 * With hypervisor.trace.code_patch each virtual CPU runs guest code from
 * copies of the guest's code frames that the hypervisor derived for it,
 * as a patching or translating monitor keeps its patched or translated
 * code: a frame's copy is made when the virtual CPU first fetches from it
 * (a fill fault on the page of its EIP), its shadow leaf then maps the
 * copy read-only, and the virtual CPU consumes a CODE trace on the frame.
 * A note invalidates the copy (the next fetch derives a new one from the
 * guest's frame); under pre_write_data a note that carries the whole
 * write re-derives the copy from the data instead ([0081]).  The copies
 * are byte for byte the guest's: what they would hold in patches is
 * study 1's subject; here they are the derived structure to keep
 * coherent.  One linear page per copy is remembered, so an alias mapping
 * of a code frame keeps its copy until the next flush.  Everything here
 * runs on the virtual CPU's own hart.
 */
#include "smp.h"
#include "trace.h"

#define PAGE 4096u

#define NCODE 8 /* derived code frames per virtual CPU */

struct code_copy {
    uint32_t gframe; /* the guest frame it derives from; 0: free */
    uint32_t la;     /* the linear page whose leaf maps it */
};

static struct code_copy codes[TR_MAX_VCPUS][NCODE];
static uint32_t code_hand[TR_MAX_VCPUS];
static uint8_t code_frames[TR_MAX_VCPUS][NCODE][PAGE] __attribute__((aligned(PAGE)));

static void code_drop(struct vcpu *u, uint32_t k)
{
    struct code_copy *c = &codes[u->idx][k];
    sh_invlpg(u->sh, c->la);
    smp_trace_frame(u, c->gframe, TR_CODE, 0);
    c->gframe = 0;
}

static int code_find(const struct vcpu *v, uint32_t gframe)
{
    for (uint32_t k = 0; k < NCODE; k++)
        if (codes[v->idx][k].gframe == gframe)
            return (int)k;
    return -1;
}

/* The leaf for `la` was just filled: map v's copy of its frame, deriving
 * one first when v fetches from it. */
void code_map(struct vcpu *v, uint32_t la, int fetch)
{
    uint32_t pa;
    if (sh_translate(v->sh, la, 0, 0, &pa) != 0)
        return;
    uint32_t gf = pa & ~(PAGE - 1);
    int k = code_find(v, gf);
    if (k < 0) {
        if (!fetch)
            return;
        k = (int)(code_hand[v->idx]++ % NCODE);
        if (codes[v->idx][k].gframe)
            code_drop(v, (uint32_t)k);
        /* Traced before it is copied: a write from now on is an event. */
        codes[v->idx][k].gframe = gf;
        smp_trace_frame(v, gf, TR_CODE, 1);
        const uint32_t *src = (const uint32_t *)gf;
        uint32_t *dst = (uint32_t *)(void *)code_frames[v->idx][k];
        for (uint32_t i = 0; i < PAGE / 4; i++)
            dst[i] = src[i];
        v->st->code_derived++;
    }
    codes[v->idx][k].la = la & ~(PAGE - 1);
    sh_set_frame(v->sh, la, (uint32_t)code_frames[v->idx][k]);
}

/* A CODE note for u: re-derive from the data, or invalidate. */
void code_consume(struct vcpu *u, const struct tr_note *n)
{
    for (uint32_t k = 0; k < NCODE; k++) {
        struct code_copy *c = &codes[u->idx][k];
        if (!c->gframe || (n->len && c->gframe != (n->gpa & ~(PAGE - 1))))
            continue;
        if (n->len && n->len <= 8 && n->sem == TR_PRE_WRITE_DATA) {
            uint8_t *b = &code_frames[u->idx][k][n->gpa & (PAGE - 1)];
            for (uint32_t i = 0; i < n->len; i++)
                b[i] = (uint8_t)(n->data >> (8 * i));
            u->st->code_rederived++;
        } else {
            code_drop(u, k);
        }
    }
}
