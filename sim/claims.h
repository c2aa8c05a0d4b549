/*
 * claims.h - claims: named expressions over the stats of a run's sweep
 * points, checked by `vtsim check` and at the end of `vtsim run`.
 *
 * A claim's `expect` is a comparison:  EXPR OP EXPR  with OP one of
 * < <= > >= == !=.  EXPR is arithmetic (+ - * / unary minus, parentheses,
 * numbers) over:
 *   value(stat, SEL)           the stat at the one point SEL selects
 *   ratio(stat, SEL_A, SEL_B)  value(stat, SEL_A) / value(stat, SEL_B)
 *   min|max|mean|sum(stat[, SEL])  over the points SEL selects (all without)
 *   count([SEL])               number of points selected
 *   abs(EXPR)
 *   stat                       a bare stat name: the value at the only point
 * SEL is key=value[&key=value...] over swept keys, e.g.
 * hypervisor.emulation=patch&machine.cores=2.  The claim's `tolerance`
 * (relative, default 0) loosens the comparison by tolerance * |right side|.
 * Stats are read from the claim's `phase` (default "total").
 */
#ifndef VTSIM_SIM_CLAIMS_H
#define VTSIM_SIM_CLAIMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "sim/results_read.h"

enum claim_outcome { CLAIM_PASS, CLAIM_FAIL, CLAIM_ERROR };

struct claim_result {
    enum claim_outcome outcome;
    double left, right; /* measured value and bound */
    char op[3];
    char message[256]; /* CLAIM_ERROR: what is missing, named precisely */
};

/* Check the syntax of an expect string (config validation).  0, or -1 with
 * "column N: message" in err. */
int claim_check_syntax(const char *expect, char *err, size_t errlen);

/* Does point p match the selector `sel` ("key=value&key=value", as in
 * claims)?  1 or 0, or -1 with a message (syntax, or a key not swept). */
int claim_select(const char *sel, const struct run_point *p, char *err, size_t errlen);

/* Check the syntax of an expression (a derived stat's value). */
int claim_check_expr(const char *expr, char *err, size_t errlen);

/* claim_select over alternatives joined by '|' (a plot's or derived
 * stat's `where`): 1 when any of them picks p, 0, or -1 with a message. */
int claim_select_any(const char *where, const struct run_point *p, char *err, size_t errlen);

/* claim_select, where '@' in a value stands for self's value of that key. */
int claim_select_at(const char *sel, const struct run_point *p, const struct run_point *self,
                    char *err, size_t errlen);

/* Evaluate an expression at point `self`: a bare stat is self's, and '@'
 * in a selector value is self's value of that key.  0, or -1 with a
 * message in err. */
int claim_eval_at(const char *expr, const char *phase, const struct run_data *r,
                  const struct run_point *self, double *out, char *err, size_t errlen);

/* Evaluate one claim over a run. */
void claim_eval(const char *expect, const char *phase, double tolerance, const struct run_data *r,
                struct claim_result *out);

#endif
