/*
 * claims.c - parse and evaluate claims (see claims.h).  A claim is parsed
 * into a small tree each time it is evaluated; claims are few and cold.
 */
#include "sim/claims.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ARGS  4
#define MAX_SEL   8
#define MAX_DEPTH 64

enum cnode_kind { C_NUM, C_STAT, C_FUNC, C_SEL, C_NEG, C_BIN, C_CMP };

struct cnode {
    enum cnode_kind kind;
    double num;
    char name[128]; /* C_STAT, C_FUNC */
    char op[3];     /* C_BIN, C_CMP */
    struct cnode *a[MAX_ARGS];
    unsigned nargs; /* C_FUNC: args in a[] */
    char key[MAX_SEL][128], val[MAX_SEL][128];
    unsigned nsel; /* C_SEL */
};

struct cparser {
    const char *s, *p;
    char *err;
    size_t errlen;
    bool failed;
    int depth;
};

static void cfail(struct cparser *ps, const char *msg)
{
    if (!ps->failed)
        snprintf(ps->err, ps->errlen, "column %d: %s", (int)(ps->p - ps->s) + 1, msg);
    ps->failed = true;
}

static void cws(struct cparser *ps)
{
    while (*ps->p == ' ' || *ps->p == '\t')
        ps->p++;
}

static void cfree(struct cnode *n)
{
    if (!n)
        return;
    for (unsigned i = 0; i < MAX_ARGS; i++)
        cfree(n->a[i]);
    free(n);
}

static struct cnode *cnew(struct cparser *ps, enum cnode_kind k)
{
    struct cnode *n = calloc(1, sizeof(*n));
    if (!n)
        cfail(ps, "out of memory");
    else
        n->kind = k;
    return n;
}

static bool name_char(char c)
{
    return isalnum((unsigned char)c) || c == '_' || c == '.';
}

/* A word: a name, or a selector value (names, numbers, sizes like 64MiB). */
static size_t word(struct cparser *ps, char *buf, size_t len, bool value)
{
    size_t n = 0;
    while (name_char(*ps->p) || (value && (*ps->p == '-' || *ps->p == '+' || *ps->p == '@'))) {
        if (n + 1 < len)
            buf[n++] = *ps->p;
        ps->p++;
    }
    buf[n] = '\0';
    return n;
}

static struct cnode *parse_sum(struct cparser *ps);

/* After NAME: is this a selector (NAME '=' not followed by '=')? */
static bool at_selector(const struct cparser *ps)
{
    const char *q = ps->p;
    while (name_char(*q))
        q++;
    while (*q == ' ')
        q++;
    return q[0] == '=' && q[1] != '=';
}

static struct cnode *parse_selector(struct cparser *ps)
{
    struct cnode *n = cnew(ps, C_SEL);
    if (!n)
        return NULL;
    for (;;) {
        cws(ps);
        if (n->nsel == MAX_SEL) {
            cfail(ps, "too many key=value terms");
            break;
        }
        if (!word(ps, n->key[n->nsel], sizeof(n->key[0]), false)) {
            cfail(ps, "expected key=value");
            break;
        }
        cws(ps);
        if (*ps->p != '=') {
            cfail(ps, "expected '='");
            break;
        }
        ps->p++;
        cws(ps);
        if (*ps->p == '"' || *ps->p == '\'') {
            char q = *ps->p++;
            size_t k = 0;
            while (*ps->p && *ps->p != q) {
                if (k + 1 < sizeof(n->val[0]))
                    n->val[n->nsel][k++] = *ps->p;
                ps->p++;
            }
            n->val[n->nsel][k] = '\0';
            if (*ps->p != q) {
                cfail(ps, "unterminated quote");
                break;
            }
            ps->p++;
        } else if (!word(ps, n->val[n->nsel], sizeof(n->val[0]), true)) {
            cfail(ps, "expected a value after '='");
            break;
        }
        n->nsel++;
        cws(ps);
        if (*ps->p != '&')
            return n;
        ps->p++;
    }
    cfree(n);
    return NULL;
}

static struct cnode *parse_primary(struct cparser *ps)
{
    cws(ps);
    if (*ps->p == '(') {
        ps->p++;
        struct cnode *n = parse_sum(ps);
        cws(ps);
        if (!ps->failed && *ps->p != ')')
            cfail(ps, "expected ')'");
        else if (!ps->failed)
            ps->p++;
        return n;
    }
    if (isdigit((unsigned char)*ps->p) || *ps->p == '.') {
        char *end;
        struct cnode *n = cnew(ps, C_NUM);
        if (!n)
            return NULL;
        n->num = strtod(ps->p, &end);
        if (end == ps->p) {
            cfail(ps, "malformed number");
            return n;
        }
        ps->p = end;
        if (*ps->p == '%') { /* 5% reads as 0.05 */
            n->num /= 100;
            ps->p++;
        }
        return n;
    }
    if (isalpha((unsigned char)*ps->p) || *ps->p == '_') {
        struct cnode *n = cnew(ps, C_STAT);
        if (!n)
            return NULL;
        word(ps, n->name, sizeof(n->name), false);
        cws(ps);
        if (*ps->p != '(')
            return n;
        n->kind = C_FUNC;
        ps->p++;
        cws(ps);
        if (*ps->p == ')') {
            ps->p++;
            return n;
        }
        for (;;) {
            if (n->nargs == MAX_ARGS) {
                cfail(ps, "too many arguments");
                return n;
            }
            cws(ps);
            n->a[n->nargs++] = at_selector(ps) ? parse_selector(ps) : parse_sum(ps);
            if (ps->failed)
                return n;
            cws(ps);
            if (*ps->p == ',') {
                ps->p++;
                continue;
            }
            if (*ps->p == ')') {
                ps->p++;
                return n;
            }
            cfail(ps, "expected ',' or ')'");
            return n;
        }
    }
    cfail(ps, *ps->p ? "expected a number, a stat, a function or '('" : "unexpected end");
    return NULL;
}

static struct cnode *parse_unary(struct cparser *ps)
{
    cws(ps);
    if (++ps->depth > MAX_DEPTH) {
        cfail(ps, "nested too deeply");
        return NULL;
    }
    struct cnode *n;
    if (*ps->p == '-') {
        ps->p++;
        n = cnew(ps, C_NEG);
        if (n)
            n->a[0] = parse_unary(ps);
    } else {
        n = parse_primary(ps);
    }
    ps->depth--;
    return n;
}

static struct cnode *parse_binary(struct cparser *ps, bool additive)
{
    struct cnode *l = additive ? parse_binary(ps, false) : parse_unary(ps);
    for (;;) {
        if (ps->failed)
            return l;
        cws(ps);
        char c = *ps->p;
        if (!(additive ? (c == '+' || c == '-') : (c == '*' || c == '/')))
            return l;
        ps->p++;
        struct cnode *n = cnew(ps, C_BIN);
        if (!n)
            return l;
        n->op[0] = c;
        n->a[0] = l;
        n->a[1] = additive ? parse_binary(ps, false) : parse_unary(ps);
        l = n;
    }
}

static struct cnode *parse_sum(struct cparser *ps)
{
    if (++ps->depth > MAX_DEPTH) {
        cfail(ps, "nested too deeply");
        return NULL;
    }
    struct cnode *n = parse_binary(ps, true);
    ps->depth--;
    return n;
}

static struct cnode *parse_claim(const char *text, char *err, size_t errlen)
{
    struct cparser ps = {text, text, err, errlen, false, 0};
    struct cnode *l = parse_sum(&ps), *c = NULL;
    cws(&ps);
    static const char *const ops[] = {"<=", ">=", "==", "!=", "<", ">"};
    for (int i = 0; !ps.failed && i < 6; i++) {
        size_t k = strlen(ops[i]);
        if (strncmp(ps.p, ops[i], k) == 0) {
            ps.p += k;
            c = cnew(&ps, C_CMP);
            if (c) {
                memcpy(c->op, ops[i], k);
                c->a[0] = l;
                l = NULL;
                c->a[1] = parse_sum(&ps);
            }
            break;
        }
    }
    cws(&ps);
    if (!ps.failed && !c)
        cfail(&ps, "a claim must compare two values, e.g. ratio(...) >= 3");
    if (!ps.failed && *ps.p)
        cfail(&ps, "unexpected character");
    if (ps.failed) {
        cfree(l);
        cfree(c);
        return NULL;
    }
    return c;
}

/* An expression alone (a derived stat's value), no comparison. */
static struct cnode *parse_expr(const char *text, char *err, size_t errlen)
{
    struct cparser ps = {text, text, err, errlen, false, 0};
    struct cnode *n = parse_sum(&ps);
    cws(&ps);
    if (!ps.failed && *ps.p)
        cfail(&ps, "unexpected character");
    if (ps.failed) {
        cfree(n);
        return NULL;
    }
    return n;
}

int claim_check_expr(const char *expr, char *err, size_t errlen)
{
    struct cnode *n = parse_expr(expr, err, errlen);
    cfree(n);
    return n ? 0 : -1;
}

int claim_check_syntax(const char *expect, char *err, size_t errlen)
{
    struct cnode *n = parse_claim(expect, err, errlen);
    cfree(n);
    return n ? 0 : -1;
}

/* ---- evaluation ---- */

struct ceval {
    const struct run_data *r;
    const struct run_point *self; /* a derived stat's point: bare stats and '@' refer to it */
    const char *phase;
    char *err;
    size_t errlen;
    bool failed;
};

static void efail(struct ceval *e, const char *fmt, const char *a, const char *b)
{
    if (!e->failed)
        snprintf(e->err, e->errlen, fmt, a, b);
    e->failed = true;
}

/* A selector value with each '@' replaced by the value of the same key at
 * the point a derived stat is computed for ("vms.0.name=alone_@" at a
 * point with vms.0.name=warm selects vms.0.name=alone_warm). */
static bool expand_self(struct ceval *e, const char *key, const char *val, char *out, size_t len)
{
    if (!strchr(val, '@')) {
        snprintf(out, len, "%s", val);
        return true;
    }
    const char *own = e->self ? run_param(e->self, key) : NULL;
    if (!own) {
        efail(e,
              e->self ? "'%s' is not a swept key of this run%s"
                      : "'@' in '%s' needs a point: it is only for derived stats%s",
              key, "");
        return false;
    }
    size_t at = 0, olen = strlen(own);
    for (const char *c = val; *c; c++) {
        if (*c != '@' && at + 1 < len) {
            out[at++] = *c;
        } else if (*c == '@' && at + olen < len) {
            memcpy(out + at, own, olen);
            at += olen;
        }
    }
    out[at] = '\0';
    return true;
}

/* Does point p satisfy selector s (NULL selects all)?  Values match as text
 * or, when both are numbers, numerically (2 == 2.0). */
static bool selects(struct ceval *e, const struct cnode *s, const struct run_point *p)
{
    for (unsigned i = 0; s && i < s->nsel; i++) {
        const char *v = run_param(p, s->key[i]);
        if (!v) {
            efail(e, "'%s' is not a swept key of this run%s", s->key[i], "");
            return false;
        }
        char want[256];
        if (!expand_self(e, s->key[i], s->val[i], want, sizeof(want)))
            return false;
        if (strcmp(v, want) == 0)
            continue;
        char *e1, *e2;
        double a = strtod(v, &e1), b = strtod(want, &e2);
        if (*e1 || *e2 || e1 == v || a != b)
            return false;
    }
    return true;
}

/* The selector as text for a message, with '@' expanded where it can be
 * (an error already reported stays the first). */
static void sel_text(struct ceval *e, const struct cnode *s, char *buf, size_t len)
{
    size_t at = 0;
    buf[0] = '\0';
    for (unsigned i = 0; s && i < s->nsel && at < len; i++) {
        char v[256];
        const char *own = e->self && strchr(s->val[i], '@') ? run_param(e->self, s->key[i]) : NULL;
        if (own)
            expand_self(e, s->key[i], s->val[i], v, sizeof(v));
        at += (size_t)snprintf(buf + at, len - at, "%s%s=%s", i ? "&" : "", s->key[i],
                               own ? v : s->val[i]);
    }
}

static double stat_at(struct ceval *e, const char *stat, const struct run_point *p)
{
    double v;
    if (!p->stats) {
        efail(e, "point '%s' has no stats.json%s", p->name, "");
        return NAN;
    }
    if (!run_stat(p, e->phase, stat, &v)) {
        char where[200];
        snprintf(where, sizeof(where), "%s' in phase '%s' of point '%s", stat, e->phase,
                 *p->name ? p->name : "(single)");
        efail(e, "no stat '%s'%s", where, "");
        return NAN;
    }
    return v;
}

/* The single point s selects; NULL after an error. */
static const struct run_point *one_point(struct ceval *e, const struct cnode *s)
{
    const struct run_point *found = NULL;
    size_t n = 0;
    for (size_t i = 0; i < e->r->npoints; i++)
        if (selects(e, s, &e->r->points[i])) {
            found = &e->r->points[i];
            n++;
        }
    if (e->failed)
        return NULL;
    char st[256];
    sel_text(e, s, st, sizeof(st));
    if (n == 0)
        efail(e, "no point with %s%s", *st ? st : "(no selector)", "");
    else if (n > 1)
        efail(e, "%s selects more than one point; add key=value terms%s",
              *st ? st : "(no selector)", "");
    return n == 1 ? found : NULL;
}

static double eval_node(struct ceval *e, const struct cnode *n);

static double eval_func(struct ceval *e, const struct cnode *n)
{
    const char *f = n->name;
    bool agg = !strcmp(f, "min") || !strcmp(f, "max") || !strcmp(f, "mean") || !strcmp(f, "sum");
    if (!strcmp(f, "abs")) {
        if (n->nargs != 1 || n->a[0]->kind == C_SEL) {
            efail(e, "abs() takes one value%s%s", "", "");
            return NAN;
        }
        return fabs(eval_node(e, n->a[0]));
    }
    if (!strcmp(f, "count")) {
        const struct cnode *s = n->nargs ? n->a[0] : NULL;
        if (n->nargs > 1 || (s && s->kind != C_SEL)) {
            efail(e, "count() takes an optional key=value selector%s%s", "", "");
            return NAN;
        }
        double c = 0;
        for (size_t i = 0; i < e->r->npoints; i++)
            c += selects(e, s, &e->r->points[i]);
        return c;
    }
    if (n->nargs < 1 || n->a[0]->kind != C_STAT) {
        efail(e, "%s() needs a stat name as its first argument%s", f, "");
        return NAN;
    }
    const char *stat = n->a[0]->name;
    for (unsigned i = 1; i < n->nargs; i++)
        if (n->a[i]->kind != C_SEL) {
            efail(e, "%s(): arguments after the stat must be key=value selectors%s", f, "");
            return NAN;
        }
    if (!strcmp(f, "value")) {
        if (n->nargs > 2) {
            efail(e, "value(stat, SEL) takes one selector%s%s", "", "");
            return NAN;
        }
        const struct run_point *p = one_point(e, n->nargs == 2 ? n->a[1] : NULL);
        return p ? stat_at(e, stat, p) : NAN;
    }
    if (!strcmp(f, "ratio")) {
        if (n->nargs != 3) {
            efail(e, "ratio(stat, SEL_A, SEL_B) takes two selectors%s%s", "", "");
            return NAN;
        }
        const struct run_point *a = one_point(e, n->a[1]);
        const struct run_point *b = a ? one_point(e, n->a[2]) : NULL;
        if (!a || !b)
            return NAN;
        double den = stat_at(e, stat, b);
        return stat_at(e, stat, a) / den;
    }
    if (agg) {
        if (n->nargs > 2) {
            efail(e, "%s(stat[, SEL]) takes at most one selector%s", f, "");
            return NAN;
        }
        const struct cnode *s = n->nargs == 2 ? n->a[1] : NULL;
        double acc = 0, cnt = 0;
        for (size_t i = 0; i < e->r->npoints && !e->failed; i++) {
            if (!selects(e, s, &e->r->points[i]))
                continue;
            double v = stat_at(e, stat, &e->r->points[i]);
            if (cnt == 0 && strcmp(f, "sum") && strcmp(f, "mean"))
                acc = v;
            else if (!strcmp(f, "min"))
                acc = v < acc ? v : acc;
            else if (!strcmp(f, "max"))
                acc = v > acc ? v : acc;
            else
                acc += v;
            cnt++;
        }
        if (!e->failed && cnt == 0) {
            char st[256];
            sel_text(e, s, st, sizeof(st));
            efail(e, "no point with %s%s", st, "");
        }
        return !strcmp(f, "mean") ? acc / cnt : acc;
    }
    efail(e, "unknown function '%s' (value, ratio, min, max, mean, sum, count, abs)%s", f, "");
    return NAN;
}

static double eval_node(struct ceval *e, const struct cnode *n)
{
    if (!n || e->failed)
        return NAN;
    switch (n->kind) {
    case C_NUM:
        return n->num;
    case C_STAT: {
        const struct run_point *p = e->self ? e->self : one_point(e, NULL);
        return p ? stat_at(e, n->name, p) : NAN;
    }
    case C_FUNC:
        return eval_func(e, n);
    case C_SEL:
        efail(e, "a key=value selector is only allowed as a function argument%s%s", "", "");
        return NAN;
    case C_NEG:
        return -eval_node(e, n->a[0]);
    case C_BIN: {
        double a = eval_node(e, n->a[0]), b = eval_node(e, n->a[1]);
        switch (n->op[0]) {
        case '+':
            return a + b;
        case '-':
            return a - b;
        case '*':
            return a * b;
        default:
            return b == 0 ? NAN : a / b;
        }
    }
    case C_CMP:
        break;
    }
    return NAN;
}

void claim_eval(const char *expect, const char *phase, double tol, const struct run_data *r,
                struct claim_result *out)
{
    memset(out, 0, sizeof(*out));
    out->outcome = CLAIM_ERROR;
    struct cnode *c = parse_claim(expect, out->message, sizeof(out->message));
    if (!c)
        return;
    struct ceval e = {r, NULL, phase ? phase : "total", out->message, sizeof(out->message), false};
    out->left = eval_node(&e, c->a[0]);
    out->right = eval_node(&e, c->a[1]);
    snprintf(out->op, sizeof(out->op), "%s", c->op);
    cfree(c);
    if (e.failed)
        return;
    double l = out->left, rt = out->right, slack = fabs(tol * rt);
    bool ok;
    if (isnan(l) || isnan(rt))
        ok = false;
    else if (!strcmp(out->op, "<="))
        ok = l <= rt + slack;
    else if (!strcmp(out->op, ">="))
        ok = l >= rt - slack;
    else if (!strcmp(out->op, "<"))
        ok = l < rt + slack;
    else if (!strcmp(out->op, ">"))
        ok = l > rt - slack;
    else if (!strcmp(out->op, "=="))
        ok = fabs(l - rt) <= slack;
    else
        ok = fabs(l - rt) > slack;
    out->outcome = ok ? CLAIM_PASS : CLAIM_FAIL;
}

int claim_select(const char *sel, const struct run_point *p, char *err, size_t errlen)
{
    return claim_select_at(sel, p, NULL, err, errlen);
}

int claim_eval_at(const char *expr, const char *phase, const struct run_data *r,
                  const struct run_point *self, double *out, char *err, size_t errlen)
{
    struct cnode *n = parse_expr(expr, err, errlen);
    if (!n)
        return -1;
    struct ceval e = {r, self, phase ? phase : "total", err, errlen, false};
    *out = eval_node(&e, n);
    cfree(n);
    return e.failed ? -1 : 0;
}

int claim_select_at(const char *sel, const struct run_point *p, const struct run_point *self,
                    char *err, size_t errlen)
{
    struct cparser ps = {sel, sel, err, errlen, false, 0};
    struct cnode *n = parse_selector(&ps);
    cws(&ps);
    if (n && *ps.p)
        cfail(&ps, "unexpected character");
    if (ps.failed || !n) {
        cfree(n);
        return -1;
    }
    struct ceval e = {0};
    e.self = self;
    e.err = err;
    e.errlen = errlen;
    bool yes = selects(&e, n, p);
    cfree(n);
    return e.failed ? -1 : yes;
}

int claim_select_any(const char *where, const struct run_point *p, char *err, size_t errlen)
{
    char alt[512];
    for (const char *s = where;;) {
        const char *bar = strchr(s, '|');
        size_t n = bar ? (size_t)(bar - s) : strlen(s);
        if (n >= sizeof(alt)) {
            snprintf(err, errlen, "a selector longer than %zu characters", sizeof(alt) - 1);
            return -1;
        }
        memcpy(alt, s, n);
        alt[n] = '\0';
        int yes = claim_select(alt, p, err, errlen);
        if (yes != 0 || !bar)
            return yes;
        s = bar + 1;
    }
}
