/*
 * rerun.c - `vtsim rerun RESULTS_DIR`: run the resolved study of a
 * finished run again and report, point by point, whether stats.json came
 * out byte-for-byte identical (the determinism promise, checked on real
 * results), and whether the images it ran are still the same bytes.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "model/base/file.h"
#include "sim/results_read.h"
#include "sim/rerun.h"
#include "sim/sha256.h"
#include "sim/study_run.h"

static bool same_file(const char *a, const char *b)
{
    size_t la, lb;
    char *x, *y;
    int ra = file_read_all(a, 1u << 30, &x, &la), rb = file_read_all(b, 1u << 30, &y, &lb);
    bool same = !ra && !rb && la == lb && memcmp(x, y, la) == 0;
    free(x);
    free(y);
    return same;
}

int rerun_main(const char *dir, const char *out_dir, unsigned jobs, int argc, char **argv)
{
    char cfg[PATH_MAX], out[PATH_MAX], err[512];
    struct stat st;
    snprintf(cfg, sizeof(cfg), "%s/config.yaml", dir);
    if (stat(cfg, &st) != 0) {
        fprintf(stderr, "vtsim: %s: not a results folder (no config.yaml)\n", dir);
        return EXIT_BAD_INPUT;
    }
    if (out_dir) {
        snprintf(out, sizeof(out), "%s", out_dir);
    } else {
        unsigned n = 1;
        do
            snprintf(out, sizeof(out), "%s/rerun-%u", dir, n++);
        while (stat(out, &st) == 0 && n < 10000);
    }
    struct run_opts o = {
        .study_path = cfg,
        .out_dir = out,
        .jobs = jobs,
        .progress = PROGRESS_AUTO,
        .quiet = true,
        .argc = argc,
        .argv = argv,
    };
    int rc = study_run(&o);
    if (rc == EXIT_BAD_INPUT)
        return rc;
    struct run_data *a = run_read(dir, err, sizeof(err));
    struct run_data *b = a ? run_read(out, err, sizeof(err)) : NULL;
    if (!a || !b) {
        fprintf(stderr, "vtsim: %s\n", err);
        run_free(a);
        return EXIT_BAD_INPUT;
    }
    const struct jval *imgs = jread_get(a->manifest, "images");
    for (size_t i = 0; imgs && imgs->kind == J_ARR && i < imgs->n; i++) {
        const struct jval *path = jread_get(imgs->items[i], "path");
        const struct jval *h = jread_get(imgs->items[i], "sha256");
        char now[65];
        if (!path || path->kind != J_STR)
            continue;
        bool readable = sha256_file(path->str, now) == 0;
        if (!h || h->kind != J_STR || !readable || strcmp(h->str, now) != 0)
            printf("image %s: %s since the original run\n", path->str,
                   readable ? "changed" : "unreadable");
    }
    unsigned same = 0, differ = 0;
    for (size_t i = 0; i < a->npoints; i++) {
        char pa[PATH_MAX + 32], pb[PATH_MAX + 32];
        const char *name = a->points[i].name;
        snprintf(pa, sizeof(pa), "%s/%s/stats.json", dir, *name ? name : ".");
        snprintf(pb, sizeof(pb), "%s/%s/stats.json", out, *name ? name : ".");
        if (same_file(pa, pb)) {
            same++;
        } else {
            differ++;
            printf("point %s: stats.json differs (see vtsim compare %s %s)\n",
                   *name ? name : "(single)", dir, out);
        }
    }
    printf("rerun in %s: %u point%s identical, %u different\n", out, same, same == 1 ? "" : "s",
           differ);
    run_free(a);
    run_free(b);
    return differ ? EXIT_RUN_FAILED : EXIT_OK;
}
