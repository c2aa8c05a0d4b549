/*
 * cli.c - the `vtsim` command line: subcommand dispatch, options, help.
 *
 * Exit codes (also in `vtsim --help` and docs/cli.md):
 *   0  success
 *   1  a run failed: a point crashed, a guest reported failure, a claim failed
 *   2  bad input: command line, study file, image, or results folder
 */
#include "sim/cli.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/base/stats.h"
#include "sim/config.h"
#include "sim/machine.h"
#include "sim/schema.h"
#include "sim/study_run.h"
#include "version.h"

static const char usage_main[] =
    "usage: vtsim <command> [options]\n"
    "\n"
    "Cycle-level IA-64 (VT-i) and IA-32 (VT-x) simulator whose hypervisor is\n"
    "firmware executed on the simulated cores.\n"
    "\n"
    "commands:\n"
    "  run STUDY.yaml         run a study (every sweep point) and write a results folder\n"
    "  validate STUDY.yaml... check studies without running them\n"
    "  show-config STUDY.yaml print the fully resolved study (presets, defaults, --set)\n"
    "  docs config|stats      print the reference tables of docs/config.md or docs/stats.md\n"
    "  version                print the version and git revision (also --version)\n"
    "\n"
    "Run `vtsim <command> --help` for a command's options.\n"
    "\n"
    "exit status: 0 ok, 1 run failed (point crashed, guest failure, claim failed),\n"
    "             2 bad input (command line, study file, image, results folder)\n";

static const char usage_run[] =
    "usage: vtsim run STUDY.yaml [-o DIR] [-j N] [--set key.path=value ...]\n"
    "                 [--quiet | --progress]\n"
    "\n"
    "Runs every point of the study's sweep and writes the results folder\n"
    "(default results/<study>/<UTC time>/; see docs/results.md).\n"
    "\n"
    "  -o, --output DIR   results folder; must not exist or be empty\n"
    "  -j, --jobs N       points run in parallel (default: host cores)\n"
    "      --set K=V      override a key (repeatable), e.g. --set machine.cores=2\n"
    "  -q, --quiet        no summary table on stdout, no progress line\n"
    "      --progress     show the progress line even when stderr is not a terminal\n"
    "  -h, --help         this text\n";

static const char usage_validate[] =
    "usage: vtsim validate STUDY.yaml...\n"
    "\n"
    "Loads and checks each study as `run` would (presets, every sweep point),\n"
    "printing FILE:LINE:COLUMN: error: ... for each problem.  Exit 0 when all\n"
    "are valid, 2 otherwise.\n";

static const char usage_show[] =
    "usage: vtsim show-config STUDY.yaml [--set key.path=value ...]\n"
    "\n"
    "Prints the study with presets, defaults and overrides applied, as YAML\n"
    "that is itself a valid study.\n";

static const char usage_docs[] = "usage: vtsim docs config|stats\n"
                                 "\n"
                                 "Prints the generated reference of docs/config.md (config) or\n"
                                 "docs/stats.md (stats) to stdout.\n";

static int want_help(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0)
            return 0;
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0)
            return 1;
    }
    return 0;
}

static int bad_usage(const char *msg, const char *usage)
{
    fprintf(stderr, "vtsim: %s\n%s", msg, usage);
    return EXIT_BAD_INPUT;
}

static int parse_uint(const char *s, unsigned *out)
{
    char *end;
    unsigned long v = strtoul(s, &end, 10);
    if (!*s || *end || v > 4096)
        return -1;
    *out = (unsigned)v;
    return 0;
}

static int cmd_run(int argc, char **argv, int full_argc, char **full_argv)
{
    static const struct option opts[] = {
        {"output", required_argument, NULL, 'o'},
        {"jobs", required_argument, NULL, 'j'},
        {"set", required_argument, NULL, 's'},
        {"quiet", no_argument, NULL, 'q'},
        {"progress", no_argument, NULL, 'p'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct run_opts o = {.progress = PROGRESS_AUTO, .argc = full_argc, .argv = full_argv};
    const char **sets = calloc((size_t)argc + 1, sizeof(*sets));
    int c, rc;
    if (!sets)
        return EXIT_BAD_INPUT;
    o.sets = sets;
    optind = 1;
    while ((c = getopt_long(argc, argv, "o:j:qh", opts, NULL)) != -1) {
        switch (c) {
        case 'o':
            o.out_dir = optarg;
            break;
        case 'j':
            if (parse_uint(optarg, &o.jobs) != 0) {
                rc = bad_usage("-j needs a number from 0 to 4096", usage_run);
                goto out;
            }
            break;
        case 's':
            sets[o.nsets++] = optarg;
            break;
        case 'q':
            o.quiet = true;
            o.progress = PROGRESS_OFF;
            break;
        case 'p':
            o.progress = PROGRESS_ON;
            break;
        case 'h':
            fputs(usage_run, stdout);
            rc = EXIT_OK;
            goto out;
        default:
            rc = bad_usage("bad option", usage_run);
            goto out;
        }
    }
    if (optind != argc - 1) {
        rc = bad_usage("run needs exactly one study file", usage_run);
        goto out;
    }
    o.study_path = argv[optind];
    rc = study_run(&o);
out:
    free(sets);
    return rc;
}

/* Load, apply overrides, resolve every sweep point.  Returns the resolved
 * base config (caller frees) or NULL after printing the errors. */
static struct study_config *load_checked(const char *path, const char *const *sets, unsigned nsets,
                                         size_t *npoints)
{
    struct diag d = {.out = stderr};
    struct config_src *src = config_load_file(path, &d);
    struct study_config *base = NULL;
    if (!src)
        return NULL;
    for (unsigned i = 0; i < nsets; i++)
        config_set(src, sets[i], &d);
    if (d.errors == 0 && config_resolve(src, &base, &d) == 0) {
        *npoints = config_npoints(base);
        for (size_t i = 0; i < *npoints; i++) {
            struct study_config *pc = NULL;
            char name[128];
            if (config_resolve_point(src, i, &pc, name, sizeof(name), &d) == 0)
                config_free(pc);
        }
    }
    config_src_free(src);
    if (d.errors && base) {
        config_free(base);
        base = NULL;
    }
    return base;
}

static int cmd_validate(int argc, char **argv)
{
    if (want_help(argc, argv)) {
        fputs(usage_validate, stdout);
        return EXIT_OK;
    }
    if (argc < 2)
        return bad_usage("validate needs at least one study file", usage_validate);
    int rc = EXIT_OK;
    for (int i = 1; i < argc; i++) {
        size_t n = 0;
        struct study_config *c = load_checked(argv[i], NULL, 0, &n);
        if (!c) {
            rc = EXIT_BAD_INPUT;
            continue;
        }
        printf("%s: ok (%zu point%s)\n", argv[i], n, n == 1 ? "" : "s");
        config_free(c);
    }
    return rc;
}

static int cmd_show_config(int argc, char **argv)
{
    static const struct option opts[] = {
        {"set", required_argument, NULL, 's'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char **sets = calloc((size_t)argc + 1, sizeof(*sets));
    unsigned nsets = 0;
    int c, rc = EXIT_BAD_INPUT;
    if (!sets)
        return EXIT_BAD_INPUT;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (c == 's') {
            sets[nsets++] = optarg;
        } else if (c == 'h') {
            fputs(usage_show, stdout);
            rc = EXIT_OK;
            goto out;
        } else {
            rc = bad_usage("bad option", usage_show);
            goto out;
        }
    }
    if (optind != argc - 1) {
        rc = bad_usage("show-config needs exactly one study file", usage_show);
        goto out;
    }
    size_t n;
    struct study_config *cfg = load_checked(argv[optind], sets, nsets, &n);
    if (cfg) {
        config_emit_yaml(cfg, stdout);
        config_free(cfg);
        rc = EXIT_OK;
    }
out:
    free(sets);
    return rc;
}

/* The stats every machine has, registered on a one-hart stand-in. */
static int docs_stats(void)
{
    struct stats *s = stats_new();
    struct hart h = {.id = 0};
    int rc = EXIT_RUN_FAILED;
    if (s && machine_register_hart_stats(s, &h) == 0 && stats_write_doc(s, stdout) == 0)
        rc = EXIT_OK;
    stats_free(s);
    return rc;
}

static int cmd_docs(int argc, char **argv)
{
    if (want_help(argc, argv)) {
        fputs(usage_docs, stdout);
        return EXIT_OK;
    }
    if (argc != 2)
        return bad_usage("docs needs one of: config, stats", usage_docs);
    if (strcmp(argv[1], "config") == 0)
        return config_write_doc(stdout) == 0 ? EXIT_OK : EXIT_RUN_FAILED;
    if (strcmp(argv[1], "stats") == 0)
        return docs_stats();
    return bad_usage("docs needs one of: config, stats", usage_docs);
}

int cli_main(int argc, char **argv)
{
    if (argc < 2)
        return bad_usage("no command given", usage_main);
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        fputs(usage_main, stdout);
        return EXIT_OK;
    }
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "version") == 0) {
        printf("vtsim %s (git %s)\n", VTSIM_VERSION, VTSIM_GIT_REV);
        return EXIT_OK;
    }
    if (strcmp(cmd, "run") == 0)
        return cmd_run(argc - 1, argv + 1, argc, argv);
    if (strcmp(cmd, "validate") == 0)
        return cmd_validate(argc - 1, argv + 1);
    if (strcmp(cmd, "show-config") == 0)
        return cmd_show_config(argc - 1, argv + 1);
    if (strcmp(cmd, "docs") == 0)
        return cmd_docs(argc - 1, argv + 1);
    fprintf(stderr, "vtsim: unknown command '%s'\n", cmd);
    fputs(usage_main, stderr);
    return EXIT_BAD_INPUT;
}
