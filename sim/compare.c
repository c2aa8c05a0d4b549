/*
 * compare.c - `vtsim compare A B`: the stats that moved between two runs,
 * point by point (matched by point name), largest relative change first.
 * The tool for guarding performance claims across vtsim versions or
 * configurations.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sim/results_read.h"
#include "sim/study_run.h"
#include "sim/tools.h"

struct change {
    const char *point, *stat;
    double a, b, rel;
};

static int by_size(const void *x, const void *y)
{
    const struct change *p = x, *q = y;
    double a = fabs(p->rel), b = fabs(q->rel);
    if (a != b)
        return a < b ? 1 : -1;
    int c = strcmp(p->point, q->point);
    return c ? c : strcmp(p->stat, q->stat);
}

static const struct run_point *find_point(const struct run_data *r, const char *name)
{
    for (size_t i = 0; i < r->npoints; i++)
        if (strcmp(r->points[i].name, name) == 0)
            return &r->points[i];
    return NULL;
}

int tools_compare(const char *da, const char *db, double threshold, FILE *out)
{
    char err[512];
    struct run_data *a = run_read(da, err, sizeof(err)), *b = NULL;
    if (!a || !(b = run_read(db, err, sizeof(err)))) {
        fprintf(stderr, "vtsim: %s\n", err);
        run_free(a);
        return EXIT_BAD_INPUT;
    }
    struct change *ch = NULL;
    size_t n = 0, cap = 0;
    int rc = EXIT_OK;
    for (size_t i = 0; i < a->npoints; i++) {
        const struct run_point *pa = &a->points[i], *pb = find_point(b, pa->name);
        const char *pname = *pa->name ? pa->name : "(single)";
        if (!pb) {
            fprintf(out, "point %s: only in %s\n", pname, da);
            rc = EXIT_RUN_FAILED;
            continue;
        }
        const struct jval *ta = jread_get(jread_get(pa->stats, "phases"), "total");
        for (size_t k = 0; ta && k < ta->n; k++) {
            double va, vb;
            if (ta->items[k]->kind != J_NUM || !run_stat(pa, "total", ta->keys[k], &va))
                continue;
            if (!run_stat(pb, "total", ta->keys[k], &vb)) {
                fprintf(out, "point %s: %s only in %s\n", pname, ta->keys[k], da);
                rc = EXIT_RUN_FAILED;
                continue;
            }
            if (va == vb || (isnan(va) && isnan(vb)))
                continue;
            double rel = va != 0 ? (vb - va) / fabs(va) : INFINITY;
            if (!(fabs(rel) > threshold))
                continue;
            if (n == cap) {
                cap = cap ? cap * 2 : 64;
                struct change *nc = realloc(ch, cap * sizeof(*nc));
                if (!nc)
                    break;
                ch = nc;
            }
            ch[n++] = (struct change){pname, ta->keys[k], va, vb, rel};
        }
    }
    for (size_t i = 0; i < b->npoints; i++)
        if (!find_point(a, b->points[i].name)) {
            fprintf(out, "point %s: only in %s\n",
                    *b->points[i].name ? b->points[i].name : "(single)", db);
            rc = EXIT_RUN_FAILED;
        }
    if (n)
        qsort(ch, n, sizeof(*ch), by_size);
    if (n) {
        fprintf(out, "%-24s %-40s %16s %16s %9s\n", "point", "stat", "A", "B", "change");
        for (size_t i = 0; i < n; i++)
            fprintf(out, "%-24s %-40s %16.10g %16.10g %+8.2f%%\n", ch[i].point, ch[i].stat, ch[i].a,
                    ch[i].b, ch[i].rel * 100);
        rc = EXIT_RUN_FAILED;
    } else if (rc == EXIT_OK) {
        fprintf(out, "no stat moved by more than %g%%\n", threshold * 100);
    }
    free(ch);
    run_free(a);
    run_free(b);
    return rc;
}
