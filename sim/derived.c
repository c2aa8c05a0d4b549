/*
 * derived.c - a study's derived stats, computed over a run read back (see
 * derived.h).  The expressions are the claims' (sim/claims.h), evaluated
 * with the point as context.
 */
#include "sim/derived.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/claims.h"
#include "sim/csv.h"

int derived_apply(const struct study_config *c, struct run_data *r, char *err, size_t errlen)
{
    for (size_t i = 0; i < r->npoints; i++) {
        struct run_point *p = &r->points[i];
        free(p->derived);
        p->nderived = 0;
        p->derived = c->nderived ? calloc(c->nderived, sizeof(*p->derived)) : NULL;
        if (c->nderived && !p->derived) {
            snprintf(err, errlen, "out of memory computing derived stats");
            return -1;
        }
    }
    for (unsigned k = 0; k < c->nderived; k++) {
        const struct derived_config *d = &c->derived[k];
        for (size_t i = 0; i < r->npoints; i++) {
            struct run_point *p = &r->points[i];
            char msg[256];
            int yes = d->where ? claim_select_any(d->where, p, msg, sizeof(msg)) : 1;
            double v = NAN;
            if (yes > 0 && claim_eval_at(d->value, d->phase, r, p, &v, msg, sizeof(msg)) != 0)
                yes = -1;
            if (yes < 0) {
                snprintf(err, errlen, "derived '%s' at point '%s': %s", d->name,
                         *p->name ? p->name : "(single)", msg);
                return -1;
            }
            if (yes)
                p->derived[p->nderived++] = (struct run_derived){d->name, d->phase, v};
        }
    }
    return 0;
}

struct run_data *derived_run_read(const char *dir, const struct study_config *c, char *err,
                                  size_t errlen)
{
    struct run_data *r = run_read(dir, err, errlen);
    if (r && derived_apply(c, r, err, errlen) != 0) {
        run_free(r);
        return NULL;
    }
    return r;
}

int derived_write_csv(const struct study_config *c, const struct run_data *r, char *err,
                      size_t errlen)
{
    char path[PATH_MAX];
    snprintf(path, sizeof(path), "%s/derived.csv", r->dir);
    FILE *f = fopen(path, "w");
    if (!f) {
        snprintf(err, errlen, "cannot write %s", path);
        return -1;
    }
    struct csv_row row = {0};
    int rc = csv_row_add(&row, "point");
    for (unsigned k = 0; k < c->nderived && rc == 0; k++)
        rc = csv_row_add(&row, c->derived[k].name);
    csv_row_write(f, &row);
    for (size_t i = 0; i < r->npoints && rc == 0; i++) {
        const struct run_point *p = &r->points[i];
        csv_row_free(&row);
        rc = csv_row_add(&row, p->name);
        for (unsigned k = 0; k < c->nderived && rc == 0; k++) {
            double v;
            if (run_stat(p, c->derived[k].phase, c->derived[k].name, &v))
                rc = csv_row_add_double(&row, v);
            else
                rc = csv_row_add(&row, "");
        }
        csv_row_write(f, &row);
    }
    csv_row_free(&row);
    if (fclose(f) != 0 || rc != 0) {
        snprintf(err, errlen, "cannot write %s", path);
        return -1;
    }
    return 0;
}
