/*
 * plot.c - the study's plots: for each, plots/<name>.dat (the numbers),
 * plots/<name>.gp (a gnuplot script that a user may edit and re-run with
 * `cd plots && gnuplot <name>.gp`) and, when gnuplot is installed, the PNG
 * and SVG it renders.  Without gnuplot the data and scripts are still
 * written and a warning says how to render them.
 *
 * x is a swept key path (its values are categories, or numbers when they
 * all parse as numbers) or a stat; series is a swept key path splitting
 * the points into one line or bar group per value.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sim/claims.h"
#include "sim/config.h"
#include "sim/derived.h"
#include "sim/results.h"
#include "sim/results_read.h"
#include "sim/study_run.h"
#include "sim/tools.h"

#define MAX_VALUES 512

/* Distinct values in first-seen order. */
struct values {
    const char *v[MAX_VALUES];
    size_t n;
};

static size_t intern(struct values *vs, const char *s)
{
    for (size_t i = 0; i < vs->n; i++)
        if (strcmp(vs->v[i], s) == 0)
            return i;
    if (vs->n == MAX_VALUES)
        return MAX_VALUES;
    vs->v[vs->n] = s;
    return vs->n++;
}

static bool is_number(const char *s, double *v)
{
    char *end;
    *v = strtod(s, &end);
    return *s && !*end;
}

/* A gnuplot string literal. */
static void gp_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            fputc('\\', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

static bool valid_name(const char *s)
{
    if (!*s || strlen(s) > 64)
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_' || *s == '-'))
            return false;
    return true;
}

/* x of a point: the swept parameter's text, or a stat formatted. */
static const char *x_of(const struct plot_config *pc, const struct run_point *p, char *buf,
                        size_t len)
{
    const char *v = run_param(p, pc->x);
    if (v)
        return v;
    double d;
    if (!run_stat(p, pc->phase, pc->x, &d))
        return NULL;
    snprintf(buf, len, "%.17g", d);
    return buf;
}

static int write_plot(const struct plot_config *pc, const struct run_data *r, const char *pdir)
{
    struct values xs = {{0}, 0}, ss = {{0}, 0};
    static char xbuf[4096][40];
    double *grid = NULL;
    int rc = -1;
    if (!valid_name(pc->name)) {
        fprintf(stderr, "vtsim: plot '%s': name must be [a-z0-9_-]+\n", pc->name);
        return -1;
    }
    /* Which points the plot shows (`where`). */
    bool *shown = calloc(r->npoints ? r->npoints : 1, sizeof(*shown));
    if (!shown)
        return -1;
    for (size_t i = 0; i < r->npoints; i++) {
        char err[256];
        int m = pc->where ? claim_select_any(pc->where, &r->points[i], err, sizeof(err)) : 1;
        if (m < 0) {
            fprintf(stderr, "vtsim: plot '%s': where '%s': %s\n", pc->name, pc->where, err);
            free(shown);
            return -1;
        }
        shown[i] = m;
    }
    /* Pass 1: the x and series values. */
    for (size_t i = 0; i < r->npoints && i < 4096; i++) {
        const struct run_point *p = &r->points[i];
        if (!shown[i])
            continue;
        const char *x = x_of(pc, p, xbuf[i], sizeof(xbuf[i]));
        const char *s = pc->series ? run_param(p, pc->series) : "";
        if (!x || !s) {
            fprintf(stderr, "vtsim: plot '%s': point '%s' has no %s '%s'\n", pc->name, p->name,
                    !x ? "x" : "series", !x ? pc->x : pc->series);
            free(shown);
            return -1;
        }
        if (intern(&xs, x) == MAX_VALUES || intern(&ss, s) == MAX_VALUES) {
            fprintf(stderr, "vtsim: plot '%s': too many distinct values\n", pc->name);
            free(shown);
            return -1;
        }
    }
    grid = malloc(sizeof(*grid) * (xs.n ? xs.n : 1) * (ss.n ? ss.n : 1));
    if (!grid) {
        free(shown);
        return -1;
    }
    for (size_t i = 0; i < xs.n * ss.n; i++)
        grid[i] = NAN;
    for (size_t i = 0; i < r->npoints && i < 4096; i++) {
        const struct run_point *p = &r->points[i];
        double y;
        if (!shown[i])
            continue;
        if (!run_stat(p, pc->phase, pc->y, &y)) {
            fprintf(stderr, "vtsim: plot '%s': no stat '%s' in phase '%s' of point '%s'\n",
                    pc->name, pc->y, pc->phase, *p->name ? p->name : "(single)");
            goto out;
        }
        size_t xi = intern(&xs, x_of(pc, p, xbuf[i], sizeof(xbuf[i])));
        size_t si = intern(&ss, pc->series ? run_param(p, pc->series) : "");
        if (!isnan(grid[xi * ss.n + si])) {
            /* Two points on one mark would hide one of them. */
            fprintf(stderr,
                    "vtsim: plot '%s': several points at %s=%s%s%s; choose one with `where`\n",
                    pc->name, pc->x, xs.v[xi], pc->series ? ", series " : "",
                    pc->series ? ss.v[si] : "");
            goto out;
        }
        grid[xi * ss.n + si] = y;
    }
    bool numeric_x = pc->kind == PLOT_LINE || pc->kind == PLOT_SCATTER;
    for (size_t i = 0; i < xs.n && numeric_x; i++) {
        double d;
        numeric_x = is_number(xs.v[i], &d);
    }

    /* Data: one row per x, one column per series (NaN = no point). */
    char path[PATH_MAX];
    snprintf(path, sizeof(path), "%s/%s.dat", pdir, pc->name);
    FILE *f = fopen(path, "w");
    if (!f) {
        fprintf(stderr, "vtsim: %s: cannot write: %s\n", path, strerror(errno));
        goto out;
    }
    fprintf(f, "# %s", pc->x);
    for (size_t s = 0; s < ss.n; s++)
        fprintf(f, "\t%s%s%s", pc->series ? pc->series : pc->y, pc->series ? "=" : "",
                pc->series ? ss.v[s] : "");
    fputc('\n', f);
    for (size_t x = 0; x < xs.n; x++) {
        fprintf(f, numeric_x ? "%s" : "\"%s\"", xs.v[x]);
        for (size_t s = 0; s < ss.n; s++) {
            double v = grid[x * ss.n + s];
            if (isnan(v))
                fprintf(f, "\tNaN");
            else
                fprintf(f, "\t%.17g", v);
        }
        fputc('\n', f);
    }
    fclose(f);

    /* Script: renders PNG then SVG from the data, run from plots/. */
    snprintf(path, sizeof(path), "%s/%s.gp", pdir, pc->name);
    f = fopen(path, "w");
    if (!f) {
        fprintf(stderr, "vtsim: %s: cannot write: %s\n", path, strerror(errno));
        goto out;
    }
    fprintf(f, "# Plot '%s' of a vtsim run; re-render with: cd plots && gnuplot %s.gp\n", pc->name,
            pc->name);
    fprintf(f, "set datafile missing \"NaN\"\n");
    fprintf(f, "set title ");
    if (pc->title) {
        gp_string(f, pc->title);
    } else {
        char t[300];
        snprintf(t, sizeof(t), "%s vs %s", pc->y, pc->x);
        gp_string(f, t);
    }
    fprintf(f, "\nset xlabel ");
    gp_string(f, pc->xlabel ? pc->xlabel : pc->x);
    fprintf(f, "\nset ylabel ");
    gp_string(f, pc->ylabel ? pc->ylabel : pc->y);
    fprintf(f, "\nset grid ytics\nset key outside right top\n");
    if (pc->logx && numeric_x)
        fprintf(f, "set logscale x\n");
    if (pc->logy)
        fprintf(f, "set logscale y\n");
    if (pc->kind == PLOT_BAR || pc->kind == PLOT_STACKED) {
        fprintf(f, "set style data histograms\nset style histogram %s\n",
                pc->kind == PLOT_BAR ? "clustered gap 1" : "rowstacked");
        fprintf(f, "set style fill solid 0.8 border -1\nset boxwidth 0.9\n");
        if (!pc->logy)
            fprintf(f, "set yrange [0:*]\n");
    }
    fprintf(f, "set terminal png size 960,600 noenhanced\nset output \"%s.png\"\n", pc->name);
    fprintf(f, "plot");
    for (size_t s = 0; s < ss.n; s++) {
        char title[300];
        if (pc->series)
            snprintf(title, sizeof(title), "%s=%s", pc->series, ss.v[s]);
        else
            snprintf(title, sizeof(title), "%s", pc->y);
        fprintf(f, "%s \"%s.dat\" using ", s ? ", \\\n    " : " ", pc->name);
        if (pc->kind == PLOT_BAR || pc->kind == PLOT_STACKED)
            fprintf(f, "%zu:xtic(1)", s + 2);
        else if (numeric_x)
            fprintf(f, "1:%zu", s + 2);
        else
            fprintf(f, "0:%zu:xtic(1)", s + 2);
        fprintf(f, " title ");
        gp_string(f, title);
        if (pc->kind == PLOT_LINE)
            fprintf(f, " with linespoints");
        else if (pc->kind == PLOT_SCATTER)
            fprintf(f, " with points");
    }
    fprintf(f, "\nset terminal svg size 960,600 noenhanced\nset output \"%s.svg\"\nreplot\n",
            pc->name);
    fclose(f);
    rc = 0;
out:
    free(grid);
    free(shown);
    return rc;
}

/* Run gnuplot NAME.gp in pdir.  0 ok, 1 gnuplot missing, -1 it failed. */
static int render(const char *pdir, const char *name)
{
    char script[160];
    snprintf(script, sizeof(script), "%s.gp", name);
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        if (chdir(pdir) != 0)
            _exit(126);
        execlp("gnuplot", "gnuplot", script, (char *)NULL);
        _exit(errno == ENOENT ? 127 : 126);
    }
    int st;
    if (waitpid(pid, &st, 0) < 0)
        return -1;
    if (WIFEXITED(st) && WEXITSTATUS(st) == 127)
        return 1;
    return (WIFEXITED(st) && WEXITSTATUS(st) == 0) ? 0 : -1;
}

int tools_plot_loaded(const struct study_config *cfg, const struct run_data *r, bool quiet)
{
    char pdir[PATH_MAX], err[256];
    int rc = EXIT_OK;
    bool warned = false;
    if (cfg->nplots == 0)
        return EXIT_OK;
    snprintf(pdir, sizeof(pdir), "%s/plots", r->dir);
    if (results_mkdir(pdir, err, sizeof(err)) != 0) {
        fprintf(stderr, "vtsim: %s\n", err);
        return EXIT_BAD_INPUT;
    }
    for (unsigned i = 0; i < cfg->nplots; i++) {
        const struct plot_config *pc = &cfg->plots[i];
        if (write_plot(pc, r, pdir) != 0) {
            rc = EXIT_BAD_INPUT;
            continue;
        }
        int g = render(pdir, pc->name);
        if (g == 1 && !warned) {
            fprintf(stderr,
                    "vtsim: warning: gnuplot not found; data and scripts are in %s: render "
                    "with `cd %s && gnuplot NAME.gp` (scripts/setup installs gnuplot-nox)\n",
                    pdir, pdir);
            warned = true;
        } else if (g < 0) {
            fprintf(stderr, "vtsim: plot '%s': gnuplot failed on %s/%s.gp\n", pc->name, pdir,
                    pc->name);
            rc = EXIT_BAD_INPUT;
        } else if (g == 0 && !quiet) {
            fprintf(stderr, "vtsim: plot %s/%s.png and .svg\n", pdir, pc->name);
        }
    }
    return rc;
}

int tools_plot(const char *dir, bool quiet)
{
    char err[512];
    struct study_config *cfg = tools_load_run_config(dir);
    if (!cfg)
        return EXIT_BAD_INPUT;
    struct run_data *r = derived_run_read(dir, cfg, err, sizeof(err));
    int rc = EXIT_BAD_INPUT;
    if (!r)
        fprintf(stderr, "vtsim: %s\n", err);
    else if (cfg->nplots == 0) {
        fprintf(stderr, "vtsim: %s: the study has no plots\n", dir);
        rc = EXIT_OK;
    } else
        rc = tools_plot_loaded(cfg, r, quiet);
    run_free(r);
    config_free(cfg);
    return rc;
}
