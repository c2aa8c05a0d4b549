/*
 * check.c - `vtsim check RESULTS_DIR`: the study's claims as a pass/fail
 * table (see claims.h for the language).
 */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "sim/claims.h"
#include "sim/config.h"
#include "sim/derived.h"
#include "sim/results_read.h"
#include "sim/study_run.h"
#include "sim/tools.h"

struct study_config *tools_load_run_config(const char *dir)
{
    char path[PATH_MAX];
    struct diag d = {.out = stderr};
    struct study_config *c = NULL;
    snprintf(path, sizeof(path), "%s/config.yaml", dir);
    struct config_src *src = config_load_file(path, &d);
    if (src && config_resolve(src, &c, &d) != 0)
        c = NULL;
    config_src_free(src);
    return c;
}

static void fmt_num(double v, char *buf, size_t len)
{
    if (isnan(v))
        snprintf(buf, len, "-");
    else
        snprintf(buf, len, "%.6g", v);
}

int tools_check_loaded(const struct study_config *cfg, const struct run_data *r, FILE *out)
{
    int rc = EXIT_OK;
    size_t w = strlen("claim");
    for (unsigned i = 0; i < cfg->nclaims; i++)
        if (strlen(cfg->claims[i].name) > w)
            w = strlen(cfg->claims[i].name);
    if (w > 60)
        w = 60;
    fprintf(out, "%-*s  %12s  %-14s  %s\n", (int)w, "claim", "measured", "bound", "result");
    for (unsigned i = 0; i < cfg->nclaims; i++) {
        const struct claim_config *c = &cfg->claims[i];
        struct claim_result res;
        claim_eval(c->expect, c->phase, c->tolerance, r, &res);
        char m[32], b[40], bound[48];
        fmt_num(res.left, m, sizeof(m));
        fmt_num(res.right, b, sizeof(b));
        snprintf(bound, sizeof(bound), "%s %s", res.op, b);
        const char *verdict = res.outcome == CLAIM_PASS   ? "PASS"
                              : res.outcome == CLAIM_FAIL ? "FAIL"
                                                          : "ERROR";
        fprintf(out, "%-*.*s  %12s  %-14s  %s\n", (int)w, (int)w, c->name,
                res.outcome == CLAIM_ERROR ? "-" : m, res.outcome == CLAIM_ERROR ? "-" : bound,
                verdict);
        if (res.outcome == CLAIM_ERROR) {
            fprintf(out, "  error: claim '%s': %s\n", c->name, res.message);
            rc = EXIT_BAD_INPUT;
        } else if (res.outcome == CLAIM_FAIL && rc == EXIT_OK) {
            rc = EXIT_RUN_FAILED;
        }
    }
    return rc;
}

int tools_check(const char *dir, FILE *out)
{
    char err[512];
    struct study_config *cfg = tools_load_run_config(dir);
    if (!cfg)
        return EXIT_BAD_INPUT;
    struct run_data *r = derived_run_read(dir, cfg, err, sizeof(err));
    if (!r) {
        fprintf(stderr, "vtsim: %s\n", err);
        config_free(cfg);
        return EXIT_BAD_INPUT;
    }
    int rc = EXIT_OK;
    if (cfg->nclaims == 0)
        fprintf(out, "%s: the study has no claims\n", dir);
    else
        rc = tools_check_loaded(cfg, r, out);
    run_free(r);
    config_free(cfg);
    return rc;
}
