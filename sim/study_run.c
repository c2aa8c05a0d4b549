/*
 * study_run.c - `vtsim run` (see study_run.h).
 *
 * Flow: load the study and --set overrides; resolve every sweep point (all
 * errors reported, nothing run on a bad config); create the results folder;
 * run the points, in forked worker processes when -j > 1 or when a point's
 * kernel needs a process of its own (SystemC elaborates once per process,
 * so with -j 1 its points still run one at a time, each in a child); merge the
 * per-point summaries into summary.csv; write manifest.json.
 *
 * Each point is one machine run from a fresh build, so points cannot
 * influence each other and the stats of a point are the same whatever -j.
 */
#include "sim/study_run.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sim/config.h"
#include "sim/derived.h"
#include "sim/kernel.h"
#include "sim/machine.h"
#include "sim/progress.h"
#include "sim/results.h"
#include "sim/results_read.h"
#include "sim/schema.h"
#include "sim/tools.h"

/* Runs one point in this process.  Fills *r; the point's files go to dir. */
static void run_point(const struct study_config *cfg, const char *study_dir, const char *dir,
                      const char *name, struct progress *prog, struct point_result *r)
{
    char err[256] = "";
    char console_dir[PATH_MAX];
    struct machine *m = NULL;
    double t0 = progress_now();

    memset(r, 0, sizeof(*r));
    snprintf(r->name, sizeof(r->name), "%s", name);
    r->status = POINT_ERROR;
    snprintf(console_dir, sizeof(console_dir), "%s/console", dir);
    if (results_mkdir(dir, err, sizeof(err)) != 0 ||
        results_mkdir(console_dir, err, sizeof(err)) != 0) {
        snprintf(r->message, sizeof(r->message), "%s", err);
        return;
    }
    if (machine_build(cfg, study_dir, console_dir, &m, err, sizeof(err)) != 0) {
        snprintf(r->message, sizeof(r->message), "%s", err);
        return;
    }

    struct run_limits lim = {
        .max_cycles = cfg->run.max_cycles,
        .progress = progress_update,
        .progress_ctx = prog,
    };
    struct run_result res;
    int rc = sched_run(m->sched, &lim, &res);
    progress_clear(prog);
    stats_finish(m->stats);
    r->wall_seconds = progress_now() - t0;
    r->end_cycle = res.end_cycle;
    for (unsigned i = 0; i < m->nharts; i++)
        r->instructions += m->harts[i]->retired;
    r->exit_status = res.exit_status;
    r->reason = res.reason;
    snprintf(r->message, sizeof(r->message), "%s", res.message);
    if (rc != 0)
        r->status = POINT_ERROR;
    else
        r->status = results_classify(&res);
    if (res.reason == STOP_FATAL)
        r->fatal = res.fatal;

    /* Stats are written whatever happened: a crash keeps what was gathered. */
    if (results_write_point(dir, cfg, m->stats, r, err, sizeof(err)) != 0) {
        snprintf(r->message, sizeof(r->message), "%s", err);
        r->status = POINT_ERROR;
    }
    machine_free(m);
}

/* Child side of a forked point: run, send the result down the pipe, exit. */
static void child_point(const struct study_config *cfg, const char *study_dir, const char *dir,
                        const char *name, int fd)
{
    struct progress prog = {.enabled = false};
    struct point_result r;
    run_point(cfg, study_dir, dir, name, &prog, &r);
    ssize_t n = write(fd, &r, sizeof(r));
    close(fd);
    _exit(n == (ssize_t)sizeof(r) ? 0 : 3);
}

struct job {
    pid_t pid;
    int fd;
    size_t point;
};

static int wait_one(struct job *jobs, unsigned *njobs, struct point_result *results)
{
    int st;
    pid_t pid = wait(&st);
    if (pid < 0)
        return -1;
    for (unsigned j = 0; j < *njobs; j++) {
        if (jobs[j].pid != pid)
            continue;
        struct point_result *r = &results[jobs[j].point];
        ssize_t n = read(jobs[j].fd, r, sizeof(*r));
        close(jobs[j].fd);
        if (n != (ssize_t)sizeof(*r)) {
            r->status = POINT_ERROR;
            snprintf(r->message, sizeof(r->message), "worker process died (status %d)", st);
        }
        jobs[j] = jobs[--*njobs];
        return 0;
    }
    return 0;
}

static unsigned host_cores(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (unsigned)n : 1;
}

static void print_point_line(const struct point_result *r, size_t i, size_t n)
{
    fprintf(stderr, "vtsim: point %zu/%zu %s: %s\n", i + 1, n, r->name[0] ? r->name : "(single)",
            results_status_text(r));
    if (r->status == POINT_FATAL)
        results_print_fatal(stderr, &r->fatal);
}

/* Plots and the claim check on the finished run (read back from its folder,
 * exactly as `vtsim plot` and `vtsim check` would). */
static int finish_plots_and_claims(const char *run_dir, const struct study_config *base, bool quiet)
{
    char err[512];
    if (base->nplots == 0 && base->nclaims == 0 && base->nderived == 0)
        return EXIT_OK;
    struct run_data *r = derived_run_read(run_dir, base, err, sizeof(err));
    if (!r || (base->nderived && derived_write_csv(base, r, err, sizeof(err)) != 0)) {
        fprintf(stderr, "vtsim: %s\n", err);
        run_free(r);
        return EXIT_RUN_FAILED;
    }
    int rc = tools_plot_loaded(base, r, quiet);
    if (base->nclaims) {
        int c = tools_check_loaded(base, r, stdout);
        if (c != EXIT_OK)
            rc = c;
    }
    run_free(r);
    return rc;
}

int study_run(const struct run_opts *o)
{
    struct diag d = {.out = stderr};
    struct config_src *src = NULL;
    struct study_config *base = NULL;
    struct study_config **cfgs = NULL;
    char(*names)[128] = NULL;
    struct point_result *results = NULL;
    char *config_text = NULL;
    size_t npoints = 0;
    int rc = EXIT_BAD_INPUT;
    char err[512];
    char run_dir[PATH_MAX];
    char study_dir[PATH_MAX];

    src = config_load_file(o->study_path, &d);
    if (!src)
        goto out;
    for (unsigned i = 0; i < o->nsets; i++)
        if (config_set(src, o->sets[i], &d) != 0)
            goto out;
    if (config_resolve(src, &base, &d) != 0)
        goto out;
    npoints = config_npoints(base);
    cfgs = calloc(npoints, sizeof(*cfgs));
    names = calloc(npoints, sizeof(*names));
    results = calloc(npoints, sizeof(*results));
    if (!cfgs || !names || !results) {
        fprintf(stderr, "vtsim: out of memory\n");
        goto out;
    }
    results_dirname(o->study_path, study_dir, sizeof(study_dir));
    for (size_t i = 0; i < npoints; i++) {
        if (config_resolve_point(src, i, &cfgs[i], names[i], sizeof(names[i]), &d) != 0)
            goto out;
        config_absolutize_images(cfgs[i], study_dir);
        if (machine_check_config(cfgs[i], err, sizeof(err)) != 0 ||
            machine_check_unbound_external(cfgs[i], err, sizeof(err)) != 0) {
            fprintf(stderr, "%s: error: %s%s%s\n", o->study_path, err,
                    *names[i] ? " at point " : "", names[i]);
            goto out;
        }
    }
    /* Folder names must differ: a long name is cut to fit, and two values
     * may read alike once made safe; the later point gets its number. */
    for (size_t i = 1; i < npoints; i++)
        for (size_t j = 0; j < i; j++)
            if (strcmp(names[i], names[j]) == 0) {
                char tag[24];
                int tl = snprintf(tag, sizeof(tag), "_p%zu", i);
                size_t n = strlen(names[i]), room = sizeof(names[i]) - 1 - (size_t)tl;
                memcpy(names[i] + (n < room ? n : room), tag, (size_t)tl + 1);
                j = (size_t)-1; /* check the new name against every earlier one */
            }
    config_absolutize_images(base, study_dir);
    if (results_make_run_dir(o->out_dir, base->study, run_dir, sizeof(run_dir), err, sizeof(err)) !=
        0) {
        fprintf(stderr, "vtsim: %s\n", err);
        goto out;
    }
    if (results_write_config(run_dir, base, err, sizeof(err)) != 0) {
        fprintf(stderr, "vtsim: %s\n", err);
        goto out;
    }

    double t0 = progress_now();
    time_t start = time(NULL);
    unsigned jobs = o->jobs ? o->jobs : host_cores();
    bool show = o->progress == PROGRESS_ON || (o->progress == PROGRESS_AUTO && isatty(2));

    bool own_process = false;
    for (size_t i = 0; i < npoints; i++)
        own_process |= kernel_needs_own_process(&cfgs[i]->run);

    if ((jobs <= 1 || npoints == 1) && !own_process) {
        for (size_t i = 0; i < npoints; i++) {
            char dir[PATH_MAX];
            results_point_dir(run_dir, names[i], dir, sizeof(dir));
            struct progress prog = {.enabled = show};
            progress_begin(&prog, (unsigned)i + 1, (unsigned)npoints, names[i],
                           cfgs[i]->run.max_cycles);
            run_point(cfgs[i], study_dir, dir, names[i], &prog, &results[i]);
            if (npoints > 1 || results[i].status != POINT_OK)
                print_point_line(&results[i], i, npoints);
        }
    } else {
        struct job *running = calloc(jobs, sizeof(*running));
        unsigned nrun = 0;
        size_t next = 0, done = 0;
        if (!running)
            goto out;
        fflush(NULL);
        while (done < npoints) {
            while (nrun < jobs && next < npoints) {
                int p[2];
                char dir[PATH_MAX];
                results_point_dir(run_dir, names[next], dir, sizeof(dir));
                if (pipe(p) != 0)
                    break;
                pid_t pid = fork();
                if (pid == 0) {
                    close(p[0]);
                    child_point(cfgs[next], study_dir, dir, names[next], p[1]);
                }
                close(p[1]);
                if (pid < 0) {
                    close(p[0]);
                    break;
                }
                running[nrun++] = (struct job){.pid = pid, .fd = p[0], .point = next++};
            }
            if (nrun == 0) {
                fprintf(stderr, "vtsim: cannot start worker processes: %s\n", strerror(errno));
                free(running);
                goto out;
            }
            size_t before = nrun;
            if (wait_one(running, &nrun, results) != 0)
                break;
            if (nrun < before) {
                done++;
                if (show)
                    fprintf(stderr, "\r\033[Kvtsim: %zu/%zu points done", done, npoints);
            }
        }
        if (show)
            fprintf(stderr, "\r\033[K");
        for (size_t i = 0; i < npoints; i++)
            if (npoints > 1 || results[i].status != POINT_OK)
                print_point_line(&results[i], i, npoints);
        free(running);
    }

    size_t config_len = 0;
    FILE *cf = open_memstream(&config_text, &config_len);
    if (cf) {
        config_emit_yaml(base, cf);
        fclose(cf);
    }
    struct run_summary sum = {
        .config_text = config_text,
        .run_dir = run_dir,
        .study_path = o->study_path,
        .argc = o->argc,
        .argv = o->argv,
        .start = start,
        .end = time(NULL),
        .wall_seconds = progress_now() - t0,
        .jobs = jobs,
        .npoints = npoints,
        .names = (const char(*)[128])names,
        .results = results,
        .base = base,
        .cfgs = (const struct study_config *const *)cfgs,
    };
    if (results_write_summary(&sum, err, sizeof(err)) != 0 ||
        results_write_manifest(&sum, err, sizeof(err)) != 0) {
        fprintf(stderr, "vtsim: %s\n", err);
        rc = EXIT_RUN_FAILED;
        goto out;
    }
    if (!o->quiet)
        results_print_table(stdout, &sum);
    int post = finish_plots_and_claims(run_dir, base, o->quiet);
    /* A point that could not even be built (missing image or front end) is
     * bad input; any other failure is a failed run. */
    rc = EXIT_OK;
    for (size_t i = 0; i < npoints; i++)
        if (results[i].status == POINT_ERROR)
            rc = EXIT_BAD_INPUT;
        else if (results[i].status != POINT_OK && rc == EXIT_OK)
            rc = EXIT_RUN_FAILED;
    if (rc == EXIT_OK)
        rc = post;
    fprintf(stderr, "vtsim: results in %s\n", run_dir);
out:
    free(config_text);
    if (cfgs)
        for (size_t i = 0; i < npoints; i++)
            config_free(cfgs[i]);
    free(cfgs);
    free(names);
    free(results);
    config_free(base);
    config_src_free(src);
    return rc;
}
