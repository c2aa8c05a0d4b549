/*
 * units.h - the text forms of config values: sizes (16KiB), counts (200M,
 * 2e9), booleans, integers and doubles; parsing and printing back.
 *
 * Sizes:  plain bytes or a number with KiB/MiB/GiB/TiB (also KB/MB/GB/TB,
 *         which mean the same binary multiples); fractions allowed when the
 *         result is a whole number of bytes ("1.5KiB").
 * Counts: plain, or with K/M/G/T (decimal: 200M = 200,000,000), or C
 *         exponent form (2e9); the result must be a whole number.
 * Integers may use _ between digits (1_000_000) and 0x for hex.
 * Every parser returns 0, or -1 on malformed text or overflow.
 */
#ifndef VTSIM_SIM_UNITS_H
#define VTSIM_SIM_UNITS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

int units_parse_size(const char *s, uint64_t *out);
int units_parse_count(const char *s, uint64_t *out);
int units_parse_uint(const char *s, uint64_t *out);
int units_parse_int(const char *s, int64_t *out);
int units_parse_bool(const char *s, bool *out);
int units_parse_double(const char *s, double *out);

/* "16KiB" when exact in a binary unit, else plain bytes. */
void units_format_size(uint64_t v, char *buf, size_t len);

#endif
