/*
 * results_read.c - read a run folder back (see results_read.h).  Cold.
 */
#include "sim/results_read.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void run_free(struct run_data *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->npoints; i++) {
        jread_free(r->points[i].stats);
        free(r->points[i].derived);
    }
    free(r->points);
    jread_free(r->manifest);
    free(r->dir);
    free(r);
}

struct run_data *run_read(const char *dir, char *err, size_t errlen)
{
    char path[PATH_MAX];
    struct run_data *r = calloc(1, sizeof(*r));
    if (!r)
        return NULL;
    r->dir = strdup(dir);
    snprintf(path, sizeof(path), "%s/manifest.json", dir);
    r->manifest = jread_file(path, err, errlen);
    if (!r->dir || !r->manifest)
        goto bad;
    const struct jval *pts = jread_get(r->manifest, "points");
    if (!pts || pts->kind != J_ARR) {
        snprintf(err, errlen, "%s: not a vtsim manifest (no points)", path);
        goto bad;
    }
    r->points = calloc(pts->n ? pts->n : 1, sizeof(*r->points));
    if (!r->points)
        goto bad;
    r->npoints = pts->n;
    for (size_t i = 0; i < pts->n; i++) {
        const struct jval *p = pts->items[i];
        const struct jval *name = jread_get(p, "name"), *d = jread_get(p, "dir");
        const struct jval *st = jread_get(p, "status");
        if (!name || name->kind != J_STR || !d || d->kind != J_STR || strstr(d->str, "..") ||
            d->str[0] == '/') {
            snprintf(err, errlen, "%s: point %zu is malformed", path, i);
            goto bad;
        }
        r->points[i].name = name->str;
        r->points[i].params = jread_get(p, "parameters");
        r->points[i].status = st && st->kind == J_STR ? st->str : "?";
        r->points[i].entry = p;
        char sp[PATH_MAX + 64], serr[256];
        snprintf(sp, sizeof(sp), "%s/%s/stats.json", dir, d->str);
        r->points[i].stats = jread_file(sp, serr, sizeof(serr));
    }
    return r;
bad:
    run_free(r);
    return NULL;
}

/* The manifest's per-point measurements of the host, as pseudo-stats. */
static bool manifest_stat(const struct run_point *p, const char *phase, const char *name,
                          double *out)
{
    static const char *const known[] = {"wall_seconds", "mips"};
    const char *field = name + strlen("manifest.");
    if (strcmp(phase, "total") != 0)
        return false;
    for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
        const struct jval *v = jread_get(p->entry, known[i]);
        if (!strcmp(field, known[i]) && v && v->kind == J_NUM) {
            *out = v->num;
            return true;
        }
    }
    return false;
}

bool run_stat(const struct run_point *p, const char *phase, const char *name, double *out)
{
    for (size_t i = 0; i < p->nderived; i++)
        if (!strcmp(p->derived[i].name, name) && !strcmp(p->derived[i].phase, phase)) {
            *out = p->derived[i].value;
            return true;
        }
    if (!strncmp(name, "manifest.", strlen("manifest.")))
        return manifest_stat(p, phase, name, out);
    const struct jval *ph = jread_get(jread_get(p->stats, "phases"), phase);
    const struct jval *v = jread_get(ph, name);
    if (!v)
        return false;
    if (v->kind == J_NUM) {
        *out = v->num;
        return true;
    }
    if (v->kind == J_NULL) { /* an undefined formula (e.g. 0/0) */
        *out = NAN;
        return true;
    }
    if (v->kind == J_OBJ) { /* histogram: its sum, as stats_value() answers */
        const struct jval *s = jread_get(v, "sum");
        if (s && s->kind == J_NUM) {
            *out = s->num;
            return true;
        }
    }
    return false;
}

const char *run_param(const struct run_point *p, const char *key)
{
    const struct jval *v = jread_get(p->params, key);
    return v && v->kind == J_STR ? v->str : NULL;
}
