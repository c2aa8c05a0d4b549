/*
 * expr.c - recursive-descent parser and tree evaluator for expr.h.
 * Expressions are parsed once (at registration) and evaluated when stats
 * are written, so neither side is hot.
 */
#include "model/base/expr.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum node_kind { N_NUM, N_NAME, N_NEG, N_ADD, N_SUB, N_MUL, N_DIV };

struct node {
    enum node_kind kind;
    double num;
    size_t name; /* index into expr->names */
    struct node *a, *b;
};

struct expr {
    struct node *root;
    char **names;
    size_t nnames;
};

struct parser {
    const char *s, *p;
    struct expr *e;
    char *err;
    size_t errlen;
    int depth;
    bool failed;
};

static void fail(struct parser *ps, const char *msg)
{
    if (!ps->failed)
        snprintf(ps->err, ps->errlen, "column %d: %s", (int)(ps->p - ps->s) + 1, msg);
    ps->failed = true;
}

static void skip_ws(struct parser *ps)
{
    while (*ps->p == ' ' || *ps->p == '\t')
        ps->p++;
}

static struct node *mk(struct parser *ps, enum node_kind k, struct node *a, struct node *b)
{
    struct node *n = calloc(1, sizeof(*n));
    if (!n) {
        fail(ps, "out of memory");
        return NULL;
    }
    n->kind = k;
    n->a = a;
    n->b = b;
    return n;
}

static void free_node(struct node *n)
{
    if (!n)
        return;
    free_node(n->a);
    free_node(n->b);
    free(n);
}

static long intern(struct parser *ps, const char *name, size_t len)
{
    struct expr *e = ps->e;
    for (size_t i = 0; i < e->nnames; i++)
        if (strlen(e->names[i]) == len && memcmp(e->names[i], name, len) == 0)
            return (long)i;
    char **nv = realloc(e->names, (e->nnames + 1) * sizeof(*nv));
    if (!nv)
        return -1;
    e->names = nv;
    e->names[e->nnames] = strndup(name, len);
    if (!e->names[e->nnames])
        return -1;
    return (long)e->nnames++;
}

static struct node *parse_expr(struct parser *ps);

static struct node *parse_primary(struct parser *ps)
{
    skip_ws(ps);
    const char *start = ps->p;
    if (*ps->p == '(') {
        ps->p++;
        struct node *n = parse_expr(ps);
        skip_ws(ps);
        if (!ps->failed && *ps->p != ')') {
            fail(ps, "expected ')'");
        } else if (!ps->failed) {
            ps->p++;
        }
        return n;
    }
    if (isdigit((unsigned char)*ps->p) || (*ps->p == '.' && isdigit((unsigned char)ps->p[1]))) {
        char *end;
        double v = strtod(ps->p, &end);
        /* strtod accepts hex and inf/nan: only plain decimals are numbers here. */
        for (const char *q = ps->p; q < end; q++)
            if (!isdigit((unsigned char)*q) && *q != '.' && *q != 'e' && *q != 'E' && *q != '+' &&
                *q != '-') {
                fail(ps, "malformed number");
                return NULL;
            }
        ps->p = end;
        struct node *n = mk(ps, N_NUM, NULL, NULL);
        if (n)
            n->num = v;
        return n;
    }
    if (islower((unsigned char)*ps->p) || *ps->p == '_') {
        while (islower((unsigned char)*ps->p) || isdigit((unsigned char)*ps->p) || *ps->p == '_' ||
               *ps->p == '.')
            ps->p++;
        long idx = intern(ps, start, (size_t)(ps->p - start));
        if (idx < 0) {
            fail(ps, "out of memory");
            return NULL;
        }
        struct node *n = mk(ps, N_NAME, NULL, NULL);
        if (n)
            n->name = (size_t)idx;
        return n;
    }
    fail(ps, *ps->p ? "expected a number, a name or '('" : "unexpected end of expression");
    return NULL;
}

static struct node *parse_unary(struct parser *ps)
{
    skip_ws(ps);
    if (++ps->depth > EXPR_MAX_DEPTH) {
        fail(ps, "expression nested too deeply");
        return NULL;
    }
    struct node *n;
    if (*ps->p == '-') {
        ps->p++;
        struct node *a = parse_unary(ps);
        n = ps->failed ? a : mk(ps, N_NEG, a, NULL);
        if (ps->failed && n != a)
            free_node(a);
    } else {
        n = parse_primary(ps);
    }
    ps->depth--;
    return n;
}

static struct node *parse_binary(struct parser *ps, bool additive)
{
    struct node *l = additive ? parse_binary(ps, false) : parse_unary(ps);
    for (;;) {
        if (ps->failed)
            return l;
        skip_ws(ps);
        char c = *ps->p;
        enum node_kind k;
        if (additive && (c == '+' || c == '-'))
            k = c == '+' ? N_ADD : N_SUB;
        else if (!additive && (c == '*' || c == '/'))
            k = c == '*' ? N_MUL : N_DIV;
        else
            return l;
        ps->p++;
        struct node *r = additive ? parse_binary(ps, false) : parse_unary(ps);
        struct node *n = ps->failed ? NULL : mk(ps, k, l, r);
        if (!n) {
            free_node(l);
            free_node(r);
            return NULL;
        }
        l = n;
    }
}

static struct node *parse_expr(struct parser *ps)
{
    if (++ps->depth > EXPR_MAX_DEPTH) {
        fail(ps, "expression nested too deeply");
        return NULL;
    }
    struct node *n = parse_binary(ps, true);
    ps->depth--;
    return n;
}

struct expr *expr_parse(const char *text, char *err, size_t errlen)
{
    if (errlen)
        err[0] = '\0';
    if (!text || strlen(text) > EXPR_MAX_LEN) {
        snprintf(err, errlen, "expression missing or longer than %d characters", EXPR_MAX_LEN);
        return NULL;
    }
    struct expr *e = calloc(1, sizeof(*e));
    if (!e) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    struct parser ps = {.s = text, .p = text, .e = e, .err = err, .errlen = errlen};
    e->root = parse_expr(&ps);
    skip_ws(&ps);
    if (!ps.failed && *ps.p)
        fail(&ps, "unexpected character");
    if (ps.failed) {
        expr_free(e);
        return NULL;
    }
    return e;
}

static double eval(const struct expr *e, const struct node *n, expr_lookup_fn lookup, void *ctx,
                   char *err, size_t errlen)
{
    double a, b, v;
    switch (n->kind) {
    case N_NUM:
        return n->num;
    case N_NAME:
        if (!lookup || !lookup(ctx, e->names[n->name], &v)) {
            if (errlen && !err[0])
                snprintf(err, errlen, "unknown name '%s'", e->names[n->name]);
            return NAN;
        }
        return v;
    case N_NEG:
        return -eval(e, n->a, lookup, ctx, err, errlen);
    default:
        break;
    }
    a = eval(e, n->a, lookup, ctx, err, errlen);
    b = eval(e, n->b, lookup, ctx, err, errlen);
    switch (n->kind) {
    case N_ADD:
        return a + b;
    case N_SUB:
        return a - b;
    case N_MUL:
        return a * b;
    case N_DIV:
        return b == 0 ? NAN : a / b;
    default:
        return NAN;
    }
}

double expr_eval(const struct expr *e, expr_lookup_fn lookup, void *ctx, char *err, size_t errlen)
{
    if (errlen)
        err[0] = '\0';
    if (!e || !e->root)
        return NAN;
    return eval(e, e->root, lookup, ctx, err, errlen);
}

size_t expr_nnames(const struct expr *e)
{
    return e ? e->nnames : 0;
}

const char *expr_name(const struct expr *e, size_t i)
{
    return (e && i < e->nnames) ? e->names[i] : NULL;
}

void expr_free(struct expr *e)
{
    if (!e)
        return;
    free_node(e->root);
    for (size_t i = 0; i < e->nnames; i++)
        free(e->names[i]);
    free(e->names);
    free(e);
}
