/*
 * csv.c - RFC 4180 rows (see csv.h).
 */
#include "sim/csv.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "model/base/json.h"

int csv_row_add(struct csv_row *r, const char *s)
{
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 16;
        char **v = realloc(r->v, cap * sizeof(*v));
        if (!v)
            return -1;
        r->v = v;
        r->cap = cap;
    }
    char *c = strdup(s ? s : "");
    if (!c)
        return -1;
    r->v[r->n++] = c;
    return 0;
}

int csv_row_add_double(struct csv_row *r, double v)
{
    char buf[64];
    if (!isfinite(v))
        return csv_row_add(r, "");
    json_format_double(v, buf, sizeof(buf));
    return csv_row_add(r, buf);
}

static void write_cell(FILE *f, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

void csv_row_write(FILE *f, const struct csv_row *r)
{
    for (size_t i = 0; i < r->n; i++) {
        if (i)
            fputc(',', f);
        write_cell(f, r->v[i]);
    }
    fputc('\n', f);
}

void csv_row_free(struct csv_row *r)
{
    for (size_t i = 0; i < r->n; i++)
        free(r->v[i]);
    free(r->v);
    memset(r, 0, sizeof(*r));
}

static void row_clear(struct csv_row *r)
{
    for (size_t i = 0; i < r->n; i++)
        free(r->v[i]);
    r->n = 0;
}

int csv_row_read(FILE *f, struct csv_row *r)
{
    row_clear(r);
    size_t cap = 64, len = 0;
    char *cell = malloc(cap);
    if (!cell)
        return -1;
    int c = fgetc(f);
    if (c == EOF) {
        free(cell);
        return 0;
    }
    int quoted = 0;
    for (;;) {
        if (c == EOF || (!quoted && (c == ',' || c == '\n'))) {
            cell[len] = '\0';
            if (len && cell[len - 1] == '\r' && c != ',')
                cell[len - 1] = '\0';
            if (csv_row_add(r, cell) != 0) {
                free(cell);
                return -1;
            }
            len = 0;
            if (c != ',')
                break;
            c = fgetc(f);
            quoted = 0;
            continue;
        }
        if (c == '"') {
            int n = quoted ? fgetc(f) : c;
            if (!quoted) {
                quoted = 1;
                c = fgetc(f);
                continue;
            }
            if (n != '"') {
                quoted = 0;
                c = n;
                continue;
            }
        }
        if (len + 2 > cap) {
            char *nc = realloc(cell, cap * 2);
            if (!nc) {
                free(cell);
                return -1;
            }
            cell = nc;
            cap *= 2;
        }
        cell[len++] = (char)c;
        c = fgetc(f);
    }
    free(cell);
    return 1;
}

long csv_row_find(const struct csv_row *r, const char *s)
{
    for (size_t i = 0; i < r->n; i++)
        if (strcmp(r->v[i], s) == 0)
            return (long)i;
    return -1;
}
