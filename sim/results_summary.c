/*
 * results_summary.c - the run's summary.csv and the table printed at the
 * end of `vtsim run`.
 *
 * Each point wrote its own summary.csv (point, status, stats...).  Here
 * they are merged in point order, with the swept parameters inserted after
 * the point name; a stat missing from a point (e.g. cpu3.* when cores was
 * swept) leaves an empty cell.  Order never depends on which worker
 * finished first.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "sim/config.h"
#include "sim/csv.h"
#include "sim/results.h"

struct table {
    struct csv_row hdr;
    struct csv_row *rows;
    size_t nrows;
};

static void table_free(struct table *t)
{
    csv_row_free(&t->hdr);
    for (size_t i = 0; i < t->nrows; i++)
        csv_row_free(&t->rows[i]);
    free(t->rows);
}

/* Read <point>/summary.csv and add it as row i of t. */
static int merge_point(struct table *t, const struct run_summary *s, size_t i)
{
    char dir[PATH_MAX], path[PATH_MAX + 16];
    struct csv_row hdr = {0}, row = {0};
    struct csv_row *out = &t->rows[i];
    const struct study_config *cfg = s->cfgs[i];
    unsigned naxes = config_sweep_naxes(cfg);

    results_point_dir(s->run_dir, s->names[i], dir, sizeof(dir));
    snprintf(path, sizeof(path), "%s/summary.csv", dir);
    FILE *f = fopen(path, "r");
    if (f) {
        csv_row_read(f, &hdr);
        csv_row_read(f, &row);
        fclose(f);
    }
    /* Columns: point, parameters, status, stats; t->hdr grows as new stats appear. */
    size_t ncols = t->hdr.n;
    char **cells = calloc(ncols + hdr.n + 2, sizeof(*cells));
    if (!cells)
        goto fail;
    for (size_t c = 0; c < hdr.n && c < row.n; c++) {
        long at = csv_row_find(&t->hdr, hdr.v[c]);
        if (at < 0) {
            if (csv_row_add(&t->hdr, hdr.v[c]) != 0)
                goto fail;
            at = (long)t->hdr.n - 1;
        }
        cells[at] = row.v[c];
    }
    cells[0] = (char *)s->names[i];
    for (size_t c = 0; c < t->hdr.n; c++) {
        char val[256];
        const char *v = cells[c];
        if (c >= 1 && c <= naxes) {
            config_get(cfg, t->hdr.v[c], val, sizeof(val));
            v = val;
        }
        if (c == 1 + naxes && !v)
            v = results_status_text(&s->results[i]);
        if (csv_row_add(out, v ? v : "") != 0)
            goto fail;
    }
    free(cells);
    csv_row_free(&hdr);
    csv_row_free(&row);
    return 0;
fail:
    free(cells);
    csv_row_free(&hdr);
    csv_row_free(&row);
    return -1;
}

static int build_table(const struct run_summary *s, struct table *t)
{
    memset(t, 0, sizeof(*t));
    t->rows = calloc(s->npoints, sizeof(*t->rows));
    if (!t->rows)
        return -1;
    t->nrows = s->npoints;
    unsigned naxes = config_sweep_naxes(s->base);
    csv_row_add(&t->hdr, "point");
    for (unsigned a = 0; a < naxes; a++)
        csv_row_add(&t->hdr, config_sweep_key(s->base, a));
    csv_row_add(&t->hdr, "status");
    for (size_t i = 0; i < s->npoints; i++)
        if (merge_point(t, s, i) != 0)
            return -1;
    /* Earlier rows were built before later points added columns: pad them. */
    for (size_t i = 0; i < t->nrows; i++)
        while (t->rows[i].n < t->hdr.n)
            csv_row_add(&t->rows[i], "");
    return 0;
}

int results_write_summary(const struct run_summary *s, char *err, size_t errlen)
{
    struct table t;
    char path[PATH_MAX];
    int rc = -1;
    if (build_table(s, &t) != 0) {
        snprintf(err, errlen, "out of memory building summary.csv");
        goto out;
    }
    snprintf(path, sizeof(path), "%s/summary.csv", s->run_dir);
    FILE *f = fopen(path, "w");
    if (!f) {
        snprintf(err, errlen, "%s: cannot write", path);
        goto out;
    }
    csv_row_write(f, &t.hdr);
    for (size_t i = 0; i < t.nrows; i++)
        csv_row_write(f, &t.rows[i]);
    rc = fclose(f) == 0 ? 0 : -1;
    if (rc)
        snprintf(err, errlen, "%s: write error", path);
out:
    table_free(&t);
    return rc;
}

void results_print_table(FILE *f, const struct run_summary *s)
{
    struct table t;
    if (build_table(s, &t) != 0) {
        table_free(&t);
        return;
    }
    /* Print at most 8 columns so the table fits a terminal; summary.csv has all. */
    size_t ncols = t.hdr.n < 8 ? t.hdr.n : 8;
    size_t width[8] = {0};
    for (size_t c = 0; c < ncols; c++) {
        width[c] = strlen(t.hdr.v[c]);
        for (size_t i = 0; i < t.nrows; i++)
            if (strlen(t.rows[i].v[c]) > width[c])
                width[c] = strlen(t.rows[i].v[c]);
        if (width[c] > 40)
            width[c] = 40;
    }
    for (size_t c = 0; c < ncols; c++)
        fprintf(f, "%-*.*s%s", (int)width[c], (int)width[c], t.hdr.v[c],
                c + 1 < ncols ? "  " : "\n");
    for (size_t i = 0; i < t.nrows; i++)
        for (size_t c = 0; c < ncols; c++)
            fprintf(f, "%-*.*s%s", (int)width[c], (int)width[c], t.rows[i].v[c],
                    c + 1 < ncols ? "  " : "\n");
    if (t.hdr.n > ncols)
        fprintf(f, "(%zu more columns in summary.csv)\n", t.hdr.n - ncols);
    table_free(&t);
}
