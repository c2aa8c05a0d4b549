/*
 * csv.h - rows of RFC 4180 CSV: build, write, read back.  Used for
 * summary.csv; cold code.
 */
#ifndef VTSIM_SIM_CSV_H
#define VTSIM_SIM_CSV_H

#include <stddef.h>
#include <stdio.h>

struct csv_row {
    char **v;
    size_t n, cap;
};

/* Append a copy of s (NULL counts as "").  0, or -1 on no memory. */
int csv_row_add(struct csv_row *r, const char *s);
/* Append a number: integers exactly, others in the shortest text that reads
 * back to the same double; NaN and infinities as an empty cell. */
int csv_row_add_double(struct csv_row *r, double v);
/* Write the row and a newline, quoting cells that need it. */
void csv_row_write(FILE *f, const struct csv_row *r);
/* Read one record (which may span lines inside quotes) into r (emptied
 * first).  1 when a record was read, 0 at end of file, -1 on no memory. */
int csv_row_read(FILE *f, struct csv_row *r);
/* Index of cell s in r, or -1. */
long csv_row_find(const struct csv_row *r, const char *s);
void csv_row_free(struct csv_row *r);

#endif
