/*
 * json.c - streaming JSON writer (see json.h).  Cold code: used when
 * results are written.
 */
#include "model/base/json.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

void json_init(struct json *j, FILE *f)
{
    memset(j, 0, sizeof(*j));
    j->f = f;
    j->depth = 0;
    j->first[0] = true;
}

static void indent(struct json *j)
{
    fputc('\n', j->f);
    for (int i = 0; i < j->depth; i++)
        fputs("  ", j->f);
}

/* Writes the separator before a value; false if a value is not allowed here. */
static bool before_value(struct json *j)
{
    if (j->error)
        return false;
    if (j->depth > 0 && j->is_obj[j->depth]) {
        if (!j->have_key) {
            j->error = true;
            return false;
        }
        j->have_key = false;
        return true;
    }
    if (j->depth == 0 && !j->first[0]) {
        j->error = true; /* only one top-level value */
        return false;
    }
    if (j->depth > 0) {
        if (!j->first[j->depth])
            fputc(',', j->f);
        indent(j);
    }
    j->first[j->depth] = false;
    return true;
}

static void begin(struct json *j, bool obj)
{
    if (!before_value(j))
        return;
    if (j->depth + 1 >= JSON_MAX_DEPTH) {
        j->error = true;
        return;
    }
    fputc(obj ? '{' : '[', j->f);
    j->depth++;
    j->is_obj[j->depth] = obj;
    j->first[j->depth] = true;
}

static void end(struct json *j, bool obj)
{
    if (j->error)
        return;
    if (j->depth == 0 || j->is_obj[j->depth] != obj || j->have_key) {
        j->error = true;
        return;
    }
    bool empty = j->first[j->depth];
    j->depth--;
    if (!empty)
        indent(j);
    fputc(obj ? '}' : ']', j->f);
}

void json_begin_object(struct json *j)
{
    begin(j, true);
}

void json_end_object(struct json *j)
{
    end(j, true);
}

void json_begin_array(struct json *j)
{
    begin(j, false);
}

void json_end_array(struct json *j)
{
    end(j, false);
}

static void write_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"':
            fputs("\\\"", f);
            break;
        case '\\':
            fputs("\\\\", f);
            break;
        case '\n':
            fputs("\\n", f);
            break;
        case '\r':
            fputs("\\r", f);
            break;
        case '\t':
            fputs("\\t", f);
            break;
        default:
            if (*p < 0x20 || *p == 0x7f)
                fprintf(f, "\\u%04x", *p);
            else
                fputc(*p, f);
        }
    }
    fputc('"', f);
}

void json_key(struct json *j, const char *key)
{
    if (j->error)
        return;
    if (j->depth == 0 || !j->is_obj[j->depth] || j->have_key || !key) {
        j->error = true;
        return;
    }
    if (!j->first[j->depth])
        fputc(',', j->f);
    j->first[j->depth] = false;
    indent(j);
    write_string(j->f, key);
    fputs(": ", j->f);
    j->have_key = true;
}

void json_string(struct json *j, const char *s)
{
    if (before_value(j))
        write_string(j->f, s ? s : "");
}

void json_uint(struct json *j, uint64_t v)
{
    if (before_value(j))
        fprintf(j->f, "%" PRIu64, v);
}

void json_int(struct json *j, int64_t v)
{
    if (before_value(j))
        fprintf(j->f, "%" PRId64, v);
}

void json_format_double(double v, char *buf, size_t len)
{
    if (!isfinite(v)) {
        snprintf(buf, len, "null");
        return;
    }
    if (v == 0) {
        snprintf(buf, len, "0"); /* -0.0 too: JSON readers differ on it */
        return;
    }
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(buf, len, "%.*g", prec, v);
        if (strtod(buf, NULL) == v)
            return;
    }
}

void json_double(struct json *j, double v)
{
    char buf[40];
    json_format_double(v, buf, sizeof(buf));
    if (before_value(j))
        fputs(buf, j->f);
}

void json_bool(struct json *j, bool v)
{
    if (before_value(j))
        fputs(v ? "true" : "false", j->f);
}

void json_null(struct json *j)
{
    if (before_value(j))
        fputs("null", j->f);
}

int json_finish(struct json *j)
{
    if (j->depth != 0 || j->first[0])
        j->error = true;
    if (!j->error)
        fputc('\n', j->f);
    return (j->error || ferror(j->f)) ? -1 : 0;
}
