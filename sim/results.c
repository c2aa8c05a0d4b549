/*
 * results.c - results folder layout, point status, per-point files
 * (see results.h).  Cold code: runs once per point.
 */
#include "sim/results.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "model/base/stats.h"
#include "sim/config.h"
#include "sim/csv.h"
#include "sim/schema.h"

enum point_status results_classify(const struct run_result *res)
{
    switch (res->reason) {
    case STOP_EXIT:
        return res->exit_status == 0 ? POINT_OK : POINT_GUEST_FAILED;
    case STOP_MAX_CYCLES:
        return POINT_OK;
    case STOP_FATAL:
        return POINT_FATAL;
    case STOP_IDLE:
        return POINT_IDLE;
    case STOP_NO_HARTS:
        return POINT_ERROR;
    }
    return POINT_ERROR;
}

const char *results_status_text(const struct point_result *r)
{
    static char buf[320];
    switch (r->status) {
    case POINT_OK:
        if (r->reason == STOP_MAX_CYCLES)
            return "ok (run.max_cycles reached)";
        return "ok";
    case POINT_GUEST_FAILED:
        snprintf(buf, sizeof(buf), "failed: exit status %d", r->exit_status);
        return buf;
    case POINT_FATAL:
    case POINT_IDLE:
    case POINT_ERROR:
        snprintf(buf, sizeof(buf), "failed: %s", r->message);
        return buf;
    }
    return "?";
}

void results_print_fatal(FILE *f, const struct fatal_info *fi)
{
    fprintf(f, "vtsim: fatal: hart %u ip 0x%llx bytes", fi->hart, (unsigned long long)fi->ip);
    if (!fi->nbytes)
        fprintf(f, " (unreadable)");
    for (unsigned i = 0; i < fi->nbytes && i < sizeof(fi->bytes); i++)
        fprintf(f, " %02x", fi->bytes[i]);
    fprintf(f, ": %s\n", fi->cause);
}

int results_mkdir(const char *path, char *err, size_t errlen)
{
    char tmp[PATH_MAX];
    if (snprintf(tmp, sizeof(tmp), "%s", path) >= (int)sizeof(tmp)) {
        snprintf(err, errlen, "%s: path too long", path);
        return -1;
    }
    for (char *p = tmp + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(tmp, 0777) != 0 && errno != EEXIST) {
            snprintf(err, errlen, "%s: cannot create: %s", tmp, strerror(errno));
            return -1;
        }
        *p = '/';
    }
    if (mkdir(tmp, 0777) != 0 && errno != EEXIST) {
        snprintf(err, errlen, "%s: cannot create: %s", tmp, strerror(errno));
        return -1;
    }
    return 0;
}

void results_dirname(const char *path, char *buf, size_t len)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        snprintf(buf, len, ".");
    else if (slash == path)
        snprintf(buf, len, "/");
    else
        snprintf(buf, len, "%.*s", (int)(slash - path), path);
}

static bool dir_is_empty(const char *path)
{
    DIR *d = opendir(path);
    if (!d)
        return false;
    struct dirent *e;
    bool empty = true;
    while ((e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            empty = false;
    closedir(d);
    return empty;
}

int results_make_run_dir(const char *out_dir, const char *study, char *buf, size_t len, char *err,
                         size_t errlen)
{
    struct stat st;
    if (out_dir) {
        if (stat(out_dir, &st) == 0) {
            if (!S_ISDIR(st.st_mode) || !dir_is_empty(out_dir)) {
                snprintf(err, errlen, "%s: already exists and is not empty; refusing to overwrite",
                         out_dir);
                return -1;
            }
        }
        snprintf(buf, len, "%s", out_dir);
        return results_mkdir(buf, err, errlen);
    }
    char parent[PATH_MAX], stamp[32];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", &tm);
    snprintf(parent, sizeof(parent), "results/%s", study);
    if (results_mkdir(parent, err, errlen) != 0)
        return -1;
    /* mkdir is the atomic claim: two runs started in the same second get -2, -3... */
    for (unsigned n = 1; n < 1000; n++) {
        if (n == 1)
            snprintf(buf, len, "%s/%s", parent, stamp);
        else
            snprintf(buf, len, "%s/%s-%u", parent, stamp, n);
        if (mkdir(buf, 0777) == 0)
            return 0;
        if (errno != EEXIST) {
            snprintf(err, errlen, "%s: cannot create: %s", buf, strerror(errno));
            return -1;
        }
    }
    snprintf(err, errlen, "%s: too many runs in one second", parent);
    return -1;
}

void results_point_dir(const char *run_dir, const char *name, char *buf, size_t len)
{
    if (!name || !*name)
        snprintf(buf, len, "%s", run_dir);
    else
        snprintf(buf, len, "%s/%s", run_dir, name);
}

static FILE *open_in(const char *dir, const char *file, char *err, size_t errlen)
{
    char path[PATH_MAX];
    snprintf(path, sizeof(path), "%s/%s", dir, file);
    FILE *f = fopen(path, "w");
    if (!f)
        snprintf(err, errlen, "%s: cannot write: %s", path, strerror(errno));
    return f;
}

static int close_checked(FILE *f, const char *dir, const char *file, char *err, size_t errlen)
{
    int bad = ferror(f);
    if (fclose(f) != 0 || bad) {
        snprintf(err, errlen, "%s/%s: write error", dir, file);
        return -1;
    }
    return 0;
}

int results_write_config(const char *run_dir, const struct study_config *cfg, char *err,
                         size_t errlen)
{
    FILE *f = open_in(run_dir, "config.yaml", err, errlen);
    if (!f)
        return -1;
    fprintf(f, "# Resolved study: presets, defaults and --set applied.  Re-run with\n"
               "#   vtsim run config.yaml\n");
    config_emit_yaml(cfg, f);
    return close_checked(f, run_dir, "config.yaml", err, errlen);
}

/* A stat is "top level" when no segment of its name is an instance
 * ("cpu.cycles" yes, "cpu0.cycles" no): the summary's default columns. */
static bool top_level(const char *name)
{
    const char *seg = name;
    for (const char *p = name;; p++) {
        if (*p == '.' || *p == '\0') {
            if (p > seg && p[-1] >= '0' && p[-1] <= '9')
                return false;
            if (*p == '\0')
                return true;
            seg = p + 1;
        }
    }
}

struct row_ctx {
    struct csv_row *hdr, *row;
};

static void add_stat(void *arg, const char *name, double v)
{
    struct row_ctx *c = arg;
    if (!top_level(name))
        return;
    csv_row_add(c->hdr, name);
    csv_row_add_double(c->row, v);
}

int results_write_point(const char *dir, const struct study_config *cfg, struct stats *stats,
                        const struct point_result *r, char *err, size_t errlen)
{
    FILE *f = open_in(dir, "stats.json", err, errlen);
    if (!f)
        return -1;
    stats_write_json(stats, f);
    if (close_checked(f, dir, "stats.json", err, errlen) != 0)
        return -1;

    struct csv_row hdr = {0}, row = {0};
    csv_row_add(&hdr, "point");
    csv_row_add(&row, r->name);
    csv_row_add(&hdr, "status");
    csv_row_add(&row, results_status_text(r));
    if (cfg->report.n) {
        for (unsigned i = 0; i < cfg->report.n; i++) {
            double v;
            csv_row_add(&hdr, cfg->report.v[i]);
            if (stats_value(stats, "total", cfg->report.v[i], &v))
                csv_row_add_double(&row, v);
            else
                csv_row_add(&row, "");
        }
    } else {
        struct row_ctx c = {&hdr, &row};
        stats_visit(stats, "total", add_stat, &c);
    }
    int rc = -1;
    f = open_in(dir, "summary.csv", err, errlen);
    if (f) {
        csv_row_write(f, &hdr);
        csv_row_write(f, &row);
        rc = close_checked(f, dir, "summary.csv", err, errlen);
    }
    csv_row_free(&hdr);
    csv_row_free(&row);
    return rc;
}
