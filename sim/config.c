/*
 * config.c - binding YAML to the typed study through the section tables
 * (see config.h).  Emitting and documenting are in config_emit.c.
 *
 * Layers are looked up, never merged: when a param is bound, its value is
 * the last override naming its key path, else the study's node, else (for
 * machine keys) the preset's node, else the table's default.  Each value
 * keeps the position it came from, so an error points into the right file.
 * Cold code, but it reads untrusted input: no recursion beyond the schema's
 * own depth, every error path frees what it made.
 */
#include "sim/config.h"

#include <ctype.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "sim/units.h"

#define MAX_OVERRIDES 256

/* ---- arena: every string of a resolved config ---- */

struct config_arena {
    char **blocks;
    size_t n, cap;
};

static void *arena_keep(struct config_arena *a, void *p)
{
    if (!p)
        return NULL;
    if (a->n == a->cap) {
        size_t nc = a->cap ? a->cap * 2 : 32;
        char **nb = realloc(a->blocks, nc * sizeof(*nb));
        if (!nb) {
            free(p);
            return NULL;
        }
        a->blocks = nb;
        a->cap = nc;
    }
    a->blocks[a->n++] = p;
    return p;
}

static char *arena_strdup(struct config_arena *a, const char *s)
{
    return arena_keep(a, strdup(s));
}

void config_free(struct study_config *c)
{
    if (!c)
        return;
    if (c->arena) {
        for (size_t i = 0; i < c->arena->n; i++)
            free(c->arena->blocks[i]);
        free(c->arena->blocks);
        free(c->arena);
    }
    free(c);
}

/* ---- sources ---- */

struct override {
    char *path;         /* "machine.cores", "vms.0.image" */
    struct ytree *tree; /* owned: the parsed value (NULL for borrowed nodes) */
    const struct ynode *value;
    bool used;
};

struct config_src {
    struct ytree *study;
    struct override ovr[MAX_OVERRIDES];
    size_t novr;
};

struct config_src *config_load_buffer(const char *name, const char *buf, size_t len, struct diag *d)
{
    struct config_src *src = calloc(1, sizeof(*src));
    if (!src)
        return NULL;
    src->study = ytree_load_buffer(name, buf, len, d);
    if (!src->study) {
        free(src);
        return NULL;
    }
    return src;
}

struct config_src *config_load_file(const char *path, struct diag *d)
{
    struct config_src *src = calloc(1, sizeof(*src));
    if (!src)
        return NULL;
    src->study = ytree_load_file(path, d);
    if (!src->study) {
        free(src);
        return NULL;
    }
    return src;
}

void config_src_free(struct config_src *src)
{
    if (!src)
        return;
    for (size_t i = 0; i < src->novr; i++) {
        free(src->ovr[i].path);
        ytree_free(src->ovr[i].tree);
    }
    ytree_free(src->study);
    free(src);
}

/* ---- did you mean ---- */

static size_t edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 64 || lb > 64)
        return SIZE_MAX;
    size_t row[65];
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t prev = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t cur = row[j];
            size_t sub = prev + (a[i - 1] != b[j - 1]);
            size_t del = row[j] + 1, ins = row[j - 1] + 1;
            row[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
            prev = cur;
        }
    }
    return row[lb];
}

const char *config_suggest(const char *word, const char *const *cands, size_t n)
{
    const char *best = NULL;
    size_t bd = SIZE_MAX;
    size_t limit = strlen(word) / 3 > 2 ? strlen(word) / 3 : 2;
    for (size_t i = 0; i < n; i++) {
        size_t dist = edit_distance(word, cands[i]);
        if (dist < bd && dist <= limit && dist < strlen(cands[i])) {
            bd = dist;
            best = cands[i];
        }
    }
    return best;
}

/* The keys a section accepts, for suggestions and listings. */
static size_t section_keys(const struct section *sec, const char **keys, size_t max, bool root)
{
    size_t n = 0;
    for (size_t i = 0; i < sec->nparams && n < max; i++)
        keys[n++] = sec->params[i].key;
    for (size_t i = 0; i < sec->nsubs && n < max; i++)
        keys[n++] = sec->subs[i]->key;
    if (root && n + 1 < max) {
        keys[n++] = "sweep";
        keys[n++] = "sweep_zip";
    }
    return n;
}

static void unknown_key(struct diag *d, const struct ymark *m, const char *key,
                        const struct section *sec, const char *where, bool root)
{
    const char *keys[64];
    size_t n = section_keys(sec, keys, 64, root);
    const char *s = config_suggest(key, keys, n);
    if (s) {
        diag_error(d, m, "unknown key '%s' in %s (did you mean '%s'?)", key, where, s);
        return;
    }
    char list[512] = "";
    size_t at = 0;
    for (size_t i = 0; i < n && at < sizeof(list); i++)
        at += (size_t)snprintf(list + at, sizeof(list) - at, "%s%s", i ? ", " : "", keys[i]);
    diag_error(d, m, "unknown key '%s' in %s (valid keys: %s)", key, where, list);
}

/* ---- key paths ---- */

static bool is_index(const char *s, unsigned long *v)
{
    if (!*s || strlen(s) > 6)
        return false;
    for (const char *p = s; *p; p++)
        if (!isdigit((unsigned char)*p))
            return false;
    *v = strtoul(s, NULL, 10);
    return true;
}

const struct param *config_find_param(const char *keypath, const struct section **secp, char *err,
                                      size_t errlen)
{
    char buf[256];
    const struct section *sec = &schema_root;
    if (snprintf(buf, sizeof(buf), "%s", keypath) >= (int)sizeof(buf)) {
        snprintf(err, errlen, "key path too long");
        return NULL;
    }
    char *save = NULL, *seg = strtok_r(buf, ".", &save);
    const char *where = "the study";
    while (seg) {
        char *next = strtok_r(NULL, ".", &save);
        const struct section *sub = NULL;
        for (size_t i = 0; i < sec->nparams; i++)
            if (strcmp(sec->params[i].key, seg) == 0) {
                if (next) {
                    snprintf(err, errlen, "'%s' has no sub-key '%s'", seg, next);
                    return NULL;
                }
                if (secp)
                    *secp = sec;
                return &sec->params[i];
            }
        for (size_t i = 0; i < sec->nsubs; i++)
            if (strcmp(sec->subs[i]->key, seg) == 0)
                sub = sec->subs[i];
        if (!sub) {
            const char *keys[64];
            size_t n = section_keys(sec, keys, 64, false);
            const char *s = config_suggest(seg, keys, n);
            if (s)
                snprintf(err, errlen, "unknown key '%s' in %s (did you mean '%s'?)", seg, where, s);
            else
                snprintf(err, errlen, "unknown key '%s' in %s", seg, where);
            return NULL;
        }
        where = sub->key;
        if (sub->is_list) {
            unsigned long idx;
            if (!next || !is_index(next, &idx) || idx >= sub->max_elems) {
                snprintf(err, errlen, "%s is a list: write %s.<index>.<key> with index < %zu",
                         sub->key, sub->key, sub->max_elems);
                return NULL;
            }
            next = strtok_r(NULL, ".", &save);
        }
        if (!next) {
            snprintf(err, errlen, "'%s' is a section, not a value", seg);
            return NULL;
        }
        sec = sub;
        seg = next;
    }
    snprintf(err, errlen, "empty key path");
    return NULL;
}

/* "vms.0.image" -> "vms[0].image" for messages. */
static void display_path(const char *path, char *buf, size_t len)
{
    size_t j = 0;
    for (size_t i = 0; path[i] && j + 2 < len; i++) {
        if (path[i] == '.' && isdigit((unsigned char)path[i + 1])) {
            buf[j++] = '[';
            i++;
            while (isdigit((unsigned char)path[i]) && j + 2 < len)
                buf[j++] = path[i++];
            buf[j++] = ']';
            i--;
            continue;
        }
        buf[j++] = path[i];
    }
    buf[j] = '\0';
}

/* ---- values ---- */

struct bind {
    struct diag *d;
    struct config_arena *arena;
    struct override *ovr[MAX_OVERRIDES + SCHEMA_MAX_AXES];
    size_t novr;
    struct ymark study_mark;
};

static const char *type_word(enum param_type t)
{
    switch (t) {
    case PARAM_BOOL:
        return "a boolean (true/false)";
    case PARAM_INT:
        return "an integer";
    case PARAM_UINT:
        return "an unsigned integer";
    case PARAM_SIZE:
        return "a size (e.g. 64, 16KiB, 3MiB)";
    case PARAM_COUNT:
        return "a count (e.g. 1000, 50M, 2e9)";
    case PARAM_DOUBLE:
        return "a number";
    case PARAM_ENUM:
        return "one of the listed words";
    case PARAM_STRING:
        return "a string";
    case PARAM_STRLIST:
        return "a list of strings";
    }
    return "a value";
}

static void fmt_bound(double v, char *buf, size_t len)
{
    if (v >= 0 && v < 1.8e19 && v == (double)(uint64_t)v)
        snprintf(buf, len, "%llu", (unsigned long long)v);
    else
        snprintf(buf, len, "%.17g", v);
}

static int check_range(struct bind *b, const struct param *p, double v, const char *text,
                       const char *dpath, const struct ymark *m)
{
    if (p->min > p->max || (v >= p->min && v <= p->max))
        return 0;
    char lo[40], hi[40];
    fmt_bound(p->min, lo, sizeof(lo));
    fmt_bound(p->max, hi, sizeof(hi));
    if (p->max >= PARAM_NOBOUND_HI)
        diag_error(b->d, m, "%s: %s is below the minimum %s", dpath, text, lo);
    else
        diag_error(b->d, m, "%s: %s is out of range [%s, %s]", dpath, text, lo, hi);
    return -1;
}

/*
 * Parse scalar text into the field.  Shared by binding, sweep checks and
 * defaults.  Returns 0 or -1 after reporting at m.
 */
static int parse_into(struct bind *b, const struct param *p, void *field, const struct ynode *n,
                      const char *text, const char *dpath, const struct ymark *m)
{
    if (p->type == PARAM_STRLIST) {
        struct strlist *sl = field;
        sl->v = NULL;
        sl->n = 0;
        if (!n) /* a default: only "[]" is used */
            return 0;
        if (n->kind != Y_SEQ) {
            diag_error(b->d, m, "%s: expected %s like [a, b]", dpath, type_word(p->type));
            return -1;
        }
        sl->v = arena_keep(b->arena, calloc(n->n + 1, sizeof(*sl->v)));
        if (!sl->v)
            return -1;
        for (size_t i = 0; i < n->n; i++) {
            const struct ynode *it = n->items[i];
            bool ok = it->kind == Y_SCALAR && *it->str;
            for (const char *c = ok ? it->str : ""; ok && *c; c++)
                ok = islower((unsigned char)*c) || isdigit((unsigned char)*c) || *c == '_' ||
                     *c == '.';
            if (!ok) {
                diag_error(b->d, &it->mark, "%s: '%s' is not a stat name ([a-z0-9_.])", dpath,
                           it->kind == Y_SCALAR ? it->str : "(not a scalar)");
                return -1;
            }
            sl->v[sl->n++] = arena_strdup(b->arena, it->str);
        }
        return 0;
    }
    if (n && n->kind != Y_SCALAR) {
        diag_error(b->d, m, "%s: expected %s, got a %s", dpath, type_word(p->type),
                   n->kind == Y_MAP ? "mapping" : "list");
        return -1;
    }
    bool null = n ? ynode_is_null(n) : (strcmp(text, "null") == 0); /* defaults are plain text */
    int rc = 0;
    switch (p->type) {
    case PARAM_BOOL:
        rc = units_parse_bool(text, (bool *)field);
        break;
    case PARAM_INT: {
        int64_t v;
        rc = units_parse_int(text, &v);
        if (rc == 0) {
            if (check_range(b, p, (double)v, text, dpath, m) != 0)
                return -1;
            *(int64_t *)field = v;
        }
        break;
    }
    case PARAM_UINT:
    case PARAM_SIZE:
    case PARAM_COUNT: {
        uint64_t v;
        rc = p->type == PARAM_UINT   ? units_parse_uint(text, &v)
             : p->type == PARAM_SIZE ? units_parse_size(text, &v)
                                     : units_parse_count(text, &v);
        if (rc == 0) {
            if (check_range(b, p, (double)v, text, dpath, m) != 0)
                return -1;
            *(uint64_t *)field = v;
        }
        break;
    }
    case PARAM_DOUBLE: {
        double v;
        rc = units_parse_double(text, &v);
        if (rc == 0) {
            if (check_range(b, p, v, text, dpath, m) != 0)
                return -1;
            *(double *)field = v;
        }
        break;
    }
    case PARAM_ENUM:
        for (int i = 0; p->choices[i]; i++)
            if (strcmp(p->choices[i], text) == 0) {
                *(int *)field = i;
                return 0;
            }
        {
            char list[256] = "";
            size_t at = 0;
            for (int i = 0; p->choices[i] && at < sizeof(list); i++)
                at += (size_t)snprintf(list + at, sizeof(list) - at, "%s%s", i ? ", " : "",
                                       p->choices[i]);
            diag_error(b->d, m, "%s: '%s' is not one of: %s", dpath, text, list);
        }
        return -1;
    case PARAM_STRING:
        if (null) {
            *(const char **)field = NULL;
        } else {
            const char *s = (!n && strcmp(text, "\"\"") == 0) ? "" : text;
            *(const char **)field = arena_strdup(b->arena, s);
            if (!*(const char **)field)
                return -1;
        }
        if (p->check && *(const char **)field) {
            char err[200];
            if (p->check(field, err, sizeof(err)) != 0) {
                diag_error(b->d, m, "%s: %s", dpath, err);
                return -1;
            }
        }
        return 0;
    case PARAM_STRLIST:
        break;
    }
    if (rc != 0) {
        diag_error(b->d, m, "%s: expected %s, got '%s'", dpath, type_word(p->type), text);
        return -1;
    }
    return 0;
}

static struct override *find_override(struct bind *b, const char *path)
{
    for (size_t i = b->novr; i-- > 0;)
        if (strcmp(b->ovr[i]->path, path) == 0)
            return b->ovr[i];
    return NULL;
}

static void join(char *buf, size_t len, const char *a, const char *b)
{
    snprintf(buf, len, "%s%s%s", a, *a ? "." : "", b);
}

static void bind_section(struct bind *b, const struct section *sec, char *base, const char *path,
                         const struct ynode *map, const struct ynode *preset);

/* Bind one param at path from the layers. */
static void bind_param(struct bind *b, const struct param *p, char *base, const char *path,
                       const struct ynode *map, const struct ynode *preset)
{
    char full[256], dpath[256];
    join(full, sizeof(full), path, p->key);
    display_path(full, dpath, sizeof(dpath));
    void *field = base + p->offset;
    struct override *o = find_override(b, full);
    const struct ynode *n = NULL;
    if (o) {
        o->used = true;
        n = o->value;
    } else if ((n = ynode_get(map, p->key)) == NULL) {
        n = ynode_get(preset, p->key);
    }
    if (n) {
        parse_into(b, p, field, n, n->kind == Y_SCALAR ? n->str : "", dpath, &n->mark);
        return;
    }
    if (!p->def) {
        char where[256];
        display_path(path, where, sizeof(where));
        diag_error(b->d, map ? &map->mark : &b->study_mark, "%s: missing required key '%s'",
                   *where ? where : "the study", p->key);
        return;
    }
    struct ymark dm = {"(default)", 0, 0};
    parse_into(b, p, field, NULL, p->def, dpath, &dm);
}

static void bind_list(struct bind *b, const struct section *sub, char *base, const char *path,
                      const struct ynode *node)
{
    char full[256];
    join(full, sizeof(full), path, sub->key);
    unsigned *count = (unsigned *)(base + sub->count_offset);
    *count = 0;
    if (!node || ynode_is_null(node))
        return;
    if (node->kind != Y_SEQ) {
        diag_error(b->d, &node->mark, "%s: expected a list of mappings", full);
        return;
    }
    if (node->n > sub->max_elems) {
        diag_error(b->d, &node->mark, "%s: at most %zu elements, got %zu", full, sub->max_elems,
                   node->n);
        return;
    }
    for (size_t i = 0; i < node->n; i++) {
        char ep[256];
        snprintf(ep, sizeof(ep), "%s.%zu", full, i);
        const struct ynode *el = node->items[i];
        if (el->kind != Y_MAP) {
            char dp[256];
            display_path(ep, dp, sizeof(dp));
            diag_error(b->d, &el->mark, "%s: expected a mapping", dp);
            continue;
        }
        bind_section(b, sub, base + sub->offset + i * sub->elem_size, ep, el, NULL);
    }
    *count = (unsigned)node->n;
}

static void bind_section(struct bind *b, const struct section *sec, char *base, const char *path,
                         const struct ynode *map, const struct ynode *preset)
{
    bool root = sec == &schema_root;
    if (map && map->kind != Y_MAP) {
        char dp[256];
        display_path(path, dp, sizeof(dp));
        diag_error(b->d, &map->mark, "%s: expected a mapping", *dp ? dp : "the study");
        map = NULL;
    }
    /* Unknown keys first, in file order: the study's, then the preset's. */
    for (int layer = 0; layer < 2; layer++) {
        const struct ynode *m = layer ? (root ? NULL : preset) : map;
        for (size_t i = 0; m && m->kind == Y_MAP && i < m->n; i++) {
            const char *k = m->keys[i]->str;
            bool known = root && (strcmp(k, "sweep") == 0 || strcmp(k, "sweep_zip") == 0);
            for (size_t j = 0; !known && j < sec->nparams; j++)
                known = strcmp(sec->params[j].key, k) == 0;
            for (size_t j = 0; !known && j < sec->nsubs; j++)
                known = strcmp(sec->subs[j]->key, k) == 0;
            if (!known) {
                char dp[256], where[280];
                display_path(path, dp, sizeof(dp));
                snprintf(where, sizeof(where), "%s%s", *dp ? dp : "the study",
                         layer ? " preset" : "");
                unknown_key(b->d, &m->keys[i]->mark, k, sec, where, root);
            }
        }
    }
    for (size_t i = 0; i < sec->nparams; i++)
        bind_param(b, &sec->params[i], base, path, map, preset);
    for (size_t i = 0; i < sec->nsubs; i++) {
        const struct section *sub = sec->subs[i];
        const struct ynode *sn = ynode_get(map, sub->key);
        if (sub->is_list) {
            bind_list(b, sub, base, path, sn);
        } else {
            char sp[256];
            join(sp, sizeof(sp), path, sub->key);
            /* The preset is the machine section's own layer: the root
             * hands it to `machine`, and each section below takes the
             * preset's node of the same name. */
            const struct ynode *sp_preset = root
                                                ? (strcmp(sub->key, "machine") == 0 ? preset : NULL)
                                                : ynode_get(preset, sub->key);
            if (sn && ynode_is_null(sn))
                sn = NULL;
            bind_section(b, sub, base + sub->offset, sp, sn, sp_preset);
        }
    }
}

/* ---- presets ---- */

static const char *preset_source_dir(void)
{
    return VTSIM_SOURCE_DIR "/configs/machines";
}

static struct ytree *load_preset(const char *name, const struct ymark *m, struct diag *d)
{
    bool ok = *name && strlen(name) <= 64;
    for (const char *c = name; ok && *c; c++)
        ok = islower((unsigned char)*c) || isdigit((unsigned char)*c) || *c == '_' || *c == '-';
    if (!ok) {
        diag_error(d, m, "machine.preset: '%s' is not a preset name ([a-z0-9_-]+)", name);
        return NULL;
    }
    char dirs[4096] = "";
    const char *env = getenv("VTSIM_PRESET_PATH");
    snprintf(dirs, sizeof(dirs), "%s%s%s", env ? env : "", env && *env ? ":" : "",
             preset_source_dir());
    char *save = NULL;
    for (char *dir = strtok_r(dirs, ":", &save); dir; dir = strtok_r(NULL, ":", &save)) {
        char path[PATH_MAX];
        snprintf(path, sizeof(path), "%s/%s.yaml", dir, name);
        FILE *f = fopen(path, "r");
        if (!f)
            continue;
        fclose(f);
        struct ytree *t = ytree_load_file(path, d);
        if (t && (!t->root || t->root->kind != Y_MAP)) {
            diag_error(d, &(struct ymark){t->file, 1, 1},
                       "a machine preset must be a mapping of machine keys");
            ytree_free(t);
            return NULL;
        }
        return t;
    }
    diag_error(d, m, "machine.preset: no preset '%s' (looked in %s%s%s)", name,
               env && *env ? env : "", env && *env ? ":" : "", preset_source_dir());
    return NULL;
}

/* ---- sweep ---- */

/*
 * sweep: axes crossed with each other.  sweep_zip: lists of equal length
 * that move together, acting as one more axis (the fastest).
 */
static void parse_sweep(struct bind *b, struct study_config *c, const struct ynode *sw, bool zip)
{
    const char *what = zip ? "sweep_zip" : "sweep";
    if (!sw || ynode_is_null(sw))
        return;
    if (sw->kind != Y_MAP) {
        diag_error(b->d, &sw->mark, "%s: expected a mapping of key path -> list of values", what);
        return;
    }
    if (c->nsweep + sw->n > SCHEMA_MAX_AXES) {
        diag_error(b->d, &sw->mark, "%s: at most %d swept keys in all", what, SCHEMA_MAX_AXES);
        return;
    }
    size_t points = config_npoints(c), zip_len = 0;
    for (size_t i = 0; i < sw->n; i++) {
        const struct ynode *k = sw->keys[i], *v = sw->items[i];
        char err[256];
        const struct section *sec;
        const struct param *p = config_find_param(k->str, &sec, err, sizeof(err));
        if (!p) {
            diag_error(b->d, &k->mark, "%s: %s", what, err);
            continue;
        }
        if (p->type == PARAM_STRLIST || strcmp(k->str, "study") == 0) {
            diag_error(b->d, &k->mark, "%s: '%s' cannot be swept", what, k->str);
            continue;
        }
        if (v->kind != Y_SEQ || v->n == 0) {
            diag_error(b->d, &v->mark, "%s: %s: expected a non-empty list of values", what, k->str);
            continue;
        }
        bool dup = false;
        for (unsigned a = 0; a < c->nsweep; a++)
            dup |= strcmp(c->sweep[a].key, k->str) == 0;
        if (dup) {
            diag_error(b->d, &k->mark, "%s: '%s' is already swept", what, k->str);
            continue;
        }
        if (zip && zip_len && v->n != zip_len) {
            diag_error(b->d, &v->mark,
                       "sweep_zip: %s has %zu values but the lists before it have %zu; lists "
                       "that move together must have the same length",
                       k->str, v->n, zip_len);
            continue;
        }
        struct sweep_axis *ax = &c->sweep[c->nsweep];
        ax->key = arena_strdup(b->arena, k->str);
        ax->values = arena_keep(b->arena, calloc(v->n, sizeof(*ax->values)));
        if (!ax->key || !ax->values)
            return;
        bool bad = false;
        for (size_t j = 0; j < v->n; j++) {
            union {
                uint64_t u;
                int64_t i;
                double d;
                bool b;
                int e;
                const char *s;
            } tmp;
            const struct ynode *it = v->items[j];
            char dp[256];
            display_path(k->str, dp, sizeof(dp));
            if (parse_into(b, p, &tmp, it, it->kind == Y_SCALAR ? it->str : "", dp, &it->mark)) {
                bad = true;
                continue;
            }
            ax->values[j] = arena_strdup(b->arena, it->str);
        }
        if (bad)
            continue;
        ax->nvalues = (unsigned)v->n;
        ax->zip = zip;
        c->nsweep++;
        if (zip && zip_len)
            continue; /* the zip group multiplies the points once */
        zip_len = v->n;
        if (points > SCHEMA_MAX_POINTS / v->n + 1 || (points *= v->n) > SCHEMA_MAX_POINTS) {
            diag_error(b->d, &sw->mark, "%s: more than %d points", what, SCHEMA_MAX_POINTS);
            return;
        }
    }
}

/* ---- resolve ---- */

static int resolve(struct config_src *src, struct override **extra, size_t nextra,
                   struct study_config **out, struct diag *d)
{
    unsigned errors_before = d->errors;
    struct ytree *preset = NULL;
    struct study_config *c = calloc(1, sizeof(*c));
    *out = NULL;
    if (!c)
        return -1;
    c->arena = calloc(1, sizeof(*c->arena));
    if (!c->arena) {
        free(c);
        return -1;
    }
    struct bind b = {.d = d, .arena = c->arena};
    b.study_mark = (struct ymark){src->study->file, 1, 1};
    for (size_t i = 0; i < src->novr; i++) {
        src->ovr[i].used = false;
        b.ovr[b.novr++] = &src->ovr[i];
    }
    for (size_t i = 0; i < nextra; i++) {
        extra[i]->used = false;
        b.ovr[b.novr++] = extra[i];
    }

    const struct ynode *root = src->study->root;
    if (!root || ynode_is_null(root)) {
        diag_error(d, &b.study_mark, "the study is empty");
        goto out;
    }
    if (root->kind != Y_MAP) {
        diag_error(d, &root->mark, "a study must be a mapping of keys");
        goto out;
    }

    /* The preset named by the highest layer that names one. */
    const struct ynode *pn = NULL;
    struct override *po = find_override(&b, "machine.preset");
    pn = po ? po->value : ynode_get(ynode_get(root, "machine"), "preset");
    if (pn && pn->kind == Y_SCALAR && !ynode_is_null(pn)) {
        preset = load_preset(pn->str, &pn->mark, d);
        if (preset && ynode_get(preset->root, "preset")) {
            diag_error(d, &ynode_get(preset->root, "preset")->mark,
                       "a preset cannot name another preset");
        }
    }

    bind_section(&b, &schema_root, (char *)c, "", root, preset ? preset->root : NULL);
    parse_sweep(&b, c, ynode_get(root, "sweep"), false);
    parse_sweep(&b, c, ynode_get(root, "sweep_zip"), true);
    for (size_t i = 0; i < b.novr; i++)
        if (!b.ovr[i]->used) {
            char dp[256];
            display_path(b.ovr[i]->path, dp, sizeof(dp));
            /* A later layer (a sweep point) with the same path took its place. */
            if (find_override(&b, b.ovr[i]->path) != b.ovr[i])
                diag_error(d, &b.ovr[i]->value->mark,
                           "%s is swept in this study, so --set cannot fix it: narrow the sweep "
                           "instead",
                           dp);
            else
                diag_error(d, &b.ovr[i]->value->mark, "%s does not exist in this study", dp);
        }
out:
    ytree_free(preset);
    if (d->errors != errors_before) {
        config_free(c);
        return -1;
    }
    *out = c;
    return 0;
}

int config_resolve(struct config_src *src, struct study_config **out, struct diag *d)
{
    if (!src || !out)
        return -1;
    return resolve(src, NULL, 0, out, d);
}

int config_set(struct config_src *src, const char *assignment, struct diag *d)
{
    char label[320];
    snprintf(label, sizeof(label), "--set %s", assignment);
    struct ymark m = {label, 0, 0};
    const char *eq = strchr(assignment, '=');
    if (!eq || eq == assignment) {
        diag_error(d, &m, "expected key.path=value");
        return -1;
    }
    if (src->novr >= MAX_OVERRIDES) {
        diag_error(d, &m, "too many --set overrides");
        return -1;
    }
    char *path = strndup(assignment, (size_t)(eq - assignment));
    if (!path)
        return -1;
    char err[256];
    if (!config_find_param(path, NULL, err, sizeof(err))) {
        diag_error(d, &m, "%s", err);
        free(path);
        return -1;
    }
    const char *val = eq + 1;
    struct diag quiet = {.out = NULL};
    struct ytree *t = ytree_load_buffer(label, val, strlen(val), &quiet);
    if (!t || !t->root || t->root->kind == Y_MAP) {
        /* Not YAML we accept: take the text as a plain scalar, e.g. a path. */
        ytree_free(t);
        t = NULL;
        char *q = malloc(strlen(val) + 3);
        if (q) {
            snprintf(q, strlen(val) + 3, "'%s'", val);
            if (!strchr(val, '\''))
                t = ytree_load_buffer(label, q, strlen(q), &quiet);
            free(q);
        }
        if (!t || !t->root) {
            ytree_free(t);
            diag_error(d, &m, "cannot read the value");
            free(path);
            return -1;
        }
    }
    /* Values from the command line have no line: errors name the --set. */
    t->root->mark = m;
    t->root->mark.file = t->file;
    for (size_t i = 0; i < t->root->n; i++)
        t->root->items[i]->mark = t->root->mark;
    src->ovr[src->novr++] = (struct override){.path = path, .tree = t, .value = t->root};
    return 0;
}

size_t config_npoints(const struct study_config *c)
{
    size_t n = 1;
    bool zip_counted = false;
    for (unsigned i = 0; i < c->nsweep; i++) {
        if (c->sweep[i].zip && zip_counted)
            continue;
        zip_counted |= c->sweep[i].zip;
        n *= c->sweep[i].nvalues;
    }
    return n;
}

unsigned config_sweep_naxes(const struct study_config *c)
{
    return c->nsweep;
}

const char *config_sweep_key(const struct study_config *c, unsigned i)
{
    return i < c->nsweep ? c->sweep[i].key : NULL;
}

/* Shortest suffix of axis a's key path that no other axis shares. */
static const char *short_key(const struct study_config *c, unsigned a)
{
    const char *k = c->sweep[a].key;
    const char *cand = k + strlen(k);
    for (;;) {
        while (cand > k && cand[-1] != '.')
            cand--;
        bool unique = true;
        for (unsigned o = 0; o < c->nsweep && unique; o++) {
            if (o == a)
                continue;
            const char *ok = c->sweep[o].key;
            size_t lo = strlen(ok), lc = strlen(cand);
            if (lo >= lc && strcmp(ok + lo - lc, cand) == 0 && (lo == lc || ok[lo - lc - 1] == '.'))
                unique = false;
        }
        if (unique || cand == k)
            return cand;
        cand--; /* include the dot and the previous segment */
    }
}

/* A value as part of a folder name: letters, digits, '.', '+', '-', the
 * rest '_'; a path's leading "./" and "../" are dropped and no ".." is
 * left, so a name never walks out of the results folder. */
static void append_safe(char *buf, size_t len, size_t *at, const char *s)
{
    if (!len) /* the caller wants no name */
        return;
    while (strncmp(s, "./", 2) == 0 || strncmp(s, "../", 3) == 0)
        s += s[1] == '/' ? 2 : 3;
    for (; *s && *at + 1 < len; s++) {
        char ch = *s;
        if (!isalnum((unsigned char)ch) && ch != '.' && ch != '+' && ch != '-')
            ch = '_';
        if (ch == '.' && *at > 0 && buf[*at - 1] == '.')
            ch = '_';
        buf[(*at)++] = ch;
    }
    buf[*at] = '\0';
}

int config_resolve_point(struct config_src *src, size_t idx, struct study_config **out, char *name,
                         size_t namelen, struct diag *d)
{
    struct study_config *base = NULL;
    *out = NULL;
    if (namelen)
        name[0] = '\0';
    if (resolve(src, NULL, 0, &base, d) != 0)
        return -1;
    size_t np = config_npoints(base);
    if (idx >= np) {
        config_free(base);
        return -1;
    }
    if (base->nsweep == 0) {
        *out = base;
        return 0;
    }
    /* Per-axis value index, last axis fastest. */
    struct override ov[SCHEMA_MAX_AXES];
    struct override *ovp[SCHEMA_MAX_AXES];
    const struct ynode *sw = ynode_get(src->study->root, "sweep");
    const struct ynode *zw = ynode_get(src->study->root, "sweep_zip");
    size_t rem = idx, at = 0;
    unsigned vi[SCHEMA_MAX_AXES];
    /* Zip axes come last in base->sweep and move together, fastest. */
    unsigned nzip = 0;
    for (unsigned a = 0; a < base->nsweep; a++)
        nzip += base->sweep[a].zip;
    if (nzip) {
        unsigned len = base->sweep[base->nsweep - 1].nvalues;
        for (unsigned a = base->nsweep - nzip; a < base->nsweep; a++)
            vi[a] = (unsigned)(rem % len);
        rem /= len;
    }
    for (unsigned a = base->nsweep - nzip; a-- > 0;) {
        vi[a] = (unsigned)(rem % base->sweep[a].nvalues);
        rem /= base->sweep[a].nvalues;
    }
    for (unsigned a = 0; a < base->nsweep; a++) {
        const struct ynode *list = ynode_get(base->sweep[a].zip ? zw : sw, base->sweep[a].key);
        ov[a] = (struct override){.path = (char *)base->sweep[a].key, .value = list->items[vi[a]]};
        ovp[a] = &ov[a];
        if (at)
            append_safe(name, namelen, &at, "_");
        append_safe(name, namelen, &at, short_key(base, a));
        append_safe(name, namelen, &at, "-");
        /* A path names the point by its file name. */
        const char *v = base->sweep[a].values[vi[a]], *slash = strrchr(v, '/');
        append_safe(name, namelen, &at, slash && slash[1] ? slash + 1 : v);
    }
    int rc = resolve(src, ovp, base->nsweep, out, d);
    config_free(base);
    return rc;
}

/* Make a relative image path absolute when it names a file under dir. */
static void absolutize(struct config_arena *a, const char **path, const char *dir)
{
    char buf[PATH_MAX], real[PATH_MAX];
    if (!*path || (*path)[0] == '/')
        return;
    snprintf(buf, sizeof(buf), "%s/%s", dir, *path);
    if (!realpath(buf, real))
        return;
    const char *s = arena_strdup(a, real);
    if (s)
        *path = s;
}

void config_absolutize_images(struct study_config *c, const char *dir)
{
    absolutize(c->arena, &c->hypervisor.image, dir);
    for (unsigned i = 0; i < c->nvms; i++)
        absolutize(c->arena, &c->vms[i].image, dir);
}
