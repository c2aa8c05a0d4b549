/*
 * cache.c - one set-associative array (see cache.h).
 */
#include "model/cache/cache.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool pow2(uint64_t v)
{
    return v && !(v & (v - 1));
}

static unsigned log2u(uint64_t v)
{
    unsigned n = 0;
    while (v > 1) {
        v >>= 1;
        n++;
    }
    return n;
}

int cache_init(struct cache *c, const char *name, const struct cache_config *cfg, struct rng *rng,
               char *err, size_t errlen)
{
    memset(c, 0, sizeof(*c));
    c->name = name;
    if (!pow2(cfg->line) || cfg->line < 8 || cfg->line > 4096) {
        snprintf(err, errlen, "%s.line: %llu is not a power of two in [8, 4096]", name,
                 (unsigned long long)cfg->line);
        return -1;
    }
    if (cfg->ways == 0 || cfg->ways > 64) {
        snprintf(err, errlen, "%s.ways: must be 1..64", name);
        return -1;
    }
    uint64_t lines = cfg->size / cfg->line;
    if (cfg->size % cfg->line || lines % cfg->ways || !pow2(lines / cfg->ways)) {
        snprintf(err, errlen,
                 "%s: size %llu / (line %llu * ways %llu) must be a whole power-of-two number "
                 "of sets",
                 name, (unsigned long long)cfg->size, (unsigned long long)cfg->line,
                 (unsigned long long)cfg->ways);
        return -1;
    }
    if (cfg->replacement == REPL_PLRU && !pow2(cfg->ways)) {
        snprintf(err, errlen, "%s: tree-PLRU needs a power-of-two number of ways, not %llu", name,
                 (unsigned long long)cfg->ways);
        return -1;
    }
    c->ways = (unsigned)cfg->ways;
    c->sets = (unsigned)(lines / cfg->ways);
    c->line_shift = log2u(cfg->line);
    c->set_mask = c->sets - 1;
    c->latency = (unsigned)cfg->latency;
    c->write_through = cfg->write_policy == WRITE_THROUGH;
    c->repl = repl_get((enum repl_kind)cfg->replacement);
    c->repl_bytes = c->repl->state_size(c->ways);
    c->rng = rng;
    c->lines = calloc(lines, sizeof(*c->lines));
    c->repl_state = calloc(c->sets, c->repl_bytes ? c->repl_bytes : 1);
    if (!c->lines || !c->repl_state) {
        cache_free(c);
        snprintf(err, errlen, "%s: out of memory", name);
        return -1;
    }
    for (unsigned s = 0; s < c->sets; s++)
        c->repl->reset(c->repl_state + s * c->repl_bytes, c->ways);
    return 0;
}

void cache_free(struct cache *c)
{
    free(c->lines);
    free(c->repl_state);
    c->lines = NULL;
    c->repl_state = NULL;
}

bool cache_fill(struct cache *c, uint64_t la, uint8_t state, struct cache_line *victim)
{
    unsigned set = (unsigned)(la & c->set_mask);
    struct cache_line *lines = &c->lines[set * c->ways];
    uint8_t *rs = c->repl_state + set * c->repl_bytes;
    unsigned way = c->ways;
    for (unsigned w = 0; w < c->ways; w++)
        if (lines[w].state == MESI_I) {
            way = w;
            break;
        }
    bool evicted = false;
    if (way == c->ways) {
        way = c->repl->victim(rs, c->ways, c->rng);
        *victim = lines[way];
        evicted = true;
        c->st.evictions++;
    }
    lines[way].tag = la;
    lines[way].state = state;
    c->repl->touch(rs, c->ways, way);
    return evicted;
}

uint8_t cache_invalidate(struct cache *c, uint64_t la)
{
    int w = cache_lookup(c, la);
    if (w < 0)
        return MESI_I;
    struct cache_line *l = cache_line_at(c, la, w);
    uint8_t old = l->state;
    l->state = MESI_I;
    c->repl->invalidate(c->repl_state + (la & c->set_mask) * c->repl_bytes, c->ways, (unsigned)w);
    return old;
}

uint8_t cache_invalidate_frame(struct cache *c, uint64_t frame)
{
    struct cache_line *l = &c->lines[frame];
    uint8_t old = l->state;
    if (old == MESI_I)
        return old;
    l->state = MESI_I;
    c->repl->invalidate(c->repl_state + (frame / c->ways) * c->repl_bytes, c->ways,
                        (unsigned)(frame % c->ways));
    return old;
}

uint64_t cache_occupancy(const struct cache *c)
{
    uint64_t n = 0;
    for (uint64_t i = 0; i < (uint64_t)c->sets * c->ways; i++)
        n += c->lines[i].state != MESI_I;
    return n;
}
