/*
 * config_emit.c - the resolved study as text: show-config YAML, single
 * values by key path, and the docs/config.md reference, all driven by the
 * section tables.
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "model/base/json.h"
#include "sim/config.h"
#include "sim/units.h"

/* ---- scalars ---- */

static bool plain_safe(const char *s)
{
    static const char *const words[] = {"null",  "Null",  "NULL",  "~",   "true", "True", "TRUE",
                                        "false", "False", "FALSE", "yes", "Yes",  "no",   "No",
                                        "on",    "On",    "off",   "Off", NULL};
    if (!*s)
        return false;
    for (int i = 0; words[i]; i++)
        if (strcmp(s, words[i]) == 0)
            return false;
    if (s[0] == '-' || s[0] == '.')
        return false;
    for (const char *p = s; *p; p++)
        if (!isalnum((unsigned char)*p) && !strchr("_./+-", *p))
            return false;
    return true;
}

/* Characters YAML allows unescaped (YAML 1.1 c-printable, as libyaml
 * checks it): everything else is written as an escape. */
static bool yaml_printable(uint32_t c)
{
    return c == 0x0a || (c >= 0x20 && c <= 0x7e) || c == 0x85 || (c >= 0xa0 && c <= 0xd7ff) ||
           (c >= 0xe000 && c <= 0xfffd && c != 0xfeff) || (c >= 0x10000 && c <= 0x10ffff);
}

/* Decode one UTF-8 sequence at s (strings here came through libyaml, which
 * validates UTF-8; a stray byte decodes as itself).  Returns its length. */
static size_t utf8_next(const unsigned char *s, uint32_t *cp)
{
    unsigned n = s[0] >= 0xf0 ? 3 : s[0] >= 0xe0 ? 2 : s[0] >= 0xc0 ? 1 : 0;
    uint32_t c = n ? s[0] & (0x3f >> n) : s[0];
    for (unsigned i = 1; i <= n; i++) {
        if ((s[i] & 0xc0) != 0x80) {
            *cp = s[0];
            return 1;
        }
        c = (c << 6) | (s[i] & 0x3f);
    }
    *cp = c;
    return n + 1;
}

/* s as a YAML scalar: plain when unambiguous, else double-quoted. */
static void quote(const char *s, char *buf, size_t len)
{
    if (plain_safe(s)) {
        snprintf(buf, len, "%s", s);
        return;
    }
    size_t j = 0;
    if (len < 16)
        return;
    buf[j++] = '"';
    const unsigned char *p = (const unsigned char *)s;
    while (*p && j + 12 < len) {
        uint32_t c;
        size_t k = utf8_next(p, &c);
        if (c == '"' || c == '\\') {
            buf[j++] = '\\';
            buf[j++] = (char)c;
        } else if (c == '\n') {
            j += (size_t)snprintf(buf + j, len - j, "\\n");
        } else if (!yaml_printable(c)) {
            j += (size_t)snprintf(buf + j, len - j,
                                  c < 0x100     ? "\\x%02x"
                                  : c < 0x10000 ? "\\u%04x"
                                                : "\\U%08x",
                                  c);
        } else {
            memcpy(buf + j, p, k);
            j += k;
        }
        p += k;
    }
    buf[j++] = '"';
    buf[j] = '\0';
}

void config_format_value(const struct param *p, const void *field, char *buf, size_t len)
{
    switch (p->type) {
    case PARAM_BOOL:
        snprintf(buf, len, "%s", *(const bool *)field ? "true" : "false");
        break;
    case PARAM_INT:
        snprintf(buf, len, "%" PRId64, *(const int64_t *)field);
        break;
    case PARAM_UINT:
    case PARAM_COUNT:
        snprintf(buf, len, "%" PRIu64, *(const uint64_t *)field);
        break;
    case PARAM_SIZE:
        units_format_size(*(const uint64_t *)field, buf, len);
        break;
    case PARAM_DOUBLE:
        json_format_double(*(const double *)field, buf, len);
        break;
    case PARAM_ENUM: {
        int i = *(const int *)field;
        snprintf(buf, len, "%s", p->choices[i] ? p->choices[i] : "?");
        break;
    }
    case PARAM_STRING: {
        const char *s = *(const char *const *)field;
        if (!s)
            snprintf(buf, len, "null");
        else
            quote(s, buf, len);
        break;
    }
    case PARAM_STRLIST: {
        const struct strlist *sl = field;
        size_t at = (size_t)snprintf(buf, len, "[");
        for (unsigned i = 0; i < sl->n && at < len; i++) {
            char q[256];
            quote(sl->v[i], q, sizeof(q));
            at += (size_t)snprintf(buf + at, len - at, "%s%s", i ? ", " : "", q);
        }
        if (at < len)
            snprintf(buf + at, len - at, "]");
        break;
    }
    }
}

/* ---- values by key path ---- */

/* The param and field of a key path in c, or NULL (list index past the count too). */
static const struct param *field_at(const struct study_config *c, const char *keypath,
                                    const void **field)
{
    char buf[256];
    const struct section *sec = &schema_root;
    const char *base = (const char *)c;
    if (snprintf(buf, sizeof(buf), "%s", keypath) >= (int)sizeof(buf))
        return NULL;
    char *save = NULL, *seg = strtok_r(buf, ".", &save);
    while (seg) {
        char *next = strtok_r(NULL, ".", &save);
        for (size_t i = 0; i < sec->nparams; i++)
            if (!next && strcmp(sec->params[i].key, seg) == 0) {
                *field = base + sec->params[i].offset;
                return &sec->params[i];
            }
        const struct section *sub = NULL;
        for (size_t i = 0; i < sec->nsubs; i++)
            if (strcmp(sec->subs[i]->key, seg) == 0)
                sub = sec->subs[i];
        if (!sub || !next)
            return NULL;
        if (sub->is_list) {
            char *end;
            unsigned long idx = strtoul(next, &end, 10);
            unsigned count = *(const unsigned *)(base + sub->count_offset);
            if (*end || end == next || idx >= count)
                return NULL;
            base = base + sub->offset + idx * sub->elem_size;
            next = strtok_r(NULL, ".", &save);
            if (!next)
                return NULL;
        } else {
            base = base + sub->offset;
        }
        sec = sub;
        seg = next;
    }
    return NULL;
}

bool config_get(const struct study_config *c, const char *keypath, char *buf, size_t len)
{
    const void *field;
    const struct param *p = field_at(c, keypath, &field);
    if (!p) {
        if (len)
            buf[0] = '\0';
        return false;
    }
    config_format_value(p, field, buf, len);
    return true;
}

/* ---- show-config ---- */

/* Every key is written, so the output resolves to the same config; a
 * preset named in it is harmless, as the study's own keys override it. */
static void emit_params(FILE *f, const struct section *sec, const char *base, int indent,
                        bool first_dash)
{
    for (size_t i = 0; i < sec->nparams; i++) {
        const struct param *p = &sec->params[i];
        char v[4096];
        config_format_value(p, base + p->offset, v, sizeof(v));
        if (i == 0 && first_dash)
            fprintf(f, "%*s- %s: %s\n", indent - 2, "", p->key, v);
        else
            fprintf(f, "%*s%s: %s\n", indent, "", p->key, v);
    }
}

static void emit_section(FILE *f, const struct section *sec, const char *base, int indent)
{
    emit_params(f, sec, base, indent, false);
    for (size_t i = 0; i < sec->nsubs; i++) {
        const struct section *sub = sec->subs[i];
        if (sub->is_list) {
            unsigned n = *(const unsigned *)(base + sub->count_offset);
            if (n == 0) {
                fprintf(f, "%*s%s: []\n", indent, "", sub->key);
                continue;
            }
            fprintf(f, "%*s%s:\n", indent, "", sub->key);
            for (unsigned k = 0; k < n; k++) {
                const char *eb = base + sub->offset + k * sub->elem_size;
                emit_params(f, sub, eb, indent + 4, true);
            }
            continue;
        }
        fprintf(f, "%*s%s:\n", indent, "", sub->key);
        emit_section(f, sub, base + sub->offset, indent + 2);
    }
}

int config_emit_yaml(const struct study_config *c, FILE *f)
{
    if (!c || !f)
        return -1;
    emit_section(f, &schema_root, (const char *)c, 0);
    for (int zip = 0; zip < 2; zip++) {
        bool any = false;
        for (unsigned a = 0; a < c->nsweep; a++)
            any |= c->sweep[a].zip == (zip == 1);
        if (!any)
            continue;
        fprintf(f, "%s:\n", zip ? "sweep_zip" : "sweep");
        for (unsigned a = 0; a < c->nsweep; a++) {
            if (c->sweep[a].zip != (zip == 1))
                continue;
            fprintf(f, "  %s: [", c->sweep[a].key);
            for (unsigned v = 0; v < c->sweep[a].nvalues; v++) {
                char q[512];
                quote(c->sweep[a].values[v], q, sizeof(q));
                fprintf(f, "%s%s", v ? ", " : "", q);
            }
            fprintf(f, "]\n");
        }
    }
    return ferror(f) ? -1 : 0;
}

/* ---- docs/config.md ---- */

static const char *type_name(enum param_type t)
{
    static const char *const names[] = {"bool",   "int",    "uint",   "size",       "count",
                                        "number", "choice", "string", "string list"};
    return names[t];
}

static void doc_section(FILE *f, const struct section *sec, const char *prefix)
{
    char path[128];
    if (sec->key)
        snprintf(path, sizeof(path), "%s%s%s%s", prefix, *prefix ? "." : "", sec->key,
                 sec->is_list ? "[]" : "");
    else
        snprintf(path, sizeof(path), "%s", prefix);
    if (sec->nparams) {
        fprintf(f, "## %s\n\n%s\n\n", *path ? path : "top level", sec->doc);
        fprintf(f, "| key | type | default | range or choices | unit | description |\n");
        fprintf(f, "|---|---|---|---|---|---|\n");
        for (size_t i = 0; i < sec->nparams; i++) {
            const struct param *p = &sec->params[i];
            char range[256] = "";
            if (p->type == PARAM_ENUM) {
                /* Only the built-in choices: ISA names registered by tests are not docs. */
                size_t at = 0;
                for (int k = 0; p->choices[k] && at < sizeof(range); k++) {
                    if (k >= 2 && strcmp(p->key, "isa") == 0)
                        break;
                    at += (size_t)snprintf(range + at, sizeof(range) - at, "%s`%s`", k ? ", " : "",
                                           p->choices[k]);
                }
            } else if (p->min <= p->max) {
                if (p->max >= PARAM_NOBOUND_HI)
                    snprintf(range, sizeof(range), ">= %.0f", p->min);
                else if (p->type == PARAM_SIZE) {
                    char lo[32], hi[32];
                    units_format_size((uint64_t)p->min, lo, sizeof(lo));
                    units_format_size((uint64_t)p->max, hi, sizeof(hi));
                    snprintf(range, sizeof(range), "%s .. %s", lo, hi);
                } else
                    snprintf(range, sizeof(range), "%.17g .. %.17g", p->min, p->max);
            }
            const char *def = p->def ? p->def : "*required*";
            if (p->def && strcmp(p->def, "null") == 0)
                def = "none";
            fprintf(f, "| `%s%s%s` | %s | %s%s%s | %s | %s | %s |\n", path, *path ? "." : "",
                    p->key, type_name(p->type), p->def ? "`" : "", def, p->def ? "`" : "", range,
                    p->unit, p->doc);
        }
        fprintf(f, "\n");
    }
    for (size_t i = 0; i < sec->nsubs; i++)
        doc_section(f, sec->subs[i], path);
}

int config_write_doc(FILE *f)
{
    fprintf(f,
            "# Study configuration reference\n"
            "\n"
            "<!-- generated by `vtsim docs config` from the parameter tables; do not edit -->\n"
            "\n"
            "A study is one YAML file. Every key is listed below with its type, default,\n"
            "accepted range and unit; an unknown key, a wrong type, a value out of range or a\n"
            "missing required key is reported as `FILE:LINE:COLUMN: error: ...` (with a\n"
            "suggestion for a misspelt key) and nothing runs.\n"
            "\n"
            "**Precedence** (lowest first): the defaults below, the machine preset\n"
            "(`machine.preset`), the study's own keys, `--set key.path=value` on the command\n"
            "line, and the values of the sweep point being run.\n"
            "\n"
            "**Sizes** are bytes, or a number with `KiB`, `MiB`, `GiB`, `TiB` (`KB`, `MB`,\n"
            "`GB`, `TB` mean the same binary multiples): `64`, `16KiB`, `1.5MiB`.\n"
            "**Counts** are plain numbers, or with `K`, `M`, `G`, `T` (decimal) or an\n"
            "exponent: `1000`, `50M`, `2e9`. Integers may contain `_` between digits and\n"
            "may be hexadecimal (`0x1000`). **Booleans** are `true`/`false` (also\n"
            "`yes`/`no`, `on`/`off`). A string key set to `null` is unset.\n"
            "\n"
            "**Presets**: `machine.preset: NAME` reads `NAME.yaml`, a mapping of `machine`\n"
            "keys, from the directories in `VTSIM_PRESET_PATH` (colon-separated), then from\n"
            "`configs/machines/`.\n"
            "\n"
            "**Key paths** name a value for `--set` and `sweep`: sections and keys joined by\n"
            "dots, list elements by index: `machine.cores`, `run.max_cycles`,\n"
            "`vms.0.vcpus`.\n"
            "\n"
            "**Sweep**: `sweep:` maps key paths to lists of values; every combination (the\n"
            "cross product, last key varying fastest) is one run, at most %d points over\n"
            "at most %d keys:\n"
            "\n"
            "```yaml\n"
            "sweep:\n"
            "  machine.cores: [1, 2, 4]\n"
            "  vms.0.vcpus: [1, 2]\n"
            "```\n"
            "\n"
            "**sweep_zip** maps key paths to lists of the same length that move together\n"
            "(the i-th values of every list form one setting); together they act as one\n"
            "more axis, varying fastest, crossed with the `sweep` axes.\n"
            "\n",
            SCHEMA_MAX_POINTS, SCHEMA_MAX_AXES);
    doc_section(f, &schema_root, "");
    return ferror(f) ? -1 : 0;
}
