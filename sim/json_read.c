/*
 * json_read.c - recursive-descent JSON reader (see json_read.h).  Cold.
 */
#include "sim/json_read.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/base/file.h"

#define MAX_DEPTH 64

struct reader {
    const char *s, *p, *end;
    char *err;
    size_t errlen;
    bool failed;
};

static void fail(struct reader *r, const char *msg)
{
    if (!r->failed)
        snprintf(r->err, r->errlen, "offset %ld: %s", (long)(r->p - r->s), msg);
    r->failed = true;
}

static void ws(struct reader *r)
{
    while (r->p < r->end && (*r->p == ' ' || *r->p == '\n' || *r->p == '\r' || *r->p == '\t'))
        r->p++;
}

void jread_free(struct jval *v)
{
    if (!v)
        return;
    for (size_t i = 0; i < v->n; i++) {
        if (v->keys)
            free(v->keys[i]);
        jread_free(v->items[i]);
    }
    free(v->keys);
    free(v->items);
    free(v->str);
    free(v);
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static char *parse_string(struct reader *r)
{
    size_t cap = 32, n = 0;
    char *out = malloc(cap);
    if (!out) {
        fail(r, "out of memory");
        return NULL;
    }
    r->p++; /* opening quote */
    while (r->p < r->end && *r->p != '"') {
        unsigned cp = (unsigned char)*r->p++;
        if (cp < 0x20) {
            fail(r, "control character in string");
            goto bad;
        }
        if (cp == '\\') {
            if (r->p >= r->end)
                break;
            char e = *r->p++;
            switch (e) {
            case '"':
            case '\\':
            case '/':
                cp = (unsigned char)e;
                break;
            case 'n':
                cp = '\n';
                break;
            case 't':
                cp = '\t';
                break;
            case 'r':
                cp = '\r';
                break;
            case 'b':
                cp = '\b';
                break;
            case 'f':
                cp = '\f';
                break;
            case 'u': {
                cp = 0;
                for (int i = 0; i < 4; i++) {
                    int h = r->p < r->end ? hexval(*r->p++) : -1;
                    if (h < 0) {
                        fail(r, "bad \\u escape");
                        goto bad;
                    }
                    cp = cp * 16 + (unsigned)h;
                }
                break;
            }
            default:
                fail(r, "bad escape");
                goto bad;
            }
        }
        /* UTF-8 encode (surrogates kept as-is: our writer never emits them). */
        char enc[4];
        size_t k;
        if (cp < 0x80) {
            enc[0] = (char)cp;
            k = 1;
        } else if (cp < 0x800) {
            enc[0] = (char)(0xc0 | (cp >> 6));
            enc[1] = (char)(0x80 | (cp & 0x3f));
            k = 2;
        } else {
            enc[0] = (char)(0xe0 | (cp >> 12));
            enc[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
            enc[2] = (char)(0x80 | (cp & 0x3f));
            k = 3;
        }
        if (n + k + 1 > cap) {
            char *nb = realloc(out, cap * 2);
            if (!nb) {
                fail(r, "out of memory");
                goto bad;
            }
            out = nb;
            cap *= 2;
        }
        memcpy(out + n, enc, k);
        n += k;
    }
    if (r->p >= r->end) {
        fail(r, "unterminated string");
        goto bad;
    }
    r->p++;
    out[n] = '\0';
    return out;
bad:
    free(out);
    return NULL;
}

static struct jval *parse_value(struct reader *r, int depth);

static int push(struct jval *v, char *key, struct jval *item, size_t *cap)
{
    if (v->n == *cap) {
        size_t nc = *cap ? *cap * 2 : 8;
        struct jval **ni = realloc(v->items, nc * sizeof(*ni));
        if (!ni)
            return -1;
        v->items = ni;
        if (v->kind == J_OBJ) {
            char **nk = realloc(v->keys, nc * sizeof(*nk));
            if (!nk)
                return -1;
            v->keys = nk;
        }
        *cap = nc;
    }
    if (v->kind == J_OBJ)
        v->keys[v->n] = key;
    v->items[v->n++] = item;
    return 0;
}

static struct jval *parse_container(struct reader *r, int depth, bool obj)
{
    struct jval *v = calloc(1, sizeof(*v));
    size_t cap = 0;
    if (!v) {
        fail(r, "out of memory");
        return NULL;
    }
    v->kind = obj ? J_OBJ : J_ARR;
    r->p++;
    ws(r);
    if (r->p < r->end && *r->p == (obj ? '}' : ']')) {
        r->p++;
        return v;
    }
    for (;;) {
        char *key = NULL;
        ws(r);
        if (obj) {
            if (r->p >= r->end || *r->p != '"') {
                fail(r, "expected a key");
                goto bad;
            }
            key = parse_string(r);
            if (!key)
                goto bad;
            ws(r);
            if (r->p >= r->end || *r->p != ':') {
                free(key);
                fail(r, "expected ':'");
                goto bad;
            }
            r->p++;
        }
        struct jval *item = parse_value(r, depth + 1);
        if (!item || push(v, key, item, &cap) != 0) {
            free(key);
            jread_free(item);
            fail(r, "out of memory");
            goto bad;
        }
        ws(r);
        if (r->p < r->end && *r->p == ',') {
            r->p++;
            continue;
        }
        if (r->p < r->end && *r->p == (obj ? '}' : ']')) {
            r->p++;
            return v;
        }
        fail(r, obj ? "expected ',' or '}'" : "expected ',' or ']'");
        goto bad;
    }
bad:
    jread_free(v);
    return NULL;
}

static struct jval *parse_value(struct reader *r, int depth)
{
    ws(r);
    if (depth > MAX_DEPTH) {
        fail(r, "nested too deeply");
        return NULL;
    }
    if (r->p >= r->end) {
        fail(r, "unexpected end");
        return NULL;
    }
    char c = *r->p;
    if (c == '{' || c == '[')
        return parse_container(r, depth, c == '{');
    struct jval *v = calloc(1, sizeof(*v));
    if (!v) {
        fail(r, "out of memory");
        return NULL;
    }
    if (c == '"') {
        v->kind = J_STR;
        v->str = parse_string(r);
        if (!v->str)
            goto bad;
        return v;
    }
    static const struct {
        const char *w;
        enum jkind k;
        bool b;
    } words[] = {{"null", J_NULL, false}, {"true", J_BOOL, true}, {"false", J_BOOL, false}};
    for (int i = 0; i < 3; i++) {
        size_t l = strlen(words[i].w);
        if ((size_t)(r->end - r->p) >= l && memcmp(r->p, words[i].w, l) == 0) {
            r->p += l;
            v->kind = words[i].k;
            v->b = words[i].b;
            return v;
        }
    }
    const char *start = r->p;
    while (r->p < r->end && strchr("+-0123456789.eE", *r->p))
        r->p++;
    if (r->p == start) {
        fail(r, "unexpected character");
        goto bad;
    }
    v->kind = J_NUM;
    v->str = strndup(start, (size_t)(r->p - start));
    if (!v->str)
        goto bad;
    char *e;
    v->num = strtod(v->str, &e);
    if (*e) {
        fail(r, "malformed number");
        goto bad;
    }
    return v;
bad:
    jread_free(v);
    return NULL;
}

struct jval *jread_parse(const char *text, size_t len, char *err, size_t errlen)
{
    struct reader r = {text, text, text + len, err, errlen, false};
    struct jval *v = parse_value(&r, 0);
    ws(&r);
    if (v && r.p != r.end) {
        fail(&r, "trailing characters");
        jread_free(v);
        return NULL;
    }
    return v;
}

struct jval *jread_file(const char *path, char *err, size_t errlen)
{
    char *buf, perr[128];
    size_t n;
    int rc = file_read_all(path, 1u << 30, &buf, &n);
    if (rc) {
        snprintf(err, errlen, "%s: cannot read: %s", path, strerror(rc));
        return NULL;
    }
    struct jval *v = jread_parse(buf, n, perr, sizeof(perr));
    free(buf);
    if (!v)
        snprintf(err, errlen, "%s: %s", path, perr);
    return v;
}

const struct jval *jread_get(const struct jval *obj, const char *key)
{
    if (!obj || obj->kind != J_OBJ)
        return NULL;
    for (size_t i = 0; i < obj->n; i++)
        if (strcmp(obj->keys[i], key) == 0)
            return obj->items[i];
    return NULL;
}
