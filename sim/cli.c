/*
 * cli.c - the `vtsim` command line: subcommand dispatch, options, help.
 *
 * Exit codes (also in `vtsim --help` and docs/cli.md):
 *   0  success
 *   1  a run failed: a point crashed, a guest reported failure, a claim failed
 *   2  bad input: command line, study file, image, or results folder
 */
#include "sim/cli.h"

#include <dirent.h>
#include <getopt.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/base/stats.h"
#include "model/cache/memsys.h"
#include "model/cpu/ia64/decode.h"
#include "sim/config.h"
#include "sim/isa.h"
#include "sim/machine.h"
#include "sim/schema.h"
#include "sim/results.h"
#include "sim/rerun.h"
#include "sim/study_run.h"
#include "sim/tools.h"
#include "sim/yaml_tree.h"
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
    "  check RESULTS_DIR      evaluate the study's claims on a finished run\n"
    "  compare RUN_A RUN_B    list the stats that moved between two runs\n"
    "  plot RESULTS_DIR       write (again) the study's plots under RESULTS_DIR/plots\n"
    "  rerun RESULTS_DIR      run a finished run again and check its stats are identical\n"
    "  list                   the studies in configs/ and the machine presets\n"
    "  disasm --isa ia64 FILE disassemble an IA-64 ELF file (GNU objdump syntax)\n"
    "  boot --isa ISA IMAGE   run one bare-metal image (ia64, x86), console on stdout\n"
    "  docs config|stats      print the reference tables of docs/config.md or docs/stats.md\n"
    "  version                print the version and git revision (also --version)\n"
    "\n"
    "Run `vtsim <command> --help` for a command's options.\n"
    "\n"
    "exit status: 0 ok, 1 run failed (point crashed, guest failure, claim failed),\n"
    "             2 bad input (command line, study file, image, results folder)\n";

static const char usage_run[] =
    "usage: vtsim run STUDY.yaml [-o DIR] [-j N] [--set key.path=value ...]\n"
    "                 [--kernel native|systemc] [--quiet | --progress]\n"
    "\n"
    "Runs every point of the study's sweep and writes the results folder\n"
    "(default results/<study>/<UTC time>/; see docs/results.md).\n"
    "\n"
    "  -o, --output DIR   results folder; must not exist or be empty\n"
    "  -j, --jobs N       points run in parallel (default: host cores)\n"
    "      --set K=V      override a key (repeatable), e.g. --set machine.cores=2\n"
    "      --kernel K     simulation kernel, native or systemc (same as --set run.kernel=K,\n"
    "                     applied after every --set)\n"
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
        {"output", required_argument, NULL, 'o'}, {"jobs", required_argument, NULL, 'j'},
        {"set", required_argument, NULL, 's'},    {"kernel", required_argument, NULL, 'k'},
        {"quiet", no_argument, NULL, 'q'},        {"progress", no_argument, NULL, 'p'},
        {"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0},
    };
    struct run_opts o = {.progress = PROGRESS_AUTO, .argc = full_argc, .argv = full_argv};
    char kernel_set[64] = ""; /* --kernel K as the override run.kernel=K */
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
        case 'k':
            if (strchr(optarg, '=') || snprintf(kernel_set, sizeof(kernel_set), "run.kernel=%s",
                                                optarg) >= (int)sizeof(kernel_set)) {
                rc = bad_usage("--kernel needs native or systemc", usage_run);
                goto out;
            }
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
    /* Last, so that it wins over a --set run.kernel; sets has room for one
     * entry per argument. */
    if (kernel_set[0])
        sets[o.nsets++] = kernel_set;
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
            char err[256];
            if (config_resolve_point(src, i, &pc, name, sizeof(name), &d) == 0 &&
                machine_check_config(pc, err, sizeof(err)) != 0)
                diag_error(&d, &(struct ymark){path, 0, 0}, "%s%s%s", err,
                           *name ? " at point " : "", name);
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

/* The stats every machine has, registered on a one-core, one-VM stand-in
 * with the default (Itanium 2) hierarchy, and those an IA-64 hart, its
 * control device and IPI network add. */
static int docs_stats(void)
{
    static const char study[] = "study: doc\nmachine: {isa: ia64}\n";
    struct diag d = {.out = stderr};
    struct stats *s = stats_new();
    struct hart h = {.id = 0};
    struct study_config *cfg = NULL;
    struct memsys *ms = NULL;
    void *doc = NULL;
    char err[200];
    int rc = EXIT_RUN_FAILED;
    struct config_src *src = config_load_buffer("doc", study, sizeof(study) - 1, &d);
    if (!s || !src || config_resolve(src, &cfg, &d) != 0)
        goto out;
    ms = memsys_new(&cfg->machine.mem, 1, 1, err, sizeof(err));
    if (ms && machine_register_hart_stats(s, &h) == 0 &&
        memsys_register_stats(ms, stats_root(s), 1) == 0 &&
        (doc = isa_ia64_doc_stats(s, cfg, ms)) != NULL && stats_write_doc(s, stdout) == 0)
        rc = EXIT_OK;
out:
    isa_ia64_doc_stats_free(doc);
    memsys_free(ms);
    config_free(cfg);
    config_src_free(src);
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

static const char usage_check[] =
    "usage: vtsim check RESULTS_DIR\n"
    "\n"
    "Evaluates the claims of the study that produced RESULTS_DIR (its config.yaml)\n"
    "over the stats of its points and prints claim, measured value, bound, PASS/FAIL.\n"
    "Exit 0 all pass, 1 a claim failed, 2 a claim names a missing stat or point.\n";

static const char usage_compare[] =
    "usage: vtsim compare RUN_A RUN_B [--threshold PCT]\n"
    "\n"
    "Lists, per sweep point (matched by name), the whole-run stats whose value\n"
    "changed by more than PCT percent (default 1) from RUN_A to RUN_B, largest\n"
    "change first.  Exit 0 nothing moved, 1 something moved or a point is\n"
    "missing on one side, 2 bad input.\n";

static const char usage_plot[] = "usage: vtsim plot RESULTS_DIR\n"
                                 "\n"
                                 "Writes the study's plots under RESULTS_DIR/plots: data (.dat),\n"
                                 "gnuplot script (.gp), and PNG and SVG when gnuplot is "
                                 "installed.\n";

static const char usage_rerun[] =
    "usage: vtsim rerun RESULTS_DIR [-o DIR] [-j N]\n"
    "\n"
    "Runs RESULTS_DIR/config.yaml again (into DIR, default RESULTS_DIR/rerun-N)\n"
    "and reports per point whether stats.json is byte-for-byte identical, and\n"
    "whether any image changed since.  Exit 0 identical, 1 different.\n";

static const char usage_list[] = "usage: vtsim list\n"
                                 "\n"
                                 "Lists the studies under configs/ and the machine presets, with\n"
                                 "their descriptions.\n";

static int one_dir_command(int argc, char **argv, const char *usage, int (*fn)(const char *))
{
    if (want_help(argc, argv)) {
        fputs(usage, stdout);
        return EXIT_OK;
    }
    if (argc != 2)
        return bad_usage("expected exactly one results folder", usage);
    return fn(argv[1]);
}

static int do_check(const char *dir)
{
    return tools_check(dir, stdout);
}

static int do_plot(const char *dir)
{
    return tools_plot(dir, false);
}

static int cmd_compare(int argc, char **argv)
{
    static const struct option opts[] = {
        {"threshold", required_argument, NULL, 't'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    double pct = 1.0;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "t:h", opts, NULL)) != -1) {
        char *end;
        switch (c) {
        case 't':
            pct = strtod(optarg, &end);
            if (*end || end == optarg || pct < 0)
                return bad_usage("--threshold needs a percentage >= 0", usage_compare);
            break;
        case 'h':
            fputs(usage_compare, stdout);
            return EXIT_OK;
        default:
            return bad_usage("bad option", usage_compare);
        }
    }
    if (optind != argc - 2)
        return bad_usage("compare needs two results folders", usage_compare);
    return tools_compare(argv[optind], argv[optind + 1], pct / 100.0, stdout);
}

static int cmd_rerun(int argc, char **argv, int full_argc, char **full_argv)
{
    static const struct option opts[] = {
        {"output", required_argument, NULL, 'o'},
        {"jobs", required_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *out = NULL;
    unsigned jobs = 0;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "o:j:h", opts, NULL)) != -1) {
        switch (c) {
        case 'o':
            out = optarg;
            break;
        case 'j':
            if (parse_uint(optarg, &jobs) != 0)
                return bad_usage("-j needs a number from 0 to 4096", usage_rerun);
            break;
        case 'h':
            fputs(usage_rerun, stdout);
            return EXIT_OK;
        default:
            return bad_usage("bad option", usage_rerun);
        }
    }
    if (optind != argc - 1)
        return bad_usage("rerun needs one results folder", usage_rerun);
    return rerun_main(argv[optind], out, jobs, full_argc, full_argv);
}

/* The description of a study file or the first comment line of a preset. */
static void describe(const char *path, bool preset, char *buf, size_t len)
{
    buf[0] = '\0';
    if (preset) {
        FILE *f = fopen(path, "r");
        char line[512];
        if (f && fgets(line, sizeof(line), f) && line[0] == '#') {
            line[strcspn(line, "\n")] = '\0';
            snprintf(buf, len, "%s", line + 1 + (line[1] == ' '));
        }
        if (f)
            fclose(f);
        return;
    }
    struct diag d = {.out = NULL};
    struct ytree *t = ytree_load_file(path, &d);
    const struct ynode *n = t ? ynode_get(t->root, "description") : NULL;
    snprintf(buf, len, "%s", n && n->kind == Y_SCALAR ? n->str : "");
    ytree_free(t);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void list_dir(const char *dir, const char *show, bool preset, int depth)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char *names[512];
    size_t n = 0;
    if (!d)
        return;
    while ((e = readdir(d)) != NULL && n < 512)
        if (e->d_name[0] != '.')
            names[n++] = strdup(e->d_name);
    closedir(d);
    qsort(names, n, sizeof(*names), cmp_str);
    for (size_t i = 0; i < n; i++) {
        char path[4096], rel[4096], desc[256];
        struct stat st;
        snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
        snprintf(rel, sizeof(rel), "%s/%s", show, names[i]);
        if (stat(path, &st) == 0 && S_ISDIR(st.st_mode) && depth < 4) {
            list_dir(path, rel, preset, depth + 1);
        } else if (strlen(names[i]) > 5 && !strcmp(names[i] + strlen(names[i]) - 5, ".yaml")) {
            describe(path, preset, desc, sizeof(desc));
            if (preset)
                printf("  %-38s %s\n", strndupa(names[i], strlen(names[i]) - 5), desc);
            else
                printf("  %-38s %s\n", rel, desc);
        }
        free(names[i]);
    }
}

static const char usage_disasm[] =
    "usage: vtsim disasm --isa ia64 FILE.o|FILE.elf\n"
    "\n"
    "Prints every slot of the executable sections in GNU objdump syntax, one\n"
    "line each, with the bundle template and stops; unsupported forms print as\n"
    "<unsupported slot 0x...>.\n";

static int cmd_disasm(int argc, char **argv)
{
    char err[256];
    if (want_help(argc, argv)) {
        fputs(usage_disasm, stdout);
        return EXIT_OK;
    }
    if (argc != 4 || strcmp(argv[1], "--isa") != 0)
        return bad_usage("disasm needs --isa ISA FILE", usage_disasm);
    if (strcmp(argv[2], "ia64") != 0)
        return bad_usage("only --isa ia64 is supported (IA-32 decoding uses Zydis)", usage_disasm);
    if (ia64_disasm_elf(argv[3], stdout, err, sizeof(err)) != 0) {
        fprintf(stderr, "vtsim: %s\n", err);
        return EXIT_BAD_INPUT;
    }
    return EXIT_OK;
}

static const char usage_boot[] =
    "usage: vtsim boot --isa ia64|x86 IMAGE [--max-cycles N] [--set key.path=value ...]\n"
    "\n"
    "Runs one bare-metal image on hart 0 of a default machine of that ISA\n"
    "(configs/machines presets' defaults; --set changes them), with the console\n"
    "byte for byte on stdout and diagnostics on stderr.  Exit status: the\n"
    "program's own (written to the exit register), 124 when --max-cycles\n"
    "(default 2e9) is reached, 125 for a guest crash (the diagnostic names the\n"
    "hart, IP, bytes and cause), 126 when every hart sleeps with nothing\n"
    "pending, 2 for a bad image or command line.\n";

enum { BOOT_LIMIT = 124, BOOT_CRASH = 125, BOOT_IDLE = 126 };

static int cmd_boot(int argc, char **argv)
{
    static const struct option opts[] = {
        {"isa", required_argument, NULL, 'i'},
        {"max-cycles", required_argument, NULL, 'm'},
        {"set", required_argument, NULL, 's'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *isa = NULL, *maxc = "2G";
    const char **sets = calloc((size_t)argc + 1, sizeof(*sets));
    unsigned nsets = 0;
    int c, rc = EXIT_BAD_INPUT;
    struct diag d = {.out = stderr};
    struct config_src *src = NULL;
    struct study_config *cfg = NULL;
    struct machine *m = NULL;
    char err[256];
    if (!sets)
        return EXIT_BAD_INPUT;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (c == 'i')
            isa = optarg;
        else if (c == 'm')
            maxc = optarg;
        else if (c == 's')
            sets[nsets++] = optarg;
        else if (c == 'h') {
            fputs(usage_boot, stdout);
            rc = EXIT_OK;
            goto out;
        } else {
            rc = bad_usage("bad option", usage_boot);
            goto out;
        }
    }
    if (!isa || optind != argc - 1) {
        rc = bad_usage("boot needs --isa ISA and one image", usage_boot);
        goto out;
    }
    /* A one-VM study made from the command line, validated like any other. */
    char study[8192];
    int n = snprintf(study, sizeof(study),
                     "study: boot\nmachine: {isa: \"%s\"}\nvms: [{name: boot, image: \"%s\"}]\n"
                     "run: {max_cycles: \"%s\"}\n",
                     isa, argv[optind], maxc);
    if (n < 0 || (size_t)n >= sizeof(study) || strpbrk(argv[optind], "\"\\") ||
        strpbrk(isa, "\"\\") || strpbrk(maxc, "\"\\")) {
        rc = bad_usage("image path or option contains quotes", usage_boot);
        goto out;
    }
    src = config_load_buffer("vtsim boot", study, (size_t)n, &d);
    for (unsigned i = 0; src && i < nsets; i++)
        config_set(src, sets[i], &d);
    if (!src || d.errors || config_resolve(src, &cfg, &d) != 0)
        goto out;
    if (machine_build(cfg, ".", NULL, &m, err, sizeof(err)) != 0) {
        fprintf(stderr, "vtsim: %s\n", err);
        goto out;
    }
    m->console_stream = stdout;
    struct run_limits lim = {.max_cycles = cfg->run.max_cycles};
    struct run_result res;
    sched_run(m->sched, &lim, &res);
    fflush(stdout);
    switch (res.reason) {
    case STOP_EXIT:
        rc = res.exit_status;
        break;
    case STOP_MAX_CYCLES:
        fprintf(stderr, "vtsim: %s\n", res.message);
        rc = BOOT_LIMIT;
        break;
    case STOP_FATAL:
        results_print_fatal(stderr, &res.fatal);
        rc = BOOT_CRASH;
        break;
    default:
        fprintf(stderr, "vtsim: %s\n", res.message);
        rc = BOOT_IDLE;
        break;
    }
out:
    machine_free(m);
    config_free(cfg);
    config_src_free(src);
    free(sets);
    return rc;
}

static int cmd_list(int argc, char **argv)
{
    if (want_help(argc, argv) || argc != 1) {
        fputs(usage_list, argc == 1 ? stdout : stderr);
        return argc == 1 ? EXIT_OK : EXIT_BAD_INPUT;
    }
    printf("studies (configs/studies):\n");
    list_dir(VTSIM_SOURCE_DIR "/configs/studies", "configs/studies", false, 0);
    printf("machine presets (machine.preset):\n");
    list_dir(VTSIM_SOURCE_DIR "/configs/machines", "configs/machines", true, 0);
    return EXIT_OK;
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
    if (strcmp(cmd, "check") == 0)
        return one_dir_command(argc - 1, argv + 1, usage_check, do_check);
    if (strcmp(cmd, "plot") == 0)
        return one_dir_command(argc - 1, argv + 1, usage_plot, do_plot);
    if (strcmp(cmd, "compare") == 0)
        return cmd_compare(argc - 1, argv + 1);
    if (strcmp(cmd, "rerun") == 0)
        return cmd_rerun(argc - 1, argv + 1, argc, argv);
    if (strcmp(cmd, "list") == 0)
        return cmd_list(argc - 1, argv + 1);
    if (strcmp(cmd, "disasm") == 0)
        return cmd_disasm(argc - 1, argv + 1);
    if (strcmp(cmd, "boot") == 0)
        return cmd_boot(argc - 1, argv + 1);
    fprintf(stderr, "vtsim: unknown command '%s'\n", cmd);
    fputs(usage_main, stderr);
    return EXIT_BAD_INPUT;
}
