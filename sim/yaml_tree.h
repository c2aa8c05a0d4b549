/*
 * yaml_tree.h - a YAML document loaded (with libyaml) into a small tree of
 * maps, sequences and scalars, each node remembering where it started.
 *
 * Only what studies need is accepted: one document of maps, sequences and
 * scalars.  Anchors, aliases, tags and multiple documents are rejected, as
 * are duplicate keys, non-scalar keys, nesting deeper than YTREE_MAX_DEPTH
 * and more than YTREE_MAX_NODES nodes, so hostile input cannot exhaust the
 * stack or memory.  Errors go to the diag sink as FILE:LINE:COLUMN: error: ...
 */
#ifndef VTSIM_SIM_YAML_TREE_H
#define VTSIM_SIM_YAML_TREE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define YTREE_MAX_DEPTH  64
#define YTREE_MAX_NODES  100000
#define YTREE_MAX_SCALAR 65536

/* Where diagnostics go: out may be NULL to only count them. */
struct diag {
    FILE *out;
    unsigned errors;
};

/* A position; line 0 means "no position" (e.g. a --set argument). */
struct ymark {
    const char *file;
    unsigned line, col;
};

/* Print "FILE:LINE:COL: error: <fmt>" (or "FILE: error: ..." without a line). */
void diag_error(struct diag *d, const struct ymark *m, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

enum ynode_kind { Y_SCALAR, Y_MAP, Y_SEQ };

struct ynode {
    enum ynode_kind kind;
    struct ymark mark;
    char *str;            /* Y_SCALAR: the text */
    bool plain;           /* Y_SCALAR: written without quotes (so `null` means null) */
    struct ynode **keys;  /* Y_MAP: key scalars */
    struct ynode **items; /* Y_MAP: values; Y_SEQ: elements */
    size_t n;
};

struct ytree {
    struct ynode *root; /* NULL for an empty document */
    char *file;         /* owned copy of the name used in marks */
};

/* Load a file / a buffer.  NULL after reporting errors to d. */
struct ytree *ytree_load_file(const char *path, struct diag *d);
struct ytree *ytree_load_buffer(const char *name, const char *buf, size_t len, struct diag *d);
void ytree_free(struct ytree *t);

/* The value of key in a map node, or NULL. */
struct ynode *ynode_get(const struct ynode *map, const char *key);

/* A scalar that means "no value": plain null, ~ or empty. */
bool ynode_is_null(const struct ynode *n);

#endif
