/*
 * fuzz_config.c - fuzz target for the study loader: load, resolve, expand
 * every sweep point, emit show-config, re-read the emission and check that
 * it resolves to the same text.  Any crash, leak, sanitizer report or
 * round-trip difference is a bug.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *emit(const struct study_config *c)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        return NULL;
    config_emit_yaml(c, f);
    fclose(f);
    return buf;
}

static struct study_config *load(const char *text, size_t len, struct config_src **srcp)
{
    struct diag d = {.out = NULL};
    struct study_config *c = NULL;
    struct config_src *src = config_load_buffer("fuzz.yaml", text, len, &d);
    if (src && config_resolve(src, &c, &d) != 0)
        c = NULL;
    *srcp = src;
    return c;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct config_src *src = NULL, *src2 = NULL;
    struct study_config *c = load((const char *)data, size, &src);
    if (!c)
        goto out;
    size_t n = config_npoints(c);
    for (size_t i = 0; i < n && i < 64; i++) {
        struct diag d = {.out = NULL};
        struct study_config *p = NULL;
        char name[128];
        if (config_resolve_point(src, i, &p, name, sizeof(name), &d) == 0)
            config_free(p);
    }
    char *y1 = emit(c);
    if (!y1)
        goto out;
    struct study_config *c2 = load(y1, strlen(y1), &src2);
    if (!c2) {
        fprintf(stderr, "show-config output does not resolve:\n%s\n", y1);
        abort();
    }
    char *y2 = emit(c2);
    if (!y2 || strcmp(y1, y2) != 0) {
        fprintf(stderr, "show-config round trip differs:\n%s\n---\n%s\n", y1, y2 ? y2 : "");
        abort();
    }
    free(y1);
    free(y2);
    config_free(c2);
out:
    config_free(c);
    config_src_free(src);
    config_src_free(src2);
    return 0;
}
