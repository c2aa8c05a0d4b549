/*
 * yaml_tree.c - libyaml events to a tree (see yaml_tree.h).  Cold code, but
 * it parses untrusted input: every limit is checked, every error path frees
 * what was built, and the parser never recurses deeper than the document's
 * own (bounded) nesting.
 */
#include "sim/yaml_tree.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "model/base/file.h"

void diag_error(struct diag *d, const struct ymark *m, const char *fmt, ...)
{
    d->errors++;
    if (!d->out)
        return;
    if (m && m->line)
        fprintf(d->out, "%s:%u:%u: error: ", m->file, m->line, m->col);
    else
        fprintf(d->out, "%s: error: ", m && m->file ? m->file : "vtsim");
    va_list ap;
    va_start(ap, fmt);
    vfprintf(d->out, fmt, ap);
    va_end(ap);
    fputc('\n', d->out);
}

static void node_free(struct ynode *n)
{
    if (!n)
        return;
    for (size_t i = 0; i < n->n; i++) {
        if (n->keys)
            node_free(n->keys[i]);
        node_free(n->items[i]);
    }
    free(n->keys);
    free(n->items);
    free(n->str);
    free(n);
}

void ytree_free(struct ytree *t)
{
    if (!t)
        return;
    node_free(t->root);
    free(t->file);
    free(t);
}

struct ynode *ynode_get(const struct ynode *map, const char *key)
{
    if (!map || map->kind != Y_MAP)
        return NULL;
    for (size_t i = 0; i < map->n; i++)
        if (strcmp(map->keys[i]->str, key) == 0)
            return map->items[i];
    return NULL;
}

bool ynode_is_null(const struct ynode *n)
{
    return n && n->kind == Y_SCALAR && n->plain &&
           (!*n->str || strcmp(n->str, "null") == 0 || strcmp(n->str, "~") == 0 ||
            strcmp(n->str, "Null") == 0 || strcmp(n->str, "NULL") == 0);
}

struct loader {
    yaml_parser_t p;
    struct diag *d;
    const char *file;
    size_t nodes;
    bool failed;
};

static void mark_of(struct loader *L, const yaml_mark_t *ym, struct ymark *m)
{
    m->file = L->file;
    m->line = (unsigned)ym->line + 1;
    m->col = (unsigned)ym->column + 1;
}

static void fail_at(struct loader *L, const yaml_mark_t *ym, const char *msg)
{
    struct ymark m;
    mark_of(L, ym, &m);
    if (!L->failed)
        diag_error(L->d, &m, "%s", msg);
    L->failed = true;
}

static bool next_event(struct loader *L, yaml_event_t *ev)
{
    if (!yaml_parser_parse(&L->p, ev)) {
        struct ymark m = {L->file, (unsigned)L->p.problem_mark.line + 1,
                          (unsigned)L->p.problem_mark.column + 1};
        if (!L->failed)
            diag_error(L->d, &m, "YAML syntax: %s%s%s",
                       L->p.problem ? L->p.problem : "malformed input", L->p.context ? " " : "",
                       L->p.context ? L->p.context : "");
        L->failed = true;
        return false;
    }
    return true;
}

static struct ynode *new_node(struct loader *L, enum ynode_kind k, const yaml_mark_t *ym)
{
    if (++L->nodes > YTREE_MAX_NODES) {
        fail_at(L, ym, "document too large");
        return NULL;
    }
    struct ynode *n = calloc(1, sizeof(*n));
    if (!n) {
        fail_at(L, ym, "out of memory");
        return NULL;
    }
    n->kind = k;
    mark_of(L, ym, &n->mark);
    return n;
}

static int append(struct ynode *n, struct ynode *key, struct ynode *item, size_t *cap)
{
    if (n->n == *cap) {
        size_t nc = *cap ? *cap * 2 : 4;
        struct ynode **ni = realloc(n->items, nc * sizeof(*ni));
        if (!ni)
            return -1;
        n->items = ni;
        if (n->kind == Y_MAP) {
            struct ynode **nk = realloc(n->keys, nc * sizeof(*nk));
            if (!nk)
                return -1;
            n->keys = nk;
        }
        *cap = nc;
    }
    if (n->kind == Y_MAP)
        n->keys[n->n] = key;
    n->items[n->n++] = item;
    return 0;
}

/* Build the node whose start event is ev (consumed by the caller's free). */
static struct ynode *build(struct loader *L, yaml_event_t *ev, int depth)
{
    if (depth > YTREE_MAX_DEPTH) {
        fail_at(L, &ev->start_mark, "nesting too deep");
        return NULL;
    }
    switch (ev->type) {
    case YAML_ALIAS_EVENT:
        fail_at(L, &ev->start_mark, "anchors and aliases are not supported in studies");
        return NULL;
    case YAML_SCALAR_EVENT: {
        if (ev->data.scalar.anchor || (ev->data.scalar.tag && !ev->data.scalar.plain_implicit &&
                                       !ev->data.scalar.quoted_implicit)) {
            fail_at(L, &ev->start_mark, "anchors and tags are not supported in studies");
            return NULL;
        }
        if (ev->data.scalar.length > YTREE_MAX_SCALAR) {
            fail_at(L, &ev->start_mark, "scalar too long");
            return NULL;
        }
        if (memchr(ev->data.scalar.value, '\0', ev->data.scalar.length)) {
            fail_at(L, &ev->start_mark, "NUL character in a scalar");
            return NULL;
        }
        struct ynode *n = new_node(L, Y_SCALAR, &ev->start_mark);
        if (!n)
            return NULL;
        n->str = strndup((const char *)ev->data.scalar.value, ev->data.scalar.length);
        n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
        if (!n->str) {
            free(n);
            fail_at(L, &ev->start_mark, "out of memory");
            return NULL;
        }
        return n;
    }
    case YAML_SEQUENCE_START_EVENT:
    case YAML_MAPPING_START_EVENT: {
        bool is_map = ev->type == YAML_MAPPING_START_EVENT;
        const yaml_char_t *anchor =
            is_map ? ev->data.mapping_start.anchor : ev->data.sequence_start.anchor;
        const yaml_char_t *tag = is_map ? ev->data.mapping_start.tag : ev->data.sequence_start.tag;
        if (anchor || tag) {
            fail_at(L, &ev->start_mark, "anchors and tags are not supported in studies");
            return NULL;
        }
        struct ynode *n = new_node(L, is_map ? Y_MAP : Y_SEQ, &ev->start_mark);
        size_t cap = 0;
        if (!n)
            return NULL;
        for (;;) {
            yaml_event_t e;
            if (!next_event(L, &e))
                goto fail;
            if (e.type == YAML_MAPPING_END_EVENT || e.type == YAML_SEQUENCE_END_EVENT) {
                yaml_event_delete(&e);
                return n;
            }
            struct ynode *key = NULL;
            if (is_map) {
                if (e.type != YAML_SCALAR_EVENT) {
                    fail_at(L, &e.start_mark, "a mapping key must be a plain word");
                    yaml_event_delete(&e);
                    goto fail;
                }
                key = build(L, &e, depth + 1);
                yaml_event_delete(&e);
                if (!key)
                    goto fail;
                struct ynode *prev = NULL;
                for (size_t i = 0; i < n->n; i++)
                    if (strcmp(n->keys[i]->str, key->str) == 0)
                        prev = n->keys[i];
                if (prev) {
                    char msg[160];
                    snprintf(msg, sizeof(msg), "duplicate key '%.64s' (first at line %u:%u)",
                             key->str, prev->mark.line, prev->mark.col);
                    struct ymark m = key->mark;
                    if (!L->failed)
                        diag_error(L->d, &m, "%s", msg);
                    L->failed = true;
                    node_free(key);
                    goto fail;
                }
                if (!next_event(L, &e)) {
                    node_free(key);
                    goto fail;
                }
            }
            struct ynode *item = build(L, &e, depth + 1);
            yaml_event_delete(&e);
            if (!item || append(n, key, item, &cap) != 0) {
                node_free(key);
                node_free(item);
                if (!L->failed)
                    fail_at(L, &ev->start_mark, "out of memory");
                goto fail;
            }
        }
    fail:
        node_free(n);
        return NULL;
    }
    default:
        fail_at(L, &ev->start_mark, "unexpected YAML event");
        return NULL;
    }
}

static struct ytree *load(struct loader *L)
{
    struct ytree *t = calloc(1, sizeof(*t));
    yaml_event_t ev;
    bool in_doc = false;
    if (!t)
        return NULL;
    t->file = strdup(L->file);
    if (!t->file)
        goto fail;
    L->file = t->file;
    for (;;) {
        if (!next_event(L, &ev))
            goto fail;
        yaml_event_type_t type = ev.type;
        if (type == YAML_STREAM_END_EVENT) {
            yaml_event_delete(&ev);
            break;
        }
        if (type == YAML_DOCUMENT_START_EVENT) {
            if (in_doc || t->root) {
                fail_at(L, &ev.start_mark, "only one YAML document is allowed");
                yaml_event_delete(&ev);
                goto fail;
            }
            in_doc = true;
        } else if (type == YAML_SCALAR_EVENT || type == YAML_SEQUENCE_START_EVENT ||
                   type == YAML_MAPPING_START_EVENT || type == YAML_ALIAS_EVENT) {
            t->root = build(L, &ev, 0);
            if (!t->root) {
                yaml_event_delete(&ev);
                goto fail;
            }
        } else if (type == YAML_DOCUMENT_END_EVENT) {
            in_doc = false;
        }
        yaml_event_delete(&ev);
    }
    if (L->failed)
        goto fail;
    return t;
fail:
    ytree_free(t);
    return NULL;
}

struct ytree *ytree_load_buffer(const char *name, const char *buf, size_t len, struct diag *d)
{
    struct loader L = {.d = d, .file = name};
    if (!yaml_parser_initialize(&L.p)) {
        diag_error(d, &(struct ymark){name, 0, 0}, "out of memory");
        return NULL;
    }
    yaml_parser_set_input_string(&L.p, (const unsigned char *)buf, len);
    yaml_parser_set_encoding(&L.p, YAML_UTF8_ENCODING);
    struct ytree *t = load(&L);
    yaml_parser_delete(&L.p);
    return t;
}

struct ytree *ytree_load_file(const char *path, struct diag *d)
{
    char *buf;
    size_t n;
    int rc = file_read_all(path, 64u << 20, &buf, &n);
    if (rc) {
        diag_error(d, &(struct ymark){path, 0, 0}, "cannot read: %s",
                   rc == EFBIG ? "file too large" : strerror(rc));
        return NULL;
    }
    struct ytree *t = ytree_load_buffer(path, buf, n, d);
    free(buf);
    return t;
}
