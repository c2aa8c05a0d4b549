/*
 * expr.h - arithmetic expressions over named values, for stats formulas
 * (and, later, study claims).
 *
 * Grammar:  expr := term (('+'|'-') term)*
 *           term := unary (('*'|'/') unary)*
 *           unary := '-' unary | primary
 *           primary := NUMBER | NAME | '(' expr ')'
 * NUMBER is a C decimal floating literal (1, 2.5, 1e6); NAME is
 * [a-z_][a-z0-9_.]* (dotted stat names).  Division by zero gives NaN, not
 * an error.  Text longer than EXPR_MAX_LEN or nested deeper than
 * EXPR_MAX_DEPTH is rejected.
 */
#ifndef VTSIM_MODEL_BASE_EXPR_H
#define VTSIM_MODEL_BASE_EXPR_H

#include <stdbool.h>
#include <stddef.h>

#define EXPR_MAX_LEN   1024
#define EXPR_MAX_DEPTH 64

struct expr;

/* Looks a name up; false when it does not exist. */
typedef bool (*expr_lookup_fn)(void *ctx, const char *name, double *value);

/* Parse text.  NULL on error, with "column N: message" in err. */
struct expr *expr_parse(const char *text, char *err, size_t errlen);

/* Evaluate.  On an unknown name returns NaN and sets err ("unknown name
 * 'x'"); otherwise err is left as the empty string. */
double expr_eval(const struct expr *e, expr_lookup_fn lookup, void *ctx, char *err, size_t errlen);

/* Number of distinct names referred to, and the i-th (in first-use order). */
size_t expr_nnames(const struct expr *e);
const char *expr_name(const struct expr *e, size_t i);

void expr_free(struct expr *e);

#endif
